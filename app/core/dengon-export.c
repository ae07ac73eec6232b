/* dengon-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-contact.h"
#include "dengon-export.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"
#include "dengon-report.h"
#include "dengon-store-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The columns, in order.  The headers are for people: translated. */
static const char *const headers[] = {
  NC_ ("csv column", "Memo ID"),         NC_ ("csv column", "Received"),
  NC_ ("csv column", "Direction"),       NC_ ("csv column", "Number"),
  NC_ ("csv column", "Caller"),          NC_ ("csv column", "Company"),
  NC_ ("csv column", "Contact ID"),      NC_ ("csv column", "Segment"),
  NC_ ("csv column", "Category"),        NC_ ("csv column", "Urgency"),
  NC_ ("csv column", "Status"),          NC_ ("csv column", "For"),
  NC_ ("csv column", "For (ID)"),        NC_ ("csv column", "Taken by"),
  NC_ ("csv column", "Taken by (ID)"),   NC_ ("csv column", "Callback requested"),
  NC_ ("csv column", "Callback number"), NC_ ("csv column", "Call back by"),
  NC_ ("csv column", "Called back"),     NC_ ("csv column", "Done"),
  NC_ ("csv column", "Call started"),    NC_ ("csv column", "Call ended"),
  NC_ ("csv column", "Message"),         NC_ ("csv column", "Script"),
  NC_ ("csv column", "Script answers"),  NC_ ("csv column", "History"),
};

typedef struct
{
  GTimeZone *tz;
  DengonExportEncoding encoding;
  GOutputStream *output;
  DengonExportResult *result;
  gint64 from_ms;
  gint64 to_ms;

  GHashTable *names; /* staff id -> name */
  GIConv cp932;
  GString *row;
  GString *encoded;
  GHashTable *replaced; /* the characters already reported */
} Export;

void
dengon_export_result_clear (DengonExportResult *result)
{
  if (result->replaced != NULL)
    g_string_free (result->replaced, TRUE);
  memset (result, 0, sizeof *result);
}

char *
dengon_export_format_time (gint64 ms, GTimeZone *tz)
{
  g_autoptr (GDateTime) epoch = NULL;
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (ms <= 0)
    return g_strdup ("");

  epoch = g_date_time_new_from_unix_utc (0);
  utc = g_date_time_add (epoch, ms * 1000);
  local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static const char *
name_of (Export *e, const char *id)
{
  const char *name;

  if (id == NULL)
    return "";
  name = g_hash_table_lookup (e->names, id);

  return name != NULL ? name : id;
}

static const char *
person_of (Export *e, const char *id)
{
  return id != NULL ? name_of (e, id) : _ ("Someone");
}

static const char *
segment_label (const char *segment)
{
  const char *label = dengon_segment_get_label (dengon_segment_from_string (segment));

  /* A value of a newer version is kept as it is. */
  return *label != '\0' ? label : segment != NULL ? segment : "";
}

/* The same words as the memo's history in the inbox. */
static char *
describe_event (Export *e, JsonObject *event)
{
  const char *to = dengon_json_get_string (event, "to");

  return dengon_memo_describe_event (event, person_of (e, dengon_json_get_string (event, "by")),
                                     to != NULL ? person_of (e, to) : NULL);
}

static char *
flatten_history (Export *e, JsonObject *memo)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = history != NULL ? json_array_get_length (history) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);
      const char *action = dengon_json_get_string (event, "action");
      g_autofree char *when = NULL;
      g_autofree char *what = NULL;
      const char *note;

      /* An undo shows as "(undone)" on the event it took back. */
      if (event == NULL || g_strcmp0 (action, "undo") == 0)
        continue;

      when = dengon_export_format_time (
          dengon_json_timestamp_to_ms (dengon_json_get_string (event, "at")), e->tz);
      what = describe_event (e, event);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s %s", when, what);
      /* An outcome's note is its kind, already in the line; its words are in "detail". */
      note = dengon_json_get_string (event, g_strcmp0 (action, "outcome") == 0 ? "detail" : "note");
      if (note != NULL && *note)
        g_string_append_printf (text, " — %s", note);
      if (dengon_memo_event_is_undone (memo, event))
        /* Translators: after an action in the exported history that was taken back */
        g_string_append_printf (text, " %s", _ ("(undone)"));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
flatten_answers (JsonObject *answers)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GList) members = answers != NULL ? json_object_get_members (answers) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (answers, l->data);
      g_autofree char *value = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (node));
      else if (JSON_NODE_HOLDS_NULL (node))
        value = g_strdup ("");
      else
        value = dengon_json_to_string (node);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s: %s", (const char *) l->data, value);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gint64
