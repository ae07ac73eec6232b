/* dengon-contact.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "dengon-contact.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"
#include "dengon-store-private.h"

G_DEFINE_QUARK (dengon - contact - error - quark, dengon_contact_error)

static const char *const segment_names[] = { NULL, "new", "existing", "dormant" };
static const char *const quadrant_names[] = { NULL, "keep", "develop", "win_back", "low_priority" };
static const char *const kind_names[] = { "work", "mobile", "home", "fax", "other" };

/* ------------------------------------------------------------------ names */

const char *
dengon_segment_to_string (DengonSegment segment)
{
  g_return_val_if_fail (segment <= DENGON_SEGMENT_DORMANT, NULL);
  return segment_names[segment];
}

DengonSegment
dengon_segment_from_string (const char *text)
{
  for (guint i = 1; i < G_N_ELEMENTS (segment_names); i++)
    if (g_strcmp0 (text, segment_names[i]) == 0)
      return i;
  return DENGON_SEGMENT_UNKNOWN;
}

const char *
dengon_segment_get_label (DengonSegment segment)
{
  switch (segment)
    {
      case DENGON_SEGMENT_NEW:
        return C_ ("segment", "New");
      case DENGON_SEGMENT_EXISTING:
        return C_ ("segment", "Existing");
      case DENGON_SEGMENT_DORMANT:
        return C_ ("segment", "Dormant");
      case DENGON_SEGMENT_UNKNOWN:
      default:
        return "";
    }
}

const char *
dengon_quadrant_to_string (DengonQuadrant quadrant)
{
  g_return_val_if_fail (quadrant <= DENGON_QUADRANT_LOW_PRIORITY, NULL);
  return quadrant_names[quadrant];
}

DengonQuadrant
dengon_quadrant_from_string (const char *text)
{
  for (guint i = 1; i < G_N_ELEMENTS (quadrant_names); i++)
    if (g_strcmp0 (text, quadrant_names[i]) == 0)
      return i;
  return DENGON_QUADRANT_NONE;
}

const char *
dengon_quadrant_get_label (DengonQuadrant quadrant, JsonObject *office)
{
  JsonObject *contacts = office != NULL ? dengon_json_get_object (office, "contacts") : NULL;
  JsonObject *labels =
      contacts != NULL ? dengon_json_get_object (contacts, "quadrant_labels") : NULL;
  const char *label;

  if (quadrant == DENGON_QUADRANT_NONE)
    return "";

  label = labels != NULL ? dengon_json_get_string (labels, quadrant_names[quadrant]) : NULL;
  /* From any desk or server: a label that would not fit a pill is not used. */
  if (label != NULL && *label != '\0' &&
      g_utf8_strlen (label, -1) <= DENGON_QUADRANT_LABEL_MAX_CHARS)
    return label;

  switch (quadrant)
    {
      case DENGON_QUADRANT_KEEP:
        return C_ ("quadrant", "Keep");
      case DENGON_QUADRANT_DEVELOP:
        return C_ ("quadrant", "Develop");
      case DENGON_QUADRANT_WIN_BACK:
        return C_ ("quadrant", "Win Back");
      case DENGON_QUADRANT_LOW_PRIORITY:
        return C_ ("quadrant", "Low Priority");
      case DENGON_QUADRANT_NONE:
      default:
        return "";
    }
}

const char *
dengon_number_kind_to_string (DengonNumberKind kind)
{
  g_return_val_if_fail (kind <= DENGON_NUMBER_KIND_OTHER, "other");
  return kind_names[kind];
}

DengonNumberKind
dengon_number_kind_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      return i;
  return DENGON_NUMBER_KIND_OTHER;
}

const char *
dengon_number_kind_get_label (DengonNumberKind kind)
{
  switch (kind)
    {
      case DENGON_NUMBER_KIND_WORK:
        return C_ ("number kind", "Work");
      case DENGON_NUMBER_KIND_MOBILE:
        return C_ ("number kind", "Mobile");
      case DENGON_NUMBER_KIND_HOME:
        return C_ ("number kind", "Home");
      case DENGON_NUMBER_KIND_FAX:
        return C_ ("number kind", "Fax");
      case DENGON_NUMBER_KIND_OTHER:
      default:
        return C_ ("number kind", "Other");
    }
}

