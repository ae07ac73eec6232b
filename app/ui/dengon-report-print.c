/* dengon-report-print.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>

#include "dengon-charts.h"
#include "dengon-export.h"
#include "dengon-format.h"
#include "dengon-report-print.h"

#define MARGIN      42.0
#define ROW_H       15.0
#define HEAT_CELL_H 15.0
#define FONT        "Noto Sans CJK JP, Noto Sans, Sans"
#define CONTENT_W   (DENGON_REPORT_PAGE_WIDTH - 2 * MARGIN)
#define FOOTER_H    24.0
#define LIST_TOP    (MARGIN + 30.0)
#define LIST_HEAD_H 18.0

/* ------------------------------------------------------------------ text */

static PangoLayout *
new_layout (cairo_t *cr, double size, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *context = pango_layout_get_context (layout);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string (FONT);

  /* Points are the unit here; names are Japanese: Japanese glyph shapes. */
  pango_cairo_context_set_resolution (context, 72);
  pango_context_set_language (context, pango_language_from_string ("ja"));
  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_context_changed (layout);

  return layout;
}

static void
set_color (cairo_t *cr, const GdkRGBA *rgba, double alpha)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

/* Draws @text at (x, y) (top left), at most @width wide (0: any) and @lines
 * lines (ellipsized); returns its height. */
static double
show_lines (cairo_t *cr, double size, gboolean bold, const char *text, double x, double y,
            double width, int lines)
{
  g_autoptr (PangoLayout) layout = new_layout (cr, size, bold);
  int w, h;

  pango_layout_set_text (layout, text, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height (layout, -lines);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);

  return h;
}

static double
show (cairo_t *cr, double size, gboolean bold, const char *text, double x, double y, double width)
{
  return show_lines (cr, size, bold, text, x, y, width, 1);
}

static char *
count_text (guint n)
{
  return g_strdup_printf ("%u", n);
}

static char *
local_time (DengonReport *report, gint64 ms, const char *format)
{
  g_autoptr (GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr (GDateTime) utc = g_date_time_add (epoch, ms * 1000);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, report->tz);

  return g_date_time_format (local, format);
}

/* ------------------------------------------------------------------ pages */

static int
list_rows_per_page (void)
{
  return (int) ((DENGON_REPORT_PAGE_HEIGHT - LIST_TOP - MARGIN - FOOTER_H - LIST_HEAD_H) / ROW_H);
}

int
dengon_report_print_get_n_pages (DengonReport *report)
{
  int per_page = list_rows_per_page ();

  g_return_val_if_fail (report != NULL, 1);

  if (report->items->len == 0)
    return 1;

  /* One more line for "and N more" when the list was cut. */
  return 1 + (int) ((report->items->len + (report->n_items > report->items->len) + per_page - 1) /
                    per_page);
}

static void
draw_footer (DengonReport *report, cairo_t *cr, int page, gint64 printed_ms,
             const DengonChartColors *colors)
{
  g_autofree char *printed = local_time (report, printed_ms, "%Y-%m-%d %H:%M");
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;
  g_autoptr (PangoLayout) layout = new_layout (cr, 7.5, FALSE);
  int w, h;

  /* Translators: the footer of the printed report */
  left = g_strdup_printf (_ ("Dengon · printed %s"), printed);
  /* Translators: "Page 1 of 2" */
  right = g_strdup_printf (_ ("Page %d of %d"), page + 1, dengon_report_print_get_n_pages (report));

  set_color (cr, &colors->fg, 0.6);
  show (cr, 7.5, FALSE, left, MARGIN, DENGON_REPORT_PAGE_HEIGHT - MARGIN - 10, 0);
  pango_layout_set_text (layout, right, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, DENGON_REPORT_PAGE_WIDTH - MARGIN - w,
                 DENGON_REPORT_PAGE_HEIGHT - MARGIN - 10);
  pango_cairo_show_layout (cr, layout);
}

