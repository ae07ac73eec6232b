/* dengon-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dengon-contact.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-report.h"
#include "dengon-store-private.h"

#define QUARTER_MS (G_GINT64_CONSTANT (15) * 60 * 1000)
#define DAY_MS     (G_GINT64_CONSTANT (24) * 3600 * 1000)

/* A memo is overdue when its caller asked to be called back by a time that
 * has passed, it is still open and nobody has called back yet (a callback
 * that was undone does not count). */
#define OVERDUE_SQL \
  "callback_by IS NOT NULL AND open AND callback_by < ?3 AND called_back_at IS NULL"
#define NOT_SALES_SQL "coalesce(category, '') <> 'sales'"

G_DEFINE_QUARK (dengon - report - error - quark, dengon_report_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* ------------------------------------------------------------------ the report */

static void
category_free (DengonReportCategory *category)
{
  g_free (category->category);
  g_free (category);
}

static void
person_free (DengonReportPerson *person)
{
  g_free (person->staff_id);
  g_free (person);
}

static void
segment_free (DengonReportSegment *segment)
{
  g_free (segment->segment);
  g_free (segment);
}

static void
item_free (DengonReportItem *item)
{
  g_free (item->id);
  g_free (item->staff_id);
  g_free (item->caller);
  g_free (item->company);
  g_free (item->number);
  g_free (item->category);
  g_free (item->summary);
  g_free (item);
}

void
dengon_report_followup_free (DengonReportFollowup *followup)
{
  if (followup == NULL)
    return;
  g_free (followup->id);
  g_free (followup->to);
  g_free (followup->by);
  g_free (followup->caller);
  g_free (followup->company);
  g_free (followup->number);
  g_free (followup->summary);
  g_free (followup);
}

static void
report_clear (DengonReport *report)
{
  g_clear_pointer (&report->followups, g_ptr_array_unref);
  g_clear_pointer (&report->tz, g_time_zone_unref);
  g_clear_pointer (&report->categories, g_ptr_array_unref);
  g_clear_pointer (&report->people, g_ptr_array_unref);
  g_clear_pointer (&report->segments, g_ptr_array_unref);
  g_clear_pointer (&report->items, g_ptr_array_unref);
  g_clear_pointer (&report->names, g_hash_table_unref);
}

DengonReport *
dengon_report_ref (DengonReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return g_atomic_rc_box_acquire (report);
}

void
dengon_report_unref (DengonReport *report)
{
  g_return_if_fail (report != NULL);

  g_atomic_rc_box_release_full (report, (GDestroyNotify) report_clear);
}

/* ------------------------------------------------------------------ days and labels */

gboolean
dengon_report_day_range (GTimeZone *tz, GDate *first, GDate *last, gint64 *from_ms, gint64 *to_ms,
                         GError **error)
{
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  GDate after;

  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (first != NULL && last != NULL, FALSE);

  if (!g_date_valid (first) || !g_date_valid (last))
    {
      g_set_error_literal (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_DATE,
                           _ ("The date is not valid."));
      return FALSE;
    }
  if (g_date_compare (first, last) > 0)
    {
      g_set_error_literal (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_RANGE,
                           _ ("The first day comes after the last day."));
      return FALSE;
    }
  if (g_date_days_between (first, last) >= DENGON_REPORT_MAX_DAYS)
    {
      g_set_error (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_RANGE,
                   _ ("A range can cover at most %d days."), DENGON_REPORT_MAX_DAYS);
      return FALSE;
    }

  after = *last;
  g_date_add_days (&after, 1);
  from = g_date_time_new (tz, g_date_get_year (first), g_date_get_month (first),
                          g_date_get_day (first), 0, 0, 0);
  to = g_date_time_new (tz, g_date_get_year (&after), g_date_get_month (&after),
                        g_date_get_day (&after), 0, 0, 0);
  if (from == NULL || to == NULL)
    {
      g_set_error_literal (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_DATE,
                           _ ("The date is not valid."));
      return FALSE;
    }

  *from_ms = g_date_time_to_unix (from) * 1000;
  *to_ms = g_date_time_to_unix (to) * 1000;

  return TRUE;
}

gboolean
dengon_report_parse_date (const char *text, GTimeZone *tz, gint64 now_ms, GDate *date,
                          GError **error)
{
  int year = 0, month = 0, day = 0, consumed = 0;

  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);

  if (text != NULL &&
      (g_ascii_strcasecmp (text, "today") == 0 || g_ascii_strcasecmp (text, "yesterday") == 0))
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now_ms / 1000);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);

      g_date_set_dmy (date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                      g_date_time_get_year (local));
      if (g_ascii_strcasecmp (text, "yesterday") == 0)
        g_date_subtract_days (date, 1);
      return TRUE;
    }

  if (text != NULL && strlen (text) == 10 &&
      sscanf (text, "%4d-%2d-%2d%n", &year, &month, &day, &consumed) == 3 && consumed == 10 &&
      g_date_valid_dmy (day, month, year) && year >= 1970)
    {
      g_date_set_dmy (date, day, month, year);
      return TRUE;
    }

  g_set_error (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_DATE,
               /* Translators: %s is what was typed; keep YYYY-MM-DD, today and yesterday as they
                  are (they are typed on the command line) */
               _ ("“%s” is not a date: write it as YYYY-MM-DD, today or yesterday."),
               text != NULL ? text : "");
  return FALSE;
}

