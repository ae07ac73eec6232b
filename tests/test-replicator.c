/* test-replicator.c: Dengon desks replicating through a real hub on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <time.h>

#include "dengon-conflict-resolver.h"
#include "dengon-couch-client.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-replicator.h"
#include "dengon-sync-common.h"
#include "sync-test-util.h"

#define USER     "tanaka"
#define PASSWORD "sakura-2026"

typedef struct
{
  char *dir;
  DengonStore *store;
  DengonCouchClient *client;
  DengonReplicator *replicator;
  DengonConflictResolver *resolver;
} Desk;

typedef struct
{
  SyncTestHub *hub;
  DengonConflictResolver *hub_resolver;
  Desk a;
  Desk b;
} Fixture;

static void
desk_connect (Fixture *f, Desk *desk, const char *password, const char *fingerprint)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&desk->replicator);
  g_clear_object (&desk->client);
  desk->client = dengon_couch_client_new (f->hub->url, USER, password, fingerprint, &error);
  g_assert_no_error (error);
  desk->replicator = dengon_replicator_new (desk->store, desk->client, DENGON_REPLICATOR_BOTH);
  dengon_replicator_set_retry_delay (desk->replicator, 100);
}

static void
desk_set_up (Fixture *f, Desk *desk, const char *name)
{
  desk->dir = sync_test_make_dir ("dengon-desk-XXXXXX");
  desk->store = sync_test_open_store (desk->dir, name);
  desk->resolver = dengon_conflict_resolver_new (desk->store);
  desk_connect (f, desk, PASSWORD, dengon_hub_get_fingerprint (f->hub->hub));
}

static void
desk_tear_down (Desk *desk)
{
  if (desk->replicator != NULL)
    dengon_replicator_stop (desk->replicator);
  sync_test_drain ();
  g_clear_object (&desk->replicator);
  g_clear_object (&desk->client);
  g_clear_object (&desk->resolver);
  sync_test_drain ();
  sync_test_finalize_store (desk->store);
  sync_test_remove_tree (desk->dir);
  g_free (desk->dir);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->hub = sync_test_hub_new (USER, PASSWORD);
  f->hub_resolver = dengon_conflict_resolver_new (f->hub->store);
  desk_set_up (f, &f->a, "a.db");
  desk_set_up (f, &f->b, "b.db");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  desk_tear_down (&f->a);
  desk_tear_down (&f->b);
  g_clear_object (&f->hub_resolver);
  sync_test_hub_free (f->hub);
}

static void
on_run (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **out = data;
  GError *error = NULL;

  if (!dengon_replicator_run_finish (DENGON_REPLICATOR (source), result, &error))
    *out = error;
  else
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

/* One-shot replication; NULL when it succeeded. */
static GError *
run_once (Desk *desk)
{
  GError *result = NULL;

  dengon_replicator_run_async (desk->replicator, NULL, on_run, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (g_error_matches (result, G_IO_ERROR, G_IO_ERROR_NONE))
    g_clear_error (&result);

  return result;
}

static void
run_once_ok (Desk *desk)
{
  g_autoptr (GError) error = run_once (desk);

  g_assert_no_error (error);
}

static gboolean
resolvers_idle (Fixture *f)
{
  return dengon_conflict_resolver_is_idle (f->a.resolver) &&
         dengon_conflict_resolver_is_idle (f->b.resolver) &&
         dengon_conflict_resolver_is_idle (f->hub_resolver);
}

static gboolean
converged (gpointer data)
{
  Fixture *f = data;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *h = NULL;

  if (!resolvers_idle (f) ||
      dengon_replicator_get_state (f->a.replicator) != DENGON_REPLICATOR_STATE_SYNCED ||
      dengon_replicator_get_state (f->b.replicator) != DENGON_REPLICATOR_STATE_SYNCED)
    return FALSE;

  a = sync_test_dump (f->a.store);
  b = sync_test_dump (f->b.store);
  h = sync_test_dump (f->hub->store);

  return g_str_equal (a, b) && g_str_equal (a, h);
}

static void
assert_same_dump (DengonStore *x, DengonStore *y)
{
  g_autofree char *dx = sync_test_dump (x);
  g_autofree char *dy = sync_test_dump (y);

  if (!g_str_equal (dx, dy))
    {
      g_auto (GStrv) lx = g_strsplit (dx, "\n", -1);
      g_auto (GStrv) ly = g_strsplit (dy, "\n", -1);
      guint i = 0;

      while (lx[i] != NULL && ly[i] != NULL && g_str_equal (lx[i], ly[i]))
        i++;
      g_test_message (
          "the stores differ: %u and %u lines; first difference at line %u:\n%.300s\n%.300s",
          g_strv_length (lx), g_strv_length (ly), i, lx[i] ? lx[i] : "(end)",
          ly[i] ? ly[i] : "(end)");
      g_test_fail ();
    }
}

/* ---- one-shot */

static void
test_push_pull (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) edited = NULL;
  g_autoptr (JsonObject) gone = NULL;
  g_autoptr (JsonObject) contact = json_object_new ();
  g_autofree char *rev = NULL;

  sync_test_seed_memos (f->a.store, "a", 120);
  /* An edit, a deletion, a document that is not a memo, a Japanese id. */
  edited = sync_test_memo ("staff:tanaka", "見積の件");
  g_free (sync_test_put (f->a.store, edited));
  dengon_memo_assign (edited, "staff:tanaka", "staff:sato", NULL, NULL);
  g_free (sync_test_put (f->a.store, edited));
  gone = sync_test_memo ("staff:tanaka", "間違い電話");
  rev = sync_test_put (f->a.store, gone);
  g_free (dengon_store_delete (f->a.store, dengon_json_get_string (gone, "_id"), rev, NULL));
  json_object_set_string_member (contact, "_id", "contact:山田/1");
  json_object_set_string_member (contact, "type", "contact");
  g_free (sync_test_put (f->a.store, contact));

  run_once_ok (&f->a);
  g_assert_cmpuint (dengon_replicator_get_docs_written (f->a.replicator), ==, 123);
  assert_same_dump (f->a.store, f->hub->store);

  run_once_ok (&f->b);
  g_assert_cmpuint (dengon_replicator_get_docs_written (f->b.replicator), ==, 123);
  assert_same_dump (f->a.store, f->b.store);
  g_assert_cmpuint (sync_test_count_docs (f->b.store), ==, 123);
  g_assert_cmpint (dengon_replicator_get_state (f->b.replicator), ==,
                   DENGON_REPLICATOR_STATE_SYNCED);
  g_assert_cmpint (dengon_replicator_get_last_success (f->b.replicator), >, 0);
  g_assert_null (dengon_replicator_get_error (f->b.replicator));
}

