/* test-hub.c: the hub over real HTTPS on 127.0.0.1, its CouchDB shapes and what it refuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dengon-json.h"
#include "dengon-sync-common.h"
#include "sync-test-util.h"

#define USER     "tanaka"
#define PASSWORD "sakura-2026"

typedef struct
{
  SyncTestHub *hub;
  SoupSession *session;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->hub = sync_test_hub_new (USER, PASSWORD);
  f->session = sync_test_session_new (dengon_hub_get_fingerprint (f->hub->hub));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  sync_test_hub_free (f->hub);
}

/* A request with the right credentials to a path under the hub's root. */
static SyncTestResponse *
call (Fixture *f, const char *method, const char *path, const char *body)
{
  g_autofree char *url = g_strconcat (f->hub->root, path, NULL);

  return sync_test_http (f->session, method, url, USER, PASSWORD, NULL, body, -1);
}

static void
assert_error (SyncTestResponse *response, guint status, const char *error)
{
  JsonObject *object;

  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, status);
  object = sync_test_response_object (response);
  g_assert_cmpstr (dengon_json_get_string (object, "error"), ==, error);
  g_assert_nonnull (dengon_json_get_string (object, "reason"));
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   "application/json");
}

static char *
canonical (JsonNode *node)
{
  return dengon_json_canonical (node);
}

static void
assert_nothing_written (Fixture *f)
{
  g_assert_cmpint (dengon_store_get_update_seq (f->hub->store), ==, 0);
}

/* ---- authentication */

static void
test_auth_required (Fixture *f, gconstpointer data)
{
  static const char *const paths[] = { "",         "dengon",          "dengon/_changes",
                                       "dengon/x", "dengon/_local/x", "nothing/here",
                                       "_session" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (f->hub->root, paths[i], NULL);
      g_autoptr (SyncTestResponse) get = NULL;
      g_autoptr (SyncTestResponse) post = NULL;
      g_autofree char *bulk_url = g_strconcat (f->hub->url, "/_bulk_docs", NULL);

      get = sync_test_http (f->session, "GET", url, NULL, NULL, NULL, NULL, 0);
      assert_error (get, 401, "unauthorized");
      g_assert_cmpstr (soup_message_headers_get_one (get->headers, "WWW-Authenticate"), ==,
                       "Basic realm=\"Dengon hub\"");

      post =
          sync_test_http (f->session, "POST", bulk_url, NULL, NULL, NULL,
                          "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\"}],\"new_edits\":false}", -1);
      assert_error (post, 401, "unauthorized");
    }

  assert_nothing_written (f);
}

static void
test_auth_wrong (Fixture *f, gconstpointer data)
{
  static const char *const bad[][2] = {
    { USER, "sakura-2027" }, { USER, "" },           { "nobody", PASSWORD },
    { "", PASSWORD },        { "TANAKA", PASSWORD },
  };
  g_autofree char *bulk_url = g_strconcat (f->hub->url, "/_bulk_docs", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (SyncTestResponse) response =
          sync_test_http (f->session, "POST", bulk_url, bad[i][0], bad[i][1], NULL,
                          "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\"}],\"new_edits\":false}", -1);

      assert_error (response, 401, "unauthorized");
    }

  /* Not Basic, or not base64 of "user:password". */
  {
    static const char *const headers[] = { "Bearer abc", "Basic", "Basic !!!!", "Basic dGFuYWth",
                                           "Digest username=\"tanaka\"" };

    for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
      {
        g_autoptr (SyncTestResponse) response =
            sync_test_http_raw_auth (f->session, f->hub->url, headers[i]);

        assert_error (response, 401, "unauthorized");
      }
  }

  assert_nothing_written (f);
}

static void
test_auth_good (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) root = call (f, "GET", "", NULL);
  g_autoptr (SyncTestResponse) again = call (f, "GET", "", NULL);
  g_autoptr (SyncTestResponse) session = call (f, "GET", "_session", NULL);
  JsonObject *object;

  g_assert_cmpuint (root->status, ==, 200);
  object = sync_test_response_object (root);
  g_assert_cmpstr (dengon_json_get_string (object, "couchdb"), ==, "Welcome");
  g_assert_cmpuint (strlen (dengon_json_get_string (object, "uuid")), ==, 32);
  /* The uuid is stable: checkpoints survive a changed address. */
  g_assert_cmpstr (dengon_json_get_string (object, "uuid"), ==,
                   dengon_json_get_string (sync_test_response_object (again), "uuid"));

  g_assert_cmpuint (session->status, ==, 200);
  object = dengon_json_get_object (sync_test_response_object (session), "userCtx");
  g_assert_cmpstr (dengon_json_get_string (object, "name"), ==, USER);
}

static void
on_sent_and_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  *(gboolean *) data = TRUE;
}

/* A client that asks to close the connection is told so (node-fetch with Node's keep-alive
 * agent otherwise reuses the closed connection). */
static void
test_connection_close (Fixture *f, gconstpointer data)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", f->hub->url);
  g_autofree char *pair = g_strdup_printf ("%s:%s", USER, PASSWORD);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);
  gboolean done = FALSE;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "close");
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent_and_read,
                                    &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (soup_message_headers_header_contains (soup_message_get_response_headers (msg),
                                                       "Connection", "close"));
}

/* The accounts file changed by another process (the command line) is picked up. */
static gboolean
account_known (gpointer data)
{
  Fixture *f = data;
  g_autofree char *url = g_strconcat (f->hub->root, "_session", NULL);
  g_autoptr (SyncTestResponse) response =
      sync_test_http (f->session, "GET", url, "sato", "umeboshi-77", NULL, NULL, 0);

  return response->status == 200;
}