typedef struct
{
  const char *caption;
  char *value;
  gboolean alert;
} Figure;

static double
draw_figures (DengonReport *report, cairo_t *cr, double y, const DengonChartColors *colors)
{
  Figure figures[] = {
    { C_ ("figure", "Memos"), count_text (report->memos), FALSE },
    { C_ ("figure", "Open"), count_text (report->open), FALSE },
    { C_ ("figure", "Overdue"), count_text (report->overdue), report->overdue > 0 },
    { C_ ("figure", "Done"), count_text (report->done), FALSE },
    { C_ ("figure", "Median time to callback"),
      dengon_chart_format_duration (report->callback_median_ms), FALSE },
    { C_ ("figure", "Sales calls (apart)"), count_text (report->sales), FALSE },
  };
  double box_w = CONTENT_W / G_N_ELEMENTS (figures), box_h = 58;

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      double x = MARGIN + i * box_w;

      cairo_rectangle (cr, x + 2, y, box_w - 4, box_h);
      set_color (cr, &colors->fg, 0.05);
      cairo_fill (cr);
      set_color (cr, figures[i].alert ? &colors->error : &colors->fg, 1);
      show (cr, 17, TRUE, figures[i].value, x + 8, y + 5, box_w - 16);
      set_color (cr, &colors->fg, 0.7);
      show_lines (cr, 7, FALSE, figures[i].caption, x + 8, y + 33, box_w - 14, 2);
      g_free (figures[i].value);
    }

  return y + box_h;
}

static double
draw_heading (cairo_t *cr, const char *text, double x, double y, const DengonChartColors *colors)
{
  set_color (cr, &colors->fg, 1);

  return y + show (cr, 10.5, TRUE, text, x, y, 0) + 4;
}

static double
draw_heat (DengonReport *report, cairo_t *cr, gboolean by_category, double y,
           const DengonChartColors *colors)
{
  g_autoptr (PangoLayout) layout = new_layout (cr, 7, FALSE);
  DengonHeatGrid grid;
  DengonHeatGeometry geometry;
  double height;

  dengon_heat_grid_init (&grid, report, by_category);
  height = dengon_heat_natural_height (&grid, layout, HEAT_CELL_H);
  dengon_heat_geometry (&grid, layout, CONTENT_W, height, &geometry);
  cairo_save (cr);
  cairo_translate (cr, MARGIN, y);
  dengon_heat_draw (cr, layout, &grid, &geometry, colors, TRUE);
  cairo_restore (cr);
  dengon_heat_grid_clear (&grid);

  return y + height;
}

static double
draw_bars (cairo_t *cr, DengonBarSet *set, double x, double y, double width,
           const DengonChartColors *colors)
{
  g_autoptr (PangoLayout) layout = new_layout (cr, 7.5, FALSE);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  dengon_bars_draw (cr, layout, set, colors, width, ROW_H);
  cairo_restore (cr);

  return y + dengon_bars_natural_height (set, ROW_H);
}

