/* test-report.c: the evening review's figures against hand-computed fixtures
 *
 * The office's local day counts, stored times are UTC: the fixtures put memos
 * one millisecond either side of local midnight and of UTC midnight (09:00 in
 * Tokyo), a callback after midnight, a sales call, an undone callback.  A
 * second test compares every figure with a brute-force count over random
 * memos, in zones with half-hour offsets and daylight saving time, before
 * and after memos change (the aggregate tables follow through triggers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-report.h"
#include "dengon-store.h"

typedef struct
{
  char *dir;
  DengonStore *store;
  GTimeZone *tokyo;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("dengon-report-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (path, &error);
  g_assert_no_error (error);
  f->tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  g_assert_nonnull (f->tokyo);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* A worker thread drops its task (and the store) a moment after it returned. */
  while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  g_time_zone_unref (f->tokyo);
  remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
ms_of (const char *timestamp)
{
  return dengon_json_timestamp_to_ms (timestamp);
}

static GDateTime *
at (gint64 ms)
{
  g_autoptr (GDateTime) epoch = g_date_time_new_from_unix_utc (0);

  return g_date_time_add (epoch, ms * 1000);
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* A memo as the inbox would have written it, its events at the given times. */
typedef struct
{
  const char *created;  /* RFC 3339, UTC */
  const char *category; /* NULL: none */
  const char *direction;
  const char *assignee;
  const char *callback_by; /* NULL: no callback asked for */
  const char *called_back; /* NULL: never */
  gboolean undo_callback;  /* the called_back event was undone */
  const char *done;        /* NULL: open */
  const char *segment;
} Spec;

static char *
put_memo (DengonStore *store, const Spec *spec)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) created = at (ms_of (spec->created));
  g_autoptr (JsonObject) memo = dengon_memo_new ("staff:rin", created);
  g_autofree char *rev = NULL;

  dengon_memo_set_call (memo, spec->direction ? spec->direction : "in", "03-1234-5678", NULL, NULL);
  dengon_memo_set_caller (memo, "田中 一郎", "田中工務店", NULL);
  if (spec->segment != NULL)
    json_object_set_string_member (dengon_json_get_object (memo, "caller"), "segment",
                                   spec->segment);
  dengon_memo_set_message (memo, "見積書を送ってほしい");
  dengon_memo_set_category (memo, spec->category);
  if (spec->callback_by != NULL)
    {
      g_autoptr (GDateTime) by = at (ms_of (spec->callback_by));

      dengon_memo_set_callback (memo, TRUE, NULL, by);
    }
  if (spec->assignee != NULL)
    {
      g_autoptr (GDateTime) when = at (ms_of (spec->created) + 1000);

      g_assert_true (dengon_memo_assign (memo, "staff:rin", spec->assignee, when, &error));
    }
  if (spec->called_back != NULL)
    {
      g_autoptr (GDateTime) when = at (ms_of (spec->called_back));

      g_assert_true (dengon_memo_called_back (memo, "staff:aya", NULL, when, &error));
      if (spec->undo_callback)
        {
          g_autoptr (GDateTime) later = g_date_time_add_minutes (when, 1);

          g_assert_true (dengon_memo_undo_last (memo, "staff:aya", later, &error));
        }
    }
  if (spec->done != NULL)
    {
      g_autoptr (GDateTime) when = at (ms_of (spec->done));

      g_assert_true (dengon_memo_done (memo, "staff:aya", when, &error));
    }
  g_assert_no_error (error);

  rev = dengon_store_put (store, memo, &error);
  g_assert_no_error (error);

  return g_strdup (dengon_json_get_string (memo, "_id"));
}

static DengonReport *
report_for (Fixture *f, GTimeZone *tz, const char *first, const char *last, const char *now)
{
  g_autoptr (GError) error = NULL;
  GDate d1, d2;
  gint64 from, to;
  DengonReport *report;

  g_assert_true (dengon_report_parse_date (first, tz, ms_of (now), &d1, &error));
  g_assert_true (dengon_report_parse_date (last, tz, ms_of (now), &d2, &error));
  g_assert_true (dengon_report_day_range (tz, &d1, &d2, &from, &to, &error));
  report =
      dengon_report_compute (f->store, from, to, tz, ms_of (now), DENGON_REPORT_ALL, NULL, &error);
  g_assert_no_error (error);

  return report;
}

