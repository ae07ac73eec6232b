/* dengon-charts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dengon-charts.h"
#include "dengon-format.h"

/* ------------------------------------------------------------------ colours */

static void
rgba_parse (GdkRGBA *rgba, const char *spec)
{
  gdk_rgba_parse (rgba, spec);
}

void
dengon_chart_colors_from_widget (DengonChartColors *colors, GtkWidget *widget)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  dengon_chart_colors_for_print (colors);
  gtk_style_context_get_color (style, &colors->fg);
  /* The *_bg colours are the fills libadwaita uses in both light and dark. */
  gtk_style_context_lookup_color (style, "accent_bg_color", &colors->accent);
  gtk_style_context_lookup_color (style, "accent_fg_color", &colors->on_accent);
  gtk_style_context_lookup_color (style, "success_bg_color", &colors->success);
  gtk_style_context_lookup_color (style, "error_bg_color", &colors->error);
}

void
dengon_chart_colors_for_print (DengonChartColors *colors)
{
  rgba_parse (&colors->fg, "#241f31");
  rgba_parse (&colors->accent, "#3584e4");
  rgba_parse (&colors->on_accent, "#ffffff");
  rgba_parse (&colors->success, "#26a269");
  rgba_parse (&colors->error, "#c01c28");
}

static void
set_color (cairo_t *cr, const GdkRGBA *rgba, double alpha)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
text_size (PangoLayout *layout, const char *text, double *width, double *height)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

/* Draws @text with its left edge (xalign 0), centre (0.5) or right edge (1)
 * at @x, vertically centred on @y. */
static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double xalign)
{
  double w, h;

  text_size (layout, text, &w, &h);
  cairo_move_to (cr, x - w * xalign, y - h / 2);
  pango_cairo_show_layout (cr, layout);
}

/* ------------------------------------------------------------------ heat map */

void
dengon_heat_grid_init (DengonHeatGrid *grid, DengonReport *report, gboolean by_category)
{
  memset (grid, 0, sizeof *grid);
  grid->by_category = by_category;
  grid->first_hour = report->first_hour;
  grid->last_hour = report->last_hour;

  if (!by_category)
    {
      grid->n_rows = 7;
      for (guint d = 0; d < 7; d++)
        {
          grid->labels[d] = g_strdup (dengon_report_weekday_label (d, TRUE));
          grid->long_labels[d] = g_strdup (dengon_report_weekday_label (d, FALSE));
          memcpy (grid->counts[d], report->by_weekday_hour[d], sizeof grid->counts[d]);
        }
    }
  else
    {
      for (guint i = 0; i < report->categories->len && grid->n_rows < DENGON_HEAT_MAX_ROWS; i++)
        {
          DengonReportCategory *category = report->categories->pdata[i];

          if (*category->category == '\0' && category->count == 0)
            continue;
          grid->labels[grid->n_rows] = g_strdup (dengon_report_category_label (category->category));
          grid->long_labels[grid->n_rows] = g_strdup (grid->labels[grid->n_rows]);
          memcpy (grid->counts[grid->n_rows], category->by_hour, sizeof grid->counts[0]);
          grid->n_rows++;
        }
    }

  for (guint r = 0; r < grid->n_rows; r++)
    {
      for (guint h = 0; h < 24; h++)
        {
          grid->max = MAX (grid->max, grid->counts[r][h]);
          grid->total += grid->counts[r][h];
        }
    }
}

void
dengon_heat_grid_clear (DengonHeatGrid *grid)
{
  for (guint r = 0; r < DENGON_HEAT_MAX_ROWS; r++)
    {
      g_clear_pointer (&grid->labels[r], g_free);
      g_clear_pointer (&grid->long_labels[r], g_free);
    }
  grid->n_rows = 0;
}

static double
heat_label_width (const DengonHeatGrid *grid, PangoLayout *layout)
{
  double widest = 0;

  for (guint r = 0; r < grid->n_rows; r++)
    {
      double w;

      text_size (layout, grid->labels[r], &w, NULL);
      widest = MAX (widest, w);
    }

  return ceil (widest) + 10;
}

