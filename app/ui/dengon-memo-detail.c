/* dengon-memo-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-contact.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo-actions.h"
#include "dengon-memo-detail.h"
#include "dengon-memo.h"
#include "dengon-phone.h"
#include "dengon-ui-utils.h"

/* One memo in full: who, what, for whom, until when, and its history; and
 * what a person does with it.  Every action is an event appended to the
 * memo (dengon-memo-actions), so two people acting at once both land. */
struct _DengonMemoDetail
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkScrolledWindow *scroller;
  GtkLabel *caller_label;
  GtkLabel *company_label;
  GtkLabel *number_label;
  GtkLabel *status_label;
  GtkLabel *urgent_label;
  GtkLabel *category_label;
  GtkLabel *for_label;
  GtkLabel *callback_label;
  GtkLabel *message_label;
  GtkMenuButton *assign_button;
  GtkWidget *acknowledge_button;
  GtkWidget *call_back_button;
  GtkWidget *called_back_button;
  GtkWidget *done_button;
  GtkWidget *reopen_button;
  GtkWidget *escalate_button;
  GtkWidget *outcome_button;
  GtkWidget *add_contact_button;
  AdwPreferencesGroup *details_group;
  AdwPreferencesGroup *history_group;

  /* Owned */
  DengonStore *store;
  DengonStaffModel *staff;
  char *me;
  char *memo_id;
  JsonObject *memo;
  GCancellable *cancellable;
  GPtrArray *rows; /* rows added to the groups, to remove them again */
  GtkWidget *assign_list;
};

enum
{
  PROP_0,
  PROP_STORE,
  PROP_STAFF,
  PROP_ME,
  PROP_MEMO_ID,
  N_PROPS
};

enum
{
  ACTION_DONE,
  ACTION_FAILED,
  CONTACT_ADDED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (DengonMemoDetail, dengon_memo_detail, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *status_classes[] = { "status-new", "status-assigned", "status-acknowledged",
                                        "status-called-back", "status-done" };

static const char *
person (DengonMemoDetail *self, const char *id)
{
  if (id == NULL)
    return _ ("Someone");

  return self->staff != NULL ? dengon_staff_model_get_name (self->staff, id) : id;
}

static char *
describe_event (DengonMemoDetail *self, JsonObject *event)
{
  const char *to = dengon_json_get_string (event, "to");

  return dengon_memo_describe_event (event, person (self, dengon_json_get_string (event, "by")),
                                     to != NULL ? person (self, to) : NULL);
}

static void
clear_rows (DengonMemoDetail *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = g_object_get_data (G_OBJECT (row), "group");

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (DengonMemoDetail *self, AdwPreferencesGroup *group, const char *title,
         const char *subtitle, gboolean dim)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (dim)
    gtk_widget_add_css_class (row, "dim-label");
  g_object_set_data (G_OBJECT (row), "group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

static void
update_actions (DengonMemoDetail *self)
{
  DengonMemoStatus status =
      self->memo ? dengon_memo_get_status (self->memo) : DENGON_MEMO_STATUS_NEW;
  gboolean have = self->memo != NULL && self->me != NULL && *self->me;
  gboolean open = status != DENGON_MEMO_STATUS_DONE;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app =
      GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  gboolean can_call = app != NULL && g_action_group_has_action (G_ACTION_GROUP (app), "call-back");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.assign", have && open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.acknowledge",
                                 have && open && status != DENGON_MEMO_STATUS_ACKNOWLEDGED &&
                                     status != DENGON_MEMO_STATUS_CALLED_BACK);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.call-back", have && open && can_call);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.called-back", have && open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.done", have && open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.reopen", have && !open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.note", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.undo",
                                 have &&
                                     dengon_memo_get_last_undoable (self->memo, self->me) != NULL);

  {
    JsonObject *caller = self->memo != NULL ? dengon_json_get_object (self->memo, "caller") : NULL;
    JsonObject *call = self->memo != NULL ? dengon_json_get_object (self->memo, "call") : NULL;
    gboolean escalated =
        self->memo != NULL && dengon_memo_get_escalation (self->memo, NULL) != NULL;
    gboolean unknown = self->memo != NULL &&
                       dengon_json_get_string (caller, "contact_id") == NULL &&
                       dengon_json_get_string (call, "number") != NULL;

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.escalate", have);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.outcome", have && escalated);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "memo.add-contact", have && unknown);
    gtk_widget_set_visible (self->outcome_button, escalated);
    gtk_widget_set_visible (self->add_contact_button, unknown);
  }

