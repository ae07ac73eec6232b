/* dengon-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-desk-dialog.h"
#include "dengon-duty-button.h"
#include "dengon-format.h"
#include "dengon-memo-actions.h"
#include "dengon-memo-counts.h"
#include "dengon-memo-detail.h"
#include "dengon-memo-item.h"
#include "dengon-memo-list-model.h"
#include "dengon-memo-row.h"
#include "dengon-sidebar.h"
#include "dengon-sync-indicator.h"
#include "dengon-window.h"
#include "dengon-ui-utils.h"

/* The shared inbox: filters on the left, the memos of a filter (or a
 * search) in the middle, one memo on the right.  The panes fold into one
 * another in a narrow window. */
struct _DengonWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  AdwLeaflet *content_leaflet;
  GtkWidget *list_pane;
  GtkWidget *detail_pane;
  DengonSidebar *sidebar;
  AdwWindowTitle *list_title;
  GtkToggleButton *search_button;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  DengonDutyButton *duty_button;
  DengonSyncIndicator *sync_indicator;
  GtkStack *list_stack;
  GtkListView *memo_list;
  AdwStatusPage *empty_page;
  GtkButton *incoming_call_button;
  AdwWindowTitle *detail_title;
  GtkStack *detail_stack;
  DengonMemoDetail *memo_detail;

  /* Owned */
  DengonMemoListModel *model;
  GtkSingleSelection *selection;
  DengonMemoCounts *counts;
  GCancellable *cancellable;
  char *me;
  guint deadline_source;
  guint asked_desk : 1;
};

G_DEFINE_FINAL_TYPE (DengonWindow, dengon_window, ADW_TYPE_APPLICATION_WINDOW)

