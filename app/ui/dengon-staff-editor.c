/* dengon-staff-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-staff-edit.h"
#include "dengon-staff-editor.h"
#include "dengon-ui-utils.h"

/* Adds a person, or changes one.  The short ID is chosen once: memos and
 * the roster refer to "staff:<id>".  Nobody is deleted; people who leave
 * are made inactive. */
struct _DengonStaffEditor
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton *save_button;
  AdwEntryRow *name_row;
  AdwEntryRow *reading_row;
  AdwEntryRow *login_row;
  AdwActionRow *id_row;
  AdwEntryRow *extension_row;
  AdwComboRow *role_row;
  AdwActionRow *active_row;
  GtkSwitch *active_switch;
  GtkLabel *error_label;

  /* Owned */
  DengonStore *store;
  DengonStaffModel *staff;
  JsonObject *original; /* NULL when adding */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (DengonStaffEditor, dengon_staff_editor, ADW_TYPE_WINDOW)

/* The role choices, in the order the combo row lists them. */
static const DengonStaffRole roles[] = {
  DENGON_STAFF_ROLE_OWNER,
  DENGON_STAFF_ROLE_STAFF,
  DENGON_STAFF_ROLE_FIELD_SALES,
};

/* Longest login dengon_staff_id_for_login() keeps whole. */
#define MAX_LOGIN_CHARS (64 - 6)

static char *
text_of (AdwEntryRow *row, gboolean normalize)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  char *copy;

  /* Full-width digits and letters, as an input method may type them. */
  copy = normalize ? g_utf8_normalize (text, -1, G_NORMALIZE_NFKC) : g_strdup (text);

  return g_strstrip (copy != NULL ? copy : g_strdup (""));
}

static void
clear_errors (DengonStaffEditor *self)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->name_row), GTK_WIDGET (self->reading_row),
                        GTK_WIDGET (self->login_row), GTK_WIDGET (self->extension_row) };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* Says what is wrong, under the fields, and marks the field. */
static void
show_error (DengonStaffEditor *self, GtkWidget *row, const char *message)
{
  clear_errors (self);
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }
  gtk_widget_error_bell (GTK_WIDGET (self));
}

/* The id for the short ID typed; NULL (and the error shown) when it will
 * not do. */
static char *
check_login (DengonStaffEditor *self)
{
  g_autofree char *login = text_of (self->login_row, TRUE);
  g_autofree char *lower = g_ascii_strdown (login, -1);
  g_autofree char *id = dengon_staff_id_for_login (login);
  DengonStaffItem *existing;

  if (*login == '\0')
    {
      show_error (self, GTK_WIDGET (self->login_row),
                  _ ("Enter a short ID in letters and digits, like “yamada”. It cannot be "
                     "changed later."));
      return NULL;
    }
  for (const char *p = lower; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
        {
          show_error (self, GTK_WIDGET (self->login_row),
                      _ ("Use only letters a–z, digits, “.”, “_” or “-” in the short ID."));
          return NULL;
        }
    }
  if (id == NULL || strlen (lower) > MAX_LOGIN_CHARS)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The short ID can have at most %d characters."), MAX_LOGIN_CHARS);

      show_error (self, GTK_WIDGET (self->login_row), message);
      return NULL;
    }

  existing = dengon_staff_model_lookup (self->staff, id);
  if (existing != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a short ID, %s the person who has it */
      message = g_strdup_printf (_ ("“%s” is already the short ID of %s. Choose another one."),
                                 lower, dengon_staff_item_get_name (existing));
      show_error (self, GTK_WIDGET (self->login_row), message);
      return NULL;
    }

  return g_steal_pointer (&id);
}

/* dengon_staff_validate() names the field first: "name: ..." */
static void
show_validation_error (DengonStaffEditor *self, const GError *error)
{
  if (g_str_has_prefix (error->message, "name:"))
    show_error (self, GTK_WIDGET (self->name_row), _ ("Enter a name of at most 100 characters."));
  else if (g_str_has_prefix (error->message, "reading:"))
    show_error (self, GTK_WIDGET (self->reading_row),
                _ ("The reading can have at most 100 characters."));
  else if (g_str_has_prefix (error->message, "extension:"))
    show_error (self, GTK_WIDGET (self->extension_row),
                _ ("The extension can have at most 20 characters."));
  else if (g_str_has_prefix (error->message, "_id:"))
    show_error (self, GTK_WIDGET (self->login_row),
                _ ("Enter a short ID in letters and digits, like “yamada”."));
  else
    show_error (self, NULL, error->message);
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonStaffEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) saved = NULL;

  saved = dengon_staff_edit_save_finish (DENGON_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);

  if (saved != NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, DENGON_STAFF_ERROR, DENGON_STAFF_ERROR_EXISTS))
    show_error (self, GTK_WIDGET (self->login_row),
                _ ("Someone was just added with this short ID on another desk. Choose another "
                   "one."));
  else if (g_error_matches (error, DENGON_STAFF_ERROR, DENGON_STAFF_ERROR_INVALID))
    show_validation_error (self, error);
  else
    {
      g_autofree char *message = NULL;

      g_warning ("Could not save a person: %s", error->message);
      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_ ("The changes could not be saved: %s"), error->message);
      show_error (self, NULL, message);
    }
}

