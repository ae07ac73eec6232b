/* dengon-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "dengon-store.h"

G_BEGIN_DECLS

/* For core code that runs its own read-only SQL (the review's reports and the
 * export): @func runs on a reader connection inside one read transaction, so
 * every statement sees the same commit, beside the writer (WAL), and never
 * on the writer.  The connection is query-only; @func must finalize what it
 * prepares.  Call it from a worker thread (dengon_store_run_async). */
typedef gboolean (*DengonStoreReadFunc) (sqlite3 *db, gpointer data, GCancellable *cancellable,
                                         GError **error);

gboolean dengon_store_read (DengonStore *self, DengonStoreReadFunc func, gpointer data,
                            GCancellable *cancellable, GError **error);
/* The store's error for a failed SQLite call (disk full, damaged file, ...). */
void dengon_store_set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what);

/* How search sees text and queries (exposed for tests and benchmarks). */
char *dengon_store_normalize_text (const char *text);
GPtrArray *dengon_store_split_query (const char *text);
gboolean dengon_store_exec_for_testing (DengonStore *self, const char *sql, GError **error);

G_END_DECLS
