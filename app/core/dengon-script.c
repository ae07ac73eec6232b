/* dengon-script.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dengon-json.h"
#include "dengon-script.h"

struct _DengonScript
{
  gatomicrefcount ref_count;

  char *id;
  char *name;
  char *description;
  char *lang;
  char *direction;
  gboolean is_default;
  int order;
  DengonScriptSet set;
  GPtrArray *steps; /* DengonScriptStep */
};

G_DEFINE_BOXED_TYPE (DengonScript, dengon_script, dengon_script_ref, dengon_script_unref)
G_DEFINE_QUARK (dengon - script - error - quark, dengon_script_error)

static const char *const field_types[] = {
  [DENGON_SCRIPT_FIELD_TEXT] = "text",         [DENGON_SCRIPT_FIELD_MULTILINE] = "multiline",
  [DENGON_SCRIPT_FIELD_PHONE] = "phone",       [DENGON_SCRIPT_FIELD_CHOICE] = "choice",
  [DENGON_SCRIPT_FIELD_DATETIME] = "datetime", [DENGON_SCRIPT_FIELD_STAFF] = "staff",
  [DENGON_SCRIPT_FIELD_YES_NO] = "yes-no",
};

static const char *const targets[] = {
  [DENGON_SCRIPT_TARGET_NONE] = "",
  [DENGON_SCRIPT_TARGET_CALLER_NAME] = "caller.name",
  [DENGON_SCRIPT_TARGET_CALLER_COMPANY] = "caller.company",
  [DENGON_SCRIPT_TARGET_FOR] = "for",
  [DENGON_SCRIPT_TARGET_MESSAGE] = "message",
  [DENGON_SCRIPT_TARGET_CALLBACK_REQUESTED] = "callback.requested",
  [DENGON_SCRIPT_TARGET_CALLBACK_NUMBER] = "callback.number",
  [DENGON_SCRIPT_TARGET_CALLBACK_BY] = "callback.by",
  [DENGON_SCRIPT_TARGET_CATEGORY] = "category",
  [DENGON_SCRIPT_TARGET_URGENCY] = "urgency",
};

/* Placeholders every script may use besides its field ids. */
static const char *const builtin_placeholders[] = {
  "office",  "greeting", "my_name", "caller",   "caller_name",
  "company", "person",   "number",  "readback", NULL,
};

const char *
dengon_script_field_type_to_string (DengonScriptFieldType type)
{
  g_return_val_if_fail (type <= DENGON_SCRIPT_FIELD_YES_NO, NULL);

  return field_types[type];
}

const char *
dengon_script_target_to_string (DengonScriptTarget target)
{
  g_return_val_if_fail (target <= DENGON_SCRIPT_TARGET_URGENCY, NULL);

  return targets[target];
}

/* ------------------------------------------------------------------ freeing */

static void
option_free (DengonScriptOption *option)
{
  g_free (option->value);
  g_free (option->label);
  g_free (option);
}

static void
field_free (DengonScriptField *field)
{
  g_free (field->id);
  g_free (field->label);
  g_free (field->hint);
  g_free (field->default_value);
  g_clear_pointer (&field->options, g_ptr_array_unref);
  g_free (field);
}

static void
rule_free (DengonScriptRule *rule)
{
  g_free (rule->field);
  g_strfreev (rule->values);
  g_free (rule->go_to);
  g_free (rule);
}

static void
set_clear (DengonScriptSet *set)
{
  g_clear_pointer (&set->category, g_free);
  g_clear_pointer (&set->urgency, g_free);
  g_clear_pointer (&set->escalate, g_free);
  g_clear_pointer (&set->message, g_free);
}

static void
step_free (DengonScriptStep *step)
{
  g_free (step->id);
  g_free (step->title);
  g_free (step->say);
  g_free (step->hint);
  g_clear_pointer (&step->fields, g_ptr_array_unref);
  g_clear_pointer (&step->rules, g_ptr_array_unref);
  set_clear (&step->set);
  g_free (step);
}

