/* dengon-notifications-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DENGON_TYPE_NOTIFICATIONS_PAGE (dengon_notifications_page_get_type ())

G_DECLARE_FINAL_TYPE (DengonNotificationsPage, dengon_notifications_page, DENGON,
                      NOTIFICATIONS_PAGE, AdwPreferencesPage)

GtkWidget *dengon_notifications_page_new (GSettings *settings);

G_END_DECLS
