/* test-store.c: the document store against a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "dengon-json.h"
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

  f->dir = g_dir_make_tmp ("dengon-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  drain_main_context ();
  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static JsonObject *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonObject *object = dengon_json_parse_object (json, -1, NULL, &error);

  g_assert_no_error (error);
  return object;
}

static char *
put_json (DengonStore *store, const char *json)
{
  g_autoptr (JsonObject) doc = parse (json);
  g_autoptr (GError) error = NULL;
  char *rev = dengon_store_put (store, doc, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rev);
  return rev;
}

static gboolean
is_rev (const char *rev, gint64 expected_pos)
{
  gint64 pos;
  const char *hash;

  if (!dengon_rev_parse (rev, &pos, &hash) || pos != expected_pos || strlen (hash) != 32)
    return FALSE;
  for (const char *p = hash; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gint64
sqlite_int (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
sqlite_text (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* ------------------------------------------------------------------ open */

static void
test_open_fresh (Fixture *f, gconstpointer data)
{
  g_autofree char *journal = NULL;

  g_assert_nonnull (dengon_store_get_uuid (f->store));
  g_assert_cmpint (strlen (dengon_store_get_uuid (f->store)), ==, 36);
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 0);
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, DENGON_STORE_SCHEMA_VERSION);
  journal = sqlite_text (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
}

static void
test_open_reopen_keeps_uuid_and_seq (Fixture *f, gconstpointer data)
{
  g_autofree char *uuid = g_strdup (dengon_store_get_uuid (f->store));
  g_autofree char *rev = put_json (f->store, "{\"_id\":\"a\",\"n\":1}");
  g_autoptr (GError) error = NULL;

  drain_main_context ();
  g_assert_finalize_object (f->store);
  f->store = dengon_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_store_get_uuid (f->store), ==, uuid);
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 1);
}

/* ------------------------------------------------------------------ CRUD */

static void
test_crud_put_get (Fixture *f, gconstpointer data)
{
  g_autofree char *rev =
      put_json (f->store, "{\"_id\":\"staff:ken\",\"type\":\"staff\",\"name\":\"山田 健\"}");
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (is_rev (rev, 1));
  doc = dengon_store_get (f->store, "staff:ken", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (doc, "_id"), ==, "staff:ken");
  g_assert_cmpstr (dengon_json_get_string (doc, "_rev"), ==, rev);
  g_assert_cmpstr (dengon_json_get_string (doc, "name"), ==, "山田 健");
  g_assert_false (json_object_has_member (doc, "_deleted"));
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 1);
}

static void
test_crud_update (Fixture *f, gconstpointer data)
{
  g_autofree char *rev1 = put_json (f->store, "{\"_id\":\"d\",\"v\":1}");
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"d\",\"_rev\":\"%s\",\"v\":2}", rev1);
  g_autofree char *rev2 = put_json (f->store, json);
  g_autoptr (JsonObject) doc = dengon_store_get (f->store, "d", NULL);

  g_assert_true (is_rev (rev2, 2));
  g_assert_cmpstr (dengon_json_get_string (doc, "_rev"), ==, rev2);
  g_assert_cmpint (dengon_json_get_int (doc, "v", 0), ==, 2);
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 2);
}

static void
test_crud_deterministic_rev (Fixture *f, gconstpointer data)
{
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autoptr (DengonStore) other = dengon_store_open (other_path, NULL);
  g_autofree char *a = put_json (f->store, "{\"_id\":\"x\",\"b\":2,\"a\":[1,\"二\"]}");
  g_autofree char *b = put_json (other, "{\"a\":[1,\"二\"],\"_id\":\"x\",\"b\":2}");
  g_autofree char *c = NULL;
  g_autofree char *json = NULL;

  /* Same parent and the same body in any member order: the same revision. */
  g_assert_cmpstr (a, ==, b);
  json = g_strdup_printf ("{\"_id\":\"x\",\"_rev\":\"%s\",\"b\":3}", b);
  c = put_json (other, json);
  g_assert_cmpstr (c, !=, b);
  drain_main_context ();
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_conflict_stale_rev (Fixture *f, gconstpointer data)
{
  g_autofree char *rev1 = put_json (f->store, "{\"_id\":\"d\",\"v\":1}");
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"d\",\"_rev\":\"%s\",\"v\":2}", rev1);
  g_autofree char *rev2 = put_json (f->store, json);
  g_autoptr (JsonObject) stale = parse (json);
  g_autoptr (GError) error = NULL;
  g_autofree char *rev3 = NULL;
  g_autoptr (JsonObject) doc = NULL;

  /* Someone else saved first: this edit must not overwrite theirs. */
  json_object_set_int_member (stale, "v", 3);
  rev3 = dengon_store_put (f->store, stale, &error);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT);
  g_assert_null (rev3);
  doc = dengon_store_get (f->store, "d", NULL);
  g_assert_cmpint (dengon_json_get_int (doc, "v", 0), ==, 2);
  g_assert_cmpstr (dengon_json_get_string (doc, "_rev"), ==, rev2);
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 2);
}

static void
test_conflict_missing_rev (Fixture *f, gconstpointer data)
{
  g_autofree char *rev1 = put_json (f->store, "{\"_id\":\"d\",\"v\":1}");
  g_autoptr (JsonObject) again = parse ("{\"_id\":\"d\",\"v\":9}");
  g_autoptr (JsonObject) ghost =
      parse ("{\"_id\":\"ghost\",\"_rev\":\"1-00000000000000000000000000000000\"}");
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = NULL;

  rev = dengon_store_put (f->store, again, &error);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  rev = dengon_store_put (f->store, ghost, &error);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT);
  g_assert_null (rev);
}

static void
test_crud_delete (Fixture *f, gconstpointer data)
{
  g_autofree char *rev1 = put_json (f->store, "{\"_id\":\"d\",\"v\":1}");
  g_autoptr (GError) error = NULL;
  g_autofree char *rev2 = dengon_store_delete (f->store, "d", rev1, &error);
  g_autoptr (JsonObject) doc = NULL;
  g_autofree char *rev3 = NULL;

  g_assert_no_error (error);
  g_assert_true (is_rev (rev2, 2));

  doc = dengon_store_get (f->store, "d", &error);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "deleted");
  g_assert_null (doc);
  g_clear_error (&error);

  doc = dengon_store_get_full (f->store, "d", NULL, DENGON_STORE_GET_DELETED, &error);
  g_assert_no_error (error);
  g_assert_true (dengon_json_get_boolean (doc, "_deleted", FALSE));
  g_assert_cmpstr (dengon_json_get_string (doc, "_rev"), ==, rev2);
  g_clear_pointer (&doc, json_object_unref);

  /* The old revision is gone with the edit (only leaves keep a body). */
  doc = dengon_store_get_full (f->store, "d", rev1, 0, &error);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Writing a deleted id again continues its history. */
  rev3 = put_json (f->store, "{\"_id\":\"d\",\"v\":3}");
  g_assert_true (is_rev (rev3, 3));
}