  gtk_widget_set_sensitive (GTK_WIDGET (self->assign_button), have && open);
  gtk_widget_set_visible (self->done_button, open);
  gtk_widget_set_visible (self->reopen_button, !open);
  gtk_widget_set_visible (self->call_back_button, can_call);
}

static void
update (DengonMemoDetail *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  JsonObject *memo = self->memo;
  JsonObject *caller, *call, *callback;
  JsonArray *history;
  const char *name, *company, *number, *display, *assignee, *category, *message;
  DengonMemoStatus status;
  gint64 callback_ms;

  clear_rows (self);
  update_actions (self);

  if (memo == NULL)
    return;

  caller = dengon_json_get_object (memo, "caller");
  call = dengon_json_get_object (memo, "call");
  callback = dengon_json_get_object (memo, "callback");
  name = dengon_json_get_string (caller, "name");
  company = dengon_json_get_string (caller, "company");
  number = dengon_json_get_string (call, "number");
  display = dengon_json_get_string (call, "number_display");

  gtk_label_set_label (self->caller_label, name != NULL && *name ? name : _ ("Unknown caller"));
  gtk_label_set_label (self->company_label, company != NULL ? company : "");
  gtk_widget_set_visible (GTK_WIDGET (self->company_label), company != NULL && *company);

  if (number != NULL || display != NULL)
    {
      g_autoptr (DengonPhoneNumber) parsed =
          dengon_phone_number_parse (number ? number : display, NULL, NULL);
      g_autofree char *text = NULL;

      if (parsed != NULL && parsed->description != NULL)
        {
          /* Translators: a phone number's kind and region, e.g. "Fixed line, Tokyo" */
          g_autofree char *kind =
              g_strdup_printf (C_ ("phone kind and region", "%s, %s"),
                               dengon_phone_kind_to_string (parsed->kind), parsed->description);

          text = g_strdup_printf ("%s · %s", parsed->display, kind);
        }
      else if (parsed != NULL)
        text = g_strdup_printf ("%s · %s", parsed->display,
                                dengon_phone_kind_to_string (parsed->kind));
      else
        text = g_strdup (display);
      gtk_label_set_label (self->number_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->number_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->number_label), FALSE);

  status = dengon_memo_get_status (memo);
  gtk_label_set_label (self->status_label, dengon_memo_status_get_label (status));
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[status]);

  gtk_widget_set_visible (GTK_WIDGET (self->urgent_label),
                          g_strcmp0 (dengon_json_get_string (memo, "urgency"), "urgent") == 0);
  category = dengon_json_get_string (memo, "category");
  gtk_widget_set_visible (GTK_WIDGET (self->category_label), category != NULL);
  if (category != NULL)
    gtk_label_set_label (self->category_label, dengon_category_get_label (category));

  assignee = dengon_memo_get_for (memo);
  if (assignee != NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("For %s"), person (self, assignee));

      gtk_label_set_label (self->for_label, text);
    }
  else
    gtk_label_set_label (self->for_label, _ ("Unassigned"));

  callback_ms = dengon_json_get_boolean (callback, "requested", FALSE)
                    ? dengon_json_timestamp_to_ms (dengon_json_get_string (callback, "by"))
                    : 0;
  if (dengon_json_get_boolean (callback, "requested", FALSE))
    {
      g_autofree char *text = NULL;
      gboolean overdue = FALSE;

      if (callback_ms > 0 && status != DENGON_MEMO_STATUS_DONE &&
          status != DENGON_MEMO_STATUS_CALLED_BACK)
        text = dengon_format_callback (callback_ms, now, &overdue);
      else
        text = g_strdup (_ ("Asked to be called back"));
      gtk_label_set_label (self->callback_label, text);
      if (overdue)
        gtk_widget_add_css_class (GTK_WIDGET (self->callback_label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->callback_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->callback_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->callback_label), FALSE);

  message = dengon_json_get_string (memo, "message");
  gtk_label_set_label (self->message_label,
                       message != NULL && *message ? message : _ ("No message"));

  /* Details */
  {
    g_autofree char *received = dengon_format_date_time (
        dengon_json_timestamp_to_ms (dengon_json_get_string (memo, "created_at")), now);
    const char *direction = dengon_json_get_string (call, "direction");
    const char *callback_number = dengon_json_get_string (callback, "number");

    add_row (self, self->details_group,
             g_strcmp0 (direction, "out") == 0 ? _ ("Outgoing call") : _ ("Incoming call"),
             received, FALSE);
    add_row (self, self->details_group, _ ("Taken by"),
             person (self, dengon_json_get_string (memo, "taken_by")), FALSE);
    if (callback_number != NULL && g_strcmp0 (callback_number, number) != 0)
      {
        g_autoptr (DengonPhoneNumber) parsed =
            dengon_phone_number_parse (callback_number, NULL, NULL);

        add_row (self, self->details_group, _ ("Call back on"),
                 parsed ? parsed->display : callback_number, FALSE);
      }
  }

  /* History, oldest first; an undone action is shown struck out. */
  history = dengon_json_get_array (memo, "history");
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *when = NULL;
      const char *note;
      gboolean undone;

      if (event == NULL || g_strcmp0 (dengon_json_get_string (event, "action"), "undo") == 0)
        continue;

      undone = dengon_memo_event_is_undone (memo, event);
      title = describe_event (self, event);
      if (undone)
        {
          g_autofree char *plain = g_steal_pointer (&title);

          /* Translators: an action that was taken back, e.g. "山田 健 marked it done (undone)" */
          title = g_strdup_printf (_ ("%s (undone)"), plain);
        }
      when = dengon_format_date_time (
          dengon_json_timestamp_to_ms (dengon_json_get_string (event, "at")), now);
      note = dengon_json_get_string (event, "note");
      if (g_strcmp0 (dengon_json_get_string (event, "action"), "outcome") == 0)
        note = dengon_json_get_string (event, "detail");
      subtitle = note != NULL ? g_strdup_printf ("%s — %s", when, note) : g_strdup (when);
      add_row (self, self->history_group, title, subtitle, undone);
    }
}

