/* test-memo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-memo.h"

#define KEN  "staff:ken"
#define YUKI "staff:yuki"
#define AOI  "staff:aoi"

/* 2026-11-23T08:00:00Z */
#define BASE_UNIX G_GINT64_CONSTANT (1795420800)

static GDateTime *
time_at (gint64 ms)
{
  g_autoptr (GDateTime) base = g_date_time_new_from_unix_utc (BASE_UNIX);

  return g_date_time_add (base, ms * 1000);
}

static char *
timestamp_at (gint64 ms)
{
  g_autoptr (GDateTime) time = time_at (ms);

  return dengon_json_timestamp (time);
}

static char *
canon (JsonObject *object)
{
  return dengon_json_canonical_object (object);
}

#define assert_same_json(a, b)        \
  G_STMT_START                        \
  {                                   \
    g_autofree char *ca_ = canon (a); \
    g_autofree char *cb_ = canon (b); \
    g_assert_cmpstr (ca_, ==, cb_);   \
  }                                   \
  G_STMT_END

static guint
history_length (JsonObject *memo)
{
  return json_array_get_length (dengon_json_get_array (memo, "history"));
}

static JsonObject *
history_event (JsonObject *memo, guint index)
{
  return json_array_get_object_element (dengon_json_get_array (memo, "history"), index);
}

static JsonObject *
last_event (JsonObject *memo)
{
  return history_event (memo, history_length (memo) - 1);
}

static void
assert_valid (JsonObject *memo)
{
  g_autoptr (GError) error = NULL;

  dengon_memo_validate (memo, &error);
  g_assert_no_error (error);
}

/* A memo with every member filled in; history: create, assign to Ken, a note. */
static JsonObject *
make_full_memo (void)
{
  g_autoptr (GDateTime) t0 = time_at (0);
  g_autoptr (GDateTime) t1 = time_at (60000);
  g_autoptr (GDateTime) t2 = time_at (120000);
  g_autoptr (GDateTime) t3 = time_at (180000);
  g_autoptr (GDateTime) due = time_at (3600000);
  g_autoptr (JsonObject) answers = json_object_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *memo = dengon_memo_new (AOI, t0);

  json_object_set_string_member (answers, "purpose", "見積もりの件");
  dengon_memo_set_call (memo, "in", "03-1234-5678", t0, t1);
  dengon_memo_set_caller (memo, "山田 太郎", "山田商事株式会社", "contact:0d6f3c6e");
  dengon_memo_set_message (memo, "見積書の件でお電話がありました。\n折り返しお願いします。");
  dengon_memo_set_category (memo, "sales");
  dengon_memo_set_urgent (memo, TRUE);
  dengon_memo_set_callback (memo, TRUE, "090-1234-5678", due);
  dengon_memo_set_script (memo, "script:general", answers);
  g_assert_true (dengon_memo_assign (memo, AOI, KEN, t2, &error));
  g_assert_no_error (error);
  g_assert_true (dengon_memo_add_note (memo, KEN, "午後に連絡します", t3, &error));
  g_assert_no_error (error);

  return memo;
}

/* Reference fold, written apart from the module: all timestamps here are UTC with milliseconds,
 * so comparing them as strings orders them in time. */
static int
reference_compare (gconstpointer a, gconstpointer b)
{
  JsonNode *na = *(JsonNode *const *) a;
  JsonNode *nb = *(JsonNode *const *) b;
  JsonObject *ea = json_node_get_object (na);
  JsonObject *eb = json_node_get_object (nb);
  gboolean ca = g_strcmp0 (json_object_get_string_member (ea, "action"), "create") == 0;
  gboolean cb = g_strcmp0 (json_object_get_string_member (eb, "action"), "create") == 0;
  int order;
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;

  if (ca != cb)
    return ca ? -1 : 1;
  order =
      strcmp (json_object_get_string_member (ea, "at"), json_object_get_string_member (eb, "at"));
  if (order != 0)
    return order;
  sa = dengon_json_canonical (na);
  sb = dengon_json_canonical (nb);
  return strcmp (sa, sb);
}

static const char *
reference_fold (JsonObject *memo, const char **assignee)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  g_autoptr (GPtrArray) events = g_ptr_array_new ();
  const char *status = "new";

  *assignee = NULL;
  for (guint i = 0; i < json_array_get_length (history); i++)
    g_ptr_array_add (events, json_array_get_element (history, i));
  g_ptr_array_sort (events, reference_compare);

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      const char *action = json_object_get_string_member (event, "action");

      if (g_str_equal (action, "create") || g_str_equal (action, "assign"))
        {
          *assignee = json_object_get_null_member (event, "to")
                          ? NULL
                          : json_object_get_string_member (event, "to");
          status = *assignee ? "assigned" : "new";
        }
      else if (g_str_equal (action, "acknowledge"))
        status = "acknowledged";
      else if (g_str_equal (action, "called_back"))
        status = "called_back";
      else if (g_str_equal (action, "done"))
        status = "done";
      else if (g_str_equal (action, "reopen"))
        status = *assignee ? "assigned" : "new";
    }

  return status;
}

static void
assert_status_is_fold (JsonObject *memo)
{
  const char *assignee;
  const char *status = reference_fold (memo, &assignee);

  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, status);
  g_assert_cmpstr (dengon_json_get_string (memo, "for"), ==, assignee);
  g_assert_cmpstr (dengon_memo_status_to_string (dengon_memo_get_status (memo)), ==, status);
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, assignee);
}

/* Creating */

static void
test_new (void)
{
  g_autoptr (GDateTime) t0 = time_at (123);
  g_autoptr (JsonObject) memo = dengon_memo_new (KEN, t0);
  g_autoptr (GRegex) uuid = g_regex_new (
      "^memo:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", 0, 0, NULL);
  JsonObject *event;

  g_assert_true (g_regex_match (uuid, dengon_json_get_string (memo, "_id"), 0, NULL));
  g_assert_false (json_object_has_member (memo, "_rev"));
  g_assert_cmpstr (dengon_json_get_string (memo, "type"), ==, "memo");
  g_assert_cmpstr (dengon_json_get_string (memo, "created_at"), ==, "2026-11-23T08:00:00.123Z");
  g_assert_cmpstr (dengon_json_get_string (memo, "taken_by"), ==, KEN);
  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (memo, "call"), "direction"), ==,
                   "in");
  g_assert_cmpstr (dengon_json_get_string (memo, "urgency"), ==, "normal");
  g_assert_cmpstr (dengon_json_get_string (memo, "message"), ==, "");
  g_assert_false (
      dengon_json_get_boolean (dengon_json_get_object (memo, "callback"), "requested", TRUE));
  g_assert_nonnull (dengon_json_get_object (dengon_json_get_object (memo, "script"), "answers"));
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "new");
  g_assert_true (json_object_get_null_member (memo, "for"));
  g_assert_true (dengon_memo_is_memo (memo));

  g_assert_cmpuint (history_length (memo), ==, 1);
  event = history_event (memo, 0);
  g_assert_cmpstr (dengon_json_get_string (event, "action"), ==, "create");
  g_assert_cmpstr (dengon_json_get_string (event, "at"), ==, "2026-11-23T08:00:00.123Z");
  g_assert_cmpstr (dengon_json_get_string (event, "by"), ==, KEN);
  g_assert_true (json_object_get_null_member (event, "to"));
  g_assert_true (json_object_get_null_member (event, "from"));
  g_assert_true (json_object_get_null_member (event, "note"));

  assert_valid (memo);
}

static void
test_new_defaults (void)
{
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (JsonObject) a = dengon_memo_new (NULL, NULL);
  g_autoptr (JsonObject) b = dengon_memo_new (NULL, NULL);
  g_autoptr (GDateTime) after = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) created = NULL;

  g_assert_true (json_object_get_null_member (a, "taken_by"));
  g_assert_cmpstr (dengon_json_get_string (a, "_id"), !=, dengon_json_get_string (b, "_id"));
  created = dengon_json_parse_timestamp (dengon_json_get_string (a, "created_at"));
  g_assert_nonnull (created);
  g_assert_cmpint (g_date_time_difference (created, before), >=, -1000);
  g_assert_cmpint (g_date_time_difference (after, created), >=, 0);
  assert_valid (a);
}

static void
test_status_strings (void)
{
  const char *names[] = { "new", "assigned", "acknowledged", "called_back", "done" };
  g_autoptr (GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  DengonMemoStatus status;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *label = dengon_memo_status_get_label (i);

      g_assert_cmpstr (dengon_memo_status_to_string (i), ==, names[i]);
      g_assert_true (dengon_memo_status_from_string (names[i], &status));
      g_assert_cmpint (status, ==, i);
      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
      g_assert_true (g_hash_table_add (labels, (gpointer) label));
    }

  g_assert_false (dengon_memo_status_from_string ("closed", &status));
  g_assert_false (dengon_memo_status_from_string ("New", &status));
  g_assert_false (dengon_memo_status_from_string ("", &status));
  g_assert_false (dengon_memo_status_from_string (NULL, &status));
}

