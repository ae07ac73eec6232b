/* dengon-memo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"

/* clang-format off */
G_DEFINE_QUARK (dengon-memo-error-quark, dengon_memo_error)
/* clang-format on */

static const char *const status_names[] = {
  [DENGON_MEMO_STATUS_NEW] = "new",
  [DENGON_MEMO_STATUS_ASSIGNED] = "assigned",
  [DENGON_MEMO_STATUS_ACKNOWLEDGED] = "acknowledged",
  [DENGON_MEMO_STATUS_CALLED_BACK] = "called_back",
  [DENGON_MEMO_STATUS_DONE] = "done",
};

static const char *const actions[] = {
  "create", "assign", "acknowledge", "called_back", "done",
  "reopen", "note",   "escalate",    "outcome",     "undo",
};

static const char *const outcomes[] = {
  "appointment", "visited", "proposal", "won", "lost", "no_need",
};

/* Members of a memo that merge does not take from either side. */
static const char *const merge_dropped[] = {
  "_rev", "_revisions", "_conflicts", "history", "status", "for", NULL,
};

#define USEC_PER_MSEC 1000

/* Statuses, actions */

const char *
dengon_memo_status_to_string (DengonMemoStatus status)
{
  g_return_val_if_fail (status <= DENGON_MEMO_STATUS_DONE, "new");

  return status_names[status];
}

gboolean
dengon_memo_status_from_string (const char *text, DengonMemoStatus *status)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (strcmp (text, status_names[i]) == 0)
        {
          if (status != NULL)
            *status = (DengonMemoStatus) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
dengon_memo_status_get_label (DengonMemoStatus status)
{
  switch (status)
    {
      case DENGON_MEMO_STATUS_NEW:
        return C_ ("memo status", "New");
      case DENGON_MEMO_STATUS_ASSIGNED:
        return C_ ("memo status", "Assigned");
      case DENGON_MEMO_STATUS_ACKNOWLEDGED:
        return C_ ("memo status", "Acknowledged");
      case DENGON_MEMO_STATUS_CALLED_BACK:
        return C_ ("memo status", "Called back");
      case DENGON_MEMO_STATUS_DONE:
        return C_ ("memo status", "Done");
      default:
        g_return_val_if_reached (C_ ("memo status", "New"));
    }
}

static gboolean
in_list (const char *text, const char *const *list, guint n)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (strcmp (text, list[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

gboolean
dengon_memo_action_is_known (const char *action)
{
  return in_list (action, actions, G_N_ELEMENTS (actions));
}

gboolean
dengon_memo_outcome_is_valid (const char *outcome)
{
  return in_list (outcome, outcomes, G_N_ELEMENTS (outcomes));
}

/* Small helpers */

static gboolean
has_id_prefix (const char *text, const char *prefix)
{
  return text != NULL && g_str_has_prefix (text, prefix) && text[strlen (prefix)] != '\0' &&
         g_utf8_strlen (text, -1) <= DENGON_MEMO_MAX_ID;
}

static gboolean
is_staff_id (const char *text)
{
  return has_id_prefix (text, "staff:");
}

static gint64
date_time_to_us (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static gint64
floor_ms (gint64 us)
{
  gint64 rest = us % USEC_PER_MSEC;

  return us - (rest < 0 ? rest + USEC_PER_MSEC : rest);
}

static char *
timestamp_from_us (gint64 us)
{
  g_autoptr (GDateTime) epoch = g_date_time_new_from_unix_utc (0);
  g_autoptr (GDateTime) time = g_date_time_add (epoch, us);

  return dengon_json_timestamp (time);
}

static char *
timestamp_or_now (GDateTime *time)
{
  if (time == NULL)
    return dengon_json_timestamp_now ();

  return dengon_json_timestamp (time);
}

static gboolean
all_digits (const char *p, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
    }

  return TRUE;
}

/* RFC 3339 date-time ("2026-11-23T08:15:30.123Z", "2026-11-23T17:15:30+09:00"), strictly: GLib's
 * ISO 8601 parser also takes week dates, ordinal dates and times without seconds. */
static gboolean
parse_rfc3339 (const char *text, gint64 *us)
{
  g_autoptr (GDateTime) time = NULL;
  const char *p = text;

  if (text == NULL)
    return FALSE;

  if (!(all_digits (p, 4) && p[4] == '-' && all_digits (p + 5, 2) && p[7] == '-' &&
        all_digits (p + 8, 2) && p[10] == 'T' && all_digits (p + 11, 2) && p[13] == ':' &&
        all_digits (p + 14, 2) && p[16] == ':' && all_digits (p + 17, 2)))
    return FALSE;

  p += 19;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p == 'Z')
    p++;
  else if ((*p == '+' || *p == '-') && all_digits (p + 1, 2) && p[3] == ':' &&
           all_digits (p + 4, 2))
    p += 6;
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return FALSE;

  if (us != NULL)
    *us = date_time_to_us (time);

  return TRUE;
}

static JsonNode *node_copy_deep (JsonNode *node);

static JsonObject *
object_copy_without (JsonObject *object, const char *const *excluded)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (excluded != NULL && g_strv_contains (excluded, name))
        continue;
      json_object_set_member (copy, name, node_copy_deep (member));
    }

  return copy;
}

/* json_node_copy() shares objects and arrays, and keeps them sealed. */
static JsonNode *
node_copy_deep (JsonNode *node)
{
  JsonNode *copy = json_node_alloc ();

  switch (JSON_NODE_TYPE (node))
    {
      case JSON_NODE_OBJECT:
        {
          g_autoptr (JsonObject) object = object_copy_without (json_node_get_object (node), NULL);

          return json_node_init_object (copy, object);
        }

      case JSON_NODE_ARRAY:
        {
          JsonArray *array = json_node_get_array (node);
          g_autoptr (JsonArray) array_copy = json_array_sized_new (json_array_get_length (array));

          for (guint i = 0; i < json_array_get_length (array); i++)
            json_array_add_element (array_copy, node_copy_deep (json_array_get_element (array, i)));

          return json_node_init_array (copy, array_copy);
        }

      case JSON_NODE_VALUE:
        {
          GType type = json_node_get_value_type (node);

          if (type == G_TYPE_STRING)
            return json_node_init_string (copy, json_node_get_string (node));
          if (type == G_TYPE_INT64)
            return json_node_init_int (copy, json_node_get_int (node));
          if (type == G_TYPE_DOUBLE)
            return json_node_init_double (copy, json_node_get_double (node));
          if (type == G_TYPE_BOOLEAN)
            return json_node_init_boolean (copy, json_node_get_boolean (node));
          return json_node_init_null (copy);
        }

      case JSON_NODE_NULL:
      default:
        return json_node_init_null (copy);
    }
}

JsonObject *
dengon_memo_copy (JsonObject *memo)
{
  g_return_val_if_fail (memo != NULL, NULL);

  return object_copy_without (memo, NULL);
}

/* Canonical order of events */

typedef struct
{
  JsonNode *node;  /* not owned */
  char *canonical; /* computed when needed: most events differ in time */
  gint64 us;       /* G_MININT64: no valid "at" */
  int rank;        /* 0: create, 1: the rest */
} EventKey;

static void
event_key_init (EventKey *key, JsonNode *node)
{
  JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  key->node = node;
  key->canonical = NULL;
  key->rank = g_strcmp0 (dengon_json_get_string (event, "action"), "create") == 0 ? 0 : 1;
  if (!parse_rfc3339 (dengon_json_get_string (event, "at"), &key->us))
    key->us = G_MININT64;
}

static void
event_key_clear (EventKey *key)
{
  g_clear_pointer (&key->canonical, g_free);
}

static const char *
event_key_get_canonical (EventKey *key)
{
  if (key->canonical == NULL)
    key->canonical = dengon_json_canonical (key->node);

  return key->canonical;
}

static int
event_key_compare (EventKey *a, EventKey *b)
{
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  if (a->us != b->us)
    return a->us < b->us ? -1 : 1;
  return strcmp (event_key_get_canonical (a), event_key_get_canonical (b));
}

static int
event_key_compare_func (gconstpointer a, gconstpointer b)
{
  return event_key_compare ((EventKey *) a, (EventKey *) b);
}

int
dengon_memo_event_compare (JsonNode *a, JsonNode *b)
{
  EventKey ka, kb;
  int result;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  event_key_init (&ka, a);
  event_key_init (&kb, b);
  result = event_key_compare (&ka, &kb);
  event_key_clear (&ka);
  event_key_clear (&kb);

  return result;
}

/* The events of @history as keys, in canonical order. */
static GArray *
sorted_keys (JsonArray *history)
{
  guint n = history != NULL ? json_array_get_length (history) : 0;
  GArray *keys = g_array_sized_new (FALSE, FALSE, sizeof (EventKey), n);

  g_array_set_clear_func (keys, (GDestroyNotify) event_key_clear);
  g_array_set_size (keys, n);
  for (guint i = 0; i < n; i++)
    event_key_init (&g_array_index (keys, EventKey, i), json_array_get_element (history, i));
  g_array_sort (keys, event_key_compare_func);

  return keys;
}

/* Status */

static const char *
event_string (JsonObject *event, const char *member)
{
  return dengon_json_get_string (event, member);
}

/* "at|action|by": what an undo event names as its target. */
static char *
event_target_key (JsonObject *event)
{
  const char *by = event_string (event, "by");

  return g_strdup_printf ("%s|%s|%s", event_string (event, "at"), event_string (event, "action"),
                          by != NULL ? by : "");
}

/* The targets of every undo event in @history. */
static GHashTable *
undone_events (JsonArray *history)
{
  GHashTable *undone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = history != NULL ? json_array_get_length (history) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *target;

      if (g_strcmp0 (event_string (event, "action"), "undo") != 0)
        continue;
      target = dengon_json_get_object (event, "target");
      if (target != NULL && event_string (target, "at") != NULL &&
          event_string (target, "action") != NULL)
        g_hash_table_add (undone, event_target_key (target));
    }

  return undone;
}