static double
heat_header_height (PangoLayout *layout)
{
  double h;

  text_size (layout, "0123456789", NULL, &h);

  return ceil (h) + 6;
}

void
dengon_heat_geometry (const DengonHeatGrid *grid, PangoLayout *layout, double width, double height,
                      DengonHeatGeometry *geometry)
{
  geometry->n_hours = grid->last_hour - grid->first_hour + 1;
  geometry->label_w = heat_label_width (grid, layout);
  geometry->header_h = heat_header_height (layout);
  geometry->x0 = geometry->label_w;
  geometry->y0 = geometry->header_h;
  geometry->cell_w = MAX (1, (width - geometry->label_w) / geometry->n_hours);
  geometry->cell_h = MAX (1, (height - geometry->header_h) / MAX (grid->n_rows, 1));
}

double
dengon_heat_natural_height (const DengonHeatGrid *grid, PangoLayout *layout, double cell_h)
{
  return heat_header_height (layout) + cell_h * MAX (grid->n_rows, 1);
}

gboolean
dengon_heat_cell_at (const DengonHeatGrid *grid, const DengonHeatGeometry *geometry, double x,
                     double y, guint *row, guint *hour)
{
  int c, r;

  if (x < geometry->x0 || y < geometry->y0)
    return FALSE;
  c = (int) ((x - geometry->x0) / geometry->cell_w);
  r = (int) ((y - geometry->y0) / geometry->cell_h);
  if (c < 0 || c >= (int) geometry->n_hours || r < 0 || r >= (int) grid->n_rows)
    return FALSE;

  *row = r;
  *hour = grid->first_hour + c;

  return TRUE;
}

void
dengon_heat_draw (cairo_t *cr, PangoLayout *layout, const DengonHeatGrid *grid,
                  const DengonHeatGeometry *geometry, const DengonChartColors *colors,
                  gboolean show_counts)
{
  double gap = MIN (3, geometry->cell_w / 8);
  guint every = geometry->cell_w >= 22 ? 1 : geometry->cell_w >= 11 ? 2 : 3;

  /* Hours along the top, at the left edge of their column. */
  for (guint c = 0; c < geometry->n_hours; c++)
    {
      guint hour = grid->first_hour + c;
      g_autofree char *text = NULL;

      if (hour % every != 0)
        continue;
      text = g_strdup_printf ("%u", hour);
      set_color (cr, &colors->fg, 0.7);
      draw_text (cr, layout, text, geometry->x0 + c * geometry->cell_w + geometry->cell_w / 2,
                 geometry->header_h / 2, 0.5);
    }

  for (guint r = 0; r < grid->n_rows; r++)
    {
      double y = geometry->y0 + r * geometry->cell_h;

      set_color (cr, &colors->fg, 0.85);
      draw_text (cr, layout, grid->labels[r], 0, y + geometry->cell_h / 2, 0);

      for (guint c = 0; c < geometry->n_hours; c++)
        {
          guint n = grid->counts[r][grid->first_hour + c];
          double x = geometry->x0 + c * geometry->cell_w;
          double strength = grid->max > 0 ? sqrt ((double) n / grid->max) : 0;

          rounded_rect (cr, x + gap / 2, y + gap / 2, geometry->cell_w - gap,
                        geometry->cell_h - gap, 3);
          if (n == 0)
            set_color (cr, &colors->fg, 0.06);
          else
            set_color (cr, &colors->accent, 0.18 + 0.82 * strength);
          cairo_fill (cr);

          if (show_counts && n > 0)
            {
              g_autofree char *text = g_strdup_printf ("%u", n);
              double w, h;

              text_size (layout, text, &w, &h);
              if (w + 2 > geometry->cell_w - gap || h > geometry->cell_h)
                continue;
              set_color (cr, strength > 0.55 ? &colors->on_accent : &colors->fg, 1);
              draw_text (cr, layout, text, x + geometry->cell_w / 2, y + geometry->cell_h / 2, 0.5);
            }
        }
    }
}

