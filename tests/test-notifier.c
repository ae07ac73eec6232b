/* test-notifier.c: notifications on a real notification server
 *
 * Runs inside tests/tools/run-headless --notify-mock: a private session bus
 * with python3-dbusmock's notification_daemon, whose call log is read here
 * over D-Bus (org.freedesktop.DBus.Mock.GetMethodCalls).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-notifier.h"
#include "dengon-replicator.h"
#include "dengon-store.h"
#include "sync-test-util.h"

#define KEN "staff:ken"
#define AYA "staff:aya"

typedef struct
{
  char *summary;
  char *body;
  char *app_name;
  GHashTable *actions; /* key -> label */
  GVariantDict *hints;
} Notified;

static void
notified_free (Notified *n)
{
  g_free (n->summary);
  g_free (n->body);
  g_free (n->app_name);
  g_hash_table_unref (n->actions);
  g_variant_dict_unref (n->hints);
  g_free (n);
}

static GDBusConnection *
bus (void)
{
  static GDBusConnection *connection;

  if (connection == NULL)
    connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_assert_nonnull (connection);

  return connection;
}

/* Every Notify the server received, oldest first. */
static GPtrArray *
notify_calls (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariantIter) calls = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) notified_free);
  GVariant *args;
  guint64 timestamp;

  reply = g_dbus_connection_call_sync (
      bus (), "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
      "org.freedesktop.DBus.Mock", "GetMethodCalls", g_variant_new ("(s)", "Notify"),
      G_VARIANT_TYPE ("(a(tav))"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  g_variant_get (reply, "(a(tav))", &calls);
  while (g_variant_iter_next (calls, "(t@av)", &timestamp, &args))
    {
      Notified *n = g_new0 (Notified, 1);
      g_autoptr (GVariant) v_app = g_variant_get_child_value (args, 0);
      g_autoptr (GVariant) v_summary = g_variant_get_child_value (args, 3);
      g_autoptr (GVariant) v_body = g_variant_get_child_value (args, 4);
      g_autoptr (GVariant) v_actions = g_variant_get_child_value (args, 5);
      g_autoptr (GVariant) v_hints = g_variant_get_child_value (args, 6);
      g_autoptr (GVariant) app = g_variant_get_variant (v_app);
      g_autoptr (GVariant) summary = g_variant_get_variant (v_summary);
      g_autoptr (GVariant) body = g_variant_get_variant (v_body);
      g_autoptr (GVariant) actions = g_variant_get_variant (v_actions);
      g_autoptr (GVariant) hints = g_variant_get_variant (v_hints);
      g_autofree const char **strv = g_variant_get_strv (actions, NULL);

      n->app_name = g_variant_dup_string (app, NULL);
      n->summary = g_variant_dup_string (summary, NULL);
      n->body = g_variant_dup_string (body, NULL);
      n->actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; strv[i] && strv[i + 1]; i += 2)
        g_hash_table_insert (n->actions, g_strdup (strv[i]), g_strdup (strv[i + 1]));
      n->hints = g_variant_dict_new (hints);
      g_ptr_array_add (result, n);
      g_variant_unref (args);
    }

  return result;
}

static guint
n_notify (void)
{
  g_autoptr (GPtrArray) calls = notify_calls ();

  return calls->len;
}

typedef struct
{
  char *dir;
  char *path;
  DengonStore *store;
  GSettings *settings;
  DengonNotifier *notifier;
  GDateTime *now;
  guint before;
} Fixture;

static GDateTime *
fixture_now (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_ref (f->now);
}

static void
settle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* Store emissions are idles; scans run on worker threads. */
  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (!dengon_notifier_get_busy (f->notifier))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  while (g_get_monotonic_time () < deadline);
  g_assert_false (dengon_notifier_get_busy (f->notifier));
}

/* Waits for the batch to close, then for the server to have @count more calls. */
static GPtrArray *
expect_notify (Fixture *f, guint count)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GPtrArray *calls;

  settle (f);
  dengon_notifier_flush (f->notifier);
  for (;;)
    {
      calls = notify_calls ();
      if (calls->len >= f->before + count || g_get_monotonic_time () > deadline)
        break;
      g_ptr_array_unref (calls);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  g_assert_cmpuint (calls->len, ==, f->before + count);
  /* Nothing more arrives a moment later either. */
  settle (f);
  dengon_notifier_flush (f->notifier);
  g_assert_cmpuint (n_notify (), ==, f->before + count);
  f->before = calls->len;

  return calls;
}

