/* bench-sync.c: replication speed against PouchDB, and how soon a save reaches another desk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-sync [--memos N] [--runs N] [--saves N] [--batch N] [--no-pouchdb] [--keep]
 *
 * 1. Initial replication: `dengon --hub` (a separate process, as on the office's hub desk) serves
 *    N memos; an empty store pulls them all. The same N documents then go into one PouchDB
 *    Server, and PouchDB's replicator copies them into a second one on this machine, in the same
 *    run. Both are printed in documents per second, with the ratio (goal: at least 2×).
 * 2. Latency: two desks replicate continuously with the hub; a memo saved on desk A is timed
 *    until desk B's store has it (p50 and p95 over --saves saves; goal: p95 at most 1 s).
 *
 * Needs tests/tools/couch/install for the PouchDB part. Not a test: it prints numbers.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dengon-couch-client.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-replicator.h"
#include "dengon-sync-common.h"
#include "sync-test-util.h"

#define USER     "bench"
#define PASSWORD "bench-password"

static int n_memos = 10000;
static int n_runs = 3;
static int n_saves = 100;
static int batch = 500;
static gboolean no_pouchdb;
static gboolean keep;

static char *
sibling_path (const char *relative)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);

  return g_canonicalize_filename (relative, dir);
}

static char *
dengon_bin (void)
{
  if (g_getenv ("DENGON_BIN") != NULL)
    return g_strdup (g_getenv ("DENGON_BIN"));
  return sibling_path ("../../app/dengon");
}

static char *
couch_tool (const char *part, const char *file)
{
  return g_build_filename (SOURCE_DIR, "tests", "tools", "couch", part, file, NULL);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  guint index;

  g_array_sort (values, compare_doubles);
  index = MIN (values->len - 1, (guint) (p * (values->len - 1) + 0.5));
  return g_array_index (values, double, index);
}

static double
median (GArray *values)
{
  return percentile (values, 0.5);
}

/* ------------------------------------------------------------------ the hub process */

typedef struct
{
  char *dir;
  guint port;
  char *url;
  char *fingerprint;
  SyncTestProcess *process;
} Hub;

static void
hub_start (Hub *hub)
{
  g_autofree char *bin = dengon_bin ();
  g_autofree char *port = NULL;
  const char *add_argv[] = { bin, "--data-dir", hub->dir, "--hub-user", "add", USER, NULL };
  g_autoptr (SyncTestProcess) add = sync_test_spawn (add_argv, NULL, PASSWORD "\n");
  char *line;

  g_assert_cmpint (sync_test_process_wait (add, 30000), ==, 0);

  hub->port = sync_test_free_port ();
  port = g_strdup_printf ("%u", hub->port);
  {
    const char *argv[] = { bin,  "--data-dir", hub->dir,    "--hub", "--port",
                           port, "--listen",   "127.0.0.1", NULL };

    hub->process = sync_test_spawn (argv, NULL, NULL);
  }
  while ((line = sync_test_process_read_line (hub->process, 30000)) != NULL)
    {
      g_autofree char *owned = line;
      const char *fp = strstr (line, "(SHA-256): ");

      if (fp != NULL)
        {
          hub->fingerprint = g_strdup (fp + strlen ("(SHA-256): "));
          break;
        }
    }
  g_assert_nonnull (hub->fingerprint);
  hub->url = g_strdup_printf ("https://127.0.0.1:%u/dengon", hub->port);
}

/* ------------------------------------------------------------------ replication */

static void
on_run (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (!dengon_replicator_run_finish (DENGON_REPLICATOR (source), result, &error))
    g_error ("replication failed: %s", error->message);
  *(gboolean *) data = TRUE;
}