/* ------------------------------------------------------------------ loading */

static void
on_memo_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonMemoDetail) self = user_data;
  g_autoptr (GError) error = NULL;
  JsonObject *memo = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (memo == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Memo %s is gone: %s", self->memo_id, error->message);
      return;
    }

  if (g_strcmp0 (dengon_json_get_string (memo, "_id"), self->memo_id) != 0)
    {
      json_object_unref (memo);
      return;
    }

  g_clear_pointer (&self->memo, json_object_unref);
  self->memo = memo;
  update (self);
}

static gpointer
load_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return dengon_store_get (store, data, error);
}

static void
reload (DengonMemoDetail *self)
{
  if (self->store == NULL || self->memo_id == NULL)
    return;

  dengon_store_run_async (self->store, load_thread, g_strdup (self->memo_id), g_free,
                          (GDestroyNotify) json_object_unref, self->cancellable, on_memo_loaded,
                          g_object_ref (self));
}

static void
on_store_changed (DengonMemoDetail *self, GPtrArray *changes, DengonStore *store)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];

      if (g_strcmp0 (change->id, self->memo_id) == 0)
        {
          reload (self);
          return;
        }
    }
}

/* ------------------------------------------------------------------ actions */

typedef struct
{
  DengonMemoDetail *self;
  DengonMemoActionKind kind;
} RunContext;

