/* dengon-contacts-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-contact-import.h"
#include "dengon-contact.h"
#include "dengon-contacts-window.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-staff.h"
#include "dengon-ui-utils.h"

#define RELOAD_WAIT_MS   400
#define MAX_PREVIEW_ROWS 200
#define MAX_CALL_ROWS    300

/* The contacts: a list on the left (search, segment and quadrant), the contact on the right;
 * and the follow-up call lists. Everything is read on worker threads and follows the store. */
struct _DengonContactsWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwViewStack *view_stack;
  GtkSearchEntry *search_entry;
  GtkDropDown *segment_dropdown;
  GtkDropDown *quadrant_dropdown;
  GtkLabel *count_label;
  GtkListView *contact_list;
  GtkStack *editor_stack;
  GtkLabel *title_label;
  GtkLabel *segment_label;
  GtkLabel *quadrant_label;
  AdwEntryRow *name_row;
  AdwEntryRow *reading_row;
  AdwEntryRow *company_row;
  AdwEntryRow *department_row;
  AdwEntryRow *email_row;
  AdwPreferencesGroup *numbers_group;
  AdwEntryRow *new_number_row;
  GtkDropDown *new_kind_dropdown;
  AdwComboRow *owner_row;
  AdwComboRow *segment_row;
  AdwComboRow *potential_row;
  AdwComboRow *relationship_row;
  AdwActionRow *last_contact_row;
  GtkTextView *notes_view;
  GtkWidget *delete_button;
  AdwComboRow *list_segment_row;
  AdwComboRow *list_quadrant_row;
  AdwActionRow *list_count_row;
  AdwPreferencesGroup *calls_group;
  GtkDropDown *lists_dropdown;

  /* Owned */
  GPtrArray *items;  /* DengonContactItem: every contact, by reading */
  GListStore *shown; /* the items that match the search and filters */
  GtkSingleSelection *selection;
  JsonObject *editing;    /* a mutable copy of the contact on the right */
  GPtrArray *owner_ids;   /* staff ids of owner_row, [0] = NULL */
  GPtrArray *number_rows; /* rows added to numbers_group */
  GPtrArray *call_rows;   /* rows added to calls_group */
  GPtrArray *lists;       /* follow-up call lists (JsonObject), newest first */
  GPtrArray *statuses;    /* DengonFollowupStatus of the chosen list */
  GCancellable *cancellable;
  char *pending_id;        /* to show once loaded */
  gint64 editing_last_ms;  /* the contact's last memo, as the list last read it */
  gboolean editing_stored; /* the contact on the right is in the store (not new) */
  guint reload_source;
  guint serial;
  guint updating : 1;
};

G_DEFINE_FINAL_TYPE (DengonContactsWindow, dengon_contacts_window, ADW_TYPE_APPLICATION_WINDOW)

static void load_contacts (DengonContactsWindow *self);
static void load_lists (DengonContactsWindow *self);
static void show_editor (DengonContactsWindow *self);
static void show_facts (DengonContactsWindow *self);
static void collect (DengonContactsWindow *self);

static DengonApplication *
get_app (DengonContactsWindow *self)
{
  return DENGON_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static DengonStore *
get_store (DengonContactsWindow *self)
{
  DengonApplication *app = get_app (self);

  return app != NULL ? dengon_application_get_store (app) : NULL;
}

static void
toast (DengonContactsWindow *self, const char *text)
{
  if (self->toast_overlay != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
set_segment_pill (GtkLabel *label, DengonSegment segment)
{
  static const char *const classes[] = { "segment-new", "segment-existing", "segment-dormant" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);
  gtk_label_set_text (label, dengon_segment_get_label (segment));
  if (segment != DENGON_SEGMENT_UNKNOWN)
    gtk_widget_add_css_class (GTK_WIDGET (label), classes[segment - 1]);
  gtk_widget_set_visible (GTK_WIDGET (label), segment != DENGON_SEGMENT_UNKNOWN);
}

static void
set_quadrant_pill (DengonContactsWindow *self, GtkLabel *label, DengonQuadrant quadrant)
{
  DengonApplication *app = get_app (self);

  gtk_label_set_text (
      label, dengon_quadrant_get_label (quadrant,
                                        app != NULL ? dengon_application_get_office (app) : NULL));
  gtk_widget_set_visible (GTK_WIDGET (label), quadrant != DENGON_QUADRANT_NONE);
}

static const char *
first_number (JsonObject *doc)
{
  JsonArray *numbers = dengon_json_get_array (doc, "numbers");

  if (numbers == NULL || json_array_get_length (numbers) == 0)
    return NULL;
  return dengon_json_get_string (json_array_get_object_element (numbers, 0), "display");
}

/* ------------------------------------------------------------------ the list */

static void
factory_setup (GtkSignalListItemFactory *factory, GtkListItem *item, DengonContactsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *segment = gtk_label_new (NULL);
  GtkWidget *quadrant = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_widget_add_css_class (segment, "memo-pill");
  gtk_widget_add_css_class (segment, "caption");
  gtk_widget_set_valign (segment, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (quadrant, "memo-pill");
  gtk_widget_add_css_class (quadrant, "contact-quadrant");
  gtk_widget_add_css_class (quadrant, "caption");
  gtk_widget_set_valign (quadrant, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), quadrant);
  gtk_box_append (GTK_BOX (box), segment);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);

  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (box), "segment", segment);
  g_object_set_data (G_OBJECT (box), "quadrant", quadrant);
  gtk_list_item_set_child (item, box);
}

static void
factory_bind (GtkSignalListItemFactory *factory, GtkListItem *item, DengonContactsWindow *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  const DengonContactRecord *record =
      dengon_contact_item_get_record (gtk_list_item_get_item (item));
  const char *company = dengon_json_get_string (record->doc, "company");
  const char *name = dengon_json_get_string (record->doc, "name");
  const char *number = first_number (record->doc);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autoptr (GString) spoken = g_string_new (record->title);

  if (company != NULL && name != NULL)
    g_string_append (subtitle, company);
  if (number != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "", number);

  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "title"), record->title);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "subtitle"), subtitle->str);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "subtitle"), subtitle->len > 0);
  set_segment_pill (g_object_get_data (G_OBJECT (box), "segment"), record->segment);
  set_quadrant_pill (self, g_object_get_data (G_OBJECT (box), "quadrant"), record->quadrant);

  /* A screen reader reads the row as one line. */
  if (subtitle->len > 0)
    g_string_append_printf (spoken, ", %s", subtitle->str);
  if (record->segment != DENGON_SEGMENT_UNKNOWN)
    g_string_append_printf (spoken, ", %s", dengon_segment_get_label (record->segment));
  if (record->quadrant != DENGON_QUADRANT_NONE)
    g_string_append_printf (spoken, ", %s",
                            gtk_label_get_text (g_object_get_data (G_OBJECT (box), "quadrant")));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken->str,
                                  -1);
}

static DengonSegment
dropdown_segment (GtkDropDown *dropdown)
{
  /* Any, New, Existing, Dormant */
  return (DengonSegment) gtk_drop_down_get_selected (dropdown);
}

