/* dengon-script-runner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dengon-script.h"

G_BEGIN_DECLS

#define DENGON_TYPE_SCRIPT_RUNNER (dengon_script_runner_get_type ())

/* Walks one call through a script: the step to show, the text to say with its placeholders filled
 * in, the answers typed so far (kept as typed, never lost when going back or taking another
 * branch), where to go next, the read-back, and the memo at the end. No GTK: the call panel shows
 * what this says.
 *
 * Answers are text as the person typed it ("yes"/"no" for yes-no fields, the option value for
 * choices, a staff id for staff fields). Only the fields of the steps on the path taken count
 * for the read-back and the memo; in quick capture every field counts. */
G_DECLARE_FINAL_TYPE (DengonScriptRunner, dengon_script_runner, DENGON, SCRIPT_RUNNER, GObject)

DengonScriptRunner *dengon_script_runner_new (DengonScript *script);
DengonScript *dengon_script_runner_get_script (DengonScriptRunner *self);

/* Context for placeholders: "office", "greeting", "number" (the caller's number as shown). */
void dengon_script_runner_set_placeholder (DengonScriptRunner *self, const char *name,
                                           const char *value);
/* The staff documents (for staff fields, {person} and {my_name}); @staff is copied. */
void dengon_script_runner_set_staff (DengonScriptRunner *self, GPtrArray *staff);
/* The person at this desk ("staff:<login>", or %NULL): {my_name}. */
void dengon_script_runner_set_desk_staff (DengonScriptRunner *self, const char *staff_id);
/* The clock for date-times typed without a date; %NULL: the real one. For tests. */
void dengon_script_runner_set_now (DengonScriptRunner *self, GDateTime *now);

/* The step shown: the last on the path. */
const DengonScriptStep *dengon_script_runner_get_step (DengonScriptRunner *self);
guint dengon_script_runner_get_step_index (DengonScriptRunner *self);
/* How many steps the path has (1 for the first step). */
guint dengon_script_runner_get_depth (DengonScriptRunner *self);
/* The step ids on the path, first to current. */
GStrv dengon_script_runner_get_path (DengonScriptRunner *self);
gboolean dengon_script_runner_can_go_back (DengonScriptRunner *self);
/* Whether the last step was passed: the memo is ready to save. */
gboolean dengon_script_runner_is_finished (DengonScriptRunner *self);

/* The current step's "say" and "hint" with placeholders filled in ("" when it has none). */
char *dengon_script_runner_get_say_text (DengonScriptRunner *self);
char *dengon_script_runner_get_hint_text (DengonScriptRunner *self);
/* Fills in {placeholders} in @text: {name|fallback} gives fallback when name is empty; "{{" and
 * "}}" are braces. */
char *dengon_script_runner_expand (DengonScriptRunner *self, const char *text);
/* One line per answered field of the path that is read back, numbers read out in digit groups. */
char *dengon_script_runner_get_readback (DengonScriptRunner *self);

/* @text: %NULL or "" clears the answer. Emits "changed" when it changed. */
void dengon_script_runner_set_answer (DengonScriptRunner *self, const char *field_id,
                                      const char *text);
/* The answer as typed, or %NULL. */
const char *dengon_script_runner_get_answer (DengonScriptRunner *self, const char *field_id);
/* The answer as a person reads it: the option label, the staff name, the number formatted, the
 * date-time written out. %NULL when there is none. */
char *dengon_script_runner_format_answer (DengonScriptRunner *self, const char *field_id);

/* Checks one answer (required, type). The error message is for people and names the field. */
gboolean dengon_script_runner_validate_field (DengonScriptRunner *self,
                                              const DengonScriptField *field, GError **error);
/* Checks the current step's fields (all fields in quick capture); @bad_field gets the first that
 * fails. */
gboolean dengon_script_runner_validate_step (DengonScriptRunner *self,
                                             const DengonScriptField **bad_field, GError **error);
/* Validates the step, then goes where its "next" says (or finishes). */
gboolean dengon_script_runner_next (DengonScriptRunner *self, const DengonScriptField **bad_field,
                                    GError **error);
/* One step back (or out of "finished"); answers are kept. */
gboolean dengon_script_runner_back (DengonScriptRunner *self);

/* Quick capture: every field on one form; the path follows the answers without stopping. */
void dengon_script_runner_set_quick (DengonScriptRunner *self, gboolean quick);
gboolean dengon_script_runner_get_quick (DengonScriptRunner *self);
/* The fields that count now: those of the steps on the path, or every field in quick capture. */
GPtrArray *dengon_script_runner_get_active_fields (DengonScriptRunner *self);

/* What a draft keeps: {"script", "answers", "path", "finished", "quick"}. */
JsonObject *dengon_script_runner_save_state (DengonScriptRunner *self);
/* Restores answers and the path; unknown fields and steps are dropped. */
void dengon_script_runner_restore_state (DengonScriptRunner *self, JsonObject *state);

/* Writes the result into @memo (mutable, from dengon_memo_new()): caller, message, category,
 * urgency, callback, script answers; assigns it to the person chosen (history by @by) and escalates
 * where the script says so. Every answered field that counts must be valid (required ones need not
 * be filled: a caller may hang up). */
gboolean dengon_script_runner_fill_memo (DengonScriptRunner *self, JsonObject *memo, const char *by,
                                         GError **error);

/* Helpers, public for tests and the panel. */

/* A date-time as people type it: "2026-03-05 15:00", "3/5 15:00", "3月5日 15時半", "明日 10時",
 * "tomorrow 3pm", "15:00" (today), "3/5" (18:00 that day); full-width digits too. Dates without a
 * year that have passed this year are next year's. %NULL when it is not one. In @now's zone. */
GDateTime *dengon_script_parse_datetime (const char *text, GDateTime *now);
/* A phone number read out in digit groups: "03-1234-5678" -> "ゼロサンの イチニーサンヨンの
 * ゴーロクナナハチ" for "ja", "zero three, one two three four, five six seven eight" for "en". */
char *dengon_script_read_number (const char *display, const char *lang);
/* The greeting of the time of day from an office:settings document (may be %NULL). */
char *dengon_script_greeting (JsonObject *office_settings, const char *lang, GDateTime *now);
/* How a staff member is named to a caller: the family name (the first word) in Japanese, the full
 * name in English. */
char *dengon_script_staff_short_name (JsonObject *staff, const char *lang);

G_END_DECLS
