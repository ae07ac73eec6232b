/* dengon-conflict-resolver.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_TYPE_CONFLICT_RESOLVER (dengon_conflict_resolver_get_type ())

G_DECLARE_FINAL_TYPE (DengonConflictResolver, dengon_conflict_resolver, DENGON, CONFLICT_RESOLVER,
                      GObject)

/* Watches @store for documents with more than one live leaf (two desks changed one document
 * apart). Memos are merged at once: the union of their histories (dengon_memo_merge()) is
 * written on the winning leaf and the other leaves are closed; every desk doing this writes the
 * same revisions, so they converge. Other documents keep CouchDB's winner and wait for a person
 * (::unresolved). The work runs on worker threads. */
DengonConflictResolver *dengon_conflict_resolver_new (DengonStore *store);

/* Ids of the documents in conflict that need a person, sorted. */
GStrv dengon_conflict_resolver_dup_unresolved (DengonConflictResolver *self);
guint dengon_conflict_resolver_get_n_unresolved (DengonConflictResolver *self);
/* Memos merged since the resolver started. */
guint dengon_conflict_resolver_get_n_merged (DengonConflictResolver *self);
/* Whether no check is under way or waiting. */
gboolean dengon_conflict_resolver_is_idle (DengonConflictResolver *self);

/* Keeps leaf @rev of @id: its content becomes the document, every other live leaf is closed. */
void dengon_conflict_resolver_choose_async (DengonConflictResolver *self, const char *id,
                                            const char *rev, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean dengon_conflict_resolver_choose_finish (DengonConflictResolver *self, GAsyncResult *result,
                                                 GError **error);

/* The merge of live leaves @leaves (documents with _id and _rev, the winner first), or %NULL when
 * they are not all valid memos. Exposed for tests. */
JsonObject *dengon_conflict_merge_memos (GPtrArray *leaves);

G_END_DECLS