static void
on_action_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RunContext *context = user_data;
  g_autoptr (DengonMemoDetail) self = context->self;
  DengonMemoActionKind kind = context->kind;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) memo = NULL;

  g_free (context);
  memo = dengon_memo_action_run_finish (DENGON_STORE (source), result, &error);

  if (memo == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[ACTION_FAILED], 0, error->message);
      return;
    }

  if (g_strcmp0 (dengon_json_get_string (memo, "_id"), self->memo_id) == 0)
    {
      g_clear_pointer (&self->memo, json_object_unref);
      self->memo = json_object_ref (memo);
      update (self);
    }

  g_signal_emit (self, signals[ACTION_DONE], 0, kind, dengon_json_get_string (memo, "_id"));
}

static void
run_action_full (DengonMemoDetail *self, DengonMemoActionKind kind, const char *to,
                 const char *note, const char *detail)
{
  g_autoptr (DengonMemoAction) action = NULL;
  RunContext *context;

  if (self->memo_id == NULL || self->store == NULL)
    return;

  action = dengon_memo_action_new (kind, self->me);
  action->to = g_strdup (to);
  action->note = g_strdup (note);
  action->detail = g_strdup (detail);

  context = g_new0 (RunContext, 1);
  context->self = g_object_ref (self);
  context->kind = kind;
  dengon_memo_action_run_async (self->store, self->memo_id, action, self->cancellable,
                                on_action_done, context);
}

static void
run_action (DengonMemoDetail *self, DengonMemoActionKind kind, const char *to, const char *note)
{
  run_action_full (self, kind, to, note, NULL);
}

static void
assign_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (widget);
  const char *to = g_variant_get_string (parameter, NULL);

  gtk_menu_button_popdown (self->assign_button);
  run_action (self, DENGON_MEMO_ACTION_ASSIGN, *to ? to : NULL, NULL);
}

static void
acknowledge_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run_action (DENGON_MEMO_DETAIL (widget), DENGON_MEMO_ACTION_ACKNOWLEDGE, NULL, NULL);
}

static void
done_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run_action (DENGON_MEMO_DETAIL (widget), DENGON_MEMO_ACTION_DONE, NULL, NULL);
}

static void
reopen_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run_action (DENGON_MEMO_DETAIL (widget), DENGON_MEMO_ACTION_REOPEN, NULL, NULL);
}

static void
undo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run_action (DENGON_MEMO_DETAIL (widget), DENGON_MEMO_ACTION_UNDO, NULL, NULL);
}

static void
call_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (widget);

  if (self->memo_id != NULL)
    gtk_widget_activate_action (widget, "app.call-back", "s", self->memo_id);
}

typedef struct
{
  DengonMemoDetail *self;
  DengonMemoActionKind kind;
  GtkEntry *entry;
} NoteContext;

static void
on_note_response (AdwMessageDialog *dialog, const char *response, NoteContext *context)
{
  if (g_str_equal (response, "save"))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (context->entry));

      run_action (context->self, context->kind, NULL, text);
    }

  g_object_unref (context->self);
  g_free (context);
}

static void
on_note_entry_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gboolean needs_text = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "needs-text"));

  adw_message_dialog_set_response_enabled (dialog, "save", !needs_text || *text != '\0');
}

