/* dengon-script-library.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dengon-script.h"
#include "dengon-store.h"

G_BEGIN_DECLS

/* The default scripts shipped in the binary (data/scripts/), and the choice of a script. */

/* The shipped script documents (mutable JSON objects), in a stable order. */
GPtrArray *dengon_script_library_builtin_docs (void);
/* The shipped script @id ("script:general-ja"), or %NULL. */
DengonScript *dengon_script_library_builtin (const char *id);
/* The shipped default script for @lang ("ja"/"en") and @direction ("in"/"out"). Never %NULL. */
DengonScript *dengon_script_library_builtin_default (const char *lang, const char *direction);

/* Puts every shipped script that the store has never had. A script the office deleted stays
 * deleted; one it edited stays as edited. @n_imported (may be %NULL) gets how many. Blocking: call
 * it from dengon_store_run_async() or at start-up. */
gboolean dengon_script_library_import_defaults (DengonStore *store, guint *n_imported,
                                                GError **error);

/* Reads every "script" document of @store: @scripts gets the valid ones (DengonScript, sorted by
 * order then name) and @problems (may be %NULL) one message per invalid one, naming the document,
 * the step and the field. Blocking. */
gboolean dengon_script_library_load (DengonStore *store, GPtrArray **scripts, GPtrArray **problems,
                                     GError **error);

/* From @scripts (DengonScript), the one with id @wanted_id if there is one; else the office's
 * default for @lang and @direction; else the shipped default. Never %NULL (transfer full). */
DengonScript *dengon_script_library_pick (GPtrArray *scripts, const char *wanted_id,
                                          const char *lang, const char *direction);

G_END_DECLS
