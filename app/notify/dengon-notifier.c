/* dengon-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>
#include <stdio.h>

#include "dengon-contact.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo-actions.h"
#include "dengon-memo.h"
#include "dengon-notifier.h"
#include "dengon-phone.h"
#include "dengon-report.h"

/* Tells the person at this desk when a memo becomes theirs, and when a
 * callback is due.
 *
 * It listens to the store, not to the window: an assignment made at
 * another desk arrives through sync as a store change like any other.
 * What it has shown is remembered in a local document ("_local/notified"),
 * so a restart or a re-sync never shows it again; a burst of new
 * assignments (a laptop back online) becomes one summary. */

#define NOTIFIED_DOC "notified"
/* New assignments are shown once none arrived for QUIET_MS, and at the latest MAX_BATCH_MS after
 * the first: one memo pops up at once, a laptop catching up page by page gets one summary. */
#define QUIET_MS     250
#define MAX_BATCH_MS 2000
#define SAVE_MS      1500
#define KEEP_DAYS    90
/* An assignment older than this is history, not news: a desk that joins the office pulls months
 * of them. A laptop back after a long weekend still hears of its new ones. */
#define NEWS_DAYS 7
#define MAX_KEYS  5000
/* A callback missed while Dengon was not running is still worth a
 * reminder for this long. */
#define LATE_REMINDER_MS (12 * 3600 * 1000)

typedef struct
{
  char *memo_id;
  char *key;
  char *summary;
  char *body;
  gboolean urgent;
  gboolean reminder;
  gboolean stale; /* remembered, never shown */
} Candidate;

struct _DengonNotifier
{
  GObject parent_instance;

  DengonStore *store;
  GSettings *settings;
  char *me;
  GCancellable *cancellable;
  DengonNowFunc now;
  gpointer now_data;

  GHashTable *notified; /* key -> (gint64 *) ms */
  gboolean loaded;
  gboolean first_run;
  GPtrArray *pending; /* Candidate, waiting for the batch to close */
  GHashTable *shown;  /* memo id (or "") -> NotifyNotification */
  guint batch_source;
  gint64 batch_opened; /* monotonic µs */
  guint save_source;
  guint reminder_source;
  guint n_running;
};

enum
{
  OPEN_MEMO,
  CALL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DengonNotifier, dengon_notifier, G_TYPE_OBJECT)

static void schedule_reminders (DengonNotifier *self);

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->memo_id);
  g_free (candidate->key);
  g_free (candidate->summary);
  g_free (candidate->body);
  g_free (candidate);
}

static GDateTime *
now_real (gpointer user_data)
{
  return g_date_time_new_now_utc ();
}

static gint64
now_ms (DengonNotifier *self)
{
  g_autoptr (GDateTime) now = self->now (self->now_data);

  return g_date_time_to_unix (now) * 1000 + g_date_time_get_microsecond (now) / 1000;
}

/* ------------------------------------------------------------------ what is notified */

static gboolean
on_save (gpointer user_data)
{
  DengonNotifier *self = user_data;
  g_autoptr (JsonObject) doc = json_object_new ();
  JsonObject *keys = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = NULL;
  gint64 oldest = now_ms (self) - (gint64) KEEP_DAYS * 24 * 3600 * 1000;
  GHashTableIter iter;
  const char *key;
  gint64 *at;

  self->save_source = 0;

  /* Old entries go: their memos are long done or their events long past. */
  g_hash_table_iter_init (&iter, self->notified);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &at))
    {
      if (*at < oldest && g_hash_table_size (self->notified) > 0)
        g_hash_table_iter_remove (&iter);
      else
        json_object_set_int_member (keys, key, *at);
    }
  json_object_set_object_member (doc, "keys", keys);

  rev = dengon_store_put_local (self->store, NOTIFIED_DOC, doc, &error);
  if (rev == NULL)
    g_message ("Could not remember notifications: %s", error->message);

  return G_SOURCE_REMOVE;
}

static void
schedule_save (DengonNotifier *self)
{
  if (self->save_source == 0)
    self->save_source = g_timeout_add (SAVE_MS, on_save, self);
}

