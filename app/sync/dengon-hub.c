/* dengon-hub.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <ifaddrs.h>
#include <libsoup/soup.h>
#include <net/if.h>
#include <string.h>

#include "dengon-hub.h"
#include "dengon-json.h"
#include "dengon-sync-common.h"

/* What a request may be and how long a feed may wait. */
#define DEFAULT_FEED_TIMEOUT_MS 60000
#define MAX_FEED_TIMEOUT_MS     300000
#define MIN_HEARTBEAT_MS        1000
#define DEFAULT_HEARTBEAT_MS    60000
#define FEED_POLL_MS            2000
#define MAX_ALL_DOCS            20000
#define MAX_OPEN_REVS           1000

#define REQUEST_USER_KEY "dengon-hub-user"

struct _DengonHub
{
  GObject parent_instance;

  /* Owned */
  DengonStore *store;
  DengonHubAccounts *accounts;
  GTlsCertificate *certificate;
  SoupServer *server;
  GCancellable *cancellable;
  GPtrArray *feeds; /* Feed: waiting _changes requests */
  char *fingerprint;
  char *uuid;
  char *db_name;
  char *listen_address;
  guint port;
  gulong changed_id;
};

enum
{
  PROP_0,
  PROP_LISTENING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DengonHub, dengon_hub, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ requests */

/* One request: what a worker thread needs, copied out of the message. */
typedef struct
{
  DengonHub *hub;
  SoupServerMessage *msg;
  char *method;
  GPtrArray *segments; /* decoded path segments */
  GHashTable *query;   /* decoded, may be NULL */
  GBytes *body;
  char *user;
  gulong finished_id;
  gulong disconnected_id;
  gboolean gone; /* the message finished or its connection closed */
} Request;

/* What a worker thread answers. */
typedef struct
{
  guint status;
  char *body;
  gsize length;
  gboolean wait; /* _changes: nothing yet, hold the request */
  gint64 since;
} Response;

static void
response_free (Response *response)
{
  if (response == NULL)
    return;

  g_free (response->body);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
on_request_gone (SoupServerMessage *msg, Request *request)
{
  request->gone = TRUE;
}

static void
request_free (Request *request)
{
  if (request == NULL)
    return;

  g_clear_signal_handler (&request->finished_id, request->msg);
  g_clear_signal_handler (&request->disconnected_id, request->msg);
  g_clear_object (&request->msg);
  g_clear_object (&request->hub);
  g_free (request->method);
  g_clear_pointer (&request->segments, g_ptr_array_unref);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->user);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Response *
json_response (guint status, JsonNode *node)
{
  Response *response = g_new0 (Response, 1);

  response->status = status;
  response->body = dengon_json_to_string (node);
  response->length = strlen (response->body);

  return response;
}

static Response *
object_response (guint status, JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_response (status, node);
}

static Response *
error_response (guint status, const char *error, const char *reason)
{
  g_autoptr (JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "reason", reason);

  return object_response (status, object);
}

static Response *
not_found_response (const char *reason)
{
  return error_response (SOUP_STATUS_NOT_FOUND, "not_found", reason ? reason : "missing");
}

static Response *
method_not_allowed (Request *request, const char *allowed)
{
  g_autofree char *reason = g_strdup_printf ("Only %s allowed", allowed);
  Response *response =
      error_response (SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", reason);

  return response;
}

/* A store error as CouchDB would say it. */
static Response *
store_error_response (const GError *error)
{
  if (error->domain == DENGON_STORE_ERROR)
    {
      switch (error->code)
        {
          case DENGON_STORE_ERROR_NOT_FOUND:
            return not_found_response (error->message);
          case DENGON_STORE_ERROR_CONFLICT:
            return error_response (SOUP_STATUS_CONFLICT, "conflict", "Document update conflict.");
          case DENGON_STORE_ERROR_INVALID:
            return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
          case DENGON_STORE_ERROR_FULL:
            return error_response (SOUP_STATUS_INSUFFICIENT_STORAGE, "insufficient_storage",
                                   "The disk is full.");
          default:
            break;
        }
    }

  g_warning ("Hub: %s", error->message);
  return error_response (SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_server_error",
                         "The hub could not read or write its database.");
}

static const char *
query_get (Request *request, const char *name)
{
  return request->query ? g_hash_table_lookup (request->query, name) : NULL;
}

static gboolean
query_true (Request *request, const char *name)
{
  return g_strcmp0 (query_get (request, name), "true") == 0;
}

/* A non-negative integer parameter; @fallback when absent, -1 when not a number. */
static gint64
query_int (Request *request, const char *name, gint64 fallback)
{
  const char *text = query_get (request, name);
  guint64 value;

  if (text == NULL)
    return fallback;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return -1;

  return (gint64) value;
}

/* The request body as JSON; on failure @response_out gets the 400 to send. */
static JsonNode *
parse_body (Request *request, Response **response_out)
{
  g_autoptr (GError) error = NULL;
  const char *data;
  gsize size = 0;
  JsonNode *node;

  data = request->body ? g_bytes_get_data (request->body, &size) : NULL;
  if (data == NULL || size == 0)
    {
      *response_out = error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                      "Request body must be a JSON object");
      return NULL;
    }

  node = dengon_json_parse (data, size, dengon_sync_json_limits (), &error);
  if (node == NULL)
    {
      if (g_error_matches (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_TOO_LARGE))
        *response_out =
            error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", error->message);
      else
        *response_out = error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return NULL;
    }

  return node;
}

static JsonObject *
parse_body_object (Request *request, Response **response_out)
{
  g_autoptr (JsonNode) node = parse_body (request, response_out);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *response_out = error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                      "Request body must be a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (node));
}

/* ------------------------------------------------------------------ routes (worker threads) */

static Response *
route_root (DengonHub *self, Request *request)
{
  g_autoptr (JsonObject) object = json_object_new ();
  JsonObject *vendor = json_object_new ();

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD"))
    return method_not_allowed (request, "GET,HEAD");

  json_object_set_string_member (object, "couchdb", "Welcome");
  json_object_set_string_member (object, "version", PACKAGE_VERSION);
  json_object_set_string_member (object, "uuid", self->uuid);
  json_object_set_string_member (vendor, "name", "Dengon");
  json_object_set_string_member (vendor, "version", PACKAGE_VERSION);
  json_object_set_object_member (object, "vendor", vendor);
  json_object_set_array_member (object, "features", json_array_new ());

  return object_response (SOUP_STATUS_OK, object);
}

static Response *
route_session (DengonHub *self, Request *request)
{
  g_autoptr (JsonObject) object = json_object_new ();
  JsonObject *ctx = json_object_new ();
  JsonObject *info = json_object_new ();

  if (!g_str_equal (request->method, "GET"))
    return method_not_allowed (request, "GET");

  json_object_set_boolean_member (object, "ok", TRUE);
  json_object_set_string_member (ctx, "name", request->user);
  json_object_set_array_member (ctx, "roles", json_array_new ());
  json_object_set_object_member (object, "userCtx", ctx);
  json_object_set_string_member (info, "authenticated", "default");
  json_object_set_object_member (object, "info", info);

  return object_response (SOUP_STATUS_OK, object);
}

static Response *
route_all_dbs (DengonHub *self, Request *request)
{
  g_autoptr (JsonArray) array = json_array_new ();
  g_autoptr (JsonNode) node = NULL;

  if (!g_str_equal (request->method, "GET"))
    return method_not_allowed (request, "GET");

  json_array_add_string_element (array, self->db_name);
  node = json_node_init_array (json_node_alloc (), array);

  return json_response (SOUP_STATUS_OK, node);
}

static Response *
route_db (DengonHub *self, Request *request, gboolean exists)
{
  g_autoptr (JsonObject) object = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *sizes;
  gint64 live = 0, deleted = 0;

  if (g_str_equal (request->method, "PUT"))
    {
      if (exists)
        return error_response (SOUP_STATUS_PRECONDITION_FAILED, "file_exists",
                               "The database could not be created, the file already exists.");
      return error_response (SOUP_STATUS_FORBIDDEN, "forbidden",
                             "This hub serves one database and cannot create others.");
    }

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD"))
    return method_not_allowed (request, "GET,HEAD,PUT");

  if (!exists)
    return not_found_response ("Database does not exist.");

  if (!dengon_store_count_documents (self->store, &live, &deleted, &error))
    return store_error_response (error);

  object = json_object_new ();
  json_object_set_string_member (object, "db_name", self->db_name);
  json_object_set_int_member (object, "doc_count", live);
  json_object_set_int_member (object, "doc_del_count", deleted);
  json_object_set_int_member (object, "update_seq", dengon_store_get_update_seq (self->store));
  json_object_set_int_member (object, "purge_seq", 0);
  json_object_set_boolean_member (object, "compact_running", FALSE);
  json_object_set_string_member (object, "instance_start_time", "0");
  json_object_set_int_member (object, "disk_format_version", 8);
  sizes = json_object_new ();
  json_object_set_int_member (sizes, "file", 0);
  json_object_set_int_member (sizes, "external", 0);
  json_object_set_int_member (sizes, "active", 0);
  json_object_set_object_member (object, "sizes", sizes);

  return object_response (SOUP_STATUS_OK, object);
}

/* ---- _changes */

typedef struct
{
  gint64 since;
  guint limit;
  gboolean all_docs;
  gboolean longpoll;
  gboolean continuous;
  guint heartbeat_ms;
  guint timeout_ms;
} ChangesParams;

static Response *
parse_changes_params (DengonHub *self, Request *request, ChangesParams *params)
{
  const char *since = query_get (request, "since");
  const char *feed = query_get (request, "feed");
  const char *style = query_get (request, "style");
  const char *heartbeat = query_get (request, "heartbeat");
  gint64 limit = query_int (request, "limit", DENGON_SYNC_MAX_CHANGES_LIMIT);
  gint64 timeout = query_int (request, "timeout", DEFAULT_FEED_TIMEOUT_MS);
  guint64 value;

  memset (params, 0, sizeof *params);

  if (since == NULL || g_str_equal (since, "0"))
    params->since = 0;
  else if (g_str_equal (since, "now"))
    params->since = dengon_store_get_update_seq (self->store);
  else if (g_ascii_string_to_unsigned (since, 10, 0, G_MAXINT64, &value, NULL))
    params->since = (gint64) value;
  else
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid since");

  if (limit < 0)
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid limit");
  params->limit = limit == 0 ? 1 : MIN (limit, DENGON_SYNC_MAX_CHANGES_LIMIT);

  if (style != NULL && !g_str_equal (style, "all_docs") && !g_str_equal (style, "main_only"))
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid style");
  params->all_docs = g_strcmp0 (style, "all_docs") == 0;

  if (feed == NULL || g_str_equal (feed, "normal"))
    ;
  else if (g_str_equal (feed, "longpoll"))
    params->longpoll = TRUE;
  else if (g_str_equal (feed, "continuous"))
    params->continuous = TRUE;
  else
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Unsupported feed");

  if (query_get (request, "filter") != NULL || query_true (request, "include_docs") ||
      query_true (request, "descending"))
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                           "Filters, include_docs and descending are not supported");

  if (timeout < 0)
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid timeout");
  params->timeout_ms = MIN (timeout, MAX_FEED_TIMEOUT_MS);

  if (heartbeat == NULL || g_str_equal (heartbeat, "false"))
    params->heartbeat_ms = 0;
  else if (g_str_equal (heartbeat, "true"))
    params->heartbeat_ms = DEFAULT_HEARTBEAT_MS;
  else if (g_ascii_string_to_unsigned (heartbeat, 10, 0, G_MAXUINT, &value, NULL))
    params->heartbeat_ms = CLAMP (value, MIN_HEARTBEAT_MS, MAX_FEED_TIMEOUT_MS);
  else
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid heartbeat");

  /* A heartbeat keeps the request open past the timeout, as in CouchDB. */
  if (params->heartbeat_ms > 0 && query_get (request, "timeout") == NULL)
    params->timeout_ms = MAX_FEED_TIMEOUT_MS;

  return NULL;
}

static JsonObject *
change_row (DengonStoreFeedEntry *entry, gboolean all_docs)
{
  JsonObject *row = json_object_new ();
  JsonArray *changes = json_array_new ();

  json_object_set_int_member (row, "seq", entry->seq);
  json_object_set_string_member (row, "id", entry->id);
  for (guint i = 0; entry->revs[i] != NULL; i++)
    {
      JsonObject *change = json_object_new ();

      json_object_set_string_member (change, "rev", entry->revs[i]);
      json_array_add_object_element (changes, change);
      if (!all_docs)
        break;
    }
  json_object_set_array_member (row, "changes", changes);
  if (entry->deleted)
    json_object_set_boolean_member (row, "deleted", TRUE);

  return row;
}

/* The changes after @since: a normal response, or (for a feed with nothing new) a wait. */
static Response *
changes_response (DengonHub *self, const ChangesParams *params, gint64 since, gboolean may_wait,
                  GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (JsonObject) object = NULL;
  Response *response;
  JsonArray *results;
  gint64 last_seq = since, pending;

  entries = dengon_store_changes (self->store, since, params->limit, &last_seq, error);
  if (entries == NULL)
    return NULL;

  if (entries->len == 0 && may_wait)
    {
      response = g_new0 (Response, 1);
      response->wait = TRUE;
      response->since = last_seq;
      return response;
    }

  pending = dengon_store_count_changes (self->store, last_seq, error);
  if (pending < 0)
    return NULL;

  object = json_object_new ();
  results = json_array_new ();
  for (guint i = 0; i < entries->len; i++)
    json_array_add_object_element (results,
                                   change_row (g_ptr_array_index (entries, i), params->all_docs));
  json_object_set_array_member (object, "results", results);
  json_object_set_int_member (object, "last_seq", last_seq);
  json_object_set_int_member (object, "pending", pending);

  return object_response (SOUP_STATUS_OK, object);
}

/* feed=continuous: one line per change. */
static Response *
continuous_lines (DengonHub *self, const ChangesParams *params, gint64 since, GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  Response *response;
  gint64 last_seq = since;

  entries = dengon_store_changes (self->store, since, params->limit, &last_seq, error);
  if (entries == NULL)
    return NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr (JsonObject) row = change_row (g_ptr_array_index (entries, i), params->all_docs);
      g_autofree char *line = dengon_json_object_to_string (row);

      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }

