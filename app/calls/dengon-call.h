/* dengon-call.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * DengonCallDirection:
 * @DENGON_CALL_DIRECTION_IN: somebody called the office
 * @DENGON_CALL_DIRECTION_OUT: the office calls somebody (a `tel:` link)
 */
typedef enum
{
  DENGON_CALL_DIRECTION_IN,
  DENGON_CALL_DIRECTION_OUT,
} DengonCallDirection;

/**
 * DengonCallState:
 * @DENGON_CALL_STATE_RINGING: an incoming call is shown; nobody has started on it yet
 * @DENGON_CALL_STATE_DIALING: an outgoing call is shown; nobody has started on it yet
 * @DENGON_CALL_STATE_ACTIVE: the person at the desk is taking the call (a field or step changed)
 * @DENGON_CALL_STATE_ENDED: the memo was saved or the call discarded; the manager drops it
 *
 * Dengon does not control the phone: the states follow the person at the desk, not the line.
 */
typedef enum
{
  DENGON_CALL_STATE_RINGING,
  DENGON_CALL_STATE_DIALING,
  DENGON_CALL_STATE_ACTIVE,
  DENGON_CALL_STATE_ENDED,
} DengonCallState;

#define DENGON_TYPE_CALL (dengon_call_get_type ())

G_DECLARE_FINAL_TYPE (DengonCall, dengon_call, DENGON, CALL, GObject)

/* @number and @display_name are untrusted text (from a desk phone, a command line, a link): they
 * are made valid UTF-8, stripped of control characters and cut to a sane length. A number without
 * any digit ("anonymous", "$remote") is dropped: the call has no caller id. */
DengonCall *dengon_call_new (DengonCallDirection direction, const char *number,
                             const char *display_name);
/* For a call restored from a draft: @id and @started_at as they were. */
DengonCall *dengon_call_new_full (const char *id, DengonCallDirection direction, const char *number,
                                  const char *display_name, GDateTime *started_at);

const char *dengon_call_get_id (DengonCall *self);
DengonCallDirection dengon_call_get_direction (DengonCall *self);
const char *dengon_call_get_number (DengonCall *self);
void dengon_call_set_number (DengonCall *self, const char *number);
const char *dengon_call_get_display_name (DengonCall *self);
void dengon_call_set_display_name (DengonCall *self, const char *display_name);
DengonCallState dengon_call_get_state (DengonCall *self);
void dengon_call_set_state (DengonCall *self, DengonCallState state);
GDateTime *dengon_call_get_started_at (DengonCall *self);
GDateTime *dengon_call_get_ended_at (DengonCall *self);
/* Where the ring came from: "button", "command-line", "link", "desk-phone", "draft". */
const char *dengon_call_get_source (DengonCall *self);
void dengon_call_set_source (DengonCall *self, const char *source);
/* The desk phone's own id of the call ($call_id), so a repeated action URL is one call. */
const char *dengon_call_get_phone_call_id (DengonCall *self);
void dengon_call_set_phone_call_id (DengonCall *self, const char *phone_call_id);
/* The office line that rang ($local), or %NULL. */
const char *dengon_call_get_line (DengonCall *self);
void dengon_call_set_line (DengonCall *self, const char *line);
/* The memo the call ended in, or %NULL (not saved yet, or discarded). */
const char *dengon_call_get_memo_id (DengonCall *self);
void dengon_call_set_memo_id (DengonCall *self, const char *memo_id);
/* The memo this call answers ("Call Back Now"), or %NULL. */
const char *dengon_call_get_regarding (DengonCall *self);
void dengon_call_set_regarding (DengonCall *self, const char *memo_id);

/* Whether the state is RINGING or DIALING (nothing typed yet). */
gboolean dengon_call_is_new (DengonCall *self);

/* Untrusted text from outside, made fit to show: valid UTF-8 (invalid bytes replaced), percent-
 * decoded once more when that gives valid UTF-8, control characters dropped, white space folded
 * and trimmed, at most @max_chars characters. %NULL when nothing is left. */
char *dengon_call_sanitize_text (const char *text, gssize length, guint max_chars);

G_END_DECLS
