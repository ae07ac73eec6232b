/* dengon-replicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-replicator.h"
#include "dengon-sync-common.h"
#include "dengon-sync-enums.h"

#define DEFAULT_BATCH_SIZE     500
#define DEFAULT_RETRY_DELAY_MS 1000
#define MAX_RETRY_DELAY_MS     (5 * 60 * 1000)
#define HEARTBEAT_MS           10000
#define HISTORY_LENGTH         5
#define OPEN_REVS_IN_FLIGHT    4

typedef struct _Leg Leg;
typedef struct _PullBatch PullBatch;

struct _Leg
{
  DengonReplicator *self; /* unowned: the leg is part of it */
  gboolean push;
  gboolean enabled;

  char *rep_id;     /* the checkpoint's _local id, without "_local/" */
  char *session_id; /* this run */
  JsonNode *since;  /* the source's sequence: opaque for a remote source */
  JsonArray *history;
  char *remote_rev;          /* _rev of the remote checkpoint */
  gboolean remote_read_only; /* the source refused our checkpoint: fine */
  gboolean started;          /* checkpoints read */
  gboolean running;          /* push: a batch is under way */
  gboolean caught_up;
  gboolean wanted; /* push: the store changed while a batch ran */
  guint64 pending;

  /* Pull pipeline */
  JsonNode *fetch_since;    /* where the next fetch starts */
  gboolean fetch_caught_up; /* the last page fetched was short */
  PullBatch *fetching;
  PullBatch *fetched;
  PullBatch *writing;
  /* The source's checkpoint goes out beside the writer, the latest one at a time. */
  gboolean source_checkpoint_busy;
  JsonNode *source_checkpoint_next;
};

struct _DengonReplicator
{
  GObject parent_instance;

  /* Owned */
  DengonStore *store;
  DengonCouchClient *client;
  GCancellable *cancellable; /* of the current attempt */
  GTask *run_task;           /* one-shot */
  GError *error;
  GNetworkMonitor *monitor;
  char *remote_uuid;
  char *pull_start;

  DengonReplicatorDirection directions;
  guint batch_size;
  guint retry_delay_ms;
  gboolean retry;
  gboolean continuous;
  gboolean active;
  gboolean no_bulk_get;

  DengonReplicatorState state;
  Leg push;
  Leg pull;

  guint attempt; /* failures in a row */
  guint retry_source;
  guint push_idle;
  gulong changed_id;
  gulong network_id;

  gint64 last_success;
  guint64 docs_read;
  guint64 docs_written;
  guint64 doc_write_failures;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_SUCCESS,
  PROP_ERROR,
  PROP_DOCS_WRITTEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DengonReplicator, dengon_replicator, G_TYPE_OBJECT)

static void attempt_start (DengonReplicator *self);
static void leg_next (Leg *leg);
static void pull_next (Leg *leg);
static void pull_batch_free (PullBatch *batch);
static void push_next (Leg *leg);

/* ------------------------------------------------------------------ state */

static void
set_state (DengonReplicator *self, DengonReplicatorState state)
{
  if (self->state == state)
    return;

  g_debug ("Replicator %s: state %d -> %d", dengon_couch_client_get_server (self->client),
           self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
update_pending (DengonReplicator *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
set_error (DengonReplicator *self, const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static gboolean
leg_is_push (Leg *leg)
{
  return leg->push;
}

static const char *
leg_name (Leg *leg)
{
  return leg_is_push (leg) ? "push" : "pull";
}

static void
leg_reset (Leg *leg)
{
  g_clear_pointer (&leg->rep_id, g_free);
  g_clear_pointer (&leg->session_id, g_free);
  g_clear_pointer (&leg->since, json_node_unref);
  g_clear_pointer (&leg->history, json_array_unref);
  g_clear_pointer (&leg->remote_rev, g_free);
  leg->remote_read_only = FALSE;
  g_clear_pointer (&leg->fetch_since, json_node_unref);
  leg->fetch_caught_up = FALSE;
  g_clear_pointer (&leg->fetching, pull_batch_free);
  g_clear_pointer (&leg->fetched, pull_batch_free);
  g_clear_pointer (&leg->writing, pull_batch_free);
  leg->source_checkpoint_busy = FALSE;
  g_clear_pointer (&leg->source_checkpoint_next, json_node_unref);
  leg->started = FALSE;
  leg->running = FALSE;
  leg->caught_up = FALSE;
  leg->wanted = FALSE;
}

/* ------------------------------------------------------------------ attempts, failures, retries */

static gboolean
error_is_transient (const GError *error)
{
  return g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNREACHABLE) ||
         g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_OFFLINE) ||
         g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_SERVER) ||
         g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_PROTOCOL);
}

static void
complete_run (DengonReplicator *self, const GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->run_task);

  if (task == NULL)
    return;

  self->active = FALSE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_retry (gpointer data)
{
  DengonReplicator *self = data;

  self->retry_source = 0;
  attempt_start (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry (DengonReplicator *self)
{
  guint64 delay = self->retry_delay_ms;

  for (guint i = 0; i < self->attempt && delay < MAX_RETRY_DELAY_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_RETRY_DELAY_MS);
  /* Jitter: desks that lost the hub together do not all come back at once. */
  delay = delay / 2 + g_random_int_range (0, (gint32) MAX (delay, 2));
  self->attempt++;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (delay, on_retry, self);
  g_debug ("Replicator: trying again in %" G_GUINT64_FORMAT " ms", delay);
}

static void
attempt_cancel (DengonReplicator *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->push_idle, g_source_remove);
  leg_reset (&self->push);
  leg_reset (&self->pull);
}

/* Takes @error. */
static void
attempt_fail (DengonReplicator *self, GError *error)
{
  g_autoptr (GError) owned = error;
  gboolean offline;

  g_message ("Sync with %s%s failed: %s", dengon_couch_client_get_server (self->client),
             dengon_couch_client_get_db (self->client), error->message);

  attempt_cancel (self);

  offline = g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNREACHABLE) &&
            !g_network_monitor_get_network_available (self->monitor);
  if (offline)
    {
      g_autoptr (GError) words =
          g_error_new_literal (DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_OFFLINE,
                               _ ("This computer is not connected to a network."));

      set_error (self, words);
      set_state (self, DENGON_REPLICATOR_STATE_OFFLINE);
    }
  else
    {
      set_error (self, error);
      set_state (self, DENGON_REPLICATOR_STATE_ERROR);
    }

  if (!self->active)
    return;

  if (self->continuous || (self->retry && error_is_transient (error)))
    schedule_retry (self);
  else
    complete_run (self, error);
}

static void
leg_fail (Leg *leg, GError *error)
{
  DengonReplicator *self = leg->self;

  g_prefix_error (&error, "%s: ", leg_name (leg));
  attempt_fail (self, error);
}

static void
check_caught_up (DengonReplicator *self)
{
  if ((self->push.enabled && !self->push.caught_up) ||
      (self->pull.enabled && !self->pull.caught_up))
    return;

  self->attempt = 0;
  self->last_success = g_get_real_time ();
  set_error (self, NULL);
  set_state (self, DENGON_REPLICATOR_STATE_SYNCED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);

  if (!self->continuous)
    {
      attempt_cancel (self);
      complete_run (self, NULL);
    }
}

/* ------------------------------------------------------------------ async plumbing */

typedef void (*ResponseFunc) (Leg *leg, GBytes *body, guint status, gpointer data);
typedef void (*WorkFunc) (Leg *leg, gpointer result, gpointer data);