  response = g_new0 (Response, 1);
  response->status = SOUP_STATUS_OK;
  response->since = last_seq;
  response->length = text->len;
  response->body = g_string_free (g_steal_pointer (&text), FALSE);
  response->wait = entries->len == 0;

  return response;
}

static Response *
route_changes (DengonHub *self, Request *request)
{
  g_autoptr (GError) error = NULL;
  ChangesParams params;
  Response *response;

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD"))
    return method_not_allowed (request, "GET,HEAD");

  response = parse_changes_params (self, request, &params);
  if (response != NULL)
    return response;

  if (params.continuous)
    {
      response = g_new0 (Response, 1);
      response->wait = TRUE;
      response->since = params.since;
      return response;
    }

  response = changes_response (self, &params, params.since, params.longpoll, &error);
  if (response == NULL)
    return store_error_response (error);

  return response;
}

/* ---- _revs_diff */

static Response *
route_revs_diff (DengonHub *self, Request *request)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) diff = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) ids = NULL;
  Response *response = NULL;
  guint n_revs = 0;

  if (!g_str_equal (request->method, "POST"))
    return method_not_allowed (request, "POST");

  body = parse_body_object (request, &response);
  if (body == NULL)
    return response;

  ids = json_object_get_members (body);
  for (GList *l = ids; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (body, l->data);

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Each document id needs a list of revisions");
      n_revs += json_array_get_length (json_node_get_array (node));
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          JsonNode *rev = json_array_get_element (json_node_get_array (node), i);

          if (!JSON_NODE_HOLDS_VALUE (rev) || json_node_get_value_type (rev) != G_TYPE_STRING)
            return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "Revisions must be strings");
        }
    }
  if (n_revs > DENGON_SYNC_MAX_REVS_DIFF_REVS)
    return error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                           "Too many revisions in one request");

  diff = dengon_store_revs_diff (self->store, body, &error);
  if (diff == NULL)
    return store_error_response (error);

  return object_response (SOUP_STATUS_OK, diff);
}