static void
test_checkpoint_resume (Fixture *f, gconstpointer data)
{
  g_autofree char *start = NULL;
  g_autofree char *start_again = NULL;

  sync_test_seed_memos (f->hub->store, "h", 30);

  run_once_ok (&f->b);
  g_assert_cmpuint (dengon_replicator_get_docs_read (f->b.replicator), ==, 30);
  start = dengon_replicator_dup_pull_start (f->b.replicator);
  g_assert_cmpstr (start, ==, "0");

  /* Again with a new replicator (as after a restart): nothing to read, it starts at the end. */
  desk_connect (f, &f->b, PASSWORD, dengon_hub_get_fingerprint (f->hub->hub));
  run_once_ok (&f->b);
  g_assert_cmpuint (dengon_replicator_get_docs_read (f->b.replicator), ==, 0);
  start_again = dengon_replicator_dup_pull_start (f->b.replicator);
  g_assert_cmpstr (start_again, ==, "30");

  /* Only what is new. */
  sync_test_seed_memos (f->hub->store, "n", 7);
  desk_connect (f, &f->b, PASSWORD, dengon_hub_get_fingerprint (f->hub->hub));
  run_once_ok (&f->b);
  g_assert_cmpuint (dengon_replicator_get_docs_read (f->b.replicator), ==, 7);
  assert_same_dump (f->hub->store, f->b.store);

  /* A checkpoint that only this side has (the hub was reset) is not trusted. */
  g_assert_true (dengon_store_get_update_seq (f->hub->store) > 0);
}