static DengonReportPerson *
person (DengonReport *report, const char *id)
{
  for (guint i = 0; i < report->people->len; i++)
    {
      DengonReportPerson *p = report->people->pdata[i];

      if (g_strcmp0 (p->staff_id, id) == 0)
        return p;
    }

  return NULL;
}

static DengonReportCategory *
category (DengonReport *report, const char *name)
{
  for (guint i = 0; i < report->categories->len; i++)
    {
      DengonReportCategory *c = report->categories->pdata[i];

      if (g_strcmp0 (c->category, name) == 0)
        return c;
    }

  return NULL;
}

/* ------------------------------------------------------------------ fixtures */

#define FRIDAY 4

static const Spec day_memos[] = {
  /* A: 23:59:59.999 on Thursday in Tokyo: the day before, still open. */
  { "2026-11-19T14:59:59.999Z", "message" },
  /* B: midnight in Tokyo, the first memo of Friday. */
  { "2026-11-19T15:00:00.000Z", NULL },
  /* C: 08:59 in Tokyo, still the 19th in UTC. */
  { "2026-11-19T23:59:00.000Z", NULL },
  /* D: 09:00 in Tokyo, the 20th in UTC. */
  { "2026-11-20T00:00:00.000Z", NULL },
  /* E: 10:30, a complaint for Ken, call back by 11:30: overdue. */
  { "2026-11-20T01:30:00.000Z", "complaint", "in", "staff:ken", "2026-11-20T02:30:00.000Z" },
  /* F: 10:45, a sales pitch for Ken, asked for a callback: kept out. */
  { "2026-11-20T01:45:00.000Z", "sales", "in", "staff:ken", "2026-11-20T02:00:00.000Z" },
  /* L: 11:00, called back and the callback undone: no callback. */
  { "2026-11-20T02:00:00.000Z", "message", "in", NULL, NULL, "2026-11-20T02:10:00.000Z", TRUE },
  /* G: 14:00, an order for Aya, called back after 30 minutes, done. */
  { "2026-11-20T05:00:00.000Z", "order", "in", "staff:aya", "2026-11-20T07:00:00.000Z",
    "2026-11-20T05:30:00.000Z", FALSE, "2026-11-20T06:00:00.000Z" },
  /* H: 15:00, a delivery question for Aya, called back after two hours. */
  { "2026-11-20T06:00:00.000Z", "inquiry", "in", "staff:aya", "2026-11-20T07:00:00.000Z",
    "2026-11-20T08:00:00.000Z" },
  /* I: 23:59 an outgoing call for Ken, called back 11 minutes later, after midnight. */
  { "2026-11-20T14:59:00.000Z", "message", "out", "staff:ken", NULL, "2026-11-20T15:10:00.000Z" },
  /* J: midnight again: Saturday. */
  { "2026-11-20T15:00:00.000Z", "message" },
  /* K: two days before, for Rin, call back by 14:00 that day: overdue since. */
  { "2026-11-18T03:00:00.000Z", "order", "in", "staff:rin", "2026-11-18T05:00:00.000Z" },
};

static void
seed_day (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (day_memos); i++)
    g_free (put_memo (f->store, &day_memos[i]));
}

