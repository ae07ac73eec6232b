/* dengon-staff-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-roster.h"
#include "dengon-staff-editor.h"
#include "dengon-staff-page.h"
#include "dengon-ui-utils.h"

/* Preferences → Staff: who is at this desk, the people of the office and
 * the weekly duty roster.  Everything follows the staff model, which
 * follows the store: a change made on another desk shows up here. */
struct _DengonStaffPage
{
  AdwPreferencesPage parent_instance;

  /* Template widgets */
  AdwComboRow *desk_row;
  AdwPreferencesGroup *people_group;
  GtkButton *add_person_button;
  AdwPreferencesGroup *roster_group;
  GtkBox *days_box;
  GtkSpinButton *from_spin;
  GtkSpinButton *to_spin;
  AdwComboRow *slot_person_row;
  GtkLabel *slot_error_label;
  GtkButton *add_slot_button;
  GtkToggleButton *day_buttons[7];

  /* Owned */
  DengonStore *store;
  DengonStaffModel *staff;
  GSettings *settings;
  GCancellable *cancellable;
  GPtrArray *people_rows;
  GPtrArray *roster_rows;
  GtkStringList *desk_names;
  GStrv desk_ids; /* parallel to desk_names */
  GtkStringList *slot_person_names;
  GStrv slot_person_ids; /* parallel to slot_person_names */
  char *people_shown;    /* what the rows show now (see rebuild_people) */
  char *roster_shown;
  guint rebuild_source;
  gboolean updating_desk;
};

G_DEFINE_FINAL_TYPE (DengonStaffPage, dengon_staff_page, ADW_TYPE_PREFERENCES_PAGE)

static void queue_rebuild (DengonStaffPage *self);

/* ------------------------------------------------------------------ names */

/* "佐藤 綾", or "伊藤 凛 (inactive)"; the login part for an id nobody knows. */
static char *
person_label (DengonStaffPage *self, const char *id)
{
  DengonStaffItem *item = dengon_staff_model_lookup (self->staff, id);
  const char *name = dengon_staff_model_get_name (self->staff, id);

  if (item == NULL || !dengon_staff_item_get_active (item))
    /* Translators: a person who left (made inactive) or is unknown here */
    return g_strdup_printf (C_ ("person", "%s (inactive)"), name != NULL ? name : "?");

  return g_strdup (name);
}

/* ------------------------------------------------------------------ choices */

/* Gives a combo row new choices, unless it has these already: replacing
 * them closes its list under the pointer and drops the choice. */
static gboolean
set_choices (GtkStringList *names, GStrv *ids, GStrv new_names, GStrv new_ids)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (names));
  gboolean same = *ids != NULL &&
                  g_strv_equal ((const char *const *) *ids, (const char *const *) new_ids) &&
                  n == g_strv_length (new_names);

  for (guint i = 0; same && i < n; i++)
    same = g_str_equal (gtk_string_list_get_string (names, i), new_names[i]);

  g_strfreev (*ids);
  *ids = new_ids;
  if (!same)
    gtk_string_list_splice (names, 0, n, (const char *const *) new_names);
  g_strfreev (new_names);

  return !same;
}

/* ------------------------------------------------------------------ this desk */

static void
rebuild_desk (DengonStaffPage *self)
{
  g_autofree char *desk = g_settings_get_string (self->settings, "desk-staff-id");
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  DengonStaffItem *current = dengon_staff_model_lookup (self->staff, desk);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->staff));
  guint selected = GTK_INVALID_LIST_POSITION, count = 0;

  /* Whoever the setting names comes first when they cannot be chosen any
   * more (left, or not chosen yet): the row shows the truth. */
  if (current == NULL || !dengon_staff_item_get_active (current))
    {
      g_autofree char *label = *desk != '\0' ? person_label (self, desk) : NULL;

      g_strv_builder_add (names, label != NULL ? label : C_ ("desk", "Not chosen"));
      g_strv_builder_add (ids, desk);
      selected = count++;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i);

      if (!dengon_staff_item_get_active (item))
        continue;
      g_strv_builder_add (names, dengon_staff_item_get_name (item));
      g_strv_builder_add (ids, dengon_staff_item_get_id (item));
      if (g_str_equal (dengon_staff_item_get_id (item), desk))
        selected = count;
      count++;
    }

  self->updating_desk = TRUE;
  set_choices (self->desk_names, &self->desk_ids, g_strv_builder_end (names),
               g_strv_builder_end (ids));
  if (adw_combo_row_get_selected (self->desk_row) != selected)
    adw_combo_row_set_selected (self->desk_row, selected);
  self->updating_desk = FALSE;
}