/* ---- _bulk_docs */

static gboolean
doc_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 256 || !g_utf8_validate (id, -1, NULL) ||
      id[0] == '_')
    return FALSE;

  for (const char *p = id; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return FALSE;
    }

  return TRUE;
}

/* A revision tree path that the store would take (checked before anything is written). */
static gboolean
revisions_are_valid (JsonObject *doc, const char *rev)
{
  JsonObject *revisions;
  JsonArray *ids;
  const char *hash;
  gint64 pos;

  if (!dengon_rev_parse (rev, &pos, &hash))
    return FALSE;

  if (!json_object_has_member (doc, "_revisions"))
    return TRUE;

  revisions = dengon_json_get_object (doc, "_revisions");
  ids = dengon_json_get_array (revisions, "ids");
  if (ids == NULL || dengon_json_get_int (revisions, "start", -1) != pos ||
      json_array_get_length (ids) == 0 || json_array_get_length (ids) > MAX_OPEN_REVS ||
      (gint64) json_array_get_length (ids) > pos)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      g_autofree char *check = NULL;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return FALSE;
      check = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", pos - i, json_node_get_string (node));
      if (!dengon_rev_parse (check, NULL, NULL) ||
          (i == 0 && !g_str_equal (json_node_get_string (node), hash)))
        return FALSE;
    }

  return TRUE;
}

static JsonObject *
doc_failure (const char *id, const char *error, const char *reason)
{
  JsonObject *failure = json_object_new ();

  json_object_set_string_member (failure, "id", id ? id : "");
  json_object_set_string_member (failure, "error", error);
  json_object_set_string_member (failure, "reason", reason);

  return failure;
}

static Response *
route_bulk_docs (DengonHub *self, Request *request)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) failures = NULL;
  g_autoptr (JsonArray) results = json_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  Response *response = NULL;
  JsonArray *array;
  gboolean new_edits;

  if (!g_str_equal (request->method, "POST"))
    return method_not_allowed (request, "POST");

  body = parse_body_object (request, &response);
  if (body == NULL)
    return response;

  array = dengon_json_get_array (body, "docs");
  if (array == NULL)
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "POST body must include `docs`");
  if (json_array_get_length (array) > DENGON_SYNC_MAX_BATCH_DOCS)
    return error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                           "Too many documents in one request");
  new_edits = dengon_json_get_boolean (body, "new_edits", TRUE);

  /* Everything is checked first: one bad document and nothing is written. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *doc;
      const char *id, *rev;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Document must be a JSON object");
      doc = json_node_get_object (element);
      id = dengon_json_get_string (doc, "_id");
      rev = dengon_json_get_string (doc, "_rev");

      if (id != NULL && (g_str_has_prefix (id, "_design/") || g_str_has_prefix (id, "_local/")))
        continue; /* answered with a per-document "forbidden" below */
      if (!doc_id_is_valid (id) && (id != NULL || !new_edits))
        return error_response (SOUP_STATUS_BAD_REQUEST, "illegal_docid",
                               "Document ids must be non-empty text of at most 256 bytes, not "
                               "starting with an underscore");
      if (json_object_has_member (doc, "_rev") && rev == NULL)
        return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid rev format");
      if (!new_edits && !revisions_are_valid (doc, rev))
        return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid rev format");
      if (new_edits && rev != NULL && !dengon_rev_parse (rev, NULL, NULL))
        return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid rev format");
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *doc = json_array_get_object_element (array, i);
      const char *id = dengon_json_get_string (doc, "_id");
      g_autofree char *text = NULL;

      if (id != NULL && (g_str_has_prefix (id, "_design/") || g_str_has_prefix (id, "_local/")))
        {
          json_array_add_object_element (results,
                                         doc_failure (id, "forbidden",
                                                      "Design and local documents cannot be "
                                                      "written here"));
          continue;
        }
      if (json_object_has_member (doc, "_attachments"))
        {
          json_array_add_object_element (
              results, doc_failure (id, "forbidden", "attachments not supported"));
          continue;
        }
      text = dengon_json_object_to_string (doc);
      if (strlen (text) > DENGON_SYNC_MAX_DOC_BYTES)
        return error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                               "Document exceeds the size limit");

      if (!new_edits)
        {
          g_ptr_array_add (docs, json_object_ref (doc));
          continue;
        }

      /* new_edits=true: a normal write, one at a time. */
      {
        g_autoptr (JsonObject) copy = dengon_json_object_copy (doc);
        g_autoptr (GError) put_error = NULL;
        g_autofree char *new_rev = NULL;
        g_autofree char *new_id = NULL;
        JsonObject *result;

        if (id == NULL)
          {
            new_id = g_uuid_string_random ();
            json_object_set_string_member (copy, "_id", new_id);
            id = new_id;
          }
        new_rev = dengon_store_put (self->store, copy, &put_error);
        if (new_rev == NULL)
          {
            if (g_error_matches (put_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
              result = doc_failure (id, "conflict", "Document update conflict.");
            else if (g_error_matches (put_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID))
              result = doc_failure (id, "forbidden", put_error->message);
            else
              return store_error_response (put_error);
          }
        else
          {
            result = json_object_new ();
            json_object_set_boolean_member (result, "ok", TRUE);
            json_object_set_string_member (result, "id", id);
            json_object_set_string_member (result, "rev", new_rev);
          }
        json_array_add_object_element (results, result);
      }
    }

  if (docs->len > 0)
    {
      if (!dengon_store_put_replicated (self->store, docs, &failures, &error))
        return store_error_response (error);
      for (guint i = 0; i < failures->len; i++)
        json_array_add_object_element (results, json_object_ref (g_ptr_array_index (failures, i)));
    }

  node = json_node_init_array (json_node_alloc (), results);

  return json_response (SOUP_STATUS_CREATED, node);
}

/* ---- _bulk_get and open_revs */

static void
strip_revisions (JsonArray *entries)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *doc = dengon_json_get_object (json_array_get_object_element (entries, i), "ok");

      if (doc != NULL)
        json_object_remove_member (doc, "_revisions");
    }
}

/* CouchDB's shape for a revision that is not there. */
static void
missing_to_errors (JsonArray *entries, const char *id)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *rev = dengon_json_get_string (entry, "missing");

      if (rev != NULL)
        {
          JsonObject *error = json_object_new ();

          json_object_set_string_member (error, "id", id);
          json_object_set_string_member (error, "rev", rev);
          json_object_set_string_member (error, "error", "not_found");
          json_object_set_string_member (error, "reason", "missing");
          json_object_remove_member (entry, "missing");
          json_object_set_object_member (entry, "error", error);
        }
    }
}