static void
make_notifier (Fixture *f)
{
  f->notifier = dengon_notifier_new (f->store, f->settings);
  dengon_notifier_set_clock (f->notifier, fixture_now, f);
  dengon_notifier_set_me (f->notifier, KEN);
  settle (f);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("dengon-notifier-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (f->path, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (f->settings, "notifications-enabled");
  g_settings_reset (f->settings, "dnd-enabled");
  g_settings_reset (f->settings, "reminder-lead-minutes");
  f->now = g_date_time_new_utc (2026, 11, 24, 1, 0, 0); /* 10:00 in Tokyo */
  f->before = n_notify ();
  make_notifier (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  const char *names[] = { "dengon.db", "dengon.db-wal", "dengon.db-shm" };

  g_clear_object (&f->notifier);
  while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  g_clear_object (&f->settings);
  g_date_time_unref (f->now);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A memo taken by @taken_by and assigned by @by to @to. */
static char *
put_memo (Fixture *f, const char *taken_by, const char *by, const char *to, gboolean urgent,
          GDateTime *callback)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (taken_by, NULL);
  g_autoptr (GError) error = NULL;

  dengon_memo_set_call (memo, "in", "0312345678", NULL, NULL);
  dengon_memo_set_caller (memo, "田中 一郎", "田中工務店", NULL);
  dengon_memo_set_message (memo, "見積書を送ってほしいとのこと\n金額の確認も");
  dengon_memo_set_urgent (memo, urgent);
  if (callback != NULL)
    dengon_memo_set_callback (memo, TRUE, "03-1234-5678", callback);
  if (to != NULL)
    g_assert_true (dengon_memo_assign (memo, by, to, NULL, &error));
  g_free (dengon_store_put (f->store, memo, &error));
  g_assert_no_error (error);

  return g_strdup (dengon_json_get_string (memo, "_id"));
}

static gint64
hint_byte (Notified *n, const char *name)
{
  guchar value = 0;

  g_assert_true (g_variant_dict_lookup (n->hints, name, "y", &value));
  return value;
}

static const char *
hint_string (Notified *n, const char *name)
{
  const char *value = NULL;

  g_variant_dict_lookup (n->hints, name, "&s", &value);
  return value;
}

static void
test_assigned_by_colleague (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) due = g_date_time_new_utc (2026, 11, 24, 5, 30, 0); /* 14:30 JST */
  g_autofree char *id = put_memo (f, AYA, AYA, KEN, FALSE, due);
  g_autoptr (GPtrArray) calls = expect_notify (f, 1);
  Notified *n = calls->pdata[calls->len - 1];

  g_assert_cmpstr (n->summary, ==, "田中 一郎 · 田中工務店");
  g_assert_cmpstr (n->body, ==, "03-1234-5678\n見積書を送ってほしいとのこと\nCall back by 14:30");
  g_assert_cmpstr (n->app_name, ==, "Dengon");
  g_assert_cmpstr (g_hash_table_lookup (n->actions, "open"), ==, "Open");
  g_assert_cmpstr (g_hash_table_lookup (n->actions, "acknowledge"), ==, "Acknowledge");
  g_assert_cmpstr (g_hash_table_lookup (n->actions, "call-back"), ==, "Call Back");
  g_assert_cmpint (hint_byte (n, "urgency"), ==, 1);
  g_assert_cmpstr (hint_string (n, "desktop-entry"), ==, APPLICATION_ID);
  g_assert_cmpstr (hint_string (n, "category"), ==, "im.received");
}

static void
test_urgent_is_critical (Fixture *f, gconstpointer data)
{
  g_autofree char *id = put_memo (f, AYA, AYA, KEN, TRUE, NULL);
  g_autoptr (GPtrArray) calls = expect_notify (f, 1);

  g_assert_cmpint (hint_byte (calls->pdata[calls->len - 1], "urgency"), ==, 2);
}

static void
test_not_mine_or_my_own (Fixture *f, gconstpointer data)
{
  g_autofree char *mine = put_memo (f, KEN, KEN, KEN, FALSE, NULL);
  g_autofree char *theirs = put_memo (f, KEN, KEN, AYA, FALSE, NULL);
  g_autofree char *nobodys = put_memo (f, AYA, AYA, NULL, FALSE, NULL);
  g_autoptr (GPtrArray) calls = expect_notify (f, 0);
}

static void
test_reassigned_to_me (Fixture *f, gconstpointer data)
{
  g_autofree char *id = put_memo (f, AYA, AYA, AYA, FALSE, NULL);
  g_autoptr (JsonObject) stored = NULL;
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (GPtrArray) none = expect_notify (f, 0);
  g_autoptr (GPtrArray) one = NULL;

  stored = dengon_store_get (f->store, id, NULL);
  memo = dengon_memo_copy (stored);
  g_assert_true (dengon_memo_assign (memo, AYA, KEN, NULL, NULL));
  g_free (dengon_store_put (f->store, memo, NULL));
  one = expect_notify (f, 1);
}

static void
test_never_twice (Fixture *f, gconstpointer data)
{
  g_autofree char *id = put_memo (f, AYA, AYA, KEN, FALSE, NULL);
  g_autoptr (GPtrArray) first = expect_notify (f, 1);
  g_autoptr (JsonObject) stored = NULL;
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (GPtrArray) after_note = NULL;
  g_autoptr (GPtrArray) after_restart = NULL;

  /* The memo changes (a note) but the assignment is the same one. */
  stored = dengon_store_get (f->store, id, NULL);
  memo = dengon_memo_copy (stored);
  g_assert_true (dengon_memo_add_note (memo, AYA, "午後に電話あり", NULL, NULL));
  g_free (dengon_store_put (f->store, memo, NULL));
  after_note = expect_notify (f, 0);

  /* Restart: a new notifier reads what was shown from the store. */
  g_clear_object (&f->notifier);
  make_notifier (f);
  g_clear_pointer (&stored, json_object_unref);
  g_clear_pointer (&memo, json_object_unref);
  stored = dengon_store_get (f->store, id, NULL);
  memo = dengon_memo_copy (stored);
  g_assert_true (dengon_memo_add_note (memo, AYA, "もう一度", NULL, NULL));
  g_free (dengon_store_put (f->store, memo, NULL));
  after_restart = expect_notify (f, 0);
}

static void
test_burst_is_summed_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) calls = NULL;
  g_autoptr (GError) error = NULL;
  Notified *n;

  /* 20 assignments arrive by sync in one batch. */
  for (guint i = 0; i < 20; i++)
    {
      JsonObject *memo = dengon_memo_new (AYA, NULL);
      JsonObject *revisions = json_object_new ();
      JsonArray *ids = json_array_new ();
      char hash[33], rev[40];

      dengon_memo_set_caller (memo, "顧客", NULL, NULL);
      g_assert_true (dengon_memo_assign (memo, AYA, KEN, NULL, &error));
      g_snprintf (hash, sizeof hash, "%032x", i + 1);
      g_snprintf (rev, sizeof rev, "1-%s", hash);
      json_array_add_string_element (ids, hash);
      json_object_set_int_member (revisions, "start", 1);
      json_object_set_array_member (revisions, "ids", ids);
      json_object_set_object_member (memo, "_revisions", revisions);
      json_object_set_string_member (memo, "_rev", rev);
      g_ptr_array_add (docs, memo);
    }
  g_assert_true (dengon_store_put_replicated (f->store, docs, NULL, &error));

  calls = expect_notify (f, 1);
  n = calls->pdata[calls->len - 1];
  g_assert_cmpstr (n->summary, ==, "20 new messages for you");
  g_assert_null (g_hash_table_lookup (n->actions, "acknowledge"));
  g_assert_nonnull (g_hash_table_lookup (n->actions, "open"));
}

