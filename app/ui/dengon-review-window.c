/* dengon-review-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-bar-chart.h"
#include "dengon-charts.h"
#include "dengon-export.h"
#include "dengon-format.h"
#include "dengon-heat-map.h"
#include "dengon-memo-actions.h"
#include "dengon-memo-detail.h"
#include "dengon-report-print.h"
#include "dengon-review-window.h"
#include "dengon-ui-utils.h"

#define MAX_ROWS        30
#define REFRESH_WAIT_MS 400

/* The evening review: the figures of a day (or week, month, year) at a
 * glance, the pictures, the open and overdue list, and a walk through the
 * memos one by one.  Figures come from dengon-report on a worker thread and
 * follow the store: a memo marked done during the walk moves the figures. */
struct _DengonReviewWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkMenuButton *date_button;
  GtkPopover *date_popover;
  GtkCalendar *calendar;
  GtkDropDown *span_dropdown;
  AdwWindowTitle *window_title;
  GtkLabel *memos_value;
  GtkLabel *memos_detail;
  GtkLabel *open_value;
  GtkLabel *open_detail;
  GtkLabel *overdue_value;
  GtkLabel *overdue_detail;
  GtkLabel *done_value;
  GtkLabel *done_detail;
  GtkLabel *callback_value;
  GtkLabel *callback_detail;
  GtkLabel *sales_value;
  GtkToggleButton *by_weekday_button;
  GtkToggleButton *by_category_button;
  DengonHeatMap *heat_map;
  DengonBarChart *category_chart;
  DengonBarChart *people_chart;
  DengonBarChart *segment_chart;
  GtkWidget *segment_card;
  AdwPreferencesGroup *open_group;
  GtkFlowBox *kpi_box;
  AdwPreferencesGroup *followup_group;
  GtkWidget *walk_page;
  AdwWindowTitle *walk_title;
  DengonMemoDetail *memo_detail;

  /* Owned */
  GTimeZone *tz;
  GDate date;
  DengonReviewSpan span;
  DengonReport *report;
  GCancellable *cancellable;         /* the window's */
  GCancellable *compute_cancellable; /* the figures on their way */
  GPtrArray *rows;                   /* rows added to open_group */
  GPtrArray *followup_rows;          /* rows added to followup_group */
  GArray *walk_keys;                 /* memo keys, in walking order */
  guint walk_pos;
  guint walk_serial;
  guint serial; /* of the range asked for last */
  guint refresh_source;
  guint updating : 1;
};

G_DEFINE_FINAL_TYPE (DengonReviewWindow, dengon_review_window, ADW_TYPE_APPLICATION_WINDOW)

static DengonApplication *
get_app (DengonReviewWindow *self)
{
  return DENGON_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static DengonStore *
get_store (DengonReviewWindow *self)
{
  DengonApplication *app = get_app (self);

  return app != NULL ? dengon_application_get_store (app) : NULL;
}

static void
toast (DengonReviewWindow *self, const char *text)
{
  /* A file written after the window closed is still written; nobody to tell. */
  if (self->toast_overlay != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ------------------------------------------------------------------ the range */

static void
range_days (DengonReviewWindow *self, GDate *first, GDate *last)
{
  *first = self->date;
  *last = self->date;

  switch (self->span)
    {
      case DENGON_REVIEW_SPAN_WEEK:
        g_date_subtract_days (first, g_date_get_weekday (&self->date) - G_DATE_MONDAY);
        *last = *first;
        g_date_add_days (last, 6);
        break;
      case DENGON_REVIEW_SPAN_MONTH:
        g_date_set_day (first, 1);
        g_date_set_day (last, g_date_get_days_in_month (g_date_get_month (&self->date),
                                                        g_date_get_year (&self->date)));
        break;
      case DENGON_REVIEW_SPAN_YEAR:
        g_date_set_dmy (first, 1, G_DATE_JANUARY, g_date_get_year (&self->date));
        g_date_set_dmy (last, 31, G_DATE_DECEMBER, g_date_get_year (&self->date));
        break;
      case DENGON_REVIEW_SPAN_DAY:
      default:
        break;
    }
}

static char *
date_text (const GDate *date)
{
  g_autoptr (GDateTime) day = g_date_time_new_local (
      g_date_get_year (date), g_date_get_month (date), g_date_get_day (date), 12, 0, 0);

  /* Translators: a short date with its weekday, on the review's date button; in Japanese
     "%-m月%-d日（%a）" */
  return g_date_time_format (day, _ ("%a, %b %-e"));
}

static char *
file_stem (DengonReviewWindow *self, const char *what)
{
  GDate first, last;
  char a[32], b[32];

  range_days (self, &first, &last);
  g_date_strftime (a, sizeof a, "%Y-%m-%d", &first);
  g_date_strftime (b, sizeof b, "%Y-%m-%d", &last);

  if (g_date_compare (&first, &last) == 0)
    return g_strdup_printf ("dengon-%s-%s", what, a);

  return g_strdup_printf ("dengon-%s-%s_%s", what, a, b);
}

/* ------------------------------------------------------------------ showing the figures */

static void
set_figure (GtkLabel *value, const char *name, const char *text)
{
  g_autofree char *spoken = g_strdup_printf ("%s: %s", name, text);

  gtk_label_set_label (value, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

static void
set_count (GtkLabel *value, const char *name, guint n)
{
  g_autofree char *text = g_strdup_printf ("%u", n);

  set_figure (value, name, text);
}

static void
clear_rows (DengonReviewWindow *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->open_group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
}

static void walk_start (DengonReviewWindow *self, GArray *keys, guint position);

static void
on_item_activated (AdwActionRow *row, DengonReviewWindow *self)
{
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "position"));
  GArray *keys;

  if (self->report == NULL)
    return;

  /* Walk through the list, from the memo that was chosen. */
  keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->report->items->len);
  for (guint i = 0; i < self->report->items->len; i++)
    g_array_append_val (keys, ((DengonReportItem *) self->report->items->pdata[i])->key);
  walk_start (self, keys, MIN (position, keys->len - 1));
}

static GtkWidget *
item_row (DengonReviewWindow *self, DengonReportItem *item, guint position, GDateTime *now)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *suffix;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *when = dengon_format_date_time (item->created_ms, now);
  g_autofree char *who = NULL;
  const char *name = item->caller != NULL && *item->caller ? item->caller : _ ("Unknown caller");

  if (item->company != NULL && *item->company)
    /* Translators: a caller and their company, in the review's list */
    title = g_strdup_printf (_ ("%s, %s"), name, item->company);
  else
    title = g_strdup (name);
  who = item->staff_id != NULL
            ? g_strdup_printf (_ ("For %s"), dengon_report_get_name (self->report, item->staff_id))
            : g_strdup (_ ("Unassigned"));
  subtitle = item->summary != NULL && *item->summary
                 ? g_strdup_printf ("%s · %s · %s", when, who, item->summary)
                 : g_strdup_printf ("%s · %s", when, who);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

  if (item->overdue)
    {
      g_autofree char *text = dengon_format_callback (item->callback_by_ms, now, NULL);

      suffix = gtk_label_new (text);
      gtk_widget_add_css_class (suffix, "error");
    }
  else
    {
      suffix = gtk_label_new (dengon_memo_status_get_label (item->status));
      gtk_widget_add_css_class (suffix, "dim-label");
    }
  gtk_widget_add_css_class (suffix, "caption");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "position", GUINT_TO_POINTER (position));
  g_signal_connect_object (row, "activated", G_CALLBACK (on_item_activated), self, 0);

  return row;
}