DengonScript *
dengon_script_ref (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
dengon_script_unref (DengonScript *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->lang);
  g_free (self->direction);
  set_clear (&self->set);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_free (self);
}

/* ------------------------------------------------------------------ checking */

typedef struct
{
  const char *step;
  const char *field;
  GError **error;
} Where;

static gboolean G_GNUC_PRINTF (2, 3) invalid (const Where *where, const char *format, ...)
{
  g_autofree char *detail = NULL;
  g_autoptr (GString) message = g_string_new (NULL);
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (where->step != NULL)
    g_string_append_printf (message, "step \"%s\"", where->step);
  if (where->field != NULL)
    g_string_append_printf (message, "%sfield \"%s\"", message->len > 0 ? ", " : "", where->field);
  g_string_append_printf (message, "%s%s", message->len > 0 ? ": " : "", detail);

  g_set_error_literal (where->error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID,
                       message->str);

  return FALSE;
}

/* A string member: %NULL with no error when absent or null and @required is FALSE. */
static gboolean
get_string (JsonObject *object, const char *member, gboolean required, glong max_chars,
            const Where *where, char **out)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? invalid (where, "\"%s\" is missing", member) : TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (where, "\"%s\" must be a string", member);

  value = json_node_get_string (node);
  if (required && *value == '\0')
    return invalid (where, "\"%s\" is empty", member);
  if (g_utf8_strlen (value, -1) > max_chars)
    return invalid (where, "\"%s\" is longer than %ld characters", member, max_chars);

  *out = g_strdup (value);

  return TRUE;
}

static gboolean
get_boolean (JsonObject *object, const char *member, gboolean fallback, const Where *where,
             gboolean *out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (where, "\"%s\" must be true or false", member);

  *out = json_node_get_boolean (node);

  return TRUE;
}

static gboolean
get_array (JsonObject *object, const char *member, guint max, const Where *where, JsonArray **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (where, "\"%s\" must be a list", member);
  if (json_array_get_length (json_node_get_array (node)) > max)
    return invalid (where, "\"%s\" has more than %u entries", member, max);

  *out = json_node_get_array (node);

  return TRUE;
}

static gboolean
is_valid_id (const char *id)
{
  gsize n = strlen (id);

  if (n == 0 || n > DENGON_SCRIPT_MAX_ID)
    return FALSE;
  for (const char *p = id; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
        return FALSE;
    }

  return TRUE;
}

/* A value in "equals" and options: a string, or a boolean for yes-no ("yes"/"no"). */
static char *
value_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "yes" : "no");
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return NULL;
}

static gboolean
parse_set (JsonObject *parent, const Where *where, DengonScriptSet *set)
{
  JsonNode *node = json_object_get_member (parent, "set");
  JsonObject *object;
  JsonNode *callback;
  GList *members;
  gboolean ok = TRUE;

  set->callback = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (where, "\"set\" must be an object");
  object = json_node_get_object (node);

  members = json_object_get_members (object);
  for (GList *l = members; l && ok; l = l->next)
    {
      if (!g_strv_contains ((const char *const[]){ "category", "urgency", "escalate", "message",
                                                   "callback", NULL },
                            l->data))
        ok = invalid (where, "\"set\" has an unknown member \"%s\"", (const char *) l->data);
    }
  g_list_free (members);
  if (!ok)
    return FALSE;

  if (!get_string (object, "category", FALSE, 100, where, &set->category) ||
      !get_string (object, "urgency", FALSE, 20, where, &set->urgency) ||
      !get_string (object, "escalate", FALSE, 256, where, &set->escalate) ||
      !get_string (object, "message", FALSE, DENGON_SCRIPT_MAX_TEXT, where, &set->message))
    return FALSE;

  if (set->urgency != NULL && strcmp (set->urgency, "urgent") != 0 &&
      strcmp (set->urgency, "normal") != 0)
    return invalid (where, "\"set.urgency\" must be \"urgent\" or \"normal\"");
  if (set->escalate != NULL && strcmp (set->escalate, "owner") != 0 &&
      !g_str_has_prefix (set->escalate, "staff:"))
    return invalid (where, "\"set.escalate\" must be \"owner\" or a staff id");

  callback = json_object_get_member (object, "callback");
  if (callback != NULL && !JSON_NODE_HOLDS_NULL (callback))
    {
      if (!JSON_NODE_HOLDS_VALUE (callback) ||
          json_node_get_value_type (callback) != G_TYPE_BOOLEAN)
        return invalid (where, "\"set.callback\" must be true or false");
      set->callback = json_node_get_boolean (callback);
    }

  return TRUE;
}

