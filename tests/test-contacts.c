/* test-contacts.c: contact documents, segments, the phone index and the caller lookup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "dengon-caller-lookup.h"
#include "dengon-contact.h"
#include "dengon-json.h"
#include "dengon-memo-actions.h"
#include "dengon-memo.h"
#include "dengon-report.h"
#include "dengon-store-private.h"
#include "dengon-store.h"

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

  f->dir = g_dir_make_tmp ("dengon-contacts-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  drain ();
  if (f->store != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (1000);
        }
      g_assert_finalize_object (f->store);
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static GDateTime *
utc (int year, int month, int day)
{
  return g_date_time_new_utc (year, month, day, 9, 0, 0);
}

static gint64
ms (int year, int month, int day)
{
  g_autoptr (GDateTime) time = utc (year, month, day);

  return g_date_time_to_unix (time) * 1000;
}

static char *
put (Fixture *f, JsonObject *doc)
{
  g_autoptr (GError) error = NULL;
  char *rev = dengon_store_put (f->store, doc, &error);

  g_assert_no_error (error);
  json_object_set_string_member (doc, "_rev", rev);
  return rev;
}

static JsonObject *
contact_with (const char *name, const char *number)
{
  JsonObject *contact = dengon_contact_new (NULL);

  json_object_set_string_member (contact, "name", name);
  if (number != NULL)
    g_assert_true (dengon_contact_add_number (contact, number, DENGON_NUMBER_KIND_WORK));
  return contact;
}

static JsonObject *
memo_at (GDateTime *at, const char *direction, const char *number, const char *contact_id)
{
  JsonObject *memo = dengon_memo_new ("staff:aya", at);

  dengon_memo_set_call (memo, direction, number, at, at);
  dengon_memo_set_caller (memo, NULL, NULL, contact_id);
  return memo;
}

/* ------------------------------------------------------------------ documents */

static void
test_segment_derivation (void)
{
  g_autoptr (JsonObject) contact = contact_with ("山田 太郎", "03-1234-5678");
  g_autoptr (GDateTime) now = utc (2026, 11, 20);
  g_autoptr (GDateTime) end_of_february = utc (2027, 2, 28);
  g_autoptr (GDateTime) first_of_march = utc (2027, 3, 1);

  /* No memo or call before: new, whatever the period. */
  g_assert_cmpint (dengon_contact_derive_segment (contact, 0, now, 12), ==, DENGON_SEGMENT_NEW);
  /* Eleven months ago: existing; thirteen: dormant; the boundary is the same day a year on. */
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2025, 12, 20), now, 12), ==,
                   DENGON_SEGMENT_EXISTING);
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2025, 10, 20), now, 12), ==,
                   DENGON_SEGMENT_DORMANT);
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2025, 11, 20), now, 12), ==,
                   DENGON_SEGMENT_EXISTING);
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2025, 11, 19), now, 12), ==,
                   DENGON_SEGMENT_DORMANT);
  /* A shorter period from the office settings. */
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2026, 4, 20), now, 6), ==,
                   DENGON_SEGMENT_DORMANT);
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2026, 6, 20), now, 6), ==,
                   DENGON_SEGMENT_EXISTING);
  /* Calendar months: 31 January + 1 month is the end of February. */
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2027, 1, 31), end_of_february, 1),
                   ==, DENGON_SEGMENT_EXISTING);
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2027, 1, 31), first_of_march, 1), ==,
                   DENGON_SEGMENT_DORMANT);

  /* A person's override wins over the memos. */
  json_object_set_string_member (contact, "segment_override", "existing");
  g_assert_cmpint (dengon_contact_derive_segment (contact, 0, now, 12), ==,
                   DENGON_SEGMENT_EXISTING);
  json_object_set_string_member (contact, "segment_override", "dormant");
  g_assert_cmpint (dengon_contact_derive_segment (contact, ms (2026, 11, 19), now, 12), ==,
                   DENGON_SEGMENT_DORMANT);
}