static DengonQuadrant
dropdown_quadrant (GtkDropDown *dropdown)
{
  /* Any, then the four quadrants */
  return (DengonQuadrant) gtk_drop_down_get_selected (dropdown);
}

static guint
count_matching (DengonContactsWindow *self, DengonSegment segment, DengonQuadrant quadrant)
{
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    if (dengon_contact_record_is (dengon_contact_item_get_record (self->items->pdata[i]), segment,
                                  quadrant))
      n++;
  return n;
}

static void
update_list_count (DengonContactsWindow *self)
{
  guint n = count_matching (self, adw_combo_row_get_selected (self->list_segment_row),
                            adw_combo_row_get_selected (self->list_quadrant_row));
  g_autofree char *text =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact", "%u contacts", n), n);

  adw_action_row_set_subtitle (self->list_count_row, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.make-call-list", n > 0);
}

static void
apply_filter (DengonContactsWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  DengonSegment segment = dropdown_segment (self->segment_dropdown);
  DengonQuadrant quadrant = dropdown_quadrant (self->quadrant_dropdown);
  g_autoptr (GPtrArray) matching = g_ptr_array_new ();
  g_autofree char *count = NULL;
  const char *selected_id = NULL;
  DengonContactItem *selected = gtk_single_selection_get_selected_item (self->selection);

  if (selected != NULL)
    selected_id = dengon_contact_item_get_record (selected)->id;
  for (guint i = 0; i < self->items->len; i++)
    {
      const DengonContactRecord *record = dengon_contact_item_get_record (self->items->pdata[i]);

      if (dengon_contact_record_is (record, segment, quadrant) &&
          dengon_contact_record_matches (record, text))
        g_ptr_array_add (matching, self->items->pdata[i]);
    }

  self->updating = TRUE;
  g_list_store_splice (self->shown, 0, g_list_model_get_n_items (G_LIST_MODEL (self->shown)),
                       matching->pdata, matching->len);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; selected_id != NULL && i < matching->len; i++)
    if (g_strcmp0 (dengon_contact_item_get_record (matching->pdata[i])->id, selected_id) == 0)
      gtk_single_selection_set_selected (self->selection, i);
  self->updating = FALSE;

  /* Translators: under the contacts' search: "12 of 340 contacts" */
  count = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u of %u contact", "%u of %u contacts", self->items->len),
      matching->len, self->items->len);
  gtk_label_set_text (self->count_label, count);
  update_list_count (self);
}

typedef struct
{
  guint months;
} ListRequest;

static gpointer
list_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ListRequest *request = data;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return dengon_contact_list (store, now, request->months, error);
}

static void
select_id (DengonContactsWindow *self, const char *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonContactItem) item = g_list_model_get_item (G_LIST_MODEL (self->shown), i);

      if (g_strcmp0 (dengon_contact_item_get_record (item)->id, id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->contact_list), "list.scroll-to-item", "u",
                                      i);
          return;
        }
    }

  /* Hidden by the search or the filters: show every contact. */
  if (gtk_drop_down_get_selected (self->segment_dropdown) != 0 ||
      gtk_drop_down_get_selected (self->quadrant_dropdown) != 0 ||
      *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    {
      self->updating = TRUE;
      gtk_drop_down_set_selected (self->segment_dropdown, 0);
      gtk_drop_down_set_selected (self->quadrant_dropdown, 0);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      self->updating = FALSE;
      apply_filter (self);
      select_id (self, id);
    }
}

static void
on_contacts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (records == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the contacts: %s", error->message);
      return;
    }

  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (self->items, dengon_contact_item_new (g_steal_pointer (&records->pdata[i])));
  apply_filter (self);

  if (self->pending_id != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_id);

      select_id (self, id);
    }
  else if (self->editing != NULL)
    {
      const char *id = dengon_json_get_string (self->editing, "_id");

      /* The last contact date and the segment follow new memos; what is being typed stays. */
      for (guint i = 0; i < self->items->len; i++)
        {
          const DengonContactRecord *record =
              dengon_contact_item_get_record (self->items->pdata[i]);

          if (g_strcmp0 (record->id, id) == 0)
            {
              self->editing_last_ms = record->last_contact_ms;
              show_facts (self);
            }
        }
    }
  load_lists (self);
}

static void
load_contacts (DengonContactsWindow *self)
{
  DengonApplication *app = get_app (self);
  ListRequest *request;

  if (get_store (self) == NULL)
    return;
  request = g_new0 (ListRequest, 1);
  request->months = dengon_office_get_dormant_months (dengon_application_get_office (app));
  dengon_store_run_async (get_store (self), list_thread, request, g_free,
                          (GDestroyNotify) g_ptr_array_unref, self->cancellable, on_contacts_loaded,
                          g_object_ref (self));
}

static gboolean
on_reload_timeout (gpointer user_data)
{
  DengonContactsWindow *self = user_data;

  self->reload_source = 0;
  load_contacts (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (DengonContactsWindow *self, GPtrArray *changes, DengonStore *store)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];

      if (g_strcmp0 (change->type, "contact") == 0 || g_strcmp0 (change->type, "memo") == 0 ||
          g_strcmp0 (change->type, "followup") == 0 || g_strcmp0 (change->type, "office") == 0)
        {
          if (self->reload_source == 0)
            self->reload_source = g_timeout_add (RELOAD_WAIT_MS, on_reload_timeout, self);
          return;
        }
    }
}

/* ------------------------------------------------------------------ the editor */

static DengonSegment
derived_segment (DengonContactsWindow *self)
{
  g_autoptr (JsonObject) plain = NULL;
  g_autoptr (GDateTime) now = NULL;
  DengonApplication *app = get_app (self);

  if (self->editing == NULL || !self->editing_stored || app == NULL)
    return DENGON_SEGMENT_NEW;
  plain = dengon_memo_copy (self->editing);
  json_object_set_null_member (plain, "segment_override");
  now = g_date_time_new_now_utc ();
  return dengon_contact_derive_segment (
      plain, self->editing_last_ms, now,
      dengon_office_get_dormant_months (dengon_application_get_office (app)));
}

/* What the memos say about the contact: the segment and quadrant pills, the last contact. */
static void
show_facts (DengonContactsWindow *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  DengonSegment shown;

  if (self->editing == NULL)
    return;
  shown = dengon_segment_from_string (dengon_json_get_string (self->editing, "segment_override"));
  set_segment_pill (self->segment_label,
                    shown != DENGON_SEGMENT_UNKNOWN ? shown : derived_segment (self));
  set_quadrant_pill (self, self->quadrant_label, dengon_contact_get_quadrant (self->editing));
  if (self->editing_last_ms > 0)
    {
      g_autofree char *when = dengon_format_date_time (self->editing_last_ms, now);

      adw_action_row_set_subtitle (self->last_contact_row, when);
    }
  else
    adw_action_row_set_subtitle (self->last_contact_row, _ ("No memo or call yet"));
}

static void
clear_number_rows (DengonContactsWindow *self)
{
  for (guint i = 0; i < self->number_rows->len; i++)
    adw_preferences_group_remove (self->numbers_group, self->number_rows->pdata[i]);
  g_ptr_array_set_size (self->number_rows, 0);
}

