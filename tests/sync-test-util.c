/* sync-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "dengon-hub-certificate.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-sync-common.h"
#include "sync-test-util.h"

char *
sync_test_make_dir (const char *template)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

void
sync_test_remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        sync_test_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
sync_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
on_wait_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
sync_test_wait (gboolean (*check) (gpointer data), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  /* Wakes the loop now and then so that the deadline is seen. */
  guint tick = g_timeout_add (50, on_wait_tick, NULL);
  gboolean ok;

  while (!(ok = check (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return ok;
}

static gboolean
on_run_for_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
sync_test_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_run_for_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

DengonStore *
sync_test_open_store (const char *dir, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  DengonStore *store = dengon_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gboolean
only_ours (gpointer data)
{
  /* A worker thread may drop its reference just after the result was delivered. */
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
}

void
sync_test_finalize_store (DengonStore *store)
{
  sync_test_drain ();
  g_assert_true (sync_test_wait (only_ours, store, 5000));
  g_assert_finalize_object (store);
}

static void
hub_listen (SyncTestHub *hub, guint port)
{
  g_autoptr (GError) error = NULL;

  hub->hub = dengon_hub_new (hub->store, hub->accounts, hub->certificate);
  dengon_hub_listen (hub->hub, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  g_free (hub->url);
  g_free (hub->root);
  hub->root = g_strdup_printf ("https://127.0.0.1:%u/", dengon_hub_get_port (hub->hub));
  hub->url = g_strdup_printf ("%s%s", hub->root, dengon_hub_get_db_name (hub->hub));
}

SyncTestHub *
sync_test_hub_new (const char *user, const char *password)
{
  g_autoptr (GError) error = NULL;
  SyncTestHub *hub = g_new0 (SyncTestHub, 1);

  hub->dir = sync_test_make_dir ("dengon-hub-XXXXXX");
  hub->store = sync_test_open_store (hub->dir, "dengon.db");
  hub->accounts = dengon_hub_accounts_new_for_data_dir (hub->dir, &error);
  g_assert_no_error (error);
  if (user != NULL)
    {
      dengon_hub_accounts_set (hub->accounts, user, password, FALSE, &error);
      g_assert_no_error (error);
    }
  hub->certificate = dengon_hub_certificate_ensure (hub->dir, &error);
  g_assert_no_error (error);
  hub_listen (hub, 0);

  return hub;
}

void
sync_test_hub_restart (SyncTestHub *hub)
{
  guint port = dengon_hub_get_port (hub->hub);

  dengon_hub_stop (hub->hub);
  g_clear_object (&hub->hub);
  hub_listen (hub, port);
}

void
sync_test_hub_free (SyncTestHub *hub)
{
  if (hub == NULL)
    return;

  if (hub->hub != NULL)
    dengon_hub_stop (hub->hub);
  sync_test_drain ();
  g_clear_object (&hub->hub);
  g_clear_object (&hub->accounts);
  g_clear_object (&hub->certificate);
  sync_test_drain ();
  if (hub->store != NULL)
    sync_test_finalize_store (hub->store);
  sync_test_remove_tree (hub->dir);
  g_free (hub->dir);
  g_free (hub->url);
  g_free (hub->root);
  g_free (hub);
}

void
sync_test_response_free (SyncTestResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_error (&response->error);
  g_free (response);
}

static gboolean
on_accept_certificate (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors,
                       gpointer data)
{
  const char *fingerprint = data;
  g_autofree char *seen = dengon_tls_certificate_get_fingerprint (certificate);

  return fingerprint == NULL || dengon_fingerprint_equal (seen, fingerprint);
}

static void
on_request_queued (SoupSession *session, SoupMessage *msg, gpointer data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), data);
}

SoupSession *
sync_test_session_new (const char *fingerprint)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 30, NULL);

  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
  g_object_set_data_full (G_OBJECT (session), "test-fingerprint", g_strdup (fingerprint), g_free);
  g_signal_connect (session, "request-queued", G_CALLBACK (on_request_queued),
                    g_object_get_data (G_OBJECT (session), "test-fingerprint"));

  return session;
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  SyncTestResponse **out = data;
  SyncTestResponse *response = g_new0 (SyncTestResponse, 1);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  response->body =
      soup_session_send_and_read_finish (SOUP_SESSION (source), result, &response->error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (response->body != NULL && g_bytes_get_size (response->body) > 0)
    {
      gsize size;
      const char *text = g_bytes_get_data (response->body, &size);

      response->json = dengon_json_parse (text, size, NULL, NULL);
    }
  *out = response;
}

static char *raw_authorization;

SyncTestResponse *
sync_test_http_raw_auth (SoupSession *session, const char *url, const char *authorization)
{
  SyncTestResponse *response;

  raw_authorization = g_strdup (authorization);
  response = sync_test_http (session, "GET", url, NULL, NULL, NULL, NULL, 0);
  g_clear_pointer (&raw_authorization, g_free);

  return response;
}

void
sync_test_http_async (SoupSession *session, const char *method, const char *url, const char *user,
                      const char *password, const char *content_type, const char *body,
                      gssize length, SyncTestResponse **out)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);

  if (raw_authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  raw_authorization);

  g_assert_nonnull (msg);
  if (user != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", user, password);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);

      soup_message_set_request_body_from_bytes (
          msg, content_type ? content_type : "application/json", bytes);
    }

  *out = NULL;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, out);
}