static void
test_small_batches (Fixture *f, gconstpointer data)
{
  sync_test_seed_memos (f->a.store, "a", 95);
  dengon_replicator_set_batch_size (f->a.replicator, 10);
  dengon_replicator_set_batch_size (f->b.replicator, 7);

  run_once_ok (&f->a);
  run_once_ok (&f->b);
  g_assert_cmpuint (sync_test_count_docs (f->b.store), ==, 95);
  assert_same_dump (f->a.store, f->b.store);
}

/* ---- continuous: two desks through the hub */

typedef struct
{
  DengonStore *store;
  const char *id;
  const char *assignee;
} Wanted;

static gboolean
assigned_there (gpointer data)
{
  Wanted *wanted = data;
  g_autoptr (JsonObject) doc = dengon_store_get (wanted->store, wanted->id, NULL);

  return doc != NULL && g_strcmp0 (dengon_memo_get_for (doc), wanted->assignee) == 0;
}

static gboolean
state_is_synced (gpointer data)
{
  return dengon_replicator_get_state (data) == DENGON_REPLICATOR_STATE_SYNCED;
}

static void
test_continuous_assignment (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) memo = sync_test_memo ("staff:tanaka", "田中様からお電話。至急折り返し。");
  Wanted wanted = { f->b.store, NULL, "staff:sato" };
  gint64 saved;

  dengon_replicator_start (f->a.replicator);
  dengon_replicator_start (f->b.replicator);
  g_assert_true (sync_test_wait (state_is_synced, f->a.replicator, 10000));
  g_assert_true (sync_test_wait (state_is_synced, f->b.replicator, 10000));

  dengon_memo_assign (memo, "staff:tanaka", "staff:sato", NULL, NULL);
  wanted.id = dengon_json_get_string (memo, "_id");
  saved = g_get_monotonic_time ();
  g_free (sync_test_put (f->a.store, memo));

  g_assert_true (sync_test_wait (assigned_there, &wanted, 10000));
  g_test_message ("save on A -> present on B: %.1f ms", (g_get_monotonic_time () - saved) / 1000.0);

  /* And back: B acknowledges, A sees it. */
  {
    g_autoptr (JsonObject) there = dengon_store_get (f->b.store, wanted.id, NULL);
    g_autoptr (JsonObject) mine = dengon_memo_copy (there);

    dengon_memo_acknowledge (mine, "staff:sato", NULL, NULL);
    g_free (sync_test_put (f->b.store, mine));
  }
  g_assert_true (sync_test_wait (converged, f, 10000));
  {
    g_autoptr (JsonObject) on_a = dengon_store_get (f->a.store, wanted.id, NULL);

    g_assert_cmpint (dengon_memo_get_status (on_a), ==, DENGON_MEMO_STATUS_ACKNOWLEDGED);
  }
}

static GPtrArray *
history_texts (JsonObject *memo)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (history); i++)
    g_ptr_array_add (texts, dengon_json_canonical (json_array_get_element (history, i)));

  return texts;
}

static gboolean
contains_text (GPtrArray *texts, const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (texts, i), text))
        return TRUE;
    }
  return FALSE;
}