static DengonScriptField *
parse_field (JsonNode *node, const char *step_id, const char *lang, GError **error)
{
  g_autoptr (GPtrArray) options = g_ptr_array_new_with_free_func ((GDestroyNotify) option_free);
  DengonScriptField *field;
  JsonObject *object;
  Where where = { step_id, NULL, error };
  g_autofree char *id = NULL;
  g_autofree char *type = NULL;
  g_autofree char *target = NULL;
  JsonArray *option_list;
  JsonNode *readback;
  JsonNode *default_node;
  gboolean required;
  int type_index = -1;
  int target_index = DENGON_SCRIPT_TARGET_NONE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (&where, "a field must be an object");
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_string (object, "id", TRUE, DENGON_SCRIPT_MAX_ID, &where, &id))
    return NULL;
  if (!is_valid_id (id))
    {
      invalid (&where, "field id \"%s\" may only have letters, digits, \"_\" and \"-\"", id);
      return NULL;
    }
  where.field = id;

  if (!get_string (object, "type", TRUE, 20, &where, &type))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    {
      if (strcmp (type, field_types[i]) == 0)
        type_index = i;
    }
  if (type_index < 0)
    {
      invalid (&where, "unknown type \"%s\"", type);
      return NULL;
    }

  if (!get_string (object, "memo", FALSE, 40, &where, &target))
    return NULL;
  if (target != NULL)
    {
      target_index = -1;
      for (guint i = 1; i < G_N_ELEMENTS (targets); i++)
        {
          if (strcmp (target, targets[i]) == 0)
            target_index = i;
        }
      if (target_index < 0)
        {
          invalid (&where, "unknown memo member \"%s\"", target);
          return NULL;
        }
    }

  if (!get_boolean (object, "required", FALSE, &where, &required))
    return NULL;

  field = g_new0 (DengonScriptField, 1);
  field->id = g_steal_pointer (&id);
  field->type = type_index;
  field->target = target_index;
  field->required = required;
  field->readback = -1;
  field->max_chars = field->type == DENGON_SCRIPT_FIELD_MULTILINE ? 10000 : 200;
  where.field = field->id;

  if (!get_string (object, "label", TRUE, DENGON_SCRIPT_MAX_LABEL, &where, &field->label) ||
      !get_string (object, "hint", FALSE, DENGON_SCRIPT_MAX_LABEL, &where, &field->hint))
    goto fail;

  readback = json_object_get_member (object, "readback");
  if (readback != NULL && !JSON_NODE_HOLDS_NULL (readback))
    {
      if (!JSON_NODE_HOLDS_VALUE (readback) ||
          json_node_get_value_type (readback) != G_TYPE_BOOLEAN)
        {
          invalid (&where, "\"readback\" must be true or false");
          goto fail;
        }
      field->readback = json_node_get_boolean (readback);
    }

  /* What each target takes. */
  {
    gboolean fits = TRUE;

    switch (field->target)
      {
        case DENGON_SCRIPT_TARGET_FOR:
          fits = field->type == DENGON_SCRIPT_FIELD_STAFF;
          break;
        case DENGON_SCRIPT_TARGET_CALLBACK_REQUESTED:
          fits = field->type == DENGON_SCRIPT_FIELD_YES_NO;
          break;
        case DENGON_SCRIPT_TARGET_CALLBACK_NUMBER:
          fits = field->type == DENGON_SCRIPT_FIELD_PHONE;
          break;
        case DENGON_SCRIPT_TARGET_CALLBACK_BY:
          fits = field->type == DENGON_SCRIPT_FIELD_DATETIME;
          break;
        case DENGON_SCRIPT_TARGET_CATEGORY:
          fits = field->type == DENGON_SCRIPT_FIELD_CHOICE;
          break;
        case DENGON_SCRIPT_TARGET_URGENCY:
          fits = field->type == DENGON_SCRIPT_FIELD_YES_NO ||
                 field->type == DENGON_SCRIPT_FIELD_CHOICE;
          break;
        case DENGON_SCRIPT_TARGET_CALLER_NAME:
        case DENGON_SCRIPT_TARGET_CALLER_COMPANY:
          fits = field->type == DENGON_SCRIPT_FIELD_TEXT;
          break;
        case DENGON_SCRIPT_TARGET_NONE:
        case DENGON_SCRIPT_TARGET_MESSAGE:
        default:
          break;
      }
    if (!fits)
      {
        invalid (&where, "a %s field cannot go to \"%s\"", field_types[field->type],
                 targets[field->target]);
        goto fail;
      }
  }

  if (!get_array (object, "options", DENGON_SCRIPT_MAX_OPTIONS, &where, &option_list))
    goto fail;
  if (field->type == DENGON_SCRIPT_FIELD_CHOICE && option_list == NULL)
    {
      invalid (&where, "a choice needs \"options\"");
      goto fail;
    }
  if (option_list != NULL && field->type != DENGON_SCRIPT_FIELD_CHOICE &&
      field->type != DENGON_SCRIPT_FIELD_YES_NO)
    {
      invalid (&where, "only choice and yes-no fields have \"options\"");
      goto fail;
    }
  for (guint i = 0; option_list != NULL && i < json_array_get_length (option_list); i++)
    {
      JsonNode *option_node = json_array_get_element (option_list, i);
      DengonScriptOption *option;
      JsonObject *option_object;

      if (!JSON_NODE_HOLDS_OBJECT (option_node))
        {
          invalid (&where, "option %u must be an object", i + 1);
          goto fail;
        }
      option_object = json_node_get_object (option_node);
      option = g_new0 (DengonScriptOption, 1);
      g_ptr_array_add (options, option);
      option->value = value_text (json_object_get_member (option_object, "value"));
      if (option->value == NULL || *option->value == '\0' ||
          strlen (option->value) > DENGON_SCRIPT_MAX_ID)
        {
          invalid (&where, "option %u needs a \"value\"", i + 1);
          goto fail;
        }
      if (!get_string (option_object, "label", TRUE, DENGON_SCRIPT_MAX_LABEL, &where,
                       &option->label))
        goto fail;
      for (guint j = 0; j + 1 < options->len; j++)
        {
          if (strcmp (((DengonScriptOption *) g_ptr_array_index (options, j))->value,
                      option->value) == 0)
            {
              invalid (&where, "option \"%s\" is there twice", option->value);
              goto fail;
            }
        }
    }

  if (field->type == DENGON_SCRIPT_FIELD_YES_NO)
    {
      gboolean ja = g_str_has_prefix (lang, "ja");
      const char *yes_label = ja ? "はい" : "Yes";
      const char *no_label = ja ? "いいえ" : "No";
      g_autoptr (GPtrArray) yes_no = g_ptr_array_new_with_free_func ((GDestroyNotify) option_free);

      for (guint i = 0; i < options->len; i++)
        {
          DengonScriptOption *option = g_ptr_array_index (options, i);

          if (strcmp (option->value, "yes") == 0)
            yes_label = option->label;
          else if (strcmp (option->value, "no") == 0)
            no_label = option->label;
          else
            {
              invalid (&where, "a yes-no option must be \"yes\" or \"no\", not \"%s\"",
                       option->value);
              goto fail;
            }
        }
      g_ptr_array_add (yes_no,
                       g_memdup2 (&(DengonScriptOption){ g_strdup ("yes"), g_strdup (yes_label) },
                                  sizeof (DengonScriptOption)));
      g_ptr_array_add (yes_no,
                       g_memdup2 (&(DengonScriptOption){ g_strdup ("no"), g_strdup (no_label) },
                                  sizeof (DengonScriptOption)));
      g_ptr_array_unref (options);
      options = g_steal_pointer (&yes_no);
    }

  if (field->type == DENGON_SCRIPT_FIELD_CHOICE && options->len == 0)
    {
      invalid (&where, "a choice needs at least one option");
      goto fail;
    }
  field->options = g_steal_pointer (&options);

  default_node = json_object_get_member (object, "default");
  if (default_node != NULL && !JSON_NODE_HOLDS_NULL (default_node))
    {
      field->default_value = value_text (default_node);
      if (field->default_value == NULL)
        {
          invalid (&where, "\"default\" must be a string or true/false");
          goto fail;
        }
    }

  return field;