SyncTestResponse *
sync_test_http (SoupSession *session, const char *method, const char *url, const char *user,
                const char *password, const char *content_type, const char *body, gssize length)
{
  SyncTestResponse *response = NULL;

  sync_test_http_async (session, method, url, user, password, content_type, body, length,
                        &response);
  while (response == NULL)
    g_main_context_iteration (NULL, TRUE);

  return response;
}

JsonObject *
sync_test_response_object (SyncTestResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

JsonObject *
sync_test_memo (const char *taken_by, const char *message)
{
  JsonObject *memo = dengon_memo_new (taken_by, NULL);

  dengon_memo_set_call (memo, "in", "03-1234-5678", NULL, NULL);
  dengon_memo_set_caller (memo, "山田 太郎", "山田商事", NULL);
  dengon_memo_set_message (memo, message);
  return memo;
}

char *
sync_test_put (DengonStore *store, JsonObject *doc)
{
  g_autoptr (GError) error = NULL;
  char *rev = dengon_store_put (store, doc, &error);

  g_assert_no_error (error);
  json_object_set_string_member (doc, "_rev", rev);
  return rev;
}

void
sync_test_seed_memos (DengonStore *store, const char *prefix, guint n)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GDateTime) base = g_date_time_new_utc (2026, 4, 1, 9, 0, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDateTime) at = g_date_time_add_seconds (base, i * 7);
      JsonObject *memo = dengon_memo_new ("staff:tanaka", at);
      g_autofree char *id = g_strdup_printf ("memo:%s%06u", prefix, i);
      g_autofree char *message =
          g_strdup_printf ("お電話がありました。見積の件で折り返しをお願いします（%u）", i);
      g_autofree char *number = g_strdup_printf ("03-%04u-%04u", 1000 + i % 9000, i % 10000);
      g_autofree char *canonical = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *rev = NULL;
      JsonObject *revisions = json_object_new ();
      JsonArray *ids = json_array_new ();

      json_object_set_string_member (memo, "_id", id);
      dengon_memo_set_call (memo, "in", number, at, at);
      dengon_memo_set_caller (memo, i % 2 ? "山田 太郎" : "佐藤 花子", "株式会社サンプル", NULL);
      dengon_memo_set_message (memo, message);
      dengon_memo_set_callback (memo, TRUE, number, NULL);
      if (i % 3 == 0)
        dengon_memo_assign (memo, "staff:tanaka", "staff:sato", at, NULL);

      canonical = dengon_json_canonical_object (memo);
      hash = g_compute_checksum_for_string (G_CHECKSUM_MD5, canonical, -1);
      rev = g_strconcat ("1-", hash, NULL);
      json_object_set_string_member (memo, "_rev", rev);
      json_object_set_int_member (revisions, "start", 1);
      json_array_add_string_element (ids, hash);
      json_object_set_array_member (revisions, "ids", ids);
      json_object_set_object_member (memo, "_revisions", revisions);
      g_ptr_array_add (docs, memo);

      if (docs->len == 500 || i + 1 == n)
        {
          g_autoptr (GPtrArray) failures = NULL;
          g_autoptr (GError) error = NULL;

          dengon_store_put_replicated (store, docs, &failures, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (failures->len, ==, 0);
          g_ptr_array_set_size (docs, 0);
        }
    }
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(DengonStoreFeedEntry *const *) a)->id,
                 (*(DengonStoreFeedEntry *const *) b)->id);
}