first_event_ms (JsonObject *memo, const char *action, gboolean last)
{
  JsonArray *history = dengon_json_get_array (memo, "history");
  guint n = history != NULL ? json_array_get_length (history) : 0;
  gint64 found = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *event = json_array_get_object_element (history, i);
      gint64 ms;

      if (event == NULL || g_strcmp0 (dengon_json_get_string (event, "action"), action) != 0 ||
          dengon_memo_event_is_undone (memo, event))
        continue;
      ms = dengon_json_timestamp_to_ms (dengon_json_get_string (event, "at"));
      if (found == 0 || (last ? ms > found : ms < found))
        found = ms;
    }

  return found;
}

/* RFC 4180, every field quoted; a leading formula character made harmless. */
static void
append_field (GString *row, const char *value)
{
  if (row->len > 0)
    g_string_append_c (row, ',');
  g_string_append_c (row, '"');
  if (value != NULL && (*value == '=' || *value == '+' || *value == '-' || *value == '@' ||
                        *value == '\t' || *value == '\r'))
    g_string_append_c (row, '\'');
  for (const char *p = value; p != NULL && *p; p++)
    {
      if (*p == '"')
        g_string_append_c (row, '"');
      g_string_append_c (row, *p);
    }
  g_string_append_c (row, '"');
}

static void
append_time (Export *e, GString *row, gint64 ms)
{
  g_autofree char *text = dengon_export_format_time (ms, e->tz);

  append_field (row, text);
}

static void
append_memo (Export *e, const char *id, JsonObject *memo)
{
  GString *row = e->row;
  JsonObject *call = dengon_json_get_object (memo, "call");
  JsonObject *caller = dengon_json_get_object (memo, "caller");
  JsonObject *callback = dengon_json_get_object (memo, "callback");
  JsonObject *script = dengon_json_get_object (memo, "script");
  const char *number = dengon_json_get_string (call, "number_display");
  const char *callback_number = dengon_json_get_string (callback, "number");
  const char *category = dengon_json_get_string (memo, "category");
  const char *assignee = dengon_memo_get_for (memo);
  DengonMemoStatus status = dengon_memo_get_status (memo);
  gboolean requested = dengon_json_get_boolean (callback, "requested", FALSE);
  g_autofree char *callback_display = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *history = NULL;

  if (number == NULL)
    number = dengon_json_get_string (call, "number");
  if (callback_number != NULL)
    {
      if (g_strcmp0 (callback_number, dengon_json_get_string (call, "number")) == 0 &&
          number != NULL)
        callback_display = g_strdup (number);
      else
        {
          g_autoptr (DengonPhoneNumber) parsed =
              dengon_phone_number_parse (callback_number, NULL, NULL);

          callback_display = g_strdup (parsed != NULL ? parsed->display : callback_number);
        }
    }

  append_field (row, id);
  append_time (e, row, dengon_json_timestamp_to_ms (dengon_json_get_string (memo, "created_at")));
  append_field (row, g_strcmp0 (dengon_json_get_string (call, "direction"), "out") == 0
                         ? C_ ("call direction", "Outgoing")
                         : C_ ("call direction", "Incoming"));
  append_field (row, number);
  append_field (row, dengon_json_get_string (caller, "name"));
  append_field (row, dengon_json_get_string (caller, "company"));
  append_field (row, dengon_json_get_string (caller, "contact_id"));
  append_field (row, segment_label (dengon_json_get_string (caller, "segment")));
  append_field (row, category != NULL ? dengon_category_get_label (category) : NULL);
  append_field (row, g_strcmp0 (dengon_json_get_string (memo, "urgency"), "urgent") == 0
                         ? C_ ("urgency", "Urgent")
                         : C_ ("urgency", "Normal"));
  append_field (row, dengon_memo_status_get_label (status));
  append_field (row, assignee != NULL ? name_of (e, assignee) : NULL);
  append_field (row, assignee);
  append_field (row, name_of (e, dengon_json_get_string (memo, "taken_by")));
  append_field (row, dengon_json_get_string (memo, "taken_by"));
  append_field (row, requested ? C_ ("answer", "Yes") : C_ ("answer", "No"));
  append_field (row, callback_display);
  append_time (e, row,
               requested ? dengon_json_timestamp_to_ms (dengon_json_get_string (callback, "by"))
                         : 0);
  append_time (e, row, first_event_ms (memo, "called_back", FALSE));
  append_time (e, row, status == DENGON_MEMO_STATUS_DONE ? first_event_ms (memo, "done", TRUE) : 0);
  append_time (e, row, dengon_json_timestamp_to_ms (dengon_json_get_string (call, "started_at")));
  append_time (e, row, dengon_json_timestamp_to_ms (dengon_json_get_string (call, "ended_at")));
  append_field (row, dengon_json_get_string (memo, "message"));
  append_field (row, dengon_json_get_string (script, "id"));
  answers = flatten_answers (dengon_json_get_object (script, "answers"));
  append_field (row, answers);
  history = flatten_history (e, memo);
  append_field (row, history);
}

