/* dengon-phone-preferences-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dengon-action-url-server.h"
#include "dengon-contact.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone-preferences-page.h"
#include "dengon-script-runner.h"
#include "dengon-ui-utils.h"

struct _DengonPhonePreferencesPage
{
  AdwPreferencesPage parent_instance;

  /* Template widgets */
  AdwEntryRow *office_name_row;
  AdwEntryRow *greeting_default_row;
  AdwEntryRow *greeting_morning_row;
  AdwEntryRow *morning_until_row;
  GtkSpinButton *dormant_spin;
  GtkSpinButton *escalation_spin;
  AdwEntryRow *quadrant_rows[4]; /* keep, develop, win back, low priority */
  GtkSwitch *enabled_switch;
  GtkSpinButton *port_spin;
  AdwActionRow *status_row;
  AdwActionRow *token_row;
  GtkButton *regenerate_button;
  AdwPreferencesGroup *examples_group;

  /* Owned */
  GPtrArray *example_rows;
  guint save_contacts_source;

  /* Unowned */
  DengonApplication *application;
};

G_DEFINE_FINAL_TYPE (DengonPhonePreferencesPage, dengon_phone_preferences_page,
                     ADW_TYPE_PREFERENCES_PAGE)

static GSettings *
get_settings (DengonPhonePreferencesPage *self)
{
  return dengon_settings_get_gsettings (dengon_application_get_settings (self->application));
}

/* ------------------------------------------------------------------ office:settings */

/* Japanese greetings live in "greetings" (with "morning_until"), English ones in "greetings_en":
 * each script speaks its own language. This page edits those of the language the scripts are
 * offered in first. */
static const char *
greetings_member (DengonPhonePreferencesPage *self)
{
  return g_str_equal (dengon_application_get_script_language (self->application), "ja")
             ? "greetings"
             : "greetings_en";
}

static void
load_office (DengonPhonePreferencesPage *self)
{
  JsonObject *office = dengon_application_get_office (self->application);
  JsonObject *greetings =
      office != NULL ? dengon_json_get_object (office, greetings_member (self)) : NULL;
  JsonObject *ja_greetings = office != NULL ? dengon_json_get_object (office, "greetings") : NULL;
  const char *name = office != NULL ? dengon_json_get_string (office, "name") : NULL;
  const char *until =
      ja_greetings != NULL ? dengon_json_get_string (ja_greetings, "morning_until") : NULL;
  const char *lang = dengon_application_get_script_language (self->application);
  g_autoptr (GDateTime) morning_time = g_date_time_new_local (2026, 1, 1, 8, 0, 0);
  g_autoptr (GDateTime) day_time = g_date_time_new_local (2026, 1, 1, 15, 0, 0);
  g_autofree char *morning = dengon_script_greeting (office, lang, morning_time);
  g_autofree char *fallback = dengon_script_greeting (office, lang, day_time);

  (void) greetings;
  gtk_editable_set_text (GTK_EDITABLE (self->office_name_row), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->greeting_default_row), fallback);
  gtk_editable_set_text (GTK_EDITABLE (self->greeting_morning_row), morning);
  gtk_editable_set_text (GTK_EDITABLE (self->morning_until_row), until != NULL ? until : "10:30");
}

static void
on_office_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = dengon_store_put_finish (DENGON_STORE (source), result, &error);

  if (rev == NULL)
    g_warning ("Could not save the office settings: %s", error->message);
}

static void
on_office_apply (DengonPhonePreferencesPage *self)
{
  DengonStore *store = dengon_application_get_store (self->application);
  JsonObject *office = dengon_application_get_office (self->application);
  g_autoptr (JsonObject) doc = NULL;
  const char *until = gtk_editable_get_text (GTK_EDITABLE (self->morning_until_row));
  g_autofree char *name = NULL;
  JsonObject *greetings;
  int h, m;

  if (store == NULL)
    return;

  if (sscanf (until, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->morning_until_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->morning_until_row), "error");

  /* Members this page does not know are kept: others add their own. */
  doc = office != NULL ? dengon_memo_copy (office) : json_object_new ();
  json_object_set_string_member (doc, "_id", "office:settings");
  json_object_set_string_member (doc, "type", "office");
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->office_name_row))));
  json_object_set_string_member (doc, "name", name);
  greetings = dengon_json_ensure_object (doc, greetings_member (self));
  json_object_set_string_member (greetings, "morning",
                                 gtk_editable_get_text (GTK_EDITABLE (self->greeting_morning_row)));
  json_object_set_string_member (greetings, "default",
                                 gtk_editable_get_text (GTK_EDITABLE (self->greeting_default_row)));
  {
    g_autofree char *normalized = g_strdup_printf ("%02d:%02d", h, m);

    json_object_set_string_member (dengon_json_ensure_object (doc, "greetings"), "morning_until",
                                   normalized);
  }

  dengon_store_put_async (store, doc, NULL, on_office_saved, NULL);
}

/* ------------------------------------------------------------------ customers and leads */

#define SAVE_CONTACTS_DELAY_MS 600

