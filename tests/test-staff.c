/* test-staff.c: people, "who is at this desk" and the duty roster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dengon-json.h"
#include "dengon-roster.h"
#include "dengon-staff-edit.h"
#include "dengon-staff.h"
#include "dengon-store.h"

static JsonObject *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonObject *object = dengon_json_parse_object (json, -1, NULL, &error);

  g_assert_no_error (error);
  return object;
}

static void
test_ids (void)
{
  static const char *cases[][2] = {
    { "ken", "staff:ken" }, { "Ken.Yamada", "staff:ken.yamada" },
    { "山田", NULL },       { "a b/c", "staff:abc" },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = dengon_staff_id_for_login (cases[i][0]);

      g_assert_cmpstr (id, ==, cases[i][1]);
    }
}

static void
test_validate (void)
{
  static const char *invalid[][2] = {
    { "{\"_id\":\"ken\",\"type\":\"staff\",\"name\":\"健\"}", "_id" },
    { "{\"_id\":\"staff:ken\",\"type\":\"memo\",\"name\":\"健\"}", "type" },
    { "{\"_id\":\"staff:ken\",\"type\":\"staff\",\"name\":\"\"}", "name" },
    { "{\"_id\":\"staff:ken\",\"type\":\"staff\",\"name\":\"健\",\"role\":\"boss\"}", "role" },
    { "{\"_id\":\"staff:ken\",\"type\":\"staff\",\"name\":\"健\",\"extension\":"
      "\"123456789012345678901\"}",
      "extension" },
  };
  g_autoptr (JsonObject) good =
      dengon_staff_new ("staff:ken", "山田 健", "やまだ けん", "201", DENGON_STAFF_ROLE_OWNER);
  g_autoptr (JsonObject) me = dengon_staff_new_for_this_user ();

  g_assert_true (dengon_staff_validate (good, NULL));
  g_assert_true (dengon_staff_validate (me, NULL));
  g_assert_cmpstr (dengon_json_get_string (me, "role"), ==, "owner");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr (JsonObject) doc = parse (invalid[i][0]);
      g_autoptr (GError) error = NULL;

      g_assert_false (dengon_staff_validate (doc, &error));
      g_assert_error (error, DENGON_STAFF_ERROR, DENGON_STAFF_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, invalid[i][1]));
    }
}

/* Monday 2026-11-23. */
static GDateTime *
at (int day, int hour, int minute)
{
  return g_date_time_new_local (2026, 11, 23 + day, hour, minute, 0);
}

static const char roster[] =
    "{\"_id\":\"office:duty\",\"type\":\"duty\",\"manual\":null,\"schedule\":["
    "{\"days\":[1,2,3,4,5],\"from\":\"09:00\",\"to\":\"12:00\",\"staff\":\"staff:aya\"},"
    "{\"days\":[1,2,3,4,5],\"from\":\"12:00\",\"to\":\"18:00\",\"staff\":\"staff:ken\"},"
    "{\"days\":[6],\"from\":\"10:00\",\"to\":\"15:00\",\"staff\":\"staff:rin\"}]}";

static void
test_duty_schedule (void)
{
  static const struct
  {
    int day, hour, minute;
    const char *who;
  } cases[] = {
    { 0, 8, 59, NULL },        { 0, 9, 0, "staff:aya" },   { 0, 11, 59, "staff:aya" },
    { 0, 12, 0, "staff:ken" }, { 0, 17, 59, "staff:ken" }, { 0, 18, 0, NULL },
    { 5, 10, 0, "staff:rin" }, { 6, 10, 0, NULL },         { 4, 13, 30, "staff:ken" },
  };
  g_autoptr (JsonObject) duty = parse (roster);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) now = at (cases[i].day, cases[i].hour, cases[i].minute);

      g_assert_cmpstr (dengon_duty_who (duty, now), ==, cases[i].who);
    }
}