static Response *
route_bulk_get (DengonHub *self, Request *request)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) object = json_object_new ();
  Response *response = NULL;
  JsonArray *requested;
  JsonArray *results;
  gboolean revs = query_true (request, "revs");
  gboolean latest = query_true (request, "latest");

  if (!g_str_equal (request->method, "POST"))
    return method_not_allowed (request, "POST");

  body = parse_body_object (request, &response);
  if (body == NULL)
    return response;

  requested = dengon_json_get_array (body, "docs");
  if (requested == NULL)
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                           "Request body must include `docs`");
  if (json_array_get_length (requested) > DENGON_SYNC_MAX_BATCH_DOCS)
    return error_response (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                           "Too many documents in one request");

  for (guint i = 0; i < json_array_get_length (requested); i++)
    {
      JsonNode *node = json_array_get_element (requested, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (dengon_json_get_string (item, "id") == NULL ||
          (json_object_has_member (item, "rev") && dengon_json_get_string (item, "rev") == NULL))
        return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Each entry needs an `id` and may have a `rev`");
    }

  results = json_array_new ();
  json_object_set_array_member (object, "results", results);

  for (guint i = 0; i < json_array_get_length (requested); i++)
    {
      JsonObject *item = json_array_get_object_element (requested, i);
      const char *id = dengon_json_get_string (item, "id");
      const char *rev = dengon_json_get_string (item, "rev");
      JsonObject *result = json_object_new ();
      g_autoptr (GError) error = NULL;
      JsonArray *entries = NULL;

      json_object_set_string_member (result, "id", id);

      if (rev != NULL)
        {
          const char *const revs_list[] = { rev, NULL };

          entries = dengon_store_open_revs (self->store, id, revs_list, latest, &error);
        }
      else
        {
          JsonObject *doc =
              dengon_store_get_full (self->store, id, NULL, DENGON_STORE_GET_REVISIONS, &error);

          if (doc != NULL)
            {
              JsonObject *entry = json_object_new ();

              entries = json_array_new ();
              json_object_set_object_member (entry, "ok", doc);
              json_array_add_object_element (entries, entry);
            }
          else if (g_error_matches (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND))
            {
              JsonObject *entry = json_object_new ();
              JsonObject *e = json_object_new ();

              g_clear_error (&error);
              entries = json_array_new ();
              json_object_set_string_member (e, "id", id);
              json_object_set_string_member (e, "error", "not_found");
              json_object_set_string_member (e, "reason", "missing");
              json_object_set_object_member (entry, "error", e);
              json_array_add_object_element (entries, entry);
            }
        }

      if (entries == NULL)
        {
          json_object_unref (result);
          return store_error_response (error);
        }

      if (!revs)
        strip_revisions (entries);
      missing_to_errors (entries, id);
      json_object_set_array_member (result, "docs", entries);
      json_array_add_object_element (results, result);
    }

  return object_response (SOUP_STATUS_OK, object);
}

/* ---- documents */

static Response *
route_doc_get (DengonHub *self, Request *request, const char *id)
{
  g_autoptr (GError) error = NULL;
  const char *open_revs = query_get (request, "open_revs");
  gboolean revs = query_true (request, "revs");
  DengonStoreGetFlags flags = 0;
  JsonObject *doc;

  if (open_revs != NULL)
    {
      g_autoptr (JsonArray) entries = NULL;
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      g_auto (GStrv) list = NULL;
      g_autoptr (JsonNode) node = NULL;

      if (!g_str_equal (open_revs, "all"))
        {
          g_autoptr (GError) parse_error = NULL;
          JsonArray *array;

          node = dengon_json_parse (open_revs, -1, dengon_sync_json_limits (), &parse_error);
          if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
              json_array_get_length (json_node_get_array (node)) > MAX_OPEN_REVS)
            return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "open_revs must be \"all\" or a JSON list of revisions");
          array = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *rev = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (rev) || json_node_get_value_type (rev) != G_TYPE_STRING)
                return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                       "open_revs must list revisions");
              g_strv_builder_add (builder, json_node_get_string (rev));
            }
          list = g_strv_builder_end (builder);
        }

      entries = dengon_store_open_revs (self->store, id, (const char *const *) list,
                                        query_true (request, "latest"), &error);
      if (entries == NULL)
        return store_error_response (error);
      if (!revs)
        strip_revisions (entries);
      g_clear_pointer (&node, json_node_unref);
      node = json_node_init_array (json_node_alloc (), entries);

      return json_response (SOUP_STATUS_OK, node);
    }

  if (revs)
    flags |= DENGON_STORE_GET_REVISIONS;
  if (query_true (request, "conflicts"))
    flags |= DENGON_STORE_GET_CONFLICTS;
  if (query_get (request, "rev") != NULL)
    flags |= DENGON_STORE_GET_DELETED;

  doc = dengon_store_get_full (self->store, id, query_get (request, "rev"), flags, &error);
  if (doc == NULL)
    return store_error_response (error);

  {
    g_autoptr (JsonObject) owned = doc;

    return object_response (SOUP_STATUS_OK, owned);
  }
}

static Response *
route_doc (DengonHub *self, Request *request, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autofree char *rev = NULL;

  if (g_str_has_prefix (id, "_design/"))
    return not_found_response ("missing");

  if (g_str_equal (request->method, "GET") || g_str_equal (request->method, "HEAD"))
    {
      if (!doc_id_is_valid (id))
        return not_found_response ("missing");
      return route_doc_get (self, request, id);
    }

  if (!doc_id_is_valid (id))
    return error_response (SOUP_STATUS_BAD_REQUEST, "illegal_docid",
                           "Document ids must be non-empty text of at most 256 bytes, not "
                           "starting with an underscore");

  if (g_str_equal (request->method, "PUT"))
    {
      g_autoptr (JsonObject) parsed = NULL;
      g_autoptr (JsonObject) doc = NULL;
      Response *response = NULL;
      const char *body_id;

      parsed = parse_body_object (request, &response);
      if (parsed == NULL)
        return response;
      /* Parsed objects are sealed: work on a copy. */
      doc = dengon_json_object_copy (parsed);
      body_id = dengon_json_get_string (doc, "_id");
      if (body_id != NULL && !g_str_equal (body_id, id))
        return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request",
                               "Document id must match the path");
      if (json_object_has_member (doc, "_attachments"))
        return error_response (SOUP_STATUS_FORBIDDEN, "forbidden", "attachments not supported");

      json_object_set_string_member (doc, "_id", id);
      if (query_get (request, "rev") != NULL && !json_object_has_member (doc, "_rev"))
        json_object_set_string_member (doc, "_rev", query_get (request, "rev"));

      if (g_strcmp0 (query_get (request, "new_edits"), "false") == 0)
        {
          g_autoptr (GPtrArray) docs = g_ptr_array_new ();
          g_autoptr (GPtrArray) failures = NULL;

          if (!revisions_are_valid (doc, dengon_json_get_string (doc, "_rev")))
            return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid rev format");
          g_ptr_array_add (docs, doc);
          if (!dengon_store_put_replicated (self->store, docs, &failures, &error))
            return store_error_response (error);
          if (failures->len > 0)
            return error_response (
                SOUP_STATUS_FORBIDDEN, "forbidden",
                dengon_json_get_string (g_ptr_array_index (failures, 0), "reason"));
          rev = g_strdup (dengon_json_get_string (doc, "_rev"));
        }
      else
        {
          if (json_object_has_member (doc, "_rev") &&
              !dengon_rev_parse (dengon_json_get_string (doc, "_rev"), NULL, NULL))
            return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid rev format");
          rev = dengon_store_put (self->store, doc, &error);
          if (rev == NULL)
            return store_error_response (error);
        }
    }
  else if (g_str_equal (request->method, "DELETE"))
    {
      const char *old_rev = query_get (request, "rev");

      if (old_rev == NULL || !dengon_rev_parse (old_rev, NULL, NULL))
        return error_response (SOUP_STATUS_CONFLICT, "conflict", "Document update conflict.");
      rev = dengon_store_delete (self->store, id, old_rev, &error);
      if (rev == NULL)
        return store_error_response (error);
    }
  else
    return method_not_allowed (request, "GET,HEAD,PUT,DELETE");

  result = json_object_new ();
  json_object_set_boolean_member (result, "ok", TRUE);
  json_object_set_string_member (result, "id", id);
  json_object_set_string_member (result, "rev", rev);

  return object_response (
      g_str_equal (request->method, "DELETE") ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, result);
}