static void
test_is_memo (void)
{
  g_autoptr (JsonObject) doc = json_object_new ();

  g_assert_false (dengon_memo_is_memo (doc));
  json_object_set_string_member (doc, "type", "contact");
  g_assert_false (dengon_memo_is_memo (doc));
  json_object_set_int_member (doc, "type", 1);
  g_assert_false (dengon_memo_is_memo (doc));
  json_object_set_string_member (doc, "type", "memo");
  g_assert_true (dengon_memo_is_memo (doc));
  g_assert_false (dengon_memo_is_memo (NULL));
}

/* Setters */

static void
test_set_call (void)
{
  g_autoptr (GDateTime) t0 = time_at (0);
  g_autoptr (GDateTime) t1 = time_at (95500);
  g_autoptr (JsonObject) memo = dengon_memo_new (KEN, t0);
  JsonObject *call;

  dengon_memo_set_call (memo, "out", "  (03)1234-5678 ", t0, t1);
  call = dengon_json_get_object (memo, "call");
  g_assert_cmpstr (dengon_json_get_string (call, "direction"), ==, "out");
  g_assert_cmpstr (dengon_json_get_string (call, "number"), ==, "+81312345678");
  g_assert_cmpstr (dengon_json_get_string (call, "number_display"), ==, "03-1234-5678");
  g_assert_cmpstr (dengon_json_get_string (call, "started_at"), ==, "2026-11-23T08:00:00.000Z");
  g_assert_cmpstr (dengon_json_get_string (call, "ended_at"), ==, "2026-11-23T08:01:35.500Z");
  assert_valid (memo);

  dengon_memo_set_call (memo, "in", "+81 90 1234 5678", NULL, NULL);
  g_assert_cmpstr (dengon_json_get_string (call, "direction"), ==, "in");
  g_assert_cmpstr (dengon_json_get_string (call, "number"), ==, "+819012345678");
  g_assert_cmpstr (dengon_json_get_string (call, "number_display"), ==, "090-1234-5678");
  g_assert_true (json_object_get_null_member (call, "started_at"));
  g_assert_true (json_object_get_null_member (call, "ended_at"));
  assert_valid (memo);
}

static void
test_set_call_unknown (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (KEN, NULL);
  JsonObject *call;

  /* An extension the library does not know: kept as digits. */
  dengon_memo_set_call (memo, "in", "20701", NULL, NULL);
  call = dengon_json_get_object (memo, "call");
  g_assert_cmpstr (dengon_json_get_string (call, "number"), ==, "20701");
  g_assert_cmpstr (dengon_json_get_string (call, "number_display"), ==, "20701");

  /* No digit: nothing to match, but the text is what the phone showed. */
  dengon_memo_set_call (memo, "in", "　非通知　", NULL, NULL);
  g_assert_true (json_object_get_null_member (call, "number"));
  g_assert_cmpstr (dengon_json_get_string (call, "number_display"), ==, "非通知");
  assert_valid (memo);

  dengon_memo_set_call (memo, "in", "   ", NULL, NULL);
  g_assert_true (json_object_get_null_member (call, "number"));
  g_assert_true (json_object_get_null_member (call, "number_display"));

  dengon_memo_set_call (memo, "out", NULL, NULL, NULL);
  g_assert_true (json_object_get_null_member (call, "number"));
  g_assert_true (json_object_get_null_member (call, "number_display"));
  assert_valid (memo);
}

static void
test_setters (void)
{
  g_autoptr (GDateTime) due = time_at (7200000);
  g_autoptr (JsonObject) memo = dengon_memo_new (KEN, NULL);
  g_autoptr (JsonObject) answers = json_object_new ();
  g_autofree char *before = canon (history_event (memo, 0));
  g_autofree char *after = NULL;
  JsonObject *caller;
  JsonObject *callback;
  JsonObject *script;

  dengon_memo_set_caller (memo, " 山田　太郎 ", "", "contact:42");
  caller = dengon_json_get_object (memo, "caller");
  g_assert_cmpstr (dengon_json_get_string (caller, "name"), ==, "山田　太郎");
  g_assert_true (json_object_get_null_member (caller, "company"));
  g_assert_cmpstr (dengon_json_get_string (caller, "contact_id"), ==, "contact:42");

  dengon_memo_set_message (memo, "至急\n折り返し");
  g_assert_cmpstr (dengon_json_get_string (memo, "message"), ==, "至急\n折り返し");
  dengon_memo_set_message (memo, NULL);
  g_assert_cmpstr (dengon_json_get_string (memo, "message"), ==, "");

  dengon_memo_set_category (memo, "complaint");
  g_assert_cmpstr (dengon_json_get_string (memo, "category"), ==, "complaint");
  dengon_memo_set_category (memo, "");
  g_assert_true (json_object_get_null_member (memo, "category"));

  dengon_memo_set_urgent (memo, TRUE);
  g_assert_cmpstr (dengon_json_get_string (memo, "urgency"), ==, "urgent");
  dengon_memo_set_urgent (memo, FALSE);
  g_assert_cmpstr (dengon_json_get_string (memo, "urgency"), ==, "normal");

  dengon_memo_set_callback (memo, TRUE, "０９０－１２３４－５６７８", due);
  callback = dengon_json_get_object (memo, "callback");
  g_assert_true (dengon_json_get_boolean (callback, "requested", FALSE));
  g_assert_cmpstr (dengon_json_get_string (callback, "number"), ==, "+819012345678");
  g_assert_cmpstr (dengon_json_get_string (callback, "by"), ==, "2026-11-23T10:00:00.000Z");
  dengon_memo_set_callback (memo, FALSE, NULL, NULL);
  g_assert_false (dengon_json_get_boolean (callback, "requested", TRUE));
  g_assert_true (json_object_get_null_member (callback, "number"));
  g_assert_true (json_object_get_null_member (callback, "by"));

  /* The answers are copied: later changes by the script runner do not leak in. */
  json_object_set_string_member (answers, "name", "山田");
  dengon_memo_set_script (memo, "script:absent", answers);
  json_object_set_string_member (answers, "name", "田中");
  script = dengon_json_get_object (memo, "script");
  g_assert_cmpstr (dengon_json_get_string (script, "id"), ==, "script:absent");
  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (script, "answers"), "name"), ==,
                   "山田");
  dengon_memo_set_script (memo, NULL, NULL);
  g_assert_true (json_object_get_null_member (script, "id"));
  g_assert_cmpuint (json_object_get_size (dengon_json_get_object (script, "answers")), ==, 0);

  /* Setters edit members, never the history. */
  g_assert_cmpuint (history_length (memo), ==, 1);
  after = canon (history_event (memo, 0));
  g_assert_cmpstr (before, ==, after);
  assert_valid (memo);
}

/* Actions */

typedef enum
{
  ACT_ASSIGN,
  ACT_ACKNOWLEDGE,
  ACT_CALLED_BACK,
  ACT_DONE,
  ACT_REOPEN,
  ACT_NOTE,
  ACT_ESCALATE,
  ACT_OUTCOME,
  N_ACTS,
} Act;

static const char *const act_names[] = {
  "assign", "acknowledge", "called_back", "done", "reopen", "note", "escalate", "outcome",
};

static gboolean
apply_act (JsonObject *memo, Act act, const char *by, const char *to, GDateTime *at, GError **error)
{
  switch (act)
    {
      case ACT_ASSIGN:
        return dengon_memo_assign (memo, by, to, at, error);
      case ACT_ACKNOWLEDGE:
        return dengon_memo_acknowledge (memo, by, at, error);
      case ACT_CALLED_BACK:
        return dengon_memo_called_back (memo, by, "留守電に伝言", at, error);
      case ACT_DONE:
        return dengon_memo_done (memo, by, at, error);
      case ACT_REOPEN:
        return dengon_memo_reopen (memo, by, at, error);
      case ACT_NOTE:
        return dengon_memo_add_note (memo, by, "メモ", at, error);
      case ACT_ESCALATE:
        return dengon_memo_escalate (memo, by, to != NULL ? to : AOI, "営業へ", at, error);
      case ACT_OUTCOME:
        return dengon_memo_set_outcome (memo, by, "appointment", "来週訪問", at, error);
      case N_ACTS:
      default:
        g_assert_not_reached ();
    }
}