gboolean
dengon_memo_event_is_undone (JsonObject *memo, JsonObject *event)
{
  g_autoptr (GHashTable) undone = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  undone = undone_events (dengon_json_get_array (memo, "history"));
  key = event_target_key (event);

  return g_hash_table_contains (undone, key);
}

static DengonMemoStatus
fold_keys (GArray *keys, GHashTable *undone, const char **for_out)
{
  DengonMemoStatus status = DENGON_MEMO_STATUS_NEW;
  const char *assignee = NULL;

  for (guint i = 0; i < keys->len; i++)
    {
      JsonNode *node = g_array_index (keys, EventKey, i).node;
      JsonObject *event;
      const char *action;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      event = json_node_get_object (node);
      action = event_string (event, "action");
      if (action == NULL)
        continue;

      /* An undone action never happened, wherever the undo was made. */
      if (g_hash_table_size (undone) > 0 && strcmp (action, "create") != 0)
        {
          g_autofree char *key = event_target_key (event);

          if (g_hash_table_contains (undone, key))
            continue;
        }

      if (strcmp (action, "create") == 0 || strcmp (action, "assign") == 0)
        {
          assignee = event_string (event, "to");
          status = assignee != NULL ? DENGON_MEMO_STATUS_ASSIGNED : DENGON_MEMO_STATUS_NEW;
        }
      else if (strcmp (action, "acknowledge") == 0)
        status = DENGON_MEMO_STATUS_ACKNOWLEDGED;
      else if (strcmp (action, "called_back") == 0)
        status = DENGON_MEMO_STATUS_CALLED_BACK;
      else if (strcmp (action, "done") == 0)
        status = DENGON_MEMO_STATUS_DONE;
      else if (strcmp (action, "reopen") == 0)
        status = assignee != NULL ? DENGON_MEMO_STATUS_ASSIGNED : DENGON_MEMO_STATUS_NEW;
      /* note, escalate, outcome and actions of newer versions change nothing */
    }

  if (for_out != NULL)
    *for_out = assignee;

  return status;
}

