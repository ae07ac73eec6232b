/* test-script.c: scripts, the script runner and the shipped default scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-script-library.h"
#include "dengon-script-runner.h"
#include "dengon-store.h"

static JsonObject *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) sealed =
      dengon_json_parse_object (json, -1, &DENGON_JSON_LIMITS_DEFAULT, &error);

  g_assert_no_error (error);

  return dengon_memo_copy (sealed);
}

static GPtrArray *
make_staff (void)
{
  GPtrArray *staff = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_ptr_array_add (staff,
                   parse ("{\"_id\":\"staff:yamada\",\"type\":\"staff\",\"name\":\"山田 健\","
                          "\"reading\":\"やまだ けん\",\"extension\":\"201\","
                          "\"role\":\"staff\",\"active\":true}"));
  g_ptr_array_add (staff,
                   parse ("{\"_id\":\"staff:sato\",\"type\":\"staff\",\"name\":\"佐藤 花子\","
                          "\"role\":\"owner\",\"active\":true}"));
  g_ptr_array_add (staff, parse ("{\"_id\":\"staff:kim\",\"type\":\"staff\",\"name\":\"Kim Lee\","
                                 "\"role\":\"field_sales\",\"active\":true}"));

  return staff;
}

static DengonScriptRunner *
make_runner (const char *id)
{
  g_autoptr (DengonScript) script = dengon_script_library_builtin (id);
  g_autoptr (GPtrArray) staff = make_staff ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("+09:00");
  g_autoptr (GDateTime) now = g_date_time_new (tz, 2026, 3, 2, 14, 0, 0);
  DengonScriptRunner *runner;

  g_assert_nonnull (script);
  runner = dengon_script_runner_new (script);
  dengon_script_runner_set_staff (runner, staff);
  dengon_script_runner_set_desk_staff (runner, "staff:kim");
  dengon_script_runner_set_now (runner, now);
  dengon_script_runner_set_placeholder (runner, "office", "伝言商事");
  dengon_script_runner_set_placeholder (runner, "greeting", "お電話ありがとうございます");

  return runner;
}

static const char *
step_id (DengonScriptRunner *runner)
{
  return dengon_script_runner_get_step (runner)->id;
}

static void
next_ok (DengonScriptRunner *runner)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (dengon_script_runner_next (runner, NULL, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ shipped scripts */

static void
test_builtin_all_valid (void)
{
  g_autoptr (GPtrArray) docs = dengon_script_library_builtin_docs ();
  const char *kinds[] = {
    "general", "absent", "sales", "complaint", "order", "followup", "callback"
  };

  g_assert_cmpuint (docs->len, ==, 14);
  for (guint i = 0; i < docs->len; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DengonScript) script =
          dengon_script_new_from_json (g_ptr_array_index (docs, i), &error);

      g_assert_no_error (error);
      g_assert_nonnull (script);
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      for (guint l = 0; l < 2; l++)
        {
          const char *lang = l == 0 ? "ja" : "en";
          g_autofree char *id = g_strdup_printf ("script:%s-%s", kinds[i], lang);
          g_autoptr (DengonScript) script = dengon_script_library_builtin (id);

          g_assert_nonnull (script);
          g_assert_cmpstr (dengon_script_get_language (script), ==, lang);
          /* Each ends with a closing and reads back what it took (the sales refusal reads back
           * nothing: there is nothing to pass on). */
          g_assert_cmpstr (
              dengon_script_get_step (script, dengon_script_get_n_steps (script) - 1)->id, ==,
              strcmp (kinds[i], "general") == 0 ? "complaint" : "closing");
          if (strcmp (kinds[i], "sales") != 0)
            g_assert_cmpint (dengon_script_find_step (script, "readback"), >=, 0);
        }
    }

  {
    g_autoptr (DengonScript) in_ja = dengon_script_library_builtin_default ("ja_JP.UTF-8", "in");
    g_autoptr (DengonScript) out_en = dengon_script_library_builtin_default ("en", "out");

    g_assert_cmpstr (dengon_script_get_id (in_ja), ==, "script:general-ja");
    g_assert_cmpstr (dengon_script_get_id (out_en), ==, "script:followup-en");
    g_assert_cmpstr (dengon_script_get_direction (out_en), ==, "out");
  }
}

/* ------------------------------------------------------------------ malformed scripts */

typedef struct
{
  const char *name;
  const char *json;
  const char *message;
} MalformedCase;

#define HEAD "{\"_id\":\"script:t\",\"type\":\"script\",\"name\":\"T\",\"steps\":["

