/* dengon-charts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <pango/pangocairo.h>

#include "dengon-report.h"

G_BEGIN_DECLS

/* The review's pictures, drawn with cairo and Pango: the same painters draw
 * the widgets (through GtkSnapshot) and the printed/PDF report. */

typedef struct
{
  GdkRGBA fg;        /* text */
  GdkRGBA accent;    /* calls, open memos */
  GdkRGBA on_accent; /* text on a full accent cell */
  GdkRGBA success;   /* done */
  GdkRGBA error;     /* overdue */
} DengonChartColors;

/* The app's colours from @widget's style (light or dark). */
void dengon_chart_colors_from_widget (DengonChartColors *colors, GtkWidget *widget);
/* libadwaita's light palette, for paper. */
void dengon_chart_colors_for_print (DengonChartColors *colors);

/* ------------------------------------------------------------------ heat map */

#define DENGON_HEAT_MAX_ROWS 16

typedef struct
{
  guint n_rows;
  char *labels[DENGON_HEAT_MAX_ROWS];      /* short, for the picture */
  char *long_labels[DENGON_HEAT_MAX_ROWS]; /* for tooltips and screen readers */
  guint counts[DENGON_HEAT_MAX_ROWS][24];
  guint first_hour;
  guint last_hour;
  guint max;
  guint total;
  gboolean by_category;
} DengonHeatGrid;

typedef struct
{
  double x0, y0; /* the first cell's top left */
  double cell_w, cell_h;
  double label_w;  /* the row labels' column */
  double header_h; /* the hours' row */
  guint n_hours;
} DengonHeatGeometry;

void dengon_heat_grid_init (DengonHeatGrid *grid, DengonReport *report, gboolean by_category);
void dengon_heat_grid_clear (DengonHeatGrid *grid);
void dengon_heat_geometry (const DengonHeatGrid *grid, PangoLayout *layout, double width,
                           double height, DengonHeatGeometry *geometry);
double dengon_heat_natural_height (const DengonHeatGrid *grid, PangoLayout *layout, double cell_h);
gboolean dengon_heat_cell_at (const DengonHeatGrid *grid, const DengonHeatGeometry *geometry,
                              double x, double y, guint *row, guint *hour);
void dengon_heat_draw (cairo_t *cr, PangoLayout *layout, const DengonHeatGrid *grid,
                       const DengonHeatGeometry *geometry, const DengonChartColors *colors,
                       gboolean show_counts);
/* "Friday 10:00–11:00: 3 calls" */
char *dengon_heat_cell_text (const DengonHeatGrid *grid, guint row, guint hour);
/* The picture as words, for screen readers. */
char *dengon_heat_describe (const DengonHeatGrid *grid);

/* ------------------------------------------------------------------ bars */

typedef enum
{
  DENGON_BAR_ACCENT,
  DENGON_BAR_SUCCESS,
  DENGON_BAR_ERROR,
} DengonBarColor;

#define DENGON_BAR_MAX_SERIES 3

typedef struct
{
  char *label;
  guint values[DENGON_BAR_MAX_SERIES]; /* stacked left to right */
  char *text;                          /* after the bar ("3 open · 5 done") */
  char *tooltip;                       /* the exact figures in a sentence */
} DengonBar;

typedef struct
{
  GPtrArray *bars; /* DengonBar */
  guint n_series;
  DengonBarColor colors[DENGON_BAR_MAX_SERIES];
} DengonBarSet;

DengonBarSet *dengon_bar_set_new (guint n_series, const DengonBarColor *colors);
void dengon_bar_set_free (DengonBarSet *set);
/* Takes @text and @tooltip. */
void dengon_bar_set_add (DengonBarSet *set, const char *label, const guint *values, char *text,
                         char *tooltip);
DengonBarSet *dengon_bar_set_for_categories (DengonReport *report);
DengonBarSet *dengon_bar_set_for_people (DengonReport *report);
DengonBarSet *dengon_bar_set_for_segments (DengonReport *report);
char *dengon_bar_set_describe (const DengonBarSet *set);

double dengon_bars_natural_height (const DengonBarSet *set, double row_h);
/* The bar under @y, or -1. */
int dengon_bars_index_at (const DengonBarSet *set, double row_h, double y);
void dengon_bars_draw (cairo_t *cr, PangoLayout *layout, const DengonBarSet *set,
                       const DengonChartColors *colors, double width, double row_h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonBarSet, dengon_bar_set_free)

/* ------------------------------------------------------------------ figures as words */

/* "42 min", "3 h 10 min", "2 days 4 h"; "—" for a negative time. */
char *dengon_chart_format_duration (gint64 ms);
/* "Friday, November 20, 2026" or "November 16 – 22, 2026" */
char *dengon_chart_format_range (DengonReport *report);

G_END_DECLS