char *
sync_test_dump (DengonStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = dengon_store_changes (store, 0, 0, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_ptr_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      DengonStoreFeedEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GPtrArray) leaves = dengon_store_get_leaves (store, entry->id, TRUE, &error);

      g_assert_no_error (error);
      g_string_append_printf (out, "%s%s\n", entry->id, entry->deleted ? " (deleted)" : "");
      for (guint j = 0; j < leaves->len; j++)
        {
          g_autofree char *text = dengon_json_canonical_object (g_ptr_array_index (leaves, j));

          g_string_append_printf (out, "  %s\n", text);
        }
    }

  return g_string_free (out, FALSE);
}

guint
sync_test_count_docs (DengonStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = dengon_store_changes (store, 0, 0, NULL, &error);

  g_assert_no_error (error);
  return entries->len;
}

SyncTestProcess *
sync_test_spawn (const char *const *argv, const char *const *env, const char *input)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  SyncTestProcess *process = g_new0 (SyncTestProcess, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        (input ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] ? pair[1] : "", TRUE);
    }

  process->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  process->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process->process));
  process->all = g_string_new (NULL);

  if (input != NULL)
    {
      GOutputStream *in = g_subprocess_get_stdin_pipe (process->process);

      g_output_stream_write_all (in, input, strlen (input), NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (in, NULL, NULL);
    }

  return process;
}

typedef struct
{
  gboolean done;
  char *line;
} LineRead;

static void
on_line (GObject *source, GAsyncResult *result, gpointer data)
{
  LineRead *read = data;

  read->line =
      g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  read->done = TRUE;
}

static gboolean
line_done (gpointer data)
{
  return ((LineRead *) data)->done;
}

char *
sync_test_process_read_line (SyncTestProcess *process, guint timeout_ms)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  LineRead read = { 0 };

  g_data_input_stream_read_line_async (process->out, G_PRIORITY_DEFAULT, cancellable, on_line,
                                       &read);
  if (!sync_test_wait (line_done, &read, timeout_ms))
    {
      g_cancellable_cancel (cancellable);
      while (!read.done)
        g_main_context_iteration (NULL, TRUE);
      g_clear_pointer (&read.line, g_free);
      return NULL;
    }

  if (read.line != NULL)
    {
      g_string_append (process->all, read.line);
      g_string_append_c (process->all, '\n');
    }

  return read.line;
}

static void
on_waited (GObject *source, GAsyncResult *result, gpointer data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

int
sync_test_process_wait (SyncTestProcess *process, guint timeout_ms)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  g_subprocess_wait_async (process->process, cancellable, on_waited, &done);
  if (!sync_test_wait (flag_set, &done, timeout_ms))
    {
      g_cancellable_cancel (cancellable);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      return -1;
    }

  if (g_subprocess_get_if_signaled (process->process))
    return 128 + g_subprocess_get_term_sig (process->process);

  return g_subprocess_get_exit_status (process->process);
}

void
sync_test_process_free (SyncTestProcess *process)
{
  if (process == NULL)
    return;

  g_clear_object (&process->out);
  g_clear_object (&process->process);
  g_string_free (process->all, TRUE);
  g_free (process);
}

void
sync_test_process_stop (SyncTestProcess *process)
{
  if (process == NULL)
    return;

  g_subprocess_send_signal (process->process, SIGTERM);
  if (sync_test_process_wait (process, 10000) < 0)
    {
      g_subprocess_force_exit (process->process);
      sync_test_process_wait (process, 10000);
    }
  sync_test_process_free (process);
}

void
sync_test_process_kill (SyncTestProcess *process)
{
  g_subprocess_send_signal (process->process, SIGKILL);
  g_assert_cmpint (sync_test_process_wait (process, 10000), >=, 0);
  sync_test_process_free (process);
}

char *
sync_test_run (const char *const *argv, const char *const *env, guint timeout_ms)
{
  g_autoptr (SyncTestProcess) process = sync_test_spawn (argv, env, NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  char *line;
  int status;

  while ((line = sync_test_process_read_line (
              process, MAX (1, (deadline - g_get_monotonic_time ()) / 1000))) != NULL)
    g_free (line);

  status = sync_test_process_wait (process, MAX (1, (deadline - g_get_monotonic_time ()) / 1000));
  if (status != 0)
    g_test_message ("%s exited with %d; it said:\n%s", argv[1] ? argv[1] : argv[0], status,
                    process->all->str);
  g_assert_cmpint (status, ==, 0);

  return g_strdup (process->all->str);
}

guint
sync_test_free_port (void)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
