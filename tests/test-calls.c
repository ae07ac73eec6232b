/* test-calls.c: the call object, the call manager and the desk-phone action URL (real HTTP on
 * 127.0.0.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "dengon-action-url-server.h"
#include "dengon-call-enums.h"
#include "dengon-call-manager.h"

#define TOKEN "k3y-0123456789abcdef"

/* ------------------------------------------------------------------ call */

typedef struct
{
  GArray *states; /* pairs new, old */
  guint notifies;
} StateLog;

static void
on_state_changed (DengonCall *call, DengonCallState new_state, DengonCallState old_state,
                  StateLog *log)
{
  g_array_append_val (log->states, new_state);
  g_array_append_val (log->states, old_state);
}

static void
test_call_state (void)
{
  g_autoptr (DengonCall) call = dengon_call_new (DENGON_CALL_DIRECTION_IN, "03-1234-5678", NULL);
  StateLog log = { g_array_new (FALSE, FALSE, sizeof (int)), 0 };

  g_assert_true (g_str_has_prefix (dengon_call_get_id (call), "call:"));
  g_assert_cmpint (dengon_call_get_state (call), ==, DENGON_CALL_STATE_RINGING);
  g_assert_true (dengon_call_is_new (call));
  g_assert_nonnull (dengon_call_get_started_at (call));
  g_assert_null (dengon_call_get_ended_at (call));

  g_signal_connect (call, "state-changed", G_CALLBACK (on_state_changed), &log);
  g_signal_connect_swapped (call, "notify::state", G_CALLBACK (g_atomic_int_inc), &log.notifies);

  dengon_call_set_state (call, DENGON_CALL_STATE_ACTIVE);
  dengon_call_set_state (call, DENGON_CALL_STATE_ACTIVE); /* no change: no signal */
  dengon_call_set_state (call, DENGON_CALL_STATE_ENDED);
  g_assert_cmpuint (log.states->len, ==, 4);
  g_assert_cmpint (g_array_index (log.states, int, 0), ==, DENGON_CALL_STATE_ACTIVE);
  g_assert_cmpint (g_array_index (log.states, int, 1), ==, DENGON_CALL_STATE_RINGING);
  g_assert_cmpint (g_array_index (log.states, int, 2), ==, DENGON_CALL_STATE_ENDED);
  g_assert_cmpint (g_array_index (log.states, int, 3), ==, DENGON_CALL_STATE_ACTIVE);
  g_assert_cmpuint (log.notifies, ==, 2);
  g_assert_nonnull (dengon_call_get_ended_at (call));
  g_assert_false (dengon_call_is_new (call));

  /* An outgoing call starts dialing. */
  {
    g_autoptr (DengonCall) out =
        dengon_call_new (DENGON_CALL_DIRECTION_OUT, "tel:+81-3-1234-5678", NULL);

    g_assert_cmpint (dengon_call_get_state (out), ==, DENGON_CALL_STATE_DIALING);
  }

  g_signal_handlers_disconnect_by_data (call, &log);
  g_signal_handlers_disconnect_by_data (call, &log.notifies);
  g_array_unref (log.states);
  g_assert_finalize_object (g_steal_pointer (&call));
}