typedef struct
{
  DengonReplicator *self;
  GCancellable *cancellable;
  Leg *leg;
  ResponseFunc response_func;
  WorkFunc work_func;
  gpointer data;
  GDestroyNotify data_free;
} Op;

static Op *
op_new (Leg *leg, gpointer data, GDestroyNotify data_free)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (leg->self);
  op->cancellable = g_object_ref (leg->self->cancellable);
  op->leg = leg;
  op->data = data;
  op->data_free = data_free;

  return op;
}

static void
op_free (Op *op)
{
  if (op->data_free != NULL && op->data != NULL)
    op->data_free (op->data);
  g_object_unref (op->cancellable);
  g_object_unref (op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

static void
on_response (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Op) op = data;
  g_autoptr (GBytes) body = NULL;
  GError *error = NULL;
  guint status = 0;

  body = dengon_couch_client_request_finish (DENGON_COUCH_CLIENT (source), result, &status, &error);
  if (g_cancellable_is_cancelled (op->cancellable))
    {
      g_clear_error (&error);
      return;
    }

  if (body == NULL)
    {
      leg_fail (op->leg, error);
      return;
    }

  op->response_func (op->leg, body, status, op->data);
}

static void
leg_request (Leg *leg, const char *method, const char *path, GBytes *body, ResponseFunc func,
             gpointer data, GDestroyNotify data_free)
{
  DengonReplicator *self = leg->self;
  Op *op = op_new (leg, data, data_free);

  op->response_func = func;
  dengon_couch_client_request_async (self->client, method, path, body, self->cancellable,
                                     on_response, op);
}

static void
on_work_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Op) op = data;
  GError *error = NULL;
  gpointer out = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (g_cancellable_is_cancelled (op->cancellable))
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    {
      if (error->domain != DENGON_SYNC_ERROR)
        {
          GError *local =
              g_error_new (DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_LOCAL, "%s", error->message);

          g_error_free (error);
          error = local;
        }
      leg_fail (op->leg, error);
      return;
    }

  op->work_func (op->leg, out, op->data);
}

/* Runs @func on a worker thread with the store; @done gets its result (owned) on the main
 * context. */
static void
leg_work (Leg *leg, DengonStoreThreadFunc func, gpointer input, GDestroyNotify input_free,
          GDestroyNotify result_free, WorkFunc done, gpointer data, GDestroyNotify data_free)
{
  DengonReplicator *self = leg->self;
  Op *op = op_new (leg, data, data_free);

  op->work_func = done;
  /* Background work: a ring's lookup and the rows on screen go first. */
  dengon_store_run_async_full (self->store, G_PRIORITY_LOW, func, input, input_free, result_free,
                               self->cancellable, on_work_done, op);
}

static JsonObject *
parse_object_bytes (GBytes *bytes, const char *what, GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autoptr (GError) local_error = NULL;
  JsonObject *object;

  object = dengon_json_parse_object (data, size, dengon_sync_json_limits (), &local_error);
  if (object == NULL)
    g_set_error (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_PROTOCOL,
                 _ ("The server’s answer to %s cannot be read: %s"), what, local_error->message);

  return object;
}

static GBytes *
object_to_bytes (JsonObject *object)
{
  char *text = dengon_json_object_to_string (object);

  return g_bytes_new_take (text, strlen (text));
}

static GError *
http_error (guint status, GBytes *body, const char *what)
{
  GError *error = NULL;

  dengon_sync_set_http_error (&error, status, body, what);
  return error;
}

/* ------------------------------------------------------------------ checkpoints */

static JsonObject *
checkpoint_doc (Leg *leg, JsonNode *last_seq)
{
  JsonObject *doc = json_object_new ();
  JsonArray *history = json_array_new ();
  JsonObject *entry = json_object_new ();

  json_object_set_member (entry, "last_seq", json_node_copy (last_seq));
  json_object_set_string_member (entry, "session_id", leg->session_id);
  json_array_add_object_element (history, entry);
  for (guint i = 0; leg->history != NULL && i < json_array_get_length (leg->history) &&
                    json_array_get_length (history) < HISTORY_LENGTH;
       i++)
    {
      JsonNode *old = json_array_get_element (leg->history, i);
      JsonObject *old_entry = JSON_NODE_HOLDS_OBJECT (old) ? json_node_get_object (old) : NULL;

      if (g_strcmp0 (dengon_json_get_string (old_entry, "session_id"), leg->session_id) != 0)
        json_array_add_element (history, json_node_copy (old));
    }

  json_object_set_string_member (doc, "session_id", leg->session_id);
  json_object_set_array_member (doc, "history", history);
  json_object_set_string_member (doc, "replicator", "dengon");
  json_object_set_int_member (doc, "version", 1);
  json_object_set_member (doc, "last_seq", json_node_copy (last_seq));

  return doc;
}

/* CouchDB's rule: the same session on both sides, or else the newest session both remember;
 * the source's sequence (written last) is the safe one. NULL: start from the beginning. */
static JsonNode *
compare_checkpoints (JsonObject *source, JsonObject *target, JsonArray **history_out)
{
  JsonArray *source_history, *target_history;

  *history_out = NULL;
  if (source == NULL || target == NULL)
    return NULL;

  source_history = dengon_json_get_array (source, "history");
  target_history = dengon_json_get_array (target, "history");
  if (source_history != NULL)
    *history_out = json_array_ref (source_history);

  if (dengon_json_get_string (source, "session_id") != NULL &&
      g_strcmp0 (dengon_json_get_string (source, "session_id"),
                 dengon_json_get_string (target, "session_id")) == 0 &&
      json_object_has_member (source, "last_seq"))
    return json_node_copy (json_object_get_member (source, "last_seq"));

  for (guint i = 0; source_history != NULL && i < json_array_get_length (source_history); i++)
    {
      JsonNode *node = json_array_get_element (source_history, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *session = dengon_json_get_string (entry, "session_id");

      if (session == NULL || !json_object_has_member (entry, "last_seq"))
        continue;

      for (guint j = 0; target_history != NULL && j < json_array_get_length (target_history); j++)
        {
          JsonNode *other = json_array_get_element (target_history, j);
          JsonObject *other_entry =
              JSON_NODE_HOLDS_OBJECT (other) ? json_node_get_object (other) : NULL;

          if (g_strcmp0 (dengon_json_get_string (other_entry, "session_id"), session) == 0)
            return json_node_copy (json_object_get_member (entry, "last_seq"));
        }
    }

  return NULL;
}

typedef struct
{
  char *id;
  JsonObject *doc;
} LocalWrite;

static void
local_write_free (LocalWrite *write)
{
  g_free (write->id);
  g_clear_pointer (&write->doc, json_object_unref);
  g_free (write);
}

static gpointer
put_local_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  LocalWrite *write = data;

  return dengon_store_put_local (store, write->id, write->doc, error);
}

static gpointer
get_local_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  JsonObject *doc = dengon_store_get_local (store, data, &local_error);

  if (doc == NULL &&
      !g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));

  /* Not there: an empty object (NULL would read as an error). */
  return doc != NULL ? doc : json_object_new ();
}

/* Writes the remote checkpoint (the source's for a pull, the target's for a push), then calls
 * @then. */
typedef struct
{
  JsonObject *doc;
  gboolean retried;
  void (*then) (Leg *leg);
} RemoteCheckpoint;

static void
remote_checkpoint_free (RemoteCheckpoint *rc)
{
  json_object_unref (rc->doc);
  g_free (rc);
}

static void remote_checkpoint_put (Leg *leg, RemoteCheckpoint *rc);

