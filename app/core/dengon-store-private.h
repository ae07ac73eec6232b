/* dengon-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dengon-store.h"

G_BEGIN_DECLS

/* How search sees text and queries (exposed for tests and benchmarks). */
char *dengon_store_normalize_text (const char *text);
GPtrArray *dengon_store_split_query (const char *text);
gboolean dengon_store_exec_for_testing (DengonStore *self, const char *sql, GError **error);

G_END_DECLS