static void
test_duty_manual (void)
{
  g_autoptr (JsonObject) duty = parse (roster);
  g_autoptr (GDateTime) morning = at (0, 9, 30);
  g_autoptr (GDateTime) evening = at (0, 20, 0);
  g_autoptr (GDateTime) next_morning = at (1, 9, 30);
  g_autoptr (JsonObject) taken = dengon_duty_take (duty, "staff:ken", morning);
  g_autoptr (JsonObject) released = NULL;

  /* "I'm on the phone" beats the roster, for the rest of the day only. */
  g_assert_cmpstr (dengon_duty_who (taken, morning), ==, "staff:ken");
  g_assert_cmpstr (dengon_duty_who (taken, evening), ==, "staff:ken");
  g_assert_cmpstr (dengon_duty_who (taken, next_morning), ==, "staff:aya");
  g_assert_cmpuint (json_array_get_length (dengon_json_get_array (taken, "schedule")), ==, 3);

  released = dengon_duty_release (taken);
  g_assert_cmpstr (dengon_duty_who (released, morning), ==, "staff:aya");
  g_assert_null (dengon_duty_who (NULL, morning));
}

static GDateTime *fake_now_value;

static GDateTime *
fake_now (void)
{
  return g_date_time_ref (fake_now_value);
}

static gboolean
has_items (DengonStaffModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (model)) == 3;
}

static void
test_model (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dengon-staff-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (DengonStore) store = dengon_store_open (path, NULL);
  g_autoptr (DengonStaffModel) model = NULL;
  g_autoptr (JsonObject) duty = parse (roster);
  g_autoptr (DengonStaffItem) first = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  const char *people[][3] = { { "staff:aya", "佐藤 綾", "さとう あや" },
                              { "staff:ken", "山田 健", "やまだ けん" },
                              { "staff:rin", "伊藤 凛", "いとう りん" } };

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr (JsonObject) doc = dengon_staff_new (people[i][0], people[i][1], people[i][2], NULL,
                                                     DENGON_STAFF_ROLE_STAFF);

      g_free (dengon_store_put (store, doc, NULL));
    }
  g_free (dengon_store_put (store, duty, NULL));

  fake_now_value = at (0, 13, 0);
  model = dengon_staff_model_new (store);
  while (!has_items (model))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  dengon_staff_model_set_clock (model, fake_now);

  /* Ken is on duty at 13:00 and comes first; then by reading: いとう, さとう. */
  g_assert_cmpstr (dengon_staff_model_get_on_duty (model), ==, "staff:ken");
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (dengon_staff_item_get_id (first), ==, "staff:ken");
  g_assert_true (dengon_staff_item_get_on_duty (first));
  {
    g_autoptr (DengonStaffItem) second = g_list_model_get_item (G_LIST_MODEL (model), 1);

    g_assert_cmpstr (dengon_staff_item_get_id (second), ==, "staff:rin");
  }
  g_assert_cmpstr (dengon_staff_model_get_name (model, "staff:aya"), ==, "佐藤 綾");
  g_assert_cmpstr (dengon_staff_model_get_name (model, "staff:nobody"), ==, "nobody");

  /* The morning: Aya. */
  g_date_time_unref (fake_now_value);
  fake_now_value = at (0, 10, 0);
  dengon_staff_model_refresh_duty (model);
  g_assert_cmpstr (dengon_staff_model_get_on_duty (model), ==, "staff:aya");

  g_clear_object (&model);
  g_date_time_unref (fake_now_value);
  while (g_atomic_int_get (&G_OBJECT (store)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&store));
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

/* ------------------------------------------------------------------ roster slots */