static void
test_office_settings (void)
{
  g_autoptr (JsonObject) office = dengon_json_parse_object (
      "{\"_id\":\"office:settings\",\"type\":\"office\",\"contacts\":{"
      "\"dormant_after_months\":6,\"escalation_outcome_days\":3,"
      "\"quadrant_labels\":{\"keep\":\"上得意\",\"win_back\":\"\","
      "\"develop\":\"あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほま\"}}}",
      -1, NULL, NULL);
  g_autoptr (JsonObject) silly = dengon_json_parse_object (
      "{\"contacts\":{\"dormant_after_months\":0,\"escalation_outcome_days\":\"x\"}}", -1, NULL,
      NULL);

  g_assert_cmpuint (dengon_office_get_dormant_months (NULL), ==, 12);
  g_assert_cmpuint (dengon_office_get_escalation_days (NULL), ==, 7);
  g_assert_cmpuint (dengon_office_get_dormant_months (office), ==, 6);
  g_assert_cmpuint (dengon_office_get_escalation_days (office), ==, 3);
  g_assert_cmpuint (dengon_office_get_dormant_months (silly), ==, 12);
  g_assert_cmpuint (dengon_office_get_escalation_days (silly), ==, 7);

  /* The office's words, else the defaults (an empty label is no label). */
  g_assert_cmpstr (dengon_quadrant_get_label (DENGON_QUADRANT_KEEP, office), ==, "上得意");
  g_assert_cmpstr (dengon_quadrant_get_label (DENGON_QUADRANT_WIN_BACK, office), ==, "Win Back");
  g_assert_cmpstr (dengon_quadrant_get_label (DENGON_QUADRANT_DEVELOP, NULL), ==, "Develop");
  /* 31 characters from another client: too long for a pill. */
  g_assert_cmpstr (dengon_quadrant_get_label (DENGON_QUADRANT_DEVELOP, office), ==, "Develop");
  g_assert_cmpstr (dengon_quadrant_get_label (DENGON_QUADRANT_LOW_PRIORITY, NULL), ==,
                   "Low Priority");
  g_assert_cmpstr (dengon_quadrant_get_label (DENGON_QUADRANT_NONE, office), ==, "");
}

