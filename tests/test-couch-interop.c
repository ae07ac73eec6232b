/* test-couch-interop.c: Dengon against a real CouchDB-protocol peer from npm: PouchDB Server
 * (express-pouchdb) and PouchDB 9's own replicator, all on 127.0.0.1, started and stopped here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dengon-conflict-resolver.h"
#include "dengon-couch-client.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-replicator.h"
#include "dengon-sync-common.h"
#include "sync-test-util.h"

#define ADMIN      "admin"
#define ADMIN_PASS "s3cret"
#define USER       "tanaka"
#define PASSWORD   "sakura-2026"

typedef struct
{
  char *dir;
  SyncTestProcess *server;
  guint server_port;
  char *server_root; /* http://127.0.0.1:PORT/ */
  SyncTestProcess *proxy;
  char *proxy_root;
  DengonStore *a;
  DengonStore *b;
  SoupSession *session;
} Fixture;

static char *
tool_path (const char *part, const char *file)
{
  return g_test_build_filename (G_TEST_DIST, "tools", "couch", part, file, NULL);
}

static gboolean
tools_installed (void)
{
  g_autofree char *server = tool_path ("server", "node_modules/express-pouchdb/package.json");
  g_autofree char *client = tool_path ("client", "node_modules/pouchdb-core/package.json");
  g_autofree char *node = g_find_program_in_path ("node");

  return node != NULL && g_file_test (server, G_FILE_TEST_EXISTS) &&
         g_file_test (client, G_FILE_TEST_EXISTS);
}

/* "READY http://127.0.0.1:PORT/ …" */
static guint
read_ready_port (SyncTestProcess *process, const char *marker)
{
  g_autofree char *line = NULL;

  while ((line = sync_test_process_read_line (process, 30000)) != NULL)
    {
      const char *found = strstr (line, marker);

      if (g_str_has_prefix (line, "READY") && found != NULL)
        return (guint) g_ascii_strtoull (found + strlen (marker), NULL, 10);
      g_clear_pointer (&line, g_free);
    }

  g_error ("the process did not start:\n%s", process->all->str);
  return 0;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *server_js = tool_path ("server", "server.js");
  g_autofree char *run_dir = NULL;

  if (!tools_installed ())
    {
      g_test_skip ("the PouchDB test peer is not installed: run tests/tools/couch/install");
      return;
    }

  f->dir = sync_test_make_dir ("dengon-interop-XXXXXX");
  run_dir = g_build_filename (f->dir, "couch", NULL);
  {
    const char *argv[] = { "node",      server_js, "--port", "0",       "--host",
                           "127.0.0.1", "--data",  "memory", "--admin", ADMIN ":" ADMIN_PASS,
                           "--run-dir", run_dir,   NULL };

    f->server = sync_test_spawn (argv, NULL, NULL);
  }
  f->server_port = read_ready_port (f->server, "http://127.0.0.1:");
  f->server_root = g_strdup_printf ("http://127.0.0.1:%u/", f->server_port);
  f->a = sync_test_open_store (f->dir, "a.db");
  f->b = sync_test_open_store (f->dir, "b.db");
  f->session = sync_test_session_new (NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->dir == NULL)
    return;

  sync_test_process_stop (f->proxy);
  sync_test_process_stop (f->server);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  sync_test_finalize_store (f->a);
  sync_test_finalize_store (f->b);
  sync_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->server_root);
  g_free (f->proxy_root);
}

static void
start_proxy (Fixture *f, const char *option, const char *value)
{
  g_autofree char *proxy_js = tool_path ("client", "proxy.js");
  g_autofree char *target = g_strdup_printf ("%u", f->server_port);
  g_autofree char *log = g_build_filename (f->dir, "proxy.jsonl", NULL);
  const char *argv[] = { "node", proxy_js, "0", target, log, option, value, NULL };

  f->proxy = sync_test_spawn (argv, NULL, NULL);
  f->proxy_root = g_strdup_printf ("http://127.0.0.1:%u/",
                                   read_ready_port (f->proxy, "READY proxy 127.0.0.1:"));
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

/* One-shot replication of @store with @url; returns the replicator for its counters. */
static DengonReplicator *
replicate (DengonStore *store, const char *url, const char *user, const char *password,
           const char *fingerprint, DengonReplicatorDirection direction)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonCouchClient) client =
      dengon_couch_client_new (url, user, password, fingerprint, &error);
  DengonReplicator *replicator;
  GError *result = NULL;

  g_assert_no_error (error);
  replicator = dengon_replicator_new (store, client, direction);
  dengon_replicator_run_async (replicator, NULL, on_run, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!g_error_matches (result, G_IO_ERROR, G_IO_ERROR_NONE))
    g_error ("replication with %s failed: %s", url, result->message);
  g_error_free (result);

  return replicator;
}