static void
test_day (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonReport) report = NULL;
  DengonReportPerson *ken, *aya, *nobody;
  static const char *items[] = { "2026-11-18T03:00:00.000Z", "2026-11-20T01:30:00.000Z",
                                 "2026-11-19T15:00:00.000Z", "2026-11-19T23:59:00.000Z",
                                 "2026-11-20T00:00:00.000Z", "2026-11-20T02:00:00.000Z",
                                 "2026-11-20T06:00:00.000Z", "2026-11-20T14:59:00.000Z" };

  seed_day (f);
  report = report_for (f, f->tokyo, "2026-11-20", "2026-11-20", "2026-11-21T00:00:00.000Z");

  g_assert_cmpint (report->from_ms, ==, ms_of ("2026-11-19T15:00:00.000Z"));
  g_assert_cmpint (report->to_ms, ==, ms_of ("2026-11-20T15:00:00.000Z"));
  g_assert_cmpuint (report->n_days, ==, 1);

  /* B C D E L G H I; F is a sales call. */
  g_assert_cmpuint (report->memos, ==, 8);
  g_assert_cmpuint (report->incoming, ==, 7);
  g_assert_cmpuint (report->outgoing, ==, 1);
  g_assert_cmpuint (report->sales, ==, 1);
  g_assert_cmpuint (report->done, ==, 1);
  g_assert_cmpuint (report->open, ==, 7);
  g_assert_cmpuint (report->overdue, ==, 1);
  /* A (Thursday night) and K are still open; K is overdue. */
  g_assert_cmpuint (report->earlier_open, ==, 2);
  g_assert_cmpuint (report->earlier_overdue, ==, 1);

  /* 11 min (I, across midnight), 30 min (G), 2 h (H); L's was undone. */
  g_assert_cmpuint (report->called_back, ==, 3);
  g_assert_cmpint (report->callback_median_ms, ==, 30 * 60 * 1000);
  g_assert_cmpint (report->callback_p90_ms, ==, 120 * 60 * 1000);

  /* The heat map in Tokyo time: Friday only. */
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][0], ==, 1);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][8], ==, 1);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][9], ==, 1);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][10], ==, 1); /* E; F is sales */
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][11], ==, 1);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][14], ==, 1);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][15], ==, 1);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY][23], ==, 1);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY - 1][23], ==, 0);
  g_assert_cmpuint (report->by_weekday_hour[FRIDAY + 1][0], ==, 0);
  g_assert_cmpuint (report->max_cell, ==, 1);
  g_assert_cmpuint (report->first_hour, ==, 0);
  g_assert_cmpuint (report->last_hour, ==, 23);

  /* Categories: the known ones in order (no sales), then none. */
  g_assert_cmpuint (report->categories->len, ==, 6);
  g_assert_cmpstr (((DengonReportCategory *) report->categories->pdata[0])->category, ==,
                   "message");
  g_assert_cmpstr (((DengonReportCategory *) report->categories->pdata[5])->category, ==, "");
  g_assert_cmpuint (category (report, "message")->count, ==, 2);
  g_assert_cmpuint (category (report, "")->count, ==, 3);
  g_assert_cmpuint (category (report, "complaint")->count, ==, 1);
  g_assert_cmpuint (category (report, "complaint")->by_hour[10], ==, 1);
  g_assert_cmpuint (category (report, "order")->count, ==, 1);
  g_assert_cmpuint (category (report, "inquiry")->count, ==, 1);
  g_assert_cmpuint (category (report, "followup")->count, ==, 0);
  g_assert_null (category (report, "sales"));

  /* People: Ken's sales call is not his load; nobody comes last. */
  ken = person (report, "staff:ken");
  aya = person (report, "staff:aya");
  nobody = person (report, NULL);
  g_assert_cmpuint (ken->open, ==, 2);
  g_assert_cmpuint (ken->overdue, ==, 1);
  g_assert_cmpuint (ken->done, ==, 0);
  g_assert_cmpuint (aya->open, ==, 1);
  g_assert_cmpuint (aya->done, ==, 1);
  g_assert_cmpuint (aya->overdue, ==, 0);
  g_assert_cmpuint (nobody->open, ==, 4);
  g_assert_null (person (report, "staff:rin"));
  g_assert_true (report->people->pdata[0] == ken);
  g_assert_true (report->people->pdata[report->people->len - 1] == nobody);

  /* No contacts: no segment mix. */
  g_assert_null (report->segments);

  /* The list: overdue first (oldest deadline), then open, oldest first. */
  g_assert_cmpuint (report->n_items, ==, G_N_ELEMENTS (items));
  g_assert_cmpuint (report->items->len, ==, G_N_ELEMENTS (items));
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      DengonReportItem *item = report->items->pdata[i];

      g_assert_cmpint (item->created_ms, ==, ms_of (items[i]));
      g_assert_cmpint (item->overdue, ==, i < 2);
      g_assert_cmpint (item->earlier, ==, i == 0);
    }
  g_assert_cmpstr (((DengonReportItem *) report->items->pdata[0])->caller, ==, "田中 一郎");
  g_assert_cmpstr (((DengonReportItem *) report->items->pdata[0])->summary, ==,
                   "見積書を送ってほしい");
  g_assert_cmpstr (((DengonReportItem *) report->items->pdata[1])->staff_id, ==, "staff:ken");
  g_assert_true (report->complete);
}

