/* dengon-memo-counts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-memo-counts.h"

/* The live counts beside the inbox's filters.  Every count is capped and
 * all of them are recounted together, off the main thread, a moment after
 * the store changed (a burst of changes costs one recount). */
#define SETTLE_MS 150

typedef struct
{
  char *name;
  DengonMemoQuery *query;
  guint count;
} Entry;

struct _DengonMemoCounts
{
  GObject parent_instance;

  DengonStore *store;
  GPtrArray *entries;
  GCancellable *cancellable;
  guint settle_source;
  guint running : 1;
  guint again : 1;
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DengonMemoCounts, dengon_memo_counts, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  dengon_memo_query_free (entry->query);
  g_free (entry);
}

static Entry *
find_entry (DengonMemoCounts *self, const char *name)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->name, name))
        return entry;
    }

  return NULL;
}

static gpointer
count_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  GPtrArray *queries = data;
  GArray *counts = g_array_sized_new (FALSE, FALSE, sizeof (guint), queries->len);

  for (guint i = 0; i < queries->len; i++)
    {
      guint count = 0;

      if (!g_cancellable_is_cancelled (cancellable))
        count = dengon_store_count_memos (store, g_ptr_array_index (queries, i),
                                          DENGON_MEMO_COUNT_CAP, NULL);
      g_array_append_val (counts, count);
    }

  return counts;
}

static void start_count (DengonMemoCounts *self);

typedef struct
{
  DengonMemoCounts *self;
  GPtrArray *names;
} CountContext;

static void
on_counted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CountContext *context = user_data;
  g_autoptr (DengonMemoCounts) self = context->self;
  g_autoptr (GPtrArray) names = context->names;
  g_autoptr (GArray) counts = NULL;
  g_autoptr (GError) error = NULL;

  g_free (context);
  counts = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  self->running = FALSE;

  if (counts == NULL)
    return;

  for (guint i = 0; i < names->len && i < counts->len; i++)
    {
      Entry *entry = find_entry (self, g_ptr_array_index (names, i));
      guint count = g_array_index (counts, guint, i);

      if (entry != NULL && entry->count != count)
        {
          entry->count = count;
          g_signal_emit (self, signals[CHANGED], g_quark_from_string (entry->name), entry->name);
        }
    }

  if (self->again)
    {
      self->again = FALSE;
      start_count (self);
    }
}

static void
start_count (DengonMemoCounts *self)
{
  g_autoptr (GPtrArray) queries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_memo_query_free);
  CountContext *context;

  if (self->running)
    {
      self->again = TRUE;
      return;
    }

  context = g_new0 (CountContext, 1);
  context->self = g_object_ref (self);
  context->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      g_ptr_array_add (context->names, g_strdup (entry->name));
      g_ptr_array_add (queries, dengon_memo_query_copy (entry->query));
    }

  self->running = TRUE;
  dengon_store_run_async_full (self->store, G_PRIORITY_LOW, count_thread,
                               g_steal_pointer (&queries), (GDestroyNotify) g_ptr_array_unref,
                               (GDestroyNotify) g_array_unref, self->cancellable, on_counted,
                               context);
}

static gboolean
on_settled (gpointer user_data)
{
  DengonMemoCounts *self = user_data;

  self->settle_source = 0;
  start_count (self);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (DengonMemoCounts *self, GPtrArray *changes, DengonStore *store)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];

      if (change->memo_key != 0)
        {
          dengon_memo_counts_refresh (self);
          return;
        }
    }
}

static void
dengon_memo_counts_dispose (GObject *object)
{
  DengonMemoCounts *self = DENGON_MEMO_COUNTS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dengon_memo_counts_parent_class)->dispose (object);
}

static void
dengon_memo_counts_finalize (GObject *object)
{
  DengonMemoCounts *self = DENGON_MEMO_COUNTS (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dengon_memo_counts_parent_class)->finalize (object);
}

static void
dengon_memo_counts_class_init (DengonMemoCountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dengon_memo_counts_dispose;
  object_class->finalize = dengon_memo_counts_finalize;

  /**
   * DengonMemoCounts::changed:
   * @name: the count that changed (also the signal's detail)
   */
  signals[CHANGED] =
      g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dengon_memo_counts_init (DengonMemoCounts *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->cancellable = g_cancellable_new ();
}

DengonMemoCounts *
dengon_memo_counts_new (DengonStore *store)
{
  DengonMemoCounts *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);

  self = g_object_new (DENGON_TYPE_MEMO_COUNTS, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);

  return self;
}

void
dengon_memo_counts_set_query (DengonMemoCounts *self, const char *name,
                              const DengonMemoQuery *query)
{
  Entry *entry;

  g_return_if_fail (DENGON_IS_MEMO_COUNTS (self));
  g_return_if_fail (name != NULL);

  entry = find_entry (self, name);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->name = g_strdup (name);
      g_ptr_array_add (self->entries, entry);
    }
  else if (dengon_memo_query_equal (entry->query, query))
    return;

  dengon_memo_query_free (entry->query);
  entry->query = dengon_memo_query_copy (query);
  dengon_memo_counts_refresh (self);
}

void
dengon_memo_counts_remove (DengonMemoCounts *self, const char *name)
{
  Entry *entry;

  g_return_if_fail (DENGON_IS_MEMO_COUNTS (self));

  entry = find_entry (self, name);
  if (entry != NULL)
    g_ptr_array_remove (self->entries, entry);
}

guint
dengon_memo_counts_get (DengonMemoCounts *self, const char *name)
{
  Entry *entry;

  g_return_val_if_fail (DENGON_IS_MEMO_COUNTS (self), 0);

  entry = find_entry (self, name);

  return entry != NULL ? entry->count : 0;
}

void
dengon_memo_counts_refresh (DengonMemoCounts *self)
{
  g_return_if_fail (DENGON_IS_MEMO_COUNTS (self));

  if (self->settle_source == 0)
    self->settle_source = g_timeout_add (SETTLE_MS, on_settled, self);
}

gboolean
dengon_memo_counts_get_busy (DengonMemoCounts *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_COUNTS (self), FALSE);

  return self->running || self->settle_source != 0;
}

/* "12", or "999+" at the cap. */
char *
dengon_memo_count_format (guint count)
{
  if (count >= DENGON_MEMO_COUNT_CAP)
    return g_strdup_printf ("%u+", DENGON_MEMO_COUNT_CAP - 1);

  return g_strdup_printf ("%u", count);
}