typedef struct
{
  const char *name;
  const char *json;
  const char *field;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "no-id", "{\"v\":1}", "_id" },
  { "empty-id", "{\"_id\":\"\"}", "_id" },
  { "reserved-id", "{\"_id\":\"_design/x\"}", "_id" },
  { "control-char-id", "{\"_id\":\"a\\u0001b\"}", "_id" },
  { "bad-rev", "{\"_id\":\"a\",\"_rev\":\"garbage\"}", "_rev" },
  { "rev-zero", "{\"_id\":\"a\",\"_rev\":\"0-abc\"}", "_rev" },
  { "attachments", "{\"_id\":\"a\",\"_attachments\":{}}", "_attachments" },
  { "special-member", "{\"_id\":\"a\",\"_foo\":1}", "_foo" },
};

static void
test_invalid (gconstpointer data)
{
  const InvalidCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (DengonStore) store = dengon_store_open (path, NULL);
  g_autoptr (JsonObject) doc = parse (c->json);
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = dengon_store_put (store, doc, &error);

  g_assert_null (rev);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, c->field));
  g_assert_cmpint (dengon_store_get_update_seq (store), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

/* ------------------------------------------------------------------ winner */

typedef struct
{
  const char *name;
  /* Leaves as "pos-hash" with an optional "!" for deleted, each a branch of its own. */
  const char *leaves[4];
  const char *winner;
  gboolean deleted;
  const char *conflicts; /* comma-separated, as _conflicts */
} WinnerCase;

#define H(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

/* From CouchDB's rule (COUCHDB-PROTOCOL.md §14). */
static const WinnerCase winner_cases[] = {
  { "single", { "1-" H ("a") }, "1-" H ("a"), FALSE, "" },
  { "longer-path-wins", { "2-" H ("a"), "3-" H ("0") }, "3-" H ("0"), FALSE, "2-" H ("a") },
  { "greater-hash-wins", { "2-" H ("a"), "2-" H ("f") }, "2-" H ("f"), FALSE, "2-" H ("a") },
  { "live-beats-deleted", { "2-" H ("c"), "!3-" H ("d") }, "2-" H ("c"), FALSE, "" },
  { "generation-is-a-number", { "9-" H ("f"), "10-" H ("0") }, "10-" H ("0"), FALSE, "9-" H ("f") },
  { "all-deleted", { "!2-" H ("a"), "!3-" H ("b") }, "3-" H ("b"), TRUE, "" },
  { "three-way", { "3-" H ("1"), "3-" H ("9"), "!4-" H ("f") }, "3-" H ("9"), FALSE, "3-" H ("1") },
  { "digit-below-letter", { "2-" H ("9"), "2-" H ("a") }, "2-" H ("a"), FALSE, "2-" H ("9") },
};

static void
add_branch (GPtrArray *docs, const char *id, const char *leaf)
{
  gboolean deleted = leaf[0] == '!';
  const char *rev = deleted ? leaf + 1 : leaf;
  const char *hash;
  gint64 pos;
  JsonObject *doc = json_object_new ();
  JsonObject *revisions = json_object_new ();
  JsonArray *ids = json_array_new ();

  g_assert_true (dengon_rev_parse (rev, &pos, &hash));
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", rev);
  if (deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);
  else
    json_object_set_string_member (doc, "branch", rev);
  json_array_add_string_element (ids, hash);
  /* Each branch descends from one shared root, "1-root...". */
  for (gint64 p = pos - 1; p >= 1; p--)
    {
      char ancestor[33];

      g_snprintf (ancestor, sizeof ancestor, "%032" G_GINT64_MODIFIER "x", p);
      json_array_add_string_element (ids, ancestor);
    }
  json_object_set_int_member (revisions, "start", pos);
  json_object_set_array_member (revisions, "ids", ids);
  json_object_set_object_member (doc, "_revisions", revisions);
  g_ptr_array_add (docs, doc);
}

static void
test_winner (gconstpointer data)
{
  const WinnerCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (DengonStore) store = dengon_store_open (path, NULL);
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) failures = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (GString) conflicts = g_string_new (NULL);
  g_autoptr (GPtrArray) feed = NULL;
  JsonArray *array;

  for (guint i = 0; i < G_N_ELEMENTS (c->leaves) && c->leaves[i]; i++)
    add_branch (docs, "doc", c->leaves[i]);
  g_assert_true (dengon_store_put_replicated (store, docs, &failures, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 0);

  doc = dengon_store_get_full (store, "doc", NULL,
                               DENGON_STORE_GET_CONFLICTS | DENGON_STORE_GET_DELETED, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (doc, "_rev"), ==, c->winner);
  g_assert_cmpint (dengon_json_get_boolean (doc, "_deleted", FALSE), ==, c->deleted);
  array = dengon_json_get_array (doc, "_conflicts");
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    g_string_append_printf (conflicts, "%s%s", i ? "," : "",
                            json_array_get_string_element (array, i));
  g_assert_cmpstr (conflicts->str, ==, c->conflicts);

  /* The same order in the changes feed: the winner first. */
  feed = dengon_store_changes (store, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (feed->len, ==, 1);
  g_assert_cmpstr (((DengonStoreFeedEntry *) feed->pdata[0])->revs[0], ==, c->winner);
  g_assert_cmpint (((DengonStoreFeedEntry *) feed->pdata[0])->deleted, ==, c->deleted);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

static void
test_winner_compare (void)
{
  g_assert_cmpint (dengon_rev_compare_winner (2, "ccc", FALSE, 3, "ddd", TRUE), >, 0);
  g_assert_cmpint (dengon_rev_compare_winner (10, "a", FALSE, 9, "z", FALSE), >, 0);
  g_assert_cmpint (dengon_rev_compare_winner (2, "b", FALSE, 2, "a", FALSE), >, 0);
  g_assert_cmpint (dengon_rev_compare_winner (2, "a", TRUE, 2, "a", TRUE), ==, 0);
  g_assert_false (dengon_rev_parse ("abc", NULL, NULL));
  g_assert_false (dengon_rev_parse ("1-", NULL, NULL));
  g_assert_false (dengon_rev_parse ("-1abc", NULL, NULL));
  g_assert_false (dengon_rev_parse ("1-a/b", NULL, NULL));
  g_assert_false (dengon_rev_parse ("1234567890-abc", NULL, NULL));
  g_assert_true (dengon_rev_parse ("12-abc", NULL, NULL));
}

/* ------------------------------------------------------------------ replication */

static JsonObject *
replicated_doc (const char *id, gint64 start, const char *const *ids, const char *body_json)
{
  JsonObject *doc = parse (body_json);
  JsonObject *revisions = json_object_new ();
  JsonArray *array = json_array_new ();
  g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", start, ids[0]);

  for (guint i = 0; ids[i]; i++)
    json_array_add_string_element (array, ids[i]);
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", rev);
  json_object_set_int_member (revisions, "start", start);
  json_object_set_array_member (revisions, "ids", array);
  json_object_set_object_member (doc, "_revisions", revisions);
  return doc;
}

/* What the hub reports (doc_count, pending) and what conflict resolution looks for. */
static void
test_counts_and_conflicted (Fixture *f, gconstpointer data)
{
  static const char *path_a[] = { "cc", "bb", "aa", NULL };
  static const char *path_b[] = { "dd", "bb", "aa", NULL };
  static const char *path_c[] = { "ee", NULL };
  static const char *const some[] = { "c", "m", "nope", "m", "plain", NULL };
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) failures = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) plain = parse ("{\"_id\":\"plain\",\"n\":1}");
  g_autoptr (JsonObject) gone = parse ("{\"_id\":\"gone\",\"n\":2}");
  g_autofree char *rev = NULL;
  g_autofree char *gone_rev = NULL;
  g_auto (GStrv) all = NULL;
  g_auto (GStrv) among = NULL;
  g_auto (GStrv) none = NULL;
  gint64 live = -1, deleted = -1, seq;

  g_assert_true (dengon_store_count_documents (f->store, &live, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (live, ==, 0);
  g_assert_cmpint (deleted, ==, 0);
  g_assert_cmpint (dengon_store_count_changes (f->store, 0, &error), ==, 0);

  rev = dengon_store_put (f->store, plain, &error);
  g_assert_no_error (error);
  gone_rev = dengon_store_put (f->store, gone, &error);
  g_assert_no_error (error);
  g_free (dengon_store_delete (f->store, "gone", gone_rev, &error));
  g_assert_no_error (error);

  /* "m" has two live leaves; "c" has a live and a deleted one (no conflict). */
  g_ptr_array_add (docs, replicated_doc ("m", 3, path_a, "{\"side\":\"a\"}"));
  g_ptr_array_add (docs, replicated_doc ("m", 3, path_b, "{\"side\":\"b\"}"));
  g_ptr_array_add (docs, replicated_doc ("c", 1, path_c, "{\"x\":1}"));
  {
    JsonObject *tombstone = replicated_doc ("c", 1, (const char *[]){ "ff", NULL }, "{}");

    json_object_set_boolean_member (tombstone, "_deleted", TRUE);
    g_ptr_array_add (docs, tombstone);
  }
  g_assert_true (dengon_store_put_replicated (f->store, docs, &failures, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 0);

  g_assert_true (dengon_store_count_documents (f->store, &live, &deleted, &error));
  g_assert_cmpint (live, ==, 3);
  g_assert_cmpint (deleted, ==, 1);

  seq = dengon_store_get_update_seq (f->store);
  g_assert_cmpint (dengon_store_count_changes (f->store, 0, &error), ==, 4);
  g_assert_cmpint (dengon_store_count_changes (f->store, seq - 1, &error), ==, 1);
  g_assert_cmpint (dengon_store_count_changes (f->store, seq, &error), ==, 0);
  g_assert_no_error (error);

  all = dengon_store_list_conflicted (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (all, ((const char *const[]){ "m", NULL }));
  among = dengon_store_list_conflicted (f->store, some, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (among, ((const char *const[]){ "m", NULL }));

  /* Closing the losing leaf ends the conflict. */
  g_free (dengon_store_delete (f->store, "m", "3-cc", &error));
  g_assert_no_error (error);
  none = dengon_store_list_conflicted (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_replicated_branches (Fixture *f, gconstpointer data)
{
  static const char *path_a[] = { "cc", "bb", "aa", NULL };
  static const char *path_b[] = { "dd", "bb", "aa", NULL };
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) failures = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (JsonObject) request = NULL;
  g_autoptr (JsonObject) diff = NULL;
  g_autofree char *canonical = NULL;
  g_auto (GStrv) conflicts = NULL;
  gint64 seq;

  g_ptr_array_add (docs, replicated_doc ("m", 3, path_a, "{\"side\":\"a\"}"));
  g_assert_true (dengon_store_put_replicated (f->store, docs, &failures, &error));
  g_assert_no_error (error);
  g_clear_pointer (&failures, g_ptr_array_unref);

  /* Ancestors arrive as body-less stubs: known to revs_diff, no body. */
  request = parse ("{\"m\":[\"1-aa\",\"2-bb\",\"3-cc\",\"3-dd\"],\"n\":[\"1-zz\"]}");
  diff = dengon_store_revs_diff (f->store, request, &error);
  g_assert_no_error (error);
  canonical = dengon_json_canonical_object (diff);
  g_assert_cmpstr (canonical, ==,
                   "{\"m\":{\"missing\":[\"3-dd\"]},\"n\":{\"missing\":[\"1-zz\"]}}");

  /* A second branch from 2-bb: a conflict, the greater hash wins. */
  g_ptr_array_set_size (docs, 0);
  g_ptr_array_add (docs, replicated_doc ("m", 3, path_b, "{\"side\":\"b\"}"));
  g_assert_true (dengon_store_put_replicated (f->store, docs, &failures, &error));
  g_assert_no_error (error);
  g_clear_pointer (&failures, g_ptr_array_unref);

  doc = dengon_store_get_full (f->store, "m", NULL, DENGON_STORE_GET_REVISIONS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (doc, "_rev"), ==, "3-dd");
  g_assert_cmpstr (dengon_json_get_string (doc, "side"), ==, "b");
  g_clear_pointer (&canonical, g_free);
  canonical = dengon_json_canonical_object (dengon_json_get_object (doc, "_revisions"));
  g_assert_cmpstr (canonical, ==, "{\"ids\":[\"dd\",\"bb\",\"aa\"],\"start\":3}");

  conflicts = dengon_store_get_conflicts (f->store, "m", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (conflicts), ==, 1);
  g_assert_cmpstr (conflicts[0], ==, "3-cc");

  /* The dethroned winner keeps its body; the winner's is stored once. */
  {
    g_autoptr (JsonObject) loser = dengon_store_get_full (f->store, "m", "3-cc", 0, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (dengon_json_get_string (loser, "side"), ==, "a");
    g_assert_cmpint (sqlite_int (f->path, "SELECT count(*) FROM revs WHERE body IS NOT NULL"), ==,
                     1);
  }

  /* Idempotent: the same revisions again change nothing. */
  seq = dengon_store_get_update_seq (f->store);
  g_ptr_array_add (docs, replicated_doc ("m", 3, path_a, "{\"side\":\"a\"}"));
  g_assert_true (dengon_store_put_replicated (f->store, docs, &failures, &error));
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, seq);

  /* Resolving: a deleted child of the losing leaf closes the conflict. */
  {
    g_autofree char *rev = NULL;
    g_auto (GStrv) after = NULL;

    rev = dengon_store_delete (f->store, "m", "3-cc", &error);
    g_assert_no_error (error);
    after = dengon_store_get_conflicts (f->store, "m", &error);
    g_assert_cmpuint (g_strv_length (after), ==, 0);
  }
}

static void
test_replicated_bad_docs (Fixture *f, gconstpointer data)
{
  static const char *good_ids[] = { "a1", NULL };
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) failures = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) good = NULL;

  g_ptr_array_add (docs, parse ("{\"_id\":\"x\",\"_rev\":\"garbage\"}"));
  g_ptr_array_add (
      docs,
      parse ("{\"_id\":\"y\",\"_rev\":\"2-b\",\"_revisions\":{\"start\":5,\"ids\":[\"b\"]}}"));
  g_ptr_array_add (docs, parse ("{\"_id\":\"z\",\"_rev\":\"1-c\",\"_attachments\":{\"f\":{}}}"));
  g_ptr_array_add (docs, parse ("{\"_rev\":\"1-d\"}"));
  g_ptr_array_add (docs, replicated_doc ("good", 1, good_ids, "{\"ok\":true}"));

  g_assert_true (dengon_store_put_replicated (f->store, docs, &failures, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 4);
  for (guint i = 0; i < failures->len; i++)
    g_assert_cmpstr (dengon_json_get_string (failures->pdata[i], "error"), ==, "forbidden");
  good = dengon_store_get (f->store, "good", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 1);
}

static void
test_open_revs (Fixture *f, gconstpointer data)
{
  static const char *path_a[] = { "cc", "bb", "aa", NULL };
  static const char *path_b[] = { "dd", "bb", "aa", NULL };
  static const char *wanted[] = { "2-bb", "3-cc", "9-nope", NULL };
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) all = NULL;
  g_autoptr (JsonArray) latest = NULL;
  g_autoptr (JsonArray) exact = NULL;

  g_ptr_array_add (docs, replicated_doc ("m", 3, path_a, "{\"side\":\"a\"}"));
  g_ptr_array_add (docs, replicated_doc ("m", 3, path_b, "{\"side\":\"b\"}"));
  g_assert_true (dengon_store_put_replicated (f->store, docs, NULL, &error));

  all = dengon_store_open_revs (f->store, "m", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (all), ==, 2);

  /* latest=true: 2-bb is no longer a leaf, its two leaves come instead. */
  latest = dengon_store_open_revs (f->store, "m", wanted, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (latest), ==, 3);
  g_assert_nonnull (dengon_json_get_object (json_array_get_object_element (latest, 0), "ok"));
  g_assert_nonnull (dengon_json_get_object (json_array_get_object_element (latest, 1), "ok"));
  g_assert_cmpstr (dengon_json_get_string (json_array_get_object_element (latest, 2), "missing"),
                   ==, "9-nope");

  exact = dengon_store_open_revs (f->store, "m", wanted, FALSE, &error);
  g_assert_cmpstr (dengon_json_get_string (json_array_get_object_element (exact, 0), "missing"), ==,
                   "2-bb");
  g_assert_cmpstr (
      dengon_json_get_string (
          dengon_json_get_object (json_array_get_object_element (exact, 1), "ok"), "side"),
      ==, "a");
}

/* ------------------------------------------------------------------ changes */

static void
test_changes_order_and_paging (Fixture *f, gconstpointer data)
{
  g_autofree char *a1 = put_json (f->store, "{\"_id\":\"a\"}");
  g_autofree char *b1 = put_json (f->store, "{\"_id\":\"b\"}");
  g_autofree char *c1 = put_json (f->store, "{\"_id\":\"c\"}");
  g_autofree char *json = g_strdup_printf ("{\"_id\":\"a\",\"_rev\":\"%s\",\"v\":2}", a1);
  g_autofree char *a2 = put_json (f->store, json);
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  gint64 last = 0, since = 0;
  g_autoptr (GString) order = g_string_new (NULL);

  /* Each document once, at its latest change, in commit order. */
  all = dengon_store_changes (f->store, 0, 0, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (((DengonStoreFeedEntry *) all->pdata[0])->id, ==, "b");
  g_assert_cmpstr (((DengonStoreFeedEntry *) all->pdata[1])->id, ==, "c");
  g_assert_cmpstr (((DengonStoreFeedEntry *) all->pdata[2])->id, ==, "a");
  g_assert_cmpint (((DengonStoreFeedEntry *) all->pdata[2])->seq, ==, 4);
  g_assert_cmpstr (((DengonStoreFeedEntry *) all->pdata[2])->revs[0], ==, a2);
  g_assert_cmpint (last, ==, 4);

  /* Pages of one, resuming from last_seq, until an empty page. */
  for (;;)
    {
      g_autoptr (GPtrArray) page = dengon_store_changes (f->store, since, 1, &last, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      g_assert_cmpuint (page->len, ==, 1);
      g_string_append (order, ((DengonStoreFeedEntry *) page->pdata[0])->id);
      g_assert_cmpint (last, >, since);
      since = last;
    }
  g_assert_cmpstr (order->str, ==, "bca");
  g_assert_cmpint (last, ==, 4);
}

static void
test_local_docs (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) checkpoint = parse ("{\"last_seq\":5,\"session_id\":\"s\"}");
  g_autoptr (GError) error = NULL;
  g_autofree char *rev1 = dengon_store_put_local (f->store, "repl-1", checkpoint, &error);
  g_autofree char *rev2 = NULL;
  g_autoptr (JsonObject) doc = NULL;
  g_autoptr (GPtrArray) feed = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (rev1, ==, "0-1");
  json_object_set_int_member (checkpoint, "last_seq", 9);
  rev2 = dengon_store_put_local (f->store, "repl-1", checkpoint, &error);
  g_assert_cmpstr (rev2, ==, "0-2");
  doc = dengon_store_get_local (f->store, "repl-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (doc, "_id"), ==, "_local/repl-1");
  g_assert_cmpstr (dengon_json_get_string (doc, "_rev"), ==, "0-2");
  g_assert_cmpint (dengon_json_get_int (doc, "last_seq", 0), ==, 9);

  /* Never replicated: no sequence number, not in the feed. */
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 0);
  feed = dengon_store_changes (f->store, 0, 0, NULL, &error);
  g_assert_cmpuint (feed->len, ==, 0);

  g_assert_true (dengon_store_delete_local (f->store, "repl-1", &error));
  g_clear_pointer (&doc, json_object_unref);
  doc = dengon_store_get_local (f->store, "repl-1", &error);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND);
}

/* ------------------------------------------------------------------ signal */

static void
on_changed (DengonStore *store, GPtrArray *changes, GPtrArray *seen)
{
  /* Emitted on the main context's thread. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];

      g_ptr_array_add (seen,
                       g_strdup_printf ("%s@%" G_GINT64_FORMAT "%s%s", change->id, change->seq,
                                        change->created ? "+" : "", change->deleted ? "-" : ""));
    }
}

static gpointer
put_in_thread (gpointer data)
{
  DengonStore *store = data;

  return put_json (store, "{\"_id\":\"from-thread\"}");
}

static void
test_changed_signal (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) bad = parse ("{\"_id\":\"_bad\"}");
  g_autofree char *rev = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *thread_rev = NULL;
  g_autoptr (GThread) thread = NULL;
  g_autofree char *json = NULL;

  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), seen);

  rev = put_json (f->store, "{\"_id\":\"a\"}");
  /* After the commit, from the main loop, not inside put(). */
  g_assert_cmpuint (seen->len, ==, 0);
  drain_main_context ();
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (seen->pdata[0], ==, "a@1+");

  /* A failed write and a local document emit nothing. */
  g_assert_null (dengon_store_put (f->store, bad, NULL));
  g_free (dengon_store_put_local (f->store, "x", bad, NULL));
  drain_main_context ();
  g_assert_cmpuint (seen->len, ==, 1);

  /* A write on another thread is reported on the main context. */
  thread = g_thread_new ("writer", put_in_thread, f->store);
  thread_rev = g_thread_join (g_steal_pointer (&thread));
  json = g_strdup_printf ("{\"_id\":\"a\",\"_rev\":\"%s\"}", rev);
  rev2 = dengon_store_delete (f->store, "a", rev, NULL);
  drain_main_context ();
  g_assert_cmpuint (seen->len, ==, 3);
  g_assert_cmpstr (seen->pdata[1], ==, "from-thread@2+");
  g_assert_cmpstr (seen->pdata[2], ==, "a@3-");
}

/* Another process on the same file (here: a second store, with its own
 * connections): its commits are reported here, and this store's next
 * write follows its sequence numbers instead of colliding with them. */
static void
test_changed_other_writer (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) other = dengon_store_open (f->path, &error);
  g_autofree char *rev = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *mine = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), seen);
  rev = put_json (f->store, "{\"_id\":\"a\"}");
  drain_main_context ();
  g_assert_cmpuint (seen->len, ==, 1);

  /* Noticed without writing here: the file changed. */
  theirs = put_json (other, "{\"_id\":\"theirs\",\"type\":\"staff\"}");
  g_assert_nonnull (theirs);
  while (seen->len < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpstr (seen->pdata[1], ==, "theirs@2+");
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 2);

  /* A write here right after one there: reported in commit order, and ours
   * takes the next number. */
  g_free (put_json (other, "{\"_id\":\"theirs-2\"}"));
  mine = put_json (f->store, "{\"_id\":\"mine\"}");
  g_assert_nonnull (mine);
  drain_main_context ();
  g_assert_cmpuint (seen->len, >=, 4);
  g_assert_cmpstr (seen->pdata[2], ==, "theirs-2@3+");
  g_assert_cmpstr (seen->pdata[3], ==, "mine@4+");
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, 4);

  g_signal_handlers_disconnect_by_data (f->store, seen);
  drain_main_context ();
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* ------------------------------------------------------------------ async */

static void
on_put_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = dengon_store_put_finish (DENGON_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async_put (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) doc = parse ("{\"_id\":\"async\",\"v\":1}");
  g_autofree char *rev = NULL;
  g_autoptr (JsonObject) stored = NULL;

  dengon_store_put_async (f->store, doc, NULL, on_put_done, &rev);
  while (rev == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (is_rev (rev, 1));
  stored = dengon_store_get (f->store, "async", NULL);
  g_assert_cmpstr (dengon_json_get_string (stored, "_rev"), ==, rev);

  /* The worker thread drops its task (and so the store) after the callback
   * may have run: wait for it before the fixture checks the store is freed. */
  while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* ------------------------------------------------------------------ bad files */

static void
test_bad_corrupt_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autofree char *after = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *moved_content = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  const char garbage[] = "these are not the bytes of a database, but customers' messages\n";

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  store = dengon_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Never overwritten. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);

  /* Moved aside on request, then a fresh start works. */
  moved = dengon_store_move_aside (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (moved, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (moved, &moved_content, NULL, NULL));
  g_assert_cmpstr (moved_content, ==, garbage);
  store = dengon_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

static void
test_bad_damaged_pages (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = dengon_store_open (path, &error);
  g_autofree char *contents = NULL;
  gsize length;

  /* A real database whose pages are overwritten after the header. */
  for (int i = 0; i < 50; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"d%d\",\"text\":\"%0400d\"}", i, i);

      g_free (put_json (store, json));
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8192);
  memset (contents + 100, 0xA5, length - 100);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));

  store = dengon_store_open (path, &error);
  g_assert_null (store);
  g_assert_true (g_error_matches (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CORRUPT) ||
                 g_error_matches (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FOREIGN));
  remove_tree (dir);
}

static void
test_bad_foreign_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db, "CREATE TABLE invoices (n INTEGER); INSERT INTO invoices VALUES (42);",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
  sqlite3_close (db);

  store = dengon_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FOREIGN);
  g_assert_cmpint (sqlite_int (path, "SELECT n FROM invoices"), ==, 42);
  g_assert_cmpint (sqlite_int (path, "SELECT count(*) FROM sqlite_master"), ==, 1);
  remove_tree (dir);
}

