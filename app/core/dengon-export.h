/* dengon-export.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-store.h"

G_BEGIN_DECLS

/* Memos of a range of local days as CSV (RFC 4180: CRLF between records,
 * every field quoted, quotes doubled), one row per memo, oldest first, every
 * field of the memo contract with times in the office's local time and the
 * history flattened into one readable line per event.
 *
 * UTF-8 starts with a byte order mark, so Excel in Japan opens it as UTF-8.
 * Shift_JIS is Microsoft's (CP932, what Excel reads and writes): a character
 * it cannot hold (𠮷, emoji, é...) is written as 〓 and reported in
 * DengonExportResult, never dropped.  A field that starts with = + - or @ is
 * prefixed with ' so that a spreadsheet never runs it as a formula. */

typedef enum
{
  DENGON_EXPORT_UTF8,
  DENGON_EXPORT_SHIFT_JIS,
} DengonExportEncoding;

#define DENGON_EXPORT_REPLACEMENT "〓"

typedef struct
{
  guint rows;
  guint n_replaced;  /* characters written as DENGON_EXPORT_REPLACEMENT */
  GString *replaced; /* each character that was replaced, once, in order of appearance */
} DengonExportResult;

gboolean dengon_export_csv (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                            DengonExportEncoding encoding, GOutputStream *output,
                            DengonExportResult *result, GCancellable *cancellable, GError **error);

/* Into @file: replaced when complete, left as it was on error or cancellation. */
gboolean dengon_export_csv_to_file (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                                    DengonExportEncoding encoding, GFile *file,
                                    DengonExportResult *result, GCancellable *cancellable,
                                    GError **error);
void dengon_export_csv_to_file_async (DengonStore *store, gint64 from_ms, gint64 to_ms,
                                      GTimeZone *tz, DengonExportEncoding encoding, GFile *file,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean dengon_export_csv_to_file_finish (DengonStore *store, GAsyncResult *result,
                                           DengonExportResult *out, GError **error);

void dengon_export_result_clear (DengonExportResult *result);

/* "2026-11-20 14:05:00" in @tz; "" for 0. */
char *dengon_export_format_time (gint64 ms, GTimeZone *tz);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DengonExportResult, dengon_export_result_clear)

G_END_DECLS