static void
test_roster_parse_time (void)
{
  static const struct
  {
    const char *text;
    int minutes;
  } cases[] = {
    { "09:00", 540 },   { "9:00", 540 },       { "0900", 540 },  { "900", 540 },
    { "9", 540 },       { "17:30", 1050 },     { "00:00", 0 },   { "24:00", 1440 },
    { " 12:15 ", 735 }, { "０９：３０", 570 }, { "24:01", -1 },  { "25:00", -1 },
    { "12:60", -1 },    { "12:5", -1 },        { "123:00", -1 }, { "", -1 },
    { ":30", -1 },      { "12:00pm", -1 },     { "12345", -1 },  { NULL, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text ? cases[i].text : "(null)");
      g_assert_cmpint (dengon_roster_parse_time (cases[i].text), ==, cases[i].minutes);
    }

  for (int m = 0; m <= DENGON_ROSTER_END_OF_DAY; m += 15)
    {
      g_autofree char *text = dengon_roster_format_time (m);

      g_assert_cmpint (dengon_roster_parse_time (text), ==, m);
    }
}

static void
test_roster_format (void)
{
  static const struct
  {
    guint days;
    const char *text;
  } cases[] = {
    { DENGON_ROSTER_WEEKDAYS, "Mon–Fri" },   { DENGON_ROSTER_ALL_DAYS, "Every day" },
    { 0x01 | 0x04 | 0x10, "Mon, Wed, Fri" }, { 0x60, "Sat, Sun" },
    { 0x07 | 0x20, "Mon–Wed, Sat" },         { 0x40, "Sun" },
    { 0x03 | 0x78, "Mon, Tue, Thu–Sun" },    { 0, "" },
  };
  g_autoptr (JsonObject) slot = parse ("{\"days\":[1,2,3,4,5],\"from\":\"09:00\",\"to\":\"12:00\","
                                       "\"staff\":\"staff:aya\"}");
  g_autoptr (JsonObject) broken = parse ("{\"days\":[0,8,\"x\",6],\"from\":\"nine\"}");
  g_autofree char *text = dengon_roster_slot_format (slot);
  g_autofree char *broken_text = dengon_roster_slot_format (broken);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *days = dengon_roster_format_days (cases[i].days);

      g_assert_cmpstr (days, ==, cases[i].text);
    }

  g_assert_cmpstr (text, ==, "Mon–Fri, 09:00–12:00");
  /* What another version may have written is shown, not trusted. */
  g_assert_cmpstr (broken_text, ==, "Sat, ?–?");
  g_assert_cmpstr (dengon_roster_day_name (1, FALSE), ==, "Monday");
  g_assert_cmpstr (dengon_roster_day_name (7, TRUE), ==, "Sun");
}

static void
test_roster_slot_new (void)
{
  static const struct
  {
    guint days;
    int from, to;
    const char *staff;
    int code;
  } bad[] = {
    { 0, 540, 720, "staff:aya", DENGON_ROSTER_ERROR_NO_DAYS },
    { 1, -1, 720, "staff:aya", DENGON_ROSTER_ERROR_BAD_TIME },
    { 1, 540, 1441, "staff:aya", DENGON_ROSTER_ERROR_BAD_TIME },
    { 1, 1440, 1440, "staff:aya", DENGON_ROSTER_ERROR_BAD_TIME },
    { 1, 720, 720, "staff:aya", DENGON_ROSTER_ERROR_END_BEFORE_START },
    { 1, 720, 540, "staff:aya", DENGON_ROSTER_ERROR_END_BEFORE_START },
    { 1, 540, 720, NULL, DENGON_ROSTER_ERROR_NO_STAFF },
    { 1, 540, 720, "aya", DENGON_ROSTER_ERROR_NO_STAFF },
  };
  g_autoptr (JsonObject) slot =
      dengon_roster_slot_new (DENGON_ROSTER_WEEKDAYS, 540, 1440, "staff:aya", NULL);
  g_autofree char *json = dengon_json_canonical_object (slot);
  g_autoptr (JsonObject) duty = NULL;
  g_autoptr (GDateTime) late = at (4, 23, 59);

  g_assert_cmpstr (json, ==,
                   "{\"days\":[1,2,3,4,5],\"from\":\"09:00\",\"staff\":\"staff:aya\","
                   "\"to\":\"24:00\"}");

  /* dengon_duty_who reads what we write, up to the last minute of the day. */
  duty = dengon_roster_insert_slot (NULL, -1, slot);
  g_assert_cmpstr (dengon_duty_who (duty, late), ==, "staff:aya");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) none =
          dengon_roster_slot_new (bad[i].days, bad[i].from, bad[i].to, bad[i].staff, &error);

      g_assert_null (none);
      g_assert_error (error, DENGON_ROSTER_ERROR, bad[i].code);
    }
}