static void
test_offline_edits_merge (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) memo = sync_test_memo ("staff:tanaka", "見積書の件で折り返し希望");
  g_autoptr (JsonObject) on_a = NULL;
  g_autoptr (JsonObject) on_b = NULL;
  g_autoptr (GPtrArray) a_events = NULL;
  g_autoptr (GPtrArray) b_events = NULL;
  g_autoptr (JsonObject) final_a = NULL;
  g_autoptr (JsonObject) final_b = NULL;
  g_autoptr (GPtrArray) merged = NULL;
  g_auto (GStrv) conflicts = NULL;
  const char *id = dengon_json_get_string (memo, "_id");

  g_free (sync_test_put (f->a.store, memo));
  run_once_ok (&f->a);
  run_once_ok (&f->b);

  /* Both desks offline: each changes the memo its own way. */
  on_a = dengon_memo_copy (dengon_store_get (f->a.store, id, NULL));
  dengon_memo_assign (on_a, "staff:tanaka", "staff:sato", NULL, NULL);
  dengon_memo_add_note (on_a, "staff:tanaka", "先方は午後不在", NULL, NULL);
  g_free (sync_test_put (f->a.store, on_a));

  on_b = dengon_memo_copy (dengon_store_get (f->b.store, id, NULL));
  dengon_memo_add_note (on_b, "staff:kato", "見積金額の確認が必要", NULL, NULL);
  dengon_memo_called_back (on_b, "staff:kato", "留守電に伝言", NULL, NULL);
  g_free (sync_test_put (f->b.store, on_b));

  a_events = history_texts (on_a);
  b_events = history_texts (on_b);

  /* Back online: both keep syncing until they agree. */
  dengon_replicator_start (f->a.replicator);
  dengon_replicator_start (f->b.replicator);
  g_assert_true (sync_test_wait (converged, f, 20000));

  final_a = dengon_store_get (f->a.store, id, NULL);
  final_b = dengon_store_get (f->b.store, id, NULL);
  g_assert_true (dengon_json_object_equal (final_a, final_b));

  /* One merged memo, no conflict left, no event lost. */
  conflicts = dengon_store_get_conflicts (f->a.store, id, NULL);
  g_assert_cmpuint (g_strv_length (conflicts), ==, 0);
  merged = history_texts (final_a);
  for (guint i = 0; i < a_events->len; i++)
    g_assert_true (contains_text (merged, g_ptr_array_index (a_events, i)));
  for (guint i = 0; i < b_events->len; i++)
    g_assert_true (contains_text (merged, g_ptr_array_index (b_events, i)));
  g_assert_cmpuint (merged->len, ==, 5); /* create, assign, note, note, called_back */
  g_assert_cmpstr (dengon_memo_get_for (final_a), ==, "staff:sato");
  g_assert_cmpint (dengon_memo_get_status (final_a), ==, DENGON_MEMO_STATUS_CALLED_BACK);
  g_assert_cmpuint (dengon_conflict_resolver_get_n_unresolved (f->a.resolver), ==, 0);
}

static gboolean
unresolved_on_both (gpointer data)
{
  Fixture *f = data;

  return dengon_conflict_resolver_get_n_unresolved (f->a.resolver) == 1 &&
         dengon_conflict_resolver_get_n_unresolved (f->b.resolver) == 1 && converged (f);
}