static const MalformedCase malformed_cases[] = {
  { "no-steps", HEAD "]}", "a script needs at least one step" },
  { "not-script", "{\"_id\":\"script:t\",\"type\":\"memo\",\"name\":\"T\",\"steps\":[]}",
    "\"type\" must be \"script\"" },
  { "bad-id", "{\"_id\":\"memo:t\",\"type\":\"script\",\"name\":\"T\",\"steps\":[]}",
    "\"_id\" must start with \"script:\"" },
  { "step-not-object", HEAD "3]}", "step \"#1\": a step must be an object" },
  { "step-no-title", HEAD "{\"id\":\"a\"}]}", "step \"a\": \"title\" is missing" },
  { "unknown-type",
    HEAD "{\"id\":\"a\",\"title\":\"A\"},{\"id\":\"absent\",\"title\":\"B\",\"fields\":[{\"id\":"
         "\"callback_number\",\"type\":\"phonee\",\"label\":\"N\"}]}]}",
    "step \"absent\", field \"callback_number\": unknown type \"phonee\"" },
  { "field-no-label",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"x\",\"type\":\"text\"}]}]}",
    "step \"a\", field \"x\": \"label\" is missing" },
  { "choice-no-options",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"x\",\"type\":\"choice\",\"label\":"
         "\"X\"}]}]}",
    "step \"a\", field \"x\": a choice needs \"options\"" },
  { "unknown-target",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"x\",\"type\":\"text\",\"label\":"
         "\"X\",\"memo\":\"caller.age\"}]}]}",
    "step \"a\", field \"x\": unknown memo member \"caller.age\"" },
  { "wrong-target-type",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"x\",\"type\":\"text\",\"label\":"
         "\"X\",\"memo\":\"for\"}]}]}",
    "step \"a\", field \"x\": a text field cannot go to \"for\"" },
  { "duplicate-field",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"x\",\"type\":\"text\",\"label\":"
         "\"X\"}]},{\"id\":\"b\",\"title\":\"B\",\"fields\":[{\"id\":\"x\",\"type\":\"text\","
         "\"label\":\"X\"}]}]}",
    "step \"b\", field \"x\": there are two fields with this id" },
  { "duplicate-step", HEAD "{\"id\":\"a\",\"title\":\"A\"},{\"id\":\"a\",\"title\":\"B\"}]}",
    "step \"a\": there are two steps with this id" },
  { "goto-nowhere", HEAD "{\"id\":\"a\",\"title\":\"A\",\"next\":\"b\"}]}",
    "step \"a\": \"next\" goes to a step that is not there: \"b\"" },
  { "rule-unknown-field",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"next\":[{\"if\":\"zz\",\"equals\":\"1\",\"goto\":"
         "\"end\"}]}]}",
    "step \"a\", field \"zz\": \"next\" asks about a field that is not there" },
  { "rule-unknown-option",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"p\",\"type\":\"yes-no\",\"label\":"
         "\"P\"}],\"next\":[{\"if\":\"p\",\"equals\":\"maybe\",\"goto\":\"end\"}]}]}",
    "step \"a\", field \"p\": \"next\" compares with \"maybe\", which is not an option" },
  { "rule-two-conditions",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"p\",\"type\":\"yes-no\",\"label\":"
         "\"P\"}],\"next\":[{\"if\":\"p\",\"equals\":true,\"answered\":true,\"goto\":\"end\"}]}]}",
    "step \"a\": \"next\" entry 1 needs one of \"equals\", \"in\" or \"answered\"" },
  { "unknown-placeholder", HEAD "{\"id\":\"a\",\"title\":\"A\",\"say\":\"{offfice}です\"}]}",
    "step \"a\": \"say\" has an unknown placeholder {offfice}" },
  { "open-brace", HEAD "{\"id\":\"a\",\"title\":\"A\",\"say\":\"{office\"}]}",
    "step \"a\": \"say\" has a \"{\" without \"}\"" },
  { "bad-set", HEAD "{\"id\":\"a\",\"title\":\"A\",\"set\":{\"urgency\":\"now\"}}]}",
    "step \"a\": \"set.urgency\" must be \"urgent\" or \"normal\"" },
  { "bad-yes-no-option",
    HEAD "{\"id\":\"a\",\"title\":\"A\",\"fields\":[{\"id\":\"p\",\"type\":\"yes-no\",\"label\":"
         "\"P\",\"options\":[{\"value\":\"ok\",\"label\":\"OK\"}]}]}]}",
    "step \"a\", field \"p\": a yes-no option must be \"yes\" or \"no\", not \"ok\"" },
  { "step-end-id", HEAD "{\"id\":\"end\",\"title\":\"A\"}]}", "step \"end\": a step id" },
};