static guint
office_setting (JsonObject *office, const char *member, guint fallback, guint max)
{
  JsonObject *contacts = office != NULL ? dengon_json_get_object (office, "contacts") : NULL;
  gint64 value = contacts != NULL ? dengon_json_get_int (contacts, member, fallback) : fallback;

  return value >= 1 && value <= max ? (guint) value : fallback;
}

guint
dengon_office_get_dormant_months (JsonObject *office)
{
  return office_setting (office, "dormant_after_months", DENGON_CONTACT_DEFAULT_DORMANT_MONTHS,
                         120);
}

guint
dengon_office_get_escalation_days (JsonObject *office)
{
  return office_setting (office, "escalation_outcome_days", DENGON_CONTACT_DEFAULT_ESCALATION_DAYS,
                         365);
}

/* ------------------------------------------------------------------ documents */

JsonObject *
dengon_contact_new (GDateTime *created_at)
{
  JsonObject *contact = json_object_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("contact:", uuid, NULL);
  g_autofree char *created =
      created_at != NULL ? dengon_json_timestamp (created_at) : dengon_json_timestamp_now ();
  static const char *const text_members[] = {
    "name",  "reading",       "company",          "department", "email",
    "notes", "account_owner", "segment_override", "potential",  "relationship"
  };

  json_object_set_string_member (contact, "_id", id);
  json_object_set_string_member (contact, "type", "contact");
  for (guint i = 0; i < G_N_ELEMENTS (text_members); i++)
    json_object_set_null_member (contact, text_members[i]);
  json_object_set_array_member (contact, "numbers", json_array_new ());
  json_object_set_string_member (contact, "created_at", created);

  return contact;
}

gboolean
dengon_contact_is_contact (JsonObject *doc)
{
  return doc != NULL && g_strcmp0 (dengon_json_get_string (doc, "type"), "contact") == 0;
}

static char *
number_entry_key (JsonObject *entry)
{
  const char *number = dengon_json_get_string (entry, "number");

  return dengon_phone_key (number != NULL ? number : dengon_json_get_string (entry, "display"),
                           NULL);
}

gboolean
dengon_contact_add_number (JsonObject *contact, const char *number_as_written,
                           DengonNumberKind kind)
{
  g_autoptr (DengonPhoneNumber) parsed = NULL;
  JsonArray *numbers;
  JsonObject *entry;

  g_return_val_if_fail (contact != NULL, FALSE);

  parsed = dengon_phone_number_parse (number_as_written, NULL, "en");
  if (parsed == NULL)
    return FALSE;

  numbers = dengon_json_get_array (contact, "numbers");
  if (numbers == NULL)
    {
      json_object_set_array_member (contact, "numbers", json_array_new ());
      numbers = dengon_json_get_array (contact, "numbers");
    }
  for (guint i = 0; i < json_array_get_length (numbers); i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);
      g_autofree char *key = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      key = number_entry_key (json_node_get_object (node));
      if (g_strcmp0 (key, parsed->key) == 0)
        return FALSE;
    }
  if (json_array_get_length (numbers) >= DENGON_CONTACT_MAX_NUMBERS)
    return FALSE;

  entry = json_object_new ();
  json_object_set_string_member (entry, "number", parsed->key);
  if (parsed->extension != NULL)
    {
      g_autofree char *display = g_strdup_printf ("%s 内線%s", parsed->display, parsed->extension);

      json_object_set_string_member (entry, "display", display);
    }
  else
    json_object_set_string_member (entry, "display", parsed->display);
  json_object_set_string_member (entry, "kind", dengon_number_kind_to_string (kind));
  json_array_add_object_element (numbers, entry);

  return TRUE;
}

