/* dengon-memo-counts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-store.h"

G_BEGIN_DECLS

/* Counting stops here: the UI shows "999+" rather than wait for 1M rows. */
#define DENGON_MEMO_COUNT_CAP 1000

#define DENGON_TYPE_MEMO_COUNTS (dengon_memo_counts_get_type ())

G_DECLARE_FINAL_TYPE (DengonMemoCounts, dengon_memo_counts, DENGON, MEMO_COUNTS, GObject)

DengonMemoCounts *dengon_memo_counts_new (DengonStore *store);
void dengon_memo_counts_set_query (DengonMemoCounts *self, const char *name,
                                   const DengonMemoQuery *query);
void dengon_memo_counts_remove (DengonMemoCounts *self, const char *name);
guint dengon_memo_counts_get (DengonMemoCounts *self, const char *name);
void dengon_memo_counts_refresh (DengonMemoCounts *self);
gboolean dengon_memo_counts_get_busy (DengonMemoCounts *self);
char *dengon_memo_count_format (guint count);

G_END_DECLS
