/* dengon-action-url-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <ifaddrs.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "dengon-action-url-server.h"
#include "dengon-phone.h"

#define MAX_XML_DEPTH 8

struct _DengonActionUrlServer
{
  GObject parent_instance;

  /* Owned */
  SoupServer *server;
  char *token;

  /* Unowned (weak) */
  DengonCallManager *manager;

  guint port;
};

G_DEFINE_FINAL_TYPE (DengonActionUrlServer, dengon_action_url_server, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ request parsing */

typedef struct
{
  char *number;
  char *name;
  char *call_id;
  char *line;
} Ring;

static void
ring_clear (Ring *ring)
{
  g_clear_pointer (&ring->number, g_free);
  g_clear_pointer (&ring->name, g_free);
  g_clear_pointer (&ring->call_id, g_free);
  g_clear_pointer (&ring->line, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ring, ring_clear)

/* Splits an application/x-www-form-urlencoded string. Returns %NULL on a malformed escape. The
 * values are raw bytes (not necessarily UTF-8): the call sanitizes them. */
static GHashTable *
parse_form (const char *text)
{
  g_autoptr (GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) pairs = NULL;

  if (text == NULL)
    return g_steal_pointer (&form);

  pairs = g_strsplit (text, "&", 64);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq;
      char *key;
      char *value;

      if (*pairs[i] == '\0')
        continue;

      g_strdelimit (pairs[i], "+", ' ');
      eq = strchr (pairs[i], '=');
      if (eq != NULL)
        *eq = '\0';
      key = g_uri_unescape_string (pairs[i], NULL);
      value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      if (key == NULL || value == NULL)
        {
          g_free (key);
          g_free (value);
          return NULL;
        }
      if (g_hash_table_contains (form, key))
        {
          g_free (key);
          g_free (value);
          continue;
        }
      g_hash_table_insert (form, key, value);
    }

  return g_steal_pointer (&form);
}

/* A phone that does not know a variable sends it as written ("$call_id"). */
static const char *
form_get (GHashTable *form, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (form, names[i]);

      if (value != NULL && *value != '\0' && *value != '$')
        return value;
    }

  return NULL;
}

static void
ring_from_form (Ring *ring, GHashTable *form)
{
  static const char *const number_names[] = { "number", "remote", "caller", "callerID", NULL };
  static const char *const name_names[] = { "name", "display_remote", "display", NULL };
  static const char *const call_names[] = { "call", "call_id", "call-id", "callid", NULL };
  static const char *const line_names[] = { "local", "line", NULL };

  ring->number = g_strdup (form_get (form, number_names));
  ring->name = g_strdup (form_get (form, name_names));
  ring->call_id = g_strdup (form_get (form, call_names));
  ring->line = g_strdup (form_get (form, line_names));
}

typedef struct
{
  GPtrArray *stack;
  gboolean incoming;
  gboolean other_event;
  GString *text;
  char *number;
  char *name;
  char *line;
} PolycomParse;

static void
on_xml_start (GMarkupParseContext *context, const char *element, const char **attribute_names,
              const char **attribute_values, gpointer user_data, GError **error)
{
  PolycomParse *parse = user_data;

  if (parse->stack->len >= MAX_XML_DEPTH)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too deep");
      return;
    }

  if (strcmp (element, "IncomingCallEvent") == 0)
    parse->incoming = TRUE;
  else if (g_str_has_suffix (element, "Event"))
    parse->other_event = TRUE;

  g_ptr_array_add (parse->stack, g_strdup (element));
  g_string_truncate (parse->text, 0);
}

static void
on_xml_end (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  PolycomParse *parse = user_data;
  const char *parent =
      parse->stack->len >= 2 ? g_ptr_array_index (parse->stack, parse->stack->len - 2) : NULL;

  if (g_strcmp0 (parent, "IncomingCallEvent") == 0)
    {
      char **slot = NULL;

      if (strcmp (element, "CallingPartyNumber") == 0)
        slot = &parse->number;
      else if (strcmp (element, "CallingPartyName") == 0)
        slot = &parse->name;
      else if (strcmp (element, "CalledPartyNumber") == 0)
        slot = &parse->line;

      if (slot != NULL && *slot == NULL)
        *slot = g_strdup (parse->text->str);
    }

  g_ptr_array_set_size (parse->stack, parse->stack->len - 1);
  g_string_truncate (parse->text, 0);
}

static void
on_xml_text (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data,
             GError **error)
{
  PolycomParse *parse = user_data;

  if (parse->text->len + len <= DENGON_ACTION_URL_MAX_BODY)
    g_string_append_len (parse->text, text, len);
}

