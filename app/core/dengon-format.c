/* dengon-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-format.h"

/* Times are stored in UTC and shown in the office's local time. */
static GDateTime *
local_from_ms (gint64 ms)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_to_local (utc);
}

static int
days_between (GDateTime *a, GDateTime *b)
{
  g_autoptr (GDateTime) da =
      g_date_time_new_local (g_date_time_get_year (a), g_date_time_get_month (a),
                             g_date_time_get_day_of_month (a), 12, 0, 0);
  g_autoptr (GDateTime) db =
      g_date_time_new_local (g_date_time_get_year (b), g_date_time_get_month (b),
                             g_date_time_get_day_of_month (b), 12, 0, 0);

  return (int) (g_date_time_difference (db, da) / G_TIME_SPAN_DAY);
}

gboolean
dengon_format_same_day (gint64 a_ms, gint64 b_ms)
{
  g_autoptr (GDateTime) a = local_from_ms (a_ms);
  g_autoptr (GDateTime) b = local_from_ms (b_ms);

  return days_between (a, b) == 0;
}

/* "Today", "Yesterday", "Friday, November 20" — the inbox's day groups. */
char *
dengon_format_day (gint64 ms, GDateTime *now)
{
  g_autoptr (GDateTime) when = local_from_ms (ms);
  g_autoptr (GDateTime) local_now = g_date_time_to_local (now);
  int days = days_between (when, local_now);

  if (days == 0)
    return g_strdup (_ ("Today"));
  if (days == 1)
    return g_strdup (_ ("Yesterday"));
  if (g_date_time_get_year (when) == g_date_time_get_year (local_now))
    /* Translators: a day in this year, see g_date_time_format(); in Japanese "%-m月%-d日（%a）" */
    return g_date_time_format (when, _ ("%A, %B %-e"));

  /* Translators: a day in another year; in Japanese "%Y年%-m月%-d日（%a）" */
  return g_date_time_format (when, _ ("%A, %B %-e, %Y"));
}

char *
dengon_format_time (gint64 ms)
{
  g_autoptr (GDateTime) when = local_from_ms (ms);

  /* Translators: a time of day, see g_date_time_format() */
  return g_date_time_format (when, _ ("%H:%M"));
}

/* "14:05" today, "Yesterday 14:05", "11/20 14:05" this year, else with the year. */
char *
dengon_format_date_time (gint64 ms, GDateTime *now)
{
  g_autoptr (GDateTime) when = local_from_ms (ms);
  g_autoptr (GDateTime) local_now = g_date_time_to_local (now);
  g_autofree char *time = dengon_format_time (ms);
  int days = days_between (when, local_now);

  if (days == 0)
    return g_steal_pointer (&time);
  if (days == 1)
    /* Translators: "Yesterday 14:05" */
    return g_strdup_printf (_ ("Yesterday %s"), time);
  if (g_date_time_get_year (when) == g_date_time_get_year (local_now))
    {
      /* Translators: a short date of this year; in Japanese "%-m/%-d" */
      g_autofree char *date = g_date_time_format (when, _ ("%b %-e"));

      return g_strdup_printf ("%s %s", date, time);
    }
  else
    {
      /* Translators: a short date; in Japanese "%Y/%-m/%-d" */
      g_autofree char *date = g_date_time_format (when, _ ("%b %-e, %Y"));

      return g_strdup_printf ("%s %s", date, time);
    }
}

/* "Call back by 14:00", or "Overdue since 14:00" once it has passed. */
char *
dengon_format_callback (gint64 deadline_ms, GDateTime *now, gboolean *overdue)
{
  g_autofree char *when = dengon_format_date_time (deadline_ms, now);
  gboolean late = deadline_ms < g_date_time_to_unix (now) * 1000;

  if (overdue != NULL)
    *overdue = late;

  if (late)
    return g_strdup_printf (_ ("Overdue since %s"), when);

  return g_strdup_printf (_ ("Call back by %s"), when);
}

/* The categories the default scripts write (docs/DESIGN.md "Scripts");
 * "sales" (sales pitches) is kept apart in the figures. */
static const char *const categories[] = {
  "message", "inquiry", "order", "complaint", "sales", "followup", NULL,
};

const char *const *
dengon_category_list (void)
{
  return categories;
}

const char *
dengon_category_get_label (const char *category)
{
  if (category == NULL)
    return NULL;
  if (g_str_equal (category, "message"))
    return C_ ("category", "Message");
  if (g_str_equal (category, "inquiry"))
    return C_ ("category", "Inquiry");
  if (g_str_equal (category, "order"))
    return C_ ("category", "Order or delivery");
  if (g_str_equal (category, "complaint"))
    return C_ ("category", "Complaint");
  if (g_str_equal (category, "sales"))
    return C_ ("category", "Sales call");
  if (g_str_equal (category, "followup"))
    return C_ ("category", "Follow-up");
  if (g_str_equal (category, "general"))
    return C_ ("category", "General");

  return category;
}

gboolean
dengon_text_is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

char *
dengon_text_strip (const char *text)
{
  const char *start = text;
  const char *end;

  if (dengon_text_is_blank (text))
    return NULL;

  while (g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (end))))
    end = g_utf8_prev_char (end);

  return g_strndup (start, end - start);
}