DengonMemoStatus
dengon_memo_fold_history (JsonArray *history, const char **for_out)
{
  g_autoptr (GArray) keys = sorted_keys (history);
  g_autoptr (GHashTable) undone = undone_events (history);

  return fold_keys (keys, undone, for_out);
}

void
dengon_memo_recompute (JsonObject *memo)
{
  DengonMemoStatus status;
  const char *assignee = NULL;
  g_autofree char *assignee_copy = NULL;

  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));

  status = dengon_memo_fold_history (dengon_json_get_array (memo, "history"), &assignee);
  assignee_copy = g_strdup (assignee);

  json_object_set_string_member (memo, "status", status_names[status]);
  dengon_json_set_string_or_null (memo, "for", assignee_copy);
}

DengonMemoStatus
dengon_memo_get_status (JsonObject *memo)
{
  DengonMemoStatus status;

  g_return_val_if_fail (memo != NULL, DENGON_MEMO_STATUS_NEW);

  if (dengon_memo_status_from_string (dengon_json_get_string (memo, "status"), &status))
    return status;

  return dengon_memo_fold_history (dengon_json_get_array (memo, "history"), NULL);
}

const char *
dengon_memo_get_for (JsonObject *memo)
{
  JsonNode *node;
  const char *assignee = NULL;

  g_return_val_if_fail (memo != NULL, NULL);

  node = json_object_get_member (memo, "for");
  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  dengon_memo_fold_history (dengon_json_get_array (memo, "history"), &assignee);

  return assignee;
}

/* Creating and editing */

static JsonObject *
new_event (const char *at, const char *by, const char *action, const char *from, const char *to,
           const char *note)
{
  JsonObject *event = json_object_new ();

  json_object_set_string_member (event, "at", at);
  dengon_json_set_string_or_null (event, "by", by);
  json_object_set_string_member (event, "action", action);
  dengon_json_set_string_or_null (event, "from", from);
  dengon_json_set_string_or_null (event, "to", to);
  dengon_json_set_string_or_null (event, "note", note);

  return event;
}

JsonObject *
dengon_memo_new (const char *taken_by, GDateTime *created_at)
{
  JsonObject *memo;
  g_autofree char *uuid = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  JsonObject *call;
  JsonObject *caller;
  JsonObject *callback;
  JsonObject *script;
  JsonArray *history;

  g_return_val_if_fail (taken_by == NULL || is_staff_id (taken_by), NULL);

  uuid = g_uuid_string_random ();
  id = g_strconcat ("memo:", uuid, NULL);
  now = timestamp_or_now (created_at);
  memo = json_object_new ();
  call = json_object_new ();
  caller = json_object_new ();
  callback = json_object_new ();
  script = json_object_new ();
  history = json_array_new ();

  json_object_set_string_member (memo, "_id", id);
  json_object_set_string_member (memo, "type", "memo");
  json_object_set_string_member (memo, "created_at", now);
  dengon_json_set_string_or_null (memo, "taken_by", taken_by);

  json_object_set_string_member (call, "direction", "in");
  json_object_set_null_member (call, "number");
  json_object_set_null_member (call, "number_display");
  json_object_set_null_member (call, "started_at");
  json_object_set_null_member (call, "ended_at");
  json_object_set_object_member (memo, "call", call);

  json_object_set_null_member (caller, "name");
  json_object_set_null_member (caller, "company");
  json_object_set_null_member (caller, "contact_id");
  json_object_set_object_member (memo, "caller", caller);

  json_object_set_null_member (memo, "for");
  json_object_set_null_member (memo, "category");
  json_object_set_string_member (memo, "urgency", "normal");

  json_object_set_boolean_member (callback, "requested", FALSE);
  json_object_set_null_member (callback, "number");
  json_object_set_null_member (callback, "by");
  json_object_set_object_member (memo, "callback", callback);

  json_object_set_string_member (memo, "message", "");

  json_object_set_null_member (script, "id");
  json_object_set_object_member (script, "answers", json_object_new ());
  json_object_set_object_member (memo, "script", script);

  json_array_add_object_element (history, new_event (now, taken_by, "create", NULL, NULL, NULL));
  json_object_set_array_member (memo, "history", history);

  dengon_memo_recompute (memo);

  return memo;
}

static void
set_time_or_null (JsonObject *object, const char *member, GDateTime *time)
{
  g_autofree char *text = time != NULL ? dengon_json_timestamp (time) : NULL;

  dengon_json_set_string_or_null (object, member, text);
}

/* Display text for a number without digits, cut to what validation allows. */
static char *
cut_chars (const char *text, glong max)
{
  if (g_utf8_strlen (text, -1) <= max)
    return g_strdup (text);

  return g_strndup (text, g_utf8_offset_to_pointer (text, max) - text);
}

void
dengon_memo_set_call (JsonObject *memo, const char *direction, const char *number_as_written,
                      GDateTime *started_at, GDateTime *ended_at)
{
  JsonObject *call;
  g_autofree char *trimmed = NULL;
  g_autoptr (DengonPhoneNumber) number = NULL;

  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));
  g_return_if_fail (g_strcmp0 (direction, "in") == 0 || g_strcmp0 (direction, "out") == 0);

  call = dengon_json_ensure_object (memo, "call");
  json_object_set_string_member (call, "direction", direction);

  trimmed = dengon_text_strip (number_as_written);
  if (trimmed != NULL)
    number = dengon_phone_number_parse (trimmed, NULL, NULL);

  if (number != NULL)
    {
      dengon_json_set_string_or_null (call, "number", number->key);
      dengon_json_set_string_or_null (call, "number_display", number->display);
    }
  else
    {
      g_autofree char *display =
          trimmed != NULL ? cut_chars (trimmed, DENGON_MEMO_MAX_NUMBER) : NULL;

      json_object_set_null_member (call, "number");
      dengon_json_set_string_or_null (call, "number_display", display);
    }

  set_time_or_null (call, "started_at", started_at);
  set_time_or_null (call, "ended_at", ended_at);
}

static void
set_trimmed_or_null (JsonObject *object, const char *member, const char *text)
{
  g_autofree char *trimmed = dengon_text_strip (text);

  dengon_json_set_string_or_null (object, member, trimmed);
}

