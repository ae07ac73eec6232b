/* test-memo-list-model.c: the inbox's list model against a real store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dengon-json.h"
#include "dengon-memo-counts.h"
#include "dengon-memo-item.h"
#include "dengon-memo-list-model.h"
#include "dengon-memo.h"
#include "dengon-store.h"

typedef struct
{
  char *dir;
  DengonStore *store;
  DengonMemoListModel *model;
  GArray *events; /* (position, removed, added) triples */
  GPtrArray *ids; /* memo ids, oldest first */
} Fixture;

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  guint triple[3] = { position, removed, added };

  g_array_append_vals (f->events, triple, 3);
}

static GDateTime *
minute (guint i)
{
  g_autoptr (GDateTime) base = g_date_time_new_utc (2026, 11, 1, 9, 0, 0);

  return g_date_time_add_minutes (base, i);
}

/* A memo created at minute @i (keys follow creation time). */
static char *
add_memo (Fixture *f, guint i, const char *name)
{
  g_autoptr (GDateTime) created = minute (i);
  g_autoptr (JsonObject) memo = dengon_memo_new ("staff:aya", created);
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = NULL;

  dengon_memo_set_caller (memo, name, NULL, NULL);
  dengon_memo_set_message (memo, "お電話がありました");
  rev = dengon_store_put (f->store, memo, &error);
  g_assert_no_error (error);

  return g_strdup (dengon_json_get_string (memo, "_id"));
}

static void
add_memos_in_bulk (Fixture *f, guint from, guint n)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GError) error = NULL;

  for (guint i = from; i < from + n; i++)
    {
      g_autoptr (GDateTime) created = minute (i);
      JsonObject *memo = dengon_memo_new ("staff:aya", created);
      g_autoptr (JsonObject) revisions = json_object_new ();
      JsonArray *ids = json_array_new ();
      char hash[33];

      g_snprintf (hash, sizeof hash, "%032x", i + 1);
      json_array_add_string_element (ids, hash);
      json_object_set_int_member (revisions, "start", 1);
      json_object_set_array_member (revisions, "ids", ids);
      json_object_set_object_member (memo, "_revisions", json_object_ref (revisions));
      {
        g_autofree char *rev = g_strconcat ("1-", hash, NULL);

        json_object_set_string_member (memo, "_rev", rev);
      }
      g_ptr_array_add (f->ids, g_strdup (dengon_json_get_string (memo, "_id")));
      g_ptr_array_add (docs, memo);
    }

  g_assert_true (dengon_store_put_replicated (f->store, docs, NULL, &error));
  g_assert_no_error (error);
}

static void
wait_until (gboolean (*predicate) (Fixture *f), Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!predicate (f))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
model_settled (Fixture *f)
{
  return !dengon_memo_list_model_get_busy (f->model) &&
         dengon_memo_list_model_get_complete (f->model);
}

/* The store has delivered every change and the model has applied it. */
static void
settle (Fixture *f)
{
  /* The store's `changed` emissions are idles: flush them first. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wait_until (model_settled, f);
}

/* A worker thread drops its task (and the task its source object) just
 * after the callback ran on the main thread: poll, with a deadline. */
static void
await_last_reference (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&G_OBJECT (object)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("dengon-list-XXXXXX", &error);
  path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (path, &error);
  g_assert_no_error (error);
  f->events = g_array_new (FALSE, FALSE, sizeof (guint));
  f->ids = g_ptr_array_new_with_free_func (g_free);
}

static void
make_model (Fixture *f, const DengonMemoQuery *query)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  f->model = dengon_memo_list_model_new (f->store);
  if (query != NULL)
    dengon_memo_list_model_set_query (f->model, query);
  settle (f);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->model, f);
      await_last_reference (f->model);
      g_assert_finalize_object (f->model);
    }
  await_last_reference (f->store);
  g_assert_finalize_object (f->store);
  g_array_unref (f->events);
  g_ptr_array_unref (f->ids);
  remove_tree (f->dir);
  g_free (f->dir);
}