static void
add_row (DengonReviewWindow *self, GtkWidget *row)
{
  adw_preferences_group_add (self->open_group, row);
  g_ptr_array_add (self->rows, row);
}

static void
show_list (DengonReviewWindow *self)
{
  DengonReport *report = self->report;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *title = NULL;
  guint shown = MIN (report->items->len, MAX_ROWS);

  clear_rows (self);

  /* Translators: the heading of the review's list, with how many there are */
  title = g_strdup_printf (_ ("Open and Overdue (%u)"), report->n_items);
  adw_preferences_group_set_title (self->open_group, title);
  adw_preferences_group_set_description (
      self->open_group, report->n_items > 0
                            ? _ ("Overdue callbacks first, also from earlier days; then the "
                                 "period’s open memos, oldest first.")
                            : NULL);

  for (guint i = 0; i < shown; i++)
    add_row (self, item_row (self, report->items->pdata[i], i, now));

  if (report->n_items == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Nothing is open or overdue."));
      add_row (self, row);
    }
  else if (report->n_items > shown)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more = NULL;

      if (report->n_items > report->items->len)
        /* Translators: the last row of a long list */
        more = g_strdup_printf (_ ("%u more: walk through the first %u"), report->n_items - shown,
                                report->items->len);
      else
        more = g_strdup_printf (_ ("%u more: walk through them all"), report->n_items - shown);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "position", GUINT_TO_POINTER (shown));
      g_signal_connect_object (row, "activated", G_CALLBACK (on_item_activated), self, 0);
      add_row (self, row);
    }
}

/* ------------------------------------------------------------------ sales and leads */

static GtkWidget *
kpi (const char *name, const char *value, const char *detail)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *number = gtk_label_new (value);
  GtkWidget *label = gtk_label_new (name);
  g_autofree char *spoken = g_strdup_printf ("%s: %s", name, value);

  gtk_label_set_xalign (GTK_LABEL (number), 0);
  gtk_widget_add_css_class (number, "review-kpi");
  gtk_accessible_update_property (GTK_ACCESSIBLE (number), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), label);
  if (detail != NULL)
    {
      GtkWidget *small = gtk_label_new (detail);

      gtk_label_set_xalign (GTK_LABEL (small), 0);
      gtk_label_set_wrap (GTK_LABEL (small), TRUE);
      gtk_widget_add_css_class (small, "caption");
      gtk_widget_add_css_class (small, "dim-label");
      gtk_box_append (GTK_BOX (box), small);
    }
  return box;
}

static char *
percent (guint part, guint whole)
{
  if (whole == 0)
    return g_strdup ("–");
  return g_strdup_printf ("%u%%", (part * 100 + whole / 2) / whole);
}

/* Calls made, reach and appointment rates, escalations with and without an outcome, won and
 * lost. */
