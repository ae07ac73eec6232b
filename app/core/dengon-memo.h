/* dengon-memo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A memo is a JSON document (see DESIGN.md, "Documents"). Its history is the truth: the "status"
 * and "for" members are caches that every function here which appends to the history recomputes.
 *
 * Functions that change a memo need a mutable object: objects from dengon_json_parse_object() and
 * dengon_json_object_copy() are sealed, dengon_memo_copy() gives a mutable one. */

#define DENGON_MEMO_ERROR (dengon_memo_error_quark ())

typedef enum
{
  DENGON_MEMO_ERROR_INVALID,
} DengonMemoError;

typedef enum
{
  DENGON_MEMO_STATUS_NEW,
  DENGON_MEMO_STATUS_ASSIGNED,
  DENGON_MEMO_STATUS_ACKNOWLEDGED,
  DENGON_MEMO_STATUS_CALLED_BACK,
  DENGON_MEMO_STATUS_DONE,
} DengonMemoStatus;

/* Limits that dengon_memo_validate() enforces, in characters. */
#define DENGON_MEMO_MAX_NAME     200 /* caller.name, caller.company */
#define DENGON_MEMO_MAX_MESSAGE  10000
#define DENGON_MEMO_MAX_NOTE     2000 /* history[].note, history[].detail */
#define DENGON_MEMO_MAX_EVENTS   1000
#define DENGON_MEMO_MAX_NUMBER   256 /* call.number, call.number_display, callback.number */
#define DENGON_MEMO_MAX_ID       256 /* _id, staff, contact and script ids */
#define DENGON_MEMO_MAX_CATEGORY 100
#define DENGON_MEMO_SUMMARY_MAX  80 /* dengon_memo_get_summary(), "…" included */

GQuark dengon_memo_error_quark (void);

/* "new", "assigned", "acknowledged", "called_back", "done" */
const char *dengon_memo_status_to_string (DengonMemoStatus status);
gboolean dengon_memo_status_from_string (const char *text, DengonMemoStatus *status);
/* Translated, for people ("New"). */
const char *dengon_memo_status_get_label (DengonMemoStatus status);

/* Whether @action is one of the history actions Dengon knows ("create", "assign"...). */
gboolean dengon_memo_action_is_known (const char *action);
/* Whether @outcome is one of appointment, visited, proposal, won, lost, no_need. */
gboolean dengon_memo_outcome_is_valid (const char *outcome);

/* A new memo: a fresh "memo:<uuid>" id, created at @created_at (%NULL: now) by @taken_by (a staff
 * id or %NULL), an inbound call without a number, no caller, urgency normal, an empty message, no
 * callback, no script and a history of one "create" event. */
JsonObject *dengon_memo_new (const char *taken_by, GDateTime *created_at);
/* A deep, mutable copy of any JSON object. */
JsonObject *dengon_memo_copy (JsonObject *memo);

/* @direction: "in" or "out". @number_as_written is parsed by libphonenumber: "number" gets its key
 * (E.164, or the digits of a number the library does not know) and "number_display" its display
 * form. Text without any digit ("非通知") gives a null "number" and keeps the text, trimmed, as
 * "number_display". %NULL or blank: both null. */
void dengon_memo_set_call (JsonObject *memo, const char *direction, const char *number_as_written,
                           GDateTime *started_at, GDateTime *ended_at);
/* %NULL for any unknown part; @contact_id is "contact:..." or %NULL. */
void dengon_memo_set_caller (JsonObject *memo, const char *name, const char *company,
                             const char *contact_id);
void dengon_memo_set_message (JsonObject *memo, const char *message);
/* %NULL or "": no category. */
void dengon_memo_set_category (JsonObject *memo, const char *category);
void dengon_memo_set_urgent (JsonObject *memo, gboolean urgent);
/* "number" gets the key of @number_as_written (%NULL when it has no digit); @by: call back before,
 * or %NULL. */
void dengon_memo_set_callback (JsonObject *memo, gboolean requested, const char *number_as_written,
                               GDateTime *by);
/* @script_id: "script:<name>" or %NULL; @answers is copied (%NULL: no answers). */
void dengon_memo_set_script (JsonObject *memo, const char *script_id, JsonObject *answers);

/* History actions. Each appends one event {at, by, action, from, to, note} (outcome events also
 * carry "detail") and recomputes "status" and "for". @by is a staff id or %NULL (unknown person).
 *
 * @at (%NULL: now) is stored in UTC with milliseconds. An event never goes before an event that
 * is already in the history: when @at is not later than the newest event, the event is stamped
 * one millisecond after it, so a desk whose clock is behind cannot reorder what it has seen.
 *
 * Rules (an error is DENGON_MEMO_ERROR_INVALID, its message starts with the field and the memo is
 * left as it was):
 *  - @by, and @to of assign/escalate, must be staff ids ("staff:<login>"); assign takes %NULL to
 *    unassign, escalate needs a person;
 *  - a done memo is closed: assign, acknowledge and called_back fail until it is reopened
 *    (notes, escalations and outcomes are still recorded);
 *  - an action whose result is already there appends nothing and returns %TRUE: assigning the
 *    current assignee, acknowledging a memo that is acknowledged or called back, done on a done
 *    memo, reopening a memo that is not done;
 *  - called_back may be recorded any number of times (each attempt with its outcome in @note);
 *  - add_note needs a note that is not blank; @outcome must be known;
 *  - notes and details are at most DENGON_MEMO_MAX_NOTE characters; "" is stored as null;
 *  - a history of DENGON_MEMO_MAX_EVENTS events takes no more ("history: full").
 * These messages are for developers and logs: the UI offers only the actions that apply. */