static void
on_remove_number (GtkButton *button, DengonContactsWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  JsonArray *numbers = dengon_json_get_array (self->editing, "numbers");
  g_autoptr (GPtrArray) rows = NULL;

  if (numbers == NULL || index >= json_array_get_length (numbers))
    return;
  collect (self); /* what was typed stays */
  json_array_remove_element (numbers, index);
  show_editor (self);
}

static void
on_call_number (GtkButton *button, DengonContactsWindow *self)
{
  const char *number = g_object_get_data (G_OBJECT (button), "number");

  gtk_widget_activate_action (GTK_WIDGET (self), "app.dial", "s", number);
}

static GtkWidget *
icon_button (const char *icon, const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}

static void
fill_numbers (DengonContactsWindow *self)
{
  JsonArray *numbers = dengon_json_get_array (self->editing, "numbers");

  clear_number_rows (self);
  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++)
    {
      JsonObject *entry = json_array_get_object_element (numbers, i);
      const char *display = dengon_json_get_string (entry, "display");
      const char *number = dengon_json_get_string (entry, "number");
      DengonNumberKind kind =
          dengon_number_kind_from_string (dengon_json_get_string (entry, "kind"));
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *call_label = NULL;
      g_autofree char *remove_label = NULL;
      GtkWidget *call, *remove;

      if (entry == NULL)
        continue;
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), display != NULL ? display : number);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dengon_number_kind_get_label (kind));
      gtk_widget_add_css_class (row, "property");

      /* Translators: a button's name for screen readers: "Call 03-1234-5678" */
      call_label = g_strdup_printf (_ ("Call %s"), display != NULL ? display : number);
      call = icon_button ("call-start-symbolic", call_label);
      g_object_set_data_full (G_OBJECT (call), "number", g_strdup (number), g_free);
      g_signal_connect_object (call, "clicked", G_CALLBACK (on_call_number), self, 0);
      gtk_widget_set_visible (call, kind != DENGON_NUMBER_KIND_FAX);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), call);

      remove_label = g_strdup_printf (_ ("Remove %s"), display != NULL ? display : number);
      remove = icon_button ("user-trash-symbolic", remove_label);
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_number), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (self->numbers_group, row);
      g_ptr_array_add (self->number_rows, row);
    }
  adw_preferences_group_set_description (
      self->numbers_group, self->number_rows->len == 0
                               ? _ ("No number yet: a ring finds the contact by its numbers.")
                               : NULL);
}

static guint
level_position (const char *level)
{
  return g_strcmp0 (level, "high") == 0 ? 1 : g_strcmp0 (level, "low") == 0 ? 2 : 0;
}

static void
show_editor (DengonContactsWindow *self)
{
  JsonObject *doc = self->editing;
  g_autoptr (GtkStringList) segments = NULL;
  g_autofree char *title = NULL;
  g_autofree char *automatic = NULL;
  g_autofree char *notes = NULL;
  const char *owner;
  guint owner_position = 0;

  if (doc == NULL)
    {
      gtk_stack_set_visible_child_name (self->editor_stack, "empty");
      return;
    }

  self->updating = TRUE;
  title = dengon_contact_get_title (doc);
  gtk_label_set_text (self->title_label,
                      dengon_json_get_string (doc, "_rev") != NULL ? title : _ ("New Contact"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), dengon_json_get_string (doc, "name") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->reading_row),
                         dengon_json_get_string (doc, "reading") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->company_row),
                         dengon_json_get_string (doc, "company") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->department_row),
                         dengon_json_get_string (doc, "department") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_row),
                         dengon_json_get_string (doc, "email") ?: "");
  fill_numbers (self);

  owner = dengon_json_get_string (doc, "account_owner");
  for (guint i = 1; i < self->owner_ids->len; i++)
    if (g_strcmp0 (self->owner_ids->pdata[i], owner) == 0)
      owner_position = i;
  adw_combo_row_set_selected (self->owner_row, owner_position);

  /* The segment the memos give, and a person's override. */
  /* Translators: the first choice of the segment: computed from the memos, e.g. "Automatic
   * (Dormant)" */
  automatic =
      g_strdup_printf (_ ("Automatic (%s)"), dengon_segment_get_label (derived_segment (self)));
  segments = gtk_string_list_new ((const char *[]){ automatic, C_ ("segment", "New"),
                                                    C_ ("segment", "Existing"),
                                                    C_ ("segment", "Dormant"), NULL });
  adw_combo_row_set_model (self->segment_row, G_LIST_MODEL (segments));
  adw_combo_row_set_selected (
      self->segment_row,
      dengon_segment_from_string (dengon_json_get_string (doc, "segment_override")));
  adw_combo_row_set_selected (self->potential_row,
                              level_position (dengon_json_get_string (doc, "potential")));
  adw_combo_row_set_selected (self->relationship_row,
                              level_position (dengon_json_get_string (doc, "relationship")));
  show_facts (self);

  notes = g_strdup (dengon_json_get_string (doc, "notes") ?: "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes, -1);
  gtk_widget_set_visible (self->delete_button, dengon_json_get_string (doc, "_rev") != NULL);
  gtk_stack_set_visible_child_name (self->editor_stack, "editor");
  self->updating = FALSE;
}

static void
on_selection_changed (DengonContactsWindow *self)
{
  DengonContactItem *item = gtk_single_selection_get_selected_item (self->selection);
  const DengonContactRecord *record;

  if (self->updating || item == NULL)
    return;
  record = dengon_contact_item_get_record (item);
  g_clear_pointer (&self->editing, json_object_unref);
  self->editing = dengon_memo_copy (record->doc);
  self->editing_last_ms = record->last_contact_ms;
  self->editing_stored = TRUE;
  show_editor (self);
}

static void
on_list_activate (DengonContactsWindow *self, guint position)
{
  gtk_single_selection_set_selected (self->selection, position);
  on_selection_changed (self);
}

/* The editor's fields into self->editing. */
static void
collect (DengonContactsWindow *self)
{
  static const char *const levels[] = { NULL, "high", "low" };
  JsonObject *doc = self->editing;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  g_autofree char *notes = NULL;
  struct
  {
    AdwEntryRow *row;
    const char *member;
  } texts[] = {
    { self->name_row, "name" },       { self->reading_row, "reading" },
    { self->company_row, "company" }, { self->department_row, "department" },
    { self->email_row, "email" },
  };
  guint owner = adw_combo_row_get_selected (self->owner_row);
  guint segment = adw_combo_row_get_selected (self->segment_row);
  guint potential = adw_combo_row_get_selected (self->potential_row);
  guint relationship = adw_combo_row_get_selected (self->relationship_row);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *value =
          g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (texts[i].row))));

      dengon_json_set_string_or_null (doc, texts[i].member, *value ? value : NULL);
    }
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  dengon_json_set_string_or_null (doc, "notes", *notes ? notes : NULL);
  dengon_json_set_string_or_null (
      doc, "account_owner", owner < self->owner_ids->len ? self->owner_ids->pdata[owner] : NULL);
  dengon_json_set_string_or_null (doc, "segment_override",
                                  segment <= DENGON_SEGMENT_DORMANT
                                      ? dengon_segment_to_string ((DengonSegment) segment)
                                      : NULL);
  dengon_json_set_string_or_null (doc, "potential", potential < 3 ? levels[potential] : NULL);
  dengon_json_set_string_or_null (doc, "relationship",
                                  relationship < 3 ? levels[relationship] : NULL);
}