static gboolean
account_refused (gpointer data)
{
  return !account_known (data);
}

static void
test_auth_accounts_reload (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonHubAccounts) other = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (account_known (f));

  other = dengon_hub_accounts_new_for_data_dir (f->hub->dir, &error);
  g_assert_no_error (error);
  dengon_hub_accounts_set (other, "sato", "umeboshi-77", FALSE, &error);
  g_assert_no_error (error);

  g_assert_true (sync_test_wait (account_known, f, 10000));

  /* Removed elsewhere: refused here, even though it was just accepted (and cached). */
  dengon_hub_accounts_remove (other, "sato", &error);
  g_assert_no_error (error);
  g_assert_true (sync_test_wait (account_refused, f, 10000));
}

/* ---- TLS */

static void
test_tls_fingerprint (Fixture *f, gconstpointer data)
{
  g_autoptr (SoupSession) other =
      sync_test_session_new ("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:"
                             "77:88:99:AA:BB:CC:DD:EE:FF");
  g_autoptr (SyncTestResponse) refused = NULL;
  g_autoptr (SyncTestResponse) plain = NULL;
  g_autofree char *http_url =
      g_strdup_printf ("http://127.0.0.1:%u/", dengon_hub_get_port (f->hub->hub));

  /* A client that expects another certificate never sends its password. */
  refused = sync_test_http (other, "GET", f->hub->url, USER, PASSWORD, NULL, NULL, 0);
  g_assert_error (refused->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);

  /* Plain HTTP is not served. */
  plain = sync_test_http (f->session, "GET", http_url, USER, PASSWORD, NULL, NULL, 0);
  g_assert_true (plain->error != NULL || plain->status >= 400);
}

/* ---- databases and paths */

static void
test_db_info (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) info = call (f, "GET", "dengon", NULL);
  g_autoptr (SyncTestResponse) info_slash = call (f, "GET", "dengon/", NULL);
  g_autoptr (SyncTestResponse) create = call (f, "PUT", "dengon", NULL);
  g_autoptr (SyncTestResponse) other = call (f, "GET", "memos", NULL);
  g_autoptr (SyncTestResponse) other_create = call (f, "PUT", "memos", NULL);
  g_autoptr (SyncTestResponse) delete = call (f, "DELETE", "dengon", NULL);
  g_autoptr (SyncTestResponse) all_dbs = call (f, "GET", "_all_dbs", NULL);
  g_autofree char *dbs = NULL;
  JsonObject *object;

  g_assert_cmpuint (info->status, ==, 200);
  object = sync_test_response_object (info);
  g_assert_cmpstr (dengon_json_get_string (object, "db_name"), ==, "dengon");
  g_assert_cmpint (dengon_json_get_int (object, "doc_count", -1), ==, 0);
  g_assert_cmpint (dengon_json_get_int (object, "update_seq", -1), ==, 0);
  g_assert_cmpuint (info_slash->status, ==, 200);

  assert_error (create, 412, "file_exists");
  assert_error (other, 404, "not_found");
  assert_error (other_create, 403, "forbidden");
  assert_error (delete, 405, "method_not_allowed");
  g_assert_nonnull (soup_message_headers_get_one (delete->headers, "Allow"));

  dbs = canonical (all_dbs->json);
  g_assert_cmpstr (dbs, ==, "[\"dengon\"]");
  assert_nothing_written (f);
}

static void
test_unknown_paths (Fixture *f, gconstpointer data)
{
  static const char *const paths[] = {
    "_utils",
    "_config",
    "_replicate",
    "dengon/_design/x",
    "dengon/_design_docs",
    "dengon/_purge",
    "dengon/_security",
    "dengon/doc/attachment.txt",
    "dengon/a/b/c/d",
    "memos/_changes",
    "memos/x",
    "dengon/_local",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (SyncTestResponse) response = call (f, "GET", paths[i], NULL);

      g_test_message ("GET /%s", paths[i]);
      assert_error (response, 404, "not_found");
    }

  {
    g_autoptr (SyncTestResponse) missing_doc = call (f, "GET", "dengon/memo%3Anothing", NULL);

    assert_error (missing_doc, 404, "not_found");
  }
}

/* ---- bad input: nothing is written */

static void
test_bad_json (Fixture *f, gconstpointer data)
{
  static const char *const bodies[] = {
    "{",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\"}]",
    "not json at all",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\",}],\"new_edits\":false}",
    "[1,2,3]",
    "{\"docs\":{\"_id\":\"a\"},\"new_edits\":false}",
    "{\"docs\":[\"a\"],\"new_edits\":false}",
    /* not UTF-8 */
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\",\"x\":\"\xff\xfe\"}],\"new_edits\":false}",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (SyncTestResponse) response = NULL;
      /* Escaped: a body that is not UTF-8 would break the TAP output. */
      g_autofree char *shown = g_strescape (bodies[i], NULL);

      g_test_message ("body: %s", shown);
      response = call (f, "POST", "dengon/_bulk_docs", bodies[i]);
      assert_error (response, 400, "bad_request");
    }

  {
    g_autoptr (SyncTestResponse) revs_diff =
        call (f, "POST", "dengon/_revs_diff", "{\"a\":\"1-aa\"}");
    g_autoptr (SyncTestResponse) bulk_get =
        call (f, "POST", "dengon/_bulk_get?revs=true", "{\"docs\":[{\"rev\":\"1-aa\"}]}");
    g_autoptr (SyncTestResponse) local = call (f, "PUT", "dengon/_local/x", "[");

    assert_error (revs_diff, 400, "bad_request");
    assert_error (bulk_get, 400, "bad_request");
    assert_error (local, 400, "bad_request");
  }

  assert_nothing_written (f);
}

