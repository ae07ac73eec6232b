/* dengon-couch-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dengon-couch-client.h"
#include "dengon-password.h"
#include "dengon-sync-common.h"

#define READ_CHUNK (64 * 1024)
/* A feed sends a heartbeat every 10 s: 30 s of silence means the peer is gone. */
#define IO_TIMEOUT_S 30
#define MAX_CONNS    6

struct _DengonCouchClient
{
  GObject parent_instance;

  SoupSession *session;
  char *server; /* scheme://host:port/prefix/ */
  char *db;     /* not escaped */
  char *db_escaped;
  char *user;
  char *authorization; /* "Basic …", never logged */
  char *pinned;        /* normalized fingerprint or NULL */
  char *refused;       /* fingerprint of the last refused certificate */
  char *peer;          /* fingerprint of the last accepted one */
  gboolean refused_changed;
};

G_DEFINE_FINAL_TYPE (DengonCouchClient, dengon_couch_client, G_TYPE_OBJECT)

static void
dengon_couch_client_finalize (GObject *object)
{
  DengonCouchClient *self = (DengonCouchClient *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_free (self->server);
  g_free (self->db);
  g_free (self->db_escaped);
  g_free (self->user);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);
  g_free (self->pinned);
  g_free (self->refused);
  g_free (self->peer);

  G_OBJECT_CLASS (dengon_couch_client_parent_class)->finalize (object);
}

static void
dengon_couch_client_class_init (DengonCouchClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dengon_couch_client_finalize;
}

static void
dengon_couch_client_init (DengonCouchClient *self)
{
}

static gpointer
load_tls_database (gpointer data)
{
  g_autoptr (GTlsDatabase) database =
      g_tls_backend_get_default_database (g_tls_backend_get_default ());

  return NULL;
}

/* The system's trusted certificates are read once, at the first TLS connection: some 20 ms of
 * processor time. A worker thread does it ahead, so the main loop never waits for it. */
static void
preload_tls_database (void)
{
  static gsize started;

  if (g_once_init_enter (&started))
    {
      g_thread_unref (g_thread_new ("dengon-tls-database", load_tls_database, NULL));
      g_once_init_leave (&started, 1);
    }
}

DengonCouchClient *
dengon_couch_client_new (const char *url, const char *user, const char *password,
                         const char *fingerprint, GError **error)
{
  g_autoptr (DengonCouchClient) self = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (DENGON_TYPE_COUCH_CLIENT, NULL);
  if (!dengon_sync_parse_url (url, &self->server, &self->db, error))
    return NULL;

  self->db_escaped = g_uri_escape_string (self->db, NULL, FALSE);
  self->user = g_strdup (user);
  if (user != NULL && *user != '\0')
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", user, password ? password : "");
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->authorization = g_strconcat ("Basic ", encoded, NULL);
      memset (pair, 0, strlen (pair));
    }
  if (fingerprint != NULL && *fingerprint != '\0')
    {
      self->pinned = dengon_fingerprint_normalize (fingerprint);
      if (self->pinned == NULL)
        {
          g_set_error_literal (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_BAD_URL,
                               _ ("The confirmed certificate fingerprint is not valid."));
          return NULL;
        }
    }

  preload_tls_database ();
  self->session = soup_session_new_with_options ("timeout", IO_TIMEOUT_S, "idle-timeout", 60,
                                                 "max-conns-per-host", MAX_CONNS, "user-agent",
                                                 "Dengon/" PACKAGE_VERSION, NULL);
  /* Credentials are sent explicitly; no prompting machinery. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);

  return g_steal_pointer (&self);
}

const char *
dengon_couch_client_get_server (DengonCouchClient *self)
{
  g_return_val_if_fail (DENGON_IS_COUCH_CLIENT (self), NULL);

  return self->server;
}

const char *
dengon_couch_client_get_db (DengonCouchClient *self)
{
  g_return_val_if_fail (DENGON_IS_COUCH_CLIENT (self), NULL);

  return self->db;
}

const char *
dengon_couch_client_get_user (DengonCouchClient *self)
{
  g_return_val_if_fail (DENGON_IS_COUCH_CLIENT (self), NULL);

  return self->user;
}

const char *
dengon_couch_client_get_refused_fingerprint (DengonCouchClient *self)
{
  g_return_val_if_fail (DENGON_IS_COUCH_CLIENT (self), NULL);

  return self->refused;
}

const char *
dengon_couch_client_get_peer_fingerprint (DengonCouchClient *self)
{
  g_return_val_if_fail (DENGON_IS_COUCH_CLIENT (self), NULL);

  return self->peer;
}

void
dengon_couch_client_abort (DengonCouchClient *self)
{
  g_return_if_fail (DENGON_IS_COUCH_CLIENT (self));

  soup_session_abort (self->session);
}

/* ------------------------------------------------------------------ a request */