/* What a window shows first: the same aggregates, nothing that needs "now". */
static void
test_quick (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonReport) quick = NULL;

  seed_day (f);
  quick = dengon_report_compute (
      f->store, ms_of ("2026-11-19T15:00:00.000Z"), ms_of ("2026-11-20T15:00:00.000Z"), f->tokyo,
      ms_of ("2026-11-21T00:00:00.000Z"), DENGON_REPORT_QUICK, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (quick->complete);
  g_assert_cmpuint (quick->memos, ==, 8);
  g_assert_cmpuint (quick->sales, ==, 1);
  g_assert_cmpuint (quick->open, ==, 7);
  g_assert_cmpuint (quick->done, ==, 1);
  g_assert_cmpuint (quick->earlier_open, ==, 2);
  g_assert_cmpuint (quick->by_weekday_hour[FRIDAY][23], ==, 1);
  g_assert_cmpuint (person (quick, "staff:ken")->open, ==, 2);
  g_assert_cmpuint (quick->overdue, ==, 0);
  g_assert_cmpint (quick->callback_median_ms, ==, -1);
  g_assert_cmpuint (quick->items->len, ==, 0);
}

/* The same memos seen from the day before and after, and as a three-day range. */
static void
test_neighbours (Fixture *f, gconstpointer data)
{
  g_autoptr (DengonReport) thursday = NULL;
  g_autoptr (DengonReport) saturday = NULL;
  g_autoptr (DengonReport) range = NULL;

  seed_day (f);
  thursday = report_for (f, f->tokyo, "2026-11-19", "2026-11-19", "2026-11-21T00:00:00.000Z");
  g_assert_cmpuint (thursday->memos, ==, 1); /* A */
  g_assert_cmpuint (thursday->by_weekday_hour[FRIDAY - 1][23], ==, 1);
  g_assert_cmpuint (thursday->earlier_open, ==, 1); /* K */

  saturday = report_for (f, f->tokyo, "2026-11-21", "2026-11-21", "2026-11-21T00:00:00.000Z");
  g_assert_cmpuint (saturday->memos, ==, 1); /* J */
  g_assert_cmpuint (saturday->by_weekday_hour[FRIDAY + 1][0], ==, 1);
  /* Everything but J and G, and F (sales), is still open. */
  g_assert_cmpuint (saturday->earlier_open, ==, 9);
  g_assert_cmpuint (saturday->earlier_overdue, ==, 2);

  /* Three days: UTC days inside come from the aggregate tables. */
  range = report_for (f, f->tokyo, "2026-11-18", "2026-11-20", "2026-11-21T00:00:00.000Z");
  g_assert_cmpuint (range->n_days, ==, 3);
  g_assert_cmpuint (range->memos, ==, 10);
  g_assert_cmpuint (range->sales, ==, 1);
  g_assert_cmpuint (range->open, ==, 9);
  g_assert_cmpuint (range->done, ==, 1);
  g_assert_cmpuint (range->overdue, ==, 2);
  g_assert_cmpuint (range->earlier_open, ==, 0);
  g_assert_cmpuint (person (range, "staff:rin")->overdue, ==, 1);
  g_assert_cmpuint (range->by_weekday_hour[2][12], ==, 1); /* K: Wednesday 12:00 */
}