char *
dengon_heat_cell_text (const DengonHeatGrid *grid, guint row, guint hour)
{
  guint n = grid->counts[row][hour];
  g_autofree char *count =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call", "%u calls", n), n);

  /* Translators: "Friday, 10:00–11:00: 3 calls" (a cell of the heat map) */
  return g_strdup_printf (_ ("%s, %02u:00–%02u:00: %s"), grid->long_labels[row], hour, hour + 1,
                          count);
}

char *
dengon_heat_describe (const DengonHeatGrid *grid)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *total = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u call", "%u calls", grid->total), grid->total);
  guint best_row = 0, best_hour = 0, best = 0;

  if (grid->by_category)
    /* Translators: the heat map for screen readers; %s is "8 calls" */
    g_string_append_printf (text, _ ("Calls by hour of the day and category, %s in all."), total);
  else
    g_string_append_printf (text, _ ("Calls by hour of the day and weekday, %s in all."), total);

  for (guint r = 0; r < grid->n_rows; r++)
    {
      guint row_total = 0, row_best = 0, row_hour = 0;
      g_autofree char *count = NULL;

      for (guint h = 0; h < 24; h++)
        {
          guint n = grid->counts[r][h];

          row_total += n;
          if (n > row_best)
            {
              row_best = n;
              row_hour = h;
            }
          if (n > best)
            {
              best = n;
              best_row = r;
              best_hour = h;
            }
        }
      if (row_total == 0)
        continue;
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call", "%u calls", row_total),
                               row_total);
      g_string_append_c (text, ' ');
      /* Translators: "Friday: 8 calls, most at 10:00 (3)." */
      g_string_append_printf (text, _ ("%s: %s, most at %02u:00 (%u)."), grid->long_labels[r],
                              count, row_hour, row_best);
    }

  if (best > 0)
    {
      g_autofree char *cell = dengon_heat_cell_text (grid, best_row, best_hour);

      g_string_append_c (text, ' ');
      /* Translators: %s is a cell, "Friday, 10:00–11:00: 3 calls" */
      g_string_append_printf (text, _ ("Busiest: %s."), cell);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------------ bars */

static void
bar_free (DengonBar *bar)
{
  g_free (bar->label);
  g_free (bar->text);
  g_free (bar->tooltip);
  g_free (bar);
}

DengonBarSet *
dengon_bar_set_new (guint n_series, const DengonBarColor *colors)
{
  DengonBarSet *set = g_new0 (DengonBarSet, 1);

  g_return_val_if_fail (n_series >= 1 && n_series <= DENGON_BAR_MAX_SERIES, NULL);

  set->bars = g_ptr_array_new_with_free_func ((GDestroyNotify) bar_free);
  set->n_series = n_series;
  memcpy (set->colors, colors, n_series * sizeof *colors);

  return set;
}

void
dengon_bar_set_free (DengonBarSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->bars);
  g_free (set);
}

void
dengon_bar_set_add (DengonBarSet *set, const char *label, const guint *values, char *text,
                    char *tooltip)
{
  DengonBar *bar = g_new0 (DengonBar, 1);

  bar->label = g_strdup (label);
  memcpy (bar->values, values, set->n_series * sizeof *values);
  bar->text = text;
  bar->tooltip = tooltip;
  g_ptr_array_add (set->bars, bar);
}

static char *
memos_text (guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u memo", "%u memos", n), n);
}

DengonBarSet *
dengon_bar_set_for_categories (DengonReport *report)
{
  static const DengonBarColor colors[] = { DENGON_BAR_ACCENT };
  DengonBarSet *set = dengon_bar_set_new (1, colors);

  for (guint i = 0; i < report->categories->len; i++)
    {
      DengonReportCategory *category = report->categories->pdata[i];
      const char *label = dengon_report_category_label (category->category);
      g_autofree char *count = memos_text (category->count);
      guint percent =
          report->memos > 0 ? (category->count * 100 + report->memos / 2) / report->memos : 0;

      if (*category->category == '\0' && category->count == 0)
        continue;
      dengon_bar_set_add (set, label, &category->count, g_strdup_printf ("%u", category->count),
                          /* Translators: "Complaint: 3 memos (25%)" */
                          g_strdup_printf (_ ("%s: %s (%u%%)"), label, count, percent));
    }

  return set;
}