static gboolean
acknowledged (Fixture *f, const char *id)
{
  g_autoptr (JsonObject) memo = dengon_store_get (f->store, id, NULL);

  return dengon_memo_get_status (memo) == DENGON_MEMO_STATUS_ACKNOWLEDGED;
}

static void
test_acknowledge_action (Fixture *f, gconstpointer data)
{
  g_autofree char *id = put_memo (f, AYA, AYA, KEN, FALSE, NULL);
  g_autoptr (GPtrArray) calls = expect_notify (f, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (JsonObject) memo = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  JsonArray *history;
  JsonObject *last;

  /* The server says the person pressed "Acknowledge" (ids count from 1). */
  reply = g_dbus_connection_call_sync (
      bus (), "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
      "org.freedesktop.DBus.Mock", "EmitSignal",
      g_variant_new_parsed ("('org.freedesktop.Notifications', 'ActionInvoked', 'us', "
                            "[<%u>, <'acknowledge'>])",
                            (guint32) calls->len),
      NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  while (!acknowledged (f, id))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  memo = dengon_store_get (f->store, id, NULL);
  history = dengon_json_get_array (memo, "history");
  last = json_array_get_object_element (history, json_array_get_length (history) - 1);
  g_assert_cmpstr (dengon_json_get_string (last, "action"), ==, "acknowledge");
  g_assert_cmpstr (dengon_json_get_string (last, "by"), ==, KEN);
}

static void
set_now (Fixture *f, int hour, int minute)
{
  g_date_time_unref (f->now);
  f->now = g_date_time_new_utc (2026, 11, 24, hour, minute, 0);
}

static void
test_reminders (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) due = g_date_time_new_utc (2026, 11, 24, 5, 30, 0); /* 14:30 JST */
  g_autofree char *id = put_memo (f, AYA, AYA, KEN, FALSE, due);
  g_autoptr (GPtrArray) assigned = expect_notify (f, 1);
  struct
  {
    int hour, minute;
    guint expected;
    const char *summary;
  } steps[] = {
    { 5, 15, 0, NULL },                                        /* 15 minutes before: too early */
    { 5, 20, 1, "Call back 田中 一郎 · 田中工務店 at 14:30" }, /* the lead time (10 minutes) */
    { 5, 25, 0, NULL },                                        /* once only */
    { 5, 30, 1, "Time to call back 田中 一郎 · 田中工務店" },  /* the time */
    { 5, 45, 0, NULL },
  };

  g_settings_set_int (f->settings, "reminder-lead-minutes", 10);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (GPtrArray) calls = NULL;

      set_now (f, steps[i].hour, steps[i].minute);
      dengon_notifier_check_reminders (f->notifier);
      calls = expect_notify (f, steps[i].expected);
      if (steps[i].summary != NULL)
        g_assert_cmpstr (((Notified *) calls->pdata[calls->len - 1])->summary, ==,
                         steps[i].summary);
    }
}