/* A memo in @status, assigned to Ken unless new. */
static JsonObject *
memo_in_status (DengonMemoStatus status)
{
  g_autoptr (GDateTime) t0 = time_at (0);
  JsonObject *memo = dengon_memo_new (AOI, t0);
  static const Act steps[] = { ACT_ASSIGN, ACT_ACKNOWLEDGE, ACT_CALLED_BACK, ACT_DONE };

  for (guint i = 0; i < status; i++)
    {
      g_autoptr (GDateTime) at = time_at (1000 * (i + 1));
      g_autoptr (GError) error = NULL;

      g_assert_true (apply_act (memo, steps[i], KEN, KEN, at, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (dengon_memo_get_status (memo), ==, status);

  return memo;
}

#define ERR  -1 /* the action fails */
#define SAME -2 /* nothing appended, status unchanged */

typedef struct
{
  Act act;
  DengonMemoStatus from;
  int expected; /* a DengonMemoStatus after one appended event, ERR or SAME */
} TransitionCase;

/* clang-format off */
#define ROW(act, e_new, e_assigned, e_ack, e_cb, e_done) \
  { act, DENGON_MEMO_STATUS_NEW, e_new }, \
  { act, DENGON_MEMO_STATUS_ASSIGNED, e_assigned }, \
  { act, DENGON_MEMO_STATUS_ACKNOWLEDGED, e_ack }, \
  { act, DENGON_MEMO_STATUS_CALLED_BACK, e_cb }, \
  { act, DENGON_MEMO_STATUS_DONE, e_done }
#define NEW DENGON_MEMO_STATUS_NEW
#define ASG DENGON_MEMO_STATUS_ASSIGNED
#define ACK DENGON_MEMO_STATUS_ACKNOWLEDGED
#define CB  DENGON_MEMO_STATUS_CALLED_BACK
#define DONE DENGON_MEMO_STATUS_DONE
static const TransitionCase transition_cases[] = {
  /*   action            new   assigned ack   cb    done */
  ROW (ACT_ASSIGN,      ASG,  ASG,     ASG,  ASG,  ERR),  /* to Yuki */
  ROW (ACT_ACKNOWLEDGE, ACK,  ACK,     SAME, SAME, ERR),
  ROW (ACT_CALLED_BACK, CB,   CB,      CB,   CB,   ERR),
  ROW (ACT_DONE,        DONE, DONE,    DONE, DONE, SAME),
  ROW (ACT_REOPEN,      SAME, SAME,    SAME, SAME, ASG),
  ROW (ACT_NOTE,        NEW,  ASG,     ACK,  CB,   DONE),
  ROW (ACT_ESCALATE,    NEW,  ASG,     ACK,  CB,   DONE),
  ROW (ACT_OUTCOME,     NEW,  ASG,     ACK,  CB,   DONE),
};
/* clang-format on */

static void
test_transition (gconstpointer data)
{
  const TransitionCase *c = data;
  g_autoptr (JsonObject) memo = memo_in_status (c->from);
  g_autoptr (GDateTime) at = time_at (60000);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = canon (memo);
  const char *for_before = dengon_memo_get_for (memo);
  g_autofree char *for_before_copy = g_strdup (for_before);
  guint n = history_length (memo);
  gboolean ok;

  ok = apply_act (memo, c->act, YUKI, YUKI, at, &error);

  if (c->expected == ERR)
    {
      g_autofree char *after = canon (memo);

      g_assert_false (ok);
      g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "status: "));
      g_assert_cmpstr (before, ==, after);
      return;
    }

  g_assert_no_error (error);
  g_assert_true (ok);

  if (c->expected == SAME)
    {
      g_autofree char *after = canon (memo);

      g_assert_cmpstr (before, ==, after);
      return;
    }

  g_assert_cmpuint (history_length (memo), ==, n + 1);
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "action"), ==, act_names[c->act]);
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "by"), ==, YUKI);
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "at"), ==,
                   "2026-11-23T08:01:00.000Z");
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==,
                   dengon_memo_status_to_string (c->expected));
  if (c->act == ACT_ASSIGN)
    g_assert_cmpstr (dengon_memo_get_for (memo), ==, YUKI);
  else
    g_assert_cmpstr (dengon_memo_get_for (memo), ==, for_before_copy);
  assert_status_is_fold (memo);
  assert_valid (memo);
}

static void
test_create_assigned (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, NULL);
  JsonObject *create = history_event (memo, 0);

  /* A create event that names an assignee (another version of Dengon may write one). */
  json_object_set_string_member (create, "to", KEN);
  dengon_memo_recompute (memo);
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "assigned");
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, KEN);
  assert_valid (memo);
}

static void
test_assign_from_to (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, NULL);
  g_autoptr (GError) error = NULL;
  JsonObject *event;

  g_assert_true (dengon_memo_assign (memo, AOI, KEN, NULL, &error));
  event = last_event (memo);
  g_assert_true (json_object_get_null_member (event, "from"));
  g_assert_cmpstr (dengon_json_get_string (event, "to"), ==, KEN);
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "assigned");

  g_assert_true (dengon_memo_acknowledge (memo, KEN, NULL, &error));
  g_assert_true (dengon_memo_assign (memo, KEN, YUKI, NULL, &error));
  g_assert_no_error (error);
  event = last_event (memo);
  g_assert_cmpstr (dengon_json_get_string (event, "action"), ==, "assign");
  g_assert_cmpstr (dengon_json_get_string (event, "from"), ==, KEN);
  g_assert_cmpstr (dengon_json_get_string (event, "to"), ==, YUKI);
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "assigned");
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, YUKI);
  assert_status_is_fold (memo);
}

static void
test_unassign (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, NULL);
  g_autoptr (GError) error = NULL;
  JsonObject *event;
  guint n;

  g_assert_true (dengon_memo_assign (memo, AOI, KEN, NULL, &error));
  g_assert_true (dengon_memo_assign (memo, AOI, NULL, NULL, &error));
  g_assert_no_error (error);
  event = last_event (memo);
  g_assert_cmpstr (dengon_json_get_string (event, "from"), ==, KEN);
  g_assert_true (json_object_get_null_member (event, "to"));
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "new");
  g_assert_true (json_object_get_null_member (memo, "for"));
  g_assert_null (dengon_memo_get_for (memo));

  /* Unassigning what nobody has, again, records nothing. */
  n = history_length (memo);
  g_assert_true (dengon_memo_assign (memo, AOI, NULL, NULL, &error));
  g_assert_cmpuint (history_length (memo), ==, n);

  /* Reopening a done memo that nobody has makes it new again. */
  g_assert_true (dengon_memo_done (memo, AOI, NULL, &error));
  g_assert_true (dengon_memo_reopen (memo, AOI, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "new");
  assert_status_is_fold (memo);
}

static void
test_assign_same (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (dengon_memo_assign (memo, AOI, KEN, NULL, &error));
  before = canon (memo);
  g_assert_true (dengon_memo_assign (memo, YUKI, KEN, NULL, &error));
  g_assert_no_error (error);
  after = canon (memo);
  g_assert_cmpstr (before, ==, after);
}

typedef struct
{
  const char *name;
  Act act;
  const char *by;
  const char *to;
  const char *prefix;
} BadArgumentCase;

static const BadArgumentCase bad_argument_cases[] = {
  { "assign-by", ACT_ASSIGN, "ken", KEN, "by: " },
  { "assign-to", ACT_ASSIGN, KEN, "yuki", "to: " },
  { "assign-to-empty-login", ACT_ASSIGN, KEN, "staff:", "to: " },
  { "acknowledge-by", ACT_ACKNOWLEDGE, "", NULL, "by: " },
  { "done-by", ACT_DONE, "contact:1", NULL, "by: " },
  { "escalate-to", ACT_ESCALATE, KEN, "sales", "to: " },
};

static void
test_bad_argument (gconstpointer data)
{
  const BadArgumentCase *c = data;
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = canon (memo);
  g_autofree char *after = NULL;

  g_assert_false (apply_act (memo, c->act, c->by, c->to, NULL, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, c->prefix));
  after = canon (memo);
  g_assert_cmpstr (before, ==, after);
}

static void
test_note (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, NULL);
  g_autoptr (GError) error = NULL;
  const char *blank[] = { NULL, "", "  \n", "　" };
  g_autoptr (GString) long_note = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (blank); i++)
    {
      g_assert_false (dengon_memo_add_note (memo, KEN, blank[i], NULL, &error));
      g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "note: "));
      g_clear_error (&error);
    }
  g_assert_cmpuint (history_length (memo), ==, 1);

  for (guint i = 0; i < DENGON_MEMO_MAX_NOTE; i++)
    g_string_append (long_note, "伝");
  g_assert_true (dengon_memo_add_note (memo, KEN, long_note->str, NULL, &error));
  g_assert_no_error (error);
  g_string_append (long_note, "言");
  g_assert_false (dengon_memo_add_note (memo, KEN, long_note->str, NULL, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "note: longer than 2000 characters"));
  g_clear_error (&error);

  g_assert_true (dengon_memo_add_note (memo, NULL, "山田様から再度お電話", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "note"), ==, "山田様から再度お電話");
  g_assert_true (json_object_get_null_member (last_event (memo), "by"));
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "new");
  assert_valid (memo);
}

static void
test_escalate (void)
{
  g_autoptr (JsonObject) memo = memo_in_status (DENGON_MEMO_STATUS_ACKNOWLEDGED);
  g_autoptr (GError) error = NULL;
  JsonObject *event;

  g_assert_false (dengon_memo_escalate (memo, KEN, NULL, "営業へ", NULL, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "to: "));
  g_clear_error (&error);

  g_assert_true (dengon_memo_escalate (memo, KEN, AOI, NULL, NULL, &error));
  g_assert_no_error (error);
  event = last_event (memo);
  g_assert_cmpstr (dengon_json_get_string (event, "action"), ==, "escalate");
  g_assert_cmpstr (dengon_json_get_string (event, "to"), ==, AOI);
  g_assert_true (json_object_get_null_member (event, "note"));
  /* Escalating hands the lead to field staff: the memo stays with its assignee. */
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, KEN);
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "acknowledged");
  assert_valid (memo);
}

