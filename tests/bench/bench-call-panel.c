/* bench-call-panel.c: from the ring to the call panel on the screen, on a big database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-call-panel --data-dir DIR [--runs N]
 *
 * Runs the real application on DIR (a copy of a benchmark database: the application writes to it)
 * inside a display (tests/tools/run-headless), then rings N times, through the call manager as
 * every ring source does, and times each ring:
 *
 *   ring -> panel drawn       the call window is painted with the panel (number, script) in it
 *   ring -> history drawn     the first paint after this caller's open memos and last calls are in
 *
 * Half the rings come from numbers with the most memos in the database, half from numbers it has
 * never seen. Each call is then dropped (its window closes) before the next ring. Prints numbers,
 * and the target beside them; it does not judge.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>

#include "dengon-application.h"
#include "dengon-call-panel.h"
#include "dengon-call-window.h"

#define TARGET_MS 50.0

typedef struct
{
  DengonApplication *app;
  GPtrArray *numbers;
  GArray *drawn_ms;
  GArray *history_ms;
  guint runs;
  guint run;

  /* The ring being timed */
  gint64 t0;
  gint64 t_drawn;
  gint64 t_history;
  DengonCall *call;
  DengonCallPanel *panel;
  GdkFrameClock *clock;
  gulong paint_handler;
} Bench;

static void next_ring (Bench *bench);

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  g_autoptr (GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), values->len);
  guint index;

  if (values->len == 0)
    return 0;
  g_array_append_vals (sorted, values->data, values->len);
  g_array_sort (sorted, compare_double);
  index = MIN ((guint) (p * (sorted->len - 1) + 0.5), sorted->len - 1);

  return g_array_index (sorted, double, index);
}

static GPtrArray *
pick_numbers (const char *db_path, guint count)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", db_path);

  /* Regular callers: the numbers with the most memos (the worst case for the history). */
  if (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db,
                          "SELECT number FROM memo_index WHERE number LIKE '+81%'"
                          " GROUP BY number ORDER BY count(*) DESC LIMIT ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, count / 2);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (numbers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Numbers nobody has called from. */
  for (guint i = 0; numbers->len < count; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("06-9%03u-%04u", i % 1000, (i * 7919) % 10000));

  return numbers;
}

