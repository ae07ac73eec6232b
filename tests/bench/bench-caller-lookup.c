/* bench-caller-lookup.c: what the call panel asks the store when the phone rings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-caller-lookup DATABASE [RUNS]
 *
 * Times dengon_caller_lookup() (the contact through the phone index, its segment from its newest
 * memo, the caller's open and last memos) on a copy of a big database, for three kinds of number:
 * contacts with the most memos (written in the national form, as a desk phone may send them),
 * contacts of the database that have no memo, and numbers nobody knows. Prints p50 / p95 / max.
 */

#include "config.h"

#include <sqlite3.h>
#include <stdio.h>

#include "dengon-caller-lookup.h"
#include "dengon-contact.h"
#include "dengon-json.h"
#include "dengon-store.h"

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static GPtrArray *
query_numbers (const char *path, const char *sql)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (numbers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return numbers;
}

static void
run (DengonStore *store, const char *what, GPtrArray *numbers, guint runs)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint contacts = 0;

  if (numbers->len == 0)
    {
      printf ("| %s | (no numbers) | | | |\n", what);
      return;
    }
  for (guint i = 0; i < runs; i++)
    {
      const char *number = g_ptr_array_index (numbers, i % numbers->len);
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (DengonCallerInfo) info = dengon_caller_lookup (store, number, &error);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      if (info == NULL)
        g_error ("%s: %s", number, error->message);
      contacts += info->contact_id != NULL;
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_double);
  printf ("| %s | %.2f ms | %.2f ms | %.2f ms | %u of %u |\n", what,
          g_array_index (times, double, times->len / 2),
          g_array_index (times, double, MIN (times->len - 1, times->len * 95 / 100)),
          g_array_index (times, double, times->len - 1), contacts, runs);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (GPtrArray) busy = NULL;
  g_autoptr (GPtrArray) quiet = NULL;
  g_autoptr (GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  guint runs = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 200;

  if (argc < 2)
    {
      g_printerr ("usage: %s DATABASE [RUNS]\n", argv[0]);
      return 2;
    }

  store = dengon_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Contacts with the most memos, as the desk phone may send them (national form). */
  busy = query_numbers (argv[1], "SELECT '0' || substr(p.number_key, 4) FROM contact_phone p"
                                 " JOIN memo_index m ON m.number = p.number_key"
                                 " WHERE p.number_key LIKE '+81%' GROUP BY p.number_key"
                                 " ORDER BY count(*) DESC LIMIT 20");
  quiet = query_numbers (argv[1], "SELECT number_key FROM contact_phone p WHERE NOT EXISTS"
                                  " (SELECT 1 FROM memo_index m WHERE m.number = p.number_key)"
                                  " LIMIT 200");
  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (unknown, g_strdup_printf ("06-9%03u-%04u", i % 1000, (i * 7919) % 10000));

  printf ("| lookup of | p50 | p95 | max | contacts found |\n|---|---|---|---|---|\n");
  run (store, "contacts with the most memos", busy, runs);
  run (store, "contacts without memos", quiet, runs);
  run (store, "unknown numbers", unknown, runs);

  /* What the contacts window reads: every contact with its segment. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (GPtrArray) all = dengon_contact_list (store, now, 12, &error);
      gint64 t1 = g_get_monotonic_time ();
      guint matching = 0;

      if (all == NULL)
        g_error ("%s", error->message);
      for (guint k = 0; k < all->len; k++)
        matching += dengon_contact_record_matches (g_ptr_array_index (all, k), "やまだ 0312");
      printf (
          "contact list: %u contacts with their segments in %.1f ms; a search of them in %.1f ms"
          " (%u found)\n",
          all->len, (t1 - t0) / 1000.0, (g_get_monotonic_time () - t1) / 1000.0, matching);
    }

  return 0;
}
