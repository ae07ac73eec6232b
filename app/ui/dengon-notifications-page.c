/* dengon-notifications-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dengon-notifications-page.h"
#include "dengon-ui-utils.h"

/* Preferences → Notifications: on or off, sound, reminder lead time, quiet
 * hours, and running in the background. */
struct _DengonNotificationsPage
{
  AdwPreferencesPage parent_instance;

  /* Template widgets */
  GtkSwitch *enabled_switch;
  GtkSwitch *sound_switch;
  GtkSpinButton *lead_spin;
  GtkSwitch *dnd_switch;
  AdwEntryRow *dnd_from_row;
  AdwEntryRow *dnd_to_row;
  GtkSwitch *background_switch;

  /* Owned */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (DengonNotificationsPage, dengon_notifications_page, ADW_TYPE_PREFERENCES_PAGE)

/* "7:05" or "07:05" → "07:05"; NULL when it is not a time of day. */
static char *
parse_time (const char *text)
{
  int h, m;
  char rest;

  if (text == NULL || sscanf (text, "%d:%d%c", &h, &m, &rest) != 2 || h < 0 || h > 23 || m < 0 ||
      m > 59)
    return NULL;

  return g_strdup_printf ("%02d:%02d", h, m);
}

static void
on_time_applied (AdwEntryRow *row, DengonNotificationsPage *self)
{
  const char *key = row == self->dnd_from_row ? "dnd-from" : "dnd-to";
  g_autofree char *time = parse_time (gtk_editable_get_text (GTK_EDITABLE (row)));

  if (time == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  g_settings_set_string (self->settings, key, time);
  gtk_editable_set_text (GTK_EDITABLE (row), time);
}

static void
dengon_notifications_page_dispose (GObject *object)
{
  DengonNotificationsPage *self = DENGON_NOTIFICATIONS_PAGE (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dengon_notifications_page_parent_class)->dispose (object);
}

static void
dengon_notifications_page_class_init (DengonNotificationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_notifications_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-notifications-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonNotificationsPage, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, DengonNotificationsPage, sound_switch);
  gtk_widget_class_bind_template_child (widget_class, DengonNotificationsPage, lead_spin);
  gtk_widget_class_bind_template_child (widget_class, DengonNotificationsPage, dnd_switch);
  gtk_widget_class_bind_template_child (widget_class, DengonNotificationsPage, dnd_from_row);
  gtk_widget_class_bind_template_child (widget_class, DengonNotificationsPage, dnd_to_row);
  gtk_widget_class_bind_template_child (widget_class, DengonNotificationsPage, background_switch);
}

static void
dengon_notifications_page_init (DengonNotificationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));
}

GtkWidget *
dengon_notifications_page_new (GSettings *settings)
{
  DengonNotificationsPage *self = g_object_new (DENGON_TYPE_NOTIFICATIONS_PAGE, NULL);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "notifications-enabled", self->enabled_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notification-sound", self->sound_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "reminder-lead-minutes", self->lead_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "dnd-enabled", self->dnd_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "dnd-enabled", self->dnd_from_row, "sensitive", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "dnd-enabled", self->dnd_to_row, "sensitive", G_SETTINGS_BIND_GET);

  from = g_settings_get_string (settings, "dnd-from");
  to = g_settings_get_string (settings, "dnd-to");
  gtk_editable_set_text (GTK_EDITABLE (self->dnd_from_row), from);
  gtk_editable_set_text (GTK_EDITABLE (self->dnd_to_row), to);
  g_signal_connect (self->dnd_from_row, "apply", G_CALLBACK (on_time_applied), self);
  g_signal_connect (self->dnd_to_row, "apply", G_CALLBACK (on_time_applied), self);

  return GTK_WIDGET (self);
}