static void
remember (DengonNotifier *self, const char *key, gint64 at)
{
  gint64 *value = g_new (gint64, 1);

  *value = at;
  g_hash_table_replace (self->notified, g_strdup (key), value);

  /* Bounded: drop the oldest beyond MAX_KEYS. */
  if (g_hash_table_size (self->notified) > MAX_KEYS)
    {
      GHashTableIter iter;
      const char *k, *oldest_key = NULL;
      gint64 *v, oldest = G_MAXINT64;

      g_hash_table_iter_init (&iter, self->notified);
      while (g_hash_table_iter_next (&iter, (gpointer *) &k, (gpointer *) &v))
        if (*v < oldest)
          {
            oldest = *v;
            oldest_key = k;
          }
      if (oldest_key != NULL)
        g_hash_table_remove (self->notified, oldest_key);
    }

  schedule_save (self);
}

static void
load_notified (DengonNotifier *self)
{
  g_autoptr (JsonObject) doc = dengon_store_get_local (self->store, NOTIFIED_DOC, NULL);
  JsonObject *keys = dengon_json_get_object (doc, "keys");
  g_autoptr (GList) members = keys ? json_object_get_members (keys) : NULL;

  self->first_run = doc == NULL;
  for (GList *l = members; l; l = l->next)
    {
      gint64 *value = g_new (gint64, 1);

      *value = dengon_json_get_int (keys, l->data, 0);
      g_hash_table_replace (self->notified, g_strdup (l->data), value);
    }
  self->loaded = TRUE;
}

/* ------------------------------------------------------------------ reading memos (worker threads)
 */

static char *
caller_text (JsonObject *memo)
{
  JsonObject *caller = dengon_json_get_object (memo, "caller");
  JsonObject *call = dengon_json_get_object (memo, "call");
  const char *name = dengon_json_get_string (caller, "name");
  const char *company = dengon_json_get_string (caller, "company");
  const char *number = dengon_json_get_string (call, "number_display");

  if (name == NULL || *name == '\0')
    name = number != NULL ? number : _ ("Unknown caller");
  if (company != NULL && *company != '\0')
    /* Translators: a notification's title, "caller · company" */
    return g_strdup_printf (_ ("%s · %s"), name, company);

  return g_strdup (name);
}

static char *
body_text (JsonObject *memo, GDateTime *now)
{
  JsonObject *call = dengon_json_get_object (memo, "call");
  JsonObject *callback = dengon_json_get_object (memo, "callback");
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *summary = dengon_memo_get_summary (memo);
  const char *number = dengon_json_get_string (call, "number");
  const char *display = dengon_json_get_string (call, "number_display");
  gint64 callback_ms;

  if (number != NULL || display != NULL)
    {
      g_autoptr (DengonPhoneNumber) parsed =
          dengon_phone_number_parse (number ? number : display, NULL, NULL);

      g_string_append (body, parsed != NULL ? parsed->display : display);
    }
  if (*summary != '\0')
    g_string_append_printf (body, "%s%s", body->len ? "\n" : "", summary);

  callback_ms = dengon_json_get_boolean (callback, "requested", FALSE)
                    ? dengon_json_timestamp_to_ms (dengon_json_get_string (callback, "by"))
                    : 0;
  if (callback_ms > 0)
    {
      g_autofree char *deadline = dengon_format_callback (callback_ms, now, NULL);

      g_string_append_printf (body, "%s%s", body->len ? "\n" : "", deadline);
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* The event that made @memo @me's: the newest assign (or the create) still
 * standing.  NULL when the memo is not @me's. */
static JsonObject *
assignment_of (JsonObject *memo, const char *me)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  JsonNode *best = NULL;
  const char *assignee = NULL;

  dengon_memo_fold_history (history, &assignee);
  if (g_strcmp0 (assignee, me) != 0)
    return NULL;

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *action = dengon_json_get_string (event, "action");

      if (g_strcmp0 (action, "create") != 0 && g_strcmp0 (action, "assign") != 0)
        continue;
      if (dengon_memo_event_is_undone (memo, event))
        continue;
      if (best == NULL || dengon_memo_event_compare (node, best) > 0)
        best = node;
    }

  if (best == NULL ||
      g_strcmp0 (dengon_json_get_string (json_node_get_object (best), "to"), me) != 0)
    return NULL;

  return json_node_get_object (best);
}