DengonBarSet *
dengon_bar_set_for_people (DengonReport *report)
{
  static const DengonBarColor colors[] = { DENGON_BAR_ERROR, DENGON_BAR_ACCENT,
                                           DENGON_BAR_SUCCESS };
  DengonBarSet *set = dengon_bar_set_new (3, colors);

  for (guint i = 0; i < report->people->len; i++)
    {
      DengonReportPerson *person = report->people->pdata[i];
      const char *name = dengon_report_get_name (report, person->staff_id);
      guint values[] = { person->overdue, person->open - MIN (person->overdue, person->open),
                         person->done };
      char *text, *tooltip;

      if (person->overdue > 0)
        {
          /* Translators: after a person's bar: "3 open (1 overdue) · 5 done" */
          text = g_strdup_printf (_ ("%u open (%u overdue) · %u done"), person->open,
                                  person->overdue, person->done);
          /* Translators: "山田 健: 3 open, 1 of them overdue; 5 done" */
          tooltip = g_strdup_printf (_ ("%s: %u open, %u of them overdue; %u done"), name,
                                     person->open, person->overdue, person->done);
        }
      else
        {
          /* Translators: after a person's bar: "3 open · 5 done" */
          text = g_strdup_printf (_ ("%u open · %u done"), person->open, person->done);
          /* Translators: "山田 健: 3 open; 5 done" */
          tooltip = g_strdup_printf (_ ("%s: %u open; %u done"), name, person->open, person->done);
        }
      dengon_bar_set_add (set, name, values, text, tooltip);
    }

  return set;
}

static const char *
segment_label (const char *segment)
{
  if (g_strcmp0 (segment, "new") == 0)
    return C_ ("segment", "New");
  if (g_strcmp0 (segment, "existing") == 0)
    return C_ ("segment", "Existing");
  if (g_strcmp0 (segment, "dormant") == 0)
    return C_ ("segment", "Dormant");
  if (segment == NULL || *segment == '\0')
    return C_ ("segment", "Unknown");

  return segment;
}

DengonBarSet *
dengon_bar_set_for_segments (DengonReport *report)
{
  static const DengonBarColor colors[] = { DENGON_BAR_ACCENT };
  DengonBarSet *set = dengon_bar_set_new (1, colors);

  for (guint i = 0; report->segments != NULL && i < report->segments->len; i++)
    {
      DengonReportSegment *segment = report->segments->pdata[i];
      const char *label = segment_label (segment->segment);
      g_autofree char *count = memos_text (segment->count);
      guint percent =
          report->memos > 0 ? (segment->count * 100 + report->memos / 2) / report->memos : 0;

      dengon_bar_set_add (set, label, &segment->count, g_strdup_printf ("%u", segment->count),
                          g_strdup_printf (_ ("%s: %s (%u%%)"), label, count, percent));
    }

  return set;
}