static int
compare_strings (gconstpointer a, gconstpointer b, gpointer data)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return compare_strings (a, b, NULL);
}

/* The digest dump.js computes: sorted "id rev conflicts" lines, SHA-256. */
static char *
digest_like_dump_js (DengonStore *store, guint *live_out, guint *conflicted_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = dengon_store_changes (store, 0, 0, NULL, &error);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) text = g_string_new (NULL);
  guint live = 0, conflicted = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      DengonStoreFeedEntry *entry = g_ptr_array_index (entries, i);

      if (!entry->deleted)
        {
          g_auto (GStrv) conflicts = dengon_store_get_conflicts (store, entry->id, &error);
          g_autofree char *joined = NULL;

          g_assert_no_error (error);
          g_qsort_with_data (conflicts, g_strv_length (conflicts), sizeof (char *), compare_strings,
                             NULL);
          joined = g_strjoinv (",", conflicts);
          g_ptr_array_add (lines, g_strdup_printf ("%s %s %s", entry->id, entry->revs[0], joined));
          live++;
          conflicted += conflicts[0] != NULL;
        }
      else
        {
          g_auto (GStrv) revs = g_strdupv (entry->revs);
          g_autofree char *joined = NULL;

          g_qsort_with_data (revs, g_strv_length (revs), sizeof (char *), compare_strings, NULL);
          joined = g_strjoinv (",", revs);
          g_ptr_array_add (lines,
                           g_strdup_printf ("%s %s deleted %s", entry->id, entry->revs[0], joined));
        }
    }

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s%s", i ? "\n" : "", (char *) g_ptr_array_index (lines, i));

  if (live_out)
    *live_out = live;
  if (conflicted_out)
    *conflicted_out = conflicted;

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

static JsonObject *
node_json (const char *script, const char *const *args, const char *const *env)
{
  g_autofree char *path = tool_path ("client", script);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  guint n;

  g_ptr_array_add (argv, (gpointer) "node");
  g_ptr_array_add (argv, path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  out = sync_test_run ((const char *const *) argv->pdata, env, 120000);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >, 0);

  return dengon_json_parse_object (lines[n - 1], -1, NULL, NULL);
}

static char *
server_db_url (Fixture *f, const char *root, const char *db)
{
  return g_strdup_printf ("%s%s", root, db);
}

/* ---- our replicator against PouchDB Server */

static void
make_edits_and_conflicts (DengonStore *store, guint n)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("memo:a%06u", i);
      g_autoptr (JsonObject) doc = dengon_memo_copy (dengon_store_get (store, id, &error));

      g_assert_no_error (error);
      if (i % 4 == 0)
        {
          g_free (dengon_store_delete (store, id, dengon_json_get_string (doc, "_rev"), &error));
          g_assert_no_error (error);
        }
      else if (i % 4 == 1)
        {
          g_autoptr (GPtrArray) docs =
              g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
          g_autoptr (GPtrArray) failures = NULL;
          g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_MD5, id, -1);
          g_autofree char *rev = g_strconcat ("2-", hash, NULL);
          const char *parent = strchr (dengon_json_get_string (doc, "_rev"), '-') + 1;
          JsonObject *revisions = json_object_new ();
          JsonArray *ids = json_array_new ();

          /* A sibling from elsewhere: a conflict. */
          dengon_memo_set_message (doc, "別の机での変更");
          json_object_set_string_member (doc, "_rev", rev);
          json_array_add_string_element (ids, hash);
          json_array_add_string_element (ids, parent);
          json_object_set_int_member (revisions, "start", 2);
          json_object_set_array_member (revisions, "ids", ids);
          json_object_set_object_member (doc, "_revisions", revisions);
          g_ptr_array_add (docs, json_object_ref (doc));
          dengon_store_put_replicated (store, docs, &failures, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (failures->len, ==, 0);
        }
      else
        {
          dengon_memo_add_note (doc, "staff:tanaka", "折り返し済み", NULL, NULL);
          g_free (sync_test_put (store, doc));
        }
    }
}