static gboolean
is_old (const char *at, GDateTime *now)
{
  g_autoptr (GDateTime) when = at != NULL ? dengon_json_parse_timestamp (at) : NULL;

  return when != NULL && g_date_time_difference (now, when) > NEWS_DAYS * G_TIME_SPAN_DAY;
}

typedef struct
{
  GPtrArray *ids;
  char *me;
  GDateTime *now;
  gboolean baseline; /* first run: remember what is there, show nothing */
} ScanRequest;

static void
scan_request_free (ScanRequest *request)
{
  g_ptr_array_unref (request->ids);
  g_free (request->me);
  g_date_time_unref (request->now);
  g_free (request);
}

static gpointer
scan_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ScanRequest *request = data;
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr (GPtrArray) ids = NULL;

  if (request->baseline)
    {
      DengonMemoQuery mine = { .status_mask = 0xf, .assignee = request->me };
      g_autoptr (GPtrArray) hits = dengon_store_list_memos (store, &mine, 0, G_MAXINT, NULL);

      ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; hits != NULL && i < hits->len; i++)
        g_ptr_array_add (ids, g_strdup (((DengonMemoHit *) hits->pdata[i])->id));
    }
  else
    ids = g_ptr_array_ref (request->ids);

  for (guint i = 0; i < ids->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr (JsonObject) memo = dengon_store_get (store, ids->pdata[i], NULL);
      JsonObject *event;
      Candidate *candidate;

      if (memo == NULL || !dengon_memo_is_memo (memo))
        continue;
      event = assignment_of (memo, request->me);
      if (event == NULL)
        continue;
      /* One's own assignments to oneself are no news. */
      if (g_strcmp0 (dengon_json_get_string (event, "by"), request->me) == 0)
        continue;

      candidate = g_new0 (Candidate, 1);
      candidate->stale = dengon_memo_get_status (memo) == DENGON_MEMO_STATUS_DONE ||
                         is_old (dengon_json_get_string (event, "at"), request->now);
      candidate->memo_id = g_strdup (ids->pdata[i]);
      candidate->key = g_strdup_printf ("assign|%s|%s|%s", candidate->memo_id,
                                        dengon_json_get_string (event, "at"),
                                        dengon_json_get_string (event, "by") ?: "");
      if (!request->baseline && !candidate->stale)
        {
          candidate->summary = caller_text (memo);
          candidate->body = body_text (memo, request->now);
          candidate->urgent = g_strcmp0 (dengon_json_get_string (memo, "urgency"), "urgent") == 0;
        }
      g_ptr_array_add (candidates, candidate);
    }

  return candidates;
}

/* ------------------------------------------------------------------ showing */

static gboolean
quiet_now (DengonNotifier *self)
{
  g_autoptr (GDateTime) now = self->now (self->now_data);
  g_autoptr (GDateTime) local = g_date_time_to_local (now);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  int fh, fm, th, tm, minute;

  if (!g_settings_get_boolean (self->settings, "dnd-enabled"))
    return FALSE;

  from = g_settings_get_string (self->settings, "dnd-from");
  to = g_settings_get_string (self->settings, "dnd-to");
  if (sscanf (from, "%d:%d", &fh, &fm) != 2 || sscanf (to, "%d:%d", &th, &tm) != 2)
    return FALSE;

  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (fh * 60 + fm <= th * 60 + tm)
    return minute >= fh * 60 + fm && minute < th * 60 + tm;

  /* Quiet hours across midnight, e.g. 19:00 to 08:00. */
  return minute >= fh * 60 + fm || minute < th * 60 + tm;
}

static void
on_closed (NotifyNotification *notification, DengonNotifier *self)
{
  const char *id = g_object_get_data (G_OBJECT (notification), "memo-id");

  if (g_hash_table_lookup (self->shown, id ? id : "") == notification)
    g_hash_table_remove (self->shown, id ? id : "");
}