static void
test_call_untrusted_text (void)
{
  struct
  {
    const char *number, *name;
    const char *want_number, *want_name;
  } cases[] = {
    { "0312345678", "%E5%B1%B1%E7%94%B0%20%E5%A4%AA%E9%83%8E", "0312345678", "山田 太郎" },
    { "anonymous", "Anonymous", NULL, "Anonymous" },
    { "$remote", "$display_remote", NULL, "$display_remote" },
    { "", "", NULL, NULL },
    { "03-1234-5678", "\x1b[31mEvil\x07\n\tName\xff", "03-1234-5678", "[31mEvil Name" },
    { "sip:0312345678@192.0.2.10", "  Tanaka\u3000\u3000Ichiro ", "sip:0312345678@192.0.2.10",
      "Tanaka Ichiro" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (DengonCall) call =
          dengon_call_new (DENGON_CALL_DIRECTION_IN, cases[i].number, cases[i].name);

      g_assert_cmpstr (dengon_call_get_number (call), ==, cases[i].want_number);
      g_assert_cmpstr (dengon_call_get_display_name (call), ==, cases[i].want_name);
    }

  /* Long names are cut, in characters. */
  {
    g_autoptr (GString) big = g_string_new (NULL);
    g_autoptr (DengonCall) call = NULL;

    for (int i = 0; i < 5000; i++)
      g_string_append (big, "長");
    call = dengon_call_new (DENGON_CALL_DIRECTION_IN, "0312345678", big->str);
    g_assert_cmpint (g_utf8_strlen (dengon_call_get_display_name (call), -1), ==, 200);
  }
}

/* ------------------------------------------------------------------ manager */

static void
on_call_event (DengonCallManager *manager, DengonCall *call, GPtrArray *log)
{
  g_ptr_array_add (log, g_object_ref (call));
}

static void
test_manager_several_calls (void)
{
  g_autoptr (DengonCallManager) manager = dengon_call_manager_new ();
  g_autoptr (GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) removed = g_ptr_array_new_with_free_func (g_object_unref);
  DengonCall *first, *second, *again, *out;

  g_signal_connect (manager, "call-added", G_CALLBACK (on_call_event), added);
  g_signal_connect (manager, "call-removed", G_CALLBACK (on_call_event), removed);

  first = dengon_call_manager_ring (manager, "0312345678", "Tanaka", "desk-phone", "c-1", "201");
  second = dengon_call_manager_ring (manager, "0612345678", NULL, "desk-phone", "c-2", "202");
  /* The phone repeats its action URL: the same call, not a third. */
  again = dengon_call_manager_ring (manager, "0312345678", "Tanaka", "desk-phone", "c-1", "201");
  out = dengon_call_manager_dial (manager, "tel:0451234567", "link");

  g_assert_true (again == first);
  g_assert_true (first != second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 3);
  g_assert_cmpuint (added->len, ==, 3);
  g_assert_cmpstr (dengon_call_get_line (second), ==, "202");
  g_assert_cmpint (dengon_call_get_direction (out), ==, DENGON_CALL_DIRECTION_OUT);
  g_assert_true (dengon_call_manager_find (manager, dengon_call_get_id (second)) == second);

  /* The second line ends first: the first stays where it was. */
  dengon_call_set_state (second, DENGON_CALL_STATE_ENDED);
  g_assert_cmpuint (removed->len, ==, 1);
  g_assert_true (g_ptr_array_index (removed, 0) == second);
  g_assert_cmpuint (dengon_call_manager_get_n_calls (manager), ==, 2);
  {
    g_autoptr (DengonCall) item0 = g_list_model_get_item (G_LIST_MODEL (manager), 0);
    g_autoptr (DengonCall) item1 = g_list_model_get_item (G_LIST_MODEL (manager), 1);

    g_assert_true (item0 == first);
    g_assert_true (item1 == out);
  }

  /* Once the first call ended, the same phone call id is a new call. */
  dengon_call_set_state (first, DENGON_CALL_STATE_ENDED);
  again = dengon_call_manager_ring (manager, "0312345678", NULL, "desk-phone", "c-1", NULL);
  g_assert_true (again != first);
  g_assert_cmpuint (dengon_call_manager_get_n_calls (manager), ==, 2);

  g_signal_handlers_disconnect_by_data (manager, added);
  g_signal_handlers_disconnect_by_data (manager, removed);
  g_ptr_array_set_size (added, 0);
  g_ptr_array_set_size (removed, 0);
  g_assert_finalize_object (g_steal_pointer (&manager));
}

/* ------------------------------------------------------------------ action URL */

typedef struct
{
  DengonCallManager *manager;
  DengonActionUrlServer *server;
  SoupSession *session;
  GPtrArray *added;
  guint port;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->manager = dengon_call_manager_new ();
  f->added = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->manager, "call-added", G_CALLBACK (on_call_event), f->added);
  f->server = dengon_action_url_server_new (f->manager);
  dengon_action_url_server_set_token (f->server, TOKEN);
  g_assert_true (dengon_action_url_server_listen (f->server, 0, TRUE, &error));
  g_assert_no_error (error);
  f->port = dengon_action_url_server_get_port (f->server);
  g_assert_cmpuint (f->port, >, 0);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (g_steal_pointer (&f->server));
  g_signal_handlers_disconnect_by_data (f->manager, f->added);
  g_clear_pointer (&f->added, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&f->manager));
}