static void
test_malformed (gconstpointer data)
{
  const MalformedCase *c = data;
  g_autoptr (JsonObject) doc = parse (c->json);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonScript) script = dengon_script_new_from_json (doc, &error);

  g_assert_null (script);
  g_assert_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, c->message))
    g_error ("expected \"%s\", got \"%s\"", c->message, error->message);
}

/* ------------------------------------------------------------------ runner */

static void
test_runner_branching (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:general-ja");
  g_auto (GStrv) path = NULL;

  g_assert_cmpstr (step_id (runner), ==, "greeting");
  g_assert_false (dengon_script_runner_can_go_back (runner));
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "caller");
  dengon_script_runner_set_answer (runner, "caller_name", "田中");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "purpose");

  /* A sales pitch goes to the refusal... */
  dengon_script_runner_set_answer (runner, "category", "sales");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "sales");

  /* ...back, a person asked for: put through, who is out: take a message. */
  g_assert_true (dengon_script_runner_back (runner));
  dengon_script_runner_set_answer (runner, "category", "message");
  dengon_script_runner_set_answer (runner, "for", "staff:yamada");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "connect");
  dengon_script_runner_set_answer (runner, "present", "no");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "absent");
  dengon_script_runner_set_answer (runner, "callback", "yes");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "callback_number");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "message");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "readback");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "closing");
  g_assert_false (dengon_script_runner_is_finished (runner));
  next_ok (runner);
  g_assert_true (dengon_script_runner_is_finished (runner));

  path = dengon_script_runner_get_path (runner);
  g_assert_cmpstrv (
      path, ((const char *const[]){ "greeting", "caller", "purpose", "connect", "absent",
                                    "callback_number", "message", "readback", "closing", NULL }));

  /* Present: put through, and that is the end. */
  while (g_strcmp0 (step_id (runner), "connect") != 0 || dengon_script_runner_is_finished (runner))
    g_assert_true (dengon_script_runner_back (runner));
  dengon_script_runner_set_answer (runner, "present", "yes");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "connected");
  next_ok (runner);
  g_assert_true (dengon_script_runner_is_finished (runner));
}

static void
test_runner_back_keeps_answers (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-en");
  guint changes = 0;

  g_signal_connect_swapped (runner, "changed", G_CALLBACK (g_atomic_int_inc), &changes);

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "caller_name", "Ann Smith");
  dengon_script_runner_set_answer (runner, "company", "Acme");
  dengon_script_runner_set_answer (runner, "for", "staff:kim");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback", "yes");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback_number", "090-1234-5678");
  g_assert_cmpuint (changes, ==, 8);

  /* Alt+Left twice and forward again: nothing typed is lost. */
  g_assert_true (dengon_script_runner_back (runner));
  g_assert_true (dengon_script_runner_back (runner));
  g_assert_cmpstr (step_id (runner), ==, "caller");
  g_assert_cmpstr (dengon_script_runner_get_answer (runner, "caller_name"), ==, "Ann Smith");
  next_ok (runner);
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "callback_number");
  g_assert_cmpstr (dengon_script_runner_get_answer (runner, "callback_number"), ==,
                   "090-1234-5678");

  /* Setting the same answer again is no change. */
  changes = 0;
  dengon_script_runner_set_answer (runner, "callback_number", "090-1234-5678");
  g_assert_cmpuint (changes, ==, 0);
}

static void
test_runner_validation (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-en");
  const DengonScriptField *bad = NULL;
  g_autoptr (GError) error = NULL;

  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "caller");

  /* Required. */
  g_assert_false (dengon_script_runner_next (runner, &bad, &error));
  g_assert_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Fill in “Caller's name”.");
  g_assert_cmpstr (bad->id, ==, "caller_name");
  g_assert_cmpstr (step_id (runner), ==, "caller");
  g_clear_error (&error);

  /* White space is not an answer. */
  dengon_script_runner_set_answer (runner, "caller_name", " \u3000 ");
  g_assert_false (dengon_script_runner_next (runner, &bad, &error));
  g_assert_cmpstr (bad->id, ==, "caller_name");
  g_clear_error (&error);

  /* A staff field takes a person on the list. */
  dengon_script_runner_set_answer (runner, "caller_name", "Ann");
  dengon_script_runner_set_answer (runner, "for", "staff:nobody");
  g_assert_false (dengon_script_runner_next (runner, &bad, &error));
  g_assert_cmpstr (bad->id, ==, "for");
  g_assert_cmpstr (error->message, ==, "Choose a person for “For”.");
  g_clear_error (&error);
  dengon_script_runner_set_answer (runner, "for", "staff:yamada");
  next_ok (runner);

  /* A yes-no takes yes or no. */
  dengon_script_runner_set_answer (runner, "callback", "perhaps");
  g_assert_false (dengon_script_runner_next (runner, &bad, &error));
  g_assert_cmpstr (bad->id, ==, "callback");
  g_clear_error (&error);
  dengon_script_runner_set_answer (runner, "callback", "yes");
  next_ok (runner);

  /* A phone number has digits. */
  dengon_script_runner_set_answer (runner, "callback_number", "ask reception");
  g_assert_false (dengon_script_runner_next (runner, &bad, &error));
  g_assert_cmpstr (error->message, ==, "“Call-back number” is not a phone number.");
  g_clear_error (&error);
  dengon_script_runner_set_answer (runner, "callback_number", "０９０－１２３４－５６７８");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "message");
}

