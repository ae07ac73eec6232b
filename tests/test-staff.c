/* test-staff.c: people, "who is at this desk" and the duty roster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dengon-json.h"
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

  return g_test_run ();
}
