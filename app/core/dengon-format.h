/* dengon-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whitespace is Unicode's, the ideographic space (U+3000) too. */
gboolean dengon_text_is_blank (const char *text);
/* @text without leading and trailing whitespace; %NULL when nothing is left. */
char *dengon_text_strip (const char *text);

char *dengon_format_day (gint64 ms, GDateTime *now);
char *dengon_format_time (gint64 ms);
char *dengon_format_date_time (gint64 ms, GDateTime *now);
char *dengon_format_callback (gint64 deadline_ms, GDateTime *now, gboolean *overdue);
gboolean dengon_format_same_day (gint64 a_ms, gint64 b_ms);
const char *dengon_category_get_label (const char *category);
const char *const *dengon_category_list (void);

G_END_DECLS