static void
test_outcome (void)
{
  g_autoptr (JsonObject) memo = memo_in_status (DENGON_MEMO_STATUS_DONE);
  g_autoptr (GError) error = NULL;
  const char *known[] = { "appointment", "visited", "proposal", "won", "lost", "no_need" };
  JsonObject *event;

  g_assert_false (dengon_memo_set_outcome (memo, KEN, "maybe", NULL, NULL, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "outcome: unknown outcome \"maybe\""));
  g_clear_error (&error);
  g_assert_false (dengon_memo_set_outcome (memo, KEN, NULL, NULL, NULL, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_assert_true (dengon_memo_set_outcome (memo, KEN, known[i], i == 0 ? "12/1 10時訪問" : NULL,
                                              NULL, &error));
      g_assert_no_error (error);
      event = last_event (memo);
      g_assert_cmpstr (dengon_json_get_string (event, "note"), ==, known[i]);
      if (i == 0)
        g_assert_cmpstr (dengon_json_get_string (event, "detail"), ==, "12/1 10時訪問");
      else
        g_assert_true (json_object_get_null_member (event, "detail"));
    }
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "done");
  assert_valid (memo);
}

static void
test_event_time_clamped (void)
{
  g_autoptr (GDateTime) t0 = time_at (10000);
  g_autoptr (GDateTime) earlier = time_at (5000);
  g_autoptr (GDateTime) tokyo = NULL;
  g_autoptr (GTimeZone) jst = g_time_zone_new_identifier ("+09:00");
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, t0);
  g_autoptr (GError) error = NULL;

  /* A desk whose clock is behind cannot put an event before what it has seen. */
  g_assert_true (dengon_memo_assign (memo, KEN, KEN, earlier, &error));
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "at"), ==,
                   "2026-11-23T08:00:10.001Z");
  /* Nor at the same millisecond, where the tie rule could reorder the two. */
  g_assert_true (dengon_memo_acknowledge (memo, KEN, t0, &error));
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "at"), ==,
                   "2026-11-23T08:00:10.002Z");
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "acknowledged");

  /* Times are stored in UTC, to the millisecond. */
  tokyo = g_date_time_new (jst, 2026, 11, 23, 17, 30, 15.123999);
  g_assert_true (dengon_memo_add_note (memo, KEN, "了解", tokyo, &error));
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "at"), ==,
                   "2026-11-23T08:30:15.123Z");

  /* NULL is now, still after the newest event. */
  g_assert_true (dengon_memo_done (memo, KEN, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dengon_json_timestamp_to_ms (dengon_json_get_string (last_event (memo), "at")),
                   >, dengon_json_timestamp_to_ms ("2026-11-23T08:30:15.123Z"));
  assert_valid (memo);
}

static void
test_history_full (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new (AOI, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) t = time_at (0);

  for (guint i = 1; i < DENGON_MEMO_MAX_EVENTS; i++)
    {
      g_assert_true (dengon_memo_add_note (memo, KEN, "メモ", t, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (history_length (memo), ==, DENGON_MEMO_MAX_EVENTS);
  assert_valid (memo);
  g_assert_false (dengon_memo_add_note (memo, KEN, "メモ", t, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "history: "));
}

/* Status is the history */

static JsonObject *
reversed_members (JsonObject *object)
{
  g_autoptr (GList) members = json_object_get_members (object);
  JsonObject *copy = json_object_new ();

  members = g_list_reverse (members);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_object_member (copy, l->data,
                                       reversed_members (json_node_get_object (node)));
      else
        json_object_set_member (copy, l->data, json_node_copy (node));
    }

  return copy;
}

static void
test_recompute_scrambled (void)
{
  g_autoptr (JsonObject) memo = make_full_memo ();
  g_autoptr (JsonObject) scrambled = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) t = time_at (240000);
  JsonArray *history;
  g_autoptr (JsonArray) reversed = json_array_new ();

  g_assert_true (dengon_memo_acknowledge (memo, KEN, t, &error));
  g_assert_no_error (error);

  /* Members in another order, the history stored backwards (create kept first), caches gone. */
  scrambled = dengon_memo_copy (memo);
  history = dengon_json_get_array (scrambled, "history");
  json_array_add_element (reversed, json_node_copy (json_array_get_element (history, 0)));
  for (guint i = json_array_get_length (history) - 1; i > 0; i--)
    json_array_add_element (reversed, json_node_copy (json_array_get_element (history, i)));
  json_object_set_array_member (scrambled, "history", json_array_ref (reversed));
  json_object_remove_member (scrambled, "status");
  json_object_remove_member (scrambled, "for");
  {
    g_autoptr (JsonObject) reordered = reversed_members (scrambled);

    g_clear_pointer (&scrambled, json_object_unref);
    scrambled = g_steal_pointer (&reordered);
  }

  /* Without the caches, the getters fold the history. */
  g_assert_cmpint (dengon_memo_get_status (scrambled), ==, DENGON_MEMO_STATUS_ACKNOWLEDGED);
  g_assert_cmpstr (dengon_memo_get_for (scrambled), ==, KEN);

  dengon_memo_recompute (scrambled);
  g_assert_cmpstr (dengon_json_get_string (scrambled, "status"), ==, "acknowledged");
  g_assert_cmpstr (dengon_json_get_string (scrambled, "for"), ==, KEN);
  assert_status_is_fold (scrambled);

  /* Apart from the history's order, the same document. */
  json_object_set_array_member (scrambled, "history",
                                json_array_ref (dengon_json_get_array (memo, "history")));
  assert_same_json (scrambled, memo);
}

static void
test_recompute_stale_cache (void)
{
  g_autoptr (JsonObject) memo = memo_in_status (DENGON_MEMO_STATUS_CALLED_BACK);

  json_object_set_string_member (memo, "status", "new");
  json_object_set_string_member (memo, "for", YUKI);
  dengon_memo_recompute (memo);
  g_assert_cmpstr (dengon_json_get_string (memo, "status"), ==, "called_back");
  g_assert_cmpstr (dengon_json_get_string (memo, "for"), ==, KEN);

  /* A wrong cache type: the getters fall back to the history. */
  json_object_set_int_member (memo, "status", 3);
  json_object_set_boolean_member (memo, "for", TRUE);
  g_assert_cmpint (dengon_memo_get_status (memo), ==, DENGON_MEMO_STATUS_CALLED_BACK);
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, KEN);
}

static void
test_fold_ties (void)
{
  g_autoptr (JsonArray) history = json_array_new ();
  g_autofree char *t1 = timestamp_at (1000);
  g_autofree char *t2 = timestamp_at (2000);
  const char *assignee = NULL;
  JsonObject *event;

  /* Out of order: done (t2) written before acknowledge (t1). */
  event = json_object_new ();
  json_object_set_string_member (event, "at", t2);
  json_object_set_string_member (event, "action", "done");
  json_array_add_object_element (history, event);
  event = json_object_new ();
  json_object_set_string_member (event, "at", t1);
  json_object_set_string_member (event, "action", "acknowledge");
  json_array_add_object_element (history, event);
  /* A create that claims to be later than everything still comes first. */
  event = json_object_new ();
  json_object_set_string_member (event, "at", "2030-01-01T00:00:00.000Z");
  json_object_set_string_member (event, "action", "create");
  json_object_set_string_member (event, "to", KEN);
  json_array_add_object_element (history, event);
  g_assert_cmpint (dengon_memo_fold_history (history, &assignee), ==, DENGON_MEMO_STATUS_DONE);
  g_assert_cmpstr (assignee, ==, KEN);

  /* Same time: the canonical JSON decides ("acknowledge" < "done"), whatever the stored order. */
  event = json_array_get_object_element (history, 1);
  json_object_set_string_member (event, "at", t2);
  g_assert_cmpint (dengon_memo_fold_history (history, NULL), ==, DENGON_MEMO_STATUS_DONE);
  g_assert_cmpint (dengon_memo_event_compare (json_array_get_element (history, 0),
                                              json_array_get_element (history, 1)),
                   >, 0);
  g_assert_cmpint (dengon_memo_event_compare (json_array_get_element (history, 2),
                                              json_array_get_element (history, 1)),
                   <, 0);
  g_assert_cmpint (dengon_memo_event_compare (json_array_get_element (history, 1),
                                              json_array_get_element (history, 1)),
                   ==, 0);

  /* Times compare as times: 09:00:00+09:00 is before 00:00:00.5Z. */
  event = json_array_get_object_element (history, 0);
  json_object_set_string_member (event, "at", "2026-11-23T09:00:00+09:00");
  event = json_array_get_object_element (history, 1);
  json_object_set_string_member (event, "at", "2026-11-23T00:00:00.500Z");
  g_assert_cmpint (dengon_memo_fold_history (history, NULL), ==, DENGON_MEMO_STATUS_ACKNOWLEDGED);
}