/* CP932, one character at a time once a row does not convert whole. */
static void
encode_cp932 (Export *e, const char *text, gsize length)
{
  const char *end = text + length;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      char in[8], out[8];
      gsize in_left = g_utf8_next_char (p) - p, out_left = sizeof out;
      char *in_p = in, *out_p = out;

      memcpy (in, p, in_left);
      g_iconv (e->cp932, NULL, NULL, NULL, NULL);
      if (g_iconv (e->cp932, &in_p, &in_left, &out_p, &out_left) == (gsize) -1)
        {
          g_autofree char *character = g_strndup (p, g_utf8_next_char (p) - p);

          /* 〓 is 0x81AC in every Shift_JIS. */
          g_string_append_len (e->encoded, "\x81\xac", 2);
          e->result->n_replaced++;
          if (!g_hash_table_contains (e->replaced, character))
            {
              g_string_append (e->result->replaced, character);
              g_hash_table_add (e->replaced, g_steal_pointer (&character));
            }
          continue;
        }
      g_string_append_len (e->encoded, out, sizeof out - out_left);
    }
}

static gboolean
write_row (Export *e, GCancellable *cancellable, GError **error)
{
  const char *data;
  gsize length;

  g_string_append (e->row, "\r\n");
  data = e->row->str;
  length = e->row->len;

  if (e->encoding == DENGON_EXPORT_SHIFT_JIS)
    {
      gsize read = 0, written = 0;
      g_autofree char *whole = NULL;

      g_string_truncate (e->encoded, 0);
      g_iconv (e->cp932, NULL, NULL, NULL, NULL);
      whole = g_convert_with_iconv (data, length, e->cp932, &read, &written, NULL);
      if (whole != NULL)
        g_string_append_len (e->encoded, whole, written);
      else
        encode_cp932 (e, data, length);
      data = e->encoded->str;
      length = e->encoded->len;
    }

  if (!g_output_stream_write_all (e->output, data, length, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (e->row, 0);

  return TRUE;
}

static gboolean
export_in_snapshot (sqlite3 *db, gpointer data, GCancellable *cancellable, GError **error)
{
  Export *e = data;
  g_autoptr (sqlite3_stmt) staff = NULL;
  g_autoptr (sqlite3_stmt) memos = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT id, body FROM docs WHERE type = 'staff' AND NOT deleted", -1,
                           &staff, NULL);
  if (rc != SQLITE_OK)
    {
      dengon_store_set_sqlite_error (error, db, rc, "export");
      return FALSE;
    }
  while ((rc = sqlite3_step (staff)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) doc =
          dengon_json_parse_object ((const char *) sqlite3_column_text (staff, 1), -1, NULL, NULL);
      const char *name = dengon_json_get_string (doc, "name");

      if (name != NULL && *name)
        g_hash_table_insert (e->names, g_strdup ((const char *) sqlite3_column_text (staff, 0)),
                             g_strdup (name));
    }

  if (e->encoding == DENGON_EXPORT_UTF8 &&
      !g_output_stream_write_all (e->output, "\xef\xbb\xbf", 3, NULL, cancellable, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    append_field (e->row, g_dpgettext2 (GETTEXT_PACKAGE, "csv column", headers[i]));
  if (!write_row (e, cancellable, error))
    return FALSE;

  /* Oldest first, in one snapshot: a memo saved meanwhile is not half in. */
  rc =
      sqlite3_prepare_v2 (db,
                          "SELECT d.id, d.body FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                          " WHERE m.key >= ?1 AND m.key < ?2 ORDER BY m.key",
                          -1, &memos, NULL);
  if (rc != SQLITE_OK)
    {
      dengon_store_set_sqlite_error (error, db, rc, "export");
      return FALSE;
    }
  sqlite3_bind_int64 (memos, 1, e->from_ms * 1024);
  sqlite3_bind_int64 (memos, 2, e->to_ms * 1024);
  while ((rc = sqlite3_step (memos)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) memo =
          dengon_json_parse_object ((const char *) sqlite3_column_text (memos, 1),
                                    sqlite3_column_bytes (memos, 1), NULL, NULL);

      if (memo == NULL)
        continue;
      append_memo (e, (const char *) sqlite3_column_text (memos, 0), memo);
      if (!write_row (e, cancellable, error))
        return FALSE;
      e->result->rows++;
      if ((e->result->rows & 1023) == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      dengon_store_set_sqlite_error (error, db, rc, "export");
      return FALSE;
    }

  return TRUE;
}

gboolean
dengon_export_csv (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                   DengonExportEncoding encoding, GOutputStream *output, DengonExportResult *result,
                   GCancellable *cancellable, GError **error)
{
  Export e = { 0 };
  DengonExportResult local = { 0 };
  gboolean ok;

  g_return_val_if_fail (DENGON_IS_STORE (store), FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);

  if (result == NULL)
    result = &local;
  dengon_export_result_clear (result);
  result->replaced = g_string_new (NULL);

  e.tz = tz;
  e.encoding = encoding;
  e.output = output;
  e.result = result;
  e.from_ms = from_ms;
  e.to_ms = to_ms;
  e.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  e.row = g_string_new (NULL);
  e.encoded = g_string_new (NULL);
  e.replaced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  e.cp932 = (GIConv) -1;
  if (encoding == DENGON_EXPORT_SHIFT_JIS)
    {
      e.cp932 = g_iconv_open ("CP932", "UTF-8");
      if (e.cp932 == (GIConv) -1)
        {
          g_set_error_literal (error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION,
                               _ ("This system cannot write Shift_JIS."));
          ok = FALSE;
          goto out;
        }
    }

  ok = dengon_store_read (store, export_in_snapshot, &e, cancellable, error);

out:
  if (e.cp932 != (GIConv) -1)
    g_iconv_close (e.cp932);
  g_hash_table_unref (e.names);
  g_hash_table_unref (e.replaced);
  g_string_free (e.row, TRUE);
  g_string_free (e.encoded, TRUE);
  dengon_export_result_clear (&local);

  return ok;
}

gboolean
dengon_export_csv_to_file (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                           DengonExportEncoding encoding, GFile *file, DengonExportResult *result,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileOutputStream) stream = NULL;
  g_autoptr (GOutputStream) buffered = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stream =
      g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (stream == NULL)
    return FALSE;
  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), 64 * 1024);

  if (dengon_export_csv (store, from_ms, to_ms, tz, encoding, buffered, result, cancellable,
                         &local_error) &&
      g_output_stream_close (buffered, cancellable, &local_error))
    return TRUE;

  /* A cancelled close leaves the file that was there (GIO's replace contract);
   * a new file that was never complete goes. */
  {
    g_autoptr (GCancellable) abandon = g_cancellable_new ();

    g_cancellable_cancel (abandon);
    g_output_stream_close (buffered, abandon, NULL);
  }
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

typedef struct
{
  gint64 from_ms;
  gint64 to_ms;
  GTimeZone *tz;
  DengonExportEncoding encoding;
  GFile *file;
} ExportArgs;

static void
export_args_free (ExportArgs *args)
{
  g_time_zone_unref (args->tz);
  g_object_unref (args->file);
  g_free (args);
}

static void
result_free (DengonExportResult *result)
{
  dengon_export_result_clear (result);
  g_free (result);
}

static gpointer
export_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ExportArgs *args = data;
  DengonExportResult *result = g_new0 (DengonExportResult, 1);

  if (!dengon_export_csv_to_file (store, args->from_ms, args->to_ms, args->tz, args->encoding,
                                  args->file, result, cancellable, error))
    {
      result_free (result);
      return NULL;
    }

  return result;
}

void
dengon_export_csv_to_file_async (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                                 DengonExportEncoding encoding, GFile *file,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  ExportArgs *args;

  g_return_if_fail (DENGON_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  args = g_new0 (ExportArgs, 1);
  args->from_ms = from_ms;
  args->to_ms = to_ms;
  args->tz = g_time_zone_ref (tz);
  args->encoding = encoding;
  args->file = g_object_ref (file);
  dengon_store_run_async (store, export_thread, args, (GDestroyNotify) export_args_free,
                          (GDestroyNotify) result_free, cancellable, callback, user_data);
}

gboolean
dengon_export_csv_to_file_finish (DengonStore *store, GAsyncResult *result, DengonExportResult *out,
                                  GError **error)
{
  DengonExportResult *done = dengon_store_run_finish (store, result, error);

  if (done == NULL)
    return FALSE;
  if (out != NULL)
    {
      dengon_export_result_clear (out);
      *out = *done;
      g_free (done);
    }
  else
    result_free (done);

  return TRUE;
}