static const GMarkupParser polycom_parser = {
  on_xml_start, on_xml_end, on_xml_text, NULL, NULL,
};

typedef enum
{
  BODY_RING,
  BODY_IGNORED,
  BODY_MALFORMED,
} BodyResult;

static BodyResult
ring_from_polycom (Ring *ring, const char *body, gsize length)
{
  PolycomParse parse = { 0 };
  GMarkupParseContext *context;
  gboolean ok;
  BodyResult result;

  if (!g_utf8_validate_len (body, length, NULL))
    return BODY_MALFORMED;

  parse.stack = g_ptr_array_new_with_free_func (g_free);
  parse.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&polycom_parser, 0, &parse, NULL);
  ok = g_markup_parse_context_parse (context, body, length, NULL) &&
       g_markup_parse_context_end_parse (context, NULL);
  g_markup_parse_context_free (context);

  if (!ok)
    result = BODY_MALFORMED;
  else if (parse.incoming)
    {
      ring->number = g_steal_pointer (&parse.number);
      ring->name = g_steal_pointer (&parse.name);
      ring->line = g_steal_pointer (&parse.line);
      result = BODY_RING;
    }
  else if (parse.other_event)
    result = BODY_IGNORED;
  else
    result = BODY_MALFORMED;

  g_ptr_array_unref (parse.stack);
  g_string_free (parse.text, TRUE);
  g_free (parse.number);
  g_free (parse.name);
  g_free (parse.line);

  return result;
}

static BodyResult
ring_from_body (Ring *ring, const char *body, gsize length)
{
  const char *p = body;
  const char *end = body + length;
  g_autofree char *text = NULL;
  g_autoptr (GHashTable) form = NULL;

  /* Skip a BOM and white space. */
  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;

  if (p < end && *p == '<')
    return ring_from_polycom (ring, p, end - p);

  /* A form: number=...&name=..., or a Polycom event posted as one form value. */
  text = g_strndup (p, end - p);
  if (strlen (text) != (gsize) (end - p))
    return BODY_MALFORMED;
  form = parse_form (text);
  if (form == NULL)
    return BODY_MALFORMED;

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, form);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        const char *v = value;

        while (g_ascii_isspace (*v))
          v++;
        if (*v == '<')
          return ring_from_polycom (ring, v, strlen (v));
      }
  }

  ring_from_form (ring, form);

  return BODY_RING;
}

/* ------------------------------------------------------------------ handlers */

static void
respond (SoupServerMessage *msg, guint status, const char *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

/* libsoup reads a request body even when the early handler has answered: a refused POST would
 * still be read to its end, however long it says it is. Take the connection over instead, answer
 * and close it. */
static void
on_rejected_done (SoupServerMessage *msg)
{
  g_object_set_data (G_OBJECT (msg), "dengon-done", GINT_TO_POINTER (TRUE));
}

static gboolean
reject_and_close_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  guint status = soup_server_message_get_status (msg);
  g_autoptr (GIOStream) stream = NULL;
  g_autofree char *reply = NULL;

  reply = g_strdup_printf ("HTTP/1.1 %u %s\r\nServer: Dengon\r\nConnection: close\r\n"
                           "Content-Length: 0\r\n\r\n",
                           status, soup_status_get_phrase (status));
  /* A short body may have been read and answered already. */
  if (g_object_get_data (G_OBJECT (msg), "dengon-done") != NULL)
    return G_SOURCE_REMOVE;

  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (stream), reply, strlen (reply),
                                 NULL, NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
    }

  return G_SOURCE_REMOVE;
}

static void
reject (SoupServerMessage *msg, guint status, const char *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  respond (msg, status, text);
  if (encoding == SOUP_ENCODING_NONE ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (headers) <= DENGON_ACTION_URL_MAX_BODY))
    return;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "finished", G_CALLBACK (on_rejected_done), NULL);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_rejected_done), NULL);
  g_idle_add_full (G_PRIORITY_HIGH, reject_and_close_cb, g_object_ref (msg), g_object_unref);
}