static void
on_remote_checkpoint_reread (Leg *leg, GBytes *body, guint status, gpointer data)
{
  RemoteCheckpoint *rc = data;
  g_autoptr (JsonObject) doc = NULL;

  g_clear_pointer (&leg->remote_rev, g_free);
  if (status == 200)
    {
      doc = parse_object_bytes (body, "_local", NULL);
      leg->remote_rev = g_strdup (dengon_json_get_string (doc, "_rev"));
    }

  remote_checkpoint_put (leg, g_steal_pointer (&rc));
  /* The Op no longer owns it. */
}

static void
on_remote_checkpoint_put (Leg *leg, GBytes *body, guint status, gpointer data)
{
  RemoteCheckpoint *rc = data;
  g_autofree char *path = NULL;
  g_autoptr (JsonObject) answer = NULL;
  void (*then) (Leg *) = rc->then;

  if (status == 200 || status == 201 || status == 202)
    {
      answer = parse_object_bytes (body, "_local", NULL);
      g_free (leg->remote_rev);
      leg->remote_rev = g_strdup (dengon_json_get_string (answer, "rev"));
      remote_checkpoint_free (rc);
      then (leg);
      return;
    }

  if (status == 409 && !rc->retried)
    {
      rc->retried = TRUE;
      path = g_strconcat ("_local/", leg->rep_id, NULL);
      leg_request (leg, "GET", path, NULL, on_remote_checkpoint_reread, rc, NULL);
      return;
    }

  /* A source that does not let us write (read-only access) is fine, as for PouchDB. */
  if (!leg_is_push (leg) && (status == 401 || status == 403))
    {
      leg->remote_read_only = TRUE;
      remote_checkpoint_free (rc);
      then (leg);
      return;
    }

  remote_checkpoint_free (rc);
  leg_fail (leg, http_error (status, body, "checkpoint"));
}

static void
remote_checkpoint_put (Leg *leg, RemoteCheckpoint *rc)
{
  g_autofree char *path = g_strconcat ("_local/", leg->rep_id, NULL);
  g_autofree char *id = g_strconcat ("_local/", leg->rep_id, NULL);
  g_autoptr (GBytes) body = NULL;

  json_object_set_string_member (rc->doc, "_id", id);
  if (leg->remote_rev != NULL)
    json_object_set_string_member (rc->doc, "_rev", leg->remote_rev);
  else
    json_object_remove_member (rc->doc, "_rev");
  body = object_to_bytes (rc->doc);

  leg_request (leg, "PUT", path, body, on_remote_checkpoint_put, rc, NULL);
}

static void
write_remote_checkpoint (Leg *leg, JsonNode *last_seq, void (*then) (Leg *leg))
{
  RemoteCheckpoint *rc;

  if (leg->remote_read_only)
    {
      then (leg);
      return;
    }

  rc = g_new0 (RemoteCheckpoint, 1);
  rc->doc = checkpoint_doc (leg, last_seq);
  rc->then = then;
  remote_checkpoint_put (leg, rc);
}

/* ------------------------------------------------------------------ starting a leg */

typedef struct
{
  JsonObject *remote; /* NULL: none */
} LegStart;

static void
leg_start_free (LegStart *start)
{
  g_clear_pointer (&start->remote, json_object_unref);
  g_free (start);
}

static void
on_local_checkpoint (Leg *leg, gpointer result, gpointer data)
{
  DengonReplicator *self = leg->self;
  g_autoptr (JsonObject) local = result;
  LegStart *start = data;
  JsonObject *source, *target;
  JsonArray *history = NULL;
  JsonNode *since;

  if (json_object_get_size (local) == 0)
    g_clear_pointer (&local, json_object_unref);

  source = leg_is_push (leg) ? local : start->remote;
  target = leg_is_push (leg) ? start->remote : local;
  since = compare_checkpoints (source, target, &history);

  leg->history = history;
  leg->since = since != NULL ? since : json_node_init_int (json_node_alloc (), 0);
  /* A local sequence must be a number: anything else starts over. */
  if (leg_is_push (leg) && (!JSON_NODE_HOLDS_VALUE (leg->since) ||
                            json_node_get_value_type (leg->since) != G_TYPE_INT64))
    {
      json_node_unref (leg->since);
      leg->since = json_node_init_int (json_node_alloc (), 0);
    }
  leg->started = TRUE;

  if (!leg_is_push (leg))
    {
      g_free (self->pull_start);
      self->pull_start = dengon_json_to_string (leg->since);
    }

  g_debug ("Replicator %s: starting from %s", leg_name (leg),
           leg_is_push (leg) ? "local checkpoint" : self->pull_start);
  leg_next (leg);
}

static void
on_remote_checkpoint (Leg *leg, GBytes *body, guint status, gpointer data)
{
  LegStart *start = g_new0 (LegStart, 1);
  GError *error = NULL;

  if (status == 200)
    {
      start->remote = parse_object_bytes (body, "_local", &error);
      if (start->remote == NULL)
        {
          leg_start_free (start);
          leg_fail (leg, error);
          return;
        }
      leg->remote_rev = g_strdup (dengon_json_get_string (start->remote, "_rev"));
    }
  else if (status != 404)
    {
      leg_start_free (start);
      leg_fail (leg, http_error (status, body, "checkpoint"));
      return;
    }

  leg_work (leg, get_local_thread, g_strdup (leg->rep_id), g_free,
            (GDestroyNotify) json_object_unref, on_local_checkpoint, start,
            (GDestroyNotify) leg_start_free);
}

static void
leg_begin (Leg *leg)
{
  DengonReplicator *self = leg->self;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;

  if (!leg->enabled)
    {
      leg->caught_up = TRUE;
      return;
    }

  /* The checkpoint's name: this store, that database, this direction. */
  key = g_strdup_printf ("%s\n%s\n%s%s\n%s", dengon_store_get_uuid (self->store),
                         self->remote_uuid ? self->remote_uuid : "",
                         dengon_couch_client_get_server (self->client),
                         dengon_couch_client_get_db (self->client), leg_name (leg));
  leg->rep_id = g_strdup_printf ("dengon-%s-%s", leg_name (leg),
                                 g_compute_checksum_for_string (G_CHECKSUM_MD5, key, -1));
  leg->session_id = g_uuid_string_random ();
  leg->caught_up = FALSE;

  path = g_strconcat ("_local/", leg->rep_id, NULL);
  leg_request (leg, "GET", path, NULL, on_remote_checkpoint, NULL, NULL);
}

static void
leg_next (Leg *leg)
{
  if (leg_is_push (leg))
    push_next (leg);
  else
    pull_next (leg);
}

/* ------------------------------------------------------------------ pull */

typedef struct
{
  JsonNode *last_seq;
  guint n_results;
  gint64 pending;
  GBytes *bulk_get;     /* NULL: nothing is missing */
  GPtrArray *open_revs; /* "id?open_revs=…" paths, for servers without _bulk_get */
  guint n_missing;
} PullPlan;

