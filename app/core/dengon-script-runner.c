/* dengon-script-runner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"
#include "dengon-script-runner.h"

/* A date given without a time is "by the end of that business day". */
#define DATE_ONLY_HOUR 18

struct _DengonScriptRunner
{
  GObject parent_instance;

  /* Owned */
  DengonScript *script;
  GHashTable *answers;      /* field id -> text as typed */
  GHashTable *placeholders; /* name -> value */
  GPtrArray *staff;         /* JsonObject */
  char *desk_staff;
  GDateTime *now;
  GArray *path; /* guint step indices, current last */

  guint finished : 1;
  guint quick : 1;
};

enum
{
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (DengonScriptRunner, dengon_script_runner, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static gboolean
is_ja (DengonScriptRunner *self)
{
  return g_str_has_prefix (dengon_script_get_language (self->script), "ja");
}

static void
emit_changed (DengonScriptRunner *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ------------------------------------------------------------------ helpers */

static char *
normalize (const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *lower = NULL;

  if (text == NULL)
    return NULL;

  /* NFKC folds full-width digits, colons and slashes. */
  folded = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  if (folded == NULL)
    return NULL;
  lower = g_ascii_strdown (folded, -1);

  return g_strstrip (g_steal_pointer (&lower));
}

static int
match_int (GMatchInfo *info, int group)
{
  g_autofree char *text = g_match_info_fetch (info, group);

  if (text == NULL || *text == '\0')
    return -1;

  return (int) g_ascii_strtoll (text, NULL, 10);
}

GDateTime *
dengon_script_parse_datetime (const char *text, GDateTime *now)
{
  static GRegex *date_regex = NULL;
  static GRegex *time_regex = NULL;
  static GRegex *paren_regex = NULL;
  g_autoptr (GDateTime) local_now = NULL;
  g_autoptr (GMatchInfo) info = NULL;
  g_autofree char *norm = NULL;
  g_autofree char *rest = NULL;
  g_autoptr (GDateTime) iso = NULL;
  int year = -1, month = -1, day = -1, hour = -1, minute = 0;
  int day_offset = 0;
  gboolean have_date = FALSE;
  GTimeZone *tz;

  if (text == NULL)
    return NULL;

  if (g_once_init_enter (&date_regex))
    {
      paren_regex = g_regex_new ("[(（][^)）]*[)）]", G_REGEX_OPTIMIZE, 0, NULL);
      time_regex = g_regex_new (
          "(午前|午後|am|pm)?\\s*(\\d{1,2})\\s*(?::\\s*(\\d{2})|時\\s*(?:(\\d{1,2})\\s*分|(半))?)"
          "?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?",
          G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (
          &date_regex,
          g_regex_new ("(?:(\\d{4})\\s*[-/年.]\\s*)?(\\d{1,2})\\s*[-/月.]\\s*(\\d{1,2})"
                       "\\s*日?",
                       G_REGEX_OPTIMIZE, 0, NULL));
    }

  local_now = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_local ();
  tz = g_date_time_get_timezone (local_now);

  norm = normalize (text);
  if (norm == NULL || *norm == '\0')
    return NULL;

  iso = g_date_time_new_from_iso8601 (norm, tz);
  if (iso != NULL)
    return g_steal_pointer (&iso);

  /* Weekdays in brackets say nothing more than the date: "3/5(木)". */
  rest = g_regex_replace_literal (paren_regex, norm, -1, 0, " ", 0, NULL);

  {
    static const struct
    {
      const char *word;
      int offset;
    } days[] = {
      { "明後日", 2 }, { "あさって", 2 }, { "今日", 0 }, { "本日", 0 },  { "きょう", 0 },
      { "明日", 1 },   { "あした", 1 },   { "あす", 1 }, { "today", 0 }, { "tomorrow", 1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (days); i++)
      {
        char *found = strstr (rest, days[i].word);

        if (found != NULL)
          {
            memset (found, ' ', strlen (days[i].word));
            day_offset = days[i].offset;
            have_date = TRUE;
            break;
          }
      }
  }

  if (!have_date && g_regex_match (date_regex, rest, 0, &info))
    {
      int start, end;

      year = match_int (info, 1);
      month = match_int (info, 2);
      day = match_int (info, 3);
      g_match_info_fetch_pos (info, 0, &start, &end);
      memset (rest + start, ' ', end - start);
      have_date = TRUE;
    }
  g_clear_pointer (&info, g_match_info_free);

  g_strstrip (rest);
  if (*rest != '\0')
    {
      g_autofree char *ampm = NULL;
      g_autofree char *half = NULL;
      g_autofree char *suffix = NULL;
      int start, end;

      if (!g_regex_match (time_regex, rest, 0, &info))
        return NULL;
      g_match_info_fetch_pos (info, 0, &start, &end);
      /* Nothing else may be left over: "夕方" or "after lunch" is not a time. */
      if (start != 0 || rest[end] != '\0')
        return NULL;

      ampm = g_match_info_fetch (info, 1);
      hour = match_int (info, 2);
      if (match_int (info, 3) >= 0)
        minute = match_int (info, 3);
      else if (match_int (info, 4) >= 0)
        minute = match_int (info, 4);
      half = g_match_info_fetch (info, 5);
      if (half != NULL && *half != '\0')
        minute = 30;
      suffix = g_match_info_fetch (info, 6);

      {
        gboolean pm = g_strcmp0 (ampm, "午後") == 0 || g_strcmp0 (ampm, "pm") == 0 ||
                      g_str_has_prefix (suffix ? suffix : "", "p");
        gboolean am = g_strcmp0 (ampm, "午前") == 0 || g_strcmp0 (ampm, "am") == 0 ||
                      g_str_has_prefix (suffix ? suffix : "", "a");

        /* A bare number without ":" or 時 is not a time ("15" could be anything). */
        if (match_int (info, 3) < 0 && strstr (rest, "時") == NULL && !pm && !am)
          return NULL;
        if ((pm || am) && (hour < 1 || hour > 12))
          return NULL;
        if (pm && hour < 12)
          hour += 12;
        if (am && hour == 12)
          hour = 0;
      }
      if (hour > 23 || minute > 59)
        return NULL;
    }

  if (!have_date && hour < 0)
    return NULL;

  if (hour < 0)
    {
      hour = DATE_ONLY_HOUR;
      minute = 0;
    }

  if (month > 0)
    {
      gboolean given_year = year > 0;
      GDateTime *result;

      if (!given_year)
        year = g_date_time_get_year (local_now);
      if (!g_date_valid_dmy (day, month, year))
        return NULL;
      result = g_date_time_new (tz, year, month, day, hour, minute, 0);
      /* "3/5" in December is next March. */
      if (result != NULL && !given_year &&
          g_date_time_difference (result, local_now) < -G_TIME_SPAN_DAY)
        {
          g_date_time_unref (result);
          if (!g_date_valid_dmy (day, month, year + 1))
            return NULL;
          result = g_date_time_new (tz, year + 1, month, day, hour, minute, 0);
        }
      return result;
    }
  else
    {
      g_autoptr (GDateTime) date = g_date_time_add_days (local_now, day_offset);

      return g_date_time_new (tz, g_date_time_get_year (date), g_date_time_get_month (date),
                              g_date_time_get_day_of_month (date), hour, minute, 0);
    }
}

static char *
format_datetime (GDateTime *time, gboolean ja)
{
  static const char *const ja_days[] = { "", "月", "火", "水", "木", "金", "土", "日" };
  static const char *const en_days[] = { "", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const en_months[] = { "",    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  int dow = g_date_time_get_day_of_week (time);

  /* Not strftime: the script's language decides, not the locale of the desk. */
  if (ja)
    return g_strdup_printf ("%d月%d日（%s）%d:%02d", g_date_time_get_month (time),
                            g_date_time_get_day_of_month (time), ja_days[dow],
                            g_date_time_get_hour (time), g_date_time_get_minute (time));

  return g_strdup_printf ("%s %d %s, %d:%02d", en_days[dow], g_date_time_get_day_of_month (time),
                          en_months[g_date_time_get_month (time)], g_date_time_get_hour (time),
                          g_date_time_get_minute (time));
}

char *
dengon_script_read_number (const char *display, const char *lang)
{
  /* Digits as read on the phone: 2 and 5 long (ニー, ゴー) so they are not missed. */
  static const char *const ja_digits[] = { "ゼロ", "イチ", "ニー", "サン", "ヨン",
                                           "ゴー", "ロク", "ナナ", "ハチ", "キュー" };
  static const char *const en_digits[] = { "zero", "one", "two",   "three", "four",
                                           "five", "six", "seven", "eight", "nine" };
  gboolean ja = lang == NULL || g_str_has_prefix (lang, "ja");
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean group_open = FALSE;

  if (display == NULL)
    return g_strdup ("");

  for (const char *p = display; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = g_unichar_digit_value (c);

      if (digit >= 0)
        {
          if (!ja && group_open)
            g_string_append_c (out, ' ');
          g_string_append (out, ja ? ja_digits[digit] : en_digits[digit]);
          group_open = TRUE;
        }
      else if (c == '+')
        {
          g_string_append (out, ja ? "プラス " : "plus ");
          group_open = FALSE;
        }
      else if (group_open)
        {
          /* A hyphen, space or bracket ends a group. */
          g_string_append (out, ja ? "の " : ", ");
          group_open = FALSE;
        }
    }

  /* No separator after the last group. */
  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == ','))
    g_string_truncate (out, out->len - 1);
  if (ja && g_str_has_suffix (out->str, "の"))
    g_string_truncate (out, out->len - strlen ("の"));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
dengon_script_greeting (JsonObject *office_settings, const char *lang, GDateTime *now)
{
  gboolean ja = lang == NULL || g_str_has_prefix (lang, "ja");
  JsonObject *greetings = NULL;
  const char *until;
  const char *morning;
  const char *fallback;
  g_autoptr (GDateTime) local_now = NULL;
  int until_minutes = 10 * 60 + 30;

  if (office_settings != NULL)
    greetings = dengon_json_get_object (office_settings, ja ? "greetings" : "greetings_en");

  until = office_settings != NULL
              ? dengon_json_get_string (dengon_json_get_object (office_settings, "greetings")
                                            ?: office_settings,
                                        "morning_until")
              : NULL;
  if (until != NULL)
    {
      int h, m;

      if (sscanf (until, "%d:%d", &h, &m) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60)
        until_minutes = h * 60 + m;
    }

  morning = greetings != NULL ? dengon_json_get_string (greetings, "morning") : NULL;
  fallback = greetings != NULL ? dengon_json_get_string (greetings, "default") : NULL;
  if (morning == NULL || *morning == '\0')
    morning = ja ? "おはようございます" : "Good morning";
  if (fallback == NULL || *fallback == '\0')
    fallback = ja ? "お電話ありがとうございます" : "Thank you for calling";

  local_now = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_local ();
  if (g_date_time_get_hour (local_now) * 60 + g_date_time_get_minute (local_now) < until_minutes)
    return g_strdup (morning);

  return g_strdup (fallback);
}

char *
dengon_script_staff_short_name (JsonObject *staff, const char *lang)
{
  const char *name;
  g_autofree char *trimmed = NULL;
  char *space;

  if (staff == NULL)
    return NULL;

  name = dengon_json_get_string (staff, "name");
  if (name == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (name));
  if (lang != NULL && !g_str_has_prefix (lang, "ja"))
    return g_steal_pointer (&trimmed);

  /* 山田 健 -> 山田: callers hear the family name, without さん. */
  space = strpbrk (trimmed, " \t");
  if (space == NULL)
    space = strstr (trimmed, "\u3000");
  if (space != NULL && space != trimmed)
    *space = '\0';

  return g_steal_pointer (&trimmed);
}

static JsonObject *
find_staff (DengonScriptRunner *self, const char *id)
{
  for (guint i = 0; id != NULL && self->staff != NULL && i < self->staff->len; i++)
    {
      JsonObject *staff = g_ptr_array_index (self->staff, i);

      if (g_strcmp0 (dengon_json_get_string (staff, "_id"), id) == 0)
        return staff;
    }

  return NULL;
}

static const DengonScriptOption *
find_option (const DengonScriptField *field, const char *value)
{
  for (guint i = 0; value != NULL && field->options != NULL && i < field->options->len; i++)
    {
      const DengonScriptOption *option = g_ptr_array_index (field->options, i);

      if (strcmp (option->value, value) == 0)
        return option;
    }

  return NULL;
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_script_runner_finalize (GObject *object)
{
  DengonScriptRunner *self = (DengonScriptRunner *) object;

  g_clear_pointer (&self->script, dengon_script_unref);
  g_clear_pointer (&self->answers, g_hash_table_unref);
  g_clear_pointer (&self->placeholders, g_hash_table_unref);
  g_clear_pointer (&self->staff, g_ptr_array_unref);
  g_clear_pointer (&self->desk_staff, g_free);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->path, g_array_unref);

  G_OBJECT_CLASS (dengon_script_runner_parent_class)->finalize (object);
}

static void
dengon_script_runner_class_init (DengonScriptRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dengon_script_runner_finalize;

  /**
   * DengonScriptRunner::changed:
   *
   * An answer, the step, quick capture or the placeholders changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
dengon_script_runner_init (DengonScriptRunner *self)
{
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->placeholders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->path = g_array_new (FALSE, FALSE, sizeof (guint));
}

DengonScriptRunner *
dengon_script_runner_new (DengonScript *script)
{
  DengonScriptRunner *self;
  guint first = 0;

  g_return_val_if_fail (script != NULL, NULL);

  self = g_object_new (DENGON_TYPE_SCRIPT_RUNNER, NULL);
  self->script = dengon_script_ref (script);
  g_array_append_val (self->path, first);

  /* Defaults count as answers until somebody changes them. */
  for (guint i = 0; i < dengon_script_get_n_steps (script); i++)
    {
      const DengonScriptStep *step = dengon_script_get_step (script, i);

      for (guint j = 0; j < step->fields->len; j++)
        {
          const DengonScriptField *field = g_ptr_array_index (step->fields, j);

          if (field->default_value != NULL)
            g_hash_table_insert (self->answers, g_strdup (field->id),
                                 g_strdup (field->default_value));
        }
    }

  return self;
}

DengonScript *
dengon_script_runner_get_script (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  return self->script;
}

void
dengon_script_runner_set_placeholder (DengonScriptRunner *self, const char *name, const char *value)
{
  g_return_if_fail (DENGON_IS_SCRIPT_RUNNER (self));
  g_return_if_fail (name != NULL);

  if (g_strcmp0 (g_hash_table_lookup (self->placeholders, name), value) == 0)
    return;

  if (value == NULL)
    g_hash_table_remove (self->placeholders, name);
  else
    g_hash_table_insert (self->placeholders, g_strdup (name), g_strdup (value));
  emit_changed (self);
}

void
dengon_script_runner_set_staff (DengonScriptRunner *self, GPtrArray *staff)
{
  g_return_if_fail (DENGON_IS_SCRIPT_RUNNER (self));

  g_clear_pointer (&self->staff, g_ptr_array_unref);
  self->staff = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    g_ptr_array_add (self->staff, json_object_ref (g_ptr_array_index (staff, i)));
  emit_changed (self);
}

void
dengon_script_runner_set_desk_staff (DengonScriptRunner *self, const char *staff_id)
{
  g_return_if_fail (DENGON_IS_SCRIPT_RUNNER (self));

  if (g_strcmp0 (self->desk_staff, staff_id) == 0)
    return;

  g_free (self->desk_staff);
  self->desk_staff = g_strdup (staff_id != NULL && *staff_id != '\0' ? staff_id : NULL);
  emit_changed (self);
}

void
dengon_script_runner_set_now (DengonScriptRunner *self, GDateTime *now)
{
  g_return_if_fail (DENGON_IS_SCRIPT_RUNNER (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  if (now != NULL)
    self->now = g_date_time_ref (now);
}

/* ------------------------------------------------------------------ steps */

static guint
current_index (DengonScriptRunner *self)
{
  return g_array_index (self->path, guint, self->path->len - 1);
}

const DengonScriptStep *
dengon_script_runner_get_step (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  return dengon_script_get_step (self->script, current_index (self));
}

guint
dengon_script_runner_get_step_index (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), 0);

  return current_index (self);
}

guint
dengon_script_runner_get_depth (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), 0);

  return self->path->len;
}

GStrv
dengon_script_runner_get_path (DengonScriptRunner *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  for (guint i = 0; i < self->path->len; i++)
    g_strv_builder_add (
        builder, dengon_script_get_step (self->script, g_array_index (self->path, guint, i))->id);

  return g_strv_builder_end (builder);
}

gboolean
dengon_script_runner_can_go_back (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);

  return self->finished || self->path->len > 1;
}

gboolean
dengon_script_runner_is_finished (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);

  return self->finished;
}

static gboolean
rule_matches (DengonScriptRunner *self, const DengonScriptRule *rule)
{
  const char *answer;

  if (rule->kind == DENGON_SCRIPT_RULE_ALWAYS)
    return TRUE;

  answer = g_hash_table_lookup (self->answers, rule->field);
  switch (rule->kind)
    {
      case DENGON_SCRIPT_RULE_ANSWERED:
        return !dengon_text_is_blank (answer);
      case DENGON_SCRIPT_RULE_EMPTY:
        return dengon_text_is_blank (answer);
      case DENGON_SCRIPT_RULE_EQUALS:
        return answer != NULL && g_strv_contains ((const char *const *) rule->values, answer);
      case DENGON_SCRIPT_RULE_ALWAYS:
      default:
        return TRUE;
    }
}

/* Where @index goes with the answers given: a step index, or -1 for the end. */
static int
next_index (DengonScriptRunner *self, guint index)
{
  const DengonScriptStep *step = dengon_script_get_step (self->script, index);

  for (guint i = 0; i < step->rules->len; i++)
    {
      const DengonScriptRule *rule = g_ptr_array_index (step->rules, i);

      if (rule_matches (self, rule))
        return strcmp (rule->go_to, "end") == 0
                   ? -1
                   : dengon_script_find_step (self->script, rule->go_to);
    }

  return index + 1 < dengon_script_get_n_steps (self->script) ? (int) index + 1 : -1;
}

/* The path the answers lead to from the first step, without stopping (quick capture). */
static GArray *
follow_answers (DengonScriptRunner *self)
{
  GArray *path = g_array_new (FALSE, FALSE, sizeof (guint));
  int index = 0;

  while (index >= 0 && path->len < dengon_script_get_n_steps (self->script))
    {
      guint u = index;
      gboolean seen = FALSE;

      for (guint i = 0; i < path->len; i++)
        seen |= g_array_index (path, guint, i) == u;
      if (seen)
        break;
      g_array_append_val (path, u);
      index = next_index (self, u);
    }

  return path;
}

static gboolean
step_in (GArray *path, guint index)
{
  for (guint i = 0; i < path->len; i++)
    {
      if (g_array_index (path, guint, i) == index)
        return TRUE;
    }

  return FALSE;
}

GPtrArray *
dengon_script_runner_get_active_fields (DengonScriptRunner *self)
{
  GPtrArray *fields = g_ptr_array_new ();

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  /* Script order, not path order: a read-back follows the form, not the way back and forth. */
  for (guint i = 0; i < dengon_script_get_n_steps (self->script); i++)
    {
      const DengonScriptStep *step = dengon_script_get_step (self->script, i);

      if (!self->quick && !step_in (self->path, i))
        continue;
      for (guint j = 0; j < step->fields->len; j++)
        g_ptr_array_add (fields, g_ptr_array_index (step->fields, j));
    }

  return fields;
}

/* The steps whose "set" applies: the path, or in quick capture where the answers lead. */
static GArray *
effective_path (DengonScriptRunner *self)
{
  if (self->quick)
    return follow_answers (self);

  return g_array_ref (self->path);
}

/* ------------------------------------------------------------------ answers */

void
dengon_script_runner_set_answer (DengonScriptRunner *self, const char *field_id, const char *text)
{
  g_return_if_fail (DENGON_IS_SCRIPT_RUNNER (self));
  g_return_if_fail (field_id != NULL);

  if (dengon_script_find_field (self->script, field_id, NULL) == NULL)
    {
      g_warning ("Script %s has no field %s", dengon_script_get_id (self->script), field_id);
      return;
    }

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (g_hash_table_lookup (self->answers, field_id), text) == 0)
    return;

  if (text == NULL)
    g_hash_table_remove (self->answers, field_id);
  else
    g_hash_table_insert (self->answers, g_strdup (field_id), g_strdup (text));
  emit_changed (self);
}

const char *
dengon_script_runner_get_answer (DengonScriptRunner *self, const char *field_id)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  return g_hash_table_lookup (self->answers, field_id);
}