/* A lead escalated to Ken without an outcome after the office's days reminds him, once. */
static void
test_escalation_reminder (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) taken = g_date_time_new_utc (2026, 11, 19, 23, 0, 0);
  g_autoptr (GDateTime) escalated = g_date_time_new_utc (2026, 11, 20, 1, 0, 0);
  g_autoptr (JsonObject) memo = dengon_memo_new (AYA, taken);
  g_autoptr (JsonObject) office =
      dengon_json_parse_object ("{\"_id\":\"office:settings\",\"type\":\"office\",\"contacts\":"
                                "{\"escalation_outcome_days\":3}}",
                                -1, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) calls = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) later = NULL;

  g_free (dengon_store_put (f->store, office, &error));
  dengon_memo_set_call (memo, "in", "0312345678", taken, taken);
  dengon_memo_set_caller (memo, "田中 一郎", "田中工務店", NULL);
  g_assert_no_error (error);
  g_assert_true (dengon_memo_escalate (memo, AYA, KEN, "見積のご依頼", escalated, &error));
  g_free (dengon_store_put (f->store, memo, &error));
  g_assert_no_error (error);
  settle (f);
  f->before = n_notify ();

  /* Four days later (the clock of the fixture): late by the office's three days. */
  dengon_notifier_check_reminders (f->notifier);
  calls = expect_notify (f, 1);
  g_assert_cmpstr (((Notified *) calls->pdata[calls->len - 1])->summary, ==,
                   "What came of the lead from 田中 一郎 · 田中工務店?");
  g_assert_cmpstr (((Notified *) calls->pdata[calls->len - 1])->body, ==,
                   "Escalated to you 4 days ago: 見積のご依頼\nRecord the outcome.");

  /* Once only. */
  set_now (f, 5, 0);
  dengon_notifier_check_reminders (f->notifier);
  none = expect_notify (f, 0);

  /* An outcome recorded: never again, even if the reminders were forgotten. */
  g_assert_true (dengon_store_delete_local (f->store, "notified", NULL));
  {
    g_autoptr (JsonObject) stored =
        dengon_store_get (f->store, dengon_json_get_string (memo, "_id"), &error);
    g_autoptr (JsonObject) copy = dengon_memo_copy (stored);

    g_assert_true (dengon_memo_set_outcome (copy, KEN, "appointment", NULL, NULL, &error));
    g_free (dengon_store_put (f->store, copy, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&f->notifier);
  make_notifier (f);
  dengon_notifier_check_reminders (f->notifier);
  later = expect_notify (f, 0);
}

static void
test_quiet_hours (Fixture *f, gconstpointer data)
{
  g_autofree char *calm = NULL;
  g_autofree char *urgent = NULL;
  g_autoptr (GPtrArray) calls = NULL;

  g_settings_set_boolean (f->settings, "dnd-enabled", TRUE);
  g_settings_set_string (f->settings, "dnd-from", "19:00");
  g_settings_set_string (f->settings, "dnd-to", "08:00");
  set_now (f, 13, 0); /* 22:00 in Tokyo */

  calm = put_memo (f, AYA, AYA, KEN, FALSE, NULL);
  urgent = put_memo (f, AYA, AYA, KEN, TRUE, NULL);
  calls = expect_notify (f, 1);
  g_assert_cmpint (hint_byte (calls->pdata[calls->len - 1], "urgency"), ==, 2);
}

static void
test_disabled (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autoptr (GPtrArray) calls = NULL;

  g_settings_set_boolean (f->settings, "notifications-enabled", FALSE);
  id = put_memo (f, AYA, AYA, KEN, TRUE, NULL);
  calls = expect_notify (f, 0);
}

static void
test_first_run_is_quiet (Fixture *f, gconstpointer data)
{
  g_autofree char *old1 = NULL;
  g_autofree char *old2 = NULL;
  g_autofree char *fresh = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) one = NULL;

  /* Memos already Ken's before this desk ever notified anything. */
  g_clear_object (&f->notifier);
  g_assert_true (dengon_store_delete_local (f->store, "notified", NULL));
  old1 = put_memo (f, AYA, AYA, KEN, FALSE, NULL);
  old2 = put_memo (f, AYA, AYA, KEN, FALSE, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  make_notifier (f);
  none = expect_notify (f, 0);

  fresh = put_memo (f, AYA, AYA, KEN, FALSE, NULL);
  one = expect_notify (f, 1);
}

/* A desk that joins the office pulls its whole history: memos already done, and assignments
 * from weeks ago, are not news. They stay quiet after a restart too. */
static void
test_history_is_not_news (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) weeks_ago = g_date_time_add_days (f->now, -20);
  g_autoptr (GDateTime) week_ago = g_date_time_add_days (f->now, -8);
  g_autoptr (JsonObject) old = dengon_memo_new (AYA, weeks_ago);
  g_autoptr (JsonObject) done = dengon_memo_new (AYA, NULL);
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) still_none = NULL;
  g_autoptr (GPtrArray) one = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fresh = NULL;

  dengon_memo_set_message (old, "先月の件");
  g_assert_true (dengon_memo_assign (old, AYA, KEN, week_ago, &error));
  dengon_memo_set_message (done, "済んだ件");
  g_assert_true (dengon_memo_assign (done, AYA, KEN, NULL, &error));
  g_assert_true (dengon_memo_done (done, AYA, NULL, &error));
  g_free (dengon_store_put (f->store, old, &error));
  g_assert_no_error (error);
  g_free (dengon_store_put (f->store, done, &error));
  g_assert_no_error (error);
  none = expect_notify (f, 0);

  g_clear_object (&f->notifier);
  make_notifier (f);
  still_none = expect_notify (f, 0);

  /* News still is. */
  fresh = put_memo (f, AYA, AYA, KEN, FALSE, NULL);
  one = expect_notify (f, 1);
}