static void
on_new_number_apply (DengonContactsWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_number_row));
  DengonNumberKind kind = gtk_drop_down_get_selected (self->new_kind_dropdown);

  if (self->editing == NULL || *text == '\0')
    return;
  collect (self);
  if (!dengon_contact_add_number (self->editing, text, kind))
    {
      toast (self, _ ("Not added: it is no phone number, or the contact has it already."));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_number_row), "");
  show_editor (self);
}

static gpointer
save_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return dengon_store_put (store, data, error);
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (rev == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
        text = g_strdup (_ ("Someone changed this contact meanwhile: it was shown again as it is "
                            "now. Make your change once more."));
      else
        text = g_strdup_printf (_ ("The contact could not be saved: %s"), error->message);
      toast (self, text);
      g_clear_pointer (&self->editing, json_object_unref);
      load_contacts (self);
      return;
    }

  if (self->editing != NULL)
    {
      json_object_set_string_member (self->editing, "_rev", rev);
      g_free (self->pending_id);
      self->pending_id = g_strdup (dengon_json_get_string (self->editing, "_id"));
    }
  toast (self, _ ("Contact saved"));
  load_contacts (self);
}

static void
save_contact_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  if (self->editing == NULL || get_store (self) == NULL)
    return;
  /* A number typed and not yet added counts too. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->new_number_row)) != '\0')
    on_new_number_apply (self);
  collect (self);
  if (!dengon_contact_validate (self->editing, &error))
    {
      g_autofree char *text =
          g_strdup_printf (_ ("The contact could not be saved: %s"), error->message);

      toast (self, text);
      return;
    }
  dengon_store_run_async_full (get_store (self), G_PRIORITY_DEFAULT, save_thread,
                               dengon_memo_copy (self->editing), (GDestroyNotify) json_object_unref,
                               g_free, NULL, on_saved, g_object_ref (self));
}

static void
new_contact_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "contacts");
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_clear_pointer (&self->editing, json_object_unref);
  self->editing = dengon_contact_new (NULL);
  self->editing_last_ms = 0;
  self->editing_stored = FALSE;
  show_editor (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static gpointer
delete_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  JsonObject *doc = data;

  return dengon_store_delete (store, dengon_json_get_string (doc, "_id"),
                              dengon_json_get_string (doc, "_rev"), error);
}

static void
on_deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (rev == NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("The contact could not be deleted: %s"), error->message);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, text);
      return;
    }
  g_clear_pointer (&self->editing, json_object_unref);
  show_editor (self);
  toast (self, _ ("Contact deleted"));
  load_contacts (self);
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, DengonContactsWindow *self)
{
  if (g_str_equal (response, "delete") && self->editing != NULL)
    dengon_store_run_async (get_store (self), delete_thread, dengon_memo_copy (self->editing),
                            (GDestroyNotify) json_object_unref, g_free, self->cancellable,
                            on_deleted, g_object_ref (self));
}

static void
delete_contact_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (widget);
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (self->editing == NULL || dengon_json_get_string (self->editing, "_rev") == NULL)
    return;
  title = dengon_contact_get_title (self->editing);
  /* Translators: asking before a contact is deleted */
  heading = g_strdup_printf (_ ("Delete %s?"), title);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_WINDOW (self), heading,
      _ ("Its memos stay; a ring from its numbers no longer shows the contact.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "delete", _ ("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  dengon_message_dialog_fix_accessible_names (dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ import */

typedef struct
{
  DengonContactsWindow *self;
  DengonContactImport *import;
  GtkWindow *dialog;
  GtkWidget *import_button;
  GtkWidget *columns; /* CSV: the column mapping, or NULL */
  GtkLabel *summary;
  AdwPreferencesGroup *entries_group;
  AdwPreferencesGroup *problems_group;
  GPtrArray *rows;
  char *name;
  guint busy : 1;
} ImportContext;

static void
import_context_free (ImportContext *context)
{
  g_clear_object (&context->self);
  g_clear_pointer (&context->import, dengon_contact_import_free);
  g_clear_pointer (&context->rows, g_ptr_array_unref);
  g_free (context->name);
  g_free (context);
}

typedef struct
{
  GFile *file;
  DengonContactImport *import; /* in: look for duplicates again */
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_clear_object (&request->file);
  g_free (request);
}

static gpointer
import_load_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  LoadRequest *request = data;
  DengonContactImport *import = request->import;

  if (import == NULL)
    import = dengon_contact_import_load (request->file, cancellable, error);
  if (import == NULL)
    return NULL;
  if (!dengon_contact_import_find_duplicates (import, store, error))
    {
      if (request->import == NULL)
        dengon_contact_import_free (import);
      return NULL;
    }
  return import;
}

static void preview_fill (ImportContext *context);

static void
on_entry_action_changed (GtkDropDown *dropdown, GParamSpec *pspec, ImportContext *context)
{
  DengonContactImportEntry *entry = g_object_get_data (G_OBJECT (dropdown), "entry");

  /* Merge (or Add), Add as new, Skip */
  switch (gtk_drop_down_get_selected (dropdown))
    {
      case 0:
        entry->action = entry->duplicate_of != NULL || entry->duplicate_entry >= 0
                            ? DENGON_CONTACT_IMPORT_MERGE
                            : DENGON_CONTACT_IMPORT_ADD;
        break;
      case 1:
        entry->action = DENGON_CONTACT_IMPORT_ADD;
        break;
      default:
        entry->action = DENGON_CONTACT_IMPORT_SKIP;
        break;
    }
}

static void on_duplicates_found (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_mapping_changed (AdwComboRow *row, GParamSpec *pspec, ImportContext *context)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  LoadRequest *request;

  if (context->busy || context->import == NULL)
    return;
  dengon_contact_import_set_mapping (context->import, column, adw_combo_row_get_selected (row));
  context->busy = TRUE;
  /* One mapping at a time: the duplicates of this one are looked for on a worker. */
  gtk_widget_set_sensitive (context->import_button, FALSE);
  gtk_widget_set_sensitive (context->columns, FALSE);
  request = g_new0 (LoadRequest, 1);
  request->import = context->import;
  dengon_store_run_async (get_store (context->self), import_load_thread, request,
                          (GDestroyNotify) load_request_free, NULL, NULL, on_duplicates_found,
                          context);
}

static void
on_duplicates_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ImportContext *context = user_data;
  g_autoptr (GError) error = NULL;

  context->busy = FALSE;
  if (dengon_store_run_finish (DENGON_STORE (source), result, &error) == NULL)
    g_warning ("Could not look for duplicates: %s", error->message);
  if (context->dialog != NULL)
    {
      gtk_widget_set_sensitive (context->columns, TRUE);
      preview_fill (context);
    }
}

static void
preview_add (ImportContext *context, AdwPreferencesGroup *group, GtkWidget *row)
{
  adw_preferences_group_add (group, row);
  g_object_set_data (G_OBJECT (row), "group", group);
  g_ptr_array_add (context->rows, row);
}

