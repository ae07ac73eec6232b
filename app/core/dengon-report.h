/* dengon-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-memo.h"
#include "dengon-store.h"

G_BEGIN_DECLS

/* The evening review's figures for a range of the office's local days.
 *
 * Times are stored in UTC; the office's day is the local day of @tz (the
 * application passes the process's local time zone, see DESIGN.md "Review").
 * "Now" figures (open, overdue) are as of @now_ms, whatever the range.
 *
 * Sales calls (category "sales") are counted in @sales only and kept out of
 * every other figure.  The aggregates come from indexed tables (store schema
 * 4), never from loading memos: a year at a million memos takes a few
 * milliseconds.  Only the open and overdue list loads documents, at most
 * DENGON_REPORT_MAX_ITEMS of them. */

#define DENGON_REPORT_ERROR (dengon_report_error_quark ())

typedef enum
{
  DENGON_REPORT_ERROR_INVALID_DATE,
  DENGON_REPORT_ERROR_INVALID_RANGE,
} DengonReportError;

#define DENGON_REPORT_MAX_ITEMS 500
#define DENGON_REPORT_MAX_DAYS  3660 /* ten years */
#define DENGON_REPORT_SALES     "sales"

typedef enum
{
  DENGON_REPORT_ALL = 0,
  /* The aggregates only (counts, heat map, categories, open and done per
   * person): no overdue, no time to callback, no list.  A window shows these
   * first; the rest follows. */
  DENGON_REPORT_QUICK = 1 << 0,
} DengonReportFlags;

typedef struct
{
  char *category; /* "" for memos without a category */
  guint count;
  guint by_hour[24]; /* local hour of the day */
} DengonReportCategory;

typedef struct
{
  char *staff_id; /* NULL for memos assigned to nobody */
  guint open;     /* open now, overdue included */
  guint overdue;
  guint done;
} DengonReportPerson;

typedef struct
{
  char *segment; /* "new", "existing", "dormant", ...; "" when unknown */
  guint count;
} DengonReportSegment;

/* One line of the open and overdue list. */
typedef struct
{
  gint64 key;
  char *id;
  gint64 created_ms;
  gint64 callback_by_ms; /* 0: no deadline */
  DengonMemoStatus status;
  char *staff_id; /* assigned to; NULL: nobody */
  char *caller;   /* may be NULL */
  char *company;  /* may be NULL */
  char *number;   /* as shown; may be NULL */
  char *category; /* may be NULL */
  char *summary;  /* first line of the message */
  guint urgent : 1;
  guint overdue : 1;
  guint earlier : 1; /* created before the range */
} DengonReportItem;

/* A lead escalated to field sales that has no outcome yet. */
typedef struct
{
  gint64 key;
  char *id;
  gint64 escalated_ms;
  char *to;      /* the field-sales person (staff id) */
  char *by;      /* who escalated it (staff id), may be NULL */
  char *caller;  /* may be NULL */
  char *company; /* may be NULL */
  char *number;  /* as shown; may be NULL */
  char *summary; /* the escalation's note, else the first line of the message */
  guint days;    /* whole days since the escalation, as of now */
} DengonReportFollowup;