static void
on_desk_selected (DengonStaffPage *self)
{
  guint selected = adw_combo_row_get_selected (self->desk_row);
  g_autofree char *desk = NULL;

  if (self->updating_desk || self->desk_ids == NULL || selected >= g_strv_length (self->desk_ids))
    return;

  desk = g_settings_get_string (self->settings, "desk-staff-id");
  if (!g_str_equal (desk, self->desk_ids[selected]))
    g_settings_set_string (self->settings, "desk-staff-id", self->desk_ids[selected]);
}

/* ------------------------------------------------------------------ people */

static void
on_person_activated (DengonStaffPage *self, AdwActionRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "staff-id");
  DengonStaffItem *item = dengon_staff_model_lookup (self->staff, id);
  DengonStaffEditor *editor;

  if (item == NULL)
    return;

  editor = dengon_staff_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                    self->store, self->staff, item);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_add_person_clicked (DengonStaffPage *self)
{
  DengonStaffEditor *editor;

  editor = dengon_staff_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                    self->store, self->staff, NULL);
  gtk_window_present (GTK_WINDOW (editor));
}

static GtkWidget *
person_row_new (DengonStaffPage *self, DengonStaffItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  const char *role = dengon_staff_role_get_label (dengon_staff_item_get_role (item));
  const char *extension = dengon_staff_item_get_extension (item);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (dengon_staff_item_get_active (item))
    title = g_strdup (dengon_staff_item_get_name (item));
  else
    title = person_label (self, dengon_staff_item_get_id (item));

  if (extension != NULL && *extension != '\0')
    /* Translators: a person's role and telephone extension, "Owner · ext. 201" */
    subtitle = g_strdup_printf (C_ ("person", "%s · ext. %s"), role, extension);
  else
    subtitle = g_strdup (role);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  if (!dengon_staff_item_get_active (item))
    gtk_widget_add_css_class (row, "dim-label");

  if (dengon_staff_item_get_on_duty (item))
    {
      GtkWidget *label = gtk_label_new (_ ("On duty"));

      gtk_widget_add_css_class (label, "accent");
      gtk_widget_add_css_class (label, "caption-heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));

  g_object_set_data_full (G_OBJECT (row), "staff-id", g_strdup (dengon_staff_item_get_id (item)),
                          g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_person_activated), self,
                           G_CONNECT_SWAPPED);

  return row;
}

/* ------------------------------------------------------------------ roster */

typedef struct
{
  DengonStaffPage *self;
  JsonObject *slot;
  int position;
} SlotEdit;

static SlotEdit *
slot_edit_new (DengonStaffPage *self, JsonObject *slot, int position)
{
  SlotEdit *edit = g_new0 (SlotEdit, 1);

  edit->self = g_object_ref (self);
  edit->slot = json_object_ref (slot);
  edit->position = position;

  return edit;
}

static void
slot_edit_free (SlotEdit *edit)
{
  g_clear_object (&edit->self);
  g_clear_pointer (&edit->slot, json_object_unref);
  g_free (edit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlotEdit, slot_edit_free)

static void
slot_edit_closure_free (gpointer data, GClosure *closure)
{
  slot_edit_free (data);
}

static void
show_toast (DengonStaffPage *self, AdwToast *toast)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), toast);
      dengon_ui_fix_accessible_names (GTK_WIDGET (root));
    }
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
show_save_error (DengonStaffPage *self, const GError *error)
{
  g_warning ("Could not save the duty roster: %s", error->message);
  show_toast (self, adw_toast_new (_ ("The duty roster could not be saved")));
}