void
dengon_memo_set_caller (JsonObject *memo, const char *name, const char *company,
                        const char *contact_id)
{
  JsonObject *caller;

  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));
  g_return_if_fail (contact_id == NULL || has_id_prefix (contact_id, "contact:"));

  caller = dengon_json_ensure_object (memo, "caller");
  set_trimmed_or_null (caller, "name", name);
  set_trimmed_or_null (caller, "company", company);
  dengon_json_set_string_or_null (caller, "contact_id", contact_id);
}

void
dengon_memo_set_message (JsonObject *memo, const char *message)
{
  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));

  json_object_set_string_member (memo, "message", message != NULL ? message : "");
}

void
dengon_memo_set_category (JsonObject *memo, const char *category)
{
  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));

  set_trimmed_or_null (memo, "category", category);
}

void
dengon_memo_set_urgent (JsonObject *memo, gboolean urgent)
{
  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));

  json_object_set_string_member (memo, "urgency", urgent ? "urgent" : "normal");
}

void
dengon_memo_set_callback (JsonObject *memo, gboolean requested, const char *number_as_written,
                          GDateTime *by)
{
  JsonObject *callback;
  g_autofree char *key = NULL;

  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));

  callback = dengon_json_ensure_object (memo, "callback");
  key = dengon_phone_key (number_as_written, NULL);
  json_object_set_boolean_member (callback, "requested", requested);
  dengon_json_set_string_or_null (callback, "number", key);
  set_time_or_null (callback, "by", by);
}

void
dengon_memo_set_script (JsonObject *memo, const char *script_id, JsonObject *answers)
{
  JsonObject *script;

  g_return_if_fail (memo != NULL);
  g_return_if_fail (!json_object_is_immutable (memo));
  g_return_if_fail (script_id == NULL || has_id_prefix (script_id, "script:"));

  script = dengon_json_ensure_object (memo, "script");
  dengon_json_set_string_or_null (script, "id", script_id);
  json_object_set_object_member (script, "answers",
                                 answers != NULL ? object_copy_without (answers, NULL)
                                                 : json_object_new ());
}

/* History actions */

static gboolean G_GNUC_PRINTF (2, 3) fail (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (
      error, g_error_new_valist (DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID, format, args));
  va_end (args);

  return FALSE;
}

static gboolean
check_note (const char *member, const char *note, GError **error)
{
  if (note != NULL && g_utf8_strlen (note, -1) > DENGON_MEMO_MAX_NOTE)
    return fail (error, "%s: longer than %d characters", member, DENGON_MEMO_MAX_NOTE);

  return TRUE;
}

/* The state an action starts from, read from the history (the truth), not the caches. */
static gboolean
prepare (JsonObject *memo, const char *by, JsonArray **history, DengonMemoStatus *status,
         const char **assignee, GError **error)
{
  *history = dengon_json_get_array (memo, "history");
  if (*history == NULL)
    return fail (error, "history: missing");

  if (by != NULL && !is_staff_id (by))
    return fail (error, "by: must be a staff id (\"staff:<login>\") or null, not \"%s\"", by);

  *status = dengon_memo_fold_history (*history, assignee);

  return TRUE;
}

static gboolean
check_room (JsonArray *history, GError **error)
{
  if (json_array_get_length (history) >= DENGON_MEMO_MAX_EVENTS)
    return fail (error, "history: full (%d events)", DENGON_MEMO_MAX_EVENTS);

  return TRUE;
}

static gboolean
check_open (DengonMemoStatus status, const char *action, GError **error)
{
  if (status == DENGON_MEMO_STATUS_DONE)
    return fail (error, "status: the memo is done; reopen it before \"%s\"", action);

  return TRUE;
}

/* The time of a new event: @at to the millisecond, but after every event already there. */
static char *
next_event_time (JsonArray *history, GDateTime *at)
{
  g_autoptr (GDateTime) now = NULL;
  gint64 newest = G_MININT64;
  gint64 us;

  if (at == NULL)
    at = now = g_date_time_new_now_utc ();
  us = floor_ms (date_time_to_us (at));

  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      gint64 event_us;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          parse_rfc3339 (dengon_json_get_string (json_node_get_object (node), "at"), &event_us))
        newest = MAX (newest, event_us);
    }

  if (newest != G_MININT64 && us <= newest)
    us = floor_ms (newest) + USEC_PER_MSEC;

  return timestamp_from_us (us);
}

static void
append (JsonObject *memo, JsonArray *history, JsonObject *event)
{
  json_array_add_object_element (history, event);
  dengon_memo_recompute (memo);
}

static gboolean
append_simple (JsonObject *memo, JsonArray *history, const char *by, const char *action,
               const char *from, const char *to, const char *note, GDateTime *at, GError **error)
{
  g_autofree char *time = NULL;
  const char *stored_note = note != NULL && *note != '\0' ? note : NULL;

  if (!check_room (history, error))
    return FALSE;

  time = next_event_time (history, at);
  append (memo, history, new_event (time, by, action, from, to, stored_note));

  return TRUE;
}

gboolean
dengon_memo_assign (JsonObject *memo, const char *by, const char *to, GDateTime *at, GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;
  g_autofree char *from = NULL;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (to != NULL && !is_staff_id (to))
    return fail (error, "to: must be a staff id (\"staff:<login>\") or null, not \"%s\"", to);

  if (g_strcmp0 (assignee, to) == 0)
    return TRUE;

  if (!check_open (status, "assign", error))
    return FALSE;

  from = g_strdup (assignee);

  return append_simple (memo, history, by, "assign", from, to, NULL, at, error);
}

gboolean
dengon_memo_acknowledge (JsonObject *memo, const char *by, GDateTime *at, GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (!check_open (status, "acknowledge", error))
    return FALSE;

  if (status == DENGON_MEMO_STATUS_ACKNOWLEDGED || status == DENGON_MEMO_STATUS_CALLED_BACK)
    return TRUE;

  return append_simple (memo, history, by, "acknowledge", NULL, NULL, NULL, at, error);
}