static DengonCallWindow *
find_call_window (Bench *bench)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (bench->app)); l; l = l->next)
    {
      if (DENGON_IS_CALL_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static gboolean
next_ring_cb (gpointer user_data)
{
  next_ring (user_data);

  return G_SOURCE_REMOVE;
}

static gboolean
finish_ring (gpointer user_data)
{
  Bench *bench = user_data;
  double drawn = (bench->t_drawn - bench->t0) / 1000.0;
  double history = (bench->t_history - bench->t0) / 1000.0;

  g_array_append_val (bench->drawn_ms, drawn);
  g_array_append_val (bench->history_ms, history);
  g_print ("  ring %3u  %-16s  panel drawn %6.2f ms   history drawn %6.2f ms\n", bench->run + 1,
           dengon_call_get_number (bench->call), drawn, history);

  dengon_call_set_state (bench->call, DENGON_CALL_STATE_ENDED);
  g_clear_object (&bench->call);
  bench->panel = NULL;
  bench->run++;

  /* Let the window go and the machine settle before the next ring. */
  g_timeout_add (150, next_ring_cb, bench);

  return G_SOURCE_REMOVE;
}

static void
on_layout (GdkFrameClock *clock, Bench *bench)
{
  if (g_getenv ("BENCH_PHASES") && bench->t_drawn == 0)
    g_print ("    layout at %.2f ms\n", (g_get_monotonic_time () - bench->t0) / 1000.0);
}

static void
on_after_paint (GdkFrameClock *clock, Bench *bench)
{
  gint64 now = g_get_monotonic_time ();
  gboolean looked_up = FALSE;

  if (bench->panel == NULL || !gtk_widget_get_mapped (GTK_WIDGET (bench->panel)))
    return;

  if (bench->t_drawn == 0)
    {
      bench->t_drawn = now;
      if (g_getenv ("BENCH_PHASES"))
        g_print ("    paint at %.2f ms (frame %lld)\n", (now - bench->t0) / 1000.0,
                 (long long) gdk_frame_clock_get_frame_counter (clock));
    }

  g_object_get (bench->panel, "looked-up", &looked_up, NULL);
  if (looked_up && bench->t_history == 0)
    {
      bench->t_history = now;
      g_signal_handler_disconnect (clock, bench->paint_handler);
      bench->paint_handler = 0;
      g_idle_add (finish_ring, bench);
    }
}

static void
on_looked_up (DengonCallPanel *panel, GParamSpec *pspec, Bench *bench)
{
  /* The history is on the screen at the next paint. */
  gtk_widget_queue_draw (GTK_WIDGET (panel));
}

static void
next_ring (Bench *bench)
{
  DengonCallManager *manager = dengon_application_get_call_manager (bench->app);
  DengonCallWindow *window;

  if (bench->run >= bench->runs)
    {
      g_print ("\n| ring -> | p50 | p95 | max |\n|---|---|---|---|\n");
      g_print ("| panel drawn | %.2f ms | %.2f ms | %.2f ms |\n", percentile (bench->drawn_ms, 0.5),
               percentile (bench->drawn_ms, 0.95), percentile (bench->drawn_ms, 1.0));
      g_print ("| history drawn | %.2f ms | %.2f ms | %.2f ms |\n",
               percentile (bench->history_ms, 0.5), percentile (bench->history_ms, 0.95),
               percentile (bench->history_ms, 1.0));
      g_print ("\ntarget: ring -> panel drawn <= %.0f ms: p95 %.2f ms (%s)\n", TARGET_MS,
               percentile (bench->drawn_ms, 0.95),
               percentile (bench->drawn_ms, 0.95) <= TARGET_MS ? "ok" : "MISS");
      g_application_quit (G_APPLICATION (bench->app));
      return;
    }

  bench->t_drawn = 0;
  bench->t_history = 0;
  bench->t0 = g_get_monotonic_time ();
  bench->call = g_object_ref (dengon_call_manager_ring (
      manager, g_ptr_array_index (bench->numbers, bench->run % bench->numbers->len), NULL, "bench",
      NULL, NULL));

  if (g_getenv ("BENCH_PHASES"))
    g_print ("    ring returned after %.2f ms\n", (g_get_monotonic_time () - bench->t0) / 1000.0);
  window = find_call_window (bench);
  g_assert (window != NULL);
  bench->panel = dengon_call_window_get_panel (window, bench->call);
  g_assert (bench->panel != NULL);
  g_signal_connect (bench->panel, "notify::looked-up", G_CALLBACK (on_looked_up), bench);

  bench->clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert (bench->clock != NULL);
  bench->paint_handler =
      g_signal_connect (bench->clock, "after-paint", G_CALLBACK (on_after_paint), bench);
  if (g_getenv ("BENCH_PHASES"))
    g_signal_connect (bench->clock, "layout", G_CALLBACK (on_layout), bench);
}

static gboolean
start (gpointer user_data)
{
  Bench *bench = user_data;

  g_print ("ringing %u times\n", bench->runs);
  next_ring (bench);

  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *app, GtkWindow *window, Bench *bench)
{
  static gboolean started;

  /* The inbox is up: let its first loads finish, as at a desk that has been open a while. */
  if (!started && !DENGON_IS_CALL_WINDOW (window))
    {
      started = TRUE;
      g_timeout_add_seconds (3, start, bench);
    }
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *db_path = NULL;
  int runs = 40;
  GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "A copy of a benchmark database", "DIR" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "How many rings (default 40)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- time the call panel");
  g_autoptr (GError) error = NULL;
  Bench bench = { 0 };
  char *app_argv[4];
  int status;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || data_dir == NULL || runs < 1)
    {
      g_printerr ("%s\nusage: bench-call-panel --data-dir DIR [--runs N]\n",
                  error != NULL ? error->message : "");
      return 2;
    }

  db_path = g_build_filename (data_dir, "dengon.db", NULL);
  bench.runs = runs;
  bench.numbers = pick_numbers (db_path, MAX (2, (guint) runs));
  bench.drawn_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.history_ms = g_array_new (FALSE, FALSE, sizeof (double));
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", db_path);

    if (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2 (db, "SELECT count(*) FROM memo_index", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      g_print ("bench-call-panel: %lld memos in %s (SQLite %s, GSK_RENDERER=%s)\n",
               (long long) sqlite3_column_int64 (stmt, 0), db_path, sqlite3_libversion (),
               g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  bench.app = dengon_application_new ();
  g_signal_connect (bench.app, "window-added", G_CALLBACK (on_window_added), &bench);
  app_argv[0] = argv[0];
  app_argv[1] = (char *) "--data-dir";
  app_argv[2] = data_dir;
  app_argv[3] = NULL;
  status = g_application_run (G_APPLICATION (bench.app), 3, app_argv);

  g_clear_object (&bench.app);
  g_ptr_array_unref (bench.numbers);
  g_array_unref (bench.drawn_ms);
  g_array_unref (bench.history_ms);

  return status;
}