static Response *
route_local (DengonHub *self, Request *request, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autofree char *id = g_strconcat ("_local/", name, NULL);
  g_autofree char *rev = NULL;

  if (*name == '\0' || strlen (name) > 256)
    return not_found_response ("missing");

  if (g_str_equal (request->method, "GET") || g_str_equal (request->method, "HEAD"))
    {
      JsonObject *doc = dengon_store_get_local (self->store, name, &error);
      g_autoptr (JsonObject) owned = doc;

      if (doc == NULL)
        return store_error_response (error);
      return object_response (SOUP_STATUS_OK, owned);
    }

  if (g_str_equal (request->method, "PUT"))
    {
      g_autoptr (JsonObject) doc = NULL;
      Response *response = NULL;

      doc = parse_body_object (request, &response);
      if (doc == NULL)
        return response;
      rev = dengon_store_put_local (self->store, name, doc, &error);
      if (rev == NULL)
        return store_error_response (error);
      result = json_object_new ();
      json_object_set_boolean_member (result, "ok", TRUE);
      json_object_set_string_member (result, "id", id);
      json_object_set_string_member (result, "rev", rev);
      return object_response (SOUP_STATUS_CREATED, result);
    }

  if (g_str_equal (request->method, "DELETE"))
    {
      if (!dengon_store_delete_local (self->store, name, &error))
        return store_error_response (error);
      result = json_object_new ();
      json_object_set_boolean_member (result, "ok", TRUE);
      json_object_set_string_member (result, "id", id);
      json_object_set_string_member (result, "rev", "0-0");
      return object_response (SOUP_STATUS_OK, result);
    }

  return method_not_allowed (request, "GET,HEAD,PUT,DELETE");
}

static int
compare_entry_ids (gconstpointer a, gconstpointer b)
{
  const DengonStoreFeedEntry *ea = *(DengonStoreFeedEntry *const *) a;
  const DengonStoreFeedEntry *eb = *(DengonStoreFeedEntry *const *) b;

  return strcmp (ea->id, eb->id);
}

/* _all_docs: live documents by id (enough for tools that compare two databases). */
static Response *
route_all_docs (DengonHub *self, Request *request)
{
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) object = json_object_new ();
  gboolean include_docs = query_true (request, "include_docs");
  DengonStoreGetFlags flags = query_true (request, "conflicts") ? DENGON_STORE_GET_CONFLICTS : 0;
  gint64 limit = query_int (request, "limit", MAX_ALL_DOCS);
  JsonArray *rows = json_array_new ();
  guint n_live = 0;

  json_object_set_array_member (object, "rows", rows);

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD"))
    return method_not_allowed (request, "GET,HEAD");
  if (limit < 0)
    return error_response (SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid limit");

  entries = dengon_store_changes (self->store, 0, 0, NULL, &error);
  if (entries == NULL)
    return store_error_response (error);
  g_ptr_array_sort (entries, compare_entry_ids);

  for (guint i = 0; i < entries->len; i++)
    {
      DengonStoreFeedEntry *entry = g_ptr_array_index (entries, i);
      JsonObject *row, *value;

      if (entry->deleted)
        continue;
      n_live++;
      if (json_array_get_length (rows) >= MIN (limit, MAX_ALL_DOCS))
        continue;

      row = json_object_new ();
      value = json_object_new ();
      json_object_set_string_member (row, "id", entry->id);
      json_object_set_string_member (row, "key", entry->id);
      json_object_set_string_member (value, "rev", entry->revs[0]);
      json_object_set_object_member (row, "value", value);
      if (include_docs)
        {
          JsonObject *doc = dengon_store_get_full (self->store, entry->id, NULL, flags, &error);

          if (doc == NULL)
            {
              json_object_unref (row);
              return store_error_response (error);
            }
          json_object_set_object_member (row, "doc", doc);
        }
      json_array_add_object_element (rows, row);
    }

  json_object_set_int_member (object, "total_rows", n_live);
  json_object_set_int_member (object, "offset", 0);

  return object_response (SOUP_STATUS_OK, object);
}

static Response *
route (DengonHub *self, Request *request)
{
  GPtrArray *s = request->segments;
  const char *db, *part;
  gboolean ours;

  if (s->len == 0)
    return route_root (self, request);

  db = g_ptr_array_index (s, 0);
  if (s->len == 1 && g_str_equal (db, "_session"))
    return route_session (self, request);
  if (s->len == 1 && g_str_equal (db, "_all_dbs"))
    return route_all_dbs (self, request);
  if (db[0] == '_')
    return not_found_response ("missing");

  ours = g_str_equal (db, self->db_name);
  if (s->len == 1)
    return route_db (self, request, ours);
  if (!ours)
    return not_found_response ("Database does not exist.");

  part = g_ptr_array_index (s, 1);
  if (s->len == 2)
    {
      if (g_str_equal (part, "_changes"))
        return route_changes (self, request);
      if (g_str_equal (part, "_revs_diff"))
        return route_revs_diff (self, request);
      if (g_str_equal (part, "_bulk_docs"))
        return route_bulk_docs (self, request);
      if (g_str_equal (part, "_bulk_get"))
        return route_bulk_get (self, request);
      if (g_str_equal (part, "_all_docs"))
        return route_all_docs (self, request);
      if (g_str_equal (part, "_ensure_full_commit"))
        {
          g_autoptr (JsonObject) object = json_object_new ();

          if (!g_str_equal (request->method, "POST"))
            return method_not_allowed (request, "POST");
          json_object_set_boolean_member (object, "ok", TRUE);
          json_object_set_string_member (object, "instance_start_time", "0");
          return object_response (SOUP_STATUS_CREATED, object);
        }
      if (part[0] == '_')
        return not_found_response ("missing");
      return route_doc (self, request, part);
    }

  if (s->len == 3 && g_str_equal (part, "_local"))
    return route_local (self, request, g_ptr_array_index (s, 2));
  if (s->len == 3 && g_str_equal (part, "_design"))
    return not_found_response ("missing");

  /* Attachments and anything deeper. */
  return not_found_response ("missing");
}

/* ------------------------------------------------------------------ answering */

static void
send_response (Request *request, Response *response)
{
  SoupServerMessage *msg = request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (request->gone)
    return;

  soup_message_headers_replace (headers, "Cache-Control", "must-revalidate");
  if (response->status == SOUP_STATUS_METHOD_NOT_ALLOWED)
    {
      const char *reason = strstr (response->body, "Only ");

      if (reason != NULL)
        {
          g_autofree char *allowed = g_strndup (reason + 5, strcspn (reason + 5, " \""));

          soup_message_headers_replace (headers, "Allow", allowed);
        }
    }
  soup_server_message_set_status (msg, response->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&response->body), response->length);
  soup_server_message_unpause (msg);
  g_debug ("Hub: %s %s -> %u (%s)", request->method,
           g_uri_get_path (soup_server_message_get_uri (msg)), response->status,
           request->user ? request->user : "-");
}