static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* One-shot replication; its wall time in seconds. */
static double
replicate_once (DengonStore *store, const char *url, const char *user, const char *password,
                const char *fingerprint, DengonReplicatorDirection direction,
                double *worst_iteration_ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonCouchClient) client =
      dengon_couch_client_new (url, user, password, fingerprint, &error);
  g_autoptr (DengonReplicator) replicator = NULL;
  gboolean done = FALSE;
  gint64 started, worst = 0;

  g_assert_no_error (error);
  replicator = dengon_replicator_new (store, client, direction);
  dengon_replicator_set_batch_size (replicator, batch);

  started = g_get_monotonic_time ();
  dengon_replicator_run_async (replicator, NULL, on_run, &done);
  while (!done)
    {
      gint64 cpu = thread_cpu_time ();

      g_main_context_iteration (NULL, TRUE);
      worst = MAX (worst, thread_cpu_time () - cpu);
    }

  if (worst_iteration_ms != NULL)
    *worst_iteration_ms = MAX (*worst_iteration_ms, worst / 1000.0);

  return (g_get_monotonic_time () - started) / 1e6;
}

/* ------------------------------------------------------------------ PouchDB */

static guint
start_pouchdb_server (const char *run_dir, SyncTestProcess **out)
{
  g_autofree char *server_js = couch_tool ("server", "server.js");
  const char *argv[] = { "node",      server_js, "--port", "0",       "--host",
                         "127.0.0.1", "--data",  "memory", "--admin", "admin:s3cret",
                         "--run-dir", run_dir,   NULL };
  char *line;

  *out = sync_test_spawn (argv, NULL, NULL);
  while ((line = sync_test_process_read_line (*out, 30000)) != NULL)
    {
      g_autofree char *owned = line;
      const char *port = strstr (line, "http://127.0.0.1:");

      if (g_str_has_prefix (line, "READY") && port != NULL)
        return (guint) g_ascii_strtoull (port + strlen ("http://127.0.0.1:"), NULL, 10);
    }

  g_error ("PouchDB Server did not start:\n%s", (*out)->all->str);
  return 0;
}