static void
test_roster_overlap (void)
{
  g_autoptr (JsonObject) duty =
      parse ("{\"schedule\":["
             "{\"days\":[1,2,3,4,5],\"from\":\"09:00\",\"to\":\"12:00\",\"staff\":\"staff:aya\"},"
             "{\"days\":[1,2,3,4,5],\"from\":\"12:00\",\"to\":\"18:00\",\"staff\":\"staff:ken\"},"
             "{\"days\":[3],\"from\":\"11:00\",\"to\":\"13:00\",\"staff\":\"staff:rin\"},"
             "{\"days\":[6,7],\"from\":\"09:00\",\"to\":\"18:00\",\"staff\":\"staff:rin\"},"
             "{\"days\":[6],\"from\":\"18:00\",\"to\":\"20:00\",\"staff\":\"staff:ken\"}]}");
  JsonArray *schedule = dengon_json_get_array (duty, "schedule");

  /* Touching is not overlapping; Wednesday 11–13 meets both weekday slots,
   * the earlier one first. */
  g_assert_cmpint (dengon_roster_find_overlap (schedule, 0), ==, 2);
  g_assert_cmpint (dengon_roster_find_overlap (schedule, 1), ==, 2);
  g_assert_cmpint (dengon_roster_find_overlap (schedule, 2), ==, 0);
  g_assert_cmpint (dengon_roster_find_overlap (schedule, 3), ==, -1);
  g_assert_cmpint (dengon_roster_find_overlap (schedule, 4), ==, -1);

  /* Wednesday 11–13 is covered by the two weekday slots above it: it never
   * applies.  The others do, at least somewhere. */
  for (guint i = 0; i < json_array_get_length (schedule); i++)
    g_assert_cmpint (dengon_roster_slot_is_shadowed (schedule, i), ==, i == 2);
}