static void
send_error (Request *request, guint status, const char *error, const char *reason)
{
  g_autoptr (Response) response = error_response (status, error, reason);

  send_response (request, response);
}

/* ---- waiting feeds (longpoll, continuous) */

typedef struct
{
  Request *request;
  ChangesParams params;
  gint64 since;
  gint64 deadline;   /* monotonic µs */
  gboolean started;  /* headers written: the body goes out in chunks */
  gboolean querying; /* a query runs on a worker thread */
  gboolean dirty;    /* a change came while it ran */
  gboolean done;
  guint heartbeat_id;
  guint timer_id;
} Feed;

static void feed_query (Feed *feed);

static void
feed_free (Feed *feed)
{
  g_clear_handle_id (&feed->heartbeat_id, g_source_remove);
  g_clear_handle_id (&feed->timer_id, g_source_remove);
  request_free (feed->request);
  g_free (feed);
}

static void
feed_finish (Feed *feed)
{
  DengonHub *self = feed->request->hub;

  feed->done = TRUE;
  g_clear_handle_id (&feed->heartbeat_id, g_source_remove);
  g_clear_handle_id (&feed->timer_id, g_source_remove);
  if (!feed->querying)
    g_ptr_array_remove (self->feeds, feed);
}

static void
feed_start_chunks (Feed *feed)
{
  SoupServerMessage *msg = feed->request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (feed->started)
    return;

  feed->started = TRUE;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "must-revalidate");
}

static void
feed_write (Feed *feed, const char *text, gsize length, gboolean last)
{
  SoupServerMessage *msg = feed->request->msg;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (feed->request->gone)
    return;

  feed_start_chunks (feed);
  if (length > 0)
    soup_message_body_append (body, SOUP_MEMORY_COPY, text, length);
  if (last)
    soup_message_body_complete (body);
  soup_server_message_unpause (msg);
}

static gboolean
on_feed_heartbeat (gpointer data)
{
  Feed *feed = data;

  if (feed->request->gone)
    {
      feed->heartbeat_id = 0;
      feed_finish (feed);
      return G_SOURCE_REMOVE;
    }

  feed_write (feed, "\n", 1, FALSE);

  return G_SOURCE_CONTINUE;
}

/* Ends the feed: a longpoll answers what it has (nothing), a continuous feed its last_seq. */
static void
feed_end (Feed *feed)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autofree char *text = NULL;

  if (feed->params.continuous)
    {
      json_object_set_int_member (object, "last_seq", feed->since);
      text = dengon_json_object_to_string (object);
    }
  else
    {
      json_object_set_array_member (object, "results", json_array_new ());
      json_object_set_int_member (object, "last_seq", feed->since);
      json_object_set_int_member (object, "pending", 0);
      text = dengon_json_object_to_string (object);
    }

  if (!feed->started && !feed->params.continuous)
    {
      Response response = { .status = SOUP_STATUS_OK, .body = g_steal_pointer (&text) };

      response.length = strlen (response.body);
      send_response (feed->request, &response);
      g_free (response.body);
    }
  else
    {
      g_autofree char *line = g_strconcat (text, "\n", NULL);

      feed_write (feed, line, strlen (line), TRUE);
    }

  feed_finish (feed);
}

static gboolean
on_feed_timer (gpointer data)
{
  Feed *feed = data;

  feed->timer_id = 0;

  if (feed->request->gone)
    {
      feed_finish (feed);
      return G_SOURCE_REMOVE;
    }

  if (g_get_monotonic_time () >= feed->deadline)
    {
      feed_end (feed);
      return G_SOURCE_REMOVE;
    }

  /* Another process may write the same database: look now and then as well. */
  feed_query (feed);
  return G_SOURCE_REMOVE;
}

static void
feed_arm_timer (Feed *feed)
{
  gint64 left = (feed->deadline - g_get_monotonic_time ()) / 1000;

  g_clear_handle_id (&feed->timer_id, g_source_remove);
  feed->timer_id = g_timeout_add (CLAMP (left, 0, FEED_POLL_MS), on_feed_timer, feed);
}

typedef struct
{
  DengonHub *hub;
  ChangesParams params;
  gint64 since;
} FeedQuery;

static gpointer
feed_query_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  FeedQuery *query = data;

  if (query->params.continuous)
    return continuous_lines (query->hub, &query->params, query->since, error);

  return changes_response (query->hub, &query->params, query->since, TRUE, error);
}

static void
on_feed_queried (GObject *source, GAsyncResult *result, gpointer data)
{
  Feed *feed = data;
  DengonHub *self = feed->request->hub;
  g_autoptr (GError) error = NULL;
  g_autoptr (Response) response = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  feed->querying = FALSE;

  if (feed->done || feed->request->gone || g_cancellable_is_cancelled (self->cancellable))
    {
      feed->done = TRUE;
      g_ptr_array_remove (self->feeds, feed);
      return;
    }

  if (response == NULL)
    {
      g_warning ("Hub: changes feed: %s", error->message);
      if (!feed->started)
        {
          g_autoptr (Response) failure = store_error_response (error);

          send_response (feed->request, failure);
        }
      else
        feed_write (feed, NULL, 0, TRUE);
      feed_finish (feed);
      return;
    }

  if (!feed->params.continuous && !response->wait)
    {
      if (feed->started)
        feed_write (feed, response->body, response->length, TRUE);
      else
        send_response (feed->request, response);
      feed_finish (feed);
      return;
    }

  if (feed->params.continuous && response->length > 0)
    {
      feed_write (feed, response->body, response->length, FALSE);
      feed->since = response->since;
      /* More may be waiting beyond this page. */
      feed->dirty = TRUE;
    }

  if (feed->dirty)
    {
      feed->dirty = FALSE;
      feed_query (feed);
      return;
    }

  feed_arm_timer (feed);
}

static void
feed_query (Feed *feed)
{
  DengonHub *self = feed->request->hub;
  FeedQuery *query;

  if (feed->done)
    return;

  if (feed->querying)
    {
      feed->dirty = TRUE;
      return;
    }

  g_clear_handle_id (&feed->timer_id, g_source_remove);
  feed->querying = TRUE;
  query = g_new0 (FeedQuery, 1);
  query->hub = self;
  query->params = feed->params;
  query->since = feed->since;
  dengon_store_run_async (self->store, feed_query_thread, query, g_free,
                          (GDestroyNotify) response_free, self->cancellable, on_feed_queried, feed);
}

static void
feed_begin (DengonHub *self, Request *request, gint64 since)
{
  Feed *feed = g_new0 (Feed, 1);
  Response *check;

  feed->request = request;
  check = parse_changes_params (self, request, &feed->params);
  g_assert (check == NULL);
  feed->since = since;
  feed->deadline = g_get_monotonic_time () + (gint64) feed->params.timeout_ms * 1000;
  g_ptr_array_add (self->feeds, feed);

  if (feed->params.heartbeat_ms > 0)
    feed->heartbeat_id = g_timeout_add (feed->params.heartbeat_ms, on_feed_heartbeat, feed);

  if (feed->params.continuous)
    {
      /* Headers go out at once; the changes so far follow. */
      feed_write (feed, NULL, 0, FALSE);
      feed_query (feed);
    }
  else
    feed_arm_timer (feed);
}