static void
test_bad_deep_json (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) body = g_string_new ("{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\",\"x\":");
  g_autoptr (SyncTestResponse) response = NULL;
  g_autoptr (SyncTestResponse) local = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (body, ']');
  g_string_append (body, "}],\"new_edits\":false}");

  response = call (f, "POST", "dengon/_bulk_docs", body->str);
  assert_error (response, 400, "bad_request");

  local = call (f, "PUT", "dengon/_local/deep", body->str);
  assert_error (local, 400, "bad_request");
  assert_nothing_written (f);
}

static void
test_bad_long_string (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) body = g_string_new ("{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\",\"x\":\"");
  g_autoptr (SyncTestResponse) response = NULL;

  for (guint i = 0; i < DENGON_SYNC_MAX_STRING_BYTES + 10; i++)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}],\"new_edits\":false}");

  response = call (f, "POST", "dengon/_bulk_docs", body->str);
  assert_error (response, 400, "bad_request");
  assert_nothing_written (f);
}

static void
test_bad_oversized_body (Fixture *f, gconstpointer data)
{
  gsize size = DENGON_SYNC_MAX_BODY_BYTES + 1024;
  g_autofree char *body = g_malloc (size);
  g_autofree char *url = g_strconcat (f->hub->url, "/_bulk_docs", NULL);
  g_autoptr (SyncTestResponse) response = NULL;
  g_autoptr (SyncTestResponse) unauthenticated = NULL;
  g_autoptr (SyncTestResponse) after = NULL;

  memset (body, ' ', size);
  memcpy (body, "{\"docs\":[],\"x\":\"", 16);

  response = sync_test_http (f->session, "POST", url, USER, PASSWORD, NULL, body, size);
  g_assert_cmpuint (response->status, ==, 413);

  unauthenticated = sync_test_http (f->session, "POST", url, NULL, NULL, NULL, body, size);
  g_assert_true (unauthenticated->status == 413 || unauthenticated->status == 401);

  /* The hub still answers. */
  after = call (f, "GET", "dengon", NULL);
  g_assert_cmpuint (after->status, ==, 200);
  assert_nothing_written (f);
}

static void
test_bad_doc_ids (Fixture *f, gconstpointer data)
{
  g_autofree char *long_id = g_strnfill (300, 'x');
  g_autofree char *long_doc = g_strdup_printf (
      "{\"docs\":[{\"_id\":\"%s\",\"_rev\":\"1-aa\"}],\"new_edits\":false}", long_id);
  const char *bodies[] = {
    "{\"docs\":[{\"_id\":\"_secret\",\"_rev\":\"1-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"\",\"_rev\":\"1-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_rev\":\"1-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":42,\"_rev\":\"1-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"tab\\there\",\"_rev\":\"1-aa\"}],\"new_edits\":false}",
    /* one good document and one bad: neither is written */
    "{\"docs\":[{\"_id\":\"good\",\"_rev\":\"1-aa\"},{\"_id\":\"_bad\",\"_rev\":\"1-bb\"}],"
    "\"new_edits\":false}",
    long_doc,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (SyncTestResponse) response = NULL;

      g_test_message ("body: %.80s", bodies[i]);
      response = call (f, "POST", "dengon/_bulk_docs", bodies[i]);
      assert_error (response, 400, "illegal_docid");
    }

  {
    g_autoptr (SyncTestResponse) put = call (f, "PUT", "dengon/_bad%20id", "{\"a\":1}");
    g_autoptr (SyncTestResponse) put_control = call (f, "PUT", "dengon/a%01b", "{\"a\":1}");

    g_assert_cmpuint (put->status, >=, 400);
    g_assert_cmpuint (put->status, <, 500);
    assert_error (put_control, 400, "illegal_docid");
  }

  assert_nothing_written (f);
}

static void
test_bad_revs (Fixture *f, gconstpointer data)
{
  static const char *const bodies[] = {
    "{\"docs\":[{\"_id\":\"a\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"garbage\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"0-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"x-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"-1-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-a/b\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"99999999999-aa\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":12}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"2-bb\",\"_revisions\":{\"start\":3,\"ids\":[\"bb\","
    "\"aa\"]}}],"
    "\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"2-bb\",\"_revisions\":{\"start\":2,\"ids\":[\"cc\","
    "\"aa\"]}}],"
    "\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"2-bb\",\"_revisions\":{\"start\":2,\"ids\":[\"bb\","
    "\"aa\",\"zz\"]}}],"
    "\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"2-bb\",\"_revisions\":{\"start\":2,\"ids\":[\"bb\",7]}}],"
    "\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"2-bb\",\"_revisions\":{\"start\":2,\"ids\":[]}}],"
    "\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"2-bb\",\"_revisions\":\"2-bb\"}],\"new_edits\":false}",
    "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"garbage\"}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (SyncTestResponse) response = NULL;
      /* Escaped: a body that is not UTF-8 would break the TAP output. */
      g_autofree char *shown = g_strescape (bodies[i], NULL);

      g_test_message ("body: %s", shown);
      response = call (f, "POST", "dengon/_bulk_docs", bodies[i]);
      assert_error (response, 400, "bad_request");
    }

  {
    g_autoptr (SyncTestResponse) put =
        call (f, "PUT", "dengon/a?new_edits=false", "{\"_rev\":\"nonsense\"}");
    g_autoptr (SyncTestResponse) put2 = call (f, "PUT", "dengon/a", "{\"_rev\":\"nonsense\"}");
    g_autoptr (SyncTestResponse) del = call (f, "DELETE", "dengon/a?rev=garbage", NULL);
    g_autoptr (SyncTestResponse) get = call (f, "GET", "dengon/a?rev=garbage", NULL);

    assert_error (put, 400, "bad_request");
    assert_error (put2, 400, "bad_request");
    g_assert_cmpuint (del->status, ==, 409);
    g_assert_cmpuint (get->status, >=, 400);
    g_assert_cmpuint (get->status, <, 500);
  }

  assert_nothing_written (f);
}