static void
test_quadrant (void)
{
  g_autoptr (JsonObject) contact = contact_with ("山田 太郎", NULL);
  struct
  {
    const char *potential, *relationship;
    DengonQuadrant quadrant;
  } cases[] = {
    { "high", "high", DENGON_QUADRANT_KEEP },    { "low", "high", DENGON_QUADRANT_DEVELOP },
    { "high", "low", DENGON_QUADRANT_WIN_BACK }, { "low", "low", DENGON_QUADRANT_LOW_PRIORITY },
    { "high", NULL, DENGON_QUADRANT_NONE },      { NULL, "low", DENGON_QUADRANT_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      dengon_json_set_string_or_null (contact, "potential", cases[i].potential);
      dengon_json_set_string_or_null (contact, "relationship", cases[i].relationship);
      g_assert_cmpint (dengon_contact_get_quadrant (contact), ==, cases[i].quadrant);
    }
  g_assert_cmpint (dengon_quadrant_from_string ("win_back"), ==, DENGON_QUADRANT_WIN_BACK);
  g_assert_cmpstr (dengon_quadrant_to_string (DENGON_QUADRANT_LOW_PRIORITY), ==, "low_priority");
}

static void
test_validate (void)
{
  g_autoptr (JsonObject) contact = contact_with ("山田 太郎", "０３－１２３４－５６７８");
  g_autoptr (GError) error = NULL;
  JsonObject *entry;
  g_autofree char *long_name = NULL;

  entry = json_array_get_object_element (dengon_json_get_array (contact, "numbers"), 0);
  g_assert_cmpstr (dengon_json_get_string (entry, "number"), ==, "+81312345678");
  g_assert_cmpstr (dengon_json_get_string (entry, "display"), ==, "03-1234-5678");
  g_assert_cmpstr (dengon_json_get_string (entry, "kind"), ==, "work");
  /* The same number in another form is not added twice. */
  g_assert_false (dengon_contact_add_number (contact, "+81 3 1234 5678", DENGON_NUMBER_KIND_HOME));
  g_assert_false (dengon_contact_add_number (contact, "非通知", DENGON_NUMBER_KIND_HOME));
  g_assert_true (dengon_contact_validate (contact, &error));
  g_assert_no_error (error);

  json_object_set_string_member (contact, "potential", "huge");
  g_assert_false (dengon_contact_validate (contact, &error));
  g_assert_true (g_str_has_prefix (error->message, "potential:"));
  g_clear_error (&error);
  json_object_set_string_member (contact, "potential", "high");

  json_object_set_string_member (contact, "account_owner", "yamada");
  g_assert_false (dengon_contact_validate (contact, &error));
  g_assert_true (g_str_has_prefix (error->message, "account_owner:"));
  g_clear_error (&error);
  json_object_set_string_member (contact, "account_owner", "staff:yamada");

  long_name = g_strnfill (DENGON_CONTACT_MAX_TEXT + 1, 'a');
  json_object_set_string_member (contact, "company", long_name);
  g_assert_false (dengon_contact_validate (contact, &error));
  g_assert_true (g_str_has_prefix (error->message, "company:"));
  g_clear_error (&error);
  json_object_set_null_member (contact, "company");

  json_object_set_string_member (entry, "kind", "pager");
  g_assert_false (dengon_contact_validate (contact, &error));
  g_assert_true (g_str_has_prefix (error->message, "numbers[0]:"));
  g_clear_error (&error);
  json_object_set_string_member (entry, "kind", "fax");
  g_assert_true (dengon_contact_validate (contact, NULL));
}

static void
test_merge (void)
{
  g_autoptr (JsonObject) into = contact_with ("山田 太郎", "03-1234-5678");
  g_autoptr (JsonObject) from = contact_with ("ヤマダ", "+81 3 1234 5678");

  json_object_set_string_member (into, "notes", "月末締め");
  dengon_contact_add_number (from, "090-1111-2222", DENGON_NUMBER_KIND_MOBILE);
  json_object_set_string_member (from, "company", "山田商店");
  json_object_set_string_member (from, "notes", "午前中が良い");

  g_assert_true (dengon_contact_merge (into, from));
  g_assert_cmpstr (dengon_json_get_string (into, "name"), ==, "山田 太郎");
  g_assert_cmpstr (dengon_json_get_string (into, "company"), ==, "山田商店");
  g_assert_cmpuint (json_array_get_length (dengon_json_get_array (into, "numbers")), ==, 2);
  g_assert_cmpstr (dengon_json_get_string (into, "notes"), ==, "月末締め\n午前中が良い");
  /* Merging the same again changes nothing. */
  g_assert_false (dengon_contact_merge (into, from));
}

/* ------------------------------------------------------------------ store */

static void
test_phone_index (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) contact = contact_with ("山田 太郎", "03-1234-5678");
  const char *forms[] = { "03-1234-5678",    "０３－１２３４－５６７８", "(03)1234-5678",
                          "+81 3 1234 5678", "tel:+81-3-1234-5678",      "0312345678" };
  g_autofree char *rev = NULL;
  g_autoptr (GError) error = NULL;

  dengon_contact_add_number (contact, "090-1234-5678", DENGON_NUMBER_KIND_MOBILE);
  g_free (put (f, contact));

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr (GPtrArray) found = dengon_contact_find_by_number (f->store, forms[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpstr (dengon_json_get_string (g_ptr_array_index (found, 0), "_id"), ==,
                       dengon_json_get_string (contact, "_id"));
    }

  /* A number written by another client in its own form is indexed by its key. */
  {
    g_autoptr (JsonObject) other = dengon_contact_new (NULL);
    g_autoptr (JsonObject) entry = json_object_new ();
    g_autoptr (GPtrArray) found = NULL;

    json_object_set_string_member (entry, "number", "０６（１２３４）５６７８");
    json_array_add_object_element (dengon_json_get_array (other, "numbers"),
                                   json_object_ref (entry));
    g_free (put (f, other));
    found = dengon_contact_find_by_number (f->store, "+81612345678", &error);
    g_assert_cmpuint (found->len, ==, 1);
  }

  /* The number removed: no longer found; the contact deleted: nothing. */
  json_array_remove_element (dengon_json_get_array (contact, "numbers"), 0);
  g_free (put (f, contact));
  {
    g_autoptr (GPtrArray) gone = dengon_contact_find_by_number (f->store, "03-1234-5678", NULL);
    g_autoptr (GPtrArray) mobile = dengon_contact_find_by_number (f->store, "09012345678", NULL);

    g_assert_cmpuint (gone->len, ==, 0);
    g_assert_cmpuint (mobile->len, ==, 1);
  }
  rev = dengon_store_delete (f->store, dengon_json_get_string (contact, "_id"),
                             dengon_json_get_string (contact, "_rev"), &error);
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) gone = dengon_contact_find_by_number (f->store, "09012345678", NULL);

    g_assert_cmpuint (gone->len, ==, 0);
  }
}