static GDateTime *
parse_answer_datetime (DengonScriptRunner *self, const char *text)
{
  return dengon_script_parse_datetime (text, self->now);
}

static char *
format_field (DengonScriptRunner *self, const DengonScriptField *field, const char *text)
{
  if (dengon_text_is_blank (text))
    return NULL;

  switch (field->type)
    {
      case DENGON_SCRIPT_FIELD_PHONE:
        {
          g_autoptr (DengonPhoneNumber) number = dengon_phone_number_parse (text, NULL, NULL);

          if (number != NULL && number->display != NULL)
            return g_strdup (number->display);
          return g_strstrip (g_strdup (text));
        }
      case DENGON_SCRIPT_FIELD_CHOICE:
      case DENGON_SCRIPT_FIELD_YES_NO:
        {
          const DengonScriptOption *option = find_option (field, text);

          return g_strdup (option != NULL ? option->label : text);
        }
      case DENGON_SCRIPT_FIELD_STAFF:
        {
          JsonObject *staff = find_staff (self, text);
          const char *name = staff != NULL ? dengon_json_get_string (staff, "name") : NULL;

          return g_strdup (name != NULL ? name : text);
        }
      case DENGON_SCRIPT_FIELD_DATETIME:
        {
          g_autoptr (GDateTime) time = parse_answer_datetime (self, text);

          if (time != NULL)
            return format_datetime (time, is_ja (self));
          return g_strstrip (g_strdup (text));
        }
      case DENGON_SCRIPT_FIELD_TEXT:
      case DENGON_SCRIPT_FIELD_MULTILINE:
      default:
        return g_strstrip (g_strdup (text));
    }
}