static void
show_kpis (DengonReviewWindow *self)
{
  DengonReport *report = self->report;
  g_autofree char *calls = g_strdup_printf ("%u", report->calls_made);
  g_autofree char *reach = percent (report->calls_reached, report->calls_made);
  g_autofree char *appointment = percent (report->calls_appointment, report->calls_made);
  g_autofree char *leads = g_strdup_printf ("%u", report->escalations);
  g_autofree char *with = g_strdup_printf ("%u", report->escalations_with_outcome);
  g_autofree char *without =
      g_strdup_printf ("%u", report->escalations - report->escalations_with_outcome);
  g_autofree char *won_lost =
      g_strdup_printf ("%u / %u", report->escalations_won, report->escalations_lost);
  g_autofree char *reach_detail = NULL;
  g_autofree char *appointment_detail = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->kpi_box))) != NULL)
    gtk_flow_box_remove (self->kpi_box, child);

  /* Translators: under the reach rate: "12 of 20 calls" */
  reach_detail = g_strdup_printf (_ ("%u of %u calls"), report->calls_reached, report->calls_made);
  appointment_detail =
      g_strdup_printf (_ ("%u of %u calls"), report->calls_appointment, report->calls_made);

  gtk_flow_box_append (
      self->kpi_box, kpi (C_ ("figure", "Calls made"), calls, _ ("outgoing calls of the period")));
  gtk_flow_box_append (self->kpi_box, kpi (C_ ("figure", "Reach rate"), reach, reach_detail));
  gtk_flow_box_append (self->kpi_box,
                       kpi (C_ ("figure", "Appointment rate"), appointment, appointment_detail));
  gtk_flow_box_append (
      self->kpi_box, kpi (C_ ("figure", "Escalations"), leads, _ ("leads passed to field sales")));
  gtk_flow_box_append (self->kpi_box, kpi (C_ ("figure", "With outcome"), with, NULL));
  gtk_flow_box_append (self->kpi_box, kpi (C_ ("figure", "Without outcome"), without, NULL));
  gtk_flow_box_append (self->kpi_box, kpi (C_ ("figure", "Won / lost"), won_lost, NULL));
}

static void
clear_followups (DengonReviewWindow *self)
{
  for (guint i = 0; i < self->followup_rows->len; i++)
    adw_preferences_group_remove (self->followup_group, self->followup_rows->pdata[i]);
  g_ptr_array_set_size (self->followup_rows, 0);
}

static void
on_followup_activated (AdwActionRow *row, DengonReviewWindow *self)
{
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "position"));
  GArray *keys;

  if (self->report == NULL || self->report->followups == NULL)
    return;

  keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->report->followups->len);
  for (guint i = 0; i < self->report->followups->len; i++)
    g_array_append_val (keys, ((DengonReportFollowup *) self->report->followups->pdata[i])->key);
  walk_start (self, keys, MIN (position, keys->len - 1));
}

/* The follow-up meeting list: leads that wait for their outcome, oldest first. */
static void
show_followups (DengonReviewWindow *self)
{
  DengonReport *report = self->report;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  clear_followups (self);
  /* Translators: the heading of the follow-up meeting list, with how many there are */
  title = g_strdup_printf (_ ("Follow-up Meeting (%u)"), report->followups->len);
  adw_preferences_group_set_title (self->followup_group, title);
  description = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "Leads escalated more than %u day ago that still have no outcome, oldest "
                   "first. The field-sales person is reminded.",
                   "Leads escalated more than %u days ago that still have no outcome, oldest "
                   "first. The field-sales person is reminded.",
                   report->escalation_days),
      report->escalation_days);
  adw_preferences_group_set_description (self->followup_group, description);

  for (guint i = 0; i < report->followups->len && i < MAX_ROWS; i++)
    {
      DengonReportFollowup *lead = report->followups->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *row_title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *age = NULL;
      GtkWidget *suffix;
      const char *name = lead->caller != NULL && *lead->caller ? lead->caller
                         : lead->number != NULL                ? lead->number
                                                               : _ ("Unknown caller");

      if (lead->company != NULL && *lead->company)
        row_title = g_strdup_printf (_ ("%s, %s"), name, lead->company);
      else
        row_title = g_strdup (name);
      /* Translators: "Escalated to 加藤 · 見積のご依頼" */
      subtitle = g_strdup_printf (_ ("Escalated to %s · %s"),
                                  dengon_report_get_name (report, lead->to), lead->summary);
      age = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day without outcome",
                                          "%u days without outcome", lead->days),
                             lead->days);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      suffix = gtk_label_new (age);
      gtk_widget_add_css_class (suffix, "caption");
      gtk_widget_add_css_class (suffix, "warning");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "position", GUINT_TO_POINTER (i));
      g_signal_connect_object (row, "activated", G_CALLBACK (on_followup_activated), self, 0);
      adw_preferences_group_add (self->followup_group, row);
      g_ptr_array_add (self->followup_rows, row);
    }
  if (report->followups->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _ ("Every escalated lead has its outcome."));
      adw_preferences_group_add (self->followup_group, row);
      g_ptr_array_add (self->followup_rows, row);
    }
}

/* What needs every open memo and every callback: the complete figures only. */
static void
show_details (DengonReviewWindow *self)
{
  DengonReport *report = self->report;
  g_autofree char *text = NULL;
  g_autofree char *median = dengon_chart_format_duration (report->callback_median_ms);
  g_autofree char *p90 = dengon_chart_format_duration (report->callback_p90_ms);

  set_count (self->overdue_value, C_ ("figure", "Overdue"), report->overdue);
  if (report->overdue > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->overdue_value), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->overdue_value), "error");
  if (report->earlier_overdue > 0)
    text = g_strdup_printf (_ ("and %u from earlier days"), report->earlier_overdue);
  else
    text = g_strdup (_ ("callbacks past their time"));
  gtk_label_set_label (self->overdue_detail, text);
  g_clear_pointer (&text, g_free);

  set_figure (self->callback_value, C_ ("figure", "Median time to callback"), median);
  if (report->called_back > 0)
    /* Translators: under the median time to callback */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "median of %u callback; 90%% within %s",
                                         "median of %u callbacks; 90%% within %s",
                                         report->called_back),
                            report->called_back, p90);
  else
    text = g_strdup (_ ("nobody was called back"));
  gtk_label_set_label (self->callback_detail, text);

  show_kpis (self);
  show_followups (self);
  show_list (self);
}