static double
draw_legend (cairo_t *cr, double x, double y, const DengonChartColors *colors)
{
  const struct
  {
    const GdkRGBA *color;
    const char *label;
  } keys[] = {
    { &colors->error, C_ ("legend", "Overdue") },
    { &colors->accent, C_ ("legend", "Open") },
    { &colors->success, C_ ("legend", "Done") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr (PangoLayout) layout = new_layout (cr, 7, FALSE);
      int w, h;

      cairo_rectangle (cr, x, y + 2, 8, 8);
      set_color (cr, keys[i].color, 1);
      cairo_fill (cr);
      pango_layout_set_text (layout, keys[i].label, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      set_color (cr, &colors->fg, 0.8);
      cairo_move_to (cr, x + 11, y);
      pango_cairo_show_layout (cr, layout);
      x += 11 + w + 12;
    }

  return y + 14;
}

static void
draw_first_page (DengonReport *report, cairo_t *cr, gint64 printed_ms,
                 const DengonChartColors *colors)
{
  g_autofree char *range = dengon_chart_format_range (report);
  g_autofree char *as_of = local_time (report, report->now_ms, "%Y-%m-%d %H:%M");
  g_autofree char *median = dengon_chart_format_duration (report->callback_median_ms);
  g_autofree char *p90 = dengon_chart_format_duration (report->callback_p90_ms);
  g_autofree char *line = NULL;
  g_autoptr (DengonBarSet) categories = dengon_bar_set_for_categories (report);
  g_autoptr (DengonBarSet) people = dengon_bar_set_for_people (report);
  double y = MARGIN, column = (CONTENT_W - 20) / 2, left_end, right_end;

  set_color (cr, &colors->fg, 1);
  y += show (cr, 18, TRUE, report->n_days <= 1 ? _ ("Daily Report") : _ ("Report"), MARGIN, y, 0);
  y += show (cr, 12, FALSE, range, MARGIN, y + 2, 0) + 4;
  set_color (cr, &colors->fg, 0.65);
  /* Translators: under the title of the printed report */
  line = g_strdup_printf (_ ("Open and overdue as of %s. Sales calls are counted apart and left "
                             "out of every other figure."),
                          as_of);
  y += show_lines (cr, 7.5, FALSE, line, MARGIN, y, CONTENT_W, 2) + 10;
  g_clear_pointer (&line, g_free);

  y = draw_figures (report, cr, y, colors) + 8;

  set_color (cr, &colors->fg, 0.85);
  if (report->called_back > 0)
    /* Translators: "Incoming 38 · outgoing 4 · called back: 12, median 40 min, 90% within 3 h" */
    line = g_strdup_printf (_ ("Incoming %u · outgoing %u · called back: %u, median %s, 90%% "
                               "within %s"),
                            report->incoming, report->outgoing, report->called_back, median, p90);
  else
    line = g_strdup_printf (_ ("Incoming %u · outgoing %u · nobody was called back"),
                            report->incoming, report->outgoing);
  y += show (cr, 8.5, FALSE, line, MARGIN, y, CONTENT_W) + 2;
  g_clear_pointer (&line, g_free);
  /* Translators: memos of days before the report that are still open */
  line = g_strdup_printf (_ ("Still open from earlier days: %u (%u overdue)"), report->earlier_open,
                          report->earlier_overdue);
  if (report->earlier_overdue > 0)
    set_color (cr, &colors->error, 1);
  y += show (cr, 8.5, FALSE, line, MARGIN, y, CONTENT_W) + 2;
  g_clear_pointer (&line, g_free);

  /* Calls made and leads, when there are any. */
  if (report->calls_made > 0 || report->escalations > 0 ||
      (report->followups != NULL && report->followups->len > 0))
    {
      guint waiting = report->followups != NULL ? report->followups->len : 0;

      set_color (cr, &colors->fg, 0.85);
      /* Translators: a line of the printed report: "Calls made 20 · reached 12 · appointments 3 ·
       * escalations 4 (1 with an outcome) · won 1 / lost 0 · follow-up meeting: 2 leads" */
      line =
          g_strdup_printf (_ ("Calls made %u · reached %u · appointments %u · escalations %u (%u "
                              "with an outcome) · won %u / lost %u · follow-up meeting: %u "
                              "leads"),
                           report->calls_made, report->calls_reached, report->calls_appointment,
                           report->escalations, report->escalations_with_outcome,
                           report->escalations_won, report->escalations_lost, waiting);
      y += show_lines (cr, 8.5, FALSE, line, MARGIN, y, CONTENT_W, 2) + 2;
    }
  y += 12;

  y = draw_heading (cr, _ ("When People Call"), MARGIN, y, colors);
  if (report->n_days > 1)
    {
      y = draw_heat (report, cr, FALSE, y, colors) + 10;
      y = draw_heat (report, cr, TRUE, y, colors) + 14;
    }
  else
    y = draw_heat (report, cr, TRUE, y, colors) + 14;

  left_end = draw_heading (cr, _ ("Categories"), MARGIN, y, colors);
  left_end = draw_bars (cr, categories, MARGIN, left_end, column, colors);
  right_end = draw_heading (cr, _ ("Who Carries What"), MARGIN + column + 20, y, colors);
  right_end = draw_legend (cr, MARGIN + column + 20, right_end, colors);
  right_end = draw_bars (cr, people, MARGIN + column + 20, right_end, column, colors);
  y = MAX (left_end, right_end) + 14;

  if (report->segments != NULL && report->segments->len > 0 &&
      y + 40 < DENGON_REPORT_PAGE_HEIGHT - MARGIN - FOOTER_H)
    {
      g_autoptr (DengonBarSet) segments = dengon_bar_set_for_segments (report);

      y = draw_heading (cr, _ ("New, Existing and Dormant Callers"), MARGIN, y, colors);
      draw_bars (cr, segments, MARGIN, y, column, colors);
    }

  if (report->items->len == 0)
    {
      set_color (cr, &colors->fg, 0.8);
      show (cr, 9, FALSE, _ ("Nothing is open or overdue."), MARGIN,
            DENGON_REPORT_PAGE_HEIGHT - MARGIN - FOOTER_H - 14, 0);
    }
}

/* Columns of the list: x offset and width, in points. */
static const struct
{
  double x, width;
} columns[] = {
  { 0, 68 }, { 70, 120 }, { 192, 66 }, { 260, 82 }, { 344, 50 }, { 396, CONTENT_W - 396 },
};

static void
draw_list_page (DengonReport *report, cairo_t *cr, int page, const DengonChartColors *colors)
{
  int per_page = list_rows_per_page ();
  guint first = (guint) ((page - 1) * per_page);
  const char *heads[] = {
    C_ ("list column", "Received"),     C_ ("list column", "Caller"), C_ ("list column", "For"),
    C_ ("list column", "Call back by"), C_ ("list column", "Status"), C_ ("list column", "Message"),
  };
  g_autofree char *title = NULL;
  double y = LIST_TOP;

  /* Translators: the heading of the printed list, with how many there are */
  title = g_strdup_printf (_ ("Open and Overdue (%u)"), report->n_items);
  set_color (cr, &colors->fg, 1);
  show (cr, 12, TRUE, title, MARGIN, MARGIN, 0);

  set_color (cr, &colors->fg, 0.6);
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    show (cr, 7.5, TRUE, heads[c], MARGIN + columns[c].x, y, columns[c].width);
  y += LIST_HEAD_H;
  cairo_rectangle (cr, MARGIN, y - 4, CONTENT_W, 0.5);
  cairo_fill (cr);

  for (guint i = first; i < report->items->len && i < first + (guint) per_page; i++)
    {
      DengonReportItem *item = report->items->pdata[i];
      g_autofree char *received = local_time (report, item->created_ms, "%Y-%m-%d %H:%M");
      g_autofree char *deadline = item->callback_by_ms > 0
                                      ? local_time (report, item->callback_by_ms, "%m-%d %H:%M")
                                      : g_strdup ("");
      g_autofree char *caller = NULL;
      const char *name =
          item->caller != NULL && *item->caller ? item->caller : _ ("Unknown caller");

      if (item->company != NULL && *item->company)
        caller = g_strdup_printf ("%s（%s）", name, item->company);
      else
        caller = g_strdup (name);

      if ((i - first) % 2 == 1)
        {
          cairo_rectangle (cr, MARGIN, y - 1, CONTENT_W, ROW_H);
          set_color (cr, &colors->fg, 0.04);
          cairo_fill (cr);
        }
      set_color (cr, &colors->fg, 1);
      show (cr, 7.5, FALSE, received, MARGIN + columns[0].x, y, columns[0].width);
      show (cr, 7.5, FALSE, caller, MARGIN + columns[1].x, y, columns[1].width);
      show (cr, 7.5, FALSE, dengon_report_get_name (report, item->staff_id), MARGIN + columns[2].x,
            y, columns[2].width);
      if (item->overdue)
        {
          g_autofree char *text =
              /* Translators: a callback deadline that has passed, in the printed list */
              g_strdup_printf (_ ("%s overdue"), deadline);

          set_color (cr, &colors->error, 1);
          show (cr, 7.5, TRUE, text, MARGIN + columns[3].x, y, columns[3].width);
          set_color (cr, &colors->fg, 1);
        }
      else
        show (cr, 7.5, FALSE, deadline, MARGIN + columns[3].x, y, columns[3].width);
      show (cr, 7.5, FALSE, dengon_memo_status_get_label (item->status), MARGIN + columns[4].x, y,
            columns[4].width);
      show (cr, 7.5, FALSE, item->summary, MARGIN + columns[5].x, y, columns[5].width);
      y += ROW_H;
    }

  if (first + per_page > report->items->len && report->n_items > report->items->len)
    {
      g_autofree char *more = NULL;

      /* Translators: at the end of a printed list that was cut */
      more = g_strdup_printf (_ ("… and %u more: see the inbox."),
                              report->n_items - report->items->len);
      set_color (cr, &colors->fg, 0.7);
      show (cr, 7.5, FALSE, more, MARGIN, y, CONTENT_W);
    }
}

void
dengon_report_print_draw_page (DengonReport *report, cairo_t *cr, int page, gint64 printed_ms)
{
  DengonChartColors colors;

  g_return_if_fail (report != NULL);
  g_return_if_fail (cr != NULL);

  dengon_chart_colors_for_print (&colors);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, DENGON_REPORT_PAGE_WIDTH, DENGON_REPORT_PAGE_HEIGHT);
  cairo_fill (cr);

  if (page == 0)
    draw_first_page (report, cr, printed_ms, &colors);
  else
    draw_list_page (report, cr, page, &colors);
  draw_footer (report, cr, page, printed_ms, &colors);
  cairo_restore (cr);
}

gboolean
dengon_report_print_to_pdf (DengonReport *report, const char *path, gint64 printed_ms,
                            GError **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  g_autofree char *title = NULL;
  g_autofree char *range = NULL;
  int n_pages;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, DENGON_REPORT_PAGE_WIDTH, DENGON_REPORT_PAGE_HEIGHT);
  range = dengon_chart_format_range (report);
  /* Translators: the PDF's title: "Dengon report: Friday, November 20, 2026" */
  title = g_strdup_printf (_ ("Dengon report: %s"), range);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Dengon " PACKAGE_VERSION);
  cr = cairo_create (surface);

  n_pages = dengon_report_print_get_n_pages (report);
  for (int page = 0; page < n_pages; page++)
    {
      dengon_report_print_draw_page (report, cr, page, printed_ms);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ GtkPrintOperation */

static void
on_draw_page (GtkPrintOperation *operation, GtkPrintContext *context, int page,
              DengonReport *report)
{
  gint64 printed = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (operation), "printed")) * 1000;

  dengon_report_print_draw_page (report, gtk_print_context_get_cairo_context (context), page,
                                 printed);
}

static void
report_closure_notify (gpointer data, GClosure *closure)
{
  dengon_report_unref (data);
}

GtkPrintOperation *
dengon_report_print_operation_new (DengonReport *report)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  g_return_val_if_fail (report != NULL, NULL);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_n_pages (operation, dengon_report_print_get_n_pages (report));
  gtk_print_operation_set_embed_page_setup (operation, FALSE);
  g_object_set_data (G_OBJECT (operation), "printed",
                     GSIZE_TO_POINTER ((gsize) (g_get_real_time () / G_USEC_PER_SEC)));
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page),
                         dengon_report_ref (report), report_closure_notify, 0);

  return operation;
}