static void
on_store_changed (DengonStore *store, GPtrArray *changes, DengonHub *self)
{
  g_autoptr (GPtrArray) feeds = g_ptr_array_new ();

  /* A plain copy: answering may remove a feed from the list. */
  for (guint i = 0; i < self->feeds->len; i++)
    g_ptr_array_add (feeds, g_ptr_array_index (self->feeds, i));
  for (guint i = 0; i < feeds->len; i++)
    feed_query (g_ptr_array_index (feeds, i));
}

/* ---- dispatch */

static gpointer
route_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Request *request = data;

  return route (request->hub, request);
}

static void
on_routed (GObject *source, GAsyncResult *result, gpointer data)
{
  Request *request = data;
  DengonHub *self = request->hub;
  g_autoptr (GError) error = NULL;
  g_autoptr (Response) response = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (response == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      if (response == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        send_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_server_error",
                    "The hub failed.");
      request_free (request);
      return;
    }

  if (response->wait)
    {
      feed_begin (self, request, response->since);
      return;
    }

  send_response (request, response);
  request_free (request);
}

static GPtrArray *
split_path (const char *path)
{
  g_autoptr (GPtrArray) segments = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = NULL;

  if (path == NULL || path[0] != '/')
    return NULL;

  parts = g_strsplit (path + 1, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *decoded;

      /* A trailing slash ("/db/") means the same as none. */
      if (*parts[i] == '\0' && parts[i + 1] == NULL)
        break;
      decoded = g_uri_unescape_string (parts[i], NULL);
      if (decoded == NULL || (*decoded == '\0' && i > 0) || !g_utf8_validate (decoded, -1, NULL))
        {
          g_free (decoded);
          return NULL;
        }
      g_ptr_array_add (segments, decoded);
    }

  /* "_design/x" and "_local/x" are one id in two segments. */
  if (segments->len == 1 && *(char *) g_ptr_array_index (segments, 0) == '\0')
    g_ptr_array_set_size (segments, 0);

  return g_steal_pointer (&segments);
}

static void
handle_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  DengonHub *self = user_data;
  g_autoptr (Request) request = NULL;
  Request *owned;
  SoupMessageBody *body;
  const char *user = g_object_get_data (G_OBJECT (msg), REQUEST_USER_KEY);
  const char *method = soup_server_message_get_method (msg);
  const char *raw_path = g_uri_get_path (soup_server_message_get_uri (msg));

  if (user == NULL)
    {
      /* The early handler answers every request it did not authenticate. */
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      return;
    }

  request = g_new0 (Request, 1);
  request->hub = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->method = g_strdup (method);
  request->user = g_strdup (user);
  request->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_request_gone), request);
  request->disconnected_id =
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_request_gone), request);

  request->segments = split_path (raw_path);
  if (request->segments == NULL)
    {
      send_error (request, SOUP_STATUS_BAD_REQUEST, "bad_request", "Invalid path");
      return;
    }

  if (query != NULL)
    request->query = g_hash_table_ref (query);

  if (g_str_equal (method, "POST") || g_str_equal (method, "PUT"))
    {
      const char *type = soup_message_headers_get_content_type (
          soup_server_message_get_request_headers (msg), NULL);

      body = soup_server_message_get_request_body (msg);
      request->body = soup_message_body_flatten (body);
      if (g_bytes_get_size (request->body) > DENGON_SYNC_MAX_BODY_BYTES)
        {
          send_error (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                      "The request body is too large.");
          return;
        }
      if (g_bytes_get_size (request->body) > 0 && g_strcmp0 (type, "application/json") != 0 &&
          g_strcmp0 (type, "text/plain") != 0)
        {
          send_error (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type",
                      "Content-Type must be application/json");
          return;
        }
      if (g_strcmp0 (type, "text/plain") == 0)
        {
          /* A browser form cannot send JSON: this is what a cross-site page would send. */
          send_error (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type",
                      "Content-Type must be application/json");
          return;
        }
    }

  soup_server_message_pause (msg);
  owned = g_steal_pointer (&request);
  dengon_store_run_async (self->store, route_thread, owned, NULL, (GDestroyNotify) response_free,
                          self->cancellable, on_routed, owned);
}

/* ------------------------------------------------------------------ authentication and limits */

static void
reject_body (SoupServerMessage *msg)
{
  /* What is still to come of the body is read and dropped, never kept. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

static void
set_early_error (SoupServerMessage *msg, guint status, const char *error, const char *reason)
{
  g_autoptr (JsonObject) object = json_object_new ();
  char *text;

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "reason", reason);
  text = dengon_json_object_to_string (object);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Basic realm=\"Dengon hub\"");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
  reject_body (msg);
  g_debug ("Hub: %s %s -> %u", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)), status);
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  gsize total = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg), "dengon-hub-read"));

  total += g_bytes_get_size (chunk);
  g_object_set_data (G_OBJECT (msg), "dengon-hub-read", GSIZE_TO_POINTER (total));

  if (total > DENGON_SYNC_MAX_BODY_BYTES && soup_server_message_get_status (msg) == 0)
    {
      set_early_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                       "The request body is too large.");
      /* Drop what was kept so far too. */
      soup_message_body_truncate (soup_server_message_get_request_body (msg));
    }
}

typedef struct
{
  DengonHub *hub;
  SoupServerMessage *msg;
  char *user;
  gboolean gone;
  gulong finished_id;
  gulong disconnected_id;
} AuthCheck;

static void
on_auth_msg_gone (SoupServerMessage *msg, AuthCheck *check)
{
  check->gone = TRUE;
}

static void
on_verified (GObject *source, GAsyncResult *result, gpointer data)
{
  AuthCheck *check = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = dengon_hub_accounts_verify_finish (DENGON_HUB_ACCOUNTS (source), result, &error);

  if (!check->gone)
    {
      if (ok)
        g_object_set_data_full (G_OBJECT (check->msg), REQUEST_USER_KEY,
                                g_steal_pointer (&check->user), g_free);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
        set_early_error (check->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "service_unavailable",
                         "Too many sign-in attempts; try again later.");
      else
        set_early_error (check->msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                         "Name or password is incorrect.");
      soup_server_message_unpause (check->msg);
    }

  g_clear_signal_handler (&check->finished_id, check->msg);
  g_clear_signal_handler (&check->disconnected_id, check->msg);
  g_object_unref (check->msg);
  g_object_unref (check->hub);
  g_free (check->user);
  g_free (check);
}

/* Basic credentials; never logged, wiped after use. */
static gboolean
parse_basic (const char *header, char **user, char **password)
{
  g_autofree guchar *decoded = NULL;
  gsize length = 0;
  const char *colon;

  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0 || strlen (header) > 4096)
    return FALSE;

  decoded = g_base64_decode (header + 6, &length);
  if (decoded == NULL || length == 0 || memchr (decoded, '\0', length) != NULL)
    {
      if (decoded != NULL)
        memset (decoded, 0, length);
      return FALSE;
    }

  colon = memchr (decoded, ':', length);
  if (colon == NULL)
    {
      memset (decoded, 0, length);
      return FALSE;
    }

  *user = g_strndup ((const char *) decoded, colon - (const char *) decoded);
  *password = g_strndup (colon + 1, length - (colon + 1 - (const char *) decoded));
  memset (decoded, 0, length);

  return TRUE;
}

