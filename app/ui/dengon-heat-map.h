/* dengon-heat-map.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dengon-report.h"

G_BEGIN_DECLS

#define DENGON_TYPE_HEAT_MAP (dengon_heat_map_get_type ())

G_DECLARE_FINAL_TYPE (DengonHeatMap, dengon_heat_map, DENGON, HEAT_MAP, GtkWidget)

GtkWidget *dengon_heat_map_new (void);
void dengon_heat_map_set_report (DengonHeatMap *self, DengonReport *report);
gboolean dengon_heat_map_get_by_category (DengonHeatMap *self);
void dengon_heat_map_set_by_category (DengonHeatMap *self, gboolean by_category);
/* Whether a frame has shown the figures of the report that was set last. */
gboolean dengon_heat_map_get_painted (DengonHeatMap *self);

G_END_DECLS