static void
test_bad_batch_sizes (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) docs = g_string_new ("{\"new_edits\":false,\"docs\":[");
  g_autoptr (GString) gets = g_string_new ("{\"docs\":[");
  g_autoptr (GString) diff = g_string_new ("{\"a\":[");
  g_autoptr (SyncTestResponse) r1 = NULL;
  g_autoptr (SyncTestResponse) r2 = NULL;
  g_autoptr (SyncTestResponse) r3 = NULL;

  for (guint i = 0; i <= DENGON_SYNC_MAX_BATCH_DOCS; i++)
    {
      g_string_append_printf (docs, "%s{\"_id\":\"d%u\",\"_rev\":\"1-aa\"}", i ? "," : "", i);
      g_string_append_printf (gets, "%s{\"id\":\"d%u\"}", i ? "," : "", i);
    }
  for (guint i = 0; i <= DENGON_SYNC_MAX_REVS_DIFF_REVS; i++)
    g_string_append_printf (diff, "%s\"%u-aa\"", i ? "," : "", i + 1);
  g_string_append (docs, "]}");
  g_string_append (gets, "]}");
  g_string_append (diff, "]}");

  r1 = call (f, "POST", "dengon/_bulk_docs", docs->str);
  assert_error (r1, 413, "too_large");
  r2 = call (f, "POST", "dengon/_bulk_get", gets->str);
  assert_error (r2, 413, "too_large");
  r3 = call (f, "POST", "dengon/_revs_diff", diff->str);
  assert_error (r3, 413, "too_large");
  assert_nothing_written (f);
}

static void
test_bad_content_type (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (f->hub->url, "/_bulk_docs", NULL);
  g_autoptr (SyncTestResponse) form = NULL;
  g_autoptr (SyncTestResponse) text = NULL;
  const char *body = "{\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aa\"}],\"new_edits\":false}";

  form = sync_test_http (f->session, "POST", url, USER, PASSWORD,
                         "application/x-www-form-urlencoded", body, -1);
  assert_error (form, 415, "bad_content_type");
  text = sync_test_http (f->session, "POST", url, USER, PASSWORD, "text/plain", body, -1);
  assert_error (text, 415, "bad_content_type");
  assert_nothing_written (f);
}

/* ---- the replication endpoints */

static void
test_bulk_docs_and_revs_diff (Fixture *f, gconstpointer data)
{
  const char *body =
      "{\"new_edits\":false,\"docs\":["
      "{\"_id\":\"a\",\"_rev\":\"1-aa\",\"_revisions\":{\"start\":1,\"ids\":[\"aa\"]},\"v\":1},"
      "{\"_id\":\"d\",\"_rev\":\"2-dd\",\"_revisions\":{\"start\":2,\"ids\":[\"dd\",\"d1\"]},\"v\":"
      "2},"
      "{\"_id\":\"d\",\"_rev\":\"2-ee\",\"_revisions\":{\"start\":2,\"ids\":[\"ee\",\"d1\"]},\"v\":"
      "3},"
      "{\"_id\":\"gone\",\"_rev\":\"2-gg\",\"_deleted\":true,\"_revisions\":{\"start\":2,\"ids\":["
      "\"gg\",\"g1\"]}},"
      "{\"_id\":\"_design/x\",\"_rev\":\"1-xx\"},"
      "{\"_id\":\"att\",\"_rev\":\"1-at\",\"_attachments\":{\"a.txt\":{\"data\":\"aGk=\"}}}"
      "]}";
  g_autoptr (SyncTestResponse) bulk = call (f, "POST", "dengon/_bulk_docs", body);
  g_autoptr (SyncTestResponse) again = NULL;
  g_autoptr (SyncTestResponse) diff = NULL;
  g_autoptr (SyncTestResponse) conflicts = NULL;
  g_autoptr (SyncTestResponse) gone = NULL;
  g_autofree char *text = NULL;
  gint64 seq;

  g_assert_cmpuint (bulk->status, ==, 201);
  /* Only the documents that were refused, each "forbidden" (PouchDB skips those). */
  text = canonical (bulk->json);
  g_assert_cmpstr (text, ==,
                   "[{\"error\":\"forbidden\",\"id\":\"_design/x\",\"reason\":\"Design and local "
                   "documents cannot be written here\"},{\"error\":\"forbidden\",\"id\":\"att\","
                   "\"reason\":\"attachments not supported\"}]");

  /* Idempotent. */
  seq = dengon_store_get_update_seq (f->hub->store);
  again = call (f, "POST", "dengon/_bulk_docs", body);
  g_assert_cmpuint (again->status, ==, 201);
  g_assert_cmpint (dengon_store_get_update_seq (f->hub->store), ==, seq);

  diff = call (f, "POST", "dengon/_revs_diff",
               "{\"a\":[\"1-aa\",\"2-ab\"],\"d\":[\"2-dd\",\"2-ee\",\"1-d1\"],\"n\":[\"1-nn\"],"
               "\"_bad\":[\"1-x\"]}");
  g_assert_cmpuint (diff->status, ==, 200);
  g_clear_pointer (&text, g_free);
  text = canonical (diff->json);
  g_assert_cmpstr (text, ==,
                   "{\"_bad\":{\"missing\":[\"1-x\"]},\"a\":{\"missing\":[\"2-ab\"]},"
                   "\"n\":{\"missing\":[\"1-nn\"]}}");

  conflicts = call (f, "GET", "dengon/d?conflicts=true", NULL);
  g_assert_cmpuint (conflicts->status, ==, 200);
  g_clear_pointer (&text, g_free);
  text = canonical (conflicts->json);
  g_assert_cmpstr (text, ==, "{\"_conflicts\":[\"2-dd\"],\"_id\":\"d\",\"_rev\":\"2-ee\",\"v\":3}");

  gone = call (f, "GET", "dengon/gone", NULL);
  assert_error (gone, 404, "not_found");
}

