/* dengon-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-notifications-page.h"
#include "dengon-phone-preferences-page.h"
#include "dengon-preferences-window.h"
#include "dengon-sync-page.h"
#include "dengon-staff-page.h"
#include "dengon-ui-utils.h"

struct _DengonPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template widgets */
  AdwActionRow *data_dir_row;

  /* Unowned */
  DengonApplication *application;
};

enum
{
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (DengonPreferencesWindow, dengon_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
dengon_preferences_window_constructed (GObject *object)
{
  DengonPreferencesWindow *self = DENGON_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (dengon_preferences_window_parent_class)->constructed (object);

  adw_action_row_set_subtitle (self->data_dir_row,
                               dengon_application_get_data_dir (self->application));

  /* After General: who works here, how they hear of their messages, the phone, the office's
   * other desks. */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (dengon_staff_page_new (self->application)));
  adw_preferences_window_add (
      ADW_PREFERENCES_WINDOW (self),
      ADW_PREFERENCES_PAGE (dengon_notifications_page_new (
          dengon_settings_get_gsettings (dengon_application_get_settings (self->application)))));
  adw_preferences_window_add (
      ADW_PREFERENCES_WINDOW (self),
      ADW_PREFERENCES_PAGE (dengon_phone_preferences_page_new (self->application)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (dengon_sync_page_new (self->application)));
}

static void
dengon_preferences_window_set_property (GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec)
{
  DengonPreferencesWindow *self = DENGON_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
      case PROP_APPLICATION:
        self->application = g_value_get_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_preferences_window_class_init (DengonPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dengon_preferences_window_constructed;
  object_class->set_property = dengon_preferences_window_set_property;

  properties[PROP_APPLICATION] =
      g_param_spec_object ("dengon-application", NULL, NULL, DENGON_TYPE_APPLICATION,
                           G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonPreferencesWindow, data_dir_row);
}

static void
dengon_preferences_window_init (DengonPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));
}

DengonPreferencesWindow *
dengon_preferences_window_new (DengonApplication *application)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  return g_object_new (DENGON_TYPE_PREFERENCES_WINDOW, "dengon-application", application, NULL);
}