GStrv
dengon_contact_get_number_keys (JsonObject *contact)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *numbers = contact != NULL ? dengon_json_get_array (contact, "numbers") : NULL;

  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);
      g_autofree char *key = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      key = number_entry_key (json_node_get_object (node));
      if (key != NULL)
        g_strv_builder_add (builder, key);
    }

  return g_strv_builder_end (builder);
}

static const char *
first_display (JsonObject *contact)
{
  JsonArray *numbers = dengon_json_get_array (contact, "numbers");

  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *entry = json_node_get_object (node);
          const char *text = dengon_json_get_string (entry, "display");

          if (text == NULL)
            text = dengon_json_get_string (entry, "number");
          if (text != NULL)
            return text;
        }
    }
  return NULL;
}

char *
dengon_contact_get_title (JsonObject *contact)
{
  const char *name = dengon_json_get_string (contact, "name");
  const char *company = dengon_json_get_string (contact, "company");
  const char *number = first_display (contact);

  if (!dengon_text_is_blank (name))
    return g_strdup (name);
  if (!dengon_text_is_blank (company))
    return g_strdup (company);
  if (number != NULL)
    return g_strdup (number);
  return g_strdup (_ ("Unnamed Contact"));
}

static gboolean
high_low (const char *text, gboolean *high)
{
  if (g_strcmp0 (text, "high") == 0)
    *high = TRUE;
  else if (g_strcmp0 (text, "low") == 0)
    *high = FALSE;
  else
    return FALSE;
  return TRUE;
}

DengonQuadrant
dengon_contact_get_quadrant (JsonObject *contact)
{
  gboolean potential, relationship;

  if (contact == NULL || !high_low (dengon_json_get_string (contact, "potential"), &potential) ||
      !high_low (dengon_json_get_string (contact, "relationship"), &relationship))
    return DENGON_QUADRANT_NONE;

  if (potential)
    return relationship ? DENGON_QUADRANT_KEEP : DENGON_QUADRANT_WIN_BACK;
  return relationship ? DENGON_QUADRANT_DEVELOP : DENGON_QUADRANT_LOW_PRIORITY;
}

static gboolean invalid (GError **error, const char *field, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError **error, const char *field, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DENGON_CONTACT_ERROR, DENGON_CONTACT_ERROR_INVALID, "%s: %s", field, message);
  return FALSE;
}

/* A member that is absent, null, or a string of at most @max characters. */
static gboolean
check_text (JsonObject *doc, const char *member, guint max, GError **error)
{
  JsonNode *node = json_object_get_member (doc, member);
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, member, "not a string");
  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, member, "not valid UTF-8");
  if (g_utf8_strlen (text, -1) > max)
    return invalid (error, member, "longer than %u characters", max);
  return TRUE;
}

static gboolean
check_choice (JsonObject *doc, const char *member, const char *const *choices, GError **error)
{
  const char *text;

  if (!check_text (doc, member, 40, error))
    return FALSE;
  text = dengon_json_get_string (doc, member);
  if (text == NULL)
    return TRUE;
  if (!g_strv_contains (choices, text))
    return invalid (error, member, "unknown value \"%s\"", text);
  return TRUE;
}