static void
test_bulk_docs_new_edits (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) first =
      call (f, "POST", "dengon/_bulk_docs", "{\"docs\":[{\"_id\":\"n\",\"v\":1},{\"v\":2}]}");
  g_autoptr (SyncTestResponse) conflict = NULL;
  g_autoptr (SyncTestResponse) put = NULL;
  g_autoptr (SyncTestResponse) put_conflict = NULL;
  g_autoptr (SyncTestResponse) del = NULL;
  g_autoptr (SyncTestResponse) get = NULL;
  JsonArray *results;
  g_autofree char *body = NULL;
  const char *rev;

  g_assert_cmpuint (first->status, ==, 201);
  results = json_node_get_array (first->json);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  g_assert_true (dengon_json_get_boolean (json_array_get_object_element (results, 0), "ok", FALSE));
  g_assert_cmpstr (dengon_json_get_string (json_array_get_object_element (results, 0), "id"), ==,
                   "n");
  rev = dengon_json_get_string (json_array_get_object_element (results, 0), "rev");
  g_assert_true (g_str_has_prefix (rev, "1-"));

  conflict = call (f, "POST", "dengon/_bulk_docs", "{\"docs\":[{\"_id\":\"n\",\"v\":3}]}");
  g_assert_cmpuint (conflict->status, ==, 201);
  g_assert_cmpstr (
      dengon_json_get_string (
          json_array_get_object_element (json_node_get_array (conflict->json), 0), "error"),
      ==, "conflict");

  body = g_strdup_printf ("{\"_rev\":\"%s\",\"v\":4}", rev);
  put = call (f, "PUT", "dengon/n", body);
  g_assert_cmpuint (put->status, ==, 201);
  put_conflict = call (f, "PUT", "dengon/n", body);
  assert_error (put_conflict, 409, "conflict");

  {
    g_autofree char *path = g_strdup_printf (
        "dengon/n?rev=%s", dengon_json_get_string (sync_test_response_object (put), "rev"));

    del = call (f, "DELETE", path, NULL);
    g_assert_cmpuint (del->status, ==, 200);
  }
  get = call (f, "GET", "dengon/n", NULL);
  assert_error (get, 404, "not_found");
}

static void
seed_tree (Fixture *f)
{
  g_autoptr (SyncTestResponse) bulk =
      call (f, "POST", "dengon/_bulk_docs",
            "{\"new_edits\":false,\"docs\":["
            "{\"_id\":\"d\",\"_rev\":\"3-cc\",\"_revisions\":{\"start\":3,\"ids\":[\"cc\",\"bb\","
            "\"aa\"]},\"side\":\"c\"},"
            "{\"_id\":\"d\",\"_rev\":\"3-dd\",\"_revisions\":{\"start\":3,\"ids\":[\"dd\",\"bb\","
            "\"aa\"]},\"side\":\"d\"},"
            "{\"_id\":\"memo:あ/1\",\"_rev\":\"1-ee\",\"v\":\"日本語\"}"
            "]}");

  g_assert_cmpuint (bulk->status, ==, 201);
}