const char *
dengon_report_get_name (DengonReport *report, const char *staff_id)
{
  const char *name;

  if (staff_id == NULL || *staff_id == '\0')
    return _ ("Unassigned");

  name = report != NULL && report->names != NULL ? g_hash_table_lookup (report->names, staff_id)
                                                 : NULL;

  return name != NULL ? name : staff_id;
}

const char *
dengon_report_category_label (const char *category)
{
  if (category == NULL || *category == '\0')
    return C_ ("category", "Uncategorised");

  return dengon_category_get_label (category);
}

const char *
dengon_report_weekday_label (guint weekday, gboolean abbreviated)
{
  switch (weekday)
    {
      case 0:
        return abbreviated ? C_ ("weekday", "Mon") : C_ ("weekday", "Monday");
      case 1:
        return abbreviated ? C_ ("weekday", "Tue") : C_ ("weekday", "Tuesday");
      case 2:
        return abbreviated ? C_ ("weekday", "Wed") : C_ ("weekday", "Wednesday");
      case 3:
        return abbreviated ? C_ ("weekday", "Thu") : C_ ("weekday", "Thursday");
      case 4:
        return abbreviated ? C_ ("weekday", "Fri") : C_ ("weekday", "Friday");
      case 5:
        return abbreviated ? C_ ("weekday", "Sat") : C_ ("weekday", "Saturday");
      case 6:
        return abbreviated ? C_ ("weekday", "Sun") : C_ ("weekday", "Sunday");
      default:
        g_return_val_if_reached ("");
    }
}

/* ------------------------------------------------------------------ computing */