gboolean
dengon_contact_validate (JsonObject *contact, GError **error)
{
  static const char *const segments[] = { "new", "existing", "dormant", NULL };
  static const char *const levels[] = { "high", "low", NULL };
  static const char *const kinds[] = { "work", "mobile", "home", "fax", "other", NULL };
  const char *id, *owner, *created;
  JsonArray *numbers;

  g_return_val_if_fail (contact != NULL, FALSE);

  id = dengon_json_get_string (contact, "_id");
  if (id == NULL || !g_str_has_prefix (id, "contact:") || strlen (id) <= 8 || strlen (id) > 256)
    return invalid (error, "_id", "not a contact id");
  if (!dengon_contact_is_contact (contact))
    return invalid (error, "type", "not \"contact\"");

  if (!check_text (contact, "name", DENGON_CONTACT_MAX_TEXT, error) ||
      !check_text (contact, "reading", DENGON_CONTACT_MAX_TEXT, error) ||
      !check_text (contact, "company", DENGON_CONTACT_MAX_TEXT, error) ||
      !check_text (contact, "department", DENGON_CONTACT_MAX_TEXT, error) ||
      !check_text (contact, "email", DENGON_CONTACT_MAX_EMAIL, error) ||
      !check_text (contact, "notes", DENGON_CONTACT_MAX_NOTES, error) ||
      !check_text (contact, "account_owner", 256, error) ||
      !check_choice (contact, "segment_override", segments, error) ||
      !check_choice (contact, "potential", levels, error) ||
      !check_choice (contact, "relationship", levels, error) ||
      !check_text (contact, "created_at", 64, error))
    return FALSE;

  owner = dengon_json_get_string (contact, "account_owner");
  if (owner != NULL && !g_str_has_prefix (owner, "staff:"))
    return invalid (error, "account_owner", "not a staff id");
  created = dengon_json_get_string (contact, "created_at");
  if (created != NULL && dengon_json_timestamp_to_ms (created) == 0)
    return invalid (error, "created_at", "not an RFC 3339 time");

  if (json_object_has_member (contact, "numbers") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (contact, "numbers")) &&
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (contact, "numbers")))
    return invalid (error, "numbers", "not a list");
  numbers = dengon_json_get_array (contact, "numbers");
  if (numbers != NULL && json_array_get_length (numbers) > DENGON_CONTACT_MAX_NUMBERS)
    return invalid (error, "numbers", "more than %d numbers", DENGON_CONTACT_MAX_NUMBERS);
  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);
      g_autofree char *path = g_strdup_printf ("numbers[%u]", i);
      g_autoptr (GError) local_error = NULL;
      JsonObject *entry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, path, "not an object");
      entry = json_node_get_object (node);
      if (!check_text (entry, "number", DENGON_CONTACT_MAX_NUMBER, &local_error) ||
          !check_text (entry, "display", DENGON_CONTACT_MAX_NUMBER, &local_error) ||
          !check_choice (entry, "kind", kinds, &local_error))
        return invalid (error, path, "%s", local_error->message);
      if (dengon_json_get_string (entry, "number") == NULL)
        return invalid (error, path, "number: missing");
    }

  return TRUE;
}

DengonSegment
dengon_contact_derive_segment (JsonObject *contact, gint64 last_contact_ms, GDateTime *now,
                               guint dormant_months)
{
  DengonSegment override = dengon_segment_from_string (
      contact != NULL ? dengon_json_get_string (contact, "segment_override") : NULL);
  g_autoptr (GDateTime) last = NULL;
  g_autoptr (GDateTime) dormant_from = NULL;

  g_return_val_if_fail (now != NULL, DENGON_SEGMENT_UNKNOWN);

  if (override != DENGON_SEGMENT_UNKNOWN)
    return override;
  if (last_contact_ms <= 0)
    return DENGON_SEGMENT_NEW;

  /* Calendar months: a customer last heard of on 31 January is dormant after 31 January of
   * the next year, whatever the months in between hold. */
  last = g_date_time_new_from_unix_utc (last_contact_ms / 1000);
  dormant_from = g_date_time_add_months (
      last, dormant_months != 0 ? dormant_months : DENGON_CONTACT_DEFAULT_DORMANT_MONTHS);
  if (g_date_time_compare (now, dormant_from) > 0)
    return DENGON_SEGMENT_DORMANT;
  return DENGON_SEGMENT_EXISTING;
}