static void
on_slot_restored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SlotEdit) edit = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) saved = dengon_roster_edit_finish (DENGON_STORE (source), result, &error);

  if (saved == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_save_error (edit->self, error);
}

static void
on_undo_remove (AdwToast *toast, SlotEdit *edit)
{
  dengon_roster_edit_async (edit->self->store, DENGON_ROSTER_EDIT_INSERT, edit->slot,
                            edit->position, edit->self->cancellable, on_slot_restored,
                            slot_edit_new (edit->self, edit->slot, edit->position));
}

static void
on_slot_removed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SlotEdit) edit = user_data;
  DengonStaffPage *self = edit->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) saved = dengon_roster_edit_finish (DENGON_STORE (source), result, &error);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (saved == NULL)
    {
      show_save_error (self, error);
      return;
    }

  text = dengon_roster_slot_format (edit->slot);
  /* Translators: %s is a duty roster slot, "Mon–Fri, 09:00–12:00" */
  toast = adw_toast_new_format (_ ("Removed “%s”"), text);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  /* The toast keeps what is needed to put the slot back. */
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_remove),
                         g_steal_pointer (&edit), slot_edit_closure_free, 0);
  show_toast (self, toast);
}

static void
on_remove_slot_clicked (DengonStaffPage *self, GtkButton *button)
{
  JsonObject *slot = g_object_get_data (G_OBJECT (button), "slot");
  int position = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "position"));

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  dengon_roster_edit_async (self->store, DENGON_ROSTER_EDIT_REMOVE, slot, -1, self->cancellable,
                            on_slot_removed, slot_edit_new (self, slot, position));
}

static GtkWidget *
slot_row_new (DengonStaffPage *self, JsonArray *schedule, guint index)
{
  JsonObject *slot = json_array_get_object_element (schedule, index);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *title = dengon_roster_slot_format (slot);
  g_autofree char *who = person_label (self, dengon_roster_slot_get_staff (slot));
  g_autofree char *subtitle = NULL;
  int overlap = dengon_roster_find_overlap (schedule, index);

  if (dengon_roster_slot_is_shadowed (schedule, index))
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      /* Translators: a person; the slots above cover all of this slot's hours */
      subtitle =
          g_strdup_printf (C_ ("roster", "%s · Overlaps the slots above and never applies"), who);
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _ ("Overlaps another slot"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
  else if (overlap >= 0)
    {
      JsonObject *other = json_array_get_object_element (schedule, overlap);
      g_autofree char *other_text = dengon_roster_slot_format (other);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      if ((guint) overlap < index)
        /* Translators: a person, then the earlier slot that wins where both apply */
        subtitle = g_strdup_printf (C_ ("roster", "%s · Overlaps “%s”, which comes first"), who,
                                    other_text);
      else
        /* Translators: a person, then a later slot; this one wins where both apply */
        subtitle = g_strdup_printf (C_ ("roster", "%s · Overlaps “%s”; this slot comes first"), who,
                                    other_text);
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _ ("Overlaps another slot"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : who);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _ ("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Remove"), -1);
  g_object_set_data_full (G_OBJECT (remove), "slot", json_object_ref (slot),
                          (GDestroyNotify) json_object_unref);
  g_object_set_data (G_OBJECT (remove), "position", GINT_TO_POINTER (index));
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_slot_clicked), self,
                           G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

static GtkWidget *
no_slots_row_new (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No Slots"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _ ("Nobody is on duty unless someone takes the phone."));
  gtk_widget_add_css_class (row, "dim-label");

  return row;
}

/* ------------------------------------------------------------------ adding a slot */

static void
show_slot_error (DengonStaffPage *self, const char *message)
{
  gtk_label_set_label (self->slot_error_label, message != NULL ? message : "");
  if (message != NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
rebuild_slot_people (DengonStaffPage *self)
{
  guint selected = adw_combo_row_get_selected (self->slot_person_row);
  g_autofree char *previous = NULL;
  g_autofree char *desk = g_settings_get_string (self->settings, "desk-staff-id");
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->staff));
  guint count = 0, choose = 0;

  if (self->slot_person_ids != NULL && selected < g_strv_length (self->slot_person_ids))
    previous = g_strdup (self->slot_person_ids[selected]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i);
      const char *id = dengon_staff_item_get_id (item);

      if (!dengon_staff_item_get_active (item))
        continue;
      g_strv_builder_add (names, dengon_staff_item_get_name (item));
      g_strv_builder_add (ids, id);
      /* The same person as before, else the one at this desk. */
      if (g_strcmp0 (id, previous) == 0 || (previous == NULL && g_str_equal (id, desk)))
        choose = count;
      count++;
    }

  if (set_choices (self->slot_person_names, &self->slot_person_ids, g_strv_builder_end (names),
                   g_strv_builder_end (ids)) &&
      count > 0)
    adw_combo_row_set_selected (self->slot_person_row, choose);
}