static gint64
floor_div (gint64 a, gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static gint64
ceil_div (gint64 a, gint64 b)
{
  return -floor_div (-a, b);
}

typedef struct
{
  DengonReport *report;
  GHashTable *categories; /* name -> DengonReportCategory (owned by report) */
  GHashTable *people;     /* "" or id -> DengonReportPerson (owned by report) */
  GHashTable *segments;   /* "" or name -> DengonReportSegment */
  GArray *delays;         /* gint64 ms */

  /* The aggregates go to the main context first, when asked. */
  DengonReportProgress progress;
  gpointer progress_data;
  GMainContext *context;
  gint64 start;

  /* The office's offset from UTC, per UTC day (a day with a change is looked
   * up per quarter). */
  gint64 offset_day;
  gboolean offset_uniform;
  gint32 offset;
} Compute;

static void
compute_clear (Compute *c)
{
  g_clear_pointer (&c->categories, g_hash_table_unref);
  g_clear_pointer (&c->people, g_hash_table_unref);
  g_clear_pointer (&c->segments, g_hash_table_unref);
  g_clear_pointer (&c->delays, g_array_unref);
  g_clear_pointer (&c->context, g_main_context_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Compute, compute_clear)

static gint32
zone_offset (GTimeZone *tz, gint64 utc_sec)
{
  return g_time_zone_get_offset (tz,
                                 g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc_sec));
}

static gint32
offset_at (Compute *c, gint64 utc_sec)
{
  gint64 day = floor_div (utc_sec, 86400);

  if (day != c->offset_day)
    {
      gint32 start = zone_offset (c->report->tz, day * 86400);
      gint32 end = zone_offset (c->report->tz, day * 86400 + 86399);

      c->offset_day = day;
      c->offset_uniform = start == end;
      c->offset = start;
    }

  return c->offset_uniform ? c->offset : zone_offset (c->report->tz, utc_sec);
}

static DengonReportCategory *
ensure_category (Compute *c, const char *name)
{
  DengonReportCategory *category = g_hash_table_lookup (c->categories, name);

  if (category == NULL)
    {
      category = g_new0 (DengonReportCategory, 1);
      category->category = g_strdup (name);
      g_ptr_array_add (c->report->categories, category);
      g_hash_table_insert (c->categories, category->category, category);
    }

  return category;
}

static DengonReportPerson *
ensure_person (Compute *c, const char *id)
{
  DengonReportPerson *person = g_hash_table_lookup (c->people, id);

  if (person == NULL)
    {
      person = g_new0 (DengonReportPerson, 1);
      person->staff_id = *id ? g_strdup (id) : NULL;
      g_ptr_array_add (c->report->people, person);
      g_hash_table_insert (c->people, g_strdup (id), person);
    }

  return person;
}

static void
add_quarter (Compute *c, gint64 quarter, const char *category, int direction, guint n)
{
  DengonReport *report = c->report;
  gint64 utc_sec = quarter * (QUARTER_MS / 1000);
  gint64 local = utc_sec + offset_at (c, utc_sec);
  gint64 day = floor_div (local, 86400);
  guint hour = (guint) ((local - day * 86400) / 3600);
  guint weekday = (guint) (day + 3 - floor_div (day + 3, 7) * 7); /* 1970-01-01: a Thursday */

  if (g_strcmp0 (category, DENGON_REPORT_SALES) == 0)
    {
      report->sales += n;
      return;
    }

  report->memos += n;
  if (direction == 0)
    report->incoming += n;
  else
    report->outgoing += n;
  report->by_weekday_hour[weekday][hour] += n;
  ensure_category (c, category)->by_hour[hour] += n;
  ensure_category (c, category)->count += n;
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      dengon_store_set_sqlite_error (error, db, rc, "report");
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

static gboolean
step_error (sqlite3 *db, int rc, GError **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;

  dengon_store_set_sqlite_error (error, db, rc, "report");
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

/* Memos per quarter of an hour: the whole quarters inside [from, to) from the
 * aggregate table, what is left at the edges from memo_index. */
static gboolean
read_quarters_from_index (Compute *c, sqlite3 *db, gint64 from_ms, gint64 to_ms, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  if (from_ms >= to_ms)
    return TRUE;

  stmt = prepare (db,
                  "SELECT created_at / 900000, coalesce(category, ''), direction, count(*)"
                  " FROM memo_index WHERE key >= ?1 AND key < ?2 GROUP BY 1, 2, 3",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_ms * 1024);
  sqlite3_bind_int64 (stmt, 2, to_ms * 1024);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_quarter (c, sqlite3_column_int64 (stmt, 0), column_text (stmt, 1),
                 sqlite3_column_int (stmt, 2), (guint) sqlite3_column_int64 (stmt, 3));

  return step_error (db, rc, error);
}

static gboolean
read_quarters (Compute *c, sqlite3 *db, gint64 from_ms, gint64 to_ms, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 first = ceil_div (from_ms, QUARTER_MS), end = floor_div (to_ms, QUARTER_MS);
  int rc;

  if (first >= end)
    return read_quarters_from_index (c, db, from_ms, to_ms, error);

  stmt = prepare (db,
                  "SELECT quarter, category, direction, n FROM memo_quarter_stats"
                  " WHERE quarter >= ?1 AND quarter < ?2",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_quarter (c, sqlite3_column_int64 (stmt, 0), column_text (stmt, 1),
                 sqlite3_column_int (stmt, 2), (guint) sqlite3_column_int64 (stmt, 3));
  if (!step_error (db, rc, error))
    return FALSE;

  return read_quarters_from_index (c, db, from_ms, first * QUARTER_MS, error) &&
         read_quarters_from_index (c, db, end * QUARTER_MS, to_ms, error);
}

/* Memos per assignee, open and segment, sales calls left out: whole UTC days
 * from the aggregate table, the edges from memo_index. */
typedef void (*DayFunc) (Compute *c, const char *assignee, gboolean open, const char *segment,
                         guint n);

static gboolean
read_days_from_index (Compute *c, sqlite3 *db, gint64 from_ms, gint64 to_ms, DayFunc func,
                      GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  if (from_ms >= to_ms)
    return TRUE;

  stmt = prepare (db,
                  "SELECT coalesce(assignee, ''), open, coalesce(segment, ''), count(*)"
                  " FROM memo_index WHERE key >= ?1 AND key < ?2 AND " NOT_SALES_SQL
                  " GROUP BY 1, 2, 3",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_ms * 1024);
  sqlite3_bind_int64 (stmt, 2, to_ms * 1024);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (c, column_text (stmt, 0), sqlite3_column_int (stmt, 1) != 0, column_text (stmt, 2),
          (guint) sqlite3_column_int64 (stmt, 3));

  return step_error (db, rc, error);
}

static gboolean
read_days (Compute *c, sqlite3 *db, gint64 from_ms, gint64 to_ms, DayFunc func, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 first = ceil_div (from_ms, DAY_MS), end = floor_div (to_ms, DAY_MS);
  int rc;

  if (first >= end)
    return read_days_from_index (c, db, from_ms, to_ms, func, error);

  stmt = prepare (db,
                  "SELECT assignee, open, segment, n FROM memo_day_stats"
                  " WHERE day >= ?1 AND day < ?2",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (c, column_text (stmt, 0), sqlite3_column_int (stmt, 1) != 0, column_text (stmt, 2),
          (guint) sqlite3_column_int64 (stmt, 3));
  if (!step_error (db, rc, error))
    return FALSE;

  return read_days_from_index (c, db, from_ms, first * DAY_MS, func, error) &&
         read_days_from_index (c, db, end * DAY_MS, to_ms, func, error);
}

static void
add_day_in_range (Compute *c, const char *assignee, gboolean open, const char *segment, guint n)
{
  DengonReportPerson *person = ensure_person (c, assignee);

  if (open)
    {
      person->open += n;
      c->report->open += n;
    }
  else
    {
      person->done += n;
      c->report->done += n;
    }

  if (c->segments != NULL)
    {
      DengonReportSegment *segment_row = g_hash_table_lookup (c->segments, segment);

      if (segment_row == NULL)
        {
          segment_row = g_new0 (DengonReportSegment, 1);
          segment_row->segment = g_strdup (segment);
          g_ptr_array_add (c->report->segments, segment_row);
          g_hash_table_insert (c->segments, segment_row->segment, segment_row);
        }
      segment_row->count += n;
    }
}

static void
add_day_earlier (Compute *c, const char *assignee, gboolean open, const char *segment, guint n)
{
  if (open)
    c->report->earlier_open += n;
}

static gboolean
read_overdue (Compute *c, sqlite3 *db, GError **error)
{
  DengonReport *report = c->report;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (db,
                  "SELECT coalesce(assignee, ''), key < ?1, count(*) FROM memo_index"
                  " WHERE " OVERDUE_SQL " AND key < ?2 AND " NOT_SALES_SQL " GROUP BY 1, 2",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->from_ms * 1024);
  sqlite3_bind_int64 (stmt, 2, report->to_ms * 1024);
  sqlite3_bind_int64 (stmt, 3, report->now_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint n = (guint) sqlite3_column_int64 (stmt, 2);

      if (sqlite3_column_int (stmt, 1))
        report->earlier_overdue += n;
      else
        {
          report->overdue += n;
          ensure_person (c, column_text (stmt, 0))->overdue += n;
        }
    }

  return step_error (db, rc, error);
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of sorted @values: no value is made up. */
static gint64
percentile (GArray *values, guint percent)
{
  guint rank;

  if (values->len == 0)
    return -1;

  rank = (guint) (((guint64) values->len * percent + 99) / 100);

  return g_array_index (values, gint64, MAX (rank, 1) - 1);
}

static gboolean
read_callback_delays (Compute *c, sqlite3 *db, GError **error)
{
  DengonReport *report = c->report;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (db,
                  "SELECT called_back_at - (key >> 10) FROM memo_index"
                  " WHERE key >= ?1 AND key < ?2 AND called_back_at IS NOT NULL"
                  " AND " NOT_SALES_SQL,
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->from_ms * 1024);
  sqlite3_bind_int64 (stmt, 2, report->to_ms * 1024);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* A desk whose clock was behind can record a callback "before" the memo. */
      gint64 delay = MAX (sqlite3_column_int64 (stmt, 0), 0);

      g_array_append_val (c->delays, delay);
    }
  if (!step_error (db, rc, error))
    return FALSE;

  g_array_sort (c->delays, compare_int64);
  report->called_back = c->delays->len;
  report->callback_median_ms = percentile (c->delays, 50);
  report->callback_p90_ms = percentile (c->delays, 90);

  return TRUE;
}

static gboolean
read_names (Compute *c, sqlite3 *db, gboolean *have_contacts, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (db, "SELECT id, body FROM docs WHERE type = 'staff' AND NOT deleted", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) doc = dengon_json_parse_object (column_text (stmt, 1), -1, NULL, NULL);
      const char *name = dengon_json_get_string (doc, "name");

      if (name != NULL && *name)
        g_hash_table_insert (c->report->names, g_strdup (column_text (stmt, 0)), g_strdup (name));
    }
  if (!step_error (db, rc, error))
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = prepare (db, "SELECT EXISTS (SELECT 1 FROM docs WHERE type = 'contact' AND NOT deleted)",
                  error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return step_error (db, rc, error);
  *have_contacts = sqlite3_column_int (stmt, 0) != 0;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = prepare (db, "SELECT body FROM docs WHERE id = 'office:settings' AND NOT deleted", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autoptr (JsonObject) office =
          dengon_json_parse_object (column_text (stmt, 0), -1, NULL, NULL);

      c->report->escalation_days = dengon_office_get_escalation_days (office);
    }
  else if (rc == SQLITE_DONE)
    c->report->escalation_days = dengon_office_get_escalation_days (NULL);
  else
    return step_error (db, rc, error);

  return TRUE;
}

/* Outgoing calls and escalations of the range (covering indexes of store schema 5). */
static gboolean
read_sales (Compute *c, sqlite3 *db, GError **error)
{
  DengonReport *report = c->report;
  g_autoptr (sqlite3_stmt) calls = NULL;
  g_autoptr (sqlite3_stmt) leads = NULL;
  int rc;

  calls = prepare (db,
                   "SELECT count(*), coalesce(sum(call_result >= 2), 0),"
                   " coalesce(sum(call_result = 3), 0) FROM memo_index"
                   " WHERE direction = 1 AND key >= ?1 AND key < ?2",
                   error);
  if (calls == NULL)
    return FALSE;
  sqlite3_bind_int64 (calls, 1, report->from_ms * 1024);
  sqlite3_bind_int64 (calls, 2, report->to_ms * 1024);
  rc = sqlite3_step (calls);
  if (rc != SQLITE_ROW)
    return step_error (db, rc, error);
  report->calls_made = sqlite3_column_int (calls, 0);
  report->calls_reached = sqlite3_column_int (calls, 1);
  report->calls_appointment = sqlite3_column_int (calls, 2);

  leads = prepare (db,
                   "SELECT count(*), count(outcome), coalesce(sum(outcome = 'won'), 0),"
                   " coalesce(sum(outcome = 'lost'), 0) FROM memo_index"
                   " WHERE escalated_at >= ?1 AND escalated_at < ?2",
                   error);
  if (leads == NULL)
    return FALSE;
  sqlite3_bind_int64 (leads, 1, report->from_ms);
  sqlite3_bind_int64 (leads, 2, report->to_ms);
  rc = sqlite3_step (leads);
  if (rc != SQLITE_ROW)
    return step_error (db, rc, error);
  report->escalations = sqlite3_column_int (leads, 0);
  report->escalations_with_outcome = sqlite3_column_int (leads, 1);
  report->escalations_won = sqlite3_column_int (leads, 2);
  report->escalations_lost = sqlite3_column_int (leads, 3);

  return TRUE;
}

static gboolean
read_followups (sqlite3 *db, gint64 now_ms, guint days, const char *to, GPtrArray *out,
                GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (db,
                  "SELECT m.key, d.id, d.body, m.escalated_at, m.escalated_to"
                  " FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                  " WHERE m.escalated_at IS NOT NULL AND m.escalated_at < ?1 AND m.outcome IS NULL"
                  " AND (?2 IS NULL OR m.escalated_to = ?2)"
                  " ORDER BY m.escalated_at, m.key LIMIT ?3",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_ms - (gint64) days * DAY_MS);
  if (to != NULL)
    sqlite3_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, DENGON_REPORT_MAX_ITEMS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) doc = dengon_json_parse_object (column_text (stmt, 2), -1, NULL, NULL);
      DengonReportFollowup *followup = g_new0 (DengonReportFollowup, 1);
      JsonObject *caller = dengon_json_get_object (doc, "caller");
      JsonObject *call = dengon_json_get_object (doc, "call");
      JsonObject *escalation = doc != NULL ? dengon_memo_get_escalation (doc, NULL) : NULL;
      const char *number = dengon_json_get_string (call, "number_display");
      const char *note = dengon_json_get_string (escalation, "note");

      followup->key = sqlite3_column_int64 (stmt, 0);
      followup->id = g_strdup (column_text (stmt, 1));
      followup->escalated_ms = sqlite3_column_int64 (stmt, 3);
      followup->to = g_strdup (column_text (stmt, 4));
      followup->by = g_strdup (dengon_json_get_string (escalation, "by"));
      followup->caller = g_strdup (dengon_json_get_string (caller, "name"));
      followup->company = g_strdup (dengon_json_get_string (caller, "company"));
      followup->number =
          g_strdup (number != NULL ? number : dengon_json_get_string (call, "number"));
      followup->summary = note != NULL && *note ? g_strdup (note)
                          : doc != NULL         ? dengon_memo_get_summary (doc)
                                                : g_strdup ("");
      followup->days = (guint) (MAX (0, now_ms - followup->escalated_ms) / DAY_MS);
      g_ptr_array_add (out, followup);
    }
  return step_error (db, rc, error);
}

static DengonReportItem *
item_from_row (sqlite3_stmt *stmt, DengonReport *report, gboolean overdue)
{
  g_autoptr (JsonObject) doc = dengon_json_parse_object (column_text (stmt, 2), -1, NULL, NULL);
  DengonReportItem *item = g_new0 (DengonReportItem, 1);
  JsonObject *caller = dengon_json_get_object (doc, "caller");
  JsonObject *call = dengon_json_get_object (doc, "call");
  const char *number = dengon_json_get_string (call, "number_display");

  item->key = sqlite3_column_int64 (stmt, 0);
  item->id = g_strdup (column_text (stmt, 1));
  item->created_ms = item->key >> 10;
  item->callback_by_ms = sqlite3_column_int64 (stmt, 3);
  item->status = sqlite3_column_int (stmt, 4);
  item->staff_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  item->overdue = overdue;
  item->earlier = item->created_ms < report->from_ms;
  item->caller = g_strdup (dengon_json_get_string (caller, "name"));
  item->company = g_strdup (dengon_json_get_string (caller, "company"));
  item->number = g_strdup (number != NULL ? number : dengon_json_get_string (call, "number"));
  item->category = g_strdup (dengon_json_get_string (doc, "category"));
  item->urgent = g_strcmp0 (dengon_json_get_string (doc, "urgency"), "urgent") == 0;
  item->summary = doc != NULL ? dengon_memo_get_summary (doc) : g_strdup ("");

  return item;
}

/* The open and overdue list: every overdue memo up to the end of the range
 * (older ones too: they are still waiting), oldest deadline first, then the
 * range's other open memos, oldest first. */
static gboolean
read_items (Compute *c, sqlite3 *db, GError **error)
{
  DengonReport *report = c->report;
  g_autoptr (sqlite3_stmt) overdue = NULL;
  g_autoptr (sqlite3_stmt) open = NULL;
  int rc;

  /* The range's open memos (overdue ones among them) and the older overdue ones. */
  report->n_items = report->open + report->earlier_overdue;

  overdue = prepare (db,
                     "SELECT m.key, d.id, d.body, m.callback_by, m.status, m.assignee"
                     " FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                     " WHERE m.callback_by IS NOT NULL AND m.open AND m.callback_by < ?3"
                     " AND m.called_back_at IS NULL AND m.key < ?2"
                     " AND coalesce(m.category, '') <> 'sales'"
                     " ORDER BY m.callback_by, m.key LIMIT ?4",
                     error);
  if (overdue == NULL)
    return FALSE;
  sqlite3_bind_int64 (overdue, 2, report->to_ms * 1024);
  sqlite3_bind_int64 (overdue, 3, report->now_ms);
  sqlite3_bind_int (overdue, 4, DENGON_REPORT_MAX_ITEMS);
  while ((rc = sqlite3_step (overdue)) == SQLITE_ROW)
    g_ptr_array_add (report->items, item_from_row (overdue, report, TRUE));
  if (!step_error (db, rc, error))
    return FALSE;

  if (report->items->len >= DENGON_REPORT_MAX_ITEMS)
    return TRUE;

  open = prepare (db,
                  "SELECT m.key, d.id, d.body, m.callback_by, m.status, m.assignee"
                  " FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                  " WHERE m.open = 1 AND m.key >= ?1 AND m.key < ?2"
                  " AND coalesce(m.category, '') <> 'sales'"
                  " AND NOT (m.callback_by IS NOT NULL AND m.callback_by < ?3"
                  "          AND m.called_back_at IS NULL)"
                  " ORDER BY m.key LIMIT ?4",
                  error);
  if (open == NULL)
    return FALSE;
  sqlite3_bind_int64 (open, 1, report->from_ms * 1024);
  sqlite3_bind_int64 (open, 2, report->to_ms * 1024);
  sqlite3_bind_int64 (open, 3, report->now_ms);
  sqlite3_bind_int (open, 4, DENGON_REPORT_MAX_ITEMS - report->items->len);
  while ((rc = sqlite3_step (open)) == SQLITE_ROW)
    g_ptr_array_add (report->items, item_from_row (open, report, FALSE));

  return step_error (db, rc, error);
}

static int
compare_people (gconstpointer a, gconstpointer b)
{
  const DengonReportPerson *x = *(DengonReportPerson **) a;
  const DengonReportPerson *y = *(DengonReportPerson **) b;

  /* Nobody last: it is not a person's load. */
  if ((x->staff_id == NULL) != (y->staff_id == NULL))
    return x->staff_id == NULL ? 1 : -1;
  if (x->open != y->open)
    return x->open > y->open ? -1 : 1;
  if (x->overdue != y->overdue)
    return x->overdue > y->overdue ? -1 : 1;
  if (x->done != y->done)
    return x->done > y->done ? -1 : 1;

  return g_strcmp0 (x->staff_id, y->staff_id);
}

static int
known_rank (const char *name, const char *const *known)
{
  for (int i = 0; known[i] != NULL; i++)
    {
      if (g_str_equal (name, known[i]))
        return i;
    }

  return *name == '\0' ? G_MAXINT : G_MAXINT - 1;
}

/* Known categories in their usual order, others by count, none last. */
static int
compare_categories (gconstpointer a, gconstpointer b)
{
  const DengonReportCategory *x = *(DengonReportCategory **) a;
  const DengonReportCategory *y = *(DengonReportCategory **) b;
  int rx = known_rank (x->category, dengon_category_list ());
  int ry = known_rank (y->category, dengon_category_list ());

  if (rx != ry)
    return rx < ry ? -1 : 1;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;

  return strcmp (x->category, y->category);
}

static int
compare_segments (gconstpointer a, gconstpointer b)
{
  static const char *const known[] = { "new", "existing", "dormant", NULL };
  const DengonReportSegment *x = *(DengonReportSegment **) a;
  const DengonReportSegment *y = *(DengonReportSegment **) b;
  int rx = known_rank (x->segment, known), ry = known_rank (y->segment, known);

  if (rx != ry)
    return rx < ry ? -1 : 1;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;

  return strcmp (x->segment, y->segment);
}

/* The aggregates as they are after the first pass: what is shared is never
 * changed again by the second pass; the people are (their overdue counts). */
static DengonReport *
report_copy_partial (DengonReport *report)
{
  DengonReport *copy = g_atomic_rc_box_dup (sizeof (DengonReport), report);

  copy->tz = g_time_zone_ref (report->tz);
  copy->categories = g_ptr_array_ref (report->categories);
  copy->segments = report->segments != NULL ? g_ptr_array_ref (report->segments) : NULL;
  copy->names = g_hash_table_ref (report->names);
  copy->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  copy->followups = NULL;
  copy->people = g_ptr_array_new_with_free_func ((GDestroyNotify) person_free);
  for (guint i = 0; i < report->people->len; i++)
    {
      DengonReportPerson *person = g_memdup2 (report->people->pdata[i], sizeof *person);

      person->staff_id = g_strdup (person->staff_id);
      g_ptr_array_add (copy->people, person);
    }
  copy->complete = FALSE;

  return copy;
}

typedef struct
{
  DengonReportProgress progress;
  gpointer progress_data;
  DengonReport *partial;
} Partial;

static void
partial_free (Partial *partial)
{
  dengon_report_unref (partial->partial);
  g_free (partial);
}

static gboolean
deliver_partial (gpointer data)
{
  Partial *partial = data;

  partial->progress (partial->partial, partial->progress_data);

  return G_SOURCE_REMOVE;
}

static void
post_partial (Compute *c)
{
  Partial *partial = g_new0 (Partial, 1);

  partial->progress = c->progress;
  partial->progress_data = c->progress_data;
  partial->partial = report_copy_partial (c->report);
  partial->partial->query_us = g_get_monotonic_time () - c->start;
  g_main_context_invoke_full (c->context, G_PRIORITY_DEFAULT, deliver_partial, partial,
                              (GDestroyNotify) partial_free);
}

static gboolean
compute_in_snapshot (sqlite3 *db, gpointer data, GCancellable *cancellable, GError **error)
{
  Compute *c = data;
  DengonReport *report = c->report;
  gboolean have_contacts = FALSE;
  const char *const *known = dengon_category_list ();
  guint first_hour = 9, last_hour = 17;

  if (!read_names (c, db, &have_contacts, error))
    return FALSE;
  if (have_contacts)
    {
      report->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
      c->segments = g_hash_table_new (g_str_hash, g_str_equal);
    }

  /* Every known category has its bar, even at 0. */
  for (guint i = 0; known[i] != NULL; i++)
    {
      if (!g_str_equal (known[i], DENGON_REPORT_SALES))
        ensure_category (c, known[i]);
    }

  if (!read_quarters (c, db, report->from_ms, report->to_ms, error) ||
      !read_days (c, db, report->from_ms, report->to_ms, add_day_in_range, error) ||
      !read_days (c, db, 0, report->from_ms, add_day_earlier, error))
    return FALSE;

  g_ptr_array_sort (report->categories, compare_categories);
  g_ptr_array_sort (report->people, compare_people);
  if (report->segments != NULL)
    g_ptr_array_sort (report->segments, compare_segments);
  for (guint d = 0; d < 7; d++)
    {
      for (guint h = 0; h < 24; h++)
        {
          guint n = report->by_weekday_hour[d][h];

          report->max_cell = MAX (report->max_cell, n);
          if (n > 0)
            {
              first_hour = MIN (first_hour, h);
              last_hour = MAX (last_hour, h);
            }
        }
    }
  report->first_hour = first_hour;
  report->last_hour = last_hour;

  if (!report->complete)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);

  if (c->progress != NULL)
    post_partial (c);

  /* In the same snapshot: the figures that need every open memo and callback. */
  if (!read_overdue (c, db, error) || !read_callback_delays (c, db, error) ||
      !read_items (c, db, error) || !read_sales (c, db, error))
    return FALSE;
  report->followups = g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_report_followup_free);
  if (!read_followups (db, report->now_ms, report->escalation_days, NULL, report->followups, error))
    return FALSE;
  g_ptr_array_sort (report->people, compare_people);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static DengonReport *
compute_report (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz, gint64 now_ms,
                DengonReportFlags flags, DengonReportProgress progress, gpointer progress_data,
                GMainContext *context, GCancellable *cancellable, GError **error)
{
  g_autoptr (DengonReport) report = NULL;
  g_auto (Compute) c = { 0 };

  if (from_ms >= to_ms || to_ms - from_ms > DENGON_REPORT_MAX_DAYS * DAY_MS + DAY_MS)
    {
      g_set_error_literal (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_RANGE,
                           _ ("The range of days is not valid."));
      return NULL;
    }

  report = g_atomic_rc_box_new0 (DengonReport);
  report->from_ms = from_ms;
  report->to_ms = to_ms;
  report->now_ms = now_ms;
  report->tz = g_time_zone_ref (tz);
  report->n_days = (guint) ((to_ms - from_ms + DAY_MS / 2) / DAY_MS);
  report->callback_median_ms = -1;
  report->callback_p90_ms = -1;
  report->complete = (flags & DENGON_REPORT_QUICK) == 0;
  report->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) category_free);
  report->people = g_ptr_array_new_with_free_func ((GDestroyNotify) person_free);
  report->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  report->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  c.report = report;
  c.categories = g_hash_table_new (g_str_hash, g_str_equal);
  c.people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  c.offset_day = G_MININT64;
  c.progress = progress;
  c.progress_data = progress_data;
  c.context = context != NULL ? g_main_context_ref (context) : NULL;
  c.start = g_get_monotonic_time ();

  if (!dengon_store_read (store, compute_in_snapshot, &c, cancellable, error))
    return NULL;

  report->query_us = g_get_monotonic_time () - c.start;

  return g_steal_pointer (&report);
}