/* Validation */

typedef struct
{
  const char *name;
  const char *path; /* "member", "a.b", "history[1]", "history[1].note" */
  const char *json; /* the new value; NULL removes the member */
  const char *prefix;
  void (*setup) (JsonObject *memo);
} InvalidCase;

static char *
repeat (const char *text, guint n)
{
  g_autoptr (GString) s = g_string_new ("\"");

  for (guint i = 0; i < n; i++)
    g_string_append (s, text);
  g_string_append_c (s, '"');

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
split_index (const char *segment, char **name, int *index)
{
  const char *bracket = strchr (segment, '[');

  if (bracket == NULL)
    {
      *name = g_strdup (segment);
      *index = -1;
      return FALSE;
    }

  *name = g_strndup (segment, bracket - segment);
  *index = atoi (bracket + 1);
  return TRUE;
}

static void
apply_edit (JsonObject *memo, const char *path, const char *json)
{
  g_auto (GStrv) segments = g_strsplit (path, ".", -1);
  guint n = g_strv_length (segments);
  JsonObject *object = memo;
  g_autofree char *name = NULL;
  int index;

  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *part = NULL;

      if (split_index (segments[i], &part, &index))
        object = json_array_get_object_element (dengon_json_get_array (object, part), index);
      else
        object = dengon_json_get_object (object, part);
      g_assert_nonnull (object);
    }

  if (split_index (segments[n - 1], &name, &index))
    {
      JsonArray *array = dengon_json_get_array (object, name);
      g_autoptr (JsonArray) rebuilt = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if ((int) i == index)
            {
              if (json != NULL)
                json_array_add_element (rebuilt, json_from_string (json, NULL));
            }
          else
            json_array_add_element (rebuilt, json_node_copy (json_array_get_element (array, i)));
        }
      json_object_set_array_member (object, name, json_array_ref (rebuilt));
    }
  else if (json == NULL)
    json_object_remove_member (object, name);
  else
    {
      g_autoptr (GError) error = NULL;
      JsonNode *node = json_from_string (json, &error);

      g_assert_no_error (error);
      json_object_set_member (object, name, node);
    }
}

static void
setup_too_many_events (JsonObject *memo)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  g_autofree char *at = timestamp_at (500000);

  while (json_array_get_length (history) <= DENGON_MEMO_MAX_EVENTS)
    {
      JsonObject *event = json_object_new ();

      json_object_set_string_member (event, "at", at);
      json_object_set_string_member (event, "action", "note");
      json_object_set_string_member (event, "note", "x");
      json_array_add_object_element (history, event);
    }
}

static void
setup_long_name (JsonObject *memo)
{
  g_autofree char *name = repeat ("山", DENGON_MEMO_MAX_NAME + 1);

  apply_edit (memo, "caller.name", name);
}

static void
setup_long_company (JsonObject *memo)
{
  g_autofree char *name = repeat ("a", DENGON_MEMO_MAX_NAME + 1);

  apply_edit (memo, "caller.company", name);
}

static void
setup_long_message (JsonObject *memo)
{
  g_autofree char *message = repeat ("伝", DENGON_MEMO_MAX_MESSAGE + 1);

  apply_edit (memo, "message", message);
}

static void
setup_long_note (JsonObject *memo)
{
  g_autofree char *note = repeat ("x", DENGON_MEMO_MAX_NOTE + 1);

  apply_edit (memo, "history[2].note", note);
}

#define EVENT(action, rest) \
  "{\"at\":\"2026-11-23T08:02:00.000Z\",\"by\":\"staff:aoi\",\"action\":\"" action "\"" rest "}"

/* clang-format off */
static const InvalidCase invalid_cases[] = {
  { "id-missing", "_id", NULL, "_id: missing" },
  { "id-prefix", "_id", "\"contact:1\"", "_id: must start with \"memo:\"" },
  { "id-bare-prefix", "_id", "\"memo:\"", "_id: must start with \"memo:\"" },
  { "rev-type", "_rev", "1", "_rev: must be a string" },
  { "type", "type", "\"contact\"", "type: must be \"memo\"" },
  { "type-missing", "type", NULL, "type: missing" },
  { "created-at-text", "created_at", "\"yesterday\"", "created_at: not an RFC 3339 time" },
  { "created-at-no-zone", "created_at", "\"2026-11-23T08:15:30\"", "created_at: not an RFC 3339 time" },
  { "created-at-week-date", "created_at", "\"2026-W48-1T08:15:30Z\"", "created_at: not an RFC 3339 time" },
  { "created-at-number", "created_at", "1795420800", "created_at: must be a string" },
  { "taken-by", "taken_by", "\"ken\"", "taken_by: must start with \"staff:\"" },
  { "call-missing", "call", NULL, "call: missing" },
  { "call-type", "call", "\"03-1234-5678\"", "call: must be an object" },
  { "call-direction", "call.direction", "\"sideways\"", "call.direction: must be \"in\" or \"out\"" },
  { "call-direction-missing", "call.direction", NULL, "call.direction: missing" },
  { "call-number", "call.number", "312345678", "call.number: must be a string or null" },
  { "call-number-display", "call.number_display", "[]", "call.number_display: must be a string or null" },
  { "call-started-at", "call.started_at", "\"2026-13-01T00:00:00Z\"", "call.started_at: not an RFC 3339 time" },
  { "call-ended-before-started", "call.ended_at", "\"2026-11-23T07:59:59.999Z\"", "call.ended_at: before call.started_at" },
  { "caller-missing", "caller", NULL, "caller: missing" },
  { "caller-name-long", "caller.name", "null", "caller.name: longer than 200 characters", setup_long_name },
  { "caller-company-long", "caller.company", "null", "caller.company: longer than 200 characters", setup_long_company },
  { "caller-company-type", "caller.company", "true", "caller.company: must be a string or null" },
  { "caller-contact-id", "caller.contact_id", "\"memo:1\"", "caller.contact_id: must start with \"contact:\"" },
  { "for", "for", "\"yuki\"", "for: must start with \"staff:\"" },
  { "category", "category", "[\"sales\"]", "category: must be a string or null" },
  { "urgency", "urgency", "\"high\"", "urgency: must be \"normal\" or \"urgent\"" },
  { "urgency-missing", "urgency", NULL, "urgency: missing" },
  { "callback-type", "callback", "true", "callback: must be an object" },
  { "callback-requested", "callback.requested", "\"yes\"", "callback.requested: must be true or false" },
  { "callback-requested-missing", "callback.requested", NULL, "callback.requested: missing" },
  { "callback-by", "callback.by", "\"tomorrow\"", "callback.by: not an RFC 3339 time" },
  { "message-null", "message", "null", "message: must be a string, not null" },
  { "message-long", "message", "\"\"", "message: longer than 10000 characters", setup_long_message },
  { "script-id", "script.id", "\"general\"", "script.id: must start with \"script:\"" },
  { "script-answers", "script.answers", "[]", "script.answers: must be an object" },
  { "status", "status", "\"closed\"", "status: unknown status \"closed\"" },
  { "status-missing", "status", NULL, "status: missing" },
  { "history-missing", "history", NULL, "history: missing" },
  { "history-type", "history", "{}", "history: must be an array" },
  { "history-empty", "history", "[]", "history: the first event must be \"create\"" },
  { "history-first-not-create", "history[0]", NULL, "history: the first event must be \"create\"" },
  { "history-too-many", "history[1].note", "null", "history: more than 1000 events", setup_too_many_events },
  { "history-event-type", "history[1]", "5", "history[1]: must be an object" },
  { "history-action-unknown", "history[1].action", "\"foo\"", "history[1].action: unknown action \"foo\"" },
  { "history-action-missing", "history[2].action", NULL, "history[2].action: missing" },
  { "history-second-create", "history[2]", EVENT ("create", ""), "history[2].action: only the first event may be \"create\"" },
  { "history-at", "history[1].at", "\"later\"", "history[1].at: not an RFC 3339 time" },
  { "history-at-missing", "history[1].at", NULL, "history[1].at: missing" },
  { "history-by", "history[1].by", "\"aoi\"", "history[1].by: must start with \"staff:\"" },
  { "history-assign-to", "history[1].to", "\"ken\"", "history[1].to: must start with \"staff:\"" },
  { "history-note-long", "history[2].note", "null", "history[2].note: longer than 2000 characters", setup_long_note },
  { "history-note-empty", "history[2].note", "\" \"", "history[2].note: must not be empty" },
  { "history-note-type", "history[2].note", "42", "history[2].note: must be a string or null" },
  { "history-escalate-no-to", "history[2]", EVENT ("escalate", ",\"to\":null"), "history[2].to: must be a string, not null" },
  { "history-outcome-unknown", "history[2]", EVENT ("outcome", ",\"note\":\"maybe\""), "history[2].note: unknown outcome \"maybe\"" },
  { "history-detail-type", "history[2]", EVENT ("outcome", ",\"note\":\"won\",\"detail\":1"), "history[2].detail: must be a string or null" },
};
/* clang-format on */