gboolean
dengon_contact_merge (JsonObject *into, JsonObject *from)
{
  static const char *const members[] = { "name",       "reading",      "company",
                                         "department", "email",        "account_owner",
                                         "potential",  "relationship", "segment_override" };
  JsonArray *numbers;
  gboolean changed = FALSE;
  const char *from_notes, *into_notes;

  g_return_val_if_fail (into != NULL && from != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = dengon_json_get_string (from, members[i]);

      if (dengon_text_is_blank (dengon_json_get_string (into, members[i])) &&
          !dengon_text_is_blank (value))
        {
          json_object_set_string_member (into, members[i], value);
          changed = TRUE;
        }
    }

  numbers = dengon_json_get_array (from, "numbers");
  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);
      JsonObject *entry;
      const char *display;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      display = dengon_json_get_string (entry, "display");
      if (dengon_contact_add_number (
              into, display != NULL ? display : dengon_json_get_string (entry, "number"),
              dengon_number_kind_from_string (dengon_json_get_string (entry, "kind"))))
        changed = TRUE;
    }

  from_notes = dengon_json_get_string (from, "notes");
  into_notes = dengon_json_get_string (into, "notes");
  if (!dengon_text_is_blank (from_notes) &&
      (into_notes == NULL || strstr (into_notes, from_notes) == NULL))
    {
      g_autofree char *notes = dengon_text_is_blank (into_notes)
                                   ? g_strdup (from_notes)
                                   : g_strconcat (into_notes, "\n", from_notes, NULL);

      json_object_set_string_member (into, "notes", notes);
      changed = TRUE;
    }

  return changed;
}

/* ------------------------------------------------------------------ store queries */

static JsonObject *
doc_from_row (sqlite3_stmt *stmt, int first)
{
  g_autoptr (JsonObject) body =
      dengon_json_parse_object ((const char *) sqlite3_column_text (stmt, first + 2),
                                sqlite3_column_bytes (stmt, first + 2), NULL, NULL);
  JsonObject *doc = json_object_new ();

  json_object_set_string_member (doc, "_id", (const char *) sqlite3_column_text (stmt, first));
  json_object_set_string_member (doc, "_rev", (const char *) sqlite3_column_text (stmt, first + 1));
  if (body != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, body);
      while (json_object_iter_next (&iter, &member, &node))
        if (g_strcmp0 (member, "_id") != 0 && g_strcmp0 (member, "_rev") != 0)
          json_object_set_member (doc, member, json_node_copy (node));
    }
  json_object_seal (doc);

  return doc;
}