static const DengonQuadrant quadrants[] = { DENGON_QUADRANT_KEEP, DENGON_QUADRANT_DEVELOP,
                                            DENGON_QUADRANT_WIN_BACK,
                                            DENGON_QUADRANT_LOW_PRIORITY };

static void
load_contacts_settings (DengonPhonePreferencesPage *self)
{
  JsonObject *office = dengon_application_get_office (self->application);

  gtk_spin_button_set_value (self->dormant_spin, dengon_office_get_dormant_months (office));
  gtk_spin_button_set_value (self->escalation_spin, dengon_office_get_escalation_days (office));
  for (guint i = 0; i < G_N_ELEMENTS (quadrants); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->quadrant_rows[i]),
                           dengon_quadrant_get_label (quadrants[i], office));
}

/* office:settings "contacts": the periods, and a label only where it differs from the
 * translated default (an office that never named its quadrants follows each desk's language). */
static void
save_contacts_settings (DengonPhonePreferencesPage *self)
{
  DengonStore *store = dengon_application_get_store (self->application);
  JsonObject *office = dengon_application_get_office (self->application);
  g_autoptr (JsonObject) doc = NULL;
  JsonObject *contacts, *labels;

  g_clear_handle_id (&self->save_contacts_source, g_source_remove);
  if (store == NULL)
    return;

  doc = office != NULL ? dengon_memo_copy (office) : json_object_new ();
  json_object_set_string_member (doc, "_id", "office:settings");
  json_object_set_string_member (doc, "type", "office");
  contacts = dengon_json_ensure_object (doc, "contacts");
  json_object_set_int_member (contacts, "dormant_after_months",
                              gtk_spin_button_get_value_as_int (self->dormant_spin));
  json_object_set_int_member (contacts, "escalation_outcome_days",
                              gtk_spin_button_get_value_as_int (self->escalation_spin));
  labels = dengon_json_ensure_object (contacts, "quadrant_labels");
  for (guint i = 0; i < G_N_ELEMENTS (quadrants); i++)
    {
      const char *key = dengon_quadrant_to_string (quadrants[i]);
      g_autofree char *text =
          g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->quadrant_rows[i]))));
      g_autofree char *label = g_utf8_substring (
          text, 0, MIN (g_utf8_strlen (text, -1), DENGON_QUADRANT_LABEL_MAX_CHARS));

      if (json_object_has_member (labels, key))
        json_object_remove_member (labels, key);
      /* The default as it reads now, without this office's own word. */
      if (*label != '\0' && g_strcmp0 (label, dengon_quadrant_get_label (quadrants[i], NULL)) != 0)
        json_object_set_string_member (labels, key, label);
    }

  dengon_store_put_async (store, doc, NULL, on_office_saved, NULL);
}

static gboolean
on_save_contacts_timeout (gpointer user_data)
{
  DengonPhonePreferencesPage *self = user_data;

  self->save_contacts_source = 0;
  save_contacts_settings (self);
  return G_SOURCE_REMOVE;
}

/* A spin button held down changes many times a second: save once it rests. */
static void
on_contacts_period_changed (DengonPhonePreferencesPage *self)
{
  g_clear_handle_id (&self->save_contacts_source, g_source_remove);
  self->save_contacts_source =
      g_timeout_add (SAVE_CONTACTS_DELAY_MS, on_save_contacts_timeout, self);
}

/* ------------------------------------------------------------------ action URL */

static void
on_copy_clicked (GtkButton *button, const char *text)
{
  GtkWidget *widget = GTK_WIDGET (button);
  const char *value = g_object_get_data (G_OBJECT (button), "dengon-copy");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), value);
  (void) text;
}