static void
assert_events (Fixture *f, const char *expected)
{
  g_autoptr (GString) got = g_string_new (NULL);

  for (guint i = 0; i < f->events->len; i += 3)
    g_string_append_printf (got, "%s%u-%u+%u", i ? " " : "", g_array_index (f->events, guint, i),
                            g_array_index (f->events, guint, i + 1),
                            g_array_index (f->events, guint, i + 2));
  g_assert_cmpstr (got->str, ==, expected);
  g_array_set_size (f->events, 0);
}

/* The model's order is the store's order, key for key. */
static void
assert_matches_store (Fixture *f, const DengonMemoQuery *query)
{
  g_autoptr (GArray) keys = dengon_store_list_memo_keys (f->store, query, 0, 0, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->model));

  g_assert_cmpuint (n, ==, keys->len);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonMemoItem) item = g_list_model_get_item (G_LIST_MODEL (f->model), i);

      g_assert_cmpint (dengon_memo_item_get_key (item), ==, g_array_index (keys, gint64, i));
    }
}

static gboolean item_loaded_flag;

static void
on_loaded (DengonMemoItem *item, GParamSpec *pspec, gpointer data)
{
  item_loaded_flag = TRUE;
}

static gboolean
item_loaded (Fixture *f)
{
  return item_loaded_flag;
}

/* ------------------------------------------------------------------ loading */

static void
test_paging_boundary (Fixture *f, gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);

  if (n > 0)
    add_memos_in_bulk (f, 0, n);
  make_model (f, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, n);
  assert_matches_store (f, NULL);
  if (n > 0)
    {
      g_autoptr (DengonMemoItem) first = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
      g_autoptr (DengonMemoItem) last = g_list_model_get_item (G_LIST_MODEL (f->model), n - 1);

      /* Newest first. */
      g_assert_cmpint (dengon_memo_item_get_created_ms (first), >=,
                       dengon_memo_item_get_created_ms (last));
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), n));
}

static void
test_documents_load_on_demand (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonMemoItem) item = NULL;

  add_memos_in_bulk (f, 0, 300);
  make_model (f, NULL);

  /* Position 250 is memo 49 (newest first): its key (hence its time) at
   * once, its document only when a row asks for it. */
  item = g_list_model_get_item (G_LIST_MODEL (f->model), 250);
  g_assert_cmpint (dengon_memo_item_get_created_ms (item), ==,
                   g_date_time_to_unix (minute (49)) * 1000);
  settle (f);
  g_assert_false (dengon_memo_item_get_loaded (item));

  item_loaded_flag = FALSE;
  g_signal_connect (item, "notify::loaded", G_CALLBACK (on_loaded), NULL);
  dengon_memo_list_model_load (f->model, 250);
  wait_until (item_loaded, f);
  g_assert_cmpstr (dengon_memo_item_get_id (item), ==, f->ids->pdata[49]);

  /* Its page came with it: the next rows need no load of their own. */
  {
    g_autoptr (DengonMemoItem) next = g_list_model_get_item (G_LIST_MODEL (f->model), 251);

    g_assert_true (dengon_memo_item_get_loaded (next));
  }
  assert_events (f, "");
}

static void
test_fast_scroll_loads_what_is_shown (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonMemoItem) last = NULL;
  guint loaded = 0;

  add_memos_in_bulk (f, 0, 3000);
  make_model (f, NULL);

  /* A row at every hundredth position asks, as a fast scroll passes them:
   * only the most recent wishes are loaded, the last one surely. */
  for (guint i = 0; i < 3000; i += 100)
    dengon_memo_list_model_load (f->model, i);
  last = g_list_model_get_item (G_LIST_MODEL (f->model), 2900);
  settle (f);
  g_assert_true (dengon_memo_item_get_loaded (last));

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr (DengonMemoItem) item = g_list_model_get_item (G_LIST_MODEL (f->model), i);

      loaded += dengon_memo_item_get_loaded (item);
    }
  /* 2 pages in flight + 32 waiting at most, 60 memos a page. */
  g_assert_cmpuint (loaded, <=, (2 + 32) * 60);
  g_assert_cmpuint (loaded, >, 0);
}

/* ------------------------------------------------------------------ changes */

