/* dengon-memo-list-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-memo-item.h"
#include "dengon-memo-list-model.h"

/* The memos of one filter (or one search), newest first.
 *
 * Positions are keys: the model holds the key of every memo the filter
 * selects (8 bytes each), streamed from the store in keyset pages, so the
 * list knows its length and every position without holding the memos.
 * Documents are loaded off the main thread a page at a time, for the rows
 * the view shows (dengon_memo_list_model_load() from a row's bind, not
 * get_item(): GTK asks for items it never shows), into a small cache.  A search result has no
 * cheap length: it grows a page at a time as the view nears its end.
 *
 * The store's `changed` signal becomes exact `items-changed` ranges: each
 * changed memo is matched against the filter on a worker thread, and
 * inserted, replaced or removed at its position (binary search on keys). */

#define FIRST_CHUNK      200
#define KEY_CHUNK        20000
#define SEARCH_PAGE      50
#define DOC_PAGE         60
#define MAX_CACHED_ITEMS 300
/* Pages loading at once; what the view asks for meanwhile waits, the most
 * recent first (a fast scroll does not load every page it passes). */
#define MAX_PAGES_IN_FLIGHT 2
#define MAX_WANTED          32

typedef struct
{
  char *id;
  gint64 key; /* the key the change reported (the removed one for deletions) */
} PendingChange;

struct _DengonMemoListModel
{
  GObject parent_instance;

  /* Owned */
  DengonStore *store;
  DengonMemoQuery *query;
  char *search;
  GArray *keys;
  GHashTable *items;   /* key -> every live DengonMemoItem (weak) */
  GQueue recent;       /* strong references to the recent items, oldest first */
  GHashTable *loading; /* keys whose document is being loaded */
  GArray *wanted;      /* keys the view asked for while pages were loading */
  guint pages_in_flight;
  GQueue changes; /* PendingChange, in commit order */
  GCancellable *cancellable;

  guint generation;
  guint complete : 1;
  guint loading_keys : 1;
  guint processing_change : 1;
};

enum
{
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  PROP_COMPLETE,
  PROP_N_ITEMS,
  N_PROPS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DengonMemoListModel, dengon_memo_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static void load_next_chunk (DengonMemoListModel *self);
static void process_next_change (DengonMemoListModel *self);
static void request_docs (DengonMemoListModel *self, guint position);

static void
pending_change_free (PendingChange *change)
{
  g_free (change->id);
  g_free (change);
}

/* Keys are in descending order: the position of @key, or where it goes. */
static guint
find_position (GArray *keys, gint64 key, gboolean *found)
{
  guint lo = 0, hi = keys->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 k = g_array_index (keys, gint64, mid);

      if (k == key)
        {
          *found = TRUE;
          return mid;
        }
      if (k > key)
        lo = mid + 1;
      else
        hi = mid;
    }

  *found = FALSE;
  return lo;
}