static void
on_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **error = data;

  if (dengon_conflict_resolver_choose_finish (DENGON_CONFLICT_RESOLVER (source), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

static gboolean
resolved_on_both (gpointer data)
{
  Fixture *f = data;

  return dengon_conflict_resolver_get_n_unresolved (f->a.resolver) == 0 &&
         dengon_conflict_resolver_get_n_unresolved (f->b.resolver) == 0 && converged (f);
}

static void
test_other_conflict_for_a_person (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) contact = json_object_new ();
  g_autoptr (JsonObject) on_a = NULL;
  g_autoptr (JsonObject) on_b = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_auto (GStrv) unresolved = NULL;
  g_auto (GStrv) conflicts = NULL;
  GError *chosen = NULL;
  g_autofree char *b_rev = NULL;

  json_object_set_string_member (contact, "_id", "contact:1");
  json_object_set_string_member (contact, "type", "contact");
  json_object_set_string_member (contact, "name", "山田商事");
  g_free (sync_test_put (f->a.store, contact));
  run_once_ok (&f->a);
  run_once_ok (&f->b);

  on_a = dengon_memo_copy (dengon_store_get (f->a.store, "contact:1", NULL));
  json_object_set_string_member (on_a, "phone", "03-1111-2222");
  g_free (sync_test_put (f->a.store, on_a));
  on_b = dengon_memo_copy (dengon_store_get (f->b.store, "contact:1", NULL));
  json_object_set_string_member (on_b, "phone", "03-3333-4444");
  b_rev = sync_test_put (f->b.store, on_b);

  dengon_replicator_start (f->a.replicator);
  dengon_replicator_start (f->b.replicator);
  /* Both desks agree on the winner and the conflict, and a person is asked. */
  if (!sync_test_wait (unresolved_on_both, f, 20000))
    {
      g_autofree char *da = sync_test_dump (f->a.store);
      g_autofree char *db = sync_test_dump (f->b.store);
      g_autofree char *dh = sync_test_dump (f->hub->store);

      g_test_message ("A %d %u\n%s\nB %d %u\n%s\nH\n%s",
                      dengon_replicator_get_state (f->a.replicator),
                      dengon_conflict_resolver_get_n_unresolved (f->a.resolver), da,
                      dengon_replicator_get_state (f->b.replicator),
                      dengon_conflict_resolver_get_n_unresolved (f->b.resolver), db, dh);
      g_assert_not_reached ();
    }
  unresolved = dengon_conflict_resolver_dup_unresolved (f->a.resolver);
  g_assert_cmpstrv (unresolved, ((const char *const[]){ "contact:1", NULL }));
  conflicts = dengon_store_get_conflicts (f->b.store, "contact:1", NULL);
  g_assert_cmpuint (g_strv_length (conflicts), ==, 1);

  /* The person keeps B's number, on desk A. */
  dengon_conflict_resolver_choose_async (f->a.resolver, "contact:1", b_rev, NULL, on_chosen,
                                         &chosen);
  while (chosen == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (chosen, G_IO_ERROR, G_IO_ERROR_NONE);
  g_clear_error (&chosen);

  g_assert_true (sync_test_wait (resolved_on_both, f, 20000));
  after = dengon_store_get (f->b.store, "contact:1", NULL);
  g_assert_cmpstr (dengon_json_get_string (after, "phone"), ==, "03-3333-4444");
}

/* ---- failures in words */

static void
test_wrong_password (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  sync_test_seed_memos (f->a.store, "a", 3);
  desk_connect (f, &f->a, "sakura-2027", dengon_hub_get_fingerprint (f->hub->hub));
  error = run_once (&f->a);

  g_assert_error (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "sakura"));
  g_assert_cmpint (dengon_replicator_get_state (f->a.replicator), ==,
                   DENGON_REPLICATOR_STATE_ERROR);
  g_assert_cmpstr (dengon_sync_error_get_label (dengon_replicator_get_error (f->a.replicator)), ==,
                   "Wrong password");
  g_assert_cmpint (dengon_store_get_update_seq (f->hub->store), ==, 0);
}

static void
test_certificate_changed (Fixture *f, gconstpointer data)
{
  const char *other = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:"
                      "99:AA:BB:CC:DD:EE:FF";
  g_autoptr (GError) changed = NULL;
  g_autoptr (GError) unknown = NULL;

  sync_test_seed_memos (f->a.store, "a", 3);

  /* Paired with another certificate: refused, in words, nothing sent. */
  desk_connect (f, &f->a, PASSWORD, other);
  changed = run_once (&f->a);
  g_assert_error (changed, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_CHANGED);
  g_assert_cmpstr (dengon_sync_error_get_label (changed), ==, "Certificate changed");
  g_assert_cmpstr (dengon_couch_client_get_refused_fingerprint (f->a.client), ==,
                   dengon_hub_get_fingerprint (f->hub->hub));

  /* Never paired: the fingerprint is there for the person to compare. */
  desk_connect (f, &f->a, PASSWORD, NULL);
  unknown = run_once (&f->a);
  g_assert_error (unknown, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN);
  g_assert_nonnull (strstr (unknown->message, dengon_hub_get_fingerprint (f->hub->hub)));
  g_assert_cmpint (dengon_store_get_update_seq (f->hub->store), ==, 0);

  /* Confirmed: it works. */
  {
    g_autofree char *seen = g_strdup (dengon_couch_client_get_refused_fingerprint (f->a.client));

    desk_connect (f, &f->a, PASSWORD, seen);
  }
  run_once_ok (&f->a);
  g_assert_cmpuint (sync_test_count_docs (f->hub->store), ==, 3);
}

static gboolean
state_is_error (gpointer data)
{
  return dengon_replicator_get_state (data) == DENGON_REPLICATOR_STATE_ERROR;
}

static void
test_unreachable_then_back (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const GError *shown;

  sync_test_seed_memos (f->a.store, "a", 5);
  dengon_hub_stop (f->hub->hub);

  dengon_replicator_start (f->a.replicator);
  g_assert_true (sync_test_wait (state_is_error, f->a.replicator, 10000));
  shown = dengon_replicator_get_error (f->a.replicator);
  g_assert_error ((GError *) shown, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNREACHABLE);
  g_assert_cmpstr (dengon_sync_error_get_label (shown), ==, "Server unreachable");

  /* The hub comes back on the same port: the desk catches up by itself. */
  sync_test_hub_restart (f->hub);
  g_assert_true (sync_test_wait (state_is_synced, f->a.replicator, 20000));
  g_assert_cmpuint (sync_test_count_docs (f->hub->store), ==, 5);
}

static gboolean
hub_has (gpointer data)
{
  Fixture *f = data;

  return sync_test_count_docs (f->hub->store) == 1000 &&
         dengon_replicator_get_state (f->a.replicator) == DENGON_REPLICATOR_STATE_SYNCED;
}

static void
test_hub_restarts (Fixture *f, gconstpointer data)
{
  dengon_replicator_set_batch_size (f->a.replicator, 50);
  dengon_replicator_start (f->a.replicator);
  sync_test_seed_memos (f->a.store, "a", 1000);

  for (guint i = 0; i < 5; i++)
    {
      sync_test_run_for (40);
      sync_test_hub_restart (f->hub);
    }

  g_assert_true (sync_test_wait (hub_has, f, 60000));
  assert_same_dump (f->a.store, f->hub->store);
}

/* ---- the main loop keeps answering during a big replication */

/* The processor time of each main-loop iteration is the time the loop was blocked by our work;
 * its wall time outside poll() adds the time the thread waited for a core (two cores, shared with
 * the hub in this process and with anything else running). */
static GPollFunc default_poll;
static gint64 poll_time;

static gint
timed_poll (GPollFD *fds, guint n_fds, gint timeout)
{
  gint64 started = g_get_monotonic_time ();
  gint result = default_poll (fds, n_fds, timeout);

  poll_time += g_get_monotonic_time () - started;
  return result;
}

typedef struct
{
  gint64 last;
  gint64 worst_gap;
} Tick;

static gboolean
on_tick (gpointer data)
{
  Tick *tick = data;
  gint64 now = g_get_monotonic_time ();

  if (tick->last != 0)
    tick->worst_gap = MAX (tick->worst_gap, now - tick->last);
  tick->last = now;

  return G_SOURCE_CONTINUE;
}

static void
on_run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (dengon_replicator_run_finish (DENGON_REPLICATOR (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
test_main_loop_responsive (Fixture *f, gconstpointer data)
{
  GMainContext *context = g_main_context_default ();
  Tick tick = { 0 };
  gboolean done = FALSE;
  gint64 started, worst_busy = 0, worst_cpu = 0;
  guint source;

  sync_test_seed_memos (f->hub->store, "h", 10000);

  default_poll = g_main_context_get_poll_func (context);
  g_main_context_set_poll_func (context, timed_poll);
  source = g_timeout_add (5, on_tick, &tick);
  started = g_get_monotonic_time ();

  dengon_replicator_run_async (f->b.replicator, NULL, on_run_done, &done);
  while (!done)
    {
      gint64 before = g_get_monotonic_time ();
      gint64 cpu_before = thread_cpu_time ();
      gint64 polled = poll_time;

      g_main_context_iteration (context, TRUE);
      worst_busy = MAX (worst_busy, (g_get_monotonic_time () - before) - (poll_time - polled));
      worst_cpu = MAX (worst_cpu, thread_cpu_time () - cpu_before);
    }

  g_source_remove (source);
  g_main_context_set_poll_func (context, default_poll);

  g_test_message ("10000 memos pulled in %.2f s; longest main-loop iteration %.1f ms of processor "
                  "time (%.1f ms of wall time); longest gap between 5 ms ticks %.1f ms",
                  (g_get_monotonic_time () - started) / 1e6, worst_cpu / 1000.0,
                  worst_busy / 1000.0, tick.worst_gap / 1000.0);
  g_assert_cmpuint (sync_test_count_docs (f->b.store), ==, 10000);
  /* The hub runs in this process too: its work counts against the same loop. */
  g_assert_cmpint (worst_cpu, <, 50 * 1000);
}

/* ---- conflicts left from before a start */

/* Two replicated children of @parent (a stored memo): the same memo changed on two desks apart. */
static void
put_two_children (DengonStore *store, JsonObject *parent, const char *note_a, const char *note_b)
{
  const char *notes[] = { note_a, note_b };
  const char *hashes[] = { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" };
  const char *parent_rev = dengon_json_get_string (parent, "_rev");
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *child = dengon_memo_copy (parent);
      JsonObject *revisions = json_object_new ();
      JsonArray *ids = json_array_new ();
      g_autofree char *rev = g_strdup_printf ("2-%s", hashes[i]);

      if (dengon_memo_is_memo (child))
        g_assert_true (dengon_memo_add_note (child, "staff:sato", notes[i], NULL, NULL));
      else
        json_object_set_string_member (child, "phone", notes[i]);
      json_array_add_string_element (ids, hashes[i]);
      json_array_add_string_element (ids, strchr (parent_rev, '-') + 1);
      json_object_set_int_member (revisions, "start", 2);
      json_object_set_array_member (revisions, "ids", ids);
      json_object_set_object_member (child, "_revisions", revisions);
      json_object_set_string_member (child, "_rev", rev);
      g_ptr_array_add (docs, child);
    }
  g_assert_true (dengon_store_put_replicated (store, docs, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
resolver_idle (gpointer resolver)
{
  return dengon_conflict_resolver_is_idle (resolver);
}

static guint
n_leaves (DengonStore *store, const char *id)
{
  g_autoptr (GPtrArray) leaves = dengon_store_get_leaves (store, id, FALSE, NULL);

  return leaves->len;
}

/* Conflicts that arrived while no resolver ran (Dengon closed during a replication, a hub on the
 * same file) are dealt with at the next start; what needs a person is still listed after a
 * restart; a start looks at what changed since the last check, not at every document. */
static void
test_conflicts_from_before_a_start (void)
{
  g_autofree char *dir = sync_test_make_dir ("dengon-resolver-XXXXXX");
  DengonStore *store = sync_test_open_store (dir, "desk");
  g_autoptr (JsonObject) memo1 = sync_test_memo ("staff:tanaka", "見積書の件で折り返し");
  g_autoptr (JsonObject) memo2 = sync_test_memo ("staff:tanaka", "納品日の確認");
  g_autoptr (JsonObject) contact = json_object_new ();
  g_autoptr (JsonObject) checked = NULL;
  g_auto (GStrv) unresolved = NULL;
  DengonConflictResolver *resolver;

  json_object_set_string_member (contact, "_id", "contact:1");
  json_object_set_string_member (contact, "type", "contact");
  json_object_set_string_member (contact, "name", "山田商事");
  g_free (sync_test_put (store, contact));
  g_free (sync_test_put (store, memo1));
  g_free (sync_test_put (store, memo2));
  put_two_children (store, memo1, "午前に連絡あり", "午後に再度連絡");
  put_two_children (store, contact, "03-1111-2222", "03-3333-4444");

  /* The first start looks at every document. */
  resolver = dengon_conflict_resolver_new (store);
  g_assert_true (sync_test_wait (resolver_idle, resolver, 10000));
  g_assert_cmpuint (n_leaves (store, dengon_json_get_string (memo1, "_id")), ==, 1);
  unresolved = dengon_conflict_resolver_dup_unresolved (resolver);
  g_assert_cmpstrv (unresolved, ((const char *const[]){ "contact:1", NULL }));
  g_object_unref (resolver);
  sync_test_drain ();

  /* Closed: a replication brings a conflict on the second memo. */
  sync_test_seed_memos (store, "later", 20);
  put_two_children (store, memo2, "担当者不在", "明日折り返し");
  g_assert_cmpuint (n_leaves (store, dengon_json_get_string (memo2, "_id")), ==, 2);

  /* The next start merges it, and still asks a person about the contact. */
  resolver = dengon_conflict_resolver_new (store);
  g_assert_true (sync_test_wait (resolver_idle, resolver, 10000));
  g_assert_cmpuint (n_leaves (store, dengon_json_get_string (memo2, "_id")), ==, 1);
  g_clear_pointer (&unresolved, g_strfreev);
  unresolved = dengon_conflict_resolver_dup_unresolved (resolver);
  g_assert_cmpstrv (unresolved, ((const char *const[]){ "contact:1", NULL }));

  /* What was looked at is recorded up to the last change. */
  checked = dengon_store_get_local (store, "conflicts-checked", NULL);
  g_assert_nonnull (checked);
  g_assert_cmpint (dengon_json_get_int (checked, "seq", -1), ==,
                   dengon_store_get_update_seq (store));

  g_object_unref (resolver);
  sync_test_drain ();
  sync_test_finalize_store (store);
  sync_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/dengon/replicator/one-shot/push-pull", test_push_pull);
  ADD ("/dengon/replicator/one-shot/checkpoint-resume", test_checkpoint_resume);
  ADD ("/dengon/replicator/one-shot/small-batches", test_small_batches);
  ADD ("/dengon/replicator/continuous/assignment", test_continuous_assignment);
  ADD ("/dengon/replicator/continuous/offline-edits-merge", test_offline_edits_merge);
  ADD ("/dengon/replicator/continuous/other-conflict-for-a-person",
       test_other_conflict_for_a_person);
  ADD ("/dengon/replicator/errors/wrong-password", test_wrong_password);
  ADD ("/dengon/replicator/errors/certificate-changed", test_certificate_changed);
  ADD ("/dengon/replicator/errors/unreachable-then-back", test_unreachable_then_back);
  ADD ("/dengon/replicator/errors/hub-restarts", test_hub_restarts);
  ADD ("/dengon/replicator/main-loop-responsive", test_main_loop_responsive);
  g_test_add_func ("/dengon/replicator/conflicts-from-before-a-start",
                   test_conflicts_from_before_a_start);
#undef ADD

  return g_test_run ();
}