static void
on_acknowledged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NotifyNotification *notification = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) memo =
      dengon_memo_action_run_finish (DENGON_STORE (source), result, &error);

  if (memo == NULL)
    g_message ("Could not acknowledge from the notification: %s", error->message);
  notify_notification_close (notification, NULL);
  g_object_unref (notification);
}

static void
on_action (NotifyNotification *notification, char *action, gpointer user_data)
{
  DengonNotifier *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (notification), "memo-id");

  if (g_str_equal (action, "acknowledge") && id != NULL && self->me != NULL)
    {
      g_autoptr (DengonMemoAction) ack =
          dengon_memo_action_new (DENGON_MEMO_ACTION_ACKNOWLEDGE, self->me);

      dengon_memo_action_run_async (self->store, id, ack, self->cancellable, on_acknowledged,
                                    g_object_ref (notification));
    }
  else if (g_str_equal (action, "call-back") && id != NULL)
    g_signal_emit (self, signals[CALL_BACK], 0, id);
  else
    g_signal_emit (self, signals[OPEN_MEMO], 0, id);
}

static void
show (DengonNotifier *self, const char *memo_id, const char *summary, const char *body,
      gboolean urgent, gboolean with_memo_actions)
{
  NotifyNotification *notification = notify_notification_new (summary, body, APPLICATION_ID);
  g_autoptr (GError) error = NULL;

  notify_notification_set_app_name (notification, _ ("Dengon"));
  notify_notification_set_category (notification, "im.received");
  notify_notification_set_urgency (notification,
                                   urgent ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
  notify_notification_set_hint_string (notification, "desktop-entry", APPLICATION_ID);
  if (g_settings_get_boolean (self->settings, "notification-sound"))
    notify_notification_set_hint_string (notification, "sound-name", "message-new-instant");

  g_object_set_data_full (G_OBJECT (notification), "memo-id", g_strdup (memo_id), g_free);
  notify_notification_add_action (notification, "default", _ ("Open"), on_action, self, NULL);
  notify_notification_add_action (notification, "open", _ ("Open"), on_action, self, NULL);
  if (with_memo_actions)
    {
      notify_notification_add_action (notification, "acknowledge", _ ("Acknowledge"), on_action,
                                      self, NULL);
      notify_notification_add_action (notification, "call-back", _ ("Call Back"), on_action, self,
                                      NULL);
    }
  g_signal_connect (notification, "closed", G_CALLBACK (on_closed), self);

  /* Kept until closed: its actions call back into this process. */
  g_hash_table_replace (self->shown, g_strdup (memo_id ? memo_id : ""), notification);

  if (!notify_notification_show (notification, &error))
    g_message ("Could not show a notification: %s", error->message);
}

static void
show_candidates (DengonNotifier *self, GPtrArray *candidates)
{
  gboolean enabled = g_settings_get_boolean (self->settings, "notifications-enabled");
  gboolean quiet = quiet_now (self);
  g_autoptr (GPtrArray) visible = g_ptr_array_new ();

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *candidate = candidates->pdata[i];

      /* Quiet hours hold back all but urgent memos (they stay in the inbox). */
      if (enabled && (!quiet || candidate->urgent))
        g_ptr_array_add (visible, candidate);
    }

  if (visible->len > DENGON_NOTIFIER_SUMMARY_THRESHOLD)
    {
      g_autofree char *summary =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new message for you",
                                        "%u new messages for you", visible->len),
                           visible->len);
      gboolean urgent = FALSE;

      for (guint i = 0; i < visible->len; i++)
        urgent |= ((Candidate *) visible->pdata[i])->urgent;
      show (self, NULL, summary, _ ("They are listed under “For Me”."), urgent, FALSE);
      return;
    }

  for (guint i = 0; i < visible->len; i++)
    {
      Candidate *candidate = visible->pdata[i];

      show (self, candidate->memo_id, candidate->summary, candidate->body, candidate->urgent, TRUE);
    }
}