fail:
  field_free (field);
  return NULL;
}

static DengonScriptRule *
parse_rule (JsonNode *node, guint index, const Where *where)
{
  g_autoptr (GStrvBuilder) values = g_strv_builder_new ();
  DengonScriptRule *rule;
  JsonObject *object;
  JsonNode *equals;
  JsonNode *in;
  gboolean answered_set = FALSE;
  gboolean answered = FALSE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      /* "next": "step-id" */
      rule = g_new0 (DengonScriptRule, 1);
      rule->kind = DENGON_SCRIPT_RULE_ALWAYS;
      rule->go_to = g_strdup (json_node_get_string (node));
      return rule;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (where, "\"next\" entry %u must be an object or a step id", index + 1);
      return NULL;
    }
  object = json_node_get_object (node);

  rule = g_new0 (DengonScriptRule, 1);
  if (!get_string (object, "goto", TRUE, DENGON_SCRIPT_MAX_ID, where, &rule->go_to) ||
      !get_string (object, "if", FALSE, DENGON_SCRIPT_MAX_ID, where, &rule->field))
    goto fail;

  equals = json_object_get_member (object, "equals");
  in = json_object_get_member (object, "in");
  if (json_object_has_member (object, "answered"))
    {
      answered_set = TRUE;
      if (!get_boolean (object, "answered", TRUE, where, &answered))
        goto fail;
    }

  if (rule->field == NULL)
    {
      if (equals != NULL || in != NULL || answered_set)
        {
          invalid (where, "\"next\" entry %u has a condition but no \"if\"", index + 1);
          goto fail;
        }
      rule->kind = DENGON_SCRIPT_RULE_ALWAYS;
      return rule;
    }

  if ((equals != NULL) + (in != NULL) + answered_set != 1)
    {
      invalid (where, "\"next\" entry %u needs one of \"equals\", \"in\" or \"answered\"",
               index + 1);
      goto fail;
    }

  if (answered_set)
    rule->kind = answered ? DENGON_SCRIPT_RULE_ANSWERED : DENGON_SCRIPT_RULE_EMPTY;
  else if (equals != NULL)
    {
      g_autofree char *text = value_text (equals);

      if (text == NULL)
        {
          invalid (where, "\"next\" entry %u: \"equals\" must be a string or true/false",
                   index + 1);
          goto fail;
        }
      g_strv_builder_add (values, text);
      rule->kind = DENGON_SCRIPT_RULE_EQUALS;
    }
  else
    {
      JsonArray *list = JSON_NODE_HOLDS_ARRAY (in) ? json_node_get_array (in) : NULL;

      if (list == NULL || json_array_get_length (list) > DENGON_SCRIPT_MAX_OPTIONS)
        {
          invalid (where, "\"next\" entry %u: \"in\" must be a list", index + 1);
          goto fail;
        }
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          g_autofree char *text = value_text (json_array_get_element (list, i));

          if (text == NULL)
            {
              invalid (where, "\"next\" entry %u: \"in\" must hold strings", index + 1);
              goto fail;
            }
          g_strv_builder_add (values, text);
        }
      rule->kind = DENGON_SCRIPT_RULE_EQUALS;
    }

  rule->values = g_strv_builder_end (values);

  return rule;