static DengonApplication *
get_app (DengonWindow *self)
{
  return DENGON_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static GSettings *
dengon_window_get_gsettings (DengonWindow *self)
{
  return dengon_settings_get_gsettings (dengon_application_get_settings (get_app (self)));
}

static void
dengon_window_restore_state (DengonWindow *self)
{
  GSettings *settings = dengon_window_get_gsettings (self);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* ------------------------------------------------------------------ list */

static void
update_list_state (DengonWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  gboolean searching = dengon_memo_list_model_get_search (self->model) != NULL;
  gboolean complete = dengon_memo_list_model_get_complete (self->model);
  g_autofree char *subtitle = NULL;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (!dengon_memo_list_model_get_loading (self->model))
    gtk_stack_set_visible_child_name (self->list_stack, searching ? "no-results" : "empty");

  /* A search is not counted up front: "50+" until it is all there. */
  if (searching && !complete)
    subtitle = g_strdup_printf (_ ("%u+ results"), n);
  else if (searching)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result", "%u results", n), n);
  else if (n > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u memo", "%u memos", n), n);
  adw_window_title_set_subtitle (self->list_title, subtitle);
}

static void
apply_filter (DengonWindow *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  const char *filter = dengon_sidebar_get_filter (self->sidebar);
  DengonMemoQuery query;

  if (!dengon_sidebar_build_query (filter, dengon_sidebar_get_period (self->sidebar), self->me, now,
                                   &query))
    dengon_sidebar_build_query ("all", "any", self->me, now, &query);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  dengon_memo_list_model_set_query (self->model, &query);
  adw_window_title_set_title (self->list_title, dengon_sidebar_get_filter_title (self->sidebar));

  if (g_strcmp0 (filter, "for-me") == 0)
    adw_status_page_set_description (self->empty_page, _ ("Nothing for you right now."));
  else
    adw_status_page_set_description (self->empty_page,
                                     _ ("Messages taken on the phone appear here."));

  update_list_state (self);
}

static void
on_filter_changed (DengonWindow *self)
{
  g_settings_set_string (dengon_window_get_gsettings (self), "inbox-filter",
                         dengon_sidebar_get_filter (self->sidebar));
  apply_filter (self);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_search_changed (DengonWindow *self)
{
  dengon_memo_list_model_set_search (self->model,
                                     gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_list_state (self);
}

static void
show_memo (DengonWindow *self, DengonMemoItem *item)
{
  if (item == NULL || !dengon_memo_item_get_loaded (item))
    return;

  dengon_memo_detail_set_memo_id (self->memo_detail, dengon_memo_item_get_id (item));
  adw_window_title_set_title (self->detail_title, dengon_memo_item_get_caller_name (item));
  /* Seen here: its notification has done its job. */
  if (dengon_application_get_notifier (get_app (self)) != NULL)
    dengon_notifier_withdraw (dengon_application_get_notifier (get_app (self)),
                              dengon_memo_item_get_id (item));
  gtk_stack_set_visible_child_name (self->detail_stack, "memo");
}

static void
on_selection_changed (DengonWindow *self)
{
  DengonMemoItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL)
    return;

  if (!dengon_memo_item_get_loaded (item))
    {
      /* Selected before its document arrived: show it when it does. */
      g_signal_connect_object (item, "notify::loaded", G_CALLBACK (on_selection_changed), self,
                               G_CONNECT_SWAPPED);
      return;
    }

  show_memo (self, item);
}

static void
on_list_activate (DengonWindow *self, guint position)
{
  g_autoptr (DengonMemoItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  gtk_single_selection_set_selected (self->selection, position);
  show_memo (self, item);
  adw_leaflet_set_visible_child (self->content_leaflet, self->detail_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->memo_detail));
}

/* The day heading belongs to the first memo of each day. */
static void
update_first_of_day (GtkListItem *list_item)
{
  DengonWindow *self = g_object_get_data (G_OBJECT (list_item), "window");
  DengonMemoRow *row = DENGON_MEMO_ROW (gtk_list_item_get_child (list_item));
  DengonMemoItem *item = gtk_list_item_get_item (list_item);
  guint position = gtk_list_item_get_position (list_item);
  gboolean first = TRUE;

  if (item == NULL || self == NULL)
    return;

  if (position > 0 && position != GTK_INVALID_LIST_POSITION)
    {
      g_autoptr (DengonMemoItem) previous =
          g_list_model_get_item (G_LIST_MODEL (self->model), position - 1);

      first =
          previous == NULL || !dengon_format_same_day (dengon_memo_item_get_created_ms (previous),
                                                       dengon_memo_item_get_created_ms (item));
    }

  dengon_memo_row_set_first_of_day (row, first);
}

static void
factory_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, DengonWindow *self)
{
  gtk_list_item_set_child (list_item, dengon_memo_row_new ());
  g_object_set_data (G_OBJECT (list_item), "window", self);
}

static void
factory_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, DengonWindow *self)
{
  DengonMemoRow *row = DENGON_MEMO_ROW (gtk_list_item_get_child (list_item));

  /* The row asks for its memo: only what is shown is loaded. */
  dengon_memo_list_model_load (self->model, gtk_list_item_get_position (list_item));
  dengon_memo_row_bind (row, gtk_list_item_get_item (list_item),
                        dengon_application_get_staff_model (get_app (self)));
  update_first_of_day (list_item);
  g_signal_connect (list_item, "notify::position", G_CALLBACK (update_first_of_day), NULL);
}

static void
factory_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, DengonWindow *self)
{
  g_signal_handlers_disconnect_by_func (list_item, update_first_of_day, NULL);
  dengon_memo_row_unbind (DENGON_MEMO_ROW (gtk_list_item_get_child (list_item)));
}

/* ------------------------------------------------------------------ actions */

typedef struct
{
  DengonWindow *self;
  char *memo_id;
} UndoContext;

static void
on_undone (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) memo =
      dengon_memo_action_run_finish (DENGON_STORE (source), result, &error);

  if (memo == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_ ("Could not undo")));
}