static void
test_insert_at_position (Fixture *f, gconstpointer data)
{
  g_autofree char *middle = NULL;
  g_autofree char *newest = NULL;
  g_autoptr (DengonMemoItem) item = NULL;

  add_memos_in_bulk (f, 0, 40);
  make_model (f, NULL);

  /* Created between minutes 10 and 11: after the 29 newer ones. */
  {
    g_autoptr (GDateTime) created = g_date_time_add_seconds (minute (10), 30);
    g_autoptr (JsonObject) memo = dengon_memo_new ("staff:aya", created);

    g_free (dengon_store_put (f->store, memo, NULL));
  }
  settle (f);
  assert_events (f, "29-0+1");

  newest = add_memo (f, 100, "田中");
  settle (f);
  assert_events (f, "0-0+1");
  item = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_cmpstr (dengon_memo_item_get_caller_name (item), ==, "田中");
  assert_matches_store (f, NULL);
}

static void
test_update_in_place (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (DengonMemoItem) item = NULL;
  g_autoptr (GError) error = NULL;

  add_memos_in_bulk (f, 0, 10);
  make_model (f, NULL);

  doc = dengon_store_get (f->store, f->ids->pdata[3], &error);
  memo = dengon_memo_copy (doc);
  g_assert_true (dengon_memo_assign (memo, "staff:aya", "staff:ken", NULL, &error));
  g_free (dengon_store_put (f->store, memo, &error));
  g_assert_no_error (error);
  settle (f);

  /* Memo 3 of 10 sits at position 6. */
  assert_events (f, "6-1+1");
  item = g_list_model_get_item (G_LIST_MODEL (f->model), 6);
  g_assert_true (dengon_memo_item_get_loaded (item));
  g_assert_cmpstr (dengon_memo_item_get_assignee (item), ==, "staff:ken");
  g_assert_cmpint (dengon_memo_item_get_status (item), ==, DENGON_MEMO_STATUS_ASSIGNED);
}

static void
test_leaves_filter (Fixture *f, gconstpointer data)
{
  DengonMemoQuery open = { .status_mask = 0xf };
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (JsonObject) memo = NULL;

  add_memos_in_bulk (f, 0, 10);
  make_model (f, &open);

  doc = dengon_store_get (f->store, f->ids->pdata[7], NULL);
  memo = dengon_memo_copy (doc);
  g_assert_true (dengon_memo_done (memo, "staff:aya", NULL, NULL));
  g_free (dengon_store_put (f->store, memo, NULL));
  settle (f);

  /* Done: out of "open", at its exact position (memo 7 is at 2). */
  assert_events (f, "2-1+0");
  assert_matches_store (f, &open);

  /* Reopened: back in at the same place. */
  g_clear_pointer (&doc, json_object_unref);
  g_clear_pointer (&memo, json_object_unref);
  doc = dengon_store_get (f->store, f->ids->pdata[7], NULL);
  memo = dengon_memo_copy (doc);
  g_assert_true (dengon_memo_reopen (memo, "staff:aya", NULL, NULL));
  g_free (dengon_store_put (f->store, memo, NULL));
  settle (f);
  assert_events (f, "2-0+1");
}

static void
test_enters_filter (Fixture *f, gconstpointer data)
{
  DengonMemoQuery mine = { .status_mask = 0xf, .assignee = "staff:ken" };

  add_memos_in_bulk (f, 0, 10);
  make_model (f, &mine);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);

  for (guint i = 2; i <= 8; i += 6)
    {
      g_autoptr (JsonObject) doc = dengon_store_get (f->store, f->ids->pdata[i], NULL);
      g_autoptr (JsonObject) memo = dengon_memo_copy (doc);

      g_assert_true (dengon_memo_assign (memo, "staff:aya", "staff:ken", NULL, NULL));
      g_free (dengon_store_put (f->store, memo, NULL));
    }
  settle (f);

  /* Memo 2 first (position 0), then memo 8, newer, above it. */
  assert_events (f, "0-0+1 0-0+1");
  assert_matches_store (f, &mine);
}