static void
test_roster_shadowed (void)
{
  static const struct
  {
    const char *schedule;
    gboolean last_shadowed;
  } cases[] = {
    /* Covered on one day but not the other. */
    { "[{\"days\":[1],\"from\":\"09:00\",\"to\":\"18:00\"},"
      "{\"days\":[1,2],\"from\":\"10:00\",\"to\":\"11:00\"}]",
      FALSE },
    { "[{\"days\":[1],\"from\":\"09:00\",\"to\":\"18:00\"},"
      "{\"days\":[2],\"from\":\"09:00\",\"to\":\"18:00\"},"
      "{\"days\":[1,2],\"from\":\"10:00\",\"to\":\"11:00\"}]",
      TRUE },
    /* A gap of one minute is enough to count. */
    { "[{\"days\":[3],\"from\":\"09:00\",\"to\":\"10:00\"},"
      "{\"days\":[3],\"from\":\"10:01\",\"to\":\"12:00\"},"
      "{\"days\":[3],\"from\":\"09:30\",\"to\":\"11:00\"}]",
      FALSE },
    { "[{\"days\":[7],\"from\":\"00:00\",\"to\":\"24:00\"},"
      "{\"days\":[7],\"from\":\"23:00\",\"to\":\"24:00\"}]",
      TRUE },
    /* The first slot, and broken ones, are never shadowed. */
    { "[{\"days\":[1],\"from\":\"09:00\",\"to\":\"10:00\"}]", FALSE },
    { "[{\"days\":[1],\"from\":\"09:00\",\"to\":\"10:00\"},{\"days\":[1]}]", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = json_from_string (cases[i].schedule, NULL);
      JsonArray *schedule = json_node_get_array (node);

      g_assert_cmpint (
          dengon_roster_slot_is_shadowed (schedule, json_array_get_length (schedule) - 1), ==,
          cases[i].last_shadowed);
    }
}

static void
test_roster_insert_remove (void)
{
  g_autoptr (JsonObject) duty = parse (roster);
  g_autoptr (GDateTime) morning = at (0, 9, 30);
  g_autoptr (JsonObject) taken = dengon_duty_take (duty, "staff:rin", morning);
  g_autoptr (JsonObject) slot =
      parse ("{\"days\":[1],\"from\":\"08:00\",\"to\":\"09:30\",\"staff\":\"staff:rin\"}");
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (JsonObject) last = NULL;
  g_autoptr (JsonObject) removed = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) from_nothing = NULL;
  JsonArray *schedule;
  int position = 99;

  json_object_set_string_member (taken, "_rev", "3-abc");
  first = dengon_roster_insert_slot (taken, 0, slot);
  last = dengon_roster_insert_slot (taken, -1, slot);

  /* The manual turn, the revision and the other slots are kept. */
  g_assert_true (dengon_json_object_equal (dengon_json_get_object (first, "manual"),
                                           dengon_json_get_object (taken, "manual")));
  g_assert_cmpstr (dengon_json_get_string (first, "_rev"), ==, "3-abc");
  schedule = dengon_json_get_array (first, "schedule");
  g_assert_cmpuint (json_array_get_length (schedule), ==, 4);
  g_assert_true (dengon_json_object_equal (json_array_get_object_element (schedule, 0), slot));
  g_assert_cmpstr (dengon_json_get_string (json_array_get_object_element (schedule, 1), "staff"),
                   ==, "staff:aya");
  schedule = dengon_json_get_array (last, "schedule");
  g_assert_true (dengon_json_object_equal (json_array_get_object_element (schedule, 3), slot));
  /* The original is untouched. */
  g_assert_cmpuint (json_array_get_length (dengon_json_get_array (taken, "schedule")), ==, 3);

  removed = dengon_roster_remove_slot (first, slot, &position);
  g_assert_cmpint (position, ==, 0);
  g_assert_true (dengon_json_object_equal (removed, taken));
  again = dengon_roster_remove_slot (removed, slot, &position);
  g_assert_cmpint (position, ==, -1);
  g_assert_true (dengon_json_object_equal (again, taken));

  from_nothing = dengon_roster_insert_slot (NULL, 5, slot);
  g_assert_cmpstr (dengon_json_get_string (from_nothing, "_id"), ==, DENGON_DUTY_ID);
  g_assert_cmpstr (dengon_json_get_string (from_nothing, "type"), ==, "duty");
  g_assert_true (json_object_has_member (from_nothing, "manual"));
  g_assert_cmpuint (json_array_get_length (dengon_json_get_array (from_nothing, "schedule")), ==,
                    1);
}

/* ------------------------------------------------------------------ saving */