static void
test_segments (Fixture *f, gconstpointer data)
{
  static const Spec memos[] = {
    { "2026-11-20T01:00:00.000Z", "order", "in", NULL, NULL, NULL, FALSE, NULL, "new" },
    { "2026-11-20T02:00:00.000Z", "order", "in", NULL, NULL, NULL, FALSE, NULL, "existing" },
    { "2026-11-20T03:00:00.000Z", "order", "in", NULL, NULL, NULL, FALSE, NULL, "existing" },
    { "2026-11-20T04:00:00.000Z", "sales", "in", NULL, NULL, NULL, FALSE, NULL, "new" },
    { "2026-11-20T05:00:00.000Z", "message" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonReport) without = NULL;
  g_autoptr (DengonReport) with = NULL;
  g_autoptr (JsonObject) contact = json_object_new ();
  g_autofree char *rev = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (memos); i++)
    g_free (put_memo (f->store, &memos[i]));

  without = report_for (f, f->tokyo, "2026-11-20", "2026-11-20", "2026-11-21T00:00:00.000Z");
  g_assert_null (without->segments);

  json_object_set_string_member (contact, "_id", "contact:c1");
  json_object_set_string_member (contact, "type", "contact");
  rev = dengon_store_put (f->store, contact, &error);
  g_assert_no_error (error);

  with = report_for (f, f->tokyo, "2026-11-20", "2026-11-20", "2026-11-21T00:00:00.000Z");
  g_assert_nonnull (with->segments);
  g_assert_cmpuint (with->segments->len, ==, 3);
  g_assert_cmpstr (((DengonReportSegment *) with->segments->pdata[0])->segment, ==, "new");
  g_assert_cmpuint (((DengonReportSegment *) with->segments->pdata[0])->count, ==, 1);
  g_assert_cmpstr (((DengonReportSegment *) with->segments->pdata[1])->segment, ==, "existing");
  g_assert_cmpuint (((DengonReportSegment *) with->segments->pdata[1])->count, ==, 2);
  g_assert_cmpstr (((DengonReportSegment *) with->segments->pdata[2])->segment, ==, "");
  g_assert_cmpuint (((DengonReportSegment *) with->segments->pdata[2])->count, ==, 1);
}