static void
update_action_url (DengonPhonePreferencesPage *self)
{
  static const struct
  {
    const char *vendor;
    const char *title;
  } vendors[] = {
    { "yealink", N_ ("Yealink, Htek (Action URL: Incoming Call)") },
    { "grandstream", N_ ("Grandstream, Fanvil (Action URL: Incoming Call)") },
    { "snom", N_ ("snom (Action URL: Incoming Call)") },
    { "polycom", N_ ("Poly / Polycom (Telephony Notification URL)") },
  };
  g_autofree char *token = dengon_application_dup_action_url_token (self->application);
  g_auto (GStrv) addresses = dengon_action_url_get_local_addresses ();
  const char *problem = NULL;
  guint port = 0;
  gboolean listening =
      dengon_application_get_action_url_status (self->application, &port, &problem);
  gboolean enabled = g_settings_get_boolean (get_settings (self), "action-url-enabled");
  g_autofree char *status = NULL;

  if (listening)
    status = g_strdup_printf (_ ("Listening on port %u"), port);
  else if (problem != NULL)
    status = g_strdup_printf (_ ("Not listening: %s"), problem);
  else if (enabled)
    status = g_strdup (_ ("Starting…"));
  else
    status = g_strdup (_ ("Off"));
  adw_action_row_set_subtitle (self->status_row, status);

  adw_action_row_set_subtitle (self->token_row,
                               token != NULL ? token : _ ("Made when you turn this on"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->regenerate_button), token != NULL);

  for (guint i = 0; i < self->example_rows->len; i++)
    adw_preferences_group_remove (self->examples_group, g_ptr_array_index (self->example_rows, i));
  g_ptr_array_set_size (self->example_rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->examples_group), enabled && token != NULL);
  if (!enabled || token == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    {
      g_autofree char *url = dengon_action_url_example (
          vendors[i].vendor, addresses[0],
          port != 0 ? port : (guint) g_settings_get_int (get_settings (self), "action-url-port"),
          token);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (vendors[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), url);
      gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (copy, "flat");
      gtk_widget_set_tooltip_text (copy, _ ("Copy"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Copy"), -1);
      g_object_set_data_full (G_OBJECT (copy), "dengon-copy", g_strdup (url), g_free);
      g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_clicked), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
      adw_preferences_group_add (self->examples_group, row);
      g_ptr_array_add (self->example_rows, row);
    }
}

static void
on_regenerate_clicked (DengonPhonePreferencesPage *self)
{
  dengon_application_regenerate_action_url_token (self->application);
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_phone_preferences_page_dispose (GObject *object)
{
  DengonPhonePreferencesPage *self = (DengonPhonePreferencesPage *) object;

  if (self->application != NULL)
    {
      if (self->save_contacts_source != 0)
        save_contacts_settings (self);
      g_signal_handlers_disconnect_by_data (self->application, self);
      g_signal_handlers_disconnect_by_data (get_settings (self), self);
      self->application = NULL;
    }

  G_OBJECT_CLASS (dengon_phone_preferences_page_parent_class)->dispose (object);
}

static void
dengon_phone_preferences_page_finalize (GObject *object)
{
  DengonPhonePreferencesPage *self = (DengonPhonePreferencesPage *) object;

  g_clear_pointer (&self->example_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (dengon_phone_preferences_page_parent_class)->finalize (object);
}

static void
dengon_phone_preferences_page_class_init (DengonPhonePreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_phone_preferences_page_dispose;
  object_class->finalize = dengon_phone_preferences_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH
                                               "/ui/dengon-phone-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, office_name_row);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage,
                                        greeting_default_row);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage,
                                        greeting_morning_row);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage,
                                        morning_until_row);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, dormant_spin);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, escalation_spin);
  gtk_widget_class_bind_template_child_full (
      widget_class, "keep_row", FALSE,
      G_STRUCT_OFFSET (DengonPhonePreferencesPage, quadrant_rows[0]));
  gtk_widget_class_bind_template_child_full (
      widget_class, "develop_row", FALSE,
      G_STRUCT_OFFSET (DengonPhonePreferencesPage, quadrant_rows[1]));
  gtk_widget_class_bind_template_child_full (
      widget_class, "win_back_row", FALSE,
      G_STRUCT_OFFSET (DengonPhonePreferencesPage, quadrant_rows[2]));
  gtk_widget_class_bind_template_child_full (
      widget_class, "low_priority_row", FALSE,
      G_STRUCT_OFFSET (DengonPhonePreferencesPage, quadrant_rows[3]));
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage,
                                        regenerate_button);
  gtk_widget_class_bind_template_child (widget_class, DengonPhonePreferencesPage, examples_group);
}

static void
dengon_phone_preferences_page_init (DengonPhonePreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  dengon_ui_fix_accessible_names (GTK_WIDGET (self));
  self->example_rows = g_ptr_array_new ();
}

DengonPhonePreferencesPage *
dengon_phone_preferences_page_new (DengonApplication *application)
{
  DengonPhonePreferencesPage *self;
  GSettings *settings;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  self = g_object_new (DENGON_TYPE_PHONE_PREFERENCES_PAGE, NULL);
  self->application = application;
  settings = get_settings (self);

  load_office (self);
  load_contacts_settings (self);

  g_settings_bind (settings, "action-url-enabled", self->enabled_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "action-url-port", self->port_spin, "value", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_swapped (self->office_name_row, "apply", G_CALLBACK (on_office_apply), self);
  g_signal_connect_swapped (self->greeting_default_row, "apply", G_CALLBACK (on_office_apply),
                            self);
  g_signal_connect_swapped (self->greeting_morning_row, "apply", G_CALLBACK (on_office_apply),
                            self);
  g_signal_connect_swapped (self->morning_until_row, "apply", G_CALLBACK (on_office_apply), self);
  g_signal_connect_swapped (self->dormant_spin, "value-changed",
                            G_CALLBACK (on_contacts_period_changed), self);
  g_signal_connect_swapped (self->escalation_spin, "value-changed",
                            G_CALLBACK (on_contacts_period_changed), self);
  for (guint i = 0; i < G_N_ELEMENTS (quadrants); i++)
    g_signal_connect_swapped (self->quadrant_rows[i], "apply", G_CALLBACK (save_contacts_settings),
                              self);
  g_signal_connect_swapped (self->regenerate_button, "clicked", G_CALLBACK (on_regenerate_clicked),
                            self);
  g_signal_connect_swapped (application, "action-url-changed", G_CALLBACK (update_action_url),
                            self);
  g_signal_connect_swapped (settings, "changed::action-url-enabled", G_CALLBACK (update_action_url),
                            self);

  update_action_url (self);

  return self;
}