static void
set_loading_keys (DengonMemoListModel *self, gboolean loading)
{
  if (self->loading_keys == !!loading)
    return;

  self->loading_keys = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_complete (DengonMemoListModel *self, gboolean complete)
{
  if (self->complete == !!complete)
    return;

  self->complete = !!complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
emit_items_changed (DengonMemoListModel *self, guint position, guint removed, guint added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Items are found by key as long as anyone holds them (the view does for
 * what it shows); the model itself keeps only the recent ones alive. */
static void
on_item_finalized (gpointer data, GObject *where_the_object_was)
{
  DengonMemoListModel *self = data;
  GHashTableIter iter;
  gpointer value;

  /* The item's key is gone with it: find it by value (rare: evictions). */
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

static void
unmap_item (DengonMemoListModel *self, gint64 key)
{
  DengonMemoItem *item = g_hash_table_lookup (self->items, &key);

  if (item != NULL)
    {
      g_object_weak_unref (G_OBJECT (item), on_item_finalized, self);
      g_hash_table_remove (self->items, &key);
    }
}

static void
cache_item (DengonMemoListModel *self, DengonMemoItem *item)
{
  gint64 key = dengon_memo_item_get_key (item);

  if (g_hash_table_lookup (self->items, &key) != item)
    {
      unmap_item (self, key);
      g_hash_table_insert (self->items, g_memdup2 (&key, sizeof key), item);
      g_object_weak_ref (G_OBJECT (item), on_item_finalized, self);
    }

  g_queue_push_tail (&self->recent, g_object_ref (item));
  while (g_queue_get_length (&self->recent) > MAX_CACHED_ITEMS)
    g_object_unref (g_queue_pop_head (&self->recent));
}

static void
forget_item (DengonMemoListModel *self, gint64 key)
{
  unmap_item (self, key);
}

static void
clear_items (DengonMemoListModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_object_weak_unref (G_OBJECT (value), on_item_finalized, self);
      g_hash_table_iter_remove (&iter);
    }
  g_queue_clear_full (&self->recent, g_object_unref);
}

/* ------------------------------------------------------------------ keys */

typedef struct
{
  DengonMemoQuery *query;
  char *search;
  gint64 before;
  guint limit;
  gboolean count; /* also count the filter's memos (to size the key array once) */
} ChunkRequest;

typedef struct
{
  GArray *keys;
  guint total;
} ChunkResult;

static void
chunk_result_free (ChunkResult *result)
{
  g_clear_pointer (&result->keys, g_array_unref);
  g_free (result);
}

static void
chunk_request_free (ChunkRequest *request)
{
  dengon_memo_query_free (request->query);
  g_free (request->search);
  g_free (request);
}

static gpointer
load_chunk_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ChunkRequest *request = data;
  g_autoptr (GPtrArray) hits = NULL;
  ChunkResult *result;
  GArray *keys;

  if (request->search == NULL)
    {
      keys = dengon_store_list_memo_keys (store, request->query, request->before, request->limit,
                                          error);
      if (keys == NULL)
        return NULL;
      result = g_new0 (ChunkResult, 1);
      result->keys = keys;
      if (request->count)
        result->total = dengon_store_count_memos (store, request->query, 0, NULL);
      return result;
    }

  hits = dengon_store_search_memos (store, request->search, request->query, request->before,
                                    request->limit, error);
  if (hits == NULL)
    return NULL;

  keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), hits->len);
  for (guint i = 0; i < hits->len; i++)
    g_array_append_val (keys, ((DengonMemoHit *) hits->pdata[i])->key);

  result = g_new0 (ChunkResult, 1);
  result->keys = keys;

  return result;
}

typedef struct
{
  DengonMemoListModel *self;
  guint generation;
  guint limit;
} ChunkContext;

static void
on_chunk_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ChunkContext *context = user_data;
  g_autoptr (DengonMemoListModel) self = context->self;
  g_autoptr (GError) error = NULL;
  ChunkResult *chunk = NULL;
  GArray *keys;
  guint generation = context->generation, limit = context->limit;
  guint position, added = 0;

  g_free (context);
  chunk = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (generation != self->generation)
    {
      g_clear_pointer (&chunk, chunk_result_free);
      return;
    }

  set_loading_keys (self, FALSE);

  if (chunk == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list memos: %s", error->message);
      return;
    }

  keys = chunk->keys;

  /* Room for every key at once: a doubling array would keep up to twice
   * what 1M keys need. */
  if (chunk->total > self->keys->len + keys->len)
    {
      GArray *sized = g_array_sized_new (FALSE, FALSE, sizeof (gint64), chunk->total + 256);

      g_array_append_vals (sized, self->keys->data, self->keys->len);
      g_array_unref (self->keys);
      self->keys = sized;
    }

  /* A key a change event already inserted is not added twice. */
  position = self->keys->len;
  for (guint i = 0; i < keys->len; i++)
    {
      gint64 key = g_array_index (keys, gint64, i);
      gboolean found;

      find_position (self->keys, key, &found);
      if (!found)
        {
          g_array_append_val (self->keys, key);
          added++;
        }
    }

  if (keys->len < limit)
    set_complete (self, TRUE);

  if (added > 0)
    emit_items_changed (self, position, 0, added);

  chunk_result_free (chunk);

  /* A filter streams every key; a search waits for the view to ask. */
  if (!self->complete && self->search == NULL)
    load_next_chunk (self);
}

