/* dengon-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DENGON_STORE_ERROR (dengon_store_error_quark ())

typedef enum
{
  DENGON_STORE_ERROR_NOT_FOUND,
  DENGON_STORE_ERROR_CONFLICT,
  DENGON_STORE_ERROR_INVALID,
  DENGON_STORE_ERROR_CORRUPT,
  DENGON_STORE_ERROR_FOREIGN,
  DENGON_STORE_ERROR_TOO_NEW,
  DENGON_STORE_ERROR_FULL,
  DENGON_STORE_ERROR_READ_ONLY,
  DENGON_STORE_ERROR_FAILED,
} DengonStoreError;

/* The schema version this build writes; older files are migrated forward. */
#define DENGON_STORE_SCHEMA_VERSION 5

/* What one commit changed, in commit order: one entry per document. */
typedef struct
{
  char *id;
  char *rev;  /* the winning revision after the commit */
  char *type; /* "memo", "contact", ...; NULL when unknown */
  gint64 seq;
  gint64 memo_key; /* the memo's position key (newest first), 0 when not a memo */
  guint deleted : 1;
  guint created : 1; /* the document did not exist before */
} DengonStoreChange;

/* A change in the changes feed: every leaf revision, the winner first. */
typedef struct
{
  char *id;
  gint64 seq;
  GStrv revs;
  gboolean deleted;
} DengonStoreFeedEntry;

typedef enum
{
  DENGON_STORE_GET_CONFLICTS = 1 << 0, /* add _conflicts (non-deleted losing leaves) */
  DENGON_STORE_GET_REVISIONS = 1 << 1, /* add _revisions {start, ids} */
  DENGON_STORE_GET_DELETED = 1 << 2,   /* return a deleted winner instead of NOT_FOUND */
} DengonStoreGetFlags;

/* Which memos a list shows.  Zero-filled means every memo. */
typedef struct
{
  guint status_mask;    /* bit (1 << DengonMemoStatus); 0 = any */
  const char *assignee; /* "staff:..."; NULL = anyone */
  gboolean unassigned;  /* only memos assigned to nobody */
  const char *category; /* NULL = any */
  const char *number;   /* phone key of the caller; NULL = any */
  gint64 from_ms;       /* created at or after (ms since the epoch); 0 = no bound */
  gint64 to_ms;         /* created before; 0 = no bound */
  gint64 overdue_at_ms; /* callback requested by a time before this, memo not done; 0 = off */
} DengonMemoQuery;

typedef struct
{
  gint64 key;
  char *id;
} DengonMemoHit;

/* A memo as lists show it: its key, id, winning revision and body. */
typedef struct
{
  gint64 key;
  char *id;
  char *rev;
  JsonObject *doc; /* with _id and _rev; immutable */
} DengonMemoRecord;

#define DENGON_TYPE_STORE (dengon_store_get_type ())

G_DECLARE_FINAL_TYPE (DengonStore, dengon_store, DENGON, STORE, GObject)

typedef gpointer (*DengonStoreThreadFunc) (DengonStore *store, gpointer data,
                                           GCancellable *cancellable, GError **error);

GQuark dengon_store_error_quark (void);

DengonStore *dengon_store_open (const char *path, GError **error);
const char *dengon_store_get_path (DengonStore *self);
const char *dengon_store_get_uuid (DengonStore *self);
gint64 dengon_store_get_update_seq (DengonStore *self);
char *dengon_store_move_aside (const char *path, GError **error);

/* Documents (CouchDB semantics). */
JsonObject *dengon_store_get (DengonStore *self, const char *id, GError **error);
JsonObject *dengon_store_get_full (DengonStore *self, const char *id, const char *rev,
                                   DengonStoreGetFlags flags, GError **error);
char *dengon_store_put (DengonStore *self, JsonObject *doc, GError **error);
/* Every document of @docs in one transaction: all are written or none (the error names the
 * document that failed).  Returns the new revisions in order. */
GStrv dengon_store_put_many (DengonStore *self, GPtrArray *docs, GError **error);
char *dengon_store_delete (DengonStore *self, const char *id, const char *rev, GError **error);
GStrv dengon_store_get_conflicts (DengonStore *self, const char *id, GError **error);
GPtrArray *dengon_store_get_leaves (DengonStore *self, const char *id, gboolean include_deleted,
                                    GError **error);
GPtrArray *dengon_store_list_by_type (DengonStore *self, const char *type, GError **error);

/* Replication (new_edits=false): store revisions with their _revisions ancestry. */
gboolean dengon_store_put_replicated (DengonStore *self, GPtrArray *docs, GPtrArray **failures,
                                      GError **error);