static void
on_save_clicked (DengonStaffEditor *self)
{
  g_autofree char *name = text_of (self->name_row, FALSE);
  g_autofree char *reading = text_of (self->reading_row, FALSE);
  g_autofree char *extension = text_of (self->extension_row, TRUE);
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) edited = NULL;
  g_autoptr (GError) error = NULL;
  guint role = adw_combo_row_get_selected (self->role_row);

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  clear_errors (self);
  if (*name == '\0')
    {
      show_error (self, GTK_WIDGET (self->name_row), _ ("Enter the person’s name."));
      return;
    }

  if (self->original != NULL)
    id = g_strdup (dengon_json_get_string (self->original, "_id"));
  else if ((id = check_login (self)) == NULL)
    return;

  edited =
      dengon_staff_new (id, name, reading, extension, roles[MIN (role, G_N_ELEMENTS (roles) - 1)]);
  json_object_set_boolean_member (edited, "active", gtk_switch_get_active (self->active_switch));
  if (!dengon_staff_validate (edited, &error))
    {
      show_validation_error (self, error);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  dengon_staff_edit_save_async (self->store, self->original, edited, self->cancellable, on_saved,
                                g_object_ref (self));
}

static void
fill (DengonStaffEditor *self, DengonStaffItem *person)
{
  DengonStaffRole role =
      person != NULL ? dengon_staff_item_get_role (person) : DENGON_STAFF_ROLE_STAFF;
  const char *id;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (roles[i] == role)
      adw_combo_row_set_selected (self->role_row, i);

  if (person == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _ ("Add Person"));
      adw_window_title_set_title (self->window_title, _ ("Add Person"));
      gtk_button_set_label (self->save_button, _ ("_Add"));
      /* The button's accessible name follows its new label. */
      dengon_ui_fix_accessible_names (GTK_WIDGET (self));
      gtk_widget_set_visible (GTK_WIDGET (self->id_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->active_row), FALSE);
      return;
    }

  self->original = json_object_ref (dengon_staff_item_get_doc (person));
  id = dengon_staff_item_get_id (person);

  gtk_window_set_title (GTK_WINDOW (self), dengon_staff_item_get_name (person));
  adw_window_title_set_title (self->window_title, dengon_staff_item_get_name (person));
  gtk_widget_set_visible (GTK_WIDGET (self->login_row), FALSE);
  adw_action_row_set_subtitle (self->id_row, id + strlen ("staff:"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         dengon_json_get_string (self->original, "name") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->reading_row),
                         dengon_staff_item_get_reading (person) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->extension_row),
                         dengon_staff_item_get_extension (person) ?: "");
  gtk_switch_set_active (self->active_switch, dengon_staff_item_get_active (person));
}

/* The name first.  Only once shown: focusing a window's child before that
 * leaves GTK 4.8's accessible window without its role. */
static void
dengon_staff_editor_map (GtkWidget *widget)
{
  DengonStaffEditor *self = DENGON_STAFF_EDITOR (widget);

  GTK_WIDGET_CLASS (dengon_staff_editor_parent_class)->map (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
dengon_staff_editor_dispose (GObject *object)
{
  DengonStaffEditor *self = DENGON_STAFF_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dengon_staff_editor_parent_class)->dispose (object);
}

static void
dengon_staff_editor_finalize (GObject *object)
{
  DengonStaffEditor *self = DENGON_STAFF_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->original, json_object_unref);

  G_OBJECT_CLASS (dengon_staff_editor_parent_class)->finalize (object);
}

static void
dengon_staff_editor_class_init (DengonStaffEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_staff_editor_dispose;
  object_class->finalize = dengon_staff_editor_finalize;
  widget_class->map = dengon_staff_editor_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-staff-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, reading_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, login_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, id_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, extension_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, role_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, active_row);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, active_switch);
  gtk_widget_class_bind_template_child (widget_class, DengonStaffEditor, error_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dengon_staff_editor_init (DengonStaffEditor *self)
{
  g_autoptr (GtkStringList) role_names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    gtk_string_list_append (role_names, dengon_staff_role_get_label (roles[i]));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (role_names));

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked), self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (clear_errors), self);
  g_signal_connect_swapped (self->reading_row, "changed", G_CALLBACK (clear_errors), self);
  g_signal_connect_swapped (self->login_row, "changed", G_CALLBACK (clear_errors), self);
  g_signal_connect_swapped (self->extension_row, "changed", G_CALLBACK (clear_errors), self);
}

/* @person: NULL to add someone. */
DengonStaffEditor *
dengon_staff_editor_new (GtkWindow *parent, DengonStore *store, DengonStaffModel *staff,
                         DengonStaffItem *person)
{
  DengonStaffEditor *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (DENGON_IS_STAFF_MODEL (staff), NULL);
  g_return_val_if_fail (person == NULL || DENGON_IS_STAFF_ITEM (person), NULL);

  self = g_object_new (DENGON_TYPE_STAFF_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->staff = g_object_ref (staff);
  fill (self, person);

  return self;
}