static void
load_next_chunk (DengonMemoListModel *self)
{
  ChunkRequest *request;
  ChunkContext *context;

  if (self->complete || self->loading_keys)
    return;

  request = g_new0 (ChunkRequest, 1);
  request->query = dengon_memo_query_copy (self->query);
  request->search = g_strdup (self->search);
  request->before =
      self->keys->len > 0 ? g_array_index (self->keys, gint64, self->keys->len - 1) : 0;
  if (self->search != NULL)
    request->limit = SEARCH_PAGE;
  else
    request->limit = self->keys->len == 0 ? FIRST_CHUNK : KEY_CHUNK;
  /* Counted once, with the second chunk: the first one is on screen by then. */
  request->count = self->search == NULL && self->keys->len > 0 && self->keys->len <= FIRST_CHUNK;

  context = g_new0 (ChunkContext, 1);
  context->self = g_object_ref (self);
  context->generation = self->generation;
  context->limit = request->limit;

  set_loading_keys (self, TRUE);
  /* The first page is on screen at once; the rest of the keys can wait. */
  dengon_store_run_async_full (
      self->store, self->keys->len == 0 ? G_PRIORITY_DEFAULT : G_PRIORITY_LOW, load_chunk_thread,
      request, (GDestroyNotify) chunk_request_free, (GDestroyNotify) chunk_result_free,
      self->cancellable, on_chunk_loaded, context);
}

static void
reset (DengonMemoListModel *self)
{
  guint removed = self->keys->len;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;

  g_array_set_size (self->keys, 0);
  clear_items (self);
  g_hash_table_remove_all (self->loading);
  g_array_set_size (self->wanted, 0);
  self->pages_in_flight = 0;
  g_queue_clear_full (&self->changes, (GDestroyNotify) pending_change_free);
  self->processing_change = FALSE;
  self->loading_keys = FALSE;
  set_complete (self, FALSE);

  if (removed > 0)
    emit_items_changed (self, 0, removed, 0);

  load_next_chunk (self);
}

/* ------------------------------------------------------------------ documents */

typedef struct
{
  GArray *keys;
} DocsRequest;

static void
docs_request_free (DocsRequest *request)
{
  g_array_unref (request->keys);
  g_free (request);
}

static gpointer
load_docs_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  DocsRequest *request = data;

  return dengon_store_load_memos_by_keys (store, (const gint64 *) request->keys->data,
                                          request->keys->len, error);
}

typedef struct
{
  DengonMemoListModel *self;
  guint generation;
  GArray *keys;
} DocsContext;

static void
on_docs_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DocsContext *context = user_data;
  g_autoptr (DengonMemoListModel) self = context->self;
  g_autoptr (GArray) requested = context->keys;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint generation = context->generation;

  g_free (context);
  rows = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (generation != self->generation)
    return;

  for (guint i = 0; i < requested->len; i++)
    g_hash_table_remove (self->loading, &g_array_index (requested, gint64, i));
  self->pages_in_flight--;

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load memos: %s", error->message);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      DengonMemoRecord *row = rows->pdata[i];
      DengonMemoItem *item = g_hash_table_lookup (self->items, &row->key);

      if (item != NULL && !dengon_memo_item_get_loaded (item))
        dengon_memo_item_set_doc (item, row->doc);
    }

  /* The most recent wish first: that is what is on screen now. */
  while (self->pages_in_flight < MAX_PAGES_IN_FLIGHT && self->wanted->len > 0)
    {
      gint64 key = g_array_index (self->wanted, gint64, self->wanted->len - 1);
      gboolean found;
      guint position = find_position (self->keys, key, &found);

      g_array_set_size (self->wanted, self->wanted->len - 1);
      if (found)
        request_docs (self, position);
    }
}

/* Loads the documents from @position on that are neither loaded nor on
 * their way, a page at a time. */
