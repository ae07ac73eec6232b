/* dengon-bar-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-bar-chart.h"

#define ROW_HEIGHT 30

/* Horizontal bars, one per category or person, stacked series in the app's
 * colours; the exact figures after each bar, in its tooltip and, for screen
 * readers, in the accessible description. */
struct _DengonBarChart
{
  GtkWidget parent_instance;

  /* Owned */
  DengonBarSet *bars;
};

G_DEFINE_FINAL_TYPE (DengonBarChart, dengon_bar_chart, GTK_TYPE_WIDGET)

static void
dengon_bar_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                          int *natural, int *minimum_baseline, int *natural_baseline)
{
  DengonBarChart *self = DENGON_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 220;
      *natural = 360;
    }
  else
    *minimum = *natural =
        self->bars != NULL ? (int) dengon_bars_natural_height (self->bars, ROW_HEIGHT) : ROW_HEIGHT;
}

static void
dengon_bar_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  DengonBarChart *self = DENGON_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (PangoLayout) layout = NULL;
  DengonChartColors colors;
  cairo_t *cr;

  if (self->bars == NULL || width <= 0 || height <= 0)
    return;

  layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  dengon_chart_colors_from_widget (&colors, widget);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  dengon_bars_draw (cr, layout, self->bars, &colors, width, ROW_HEIGHT);
  cairo_destroy (cr);
}

static gboolean
dengon_bar_chart_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard_mode,
                                GtkTooltip *tooltip)
{
  DengonBarChart *self = DENGON_BAR_CHART (widget);
  int i;

  if (self->bars == NULL)
    return FALSE;
  i = dengon_bars_index_at (self->bars, ROW_HEIGHT, y);
  if (i < 0)
    return FALSE;

  gtk_tooltip_set_text (tooltip, ((DengonBar *) self->bars->bars->pdata[i])->tooltip);

  return TRUE;
}

static void
dengon_bar_chart_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (dengon_bar_chart_parent_class)->css_changed (widget, change);

  gtk_widget_queue_draw (widget);
}

static void
dengon_bar_chart_finalize (GObject *object)
{
  DengonBarChart *self = DENGON_BAR_CHART (object);

  g_clear_pointer (&self->bars, dengon_bar_set_free);

  G_OBJECT_CLASS (dengon_bar_chart_parent_class)->finalize (object);
}

static void
dengon_bar_chart_class_init (DengonBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dengon_bar_chart_finalize;
  widget_class->measure = dengon_bar_chart_measure;
  widget_class->snapshot = dengon_bar_chart_snapshot;
  widget_class->query_tooltip = dengon_bar_chart_query_tooltip;
  widget_class->css_changed = dengon_bar_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dengon_bar_chart_init (DengonBarChart *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
dengon_bar_chart_new (void)
{
  return g_object_new (DENGON_TYPE_BAR_CHART, NULL);
}

void
dengon_bar_chart_set_bars (DengonBarChart *self, DengonBarSet *bars)
{
  g_autofree char *description = NULL;

  g_return_if_fail (DENGON_IS_BAR_CHART (self));

  g_clear_pointer (&self->bars, dengon_bar_set_free);
  self->bars = bars;
  description = bars != NULL ? dengon_bar_set_describe (bars) : g_strdup ("");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
