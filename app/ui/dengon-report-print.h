/* dengon-report-print.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dengon-report.h"

G_BEGIN_DECLS

/* The daily report on A4, portrait: page 1 has the figures, the heat map and
 * the bars; the open and overdue list follows from page 2.  One drawing
 * function for the print dialog, "Save as PDF" (GtkPrintOperation) and
 * `dengon --report DATE --pdf FILE` (a cairo PDF surface, no display). */

#define DENGON_REPORT_PAGE_WIDTH  595.276 /* A4 in points */
#define DENGON_REPORT_PAGE_HEIGHT 841.890

int dengon_report_print_get_n_pages (DengonReport *report);
/* Draws @page (from 0) in points on a full page; @printed_ms: the time on the page. */
void dengon_report_print_draw_page (DengonReport *report, cairo_t *cr, int page, gint64 printed_ms);
gboolean dengon_report_print_to_pdf (DengonReport *report, const char *path, gint64 printed_ms,
                                     GError **error);
GtkPrintOperation *dengon_report_print_operation_new (DengonReport *report);

G_END_DECLS