static void
test_delete (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) doc = NULL;
  g_autofree char *rev = NULL;

  add_memos_in_bulk (f, 0, 5);
  make_model (f, NULL);

  doc = dengon_store_get (f->store, f->ids->pdata[1], NULL);
  rev =
      dengon_store_delete (f->store, f->ids->pdata[1], dengon_json_get_string (doc, "_rev"), NULL);
  g_assert_nonnull (rev);
  settle (f);
  assert_events (f, "3-1+0");
  assert_matches_store (f, NULL);
}

static void
test_other_documents_ignored (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) staff =
      dengon_json_parse_object ("{\"_id\":\"staff:ken\",\"type\":\"staff\"}", -1, NULL, NULL);

  add_memos_in_bulk (f, 0, 5);
  make_model (f, NULL);
  g_free (dengon_store_put (f->store, staff, NULL));
  settle (f);
  assert_events (f, "");
}

static void
test_changes_while_loading (Fixture *f, gconstpointer data)
{
  add_memos_in_bulk (f, 1000, 500);
  f->model = dengon_memo_list_model_new (f->store);

  /* Writes land while the keys stream in: each memo ends up once. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *old = add_memo (f, i, "古い");
      g_autofree char *fresh = add_memo (f, 5000 + i, "新しい");

      g_main_context_iteration (NULL, FALSE);
    }
  settle (f);
  assert_matches_store (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 560);
}

static gboolean
model_idle (Fixture *f)
{
  return !dengon_memo_list_model_get_busy (f->model);
}

static void
test_search_grows (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (DengonMemoItem) last = NULL;

  for (guint i = 0; i < 130; i++)
    g_ptr_array_add (f->ids, add_memo (f, i, i % 2 ? "田中 太郎" : "佐藤 花子"));
  make_model (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 130);

  /* The first page only: a search is not counted up front. */
  dengon_memo_list_model_set_search (f->model, "田中");
  wait_until (model_idle, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 50);
  g_assert_false (dengon_memo_list_model_get_complete (f->model));

  /* Nearing the end asks for the next page. */
  last = g_list_model_get_item (G_LIST_MODEL (f->model), 49);
  wait_until (model_settled, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 65);

  all = dengon_store_search_memos (f->store, "田中", NULL, 0, 1000, NULL);
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr (DengonMemoItem) item = g_list_model_get_item (G_LIST_MODEL (f->model), i);

      g_assert_cmpint (dengon_memo_item_get_key (item), ==, ((DengonMemoHit *) all->pdata[i])->key);
    }

  /* A hit that changes is replaced in place; a new memo does not join a
   * search that already ran. */
  g_array_set_size (f->events, 0);
  {
    g_autoptr (JsonObject) doc = dengon_store_get (f->store, f->ids->pdata[127], NULL);
    g_autoptr (JsonObject) memo = dengon_memo_copy (doc);

    g_assert_true (dengon_memo_done (memo, "staff:aya", NULL, NULL));
    g_free (dengon_store_put (f->store, memo, NULL));
    g_free (add_memo (f, 500, "田中 次郎"));
  }
  settle (f);
  assert_events (f, "1-1+1");

  /* Ending the search brings the whole list back. */
  dengon_memo_list_model_set_search (f->model, "  ");
  settle (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 131);
}

static void
test_query_switch (Fixture *f, gconstpointer data)
{
  DengonMemoQuery done = { .status_mask = 1 << DENGON_MEMO_STATUS_DONE };

  add_memos_in_bulk (f, 0, 300);
  make_model (f, NULL);

  /* Switching before the first list arrived leaves no trace of it. */
  dengon_memo_list_model_set_query (f->model, NULL);
  dengon_memo_list_model_set_query (f->model, &done);
  dengon_memo_list_model_set_query (f->model, NULL);
  dengon_memo_list_model_set_query (f->model, &done);
  settle (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);
  dengon_memo_list_model_set_query (f->model, NULL);
  settle (f);
  assert_matches_store (f, NULL);
}

static gboolean
counts_idle (Fixture *f)
{
  return !dengon_memo_counts_get_busy (g_object_get_data (G_OBJECT (f->store), "counts"));
}