static void
test_bad_too_new (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db;

  drain_main_context ();
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->store = dengon_store_open (f->path, &error);
  g_assert_null (f->store);
  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_cmpint (sqlite_int (f->path, "PRAGMA user_version"), ==, 99);
}

static void
test_bad_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *big = NULL;
  g_autofree char *integrity = NULL;
  gint64 pages = sqlite_int (f->path, "PRAGMA page_count");
  guint saved = 0;

  /* SQLite's own "disk full": the database may not grow past this. */
  g_autofree char *limit =
      g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 40);
  g_assert_true (dengon_store_exec_for_testing (f->store, limit, &error));

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *json =
          g_strdup_printf ("{\"_id\":\"memo:%u\",\"type\":\"memo\",\"created_at\":"
                           "\"2026-11-23T01:00:00.000Z\",\"message\":\"%02000u\"}",
                           i, i);
      g_autoptr (JsonObject) doc = parse (json);
      g_autofree char *rev = dengon_store_put (f->store, doc, &error);

      if (rev == NULL)
        break;
      saved++;
    }

  g_assert_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_cmpuint (saved, >, 0);

  /* Nothing half-written: every saved memo is whole, the failed one absent. */
  for (guint i = 0; i <= saved; i++)
    {
      g_autofree char *id = g_strdup_printf ("memo:%u", i);
      g_autoptr (JsonObject) doc = dengon_store_get (f->store, id, NULL);

      if (i < saved)
        g_assert_cmpuint (strlen (dengon_json_get_string (doc, "message")), ==, 2000);
      else
        g_assert_null (doc);
    }
  g_assert_cmpint (dengon_store_get_update_seq (f->store), ==, saved);
  g_assert_cmpuint (dengon_store_count_memos (f->store, NULL, 0, NULL), ==, saved);
  integrity = sqlite_text (f->path, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  /* Space again: writes work again. */
  g_clear_error (&error);
  g_assert_true (
      dengon_store_exec_for_testing (f->store, "PRAGMA max_page_count = 1073741823", &error));
  g_free (put_json (f->store, "{\"_id\":\"after\"}"));
}