static void
show_report (DengonReviewWindow *self)
{
  DengonReport *report = self->report;
  g_autofree char *range = dengon_chart_format_range (report);
  g_autofree char *text = NULL;

  adw_window_title_set_subtitle (self->window_title, range);

  set_count (self->memos_value, C_ ("figure", "Memos"), report->memos);
  /* Translators: under the number of memos */
  text =
      g_strdup_printf (_ ("%u incoming · %u outgoing calls"), report->incoming, report->outgoing);
  gtk_label_set_label (self->memos_detail, text);
  g_clear_pointer (&text, g_free);

  set_count (self->open_value, C_ ("figure", "Open"), report->open);
  if (report->earlier_open > 0)
    /* Translators: under the number of open memos */
    text = g_strdup_printf (_ ("and %u from earlier days"), report->earlier_open);
  else
    text = g_strdup (_ ("nothing from earlier days"));
  gtk_label_set_label (self->open_detail, text);
  g_clear_pointer (&text, g_free);

  set_count (self->done_value, C_ ("figure", "Done"), report->done);
  /* Translators: under the number of done memos: "75% of the memos" */
  text = g_strdup_printf (
      _ ("%u%% of the memos"),
      report->memos > 0 ? (report->done * 100 + report->memos / 2) / report->memos : 0);
  gtk_label_set_label (self->done_detail, text);
  g_clear_pointer (&text, g_free);

  set_count (self->sales_value, C_ ("figure", "Sales calls"), report->sales);

  dengon_heat_map_set_report (self->heat_map, report);
  dengon_bar_chart_set_bars (self->category_chart, dengon_bar_set_for_categories (report));
  dengon_bar_chart_set_bars (self->people_chart, dengon_bar_set_for_people (report));
  gtk_widget_set_visible (gtk_widget_get_parent (self->segment_card), report->segments != NULL);
  if (report->segments != NULL)
    dengon_bar_chart_set_bars (self->segment_chart, dengon_bar_set_for_segments (report));

  if (report->complete)
    show_details (self);
  else
    {
      /* The quick figures: the rest is on its way. */
      set_figure (self->overdue_value, C_ ("figure", "Overdue"), "…");
      gtk_label_set_label (self->overdue_detail, "");
      set_figure (self->callback_value, C_ ("figure", "Median time to callback"), "…");
      gtk_label_set_label (self->callback_detail, "");
      clear_rows (self);
      clear_followups (self);
      adw_preferences_group_set_title (self->followup_group, _ ("Follow-up Meeting"));
      adw_preferences_group_set_description (self->followup_group, NULL);
      adw_preferences_group_set_title (self->open_group, _ ("Open and Overdue"));
      adw_preferences_group_set_description (self->open_group, NULL);
    }
}

/* ------------------------------------------------------------------ computing */

typedef struct
{
  DengonReviewWindow *self;
  guint serial;
} Compute;

static void
on_report (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Compute *compute = user_data;
  g_autoptr (DengonReviewWindow) self = compute->self;
  g_autoptr (GError) error = NULL;
  DengonReport *report = dengon_report_compute_finish (DENGON_STORE (source), result, &error);
  guint serial = compute->serial;

  g_free (compute);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text =
              g_strdup_printf (_ ("The figures cannot be read: %s"), error->message);

          g_warning ("Review: %s", error->message);
          toast (self, text);
        }
      return;
    }

  if (serial != self->serial)
    {
      dengon_report_unref (report);
      return;
    }

  g_clear_pointer (&self->report, dengon_report_unref);
  self->report = report;
  g_debug ("Review: %s figures of %u days in %.1f ms", report->complete ? "all" : "quick",
           report->n_days, report->query_us / 1000.0);
  show_report (self);
}

static void
on_partial (DengonReport *partial, gpointer user_data)
{
  Compute *compute = user_data;
  DengonReviewWindow *self = compute->self;

  if (compute->serial != self->serial)
    return;

  g_clear_pointer (&self->report, dengon_report_unref);
  self->report = dengon_report_ref (partial);
  g_debug ("Review: aggregates of %u days in %.1f ms", partial->n_days, partial->query_us / 1000.0);
  show_report (self);
}

/* A new range shows its heat map and counts first (a year at a million memos
 * is read from the aggregate tables in a few milliseconds), then, from the
 * same snapshot, the figures that need every open memo or every callback.  A
 * change in the store asks for the complete figures only: what is on show
 * stays until they arrive. */
static void
refresh (DengonReviewWindow *self, gboolean quick_first)
{
  DengonStore *store = get_store (self);
  g_autoptr (GError) error = NULL;
  Compute *data;
  GDate first, last;
  gint64 from_ms, to_ms;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (store == NULL)
    return;

  range_days (self, &first, &last);
  if (!dengon_report_day_range (self->tz, &first, &last, &from_ms, &to_ms, &error))
    {
      toast (self, error->message);
      return;
    }

  g_cancellable_cancel (self->compute_cancellable);
  g_clear_object (&self->compute_cancellable);
  self->compute_cancellable = g_cancellable_new ();
  self->serial++;
  data = g_new0 (Compute, 1);
  data->self = g_object_ref (self);
  data->serial = self->serial;
  dengon_report_compute_async (store, from_ms, to_ms, self->tz, g_get_real_time () / 1000,
                               DENGON_REPORT_ALL, quick_first ? on_partial : NULL, data,
                               self->compute_cancellable, on_report, data);
}

