/* dengon-call-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-call-enums.h"
#include "dengon-call-window.h"
#include "dengon-phone.h"
#include "dengon-ui-utils.h"

struct _DengonCallWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  AdwTabBar *tab_bar;
  AdwTabView *tab_view;

  /* Unowned */
  DengonApplication *application;
};

G_DEFINE_FINAL_TYPE (DengonCallWindow, dengon_call_window, ADW_TYPE_APPLICATION_WINDOW)

static void dengon_call_window_put_away (DengonCallWindow *self);

static AdwTabPage *
find_page (DengonCallWindow *self, DengonCall *call)
{
  int n = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      DengonCallPanel *panel = DENGON_CALL_PANEL (adw_tab_page_get_child (page));

      if (dengon_call_panel_get_call (panel) == call)
        return page;
    }

  return NULL;
}

static char *
call_title (DengonCall *call)
{
  const char *number = dengon_call_get_number (call);
  g_autoptr (DengonPhoneNumber) parsed = NULL;

  if (number == NULL)
    return g_strdup (dengon_call_get_display_name (call) != NULL
                         ? dengon_call_get_display_name (call)
                         : _ ("No Caller ID"));

  parsed = dengon_phone_number_parse (number, NULL, NULL);

  return g_strdup (parsed != NULL ? parsed->display : number);
}

static void
update_titles (DengonCallWindow *self)
{
  int n = adw_tab_view_get_n_pages (self->tab_view);
  AdwTabPage *selected = adw_tab_view_get_selected_page (self->tab_view);

  for (int i = 0; i < n; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      DengonCall *call =
          dengon_call_panel_get_call (DENGON_CALL_PANEL (adw_tab_page_get_child (page)));
      g_autofree char *title = call_title (call);
      g_autoptr (GIcon) icon = g_themed_icon_new (
          dengon_call_get_direction (call) == DENGON_CALL_DIRECTION_OUT ? "call-outgoing-symbolic"
                                                                        : "call-incoming-symbolic");

      adw_tab_page_set_title (page, title);
      adw_tab_page_set_icon (page, icon);
      if (page == selected)
        adw_tab_page_set_needs_attention (page, FALSE);
    }

  if (selected != NULL)
    {
      DengonCall *call =
          dengon_call_panel_get_call (DENGON_CALL_PANEL (adw_tab_page_get_child (selected)));
      g_autofree char *title = call_title (call);
      g_autofree char *subtitle = NULL;

      adw_window_title_set_subtitle (self->window_title, title);
      if (n > 1)
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d Call", "%d Calls", n), n);
      adw_window_title_set_title (self->window_title, subtitle != NULL ? subtitle : _ ("Call"));
    }
}

static void
on_call_number_changed (DengonCallWindow *self)
{
  update_titles (self);
}

static void
on_selected_page (DengonCallWindow *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  update_titles (self);
  if (page != NULL)
    dengon_call_panel_focus (DENGON_CALL_PANEL (adw_tab_page_get_child (page)));
}

static gboolean
on_close_page (AdwTabView *view, AdwTabPage *page, DengonCallWindow *self)
{
  DengonCallPanel *panel = DENGON_CALL_PANEL (adw_tab_page_get_child (page));
  DengonCall *call = dengon_call_panel_get_call (panel);

  /* Ended calls leave; a tab's close button asks first, like Escape. */
  if (dengon_call_get_state (call) == DENGON_CALL_STATE_ENDED)
    {
      adw_tab_view_close_page_finish (view, page, TRUE);
      return GDK_EVENT_STOP;
    }

  adw_tab_view_close_page_finish (view, page, FALSE);
  dengon_call_panel_request_discard (panel, FALSE);

  return GDK_EVENT_STOP;
}

static void
on_call_removed (DengonCallManager *manager, DengonCall *call, DengonCallWindow *self)
{
  AdwTabPage *page = find_page (self, call);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);

  if (adw_tab_view_get_n_pages (self->tab_view) == 0)
    dengon_call_window_put_away (self);
  else
    update_titles (self);
}

