/* dengon-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-ui-utils.h"
#include "dengon-window.h"

struct _DengonWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwHeaderBar *header_bar;
  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  AdwStatusPage *empty_page;
  GtkButton *incoming_call_button;
};

G_DEFINE_FINAL_TYPE (DengonWindow, dengon_window, ADW_TYPE_APPLICATION_WINDOW)

static GSettings *
dengon_window_get_gsettings (DengonWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return dengon_settings_get_gsettings (dengon_application_get_settings (DENGON_APPLICATION (app)));
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
dengon_window_class_init (DengonWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = dengon_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/dengon-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DengonWindow, incoming_call_button);
}

static void
dengon_window_init (DengonWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_button_fix_accessible_name (self->incoming_call_button);
}

DengonWindow *
dengon_window_new (DengonApplication *application)
{
  DengonWindow *self;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  self = g_object_new (DENGON_TYPE_WINDOW, "application", application, NULL);
  dengon_window_restore_state (self);

  return self;
}

void
dengon_window_add_toast (DengonWindow *self, AdwToast *toast)
{
  g_return_if_fail (DENGON_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