static gboolean
on_refresh_timeout (gpointer user_data)
{
  DengonReviewWindow *self = user_data;

  self->refresh_source = 0;
  refresh (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (DengonReviewWindow *self, GPtrArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];

      if (change->memo_key != 0 || g_strcmp0 (change->type, "staff") == 0)
        {
          /* A burst of changes (a sync) computes once. */
          if (self->refresh_source == 0)
            self->refresh_source = g_timeout_add (REFRESH_WAIT_MS, on_refresh_timeout, self);
          return;
        }
    }
}

/* Controls follow the range, without taking it as a new choice. */
static void
update_controls (DengonReviewWindow *self)
{
  g_autoptr (GDateTime) day =
      g_date_time_new_local (g_date_get_year (&self->date), g_date_get_month (&self->date),
                             g_date_get_day (&self->date), 12, 0, 0);
  g_autofree char *label = date_text (&self->date);
  gboolean by_category = self->span == DENGON_REVIEW_SPAN_DAY;

  self->updating = TRUE;
  gtk_menu_button_set_label (self->date_button, label);
  gtk_calendar_select_day (self->calendar, day);
  gtk_drop_down_set_selected (self->span_dropdown, self->span);
  /* One day is one row of weekdays: show its categories instead. */
  gtk_toggle_button_set_active (by_category ? self->by_category_button : self->by_weekday_button,
                                TRUE);
  dengon_heat_map_set_by_category (self->heat_map, by_category);
  self->updating = FALSE;
}

static void
set_range (DengonReviewWindow *self, const GDate *date, DengonReviewSpan span)
{
  self->date = *date;
  self->span = span;
  update_controls (self);
  refresh (self, TRUE);
}

static void
on_day_selected (DengonReviewWindow *self)
{
  g_autoptr (GDateTime) day = NULL;
  GDate date;

  if (self->updating)
    return;

  day = gtk_calendar_get_date (self->calendar);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                  g_date_time_get_year (day));
  gtk_popover_popdown (self->date_popover);
  set_range (self, &date, self->span);
}

static void
on_span_changed (DengonReviewWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->span_dropdown);

  if (self->updating || selected > DENGON_REVIEW_SPAN_YEAR)
    return;

  set_range (self, &self->date, selected);
}

static void
on_heat_mode_toggled (DengonReviewWindow *self)
{
  if (self->updating)
    return;

  dengon_heat_map_set_by_category (self->heat_map,
                                   gtk_toggle_button_get_active (self->by_category_button));
}

/* ------------------------------------------------------------------ walking through */

static void walk_show (DengonReviewWindow *self);

typedef struct
{
  DengonReviewWindow *self;
  guint serial;
} WalkLoad;

static gpointer
load_id_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  gint64 *key = data;
  g_autoptr (GPtrArray) records = dengon_store_load_memos_by_keys (store, key, 1, error);

  if (records == NULL)
    return NULL;
  if (records->len == 0)
    {
      g_set_error_literal (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND,
                           _ ("This memo is gone."));
      return NULL;
    }

  return g_strdup (((DengonMemoRecord *) records->pdata[0])->id);
}

static void
on_walk_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WalkLoad *load = user_data;
  g_autoptr (DengonReviewWindow) self = load->self;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  guint serial = load->serial;

  g_free (load);
  if (serial != self->walk_serial)
    return;
  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  dengon_memo_detail_set_memo_id (self->memo_detail, id);
  gtk_widget_grab_focus (GTK_WIDGET (self->memo_detail));
}

static void
walk_show (DengonReviewWindow *self)
{
  g_autofree char *title = NULL;
  WalkLoad *load;
  gint64 *key;

  /* Translators: the walk through the memos: "Memo 3 of 42" */
  title = g_strdup_printf (_ ("Memo %u of %u"), self->walk_pos + 1, self->walk_keys->len);
  adw_window_title_set_title (self->walk_title, title);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.walk-previous", self->walk_pos > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.walk-next",
                                 self->walk_pos + 1 < self->walk_keys->len);

  key = g_new (gint64, 1);
  *key = g_array_index (self->walk_keys, gint64, self->walk_pos);
  load = g_new0 (WalkLoad, 1);
  load->self = g_object_ref (self);
  load->serial = ++self->walk_serial;
  dengon_store_run_async (get_store (self), load_id_thread, key, g_free, g_free, self->cancellable,
                          on_walk_loaded, load);
}

/* Takes @keys. */
static void
walk_start (DengonReviewWindow *self, GArray *keys, guint position)
{
  g_clear_pointer (&self->walk_keys, g_array_unref);
  self->walk_keys = keys;

  if (keys->len == 0)
    {
      toast (self, _ ("There are no memos to walk through."));
      return;
    }

  self->walk_pos = MIN (position, keys->len - 1);
  if (self->report != NULL)
    {
      g_autofree char *range = dengon_chart_format_range (self->report);

      adw_window_title_set_subtitle (self->walk_title, range);
    }
  gtk_stack_set_visible_child_name (self->stack, "walk");
  walk_show (self);
}