static gboolean
on_batch_closed (gpointer user_data)
{
  DengonNotifier *self = user_data;
  g_autoptr (GPtrArray) pending = g_steal_pointer (&self->pending);

  self->batch_source = 0;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  show_candidates (self, pending);

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ reacting to the store */

typedef struct
{
  DengonNotifier *self;
  gboolean baseline;
} ScanContext;

static void
on_scanned (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ScanContext *context = user_data;
  g_autoptr (DengonNotifier) self = context->self;
  gboolean baseline = context->baseline;
  g_autoptr (GPtrArray) candidates = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now = now_ms (self);

  g_free (context);
  self->n_running--;
  candidates = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  if (candidates == NULL)
    return;

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *candidate = candidates->pdata[i];

      if (g_hash_table_contains (self->notified, candidate->key))
        continue;
      remember (self, candidate->key, now);
      if (!baseline && !candidate->stale)
        g_ptr_array_add (self->pending, g_ptr_array_steal_index (candidates, i--));
    }

  if (self->pending->len > 0)
    {
      gint64 now_us = g_get_monotonic_time ();

      if (self->batch_source == 0)
        self->batch_opened = now_us;
      if (now_us - self->batch_opened < (MAX_BATCH_MS - QUIET_MS) * 1000)
        {
          g_clear_handle_id (&self->batch_source, g_source_remove);
          self->batch_source = g_timeout_add (QUIET_MS, on_batch_closed, self);
        }
    }
}

static void
scan (DengonNotifier *self, GPtrArray *ids, gboolean baseline)
{
  ScanRequest *request;
  ScanContext *context;

  if (self->me == NULL)
    return;

  request = g_new0 (ScanRequest, 1);
  request->ids = ids != NULL ? g_ptr_array_ref (ids) : g_ptr_array_new ();
  request->me = g_strdup (self->me);
  request->now = self->now (self->now_data);
  request->baseline = baseline;

  context = g_new0 (ScanContext, 1);
  context->self = g_object_ref (self);
  context->baseline = baseline;
  self->n_running++;
  dengon_store_run_async_full (
      self->store, G_PRIORITY_LOW, scan_thread, request, (GDestroyNotify) scan_request_free,
      (GDestroyNotify) g_ptr_array_unref, self->cancellable, on_scanned, context);
}

static void
on_store_changed (DengonNotifier *self, GPtrArray *changes, DengonStore *store)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];

      if (change->memo_key != 0 && !change->deleted)
        g_ptr_array_add (ids, g_strdup (change->id));
    }

  if (ids->len > 0)
    {
      scan (self, ids, FALSE);
      schedule_reminders (self);
    }
}

/* ------------------------------------------------------------------ reminders */

typedef struct
{
  char *me;
  gint64 now_ms;
  gint64 lead_ms;
  GDateTime *now;
} ReminderRequest;

static void
reminder_request_free (ReminderRequest *request)
{
  g_free (request->me);
  g_date_time_unref (request->now);
  g_free (request);
}