typedef struct
{
  char *dir;
  char *path;
  DengonStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("dengon-staff-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

typedef struct
{
  DengonStore *store;
  guint first_day_minute;
} Adder;

static gpointer
add_slots (gpointer data)
{
  Adder *adder = data;

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (GError) error = NULL;
      int from = adder->first_day_minute + i * 15;
      g_autoptr (JsonObject) slot = dengon_roster_slot_new (1, from, from + 15, "staff:aya", NULL);
      g_autoptr (JsonObject) saved =
          dengon_roster_edit_sync (adder->store, DENGON_ROSTER_EDIT_INSERT, slot, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (saved);
    }

  return NULL;
}

/* Two desks add slots at once: each re-reads the other's and none is lost;
 * a manual turn taken meanwhile stays.  (Eight saves by the other desk
 * cannot make one desk fail ten times in a row.) */
static void
test_roster_save (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (JsonObject) taken = dengon_duty_take (NULL, "staff:ken", now);
  g_autoptr (JsonObject) stored = NULL;
  g_autoptr (JsonObject) saved = NULL;
  g_autoptr (JsonObject) first = NULL;
  g_autoptr (GError) error = NULL;
  Adder adders[2] = { { f->store, 0 }, { f->store, 600 } };
  GThread *threads[2];
  g_autofree char *rev = dengon_store_put (f->store, taken, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("desk", add_slots, &adders[i]);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  stored = dengon_store_get (f->store, DENGON_DUTY_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (dengon_json_get_array (stored, "schedule")), ==, 16);
  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (stored, "manual"), "staff"), ==,
                   "staff:ken");

  /* Removing what a colleague removed already is no error. */
  first = dengon_json_object_copy (
      json_array_get_object_element (dengon_json_get_array (stored, "schedule"), 0));
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&saved, json_object_unref);
      saved = dengon_roster_edit_sync (f->store, DENGON_ROSTER_EDIT_REMOVE, first, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (dengon_json_get_array (saved, "schedule")), ==, 15);
    }
}

static void
test_roster_save_first (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) slot =
      dengon_roster_slot_new (DENGON_ROSTER_WEEKDAYS, 540, 720, "staff:aya", NULL);
  g_autoptr (JsonObject) saved = NULL;
  g_autoptr (JsonObject) stored = NULL;
  g_autoptr (GError) error = NULL;

  saved = dengon_roster_edit_sync (f->store, DENGON_ROSTER_EDIT_INSERT, slot, 0, &error);
  g_assert_no_error (error);
  stored = dengon_store_get (f->store, DENGON_DUTY_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (stored, "_rev"), ==,
                   dengon_json_get_string (saved, "_rev"));
  g_assert_true (json_object_has_member (stored, "manual"));
  g_assert_true (dengon_json_object_equal (
      json_array_get_object_element (dengon_json_get_array (stored, "schedule"), 0), slot));
}