static void
pull_plan_free (PullPlan *plan)
{
  g_clear_pointer (&plan->last_seq, json_node_unref);
  g_clear_pointer (&plan->bulk_get, g_bytes_unref);
  g_clear_pointer (&plan->open_revs, g_ptr_array_unref);
  g_free (plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PullPlan, pull_plan_free)

static gpointer
pull_plan_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  GBytes *changes = data;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (JsonObject) request = json_object_new ();
  g_autoptr (JsonObject) diff = NULL;
  g_autoptr (JsonObject) bulk = json_object_new ();
  g_autoptr (PullPlan) plan = g_new0 (PullPlan, 1);
  g_autoptr (GList) ids = NULL;
  JsonArray *results, *docs;
  JsonNode *last = NULL;

  answer = parse_object_bytes (changes, "_changes", error);
  if (answer == NULL)
    return NULL;

  results = dengon_json_get_array (answer, "results");
  if (results == NULL)
    {
      g_set_error (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_PROTOCOL,
                   _ ("The server’s changes feed has no results."));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = dengon_json_get_string (row, "id");
      JsonArray *changes_array = dengon_json_get_array (row, "changes");
      JsonArray *revs;

      if (id == NULL || changes_array == NULL)
        {
          g_set_error (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_PROTOCOL,
                       _ ("The server’s changes feed has an entry without an id."));
          return NULL;
        }
      if (json_object_has_member (row, "seq"))
        last = json_object_get_member (row, "seq");

      /* Local documents never come this way; design documents are not ours. */
      if (id[0] == '_')
        continue;

      revs = dengon_json_get_array (request, id);
      if (revs == NULL)
        {
          revs = json_array_new ();
          json_object_set_array_member (request, id, revs);
        }
      for (guint j = 0; j < json_array_get_length (changes_array); j++)
        {
          JsonNode *change = json_array_get_element (changes_array, j);
          const char *rev = JSON_NODE_HOLDS_OBJECT (change)
                                ? dengon_json_get_string (json_node_get_object (change), "rev")
                                : NULL;

          if (rev != NULL)
            json_array_add_string_element (revs, rev);
        }
    }

  plan->n_results = json_array_get_length (results);
  if (json_object_has_member (answer, "last_seq"))
    last = json_object_get_member (answer, "last_seq");
  plan->last_seq = last != NULL ? json_node_copy (last) : NULL;
  plan->pending = dengon_json_get_int (answer, "pending", -1);

  if (json_object_get_size (request) == 0)
    return g_steal_pointer (&plan);

  diff = dengon_store_revs_diff (store, request, error);
  if (diff == NULL)
    return NULL;

  docs = json_array_new ();
  json_object_set_array_member (bulk, "docs", docs);
  plan->open_revs = g_ptr_array_new_with_free_func (g_free);
  ids = json_object_get_members (diff);
  for (GList *l = ids; l; l = l->next)
    {
      JsonArray *missing =
          dengon_json_get_array (dengon_json_get_object (diff, l->data), "missing");
      g_autofree char *escaped = NULL;
      g_autofree char *list = NULL;
      g_autofree char *list_escaped = NULL;
      JsonNode *list_node;

      if (missing == NULL || json_array_get_length (missing) == 0)
        continue;

      for (guint j = 0; j < json_array_get_length (missing); j++)
        {
          JsonObject *entry = json_object_new ();

          json_object_set_string_member (entry, "id", l->data);
          json_object_set_string_member (entry, "rev", json_array_get_string_element (missing, j));
          json_array_add_object_element (docs, entry);
          plan->n_missing++;
        }

      list_node = json_node_init_array (json_node_alloc (), missing);
      list = dengon_json_to_string (list_node);
      json_node_unref (list_node);
      escaped = dengon_sync_escape_doc_id (l->data);
      list_escaped = g_uri_escape_string (list, NULL, FALSE);
      g_ptr_array_add (plan->open_revs, g_strdup_printf ("%s?revs=true&latest=true&open_revs=%s",
                                                         escaped, list_escaped));
    }

  if (plan->n_missing > 0)
    plan->bulk_get = object_to_bytes (bulk);

  return g_steal_pointer (&plan);
}

typedef struct
{
  GPtrArray *docs; /* JsonObject */
  char *checkpoint_id;
  JsonObject *checkpoint; /* the target's (ours), written after the documents */
} PullWrite;

static void
pull_write_free (PullWrite *write)
{
  g_clear_pointer (&write->docs, g_ptr_array_unref);
  g_free (write->checkpoint_id);
  g_clear_pointer (&write->checkpoint, json_object_unref);
  g_free (write);
}

typedef struct
{
  guint n_read;
  guint n_written;
  guint n_failed;
} PullResult;

/* One {"ok": doc} | {"error": …} | {"missing": rev} | {} entry. */
static gboolean
take_doc_entry (JsonNode *node, GPtrArray *docs, GError **error)
{
  JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *doc = dengon_json_get_object (entry, "ok");
  JsonObject *failure = dengon_json_get_object (entry, "error");

  if (doc != NULL)
    {
      g_ptr_array_add (docs, json_object_ref (doc));
      return TRUE;
    }

  if (failure != NULL && g_strcmp0 (dengon_json_get_string (failure, "error"), "not_found") != 0)
    {
      g_set_error (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_PROTOCOL,
                   _ ("The server could not give document “%s”: %s"),
                   dengon_json_get_string (failure, "id"),
                   dengon_json_get_string (failure, "reason"));
      return FALSE;
    }

  /* Gone since the changes were read: the next batch has its newer revision. */
  return TRUE;
}

typedef struct
{
  GPtrArray *bodies;
  gboolean bulk_get;
} DocsQuery;

static void
docs_query_free (DocsQuery *query)
{
  g_ptr_array_unref (query->bodies);
  g_free (query);
}

/* The fetch stage reads the documents out of the answers, so that the writer only writes. */
static gpointer
parse_docs_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  DocsQuery *query = data;
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < query->bodies->len; i++)
    {
      GBytes *bytes = g_ptr_array_index (query->bodies, i);

      if (query->bulk_get)
        {
          g_autoptr (JsonObject) answer = parse_object_bytes (bytes, "_bulk_get", error);
          JsonArray *results = dengon_json_get_array (answer, "results");

          if (answer == NULL)
            return NULL;
          for (guint j = 0; results != NULL && j < json_array_get_length (results); j++)
            {
              JsonObject *result_entry = json_array_get_object_element (results, j);
              JsonArray *entries = dengon_json_get_array (result_entry, "docs");

              for (guint k = 0; entries != NULL && k < json_array_get_length (entries); k++)
                {
                  if (!take_doc_entry (json_array_get_element (entries, k), docs, error))
                    return NULL;
                }
            }
        }
      else
        {
          gsize size;
          const char *text = g_bytes_get_data (bytes, &size);
          g_autoptr (GError) local_error = NULL;
          g_autoptr (JsonNode) node =
              dengon_json_parse (text, size, dengon_sync_json_limits (), &local_error);

          if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
            {
              g_set_error (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_PROTOCOL,
                           _ ("The server’s answer to open_revs cannot be read: %s"),
                           local_error ? local_error->message : "not a list");
              return NULL;
            }
          for (guint k = 0; k < json_array_get_length (json_node_get_array (node)); k++)
            {
              if (!take_doc_entry (json_array_get_element (json_node_get_array (node), k), docs,
                                   error))
                return NULL;
            }
        }
    }

  return g_steal_pointer (&docs);
}

static gpointer
pull_write_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  PullWrite *write = data;
  GPtrArray *docs = write->docs;
  g_autoptr (GPtrArray) failures = NULL;
  PullResult *result;

  if (docs->len > 0 && !dengon_store_put_replicated (store, docs, &failures, error))
    return NULL;

  for (guint i = 0; failures != NULL && i < failures->len; i++)
    g_warning ("Sync: document “%s” not stored: %s",
               dengon_json_get_string (g_ptr_array_index (failures, i), "id"),
               dengon_json_get_string (g_ptr_array_index (failures, i), "reason"));

  /* The documents first, then where we are: a crash in between repeats a batch, never skips. */
  if (write->checkpoint != NULL)
    {
      g_autofree char *rev =
          dengon_store_put_local (store, write->checkpoint_id, write->checkpoint, error);

      if (rev == NULL)
        return NULL;
    }

  result = g_new0 (PullResult, 1);
  result->n_read = docs->len;
  result->n_failed = failures ? failures->len : 0;
  result->n_written = docs->len - result->n_failed;

  return result;
}