static void
test_bulk_get (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) response = NULL;
  g_autoptr (SyncTestResponse) no_revs = NULL;
  g_autofree char *text = NULL;

  seed_tree (f);

  response = call (f, "POST", "dengon/_bulk_get?revs=true&latest=true",
                   "{\"docs\":[{\"id\":\"d\",\"rev\":\"3-cc\"},{\"id\":\"d\",\"rev\":\"2-bb\"},"
                   "{\"id\":\"memo:あ/1\"},{\"id\":\"nope\"},{\"id\":\"d\",\"rev\":\"9-zz\"}]}");
  g_assert_cmpuint (response->status, ==, 200);
  text = canonical (response->json);
  g_assert_cmpstr (
      text, ==,
      "{\"results\":["
      "{\"docs\":[{\"ok\":{\"_id\":\"d\",\"_rev\":\"3-cc\",\"_revisions\":{\"ids\":[\"cc\",\"bb\","
      "\"aa\"],\"start\":3},\"side\":\"c\"}}],\"id\":\"d\"},"
      /* latest=true: a revision that is no longer a leaf gives its leaves */
      "{\"docs\":[{\"ok\":{\"_id\":\"d\",\"_rev\":\"3-dd\",\"_revisions\":{\"ids\":[\"dd\",\"bb\","
      "\"aa\"],\"start\":3},\"side\":\"d\"}},{\"ok\":{\"_id\":\"d\",\"_rev\":\"3-cc\","
      "\"_revisions\":{\"ids\":[\"cc\",\"bb\",\"aa\"],\"start\":3},\"side\":\"c\"}}],\"id\":\"d\"},"
      "{\"docs\":[{\"ok\":{\"_id\":\"memo:あ/"
      "1\",\"_rev\":\"1-ee\",\"_revisions\":{\"ids\":[\"ee\"],"
      "\"start\":1},\"v\":\"日本語\"}}],\"id\":\"memo:あ/1\"},"
      "{\"docs\":[{\"error\":{\"error\":\"not_found\",\"id\":\"nope\",\"reason\":\"missing\"}}],"
      "\"id\":\"nope\"},"
      "{\"docs\":[{\"error\":{\"error\":\"not_found\",\"id\":\"d\",\"reason\":\"missing\",\"rev\":"
      "\"9-zz\"}}],\"id\":\"d\"}]}");

  no_revs = call (f, "POST", "dengon/_bulk_get", "{\"docs\":[{\"id\":\"d\",\"rev\":\"3-cc\"}]}");
  g_clear_pointer (&text, g_free);
  text = canonical (no_revs->json);
  g_assert_cmpstr (text, ==,
                   "{\"results\":[{\"docs\":[{\"ok\":{\"_id\":\"d\",\"_rev\":\"3-cc\",\"side\":"
                   "\"c\"}}],\"id\":\"d\"}]}");
}

static void
test_open_revs (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) all = NULL;
  g_autoptr (SyncTestResponse) list = NULL;
  g_autoptr (SyncTestResponse) bad = NULL;
  g_autoptr (SyncTestResponse) escaped = NULL;
  g_autoptr (SyncTestResponse) revs = NULL;
  g_autofree char *text = NULL;

  seed_tree (f);

  all = call (f, "GET", "dengon/d?open_revs=all", NULL);
  g_assert_cmpuint (all->status, ==, 200);
  text = canonical (all->json);
  g_assert_cmpstr (text, ==,
                   "[{\"ok\":{\"_id\":\"d\",\"_rev\":\"3-dd\",\"side\":\"d\"}},{\"ok\":{\"_id\":"
                   "\"d\",\"_rev\":\"3-cc\",\"side\":\"c\"}}]");

  list = call (f, "GET", "dengon/d?revs=true&latest=true&open_revs=%5B%223-cc%22%2C%229-zz%22%5D",
               NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_clear_pointer (&text, g_free);
  text = canonical (list->json);
  g_assert_cmpstr (text, ==,
                   "[{\"ok\":{\"_id\":\"d\",\"_rev\":\"3-cc\",\"_revisions\":{\"ids\":[\"cc\","
                   "\"bb\",\"aa\"],\"start\":3},\"side\":\"c\"}},{\"missing\":\"9-zz\"}]");

  bad = call (f, "GET", "dengon/d?open_revs=%5B1%2C2", NULL);
  assert_error (bad, 400, "bad_request");

  /* Ids with "/" and non-ASCII arrive percent-encoded. */
  escaped = call (f, "GET", "dengon/memo%3A%E3%81%82%2F1", NULL);
  g_assert_cmpuint (escaped->status, ==, 200);
  g_assert_cmpstr (dengon_json_get_string (sync_test_response_object (escaped), "v"), ==, "日本語");

  revs = call (f, "GET", "dengon/d?revs=true&rev=3-cc", NULL);
  g_clear_pointer (&text, g_free);
  text = canonical (json_object_get_member (sync_test_response_object (revs), "_revisions"));
  g_assert_cmpstr (text, ==, "{\"ids\":[\"cc\",\"bb\",\"aa\"],\"start\":3}");
}

static void
test_changes_normal (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) all = NULL;
  g_autoptr (SyncTestResponse) page = NULL;
  g_autoptr (SyncTestResponse) rest = NULL;
  g_autoptr (SyncTestResponse) main_only = NULL;
  g_autoptr (SyncTestResponse) bad = NULL;
  g_autoptr (SyncTestResponse) filter = NULL;
  g_autoptr (SyncTestResponse) deleted = NULL;
  g_autofree char *text = NULL;

  seed_tree (f);

  all = call (f, "GET", "dengon/_changes?style=all_docs&since=0", NULL);
  g_assert_cmpuint (all->status, ==, 200);
  text = canonical (all->json);
  g_assert_cmpstr (text, ==,
                   "{\"last_seq\":3,\"pending\":0,\"results\":["
                   "{\"changes\":[{\"rev\":\"3-dd\"},{\"rev\":\"3-cc\"}],\"id\":\"d\",\"seq\":2},"
                   "{\"changes\":[{\"rev\":\"1-ee\"}],\"id\":\"memo:あ/1\",\"seq\":3}]}");

  /* Each document appears once, at its latest sequence (the feed of the store). */
  page = call (f, "GET", "dengon/_changes?style=all_docs&since=0&limit=1", NULL);
  g_clear_pointer (&text, g_free);
  text = canonical (page->json);
  g_assert_cmpstr (text, ==,
                   "{\"last_seq\":2,\"pending\":1,\"results\":[{\"changes\":[{\"rev\":\"3-dd\"},"
                   "{\"rev\":\"3-cc\"}],\"id\":\"d\",\"seq\":2}]}");

  rest = call (f, "GET", "dengon/_changes?since=3", NULL);
  g_clear_pointer (&text, g_free);
  text = canonical (rest->json);
  g_assert_cmpstr (text, ==, "{\"last_seq\":3,\"pending\":0,\"results\":[]}");

  main_only = call (f, "GET", "dengon/_changes?since=1", NULL);
  g_clear_pointer (&text, g_free);
  text = canonical (main_only->json);
  g_assert_nonnull (strstr (text, "\"changes\":[{\"rev\":\"3-dd\"}]"));

  bad = call (f, "GET", "dengon/_changes?since=abc", NULL);
  assert_error (bad, 400, "bad_request");
  filter = call (f, "GET", "dengon/_changes?filter=_doc_ids", NULL);
  assert_error (filter, 400, "bad_request");

  {
    g_autoptr (SyncTestResponse) del =
        call (f, "POST", "dengon/_bulk_docs",
              "{\"new_edits\":false,\"docs\":[{\"_id\":\"memo:あ/1\",\"_rev\":\"2-ff\","
              "\"_deleted\":true,\"_revisions\":{\"start\":2,\"ids\":[\"ff\",\"ee\"]}}]}");

    g_assert_cmpuint (del->status, ==, 201);
  }
  deleted = call (f, "GET", "dengon/_changes?since=3", NULL);
  g_clear_pointer (&text, g_free);
  text = canonical (deleted->json);
  g_assert_cmpstr (text, ==,
                   "{\"last_seq\":4,\"pending\":0,\"results\":[{\"changes\":[{\"rev\":\"2-ff\"}],"
                   "\"deleted\":true,\"id\":\"memo:あ/1\",\"seq\":4}]}");
}