static gboolean
replicator_synced (gpointer data)
{
  return dengon_replicator_get_state (data) == DENGON_REPLICATOR_STATE_SYNCED;
}

static gboolean
notify_arrived (gpointer data)
{
  return n_notify () > GPOINTER_TO_UINT (data);
}

static DengonReplicator *
connect_to_hub (DengonStore *store, SyncTestHub *hub, guint batch_size)
{
  g_autoptr (DengonCouchClient) client = NULL;
  g_autoptr (GError) error = NULL;
  DengonReplicator *replicator;

  client = dengon_couch_client_new (hub->url, "office", "correct horse battery",
                                    dengon_hub_get_fingerprint (hub->hub), &error);
  g_assert_no_error (error);
  replicator = dengon_replicator_new (store, client, DENGON_REPLICATOR_BOTH);
  dengon_replicator_set_retry_delay (replicator, 100);
  if (batch_size > 0)
    dengon_replicator_set_batch_size (replicator, batch_size);
  dengon_replicator_start (replicator);
  g_assert_true (sync_test_wait (replicator_synced, replicator, 10000));

  return replicator;
}

/* Aya assigns a memo at her desk; Ken's desk gets it through the office hub and tells him. A
 * note she adds later travels too but tells him nothing again, and his own copy going back
 * through the hub does not come round as a second notification. */