static char *
entry_numbers (JsonObject *contact)
{
  JsonArray *numbers = dengon_json_get_array (contact, "numbers");
  GString *out = g_string_new (NULL);

  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++)
    g_string_append_printf (
        out, "%s%s", i > 0 ? ", " : "",
        dengon_json_get_string (json_array_get_object_element (numbers, i), "display"));
  return g_string_free (out, FALSE);
}

/* The preview: what the file holds, what would be merged, what is wrong and where. */
static void
preview_fill (ImportContext *context)
{
  DengonContactImport *import = context->import;
  g_autofree char *summary = NULL;
  g_autofree char *entries_title = NULL;
  g_autofree char *problems_title = NULL;
  guint n_add = dengon_contact_import_count (import, DENGON_CONTACT_IMPORT_ADD);
  guint n_merge = dengon_contact_import_count (import, DENGON_CONTACT_IMPORT_MERGE);

  for (guint i = 0; i < context->rows->len; i++)
    {
      GtkWidget *row = context->rows->pdata[i];

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "group"), row);
    }
  g_ptr_array_set_size (context->rows, 0);

  /* Translators: the import preview: "contacts.vcf · vCard · UTF-8" */
  summary = g_strdup_printf (
      _ ("%s · %s · %s\nNothing is written until you press Import. Contacts that share a number "
         "with a contact of the office are merged into it, unless you choose otherwise."),
      context->name, import->format == DENGON_CONTACT_FORMAT_VCARD ? "vCard" : "CSV",
      import->encoding);
  gtk_label_set_text (context->summary, summary);

  entries_title = g_strdup_printf (_ ("Contacts: %u new, %u to merge"), n_add, n_merge);
  adw_preferences_group_set_title (context->entries_group, entries_title);
  for (guint i = 0; i < import->entries->len && i < MAX_PREVIEW_ROWS; i++)
    {
      DengonContactImportEntry *entry = import->entries->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = dengon_contact_get_title (entry->contact);
      g_autofree char *numbers = entry_numbers (entry->contact);
      const char *company = dengon_json_get_string (entry->contact, "company");
      g_autofree char *subtitle = NULL;
      GtkWidget *choice;

      subtitle = company != NULL && dengon_json_get_string (entry->contact, "name") != NULL
                     ? g_strdup_printf ("%s · %s", company, numbers)
                     : g_strdup (numbers);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (entry->duplicate_of != NULL || entry->duplicate_entry >= 0)
        {
          g_autofree char *merge = NULL;
          g_autoptr (GtkStringList) choices = NULL;
          guint selected = entry->action == DENGON_CONTACT_IMPORT_MERGE ? 0
                           : entry->action == DENGON_CONTACT_IMPORT_ADD ? 1
                                                                        : 2;

          if (entry->duplicate_of != NULL)
            /* Translators: what to do with an imported contact whose number is known */
            merge = g_strdup_printf (_ ("Merge into %s"), entry->duplicate_title);
          else
            merge = g_strdup_printf (
                _ ("Merge with line %u"),
                ((DengonContactImportEntry *) import->entries->pdata[entry->duplicate_entry])
                    ->line);
          choices =
              gtk_string_list_new ((const char *[]){ merge, _ ("Add as New"), _ ("Skip"), NULL });
          choice = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&choices)), NULL);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), selected);
          gtk_widget_set_valign (choice, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (choice), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          title, -1);
          g_object_set_data (G_OBJECT (choice), "entry", entry);
          g_signal_connect (choice, "notify::selected", G_CALLBACK (on_entry_action_changed),
                            context);
        }
      else
        {
          choice = gtk_label_new (_ ("New"));
          gtk_widget_add_css_class (choice, "dim-label");
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), choice);
      preview_add (context, context->entries_group, row);
    }
  if (import->entries->len > MAX_PREVIEW_ROWS)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more =
          g_strdup_printf (_ ("and %u more"), import->entries->len - MAX_PREVIEW_ROWS);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      preview_add (context, context->entries_group, row);
    }

  problems_title = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u Problem", "%u Problems", import->problems->len),
      import->problems->len);
  adw_preferences_group_set_title (context->problems_group, problems_title);
  gtk_widget_set_visible (GTK_WIDGET (context->problems_group), import->problems->len > 0);
  for (guint i = 0; i < import->problems->len && i < MAX_PREVIEW_ROWS; i++)
    {
      DengonContactImportProblem *problem = import->problems->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *line = g_strdup_printf (_ ("Line %u"), problem->line);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), problem->message);
      preview_add (context, context->problems_group, row);
    }

  gtk_widget_set_sensitive (context->import_button, import->entries->len > 0);
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ImportContext *context = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree guint *counts = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (counts == NULL)
    {
      g_autofree char *text = g_strdup_printf (_ ("Nothing was imported: %s"), error->message);

      toast (context->self, text);
      context->busy = FALSE;
      if (context->dialog != NULL)
        gtk_widget_set_sensitive (context->import_button, TRUE);
      return;
    }
  {
    /* Translators: after an import */
    g_autofree char *text =
        g_strdup_printf (_ ("Imported: %u new, %u merged"), counts[0], counts[1]);

    toast (context->self, text);
  }
  load_contacts (context->self);
  context->busy = FALSE;
  if (context->dialog != NULL)
    gtk_window_destroy (context->dialog);
}

static gpointer
import_write_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  guint *counts = g_new0 (guint, 2);

  if (!dengon_contact_import_write (data, store, &counts[0], &counts[1], error))
    {
      g_free (counts);
      return NULL;
    }
  return counts;
}

static void
on_import_clicked (GtkButton *button, ImportContext *context)
{
  if (context->busy)
    return;
  context->busy = TRUE;
  gtk_widget_set_sensitive (context->import_button, FALSE);
  dengon_store_run_async (get_store (context->self), import_write_thread, context->import, NULL,
                          g_free, NULL, on_imported, context);
}

static void
on_preview_destroyed (ImportContext *context)
{
  context->dialog = NULL;
  /* A write or a search under way finishes first: it still holds the import. */
  if (!context->busy)
    import_context_free (context);
  else
    g_idle_add_once ((GSourceOnceFunc) on_preview_destroyed, context);
}