static void
test_last_contact_and_list (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) dormant = contact_with ("古川 一郎", "045-123-4567");
  g_autoptr (JsonObject) existing = contact_with ("今井 花子", "06-1234-5678");
  g_autoptr (JsonObject) fresh = contact_with ("新田 次郎", "0466-12-3456");
  g_autoptr (GDateTime) now = utc (2026, 11, 20);
  g_autoptr (GDateTime) old = utc (2025, 6, 1);
  g_autoptr (GDateTime) recent = utc (2026, 10, 1);
  g_autoptr (GDateTime) future = utc (2026, 12, 1);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;

  g_free (put (f, dormant));
  g_free (put (f, existing));
  g_free (put (f, fresh));

  {
    /* The dormant one called once long ago (number written differently); the existing one
     * has a recent memo linked by id from another number. */
    g_autoptr (JsonObject) a = memo_at (old, "in", "+81 45 123 4567", NULL);
    g_autoptr (JsonObject) b =
        memo_at (recent, "out", "090-9999-0000", dengon_json_get_string (existing, "_id"));
    /* A memo after "now" (another desk's clock) does not count for a call at "now". */
    g_autoptr (JsonObject) c = memo_at (future, "in", "045-123-4567", NULL);

    g_free (put (f, a));
    g_free (put (f, b));
    g_assert_cmpint (dengon_contact_get_last_contact (f->store, dormant, 0, NULL), ==,
                     ms (2025, 6, 1));
    g_free (put (f, c));
  }

  g_assert_cmpint (dengon_contact_get_last_contact (f->store, dormant, ms (2026, 11, 20), NULL), ==,
                   ms (2025, 6, 1));
  g_assert_cmpint (dengon_contact_get_last_contact (f->store, existing, 0, NULL), ==,
                   ms (2026, 10, 1));
  g_assert_cmpint (dengon_contact_get_last_contact (f->store, fresh, 0, NULL), ==, 0);

  list = dengon_contact_list (f->store, now, 12, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  /* Sorted by reading or name; the future memo makes the "dormant" one existing in the list,
   * which looks at every memo. */
  for (guint i = 0; i < list->len; i++)
    {
      DengonContactRecord *record = g_ptr_array_index (list, i);

      if (g_strcmp0 (record->id, dengon_json_get_string (existing, "_id")) == 0)
        g_assert_cmpint (record->segment, ==, DENGON_SEGMENT_EXISTING);
      else if (g_strcmp0 (record->id, dengon_json_get_string (fresh, "_id")) == 0)
        g_assert_cmpint (record->segment, ==, DENGON_SEGMENT_NEW);
      else
        g_assert_cmpint (record->last_contact_ms, ==, ms (2026, 12, 1));
    }
  g_assert_true (dengon_contact_record_matches (g_ptr_array_index (list, 0), NULL));
}

static void
test_caller_lookup (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) contact = contact_with ("古川 一郎", "045-123-4567");
  g_autoptr (JsonObject) office = dengon_json_parse_object (
      "{\"_id\":\"office:settings\",\"type\":\"office\",\"contacts\":{\"dormant_after_months\":6}}",
      -1, NULL, NULL);
  g_autoptr (GDateTime) then = utc (2026, 3, 1);
  g_autoptr (GDateTime) now = utc (2026, 11, 20);
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (contact, "reading", "ふるかわ いちろう");
  json_object_set_string_member (contact, "company", "古川製作所");
  json_object_set_string_member (contact, "account_owner", "staff:yamada");
  json_object_set_string_member (contact, "potential", "high");
  json_object_set_string_member (contact, "relationship", "low");
  g_free (put (f, contact));
  g_free (put (f, office));
  memo = memo_at (then, "in", "045-123-4567", NULL);
  dengon_memo_set_caller (memo, "別名", NULL, NULL);
  g_free (put (f, memo));

  {
    /* Rung from the number written another way; eight months since the last call. */
    g_autoptr (DengonCallerInfo) info =
        dengon_caller_lookup_full (f->store, "+81-45-123-4567", now, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (info->contact_id, ==, dengon_json_get_string (contact, "_id"));
    g_assert_cmpstr (info->source, ==, "contact");
    g_assert_cmpstr (info->name, ==, "古川 一郎");
    g_assert_cmpstr (info->company, ==, "古川製作所");
    g_assert_cmpstr (info->reading, ==, "ふるかわ いちろう");
    g_assert_cmpstr (info->account_owner, ==, "staff:yamada");
    g_assert_cmpstr (info->segment, ==, "dormant");
    g_assert_cmpstr (info->quadrant, ==, "win_back");
    g_assert_cmpint (info->last_contact_ms, ==, ms (2026, 3, 1));
    g_assert_cmpuint (info->recent_memos->len, ==, 1);
  }
  {
    /* The default period (12 months) passed in: existing. */
    g_autoptr (JsonObject) defaults = json_object_new ();
    g_autoptr (DengonCallerInfo) info =
        dengon_caller_lookup_full (f->store, "０４５－１２３－４５６７", now, defaults, &error);

    g_assert_cmpstr (info->segment, ==, "existing");
  }
  {
    /* A number no contact has: known from the memo only, no segment. */
    g_autoptr (JsonObject) other = memo_at (then, "in", "03-9999-8888", NULL);
    g_autoptr (DengonCallerInfo) info = NULL;

    dengon_memo_set_caller (other, "佐藤", NULL, NULL);
    g_free (put (f, other));
    info = dengon_caller_lookup_full (f->store, "03-9999-8888", now, NULL, &error);
    g_assert_null (info->contact_id);
    g_assert_null (info->segment);
    g_assert_cmpstr (info->name, ==, "佐藤");
    g_assert_cmpstr (info->source, ==, "memo");
  }
}

