/* dengon-bar-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dengon-charts.h"

G_BEGIN_DECLS

#define DENGON_TYPE_BAR_CHART (dengon_bar_chart_get_type ())

G_DECLARE_FINAL_TYPE (DengonBarChart, dengon_bar_chart, DENGON, BAR_CHART, GtkWidget)

GtkWidget *dengon_bar_chart_new (void);
/* Takes @bars. */
void dengon_bar_chart_set_bars (DengonBarChart *self, DengonBarSet *bars);

G_END_DECLS