static void
open_preview (DengonContactsWindow *self, DengonContactImport *import, const char *name)
{
  ImportContext *context = g_new0 (ImportContext, 1);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *summary = gtk_label_new (NULL);

  context->self = g_object_ref (self);
  context->import = import;
  context->name = g_strdup (name);
  context->rows = g_ptr_array_new ();
  context->dialog = GTK_WINDOW (window);

  gtk_window_set_title (GTK_WINDOW (window), _ ("Contacts to Import"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  context->import_button = gtk_button_new_with_mnemonic (_ ("_Import"));
  gtk_widget_add_css_class (context->import_button, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), context->import_button);
  dengon_button_fix_accessible_name (GTK_BUTTON (cancel));
  dengon_button_fix_accessible_name (GTK_BUTTON (context->import_button));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect (context->import_button, "clicked", G_CALLBACK (on_import_clicked), context);

  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
  context->summary = GTK_LABEL (summary);
  gtk_box_append (GTK_BOX (content), summary);

  if (import->format == DENGON_CONTACT_FORMAT_CSV)
    {
      GtkWidget *columns = adw_preferences_group_new ();
      g_autoptr (GtkStringList) fields = gtk_string_list_new (NULL);
      GStrv sample = import->rows->len > 1 ? g_ptr_array_index (import->rows, 1) : NULL;

      for (guint f = 0; f < DENGON_CONTACT_N_FIELDS; f++)
        gtk_string_list_append (fields, dengon_contact_field_get_label (f));
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (columns), _ ("Columns"));
      adw_preferences_group_set_description (
          ADW_PREFERENCES_GROUP (columns),
          _ ("What each column of the file holds; the first row is the header."));
      for (guint c = 0; c < import->n_columns; c++)
        {
          GtkWidget *row = adw_combo_row_new ();
          const char *header_text = g_ptr_array_index (import->header, c);
          g_autofree char *title = g_strdup (*header_text ? header_text : "—");

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          if (sample != NULL && c < g_strv_length (sample) && *sample[c])
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sample[c]);
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (fields));
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), import->mapping[c]);
          g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (c));
          g_signal_connect (row, "notify::selected", G_CALLBACK (on_mapping_changed), context);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (columns), row);
        }
      gtk_box_append (GTK_BOX (content), columns);
      context->columns = columns;
    }

  context->problems_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  context->entries_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (context->problems_group));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (context->entries_group));

  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (on_preview_destroyed), context);

  preview_fill (context);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_import_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  DengonContactImport *import = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (self), "import-name"));

  if (import == NULL)
    {
      AdwMessageDialog *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      dialog = ADW_MESSAGE_DIALOG (
          adw_message_dialog_new (GTK_WINDOW (self), _ ("The File Cannot Be Imported"), NULL));
      adw_message_dialog_format_body (dialog, "%s: %s", name, error->message);
      adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
      dengon_message_dialog_fix_accessible_names (dialog);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  open_preview (self, import, name);
}

void
dengon_contacts_window_import (DengonContactsWindow *self, GFile *file)
{
  LoadRequest *request;

  g_return_if_fail (DENGON_IS_CONTACTS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (get_store (self) == NULL)
    return;
  g_object_set_data_full (G_OBJECT (self), "import-name", g_file_get_basename (file), g_free);
  request = g_new0 (LoadRequest, 1);
  request->file = g_object_ref (file);
  dengon_store_run_async (get_store (self), import_load_thread, request,
                          (GDestroyNotify) load_request_free,
                          (GDestroyNotify) dengon_contact_import_free, self->cancellable,
                          on_import_loaded, g_object_ref (self));
}

static void
on_open_response (GtkNativeDialog *chooser, int response, DengonContactsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      dengon_contacts_window_import (self, file);
    }
  g_object_unref (chooser);
}

static void
import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) books = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_ ("Import Contacts"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (books, _ ("Address books (vCard, CSV)"));
  gtk_file_filter_add_suffix (books, "vcf");
  gtk_file_filter_add_suffix (books, "vcard");
  gtk_file_filter_add_suffix (books, "csv");
  gtk_file_filter_add_suffix (books, "txt");
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), books);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_open_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------ export */

typedef struct
{
  GFile *file;
  gboolean csv;
  GHashTable *names;
} ExportRequest;

static void
export_request_free (ExportRequest *request)
{
  g_clear_object (&request->file);
  g_clear_pointer (&request->names, g_hash_table_unref);
  g_free (request);
}

static gpointer
export_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ExportRequest *request = data;
  g_autoptr (GPtrArray) contacts = dengon_store_list_by_type (store, "contact", error);
  g_autofree char *text = NULL;
  guint *count;

  if (contacts == NULL)
    return NULL;
  text = request->csv ? dengon_contact_export_csv (contacts, request->names)
                      : dengon_contact_export_vcard (contacts);
  if (!g_file_replace_contents (request->file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error))
    return NULL;
  count = g_new (guint, 1);
  *count = contacts->len;
  return count;
}

static void
on_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree guint *count = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  g_autofree char *text = NULL;

  if (count == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_ ("The contacts could not be exported: %s"), error->message);
    }
  else
    text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "Exported %u contact", "Exported %u contacts", *count),
        *count);
  toast (self, text);
}

static void
on_export_response (GtkNativeDialog *chooser, int response, DengonContactsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      ExportRequest *request = g_new0 (ExportRequest, 1);
      DengonApplication *app = get_app (self);
      GPtrArray *staff = dengon_application_get_staff (app);

      request->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      request->csv = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "csv"));
      request->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < staff->len; i++)
        {
          JsonObject *doc = g_ptr_array_index (staff, i);

          g_hash_table_insert (request->names, g_strdup (dengon_json_get_string (doc, "_id")),
                               g_strdup (dengon_json_get_string (doc, "name")));
        }
      dengon_store_run_async (get_store (self), export_thread, request,
                              (GDestroyNotify) export_request_free, g_free, self->cancellable,
                              on_exported, g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (widget);
  gboolean csv = g_strcmp0 (g_variant_get_string (parameter, NULL), "csv") == 0;
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (
      csv ? _ ("Export Contacts as CSV") : _ ("Export Contacts as vCard"), GTK_WINDOW (self),
      GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GFile) folder = g_file_new_for_path (documents);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     csv ? "dengon-contacts.csv" : "dengon-contacts.vcf");
  g_object_set_data (G_OBJECT (chooser), "csv", GINT_TO_POINTER (csv));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------ follow-up call lists */

static int
compare_lists_newest_first (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;

  return -g_strcmp0 (dengon_json_get_string (x, "created_at"),
                     dengon_json_get_string (y, "created_at"));
}

static const DengonContactRecord *
find_record (DengonContactsWindow *self, const char *id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      const DengonContactRecord *record = dengon_contact_item_get_record (self->items->pdata[i]);

      if (g_strcmp0 (record->id, id) == 0)
        return record;
    }
  return NULL;
}

static void
clear_call_rows (DengonContactsWindow *self)
{
  for (guint i = 0; i < self->call_rows->len; i++)
    adw_preferences_group_remove (self->calls_group, self->call_rows->pdata[i]);
  g_ptr_array_set_size (self->call_rows, 0);
}

static const char *
result_label (int result)
{
  switch (result)
    {
      case DENGON_CALL_RESULT_TRY_AGAIN:
        return _ ("Try Again");
      case DENGON_CALL_RESULT_REACHED:
        return _ ("Reached");
      case DENGON_CALL_RESULT_APPOINTMENT:
        return _ ("Appointment Made");
      case DENGON_CALL_RESULT_NONE:
      default:
        return _ ("Not Called Yet");
    }
}