static void
test_runner_datetime_field (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:order-ja");
  g_autoptr (GError) error = NULL;
  const DengonScriptField *bad = NULL;
  g_autofree char *formatted = NULL;

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "caller_name", "田中");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "topic", "status");
  dengon_script_runner_set_answer (runner, "delivery", "夕方");
  g_assert_false (dengon_script_runner_next (runner, &bad, &error));
  g_assert_cmpstr (bad->id, ==, "delivery");
  g_assert_cmpstr (error->message, ==,
                   "Write “ご希望の納期” as a date and time, such as 3/5 15:00.");
  dengon_script_runner_set_answer (runner, "delivery", "３／５ １５：００");
  next_ok (runner);
  formatted = dengon_script_runner_format_answer (runner, "delivery");
  g_assert_cmpstr (formatted, ==, "3月5日（木）15:00");
}

static void
test_runner_placeholders (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-ja");
  g_autofree char *greeting = NULL;
  g_autofree char *absent = NULL;
  g_autofree char *closing = NULL;
  g_autofree char *company_only = NULL;
  g_autofree char *braces = NULL;

  greeting = dengon_script_runner_get_say_text (runner);
  g_assert_cmpstr (greeting, ==, "お電話ありがとうございます。伝言商事でございます。");

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "caller_name", "田中");
  dengon_script_runner_set_answer (runner, "company", "株式会社ABC");
  dengon_script_runner_set_answer (runner, "for", "staff:yamada");
  next_ok (runner);
  absent = dengon_script_runner_get_say_text (runner);
  g_assert_true (g_str_has_prefix (absent, "株式会社ABCの田中様、いつもお世話になっております。"
                                           "申し訳ございません。あいにく山田はただいま席を"));

  /* The person at the desk says their family name; without one, the fallback. */
  while (g_strcmp0 (step_id (runner), "closing") != 0)
    {
      dengon_script_runner_set_answer (runner, "callback", "no");
      next_ok (runner);
    }
  closing = dengon_script_runner_get_say_text (runner);
  g_assert_nonnull (strstr (closing, "わたくし、Kimが承りました。"));
  dengon_script_runner_set_desk_staff (runner, "staff:sato");
  g_clear_pointer (&closing, g_free);
  closing = dengon_script_runner_get_say_text (runner);
  g_assert_nonnull (strstr (closing, "山田が戻り次第"));
  g_assert_nonnull (strstr (closing, "わたくし、佐藤が承りました。"));
  dengon_script_runner_set_desk_staff (runner, NULL);
  g_clear_pointer (&closing, g_free);
  closing = dengon_script_runner_get_say_text (runner);
  g_assert_nonnull (strstr (closing, "わたくし、受付の者が承りました。"));

  dengon_script_runner_set_answer (runner, "caller_name", NULL);
  company_only = dengon_script_runner_expand (runner, "{caller|お客様}、{{そのまま}}");
  g_assert_cmpstr (company_only, ==, "株式会社ABC様、{そのまま}");
  dengon_script_runner_set_answer (runner, "company", NULL);
  braces = dengon_script_runner_expand (runner, "{caller|お客様}、{number|番号なし}");
  g_assert_cmpstr (braces, ==, "お客様、番号なし");
}