static gboolean
on_time_output (GtkSpinButton *spin)
{
  int minutes = (int) gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = dengon_roster_format_time (CLAMP (minutes, 0, DENGON_ROSTER_END_OF_DAY));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static int
on_time_input (GtkSpinButton *spin, double *new_value)
{
  int minutes = dengon_roster_parse_time (gtk_editable_get_text (GTK_EDITABLE (spin)));

  if (minutes < 0)
    return GTK_INPUT_ERROR;
  *new_value = minutes;

  return TRUE;
}

static void
on_slot_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SlotEdit) edit = user_data;
  DengonStaffPage *self = edit->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) saved = dengon_roster_edit_finish (DENGON_STORE (source), result, &error);
  int from, to;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_slot_button), TRUE);
  if (saved == NULL)
    {
      show_save_error (self, error);
      return;
    }

  /* Ready for the next slot: it often starts where this one ended. */
  from = dengon_roster_slot_get_to (edit->slot);
  to = MIN (from + (from - dengon_roster_slot_get_from (edit->slot)), DENGON_ROSTER_END_OF_DAY);
  if (to > from)
    {
      gtk_spin_button_set_value (self->from_spin, from);
      gtk_spin_button_set_value (self->to_spin, to);
    }
}

static void
on_add_slot_clicked (DengonStaffPage *self)
{
  int from = dengon_roster_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->from_spin)));
  int to = dengon_roster_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->to_spin)));
  guint selected = adw_combo_row_get_selected (self->slot_person_row);
  const char *staff_id = NULL;
  g_autoptr (JsonObject) slot = NULL;
  g_autoptr (GError) error = NULL;
  guint days = 0;

  for (guint i = 0; i < G_N_ELEMENTS (self->day_buttons); i++)
    if (gtk_toggle_button_get_active (self->day_buttons[i]))
      days |= 1u << i;
  if (self->slot_person_ids != NULL && selected < g_strv_length (self->slot_person_ids))
    staff_id = self->slot_person_ids[selected];

  if (from < 0 || to < 0)
    {
      show_slot_error (self, _ ("Enter the times as hours and minutes, like 09:00."));
      gtk_widget_grab_focus (GTK_WIDGET (from < 0 ? self->from_spin : self->to_spin));
      return;
    }

  slot = dengon_roster_slot_new (days, from, to, staff_id, &error);
  if (slot == NULL)
    {
      show_slot_error (self, error->message);
      return;
    }

  show_slot_error (self, NULL);
  gtk_spin_button_set_value (self->from_spin, from);
  gtk_spin_button_set_value (self->to_spin, to);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_slot_button), FALSE);
  dengon_roster_edit_async (self->store, DENGON_ROSTER_EDIT_INSERT, slot, -1, self->cancellable,
                            on_slot_added, slot_edit_new (self, slot, -1));
}

/* ------------------------------------------------------------------ following the model */