static void
test_migration_indexes_contacts (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) contact = contact_with ("山田 太郎", "03-1234-5678");
  g_autoptr (GDateTime) at = utc (2026, 1, 5);
  g_autoptr (JsonObject) memo = memo_at (at, "out", "03-1234-5678", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;

  g_free (put (f, contact));
  dengon_memo_escalate (memo, "staff:aya", "staff:kato", "見積依頼", at, NULL);
  g_free (put (f, memo));

  /* Back to version 4 as it was: no contact index, no new columns. */
  g_assert_true (dengon_store_exec_for_testing (
      f->store,
      "DROP TABLE contact_phone; DROP INDEX memo_by_contact; DROP INDEX memo_by_call_result;"
      " DROP INDEX memo_by_escalation; ALTER TABLE memo_index DROP COLUMN call_result;"
      " ALTER TABLE memo_index DROP COLUMN escalated_at; ALTER TABLE memo_index DROP COLUMN"
      " escalated_to; ALTER TABLE memo_index DROP COLUMN outcome; PRAGMA user_version = 4",
      &error));
  g_assert_no_error (error);
  drain ();
  while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_finalize_object (g_steal_pointer (&f->store));

  f->store = dengon_store_open (f->path, &error);
  g_assert_no_error (error);
  found = dengon_contact_find_by_number (f->store, "0312345678", &error);
  g_assert_cmpuint (found->len, ==, 1);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "SELECT count(*) FROM memo_index WHERE call_result = 2"
                                         " AND escalated_to = 'staff:kato' AND outcome IS NULL"
                                         " AND escalated_at > 0",
                                         -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

static void
test_call_result (void)
{
  g_autoptr (GDateTime) at = utc (2026, 1, 5);
  g_autoptr (JsonObject) in = memo_at (at, "in", "03-1234-5678", NULL);
  g_autoptr (JsonObject) out = memo_at (at, "out", "03-1234-5678", NULL);
  g_autoptr (JsonObject) answers = json_object_new ();
  JsonObject *outcome = NULL;

  g_assert_cmpint (dengon_memo_get_call_result (in), ==, DENGON_CALL_RESULT_NONE);
  g_assert_cmpint (dengon_memo_get_call_result (out), ==, DENGON_CALL_RESULT_REACHED);
  dengon_memo_set_callback (out, TRUE, NULL, NULL);
  g_assert_cmpint (dengon_memo_get_call_result (out), ==, DENGON_CALL_RESULT_TRY_AGAIN);
  json_object_set_string_member (answers, "interest", "appointment");
  dengon_memo_set_script (out, "script:followup-ja", answers);
  g_assert_cmpint (dengon_memo_get_call_result (out), ==, DENGON_CALL_RESULT_APPOINTMENT);

  /* Escalation and its outcome; an undone outcome is no outcome. */
  g_assert_null (dengon_memo_get_escalation (in, &outcome));
  g_assert_true (dengon_memo_escalate (in, "staff:aya", "staff:kato", "見積", NULL, NULL));
  g_assert_nonnull (dengon_memo_get_escalation (in, &outcome));
  g_assert_null (outcome);
  g_assert_true (dengon_memo_set_outcome (in, "staff:kato", "won", "受注", NULL, NULL));
  g_assert_nonnull (dengon_memo_get_escalation (in, &outcome));
  g_assert_cmpstr (dengon_json_get_string (outcome, "note"), ==, "won");
  g_assert_true (dengon_memo_undo_last (in, "staff:kato", NULL, NULL));
  dengon_memo_get_escalation (in, &outcome);
  g_assert_null (outcome);
}

static JsonObject *
act (Fixture *f, const char *id, DengonMemoActionKind kind, const char *by, const char *to,
     const char *note, const char *detail)
{
  g_autoptr (DengonMemoAction) action = dengon_memo_action_new (kind, by);
  g_autoptr (GError) error = NULL;
  JsonObject *memo;

  action->to = g_strdup (to);
  action->note = g_strdup (note);
  action->detail = g_strdup (detail);
  memo = dengon_memo_action_run_sync (f->store, id, action, &error);
  g_assert_no_error (error);
  return memo;
}

/* Leads escalated to field sales, their outcomes, the follow-up meeting list and the KPIs. */
static void
test_escalation_flow (Fixture *f, gconstpointer data)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr (GDateTime) day = g_date_time_new (tz, 2026, 11, 2, 10, 0, 0);
  g_autoptr (JsonObject) office =
      dengon_json_parse_object ("{\"_id\":\"office:settings\",\"type\":\"office\",\"contacts\":"
                                "{\"escalation_outcome_days\":5}}",
                                -1, NULL, NULL);
  const char *ids[4];
  g_autoptr (GPtrArray) memos = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonReport) report = NULL;
  g_autoptr (GPtrArray) mine = NULL;
  gint64 from_ms, to_ms, now_ms;

  g_free (put (f, office));
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (GDateTime) at = g_date_time_add_hours (day, i);
      JsonObject *memo = memo_at (at, "in", "03-1234-5678", NULL);

      /* Escalated when the call was taken (the scripts' set.escalate), 2 November. */
      g_assert_true (dengon_memo_escalate (memo, "staff:aya", i % 2 ? "staff:kato" : "staff:sato",
                                           "見積のご依頼", at, NULL));
      g_free (put (f, memo));
      ids[i] = dengon_json_get_string (memo, "_id");
      g_ptr_array_add (memos, memo);
    }
  /* Two outgoing follow-up calls: one reached with an appointment, one to try again. */
  {
    g_autoptr (JsonObject) reached = memo_at (day, "out", "045-123-4567", NULL);
    g_autoptr (JsonObject) again = memo_at (day, "out", "045-123-4568", NULL);
    g_autoptr (JsonObject) answers = json_object_new ();

    json_object_set_string_member (answers, "interest", "appointment");
    dengon_memo_set_script (reached, "script:followup-ja", answers);
    dengon_memo_set_callback (again, TRUE, NULL, NULL);
    g_free (put (f, reached));
    g_free (put (f, again));
  }

  /* The field staff record outcomes: won, lost, and an appointment then undone. */
  json_object_unref (
      act (f, ids[0], DENGON_MEMO_ACTION_OUTCOME, "staff:sato", NULL, "won", "受注"));
  json_object_unref (act (f, ids[1], DENGON_MEMO_ACTION_OUTCOME, "staff:kato", NULL, "lost", NULL));
  json_object_unref (
      act (f, ids[3], DENGON_MEMO_ACTION_OUTCOME, "staff:kato", NULL, "appointment", "11/10 訪問"));
  json_object_unref (act (f, ids[3], DENGON_MEMO_ACTION_UNDO, "staff:kato", NULL, NULL, NULL));

  {
    g_autoptr (GDate) first = g_date_new_dmy (1, 11, 2026);
    g_autoptr (GDate) last = g_date_new_dmy (30, 11, 2026);

    g_assert_true (dengon_report_day_range (tz, first, last, &from_ms, &to_ms, &error));
  }
  /* Eight days after the calls: two leads (2 and 3) wait longer than five days. */
  now_ms = g_date_time_to_unix (day) * 1000 + 8 * G_GINT64_CONSTANT (86400000);
  report =
      dengon_report_compute (f->store, from_ms, to_ms, tz, now_ms, DENGON_REPORT_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->calls_made, ==, 2);
  g_assert_cmpuint (report->calls_reached, ==, 1);
  g_assert_cmpuint (report->calls_appointment, ==, 1);
  g_assert_cmpuint (report->escalations, ==, 4);
  g_assert_cmpuint (report->escalations_with_outcome, ==, 2);
  g_assert_cmpuint (report->escalations_won, ==, 1);
  g_assert_cmpuint (report->escalations_lost, ==, 1);
  g_assert_cmpuint (report->escalation_days, ==, 5);
  g_assert_cmpuint (report->followups->len, ==, 2);
  {
    DengonReportFollowup *a = g_ptr_array_index (report->followups, 0);
    DengonReportFollowup *b = g_ptr_array_index (report->followups, 1);

    g_assert_cmpstr (a->id, ==, ids[2]);
    g_assert_cmpstr (a->to, ==, "staff:sato");
    g_assert_cmpstr (a->by, ==, "staff:aya");
    g_assert_cmpstr (a->summary, ==, "見積のご依頼");
    g_assert_cmpuint (a->days, ==, 7);
    g_assert_cmpstr (b->id, ==, ids[3]);
  }

  /* Four days on, nothing is late yet; the list for one person holds only theirs. */
  {
    g_autoptr (GPtrArray) early = dengon_report_list_followups (
        f->store, g_date_time_to_unix (day) * 1000 + 4 * G_GINT64_CONSTANT (86400000), 5, NULL,
        &error);

    g_assert_cmpuint (early->len, ==, 0);
  }
  mine = dengon_report_list_followups (f->store, now_ms, 5, "staff:kato", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpstr (((DengonReportFollowup *) g_ptr_array_index (mine, 0))->id, ==, ids[3]);

  /* Its outcome is recorded: off the list. */
  json_object_unref (
      act (f, ids[3], DENGON_MEMO_ACTION_OUTCOME, "staff:kato", NULL, "no_need", "予算なし"));
  g_clear_pointer (&mine, g_ptr_array_unref);
  mine = dengon_report_list_followups (f->store, now_ms, 5, "staff:kato", &error);
  g_assert_cmpuint (mine->len, ==, 0);
}

