/* dengon-sidebar.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-memo-counts.h"
#include "dengon-staff.h"

G_BEGIN_DECLS

#define DENGON_TYPE_SIDEBAR (dengon_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (DengonSidebar, dengon_sidebar, DENGON, SIDEBAR, GtkWidget)

GtkWidget *dengon_sidebar_new (void);
void dengon_sidebar_set_models (DengonSidebar *self, DengonStaffModel *staff,
                                DengonMemoCounts *counts);
void dengon_sidebar_refresh (DengonSidebar *self);
const char *dengon_sidebar_get_filter (DengonSidebar *self);
void dengon_sidebar_set_filter (DengonSidebar *self, const char *filter);
const char *dengon_sidebar_get_filter_title (DengonSidebar *self);
const char *dengon_sidebar_get_period (DengonSidebar *self);
gboolean dengon_sidebar_build_query (const char *filter, const char *period, const char *me,
                                     GDateTime *now, DengonMemoQuery *query);

G_END_DECLS