static gpointer
list_keys_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  GArray *keys = dengon_store_list_memo_keys (store, data, 0, 0, error);

  if (keys == NULL)
    return NULL;

  /* The day as it went: oldest first. */
  for (guint i = 0, j = keys->len; i + 1 < j; i++, j--)
    {
      gint64 swap = g_array_index (keys, gint64, i);

      g_array_index (keys, gint64, i) = g_array_index (keys, gint64, j - 1);
      g_array_index (keys, gint64, j - 1) = swap;
    }

  return keys;
}

static void
on_walk_keys (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonReviewWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GArray *keys = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (keys == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  walk_start (self, keys, 0);
}

static void
dengon_review_window_walk_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  DengonMemoQuery query = { 0 };

  if (self->report == NULL)
    return;

  query.from_ms = self->report->from_ms;
  query.to_ms = self->report->to_ms;
  dengon_store_run_async (get_store (self), list_keys_thread, dengon_memo_query_copy (&query),
                          (GDestroyNotify) dengon_memo_query_free, (GDestroyNotify) g_array_unref,
                          self->cancellable, on_walk_keys, g_object_ref (self));
}

static void
dengon_review_window_walk_step_action (GtkWidget *widget, const char *action_name,
                                       GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  gboolean next = g_str_equal (action_name, "win.walk-next");

  if (self->walk_keys == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "walk") != 0)
    return;
  if (next && self->walk_pos + 1 < self->walk_keys->len)
    self->walk_pos++;
  else if (!next && self->walk_pos > 0)
    self->walk_pos--;
  else
    return;

  walk_show (self);
}

static void
dengon_review_window_walk_close_action (GtkWidget *widget, const char *action_name,
                                        GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->stack, "overview");
}

static void
on_memo_action_done (DengonReviewWindow *self, DengonMemoActionKind kind, const char *memo_id)
{
  switch (kind)
    {
      case DENGON_MEMO_ACTION_ASSIGN:
        toast (self, _ ("Assigned"));
        break;
      case DENGON_MEMO_ACTION_DONE:
        toast (self, _ ("Marked as done"));
        break;
      case DENGON_MEMO_ACTION_NOTE:
        toast (self, _ ("Note added"));
        break;
      case DENGON_MEMO_ACTION_CALLED_BACK:
        toast (self, _ ("Callback recorded"));
        break;
      case DENGON_MEMO_ACTION_ACKNOWLEDGE:
        toast (self, _ ("Acknowledged"));
        break;
      case DENGON_MEMO_ACTION_REOPEN:
        toast (self, _ ("Reopened"));
        break;
      case DENGON_MEMO_ACTION_ESCALATE:
      case DENGON_MEMO_ACTION_UNDO:
      case DENGON_MEMO_ACTION_OUTCOME:
      default:
        break;
    }
}

static void
on_memo_action_failed (DengonReviewWindow *self, const char *message)
{
  g_autofree char *text = g_strdup_printf (_ ("Not saved: %s"), message);

  toast (self, text);
}

/* ------------------------------------------------------------------ moving in time */

static void
dengon_review_window_step_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  int step = g_str_equal (action_name, "win.next") ? 1 : -1;
  GDate date = self->date;

  switch (self->span)
    {
      case DENGON_REVIEW_SPAN_WEEK:
        step > 0 ? g_date_add_days (&date, 7) : g_date_subtract_days (&date, 7);
        break;
      case DENGON_REVIEW_SPAN_MONTH:
        step > 0 ? g_date_add_months (&date, 1) : g_date_subtract_months (&date, 1);
        break;
      case DENGON_REVIEW_SPAN_YEAR:
        step > 0 ? g_date_add_years (&date, 1) : g_date_subtract_years (&date, 1);
        break;
      case DENGON_REVIEW_SPAN_DAY:
      default:
        step > 0 ? g_date_add_days (&date, 1) : g_date_subtract_days (&date, 1);
        break;
    }

  set_range (self, &date, self->span);
}

static void
today (GTimeZone *tz, GDate *date)
{
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static void
dengon_review_window_today_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  GDate date;

  today (self->tz, &date);
  gtk_popover_popdown (self->date_popover);
  set_range (self, &date, self->span);
}

/* ------------------------------------------------------------------ print and export */

static void
on_print_done (GtkPrintOperation *operation, GtkPrintOperationResult result,
               DengonReviewWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      text = g_strdup_printf (_ ("Not printed: %s"), error->message);
      toast (self, text);
    }
  g_object_unref (operation);
}

static void
dengon_review_window_print_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  GtkPrintOperation *operation;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;

  if (self->report == NULL || !self->report->complete)
    return;

  operation = dengon_report_print_operation_new (self->report);
  name = file_stem (self, "report");
  gtk_print_operation_set_job_name (operation, name);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *text = g_strdup_printf (_ ("Not printed: %s"), error->message);

      toast (self, text);
    }
}