static void
on_toast_undo (AdwToast *toast, UndoContext *context)
{
  g_autoptr (DengonMemoAction) action =
      dengon_memo_action_new (DENGON_MEMO_ACTION_UNDO, context->self->me);

  dengon_memo_action_run_async (dengon_application_get_store (get_app (context->self)),
                                context->memo_id, action, context->self->cancellable, on_undone,
                                g_object_ref (context->self));
}

static void
undo_context_free (gpointer data, GClosure *closure)
{
  UndoContext *context = data;

  g_free (context->memo_id);
  g_free (context);
}

static void
on_contact_added (DengonWindow *self, const char *contact_id)
{
  AdwToast *toast = adw_toast_new (_ ("Added to contacts"));

  adw_toast_set_button_label (toast, _ ("_Open"));
  adw_toast_set_action_name (toast, "app.show-contact");
  adw_toast_set_action_target_value (toast, g_variant_new_string (contact_id));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_memo_action_done (DengonWindow *self, DengonMemoActionKind kind, const char *memo_id)
{
  const char *text = NULL;
  AdwToast *toast;
  UndoContext *context;

  switch (kind)
    {
      case DENGON_MEMO_ACTION_ASSIGN:
        text = _ ("Assigned");
        break;
      case DENGON_MEMO_ACTION_ACKNOWLEDGE:
        text = _ ("Acknowledged");
        break;
      case DENGON_MEMO_ACTION_CALLED_BACK:
        text = _ ("Callback recorded");
        break;
      case DENGON_MEMO_ACTION_DONE:
        text = _ ("Marked as done");
        break;
      case DENGON_MEMO_ACTION_REOPEN:
        text = _ ("Reopened");
        break;
      case DENGON_MEMO_ACTION_NOTE:
        text = _ ("Note added");
        break;
      case DENGON_MEMO_ACTION_ESCALATE:
        text = _ ("Escalated");
        break;
      case DENGON_MEMO_ACTION_OUTCOME:
        text = _ ("Outcome recorded");
        break;
      case DENGON_MEMO_ACTION_UNDO:
      default:
        return;
    }

  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  context = g_new0 (UndoContext, 1);
  context->self = self;
  context->memo_id = g_strdup (memo_id);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_toast_undo), context,
                         undo_context_free, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  dengon_ui_fix_accessible_names (GTK_WIDGET (self->toast_overlay));
}

static void
on_memo_action_failed (DengonWindow *self, const char *message)
{
  g_autofree char *text = g_strdup_printf (_ ("Not saved: %s"), message);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
dengon_window_search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonWindow *self = DENGON_WINDOW (widget);

  adw_leaflet_set_visible_child (self->content_leaflet, self->list_pane);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
dengon_window_show_filters_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  adw_leaflet_navigate (DENGON_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
dengon_window_show_list_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonWindow *self = DENGON_WINDOW (widget);

  adw_leaflet_set_visible_child (self->content_leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->memo_list));
}

/* The detail's single-key actions work from the list too. */
static void
forward_to_detail (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonWindow *self = DENGON_WINDOW (widget);

  g_autofree char *memo_action = g_strconcat ("memo.", action_name + strlen ("win."), NULL);

  gtk_widget_activate_action (GTK_WIDGET (self->memo_detail), memo_action, NULL);
}

/* ------------------------------------------------------------------ the person at this desk */

static void
on_me_changed (DengonWindow *self)
{
  GSettings *settings = dengon_window_get_gsettings (self);
  g_autofree char *me = g_settings_get_string (settings, "desk-staff-id");

  g_free (self->me);
  self->me = *me ? g_steal_pointer (&me) : NULL;
  g_object_set (self->sidebar, "me", self->me, NULL);
  g_object_set (self->memo_detail, "me", self->me, NULL);
  dengon_duty_button_set_me (self->duty_button, self->me);
  apply_filter (self);
}