typedef struct
{
  SoupMessage *msg;
  GByteArray *data;
  GInputStream *stream;
  guint status;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  g_clear_pointer (&request->data, g_byte_array_unref);
  g_clear_object (&request->stream);
  g_free (request);
}

static gboolean
on_accept_certificate (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors,
                       DengonCouchClient *self)
{
  g_autofree char *seen = dengon_tls_certificate_get_fingerprint (certificate);

  if (seen != NULL && self->pinned != NULL && dengon_fingerprint_equal (seen, self->pinned))
    return TRUE;

  g_free (self->refused);
  self->refused = g_steal_pointer (&seen);
  self->refused_changed = self->pinned != NULL;

  return FALSE;
}

static void
fail_with_transport_error (DengonCouchClient *self, GTask *task, GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  if (error->domain == G_TLS_ERROR)
    {
      if (self->refused != NULL && self->refused_changed)
        g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_CHANGED,
                                 _ ("The server’s certificate changed: it is not the one that was "
                                    "confirmed (it is now %s). Nothing was sent."),
                                 self->refused);
      else if (self->refused != NULL)
        g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN,
                                 _ ("The server’s certificate must be confirmed first: compare "
                                    "its fingerprint %s with the one shown on the hub."),
                                 self->refused);
      else
        g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNREACHABLE,
                                 _ ("A secure connection could not be made: %s"), error->message);
      g_error_free (error);
      return;
    }

  g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNREACHABLE,
                           _ ("The server cannot be reached: %s"), error->message);
  g_error_free (error);
}

static void read_more (GTask *task);

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Request *request = g_task_get_task_data (task);
  DengonCouchClient *self = g_task_get_source_object (task);
  g_autoptr (GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      fail_with_transport_error (self, task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&request->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (request->data->len + g_bytes_get_size (chunk) > DENGON_SYNC_MAX_BODY_BYTES)
    {
      g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_TOO_LARGE,
                               _ ("The server sent more than %d MB at once."),
                               DENGON_SYNC_MAX_BODY_BYTES / (1024 * 1024));
      return;
    }

  g_byte_array_append (request->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_read, task);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Request *request = g_task_get_task_data (task);
  DengonCouchClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  GTlsCertificate *peer;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      fail_with_transport_error (self, task, error);
      return;
    }

  request->status = soup_message_get_status (request->msg);
  peer = soup_message_get_tls_peer_certificate (request->msg);
  if (peer != NULL)
    {
      g_free (self->peer);
      self->peer = dengon_tls_certificate_get_fingerprint (peer);
    }

  length =
      soup_message_headers_get_content_length (soup_message_get_response_headers (request->msg));
  if (length > DENGON_SYNC_MAX_BODY_BYTES)
    {
      g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_TOO_LARGE,
                               _ ("The server sent more than %d MB at once."),
                               DENGON_SYNC_MAX_BODY_BYTES / (1024 * 1024));
      return;
    }

  request->data = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK);
  read_more (g_steal_pointer (&task));
}

void
dengon_couch_client_request_async (DengonCouchClient *self, const char *method, const char *path,
                                   GBytes *body, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  Request *request;

  g_return_if_fail (DENGON_IS_COUCH_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  if (path[0] == '/')
    url = g_strconcat (self->server, path + 1, NULL);
  else
    url = g_strconcat (self->server, self->db_escaped, *path && path[0] != '?' ? "/" : "", path,
                       NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dengon_couch_client_request_async);

  request = g_new0 (Request, 1);
  request->msg = soup_message_new (method, url);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_BAD_URL,
                               _ ("The server address cannot be used."));
      return;
    }

  headers = soup_message_get_request_headers (request->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->msg, "application/json", body);
  g_signal_connect_object (request->msg, "accept-certificate", G_CALLBACK (on_accept_certificate),
                           self, 0);

  soup_session_send_async (self->session, request->msg, G_PRIORITY_DEFAULT, cancellable, on_sent,
                           g_steal_pointer (&task));
}

GBytes *
dengon_couch_client_request_finish (DengonCouchClient *self, GAsyncResult *result, guint *status,
                                    GError **error)
{
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes != NULL && status != NULL)
    *status = ((Request *) g_task_get_task_data (G_TASK (result)))->status;

  return bytes;
}