char *
dengon_script_runner_format_answer (DengonScriptRunner *self, const char *field_id)
{
  const DengonScriptField *field;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  field = dengon_script_find_field (self->script, field_id, NULL);
  if (field == NULL)
    return NULL;

  return format_field (self, field, g_hash_table_lookup (self->answers, field_id));
}

static const char *
answer_for_target (DengonScriptRunner *self, DengonScriptTarget target)
{
  g_autoptr (GPtrArray) fields = dengon_script_runner_get_active_fields (self);

  for (guint i = 0; i < fields->len; i++)
    {
      const DengonScriptField *field = g_ptr_array_index (fields, i);
      const char *answer = g_hash_table_lookup (self->answers, field->id);

      if (field->target == target && !dengon_text_is_blank (answer))
        return answer;
    }

  /* A field not on the path yet still names the caller once it is typed. */
  if (target == DENGON_SCRIPT_TARGET_CALLER_NAME || target == DENGON_SCRIPT_TARGET_CALLER_COMPANY ||
      target == DENGON_SCRIPT_TARGET_FOR)
    {
      const DengonScriptField *field = dengon_script_find_target (self->script, target);

      if (field != NULL)
        return g_hash_table_lookup (self->answers, field->id);
    }

  return NULL;
}

gboolean
dengon_script_runner_validate_field (DengonScriptRunner *self, const DengonScriptField *field,
                                     GError **error)
{
  const char *text;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  text = g_hash_table_lookup (self->answers, field->id);
  if (dengon_text_is_blank (text))
    {
      if (!field->required)
        return TRUE;
      g_set_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID, _ ("Fill in “%s”."),
                   field->label);
      return FALSE;
    }

  if ((guint) g_utf8_strlen (text, -1) > field->max_chars)
    {
      g_set_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID,
                   _ ("“%s” is longer than %u characters."), field->label, field->max_chars);
      return FALSE;
    }

  switch (field->type)
    {
      case DENGON_SCRIPT_FIELD_PHONE:
        {
          g_autofree char *digits = dengon_phone_digits (text);

          if (strlen (digits) < 3 || strlen (digits) > 20)
            {
              g_set_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID,
                           _ ("“%s” is not a phone number."), field->label);
              return FALSE;
            }
          break;
        }
      case DENGON_SCRIPT_FIELD_CHOICE:
      case DENGON_SCRIPT_FIELD_YES_NO:
        if (find_option (field, text) == NULL)
          {
            g_set_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID,
                         _ ("Choose one of the answers for “%s”."), field->label);
            return FALSE;
          }
        break;
      case DENGON_SCRIPT_FIELD_STAFF:
        if (!g_str_has_prefix (text, "staff:") ||
            (self->staff != NULL && self->staff->len > 0 && find_staff (self, text) == NULL))
          {
            g_set_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID,
                         _ ("Choose a person for “%s”."), field->label);
            return FALSE;
          }
        break;
      case DENGON_SCRIPT_FIELD_DATETIME:
        {
          g_autoptr (GDateTime) time = parse_answer_datetime (self, text);

          if (time == NULL)
            {
              g_set_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID,
                           _ ("Write “%s” as a date and time, such as 3/5 15:00."), field->label);
              return FALSE;
            }
          break;
        }
      case DENGON_SCRIPT_FIELD_TEXT:
      case DENGON_SCRIPT_FIELD_MULTILINE:
      default:
        break;
    }

  return TRUE;
}