/* Pulling is a pipeline of two stages: the next batch is fetched (changes, revs_diff, _bulk_get)
 * while the one before is written (the store, then the checkpoints), so the server and this desk
 * work at the same time. At most one fetched batch waits. Batches are written in order, and a
 * checkpoint is written only after its batch. */
struct _PullBatch
{
  PullPlan *plan;
  GPtrArray *bodies; /* GBytes: one _bulk_get answer, or open_revs answers */
  GPtrArray *docs;   /* read out of them */
  guint next;
  guint in_flight;
  gboolean bulk_get;
  gboolean longpoll; /* a wait for news, not a page that is due */
};

static void
pull_batch_free (PullBatch *batch)
{
  if (batch == NULL)
    return;

  g_clear_pointer (&batch->plan, pull_plan_free);
  g_clear_pointer (&batch->bodies, g_ptr_array_unref);
  g_clear_pointer (&batch->docs, g_ptr_array_unref);
  g_free (batch);
}

static void pull_write_next (Leg *leg);

/* Caught up: the last page was short, everything fetched is written, and nothing but a wait for
 * news is under way. */
static void
pull_check_idle (Leg *leg)
{
  if (leg->fetch_caught_up && leg->fetched == NULL && leg->writing == NULL &&
      (leg->fetching == NULL || leg->fetching->longpoll) && !leg->source_checkpoint_busy &&
      leg->source_checkpoint_next == NULL)
    {
      leg->caught_up = TRUE;
      leg->pending = 0;
      update_pending (leg->self);
      check_caught_up (leg->self);
    }
}

static void
pull_written (Leg *leg)
{
  DengonReplicator *self = leg->self;
  PullBatch *batch = g_steal_pointer (&leg->writing);

  g_clear_pointer (&leg->since, json_node_unref);
  leg->since = json_node_copy (batch->plan->last_seq);
  pull_batch_free (batch);
  self->attempt = 0;

  pull_write_next (leg);
  pull_next (leg);
  pull_check_idle (leg);
}

static void source_checkpoint (Leg *leg, JsonNode *last_seq);

static void
on_source_checkpointed (Leg *leg)
{
  g_autoptr (JsonNode) next = g_steal_pointer (&leg->source_checkpoint_next);

  leg->source_checkpoint_busy = FALSE;
  if (next != NULL)
    source_checkpoint (leg, next);
  else
    pull_check_idle (leg);
}

/* The source (the server) learns where we are; the writer does not wait for it. */
static void
source_checkpoint (Leg *leg, JsonNode *last_seq)
{
  if (leg->source_checkpoint_busy)
    {
      g_clear_pointer (&leg->source_checkpoint_next, json_node_unref);
      leg->source_checkpoint_next = json_node_copy (last_seq);
      return;
    }

  leg->source_checkpoint_busy = TRUE;
  write_remote_checkpoint (leg, last_seq, on_source_checkpointed);
}

static void
on_pull_written (Leg *leg, gpointer result, gpointer data)
{
  DengonReplicator *self = leg->self;
  g_autofree PullResult *written = result;

  self->docs_read += written->n_read;
  self->docs_written += written->n_written;
  self->doc_write_failures += written->n_failed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCS_WRITTEN]);

  source_checkpoint (leg, leg->writing->plan->last_seq);
  pull_written (leg);
}

static void
pull_write_next (Leg *leg)
{
  PullBatch *batch;
  PullWrite *write;

  if (leg->writing != NULL || leg->fetched == NULL)
    return;

  batch = leg->writing = g_steal_pointer (&leg->fetched);

  if (batch->docs == NULL && json_node_equal (batch->plan->last_seq, leg->since))
    {
      /* Nothing new at all. */
      pull_written (leg);
      return;
    }

  /* Documents (if any), then where we are: a crash in between repeats a batch, never skips one;
   * a page with nothing missing still moves the checkpoint on. */
  write = g_new0 (PullWrite, 1);
  write->docs = batch->docs ? g_ptr_array_ref (batch->docs)
                            : g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  write->checkpoint_id = g_strdup (leg->rep_id);
  write->checkpoint = checkpoint_doc (leg, batch->plan->last_seq);
  leg_work (leg, pull_write_thread, write, (GDestroyNotify) pull_write_free, g_free,
            on_pull_written, NULL, NULL);
}

static void
on_docs_parsed (Leg *leg, gpointer result, gpointer data)
{
  PullBatch *batch = g_steal_pointer (&leg->fetching);

  batch->docs = result;
  g_clear_pointer (&batch->bodies, g_ptr_array_unref);
  g_assert (leg->fetched == NULL);
  leg->fetched = batch;
  pull_write_next (leg);
  pull_next (leg);
}

/* The fetch of leg->fetching is complete: its documents are read out, then it waits for the
 * writer. */
static void
pull_fetched (Leg *leg)
{
  PullBatch *batch = leg->fetching;
  DocsQuery *query;

  if (batch->bodies == NULL)
    {
      on_docs_parsed (leg, NULL, NULL);
      return;
    }

  query = g_new0 (DocsQuery, 1);
  query->bodies = g_ptr_array_ref (batch->bodies);
  query->bulk_get = batch->bulk_get;
  leg_work (leg, parse_docs_thread, query, (GDestroyNotify) docs_query_free,
            (GDestroyNotify) g_ptr_array_unref, on_docs_parsed, NULL, NULL);
}

static void open_revs_more (Leg *leg);

static void
on_open_revs (Leg *leg, GBytes *body, guint status, gpointer data)
{
  PullBatch *batch = leg->fetching;

  batch->in_flight--;
  if (status == 200)
    g_ptr_array_add (batch->bodies, g_bytes_ref (body));
  else if (status != 404) /* 404: deleted for good meanwhile, nothing to fetch */
    {
      leg_fail (leg, http_error (status, body, "open_revs"));
      return;
    }

  open_revs_more (leg);
}

static void
open_revs_more (Leg *leg)
{
  PullBatch *batch = leg->fetching;
  GPtrArray *paths = batch->plan->open_revs;

  batch->bulk_get = FALSE;
  while (batch->next < paths->len && batch->in_flight < OPEN_REVS_IN_FLIGHT)
    {
      batch->in_flight++;
      leg_request (leg, "GET", g_ptr_array_index (paths, batch->next++), NULL, on_open_revs, NULL,
                   NULL);
    }

  if (batch->next >= paths->len && batch->in_flight == 0)
    pull_fetched (leg);
}

static void
on_bulk_get (Leg *leg, GBytes *body, guint status, gpointer data)
{
  DengonReplicator *self = leg->self;

  if (status == 200)
    {
      leg->fetching->bulk_get = TRUE;
      g_ptr_array_add (leg->fetching->bodies, g_bytes_ref (body));
      pull_fetched (leg);
      return;
    }

  /* No _bulk_get (CouchDB before 2.0, some proxies): one request per document instead. */
  if (status == 400 || status == 404 || status == 405 || status == 501)
    {
      g_message ("Sync: %s has no _bulk_get (%u); fetching documents one by one",
                 dengon_couch_client_get_server (self->client), status);
      self->no_bulk_get = TRUE;
      open_revs_more (leg);
      return;
    }

  leg_fail (leg, http_error (status, body, "_bulk_get"));
}