DengonReport *
dengon_report_compute (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                       gint64 now_ms, DengonReportFlags flags, GCancellable *cancellable,
                       GError **error)
{
  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  return compute_report (store, from_ms, to_ms, tz, now_ms, flags, NULL, NULL, NULL, cancellable,
                         error);
}

typedef struct
{
  gint64 from_ms;
  gint64 to_ms;
  gint64 now_ms;
  GTimeZone *tz;
  DengonReportFlags flags;
  DengonReportProgress progress;
  gpointer progress_data;
  GMainContext *context;
} ComputeArgs;

static void
compute_args_free (ComputeArgs *args)
{
  g_time_zone_unref (args->tz);
  g_main_context_unref (args->context);
  g_free (args);
}

static gpointer
compute_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ComputeArgs *args = data;

  return compute_report (store, args->from_ms, args->to_ms, args->tz, args->now_ms, args->flags,
                         args->progress, args->progress_data, args->context, cancellable, error);
}

void
dengon_report_compute_async (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                             gint64 now_ms, DengonReportFlags flags, DengonReportProgress progress,
                             gpointer progress_data, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  ComputeArgs *args;

  g_return_if_fail (DENGON_IS_STORE (store));
  g_return_if_fail (tz != NULL);

  args = g_new0 (ComputeArgs, 1);
  args->from_ms = from_ms;
  args->to_ms = to_ms;
  args->now_ms = now_ms;
  args->tz = g_time_zone_ref (tz);
  args->flags = flags;
  args->progress = progress;
  args->progress_data = progress_data;
  args->context = g_main_context_ref_thread_default ();
  dengon_store_run_async (store, compute_thread, args, (GDestroyNotify) compute_args_free,
                          (GDestroyNotify) dengon_report_unref, cancellable, callback, user_data);
}

DengonReport *
dengon_report_compute_finish (DengonStore *store, GAsyncResult *result, GError **error)
{
  return dengon_store_run_finish (store, result, error);
}

typedef struct
{
  gint64 now_ms;
  guint days;
  const char *to;
  GPtrArray *out;
} FollowupRead;

static gboolean
followups_in_snapshot (sqlite3 *db, gpointer data, GCancellable *cancellable, GError **error)
{
  FollowupRead *read = data;

  return read_followups (db, read->now_ms, read->days, read->to, read->out, error);
}

GPtrArray *
dengon_report_list_followups (DengonStore *store, gint64 now_ms, guint days, const char *to,
                              GError **error)
{
  g_autoptr (GPtrArray) out =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_report_followup_free);
  FollowupRead read = { now_ms, days, to, out };

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);

  if (!dengon_store_read (store, followups_in_snapshot, &read, NULL, error))
    return NULL;
  return g_steal_pointer (&out);
}