/* Search: kana of either kind, full-width letters, parts of numbers as written; filters. */
static void
test_search_and_follow_up_list (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) yamada = contact_with ("山田 太郎", "03-1234-5678");
  g_autoptr (JsonObject) abc = contact_with (NULL, "090-8765-4321");
  g_autoptr (GDateTime) now = utc (2026, 11, 20);
  g_autoptr (GDateTime) before = utc (2026, 11, 1);
  g_autoptr (GDateTime) after = utc (2026, 11, 10);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (JsonObject) call_list = NULL;
  g_autoptr (GPtrArray) statuses = NULL;
  g_autoptr (GError) error = NULL;
  const DengonContactRecord *r_yamada = NULL, *r_abc = NULL;

  json_object_set_string_member (yamada, "reading", "ヤマダ タロウ");
  json_object_set_string_member (yamada, "potential", "high");
  json_object_set_string_member (yamada, "relationship", "low");
  json_object_set_string_member (abc, "company", "ＡＢＣ商事");
  g_free (put (f, yamada));
  g_free (put (f, abc));

  list = dengon_contact_list (f->store, now, 12, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      DengonContactRecord *record = g_ptr_array_index (list, i);

      if (g_strcmp0 (record->id, dengon_json_get_string (yamada, "_id")) == 0)
        r_yamada = record;
      else
        r_abc = record;
    }
  g_assert_true (dengon_contact_record_matches (r_yamada, "やまだ"));
  g_assert_true (dengon_contact_record_matches (r_yamada, "山田 たろう"));
  g_assert_true (dengon_contact_record_matches (r_yamada, "1234-56"));
  g_assert_true (dengon_contact_record_matches (r_yamada, "０３１２"));
  g_assert_false (dengon_contact_record_matches (r_yamada, "8765"));
  g_assert_false (dengon_contact_record_matches (r_yamada, "やまだ 佐藤"));
  g_assert_true (dengon_contact_record_matches (r_abc, "abc"));
  g_assert_true (dengon_contact_record_matches (r_abc, "8765-4321"));
  g_assert_true (dengon_contact_record_is (r_yamada, DENGON_SEGMENT_NEW, DENGON_QUADRANT_WIN_BACK));
  g_assert_false (
      dengon_contact_record_is (r_abc, DENGON_SEGMENT_UNKNOWN, DENGON_QUADRANT_WIN_BACK));
  g_assert_true (dengon_contact_record_is (r_abc, DENGON_SEGMENT_UNKNOWN, DENGON_QUADRANT_NONE));

  /* A call list of both, made on 5 November: what each call since came to. */
  g_ptr_array_add (ids, (gpointer) r_yamada->id);
  g_ptr_array_add (ids, (gpointer) r_abc->id);
  {
    g_autoptr (GDateTime) made = utc (2026, 11, 5);

    call_list = dengon_followup_new ("休眠・掘り起こし", "staff:aya", DENGON_SEGMENT_DORMANT,
                                     DENGON_QUADRANT_WIN_BACK, ids, made);
  }
  g_assert_cmpstr (dengon_json_get_string (call_list, "segment"), ==, "dormant");
  g_assert_cmpstr (dengon_json_get_string (call_list, "quadrant"), ==, "win_back");
  g_free (put (f, call_list));
  {
    /* Before the list: not counted. After: nobody answered, then an appointment. */
    g_autoptr (JsonObject) old = memo_at (before, "out", "03-1234-5678", r_yamada->id);
    g_autoptr (JsonObject) busy = memo_at (after, "out", "03-1234-5678", r_yamada->id);
    g_autoptr (GDateTime) later = g_date_time_add_hours (after, 3);
    g_autoptr (JsonObject) booked = memo_at (later, "out", "03-1234-5678", r_yamada->id);
    g_autoptr (JsonObject) answers = json_object_new ();
    g_autoptr (JsonObject) incoming = memo_at (later, "in", "090-8765-4321", r_abc->id);

    dengon_memo_set_callback (busy, TRUE, NULL, NULL);
    json_object_set_string_member (answers, "interest", "appointment");
    dengon_memo_set_script (booked, "script:followup-ja", answers);
    g_free (put (f, old));
    g_free (put (f, busy));
    g_free (put (f, booked));
    g_free (put (f, incoming));
  }
  statuses = dengon_followup_get_status (f->store, call_list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statuses->len, ==, 2);
  {
    DengonFollowupStatus *a = g_ptr_array_index (statuses, 0);
    DengonFollowupStatus *b = g_ptr_array_index (statuses, 1);

    g_assert_cmpstr (a->contact_id, ==, r_yamada->id);
    g_assert_cmpint (a->result, ==, DENGON_CALL_RESULT_APPOINTMENT);
    g_assert_cmpuint (a->attempts, ==, 2);
    g_assert_cmpint (a->called_ms, ==, ms (2026, 11, 10) + 3 * 3600 * 1000);
    /* An incoming call is no follow-up call. */
    g_assert_cmpint (b->result, ==, DENGON_CALL_RESULT_NONE);
    g_assert_null (b->memo_id);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_add_func ("/dengon/contact/segment", test_segment_derivation);
  g_test_add_func ("/dengon/contact/office-settings", test_office_settings);
  g_test_add_func ("/dengon/contact/quadrant", test_quadrant);
  g_test_add_func ("/dengon/contact/validate", test_validate);
  g_test_add_func ("/dengon/contact/merge", test_merge);
  g_test_add_func ("/dengon/contact/call-result", test_call_result);
  g_test_add ("/dengon/contact/phone-index", Fixture, NULL, fixture_set_up, test_phone_index,
              fixture_tear_down);
  g_test_add ("/dengon/contact/last-contact", Fixture, NULL, fixture_set_up,
              test_last_contact_and_list, fixture_tear_down);
  g_test_add ("/dengon/contact/caller-lookup", Fixture, NULL, fixture_set_up, test_caller_lookup,
              fixture_tear_down);
  g_test_add ("/dengon/contact/migration", Fixture, NULL, fixture_set_up,
              test_migration_indexes_contacts, fixture_tear_down);

  g_test_add ("/dengon/contact/search-and-follow-up-list", Fixture, NULL, fixture_set_up,
              test_search_and_follow_up_list, fixture_tear_down);
  g_test_add ("/dengon/contact/escalation-flow", Fixture, NULL, fixture_set_up,
              test_escalation_flow, fixture_tear_down);

  return g_test_run ();
}