/* ------------------------------------------------------------------ migration */

static void
test_migration_from_v1 (void)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "dengon-v1.db", NULL);
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (GPtrArray) hits = NULL;
  g_auto (GStrv) conflicts = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_cmpint (sqlite_int (path, "PRAGMA user_version"), ==, 1);

  store = dengon_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (path, "PRAGMA user_version"), ==, DENGON_STORE_SCHEMA_VERSION);
  g_assert_cmpint (dengon_store_get_update_seq (store), ==, 5);

  /* Documents, revisions and conflicts come through unchanged... */
  memo = dengon_store_get (store, "memo:0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dengon_json_get_string (dengon_json_get_object (memo, "caller"), "name"), ==,
                   "田中");
  conflicts = dengon_store_get_conflicts (store, "memo:0002", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (conflicts), ==, 1);

  /* ...and the new search index covers the old memos. */
  hits = dengon_store_search_memos (store, "田中", NULL, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((DengonMemoHit *) hits->pdata[0])->id, ==, "memo:0001");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = dengon_store_search_memos (store, "見積書", NULL, 0, 50, &error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = dengon_store_search_memos (store, "5678", NULL, 0, 50, &error);
  g_assert_cmpuint (hits->len, ==, 1);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

/* ------------------------------------------------------------------ crash safety */

#define CRASH_ROUNDS 20

/* The child: save memos one after another, report each id once put() returned. */
static int
crash_child (const char *path, const char *prefix)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = dengon_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }

  for (guint i = 0;; i++)
    {
      g_autofree char *json =
          g_strdup_printf ("{\"_id\":\"memo:%s-%u\",\"type\":\"memo\","
                           "\"created_at\":\"2026-11-23T09:00:00.000Z\","
                           "\"caller\":{\"name\":\"佐藤\"},\"message\":\"折り返し %u\"}",
                           prefix, i, i);
      g_autoptr (JsonObject) doc = dengon_json_parse_object (json, -1, NULL, NULL);
      g_autofree char *rev = dengon_store_put (store, doc, &error);

      if (rev == NULL)
        {
          g_printerr ("child: %s\n", error->message);
          return 1;
        }
      g_print ("memo:%s-%u\n", prefix, i);
      fflush (stdout);
    }
}