gboolean
dengon_script_runner_validate_step (DengonScriptRunner *self, const DengonScriptField **bad_field,
                                    GError **error)
{
  g_autoptr (GPtrArray) fields = NULL;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);

  if (bad_field != NULL)
    *bad_field = NULL;

  if (self->quick)
    fields = dengon_script_runner_get_active_fields (self);
  else
    fields = g_ptr_array_ref (dengon_script_runner_get_step (self)->fields);

  for (guint i = 0; i < fields->len; i++)
    {
      const DengonScriptField *field = g_ptr_array_index (fields, i);

      if (!dengon_script_runner_validate_field (self, field, error))
        {
          if (bad_field != NULL)
            *bad_field = field;
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
dengon_script_runner_next (DengonScriptRunner *self, const DengonScriptField **bad_field,
                           GError **error)
{
  int next;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);

  if (!dengon_script_runner_validate_step (self, bad_field, error))
    return FALSE;

  if (self->finished)
    return TRUE;

  if (self->quick)
    {
      /* Quick capture has one form: "next" means done. */
      g_autoptr (GArray) path = follow_answers (self);

      g_array_set_size (self->path, 0);
      g_array_append_vals (self->path, path->data, path->len);
      self->finished = TRUE;
      emit_changed (self);
      return TRUE;
    }

  next = next_index (self, current_index (self));
  if (next < 0 || step_in (self->path, next))
    self->finished = TRUE;
  else
    {
      guint u = next;

      g_array_append_val (self->path, u);
    }
  emit_changed (self);

  return TRUE;
}

gboolean
dengon_script_runner_back (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);

  if (self->finished)
    self->finished = FALSE;
  else if (self->path->len > 1)
    g_array_set_size (self->path, self->path->len - 1);
  else
    return FALSE;

  emit_changed (self);

  return TRUE;
}