/* PouchDB's replicator between the two servers: its own elapsed time, in seconds. */
static double
pouchdb_replicate (guint from, guint to, const char *target_db, int batch_size)
{
  g_autofree char *script = couch_tool ("client", "replicate.js");
  g_autofree char *source = g_strdup_printf ("http://admin:s3cret@127.0.0.1:%u/memos", from);
  g_autofree char *target = g_strdup_printf ("http://admin:s3cret@127.0.0.1:%u/%s", to, target_db);
  g_autofree char *size = g_strdup_printf ("%d", batch_size);
  const char *argv[] = { "node", script, source, target, "--batch-size", size, NULL };
  g_autofree char *out = sync_test_run (argv, NULL, 600000);
  g_auto (GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_autoptr (JsonObject) result =
      dengon_json_parse_object (lines[g_strv_length (lines) - 1], -1, NULL, NULL);

  g_assert_true (dengon_json_get_boolean (result, "ok", FALSE));
  g_assert_cmpint (dengon_json_get_int (result, "docs_written", -1), ==, n_memos);

  return dengon_json_get_int (result, "elapsed_ms", 0) / 1000.0;
}

/* ------------------------------------------------------------------ latency */

typedef struct
{
  const char *id;
  gint64 saved;
  gint64 arrived;
} Watch;

static void
on_b_changed (DengonStore *store, GPtrArray *changes, Watch *watch)
{
  for (guint i = 0; i < changes->len && watch->id != NULL; i++)
    {
      DengonStoreChange *change = g_ptr_array_index (changes, i);

      if (watch->arrived == 0 && g_str_equal (change->id, watch->id))
        watch->arrived = g_get_monotonic_time ();
    }
}

static gboolean
arrived (gpointer data)
{
  return ((Watch *) data)->arrived != 0;
}

static gboolean
both_synced (gpointer data)
{
  DengonReplicator **r = data;

  return dengon_replicator_get_state (r[0]) == DENGON_REPLICATOR_STATE_SYNCED &&
         dengon_replicator_get_state (r[1]) == DENGON_REPLICATOR_STATE_SYNCED;
}

static void
measure_latency (Hub *hub, const char *dir)
{
  g_autoptr (DengonStore) a = sync_test_open_store (dir, "latency-a.db");
  g_autoptr (DengonStore) b = sync_test_open_store (dir, "latency-b.db");
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonCouchClient) client_a = NULL;
  g_autoptr (DengonCouchClient) client_b = NULL;
  DengonReplicator *replicators[2];
  Watch watch = { 0 };
  gulong handler;

  client_a = dengon_couch_client_new (hub->url, USER, PASSWORD, hub->fingerprint, &error);
  client_b = dengon_couch_client_new (hub->url, USER, PASSWORD, hub->fingerprint, &error);
  g_assert_no_error (error);
  replicators[0] = dengon_replicator_new (a, client_a, DENGON_REPLICATOR_BOTH);
  replicators[1] = dengon_replicator_new (b, client_b, DENGON_REPLICATOR_BOTH);

  /* Both desks start with what the hub has. */
  g_print ("latency: both desks catch up with the hub first...\n");
  dengon_replicator_start (replicators[0]);
  dengon_replicator_start (replicators[1]);
  if (!sync_test_wait (both_synced, replicators, 600000))
    g_error ("the desks did not catch up");

  handler = g_signal_connect (b, "changed", G_CALLBACK (on_b_changed), &watch);
  for (int i = 0; i < n_saves; i++)
    {
      g_autofree char *message = g_strdup_printf ("折り返しのお願い（%d）", i);
      g_autoptr (JsonObject) memo = sync_test_memo ("staff:tanaka", message);
      double took;

      dengon_memo_assign (memo, "staff:tanaka", "staff:sato", NULL, NULL);
      watch.id = dengon_json_get_string (memo, "_id");
      watch.arrived = 0;
      watch.saved = g_get_monotonic_time ();
      g_free (sync_test_put (a, memo));
      if (!sync_test_wait (arrived, &watch, 30000))
        g_error ("save %d never reached desk B", i);
      took = (watch.arrived - watch.saved) / 1000.0;
      g_array_append_val (ms, took);
      watch.id = NULL;
    }
  g_signal_handler_disconnect (b, handler);

  g_print ("latency: save on desk A -> memo in desk B's store, %d saves: p50 %.1f ms, p95 %.1f "
           "ms, max %.1f ms (goal: p95 <= 1000 ms)\n",
           n_saves, percentile (ms, 0.5), percentile (ms, 0.95), percentile (ms, 1.0));

  dengon_replicator_stop (replicators[0]);
  dengon_replicator_stop (replicators[1]);
  g_object_unref (replicators[0]);
  g_object_unref (replicators[1]);
  sync_test_drain ();
}