static void
request_docs (DengonMemoListModel *self, guint position)
{
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  DocsRequest *request;
  DocsContext *context;

  for (guint i = position; i < self->keys->len && keys->len < DOC_PAGE; i++)
    {
      gint64 key = g_array_index (self->keys, gint64, i);
      DengonMemoItem *item = g_hash_table_lookup (self->items, &key);

      if (g_hash_table_contains (self->loading, &key))
        continue;
      if (item != NULL && dengon_memo_item_get_loaded (item))
        continue;

      /* The view will ask for the rest of the page next: make their items now. */
      if (item == NULL)
        {
          g_autoptr (DengonMemoItem) fresh = dengon_memo_item_new (key);

          cache_item (self, fresh);
        }
      g_array_append_val (keys, key);
      g_hash_table_add (self->loading, g_memdup2 (&key, sizeof key));
    }

  if (keys->len == 0)
    return;

  self->pages_in_flight++;
  request = g_new0 (DocsRequest, 1);
  request->keys = g_array_ref (keys);

  context = g_new0 (DocsContext, 1);
  context->self = g_object_ref (self);
  context->generation = self->generation;
  context->keys = g_array_ref (keys);

  dengon_store_run_async (self->store, load_docs_thread, request,
                          (GDestroyNotify) docs_request_free, (GDestroyNotify) g_ptr_array_unref,
                          self->cancellable, on_docs_loaded, context);
}

/* ------------------------------------------------------------------ changes */

typedef struct
{
  DengonMemoQuery *query;
  char *id;
  gboolean search;
} MatchRequest;

typedef struct
{
  gint64 key;            /* 0: the filter does not select the memo (any more) */
  DengonMemoRecord *row; /* its document, so the replaced row shows at once */
} MatchResult;

static void
match_request_free (MatchRequest *request)
{
  dengon_memo_query_free (request->query);
  g_free (request->id);
  g_free (request);
}

static void
match_result_free (MatchResult *result)
{
  g_clear_pointer (&result->row, dengon_memo_record_free);
  g_free (result);
}

static gpointer
match_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  MatchRequest *request = data;
  g_autoptr (GPtrArray) rows = NULL;
  MatchResult *result = g_new0 (MatchResult, 1);
  GError *local_error = NULL;

  result->key = dengon_store_match_memo (store, request->query, request->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      match_result_free (result);
      return NULL;
    }

  if (result->key != 0)
    {
      rows = dengon_store_load_memos_by_keys (store, &result->key, 1, NULL);
      if (rows != NULL && rows->len == 1)
        result->row = g_ptr_array_steal_index (rows, 0);
    }

  return result;
}

typedef struct
{
  DengonMemoListModel *self;
  guint generation;
  gint64 reported_key;
} MatchContext;

static void
apply_match (DengonMemoListModel *self, MatchResult *result, gint64 reported_key)
{
  gboolean found;
  guint position;

  if (result->key != 0)
    {
      g_autoptr (DengonMemoItem) item = dengon_memo_item_new (result->key);

      if (result->row != NULL)
        dengon_memo_item_set_doc (item, result->row->doc);

      position = find_position (self->keys, result->key, &found);
      if (found)
        {
          cache_item (self, item);
          emit_items_changed (self, position, 1, 1);
          return;
        }

      /* A search shows what it found when it ran; a filter takes new
       * memos in, unless they fall past the keys loaded so far (they come
       * with a later chunk). */
      if (self->search != NULL || (!self->complete && position == self->keys->len))
        return;

      g_array_insert_val (self->keys, position, result->key);
      cache_item (self, item);
      emit_items_changed (self, position, 0, 1);
      return;
    }

  if (reported_key == 0)
    return;

  position = find_position (self->keys, reported_key, &found);
  if (!found)
    return;

  g_array_remove_index (self->keys, position);
  forget_item (self, reported_key);
  emit_items_changed (self, position, 1, 0);
}

static void
on_match_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  MatchContext *context = user_data;
  g_autoptr (DengonMemoListModel) self = context->self;
  g_autoptr (GError) error = NULL;
  MatchResult *result;
  guint generation = context->generation;
  gint64 reported_key = context->reported_key;

  g_free (context);
  result = dengon_store_run_finish (DENGON_STORE (source), res, &error);

  if (generation != self->generation)
    {
      g_clear_pointer (&result, match_result_free);
      return;
    }

  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not update the memo list: %s", error->message);
    }
  else
    {
      apply_match (self, result, reported_key);
      match_result_free (result);
    }

  self->processing_change = FALSE;
  process_next_change (self);
}