gboolean
dengon_memo_called_back (JsonObject *memo, const char *by, const char *note, GDateTime *at,
                         GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (!check_note ("note", note, error) || !check_open (status, "called_back", error))
    return FALSE;

  return append_simple (memo, history, by, "called_back", NULL, NULL, note, at, error);
}

gboolean
dengon_memo_done (JsonObject *memo, const char *by, GDateTime *at, GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (status == DENGON_MEMO_STATUS_DONE)
    return TRUE;

  return append_simple (memo, history, by, "done", NULL, NULL, NULL, at, error);
}

gboolean
dengon_memo_reopen (JsonObject *memo, const char *by, GDateTime *at, GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (status != DENGON_MEMO_STATUS_DONE)
    return TRUE;

  return append_simple (memo, history, by, "reopen", NULL, NULL, NULL, at, error);
}

gboolean
dengon_memo_add_note (JsonObject *memo, const char *by, const char *note, GDateTime *at,
                      GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (dengon_text_is_blank (note))
    return fail (error, "note: must not be empty");

  if (!check_note ("note", note, error))
    return FALSE;

  return append_simple (memo, history, by, "note", NULL, NULL, note, at, error);
}

gboolean
dengon_memo_escalate (JsonObject *memo, const char *by, const char *to, const char *note,
                      GDateTime *at, GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (!is_staff_id (to))
    return fail (error, "to: must be a staff id (\"staff:<login>\")");

  if (!check_note ("note", note, error))
    return FALSE;

  return append_simple (memo, history, by, "escalate", NULL, to, note, at, error);
}

gboolean
dengon_memo_set_outcome (JsonObject *memo, const char *by, const char *outcome, const char *detail,
                         GDateTime *at, GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;
  g_autofree char *time = NULL;
  JsonObject *event;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  if (!dengon_memo_outcome_is_valid (outcome))
    return fail (error,
                 "outcome: unknown outcome \"%s\" (appointment, visited, proposal, won, lost or "
                 "no_need)",
                 outcome != NULL ? outcome : "(null)");

  if (!check_note ("detail", detail, error) || !check_room (history, error))
    return FALSE;

  time = next_event_time (history, at);
  event = new_event (time, by, "outcome", NULL, NULL, outcome);
  dengon_json_set_string_or_null (event, "detail",
                                  detail != NULL && *detail != '\0' ? detail : NULL);
  append (memo, history, event);

  return TRUE;
}

/* The newest action of @by that can be undone (not create, not an undo,
 * not undone already), or NULL. */
JsonObject *
dengon_memo_get_last_undoable (JsonObject *memo, const char *by)
{
  JsonArray *history;
  g_autoptr (GArray) keys = NULL;
  g_autoptr (GHashTable) undone = NULL;

  g_return_val_if_fail (memo != NULL, NULL);

  history = dengon_json_get_array (memo, "history");
  keys = sorted_keys (history);
  undone = undone_events (history);

  for (guint i = keys->len; i-- > 0;)
    {
      JsonNode *node = g_array_index (keys, EventKey, i).node;
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *action = event_string (event, "action");
      g_autofree char *key = NULL;

      if (action == NULL || strcmp (action, "create") == 0 || strcmp (action, "undo") == 0)
        continue;
      if (g_strcmp0 (event_string (event, "by"), by) != 0)
        continue;
      key = event_target_key (event);
      if (g_hash_table_contains (undone, key))
        continue;

      return event;
    }

  return NULL;
}

gboolean
dengon_memo_undo_last (JsonObject *memo, const char *by, GDateTime *at, GError **error)
{
  JsonArray *history;
  DengonMemoStatus status;
  const char *assignee;
  JsonObject *last, *target, *event;
  g_autofree char *time = NULL;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (!json_object_is_immutable (memo), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (memo, by, &history, &status, &assignee, error))
    return FALSE;

  last = dengon_memo_get_last_undoable (memo, by);
  if (last == NULL)
    return fail (error, "history: nothing of %s to undo", by != NULL ? by : "(nobody)");
  if (!check_room (history, error))
    return FALSE;

  target = json_object_new ();
  json_object_set_string_member (target, "at", event_string (last, "at"));
  json_object_set_string_member (target, "action", event_string (last, "action"));
  dengon_json_set_string_or_null (target, "by", event_string (last, "by"));

  time = next_event_time (history, at);
  event = new_event (time, by, "undo", NULL, NULL, NULL);
  json_object_set_object_member (event, "target", target);
  append (memo, history, event);

  return TRUE;
}

/* Merge */

/* The keys of @history, in canonical order; @newest (may be %NULL) gets the last one or %NULL. */
static GArray *
side_keys (JsonObject *memo, EventKey **newest)
{
  GArray *keys = sorted_keys (dengon_json_get_array (memo, "history"));

  *newest = keys->len > 0 ? &g_array_index (keys, EventKey, keys->len - 1) : NULL;

  return keys;
}

static int
compare_tie (JsonObject *a, JsonObject *b)
{
  g_autoptr (JsonObject) ta = object_copy_without (a, merge_dropped);
  g_autoptr (JsonObject) tb = object_copy_without (b, merge_dropped);
  g_autofree char *ca = dengon_json_canonical_object (ta);
  g_autofree char *cb = dengon_json_canonical_object (tb);

  return strcmp (ca, cb);
}