static void
test_greeting (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("+09:00");
  g_autoptr (GDateTime) early = g_date_time_new (tz, 2026, 3, 2, 9, 15, 0);
  g_autoptr (GDateTime) late = g_date_time_new (tz, 2026, 3, 2, 10, 30, 0);
  g_autoptr (JsonObject) office = parse (
      "{\"_id\":\"office:settings\",\"type\":\"office\",\"name\":\"伝言商事\",\"greetings\":"
      "{\"morning\":\"おはようございます\",\"morning_until\":\"09:30\",\"default\":"
      "\"毎度ありがとうございます\"},\"greetings_en\":{\"default\":\"Thanks for calling\"}}");
  struct
  {
    JsonObject *office;
    const char *lang;
    GDateTime *now;
    const char *expected;
  } cases[] = {
    { NULL, "ja", early, "おはようございます" },
    { NULL, "ja", late, "お電話ありがとうございます" },
    { NULL, "en", early, "Good morning" },
    { NULL, "en", late, "Thank you for calling" },
    { office, "ja", early, "おはようございます" },
    { office, "ja", late, "毎度ありがとうございます" },
    { office, "en", late, "Thanks for calling" },
    { office, "en", early, "Good morning" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *greeting =
          dengon_script_greeting (cases[i].office, cases[i].lang, cases[i].now);

      g_assert_cmpstr (greeting, ==, cases[i].expected);
    }
}

static void
test_read_number (void)
{
  struct
  {
    const char *display, *lang, *expected;
  } cases[] = {
    { "03-1234-5678", "ja", "ゼロサンの イチニーサンヨンの ゴーロクナナハチ" },
    { "090-9876-5432", "ja", "ゼロキューゼロの キューハチナナロクの ゴーヨンサンニー" },
    { "0120-123-456", "ja", "ゼロイチニーゼロの イチニーサンの ヨンゴーロク" },
    { "+1 650-253-0000", "ja", "プラス イチの ロクゴーゼロの ニーゴーサンの ゼロゼロゼロゼロ" },
    { "03-1234-5678", "en", "zero three, one two three four, five six seven eight" },
    { "20701", "en", "two zero seven zero one" },
    { "", "ja", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reading = dengon_script_read_number (cases[i].display, cases[i].lang);

      g_assert_cmpstr (reading, ==, cases[i].expected);
    }
}

static void
test_parse_datetime (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("+09:00");
  g_autoptr (GDateTime) now = g_date_time_new (tz, 2026, 12, 20, 14, 5, 0);
  struct
  {
    const char *text;
    const char *expected; /* ISO 8601 in +09:00, NULL: not a time */
  } cases[] = {
    { "2027-03-05 15:00", "2027-03-05T15:00:00+09" },
    { "2027/3/5 9:30", "2027-03-05T09:30:00+09" },
    { "12/24 15:00", "2026-12-24T15:00:00+09" },
    { "3/5 15:00", "2027-03-05T15:00:00+09" }, /* passed this year: next March */
    { "３／５（金）　１５：００", "2027-03-05T15:00:00+09" },
    { "12月24日 15時半", "2026-12-24T15:30:00+09" },
    { "12月24日 午後3時", "2026-12-24T15:00:00+09" },
    { "明日 10時", "2026-12-21T10:00:00+09" },
    { "明後日 10:15", "2026-12-22T10:15:00+09" },
    { "tomorrow 3pm", "2026-12-21T15:00:00+09" },
    { "today 12am", "2026-12-20T00:00:00+09" },
    { "16:45", "2026-12-20T16:45:00+09" },
    { "17時", "2026-12-20T17:00:00+09" },
    { "12/24", "2026-12-24T18:00:00+09" },
    { "明日", "2026-12-21T18:00:00+09" },
    { "2026-12-24T09:00:00+09:00", "2026-12-24T09:00:00+09" },
    { "夕方", NULL },
    { "after lunch", NULL },
    { "15", NULL },
    { "2/30 10:00", NULL },
    { "25:00", NULL },
    { "13pm", NULL },
    { "明日 夕方", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) parsed = dengon_script_parse_datetime (cases[i].text, now);
      g_autofree char *iso = NULL;

      if (parsed != NULL)
        {
          g_autoptr (GDateTime) in_tz = g_date_time_to_timezone (parsed, tz);

          iso = g_date_time_format (in_tz, "%Y-%m-%dT%H:%M:%S%z");
          iso[strlen (iso) - 2] = '\0';
        }
      if (g_strcmp0 (iso, cases[i].expected) != 0)
        g_error ("\"%s\": expected %s, got %s", cases[i].text, cases[i].expected, iso);
    }
}

static void
test_runner_readback (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-ja");
  g_autofree char *say = NULL;

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "company", "株式会社ABC");
  dengon_script_runner_set_answer (runner, "caller_name", "田中");
  dengon_script_runner_set_answer (runner, "for", "staff:yamada");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback", "yes");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback_number", "0312345678");
  dengon_script_runner_set_answer (runner, "best_time", "15時以降");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "message", "見積書の件でお電話ください。");
  next_ok (runner);
  g_assert_cmpstr (step_id (runner), ==, "readback");

  say = dengon_script_runner_get_say_text (runner);
  g_assert_cmpstr (say, ==,
                   "念のため復唱いたします。\n"
                   "・会社名：株式会社ABC\n"
                   "・お名前：田中\n"
                   "・取り次ぎ先：山田 健\n"
                   "・折り返し：折り返しを希望\n"
                   "・折り返し先の電話番号：03-1234-5678（ゼロサンの イチニーサンヨンの "
                   "ゴーロクナナハチ）\n"
                   "・ご都合のよい時間：15時以降\n"
                   "・ご伝言：見積書の件でお電話ください。\n"
                   "以上でよろしいでしょうか。");

  /* No number typed: the number they called from is read back, as it is the one used. */
  dengon_script_runner_set_placeholder (runner, "number", "06-1234-5678");
  dengon_script_runner_set_answer (runner, "callback_number", NULL);
  g_clear_pointer (&say, g_free);
  say = dengon_script_runner_get_readback (runner);
  g_assert_nonnull (strstr (say,
                            "・折り返し先の電話番号：06-1234-5678（ゼロロクの イチニーサンヨンの "
                            "ゴーロクナナハチ）"));

  /* A branch not taken is not read back: no call back, no number. */
  while (g_strcmp0 (step_id (runner), "absent") != 0)
    dengon_script_runner_back (runner);
  dengon_script_runner_set_answer (runner, "callback", "no");
  next_ok (runner);
  next_ok (runner);
  g_clear_pointer (&say, g_free);
  say = dengon_script_runner_get_readback (runner);
  g_assert_null (strstr (say, "03-1234-5678"));
  g_assert_nonnull (strstr (say, "折り返し不要"));
}