static gboolean
ask_who_is_here (gpointer user_data)
{
  DengonWindow *self = user_data;
  DengonApplication *app = get_app (self);
  DengonDeskDialog *dialog;

  dialog = dengon_desk_dialog_new (GTK_WINDOW (self), dengon_application_get_store (app),
                                   dengon_application_get_staff_model (app),
                                   dengon_window_get_gsettings (self));
  gtk_window_present (GTK_WINDOW (dialog));

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ deadlines */

static void schedule_deadline (DengonWindow *self);

static gboolean
on_deadline (gpointer user_data)
{
  DengonWindow *self = user_data;

  self->deadline_source = 0;

  /* A callback time passed: "Overdue" and its count move on. */
  dengon_sidebar_refresh (self->sidebar);
  if (g_strcmp0 (dengon_sidebar_get_filter (self->sidebar), "overdue") == 0)
    apply_filter (self);
  schedule_deadline (self);

  return G_SOURCE_REMOVE;
}

static void
on_next_deadline (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  gint64 *next = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  gint64 wait_ms;

  if (next == NULL)
    return;

  g_clear_handle_id (&self->deadline_source, g_source_remove);
  if (*next > 0)
    {
      wait_ms = *next - g_get_real_time () / 1000 + 500;
      self->deadline_source = g_timeout_add_seconds_full (
          G_PRIORITY_DEFAULT, (guint) CLAMP (wait_ms / 1000, 1, 86400), on_deadline, self, NULL);
    }
  g_free (next);
}

static gpointer
next_deadline_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  gint64 *next = g_new0 (gint64, 1);

  *next = dengon_store_get_next_callback (store, g_get_real_time () / 1000, error);

  return next;
}

static void
schedule_deadline (DengonWindow *self)
{
  dengon_store_run_async (dengon_application_get_store (get_app (self)), next_deadline_thread, NULL,
                          NULL, g_free, self->cancellable, on_next_deadline, g_object_ref (self));
}

static void
on_store_changed (DengonWindow *self, GPtrArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      if (((DengonStoreChange *) changes->pdata[i])->memo_key != 0)
        {
          schedule_deadline (self);
          return;
        }
    }
}

/* ------------------------------------------------------------------ GObject */