static void
test_crash_safety (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  const char *self = g_getenv ("DENGON_TEST_SELF");

  g_assert_nonnull (self);

  for (guint round = 0; round < CRASH_ROUNDS; round++)
    {
      g_autofree char *prefix = g_strdup_printf ("r%u", round);
      const char *argv[] = { self, "--crash-child", path, prefix, NULL };
      g_autoptr (GError) error = NULL;
      g_autoptr (DengonStore) store = NULL;
      g_autoptr (GIOChannel) channel = NULL;
      g_autofree char *integrity = NULL;
      GPid pid;
      int out_fd, status;
      guint lines = 0, kill_after = g_rand_int_range (rand, 1, 60);
      guint extra_us = g_rand_int_range (rand, 0, 3000);

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                               &out_fd, NULL, &error));
      g_assert_no_error (error);
      channel = g_io_channel_unix_new (out_fd);
      g_io_channel_set_close_on_unref (channel, TRUE);

      /* Kill at a random moment: after a random number of saves, plus a
       * random fraction of the next one. */
      while (lines < kill_after)
        {
          g_autofree char *line = NULL;
          gsize len;

          if (g_io_channel_read_line (channel, &line, &len, NULL, NULL) != G_IO_STATUS_NORMAL)
            break;
          g_strchomp (line);
          g_hash_table_add (reported, g_steal_pointer (&line));
          lines++;
        }
      g_usleep (extra_us);
      kill (pid, SIGKILL);
      /* Lines already written before the kill count too: each was saved. */
      for (;;)
        {
          g_autofree char *line = NULL;
          gsize len;

          if (g_io_channel_read_line (channel, &line, &len, NULL, NULL) != G_IO_STATUS_NORMAL)
            break;
          g_strchomp (line);
          if (*line)
            g_hash_table_add (reported, g_steal_pointer (&line));
        }
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status));

      store = dengon_store_open (path, &error);
      g_assert_no_error (error);
      {
        GHashTableIter iter;
        const char *id;

        g_hash_table_iter_init (&iter, reported);
        while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
          {
            g_autoptr (JsonObject) doc = dengon_store_get (store, id, &error);

            g_assert_no_error (error);
            g_assert_nonnull (doc);
          }
      }
      g_assert_cmpuint (dengon_store_count_memos (store, NULL, 0, NULL), >=,
                        g_hash_table_size (reported));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_finalize_object (g_steal_pointer (&store));
      integrity = sqlite_text (path, "PRAGMA integrity_check");
      g_assert_cmpstr (integrity, ==, "ok");
    }

  g_test_message ("%u saves reported over %d kills, all found", g_hash_table_size (reported),
                  CRASH_ROUNDS);
  remove_tree (dir);
}