static gpointer
reminder_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ReminderRequest *request = data;
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr (GPtrArray) hits =
      dengon_store_list_callbacks (store, request->me, request->now_ms - LATE_REMINDER_MS,
                                   request->now_ms + request->lead_ms + 1, error);

  for (guint i = 0; hits != NULL && i < hits->len; i++)
    {
      const char *id = ((DengonMemoHit *) hits->pdata[i])->id;
      g_autoptr (JsonObject) memo = dengon_store_get (store, id, NULL);
      JsonObject *callback = dengon_json_get_object (memo, "callback");
      gint64 due = dengon_json_timestamp_to_ms (dengon_json_get_string (callback, "by"));
      g_autofree char *who = NULL;
      g_autofree char *when = NULL;
      Candidate *candidate;
      gboolean at_time;

      if (memo == NULL || due == 0)
        continue;

      /* Once before (at the lead time), once at the time. */
      at_time = request->now_ms >= due;
      if (!at_time && request->now_ms < due - request->lead_ms)
        continue;
      if (!at_time && request->lead_ms == 0)
        continue;

      who = caller_text (memo);
      when = dengon_format_time (due);
      candidate = g_new0 (Candidate, 1);
      candidate->memo_id = g_strdup (id);
      candidate->key =
          g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT, at_time ? "due" : "lead", id, due);
      candidate->summary = at_time ? g_strdup_printf (_ ("Time to call back %s"), who)
                                   : g_strdup_printf (_ ("Call back %s at %s"), who, when);
      candidate->body = body_text (memo, request->now);
      candidate->urgent = g_strcmp0 (dengon_json_get_string (memo, "urgency"), "urgent") == 0;
      candidate->reminder = TRUE;
      g_ptr_array_add (candidates, candidate);
    }

  /* Leads escalated to me that still wait for their outcome after the office's number of days:
   * once each (a lead escalated again is reminded again). */
  {
    g_autoptr (JsonObject) office = dengon_store_get (store, "office:settings", NULL);
    guint days = dengon_office_get_escalation_days (office);
    g_autoptr (GPtrArray) leads =
        dengon_report_list_followups (store, request->now_ms, days, request->me, NULL);

    for (guint i = 0; leads != NULL && i < leads->len; i++)
      {
        DengonReportFollowup *lead = g_ptr_array_index (leads, i);
        g_autofree char *who = NULL;
        Candidate *candidate;

        if (lead->caller != NULL && lead->company != NULL)
          who = g_strdup_printf ("%s · %s", lead->caller, lead->company);
        else if (lead->caller != NULL || lead->company != NULL)
          who = g_strdup (lead->caller != NULL ? lead->caller : lead->company);
        else
          who = g_strdup (lead->number != NULL ? lead->number : _ ("Unknown caller"));

        candidate = g_new0 (Candidate, 1);
        candidate->memo_id = g_strdup (lead->id);
        candidate->key =
            g_strdup_printf ("escalation|%s|%" G_GINT64_FORMAT, lead->id, lead->escalated_ms);
        candidate->summary = g_strdup_printf (_ ("What came of the lead from %s?"), who);
        candidate->body = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "Escalated to you %u day ago: %s\nRecord the outcome.",
                         "Escalated to you %u days ago: %s\nRecord the outcome.", lead->days),
            lead->days, lead->summary);
        candidate->reminder = TRUE;
        g_ptr_array_add (candidates, candidate);
      }
  }

  return candidates;
}

static void
on_reminders_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonNotifier) self = user_data;
  g_autoptr (GPtrArray) candidates = NULL;
  g_autoptr (GPtrArray) fresh = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  gint64 now = now_ms (self);

  self->n_running--;
  candidates = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  if (candidates == NULL)
    return;

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *candidate = candidates->pdata[i];

      if (g_hash_table_contains (self->notified, candidate->key))
        continue;
      remember (self, candidate->key, now);
      g_ptr_array_add (fresh, candidate);
    }

  /* Reminders are not batched: each is due at its own time. */
  if (fresh->len > 0)
    show_candidates (self, fresh);
  schedule_reminders (self);
}

void
dengon_notifier_check_reminders (DengonNotifier *self)
{
  ReminderRequest *request;

  g_return_if_fail (DENGON_IS_NOTIFIER (self));

  if (self->me == NULL)
    return;

  request = g_new0 (ReminderRequest, 1);
  request->me = g_strdup (self->me);
  request->now = self->now (self->now_data);
  request->now_ms = now_ms (self);
  request->lead_ms =
      (gint64) g_settings_get_int (self->settings, "reminder-lead-minutes") * 60 * 1000;

  self->n_running++;
  dengon_store_run_async (self->store, reminder_thread, request,
                          (GDestroyNotify) reminder_request_free,
                          (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                          on_reminders_checked, g_object_ref (self));
}

static gboolean
on_reminder_timeout (gpointer user_data)
{
  DengonNotifier *self = user_data;

  self->reminder_source = 0;
  dengon_notifier_check_reminders (self);

  return G_SOURCE_REMOVE;
}

/* Wakes up at the next lead time or deadline, not every minute. */
static void
schedule_reminders (DengonNotifier *self)
{
  gint64 now = now_ms (self);
  gint64 lead = (gint64) g_settings_get_int (self->settings, "reminder-lead-minutes") * 60 * 1000;
  gint64 next_due, wake;

  g_clear_handle_id (&self->reminder_source, g_source_remove);
  if (self->now != now_real)
    return; /* a test's clock: the test calls check_reminders() */

  /* Escalated leads become late by the day: look at least once an hour. */
  next_due = dengon_store_get_next_callback (self->store, now, NULL);
  if (next_due == 0)
    wake = now + 3600 * 1000;
  else
    wake = MIN (next_due - lead > now ? next_due - lead : next_due, now + 3600 * 1000);
  self->reminder_source = g_timeout_add_seconds_full (
      G_PRIORITY_DEFAULT, (guint) CLAMP ((wake - now) / 1000 + 1, 1, 86400), on_reminder_timeout,
      self, NULL);
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_notifier_dispose (GObject *object)
{
  DengonNotifier *self = DENGON_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->batch_source, g_source_remove);
  g_clear_handle_id (&self->reminder_source, g_source_remove);
  if (self->save_source != 0)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      on_save (self);
    }
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dengon_notifier_parent_class)->dispose (object);
}