static JsonObject *
new_memo_for_call (void)
{
  JsonObject *memo = dengon_memo_new ("staff:kim", NULL);

  dengon_memo_set_call (memo, "in", "sip:0312345678@192.0.2.10", NULL, NULL);

  return memo;
}

static void
test_runner_memo_message (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-ja");
  g_autoptr (JsonObject) memo = new_memo_for_call ();
  g_autoptr (GError) error = NULL;
  JsonObject *callback, *answers;

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "company", " 株式会社ABC ");
  dengon_script_runner_set_answer (runner, "caller_name", "田中");
  dengon_script_runner_set_answer (runner, "for", "staff:yamada");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback", "yes");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "best_time", "15時以降");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "message", "見積書の件");

  g_assert_true (dengon_script_runner_fill_memo (runner, memo, "staff:kim", &error));
  g_assert_no_error (error);
  g_assert_true (dengon_memo_validate (memo, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (memo, "caller"), "name"), ==,
                   "田中");
  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (memo, "caller"), "company"), ==,
                   "株式会社ABC");
  g_assert_cmpstr (dengon_json_get_string (memo, "message"), ==,
                   "見積書の件\nご都合のよい時間：15時以降");
  g_assert_cmpstr (dengon_json_get_string (memo, "category"), ==, "message");
  g_assert_cmpstr (dengon_json_get_string (memo, "urgency"), ==, "normal");
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, "staff:yamada");
  g_assert_cmpint (dengon_memo_get_status (memo), ==, DENGON_MEMO_STATUS_ASSIGNED);

  /* Call back requested without a number: the number they called from. */
  callback = dengon_json_get_object (memo, "callback");
  g_assert_true (dengon_json_get_boolean (callback, "requested", FALSE));
  g_assert_cmpstr (dengon_json_get_string (callback, "number"), ==, "+81312345678");

  answers = dengon_json_get_object (dengon_json_get_object (memo, "script"), "answers");
  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (memo, "script"), "id"), ==,
                   "script:absent-ja");
  g_assert_true (dengon_json_get_boolean (answers, "callback", FALSE));
  g_assert_cmpstr (dengon_json_get_string (answers, "for"), ==, "staff:yamada");
}

static void
test_runner_memo_complaint (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:complaint-en");
  g_autoptr (JsonObject) memo = new_memo_for_call ();
  g_autoptr (GError) error = NULL;
  JsonArray *history;
  JsonObject *last;

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "complaint", "The parcel arrived broken.");
  next_ok (runner);
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "caller_name", "Ann Smith");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback_number", "090-1234-5678");

  g_assert_true (dengon_script_runner_fill_memo (runner, memo, "staff:kim", &error));
  g_assert_no_error (error);
  g_assert_true (dengon_memo_validate (memo, &error));
  g_assert_cmpstr (dengon_json_get_string (memo, "category"), ==, "complaint");
  g_assert_cmpstr (dengon_json_get_string (memo, "urgency"), ==, "urgent");
  g_assert_cmpstr (dengon_json_get_string (memo, "message"), ==, "The parcel arrived broken.");
  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (memo, "callback"), "number"), ==,
                   "+819012345678");

  /* Escalated to the owner. */
  history = dengon_json_get_array (memo, "history");
  last = json_array_get_object_element (history, json_array_get_length (history) - 1);
  g_assert_cmpstr (dengon_json_get_string (last, "action"), ==, "escalate");
  g_assert_cmpstr (dengon_json_get_string (last, "to"), ==, "staff:sato");
  g_assert_cmpstr (dengon_json_get_string (last, "note"), ==, "The parcel arrived broken.");
}