static const char *
focused_row_key (DengonStaffPage *self, GPtrArray *rows, const char *key)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (guint i = 0; focus != NULL && i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];

      if (focus == row || gtk_widget_is_ancestor (focus, row))
        return g_object_get_data (G_OBJECT (row), key);
    }

  return NULL;
}

static void
clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, rows->pdata[i]);
  g_ptr_array_set_size (rows, 0);
}

static void
focus_row (GPtrArray *rows, const char *key, const char *value)
{
  for (guint i = 0; value != NULL && i < rows->len; i++)
    {
      if (g_strcmp0 (g_object_get_data (rows->pdata[i], key), value) == 0)
        {
          gtk_widget_grab_focus (rows->pdata[i]);
          return;
        }
    }
}

/* Rows are made again only when what they show changed: the model reloads
 * on every change of any person or of the roster. */
static gboolean
shows_already (char **shown, GString *now)
{
  if (g_strcmp0 (*shown, now->str) == 0)
    return TRUE;

  g_free (*shown);
  *shown = g_strdup (now->str);

  return FALSE;
}

static void
rebuild_people (DengonStaffPage *self)
{
  g_autofree char *focused = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->staff));
  g_autoptr (GString) now = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i);
      g_autofree char *doc = dengon_json_canonical_object (dengon_staff_item_get_doc (item));

      g_string_append_printf (now, "%s %d\n", doc, dengon_staff_item_get_on_duty (item));
    }
  if (shows_already (&self->people_shown, now))
    return;

  focused = g_strdup (focused_row_key (self, self->people_rows, "staff-id"));
  clear_rows (self->people_group, self->people_rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i);
      GtkWidget *row = person_row_new (self, item);

      adw_preferences_group_add (self->people_group, row);
      g_ptr_array_add (self->people_rows, row);
    }
  focus_row (self->people_rows, "staff-id", focused);
}

static void
rebuild_roster (DengonStaffPage *self)
{
  g_autofree char *focused = NULL;
  JsonArray *schedule =
      dengon_json_get_array (dengon_staff_model_get_duty (self->staff), "schedule");
  guint n = schedule != NULL ? json_array_get_length (schedule) : 0;
  g_autoptr (GString) now = g_string_new (NULL);

  /* The slots, and the names they show. */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *slot = json_array_get_object_element (schedule, i);
      g_autofree char *text = slot != NULL ? dengon_json_canonical_object (slot) : NULL;
      g_autofree char *who =
          slot != NULL ? person_label (self, dengon_roster_slot_get_staff (slot)) : NULL;

      g_string_append_printf (now, "%s %s\n", text, who);
    }
  if (shows_already (&self->roster_shown, now))
    return;

  focused = g_strdup (focused_row_key (self, self->roster_rows, "slot-index"));
  clear_rows (self->roster_group, self->roster_rows);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (schedule, i);
      GtkWidget *row;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = slot_row_new (self, schedule, i);
      g_object_set_data_full (G_OBJECT (row), "slot-index", g_strdup_printf ("%u", i), g_free);
      adw_preferences_group_add (self->roster_group, row);
      g_ptr_array_add (self->roster_rows, row);
    }

  if (self->roster_rows->len == 0)
    {
      GtkWidget *row = no_slots_row_new ();

      adw_preferences_group_add (self->roster_group, row);
      g_ptr_array_add (self->roster_rows, row);
    }
  else if (focused != NULL)
    {
      /* The row that took the removed one's place. */
      guint index = MIN ((guint) g_ascii_strtoull (focused, NULL, 10), self->roster_rows->len - 1);

      gtk_widget_grab_focus (self->roster_rows->pdata[index]);
    }
}

static gboolean
rebuild (gpointer user_data)
{
  DengonStaffPage *self = user_data;

  self->rebuild_source = 0;
  rebuild_desk (self);
  rebuild_people (self);
  rebuild_roster (self);
  rebuild_slot_people (self);

  return G_SOURCE_REMOVE;
}