static void
ask_note (DengonMemoDetail *self, DengonMemoActionKind kind)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean called_back = kind == DENGON_MEMO_ACTION_CALLED_BACK;
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();
  NoteContext *context;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (root), called_back ? _ ("Called Back") : _ ("Add a Note"),
      called_back ? _ ("How did the call go? The note is kept in the memo’s history.") : NULL));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_max_length (GTK_ENTRY (entry), 2000);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  called_back ? _ ("Outcome (optional)") : _ ("Note"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  called_back ? _ ("Outcome") : _ ("Note"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "save",
                                    called_back ? _ ("_Record") : _ ("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "needs-text", GINT_TO_POINTER (!called_back));
  adw_message_dialog_set_response_enabled (dialog, "save", called_back);
  g_signal_connect (entry, "changed", G_CALLBACK (on_note_entry_changed), dialog);
  dengon_message_dialog_fix_accessible_names (dialog);

  context = g_new0 (NoteContext, 1);
  context->self = g_object_ref (self);
  context->kind = kind;
  context->entry = GTK_ENTRY (entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_note_response), context);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
note_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ask_note (DENGON_MEMO_DETAIL (widget), DENGON_MEMO_ACTION_NOTE);
}

static void
called_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ask_note (DENGON_MEMO_DETAIL (widget), DENGON_MEMO_ACTION_CALLED_BACK);
}

/* ------------------------------------------------------------------ escalation */

typedef struct
{
  DengonMemoDetail *self;
  GtkDropDown *choice;
  GtkEntry *entry;
  GPtrArray *values; /* staff ids or outcomes, in the drop-down's order */
} ChoiceContext;

static void
choice_context_free (ChoiceContext *context)
{
  g_object_unref (context->self);
  g_ptr_array_unref (context->values);
  g_free (context);
}

static void
on_escalate_response (AdwMessageDialog *dialog, const char *response, ChoiceContext *context)
{
  guint position = gtk_drop_down_get_selected (context->choice);

  if (g_str_equal (response, "save") && position < context->values->len)
    run_action_full (context->self, DENGON_MEMO_ACTION_ESCALATE,
                     g_ptr_array_index (context->values, position),
                     gtk_editable_get_text (GTK_EDITABLE (context->entry)), NULL);
  choice_context_free (context);
}

static void
on_outcome_response (AdwMessageDialog *dialog, const char *response, ChoiceContext *context)
{
  guint position = gtk_drop_down_get_selected (context->choice);

  if (g_str_equal (response, "save") && position < context->values->len)
    run_action_full (context->self, DENGON_MEMO_ACTION_OUTCOME, NULL,
                     g_ptr_array_index (context->values, position),
                     gtk_editable_get_text (GTK_EDITABLE (context->entry)));
  choice_context_free (context);
}

/* A message dialog with a drop-down and a note: escalate (to whom) and outcome (which). */
static void
ask_choice (DengonMemoDetail *self, const char *heading, const char *body, const char *choice_label,
            GtkStringList *labels, GPtrArray *values, guint selected, const char *note_label,
            const char *save_label, GCallback on_response)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);
  GtkWidget *entry = gtk_entry_new ();
  AdwMessageDialog *dialog;
  ChoiceContext *context;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root), heading, body));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  choice_label, -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_max_length (GTK_ENTRY (entry), DENGON_MEMO_MAX_NOTE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), note_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, note_label,
                                  -1);
  gtk_box_append (GTK_BOX (box), dropdown);
  gtk_box_append (GTK_BOX (box), entry);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "save", save_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "save", values->len > 0);
  dengon_message_dialog_fix_accessible_names (dialog);

  context = g_new0 (ChoiceContext, 1);
  context->self = g_object_ref (self);
  context->choice = GTK_DROP_DOWN (dropdown);
  context->entry = GTK_ENTRY (entry);
  context->values = g_ptr_array_ref (values);
  g_signal_connect (dialog, "response", on_response, context);
  gtk_window_present (GTK_WINDOW (dialog));
  /* The likely choice is chosen: the note first (Shift+Tab for another choice). */
  gtk_widget_grab_focus (entry);
}