static void
test_invalid (gconstpointer data)
{
  const InvalidCase *c = data;
  g_autoptr (JsonObject) memo = make_full_memo ();
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (memo, "_rev", "3-abc");
  assert_valid (memo);

  if (c->setup != NULL)
    c->setup (memo);
  else
    apply_edit (memo, c->path, c->json);

  g_assert_false (dengon_memo_validate (memo, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, c->prefix))
    g_error ("expected \"%s…\", got \"%s\"", c->prefix, error->message);
}

static void
test_valid_full (void)
{
  g_autoptr (JsonObject) memo = make_full_memo ();
  g_autoptr (JsonObject) sealed = NULL;
  g_autofree char *text = dengon_json_object_to_string (memo);
  g_autoptr (GError) error = NULL;

  assert_valid (memo);

  /* Through text and back, sealed, as the store hands documents out. */
  sealed = dengon_json_parse_object (text, -1, NULL, &error);
  g_assert_no_error (error);
  assert_valid (sealed);

  /* Optional members may be absent; members of newer versions are allowed. */
  json_object_remove_member (memo, "for");
  json_object_remove_member (memo, "category");
  json_object_remove_member (memo, "taken_by");
  json_object_remove_member (dengon_json_get_object (memo, "call"), "number");
  json_object_remove_member (dengon_json_get_object (memo, "caller"), "contact_id");
  json_object_remove_member (dengon_json_get_object (memo, "callback"), "by");
  json_object_remove_member (history_event (memo, 1), "note");
  json_object_set_string_member (memo, "segment", "existing");
  json_object_set_string_member (memo, "created_at", "2026-11-23T17:00:00+09:00");
  assert_valid (memo);
}

static void
test_valid_japanese (void)
{
  g_autoptr (JsonObject) memo = dengon_memo_new ("staff:佐藤", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) message = g_string_new (NULL);
  g_autoptr (GString) name = g_string_new (NULL);

  /* Limits count characters, not bytes: 10000 kanji are 30000 bytes. */
  for (guint i = 0; i < DENGON_MEMO_MAX_MESSAGE; i++)
    g_string_append (message, "伝");
  for (guint i = 0; i < DENGON_MEMO_MAX_NAME; i++)
    g_string_append (name, "株");
  dengon_memo_set_message (memo, message->str);
  dengon_memo_set_caller (memo, "髙橋　一郎", name->str, NULL);
  dengon_memo_set_category (memo, "クレーム");
  g_assert_true (dengon_memo_assign (memo, "staff:佐藤", "staff:髙橋", NULL, &error));
  g_assert_true (dengon_memo_called_back (
      memo, "staff:髙橋", "不在のため留守電に伝言（再度お電話します）", NULL, &error));
  g_assert_no_error (error);
  assert_valid (memo);

  dengon_memo_set_message (memo, "山田様より、明日の打ち合わせは14時からに変更とのことです。");
  assert_valid (memo);
}

/* Merge */

static JsonObject *
merge (JsonObject *a, JsonObject *b)
{
  return dengon_memo_merge (a, b);
}

static GHashTable *
event_set (JsonObject *memo)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (history); i++)
    g_hash_table_add (set, dengon_json_canonical (json_array_get_element (history, i)));

  return set;
}

static void
assert_contains_events (JsonObject *merged, JsonObject *side)
{
  g_autoptr (GHashTable) all = event_set (merged);
  g_autoptr (GHashTable) part = event_set (side);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, part);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_hash_table_contains (all, key))
        g_error ("event lost in the merge: %s", (const char *) key);
    }
}

static void
assert_sorted_unique (JsonObject *memo)
{
  JsonArray *history = dengon_json_get_array (memo, "history");

  for (guint i = 1; i < json_array_get_length (history); i++)
    g_assert_cmpint (reference_compare (&(JsonNode *){ json_array_get_element (history, i - 1) },
                                        &(JsonNode *){ json_array_get_element (history, i) }),
                     <, 0);
}

/* @memo as a merge gives it back: without the store's revision members. */
static JsonObject *
without_revisions (JsonObject *memo)
{
  JsonObject *copy = dengon_memo_copy (memo);

  json_object_remove_member (copy, "_rev");
  json_object_remove_member (copy, "_revisions");
  json_object_remove_member (copy, "_conflicts");

  return copy;
}

static void
assert_merge_laws (JsonObject *a, JsonObject *b, JsonObject *c)
{
  g_autoptr (JsonObject) plain_a = without_revisions (a);
  g_autoptr (JsonObject) ab = merge (a, b);
  g_autoptr (JsonObject) ba = merge (b, a);
  g_autoptr (JsonObject) aa = merge (a, a);
  g_autoptr (JsonObject) bc = merge (b, c);
  g_autoptr (JsonObject) ab_c = merge (ab, c);
  g_autoptr (JsonObject) a_bc = merge (a, bc);
  g_autoptr (JsonObject) ab_a = merge (ab, a);
  g_autoptr (GHashTable) set_a = event_set (a);
  g_autoptr (GHashTable) set_b = event_set (b);
  g_autoptr (GHashTable) set_ab = event_set (ab);
  GHashTableIter iter;
  gpointer key;

  assert_contains_events (ab, a);
  assert_contains_events (ab, b);
  /* ...and nothing else. */
  g_hash_table_iter_init (&iter, set_ab);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (set_a, key) || g_hash_table_contains (set_b, key));
  assert_sorted_unique (ab);

  assert_same_json (ab, ba);
  assert_same_json (aa, plain_a);
  assert_same_json (ab_c, a_bc);
  assert_same_json (ab_a, ab);
  assert_status_is_fold (ab);
  assert_status_is_fold (ab_c);
  assert_valid (ab);
  assert_valid (ab_c);
}

typedef struct
{
  guint32 seed;
  guint rounds;
} RandomCase;

static const RandomCase random_cases[] = {
  { 1, 200 },    { 2, 200 },    { 3, 200 },    { 42, 200 },
  { 2026, 200 }, { 7777, 300 }, { 31337, 50 }, { 123456789, 200 },
};

static const char *const people[] = { KEN, YUKI, AOI, NULL };

static void
random_action (GRand *rand, JsonObject *memo, gint64 *clock)
{
  Act act = g_rand_int_range (rand, 0, N_ACTS);
  const char *by = people[g_rand_int_range (rand, 0, G_N_ELEMENTS (people))];
  const char *to = people[g_rand_int_range (rand, 0, G_N_ELEMENTS (people))];
  g_autoptr (GDateTime) at = NULL;
  g_autoptr (GError) error = NULL;
  gint64 ms;

  /* Desks share a clock that moves by 0-2 ms: events collide; one in ten runs 5 s behind. */
  *clock += g_rand_int_range (rand, 0, 3);
  ms = *clock;
  if (g_rand_int_range (rand, 0, 10) == 0)
    ms -= 5000;
  at = time_at (ms);

  if (!apply_act (memo, act, by, to, at, &error))
    {
      g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "status: ") ||
                     (act == ACT_ESCALATE && to == NULL));
    }
}

static void
sync_pair (JsonObject **x, JsonObject **y)
{
  JsonObject *merged = merge (*x, *y);

  json_object_unref (*x);
  json_object_unref (*y);
  *x = dengon_memo_copy (merged);
  *y = merged;
}

static void
test_merge_random (gconstpointer data)
{
  const RandomCase *c = data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (c->seed);
  g_autoptr (GDateTime) t0 = time_at (0);
  g_autoptr (JsonObject) base = dengon_memo_new (AOI, t0);
  JsonObject *sides[3];
  gint64 clock = 0;

  g_test_message ("seed %u, %u rounds", c->seed, c->rounds);
  dengon_memo_set_message (base, "見積の件");
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    sides[i] = dengon_memo_copy (base);

  for (guint round = 0; round < c->rounds; round++)
    {
      guint side = g_rand_int_range (rand, 0, G_N_ELEMENTS (sides));
      guint choice = g_rand_int_range (rand, 0, 20);

      if (choice == 0)
        {
          /* Now and then two desks replicate. */
          guint other = (side + 1 + g_rand_int_range (rand, 0, 2)) % G_N_ELEMENTS (sides);

          sync_pair (&sides[side], &sides[other]);
        }
      else if (choice == 1)
        {
          /* An edit that is not an event: the side with the newer event keeps its members. */
          g_autofree char *message = g_strdup_printf ("伝言 %u", round);

          dengon_memo_set_message (sides[side], message);
          dengon_memo_set_urgent (sides[side], g_rand_boolean (rand));
        }
      else
        random_action (rand, sides[side], &clock);
    }

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      g_test_message ("side %u: %u events, %s", i, history_length (sides[i]),
                      dengon_json_get_string (sides[i], "status"));
      assert_valid (sides[i]);
      assert_status_is_fold (sides[i]);
    }

  assert_merge_laws (sides[0], sides[1], sides[2]);
  assert_merge_laws (sides[1], sides[2], sides[0]);
  assert_merge_laws (sides[2], sides[0], base);

  /* The same history with other members: the tie rule decides, the same way on every desk. */
  {
    g_autoptr (JsonObject) edited = dengon_memo_copy (sides[0]);

    dengon_memo_set_message (edited, "別の伝言");
    dengon_memo_set_category (edited, "order");
    assert_merge_laws (sides[0], edited, sides[1]);
    assert_merge_laws (edited, sides[1], sides[0]);
  }

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    json_object_unref (sides[i]);
}