static gboolean
response_arrived (gpointer data)
{
  return *(SyncTestResponse **) data != NULL;
}

static void
test_changes_longpoll (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (
      f->hub->url, "/_changes?style=all_docs&since=0&feed=longpoll&heartbeat=10000", NULL);
  g_autofree char *timeout_url = g_strconcat (
      f->hub->url, "/_changes?since=1&feed=longpoll&heartbeat=1000&timeout=1500", NULL);
  SyncTestResponse *waiting = NULL;
  SyncTestResponse *timed_out = NULL;
  g_autoptr (JsonObject) doc = json_object_new ();
  g_autofree char *text = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *expected = NULL;
  gint64 started;

  sync_test_http_async (f->session, "GET", url, USER, PASSWORD, NULL, NULL, 0, &waiting);
  /* Nothing to say yet: the request is held. */
  sync_test_run_for (300);
  g_assert_null (waiting);

  /* A write answers it at once. */
  json_object_set_string_member (doc, "_id", "x");
  rev = dengon_store_put (f->hub->store, doc, NULL);
  g_assert_true (sync_test_wait (response_arrived, &waiting, 5000));
  g_assert_cmpuint (waiting->status, ==, 200);
  text = canonical (waiting->json);
  expected = g_strdup_printf ("{\"last_seq\":1,\"pending\":0,\"results\":[{\"changes\":[{"
                              "\"rev\":\"%s\"}],\"id\":\"x\",\"seq\":1}]}",
                              rev);
  g_assert_cmpstr (text, ==, expected);
  sync_test_response_free (waiting);

  /* With nothing new it ends at the timeout with heartbeats (newlines) before the JSON. */
  started = g_get_monotonic_time ();
  sync_test_http_async (f->session, "GET", timeout_url, USER, PASSWORD, NULL, NULL, 0, &timed_out);
  g_assert_true (sync_test_wait (response_arrived, &timed_out, 10000));
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 1400 * 1000);
  g_assert_cmpuint (timed_out->status, ==, 200);
  g_assert_cmpint (((const char *) g_bytes_get_data (timed_out->body, NULL))[0], ==, '\n');
  g_clear_pointer (&text, g_free);
  text = canonical (timed_out->json);
  g_assert_cmpstr (text, ==, "{\"last_seq\":1,\"pending\":0,\"results\":[]}");
  sync_test_response_free (timed_out);
}

static void
test_changes_continuous (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strconcat (
      f->hub->url, "/_changes?feed=continuous&since=0&heartbeat=1000&timeout=2000", NULL);
  SyncTestResponse *response = NULL;
  g_autoptr (JsonObject) a = json_object_new ();
  g_autoptr (JsonObject) b = json_object_new ();
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) objects = g_ptr_array_new ();

  json_object_set_string_member (a, "_id", "a");
  g_free (dengon_store_put (f->hub->store, a, NULL));

  sync_test_http_async (f->session, "GET", url, USER, PASSWORD, NULL, NULL, 0, &response);
  sync_test_run_for (300);
  json_object_set_string_member (b, "_id", "b");
  g_free (dengon_store_put (f->hub->store, b, NULL));
  g_assert_true (sync_test_wait (response_arrived, &response, 10000));
  g_assert_cmpuint (response->status, ==, 200);

  lines = g_strsplit (g_bytes_get_data (response->body, NULL), "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (*lines[i] != '\0')
        g_ptr_array_add (objects, lines[i]);
    }
  g_assert_cmpuint (objects->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (objects, 0), "\"id\":\"a\""));
  g_assert_nonnull (strstr (g_ptr_array_index (objects, 1), "\"id\":\"b\""));
  g_assert_cmpstr (g_ptr_array_index (objects, 2), ==, "{\"last_seq\":2}");
  sync_test_response_free (response);
}