typedef struct
{
  gint64 from_ms; /* local midnight of the first day */
  gint64 to_ms;   /* local midnight after the last day */
  gint64 now_ms;
  guint n_days;
  GTimeZone *tz;

  /* Memos created in the range, sales calls left out. */
  guint memos;
  guint incoming;
  guint outgoing;
  guint open;
  guint overdue;
  guint done;
  /* Sales calls created in the range (shown apart). */
  guint sales;
  /* Memos created before the range that are still open now. */
  guint earlier_open;
  guint earlier_overdue;

  /* From the memo to the first callback (nearest rank); -1 when none. */
  guint called_back;
  gint64 callback_median_ms;
  gint64 callback_p90_ms;

  guint by_weekday_hour[7][24]; /* [0] is Monday; local time */
  guint max_cell;               /* the largest cell of by_weekday_hour */
  guint first_hour, last_hour;  /* hours with calls (0..23), at least 9..17 */

  GPtrArray *categories; /* DengonReportCategory: the known ones in order, then others */
  GPtrArray *people;     /* DengonReportPerson: most open first; nobody last */
  GPtrArray *segments;   /* DengonReportSegment, or NULL when the office has no contacts */
  GPtrArray *items;      /* DengonReportItem: overdue first (oldest deadline), then open */
  guint n_items;         /* how many there are (items holds at most MAX_ITEMS) */
  GHashTable *names;     /* staff id -> name */

  /* Sales (complete reports only). Outgoing calls created in the range, every category, and
   * what they came to (dengon_memo_get_call_result()): reached counts appointments too. */
  guint calls_made;
  guint calls_reached;
  guint calls_appointment;
  /* Leads escalated in the range and their outcome now. */
  guint escalations;
  guint escalations_with_outcome;
  guint escalations_won;
  guint escalations_lost;
  /* The follow-up meeting list: every escalation without an outcome for more than
   * escalation_days (office:settings) as of now, whenever it was escalated, oldest first. */
  guint escalation_days;
  GPtrArray *followups; /* DengonReportFollowup; NULL in a quick report */

  gboolean complete; /* FALSE for a DENGON_REPORT_QUICK report */
  gint64 query_us;   /* time spent in the database */
} DengonReport;

/* Called on the main context of dengon_report_compute_async()'s caller with the
 * aggregates (a report that is not complete), before the complete report. */
typedef void (*DengonReportProgress) (DengonReport *partial, gpointer user_data);

GQuark dengon_report_error_quark (void);

DengonReport *dengon_report_ref (DengonReport *report);
void dengon_report_unref (DengonReport *report);

/* [from_ms, to_ms) of the local days @first to @last (both included) in @tz. */
gboolean dengon_report_day_range (GTimeZone *tz, GDate *first, GDate *last, gint64 *from_ms,
                                  gint64 *to_ms, GError **error);
/* "YYYY-MM-DD", "today" or "yesterday" (the day of @now_ms in @tz). */
gboolean dengon_report_parse_date (const char *text, GTimeZone *tz, gint64 now_ms, GDate *date,
                                   GError **error);

DengonReport *dengon_report_compute (DengonStore *store, gint64 from_ms, gint64 to_ms,
                                     GTimeZone *tz, gint64 now_ms, DengonReportFlags flags,
                                     GCancellable *cancellable, GError **error);
/* With @progress, the aggregates come first (from the same snapshot). */
void dengon_report_compute_async (DengonStore *store, gint64 from_ms, gint64 to_ms, GTimeZone *tz,
                                  gint64 now_ms, DengonReportFlags flags,
                                  DengonReportProgress progress, gpointer progress_data,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
DengonReport *dengon_report_compute_finish (DengonStore *store, GAsyncResult *result,
                                            GError **error);

/* Escalations without an outcome escalated before @now_ms - @days days (0: any), oldest first;
 * only those escalated to @to when it is not %NULL. At most DENGON_REPORT_MAX_ITEMS. Blocking. */
GPtrArray *dengon_report_list_followups (DengonStore *store, gint64 now_ms, guint days,
                                         const char *to, GError **error);
void dengon_report_followup_free (DengonReportFollowup *followup);

/* The name of a person for people, "Unassigned" for NULL, the id when unknown. */
const char *dengon_report_get_name (DengonReport *report, const char *staff_id);
/* The category's label ("Uncategorised" for ""). */
const char *dengon_report_category_label (const char *category);
/* Monday = 0; translated, short ("Mon") or long ("Monday"). */
const char *dengon_report_weekday_label (guint weekday, gboolean abbreviated);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonReport, dengon_report_unref)

G_END_DECLS