static void
on_pull_planned (Leg *leg, gpointer result, gpointer data)
{
  DengonReplicator *self = leg->self;
  PullPlan *plan = result;
  PullBatch *batch = leg->fetching;

  batch->plan = plan;
  if (plan->last_seq == NULL)
    plan->last_seq = json_node_copy (leg->fetch_since);
  if (plan->pending >= 0)
    leg->pending = plan->pending + plan->n_missing;
  update_pending (self);

  g_clear_pointer (&leg->fetch_since, json_node_unref);
  leg->fetch_since = json_node_copy (plan->last_seq);
  /* A short page is the end of the feed: the next request can wait for news. */
  leg->fetch_caught_up = plan->n_results < self->batch_size;

  if (plan->n_missing == 0)
    {
      pull_fetched (leg);
      return;
    }

  leg->caught_up = FALSE;
  if (self->state != DENGON_REPLICATOR_STATE_SYNCING)
    set_state (self, DENGON_REPLICATOR_STATE_SYNCING);

  batch->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  if (self->no_bulk_get)
    open_revs_more (leg);
  else
    leg_request (leg, "POST", "_bulk_get?revs=true&latest=true", plan->bulk_get, on_bulk_get, NULL,
                 NULL);
}

static void
on_pull_changes (Leg *leg, GBytes *body, guint status, gpointer data)
{
  if (status != 200)
    {
      leg_fail (leg, http_error (status, body, "_changes"));
      return;
    }

  leg_work (leg, pull_plan_thread, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref,
            (GDestroyNotify) pull_plan_free, on_pull_planned, NULL, NULL);
}

/* Starts fetching the next batch when there is room for it. */
static void
pull_next (Leg *leg)
{
  DengonReplicator *self = leg->self;
  g_autofree char *since = NULL;
  g_autofree char *since_escaped = NULL;
  g_autofree char *path = NULL;

  if (self->cancellable == NULL || !leg->started || leg->fetching != NULL || leg->fetched != NULL)
    return;

  /* One-shot: the end of the feed is the end. */
  if (leg->fetch_caught_up && !self->continuous)
    return;

  if (leg->fetch_since == NULL)
    leg->fetch_since = json_node_copy (leg->since);
  since = dengon_sync_seq_to_param (leg->fetch_since);
  since_escaped = g_uri_escape_string (since, NULL, FALSE);

  leg->fetching = g_new0 (PullBatch, 1);
  leg->fetching->longpoll = leg->fetch_caught_up;
  if (leg->fetch_caught_up)
    path = g_strdup_printf ("_changes?style=all_docs&since=%s&limit=%u&feed=longpoll&heartbeat=%d",
                            since_escaped, self->batch_size, HEARTBEAT_MS);
  else
    path = g_strdup_printf ("_changes?style=all_docs&since=%s&limit=%u", since_escaped,
                            self->batch_size);

  leg_request (leg, "GET", path, NULL, on_pull_changes, NULL, NULL);
}

/* ------------------------------------------------------------------ push */

typedef struct
{
  gint64 last_seq;
  guint n_changes;
  gint64 pending;
  GBytes *revs_diff;
  GHashTable *asked; /* ids in the _revs_diff request */
} PushPlan;

static void
push_plan_free (PushPlan *plan)
{
  g_clear_pointer (&plan->revs_diff, g_bytes_unref);
  g_clear_pointer (&plan->asked, g_hash_table_unref);
  g_free (plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushPlan, push_plan_free)

typedef struct
{
  gint64 since;
  guint limit;
} PushQuery;

static gpointer
push_plan_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  PushQuery *query = data;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (JsonObject) request = json_object_new ();
  g_autoptr (PushPlan) plan = g_new0 (PushPlan, 1);

  entries = dengon_store_changes (store, query->since, query->limit, &plan->last_seq, error);
  if (entries == NULL)
    return NULL;

  plan->n_changes = entries->len;
  plan->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      DengonStoreFeedEntry *entry = g_ptr_array_index (entries, i);
      JsonArray *revs = json_array_new ();

      for (guint j = 0; entry->revs[j] != NULL; j++)
        json_array_add_string_element (revs, entry->revs[j]);
      json_object_set_array_member (request, entry->id, revs);
      g_hash_table_add (plan->asked, g_strdup (entry->id));
    }

  plan->pending = dengon_store_count_changes (store, plan->last_seq, NULL);
  if (entries->len > 0)
    plan->revs_diff = object_to_bytes (request);

  return g_steal_pointer (&plan);
}

typedef struct
{
  GBytes *answer;
  GHashTable *asked;
} PushDocsQuery;

static void
push_docs_query_free (PushDocsQuery *query)
{
  g_bytes_unref (query->answer);
  g_hash_table_unref (query->asked);
  g_free (query);
}

typedef struct
{
  GBytes *bulk_docs; /* NULL: the server has everything */
  guint n_docs;
} PushDocs;

static void
push_docs_free (PushDocs *docs)
{
  g_clear_pointer (&docs->bulk_docs, g_bytes_unref);
  g_free (docs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PushDocs, push_docs_free)

static gpointer
push_docs_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  PushDocsQuery *query = data;
  g_autoptr (JsonObject) diff = parse_object_bytes (query->answer, "_revs_diff", error);
  g_autoptr (JsonObject) bulk = json_object_new ();
  g_autoptr (GList) ids = NULL;
  JsonArray *docs;
  PushDocs *out;

  if (diff == NULL)
    return NULL;

  docs = json_array_new ();
  json_object_set_array_member (bulk, "docs", docs);
  json_object_set_boolean_member (bulk, "new_edits", FALSE);

  ids = json_object_get_members (diff);
  for (GList *l = ids; l; l = l->next)
    {
      JsonArray *missing =
          dengon_json_get_array (dengon_json_get_object (diff, l->data), "missing");
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      g_auto (GStrv) revs = NULL;
      g_autoptr (JsonArray) found = NULL;
      guint n = 0;

      /* Only what we offered: a server cannot ask for other documents. */
      if (missing == NULL || !g_hash_table_contains (query->asked, l->data))
        continue;
      for (guint i = 0; i < json_array_get_length (missing); i++)
        {
          JsonNode *rev = json_array_get_element (missing, i);

          if (JSON_NODE_HOLDS_VALUE (rev) && json_node_get_value_type (rev) == G_TYPE_STRING)
            {
              g_strv_builder_add (builder, json_node_get_string (rev));
              n++;
            }
        }
      if (n == 0)
        continue;
      revs = g_strv_builder_end (builder);

      found = dengon_store_open_revs (store, l->data, (const char *const *) revs, FALSE, error);
      if (found == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (found); i++)
        {
          JsonObject *doc = dengon_json_get_object (json_array_get_object_element (found, i), "ok");

          if (doc != NULL)
            json_array_add_object_element (docs, json_object_ref (doc));
        }
    }

  out = g_new0 (PushDocs, 1);
  out->n_docs = json_array_get_length (docs);
  if (out->n_docs > 0)
    out->bulk_docs = object_to_bytes (bulk);

  return out;
}

typedef struct
{
  PushPlan *plan;
  guint n_docs;
} PushBatch;

static void
push_batch_free (PushBatch *batch)
{
  g_clear_pointer (&batch->plan, push_plan_free);
  g_free (batch);
}

static void
on_push_local_checkpoint (Leg *leg, gpointer result, gpointer data)
{
  g_free (result);
  leg->running = FALSE;
  push_next (leg);
}

/* Target (remote) first, then the source (ours). */
static void
push_checkpoint_local (Leg *leg)
{
  LocalWrite *write = g_new0 (LocalWrite, 1);

  write->id = g_strdup (leg->rep_id);
  write->doc = checkpoint_doc (leg, leg->since);
  leg_work (leg, put_local_thread, write, (GDestroyNotify) local_write_free, g_free,
            on_push_local_checkpoint, NULL, NULL);
}

