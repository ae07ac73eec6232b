/* dengon-review-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"
#include "dengon-report.h"

G_BEGIN_DECLS

typedef enum
{
  DENGON_REVIEW_SPAN_DAY,
  DENGON_REVIEW_SPAN_WEEK,
  DENGON_REVIEW_SPAN_MONTH,
  DENGON_REVIEW_SPAN_YEAR,
} DengonReviewSpan;

#define DENGON_TYPE_REVIEW_WINDOW (dengon_review_window_get_type ())

G_DECLARE_FINAL_TYPE (DengonReviewWindow, dengon_review_window, DENGON, REVIEW_WINDOW,
                      AdwApplicationWindow)

DengonReviewWindow *dengon_review_window_new (DengonApplication *application);
/* The day @date is in, and the days around it that @span takes. */
void dengon_review_window_set_range (DengonReviewWindow *self, const GDate *date,
                                     DengonReviewSpan span);
/* The figures on show; NULL until the first ones arrived. */
DengonReport *dengon_review_window_get_report (DengonReviewWindow *self);

G_END_DECLS