static void
show_calls (DengonContactsWindow *self)
{
  static const char *const result_classes[] = { "", "segment-dormant", "segment-existing",
                                                "segment-new" };
  guint reached = 0, again = 0, appointments = 0, waiting = 0;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *description = NULL;

  clear_call_rows (self);
  if (self->statuses == NULL)
    {
      adw_preferences_group_set_description (
          self->calls_group,
          self->lists->len == 0 ? _ ("No call list yet: make one above.") : NULL);
      return;
    }

  for (guint i = 0; i < self->statuses->len; i++)
    {
      DengonFollowupStatus *status = self->statuses->pdata[i];
      const DengonContactRecord *record = find_record (self, status->contact_id);
      GtkWidget *row, *pill, *call;
      const char *number, *company;
      g_autoptr (GString) subtitle = g_string_new (NULL);
      g_autofree char *call_label = NULL;

      switch (status->result)
        {
          case DENGON_CALL_RESULT_TRY_AGAIN:
            again++;
            break;
          case DENGON_CALL_RESULT_REACHED:
            reached++;
            break;
          case DENGON_CALL_RESULT_APPOINTMENT:
            reached++;
            appointments++;
            break;
          default:
            waiting++;
            break;
        }
      if (record == NULL || i >= MAX_CALL_ROWS)
        continue;

      number = first_number (record->doc);
      company = dengon_json_get_string (record->doc, "company");
      if (company != NULL && dengon_json_get_string (record->doc, "name") != NULL)
        g_string_append (subtitle, company);
      if (number != NULL)
        g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", number);
      if (status->called_ms > 0)
        {
          g_autofree char *when = dengon_format_date_time (status->called_ms, now);

          g_string_append_printf (subtitle, "%s", subtitle->len ? " · " : "");
          /* Translators: when a contact of a call list was called last, and how often */
          g_string_append_printf (
              subtitle,
              g_dngettext (GETTEXT_PACKAGE, "called %s", "called %s (%u calls)", status->attempts),
              when, status->attempts);
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), record->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      pill = gtk_label_new (result_label (status->result));
      gtk_widget_add_css_class (pill, "memo-pill");
      gtk_widget_add_css_class (pill, "caption");
      if (status->result > 0 && status->result < (int) G_N_ELEMENTS (result_classes))
        gtk_widget_add_css_class (pill, result_classes[status->result]);
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
      if (number != NULL)
        {
          call_label = g_strdup_printf (_ ("Call %s"), record->title);
          call = gtk_button_new_with_mnemonic (_ ("_Call"));
          gtk_widget_set_valign (call, GTK_ALIGN_CENTER);
          /* The name is the label; whom it calls is the description. */
          dengon_button_fix_accessible_name (GTK_BUTTON (call));
          gtk_accessible_update_property (GTK_ACCESSIBLE (call),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, call_label, -1);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (call), "app.dial");
          gtk_actionable_set_action_target_value (
              GTK_ACTIONABLE (call),
              g_variant_new_string (dengon_json_get_string (
                  json_array_get_object_element (dengon_json_get_array (record->doc, "numbers"), 0),
                  "number")));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), call);
        }
      adw_preferences_group_add (self->calls_group, row);
      g_ptr_array_add (self->call_rows, row);
    }

  /* Translators: the progress of a call list */
  description =
      g_strdup_printf (_ ("%u to call · %u reached · %u to try again · %u with an appointment"),
                       waiting, reached, again, appointments);
  adw_preferences_group_set_description (self->calls_group, description);
}

static gpointer
status_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return dengon_followup_get_status (store, data, error);
}

static void
on_status_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *statuses = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (statuses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the call list: %s", error->message);
      return;
    }
  g_clear_pointer (&self->statuses, g_ptr_array_unref);
  self->statuses = statuses;
  show_calls (self);
}

static void
load_status (DengonContactsWindow *self)
{
  guint position = gtk_drop_down_get_selected (self->lists_dropdown);

  if (position >= self->lists->len)
    {
      g_clear_pointer (&self->statuses, g_ptr_array_unref);
      show_calls (self);
      return;
    }
  dengon_store_run_async (get_store (self), status_thread,
                          json_object_ref (self->lists->pdata[position]),
                          (GDestroyNotify) json_object_unref, (GDestroyNotify) g_ptr_array_unref,
                          self->cancellable, on_status_loaded, g_object_ref (self));
}

static gpointer
lists_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  GPtrArray *lists = dengon_store_list_by_type (store, "followup", error);

  if (lists != NULL)
    g_ptr_array_sort (lists, compare_lists_newest_first);
  return lists;
}

static void
on_lists_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *lists = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *selected_id = NULL;
  guint selected = 0;

  if (lists == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the call lists: %s", error->message);
      return;
    }
  if (gtk_drop_down_get_selected (self->lists_dropdown) < self->lists->len)
    selected_id = g_strdup (dengon_json_get_string (
        self->lists->pdata[gtk_drop_down_get_selected (self->lists_dropdown)], "_id"));
  if (g_object_get_data (G_OBJECT (self), "select-list") != NULL)
    selected_id = g_strdup (g_object_get_data (G_OBJECT (self), "select-list"));
  g_object_set_data (G_OBJECT (self), "select-list", NULL);

  g_ptr_array_unref (self->lists);
  self->lists = lists;
  for (guint i = 0; i < lists->len; i++)
    {
      const char *name = dengon_json_get_string (lists->pdata[i], "name");

      gtk_string_list_append (names, name != NULL ? name : _ ("Call List"));
      if (g_strcmp0 (dengon_json_get_string (lists->pdata[i], "_id"), selected_id) == 0)
        selected = i;
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->lists_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->lists_dropdown,
                              lists->len > 0 ? selected : GTK_INVALID_LIST_POSITION);
  gtk_widget_set_visible (GTK_WIDGET (self->lists_dropdown), lists->len > 0);
  self->updating = FALSE;
  load_status (self);
}

static void
load_lists (DengonContactsWindow *self)
{
  dengon_store_run_async (get_store (self), lists_thread, NULL, NULL,
                          (GDestroyNotify) g_ptr_array_unref, self->cancellable, on_lists_loaded,
                          g_object_ref (self));
}

static void
on_list_chosen (DengonContactsWindow *self)
{
  if (!self->updating)
    load_status (self);
}

static void
on_list_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonContactsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (rev == NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("The call list could not be saved: %s"), error->message);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, text);
      return;
    }
  load_lists (self);
}

static void
make_call_list_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (widget);
  DengonSegment segment = adw_combo_row_get_selected (self->list_segment_row);
  DengonQuadrant quadrant = adw_combo_row_get_selected (self->list_quadrant_row);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GString) name = g_string_new (NULL);
  g_autofree char *day = g_date_time_format (now, "%x");
  GSettings *settings =
      dengon_settings_get_gsettings (dengon_application_get_settings (get_app (self)));
  g_autofree char *me = g_settings_get_string (settings, "desk-staff-id");
  JsonObject *list;

  for (guint i = 0; i < self->items->len; i++)
    {
      const DengonContactRecord *record = dengon_contact_item_get_record (self->items->pdata[i]);

      if (dengon_contact_record_is (record, segment, quadrant))
        g_ptr_array_add (ids, record->id);
    }
  if (ids->len == 0)
    return;

  /* "Dormant · Win Back · 2026/11/23" */
  if (segment != DENGON_SEGMENT_UNKNOWN)
    g_string_append (name, dengon_segment_get_label (segment));
  if (quadrant != DENGON_QUADRANT_NONE)
    g_string_append_printf (
        name, "%s%s", name->len ? " · " : "",
        dengon_quadrant_get_label (quadrant, dengon_application_get_office (get_app (self))));
  if (name->len == 0)
    g_string_append (name, _ ("Every contact"));
  g_string_append_printf (name, " · %s", day);

  list = dengon_followup_new (name->str, *me ? me : NULL, segment, quadrant, ids, NULL);
  g_object_set_data_full (G_OBJECT (self), "select-list",
                          g_strdup (dengon_json_get_string (list, "_id")), g_free);
  dengon_store_run_async (get_store (self), save_thread, list, (GDestroyNotify) json_object_unref,
                          g_free, self->cancellable, on_list_made, g_object_ref (self));
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_contacts_window_dispose (GObject *object)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_CONTACTS_WINDOW);

  G_OBJECT_CLASS (dengon_contacts_window_parent_class)->dispose (object);
}