static gboolean
dengon_window_close_request (GtkWindow *window)
{
  DengonWindow *self = DENGON_WINDOW (window);
  GSettings *settings = dengon_window_get_gsettings (self);
  int width, height;

  /* GTK keeps the unmaximized size in the default size. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (dengon_window_parent_class)->close_request (window);
}

static void
dengon_window_map (GtkWidget *widget)
{
  DengonWindow *self = DENGON_WINDOW (widget);

  GTK_WIDGET_CLASS (dengon_window_parent_class)->map (widget);

  if (self->me == NULL && !self->asked_desk)
    {
      self->asked_desk = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, ask_who_is_here, g_object_ref (self),
                       g_object_unref);
    }
}

static void
dengon_window_dispose (GObject *object)
{
  DengonWindow *self = DENGON_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  if (self->memo_list != NULL)
    gtk_list_view_set_model (self->memo_list, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->counts);

  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_WINDOW);

  G_OBJECT_CLASS (dengon_window_parent_class)->dispose (object);
}

static void
dengon_window_finalize (GObject *object)
{
  DengonWindow *self = DENGON_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->me, g_free);

  G_OBJECT_CLASS (dengon_window_parent_class)->finalize (object);
}

static void
dengon_window_class_init (DengonWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  static const char *forwarded[] = { "win.show-assign", "win.acknowledge", "win.call-back",
                                     "win.called-back", "win.done",        "win.reopen",
                                     "win.note" };

  object_class->dispose = dengon_window_dispose;
  object_class->finalize = dengon_window_finalize;
  widget_class->map = dengon_window_map;
  window_class->close_request = dengon_window_close_request;

  g_type_ensure (DENGON_TYPE_SIDEBAR);
  g_type_ensure (DENGON_TYPE_MEMO_DETAIL);
  g_type_ensure (DENGON_TYPE_DUTY_BUTTON);
  g_type_ensure (DENGON_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/dengon-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, duty_button);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, memo_list);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, incoming_call_button);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, memo_detail);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, dengon_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.show-filters", NULL,
                                   dengon_window_show_filters_action);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL,
                                   dengon_window_show_list_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, forward_to_detail);
}

static void
dengon_window_init (DengonWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));
  dengon_button_fix_accessible_name (self->incoming_call_button);

  self->cancellable = g_cancellable_new ();
}

/* Single keys act on the selected memo while the list has the focus (the
 * search entry keeps its keys). */
static void
add_list_shortcuts (DengonWindow *self)
{
  static const struct
  {
    guint key;
    const char *action;
  } keys[] = {
    { GDK_KEY_a, "win.show-assign" }, { GDK_KEY_k, "win.acknowledge" },
    { GDK_KEY_c, "win.call-back" },   { GDK_KEY_b, "win.called-back" },
    { GDK_KEY_d, "win.done" },        { GDK_KEY_r, "win.reopen" },
    { GDK_KEY_n, "win.note" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self->memo_list), controller);
}

DengonWindow *
dengon_window_new (DengonApplication *application)
{
  g_autoptr (GtkListItemFactory) factory = NULL;
  g_autofree char *filter = NULL;
  DengonWindow *self;
  DengonStore *store;
  DengonStaffModel *staff;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  self = g_object_new (DENGON_TYPE_WINDOW, "application", application, NULL);
  dengon_window_restore_state (self);

  store = dengon_application_get_store (application);
  staff = dengon_application_get_staff_model (application);

  self->model = dengon_memo_list_model_new (store);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  gtk_list_view_set_factory (self->memo_list, factory);
  gtk_list_view_set_model (self->memo_list, GTK_SELECTION_MODEL (self->selection));
  add_list_shortcuts (self);

  g_signal_connect_object (self->memo_list, "activate", G_CALLBACK (on_list_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_list_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_list_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::complete", G_CALLBACK (update_list_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                           self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->counts = dengon_memo_counts_new (store);
  dengon_sidebar_set_models (self->sidebar, staff, self->counts);
  filter = g_settings_get_string (dengon_window_get_gsettings (self), "inbox-filter");
  dengon_sidebar_set_filter (self->sidebar, filter);
  g_signal_connect_object (self->sidebar, "notify::filter", G_CALLBACK (on_filter_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "notify::period", G_CALLBACK (apply_filter), self,
                           G_CONNECT_SWAPPED);

  g_object_set (self->memo_detail, "store", store, "staff", staff, NULL);
  g_signal_connect_object (self->memo_detail, "action-done", G_CALLBACK (on_memo_action_done), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->memo_detail, "action-failed", G_CALLBACK (on_memo_action_failed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->memo_detail, "contact-added", G_CALLBACK (on_contact_added), self,
                           G_CONNECT_SWAPPED);
  dengon_duty_button_setup (self->duty_button, store, staff);
  dengon_sync_indicator_set_manager (self->sync_indicator,
                                     dengon_application_get_sync_manager (application));

  g_signal_connect_object (dengon_window_get_gsettings (self), "changed::desk-staff-id",
                           G_CALLBACK (on_me_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  on_me_changed (self);
  schedule_deadline (self);

  return self;
}

/* Shows one memo (from a notification); NULL shows "For Me". */
void
dengon_window_show_memo (DengonWindow *self, const char *memo_id)
{
  g_return_if_fail (DENGON_IS_WINDOW (self));

  if (memo_id == NULL)
    {
      dengon_sidebar_set_filter (self->sidebar, "for-me");
      adw_leaflet_set_visible_child (self->content_leaflet, self->list_pane);
      return;
    }

  dengon_memo_detail_set_memo_id (self->memo_detail, memo_id);
  gtk_stack_set_visible_child_name (self->detail_stack, "memo");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  adw_leaflet_set_visible_child (self->content_leaflet, self->detail_pane);
}

void
dengon_window_add_toast (DengonWindow *self, AdwToast *toast)
{
  g_return_if_fail (DENGON_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