static void
test_local_docs (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) missing = call (f, "GET", "dengon/_local/abc%2Fdef", NULL);
  g_autoptr (SyncTestResponse) put = NULL;
  g_autoptr (SyncTestResponse) put2 = NULL;
  g_autoptr (SyncTestResponse) get = NULL;
  g_autoptr (SyncTestResponse) changes = NULL;
  g_autoptr (SyncTestResponse) del = NULL;
  g_autoptr (SyncTestResponse) after = NULL;
  g_autoptr (SyncTestResponse) commit = NULL;
  g_autofree char *text = NULL;

  assert_error (missing, 404, "not_found");

  put =
      call (f, "PUT", "dengon/_local/abc%2Fdef",
            "{\"session_id\":\"s1\",\"history\":[{\"last_seq\":\"13-g1AA\",\"session_id\":\"s1\"}],"
            "\"last_seq\":\"13-g1AA\"}");
  g_assert_cmpuint (put->status, ==, 201);
  text = canonical (put->json);
  g_assert_cmpstr (text, ==, "{\"id\":\"_local/abc/def\",\"ok\":true,\"rev\":\"0-1\"}");

  put2 = call (f, "PUT", "dengon/_local/abc%2Fdef", "{\"_rev\":\"0-1\",\"last_seq\":14}");
  g_clear_pointer (&text, g_free);
  text = canonical (put2->json);
  g_assert_cmpstr (text, ==, "{\"id\":\"_local/abc/def\",\"ok\":true,\"rev\":\"0-2\"}");

  get = call (f, "GET", "dengon/_local/abc%2Fdef", NULL);
  g_clear_pointer (&text, g_free);
  text = canonical (get->json);
  g_assert_cmpstr (text, ==, "{\"_id\":\"_local/abc/def\",\"_rev\":\"0-2\",\"last_seq\":14}");

  /* Never replicated: no change in the feed. */
  changes = call (f, "GET", "dengon/_changes", NULL);
  g_clear_pointer (&text, g_free);
  text = canonical (changes->json);
  g_assert_cmpstr (text, ==, "{\"last_seq\":0,\"pending\":0,\"results\":[]}");

  del = call (f, "DELETE", "dengon/_local/abc%2Fdef", NULL);
  g_assert_cmpuint (del->status, ==, 200);
  after = call (f, "GET", "dengon/_local/abc%2Fdef", NULL);
  assert_error (after, 404, "not_found");

  commit = call (f, "POST", "dengon/_ensure_full_commit", "{}");
  g_assert_cmpuint (commit->status, ==, 201);
  g_assert_true (dengon_json_get_boolean (sync_test_response_object (commit), "ok", FALSE));
}

static void
test_all_docs (Fixture *f, gconstpointer data)
{
  g_autoptr (SyncTestResponse) response = NULL;
  g_autofree char *text = NULL;

  seed_tree (f);
  response = call (f, "GET", "dengon/_all_docs?include_docs=true&conflicts=true", NULL);
  g_assert_cmpuint (response->status, ==, 200);
  text = canonical (response->json);
  g_assert_cmpstr (text, ==,
                   "{\"offset\":0,\"rows\":[{\"doc\":{\"_conflicts\":[\"3-cc\"],\"_id\":\"d\","
                   "\"_rev\":\"3-dd\",\"side\":\"d\"},\"id\":\"d\",\"key\":\"d\",\"value\":{"
                   "\"rev\":\"3-dd\"}},{\"doc\":{\"_id\":\"memo:あ/1\",\"_rev\":\"1-ee\",\"v\":"
                   "\"日本語\"},\"id\":\"memo:あ/1\",\"key\":\"memo:あ/1\",\"value\":{\"rev\":"
                   "\"1-ee\"}}],\"total_rows\":2}");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/dengon/hub/auth/required", test_auth_required);
  ADD ("/dengon/hub/auth/wrong", test_auth_wrong);
  ADD ("/dengon/hub/auth/good", test_auth_good);
  ADD ("/dengon/hub/connection-close", test_connection_close);
  ADD ("/dengon/hub/auth/accounts-reload", test_auth_accounts_reload);
  ADD ("/dengon/hub/tls/fingerprint", test_tls_fingerprint);
  ADD ("/dengon/hub/db/info", test_db_info);
  ADD ("/dengon/hub/db/unknown-paths", test_unknown_paths);
  ADD ("/dengon/hub/bad/malformed-json", test_bad_json);
  ADD ("/dengon/hub/bad/deep-json", test_bad_deep_json);
  ADD ("/dengon/hub/bad/long-string", test_bad_long_string);
  ADD ("/dengon/hub/bad/oversized-body", test_bad_oversized_body);
  ADD ("/dengon/hub/bad/doc-ids", test_bad_doc_ids);
  ADD ("/dengon/hub/bad/revs", test_bad_revs);
  ADD ("/dengon/hub/bad/batch-sizes", test_bad_batch_sizes);
  ADD ("/dengon/hub/bad/content-type", test_bad_content_type);
  ADD ("/dengon/hub/replication/bulk-docs-and-revs-diff", test_bulk_docs_and_revs_diff);
  ADD ("/dengon/hub/replication/bulk-docs-new-edits", test_bulk_docs_new_edits);
  ADD ("/dengon/hub/replication/bulk-get", test_bulk_get);
  ADD ("/dengon/hub/replication/open-revs", test_open_revs);
  ADD ("/dengon/hub/changes/normal", test_changes_normal);
  ADD ("/dengon/hub/changes/longpoll", test_changes_longpoll);
  ADD ("/dengon/hub/changes/continuous", test_changes_continuous);
  ADD ("/dengon/hub/local-docs", test_local_docs);
  ADD ("/dengon/hub/all-docs", test_all_docs);
#undef ADD

  return g_test_run ();
}