/* ------------------------------------------------------------------ memo lists */

static char *
memo_json (guint i, const char *status, const char *assignee, const char *callback_by,
           const char *category)
{
  g_autoptr (GDateTime) base = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr (GDateTime) created = g_date_time_add_minutes (base, i * 7);
  g_autofree char *ts = dengon_json_timestamp (created);
  g_autofree char *assignee_json =
      assignee ? g_strdup_printf ("\"%s\"", assignee) : g_strdup ("null");
  g_autofree char *callback_json =
      callback_by ? g_strdup_printf ("{\"requested\":true,\"by\":\"%s\"}", callback_by)
                  : g_strdup ("{\"requested\":false}");

  return g_strdup_printf (
      "{\"_id\":\"memo:%04u\",\"type\":\"memo\",\"created_at\":\"%s\",\"status\":\"%s\","
      "\"for\":%s,\"category\":\"%s\",\"callback\":%s,\"message\":\"m%u\"}",
      i, ts, status, assignee_json, category, callback_json, i);
}

static void
assert_hits (GPtrArray *hits, const char *expected)
{
  g_autoptr (GString) ids = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    g_string_append_printf (ids, "%s%s", i ? " " : "", ((DengonMemoHit *) hits->pdata[i])->id + 5);
  g_assert_cmpstr (ids->str, ==, expected);
}

static void
test_list_filters (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *status, *assignee, *callback_by, *category;
  } memos[] = {
    { "new", NULL, NULL, "general" },                                 /* 0000 */
    { "assigned", "staff:ken", "2026-11-01T00:30:00.000Z", "order" }, /* 0001 */
    { "acknowledged", "staff:ken", NULL, "general" },                 /* 0002 */
    { "done", "staff:ken", "2026-11-01T00:00:00.000Z", "complaint" }, /* 0003 */
    { "assigned", "staff:aya", "2026-11-05T00:00:00.000Z", "sales" }, /* 0004 */
    { "called_back", "staff:aya", NULL, "general" },                  /* 0005 */
  };
  g_autoptr (GError) error = NULL;
  DengonMemoQuery query = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (memos); i++)
    {
      g_autofree char *json = memo_json (i, memos[i].status, memos[i].assignee,
                                         memos[i].callback_by, memos[i].category);

      g_free (put_json (f->store, json));
    }
  g_free (put_json (f->store, "{\"_id\":\"staff:ken\",\"type\":\"staff\"}"));

#define CHECK(expected)                                                                     \
  G_STMT_START                                                                              \
  {                                                                                         \
    g_autoptr (GPtrArray) hits = dengon_store_list_memos (f->store, &query, 0, 50, &error); \
    g_assert_no_error (error);                                                              \
    assert_hits (hits, expected);                                                           \
    g_assert_cmpuint (dengon_store_count_memos (f->store, &query, 0, NULL), ==, hits->len); \
  }                                                                                         \
  G_STMT_END

  CHECK ("0005 0004 0003 0002 0001 0000");
  query.status_mask = 0xf; /* open */
  CHECK ("0005 0004 0002 0001 0000");
  query.assignee = "staff:ken";
  CHECK ("0002 0001");
  query.status_mask = 1 << 4;
  CHECK ("0003");
  query = (DengonMemoQuery){ .unassigned = TRUE };
  CHECK ("0000");
  query = (DengonMemoQuery){ .category = "general" };
  CHECK ("0005 0002 0000");
  query = (DengonMemoQuery){ .overdue_at_ms =
                                 dengon_json_timestamp_to_ms ("2026-11-02T00:00:00.000Z") };
  CHECK ("0001");
  query = (DengonMemoQuery){ .from_ms = dengon_json_timestamp_to_ms ("2026-11-01T00:07:00.000Z"),
                             .to_ms = dengon_json_timestamp_to_ms ("2026-11-01T00:28:00.000Z") };
  CHECK ("0003 0002 0001");
#undef CHECK

  /* A capped count stops early. */
  g_assert_cmpuint (dengon_store_count_memos (f->store, NULL, 4, NULL), ==, 4);
}