JsonObject *
dengon_memo_merge (JsonObject *a, JsonObject *b)
{
  g_autoptr (GArray) keys_a = NULL;
  g_autoptr (GArray) keys_b = NULL;
  g_autoptr (GPtrArray) merged = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  EventKey *newest_a;
  EventKey *newest_b;
  JsonObject *winner;
  JsonObject *result;
  JsonArray *history;
  int order;

  g_return_val_if_fail (a != NULL, NULL);
  g_return_val_if_fail (b != NULL, NULL);

  keys_a = side_keys (a, &newest_a);
  keys_b = side_keys (b, &newest_b);

  if (newest_a == NULL || newest_b == NULL)
    order = (newest_a != NULL) - (newest_b != NULL);
  else
    order = event_key_compare (newest_a, newest_b);
  if (order == 0)
    order = compare_tie (a, b);
  winner = order >= 0 ? a : b;

  /* Both histories are sorted: merge them, dropping events seen already. */
  for (guint i = 0, j = 0; i < keys_a->len || j < keys_b->len;)
    {
      EventKey *next;

      if (j >= keys_b->len ||
          (i < keys_a->len && event_key_compare (&g_array_index (keys_a, EventKey, i),
                                                 &g_array_index (keys_b, EventKey, j)) <= 0))
        next = &g_array_index (keys_a, EventKey, i++);
      else
        next = &g_array_index (keys_b, EventKey, j++);

      if (g_hash_table_add (seen, (gpointer) event_key_get_canonical (next)))
        g_ptr_array_add (merged, next->node);
    }

  result = object_copy_without (winner, merge_dropped);
  history = json_array_sized_new (merged->len);
  for (guint i = 0; i < merged->len; i++)
    json_array_add_element (history, node_copy_deep (g_ptr_array_index (merged, i)));
  json_object_set_array_member (result, "history", history);
  dengon_memo_recompute (result);

  return result;
}

/* Validation */

static gboolean G_GNUC_PRINTF (3, 4)
    invalid (GError **error, const char *path, const char *format, ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID, "%s: %s", path, detail);

  return FALSE;
}

static char *
member_path (const char *parent, const char *member)
{
  if (parent == NULL)
    return g_strdup (member);

  return g_strconcat (parent, ".", member, NULL);
}

/* Checks that @member of @object is a string (or null/absent when @nullable) of at most
 * @max_chars characters; @value gets it. */
static gboolean
check_string (JsonObject *object, const char *parent, const char *member, gboolean nullable,
              glong max_chars, const char **value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *path = member_path (parent, member);

  if (value != NULL)
    *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (nullable)
        return TRUE;
      return invalid (error, path, node == NULL ? "missing" : "must be a string, not null");
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, path, nullable ? "must be a string or null" : "must be a string");

  if (max_chars > 0 && g_utf8_strlen (json_node_get_string (node), -1) > max_chars)
    return invalid (error, path, "longer than %ld characters", max_chars);

  if (value != NULL)
    *value = json_node_get_string (node);

  return TRUE;
}

static gboolean
check_id (JsonObject *object, const char *parent, const char *member, gboolean nullable,
          const char *prefix, GError **error)
{
  const char *value;
  g_autofree char *path = member_path (parent, member);

  if (!check_string (object, parent, member, nullable, DENGON_MEMO_MAX_ID, &value, error))
    return FALSE;

  if (value != NULL && !has_id_prefix (value, prefix))
    return invalid (error, path, "must start with \"%s\"", prefix);

  return TRUE;
}

static gboolean
check_time (JsonObject *object, const char *parent, const char *member, gboolean nullable,
            gint64 *us, GError **error)
{
  const char *value;
  g_autofree char *path = member_path (parent, member);

  if (!check_string (object, parent, member, nullable, 64, &value, error))
    return FALSE;

  if (value != NULL && !parse_rfc3339 (value, us))
    return invalid (error, path, "not an RFC 3339 time");

  return TRUE;
}

static gboolean
check_object (JsonObject *object, const char *parent, const char *member, JsonObject **value,
              GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *path = member_path (parent, member);

  if (node == NULL)
    return invalid (error, path, "missing");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, path, "must be an object");

  *value = json_node_get_object (node);

  return TRUE;
}

static gboolean
check_call (JsonObject *memo, GError **error)
{
  JsonObject *call;
  const char *direction;
  gint64 started = G_MININT64;
  gint64 ended = G_MININT64;

  if (!check_object (memo, NULL, "call", &call, error))
    return FALSE;

  if (!check_string (call, "call", "direction", FALSE, 0, &direction, error))
    return FALSE;
  if (strcmp (direction, "in") != 0 && strcmp (direction, "out") != 0)
    return invalid (error, "call.direction", "must be \"in\" or \"out\"");

  if (!check_string (call, "call", "number", TRUE, DENGON_MEMO_MAX_NUMBER, NULL, error) ||
      !check_string (call, "call", "number_display", TRUE, DENGON_MEMO_MAX_NUMBER, NULL, error) ||
      !check_time (call, "call", "started_at", TRUE, &started, error) ||
      !check_time (call, "call", "ended_at", TRUE, &ended, error))
    return FALSE;

  if (started != G_MININT64 && ended != G_MININT64 && ended < started)
    return invalid (error, "call.ended_at", "before call.started_at");

  return TRUE;
}

static gboolean
check_caller (JsonObject *memo, GError **error)
{
  JsonObject *caller;

  return check_object (memo, NULL, "caller", &caller, error) &&
         check_string (caller, "caller", "name", TRUE, DENGON_MEMO_MAX_NAME, NULL, error) &&
         check_string (caller, "caller", "company", TRUE, DENGON_MEMO_MAX_NAME, NULL, error) &&
         check_id (caller, "caller", "contact_id", TRUE, "contact:", error);
}

static gboolean
check_callback (JsonObject *memo, GError **error)
{
  JsonObject *callback;
  JsonNode *requested;

  if (!check_object (memo, NULL, "callback", &callback, error))
    return FALSE;

  requested = json_object_get_member (callback, "requested");
  if (requested == NULL)
    return invalid (error, "callback.requested", "missing");
  if (!JSON_NODE_HOLDS_VALUE (requested) || json_node_get_value_type (requested) != G_TYPE_BOOLEAN)
    return invalid (error, "callback.requested", "must be true or false");

  return check_string (callback, "callback", "number", TRUE, DENGON_MEMO_MAX_NUMBER, NULL, error) &&
         check_time (callback, "callback", "by", TRUE, NULL, error);
}

static gboolean
check_script (JsonObject *memo, GError **error)
{
  JsonObject *script;
  JsonObject *answers;

  return check_object (memo, NULL, "script", &script, error) &&
         check_id (script, "script", "id", TRUE, "script:", error) &&
         check_object (script, "script", "answers", &answers, error);
}