fail:
  rule_free (rule);
  return NULL;
}

/* Every {name} in @text must be a built-in placeholder or a field of the script. */
static gboolean
check_placeholders (DengonScript *self, const char *text, const char *member, const Where *where)
{
  const char *p = text;

  if (text == NULL)
    return TRUE;

  while ((p = strchr (p, '{')) != NULL)
    {
      const char *end;
      const char *bar;
      g_autofree char *name = NULL;

      if (p[1] == '{')
        {
          p += 2;
          continue;
        }
      end = strchr (p, '}');
      if (end == NULL)
        return invalid (where, "\"%s\" has a \"{\" without \"}\"", member);
      bar = memchr (p, '|', end - p);
      name = g_strndup (p + 1, (bar != NULL ? bar : end) - p - 1);
      if (!g_strv_contains (builtin_placeholders, name) &&
          dengon_script_find_field (self, name, NULL) == NULL)
        return invalid (where, "\"%s\" has an unknown placeholder {%s}", member, name);
      p = end + 1;
    }

  return TRUE;
}

static gboolean
parse_steps (DengonScript *self, JsonArray *steps, GError **error)
{
  Where where = { NULL, NULL, error };

  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      DengonScriptStep *step;
      JsonObject *object;
      JsonArray *fields;
      JsonNode *next;

      where.step = NULL;
      where.field = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *name = g_strdup_printf ("#%u", i + 1);

          where.step = name;
          return invalid (&where, "a step must be an object");
        }
      object = json_node_get_object (node);

      step = g_new0 (DengonScriptStep, 1);
      step->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
      step->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
      g_ptr_array_add (self->steps, step);

      {
        g_autofree char *name = g_strdup_printf ("#%u", i + 1);

        where.step = name;
        if (!get_string (object, "id", TRUE, DENGON_SCRIPT_MAX_ID, &where, &step->id))
          return FALSE;
      }
      where.step = step->id;
      if (!is_valid_id (step->id) || strcmp (step->id, "end") == 0)
        return invalid (&where, "a step id may only have letters, digits, \"_\" and \"-\", and "
                                "is not \"end\"");
      if (dengon_script_find_step (self, step->id) != (int) i)
        return invalid (&where, "there are two steps with this id");

      if (!get_string (object, "title", TRUE, DENGON_SCRIPT_MAX_LABEL, &where, &step->title) ||
          !get_string (object, "say", FALSE, DENGON_SCRIPT_MAX_TEXT, &where, &step->say) ||
          !get_string (object, "hint", FALSE, DENGON_SCRIPT_MAX_TEXT, &where, &step->hint) ||
          !parse_set (object, &where, &step->set))
        return FALSE;

      if (!get_array (object, "fields", DENGON_SCRIPT_MAX_FIELDS, &where, &fields))
        return FALSE;
      for (guint j = 0; fields != NULL && j < json_array_get_length (fields); j++)
        {
          DengonScriptField *field =
              parse_field (json_array_get_element (fields, j), step->id, self->lang, error);

          if (field == NULL)
            return FALSE;
          if (dengon_script_find_field (self, field->id, NULL) != NULL)
            {
              where.field = field->id;
              invalid (&where, "there are two fields with this id");
              field_free (field);
              return FALSE;
            }
          g_ptr_array_add (step->fields, field);
        }

      next = json_object_get_member (object, "next");
      if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
        {
          if (JSON_NODE_HOLDS_ARRAY (next))
            {
              JsonArray *rules = json_node_get_array (next);

              if (json_array_get_length (rules) > DENGON_SCRIPT_MAX_RULES)
                return invalid (&where, "\"next\" has more than %u entries",
                                DENGON_SCRIPT_MAX_RULES);
              for (guint j = 0; j < json_array_get_length (rules); j++)
                {
                  DengonScriptRule *rule =
                      parse_rule (json_array_get_element (rules, j), j, &where);

                  if (rule == NULL)
                    return FALSE;
                  g_ptr_array_add (step->rules, rule);
                }
            }
          else
            {
              DengonScriptRule *rule = parse_rule (next, 0, &where);

              if (rule == NULL)
                return FALSE;
              g_ptr_array_add (step->rules, rule);
            }
        }
    }

  return TRUE;
}