static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer user_data)
{
  DengonHub *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  AuthCheck *check;

  /* libsoup closes such a connection after the answer without saying so; clients that pool
   * connections (node-fetch with Node's keep-alive agent) would then reuse a dead one. */
  if (soup_message_headers_header_contains (headers, "Connection", "close"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                  "close");

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > DENGON_SYNC_MAX_BODY_BYTES)
    {
      set_early_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                       "The request body is too large.");
      return;
    }
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), NULL);

  if (!parse_basic (soup_message_headers_get_one (headers, "Authorization"), &user, &password))
    {
      set_early_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "Authentication required.");
      return;
    }

  if (dengon_hub_accounts_check_cached (self->accounts, user, password))
    {
      g_object_set_data_full (G_OBJECT (msg), REQUEST_USER_KEY, g_steal_pointer (&user), g_free);
      memset (password, 0, strlen (password));
      return;
    }

  /* The hash takes a while: the body waits until the person is known. */
  check = g_new0 (AuthCheck, 1);
  check->hub = g_object_ref (self);
  check->msg = g_object_ref (msg);
  check->user = g_strdup (user);
  check->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_auth_msg_gone), check);
  check->disconnected_id =
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_auth_msg_gone), check);
  soup_server_message_pause (msg);
  dengon_hub_accounts_verify_async (self->accounts, user, password, NULL, on_verified, check);
  memset (password, 0, strlen (password));
}

static void
on_request_aborted (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  g_debug ("Hub: %s %s aborted (status %u)", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)),
           soup_server_message_get_status (msg));
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_hub_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonHub *self = DENGON_HUB (object);

  switch (prop_id)
    {
      case PROP_LISTENING:
        g_value_set_boolean (value, dengon_hub_get_listening (self));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_hub_dispose (GObject *object)
{
  DengonHub *self = (DengonHub *) object;

  dengon_hub_stop (self);
  g_clear_signal_handler (&self->changed_id, self->store);

  G_OBJECT_CLASS (dengon_hub_parent_class)->dispose (object);
}

static void
dengon_hub_finalize (GObject *object)
{
  DengonHub *self = (DengonHub *) object;

  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->accounts);
  g_clear_object (&self->certificate);
  g_free (self->fingerprint);
  g_free (self->uuid);
  g_free (self->db_name);
  g_free (self->listen_address);

  G_OBJECT_CLASS (dengon_hub_parent_class)->finalize (object);
}

static void
dengon_hub_class_init (DengonHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dengon_hub_get_property;
  object_class->dispose = dengon_hub_dispose;
  object_class->finalize = dengon_hub_finalize;

  properties[PROP_LISTENING] =
      g_param_spec_boolean ("listening", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dengon_hub_init (DengonHub *self)
{
  self->feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) feed_free);
  self->db_name = g_strdup (DENGON_SYNC_DEFAULT_DB);
}

DengonHub *
dengon_hub_new (DengonStore *store, DengonHubAccounts *accounts, GTlsCertificate *certificate)
{
  DengonHub *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (DENGON_IS_HUB_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (DENGON_TYPE_HUB, NULL);
  self->store = g_object_ref (store);
  self->accounts = g_object_ref (accounts);
  self->certificate = g_object_ref (certificate);
  self->fingerprint = dengon_tls_certificate_get_fingerprint (certificate);

  /* CouchDB's server uuid: 32 hex digits, stable for this database. */
  {
    GString *hex = g_string_new (NULL);

    for (const char *p = dengon_store_get_uuid (store); *p; p++)
      {
        if (g_ascii_isxdigit (*p))
          g_string_append_c (hex, g_ascii_tolower (*p));
      }
    self->uuid = g_string_free (hex, FALSE);
  }

  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);

  return self;
}

gboolean
dengon_hub_listen (DengonHub *self, const char *address, guint port, GError **error)
{
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GError) local_error = NULL;
  GSList *listeners;
  gboolean ok;

  g_return_val_if_fail (DENGON_IS_HUB (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  server = soup_server_new ("tls-certificate", self->certificate, "raw-paths", TRUE,
                            "server-header", "Dengon/" PACKAGE_VERSION, NULL);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_request_aborted), NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, handle_request, self, NULL);

  if (address == NULL || *address == '\0')
    ok = soup_server_listen_all (server, port, SOUP_SERVER_LISTEN_HTTPS, &local_error);
  else
    {
      g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
      g_autoptr (GSocketAddress) socket_address = NULL;

      if (inet == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not an IP address."), address);
          return FALSE;
        }
      socket_address = g_inet_socket_address_new (inet, port);
      ok = soup_server_listen (server, socket_address, SOUP_SERVER_LISTEN_HTTPS, &local_error);
    }

  if (!ok)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _ ("The hub cannot listen on port %u: %s"), port, local_error->message);
      return FALSE;
    }

  listeners = soup_server_get_listeners (server);
  self->port = port;
  if (listeners != NULL)
    {
      g_autoptr (GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);

  g_free (self->listen_address);
  self->listen_address = g_strdup (address);
  self->server = g_steal_pointer (&server);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_message ("Hub listening on port %u (certificate %s)", self->port, self->fingerprint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);

  return TRUE;
}

void
dengon_hub_stop (DengonHub *self)
{
  g_return_if_fail (DENGON_IS_HUB (self));

  if (self->server == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  soup_server_disconnect (self->server);
  g_ptr_array_set_size (self->feeds, 0);
  g_clear_object (&self->server);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
}

gboolean
dengon_hub_get_listening (DengonHub *self)
{
  g_return_val_if_fail (DENGON_IS_HUB (self), FALSE);

  return self->server != NULL;
}

guint
dengon_hub_get_port (DengonHub *self)
{
  g_return_val_if_fail (DENGON_IS_HUB (self), 0);

  return self->port;
}

DengonStore *
dengon_hub_get_store (DengonHub *self)
{
  g_return_val_if_fail (DENGON_IS_HUB (self), NULL);

  return self->store;
}

const char *
dengon_hub_get_db_name (DengonHub *self)
{
  g_return_val_if_fail (DENGON_IS_HUB (self), NULL);

  return self->db_name;
}

const char *
dengon_hub_get_fingerprint (DengonHub *self)
{
  g_return_val_if_fail (DENGON_IS_HUB (self), NULL);

  return self->fingerprint;
}

GStrv
dengon_hub_get_urls (DengonHub *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  struct ifaddrs *addrs = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (DENGON_IS_HUB (self), NULL);

  if (self->listen_address != NULL && *self->listen_address != '\0' &&
      !g_str_equal (self->listen_address, "0.0.0.0") && !g_str_equal (self->listen_address, "::"))
    {
      gboolean v6 = strchr (self->listen_address, ':') != NULL;
      g_autofree char *url =
          g_strdup_printf ("https://%s%s%s:%u/%s", v6 ? "[" : "", self->listen_address,
                           v6 ? "]" : "", self->port, self->db_name);

      g_strv_builder_add (builder, url);
      return g_strv_builder_end (builder);
    }

  if (getifaddrs (&addrs) == 0)
    {
      for (struct ifaddrs *a = addrs; a != NULL; a = a->ifa_next)
        {
          char text[INET_ADDRSTRLEN];
          g_autofree char *url = NULL;

          if (a->ifa_addr == NULL || a->ifa_addr->sa_family != AF_INET ||
              (a->ifa_flags & IFF_LOOPBACK) || !(a->ifa_flags & IFF_UP))
            continue;
          if (inet_ntop (AF_INET, &((struct sockaddr_in *) a->ifa_addr)->sin_addr, text,
                         sizeof text) == NULL)
            continue;
          url = g_strdup_printf ("https://%s:%u/%s", text, self->port, self->db_name);
          g_strv_builder_add (builder, url);
        }
      freeifaddrs (addrs);
    }

  host = g_strdup_printf ("https://%s:%u/%s", g_get_host_name (), self->port, self->db_name);
  g_strv_builder_add (builder, host);

  return g_strv_builder_end (builder);
}