static void
test_dates (void)
{
  g_autoptr (GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr (GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autoptr (GError) error = NULL;
  gint64 now = ms_of ("2026-11-20T15:30:00.000Z"); /* 00:30 on the 21st in Tokyo */
  GDate date, last;
  gint64 from, to;

  g_assert_true (dengon_report_parse_date ("today", tokyo, now, &date, &error));
  g_assert_cmpint (g_date_get_day (&date), ==, 21);
  g_assert_true (dengon_report_parse_date ("yesterday", tokyo, now, &date, &error));
  g_assert_cmpint (g_date_get_day (&date), ==, 20);
  g_assert_true (dengon_report_parse_date ("today", new_york, now, &date, &error));
  g_assert_cmpint (g_date_get_day (&date), ==, 20);
  g_assert_true (dengon_report_parse_date ("2026-02-28", tokyo, now, &date, &error));
  g_assert_no_error (error);

  g_assert_false (dengon_report_parse_date ("2026-02-29", tokyo, now, &date, &error));
  g_assert_error (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_DATE);
  g_clear_error (&error);
  g_assert_false (dengon_report_parse_date ("20261120", tokyo, now, &date, &error));
  g_clear_error (&error);
  g_assert_false (dengon_report_parse_date ("2026-11-20x", tokyo, now, &date, &error));
  g_clear_error (&error);

  /* The day daylight saving time ends in New York has 25 hours. */
  g_date_set_dmy (&date, 1, 11, 2026);
  g_assert_true (dengon_report_day_range (new_york, &date, &date, &from, &to, &error));
  g_assert_cmpint (to - from, ==, 25 * 3600 * 1000);
  g_assert_cmpint (from, ==, ms_of ("2026-11-01T04:00:00.000Z"));

  g_date_set_dmy (&last, 31, 10, 2026);
  g_assert_false (dengon_report_day_range (tokyo, &date, &last, &from, &to, &error));
  g_assert_error (error, DENGON_REPORT_ERROR, DENGON_REPORT_ERROR_INVALID_RANGE);
}

/* ------------------------------------------------------------------ brute force */

typedef struct
{
  char *id;
  gint64 created;
  char *category;
  gboolean out;
  char *assignee;
  gint64 callback_by;
  gint64 called_back;
  gboolean done;
} Model;

static void
model_free (Model *m)
{
  g_free (m->id);
  g_free (m->category);
  g_free (m->assignee);
  g_free (m);
}

static const char *random_categories[] = { NULL,    "message",   "order",
                                           "sales", "complaint", "followup" };
static const char *random_people[] = { NULL, "staff:aya", "staff:ken", "staff:rin" };

static char *
timestamp (gint64 ms)
{
  g_autoptr (GDateTime) t = at (ms);

  return dengon_json_timestamp (t);
}

static void
random_memo (DengonStore *store, GRand *rand, gint64 start, GPtrArray *models)
{
  Model *m = g_new0 (Model, 1);
  g_autofree char *created = NULL, *callback_by = NULL, *called_back = NULL, *done = NULL;
  Spec spec = { 0 };

  /* Any minute of 40 days, some on the exact quarter hour and midnight. */
  m->created = start + (gint64) g_rand_int_range (rand, 0, 40 * 24 * 4) * 15 * 60 * 1000;
  if (g_rand_boolean (rand))
    m->created += g_rand_int_range (rand, 0, 15 * 60 * 1000);
  m->category = g_strdup (random_categories[g_rand_int_range (rand, 0, 6)]);
  m->out = g_rand_int_range (rand, 0, 5) == 0;
  m->assignee = g_strdup (random_people[g_rand_int_range (rand, 0, 4)]);
  if (g_rand_boolean (rand))
    m->callback_by = m->created + g_rand_int_range (rand, 1, 72) * 3600 * 1000;
  if (g_rand_int_range (rand, 0, 3) == 0)
    m->called_back = m->created + g_rand_int_range (rand, 1, 3000) * 60 * 1000;
  m->done = g_rand_int_range (rand, 0, 3) == 0;

  created = timestamp (m->created);
  callback_by = m->callback_by ? timestamp (m->callback_by) : NULL;
  called_back = m->called_back ? timestamp (m->called_back) : NULL;
  done = m->done ? timestamp (MAX (m->called_back, m->created) + 60000) : NULL;
  spec.created = created;
  spec.category = m->category;
  spec.direction = m->out ? "out" : "in";
  spec.assignee = m->assignee;
  spec.callback_by = callback_by;
  spec.called_back = called_back;
  spec.done = done;
  m->id = put_memo (store, &spec);
  g_ptr_array_add (models, m);
}

/* Changes that move a memo between aggregate rows: its category, assignee,
 * open/done, and deletes. */
static void
random_change (DengonStore *store, GRand *rand, GPtrArray *models)
{
  g_autoptr (GError) error = NULL;
  guint i = g_rand_int_range (rand, 0, models->len);
  Model *m = models->pdata[i];
  g_autoptr (JsonObject) stored = dengon_store_get (store, m->id, &error);
  g_autoptr (JsonObject) memo = dengon_memo_copy (stored);
  g_autoptr (GDateTime) when = at (m->created + 100 * 24 * 3600 * 1000LL);
  g_autofree char *rev = NULL;

  g_assert_no_error (error);
  switch (g_rand_int_range (rand, 0, 4))
    {
      case 0:
        g_free (m->category);
        m->category = g_strdup (random_categories[g_rand_int_range (rand, 0, 6)]);
        dengon_memo_set_category (memo, m->category);
        break;
      case 1:
        if (m->done)
          g_assert_true (dengon_memo_reopen (memo, "staff:aya", when, &error));
        else
          g_assert_true (dengon_memo_done (memo, "staff:aya", when, &error));
        m->done = !m->done;
        break;
      case 2:
        if (!m->done)
          {
            g_free (m->assignee);
            m->assignee = g_strdup (random_people[1 + g_rand_int_range (rand, 0, 3)]);
            g_assert_true (dengon_memo_assign (memo, "staff:aya", m->assignee, when, &error));
          }
        break;
      case 3:
        rev = dengon_store_delete (store, m->id, dengon_json_get_string (stored, "_rev"), &error);
        g_assert_no_error (error);
        g_ptr_array_remove_index (models, i);
        return;
      default:
        g_assert_not_reached ();
    }
  g_assert_no_error (error);
  rev = dengon_store_put (store, memo, &error);
  g_assert_no_error (error);
}

static void
check_against_models (Fixture *f, GTimeZone *tz, GPtrArray *models, const GDate *first,
                      guint n_days, gint64 now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonReport) report = NULL;
  GDate last = *first;
  gint64 from, to;
  guint memos = 0, sales = 0, open = 0, done = 0, overdue = 0, earlier_open = 0, cells = 0;
  guint grid[7][24] = { { 0 } };
  g_autoptr (GHashTable) open_by = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GArray) delays = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_date_add_days (&last, n_days - 1);
  g_assert_true (dengon_report_day_range (tz, (GDate *) first, &last, &from, &to, &error));
  report = dengon_report_compute (f->store, from, to, tz, now, DENGON_REPORT_ALL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < models->len; i++)
    {
      Model *m = models->pdata[i];
      gboolean sale = g_strcmp0 (m->category, "sales") == 0;

      if (m->created < from && !sale && !m->done)
        earlier_open++;
      if (m->created < from || m->created >= to)
        continue;
      if (sale)
        {
          sales++;
          continue;
        }
      memos++;
      if (m->done)
        done++;
      else
        {
          const char *key = m->assignee ? m->assignee : "";

          open++;
          g_hash_table_insert (
              open_by, (gpointer) key,
              GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (open_by, key)) + 1));
          if (m->callback_by && m->callback_by < now && !m->called_back)
            overdue++;
        }
      if (m->called_back)
        {
          gint64 delay = m->called_back - m->created;

          g_array_append_val (delays, delay);
        }

      {
        g_autoptr (GDateTime) utc = at (m->created);
        g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);

        grid[g_date_time_get_day_of_week (local) - 1][g_date_time_get_hour (local)]++;
      }
    }

  g_assert_cmpuint (report->memos, ==, memos);
  g_assert_cmpuint (report->incoming + report->outgoing, ==, memos);
  g_assert_cmpuint (report->sales, ==, sales);
  g_assert_cmpuint (report->open, ==, open);
  g_assert_cmpuint (report->done, ==, done);
  g_assert_cmpuint (report->overdue, ==, overdue);
  g_assert_cmpuint (report->earlier_open, ==, earlier_open);
  g_assert_cmpuint (report->called_back, ==, delays->len);
  for (guint d = 0; d < 7; d++)
    for (guint h = 0; h < 24; h++)
      {
        g_assert_cmpuint (report->by_weekday_hour[d][h], ==, grid[d][h]);
        cells += grid[d][h];
      }
  g_assert_cmpuint (cells, ==, memos);
  for (guint i = 0; i < report->people->len; i++)
    {
      DengonReportPerson *p = report->people->pdata[i];
      const char *key = p->staff_id ? p->staff_id : "";

      g_assert_cmpuint (p->open, ==, GPOINTER_TO_UINT (g_hash_table_lookup (open_by, key)));
    }
  g_array_sort (delays, compare_int64);
  if (delays->len > 0)
    {
      guint median = (delays->len + 1) / 2, p90 = (delays->len * 90 + 99) / 100;

      g_assert_cmpint (report->callback_median_ms, ==, g_array_index (delays, gint64, median - 1));
      g_assert_cmpint (report->callback_p90_ms, ==, g_array_index (delays, gint64, p90 - 1));
    }
  else
    g_assert_cmpint (report->callback_median_ms, ==, -1);
}