void
dengon_script_runner_set_quick (DengonScriptRunner *self, gboolean quick)
{
  g_return_if_fail (DENGON_IS_SCRIPT_RUNNER (self));

  quick = !!quick;
  if (self->quick == (guint) quick)
    return;

  self->quick = quick;
  self->finished = FALSE;
  emit_changed (self);
}

gboolean
dengon_script_runner_get_quick (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);

  return self->quick;
}

/* ------------------------------------------------------------------ text */

static gboolean
field_is_read_back (const DengonScriptField *field)
{
  if (field->readback >= 0)
    return field->readback;

  return field->target != DENGON_SCRIPT_TARGET_NONE;
}

/* Whether the answers (or a "set" on the path) ask for a call back. */
static gboolean
callback_requested (DengonScriptRunner *self)
{
  g_autoptr (GArray) path = effective_path (self);
  const char *answer = answer_for_target (self, DENGON_SCRIPT_TARGET_CALLBACK_REQUESTED);
  int requested = dengon_script_get_set (self->script)->callback;

  for (guint i = 0; i < path->len; i++)
    {
      int step_set =
          dengon_script_get_step (self->script, g_array_index (path, guint, i))->set.callback;

      if (step_set >= 0)
        requested = step_set;
    }
  if (answer != NULL)
    requested = g_strcmp0 (answer, "yes") == 0;

  return requested > 0;
}