typedef struct
{
  GBytes *body;
  guint status;
  gboolean done;
} Response;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Response *response = user_data;
  g_autoptr (GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  response->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->done = TRUE;
}

/* One real HTTP request; the server answers on this thread's main context. */
static guint
request (Fixture *f, const char *method, const char *path_and_query, const char *content_type,
         const char *body, gssize body_length, char **response_text)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s", f->port, path_and_query);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  Response response = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes =
          g_bytes_new (body, body_length >= 0 ? (gsize) body_length : strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &response);
  while (!response.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  if (response_text != NULL)
    *response_text =
        g_strndup (g_bytes_get_data (response.body, NULL), g_bytes_get_size (response.body));
  g_bytes_unref (response.body);

  return response.status;
}

/* A request as raw bytes, for what an HTTP client library refuses to send. The client runs on a
 * thread: the server answers on this one. */
static void
raw_request_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *raw = task_data;
  guint port = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "port"));
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  char buffer[256] = { 0 };
  gsize n = 0;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), raw,
                             strlen (raw), NULL, NULL, &error);
  g_assert_no_error (error);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer,
                           sizeof buffer - 1, &n, NULL, &error);
  g_task_return_pointer (task, g_strndup (buffer, n), g_free);
}

static guint
raw_request (Fixture *f, const char *raw)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_autofree char *reply = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  guint status = 0;

  g_task_set_task_data (task, g_strdup (raw), g_free);
  g_object_set_data (G_OBJECT (task), "port", GUINT_TO_POINTER (f->port));
  g_task_run_in_thread (task, raw_request_thread);
  while (!g_task_get_completed (task))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  reply = g_task_propagate_pointer (task, NULL);
  g_assert_nonnull (reply);
  if (sscanf (reply, "HTTP/1.%*d %u", &status) != 1)
    g_error ("not an HTTP reply: %s", reply);

  return status;
}

static DengonCall *
last_call (Fixture *f)
{
  g_assert_cmpuint (f->added->len, >, 0);

  return g_ptr_array_index (f->added, f->added->len - 1);
}

static void
test_url_yealink_get (Fixture *f, gconstpointer data)
{
  g_autofree char *text = NULL;
  DengonCall *call;

  /* Yealink: $remote is a SIP URI, $display_remote a percent-encoded name. */
  g_assert_cmpuint (request (f, "GET",
                             "/v1/ring?token=" TOKEN "&number=sip%3A0312345678%40192.0.2.10"
                             "&name=%E5%B1%B1%E7%94%B0%E5%95%86%E4%BA%8B&call=4711&local=201",
                             NULL, NULL, 0, &text),
                    ==, 200);
  g_assert_cmpstr (text, ==, "ok\n");
  g_assert_cmpuint (f->added->len, ==, 1);
  call = last_call (f);
  g_assert_cmpstr (dengon_call_get_number (call), ==, "sip:0312345678@192.0.2.10");
  g_assert_cmpstr (dengon_call_get_display_name (call), ==, "山田商事");
  g_assert_cmpstr (dengon_call_get_source (call), ==, "desk-phone");
  g_assert_cmpstr (dengon_call_get_phone_call_id (call), ==, "4711");
  g_assert_cmpstr (dengon_call_get_line (call), ==, "201");
  g_assert_cmpint (dengon_call_get_direction (call), ==, DENGON_CALL_DIRECTION_IN);

  /* The same call again (a phone that retries): still one call. */
  g_assert_cmpuint (request (f, "GET", "/v1/ring?token=" TOKEN "&number=0312345678&call=4711", NULL,
                             NULL, 0, NULL),
                    ==, 200);
  g_assert_cmpuint (dengon_call_manager_get_n_calls (f->manager), ==, 1);
}

