/* test-memo-actions.c: people acting on memos, at the same time, through the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dengon-json.h"
#include "dengon-memo-actions.h"
#include "dengon-memo.h"
#include "dengon-store.h"

typedef struct
{
  char *dir;
  DengonStore *store;
  char *id;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) memo = dengon_memo_new ("staff:aya", NULL);

  f->dir = g_dir_make_tmp ("dengon-actions-XXXXXX", &error);
  path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (path, &error);
  g_assert_no_error (error);
  dengon_memo_set_caller (memo, "田中", "田中工務店", NULL);
  g_free (dengon_store_put (f->store, memo, &error));
  g_assert_no_error (error);
  f->id = g_strdup (dengon_json_get_string (memo, "_id"));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->id);
}

static JsonObject *
run (Fixture *f, DengonMemoActionKind kind, const char *by, const char *to, const char *note)
{
  g_autoptr (DengonMemoAction) action = dengon_memo_action_new (kind, by);
  g_autoptr (GError) error = NULL;
  JsonObject *memo;

  action->to = g_strdup (to);
  action->note = g_strdup (note);
  memo = dengon_memo_action_run_sync (f->store, f->id, action, &error);
  g_assert_no_error (error);
  return memo;
}

static void
test_workflow (Fixture *f, gconstpointer data)
{
  static const struct
  {
    DengonMemoActionKind kind;
    const char *by, *to, *note;
    DengonMemoStatus status;
  } steps[] = {
    { DENGON_MEMO_ACTION_ASSIGN, "staff:aya", "staff:ken", NULL, DENGON_MEMO_STATUS_ASSIGNED },
    { DENGON_MEMO_ACTION_ACKNOWLEDGE, "staff:ken", NULL, NULL, DENGON_MEMO_STATUS_ACKNOWLEDGED },
    { DENGON_MEMO_ACTION_CALLED_BACK, "staff:ken", NULL, "見積書を送付しました",
      DENGON_MEMO_STATUS_CALLED_BACK },
    { DENGON_MEMO_ACTION_DONE, "staff:ken", NULL, NULL, DENGON_MEMO_STATUS_DONE },
    { DENGON_MEMO_ACTION_NOTE, "staff:aya", NULL, "次回は午前中に", DENGON_MEMO_STATUS_DONE },
    { DENGON_MEMO_ACTION_REOPEN, "staff:aya", NULL, NULL, DENGON_MEMO_STATUS_ASSIGNED },
    { DENGON_MEMO_ACTION_UNDO, "staff:aya", NULL, NULL, DENGON_MEMO_STATUS_DONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (JsonObject) saved =
          run (f, steps[i].kind, steps[i].by, steps[i].to, steps[i].note);
      g_autoptr (JsonObject) stored = dengon_store_get (f->store, f->id, NULL);

      g_assert_cmpint (dengon_memo_get_status (saved), ==, steps[i].status);
      g_assert_cmpstr (dengon_json_get_string (saved, "_rev"), ==,
                       dengon_json_get_string (stored, "_rev"));
      g_assert_cmpint (dengon_memo_get_status (stored), ==, steps[i].status);
      /* Every action is one more event. */
      g_assert_cmpuint (json_array_get_length (dengon_json_get_array (stored, "history")), ==,
                        i + 2);
    }
}

static void
test_refused_action_writes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) done = run (f, DENGON_MEMO_ACTION_DONE, "staff:aya", NULL, NULL);
  g_autoptr (DengonMemoAction) ack =
      dengon_memo_action_new (DENGON_MEMO_ACTION_ACKNOWLEDGE, "staff:ken");
  g_autoptr (DengonMemoAction) ghost =
      dengon_memo_action_new (DENGON_MEMO_ACTION_DONE, "staff:ken");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) memo = NULL;
  gint64 seq = dengon_store_get_update_seq (f->store);

  memo = dengon_memo_action_run_sync (f->store, f->id, ack, &error);
  g_assert_null (memo);
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_clear_error (&error);
  memo = dengon_memo_action_run_sync (f->store, "memo:nobody", ghost, &error);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, seq);
}

#define DESKS 4
#define NOTES 25

typedef struct
{
  Fixture *f;
  guint desk;
} Desk;

static gpointer
desk_thread (gpointer data)
{
  Desk *desk = data;

  for (guint i = 0; i < NOTES; i++)
    {
      g_autofree char *by = g_strdup_printf ("staff:desk%u", desk->desk);
      g_autofree char *note = g_strdup_printf ("desk %u note %u", desk->desk, i);
      g_autoptr (JsonObject) memo = run (desk->f, DENGON_MEMO_ACTION_NOTE, by, NULL, note);
    }

  return NULL;
}

static void
test_concurrent_actions (Fixture *f, gconstpointer data)
{
  GThread *threads[DESKS];
  Desk desks[DESKS];
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (GHashTable) notes = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *history;

  /* Four people note the same memo at once, 25 times each. */
  for (guint i = 0; i < DESKS; i++)
    {
      desks[i] = (Desk){ f, i };
      threads[i] = g_thread_new ("desk", desk_thread, &desks[i]);
    }
  for (guint i = 0; i < DESKS; i++)
    g_thread_join (threads[i]);

  memo = dengon_store_get (f->store, f->id, NULL);
  history = dengon_json_get_array (memo, "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);

      if (g_strcmp0 (dengon_json_get_string (event, "action"), "note") == 0)
        g_hash_table_add (notes, (gpointer) dengon_json_get_string (event, "note"));
    }

  /* Not one overwritten. */
  g_assert_cmpuint (g_hash_table_size (notes), ==, DESKS * NOTES);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  JsonObject **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = dengon_memo_action_run_finish (DENGON_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonMemoAction) action =
      dengon_memo_action_new (DENGON_MEMO_ACTION_ASSIGN, "staff:aya");
  g_autoptr (JsonObject) memo = NULL;

  action->to = g_strdup ("staff:rin");
  dengon_memo_action_run_async (f->store, f->id, action, NULL, on_done, &memo);
  while (memo == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, "staff:rin");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/dengon/memo-actions/workflow", test_workflow);
  ADD ("/dengon/memo-actions/refused", test_refused_action_writes_nothing);
  ADD ("/dengon/memo-actions/concurrent", test_concurrent_actions);
  ADD ("/dengon/memo-actions/async", test_async);
#undef ADD

  return g_test_run ();
}