static void
on_edit_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  JsonObject **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = dengon_roster_edit_finish (DENGON_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_roster_save_async (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) slot = dengon_roster_slot_new (0x60, 600, 900, "staff:rin", NULL);
  g_autoptr (JsonObject) saved = NULL;

  dengon_roster_edit_async (f->store, DENGON_ROSTER_EDIT_INSERT, slot, -1, NULL, on_edit_done,
                            &saved);
  while (saved == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (json_array_get_length (dengon_json_get_array (saved, "schedule")), ==, 1);
}

/* ------------------------------------------------------------------ people */

static void
test_edit_merge (void)
{
  g_autoptr (JsonObject) original =
      parse ("{\"_id\":\"staff:ken\",\"_rev\":\"1-a\",\"type\":\"staff\",\"name\":\"山田 健\","
             "\"extension\":\"202\",\"role\":\"staff\",\"active\":true,\"future\":1}");
  g_autoptr (JsonObject) current =
      parse ("{\"_id\":\"staff:ken\",\"_rev\":\"2-b\",\"type\":\"staff\",\"name\":\"山田 健\","
             "\"extension\":\"210\",\"role\":\"staff\",\"active\":true,\"future\":2}");
  g_autoptr (JsonObject) edited =
      parse ("{\"_id\":\"staff:ken\",\"type\":\"staff\",\"name\":\"山田 健\",\"reading\":null,"
             "\"extension\":\"202\",\"role\":\"owner\",\"active\":false}");
  g_autoptr (JsonObject) merged = dengon_staff_edit_merge (current, original, edited);
  g_autofree char *json = dengon_json_canonical_object (merged);

  /* Ours: role and active; the colleague's: extension; nobody's: reading
   * (missing and null alike); unknown members as stored now. */
  g_assert_cmpstr (json, ==,
                   "{\"_id\":\"staff:ken\",\"_rev\":\"2-b\",\"active\":false,\"extension\":\"210\","
                   "\"future\":2,\"name\":\"山田 健\",\"role\":\"owner\",\"type\":\"staff\"}");
}

static void
test_edit_save (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) ken =
      dengon_staff_new ("staff:ken", "山田 健", "やまだ けん", "202", DENGON_STAFF_ROLE_STAFF);
  g_autoptr (JsonObject) twin =
      dengon_staff_new ("staff:ken", "山田 健二", NULL, NULL, DENGON_STAFF_ROLE_STAFF);
  g_autoptr (JsonObject) nameless =
      dengon_staff_new ("staff:nameless", "", NULL, NULL, DENGON_STAFF_ROLE_STAFF);
  g_autoptr (JsonObject) saved = NULL;
  g_autoptr (JsonObject) colleague = NULL;
  g_autoptr (JsonObject) edited = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) stored = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = NULL;

  saved = dengon_staff_edit_save_sync (f->store, NULL, ken, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dengon_json_get_string (saved, "_rev"));

  /* The same short ID again is refused, not overwritten. */
  g_assert_null (dengon_staff_edit_save_sync (f->store, NULL, twin, &error));
  g_assert_error (error, DENGON_STAFF_ERROR, DENGON_STAFF_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (dengon_staff_edit_save_sync (f->store, NULL, nameless, &error));
  g_assert_error (error, DENGON_STAFF_ERROR, DENGON_STAFF_ERROR_INVALID);
  g_clear_error (&error);

  /* A colleague changes the extension while this desk deactivates Ken. */
  colleague = dengon_staff_edit_merge (saved, NULL, saved);
  json_object_set_string_member (colleague, "extension", "299");
  rev = dengon_store_put (f->store, colleague, &error);
  g_assert_no_error (error);

  edited = dengon_staff_edit_merge (saved, NULL, saved);
  json_object_set_boolean_member (edited, "active", FALSE);
  json_object_set_string_member (edited, "role", "field_sales");
  again = dengon_staff_edit_save_sync (f->store, saved, edited, &error);
  g_assert_no_error (error);

  stored = dengon_store_get (f->store, "staff:ken", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (stored, "extension"), ==, "299");
  g_assert_cmpstr (dengon_json_get_string (stored, "role"), ==, "field_sales");
  g_assert_false (dengon_json_get_boolean (stored, "active", TRUE));
  g_assert_cmpstr (dengon_json_get_string (stored, "_rev"), ==,
                   dengon_json_get_string (again, "_rev"));
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dengon/staff/ids", test_ids);
  g_test_add_func ("/dengon/staff/validate", test_validate);
  g_test_add_func ("/dengon/staff/duty/schedule", test_duty_schedule);
  g_test_add_func ("/dengon/staff/duty/manual", test_duty_manual);
  g_test_add_func ("/dengon/staff/model", test_model);
  g_test_add_func ("/dengon/staff/roster/parse-time", test_roster_parse_time);
  g_test_add_func ("/dengon/staff/roster/format", test_roster_format);
  g_test_add_func ("/dengon/staff/roster/slot-new", test_roster_slot_new);
  g_test_add_func ("/dengon/staff/roster/overlap", test_roster_overlap);
  g_test_add_func ("/dengon/staff/roster/shadowed", test_roster_shadowed);
  g_test_add_func ("/dengon/staff/roster/insert-remove", test_roster_insert_remove);
  g_test_add ("/dengon/staff/roster/save", Fixture, NULL, fixture_set_up, test_roster_save,
              fixture_tear_down);
  g_test_add ("/dengon/staff/roster/save-first", Fixture, NULL, fixture_set_up,
              test_roster_save_first, fixture_tear_down);
  g_test_add ("/dengon/staff/roster/save-async", Fixture, NULL, fixture_set_up,
              test_roster_save_async, fixture_tear_down);
  g_test_add_func ("/dengon/staff/edit/merge", test_edit_merge);
  g_test_add ("/dengon/staff/edit/save", Fixture, NULL, fixture_set_up, test_edit_save,
              fixture_tear_down);

  return g_test_run ();
}