static void
test_url_snom_grandstream (Fixture *f, gconstpointer data)
{
  /* snom: call-id with a hyphen, the name as the number. */
  g_assert_cmpuint (request (f, "GET",
                             "/v1/ring?token=" TOKEN "&number=0612345678&name=0612345678"
                             "&call-id=abc%40host",
                             NULL, NULL, 0, NULL),
                    ==, 200);
  g_assert_cmpstr (dengon_call_get_number (last_call (f)), ==, "0612345678");
  g_assert_null (dengon_call_get_display_name (last_call (f)));
  g_assert_cmpstr (dengon_call_get_phone_call_id (last_call (f)), ==, "abc@host");

  /* Grandstream: no call id; an IP address where the name goes; a variable left as written. */
  g_assert_cmpuint (request (f, "GET",
                             "/v1/ring?token=" TOKEN "&number=09012345678&name=192.0.2.10"
                             "&call=$call_id",
                             NULL, NULL, 0, NULL),
                    ==, 200);
  g_assert_cmpstr (dengon_call_get_number (last_call (f)), ==, "09012345678");
  g_assert_null (dengon_call_get_display_name (last_call (f)));
  g_assert_null (dengon_call_get_phone_call_id (last_call (f)));

  /* Anonymous caller: still a ring, without a number. */
  g_assert_cmpuint (
      request (f, "GET", "/v1/ring?token=" TOKEN "&number=anonymous", NULL, NULL, 0, NULL), ==,
      200);
  g_assert_null (dengon_call_get_number (last_call (f)));
  g_assert_cmpuint (f->added->len, ==, 3);
}

