/* test-sync-faults.c: `dengon --hub` killed and restarted during a big replication, and a
 * desk killed in the middle of one; both must end with every document, once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dengon-couch-client.h"
#include "dengon-json.h"
#include "dengon-replicator.h"
#include "dengon-sync-common.h"
#include "sync-test-util.h"

#define USER     "tanaka"
#define PASSWORD "sakura-2026"

typedef struct
{
  char *dir;
  guint port;
  char *fingerprint;
  SyncTestProcess *hub;
} HubProcess;

static void
hub_process_start (HubProcess *hub)
{
  g_autofree char *port = g_strdup_printf ("%u", hub->port);
  g_autofree char *expected = g_strdup_printf ("https://127.0.0.1:%u/dengon", hub->port);
  const char *argv[] = { g_getenv ("DENGON_BIN"),
                         "--data-dir",
                         hub->dir,
                         "--hub",
                         "--port",
                         port,
                         "--listen",
                         "127.0.0.1",
                         NULL };
  gboolean listening = FALSE;
  char *line;

  hub->hub = sync_test_spawn (argv, NULL, NULL);
  while ((line = sync_test_process_read_line (hub->hub, 30000)) != NULL)
    {
      g_autofree char *owned = line;
      const char *fp = strstr (line, "(SHA-256): ");

      if (strstr (line, expected) != NULL)
        listening = TRUE;
      if (fp != NULL)
        {
          g_free (hub->fingerprint);
          hub->fingerprint = g_strdup (fp + strlen ("(SHA-256): "));
          break;
        }
    }
  if (!listening)
    g_error ("dengon --hub did not start:\n%s", hub->hub->all->str);
}

static void
add_account (const char *dir)
{
  const char *argv[] = {
    g_getenv ("DENGON_BIN"), "--data-dir", dir, "--hub-user", "add", USER, NULL
  };
  g_autoptr (SyncTestProcess) cli = sync_test_spawn (argv, NULL, PASSWORD "\n");
  g_autofree char *line = sync_test_process_read_line (cli, 30000);

  g_assert_cmpint (sync_test_process_wait (cli, 30000), ==, 0);
}

static gboolean
written_at_least (gpointer data)
{
  gpointer *args = data;

  return dengon_replicator_get_docs_written (args[0]) >= GPOINTER_TO_UINT (args[1]);
}

typedef struct
{
  DengonReplicator *replicator;
  DengonStore *store;
  guint expected;
} Done;

static gboolean
replication_done (gpointer data)
{
  Done *done = data;

  return dengon_replicator_get_state (done->replicator) == DENGON_REPLICATOR_STATE_SYNCED &&
         sync_test_count_docs (done->store) == done->expected;
}

/* Every document once: one leaf each, no conflict made by a repeated batch. */
static void
assert_single_leaves (DengonStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = dengon_store_changes (store, 0, 0, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      DengonStoreFeedEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpuint (g_strv_length (entry->revs), ==, 1);
    }
}

static void
test_hub_killed (void)
{
  HubProcess hub = { 0 };
  g_autofree char *client_dir = sync_test_make_dir ("dengon-faults-XXXXXX");
  g_autoptr (DengonStore) client_store = NULL;
  g_autoptr (DengonStore) hub_store = NULL;
  g_autoptr (DengonCouchClient) client = NULL;
  g_autoptr (DengonReplicator) replicator = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *hub_dump = NULL;
  g_autofree char *client_dump = NULL;
  Done done;
  gint64 started;

  if (g_getenv ("DENGON_BIN") == NULL)
    {
      g_test_skip ("DENGON_BIN is not set");
      return;
    }

  /* The hub's desk has 10,000 memos; this desk has 1,000 of its own. */
  hub.dir = sync_test_make_dir ("dengon-hub-process-XXXXXX");
  hub_store = sync_test_open_store (hub.dir, "dengon.db");
  sync_test_seed_memos (hub_store, "h", 10000);
  sync_test_finalize_store (g_steal_pointer (&hub_store));
  add_account (hub.dir);
  hub.port = sync_test_free_port ();
  hub_process_start (&hub);

  client_store = sync_test_open_store (client_dir, "client.db");
  sync_test_seed_memos (client_store, "c", 1000);
  url = g_strdup_printf ("https://127.0.0.1:%u/dengon", hub.port);
  client = dengon_couch_client_new (url, USER, PASSWORD, hub.fingerprint, &error);
  g_assert_no_error (error);
  replicator = dengon_replicator_new (client_store, client, DENGON_REPLICATOR_BOTH);
  dengon_replicator_set_retry_delay (replicator, 100);
  dengon_replicator_start (replicator);
  started = g_get_monotonic_time ();

  /* Ten times: let some documents through, then kill the hub as a power cut would. */
  for (guint i = 0; i < 10; i++)
    {
      gpointer args[2] = { replicator, GUINT_TO_POINTER ((i + 1) * 800) };

      sync_test_wait (written_at_least, args, 20000);
      g_test_message ("kill %u after %" G_GUINT64_FORMAT " documents written", i + 1,
                      dengon_replicator_get_docs_written (replicator));
      sync_test_process_kill (g_steal_pointer (&hub.hub));
      hub_process_start (&hub);
    }

  done = (Done){ replicator, client_store, 11000 };
  g_assert_true (sync_test_wait (replication_done, &done, 180000));
  g_test_message ("converged %.1f s after the start; %" G_GUINT64_FORMAT " documents written",
                  (g_get_monotonic_time () - started) / 1e6,
                  dengon_replicator_get_docs_written (replicator));

  dengon_replicator_stop (replicator);
  sync_test_drain ();
  sync_test_process_stop (g_steal_pointer (&hub.hub));

  /* The hub's database, read after it stopped, holds exactly what this desk holds. */
  hub_store = sync_test_open_store (hub.dir, "dengon.db");
  g_assert_cmpuint (sync_test_count_docs (hub_store), ==, 11000);
  assert_single_leaves (hub_store);
  assert_single_leaves (client_store);
  hub_dump = sync_test_dump (hub_store);
  client_dump = sync_test_dump (client_store);
  g_assert_true (g_str_equal (hub_dump, client_dump));

  g_clear_object (&replicator);
  g_clear_object (&client);
  sync_test_finalize_store (g_steal_pointer (&client_store));
  sync_test_finalize_store (g_steal_pointer (&hub_store));
  sync_test_remove_tree (hub.dir);
  sync_test_remove_tree (client_dir);
  g_free (hub.dir);
  g_free (hub.fingerprint);
}