/* One change at a time, in commit order, so positions stay exact. */
static void
process_next_change (DengonMemoListModel *self)
{
  PendingChange *change;
  MatchRequest *request;
  MatchContext *context;

  if (self->processing_change)
    return;

  change = g_queue_pop_head (&self->changes);
  if (change == NULL)
    return;

  request = g_new0 (MatchRequest, 1);
  request->query = dengon_memo_query_copy (self->query);
  request->id = g_strdup (change->id);

  context = g_new0 (MatchContext, 1);
  context->self = g_object_ref (self);
  context->generation = self->generation;
  context->reported_key = change->key;

  self->processing_change = TRUE;
  pending_change_free (change);

  dengon_store_run_async (self->store, match_thread, request, (GDestroyNotify) match_request_free,
                          (GDestroyNotify) match_result_free, self->cancellable, on_match_done,
                          context);
}

static void
on_store_changed (DengonMemoListModel *self, GPtrArray *changes, DengonStore *store)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];
      PendingChange *pending;

      if (change->memo_key == 0 && g_strcmp0 (change->type, "memo") != 0)
        continue;

      pending = g_new0 (PendingChange, 1);
      pending->id = g_strdup (change->id);
      pending->key = change->memo_key;
      g_queue_push_tail (&self->changes, pending);
    }

  process_next_change (self);
}

/* ------------------------------------------------------------------ GListModel */

static GType
dengon_memo_list_model_get_item_type (GListModel *model)
{
  return DENGON_TYPE_MEMO_ITEM;
}

static guint
dengon_memo_list_model_get_n_items (GListModel *model)
{
  return DENGON_MEMO_LIST_MODEL (model)->keys->len;
}

static gpointer
dengon_memo_list_model_get_item (GListModel *model, guint position)
{
  DengonMemoListModel *self = DENGON_MEMO_LIST_MODEL (model);
  DengonMemoItem *item;
  gint64 key;

  if (position >= self->keys->len)
    return NULL;

  key = g_array_index (self->keys, gint64, position);
  item = g_hash_table_lookup (self->items, &key);

  /* A search grows when the view comes near its end. */
  if (self->search != NULL && position + SEARCH_PAGE / 2 >= self->keys->len)
    load_next_chunk (self);

  /* Just the key: the document comes when a row shows the item
   * (dengon_memo_list_model_load()), or with a page already on its way. */
  if (item == NULL)
    {
      g_autoptr (DengonMemoItem) fresh = dengon_memo_item_new (key);

      cache_item (self, fresh);
      return g_steal_pointer (&fresh);
    }

  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = dengon_memo_list_model_get_item_type;
  iface->get_n_items = dengon_memo_list_model_get_n_items;
  iface->get_item = dengon_memo_list_model_get_item;
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_memo_list_model_constructed (GObject *object)
{
  DengonMemoListModel *self = DENGON_MEMO_LIST_MODEL (object);

  G_OBJECT_CLASS (dengon_memo_list_model_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  reset (self);
}

static void
dengon_memo_list_model_dispose (GObject *object)
{
  DengonMemoListModel *self = DENGON_MEMO_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dengon_memo_list_model_parent_class)->dispose (object);
}

static void
dengon_memo_list_model_finalize (GObject *object)
{
  DengonMemoListModel *self = DENGON_MEMO_LIST_MODEL (object);

  g_clear_pointer (&self->query, dengon_memo_query_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->keys, g_array_unref);
  if (self->items != NULL)
    clear_items (self);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->loading, g_hash_table_unref);
  g_clear_pointer (&self->wanted, g_array_unref);
  g_queue_clear_full (&self->changes, (GDestroyNotify) pending_change_free);

  G_OBJECT_CLASS (dengon_memo_list_model_parent_class)->finalize (object);
}