static gboolean
check_event (JsonNode *node, guint index, GError **error)
{
  g_autofree char *path = g_strdup_printf ("history[%u]", index);
  JsonObject *event;
  const char *action;
  const char *note;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, path, "must be an object");
  event = json_node_get_object (node);

  if (!check_time (event, path, "at", FALSE, NULL, error) ||
      !check_id (event, path, "by", TRUE, "staff:", error) ||
      !check_string (event, path, "action", FALSE, 0, &action, error))
    return FALSE;

  if (!dengon_memo_action_is_known (action))
    {
      g_autofree char *action_path = member_path (path, "action");

      return invalid (error, action_path, "unknown action \"%s\"", action);
    }

  if (index == 0 && strcmp (action, "create") != 0)
    return invalid (error, "history", "the first event must be \"create\"");
  if (index > 0 && strcmp (action, "create") == 0)
    {
      g_autofree char *action_path = member_path (path, "action");

      return invalid (error, action_path, "only the first event may be \"create\"");
    }

  /* Assignees are staff ids; "from"/"to" of other actions are kept for newer versions. */
  if (strcmp (action, "create") == 0 || strcmp (action, "assign") == 0 ||
      strcmp (action, "escalate") == 0)
    {
      if (!check_id (event, path, "from", TRUE, "staff:", error) ||
          !check_id (event, path, "to", strcmp (action, "escalate") != 0, "staff:", error))
        return FALSE;
    }
  else if (!check_string (event, path, "from", TRUE, DENGON_MEMO_MAX_ID, NULL, error) ||
           !check_string (event, path, "to", TRUE, DENGON_MEMO_MAX_ID, NULL, error))
    return FALSE;

  if (!check_string (event, path, "note", TRUE, DENGON_MEMO_MAX_NOTE, &note, error) ||
      !check_string (event, path, "detail", TRUE, DENGON_MEMO_MAX_NOTE, NULL, error))
    return FALSE;

  if (strcmp (action, "note") == 0 && dengon_text_is_blank (note))
    {
      g_autofree char *note_path = member_path (path, "note");

      return invalid (error, note_path, "must not be empty for a \"note\" event");
    }

  if (strcmp (action, "undo") == 0)
    {
      JsonObject *target = dengon_json_get_object (json_node_get_object (node), "target");

      if (target == NULL || event_string (target, "at") == NULL ||
          event_string (target, "action") == NULL)
        {
          g_autofree char *target_path = member_path (path, "target");

          return invalid (error, target_path, "must name the undone event's \"at\" and \"action\"");
        }
    }

  if (strcmp (action, "outcome") == 0 && !dengon_memo_outcome_is_valid (note))
    {
      g_autofree char *note_path = member_path (path, "note");

      return invalid (error, note_path, "unknown outcome \"%s\"", note != NULL ? note : "null");
    }

  return TRUE;
}