static SyncTestProcess *
spawn_client (SyncTestHub *hub, const char *store_path)
{
  const char *argv[] = { g_getenv ("DENGON_SYNC_CLIENT"),
                         "--store",
                         store_path,
                         "--url",
                         hub->url,
                         "--user",
                         USER,
                         "--fingerprint",
                         dengon_hub_get_fingerprint (hub->hub),
                         "--batch",
                         "500",
                         NULL };
  const char *env[] = { "DENGON_TEST_PASSWORD=" PASSWORD, NULL };

  return sync_test_spawn (argv, env, NULL);
}

static void
test_client_killed (void)
{
  SyncTestHub *hub = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *store_path = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autofree char *hub_dump = NULL;
  g_autofree char *client_dump = NULL;
  SyncTestProcess *client;
  guint64 written = 0;
  char *line;

  if (g_getenv ("DENGON_SYNC_CLIENT") == NULL)
    {
      g_test_skip ("DENGON_SYNC_CLIENT is not set");
      return;
    }

  hub = sync_test_hub_new (USER, PASSWORD);
  sync_test_seed_memos (hub->store, "h", 10000);
  dir = sync_test_make_dir ("dengon-client-XXXXXX");
  store_path = g_build_filename (dir, "client.db", NULL);

  /* The first run dies with 3,000 or more documents in, in the middle of the next batch. */
  client = spawn_client (hub, store_path);
  while ((line = sync_test_process_read_line (client, 60000)) != NULL)
    {
      g_autofree char *owned = line;

      if (g_str_has_prefix (line, "written "))
        written = g_ascii_strtoull (line + 8, NULL, 10);
      if (written >= 3000)
        break;
    }
  g_assert_cmpuint (written, >=, 3000);
  sync_test_process_kill (client);
  g_test_message ("killed after %" G_GUINT64_FORMAT " documents", written);

  /* The second run starts from the checkpoint, not from the beginning. */
  client = spawn_client (hub, store_path);
  while ((line = sync_test_process_read_line (client, 120000)) != NULL)
    {
      g_autofree char *owned = line;

      if (line[0] == '{')
        result = dengon_json_parse_object (line, -1, NULL, NULL);
    }
  g_assert_cmpint (sync_test_process_wait (client, 30000), ==, 0);
  sync_test_process_free (client);
  g_assert_nonnull (result);
  g_test_message ("second run: %s", dengon_json_object_to_string (result));
  g_assert_true (dengon_json_get_boolean (result, "ok", FALSE));
  /* At most the batch under way when it died is read again (the source's checkpoint, written
   * last, is the one both sides agree on). */
  g_assert_cmpint (dengon_json_get_int (result, "pull_start", 0), >=, (gint64) written - 500);
  g_assert_cmpint (dengon_json_get_int (result, "docs_read", -1), <=,
                   10000 - (gint64) written + 500);

  store = dengon_store_open (store_path, NULL);
  g_assert_nonnull (store);
  g_assert_cmpuint (sync_test_count_docs (store), ==, 10000);
  assert_single_leaves (store);
  hub_dump = sync_test_dump (hub->store);
  client_dump = sync_test_dump (store);
  g_assert_true (g_str_equal (hub_dump, client_dump));

  sync_test_finalize_store (g_steal_pointer (&store));
  sync_test_hub_free (hub);
  sync_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dengon/faults/hub-killed-10-times-during-10k", test_hub_killed);
  g_test_add_func ("/dengon/faults/client-killed-mid-batch-resumes", test_client_killed);

  return g_test_run ();
}