static gboolean
token_matches (const char *expected, const char *given)
{
  gsize n;
  guint8 diff = 0;

  if (expected == NULL || *expected == '\0' || given == NULL)
    return FALSE;

  /* Constant time for tokens of the right length. */
  n = strlen (expected);
  if (strlen (given) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    diff |= (guint8) expected[i] ^ (guint8) given[i];

  return diff == 0;
}

static void
on_early (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
          gpointer user_data)
{
  DengonActionUrlServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_query = g_uri_get_query (uri);
  g_autoptr (GHashTable) form = NULL;

  if (strcmp (path, DENGON_ACTION_URL_PATH) != 0)
    {
      reject (msg, SOUP_STATUS_NOT_FOUND, "not found\n");
      return;
    }

  if (strcmp (method, "GET") != 0 && strcmp (method, "POST") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, POST");
      reject (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method not allowed\n");
      return;
    }

  if (raw_query != NULL && strlen (raw_query) > DENGON_ACTION_URL_MAX_QUERY)
    {
      reject (msg, SOUP_STATUS_REQUEST_URI_TOO_LONG, "request too long\n");
      return;
    }

  if (strcmp (method, "POST") == 0)
    {
      goffset length = soup_message_headers_get_content_length (headers);
      SoupEncoding encoding = soup_message_headers_get_encoding (headers);

      if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > DENGON_ACTION_URL_MAX_BODY)
        {
          reject (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "request too large\n");
          return;
        }
      if (encoding != SOUP_ENCODING_CONTENT_LENGTH && encoding != SOUP_ENCODING_NONE)
        {
          reject (msg, SOUP_STATUS_LENGTH_REQUIRED, "length required\n");
          return;
        }
    }

  form = parse_form (raw_query);
  if (form == NULL)
    {
      reject (msg, SOUP_STATUS_BAD_REQUEST, "malformed request\n");
      return;
    }

  /* The token is checked before the body is read: a stranger cannot make us read anything. */
  if (!token_matches (self->token, g_hash_table_lookup (form, "token")))
    {
      reject (msg, SOUP_STATUS_UNAUTHORIZED, "wrong or missing token\n");
      return;
    }
}

static void
on_ring (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  DengonActionUrlServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_auto (Ring) ring = { 0 };
  g_autoptr (GHashTable) form = NULL;

  /* on_early() has answered everything that is not an authorised ring. */
  if (soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;

  form = parse_form (g_uri_get_query (uri));
  g_assert (form != NULL);

  if (strcmp (method, "POST") == 0)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
      gsize length = 0;
      const char *data = g_bytes_get_data (bytes, &length);

      if (length > DENGON_ACTION_URL_MAX_BODY)
        {
          respond (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "request too large\n");
          return;
        }

      if (length > 0)
        {
          switch (ring_from_body (&ring, data, length))
            {
              case BODY_RING:
                break;
              case BODY_IGNORED:
                soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
                return;
              case BODY_MALFORMED:
              default:
                respond (msg, SOUP_STATUS_BAD_REQUEST, "malformed request\n");
                return;
            }
        }
    }

  /* Query variables fill what a body did not say. */
  {
    g_auto (Ring) from_query = { 0 };

    ring_from_form (&from_query, form);
    if (ring.number == NULL)
      ring.number = g_steal_pointer (&from_query.number);
    if (ring.name == NULL)
      ring.name = g_steal_pointer (&from_query.name);
    if (ring.call_id == NULL)
      ring.call_id = g_steal_pointer (&from_query.call_id);
    if (ring.line == NULL)
      ring.line = g_steal_pointer (&from_query.line);
  }

  if (self->manager != NULL)
    {
      g_autofree char *name = dengon_call_sanitize_text (ring.name, -1, 200);
      g_autofree char *name_digits = NULL;
      g_autofree char *number_digits = NULL;

      /* Phones put the number, an IP address or a SIP URI where the name goes when they have no
       * name: that is no name. */
      if (name != NULL)
        {
          name_digits = dengon_phone_digits (name);
          g_autofree char *number_part = dengon_phone_extract_number (ring.number, NULL);

          number_digits = dengon_phone_digits (number_part);
          if (g_hostname_is_ip_address (name) || g_str_has_prefix (name, "sip:") ||
              g_str_has_prefix (name, "sips:") || strchr (name, '@') != NULL ||
              (*name_digits != '\0' && strlen (name_digits) == strlen (name) &&
               g_str_has_suffix (number_digits, name_digits)) ||
              g_strcmp0 (name, ring.number) == 0)
            g_clear_pointer (&name, g_free);
        }

      dengon_call_manager_ring (self->manager, ring.number, name, "desk-phone", ring.call_id,
                                ring.line);
    }

  respond (msg, SOUP_STATUS_OK, "ok\n");
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_action_url_server_dispose (GObject *object)
{
  DengonActionUrlServer *self = (DengonActionUrlServer *) object;

  dengon_action_url_server_stop (self);
  g_clear_weak_pointer (&self->manager);

  G_OBJECT_CLASS (dengon_action_url_server_parent_class)->dispose (object);
}

static void
dengon_action_url_server_finalize (GObject *object)
{
  DengonActionUrlServer *self = (DengonActionUrlServer *) object;

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (dengon_action_url_server_parent_class)->finalize (object);
}

static void
dengon_action_url_server_class_init (DengonActionUrlServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dengon_action_url_server_dispose;
  object_class->finalize = dengon_action_url_server_finalize;
}

static void
dengon_action_url_server_init (DengonActionUrlServer *self)
{
}

DengonActionUrlServer *
dengon_action_url_server_new (DengonCallManager *manager)
{
  DengonActionUrlServer *self;

  g_return_val_if_fail (DENGON_IS_CALL_MANAGER (manager), NULL);

  self = g_object_new (DENGON_TYPE_ACTION_URL_SERVER, NULL);
  g_set_weak_pointer (&self->manager, manager);

  return self;
}

void
dengon_action_url_server_set_token (DengonActionUrlServer *self, const char *token)
{
  g_return_if_fail (DENGON_IS_ACTION_URL_SERVER (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

gboolean
dengon_action_url_server_listen (DengonActionUrlServer *self, guint port, gboolean loopback_only,
                                 GError **error)
{
  g_autoptr (SoupServer) server = NULL;
  g_autoslist (GUri) uris = NULL;
  gboolean ok;

  g_return_val_if_fail (DENGON_IS_ACTION_URL_SERVER (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  dengon_action_url_server_stop (self);

  server = soup_server_new ("server-header", "Dengon", NULL);
  soup_server_add_early_handler (server, NULL, on_early, self, NULL);
  soup_server_add_handler (server, NULL, on_ring, self, NULL);

  if (loopback_only)
    ok = soup_server_listen_local (server, port, 0, error);
  else
    ok = soup_server_listen_all (server, port, 0, error);
  if (!ok)
    return FALSE;

  uris = soup_server_get_uris (server);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  self->server = g_steal_pointer (&server);

  return TRUE;
}

void
dengon_action_url_server_stop (DengonActionUrlServer *self)
{
  g_return_if_fail (DENGON_IS_ACTION_URL_SERVER (self));

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  self->port = 0;
}

gboolean
dengon_action_url_server_is_listening (DengonActionUrlServer *self)
{
  g_return_val_if_fail (DENGON_IS_ACTION_URL_SERVER (self), FALSE);

  return self->server != NULL;
}

guint
dengon_action_url_server_get_port (DengonActionUrlServer *self)
{
  g_return_val_if_fail (DENGON_IS_ACTION_URL_SERVER (self), 0);

  return self->port;
}

GStrv
dengon_action_url_get_local_addresses (void)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  struct ifaddrs *list = NULL;
  gboolean any = FALSE;

  if (getifaddrs (&list) == 0)
    {
      for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
        {
          g_autoptr (GInetAddress) address = NULL;
          g_autofree char *text = NULL;

          if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET)
            continue;
          address = g_inet_address_new_from_bytes (
              (const guint8 *) &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr,
              G_SOCKET_FAMILY_IPV4);
          if (g_inet_address_get_is_loopback (address))
            continue;
          text = g_inet_address_to_string (address);
          g_strv_builder_add (builder, text);
          any = TRUE;
        }
      freeifaddrs (list);
    }

  if (!any)
    g_strv_builder_add (builder, "127.0.0.1");

  return g_strv_builder_end (builder);
}

char *
dengon_action_url_example (const char *vendor, const char *host, guint port, const char *token)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (vendor != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);

  base = g_strdup_printf ("http://%s:%u" DENGON_ACTION_URL_PATH "?token=%s", host, port,
                          token != NULL ? token : "");

  if (strcmp (vendor, "yealink") == 0 || strcmp (vendor, "htek") == 0)
    return g_strconcat (base, "&number=$remote&name=$display_remote&call=$call_id&local=$local",
                        NULL);
  if (strcmp (vendor, "grandstream") == 0 || strcmp (vendor, "fanvil") == 0)
    return g_strconcat (base, "&number=$remote&name=$display_remote&local=$local", NULL);
  if (strcmp (vendor, "snom") == 0)
    return g_strconcat (base, "&number=$remote&name=$display_remote&call=$call-id&local=$local",
                        NULL);
  if (strcmp (vendor, "polycom") == 0)
    return g_steal_pointer (&base);

  return NULL;
}