char *
dengon_script_runner_get_readback (DengonScriptRunner *self)
{
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean ja;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  ja = is_ja (self);
  fields = dengon_script_runner_get_active_fields (self);
  for (guint i = 0; i < fields->len; i++)
    {
      const DengonScriptField *field = g_ptr_array_index (fields, i);
      const char *answer = g_hash_table_lookup (self->answers, field->id);
      g_autofree char *value = NULL;

      /* A call back to the number they called from is read back too: it is the one used. */
      if (dengon_text_is_blank (answer) && field->target == DENGON_SCRIPT_TARGET_CALLBACK_NUMBER &&
          callback_requested (self))
        answer = g_hash_table_lookup (self->placeholders, "number");

      if (!field_is_read_back (field) || dengon_text_is_blank (answer))
        continue;

      value = format_field (self, field, answer);
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, ja ? "・%s：%s" : "• %s: %s", field->label, value);

      if (field->type == DENGON_SCRIPT_FIELD_PHONE)
        {
          g_autofree char *reading = dengon_script_read_number (value, ja ? "ja" : "en");

          if (*reading != '\0')
            g_string_append_printf (out, ja ? "（%s）" : " (%s)", reading);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
placeholder_value (DengonScriptRunner *self, const char *name)
{
  gboolean ja = is_ja (self);
  const DengonScriptField *field;

  if (strcmp (name, "readback") == 0)
    return dengon_script_runner_get_readback (self);

  if (strcmp (name, "my_name") == 0)
    return dengon_script_staff_short_name (find_staff (self, self->desk_staff),
                                           dengon_script_get_language (self->script));

  if (strcmp (name, "person") == 0)
    return dengon_script_staff_short_name (
        find_staff (self, answer_for_target (self, DENGON_SCRIPT_TARGET_FOR)),
        dengon_script_get_language (self->script));

  if (strcmp (name, "caller_name") == 0)
    return g_strdup (answer_for_target (self, DENGON_SCRIPT_TARGET_CALLER_NAME));

  if (strcmp (name, "company") == 0)
    return g_strdup (answer_for_target (self, DENGON_SCRIPT_TARGET_CALLER_COMPANY));

  if (strcmp (name, "caller") == 0)
    {
      g_autofree char *caller_name =
          g_strdup (answer_for_target (self, DENGON_SCRIPT_TARGET_CALLER_NAME));
      g_autofree char *company =
          g_strdup (answer_for_target (self, DENGON_SCRIPT_TARGET_CALLER_COMPANY));

      if (caller_name != NULL)
        g_strstrip (caller_name);
      if (company != NULL)
        g_strstrip (company);
      if (dengon_text_is_blank (caller_name) && dengon_text_is_blank (company))
        return NULL;
      if (ja)
        {
          if (dengon_text_is_blank (caller_name))
            return g_strdup_printf ("%s様", company);
          if (dengon_text_is_blank (company))
            return g_strdup_printf ("%s様", caller_name);
          return g_strdup_printf ("%sの%s様", company, caller_name);
        }
      if (dengon_text_is_blank (caller_name))
        return g_strdup (company);
      if (dengon_text_is_blank (company))
        return g_strdup (caller_name);
      return g_strdup_printf ("%s from %s", caller_name, company);
    }

  field = dengon_script_find_field (self->script, name, NULL);
  if (field != NULL)
    return format_field (self, field, g_hash_table_lookup (self->answers, field->id));

  return g_strdup (g_hash_table_lookup (self->placeholders, name));
}

char *
dengon_script_runner_expand (DengonScriptRunner *self, const char *text)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const char *p;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  if (text == NULL)
    return g_strdup ("");

  for (p = text; *p;)
    {
      const char *end;
      const char *bar;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (out, p[0]);
          p += 2;
          continue;
        }
      if (*p != '{' || (end = strchr (p, '}')) == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      bar = memchr (p, '|', end - p);
      name = g_strndup (p + 1, (bar != NULL ? bar : end) - p - 1);
      value = placeholder_value (self, name);
      if (value != NULL)
        g_strstrip (value);
      if (!dengon_text_is_blank (value))
        g_string_append (out, value);
      else if (bar != NULL)
        g_string_append_len (out, bar + 1, end - bar - 1);
      p = end + 1;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
dengon_script_runner_get_say_text (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  return dengon_script_runner_expand (self, dengon_script_runner_get_step (self)->say);
}

char *
dengon_script_runner_get_hint_text (DengonScriptRunner *self)
{
  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  return dengon_script_runner_expand (self, dengon_script_runner_get_step (self)->hint);
}

/* ------------------------------------------------------------------ drafts */

JsonObject *
dengon_script_runner_save_state (DengonScriptRunner *self)
{
  JsonObject *state;
  JsonObject *answers;
  JsonArray *path;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), NULL);

  state = json_object_new ();
  answers = json_object_new ();
  path = json_array_new ();

  g_hash_table_iter_init (&iter, self->answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (answers, key, value);
  for (guint i = 0; i < self->path->len; i++)
    json_array_add_string_element (
        path, dengon_script_get_step (self->script, g_array_index (self->path, guint, i))->id);

  json_object_set_string_member (state, "script", dengon_script_get_id (self->script));
  json_object_set_object_member (state, "answers", answers);
  json_object_set_array_member (state, "path", path);
  json_object_set_boolean_member (state, "finished", self->finished);
  json_object_set_boolean_member (state, "quick", self->quick);

  return state;
}

void
dengon_script_runner_restore_state (DengonScriptRunner *self, JsonObject *state)
{
  JsonObject *answers;
  JsonArray *path;

  g_return_if_fail (DENGON_IS_SCRIPT_RUNNER (self));
  g_return_if_fail (state != NULL);

  answers = dengon_json_get_object (state, "answers");
  if (answers != NULL)
    {
      GList *members = json_object_get_members (answers);

      for (GList *l = members; l; l = l->next)
        {
          const char *text = dengon_json_get_string (answers, l->data);

          if (text != NULL && dengon_script_find_field (self->script, l->data, NULL) != NULL)
            g_hash_table_insert (self->answers, g_strdup (l->data), g_strdup (text));
        }
      g_list_free (members);
    }

  path = dengon_json_get_array (state, "path");
  if (path != NULL && json_array_get_length (path) > 0)
    {
      g_array_set_size (self->path, 0);
      for (guint i = 0; i < json_array_get_length (path); i++)
        {
          JsonNode *node = json_array_get_element (path, i);
          int index =
              JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                  ? dengon_script_find_step (self->script, json_node_get_string (node))
                  : -1;
          guint u = index;

          if (index < 0 || step_in (self->path, u))
            break;
          g_array_append_val (self->path, u);
        }
      if (self->path->len == 0 || g_array_index (self->path, guint, 0) != 0)
        {
          guint first = 0;

          g_array_set_size (self->path, 0);
          g_array_append_val (self->path, first);
        }
    }

  self->finished = dengon_json_get_boolean (state, "finished", FALSE);
  self->quick = dengon_json_get_boolean (state, "quick", FALSE);
  emit_changed (self);
}

/* ------------------------------------------------------------------ the memo */

static void
apply_set (DengonScriptRunner *self, const DengonScriptSet *set, const char **category,
           const char **urgency, const char **escalate, int *callback, GPtrArray *message_lines)
{
  if (set->category != NULL)
    *category = set->category;
  if (set->urgency != NULL)
    *urgency = set->urgency;
  if (set->escalate != NULL)
    *escalate = set->escalate;
  if (set->callback >= 0)
    *callback = set->callback;
  if (set->message != NULL && *set->message != '\0')
    g_ptr_array_add (message_lines, dengon_script_runner_expand (self, set->message));
}

static const char *
find_owner (DengonScriptRunner *self)
{
  for (guint i = 0; self->staff != NULL && i < self->staff->len; i++)
    {
      JsonObject *staff = g_ptr_array_index (self->staff, i);

      if (g_strcmp0 (dengon_json_get_string (staff, "role"), "owner") == 0 &&
          dengon_json_get_boolean (staff, "active", TRUE))
        return dengon_json_get_string (staff, "_id");
    }

  return NULL;
}

gboolean
dengon_script_runner_fill_memo (DengonScriptRunner *self, JsonObject *memo, const char *by,
                                GError **error)
{
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GArray) path = NULL;
  g_autoptr (GPtrArray) message_lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) typed = json_object_new ();
  g_autoptr (GDateTime) callback_by = NULL;
  const char *category = NULL;
  const char *urgency = NULL;
  const char *escalate = NULL;
  const char *caller_name = NULL;
  const char *company = NULL;
  const char *assignee = NULL;
  const char *callback_number = NULL;
  int callback = -1;
  gboolean ja;
  const DengonScriptField *main_message = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (DENGON_IS_SCRIPT_RUNNER (self), FALSE);
  g_return_val_if_fail (memo != NULL, FALSE);

  ja = is_ja (self);
  fields = dengon_script_runner_get_active_fields (self);

  /* Everything typed must make sense; empty required fields are allowed here. */
  for (guint i = 0; i < fields->len; i++)
    {
      const DengonScriptField *field = g_ptr_array_index (fields, i);
      const char *answer = g_hash_table_lookup (self->answers, field->id);

      if (!dengon_text_is_blank (answer) &&
          !dengon_script_runner_validate_field (self, field, error))
        return FALSE;
    }

  path = effective_path (self);
  apply_set (self, dengon_script_get_set (self->script), &category, &urgency, &escalate, &callback,
             message_lines);
  for (guint i = 0; i < path->len; i++)
    apply_set (self, &dengon_script_get_step (self->script, g_array_index (path, guint, i))->set,
               &category, &urgency, &escalate, &callback, message_lines);

  /* The message: what the script sets, then the main message (the first free-text message
   * field answered) as typed, then the other answers that go to the
   * message, each with its label ("ご用件：配送状況" says more than "配送状況"). */
  for (guint i = 0; i < fields->len; i++)
    {
      const DengonScriptField *field = g_ptr_array_index (fields, i);

      if (field->target == DENGON_SCRIPT_TARGET_MESSAGE &&
          !dengon_text_is_blank (g_hash_table_lookup (self->answers, field->id)))
        {
          if (main_message == NULL && field->type == DENGON_SCRIPT_FIELD_MULTILINE)
            main_message = field;
        }
    }
  if (main_message != NULL)
    g_ptr_array_add (
        message_lines,
        format_field (self, main_message, g_hash_table_lookup (self->answers, main_message->id)));

  for (guint i = 0; i < fields->len; i++)
    {
      const DengonScriptField *field = g_ptr_array_index (fields, i);
      const char *answer = g_hash_table_lookup (self->answers, field->id);
      g_autofree char *trimmed = NULL;

      if (dengon_text_is_blank (answer))
        continue;
      trimmed = g_strstrip (g_strdup (answer));

      /* The answers as typed values, for reports. */
      switch (field->type)
        {
          case DENGON_SCRIPT_FIELD_YES_NO:
            json_object_set_boolean_member (typed, field->id, strcmp (trimmed, "yes") == 0);
            break;
          case DENGON_SCRIPT_FIELD_DATETIME:
            {
              g_autoptr (GDateTime) time = parse_answer_datetime (self, trimmed);
              g_autofree char *stamp = dengon_json_timestamp (time);

              json_object_set_string_member (typed, field->id, stamp);
              break;
            }
          case DENGON_SCRIPT_FIELD_TEXT:
          case DENGON_SCRIPT_FIELD_MULTILINE:
          case DENGON_SCRIPT_FIELD_PHONE:
          case DENGON_SCRIPT_FIELD_CHOICE:
          case DENGON_SCRIPT_FIELD_STAFF:
          default:
            json_object_set_string_member (typed, field->id, trimmed);
            break;
        }

      switch (field->target)
        {
          case DENGON_SCRIPT_TARGET_CALLER_NAME:
            caller_name = answer;
            break;
          case DENGON_SCRIPT_TARGET_CALLER_COMPANY:
            company = answer;
            break;
          case DENGON_SCRIPT_TARGET_FOR:
            assignee = answer;
            break;
          case DENGON_SCRIPT_TARGET_CALLBACK_REQUESTED:
            callback = strcmp (answer, "yes") == 0;
            break;
          case DENGON_SCRIPT_TARGET_CALLBACK_NUMBER:
            callback_number = answer;
            break;
          case DENGON_SCRIPT_TARGET_CALLBACK_BY:
            g_clear_pointer (&callback_by, g_date_time_unref);
            callback_by = parse_answer_datetime (self, answer);
            break;
          case DENGON_SCRIPT_TARGET_CATEGORY:
            category = answer;
            break;
          case DENGON_SCRIPT_TARGET_URGENCY:
            urgency =
                strcmp (answer, "yes") == 0 || strcmp (answer, "urgent") == 0 ? "urgent" : "normal";
            break;
          case DENGON_SCRIPT_TARGET_MESSAGE:
            {
              g_autofree char *value = format_field (self, field, answer);

              if (field != main_message)
                g_ptr_array_add (message_lines,
                                 g_strdup_printf (ja ? "%s：%s" : "%s: %s", field->label, value));
              break;
            }
          case DENGON_SCRIPT_TARGET_NONE:
          default:
            break;
        }
    }

  g_ptr_array_add (message_lines, NULL);
  message = g_strjoinv ("\n", (char **) message_lines->pdata);
  if (g_utf8_strlen (message, -1) > DENGON_MEMO_MAX_MESSAGE)
    {
      g_set_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID,
                   _ ("The message is longer than %d characters."), DENGON_MEMO_MAX_MESSAGE);
      return FALSE;
    }

  dengon_memo_set_caller (memo, caller_name, company, NULL);
  dengon_memo_set_message (memo, message);
  dengon_memo_set_category (memo, category);
  dengon_memo_set_urgent (memo, g_strcmp0 (urgency, "urgent") == 0);
  if (callback > 0 || callback_number != NULL || callback_by != NULL)
    {
      const char *number = callback_number;

      /* "Please call back" without a number: the number they called from. */
      if (number == NULL)
        {
          JsonObject *call = dengon_json_get_object (memo, "call");

          number = call != NULL ? dengon_json_get_string (call, "number") : NULL;
        }
      dengon_memo_set_callback (memo, callback != 0, number, callback_by);
    }
  else
    dengon_memo_set_callback (memo, FALSE, NULL, NULL);
  dengon_memo_set_script (memo, dengon_script_get_id (self->script), typed);

  if (assignee != NULL && !dengon_memo_assign (memo, by, assignee, NULL, error))
    return FALSE;

  if (escalate != NULL)
    {
      const char *to = strcmp (escalate, "owner") == 0 ? find_owner (self) : escalate;
      g_autofree char *summary = dengon_memo_get_summary (memo);

      /* No owner on the staff list yet: the memo is still urgent and in the inbox. */
      if (to != NULL &&
          !dengon_memo_escalate (memo, by, to, *summary != '\0' ? summary : NULL, NULL, error))
        return FALSE;
    }

  return TRUE;
}