static void
escalate_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (widget);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  guint n = self->staff ? g_list_model_get_n_items (G_LIST_MODEL (self->staff)) : 0;

  /* The field-sales people; an office without any escalates to anyone active. */
  for (guint pass = 0; pass < 2 && values->len == 0; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr (DengonStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i);

        if (!dengon_staff_item_get_active (item) ||
            (pass == 0 && dengon_staff_item_get_role (item) != DENGON_STAFF_ROLE_FIELD_SALES))
          continue;
        gtk_string_list_append (labels, dengon_staff_item_get_name (item));
        g_ptr_array_add (values, g_strdup (dengon_staff_item_get_id (item)));
      }

  ask_choice (self, _ ("Escalate to Field Sales"),
              _ ("The person is asked for the outcome later: appointment, visit, proposal, won, "
                 "lost or no need."),
              _ ("Field-sales person"), labels, values, 0, _ ("What the lead is about"),
              _ ("_Escalate"), G_CALLBACK (on_escalate_response));
}

static void
outcome_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  static const char *const outcomes[] = { "appointment", "visited", "proposal",
                                          "won",         "lost",    "no_need" };
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (widget);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  JsonObject *outcome = NULL;
  guint selected = 0;

  if (self->memo == NULL || dengon_memo_get_escalation (self->memo, &outcome) == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      gtk_string_list_append (labels, dengon_memo_outcome_get_label (outcomes[i]));
      g_ptr_array_add (values, g_strdup (outcomes[i]));
      /* The next step after the last one recorded. */
      if (outcome != NULL && g_strcmp0 (dengon_json_get_string (outcome, "note"), outcomes[i]) == 0)
        selected = MIN (i + 1, G_N_ELEMENTS (outcomes) - 1);
    }

  ask_choice (self, _ ("Record the Outcome"), _ ("What came of the escalated lead?"), _ ("Outcome"),
              labels, values, selected, _ ("Note (optional)"), _ ("_Record"),
              G_CALLBACK (on_outcome_response));
}

/* ------------------------------------------------------------------ caller to contact */

static gpointer
add_contact_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  const char *memo_id = data;

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autoptr (JsonObject) stored = dengon_store_get (store, memo_id, error);
      g_autoptr (JsonObject) memo = NULL;
      g_autoptr (JsonObject) contact = NULL;
      g_autoptr (GPtrArray) docs = NULL;
      g_autoptr (GError) local_error = NULL;
      g_auto (GStrv) revs = NULL;
      JsonObject *caller, *call;
      const char *number;

      if (stored == NULL)
        return NULL;
      memo = dengon_memo_copy (stored);
      caller = dengon_json_ensure_object (memo, "caller");
      call = dengon_json_get_object (memo, "call");
      number = dengon_json_get_string (call, "number");
      if (dengon_json_get_string (caller, "contact_id") != NULL)
        return g_strdup (dengon_json_get_string (caller, "contact_id"));

      contact = dengon_contact_new (NULL);
      dengon_json_set_string_or_null (contact, "name", dengon_json_get_string (caller, "name"));
      dengon_json_set_string_or_null (contact, "company",
                                      dengon_json_get_string (caller, "company"));
      if (number != NULL)
        dengon_contact_add_number (contact,
                                   dengon_json_get_string (call, "number_display") != NULL
                                       ? dengon_json_get_string (call, "number_display")
                                       : number,
                                   g_str_has_prefix (number, "+8170") ||
                                           g_str_has_prefix (number, "+8180") ||
                                           g_str_has_prefix (number, "+8190")
                                       ? DENGON_NUMBER_KIND_MOBILE
                                       : DENGON_NUMBER_KIND_WORK);
      json_object_set_string_member (caller, "contact_id", dengon_json_get_string (contact, "_id"));

      /* Both or neither: a contact is never made without the memo that names it. */
      docs = g_ptr_array_new ();
      g_ptr_array_add (docs, contact);
      g_ptr_array_add (docs, memo);
      revs = dengon_store_put_many (store, docs, &local_error);
      if (revs != NULL)
        return g_strdup (dengon_json_get_string (contact, "_id"));
      if (!g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
               "%s kept changing; the contact was not added", memo_id);
  return NULL;
}