gboolean dengon_memo_assign (JsonObject *memo, const char *by, const char *to, GDateTime *at,
                             GError **error);
gboolean dengon_memo_acknowledge (JsonObject *memo, const char *by, GDateTime *at, GError **error);
gboolean dengon_memo_called_back (JsonObject *memo, const char *by, const char *note, GDateTime *at,
                                  GError **error);
gboolean dengon_memo_done (JsonObject *memo, const char *by, GDateTime *at, GError **error);
gboolean dengon_memo_reopen (JsonObject *memo, const char *by, GDateTime *at, GError **error);
gboolean dengon_memo_add_note (JsonObject *memo, const char *by, const char *note, GDateTime *at,
                               GError **error);
gboolean dengon_memo_escalate (JsonObject *memo, const char *by, const char *to, const char *note,
                               GDateTime *at, GError **error);
/* Undo is an event too ({"action":"undo","target":{"at","action","by"}}):
 * the fold skips the event it names, so an undo survives any merge. */
JsonObject *dengon_memo_get_last_undoable (JsonObject *memo, const char *by);
gboolean dengon_memo_undo_last (JsonObject *memo, const char *by, GDateTime *at, GError **error);
gboolean dengon_memo_event_is_undone (JsonObject *memo, JsonObject *event);

gboolean dengon_memo_set_outcome (JsonObject *memo, const char *by, const char *outcome,
                                  const char *detail, GDateTime *at, GError **error);

/* What an outgoing call came to, for follow-up lists and the review's reach and appointment
 * rates (see DESIGN.md "Contacts and follow-up"): an appointment when the script's "interest"
 * answer is "appointment" or an outcome event (not undone) says appointment, visited, proposal or
 * won; otherwise "try again" when a call back was asked for (the follow-up script's "call again"
 * step); otherwise reached. NONE for incoming calls. */
typedef enum
{
  DENGON_CALL_RESULT_NONE,
  DENGON_CALL_RESULT_TRY_AGAIN,
  DENGON_CALL_RESULT_REACHED,
  DENGON_CALL_RESULT_APPOINTMENT,
} DengonCallResult;

DengonCallResult dengon_memo_get_call_result (JsonObject *memo);
/* The newest escalate event that is not undone (%NULL: the memo was not escalated) and the newest
 * outcome event after it that is not undone (%NULL: no outcome yet). Point into @memo. */
JsonObject *dengon_memo_get_escalation (JsonObject *memo, JsonObject **outcome);
/* Translated ("Appointment Set"); "" for an unknown outcome. */
const char *dengon_memo_outcome_get_label (const char *outcome);
/* The line people read for a history event, in the memo's timeline and the CSV export:
 * "山田 健 assigned it to 佐藤 綾". @by and @to are names (@to %NULL when the event has none). */
char *dengon_memo_describe_event (JsonObject *event, const char *by, const char *to);

/* Orders two history events the canonical way: "create" first (every other event was appended
 * after it), then by "at" as a time, then by their canonical JSON. A total order: only equal
 * events compare equal. */
int dengon_memo_event_compare (JsonNode *a, JsonNode *b);

/* The status of @history (not modified, any order) folded in canonical order; @for_out (may be
 * %NULL) gets the assignee, pointing into @history. Unknown actions change nothing. */
DengonMemoStatus dengon_memo_fold_history (JsonArray *history, const char **for_out);
/* Sets "status" and "for" from the history. */
void dengon_memo_recompute (JsonObject *memo);
/* The cached "status" and "for"; the fold of the history when the member is missing or of the
 * wrong type. */
DengonMemoStatus dengon_memo_get_status (JsonObject *memo);
const char *dengon_memo_get_for (JsonObject *memo);

/* A new (mutable) memo from two revisions of one memo: the union of both histories (events are
 * identified by their canonical JSON), sorted with dengon_memo_event_compare(); every other member
 * from the side whose newest event is later, on a tie from the side whose document (without _rev,
 * _revisions, _conflicts, history, status and for) has the greater canonical JSON; then status and
 * for recomputed. _rev, _revisions and _conflicts are dropped. Commutative, associative and
 * idempotent. */
JsonObject *dengon_memo_merge (JsonObject *a, JsonObject *b);

/* Checks every member of the contract. Members the contract does not name are allowed (newer
 * versions may add some); the "status" and "for" caches are checked for their type, not against
 * the history. The error message starts with the field path ("history[3].action: ..."). */
gboolean dengon_memo_validate (JsonObject *memo, GError **error);
gboolean dengon_memo_is_memo (JsonObject *doc);

/* One line for notifications and lists: the first line of the message that is not blank, with
 * white space (ideographic spaces too) trimmed, cut to DENGON_MEMO_SUMMARY_MAX characters with
 * "…" at the end. "" for an empty message. */
char *dengon_memo_get_summary (JsonObject *memo);

G_END_DECLS