static void
on_open_file (AdwToast *toast_, DengonReviewWindow *self)
{
  const char *uri = g_object_get_data (G_OBJECT (toast_), "uri");

  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
toast_saved (DengonReviewWindow *self, GFile *file, const char *text)
{
  AdwToast *saved;

  if (self->toast_overlay == NULL)
    return;

  saved = adw_toast_new (text);

  adw_toast_set_button_label (saved, _ ("_Open"));
  g_object_set_data_full (G_OBJECT (saved), "uri", g_file_get_uri (file), g_free);
  g_signal_connect_object (saved, "button-clicked", G_CALLBACK (on_open_file), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, saved);
  dengon_ui_fix_accessible_names (GTK_WIDGET (self->toast_overlay));
}

static void
save_pdf (DengonReviewWindow *self, GFile *file)
{
  g_autoptr (GtkPrintOperation) operation = dengon_report_print_operation_new (self->report);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *text = NULL;

  gtk_print_operation_set_export_filename (operation, path);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, GTK_WINDOW (self),
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      text = g_strdup_printf (_ ("Not saved: %s"), error->message);
      toast (self, text);
      return;
    }

  /* Translators: a toast; %s is a file name */
  text = g_strdup_printf (_ ("Saved “%s”"), base);
  toast_saved (self, file, text);
}

typedef struct
{
  DengonReviewWindow *self;
  GFile *file;
  DengonExportEncoding encoding;
} ExportContext;

static void
on_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExportContext *context = user_data;
  g_autoptr (DengonReviewWindow) self = context->self;
  g_autoptr (GFile) file = context->file;
  g_autoptr (GError) error = NULL;
  g_auto (DengonExportResult) exported = { 0 };
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *text = NULL;

  g_free (context);
  if (!dengon_export_csv_to_file_finish (DENGON_STORE (source), result, &exported, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          text = g_strdup_printf (_ ("Not exported: %s"), error->message);
          toast (self, text);
        }
      return;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u memo to “%s”",
                                       "Exported %u memos to “%s”", exported.rows),
                          exported.rows, base);
  toast_saved (self, file, text);

  if (exported.n_replaced > 0 && self->toast_overlay != NULL)
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
          GTK_WINDOW (self), _ ("Some Characters Have No Shift_JIS Code"), NULL));

      adw_message_dialog_format_body (
          dialog,
          g_dngettext (GETTEXT_PACKAGE,
                       "%u character was written as %s in “%s”: %s\n\nExport in UTF-8 to keep "
                       "every character; Excel opens it too.",
                       "%u characters were written as %s in “%s”: %s\n\nExport in UTF-8 to keep "
                       "every character; Excel opens it too.",
                       exported.n_replaced),
          exported.n_replaced, DENGON_EXPORT_REPLACEMENT, base, exported.replaced->str);
      adw_message_dialog_add_response (dialog, "close", _ ("_Close"));
      dengon_message_dialog_fix_accessible_names (dialog);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
on_save_response (GtkNativeDialog *chooser, int response, DengonReviewWindow *self)
{
  const char *what = g_object_get_data (G_OBJECT (chooser), "what");
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->report != NULL && self->report->complete)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (g_str_equal (what, "pdf"))
        save_pdf (self, file);
      else
        {
          ExportContext *context = g_new0 (ExportContext, 1);

          context->self = g_object_ref (self);
          context->file = g_object_ref (file);
          context->encoding =
              g_str_equal (what, "shift-jis") ? DENGON_EXPORT_SHIFT_JIS : DENGON_EXPORT_UTF8;
          dengon_export_csv_to_file_async (get_store (self), self->report->from_ms,
                                           self->report->to_ms, self->report->tz, context->encoding,
                                           file, self->cancellable, on_exported, context);
        }
    }

  g_object_unref (chooser);
}

static void
ask_file (DengonReviewWindow *self, const char *what, const char *title, const char *name)
{
  GtkFileChooserNative *chooser;
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (self->report == NULL)
    return;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _ ("_Save"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GFile) folder = g_file_new_for_path (documents);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "what", g_strdup (what), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
dengon_review_window_save_pdf_action (GtkWidget *widget, const char *action_name,
                                      GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  g_autofree char *stem = file_stem (self, "report");
  g_autofree char *name = g_strconcat (stem, ".pdf", NULL);

  ask_file (self, "pdf", _ ("Save the Report as PDF"), name);
}

static void
dengon_review_window_export_csv_action (GtkWidget *widget, const char *action_name,
                                        GVariant *parameter)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  const char *encoding = g_variant_get_string (parameter, NULL);
  gboolean sjis = g_str_equal (encoding, "shift-jis");
  g_autofree char *stem = file_stem (self, "memos");
  g_autofree char *name = g_strconcat (stem, sjis ? "-sjis.csv" : ".csv", NULL);

  ask_file (self, sjis ? "shift-jis" : "utf-8",
            sjis ? _ ("Export the Memos as CSV (Shift_JIS)") : _ ("Export the Memos as CSV"), name);
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_review_window_dispose (GObject *object)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->compute_cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  /* Figures and memos still on their way find nothing to show. */
  self->serial++;
  self->walk_serial++;

  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_REVIEW_WINDOW);

  G_OBJECT_CLASS (dengon_review_window_parent_class)->dispose (object);
}

static void
dengon_review_window_finalize (GObject *object)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->compute_cancellable);
  g_clear_pointer (&self->report, dengon_report_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->followup_rows, g_ptr_array_unref);
  g_clear_pointer (&self->walk_keys, g_array_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (dengon_review_window_parent_class)->finalize (object);
}