static gboolean
prepare (sqlite3 *db, const char *sql, sqlite3_stmt **stmt, GError **error)
{
  int rc = sqlite3_prepare_v2 (db, sql, -1, stmt, NULL);

  if (rc != SQLITE_OK)
    {
      dengon_store_set_sqlite_error (error, db, rc, "contacts");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *key;
  GPtrArray *docs;
} FindData;

static gboolean
find_in_snapshot (sqlite3 *db, gpointer user_data, GCancellable *cancellable, GError **error)
{
  FindData *data = user_data;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!prepare (db,
                "SELECT d.id, d.rev, d.body FROM contact_phone p JOIN docs d ON d.id = p.contact_id"
                " WHERE p.number_key = ? AND NOT d.deleted ORDER BY d.id",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->key, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (data->docs, doc_from_row (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      dengon_store_set_sqlite_error (error, db, rc, "contacts");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
dengon_contact_find_by_number (DengonStore *store, const char *number, GError **error)
{
  g_autofree char *key = dengon_phone_key (number, NULL);
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  FindData data = { key, docs };

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);

  if (key == NULL)
    return g_steal_pointer (&docs);
  if (!dengon_store_read (store, find_in_snapshot, &data, NULL, error))
    return NULL;

  return g_steal_pointer (&docs);
}

typedef struct
{
  const char *id;
  GStrv keys;
  gint64 before_ms;
  gint64 last_ms;
} LastData;

static gboolean
step_max (sqlite3 *db, sqlite3_stmt *stmt, gint64 *last_ms, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        *last_ms = MAX (*last_ms, sqlite3_column_int64 (stmt, 0));
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    return TRUE;
  dengon_store_set_sqlite_error (error, db, rc, "contacts");
  return FALSE;
}

static gboolean
last_in_snapshot (sqlite3 *db, gpointer user_data, GCancellable *cancellable, GError **error)
{
  LastData *data = user_data;
  sqlite3_stmt *stmt = NULL;
  /* Memo keys grow with the creation time: the newest memo is the largest key below the bound,
   * one seek in memo_by_contact or memo_by_number. */
  gint64 before_key = data->before_ms > 0 ? data->before_ms * 1024 : G_MAXINT64;
  gboolean ok;

  if (!prepare (db,
                "SELECT created_at FROM memo_index WHERE contact_id = ? AND key < ?"
                " ORDER BY key DESC LIMIT 1",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, before_key);
  ok = step_max (db, stmt, &data->last_ms, error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;

  if (!prepare (db,
                "SELECT created_at FROM memo_index WHERE number = ? AND key < ?"
                " ORDER BY key DESC LIMIT 1",
                &stmt, error))
    return FALSE;
  for (guint i = 0; ok && data->keys[i] != NULL; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, data->keys[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, before_key);
      ok = step_max (db, stmt, &data->last_ms, error);
    }
  sqlite3_finalize (stmt);

  return ok;
}

gint64
dengon_contact_get_last_contact (DengonStore *store, JsonObject *contact, gint64 before_ms,
                                 GError **error)
{
  g_auto (GStrv) keys = dengon_contact_get_number_keys (contact);
  LastData data = { dengon_json_get_string (contact, "_id"), keys, before_ms, 0 };

  g_return_val_if_fail (DENGON_IS_STORE (store), 0);

  if (data.id == NULL)
    return 0;
  if (!dengon_store_read (store, last_in_snapshot, &data, NULL, error))
    return -1;

  return data.last_ms;
}

void
dengon_contact_record_free (DengonContactRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->doc, json_object_unref);
  g_free (record->id);
  g_free (record->title);
  g_free (record->sort_key);
  g_free (record->haystack);
  g_free (record);
}

static char *
fold (const char *text)
{
  g_autofree char *normalized = NULL;
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  out = g_string_new (NULL);
  /* Katakana and hiragana sort and match as one (ヤマダ = やまだ). */
  for (const char *p = normalized; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));

      if (c >= 0x30A1 && c <= 0x30F6)
        c -= 0x60;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  GPtrArray *records;
  GDateTime *now;
  guint months;
} ListData;

static char *
make_haystack (JsonObject *doc)
{
  static const char *const members[] = { "name", "reading", "company", "department", "email" };
  GString *text = g_string_new (NULL);
  JsonArray *numbers = dengon_json_get_array (doc, "numbers");
  g_autofree char *folded = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = dengon_json_get_string (doc, members[i]);

      if (value != NULL)
        g_string_append_printf (text, "%s\n", value);
    }
  folded = fold (text->str);
  g_string_assign (text, folded);
  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers); i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);
      g_autofree char *digits = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      digits =
          dengon_phone_digits (dengon_json_get_string (json_node_get_object (node), "display"));
      g_string_append_printf (text, "\n#%s", digits);
    }
  return g_string_free (text, FALSE);
}

static int
compare_records (gconstpointer a, gconstpointer b)
{
  const DengonContactRecord *ra = *(DengonContactRecord *const *) a;
  const DengonContactRecord *rb = *(DengonContactRecord *const *) b;
  int c = strcmp (ra->sort_key, rb->sort_key);

  return c != 0 ? c : strcmp (ra->id, rb->id);
}