/* Hidden, and kept for the next ring: showing a window again is much faster than making one.
 * When it is the application's last window, it goes, so Dengon can quit. */
static void
dengon_call_window_put_away (DengonCallWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GList *windows = app != NULL ? gtk_application_get_windows (app) : NULL;

  if (windows == NULL || (windows->data == self && windows->next == NULL))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static gboolean
dengon_call_window_close_request (GtkWindow *window)
{
  DengonCallWindow *self = DENGON_CALL_WINDOW (window);
  int n = adw_tab_view_get_n_pages (self->tab_view);

  /* Nothing is lost by closing: what was typed stays as a draft (offered again at the next
   * start). Calls nobody started on are simply dismissed. */
  for (int i = n - 1; i >= 0; i--)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      DengonCallPanel *panel = DENGON_CALL_PANEL (adw_tab_page_get_child (page));

      if (!dengon_call_panel_has_input (panel))
        dengon_call_panel_request_discard (panel, FALSE);
    }

  /* Calls with typed answers stay, in their tabs and their drafts; the window comes back with
   * them at the next ring or "Incoming Call". */
  dengon_call_window_put_away (self);

  return GDK_EVENT_STOP;
}

static void
dengon_call_window_dispose (GObject *object)
{
  DengonCallWindow *self = DENGON_CALL_WINDOW (object);

  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (dengon_application_get_call_manager (self->application),
                                          self);

  G_OBJECT_CLASS (dengon_call_window_parent_class)->dispose (object);
}

static void
dengon_call_window_class_init (DengonCallWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dengon_call_window_dispose;
  window_class->close_request = dengon_call_window_close_request;

  g_type_ensure (DENGON_TYPE_CALL_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-call-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonCallWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DengonCallWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, DengonCallWindow, tab_view);
}

static void
dengon_call_window_init (DengonCallWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->tab_view, "close-page", G_CALLBACK (on_close_page), self);
  g_signal_connect_swapped (self->tab_view, "notify::selected-page", G_CALLBACK (on_selected_page),
                            self);
}

DengonCallWindow *
dengon_call_window_new (DengonApplication *application)
{
  DengonCallWindow *self;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  self = g_object_new (DENGON_TYPE_CALL_WINDOW, "application", application, NULL);
  self->application = application;
  g_signal_connect_object (dengon_application_get_call_manager (application), "call-removed",
                           G_CALLBACK (on_call_removed), self, 0);

  return self;
}

DengonCallPanel *
dengon_call_window_get_panel (DengonCallWindow *self, DengonCall *call)
{
  AdwTabPage *page;

  g_return_val_if_fail (DENGON_IS_CALL_WINDOW (self), NULL);

  page = find_page (self, call);

  return page != NULL ? DENGON_CALL_PANEL (adw_tab_page_get_child (page)) : NULL;
}

DengonCallPanel *
dengon_call_window_add_call (DengonCallWindow *self, DengonCall *call)
{
  AdwTabPage *selected;
  AdwTabPage *page;
  DengonCallPanel *panel;
  gboolean busy;

  g_return_val_if_fail (DENGON_IS_CALL_WINDOW (self), NULL);
  g_return_val_if_fail (DENGON_IS_CALL (call), NULL);

  panel = dengon_call_window_get_panel (self, call);
  if (panel != NULL)
    return panel;

  /* Somebody typing on the first line keeps their place: the new line waits in its tab. */
  selected = adw_tab_view_get_selected_page (self->tab_view);
  busy = selected != NULL &&
         dengon_call_panel_has_input (DENGON_CALL_PANEL (adw_tab_page_get_child (selected)));

  panel = dengon_call_panel_new (self->application, call);
  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (panel));
  g_signal_connect_object (call, "notify::number", G_CALLBACK (on_call_number_changed), self,
                           G_CONNECT_SWAPPED);

  if (busy)
    adw_tab_page_set_needs_attention (page, TRUE);
  else
    adw_tab_view_set_selected_page (self->tab_view, page);

  update_titles (self);

  return panel;
}