static const char polycom_body[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<PolycomIPPhone>\n"
    "<IncomingCallEvent>\n"
    "<PhoneIP>172.24.132.135</PhoneIP>\n"
    "<MACAddress>0004f214b89e</MACAddress>\n"
    "<CallingPartyName>Tanaka &amp; Co</CallingPartyName>\n"
    "<CallingPartyNumber>0312345678@172.18.186.94</CallingPartyNumber>\n"
    "<CalledPartyName>20300</CalledPartyName>\n"
    "<CalledPartyNumber>20300</CalledPartyNumber>\n"
    "<TimeStamp>2008-07-11T13:19:53-08:00</TimeStamp>\n"
    "</IncomingCallEvent>\n"
    "</PolycomIPPhone>\n";

static void
test_url_polycom_post (Fixture *f, gconstpointer data)
{
  g_autofree char *bare = NULL;
  g_autofree char *form = NULL;
  g_autofree char *escaped = NULL;

  g_assert_cmpuint (
      request (f, "POST", "/v1/ring?token=" TOKEN, "application/xml", polycom_body, -1, NULL), ==,
      200);
  g_assert_cmpstr (dengon_call_get_number (last_call (f)), ==, "0312345678@172.18.186.94");
  g_assert_cmpstr (dengon_call_get_display_name (last_call (f)), ==, "Tanaka & Co");
  g_assert_cmpstr (dengon_call_get_line (last_call (f)), ==, "20300");

  /* UC Software 5 sends the bare event; the name is the number. */
  bare = g_strdup ("<IncomingCallEvent><CallingPartyName>20701</CallingPartyName>"
                   "<CallingPartyNumber>20701@172.18.186.94</CallingPartyNumber>"
                   "</IncomingCallEvent>");
  g_assert_cmpuint (request (f, "POST", "/v1/ring?token=" TOKEN, "text/xml", bare, -1, NULL), ==,
                    200);
  g_assert_cmpstr (dengon_call_get_number (last_call (f)), ==, "20701@172.18.186.94");
  g_assert_null (dengon_call_get_display_name (last_call (f)));

  /* Posted as a form value. */
  escaped = g_uri_escape_string (polycom_body, NULL, FALSE);
  form = g_strconcat ("PhoneEvent=", escaped, NULL);
  g_assert_cmpuint (request (f, "POST", "/v1/ring?token=" TOKEN,
                             "application/x-www-form-urlencoded", form, -1, NULL),
                    ==, 200);
  g_assert_cmpuint (f->added->len, ==, 3);

  /* Other Polycom events are acknowledged and ignored. */
  g_assert_cmpuint (request (f, "POST", "/v1/ring?token=" TOKEN, "application/xml",
                             "<PolycomIPPhone><OffHookEvent><PhoneIP>1.2.3.4</PhoneIP>"
                             "</OffHookEvent></PolycomIPPhone>",
                             -1, NULL),
                    ==, 204);
  g_assert_cmpuint (f->added->len, ==, 3);
}

static void
test_url_token (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (request (f, "GET", "/v1/ring?number=0312345678", NULL, NULL, 0, NULL), ==, 401);
  g_assert_cmpuint (
      request (f, "GET", "/v1/ring?token=wrong&number=0312345678", NULL, NULL, 0, NULL), ==, 401);
  g_assert_cmpuint (
      request (f, "GET", "/v1/ring?token=" TOKEN "x&number=0312345678", NULL, NULL, 0, NULL), ==,
      401);
  g_assert_cmpuint (request (f, "GET", "/v1/ring?token=&number=0312345678", NULL, NULL, 0, NULL),
                    ==, 401);
  /* Without a token in the request line, a body is never looked at. */
  g_assert_cmpuint (request (f, "POST", "/v1/ring", "application/xml", polycom_body, -1, NULL), ==,
                    401);

  /* No token set at all: everything is refused. */
  dengon_action_url_server_set_token (f->server, NULL);
  g_assert_cmpuint (request (f, "GET", "/v1/ring?token=&number=1", NULL, NULL, 0, NULL), ==, 401);
  g_assert_cmpuint (f->added->len, ==, 0);
}

static void
test_url_garbage (Fixture *f, gconstpointer data)
{
  g_autofree char *big_query = NULL;
  g_autoptr (GString) big_body = g_string_new (NULL);

  /* Only /v1/ring is served. */
  g_assert_cmpuint (request (f, "GET", "/", NULL, NULL, 0, NULL), ==, 404);
  g_assert_cmpuint (raw_request (f, "GET /v1/ring/../../etc/passwd?token=" TOKEN " HTTP/1.1\r\n"
                                    "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                    ==, 404);
  g_assert_cmpuint (request (f, "GET", "/v1/ringing?token=" TOKEN, NULL, NULL, 0, NULL), ==, 404);
  g_assert_cmpuint (request (f, "PUT", "/v1/ring?token=" TOKEN, "text/plain", "x", -1, NULL), ==,
                    405);
  g_assert_cmpuint (request (f, "DELETE", "/v1/ring?token=" TOKEN, NULL, NULL, 0, NULL), ==, 405);

  /* Malformed. */
  g_assert_cmpuint (raw_request (f, "GET /v1/ring?token=" TOKEN "&number=%ZZ12 HTTP/1.1\r\n"
                                    "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                    ==, 400);
  g_assert_cmpuint (raw_request (f, "GET /v1/ring?token=" TOKEN "&name=%00 HTTP/1.1\r\n"
                                    "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                    ==, 400);
  g_assert_cmpuint (raw_request (f, "this is not http\r\n\r\n"), ==, 400);
  /* A chunked POST could be of any size: a length is required. */
  g_assert_cmpuint (raw_request (f, "POST /v1/ring?token=" TOKEN " HTTP/1.1\r\n"
                                    "Host: 127.0.0.1\r\nConnection: close\r\n"
                                    "Transfer-Encoding: chunked\r\n\r\n"
                                    "5\r\nhello\r\n0\r\n\r\n"),
                    ==, 411);
  /* A declared length over the limit is refused before the body is read. */
  g_assert_cmpuint (raw_request (f, "POST /v1/ring?token=" TOKEN " HTTP/1.1\r\n"
                                    "Host: 127.0.0.1\r\nConnection: close\r\n"
                                    "Content-Length: 1000000000\r\n\r\n<"),
                    ==, 413);
  g_assert_cmpuint (request (f, "POST", "/v1/ring?token=" TOKEN, "application/xml",
                             "<IncomingCallEvent><CallingPartyNumber>1</Calling", -1, NULL),
                    ==, 400);
  g_assert_cmpuint (request (f, "POST", "/v1/ring?token=" TOKEN, "application/xml",
                             "<html><body>hello</body></html>", -1, NULL),
                    ==, 400);
  g_assert_cmpuint (request (f, "POST", "/v1/ring?token=" TOKEN, "application/xml",
                             "<a><b><c><d><e><f><g><h><i><j>deep</j></i></h></g></f></e></d></c>"
                             "</b></a>",
                             -1, NULL),
                    ==, 400);
  g_assert_cmpuint (request (f, "POST", "/v1/ring?token=" TOKEN, "application/xml",
                             "<IncomingCallEvent>\xff\xfe</IncomingCallEvent>", -1, NULL),
                    ==, 400);
  g_assert_cmpuint (
      request (f, "POST", "/v1/ring?token=" TOKEN, "application/octet-stream", "a\0b", 3, NULL), ==,
      400);

  /* Oversized. */
  big_query = g_strnfill (DENGON_ACTION_URL_MAX_QUERY, 'x');
  {
    g_autofree char *path = g_strconcat ("/v1/ring?token=" TOKEN "&name=", big_query, NULL);

    g_assert_cmpuint (request (f, "GET", path, NULL, NULL, 0, NULL), ==, 414);
  }
  /* Just over the limit: answered as soon as the headers are in. */
  g_string_printf (big_body,
                   "POST /v1/ring?token=" TOKEN " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Content-Type: application/xml\r\nContent-Length: %u\r\n\r\n"
                   "<IncomingCallEvent>",
                   DENGON_ACTION_URL_MAX_BODY + 1);
  g_assert_cmpuint (raw_request (f, big_body->str), ==, 413);

  g_assert_cmpuint (f->added->len, ==, 0);

  /* And the server still answers properly afterwards. */
  g_assert_cmpuint (
      request (f, "GET", "/v1/ring?token=" TOKEN "&number=0312345678", NULL, NULL, 0, NULL), ==,
      200);
  g_assert_cmpuint (f->added->len, ==, 1);
}

static void
test_url_examples (void)
{
  g_autofree char *yealink = dengon_action_url_example ("yealink", "192.0.2.5", 8765, "T");
  g_autofree char *snom = dengon_action_url_example ("snom", "192.0.2.5", 8765, "T");
  g_autofree char *polycom = dengon_action_url_example ("polycom", "192.0.2.5", 8765, "T");
  g_autofree char *unknown = dengon_action_url_example ("cisco", "192.0.2.5", 8765, "T");
  g_auto (GStrv) addresses = dengon_action_url_get_local_addresses ();

  g_assert_cmpstr (yealink, ==,
                   "http://192.0.2.5:8765/v1/ring?token=T&number=$remote&name=$display_remote"
                   "&call=$call_id&local=$local");
  g_assert_cmpstr (snom, ==,
                   "http://192.0.2.5:8765/v1/ring?token=T&number=$remote&name=$display_remote"
                   "&call=$call-id&local=$local");
  g_assert_cmpstr (polycom, ==, "http://192.0.2.5:8765/v1/ring?token=T");
  g_assert_null (unknown);
  g_assert_nonnull (addresses[0]);
}

static void
test_url_port_in_use (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonActionUrlServer) other = dengon_action_url_server_new (f->manager);
  g_autoptr (GError) error = NULL;

  g_assert_false (dengon_action_url_server_listen (other, f->port, TRUE, &error));
  g_assert_nonnull (error);
  g_assert_false (dengon_action_url_server_is_listening (other));

  /* Stopping frees the port. */
  dengon_action_url_server_stop (f->server);
  g_clear_error (&error);
  g_assert_true (dengon_action_url_server_listen (other, f->port, TRUE, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dengon/calls/call/state", test_call_state);
  g_test_add_func ("/dengon/calls/call/untrusted-text", test_call_untrusted_text);
  g_test_add_func ("/dengon/calls/manager/several-calls", test_manager_several_calls);
  g_test_add_func ("/dengon/calls/action-url/examples", test_url_examples);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/dengon/calls/action-url/yealink-get", test_url_yealink_get);
  ADD ("/dengon/calls/action-url/snom-grandstream", test_url_snom_grandstream);
  ADD ("/dengon/calls/action-url/polycom-post", test_url_polycom_post);
  ADD ("/dengon/calls/action-url/token", test_url_token);
  ADD ("/dengon/calls/action-url/garbage", test_url_garbage);
  ADD ("/dengon/calls/action-url/port-in-use", test_url_port_in_use);

  return g_test_run ();
}
