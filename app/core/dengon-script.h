/* dengon-script.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A first-response script: a "script:<name>" document (see DESIGN.md, "Scripts"), checked and
 * parsed. Immutable and reference counted; safe to share between threads once made. */

#define DENGON_SCRIPT_ERROR (dengon_script_error_quark ())

typedef enum
{
  DENGON_SCRIPT_ERROR_INVALID,
} DengonScriptError;

/* Limits a script document must keep. */
#define DENGON_SCRIPT_MAX_STEPS   60
#define DENGON_SCRIPT_MAX_FIELDS  30 /* per step */
#define DENGON_SCRIPT_MAX_OPTIONS 40
#define DENGON_SCRIPT_MAX_RULES   20
#define DENGON_SCRIPT_MAX_TEXT    4000 /* say, hint */
#define DENGON_SCRIPT_MAX_LABEL   200
#define DENGON_SCRIPT_MAX_ID      64

typedef enum
{
  DENGON_SCRIPT_FIELD_TEXT,
  DENGON_SCRIPT_FIELD_MULTILINE,
  DENGON_SCRIPT_FIELD_PHONE,
  DENGON_SCRIPT_FIELD_CHOICE,
  DENGON_SCRIPT_FIELD_DATETIME,
  DENGON_SCRIPT_FIELD_STAFF,
  DENGON_SCRIPT_FIELD_YES_NO,
} DengonScriptFieldType;

/* The memo member an answer goes to. */
typedef enum
{
  DENGON_SCRIPT_TARGET_NONE,
  DENGON_SCRIPT_TARGET_CALLER_NAME,
  DENGON_SCRIPT_TARGET_CALLER_COMPANY,
  DENGON_SCRIPT_TARGET_FOR,
  DENGON_SCRIPT_TARGET_MESSAGE,
  DENGON_SCRIPT_TARGET_CALLBACK_REQUESTED,
  DENGON_SCRIPT_TARGET_CALLBACK_NUMBER,
  DENGON_SCRIPT_TARGET_CALLBACK_BY,
  DENGON_SCRIPT_TARGET_CATEGORY,
  DENGON_SCRIPT_TARGET_URGENCY,
} DengonScriptTarget;

typedef enum
{
  DENGON_SCRIPT_RULE_ALWAYS,
  DENGON_SCRIPT_RULE_EQUALS, /* the answer is one of values */
  DENGON_SCRIPT_RULE_ANSWERED,
  DENGON_SCRIPT_RULE_EMPTY,
} DengonScriptRuleKind;

typedef struct
{
  char *value;
  char *label;
} DengonScriptOption;

typedef struct
{
  char *id;
  char *label;
  char *hint; /* shown in the empty field */
  DengonScriptFieldType type;
  DengonScriptTarget target;
  gboolean required;
  int readback; /* -1: the default (fields that go to the memo), 0: never, 1: always */
  guint max_chars;
  GPtrArray *options;  /* DengonScriptOption: choice and yes-no ("yes", "no") */
  char *default_value; /* as text, or NULL */
} DengonScriptField;

typedef struct
{
  DengonScriptRuleKind kind;
  char *field;
  GStrv values;
  char *go_to; /* a step id or "end" */
} DengonScriptRule;

/* Memo members a script or a step on the path sets ("set"). */
typedef struct
{
  char *category;
  char *urgency;  /* "urgent", "normal" or NULL */
  char *escalate; /* "owner" or a staff id, or NULL */
  char *message;  /* a line put first in the message, or NULL */
  int callback;   /* -1: not set, 0/1 */
} DengonScriptSet;

typedef struct
{
  char *id;
  char *title;
  char *say;
  char *hint;
  GPtrArray *fields; /* DengonScriptField */
  GPtrArray *rules;  /* DengonScriptRule: "next"; empty: the following step */
  DengonScriptSet set;
} DengonScriptStep;

typedef struct _DengonScript DengonScript;

#define DENGON_TYPE_SCRIPT (dengon_script_get_type ())

GType dengon_script_get_type (void) G_GNUC_CONST;
GQuark dengon_script_error_quark (void);

/* Checks and parses a script document. The error (DENGON_SCRIPT_ERROR_INVALID) names the step and
 * field: 'step "absent", field "callback_number": unknown type "phonee"'. */
DengonScript *dengon_script_new_from_json (JsonObject *doc, GError **error);
DengonScript *dengon_script_ref (DengonScript *self);
void dengon_script_unref (DengonScript *self);

const char *dengon_script_get_id (DengonScript *self);
const char *dengon_script_get_name (DengonScript *self);
const char *dengon_script_get_description (DengonScript *self);
/* "ja" or "en": the language the script speaks (its built-in words follow it). */
const char *dengon_script_get_language (DengonScript *self);
/* "in" or "out". */
const char *dengon_script_get_direction (DengonScript *self);
/* Whether the office uses it when nothing else is chosen for its language and direction. */
gboolean dengon_script_is_default (DengonScript *self);
int dengon_script_get_order (DengonScript *self);
const DengonScriptSet *dengon_script_get_set (DengonScript *self);

guint dengon_script_get_n_steps (DengonScript *self);
const DengonScriptStep *dengon_script_get_step (DengonScript *self, guint index);
/* The index of the step @id, or -1. */
int dengon_script_find_step (DengonScript *self, const char *id);
/* The field @id and the index of its step (may be %NULL), or %NULL. */
const DengonScriptField *dengon_script_find_field (DengonScript *self, const char *id,
                                                   guint *step_index);
/* The first field going to @target, or %NULL. */
const DengonScriptField *dengon_script_find_target (DengonScript *self, DengonScriptTarget target);

const char *dengon_script_field_type_to_string (DengonScriptFieldType type);
const char *dengon_script_target_to_string (DengonScriptTarget target);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonScript, dengon_script_unref)

G_END_DECLS