static void
dengon_notifier_finalize (GObject *object)
{
  DengonNotifier *self = DENGON_NOTIFIER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->me, g_free);

  G_OBJECT_CLASS (dengon_notifier_parent_class)->finalize (object);
}

static void
dengon_notifier_class_init (DengonNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dengon_notifier_dispose;
  object_class->finalize = dengon_notifier_finalize;

  /**
   * DengonNotifier::open-memo:
   * @id: (nullable): the memo, or %NULL for the summary ("For Me")
   */
  signals[OPEN_MEMO] = g_signal_new ("open-memo", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CALL_BACK] = g_signal_new ("call-back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dengon_notifier_init (DengonNotifier *self)
{
  self->cancellable = g_cancellable_new ();
  self->now = now_real;
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

DengonNotifier *
dengon_notifier_new (DengonStore *store, GSettings *settings)
{
  DengonNotifier *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if (!notify_is_initted ())
    notify_init (_ ("Dengon"));

  self = g_object_new (DENGON_TYPE_NOTIFIER, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  load_notified (self);

  return self;
}

/* The person at this desk; on the very first run, what is already theirs
 * is remembered without a notification. */
void
dengon_notifier_set_me (DengonNotifier *self, const char *staff_id)
{
  g_return_if_fail (DENGON_IS_NOTIFIER (self));

  if (staff_id != NULL && *staff_id == '\0')
    staff_id = NULL;
  if (g_strcmp0 (self->me, staff_id) == 0)
    return;

  g_free (self->me);
  self->me = g_strdup (staff_id);
  if (self->me == NULL)
    return;

  if (self->first_run)
    {
      self->first_run = FALSE;
      scan (self, NULL, TRUE);
      schedule_save (self);
    }
  schedule_reminders (self);
}

/* Tests: an injectable clock for reminders and quiet hours. */
void
dengon_notifier_set_clock (DengonNotifier *self, DengonNowFunc now, gpointer user_data)
{
  g_return_if_fail (DENGON_IS_NOTIFIER (self));

  self->now = now != NULL ? now : now_real;
  self->now_data = user_data;
  g_clear_handle_id (&self->reminder_source, g_source_remove);
}

/* Shows what is waiting for the batch to close, now. */
void
dengon_notifier_flush (DengonNotifier *self)
{
  g_return_if_fail (DENGON_IS_NOTIFIER (self));

  if (self->batch_source != 0)
    {
      g_clear_handle_id (&self->batch_source, g_source_remove);
      on_batch_closed (self);
    }
}

gboolean
dengon_notifier_get_busy (DengonNotifier *self)
{
  g_return_val_if_fail (DENGON_IS_NOTIFIER (self), FALSE);

  return self->n_running > 0 || self->batch_source != 0;
}

/* The memo was opened or dealt with here: its notification goes. */
void
dengon_notifier_withdraw (DengonNotifier *self, const char *memo_id)
{
  NotifyNotification *notification;

  g_return_if_fail (DENGON_IS_NOTIFIER (self));

  notification = g_hash_table_lookup (self->shown, memo_id ? memo_id : "");
  if (notification != NULL)
    notify_notification_close (notification, NULL);
}