/* Checks what needs the whole script: rule targets, rule fields, placeholders. */
static gboolean
check_references (DengonScript *self, GError **error)
{
  Where where = { NULL, NULL, error };

  for (guint i = 0; i < self->steps->len; i++)
    {
      DengonScriptStep *step = g_ptr_array_index (self->steps, i);

      where.step = step->id;
      where.field = NULL;

      for (guint j = 0; j < step->rules->len; j++)
        {
          DengonScriptRule *rule = g_ptr_array_index (step->rules, j);
          const DengonScriptField *field;

          if (strcmp (rule->go_to, "end") != 0 && dengon_script_find_step (self, rule->go_to) < 0)
            return invalid (&where, "\"next\" goes to a step that is not there: \"%s\"",
                            rule->go_to);
          if (rule->field == NULL)
            continue;

          field = dengon_script_find_field (self, rule->field, NULL);
          where.field = rule->field;
          if (field == NULL)
            return invalid (&where, "\"next\" asks about a field that is not there");
          for (guint k = 0; rule->values != NULL && rule->values[k] != NULL; k++)
            {
              gboolean known = field->options == NULL || field->options->len == 0;

              for (guint o = 0; !known && o < field->options->len; o++)
                known =
                    strcmp (((DengonScriptOption *) g_ptr_array_index (field->options, o))->value,
                            rule->values[k]) == 0;
              if (!known)
                return invalid (&where, "\"next\" compares with \"%s\", which is not an option",
                                rule->values[k]);
            }
          where.field = NULL;
        }

      if (!check_placeholders (self, step->say, "say", &where) ||
          !check_placeholders (self, step->hint, "hint", &where))
        return FALSE;

      for (guint j = 0; j < step->fields->len; j++)
        {
          DengonScriptField *field = g_ptr_array_index (step->fields, j);
          gboolean known = field->default_value == NULL || field->options == NULL ||
                           field->options->len == 0 || field->type == DENGON_SCRIPT_FIELD_STAFF;

          for (guint o = 0; !known && o < field->options->len; o++)
            known = strcmp (((DengonScriptOption *) g_ptr_array_index (field->options, o))->value,
                            field->default_value) == 0;
          if (!known)
            {
              where.field = field->id;
              return invalid (&where, "\"default\" is not one of the options");
            }
        }
    }

  return TRUE;
}