/* The model replaces its whole list at once (several items-changed): draw
 * once, when it is done. */
static void
queue_rebuild (DengonStaffPage *self)
{
  if (self->rebuild_source == 0)
    self->rebuild_source = g_idle_add (rebuild, self);
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_staff_page_dispose (GObject *object)
{
  DengonStaffPage *self = DENGON_STAFF_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->desk_names);
  g_clear_object (&self->slot_person_names);

  G_OBJECT_CLASS (dengon_staff_page_parent_class)->dispose (object);
}

static void
dengon_staff_page_finalize (GObject *object)
{
  DengonStaffPage *self = DENGON_STAFF_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->people_rows, g_ptr_array_unref);
  g_clear_pointer (&self->roster_rows, g_ptr_array_unref);
  g_clear_pointer (&self->desk_ids, g_strfreev);
  g_clear_pointer (&self->slot_person_ids, g_strfreev);
  g_clear_pointer (&self->people_shown, g_free);
  g_clear_pointer (&self->roster_shown, g_free);

  G_OBJECT_CLASS (dengon_staff_page_parent_class)->finalize (object);
}

static void
dengon_staff_page_class_init (DengonStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_staff_page_dispose;
  object_class->finalize = dengon_staff_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, desk_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, people_group);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, add_person_button);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, roster_group);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, days_box);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, from_spin);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, to_spin);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, slot_person_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, slot_error_label);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffPage, add_slot_button);
}

static void
dengon_staff_page_init (DengonStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->people_rows = g_ptr_array_new ();
  self->roster_rows = g_ptr_array_new ();
  self->desk_names = gtk_string_list_new (NULL);
  self->slot_person_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->desk_row, G_LIST_MODEL (self->desk_names));
  adw_combo_row_set_model (self->slot_person_row, G_LIST_MODEL (self->slot_person_names));

  /* Monday to Sunday; an office's week by default. */
  for (guint i = 0; i < G_N_ELEMENTS (self->day_buttons); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (dengon_roster_day_name (i + 1, TRUE));

      gtk_widget_set_size_request (button, 40, -1);
      gtk_widget_set_tooltip_text (button, dengon_roster_day_name (i + 1, FALSE));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      dengon_roster_day_name (i + 1, FALSE), -1);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                    (DENGON_ROSTER_WEEKDAYS & (1u << i)) != 0);
      gtk_box_append (self->days_box, button);
      self->day_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }

  g_signal_connect (self->from_spin, "output", G_CALLBACK (on_time_output), NULL);
  g_signal_connect (self->from_spin, "input", G_CALLBACK (on_time_input), NULL);
  g_signal_connect (self->to_spin, "output", G_CALLBACK (on_time_output), NULL);
  g_signal_connect (self->to_spin, "input", G_CALLBACK (on_time_input), NULL);
  on_time_output (self->from_spin);
  on_time_output (self->to_spin);

  g_signal_connect_swapped (self->desk_row, "notify::selected", G_CALLBACK (on_desk_selected),
                            self);
  g_signal_connect_swapped (self->add_person_button, "clicked", G_CALLBACK (on_add_person_clicked),
                            self);
  g_signal_connect_swapped (self->add_slot_button, "clicked", G_CALLBACK (on_add_slot_clicked),
                            self);
}

DengonStaffPage *
dengon_staff_page_new (DengonApplication *application)
{
  DengonStaffPage *self;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  self = g_object_new (DENGON_TYPE_STAFF_PAGE, NULL);
  self->store = g_object_ref (dengon_application_get_store (application));
  self->staff = g_object_ref (dengon_application_get_staff_model (application));
  self->settings =
      g_object_ref (dengon_settings_get_gsettings (dengon_application_get_settings (application)));

  g_signal_connect_swapped (self->staff, "items-changed", G_CALLBACK (queue_rebuild), self);
  g_signal_connect_swapped (self->settings, "changed::desk-staff-id", G_CALLBACK (queue_rebuild),
                            self);
  rebuild (self);

  return self;
}