static gboolean
check_history (JsonObject *memo, GError **error)
{
  JsonNode *node = json_object_get_member (memo, "history");
  JsonArray *history;
  guint n;

  if (node == NULL)
    return invalid (error, "history", "missing");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "history", "must be an array");

  history = json_node_get_array (node);
  n = json_array_get_length (history);
  if (n == 0)
    return invalid (error, "history", "the first event must be \"create\"");
  if (n > DENGON_MEMO_MAX_EVENTS)
    return invalid (error, "history", "more than %d events", DENGON_MEMO_MAX_EVENTS);

  for (guint i = 0; i < n; i++)
    {
      if (!check_event (json_array_get_element (history, i), i, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
dengon_memo_validate (JsonObject *memo, GError **error)
{
  const char *value;

  g_return_val_if_fail (memo != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (memo, NULL, "_id", FALSE, "memo:", error) ||
      !check_string (memo, NULL, "_rev", TRUE, 0, NULL, error))
    return FALSE;

  if (!check_string (memo, NULL, "type", FALSE, 0, &value, error))
    return FALSE;
  if (strcmp (value, "memo") != 0)
    return invalid (error, "type", "must be \"memo\"");

  if (!check_time (memo, NULL, "created_at", FALSE, NULL, error) ||
      !check_id (memo, NULL, "taken_by", TRUE, "staff:", error) || !check_call (memo, error) ||
      !check_caller (memo, error) || !check_id (memo, NULL, "for", TRUE, "staff:", error) ||
      !check_string (memo, NULL, "category", TRUE, DENGON_MEMO_MAX_CATEGORY, NULL, error))
    return FALSE;

  if (!check_string (memo, NULL, "urgency", FALSE, 0, &value, error))
    return FALSE;
  if (strcmp (value, "normal") != 0 && strcmp (value, "urgent") != 0)
    return invalid (error, "urgency", "must be \"normal\" or \"urgent\"");

  if (!check_callback (memo, error) ||
      !check_string (memo, NULL, "message", FALSE, DENGON_MEMO_MAX_MESSAGE, NULL, error) ||
      !check_script (memo, error))
    return FALSE;

  if (!check_string (memo, NULL, "status", FALSE, 0, &value, error))
    return FALSE;
  if (!dengon_memo_status_from_string (value, NULL))
    return invalid (error, "status", "unknown status \"%s\"", value);

  return check_history (memo, error);
}

gboolean
dengon_memo_is_memo (JsonObject *doc)
{
  return doc != NULL && g_strcmp0 (dengon_json_get_string (doc, "type"), "memo") == 0;
}

/* Summary */

static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

char *
dengon_memo_get_summary (JsonObject *memo)
{
  const char *message;
  const char *p;

  g_return_val_if_fail (memo != NULL, NULL);

  message = dengon_json_get_string (memo, "message");
  if (message == NULL)
    return g_strdup ("");

  p = message;
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *raw = NULL;
      g_autofree char *line = NULL;
      g_autoptr (GString) summary = NULL;

      while (*end != '\0' && !is_line_break (g_utf8_get_char (end)))
        end = g_utf8_next_char (end);

      raw = g_strndup (p, end - p);
      p = *end != '\0' ? g_utf8_next_char (end) : end;

      line = dengon_text_strip (raw);
      if (line == NULL)
        continue;

      /* Tabs and other controls become spaces: this is one line of text. */
      summary = g_string_new (NULL);
      for (const char *q = line; *q != '\0'; q = g_utf8_next_char (q))
        {
          gunichar c = g_utf8_get_char (q);

          g_string_append_unichar (summary, g_unichar_iscntrl (c) ? ' ' : c);
        }

      if (g_utf8_strlen (summary->str, -1) > DENGON_MEMO_SUMMARY_MAX)
        {
          const char *cut = g_utf8_offset_to_pointer (summary->str, DENGON_MEMO_SUMMARY_MAX - 1);
          g_autofree char *cut_text = g_strndup (summary->str, cut - summary->str);
          g_autofree char *head = dengon_text_strip (cut_text);

          return g_strconcat (head, "…", NULL);
        }

      return g_string_free (g_steal_pointer (&summary), FALSE);
    }

  return g_strdup ("");
}

DengonCallResult
dengon_memo_get_call_result (JsonObject *memo)
{
  JsonObject *call = dengon_json_get_object (memo, "call");
  JsonObject *script = dengon_json_get_object (memo, "script");
  JsonObject *answers = script != NULL ? dengon_json_get_object (script, "answers") : NULL;
  JsonObject *callback = dengon_json_get_object (memo, "callback");
  JsonArray *history = dengon_json_get_array (memo, "history");

  if (g_strcmp0 (dengon_json_get_string (call, "direction"), "out") != 0)
    return DENGON_CALL_RESULT_NONE;

  if (answers != NULL &&
      g_strcmp0 (dengon_json_get_string (answers, "interest"), "appointment") == 0)
    return DENGON_CALL_RESULT_APPOINTMENT;
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *note;

      if (g_strcmp0 (dengon_json_get_string (event, "action"), "outcome") != 0)
        continue;
      note = dengon_json_get_string (event, "note");
      if (g_strv_contains (
              (const char *const[]){ "appointment", "visited", "proposal", "won", NULL },
              note != NULL ? note : "") &&
          !dengon_memo_event_is_undone (memo, event))
        return DENGON_CALL_RESULT_APPOINTMENT;
    }
  if (callback != NULL && dengon_json_get_boolean (callback, "requested", FALSE))
    return DENGON_CALL_RESULT_TRY_AGAIN;
  return DENGON_CALL_RESULT_REACHED;
}

JsonObject *
dengon_memo_get_escalation (JsonObject *memo, JsonObject **outcome)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  JsonObject *escalation = NULL, *result = NULL;
  gint64 escalated_at = 0, result_at = 0;

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *action = dengon_json_get_string (event, "action");
      gint64 at;

      if (g_strcmp0 (action, "escalate") != 0 && g_strcmp0 (action, "outcome") != 0)
        continue;
      if (dengon_memo_event_is_undone (memo, event))
        continue;
      at = dengon_json_timestamp_to_ms (dengon_json_get_string (event, "at"));
      if (strcmp (action, "escalate") == 0)
        {
          if (escalation == NULL || at >= escalated_at)
            {
              escalation = event;
              escalated_at = at;
            }
        }
      else if (result == NULL || at >= result_at)
        {
          result = event;
          result_at = at;
        }
    }

  /* An outcome recorded before the lead was escalated (again) is not its outcome. */
  if (outcome != NULL)
    *outcome = escalation != NULL && result != NULL && result_at >= escalated_at ? result : NULL;
  return escalation;
}

const char *
dengon_memo_outcome_get_label (const char *outcome)
{
  if (g_strcmp0 (outcome, "appointment") == 0)
    return C_ ("outcome", "Appointment Set");
  if (g_strcmp0 (outcome, "visited") == 0)
    return C_ ("outcome", "Visited");
  if (g_strcmp0 (outcome, "proposal") == 0)
    return C_ ("outcome", "Proposal Sent");
  if (g_strcmp0 (outcome, "won") == 0)
    return C_ ("outcome", "Won");
  if (g_strcmp0 (outcome, "lost") == 0)
    return C_ ("outcome", "Lost");
  if (g_strcmp0 (outcome, "no_need") == 0)
    return C_ ("outcome", "No Need");
  return "";
}

char *
dengon_memo_describe_event (JsonObject *event, const char *by, const char *to)
{
  const char *action = dengon_json_get_string (event, "action");

  if (g_strcmp0 (action, "create") == 0)
    return to != NULL ? g_strdup_printf (_ ("%s took the message for %s"), by, to)
                      : g_strdup_printf (_ ("%s took the message"), by);
  if (g_strcmp0 (action, "assign") == 0)
    return to != NULL ? g_strdup_printf (_ ("%s assigned it to %s"), by, to)
                      : g_strdup_printf (_ ("%s unassigned it"), by);
  if (g_strcmp0 (action, "acknowledge") == 0)
    return g_strdup_printf (_ ("%s acknowledged it"), by);
  if (g_strcmp0 (action, "called_back") == 0)
    return g_strdup_printf (_ ("%s called back"), by);
  if (g_strcmp0 (action, "done") == 0)
    return g_strdup_printf (_ ("%s marked it done"), by);
  if (g_strcmp0 (action, "reopen") == 0)
    return g_strdup_printf (_ ("%s reopened it"), by);
  if (g_strcmp0 (action, "note") == 0)
    return g_strdup_printf (_ ("%s added a note"), by);
  if (g_strcmp0 (action, "escalate") == 0)
    return g_strdup_printf (_ ("%s escalated it to %s"), by, to != NULL ? to : _ ("Someone"));
  if (g_strcmp0 (action, "outcome") == 0)
    {
      const char *label = dengon_memo_outcome_get_label (dengon_json_get_string (event, "note"));

      /* Translators: "山田 健 recorded the outcome: Won" */
      return *label != '\0' ? g_strdup_printf (_ ("%s recorded the outcome: %s"), by, label)
                            : g_strdup_printf (_ ("%s recorded the outcome"), by);
    }

  return g_strdup_printf ("%s: %s", by, action != NULL ? action : "?");
}