static void
test_runner_memo_sales (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:general-ja");
  g_autoptr (JsonObject) memo = new_memo_for_call ();
  g_autoptr (GError) error = NULL;

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "caller_name", "鈴木");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "category", "sales");
  /* Typed, then the branch changed: the staff choice is not on the sales path. */
  dengon_script_runner_set_answer (runner, "for", "staff:yamada");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "sales_topic", "複合機のリース");
  next_ok (runner);
  g_assert_true (dengon_script_runner_is_finished (runner));

  g_assert_true (dengon_script_runner_fill_memo (runner, memo, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (memo, "category"), ==, "sales");
  g_assert_cmpstr (dengon_json_get_string (memo, "message"), ==,
                   "営業電話（お断り済み）\n営業の内容：複合機のリース");
  /* The person was asked for, so the memo is theirs; sales memos are filtered by category. */
  g_assert_cmpstr (dengon_memo_get_for (memo), ==, "staff:yamada");
}

static void
test_runner_memo_invalid_answer (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-en");
  g_autoptr (JsonObject) memo = new_memo_for_call ();
  g_autoptr (GError) error = NULL;

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "caller_name", "Ann");
  dengon_script_runner_set_answer (runner, "for", "staff:yamada");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback", "yes");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback_number", "no digits");

  /* Saving mid-call is fine (the caller hung up), but not with a wrong answer. */
  g_assert_false (dengon_script_runner_fill_memo (runner, memo, NULL, &error));
  g_assert_error (error, DENGON_SCRIPT_ERROR, DENGON_SCRIPT_ERROR_INVALID);
}

static void
test_runner_state (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-en");
  g_autoptr (DengonScriptRunner) again = make_runner ("script:absent-en");
  g_autoptr (JsonObject) state = NULL;
  g_autoptr (JsonObject) state2 = NULL;
  g_autofree char *text = NULL;

  next_ok (runner);
  dengon_script_runner_set_answer (runner, "caller_name", "Ann");
  dengon_script_runner_set_answer (runner, "for", "staff:kim");
  next_ok (runner);
  dengon_script_runner_set_answer (runner, "callback", "no");

  state = dengon_script_runner_save_state (runner);
  text = dengon_json_object_to_string (state);
  dengon_script_runner_restore_state (again, state);
  g_assert_cmpstr (step_id (again), ==, "absent");
  g_assert_cmpuint (dengon_script_runner_get_depth (again), ==, 3);
  g_assert_cmpstr (dengon_script_runner_get_answer (again, "callback"), ==, "no");
  state2 = dengon_script_runner_save_state (again);
  g_assert_true (dengon_json_object_equal (state, state2));

  /* A draft from an older version of the script: unknown steps and fields are dropped. */
  {
    g_autoptr (DengonScriptRunner) third = make_runner ("script:absent-en");
    g_autoptr (JsonObject) old =
        parse ("{\"answers\":{\"caller_name\":\"Bo\",\"gone\":\"x\"},\"path\":[\"greeting\","
               "\"caller\",\"removed\",\"absent\"]}");

    dengon_script_runner_restore_state (third, old);
    g_assert_cmpstr (step_id (third), ==, "caller");
    g_assert_cmpstr (dengon_script_runner_get_answer (third, "caller_name"), ==, "Bo");
  }
}

static void
test_runner_quick (void)
{
  g_autoptr (DengonScriptRunner) runner = make_runner ("script:absent-en");
  g_autoptr (JsonObject) memo = new_memo_for_call ();
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GError) error = NULL;
  const DengonScriptField *bad = NULL;

  dengon_script_runner_set_quick (runner, TRUE);
  fields = dengon_script_runner_get_active_fields (runner);
  g_assert_cmpuint (fields->len, ==, 7);

  /* One form: every required field is checked at once. */
  g_assert_false (dengon_script_runner_next (runner, &bad, &error));
  g_assert_cmpstr (bad->id, ==, "caller_name");
  g_clear_error (&error);

  dengon_script_runner_set_answer (runner, "caller_name", "Ann");
  dengon_script_runner_set_answer (runner, "for", "staff:kim");
  dengon_script_runner_set_answer (runner, "callback", "no");
  dengon_script_runner_set_answer (runner, "message", "Call about the invoice");
  next_ok (runner);
  g_assert_true (dengon_script_runner_is_finished (runner));

  g_assert_true (dengon_script_runner_fill_memo (runner, memo, "staff:kim", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (memo, "message"), ==, "Call about the invoice");
  g_assert_false (
      dengon_json_get_boolean (dengon_json_get_object (memo, "callback"), "requested", TRUE));
}

