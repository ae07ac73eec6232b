/* dengon-desk-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-desk-dialog.h"
#include "dengon-ui-utils.h"
#include "dengon-json.h"

/* The first start asks who uses this computer: "For Me" and every action
 * are theirs.  A sole proprietor answers with one click ("Just Me"). */
struct _DengonDeskDialog
{
  AdwWindow parent_instance;

  /* Template widgets */
  GtkButton *just_me_button;
  GtkLabel *just_me_hint;
  AdwPreferencesGroup *people_group;
  GtkListBox *people_list;
  AdwEntryRow *name_row;
  AdwEntryRow *reading_row;
  AdwEntryRow *login_row;
  GtkButton *add_button;

  /* Owned */
  DengonStore *store;
  DengonStaffModel *staff;
  GSettings *settings;
  JsonObject *this_user;
};

G_DEFINE_FINAL_TYPE (DengonDeskDialog, dengon_desk_dialog, ADW_TYPE_WINDOW)

static void
choose (DengonDeskDialog *self, const char *id)
{
  g_settings_set_string (self->settings, "desk-staff-id", id);
  gtk_window_close (GTK_WINDOW (self));
}

/* Saves @doc unless a person with its id exists already. */
static gboolean
ensure_person (DengonDeskDialog *self, JsonObject *doc)
{
  g_autoptr (JsonObject) existing =
      dengon_store_get (self->store, dengon_json_get_string (doc, "_id"), NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = NULL;

  if (existing != NULL)
    return TRUE;

  rev = dengon_store_put (self->store, doc, &error);
  if (rev == NULL)
    {
      g_message ("Could not add %s: %s", dengon_json_get_string (doc, "_id"), error->message);
      return FALSE;
    }

  return TRUE;
}

static void
on_just_me_clicked (DengonDeskDialog *self)
{
  if (ensure_person (self, self->this_user))
    choose (self, dengon_json_get_string (self->this_user, "_id"));
}

static char *
login_of (DengonDeskDialog *self)
{
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));

  return dengon_staff_id_for_login (login);
}

static void
on_entry_changed (DengonDeskDialog *self)
{
  g_autofree char *id = login_of (self);
  g_autofree char *name =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), id != NULL && *name != '\0');
}

static void
on_add_clicked (DengonDeskDialog *self)
{
  g_autofree char *id = login_of (self);
  g_autofree char *name =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *reading =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reading_row))));
  g_autoptr (JsonObject) doc = NULL;

  if (id == NULL || *name == '\0')
    return;

  doc = dengon_staff_new (id, name, reading, NULL, DENGON_STAFF_ROLE_STAFF);
  if (ensure_person (self, doc))
    choose (self, id);
}

static void
on_person_activated (DengonDeskDialog *self, GtkListBoxRow *row)
{
  choose (self, g_object_get_data (G_OBJECT (row), "staff-id"));
}

static void
rebuild_people (DengonDeskDialog *self)
{
  GtkWidget *child;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->staff)), shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->people_list))) != NULL)
    gtk_list_box_remove (self->people_list, child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i);
      GtkWidget *row;

      if (!dengon_staff_item_get_active (item))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dengon_staff_item_get_name (item));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   dengon_staff_role_get_label (dengon_staff_item_get_role (item)));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "staff-id",
                              g_strdup (dengon_staff_item_get_id (item)), g_free);
      gtk_list_box_append (self->people_list, row);
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->people_group), shown > 0);
}

static void
dengon_desk_dialog_dispose (GObject *object)
{
  DengonDeskDialog *self = DENGON_DESK_DIALOG (object);

  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->this_user, json_object_unref);

  G_OBJECT_CLASS (dengon_desk_dialog_parent_class)->dispose (object);
}

static void
dengon_desk_dialog_class_init (DengonDeskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_desk_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-desk-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, just_me_button);
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, just_me_hint);
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, people_group);
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, people_list);
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, reading_row);
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, DengonDeskDialog, add_button);
}

static void
dengon_desk_dialog_init (DengonDeskDialog *self)
{
  g_autofree char *hint = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  self->this_user = dengon_staff_new_for_this_user ();
  /* Translators: under the "Just Me" button; %s is the person's name */
  hint = g_strdup_printf (_ ("Adds %s as the owner of this office."),
                          dengon_json_get_string (self->this_user, "name"));
  gtk_label_set_label (self->just_me_hint, hint);

  g_signal_connect_swapped (self->just_me_button, "clicked", G_CALLBACK (on_just_me_clicked), self);
  g_signal_connect_swapped (self->add_button, "clicked", G_CALLBACK (on_add_clicked), self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_entry_changed), self);
  g_signal_connect_swapped (self->login_row, "changed", G_CALLBACK (on_entry_changed), self);
  g_signal_connect_swapped (self->people_list, "row-activated", G_CALLBACK (on_person_activated),
                            self);
}

DengonDeskDialog *
dengon_desk_dialog_new (GtkWindow *parent, DengonStore *store, DengonStaffModel *staff,
                        GSettings *settings)
{
  DengonDeskDialog *self = g_object_new (DENGON_TYPE_DESK_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->staff = g_object_ref (staff);
  self->settings = g_object_ref (settings);
  g_signal_connect_swapped (staff, "items-changed", G_CALLBACK (rebuild_people), self);
  rebuild_people (self);

  return self;
}