static void
test_list_keyset_paging (gconstpointer data)
{
  guint page_size = GPOINTER_TO_UINT (data);
  g_autofree char *dir = g_dir_make_tmp ("dengon-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autoptr (DengonStore) store = dengon_store_open (path, NULL);
  g_autoptr (GString) all = g_string_new (NULL);
  g_autoptr (GString) expected = g_string_new (NULL);
  gint64 before = 0;
  guint pages = 0;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *json = memo_json (i, "new", NULL, NULL, "general");

      g_free (put_json (store, json));
    }
  for (guint i = 30; i-- > 0;)
    g_string_append_printf (expected, "%s%04u", expected->len ? " " : "", i);

  for (;;)
    {
      g_autoptr (GPtrArray) hits = dengon_store_list_memos (store, NULL, before, page_size, NULL);

      if (hits->len == 0)
        break;
      g_assert_cmpuint (hits->len, <=, page_size);
      for (guint i = 0; i < hits->len; i++)
        g_string_append_printf (all, "%s%s", all->len ? " " : "",
                                ((DengonMemoHit *) hits->pdata[i])->id + 5);
      before = ((DengonMemoHit *) hits->pdata[hits->len - 1])->key;
      pages++;
    }

  g_assert_cmpstr (all->str, ==, expected->str);
  g_assert_cmpuint (pages, ==, (30 + page_size - 1) / page_size);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

static void
test_list_status_from_history (Fixture *f, gconstpointer data)
{
  DengonMemoQuery mine = { .status_mask = 0xf, .assignee = "staff:ken" };
  g_autoptr (GPtrArray) hits = NULL;

  /* A peer sent a stale cache ("done", nobody): the history says otherwise. */
  g_free (put_json (
      f->store, "{\"_id\":\"memo:h\",\"type\":\"memo\",\"created_at\":\"2026-11-23T01:00:00.000Z\","
                "\"status\":\"done\",\"for\":null,\"history\":["
                "{\"at\":\"2026-11-23T01:00:00.000Z\",\"by\":\"staff:aya\",\"action\":\"create\"},"
                "{\"at\":\"2026-11-23T01:01:00.000Z\",\"by\":\"staff:aya\",\"action\":\"assign\","
                "\"from\":null,\"to\":\"staff:ken\"}]}"));
  hits = dengon_store_list_memos (f->store, &mine, 0, 50, NULL);
  assert_hits (hits, "h");
}

static void
test_list_same_millisecond (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) hits = NULL;

  /* Two desks may save at the same millisecond: both are listed. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"memo:same%u\",\"type\":\"memo\","
                                               "\"created_at\":\"2026-11-23T09:00:00.000Z\"}",
                                               i);

      g_free (put_json (f->store, json));
    }
  hits = dengon_store_list_memos (f->store, NULL, 0, 50, NULL);
  g_assert_cmpuint (hits->len, ==, 5);
}

/* ------------------------------------------------------------------ search */

static const char *surnames[] = { "田中", "佐藤", "鈴木", "高橋", "伊藤",
                                  "渡辺", "山本", "中村", "小林", "加藤" };
static const char *given[] = { "太郎", "花子", "一郎", "美咲", "健", "", "由美", "翔" };
static const char *companies[] = { "株式会社田中工務店", "佐藤商事", "ABC Trading", "山本運輸",
                                   "有限会社 鈴木",      "",         "中村製作所",  "田中" };
static const char *phrases[] = { "見積",         "見積書の件で",         "返品",
                                 "納期について", "請求書を再送",         "estimate please",
                                 "お問い合わせ", "折り返しお願いします", "至急",
                                 "品番 A-12",    "ＡＢＣの件",           "ｶﾀｶﾅ" };

typedef struct
{
  char *id;
  char *caller;
  char *company;
  char *message;
  char *digits;
} Memo;

static void
memo_free (Memo *m)
{
  g_free (m->id);
  g_free (m->caller);
  g_free (m->company);
  g_free (m->message);
  g_free (m->digits);
  g_free (m);
}

static char *
fold (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);

  return g_utf8_strdown (nfkc, -1);
}

/* The oracle: does the memo contain every term (as the user meant it)? */
static gboolean
brute_force_match (Memo *m, GPtrArray *terms)
{
  g_autofree char *caller = fold (m->caller);
  g_autofree char *company = fold (m->company);
  g_autofree char *message = fold (m->message);

  for (guint i = 0; i < terms->len; i++)
    {
      const char *t = terms->pdata[i];

      if (!strstr (caller, t) && !strstr (company, t) && !strstr (message, t) &&
          !strstr (m->digits, t))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char *dir;
  DengonStore *store;
  GPtrArray *memos; /* oldest first */
} SearchCorpus;

static SearchCorpus corpus;

static void
build_corpus (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261123);
  g_autofree char *path = NULL;
  g_autoptr (GDateTime) base = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);

  corpus.dir = g_dir_make_tmp ("dengon-search-XXXXXX", NULL);
  path = g_build_filename (corpus.dir, "dengon.db", NULL);
  corpus.store = dengon_store_open (path, NULL);
  corpus.memos = g_ptr_array_new_with_free_func ((GDestroyNotify) memo_free);

  for (guint i = 0; i < 1500; i++)
    {
      Memo *m = g_new0 (Memo, 1);
      g_autoptr (GDateTime) created = g_date_time_add_minutes (base, i * 13);
      g_autofree char *ts = dengon_json_timestamp (created);
      g_autoptr (JsonObject) doc = json_object_new ();
      JsonObject *caller = json_object_new ();
      JsonObject *call = json_object_new ();
      g_autoptr (GString) message = g_string_new (NULL);
      guint area = g_rand_int_range (rand, 1, 10);
      guint a = g_rand_int_range (rand, 1000, 10000), b = g_rand_int_range (rand, 1000, 10000);
      g_autofree char *display = g_strdup_printf ("0%u-%u-%u", area, a, b);
      g_autofree char *key = g_strdup_printf ("+81%u%u%u", area, a, b);

      m->id = g_strdup_printf ("memo:%05u", i);
      m->caller =
          g_strdup_printf ("%s%s%s", surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
                           g_rand_boolean (rand) ? " " : "",
                           given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))]);
      g_strstrip (m->caller);
      m->company = g_strdup (companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))]);
      for (guint k = g_rand_int_range (rand, 1, 4); k > 0; k--)
        g_string_append_printf (message, "%s%s", message->len ? "。" : "",
                                phrases[g_rand_int_range (rand, 0, G_N_ELEMENTS (phrases))]);
      m->message = g_string_free (g_steal_pointer (&message), FALSE);
      m->digits = g_strdup_printf ("0%u%u%u", area, a, b);

      json_object_set_string_member (doc, "_id", m->id);
      json_object_set_string_member (doc, "type", "memo");
      json_object_set_string_member (doc, "created_at", ts);
      json_object_set_string_member (caller, "name", m->caller);
      json_object_set_string_member (caller, "company", m->company);
      json_object_set_object_member (doc, "caller", caller);
      json_object_set_string_member (call, "number", key);
      json_object_set_string_member (call, "number_display", display);
      json_object_set_object_member (doc, "call", call);
      json_object_set_string_member (doc, "message", m->message);
      g_free (dengon_store_put (corpus.store, doc, NULL));
      g_ptr_array_add (corpus.memos, m);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
free_corpus (void)
{
  if (corpus.store == NULL)
    return;
  g_assert_finalize_object (corpus.store);
  g_ptr_array_unref (corpus.memos);
  remove_tree (corpus.dir);
  g_free (corpus.dir);
}

static const char *search_queries[] = {
  "田中",   /* two-character surname, also at the very end of a field */
  "中",     /* one character */
  "見積",   /* two-character word */
  "見積書", /* three characters: trigram proper */
  "返品",         "株式会社", "山本 見積",       /* two short terms */
  "田中　請求書",                                /* full-width space between terms */
  "佐藤 花子",    "翔",                          /* one character, at the end of the name */
  "ABC",          "abc",                         /* case does not matter */
  "ＡＢＣ",                                      /* full-width letters */
  "カタカナ",                                    /* half-width kana in the text */
  "estimate",     "Trading",  "a-1",       "03", /* number fragments, any written form */
  "1234",         "03-1",     "０３－",    "(03)", "+81", "田中 1", "存在しない言葉", "zz",
};