static void
push_batch_finish (Leg *leg, PushBatch *batch)
{
  DengonReplicator *self = leg->self;

  g_clear_pointer (&leg->since, json_node_unref);
  leg->since = json_node_init_int (json_node_alloc (), batch->plan->last_seq);
  leg->pending = MAX (batch->plan->pending, 0);
  self->attempt = 0;
  update_pending (self);
  push_batch_free (batch);

  write_remote_checkpoint (leg, leg->since, push_checkpoint_local);
}

static void
on_bulk_docs (Leg *leg, GBytes *body, guint status, gpointer data)
{
  DengonReplicator *self = leg->self;
  PushBatch *batch = data;
  gsize size;
  const char *text;
  g_autoptr (JsonNode) node = NULL;
  guint failed = 0;

  if (status != 201 && status != 202)
    {
      push_batch_free (batch);
      leg_fail (leg, http_error (status, body, "_bulk_docs"));
      return;
    }

  /* CouchDB lists only the documents it refused. Small: read here. */
  text = g_bytes_get_data (body, &size);
  node = dengon_json_parse (text, size, dengon_sync_json_limits (), NULL);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *results = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *entry = json_array_get_object_element (results, i);
          const char *error = dengon_json_get_string (entry, "error");

          if (error == NULL)
            continue;
          if (g_str_equal (error, "forbidden") || g_str_equal (error, "unauthorized"))
            {
              g_warning ("Sync: the server refused document “%s”: %s",
                         dengon_json_get_string (entry, "id"),
                         dengon_json_get_string (entry, "reason"));
              failed++;
              continue;
            }
          push_batch_free (batch);
          leg_fail (leg, g_error_new (DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_PROTOCOL,
                                      _ ("The server refused document “%s”: %s"),
                                      dengon_json_get_string (entry, "id"),
                                      dengon_json_get_string (entry, "reason")));
          return;
        }
    }

  self->docs_read += batch->n_docs;
  self->docs_written += batch->n_docs - MIN (failed, batch->n_docs);
  self->doc_write_failures += failed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCS_WRITTEN]);

  push_batch_finish (leg, batch);
}

static void
on_push_docs (Leg *leg, gpointer result, gpointer data)
{
  g_autoptr (PushDocs) docs = result;
  PushBatch *batch = data;

  if (docs->bulk_docs == NULL)
    {
      push_batch_finish (leg, batch);
      return;
    }

  batch->n_docs = docs->n_docs;
  leg_request (leg, "POST", "_bulk_docs", docs->bulk_docs, on_bulk_docs, batch, NULL);
}

static void
on_revs_diff (Leg *leg, GBytes *body, guint status, gpointer data)
{
  PushBatch *batch = data;
  PushDocsQuery *query;

  if (status != 200)
    {
      push_batch_free (batch);
      leg_fail (leg, http_error (status, body, "_revs_diff"));
      return;
    }

  query = g_new0 (PushDocsQuery, 1);
  query->answer = g_bytes_ref (body);
  query->asked = g_hash_table_ref (batch->plan->asked);
  leg_work (leg, push_docs_thread, query, (GDestroyNotify) push_docs_query_free,
            (GDestroyNotify) push_docs_free, on_push_docs, batch, NULL);
}

static void
on_push_planned (Leg *leg, gpointer result, gpointer data)
{
  DengonReplicator *self = leg->self;
  g_autoptr (PushPlan) plan = result;
  PushBatch *batch;

  if (plan->n_changes == 0)
    {
      leg->running = FALSE;
      leg->pending = 0;
      update_pending (self);
      if (leg->wanted)
        {
          leg->wanted = FALSE;
          push_next (leg);
          return;
        }
      leg->caught_up = TRUE;
      check_caught_up (self);
      return;
    }

  leg->caught_up = FALSE;
  if (self->state != DENGON_REPLICATOR_STATE_SYNCING)
    set_state (self, DENGON_REPLICATOR_STATE_SYNCING);
  leg->pending = plan->n_changes + MAX (plan->pending, 0);
  update_pending (self);

  batch = g_new0 (PushBatch, 1);
  batch->plan = g_steal_pointer (&plan);
  leg_request (leg, "POST", "_revs_diff", batch->plan->revs_diff, on_revs_diff, batch, NULL);
}

static void
push_next (Leg *leg)
{
  DengonReplicator *self = leg->self;
  PushQuery *query;

  if (self->cancellable == NULL)
    return;
  if (leg->running)
    {
      leg->wanted = TRUE;
      return;
    }

  leg->running = TRUE;
  leg->wanted = FALSE;
  query = g_new0 (PushQuery, 1);
  query->since = json_node_get_int (leg->since);
  query->limit = self->batch_size;
  leg_work (leg, push_plan_thread, query, g_free, (GDestroyNotify) push_plan_free, on_push_planned,
            NULL, NULL);
}

static gboolean
on_push_idle (gpointer data)
{
  DengonReplicator *self = data;

  self->push_idle = 0;
  if (self->push.started)
    push_next (&self->push);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (DengonStore *store, GPtrArray *changes, DengonReplicator *self)
{
  if (!self->continuous || !self->push.enabled || self->cancellable == NULL)
    return;

  self->push.pending += changes->len;
  update_pending (self);
  /* Many commits in a row go in one batch. */
  if (self->push_idle == 0)
    self->push_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_push_idle, self, NULL);
}

/* ------------------------------------------------------------------ setup */

static void
legs_begin (DengonReplicator *self)
{
  leg_begin (&self->push);
  leg_begin (&self->pull);
  check_caught_up (self);
}

static void
on_db_created (Leg *leg, GBytes *body, guint status, gpointer data)
{
  if (status != 201 && status != 202 && status != 412)
    {
      leg_fail (leg, http_error (status, body, "creating the database"));
      return;
    }

  legs_begin (leg->self);
}

static void
on_db_info (Leg *leg, GBytes *body, guint status, gpointer data)
{
  DengonReplicator *self = leg->self;

  if (status == 404 && self->push.enabled)
    {
      leg_request (leg, "PUT", "", NULL, on_db_created, NULL, NULL);
      return;
    }

  if (status == 404)
    {
      leg_fail (leg, g_error_new (DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_NOT_FOUND,
                                  _ ("The database “%s” is not on the server."),
                                  dengon_couch_client_get_db (self->client)));
      return;
    }

  if (status != 200)
    {
      leg_fail (leg, http_error (status, body, "the database"));
      return;
    }

  legs_begin (self);
}

static void
on_welcome (Leg *leg, GBytes *body, guint status, gpointer data)
{
  DengonReplicator *self = leg->self;
  g_autoptr (JsonObject) welcome = NULL;

  /* CouchDB answers / without a password; a hub wants one: either way 200 or 401 here. */
  if (status != 200)
    {
      leg_fail (leg, http_error (status, body, "the server"));
      return;
    }

  welcome = parse_object_bytes (body, "/", NULL);
  g_free (self->remote_uuid);
  self->remote_uuid = g_strdup (dengon_json_get_string (welcome, "uuid"));

  leg_request (leg, "GET", "", NULL, on_db_info, NULL, NULL);
}

static void
attempt_begin (DengonReplicator *self)
{
  /* Setup requests run on the pull leg's account (any leg would do). */
  Leg *leg = self->pull.enabled ? &self->pull : &self->push;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  leg_reset (&self->push);
  leg_reset (&self->pull);
  set_state (self, DENGON_REPLICATOR_STATE_CONNECTING);

  leg_request (leg, "GET", "/", NULL, on_welcome, NULL, NULL);
}