static void
on_contact_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonMemoDetail) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *contact_id = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (contact_id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[ACTION_FAILED], 0, error->message);
      return;
    }
  g_signal_emit (self, signals[CONTACT_ADDED], 0, contact_id);
}

static void
add_contact_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (widget);

  if (self->memo_id == NULL || self->store == NULL)
    return;
  dengon_store_run_async (self->store, add_contact_thread, g_strdup (self->memo_id), g_free, g_free,
                          self->cancellable, on_contact_added, g_object_ref (self));
}

static void
show_assign_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (widget);

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->assign_button)))
    gtk_menu_button_popup (self->assign_button);
}

/* ------------------------------------------------------------------ assign popover */

static void
on_assign_clicked (GtkButton *button, DengonMemoDetail *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "staff-id");

  gtk_widget_activate_action (GTK_WIDGET (self), "memo.assign", "s", id != NULL ? id : "");
}

static GtkWidget *
assign_choice (DengonMemoDetail *self, const char *id, const char *name, const char *caption)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  if (caption != NULL)
    {
      GtkWidget *small = gtk_label_new (caption);

      gtk_label_set_xalign (GTK_LABEL (small), 0);
      gtk_widget_add_css_class (small, "caption");
      gtk_widget_add_css_class (small, "dim-label");
      gtk_box_append (GTK_BOX (box), small);
    }
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "staff-id", g_strdup (id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_assign_clicked), self);

  return button;
}

/* A short menu of people: whoever is on duty first (the staff model's
 * order), then nobody. */
static void
rebuild_assign_list (DengonMemoDetail *self)
{
  GtkWidget *child;
  guint n = self->staff ? g_list_model_get_n_items (G_LIST_MODEL (self->staff)) : 0;

  while ((child = gtk_widget_get_first_child (self->assign_list)) != NULL)
    gtk_box_remove (GTK_BOX (self->assign_list), child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i);

      if (!dengon_staff_item_get_active (item))
        continue;
      gtk_box_append (GTK_BOX (self->assign_list),
                      assign_choice (self, dengon_staff_item_get_id (item),
                                     dengon_staff_item_get_name (item),
                                     dengon_staff_item_get_on_duty (item) ? _ ("On duty") : NULL));
    }
  gtk_box_append (GTK_BOX (self->assign_list),
                  assign_choice (self, NULL, _ ("Nobody (unassigned)"), NULL));
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_memo_detail_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (dengon_memo_detail_parent_class)->root (widget);
  update_actions (DENGON_MEMO_DETAIL (widget));
}

static void
dengon_memo_detail_dispose (GObject *object)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_MEMO_DETAIL);
  dengon_ui_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (dengon_memo_detail_parent_class)->dispose (object);
}

static void
dengon_memo_detail_finalize (GObject *object)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->memo, json_object_unref);
  g_clear_pointer (&self->memo_id, g_free);
  g_clear_pointer (&self->me, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (dengon_memo_detail_parent_class)->finalize (object);
}