static void
test_push_pull_1000 (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autoptr (DengonReplicator) push = NULL;
  g_autoptr (DengonReplicator) pull = NULL;
  g_autoptr (JsonObject) summary = NULL;
  guint live = 0, conflicted = 0;

  if (f->dir == NULL)
    return;

  sync_test_seed_memos (f->a, "a", 1000);
  make_edits_and_conflicts (f->a, 40);
  url = server_db_url (f, f->server_root, "memos");

  push = replicate (f->a, url, ADMIN, ADMIN_PASS, NULL, DENGON_REPLICATOR_PUSH);
  g_assert_cmpuint (dengon_replicator_get_docs_written (push), ==, 1000 + 10);
  g_assert_cmpuint (dengon_replicator_get_doc_write_failures (push), ==, 0);

  /* PouchDB's own view of what it got: the same documents, revisions and conflicts. */
  {
    g_autofree char *auth_url =
        g_strdup_printf ("http://%s:%s@127.0.0.1:%u/memos", ADMIN, ADMIN_PASS, f->server_port);
    const char *args[] = { "--summary", auth_url, NULL };

    summary = node_json ("dump.js", args, NULL);
  }
  ours = digest_like_dump_js (f->a, &live, &conflicted);
  g_assert_cmpstr (dengon_json_get_string (summary, "digest"), ==, ours);
  g_assert_cmpint (dengon_json_get_int (summary, "live_count", -1), ==, live);
  g_assert_cmpint (dengon_json_get_int (summary, "deleted_count", -1), ==, 10);
  g_assert_cmpint (dengon_json_get_int (summary, "conflicted_count", -1), ==, conflicted);
  g_assert_cmpuint (conflicted, ==, 10);

  /* A fresh store pulls it all back: every document and every revision, bodies included. */
  pull = replicate (f->b, url, ADMIN, ADMIN_PASS, NULL, DENGON_REPLICATOR_PULL);
  dump_a = sync_test_dump (f->a);
  dump_b = sync_test_dump (f->b);
  g_assert_cmpstr (dump_a, ==, dump_b);
}

static void
test_opaque_sequences (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autofree char *direct = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autofree char *start = NULL;
  g_autoptr (DengonReplicator) push = NULL;
  g_autoptr (DengonReplicator) first = NULL;
  g_autoptr (DengonReplicator) again = NULL;

  if (f->dir == NULL)
    return;

  /* CouchDB 2+ sequences are strings like "13-g1AAAA…": the proxy makes PouchDB's look so. */
  start_proxy (f, "--opaque-seq", NULL);
  sync_test_seed_memos (f->a, "a", 120);
  direct = server_db_url (f, f->server_root, "memos");
  push = replicate (f->a, direct, ADMIN, ADMIN_PASS, NULL, DENGON_REPLICATOR_PUSH);

  url = server_db_url (f, f->proxy_root, "memos");
  first = replicate (f->b, url, ADMIN, ADMIN_PASS, NULL, DENGON_REPLICATOR_PULL);
  g_assert_cmpuint (dengon_replicator_get_docs_written (first), ==, 120);
  dump_a = sync_test_dump (f->a);
  dump_b = sync_test_dump (f->b);
  g_assert_cmpstr (dump_a, ==, dump_b);

  /* The checkpoint kept the opaque string and the next run starts there. */
  again = replicate (f->b, url, ADMIN, ADMIN_PASS, NULL, DENGON_REPLICATOR_PULL);
  start = dengon_replicator_dup_pull_start (again);
  g_test_message ("second run started at %s", start);
  g_assert_true (g_str_has_prefix (start, "\""));
  g_assert_nonnull (strstr (start, "-g1AAAA"));
  g_assert_cmpuint (dengon_replicator_get_docs_read (again), ==, 0);
}