static void
on_can_reach (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (DengonReplicator) self = data;
  g_autoptr (GError) error = NULL;

  if (!self->active || self->cancellable != NULL)
    return;

  if (!g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (source), result, &error))
    {
      attempt_fail (self, g_error_new (DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNREACHABLE,
                                       _ ("The server cannot be reached: %s"), error->message));
      return;
    }

  attempt_begin (self);
}

static void
attempt_start (DengonReplicator *self)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GSocketConnectable) address = NULL;

  if (!self->active)
    return;

  attempt_cancel (self);

  /* The monitor may say "no network" on a LAN without a default route: ask about this host. */
  if (!g_network_monitor_get_network_available (self->monitor))
    {
      uri = g_uri_parse (dengon_couch_client_get_server (self->client), G_URI_FLAGS_NONE, NULL);
      if (uri != NULL && !dengon_sync_host_is_loopback (g_uri_get_host (uri)))
        {
          address = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));
          g_network_monitor_can_reach_async (self->monitor, address, NULL, on_can_reach,
                                             g_object_ref (self));
          return;
        }
    }

  attempt_begin (self);
}

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available, DengonReplicator *self)
{
  if (!self->active || !available)
    return;

  /* Back online, or on another network: try now rather than at the end of a backoff. */
  if (self->state == DENGON_REPLICATOR_STATE_OFFLINE ||
      self->state == DENGON_REPLICATOR_STATE_ERROR ||
      (self->state == DENGON_REPLICATOR_STATE_SYNCED && self->continuous))
    {
      self->attempt = 0;
      g_clear_handle_id (&self->retry_source, g_source_remove);
      attempt_start (self);
    }
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_replicator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonReplicator *self = DENGON_REPLICATOR (object);

  switch (prop_id)
    {
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;

      case PROP_PENDING:
        g_value_set_uint (value, dengon_replicator_get_pending (self));
        break;

      case PROP_LAST_SUCCESS:
        g_value_set_int64 (value, self->last_success);
        break;

      case PROP_ERROR:
        g_value_set_boxed (value, self->error);
        break;

      case PROP_DOCS_WRITTEN:
        g_value_set_uint64 (value, self->docs_written);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_replicator_dispose (GObject *object)
{
  DengonReplicator *self = (DengonReplicator *) object;

  self->active = FALSE;
  attempt_cancel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_signal_handler (&self->network_id, self->monitor);

  G_OBJECT_CLASS (dengon_replicator_parent_class)->dispose (object);
}

static void
dengon_replicator_finalize (GObject *object)
{
  DengonReplicator *self = (DengonReplicator *) object;

  g_assert (self->run_task == NULL);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->monitor);
  g_clear_error (&self->error);
  g_free (self->remote_uuid);
  g_free (self->pull_start);

  G_OBJECT_CLASS (dengon_replicator_parent_class)->finalize (object);
}

static void
dengon_replicator_class_init (DengonReplicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dengon_replicator_get_property;
  object_class->dispose = dengon_replicator_dispose;
  object_class->finalize = dengon_replicator_finalize;

  properties[PROP_STATE] = g_param_spec_enum (
      "state", NULL, NULL, DENGON_TYPE_REPLICATOR_STATE, DENGON_REPLICATOR_STATE_STOPPED,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
      g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SUCCESS] =
      g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
      g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCS_WRITTEN] =
      g_param_spec_uint64 ("docs-written", NULL, NULL, 0, G_MAXUINT64, 0,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dengon_replicator_init (DengonReplicator *self)
{
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->retry_delay_ms = DEFAULT_RETRY_DELAY_MS;
  self->push.self = self;
  self->push.push = TRUE;
  self->pull.self = self;
  self->monitor = g_object_ref (g_network_monitor_get_default ());
}

DengonReplicator *
dengon_replicator_new (DengonStore *store, DengonCouchClient *client,
                       DengonReplicatorDirection directions)
{
  DengonReplicator *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (DENGON_IS_COUCH_CLIENT (client), NULL);
  g_return_val_if_fail (directions != 0, NULL);

  self = g_object_new (DENGON_TYPE_REPLICATOR, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->directions = directions;
  self->push.enabled = (directions & DENGON_REPLICATOR_PUSH) != 0;
  self->pull.enabled = (directions & DENGON_REPLICATOR_PULL) != 0;
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);
  self->network_id =
      g_signal_connect (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self);

  return self;
}

void
dengon_replicator_set_batch_size (DengonReplicator *self, guint batch_size)
{
  g_return_if_fail (DENGON_IS_REPLICATOR (self));
  g_return_if_fail (batch_size > 0 && batch_size <= DENGON_SYNC_MAX_BATCH_DOCS / 2);

  self->batch_size = batch_size;
}

void
dengon_replicator_set_retry_delay (DengonReplicator *self, guint milliseconds)
{
  g_return_if_fail (DENGON_IS_REPLICATOR (self));

  self->retry_delay_ms = CLAMP (milliseconds, 10, MAX_RETRY_DELAY_MS);
}

void
dengon_replicator_set_retry (DengonReplicator *self, gboolean retry)
{
  g_return_if_fail (DENGON_IS_REPLICATOR (self));

  self->retry = retry;
}

void
dengon_replicator_start (DengonReplicator *self)
{
  g_return_if_fail (DENGON_IS_REPLICATOR (self));
  g_return_if_fail (self->run_task == NULL);

  if (self->active)
    return;

  self->active = TRUE;
  self->continuous = TRUE;
  self->attempt = 0;
  attempt_start (self);
}

void
dengon_replicator_stop (DengonReplicator *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (DENGON_IS_REPLICATOR (self));

  self->active = FALSE;
  attempt_cancel (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  dengon_couch_client_abort (self->client);

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
  complete_run (self, error);
  set_state (self, DENGON_REPLICATOR_STATE_STOPPED);
}

static void
on_run_cancelled (GCancellable *cancellable, DengonReplicator *self)
{
  dengon_replicator_stop (self);
}

void
dengon_replicator_run_async (DengonReplicator *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (DENGON_IS_REPLICATOR (self));
  g_return_if_fail (!self->active);

  self->run_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->run_task, dengon_replicator_run_async);
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (on_run_cancelled), self, NULL);

  self->active = TRUE;
  self->continuous = FALSE;
  self->attempt = 0;
  attempt_start (self);
}

gboolean
dengon_replicator_run_finish (DengonReplicator *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

DengonReplicatorState
dengon_replicator_get_state (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), DENGON_REPLICATOR_STATE_STOPPED);

  return self->state;
}

DengonCouchClient *
dengon_replicator_get_client (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), NULL);

  return self->client;
}

guint
dengon_replicator_get_pending (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), 0);

  return MIN (self->push.pending + self->pull.pending, G_MAXUINT);
}

gint64
dengon_replicator_get_last_success (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), 0);

  return self->last_success;
}

const GError *
dengon_replicator_get_error (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), NULL);

  return self->error;
}

guint64
dengon_replicator_get_docs_read (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), 0);

  return self->docs_read;
}

guint64
dengon_replicator_get_docs_written (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), 0);

  return self->docs_written;
}

guint64
dengon_replicator_get_doc_write_failures (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), 0);

  return self->doc_write_failures;
}

char *
dengon_replicator_dup_pull_start (DengonReplicator *self)
{
  g_return_val_if_fail (DENGON_IS_REPLICATOR (self), NULL);

  return g_strdup (self->pull_start);
}