static void
fork_memo (JsonObject **a, JsonObject **b)
{
  g_autoptr (GDateTime) t0 = time_at (0);
  g_autoptr (GDateTime) t1 = time_at (1000);
  g_autoptr (GError) error = NULL;

  *a = dengon_memo_new (AOI, t0);
  g_assert_true (dengon_memo_assign (*a, AOI, KEN, t1, &error));
  g_assert_no_error (error);
  *b = dengon_memo_copy (*a);
}

static void
test_merge_same_event (void)
{
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) merged = NULL;
  g_autoptr (GDateTime) t = time_at (5000);
  g_autoptr (GError) error = NULL;

  fork_memo (&a, &b);
  g_assert_true (dengon_memo_acknowledge (a, KEN, t, &error));
  g_assert_true (dengon_memo_acknowledge (b, KEN, t, &error));
  g_assert_no_error (error);

  merged = merge (a, b);
  g_assert_cmpuint (history_length (merged), ==, 3);
  g_assert_cmpstr (dengon_json_get_string (merged, "status"), ==, "acknowledged");
  assert_same_json (merged, a);
  assert_merge_laws (a, b, merged);
}

static void
test_merge_same_time_different_actors (void)
{
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) merged = NULL;
  g_autoptr (GDateTime) t = time_at (5000);
  g_autoptr (GError) error = NULL;

  fork_memo (&a, &b);
  g_assert_true (dengon_memo_assign (a, KEN, YUKI, t, &error));
  g_assert_true (dengon_memo_assign (b, AOI, AOI, t, &error));
  g_assert_no_error (error);

  merged = merge (a, b);
  g_assert_cmpuint (history_length (merged), ==, 4);
  /* Both kept, in canonical order: {"action":"assign","at":...,"by":"staff:aoi"...} first. */
  g_assert_cmpstr (dengon_json_get_string (history_event (merged, 2), "by"), ==, AOI);
  g_assert_cmpstr (dengon_json_get_string (history_event (merged, 3), "by"), ==, KEN);
  g_assert_cmpstr (dengon_memo_get_for (merged), ==, YUKI);
  assert_merge_laws (a, b, merged);
}

static void
test_merge_concurrent_done_and_note (void)
{
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) merged = NULL;
  g_autoptr (GDateTime) t2 = time_at (2000);
  g_autoptr (GDateTime) t3 = time_at (3000);
  g_autoptr (GError) error = NULL;

  /* Offline: Ken closes the memo, Yuki adds that the caller called again. */
  fork_memo (&a, &b);
  g_assert_true (dengon_memo_done (a, KEN, t2, &error));
  g_assert_true (dengon_memo_add_note (b, YUKI, "再度お電話あり", t3, &error));
  g_assert_no_error (error);

  merged = merge (a, b);
  g_assert_cmpuint (history_length (merged), ==, 4);
  g_assert_cmpstr (dengon_json_get_string (merged, "status"), ==, "done");
  assert_merge_laws (a, b, merged);
}

static void
test_merge_members_from_newer (void)
{
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) ab = NULL;
  g_autoptr (JsonObject) ba = NULL;
  g_autoptr (GDateTime) t2 = time_at (2000);
  g_autoptr (GDateTime) t3 = time_at (3000);
  g_autoptr (GError) error = NULL;

  fork_memo (&a, &b);
  dengon_memo_set_message (a, "A の伝言");
  dengon_memo_set_category (a, "order");
  g_assert_true (dengon_memo_add_note (a, KEN, "A", t2, &error));
  dengon_memo_set_message (b, "B の伝言");
  g_assert_true (dengon_memo_add_note (b, YUKI, "B", t3, &error));
  g_assert_no_error (error);

  ab = merge (a, b);
  ba = merge (b, a);
  g_assert_cmpstr (dengon_json_get_string (ab, "message"), ==, "B の伝言");
  g_assert_true (json_object_get_null_member (ab, "category"));
  assert_same_json (ab, ba);
  g_assert_cmpuint (history_length (ab), ==, 4);
}

static void
test_merge_tie (void)
{
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) ab = NULL;
  g_autoptr (JsonObject) ba = NULL;

  /* The same history, different members: the greater canonical JSON wins, on both desks. */
  fork_memo (&a, &b);
  dengon_memo_set_message (a, "aaa");
  dengon_memo_set_message (b, "bbb");
  json_object_set_string_member (a, "_rev", "9-zzz");
  json_object_set_string_member (b, "_rev", "1-aaa");

  ab = merge (a, b);
  ba = merge (b, a);
  g_assert_cmpstr (dengon_json_get_string (ab, "message"), ==, "bbb");
  assert_same_json (ab, ba);
  assert_merge_laws (a, b, ab);
}

static void
test_merge_drops_revisions (void)
{
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) merged = NULL;
  g_autoptr (GDateTime) t2 = time_at (2000);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  fork_memo (&a, &b);
  id = g_strdup (dengon_json_get_string (a, "_id"));
  json_object_set_string_member (a, "_rev", "2-abc");
  json_object_set_object_member (a, "_revisions", json_object_new ());
  json_object_set_array_member (b, "_conflicts", json_array_new ());
  g_assert_true (dengon_memo_acknowledge (b, KEN, t2, &error));
  g_assert_no_error (error);

  merged = merge (a, b);
  g_assert_cmpstr (dengon_json_get_string (merged, "_id"), ==, id);
  g_assert_false (json_object_has_member (merged, "_rev"));
  g_assert_false (json_object_has_member (merged, "_revisions"));
  g_assert_false (json_object_has_member (merged, "_conflicts"));
  assert_valid (merged);
}

static void
test_merge_sealed (void)
{
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) sealed_a = NULL;
  g_autoptr (JsonObject) sealed_b = NULL;
  g_autoptr (JsonObject) merged = NULL;
  g_autoptr (JsonObject) merged_plain = NULL;
  g_autoptr (GDateTime) t2 = time_at (2000);
  g_autoptr (GError) error = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  fork_memo (&a, &b);
  g_assert_true (dengon_memo_called_back (a, KEN, "不在", t2, &error));
  text_a = dengon_json_object_to_string (a);
  text_b = dengon_json_object_to_string (b);
  sealed_a = dengon_json_parse_object (text_a, -1, NULL, &error);
  sealed_b = dengon_json_parse_object (text_b, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_is_immutable (sealed_a));

  /* Documents from the store are sealed; the merge is a new, mutable memo. */
  merged = merge (sealed_a, sealed_b);
  merged_plain = merge (a, b);
  assert_same_json (merged, merged_plain);
  g_assert_false (json_object_is_immutable (merged));
  g_assert_true (dengon_memo_done (merged, KEN, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (merged, "status"), ==, "done");
}

/* Summary */

typedef struct
{
  const char *name;
  const char *message;
  const char *summary; /* NULL: see the test */
} SummaryCase;

static const SummaryCase summary_cases[] = {
  { "single-line", "見積書の件でお電話がありました", "見積書の件でお電話がありました" },
  { "multi-line", "山田様より\n明日の件\n以上", "山田様より" },
  { "crlf", "Call back Mr. Yamada\r\nabout the order", "Call back Mr. Yamada" },
  { "leading-blank-lines", "\n \n\t至急：折り返し\n", "至急：折り返し" },
  { "ideographic-space", "　　至急　", "至急" },
  { "tab-inside", "受注\t3件", "受注 3件" },
  { "empty", "", "" },
  { "blank", " \n　\n", "" },
  { "exactly-80", NULL, NULL },
  { "long-ascii", NULL, NULL },
  { "long-japanese", NULL, NULL },
};

static void
test_summary (gconstpointer data)
{
  const SummaryCase *c = data;
  g_autoptr (JsonObject) memo = dengon_memo_new (KEN, NULL);
  g_autoptr (GString) message = g_string_new (NULL);
  g_autofree char *summary = NULL;

  if (c->message != NULL)
    {
      dengon_memo_set_message (memo, c->message);
      summary = dengon_memo_get_summary (memo);
      g_assert_cmpstr (summary, ==, c->summary);
      return;
    }

  if (g_str_equal (c->name, "exactly-80"))
    {
      for (guint i = 0; i < 80; i++)
        g_string_append (message, "話");
      dengon_memo_set_message (memo, message->str);
      summary = dengon_memo_get_summary (memo);
      g_assert_cmpstr (summary, ==, message->str);
    }
  else if (g_str_equal (c->name, "long-ascii"))
    {
      g_string_append (message, "a");
      for (guint i = 0; i < 50; i++)
        g_string_append (message, "x ");
      dengon_memo_set_message (memo, message->str);
      summary = dengon_memo_get_summary (memo);
      /* The 79 characters kept end in a space, trimmed before the ellipsis. */
      g_assert_true (g_str_has_suffix (summary, " x…"));
      g_assert_cmpint (g_utf8_strlen (summary, -1), ==, 79);
    }
  else
    {
      /* 3-byte characters: a cut on a byte count would split one. */
      for (guint i = 0; i < 100; i++)
        g_string_append (message, i % 2 ? "伝" : "言");
      g_string_append (message, "\n二行目");
      dengon_memo_set_message (memo, message->str);
      summary = dengon_memo_get_summary (memo);
      g_assert_true (g_utf8_validate (summary, -1, NULL));
      g_assert_cmpint (g_utf8_strlen (summary, -1), ==, 80);
      g_assert_true (g_str_has_suffix (summary, "言…"));
      g_assert_true (strncmp (summary, message->str, strlen (summary) - strlen ("…")) == 0);
    }
}