JsonObject *dengon_store_revs_diff (DengonStore *self, JsonObject *request, GError **error);
JsonArray *dengon_store_open_revs (DengonStore *self, const char *id, const char *const *revs,
                                   gboolean latest, GError **error);
GPtrArray *dengon_store_changes (DengonStore *self, gint64 since, guint limit, gint64 *last_seq,
                                 GError **error);
/* How many documents are in the changes feed after @since (CouchDB's "pending"); -1 on error. */
gint64 dengon_store_count_changes (DengonStore *self, gint64 since, GError **error);
/* Documents whose winner is live, and whose winner is deleted (doc_count, doc_del_count). */
gboolean dengon_store_count_documents (DengonStore *self, gint64 *live, gint64 *deleted,
                                       GError **error);
/* Ids, sorted, of the documents with more than one live leaf (a conflict), among @ids (%NULL:
 * every document). */
GStrv dengon_store_list_conflicted (DengonStore *self, const char *const *ids, GError **error);

/* Local documents: never replicated, no revision tree ("0-N" revisions). */
JsonObject *dengon_store_get_local (DengonStore *self, const char *id, GError **error);
char *dengon_store_put_local (DengonStore *self, const char *id, JsonObject *doc, GError **error);
gboolean dengon_store_delete_local (DengonStore *self, const char *id, GError **error);
/* Every local document whose id starts with @prefix, by id ("_id" is "_local/<id>"). */
GPtrArray *dengon_store_list_local (DengonStore *self, const char *prefix, GError **error);

/* Memo queries, newest first, paged by key (pass the last key seen, 0 for the top). */
GPtrArray *dengon_store_list_memos (DengonStore *self, const DengonMemoQuery *query,
                                    gint64 before_key, guint limit, GError **error);
GPtrArray *dengon_store_search_memos (DengonStore *self, const char *text,
                                      const DengonMemoQuery *query, gint64 before_key, guint limit,
                                      GError **error);
guint dengon_store_count_memos (DengonStore *self, const DengonMemoQuery *query, guint cap,
                                GError **error);
gint64 dengon_store_get_memo_key (DengonStore *self, const char *id, GError **error);
GArray *dengon_store_list_memo_keys (DengonStore *self, const DengonMemoQuery *query,
                                     gint64 before_key, guint limit, GError **error);
GPtrArray *dengon_store_load_memos_by_keys (DengonStore *self, const gint64 *keys, guint n_keys,
                                            GError **error);
gint64 dengon_store_get_next_callback (DengonStore *self, gint64 after_ms, GError **error);
GPtrArray *dengon_store_list_callbacks (DengonStore *self, const char *assignee, gint64 from_ms,
                                        gint64 to_ms, GError **error);
gint64 dengon_store_match_memo (DengonStore *self, const DengonMemoQuery *query, const char *id,
                                GError **error);

/* Run @func on a worker thread with this store; the UI never blocks on the database. */
void dengon_store_run_async (DengonStore *self, DengonStoreThreadFunc func, gpointer data,
                             GDestroyNotify data_destroy, GDestroyNotify result_destroy,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data);
void dengon_store_run_async_full (DengonStore *self, int priority, DengonStoreThreadFunc func,
                                  gpointer data, GDestroyNotify data_destroy,
                                  GDestroyNotify result_destroy, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gpointer dengon_store_run_finish (DengonStore *self, GAsyncResult *result, GError **error);

void dengon_store_put_async (DengonStore *self, JsonObject *doc, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
char *dengon_store_put_finish (DengonStore *self, GAsyncResult *result, GError **error);

/* Revision ids "N-hash". */
gboolean dengon_rev_parse (const char *rev, gint64 *pos, const char **hash);
int dengon_rev_compare_winner (gint64 pos_a, const char *hash_a, gboolean deleted_a, gint64 pos_b,
                               const char *hash_b, gboolean deleted_b);

void dengon_store_change_free (DengonStoreChange *change);
void dengon_store_feed_entry_free (DengonStoreFeedEntry *entry);
void dengon_memo_hit_free (DengonMemoHit *hit);
void dengon_memo_record_free (DengonMemoRecord *row);
DengonMemoQuery *dengon_memo_query_copy (const DengonMemoQuery *query);
void dengon_memo_query_free (DengonMemoQuery *query);
gboolean dengon_memo_query_equal (const DengonMemoQuery *a, const DengonMemoQuery *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonStoreChange, dengon_store_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonMemoRecord, dengon_memo_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonMemoQuery, dengon_memo_query_free)

G_END_DECLS