static void
dengon_memo_list_model_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  DengonMemoListModel *self = DENGON_MEMO_LIST_MODEL (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;

      case PROP_LOADING:
        g_value_set_boolean (value, dengon_memo_list_model_get_loading (self));
        break;

      case PROP_COMPLETE:
        g_value_set_boolean (value, self->complete);
        break;

      case PROP_N_ITEMS:
        g_value_set_uint (value, self->keys->len);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_memo_list_model_set_property (GObject *object, guint prop_id, const GValue *value,
                                     GParamSpec *pspec)
{
  DengonMemoListModel *self = DENGON_MEMO_LIST_MODEL (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_memo_list_model_class_init (DengonMemoListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dengon_memo_list_model_constructed;
  object_class->dispose = dengon_memo_list_model_dispose;
  object_class->finalize = dengon_memo_list_model_finalize;
  object_class->get_property = dengon_memo_list_model_get_property;
  object_class->set_property = dengon_memo_list_model_set_property;

  properties[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, DENGON_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
      g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
      g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
      g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dengon_memo_list_model_init (DengonMemoListModel *self)
{
  self->keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->loading = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->query = dengon_memo_query_copy (NULL);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->recent);
  g_queue_init (&self->changes);
}

DengonMemoListModel *
dengon_memo_list_model_new (DengonStore *store)
{
  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);

  return g_object_new (DENGON_TYPE_MEMO_LIST_MODEL, "store", store, NULL);
}

/* Shows the memos @query selects (NULL: every memo), and drops a search. */
void
dengon_memo_list_model_set_query (DengonMemoListModel *self, const DengonMemoQuery *query)
{
  g_return_if_fail (DENGON_IS_MEMO_LIST_MODEL (self));

  if (dengon_memo_query_equal (self->query, query) && self->search == NULL)
    return;

  dengon_memo_query_free (self->query);
  self->query = dengon_memo_query_copy (query);
  g_clear_pointer (&self->search, g_free);
  reset (self);
}

const DengonMemoQuery *
dengon_memo_list_model_get_query (DengonMemoListModel *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_LIST_MODEL (self), NULL);

  return self->query;
}

/* Searches within the current query; NULL or blank text ends the search. */
void
dengon_memo_list_model_set_search (DengonMemoListModel *self, const char *text)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (DENGON_IS_MEMO_LIST_MODEL (self));

  if (text != NULL)
    {
      stripped = g_strstrip (g_strdup (text));
      if (*stripped == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (g_strcmp0 (stripped, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&stripped);
  reset (self);
}

const char *
dengon_memo_list_model_get_search (DengonMemoListModel *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_LIST_MODEL (self), NULL);

  return self->search;
}

/* TRUE while the first page, or more keys, are on their way. */
gboolean
dengon_memo_list_model_get_loading (DengonMemoListModel *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_LIST_MODEL (self), FALSE);

  return self->loading_keys;
}

/* Loads the document of the memo at @position (and its page) unless it is
 * there or on its way: for a row that shows it. */
void
dengon_memo_list_model_load (DengonMemoListModel *self, guint position)
{
  DengonMemoItem *item;
  gint64 key;

  g_return_if_fail (DENGON_IS_MEMO_LIST_MODEL (self));

  if (position >= self->keys->len)
    return;

  key = g_array_index (self->keys, gint64, position);
  item = g_hash_table_lookup (self->items, &key);
  if ((item != NULL && dengon_memo_item_get_loaded (item)) ||
      g_hash_table_contains (self->loading, &key))
    return;

  request_docs (self, position);
}

/* TRUE while keys stream in or store changes wait to be applied. */
gboolean
dengon_memo_list_model_get_busy (DengonMemoListModel *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_LIST_MODEL (self), FALSE);

  return self->loading_keys || self->processing_change || !g_queue_is_empty (&self->changes) ||
         self->pages_in_flight > 0;
}

/* TRUE once every key is known: n_items is then the exact count. */
gboolean
dengon_memo_list_model_get_complete (DengonMemoListModel *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_LIST_MODEL (self), FALSE);

  return self->complete;
}

/* The position of the memo with @key, or -1. */
int
dengon_memo_list_model_find (DengonMemoListModel *self, gint64 key)
{
  gboolean found;
  guint position;

  g_return_val_if_fail (DENGON_IS_MEMO_LIST_MODEL (self), -1);

  position = find_position (self->keys, key, &found);

  return found ? (int) position : -1;
}