static void
test_search_vs_brute_force (gconstpointer data)
{
  const char *query = data;
  g_autoptr (GPtrArray) terms = dengon_store_split_query (query);
  g_autoptr (GString) got = g_string_new (NULL);
  g_autoptr (GString) want = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  gint64 before = 0;
  guint pages = 0;

  if (corpus.store == NULL)
    build_corpus ();

  for (guint i = corpus.memos->len; i-- > 0;)
    {
      Memo *m = corpus.memos->pdata[i];

      if (brute_force_match (m, terms))
        g_string_append_printf (want, "%s ", m->id);
    }

  /* Every hit, newest first, page by page (the UI asks for 50 at a time). */
  for (;;)
    {
      g_autoptr (GPtrArray) hits =
          dengon_store_search_memos (corpus.store, query, NULL, before, 50, &error);

      g_assert_no_error (error);
      if (hits->len == 0)
        break;
      for (guint i = 0; i < hits->len; i++)
        g_string_append_printf (got, "%s ", ((DengonMemoHit *) hits->pdata[i])->id);
      before = ((DengonMemoHit *) hits->pdata[hits->len - 1])->key;
      pages++;
    }

  {
    guint n = 0;

    for (const char *p = want->str; *p; p++)
      n += *p == ' ';
    g_test_message ("%s: %u hits in %u pages", query, n, pages);
  }
  g_assert_cmpstr (got->str, ==, want->str);
}

static const char *hostile_queries[] = {
  "\"",
  "\"\"",
  "*",
  "田中*",
  "-",
  "- 田中",
  "(",
  ")",
  "(田中",
  ":",
  "caller:田中",
  "NEAR",
  "NEAR(a b)",
  "AND",
  "OR",
  "NOT",
  "田中 AND",
  "a OR b",
  "^",
  "{caller}",
  "'",
  "\\",
  "%",
  "_",
  "\x01",
  "田中\"見積",
  "\"田中\" OR \"1=1\"",
  "  ",
  "",
  "　",
  "a\tb",
  "\xe3\x81", /* cut UTF-8 */
};

static void
test_search_hostile_input (gconstpointer data)
{
  const char *query = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hits = NULL;

  if (corpus.store == NULL)
    build_corpus ();

  hits = dengon_store_search_memos (corpus.store, query, NULL, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hits);
}

static void
test_search_with_filter (void)
{
  DengonMemoQuery query = { .from_ms = dengon_json_timestamp_to_ms ("2026-01-05T00:00:00.000Z"),
                            .to_ms = dengon_json_timestamp_to_ms ("2026-01-08T00:00:00.000Z") };
  g_autoptr (GPtrArray) hits = NULL;
  g_autoptr (GPtrArray) terms = dengon_store_split_query ("田中");
  guint expected = 0;

  if (corpus.store == NULL)
    build_corpus ();

  for (guint i = 0; i < corpus.memos->len; i++)
    {
      guint minutes = i * 13;

      if (minutes >= 4 * 24 * 60 && minutes < 7 * 24 * 60 &&
          brute_force_match (corpus.memos->pdata[i], terms))
        expected++;
    }
  hits = dengon_store_search_memos (corpus.store, "田中", &query, 0, 1000, NULL);
  g_assert_cmpuint (hits->len, ==, expected);
  g_assert_cmpuint (expected, >, 0);
}

int
main (int argc, char *argv[])
{
  int status;

  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2], argv[3]);

  g_setenv ("DENGON_TEST_SELF", argv[0], TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/dengon/store/open/fresh", test_open_fresh);
  ADD ("/dengon/store/open/reopen", test_open_reopen_keeps_uuid_and_seq);
  ADD ("/dengon/store/crud/put-get", test_crud_put_get);
  ADD ("/dengon/store/crud/update", test_crud_update);
  ADD ("/dengon/store/crud/deterministic-rev", test_crud_deterministic_rev);
  ADD ("/dengon/store/crud/delete", test_crud_delete);
  ADD ("/dengon/store/conflict/stale-rev", test_conflict_stale_rev);
  ADD ("/dengon/store/conflict/missing-rev", test_conflict_missing_rev);
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dengon/store/invalid/%s", invalid_cases[i].name);
      g_test_add_data_func (path, &invalid_cases[i], test_invalid);
    }
  g_test_add_func ("/dengon/store/winner/compare", test_winner_compare);
  for (guint i = 0; i < G_N_ELEMENTS (winner_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dengon/store/winner/%s", winner_cases[i].name);
      g_test_add_data_func (path, &winner_cases[i], test_winner);
    }
  ADD ("/dengon/store/replicated/branches", test_replicated_branches);
  ADD ("/dengon/store/replicated/bad-docs", test_replicated_bad_docs);
  ADD ("/dengon/store/replicated/open-revs", test_open_revs);
  ADD ("/dengon/store/replicated/counts-and-conflicted", test_counts_and_conflicted);
  ADD ("/dengon/store/changes/order-and-paging", test_changes_order_and_paging);
  ADD ("/dengon/store/local", test_local_docs);
  ADD ("/dengon/store/changed-signal", test_changed_signal);
  ADD ("/dengon/store/changed-other-writer", test_changed_other_writer);
  ADD ("/dengon/store/async/put", test_async_put);
  g_test_add_func ("/dengon/store/bad/corrupt-file", test_bad_corrupt_file);
  g_test_add_func ("/dengon/store/bad/damaged-pages", test_bad_damaged_pages);
  g_test_add_func ("/dengon/store/bad/foreign-file", test_bad_foreign_file);
  ADD ("/dengon/store/bad/too-new", test_bad_too_new);
  ADD ("/dengon/store/bad/disk-full", test_bad_disk_full);
  g_test_add_func ("/dengon/store/migration/from-v1", test_migration_from_v1);
  g_test_add_func ("/dengon/store/crash-safety", test_crash_safety);
  ADD ("/dengon/store/list/filters", test_list_filters);
  ADD ("/dengon/store/list/same-millisecond", test_list_same_millisecond);
  ADD ("/dengon/store/list/status-from-history", test_list_status_from_history);
  for (guint size = 1; size <= 31; size += (size < 3 ? 1 : 7))
    {
      g_autofree char *path = g_strdup_printf ("/dengon/store/list/keyset-page-%u", size);
      g_test_add_data_func (path, GUINT_TO_POINTER (size), test_list_keyset_paging);
    }
  for (guint i = 0; i < G_N_ELEMENTS (search_queries); i++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (search_queries[i]), "/ \t", '_');
      g_autofree char *path = g_strdup_printf ("/dengon/store/search/exact/%02u-%s", i, name);
      g_test_add_data_func (path, search_queries[i], test_search_vs_brute_force);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hostile_queries); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dengon/store/search/hostile/%u", i);
      g_test_add_data_func (path, hostile_queries[i], test_search_hostile_input);
    }
  g_test_add_func ("/dengon/store/search/with-filter", test_search_with_filter);
#undef ADD

  status = g_test_run ();
  free_corpus ();
  return status;
}