DengonScript *
dengon_script_new_from_json (JsonObject *doc, GError **error)
{
  g_autoptr (DengonScript) self = NULL;
  Where where = { NULL, NULL, error };
  g_autofree char *type = NULL;
  JsonArray *steps;
  JsonNode *order;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (DengonScript, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  self->set.callback = -1;

  if (!get_string (doc, "_id", TRUE, 256, &where, &self->id))
    return NULL;
  if (!g_str_has_prefix (self->id, "script:") || self->id[strlen ("script:")] == '\0')
    {
      invalid (&where, "\"_id\" must start with \"script:\"");
      return NULL;
    }
  if (!get_string (doc, "type", TRUE, 20, &where, &type))
    return NULL;
  if (strcmp (type, "script") != 0)
    {
      invalid (&where, "\"type\" must be \"script\"");
      return NULL;
    }

  if (!get_string (doc, "name", TRUE, DENGON_SCRIPT_MAX_LABEL, &where, &self->name) ||
      !get_string (doc, "description", FALSE, DENGON_SCRIPT_MAX_TEXT, &where, &self->description) ||
      !get_string (doc, "lang", FALSE, 20, &where, &self->lang) ||
      !get_string (doc, "direction", FALSE, 10, &where, &self->direction) ||
      !get_boolean (doc, "default", FALSE, &where, &self->is_default) ||
      !parse_set (doc, &where, &self->set))
    return NULL;

  if (self->lang == NULL)
    self->lang = g_strdup ("ja");
  if (self->direction == NULL)
    self->direction = g_strdup ("in");
  if (strcmp (self->direction, "in") != 0 && strcmp (self->direction, "out") != 0)
    {
      invalid (&where, "\"direction\" must be \"in\" or \"out\"");
      return NULL;
    }

  order = json_object_get_member (doc, "order");
  if (order != NULL && JSON_NODE_HOLDS_VALUE (order) &&
      json_node_get_value_type (order) == G_TYPE_INT64)
    self->order = CLAMP (json_node_get_int (order), -10000, 10000);

  if (!get_array (doc, "steps", DENGON_SCRIPT_MAX_STEPS, &where, &steps))
    return NULL;
  if (steps == NULL || json_array_get_length (steps) == 0)
    {
      invalid (&where, "a script needs at least one step");
      return NULL;
    }

  if (!parse_steps (self, steps, error) || !check_references (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
dengon_script_get_id (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id;
}

const char *
dengon_script_get_name (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

const char *
dengon_script_get_description (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->description;
}

const char *
dengon_script_get_language (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->lang;
}

const char *
dengon_script_get_direction (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->direction;
}

gboolean
dengon_script_is_default (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->is_default;
}

int
dengon_script_get_order (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->order;
}

const DengonScriptSet *
dengon_script_get_set (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->set;
}

guint
dengon_script_get_n_steps (DengonScript *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->steps->len;
}

const DengonScriptStep *
dengon_script_get_step (DengonScript *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);

  return g_ptr_array_index (self->steps, index);
}

int
dengon_script_find_step (DengonScript *self, const char *id)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; id != NULL && i < self->steps->len; i++)
    {
      DengonScriptStep *step = g_ptr_array_index (self->steps, i);

      if (g_strcmp0 (step->id, id) == 0)
        return i;
    }

  return -1;
}

const DengonScriptField *
dengon_script_find_field (DengonScript *self, const char *id, guint *step_index)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; id != NULL && i < self->steps->len; i++)
    {
      DengonScriptStep *step = g_ptr_array_index (self->steps, i);

      for (guint j = 0; step->fields != NULL && j < step->fields->len; j++)
        {
          DengonScriptField *field = g_ptr_array_index (step->fields, j);

          if (strcmp (field->id, id) == 0)
            {
              if (step_index != NULL)
                *step_index = i;
              return field;
            }
        }
    }

  return NULL;
}

const DengonScriptField *
dengon_script_find_target (DengonScript *self, DengonScriptTarget target)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->steps->len; i++)
    {
      DengonScriptStep *step = g_ptr_array_index (self->steps, i);

      for (guint j = 0; j < step->fields->len; j++)
        {
          DengonScriptField *field = g_ptr_array_index (step->fields, j);

          if (field->target == target)
            return field;
        }
    }

  return NULL;
}