static void
test_from_a_colleagues_desk (Fixture *f, gconstpointer data)
{
  SyncTestHub *hub = sync_test_hub_new ("office", "correct horse battery");
  g_autofree char *aya_dir = sync_test_make_dir ("dengon-aya-XXXXXX");
  DengonStore *aya = sync_test_open_store (aya_dir, "aya");
  DengonReplicator *at_aya = connect_to_hub (aya, hub, 0);
  DengonReplicator *at_ken = connect_to_hub (f->store, hub, 0);
  g_autoptr (GDateTime) due = g_date_time_new_utc (2026, 11, 24, 5, 30, 0);
  g_autoptr (JsonObject) memo = dengon_memo_new (AYA, NULL);
  g_autoptr (JsonObject) stored = NULL;
  g_autoptr (JsonObject) noted = NULL;
  g_autoptr (GPtrArray) calls = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GError) error = NULL;
  guint before = n_notify ();
  Notified *n;
  gint64 saved;

  dengon_memo_set_call (memo, "in", "0312345678", NULL, NULL);
  dengon_memo_set_caller (memo, "田中 一郎", "田中工務店", NULL);
  dengon_memo_set_message (memo, "見積書を送ってほしいとのこと");
  dengon_memo_set_callback (memo, TRUE, "03-1234-5678", due);
  g_assert_true (dengon_memo_assign (memo, AYA, KEN, NULL, &error));
  saved = g_get_monotonic_time ();
  g_free (dengon_store_put (aya, memo, &error));
  g_assert_no_error (error);

  g_assert_true (sync_test_wait (notify_arrived, GUINT_TO_POINTER (before), 10000));
  g_test_message ("saved at Aya's desk to the notification at Ken's: %.0f ms",
                  (g_get_monotonic_time () - saved) / 1000.0);
  calls = expect_notify (f, 1);
  n = calls->pdata[calls->len - 1];
  g_assert_cmpstr (n->summary, ==, "田中 一郎 · 田中工務店");
  g_assert_cmpstr (n->body, ==, "03-1234-5678\n見積書を送ってほしいとのこと\nCall back by 14:30");

  /* Aya adds a note: it reaches Ken's desk, but he was told already. */
  stored = dengon_store_get (aya, dengon_json_get_string (memo, "_id"), &error);
  g_assert_no_error (error);
  noted = dengon_memo_copy (stored);
  g_assert_true (dengon_memo_add_note (noted, AYA, "午後なら在席とのこと", NULL, NULL));
  g_free (dengon_store_put (aya, noted, &error));
  g_assert_no_error (error);
  g_assert_true (sync_test_wait (replicator_synced, at_aya, 10000));
  g_assert_true (sync_test_wait (replicator_synced, at_ken, 10000));
  g_clear_pointer (&stored, json_object_unref);
  stored = dengon_store_get (f->store, dengon_json_get_string (memo, "_id"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (stored, "_rev"), ==,
                   dengon_json_get_string (noted, "_rev"));
  none = expect_notify (f, 0);

  dengon_replicator_stop (at_ken);
  dengon_replicator_stop (at_aya);
  sync_test_drain ();
  g_object_unref (at_ken);
  g_object_unref (at_aya);
  sync_test_drain ();
  sync_test_finalize_store (aya);
  sync_test_remove_tree (aya_dir);
  sync_test_hub_free (hub);
}