/* ------------------------------------------------------------------ the store */

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_import_defaults (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dengon-script-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = dengon_store_open (path, &error);
  g_autoptr (GPtrArray) scripts = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (JsonObject) sales = NULL;
  g_autoptr (JsonObject) general = NULL;
  g_autofree char *rev = NULL;
  guint n = 99;

  g_assert_no_error (error);
  g_assert_true (dengon_script_library_import_defaults (store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 14);
  g_assert_true (dengon_script_library_import_defaults (store, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* The office deletes one and edits another: the next start keeps both choices. */
  sales = dengon_store_get (store, "script:sales-en", &error);
  g_free (dengon_store_delete (store, "script:sales-en", dengon_json_get_string (sales, "_rev"),
                               &error));
  g_assert_no_error (error);
  {
    g_autoptr (JsonObject) stored = dengon_store_get (store, "script:general-en", &error);

    general = dengon_memo_copy (stored);
  }
  json_object_set_string_member (general, "name", "Our way");
  rev = dengon_store_put (store, general, &error);
  g_assert_no_error (error);
  g_assert_true (dengon_script_library_import_defaults (store, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* A broken script: it is reported by name, step and field, and never chosen. */
  {
    g_autoptr (JsonObject) stored = dengon_store_get (store, "script:general-ja", &error);
    g_autoptr (JsonObject) broken = dengon_memo_copy (stored);
    JsonArray *steps = dengon_json_get_array (broken, "steps");
    JsonObject *caller = json_array_get_object_element (steps, 1);
    JsonObject *field = json_array_get_object_element (dengon_json_get_array (caller, "fields"), 1);
    g_autofree char *broken_rev = NULL;

    json_object_set_string_member (field, "type", "name");
    broken_rev = dengon_store_put (store, broken, &error);
    g_assert_no_error (error);
  }

  g_assert_true (dengon_script_library_load (store, &scripts, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scripts->len, ==, 12);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "script:general-ja: step \"caller\", field \"caller_name\": unknown type "
                   "\"name\"");

  {
    g_autoptr (DengonScript) ja = dengon_script_library_pick (scripts, NULL, "ja", "in");
    g_autoptr (DengonScript) en = dengon_script_library_pick (scripts, NULL, "en", "in");
    g_autoptr (DengonScript) wanted =
        dengon_script_library_pick (scripts, "script:order-ja", "en", "in");
    g_autoptr (DengonScript) gone =
        dengon_script_library_pick (scripts, "script:sales-en", "en", "in");

    /* The broken default falls back to the shipped one: never a blank panel. */
    g_assert_cmpstr (dengon_script_get_id (ja), ==, "script:general-ja");
    g_assert_cmpint (dengon_script_find_step (ja, "caller"), ==, 1);
    g_assert_cmpstr (dengon_script_get_name (en), ==, "Our way");
    g_assert_cmpstr (dengon_script_get_id (wanted), ==, "script:order-ja");
    g_assert_cmpstr (dengon_script_get_id (gone), ==, "script:general-en");
  }

  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dengon/script/builtin/all-valid", test_builtin_all_valid);
  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/dengon/script/malformed/%s", malformed_cases[i].name);

      g_test_add_data_func (path, &malformed_cases[i], test_malformed);
    }
  g_test_add_func ("/dengon/script/runner/branching", test_runner_branching);
  g_test_add_func ("/dengon/script/runner/back-keeps-answers", test_runner_back_keeps_answers);
  g_test_add_func ("/dengon/script/runner/validation", test_runner_validation);
  g_test_add_func ("/dengon/script/runner/datetime-field", test_runner_datetime_field);
  g_test_add_func ("/dengon/script/runner/placeholders", test_runner_placeholders);
  g_test_add_func ("/dengon/script/runner/readback", test_runner_readback);
  g_test_add_func ("/dengon/script/runner/memo/message", test_runner_memo_message);
  g_test_add_func ("/dengon/script/runner/memo/complaint", test_runner_memo_complaint);
  g_test_add_func ("/dengon/script/runner/memo/sales", test_runner_memo_sales);
  g_test_add_func ("/dengon/script/runner/memo/invalid-answer", test_runner_memo_invalid_answer);
  g_test_add_func ("/dengon/script/runner/state", test_runner_state);
  g_test_add_func ("/dengon/script/runner/quick", test_runner_quick);
  g_test_add_func ("/dengon/script/greeting", test_greeting);
  g_test_add_func ("/dengon/script/read-number", test_read_number);
  g_test_add_func ("/dengon/script/parse-datetime", test_parse_datetime);
  g_test_add_func ("/dengon/script/library/import-defaults", test_import_defaults);

  return g_test_run ();
}