int
main (int argc, char *argv[])
{
  const GOptionEntry entries[] = {
    { "memos", 0, 0, G_OPTION_ARG_INT, &n_memos, "Memos to replicate (10000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs of each replication, median shown (3)", "N" },
    { "saves", 0, 0, G_OPTION_ARG_INT, &n_saves, "Saves timed for the latency (100)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Our batch size (500)", "N" },
    { "no-pouchdb", 0, 0, G_OPTION_ARG_NONE, &no_pouchdb, "Skip the PouchDB comparison", NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temporary folder", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- Dengon sync benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) pouch100 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) pouch_same = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  Hub hub = { 0 };
  double worst_iteration_ms = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (g_getenv ("GSETTINGS_BACKEND") == NULL)
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  dir = sync_test_make_dir ("dengon-bench-sync-XXXXXX");
  g_print ("bench-sync: %d memos, batch %d, %d runs, in %s\n", n_memos, batch, n_runs, dir);

  /* The hub desk's database. */
  hub.dir = g_build_filename (dir, "hub", NULL);
  g_mkdir_with_parents (hub.dir, 0700);
  {
    g_autoptr (DengonStore) store = sync_test_open_store (hub.dir, "dengon.db");

    sync_test_seed_memos (store, "bench", n_memos);
    sync_test_drain ();
  }
  hub_start (&hub);
  g_print ("hub: dengon --hub on %s\n", hub.url);

  /* 1. Ours: an empty store pulls everything from the hub process. */
  for (int run = 0; run < n_runs; run++)
    {
      g_autofree char *name = g_strdup_printf ("pull-%d.db", run);
      g_autoptr (DengonStore) store = sync_test_open_store (dir, name);
      double seconds = replicate_once (store, hub.url, USER, PASSWORD, hub.fingerprint,
                                       DENGON_REPLICATOR_PULL, &worst_iteration_ms);
      double rate = n_memos / seconds;

      g_assert_cmpuint (sync_test_count_docs (store), ==, (guint) n_memos);
      g_print ("  dengon  run %d: %6.2f s  %7.0f docs/s\n", run + 1, seconds, rate);
      g_array_append_val (ours, rate);
      sync_test_drain ();
    }

  /* 2. PouchDB: the same documents, server to server, with its replicator. */
  if (!no_pouchdb)
    {
      g_autofree char *run_dir_1 = g_build_filename (dir, "pouch-1", NULL);
      g_autofree char *run_dir_2 = g_build_filename (dir, "pouch-2", NULL);
      SyncTestProcess *server_1 = NULL, *server_2 = NULL;
      guint port_1 = start_pouchdb_server (run_dir_1, &server_1);
      guint port_2 = start_pouchdb_server (run_dir_2, &server_2);
      g_autofree char *seed_url = g_strdup_printf ("http://127.0.0.1:%u/memos", port_1);
      g_autoptr (DengonStore) source = sync_test_open_store (dir, "pull-0.db");

      replicate_once (source, seed_url, "admin", "s3cret", NULL, DENGON_REPLICATOR_PUSH, NULL);
      for (int run = 0; run < n_runs; run++)
        {
          g_autofree char *db_100 = g_strdup_printf ("copy-100-%d", run);
          g_autofree char *db_same = g_strdup_printf ("copy-%d-%d", batch, run);
          double s100 = pouchdb_replicate (port_1, port_2, db_100, 100);
          double same = pouchdb_replicate (port_1, port_2, db_same, batch);
          double r100 = n_memos / s100, rsame = n_memos / same;

          g_print ("  pouchdb run %d: %6.2f s  %7.0f docs/s (batch 100, its default); %6.2f s  "
                   "%7.0f docs/s (batch %d)\n",
                   run + 1, s100, r100, same, rsame, batch);
          g_array_append_val (pouch100, r100);
          g_array_append_val (pouch_same, rsame);
        }

      sync_test_process_stop (server_1);
      sync_test_process_stop (server_2);
      sync_test_finalize_store (g_steal_pointer (&source));
    }

  g_print ("initial replication of %d memos (median of %d):\n", n_memos, n_runs);
  g_print ("  dengon hub -> empty Dengon store:          %7.0f docs/s (batch %d)\n", median (ours),
           batch);
  if (!no_pouchdb)
    {
      g_print ("  PouchDB Server -> PouchDB Server (PouchDB 9 replicator): %7.0f docs/s (batch "
               "100), %7.0f docs/s (batch %d)\n",
               median (pouch100), median (pouch_same), batch);
      g_print ("  ratio: %.1fx PouchDB's default, %.1fx PouchDB with batch %d (goal: >= 2x)\n",
               median (ours) / median (pouch100), median (ours) / median (pouch_same), batch);
    }
  g_print ("  longest main-loop iteration during our pulls: %.1f ms of processor time (goal: < 50 "
           "ms)\n",
           worst_iteration_ms);

  /* 3. Latency between two desks. */
  if (n_saves > 0)
    measure_latency (&hub, dir);

  sync_test_process_stop (hub.process);
  if (!keep)
    sync_test_remove_tree (dir);
  g_free (hub.dir);
  g_free (hub.url);
  g_free (hub.fingerprint);

  return 0;
}