static void
test_random (Fixture *f, gconstpointer data)
{
  static const char *zones[] = { "Asia/Tokyo", "Asia/Kolkata", "America/New_York",
                                 "Australia/Lord_Howe", "UTC" };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261120);
  g_autoptr (GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
  gint64 start = ms_of ("2026-10-15T00:00:00.000Z");
  gint64 now = ms_of ("2026-11-10T03:00:00.000Z");

  for (guint i = 0; i < 400; i++)
    random_memo (f->store, rand, start, models);

  for (guint round = 0; round < 2; round++)
    {
      for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
        {
          g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (zones[z]);
          GDate first;

          g_assert_nonnull (tz);
          /* Single days (one crosses the end of daylight saving time in New
           * York, one its start in Lord Howe Island), a week, a month. */
          for (guint day = 13; day < 45; day += 3)
            {
              g_date_set_dmy (&first, 1, 10, 2026);
              g_date_add_days (&first, day);
              check_against_models (f, tz, models, &first, 1, now);
            }
          g_date_set_dmy (&first, 29, 10, 2026);
          check_against_models (f, tz, models, &first, 7, now);
          g_date_set_dmy (&first, 10, 10, 2026);
          check_against_models (f, tz, models, &first, 45, now);
        }

      /* Move memos between rows of the aggregate tables, delete some. */
      for (guint i = 0; i < 150; i++)
        random_change (f->store, rand, models);
    }
}