static void
test_without_bulk_get (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autofree char *direct = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *log = NULL;
  g_autoptr (DengonReplicator) push = NULL;
  g_autoptr (DengonReplicator) pull = NULL;

  if (f->dir == NULL)
    return;

  /* A server without _bulk_get (CouchDB 1.x, some proxies): one open_revs request a document. */
  start_proxy (f, "--deny", "_bulk_get$");
  sync_test_seed_memos (f->a, "a", 60);
  make_edits_and_conflicts (f->a, 8);
  direct = server_db_url (f, f->server_root, "memos");
  push = replicate (f->a, direct, ADMIN, ADMIN_PASS, NULL, DENGON_REPLICATOR_PUSH);

  url = server_db_url (f, f->proxy_root, "memos");
  pull = replicate (f->b, url, ADMIN, ADMIN_PASS, NULL, DENGON_REPLICATOR_PULL);
  dump_a = sync_test_dump (f->a);
  dump_b = sync_test_dump (f->b);
  g_assert_cmpstr (dump_a, ==, dump_b);

  log_path = g_build_filename (f->dir, "proxy.jsonl", NULL);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "open_revs"));
}

/* ---- PouchDB's replicator with our hub */

static JsonObject *
get_json (Fixture *f, const char *url)
{
  g_autoptr (SyncTestResponse) response =
      sync_test_http (f->session, "GET", url, ADMIN, ADMIN_PASS, NULL, NULL, 0);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (sync_test_response_object (response));
}

static void
put_json (Fixture *f, const char *url, JsonObject *doc)
{
  g_autofree char *text = dengon_json_object_to_string (doc);
  g_autoptr (SyncTestResponse) response =
      sync_test_http (f->session, "PUT", url, ADMIN, ADMIN_PASS, NULL, text, -1);

  g_assert_cmpuint (response->status, ==, 201);
}

static gboolean
hub_resolver_done (gpointer data)
{
  return dengon_conflict_resolver_is_idle (data);
}