static void
dengon_memo_detail_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;

      case PROP_STAFF:
        g_value_set_object (value, self->staff);
        break;

      case PROP_ME:
        g_value_set_string (value, self->me);
        break;

      case PROP_MEMO_ID:
        g_value_set_string (value, self->memo_id);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_memo_detail_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  DengonMemoDetail *self = DENGON_MEMO_DETAIL (object);

  switch (prop_id)
    {
      case PROP_STORE:
        if (self->store != NULL)
          g_signal_handlers_disconnect_by_data (self->store, self);
        g_set_object (&self->store, g_value_get_object (value));
        if (self->store != NULL)
          g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self,
                                   G_CONNECT_SWAPPED);
        break;

      case PROP_STAFF:
        if (self->staff != NULL)
          g_signal_handlers_disconnect_by_data (self->staff, self);
        g_set_object (&self->staff, g_value_get_object (value));
        if (self->staff != NULL)
          {
            g_signal_connect_swapped (self->staff, "items-changed",
                                      G_CALLBACK (rebuild_assign_list), self);
            g_signal_connect_swapped (self->staff, "items-changed", G_CALLBACK (update), self);
          }
        rebuild_assign_list (self);
        break;

      case PROP_ME:
        g_free (self->me);
        self->me = g_value_dup_string (value);
        update_actions (self);
        break;

      case PROP_MEMO_ID:
        dengon_memo_detail_set_memo_id (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_memo_detail_class_init (DengonMemoDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_memo_detail_dispose;
  object_class->finalize = dengon_memo_detail_finalize;
  object_class->get_property = dengon_memo_detail_get_property;
  object_class->set_property = dengon_memo_detail_set_property;

  widget_class->root = dengon_memo_detail_root;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, DENGON_TYPE_STORE,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAFF] = g_param_spec_object ("staff", NULL, NULL, DENGON_TYPE_STAFF_MODEL,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ME] =
      g_param_spec_string ("me", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMO_ID] =
      g_param_spec_string ("memo-id", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DengonMemoDetail::action-done:
   * @kind: the #DengonMemoActionKind that was saved
   * @id: the memo
   */
  signals[ACTION_DONE] =
      g_signal_new ("action-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  /**
   * DengonMemoDetail::contact-added:
   * @id: the contact made from the memo's caller
   */
  signals[CONTACT_ADDED] =
      g_signal_new ("contact-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ACTION_FAILED] =
      g_signal_new ("action-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-memo-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, caller_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, company_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, number_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, urgent_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, category_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, for_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, callback_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, message_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, assign_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, acknowledge_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, call_back_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, called_back_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, done_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, escalate_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, outcome_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, add_contact_button);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, details_group);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoDetail, history_group);

  gtk_widget_class_install_action (widget_class, "memo.assign", "s", assign_action);
  gtk_widget_class_install_action (widget_class, "memo.show-assign", NULL, show_assign_action);
  gtk_widget_class_install_action (widget_class, "memo.acknowledge", NULL, acknowledge_action);
  gtk_widget_class_install_action (widget_class, "memo.call-back", NULL, call_back_action);
  gtk_widget_class_install_action (widget_class, "memo.called-back", NULL, called_back_action);
  gtk_widget_class_install_action (widget_class, "memo.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "memo.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "memo.note", NULL, note_action);
  gtk_widget_class_install_action (widget_class, "memo.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "memo.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (widget_class, "memo.outcome", NULL, outcome_action);
  gtk_widget_class_install_action (widget_class, "memo.add-contact", NULL, add_contact_action);

  /* Single keys, as in the shortcuts window; Ctrl+Z undoes one's last action. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "memo.show-assign", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "memo.acknowledge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "memo.call-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, 0, "memo.called-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, 0, "memo.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "memo.reopen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "memo.note", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "memo.escalate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, 0, "memo.outcome", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, 0, "memo.add-contact", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "memo.undo",
                                       NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dengon_memo_detail_init (DengonMemoDetail *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  self->assign_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->assign_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Assign to"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->assign_list);
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  gtk_menu_button_set_popover (self->assign_button, popover);

  update_actions (self);
}

GtkWidget *
dengon_memo_detail_new (void)
{
  return g_object_new (DENGON_TYPE_MEMO_DETAIL, NULL);
}

void
dengon_memo_detail_set_memo_id (DengonMemoDetail *self, const char *id)
{
  g_return_if_fail (DENGON_IS_MEMO_DETAIL (self));

  if (g_strcmp0 (self->memo_id, id) == 0)
    return;

  g_free (self->memo_id);
  self->memo_id = g_strdup (id);
  g_clear_pointer (&self->memo, json_object_unref);
  update (self);
  reload (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMO_ID]);
}

const char *
dengon_memo_detail_get_memo_id (DengonMemoDetail *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_DETAIL (self), NULL);

  return self->memo_id;
}