/* A file written by an older version gets the review's tables on opening. */
static void
test_migration (void)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "dengon-v1.db", NULL);
  g_autofree char *dir = g_dir_make_tmp ("dengon-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dengon.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (DengonReport) report = NULL;
  g_autoptr (GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  GDate day;
  gint64 from, to;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  store = dengon_store_open (path, &error);
  g_assert_no_error (error);

  /* Both memos were taken on 2026-11-23, 15:40 and 15:41 in Tokyo. */
  g_date_set_dmy (&day, 23, 11, 2026);
  g_assert_true (dengon_report_day_range (tokyo, &day, &day, &from, &to, &error));
  report = dengon_report_compute (store, from, to, tokyo, to, DENGON_REPORT_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->memos, ==, 2);
  g_assert_cmpuint (report->open, ==, 2);
  g_assert_cmpuint (report->by_weekday_hour[0][15], ==, 2);
  g_assert_cmpuint (person (report, "staff:ken")->open, ==, 1);
  g_assert_cmpstr (dengon_report_get_name (report, "staff:ken"), ==, "山田 健");

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

static void
on_computed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DengonReport **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = dengon_report_compute_finish (DENGON_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
on_partial (DengonReport *partial, gpointer user_data)
{
  DengonReport **out = user_data;

  g_assert_null (*out);
  *out = dengon_report_ref (partial);
}

static void
test_async (Fixture *f, gconstpointer data)
{
  DengonReport *report = NULL;
  DengonReport *partial = NULL;

  seed_day (f);
  dengon_report_compute_async (f->store, ms_of ("2026-11-19T15:00:00.000Z"),
                               ms_of ("2026-11-20T15:00:00.000Z"), f->tokyo,
                               ms_of ("2026-11-21T00:00:00.000Z"), DENGON_REPORT_ALL, on_partial,
                               &partial, NULL, on_computed, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The aggregates came first, on this thread's main context. */
  g_assert_nonnull (partial);
  g_assert_false (partial->complete);
  g_assert_cmpuint (partial->memos, ==, 8);
  g_assert_cmpuint (partial->items->len, ==, 0);
  g_assert_cmpuint (person (partial, "staff:ken")->overdue, ==, 0);
  g_assert_true (report->complete);
  g_assert_cmpuint (person (report, "staff:ken")->overdue, ==, 1);
  dengon_report_unref (partial);
  g_assert_cmpuint (report->memos, ==, 8);
  g_assert_cmpint (report->query_us, >, 0);
  dengon_report_unref (report);
}

int
main (int argc, char *argv[])
{
  /* The office is in Tokyo; the report is given its zone explicitly anyway. */
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dengon/report/day", Fixture, NULL, fixture_set_up, test_day, fixture_tear_down);
  g_test_add ("/dengon/report/quick", Fixture, NULL, fixture_set_up, test_quick, fixture_tear_down);
  g_test_add ("/dengon/report/neighbours", Fixture, NULL, fixture_set_up, test_neighbours,
              fixture_tear_down);
  g_test_add ("/dengon/report/segments", Fixture, NULL, fixture_set_up, test_segments,
              fixture_tear_down);
  g_test_add ("/dengon/report/random", Fixture, NULL, fixture_set_up, test_random,
              fixture_tear_down);
  g_test_add ("/dengon/report/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);
  g_test_add_func ("/dengon/report/dates", test_dates);
  g_test_add_func ("/dengon/report/migration", test_migration);

  return g_test_run ();
}
