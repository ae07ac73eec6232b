/* bench-review.c: the real Review window on a database, timed
 *
 *   tests/tools/run-headless -- _build/tests/bench/bench-review DATA_DIR [YEAR [RUNS]]
 *
 * Starts Dengon on DATA_DIR, opens the Review (app.review, as Ctrl+R does) and
 * switches it between a whole year (YEAR, default 2025), a month and a day of
 * it.  For each switch it prints the time from the switch to the first frame
 * that shows the heat map of the new figures and the time spent in the
 * database for them (the quick report: aggregates only), then the same for
 * the frame with every figure and the list (the complete report, computed
 * beside it).  The first switch to the year is the cold one (a fresh process;
 * the OS file cache is whatever it is).  Target: a year at a million memos
 * within 100 ms of query time to the first frame with the heat map.
 *
 * The database is migrated to the current schema when it is older: run it on a
 * copy of a benchmark database, never on one you want to keep as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dengon-application.h"
#include "dengon-heat-map.h"
#include "dengon-review-window.h"

typedef struct
{
  const char *what;
  DengonReviewSpan span;
  int month, day;
} Step;

static const Step steps[] = {
  { "year", DENGON_REVIEW_SPAN_YEAR, 6, 15 },
  { "month", DENGON_REVIEW_SPAN_MONTH, 10, 15 },
  { "day", DENGON_REVIEW_SPAN_DAY, 10, 15 },
};

static GApplication *app;
static DengonReviewWindow *review;
static DengonHeatMap *heat_map;
static DengonReport *previous;
static int year = 2025;
static guint runs = 5;
static guint step_index;
static gint64 t_switch;
static gboolean waiting, heat_shown;
static double heat_frame, heat_query;
/* [0]: first frame with the heat map, [1]: with every figure */
static GArray *frames[2][G_N_ELEMENTS (steps)];
static GArray *queries[2][G_N_ELEMENTS (steps)];
static double cold_frame[2], cold_query[2];
static guint cold_memos;

static double
ms (gint64 from, gint64 to)
{
  return (to - from) / 1000.0;
}

static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
start_step (void)
{
  const Step *step = &steps[step_index % G_N_ELEMENTS (steps)];
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, step->day, step->month, year);
  previous = dengon_review_window_get_report (review);
  waiting = TRUE;
  heat_shown = FALSE;
  t_switch = g_get_monotonic_time ();
  dengon_review_window_set_range (review, &date, step->span);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);

  return values->len > 0 ? g_array_index (values, double, values->len / 2) : 0;
}

static double
maximum (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));

  return max;
}

static void
finish (void)
{
  printf ("\n| switch to (year %d) | heat map: first frame p50 / max | its query p50 / max | every "
          "figure: frame p50 / max | its query p50 / max |\n",
          year);
  printf ("|---|---|---|---|---|\n");
  printf ("| year, cold (first) | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n", cold_frame[0],
          cold_query[0], cold_frame[1], cold_query[1]);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    printf ("| %s, warm | %.1f / %.1f ms | %.1f / %.1f ms | %.1f / %.1f ms | %.1f / %.1f ms |\n",
            steps[i].what, median (frames[0][i]), maximum (frames[0][i]), median (queries[0][i]),
            maximum (queries[0][i]), median (frames[1][i]), maximum (frames[1][i]),
            median (queries[1][i]), maximum (queries[1][i]));
  printf ("\n%u memos in the year (sales calls apart)\n", cold_memos);
  printf ("target: query to the first frame with a year's heat map ≤ 100 ms: %s (cold %.1f ms, "
          "warm p50 %.1f ms)\n",
          cold_query[0] <= 100 && median (queries[0][0]) <= 100 ? "ok" : "MISSED", cold_query[0],
          median (queries[0][0]));
  g_application_quit (app);
}

static void
record (guint which, guint slot, double frame, double query)
{
  if (step_index == 0)
    {
      cold_frame[which] = frame;
      cold_query[which] = query;
    }
  else
    {
      g_array_append_val (frames[which][slot], frame);
      g_array_append_val (queries[which][slot], query);
    }
}

static void
on_after_paint (GdkFrameClock *clock, gpointer user_data)
{
  DengonReport *report = dengon_review_window_get_report (review);
  guint slot = step_index % G_N_ELEMENTS (steps);
  gint64 now = g_get_monotonic_time ();

  if (!waiting)
    return;
  if (report == NULL || report == previous || !dengon_heat_map_get_painted (heat_map))
    {
      gtk_widget_queue_draw (GTK_WIDGET (heat_map));
      return;
    }

  if (!heat_shown)
    {
      heat_shown = TRUE;
      heat_frame = ms (t_switch, now);
      heat_query = report->query_us / 1000.0;
      record (0, slot, heat_frame, heat_query);
      if (step_index == 0)
        cold_memos = report->memos;
    }
  if (!report->complete)
    {
      gtk_widget_queue_draw (GTK_WIDGET (heat_map));
      return;
    }

  waiting = FALSE;
  record (1, slot, ms (t_switch, now), report->query_us / 1000.0);
  printf ("%-5s %s: heat map in %.1f ms (query %.1f ms), every figure in %.1f ms (query %.1f ms); "
          "%u memos, %u sales calls, %u open, %u overdue\n",
          steps[slot].what, step_index == 0 ? "(cold)" : "      ", heat_frame, heat_query,
          ms (t_switch, now), report->query_us / 1000.0, report->memos, report->sales, report->open,
          report->overdue);
  fflush (stdout);

  if (++step_index >= runs * G_N_ELEMENTS (steps) + 1)
    finish ();
  else
    start_step ();
}

static gboolean
on_first_figures (gpointer user_data)
{
  /* The window opened on today; from here on every switch is timed. */
  if (dengon_review_window_get_report (review) == NULL)
    return G_SOURCE_CONTINUE;

  start_step ();

  return G_SOURCE_REMOVE;
}

static void
on_review_realize (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_after_paint),
                    NULL);
  g_timeout_add (20, on_first_figures, NULL);
}

static gboolean
open_review (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "review", NULL);

  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *application, GtkWindow *window)
{
  if (DENGON_IS_REVIEW_WINDOW (window))
    {
      review = DENGON_REVIEW_WINDOW (window);
      heat_map = DENGON_HEAT_MAP (find_type (GTK_WIDGET (window), DENGON_TYPE_HEAT_MAP));
      g_signal_connect (window, "realize", G_CALLBACK (on_review_realize), NULL);
    }
  else if (review == NULL)
    g_idle_add (open_review, NULL);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GSettings) settings = NULL;
  char *args[] = { argv[0], (char *) "--data-dir", NULL, NULL };
  int status;

  if (argc < 2 || argc > 4)
    {
      g_printerr ("usage: %s DATA_DIR [YEAR [RUNS]]   (inside tests/tools/run-headless)\n",
                  argv[0]);
      return 2;
    }
  if (argc > 2)
    year = atoi (argv[2]);
  if (argc > 3)
    runs = MAX (1, atoi (argv[3]));

  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  for (guint w = 0; w < 2; w++)
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        frames[w][i] = g_array_new (FALSE, FALSE, sizeof (double));
        queries[w][i] = g_array_new (FALSE, FALSE, sizeof (double));
      }

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "desk-staff-id", "staff:s00");

  args[2] = argv[1];
  app = G_APPLICATION (dengon_application_new ());
  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  status = g_application_run (app, 3, args);
  g_object_unref (app);

  return status;
}