static void
test_pouchdb_replicator_with_hub (Fixture *f, gconstpointer data)
{
  SyncTestHub *hub = NULL;
  g_autoptr (DengonConflictResolver) resolver = NULL;
  g_autofree char *server_db = NULL;
  g_autofree char *hub_db = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *ca_env = NULL;
  g_autoptr (GPtrArray) memo_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) server_summary = NULL;
  g_autoptr (JsonObject) hub_summary = NULL;
  const char *env[2] = { NULL, NULL };

  if (f->dir == NULL)
    return;

  hub = sync_test_hub_new (USER, PASSWORD);
  resolver = dengon_conflict_resolver_new (hub->store);
  server_db =
      g_strdup_printf ("http://%s:%s@127.0.0.1:%u/memos", ADMIN, ADMIN_PASS, f->server_port);
  hub_db = g_strdup_printf ("https://%s:%s@127.0.0.1:%u/dengon", USER, PASSWORD,
                            dengon_hub_get_port (hub->hub));
  /* Node trusts the hub's self-signed certificate like a person who confirmed it. */
  ca = g_build_filename (hub->dir, "hub-certificate.pem", NULL);
  ca_env = g_strconcat ("NODE_EXTRA_CA_CERTS=", ca, NULL);
  env[0] = ca_env;

  /* PouchDB's side: its own documents with conflicts and deletions, and Dengon memos. */
  {
    const char *args[] = { server_db, "300", "--conflicts", "10", "--delete", "10", NULL };
    g_autoptr (JsonObject) seeded = node_json ("seed.js", args, NULL);

    g_assert_true (dengon_json_get_boolean (seeded, "ok", FALSE));
  }
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (JsonObject) memo = sync_test_memo ("staff:tanaka", "先方から見積の依頼");
      g_autofree char *escaped =
          g_uri_escape_string (dengon_json_get_string (memo, "_id"), NULL, FALSE);
      g_autofree char *url = g_strdup_printf ("%smemos/%s", f->server_root, escaped);

      put_json (f, url, memo);
      g_ptr_array_add (memo_ids, g_strdup (dengon_json_get_string (memo, "_id")));
    }

  /* PouchDB's replicator into the hub. */
  {
    const char *args[] = { server_db, hub_db, NULL };
    g_autoptr (JsonObject) result = node_json ("replicate.js", args, env);

    g_assert_true (dengon_json_get_boolean (result, "ok", FALSE));
    g_assert_cmpint (dengon_json_get_int (result, "docs_written", -1), ==, 300 + 10 + 5);
  }

  /* Conflicting edits on both sides: three of PouchDB's documents and every memo. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("memo-%07u", 100 + i);
      g_autofree char *url = g_strdup_printf ("%smemos/%s", f->server_root, id);
      g_autoptr (JsonObject) there = dengon_memo_copy (get_json (f, url));
      g_autoptr (JsonObject) here = dengon_memo_copy (dengon_store_get (hub->store, id, NULL));

      json_object_set_string_member (there, "title", "edited in PouchDB");
      put_json (f, url, there);
      json_object_set_string_member (here, "title", "edited on the hub");
      g_free (sync_test_put (hub->store, here));
    }
  for (guint i = 0; i < memo_ids->len; i++)
    {
      const char *id = g_ptr_array_index (memo_ids, i);
      g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
      g_autofree char *url = g_strdup_printf ("%smemos/%s", f->server_root, escaped);
      g_autoptr (JsonObject) there = dengon_memo_copy (get_json (f, url));
      g_autoptr (JsonObject) here = dengon_memo_copy (dengon_store_get (hub->store, id, NULL));

      dengon_memo_add_note (there, "staff:kato", "PouchDB 側のメモ", NULL, NULL);
      put_json (f, url, there);
      dengon_memo_assign (here, "staff:tanaka", "staff:sato", NULL, NULL);
      g_free (sync_test_put (hub->store, here));
    }

  /* Both ways with PouchDB's replicator; the hub merges the memos meanwhile; once more to carry
   * the merges back. */
  for (guint round = 0; round < 2; round++)
    {
      const char *out_args[] = { hub_db, server_db, NULL };
      const char *in_args[] = { server_db, hub_db, NULL };
      g_autoptr (JsonObject) out = node_json ("replicate.js", out_args, env);
      g_autoptr (JsonObject) in = node_json ("replicate.js", in_args, env);

      g_assert_true (dengon_json_get_boolean (out, "ok", FALSE));
      g_assert_true (dengon_json_get_boolean (in, "ok", FALSE));
      g_assert_true (sync_test_wait (hub_resolver_done, resolver, 20000));
    }

  /* Identical winners and conflict sets, as PouchDB's dump sees both. */
  {
    const char *server_args[] = { "--summary", server_db, NULL };
    const char *hub_args[] = { "--summary", hub_db, NULL };

    server_summary = node_json ("dump.js", server_args, NULL);
    hub_summary = node_json ("dump.js", hub_args, env);
  }
  g_assert_cmpstr (dengon_json_get_string (server_summary, "digest"), ==,
                   dengon_json_get_string (hub_summary, "digest"));
  {
    g_autofree char *ours = digest_like_dump_js (hub->store, NULL, NULL);

    g_assert_cmpstr (dengon_json_get_string (hub_summary, "digest"), ==, ours);
  }
  /* seed.js's 10 conflicts and our 3 stay for a person; the memos were merged. */
  g_assert_cmpint (dengon_json_get_int (server_summary, "conflicted_count", -1), ==, 13);
  g_assert_cmpint (dengon_json_get_int (hub_summary, "conflicted_count", -1), ==, 13);
  g_assert_cmpint (dengon_json_get_int (server_summary, "deleted_count", -1), ==, 10);
  g_assert_cmpuint (dengon_conflict_resolver_get_n_merged (resolver), ==, memo_ids->len);

  for (guint i = 0; i < memo_ids->len; i++)
    {
      g_autoptr (JsonObject) merged =
          dengon_store_get (hub->store, g_ptr_array_index (memo_ids, i), NULL);
      g_auto (GStrv) conflicts =
          dengon_store_get_conflicts (hub->store, g_ptr_array_index (memo_ids, i), NULL);

      g_assert_cmpuint (g_strv_length (conflicts), ==, 0);
      g_assert_cmpstr (dengon_memo_get_for (merged), ==, "staff:sato");
      g_assert_cmpuint (json_array_get_length (dengon_json_get_array (merged, "history")), ==, 3);
    }

  g_clear_object (&resolver);
  sync_test_hub_free (hub);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/dengon/interop/pouchdb-server/push-1000-pull-into-fresh-store", test_push_pull_1000);
  ADD ("/dengon/interop/pouchdb-server/opaque-sequences", test_opaque_sequences);
  ADD ("/dengon/interop/pouchdb-server/without-bulk-get", test_without_bulk_get);
  ADD ("/dengon/interop/pouchdb-replicator/with-hub-and-conflicts",
       test_pouchdb_replicator_with_hub);
#undef ADD

  return g_test_run ();
}