static void
test_counts (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonMemoCounts) counts = dengon_memo_counts_new (f->store);
  DengonMemoQuery open = { .status_mask = 0xf };
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (JsonObject) memo = NULL;
  g_autofree char *capped = dengon_memo_count_format (DENGON_MEMO_COUNT_CAP);
  g_autofree char *plain = dengon_memo_count_format (12);

  g_object_set_data (G_OBJECT (f->store), "counts", counts);
  add_memos_in_bulk (f, 0, 1005);
  dengon_memo_counts_set_query (counts, "all", NULL);
  dengon_memo_counts_set_query (counts, "open", &open);
  wait_until (counts_idle, f);
  g_assert_cmpuint (dengon_memo_counts_get (counts, "all"), ==, DENGON_MEMO_COUNT_CAP);
  g_assert_cmpstr (capped, ==, "999+");
  g_assert_cmpstr (plain, ==, "12");

  /* A change in the store is counted again. */
  dengon_memo_counts_set_query (counts, "open",
                                &(DengonMemoQuery){ .status_mask = 0xf, .assignee = "staff:ken" });
  wait_until (counts_idle, f);
  g_assert_cmpuint (dengon_memo_counts_get (counts, "open"), ==, 0);
  doc = dengon_store_get (f->store, f->ids->pdata[0], NULL);
  memo = dengon_memo_copy (doc);
  g_assert_true (dengon_memo_assign (memo, "staff:aya", "staff:ken", NULL, NULL));
  g_free (dengon_store_put (f->store, memo, NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wait_until (counts_idle, f);
  g_assert_cmpuint (dengon_memo_counts_get (counts, "open"), ==, 1);
  g_object_set_data (G_OBJECT (f->store), "counts", NULL);
  await_last_reference (counts);
}

static void
test_next_callback (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) created = minute (0);
  g_autoptr (GDateTime) due1 = minute (30);
  g_autoptr (GDateTime) due2 = minute (90);
  gint64 t0 = g_date_time_to_unix (created) * 1000;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (JsonObject) memo = dengon_memo_new ("staff:aya", created);

      dengon_memo_set_callback (memo, TRUE, "03-1234-5678", i == 0 ? due1 : due2);
      if (i == 0)
        g_assert_true (dengon_memo_done (memo, "staff:aya", NULL, NULL));
      g_free (dengon_store_put (f->store, memo, NULL));
    }

  /* The done memo's deadline does not count. */
  g_assert_cmpint (dengon_store_get_next_callback (f->store, t0, NULL), ==,
                   g_date_time_to_unix (due2) * 1000);
  g_assert_cmpint (
      dengon_store_get_next_callback (f->store, g_date_time_to_unix (due2) * 1000, NULL), ==, 0);
}

int
main (int argc, char *argv[])
{
  static const guint boundaries[] = { 0, 1, 199, 200, 201, 400, 20201 };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  for (guint i = 0; i < G_N_ELEMENTS (boundaries); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dengon/memo-list/paging/%u", boundaries[i]);

      g_test_add (path, Fixture, GUINT_TO_POINTER (boundaries[i]), fixture_set_up,
                  test_paging_boundary, fixture_tear_down);
    }
  ADD ("/dengon/memo-list/documents-on-demand", test_documents_load_on_demand);
  ADD ("/dengon/memo-list/fast-scroll", test_fast_scroll_loads_what_is_shown);
  ADD ("/dengon/memo-list/change/insert-at-position", test_insert_at_position);
  ADD ("/dengon/memo-list/change/update-in-place", test_update_in_place);
  ADD ("/dengon/memo-list/change/leaves-filter", test_leaves_filter);
  ADD ("/dengon/memo-list/change/enters-filter", test_enters_filter);
  ADD ("/dengon/memo-list/change/delete", test_delete);
  ADD ("/dengon/memo-list/change/other-documents", test_other_documents_ignored);
  ADD ("/dengon/memo-list/change/while-loading", test_changes_while_loading);
  ADD ("/dengon/memo-list/search/grows", test_search_grows);
  ADD ("/dengon/memo-list/query-switch", test_query_switch);
  ADD ("/dengon/memo-list/counts", test_counts);
  ADD ("/dengon/memo-list/next-callback", test_next_callback);
#undef ADD

  return g_test_run ();
}
