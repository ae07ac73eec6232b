/* dengon-sync-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-application.h"
#include "dengon-preferences-window.h"
#include "dengon-sync-indicator.h"
#include "dengon-ui-utils.h"

struct _DengonSyncIndicator
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkButton *button;
  GtkImage *icon;
  GtkLabel *label;

  /* Owned */
  DengonSyncManager *manager;
};

enum
{
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DengonSyncIndicator, dengon_sync_indicator, GTK_TYPE_WIDGET)

static const char *const state_classes[] = { "sync-ok", "sync-busy", "sync-offline", "sync-error",
                                             NULL };

static void
update (DengonSyncIndicator *self)
{
  g_autofree char *accessible = NULL;
  const char *icon = "emblem-ok-symbolic";
  const char *css = "sync-ok";
  const char *label;
  DengonSyncStatus status;

  if (self->manager == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  status = dengon_sync_manager_get_status (self->manager);
  label = dengon_sync_manager_get_status_label (self->manager);

  switch (status)
    {
      case DENGON_SYNC_STATUS_HUB:
        icon = "network-server-symbolic";
        break;
      case DENGON_SYNC_STATUS_CONNECTING:
      case DENGON_SYNC_STATUS_SYNCING:
        icon = "emblem-synchronizing-symbolic";
        css = "sync-busy";
        break;
      case DENGON_SYNC_STATUS_OFFLINE:
        icon = "network-offline-symbolic";
        css = "sync-offline";
        break;
      case DENGON_SYNC_STATUS_ERROR:
        icon = "dialog-warning-symbolic";
        css = "sync-error";
        break;
      case DENGON_SYNC_STATUS_SYNCED:
      case DENGON_SYNC_STATUS_OFF:
      default:
        break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self), status != DENGON_SYNC_STATUS_OFF);
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_label (self->label, label);
  for (guint i = 0; state_classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), state_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->button), css);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                               dengon_sync_manager_get_detail (self->manager));

  /* Translators: the header-bar button that says how sync is going, e.g. "Sync: Offline" */
  accessible = g_strdup_printf (_ ("Sync: %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  dengon_sync_manager_get_detail (self->manager), -1);
}

static void
on_button_clicked (DengonSyncIndicator *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app =
      GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  DengonPreferencesWindow *preferences;

  if (!DENGON_IS_APPLICATION (app))
    return;

  preferences = dengon_preferences_window_new (DENGON_APPLICATION (app));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (root));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "sync");
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
dengon_sync_indicator_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  DengonSyncIndicator *self = DENGON_SYNC_INDICATOR (object);

  switch (prop_id)
    {
      case PROP_MANAGER:
        g_value_set_object (value, self->manager);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_sync_indicator_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  DengonSyncIndicator *self = DENGON_SYNC_INDICATOR (object);

  switch (prop_id)
    {
      case PROP_MANAGER:
        dengon_sync_indicator_set_manager (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_sync_indicator_dispose (GObject *object)
{
  DengonSyncIndicator *self = (DengonSyncIndicator *) object;

  dengon_sync_indicator_set_manager (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_SYNC_INDICATOR);
  dengon_ui_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (dengon_sync_indicator_parent_class)->dispose (object);
}

static void
dengon_sync_indicator_class_init (DengonSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = dengon_sync_indicator_get_property;
  object_class->set_property = dengon_sync_indicator_set_property;
  object_class->dispose = dengon_sync_indicator_dispose;

  properties[PROP_MANAGER] =
      g_param_spec_object ("manager", NULL, NULL, DENGON_TYPE_SYNC_MANAGER,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncIndicator, label);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dengon_sync_indicator_init (DengonSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DengonSyncManager *
dengon_sync_indicator_get_manager (DengonSyncIndicator *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_INDICATOR (self), NULL);

  return self->manager;
}

void
dengon_sync_indicator_set_manager (DengonSyncIndicator *self, DengonSyncManager *manager)
{
  g_return_if_fail (DENGON_IS_SYNC_INDICATOR (self));
  g_return_if_fail (manager == NULL || DENGON_IS_SYNC_MANAGER (manager));

  if (self->manager == manager)
    return;

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_set_object (&self->manager, manager);
  if (manager != NULL)
    {
      g_signal_connect_object (manager, "notify::status-label", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (manager, "notify::status", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (manager, "notify::detail", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
}