static gboolean
list_in_snapshot (sqlite3 *db, gpointer user_data, GCancellable *cancellable, GError **error)
{
  ListData *data = user_data;
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* The newest memo of each contact, linked to it or of one of its numbers: one index seek
   * each (memo_by_contact, memo_by_number). */
  if (!prepare (db,
                "SELECT d.id, d.rev, d.body,"
                " (SELECT m.created_at FROM memo_index m WHERE m.contact_id = d.id"
                "   ORDER BY m.key DESC LIMIT 1),"
                " (SELECT max((SELECT m.created_at FROM memo_index m WHERE m.number = p.number_key"
                "   ORDER BY m.key DESC LIMIT 1)) FROM contact_phone p WHERE p.contact_id = d.id)"
                " FROM docs d WHERE d.type = 'contact' AND NOT d.deleted",
                &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DengonContactRecord *record = g_new0 (DengonContactRecord, 1);
      const char *reading;

      record->doc = doc_from_row (stmt, 0);
      record->id = g_strdup (dengon_json_get_string (record->doc, "_id"));
      record->title = dengon_contact_get_title (record->doc);
      reading = dengon_json_get_string (record->doc, "reading");
      record->sort_key = fold (!dengon_text_is_blank (reading) ? reading : record->title);
      record->last_contact_ms =
          MAX (sqlite3_column_int64 (stmt, 3), sqlite3_column_int64 (stmt, 4));
      record->segment = dengon_contact_derive_segment (record->doc, record->last_contact_ms,
                                                       data->now, data->months);
      record->quadrant = dengon_contact_get_quadrant (record->doc);
      record->haystack = make_haystack (record->doc);
      g_ptr_array_add (data->records, record);

      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      dengon_store_set_sqlite_error (error, db, rc, "contacts");
      return FALSE;
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

GPtrArray *
dengon_contact_list (DengonStore *store, GDateTime *now, guint dormant_months, GError **error)
{
  g_autoptr (GPtrArray) records =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_contact_record_free);
  ListData data = { records, now, dormant_months };

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!dengon_store_read (store, list_in_snapshot, &data, NULL, error))
    return NULL;
  g_ptr_array_sort (records, compare_records);

  return g_steal_pointer (&records);
}

gboolean
dengon_contact_record_matches (const DengonContactRecord *record, const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *own = NULL;
  g_auto (GStrv) words = NULL;
  const char *haystack = record->haystack;

  if (text == NULL || dengon_text_is_blank (text))
    return TRUE;
  if (haystack == NULL)
    haystack = own = make_haystack (record->doc);

  folded = fold (text);
  words = g_strsplit_set (folded, " \t", -1);
  for (guint w = 0; words[w] != NULL; w++)
    {
      g_autofree char *digits = NULL;
      const char *word = words[w];

      if (*word == '\0')
        continue;
      /* A number as written ("03-1234", "０３") is looked for in the digits of the numbers. */
      digits = dengon_phone_digits (word);
      if (strlen (digits) >= 2 && strspn (word, "0123456789-()+ ") == strlen (word))
        {
          g_autofree char *needle = g_strconcat ("#", digits, NULL);
          const char *p = haystack;
          gboolean found = FALSE;

          /* Anywhere in a number, not only at its start. */
          while (!found && (p = strchr (p, '#')) != NULL)
            {
              const char *end = strchr (p, '\n');
              g_autofree char *number = end != NULL ? g_strndup (p, end - p) : g_strdup (p);

              found = strstr (number, digits) != NULL;
              p++;
            }
          if (!found && strstr (haystack, word) == NULL)
            return FALSE;
          continue;
        }
      if (strstr (haystack, word) == NULL)
        return FALSE;
    }

  return TRUE;
}

gboolean
dengon_contact_record_is (const DengonContactRecord *record, DengonSegment segment,
                          DengonQuadrant quadrant)
{
  return (segment == DENGON_SEGMENT_UNKNOWN || record->segment == segment) &&
         (quadrant == DENGON_QUADRANT_NONE || record->quadrant == quadrant);
}

/* ------------------------------------------------------------------ list item */

struct _DengonContactItem
{
  GObject parent_instance;
  DengonContactRecord *record;
};

G_DEFINE_FINAL_TYPE (DengonContactItem, dengon_contact_item, G_TYPE_OBJECT)

static void
dengon_contact_item_finalize (GObject *object)
{
  g_clear_pointer (&DENGON_CONTACT_ITEM (object)->record, dengon_contact_record_free);
  G_OBJECT_CLASS (dengon_contact_item_parent_class)->finalize (object);
}

static void
dengon_contact_item_class_init (DengonContactItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dengon_contact_item_finalize;
}

static void
dengon_contact_item_init (DengonContactItem *self)
{
}

DengonContactItem *
dengon_contact_item_new (DengonContactRecord *record)
{
  DengonContactItem *self = g_object_new (DENGON_TYPE_CONTACT_ITEM, NULL);

  self->record = record;
  return self;
}

const DengonContactRecord *
dengon_contact_item_get_record (DengonContactItem *self)
{
  g_return_val_if_fail (DENGON_IS_CONTACT_ITEM (self), NULL);
  return self->record;
}

/* ------------------------------------------------------------------ follow-up call lists */

JsonObject *
dengon_followup_new (const char *name, const char *created_by, DengonSegment segment,
                     DengonQuadrant quadrant, GPtrArray *contact_ids, GDateTime *now)
{
  JsonObject *list = json_object_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("followup:", uuid, NULL);
  g_autofree char *created =
      now != NULL ? dengon_json_timestamp (now) : dengon_json_timestamp_now ();
  JsonArray *contacts = json_array_new ();

  json_object_set_string_member (list, "_id", id);
  json_object_set_string_member (list, "type", "followup");
  dengon_json_set_string_or_null (list, "name", name);
  json_object_set_string_member (list, "created_at", created);
  dengon_json_set_string_or_null (list, "created_by", created_by);
  dengon_json_set_string_or_null (list, "segment", dengon_segment_to_string (segment));
  dengon_json_set_string_or_null (list, "quadrant", dengon_quadrant_to_string (quadrant));
  for (guint i = 0; contact_ids != NULL && i < contact_ids->len; i++)
    json_array_add_string_element (contacts, g_ptr_array_index (contact_ids, i));
  json_object_set_array_member (list, "contacts", contacts);

  return list;
}

void
dengon_followup_status_free (DengonFollowupStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->contact_id);
  g_free (status->memo_id);
  g_free (status);
}