static void
dengon_contacts_window_finalize (GObject *object)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->editing, json_object_unref);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);
  g_clear_pointer (&self->number_rows, g_ptr_array_unref);
  g_clear_pointer (&self->call_rows, g_ptr_array_unref);
  g_clear_pointer (&self->lists, g_ptr_array_unref);
  g_clear_pointer (&self->statuses, g_ptr_array_unref);
  g_free (self->pending_id);

  G_OBJECT_CLASS (dengon_contacts_window_parent_class)->finalize (object);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonContactsWindow *self = DENGON_CONTACTS_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "contacts");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
dengon_contacts_window_class_init (DengonContactsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_contacts_window_dispose;
  object_class->finalize = dengon_contacts_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-contacts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, segment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, quadrant_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, contact_list);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, segment_label);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, quadrant_label);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, reading_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, company_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, department_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, numbers_group);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, new_number_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, new_kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, owner_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, segment_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, potential_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, relationship_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, last_contact_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, notes_view);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, list_segment_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, list_quadrant_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, list_count_row);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, calls_group);
  gtk_widget_class_bind_template_child (widget_class, DengonContactsWindow, lists_dropdown);

  gtk_widget_class_install_action (widget_class, "win.new-contact", NULL, new_contact_action);
  gtk_widget_class_install_action (widget_class, "win.save-contact", NULL, save_contact_action);
  gtk_widget_class_install_action (widget_class, "win.delete-contact", NULL, delete_contact_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.make-call-list", NULL, make_call_list_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-contact",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-contact", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
}

static GtkStringList *
strings (const char *first, ...)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    gtk_string_list_append (list, s);
  va_end (args);
  return list;
}

static void
dengon_contacts_window_init (DengonContactsWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkStringList) segments = NULL;
  g_autoptr (GtkStringList) levels = NULL;
  g_autoptr (GtkStringList) kinds = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_list_store_new (DENGON_TYPE_CONTACT_ITEM);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  self->number_rows = g_ptr_array_new ();
  self->call_rows = g_ptr_array_new ();
  self->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  gtk_list_view_set_factory (self->contact_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->contact_list, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->contact_list, "activate", G_CALLBACK (on_list_activate), self);

  segments = strings (_ ("Any Segment"), C_ ("segment", "New"), C_ ("segment", "Existing"),
                      C_ ("segment", "Dormant"), NULL);
  gtk_drop_down_set_model (self->segment_dropdown, G_LIST_MODEL (segments));
  adw_combo_row_set_model (self->list_segment_row, G_LIST_MODEL (segments));
  levels = strings (_ ("Not Set"), C_ ("level", "High"), C_ ("level", "Low"), NULL);
  adw_combo_row_set_model (self->potential_row, G_LIST_MODEL (levels));
  adw_combo_row_set_model (self->relationship_row, G_LIST_MODEL (levels));
  kinds = strings (dengon_number_kind_get_label (DENGON_NUMBER_KIND_WORK),
                   dengon_number_kind_get_label (DENGON_NUMBER_KIND_MOBILE),
                   dengon_number_kind_get_label (DENGON_NUMBER_KIND_HOME),
                   dengon_number_kind_get_label (DENGON_NUMBER_KIND_FAX),
                   dengon_number_kind_get_label (DENGON_NUMBER_KIND_OTHER), NULL);
  gtk_drop_down_set_model (self->new_kind_dropdown, G_LIST_MODEL (kinds));

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->segment_dropdown, "notify::selected", G_CALLBACK (apply_filter),
                            self);
  g_signal_connect_swapped (self->quadrant_dropdown, "notify::selected", G_CALLBACK (apply_filter),
                            self);
  g_signal_connect_swapped (self->list_segment_row, "notify::selected",
                            G_CALLBACK (update_list_count), self);
  g_signal_connect_swapped (self->list_quadrant_row, "notify::selected",
                            G_CALLBACK (update_list_count), self);
  g_signal_connect_swapped (self->new_number_row, "apply", G_CALLBACK (on_new_number_apply), self);
  g_signal_connect_swapped (self->lists_dropdown, "notify::selected", G_CALLBACK (on_list_chosen),
                            self);
}

DengonContactsWindow *
dengon_contacts_window_new (DengonApplication *application)
{
  DengonContactsWindow *self;
  JsonObject *office;
  g_autoptr (GtkStringList) quadrants = NULL;
  g_autoptr (GtkStringList) owners = NULL;
  GPtrArray *staff;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  self = g_object_new (DENGON_TYPE_CONTACTS_WINDOW, "application", application, NULL);
  office = dengon_application_get_office (application);

  /* The office's own words for the quadrants. */
  quadrants = strings (_ ("Any Quadrant"), dengon_quadrant_get_label (DENGON_QUADRANT_KEEP, office),
                       dengon_quadrant_get_label (DENGON_QUADRANT_DEVELOP, office),
                       dengon_quadrant_get_label (DENGON_QUADRANT_WIN_BACK, office),
                       dengon_quadrant_get_label (DENGON_QUADRANT_LOW_PRIORITY, office), NULL);
  gtk_drop_down_set_model (self->quadrant_dropdown, G_LIST_MODEL (quadrants));
  adw_combo_row_set_model (self->list_quadrant_row, G_LIST_MODEL (quadrants));

  owners = strings (_ ("Nobody"), NULL);
  g_ptr_array_add (self->owner_ids, NULL);
  staff = dengon_application_get_staff (application);
  for (guint i = 0; i < staff->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (staff, i);

      if (!dengon_json_get_boolean (doc, "active", TRUE))
        continue;
      gtk_string_list_append (owners, dengon_json_get_string (doc, "name"));
      g_ptr_array_add (self->owner_ids, g_strdup (dengon_json_get_string (doc, "_id")));
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (owners));

  g_signal_connect_object (dengon_application_get_store (application), "changed",
                           G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);
  load_contacts (self);

  return self;
}

void
dengon_contacts_window_show_contact (DengonContactsWindow *self, const char *contact_id)
{
  g_return_if_fail (DENGON_IS_CONTACTS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "contacts");
  if (self->items->len > 0)
    select_id (self, contact_id);
  g_free (self->pending_id);
  self->pending_id = g_strdup (contact_id);
  if (self->items->len > 0)
    load_contacts (self);
}
