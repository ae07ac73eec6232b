/* dengon-heat-map.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-charts.h"
#include "dengon-heat-map.h"

#define CELL_HEIGHT 28

/* Calls by hour of the day and weekday (or category), in the accent colour:
 * the more calls, the stronger.  Hovering a cell tells its exact count; a
 * screen reader reads the picture as sentences. */
struct _DengonHeatMap
{
  GtkWidget parent_instance;

  /* Owned */
  DengonReport *report;
  DengonHeatGrid grid;

  guint by_category : 1;
  guint painted : 1;
};

enum
{
  PROP_0,
  PROP_BY_CATEGORY,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (DengonHeatMap, dengon_heat_map, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
update (DengonHeatMap *self)
{
  g_autofree char *description = NULL;

  dengon_heat_grid_clear (&self->grid);
  self->painted = FALSE;
  if (self->report == NULL)
    return;

  dengon_heat_grid_init (&self->grid, self->report, self->by_category);
  description = dengon_heat_describe (&self->grid);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->by_category ? _ ("Calls by hour and category")
                                                    : _ ("Calls by hour and weekday"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
dengon_heat_map_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                         int *natural, int *minimum_baseline, int *natural_baseline)
{
  DengonHeatMap *self = DENGON_HEAT_MAP (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 300;
      *natural = 640;
    }
  else
    {
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
      DengonHeatGrid empty = { .n_rows = 7 };

      *minimum = *natural = (int) dengon_heat_natural_height (
          self->report != NULL ? &self->grid : &empty, layout, CELL_HEIGHT);
    }
}

static void
dengon_heat_map_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  DengonHeatMap *self = DENGON_HEAT_MAP (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (PangoLayout) layout = NULL;
  DengonChartColors colors;
  DengonHeatGeometry geometry;
  cairo_t *cr;

  if (self->report == NULL || width <= 0 || height <= 0)
    return;

  layout = gtk_widget_create_pango_layout (widget, NULL);
  dengon_chart_colors_from_widget (&colors, widget);
  dengon_heat_geometry (&self->grid, layout, width, height, &geometry);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  dengon_heat_draw (cr, layout, &self->grid, &geometry, &colors, TRUE);
  cairo_destroy (cr);
  self->painted = TRUE;
}

static gboolean
dengon_heat_map_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard_mode,
                               GtkTooltip *tooltip)
{
  DengonHeatMap *self = DENGON_HEAT_MAP (widget);
  g_autoptr (PangoLayout) layout = NULL;
  g_autofree char *text = NULL;
  DengonHeatGeometry geometry;
  guint row, hour;

  if (self->report == NULL)
    return FALSE;

  layout = gtk_widget_create_pango_layout (widget, NULL);
  dengon_heat_geometry (&self->grid, layout, gtk_widget_get_width (widget),
                        gtk_widget_get_height (widget), &geometry);
  if (!dengon_heat_cell_at (&self->grid, &geometry, x, y, &row, &hour))
    return FALSE;

  text = dengon_heat_cell_text (&self->grid, row, hour);
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
dengon_heat_map_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (dengon_heat_map_parent_class)->css_changed (widget, change);

  /* Light or dark, a new accent colour: draw again. */
  gtk_widget_queue_draw (widget);
}

static void
dengon_heat_map_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonHeatMap *self = DENGON_HEAT_MAP (object);

  switch (prop_id)
    {
      case PROP_BY_CATEGORY:
        g_value_set_boolean (value, self->by_category);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_heat_map_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  DengonHeatMap *self = DENGON_HEAT_MAP (object);

  switch (prop_id)
    {
      case PROP_BY_CATEGORY:
        dengon_heat_map_set_by_category (self, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_heat_map_finalize (GObject *object)
{
  DengonHeatMap *self = DENGON_HEAT_MAP (object);

  dengon_heat_grid_clear (&self->grid);
  g_clear_pointer (&self->report, dengon_report_unref);

  G_OBJECT_CLASS (dengon_heat_map_parent_class)->finalize (object);
}

static void
dengon_heat_map_class_init (DengonHeatMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dengon_heat_map_finalize;
  object_class->get_property = dengon_heat_map_get_property;
  object_class->set_property = dengon_heat_map_set_property;
  widget_class->measure = dengon_heat_map_measure;
  widget_class->snapshot = dengon_heat_map_snapshot;
  widget_class->query_tooltip = dengon_heat_map_query_tooltip;
  widget_class->css_changed = dengon_heat_map_css_changed;

  properties[PROP_BY_CATEGORY] =
      g_param_spec_boolean ("by-category", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dengon_heat_map_init (DengonHeatMap *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
dengon_heat_map_new (void)
{
  return g_object_new (DENGON_TYPE_HEAT_MAP, NULL);
}

void
dengon_heat_map_set_report (DengonHeatMap *self, DengonReport *report)
{
  g_return_if_fail (DENGON_IS_HEAT_MAP (self));

  if (report != NULL)
    dengon_report_ref (report);
  g_clear_pointer (&self->report, dengon_report_unref);
  self->report = report;
  update (self);
}

gboolean
dengon_heat_map_get_by_category (DengonHeatMap *self)
{
  g_return_val_if_fail (DENGON_IS_HEAT_MAP (self), FALSE);

  return self->by_category;
}

void
dengon_heat_map_set_by_category (DengonHeatMap *self, gboolean by_category)
{
  g_return_if_fail (DENGON_IS_HEAT_MAP (self));

  by_category = !!by_category;
  if (self->by_category == by_category)
    return;

  self->by_category = by_category;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BY_CATEGORY]);
}

gboolean
dengon_heat_map_get_painted (DengonHeatMap *self)
{
  g_return_val_if_fail (DENGON_IS_HEAT_MAP (self), FALSE);

  return self->painted;
}
