/* bench-inbox.c: the real inbox window on a database, timed
 *
 *   tests/tools/run-headless -- _build/tests/bench/bench-inbox DATA_DIR
 *
 * Starts Dengon's application on DATA_DIR (filter "All"), and prints
 *  - the time from start-up to the first frame that shows memo rows,
 *  - the time to scroll to the end of the list (keys stream in by keyset;
 *    the view follows the end until the last memo is drawn),
 *  - the peak resident memory (VmHWM) at the end.
 * Run it on an empty data dir and on a large one: the difference in peak
 * memory is what the database's size costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "dengon-application.h"
#include "dengon-memo-item.h"
#include "dengon-memo-list-model.h"

static gint64 t_start;
static gint64 t_first_frame;
static gint64 t_scroll_start;
static gint64 t_end;
static GtkListView *list_view;
static DengonMemoListModel *model;
static GApplication *app;
static guint frames_after_end;

static double
ms (gint64 from, gint64 to)
{
  return (to - from) / 1000.0;
}

/* A figure of /proc/self/status in kB ("VmHWM", "VmRSS", "RssAnon", "RssFile"), or -1. */
static long
status_kb (const char *name)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", name, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);

  return line != NULL ? strtol (line + strlen (key), NULL, 10) : -1;
}

static long
peak_rss_kb (void)
{
  return status_kb ("VmHWM");
}

static long
rss_kb (void)
{
  return status_kb ("VmRSS");
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
item_loaded (guint position)
{
  g_autoptr (DengonMemoItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  return item != NULL && dengon_memo_item_get_loaded (item);
}

static void
scroll_to_end (void)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

static void
on_after_paint (GdkFrameClock *clock, gpointer user_data)
{
  guint n;

  /* The window gets its model after it was added to the application. */
  if (model == NULL)
    {
      GtkSelectionModel *selection = gtk_list_view_get_model (list_view);

      if (selection == NULL)
        {
          gtk_widget_queue_draw (GTK_WIDGET (list_view));
          return;
        }
      model = DENGON_MEMO_LIST_MODEL (
          gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection)));
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (model));

  if (t_first_frame == 0)
    {
      if (n > 0 && item_loaded (0))
        {
          t_first_frame = g_get_monotonic_time ();
          t_scroll_start = t_first_frame;
          g_print ("first frame with memos: %.1f ms (%u memos known), RSS %.1f MB\n",
                   ms (t_start, t_first_frame), n, rss_kb () / 1024.0);
        }
      else if (n == 0 && !dengon_memo_list_model_get_loading (model) &&
               dengon_memo_list_model_get_complete (model))
        {
          t_first_frame = g_get_monotonic_time ();
          g_print ("first frame (empty list): %.1f ms\n", ms (t_start, t_first_frame));
          t_end = t_first_frame;
        }
      gtk_widget_queue_draw (GTK_WIDGET (list_view));
      return;
    }

  if (t_end == 0)
    {
      if (dengon_memo_list_model_get_complete (model) && n > 0 && item_loaded (n - 1))
        {
          t_end = g_get_monotonic_time ();
          g_print ("scrolled to the end: %.1f ms (%u memos), RSS %.1f MB\n",
                   ms (t_scroll_start, t_end), n, rss_kb () / 1024.0);
        }
      else
        scroll_to_end ();
      gtk_widget_queue_draw (GTK_WIDGET (list_view));
      return;
    }

  /* A few more frames, then the figures. */
  if (++frames_after_end == 3)
    {
      /* RSS counts the pages of the fonts and libraries that were read (files the kernel may drop
       * and every process shares); the anonymous part is this process's own memory. */
      g_print ("peak RSS: %.1f MB\n", peak_rss_kb () / 1024.0);
      g_print ("RSS now: %.1f MB: anonymous %.1f MB, files %.1f MB\n", rss_kb () / 1024.0,
               status_kb ("RssAnon") / 1024.0, status_kb ("RssFile") / 1024.0);
      g_application_quit (app);
    }
  else
    gtk_widget_queue_draw (GTK_WIDGET (list_view));
}

static void
on_realize (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_after_paint),
                    NULL);
}

static void
on_window_added (GtkApplication *application, GtkWindow *window)
{
  if (list_view != NULL || find_list_view (GTK_WIDGET (window)) == NULL)
    return;

  list_view = GTK_LIST_VIEW (find_list_view (GTK_WIDGET (window)));
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GSettings) settings = NULL;
  char *args[] = { argv[0], (char *) "--data-dir", NULL, NULL };
  int status;

  if (argc != 2)
    {
      g_printerr ("usage: %s DATA_DIR   (inside tests/tools/run-headless)\n", argv[0]);
      return 2;
    }

  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  t_start = g_get_monotonic_time ();

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "inbox-filter", "all");
  g_settings_set_string (settings, "desk-staff-id", "staff:s00");

  args[2] = argv[1];
  app = G_APPLICATION (dengon_application_new ());
  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  status = g_application_run (app, 3, args);
  g_object_unref (app);

  return status;
}