static gboolean
hub_has_twenty (gpointer data)
{
  return sync_test_count_docs (data) == 20;
}

/* Ken's laptop was away while Aya assigned him 20 memos, one by one: back online, it pulls them
 * page by page and tells him once. */
static void
test_back_online_summed_up (Fixture *f, gconstpointer data)
{
  SyncTestHub *hub = sync_test_hub_new ("office", "correct horse battery");
  g_autofree char *aya_dir = sync_test_make_dir ("dengon-aya-XXXXXX");
  DengonStore *aya = sync_test_open_store (aya_dir, "aya");
  DengonReplicator *at_aya = connect_to_hub (aya, hub, 0);
  DengonReplicator *at_ken;
  g_autoptr (GPtrArray) calls = NULL;
  g_autoptr (GError) error = NULL;
  Notified *n;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (JsonObject) memo = dengon_memo_new (AYA, NULL);
      g_autofree char *caller = g_strdup_printf ("顧客 %u", i + 1);

      dengon_memo_set_caller (memo, caller, NULL, NULL);
      dengon_memo_set_message (memo, "折り返しお願いします");
      g_assert_true (dengon_memo_assign (memo, AYA, KEN, NULL, &error));
      g_free (dengon_store_put (aya, memo, &error));
      g_assert_no_error (error);
    }
  g_assert_true (sync_test_wait (hub_has_twenty, hub->store, 10000));

  at_ken = connect_to_hub (f->store, hub, 7);
  calls = expect_notify (f, 1);
  n = calls->pdata[calls->len - 1];
  g_assert_cmpstr (n->summary, ==, "20 new messages for you");

  dengon_replicator_stop (at_ken);
  dengon_replicator_stop (at_aya);
  sync_test_drain ();
  g_object_unref (at_ken);
  g_object_unref (at_aya);
  sync_test_drain ();
  sync_test_finalize_store (aya);
  sync_test_remove_tree (aya_dir);
  sync_test_hub_free (hub);
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/dengon/notifier/assigned-by-colleague", test_assigned_by_colleague);
  ADD ("/dengon/notifier/urgent-is-critical", test_urgent_is_critical);
  ADD ("/dengon/notifier/not-mine-or-my-own", test_not_mine_or_my_own);
  ADD ("/dengon/notifier/reassigned-to-me", test_reassigned_to_me);
  ADD ("/dengon/notifier/never-twice", test_never_twice);
  ADD ("/dengon/notifier/burst-summed-up", test_burst_is_summed_up);
  ADD ("/dengon/notifier/acknowledge-action", test_acknowledge_action);
  ADD ("/dengon/notifier/reminders", test_reminders);
  ADD ("/dengon/notifier/escalation-reminder", test_escalation_reminder);
  ADD ("/dengon/notifier/quiet-hours", test_quiet_hours);
  ADD ("/dengon/notifier/disabled", test_disabled);
  ADD ("/dengon/notifier/first-run-is-quiet", test_first_run_is_quiet);
  ADD ("/dengon/notifier/history-is-not-news", test_history_is_not_news);
  ADD ("/dengon/notifier/from-a-colleagues-desk", test_from_a_colleagues_desk);
  ADD ("/dengon/notifier/back-online-summed-up", test_back_online_summed_up);
#undef ADD

  return g_test_run ();
}