char *
dengon_bar_set_describe (const DengonBarSet *set)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < set->bars->len; i++)
    {
      DengonBar *bar = set->bars->pdata[i];

      if (text->len > 0)
        g_string_append (text, " ");
      g_string_append_printf (text, "%s.", bar->tooltip);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

double
dengon_bars_natural_height (const DengonBarSet *set, double row_h)
{
  return row_h * MAX (set->bars->len, 1);
}

int
dengon_bars_index_at (const DengonBarSet *set, double row_h, double y)
{
  int i = (int) floor (y / row_h);

  return y >= 0 && i < (int) set->bars->len ? i : -1;
}

static const GdkRGBA *
bar_color (const DengonChartColors *colors, DengonBarColor color)
{
  switch (color)
    {
      case DENGON_BAR_SUCCESS:
        return &colors->success;
      case DENGON_BAR_ERROR:
        return &colors->error;
      case DENGON_BAR_ACCENT:
      default:
        return &colors->accent;
    }
}

void
dengon_bars_draw (cairo_t *cr, PangoLayout *layout, const DengonBarSet *set,
                  const DengonChartColors *colors, double width, double row_h)
{
  double label_w = 0, text_w = 0, bar_w, thickness = round (row_h * 0.5);
  guint max = 1;

  for (guint i = 0; i < set->bars->len; i++)
    {
      DengonBar *bar = set->bars->pdata[i];
      guint total = 0;
      double w;

      text_size (layout, bar->label, &w, NULL);
      label_w = MAX (label_w, w);
      text_size (layout, bar->text, &w, NULL);
      text_w = MAX (text_w, w);
      for (guint s = 0; s < set->n_series; s++)
        total += bar->values[s];
      max = MAX (max, total);
    }
  label_w = MIN (ceil (label_w) + 12, width * 0.4);
  bar_w = MAX (width - label_w - ceil (text_w) - 10, 10);

  for (guint i = 0; i < set->bars->len; i++)
    {
      DengonBar *bar = set->bars->pdata[i];
      double y = i * row_h, x = label_w;

      cairo_save (cr);
      cairo_rectangle (cr, 0, y, label_w - 6, row_h);
      cairo_clip (cr);
      set_color (cr, &colors->fg, 0.85);
      draw_text (cr, layout, bar->label, 0, y + row_h / 2, 0);
      cairo_restore (cr);

      /* The track, then the series stacked on it. */
      rounded_rect (cr, label_w, y + (row_h - thickness) / 2, bar_w, thickness, 3);
      set_color (cr, &colors->fg, 0.06);
      cairo_fill (cr);
      for (guint s = 0; s < set->n_series; s++)
        {
          double w = bar_w * bar->values[s] / max;

          if (bar->values[s] == 0)
            continue;
          rounded_rect (cr, x, y + (row_h - thickness) / 2, MAX (w, 3), thickness, 3);
          set_color (cr, bar_color (colors, set->colors[s]), 1);
          cairo_fill (cr);
          x += w;
        }

      set_color (cr, &colors->fg, 0.75);
      draw_text (cr, layout, bar->text, label_w + bar_w + 8, y + row_h / 2, 0);
    }
}

/* ------------------------------------------------------------------ words */

char *
dengon_chart_format_duration (gint64 ms)
{
  gint64 minutes;

  if (ms < 0)
    return g_strdup ("—");

  minutes = (ms + 30000) / 60000;
  if (minutes < 60)
    /* Translators: a time to callback in minutes */
    return g_strdup_printf (_ ("%d min"), (int) minutes);
  if (minutes < 24 * 60)
    {
      if (minutes % 60 == 0)
        /* Translators: a time to callback in whole hours */
        return g_strdup_printf (_ ("%d h"), (int) (minutes / 60));
      /* Translators: a time to callback in hours and minutes */
      return g_strdup_printf (_ ("%d h %d min"), (int) (minutes / 60), (int) (minutes % 60));
    }

  /* Translators: a time to callback in days and hours */
  return g_strdup_printf (_ ("%d d %d h"), (int) (minutes / (24 * 60)),
                          (int) ((minutes / 60) % 24));
}

static GDateTime *
local_of (DengonReport *report, gint64 ms)
{
  g_autoptr (GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr (GDateTime) utc = g_date_time_add (epoch, ms * 1000);

  return g_date_time_to_timezone (utc, report->tz);
}

char *
dengon_chart_format_range (DengonReport *report)
{
  g_autoptr (GDateTime) first = local_of (report, report->from_ms);
  g_autoptr (GDateTime) last = local_of (report, report->to_ms - 1);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (report->n_days <= 1)
    /* Translators: a day in another year; in Japanese "%Y年%-m月%-d日（%a）" */
    return g_date_time_format (first, _ ("%A, %B %-e, %Y"));

  /* Translators: a short date; in Japanese "%Y/%-m/%-d" */
  a = g_date_time_format (first, _ ("%b %-e, %Y"));
  b = g_date_time_format (last, _ ("%b %-e, %Y"));

  /* Translators: a range of days, "Nov 16, 2026 – Nov 22, 2026" */
  return g_strdup_printf (_ ("%s – %s"), a, b);
}