typedef struct
{
  JsonObject *list;
  GPtrArray *out;
} StatusData;

static gboolean
status_in_snapshot (sqlite3 *db, gpointer user_data, GCancellable *cancellable, GError **error)
{
  StatusData *data = user_data;
  JsonArray *contacts = dengon_json_get_array (data->list, "contacts");
  gint64 since = dengon_json_timestamp_to_ms (dengon_json_get_string (data->list, "created_at"));
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  /* Every outgoing memo of the contact since the list was made, newest first: one seek in
   * memo_by_contact and a short walk. */
  if (!prepare (db,
                "SELECT d.id, m.key, m.call_result, (SELECT count(*) FROM memo_index c"
                "  WHERE c.contact_id = ?1 AND c.key >= ?2 AND c.direction = 1)"
                " FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                " WHERE m.contact_id = ?1 AND m.key >= ?2 AND m.direction = 1"
                " ORDER BY m.key DESC LIMIT 1",
                &stmt, error))
    return FALSE;
  for (guint i = 0; ok && contacts != NULL && i < json_array_get_length (contacts); i++)
    {
      DengonFollowupStatus *status = g_new0 (DengonFollowupStatus, 1);
      const char *id = json_array_get_string_element (contacts, i);
      int rc;

      status->contact_id = g_strdup (id);
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, since * 1024);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          status->memo_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          status->called_ms = sqlite3_column_int64 (stmt, 1) >> 10;
          status->result = sqlite3_column_int (stmt, 2);
          status->attempts = sqlite3_column_int (stmt, 3);
        }
      else if (rc != SQLITE_DONE)
        {
          dengon_store_set_sqlite_error (error, db, rc, "follow-up");
          ok = FALSE;
        }
      g_ptr_array_add (data->out, status);
    }
  sqlite3_finalize (stmt);
  return ok;
}

GPtrArray *
dengon_followup_get_status (DengonStore *store, JsonObject *list, GError **error)
{
  g_autoptr (GPtrArray) out =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_followup_status_free);
  StatusData data = { list, out };

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (list != NULL, NULL);

  if (!dengon_store_read (store, status_in_snapshot, &data, NULL, error))
    return NULL;
  return g_steal_pointer (&out);
}