/* Undo */

static void
test_undo_done (void)
{
  g_autoptr (JsonObject) memo = make_full_memo ();
  g_autoptr (GError) error = NULL;
  JsonObject *done_event;

  g_assert_true (dengon_memo_done (memo, KEN, NULL, &error));
  g_assert_cmpint (dengon_memo_get_status (memo), ==, DENGON_MEMO_STATUS_DONE);
  done_event = json_object_ref (last_event (memo));

  g_assert_true (dengon_memo_undo_last (memo, KEN, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dengon_memo_get_status (memo), ==, DENGON_MEMO_STATUS_ASSIGNED);
  g_assert_cmpstr (dengon_json_get_string (last_event (memo), "action"), ==, "undo");
  g_assert_true (dengon_memo_event_is_undone (memo, done_event));
  assert_valid (memo);

  /* An undo is never undone itself: the next one reaches further back. */
  g_assert_cmpstr (dengon_json_get_string (dengon_memo_get_last_undoable (memo, KEN), "action"), !=,
                   "undo");
  g_assert_cmpstr (dengon_json_get_string (dengon_memo_get_last_undoable (memo, KEN), "action"), !=,
                   "done");

  /* Only one's own actions: Yuki has none. */
  g_assert_null (dengon_memo_get_last_undoable (memo, YUKI));
  g_assert_false (dengon_memo_undo_last (memo, YUKI, NULL, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  json_object_unref (done_event);
}

static void
test_undo_assign (void)
{
  g_autoptr (JsonObject) memo = make_full_memo ();
  g_autoptr (GError) error = NULL;

  g_assert_true (dengon_memo_assign (memo, AOI, "staff:rin", NULL, &error));
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, "staff:rin");
  g_assert_true (dengon_memo_undo_last (memo, AOI, NULL, &error));
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, KEN);
  g_assert_cmpint (dengon_memo_get_status (memo), ==, DENGON_MEMO_STATUS_ASSIGNED);

  /* The next undo reaches the one before: Aoi's first assignment to Ken. */
  g_assert_true (dengon_memo_undo_last (memo, AOI, NULL, &error));
  g_assert_null (dengon_memo_get_for (memo));
  g_assert_cmpint (dengon_memo_get_status (memo), ==, DENGON_MEMO_STATUS_NEW);
}

static void
test_undo_survives_merge (void)
{
  g_autoptr (JsonObject) base = make_full_memo ();
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) ab = NULL;
  g_autoptr (JsonObject) ba = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *cab = NULL;
  g_autofree char *cba = NULL;

  /* Both desks have the "done"; desk A undoes it while B adds a note. */
  g_assert_true (dengon_memo_done (base, KEN, NULL, &error));
  a = dengon_memo_copy (base);
  b = dengon_memo_copy (base);
  g_assert_true (dengon_memo_undo_last (a, KEN, NULL, &error));
  g_assert_true (dengon_memo_add_note (b, AOI, "お客様に確認済み", NULL, &error));

  ab = dengon_memo_merge (a, b);
  ba = dengon_memo_merge (b, a);
  cab = dengon_json_canonical_object (ab);
  cba = dengon_json_canonical_object (ba);
  g_assert_cmpstr (cab, ==, cba);
  g_assert_cmpint (dengon_memo_get_status (ab), ==, DENGON_MEMO_STATUS_ASSIGNED);
  assert_valid (ab);
}

static void
test_undo_invalid_target (void)
{
  g_autoptr (JsonObject) memo = make_full_memo ();
  g_autoptr (GError) error = NULL;
  JsonObject *event = json_object_new ();

  json_object_set_string_member (event, "at", "2030-01-01T00:00:00.000Z");
  json_object_set_string_member (event, "by", "staff:ken");
  json_object_set_string_member (event, "action", "undo");
  json_array_add_object_element (dengon_json_get_array (memo, "history"), event);
  g_assert_false (dengon_memo_validate (memo, &error));
  g_assert_error (error, DENGON_MEMO_ERROR, DENGON_MEMO_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "history[3].target"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dengon/memo/new", test_new);
  g_test_add_func ("/dengon/memo/new/defaults", test_new_defaults);
  g_test_add_func ("/dengon/memo/status/strings", test_status_strings);
  g_test_add_func ("/dengon/memo/is-memo", test_is_memo);
  g_test_add_func ("/dengon/memo/set/call", test_set_call);
  g_test_add_func ("/dengon/memo/set/call-unknown", test_set_call_unknown);
  g_test_add_func ("/dengon/memo/set/others", test_setters);

  for (guint i = 0; i < G_N_ELEMENTS (transition_cases); i++)
    {
      const TransitionCase *c = &transition_cases[i];
      g_autofree char *path =
          g_strdup_printf ("/dengon/memo/transition/%s/from-%s", act_names[c->act],
                           dengon_memo_status_to_string (c->from));

      g_test_add_data_func (path, c, test_transition);
    }
  g_test_add_func ("/dengon/memo/action/create-assigned", test_create_assigned);
  g_test_add_func ("/dengon/memo/action/assign-from-to", test_assign_from_to);
  g_test_add_func ("/dengon/memo/action/unassign", test_unassign);
  g_test_add_func ("/dengon/memo/action/assign-same", test_assign_same);
  for (guint i = 0; i < G_N_ELEMENTS (bad_argument_cases); i++)
    {
      g_autofree char *path =
          g_strconcat ("/dengon/memo/action/bad-argument/", bad_argument_cases[i].name, NULL);

      g_test_add_data_func (path, &bad_argument_cases[i], test_bad_argument);
    }
  g_test_add_func ("/dengon/memo/action/note", test_note);
  g_test_add_func ("/dengon/memo/action/escalate", test_escalate);
  g_test_add_func ("/dengon/memo/action/outcome", test_outcome);
  g_test_add_func ("/dengon/memo/action/time-clamped", test_event_time_clamped);
  g_test_add_func ("/dengon/memo/action/history-full", test_history_full);

  g_test_add_func ("/dengon/memo/recompute/scrambled", test_recompute_scrambled);
  g_test_add_func ("/dengon/memo/recompute/stale-cache", test_recompute_stale_cache);
  g_test_add_func ("/dengon/memo/recompute/order-and-ties", test_fold_ties);

  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path =
          g_strconcat ("/dengon/memo/validate/invalid/", invalid_cases[i].name, NULL);

      g_test_add_data_func (path, &invalid_cases[i], test_invalid);
    }
  g_test_add_func ("/dengon/memo/validate/valid", test_valid_full);
  g_test_add_func ("/dengon/memo/validate/japanese", test_valid_japanese);

  for (guint i = 0; i < G_N_ELEMENTS (random_cases); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/dengon/memo/merge/random/seed-%u", random_cases[i].seed);

      g_test_add_data_func (path, &random_cases[i], test_merge_random);
    }
  g_test_add_func ("/dengon/memo/undo/done", test_undo_done);
  g_test_add_func ("/dengon/memo/undo/assign", test_undo_assign);
  g_test_add_func ("/dengon/memo/undo/survives-merge", test_undo_survives_merge);
  g_test_add_func ("/dengon/memo/undo/invalid-target", test_undo_invalid_target);
  g_test_add_func ("/dengon/memo/merge/same-event", test_merge_same_event);
  g_test_add_func ("/dengon/memo/merge/same-time-different-actors",
                   test_merge_same_time_different_actors);
  g_test_add_func ("/dengon/memo/merge/done-and-note", test_merge_concurrent_done_and_note);
  g_test_add_func ("/dengon/memo/merge/members-from-newer", test_merge_members_from_newer);
  g_test_add_func ("/dengon/memo/merge/tie", test_merge_tie);
  g_test_add_func ("/dengon/memo/merge/drops-revisions", test_merge_drops_revisions);
  g_test_add_func ("/dengon/memo/merge/sealed", test_merge_sealed);

  for (guint i = 0; i < G_N_ELEMENTS (summary_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/dengon/memo/summary/", summary_cases[i].name, NULL);

      g_test_add_data_func (path, &summary_cases[i], test_summary);
    }

  return g_test_run ();
}