static void
dengon_review_window_class_init (DengonReviewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_review_window_dispose;
  object_class->finalize = dengon_review_window_finalize;

  g_type_ensure (DENGON_TYPE_HEAT_MAP);
  g_type_ensure (DENGON_TYPE_BAR_CHART);
  g_type_ensure (DENGON_TYPE_MEMO_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-review-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, date_button);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, date_popover);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, calendar);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, span_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, memos_value);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, memos_detail);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, open_value);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, open_detail);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, overdue_value);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, overdue_detail);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, done_value);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, done_detail);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, callback_value);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, callback_detail);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, sales_value);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, by_weekday_button);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, by_category_button);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, heat_map);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, category_chart);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, people_chart);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, segment_chart);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, segment_card);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, open_group);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, kpi_box);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, followup_group);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, walk_page);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, walk_title);
  gtk_widget_class_bind_template_child (widget_class, DengonReviewWindow, memo_detail);

  gtk_widget_class_install_action (widget_class, "win.previous", NULL,
                                   dengon_review_window_step_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL,
                                   dengon_review_window_step_action);
  gtk_widget_class_install_action (widget_class, "win.today", NULL,
                                   dengon_review_window_today_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL,
                                   dengon_review_window_print_action);
  gtk_widget_class_install_action (widget_class, "win.save-pdf", NULL,
                                   dengon_review_window_save_pdf_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", "s",
                                   dengon_review_window_export_csv_action);
  gtk_widget_class_install_action (widget_class, "win.walk", NULL,
                                   dengon_review_window_walk_action);
  gtk_widget_class_install_action (widget_class, "win.walk-next", NULL,
                                   dengon_review_window_walk_step_action);
  gtk_widget_class_install_action (widget_class, "win.walk-previous", NULL,
                                   dengon_review_window_walk_step_action);
  gtk_widget_class_install_action (widget_class, "win.walk-close", NULL,
                                   dengon_review_window_walk_close_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.previous",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-pdf",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-csv",
                                       "s", "utf-8");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.walk",
                                       NULL);
}

/* The memo's single keys (D done, A assign, N note...) work wherever the
 * focus is on the walk page: they are DengonMemoDetail's actions.  The
 * controller sits on the window and lets every key through unless the walk
 * is on show: on the walk page itself, GTK 4.8 leaves the detail's action
 * buttons insensitive. */
static gboolean
on_walk_key (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  DengonReviewWindow *self = DENGON_REVIEW_WINDOW (widget);
  const char *action = user_data;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "walk") != 0)
    return FALSE;

  if (g_str_has_prefix (action, "memo."))
    return gtk_widget_activate_action (GTK_WIDGET (self->memo_detail), action, NULL);

  return gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);
}

static void
add_walk_shortcuts (DengonReviewWindow *self)
{
  static const struct
  {
    guint key;
    GdkModifierType modifiers;
    const char *action;
  } keys[] = {
    { GDK_KEY_Right, 0, "win.walk-next" },
    { GDK_KEY_Page_Down, 0, "win.walk-next" },
    { GDK_KEY_Left, 0, "win.walk-previous" },
    { GDK_KEY_Page_Up, 0, "win.walk-previous" },
    { GDK_KEY_Escape, 0, "win.walk-close" },
    { GDK_KEY_a, 0, "memo.show-assign" },
    { GDK_KEY_k, 0, "memo.acknowledge" },
    { GDK_KEY_c, 0, "memo.call-back" },
    { GDK_KEY_b, 0, "memo.called-back" },
    { GDK_KEY_d, 0, "memo.done" },
    { GDK_KEY_r, 0, "memo.reopen" },
    { GDK_KEY_n, 0, "memo.note" },
    { GDK_KEY_z, GDK_CONTROL_MASK, "memo.undo" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (controller),
        gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].modifiers),
                          gtk_callback_action_new (on_walk_key, (gpointer) keys[i].action, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
dengon_review_window_init (DengonReviewWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->followup_rows = g_ptr_array_new ();
  /* The office's day is the local day of this desk (see DESIGN.md, "Review"). */
  self->tz = g_time_zone_new_local ();
  today (self->tz, &self->date);
  self->span = DENGON_REVIEW_SPAN_DAY;

  add_walk_shortcuts (self);
  g_signal_connect_object (self->calendar, "day-selected", G_CALLBACK (on_day_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->span_dropdown, "notify::selected", G_CALLBACK (on_span_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->by_category_button, "toggled", G_CALLBACK (on_heat_mode_toggled),
                           self, G_CONNECT_SWAPPED);
}

DengonReviewWindow *
dengon_review_window_new (DengonApplication *application)
{
  DengonReviewWindow *self;
  DengonStore *store;
  GSettings *settings;
  g_autofree char *me = NULL;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  self = g_object_new (DENGON_TYPE_REVIEW_WINDOW, "application", application, NULL);
  store = dengon_application_get_store (application);
  settings = dengon_settings_get_gsettings (dengon_application_get_settings (application));
  me = g_settings_get_string (settings, "desk-staff-id");

  g_object_set (self->memo_detail, "store", store, "staff",
                dengon_application_get_staff_model (application), "me", *me ? me : NULL, NULL);
  g_signal_connect_object (self->memo_detail, "action-done", G_CALLBACK (on_memo_action_done), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->memo_detail, "action-failed", G_CALLBACK (on_memo_action_failed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  update_controls (self);
  refresh (self, TRUE);

  return self;
}

void
dengon_review_window_set_range (DengonReviewWindow *self, const GDate *date, DengonReviewSpan span)
{
  g_return_if_fail (DENGON_IS_REVIEW_WINDOW (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  set_range (self, date, span);
}

DengonReport *
dengon_review_window_get_report (DengonReviewWindow *self)
{
  g_return_val_if_fail (DENGON_IS_REVIEW_WINDOW (self), NULL);

  return self->report;
}
