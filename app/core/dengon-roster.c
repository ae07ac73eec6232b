/* dengon-roster.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-roster.h"
#include "dengon-staff.h"

/* The weekly slots of "office:duty": {"days":[1..7], "from":"HH:MM",
 * "to":"HH:MM", "staff":"staff:x"}.  The first slot that matches decides
 * (dengon_duty_who), so overlaps are allowed but shown. */

/* Each conflict means another desk saved the roster in between: a handful
 * of desks cannot keep winning ten times in a row. */
#define MAX_ATTEMPTS 10

G_DEFINE_QUARK (dengon - roster - error - quark, dengon_roster_error)

/* ------------------------------------------------------------------ times */

/* "9:00", "09:00", "0900", "9" and their full-width forms (as an input
 * method types them) to minutes since midnight; -1 when it is no time of
 * day.  "24:00" is the end of the day. */
int
dengon_roster_parse_time (const char *text)
{
  g_autofree char *normal = NULL;
  int digits[4], n = 0, colon = -1, hours, minutes;

  if (text == NULL)
    return -1;

  normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (normal == NULL)
    return -1;
  g_strstrip (normal);

  for (const char *p = normal; *p; p++)
    {
      if (g_ascii_isdigit (*p) && n < 4)
        digits[n++] = *p - '0';
      else if (*p == ':' && colon < 0 && n > 0)
        colon = n;
      else
        return -1;
    }

  if (colon >= 0)
    {
      if (colon > 2 || n - colon != 2)
        return -1;
      hours = colon == 2 ? digits[0] * 10 + digits[1] : digits[0];
      minutes = digits[colon] * 10 + digits[colon + 1];
    }
  else if (n == 1 || n == 2)
    {
      hours = n == 2 ? digits[0] * 10 + digits[1] : digits[0];
      minutes = 0;
    }
  else if (n == 3 || n == 4)
    {
      hours = n == 4 ? digits[0] * 10 + digits[1] : digits[0];
      minutes = digits[n - 2] * 10 + digits[n - 1];
    }
  else
    return -1;

  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return -1;

  return hours * 60 + minutes;
}

char *
dengon_roster_format_time (int minutes)
{
  g_return_val_if_fail (minutes >= 0 && minutes <= DENGON_ROSTER_END_OF_DAY, NULL);

  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

/* ------------------------------------------------------------------ days */

/* @day: 1 = Monday ... 7 = Sunday. */
const char *
dengon_roster_day_name (guint day, gboolean abbreviated)
{
  g_return_val_if_fail (day >= 1 && day <= 7, NULL);

  if (abbreviated)
    {
      switch (day)
        {
          case 1:
            return C_ ("day of the week, short", "Mon");
          case 2:
            return C_ ("day of the week, short", "Tue");
          case 3:
            return C_ ("day of the week, short", "Wed");
          case 4:
            return C_ ("day of the week, short", "Thu");
          case 5:
            return C_ ("day of the week, short", "Fri");
          case 6:
            return C_ ("day of the week, short", "Sat");
          default:
            return C_ ("day of the week, short", "Sun");
        }
    }

  switch (day)
    {
      case 1:
        return _ ("Monday");
      case 2:
        return _ ("Tuesday");
      case 3:
        return _ ("Wednesday");
      case 4:
        return _ ("Thursday");
      case 5:
        return _ ("Friday");
      case 6:
        return _ ("Saturday");
      default:
        return _ ("Sunday");
    }
}

/* "Mon–Fri", "Mon, Wed, Fri", "Mon–Wed, Sat, Sun", "Every day": three
 * days in a row or more read as a range. */
char *
dengon_roster_format_days (guint days)
{
  g_autoptr (GString) text = g_string_new (NULL);

  days &= DENGON_ROSTER_ALL_DAYS;
  if (days == DENGON_ROSTER_ALL_DAYS)
    return g_strdup (_ ("Every day"));

  for (guint day = 1; day <= 7; day++)
    {
      guint last = day;

      if (!(days & (1u << (day - 1))))
        continue;
      while (last < 7 && (days & (1u << last)))
        last++;

      if (text->len > 0)
        /* Translators: between days of the week in a list, "Mon, Wed" */
        g_string_append (text, C_ ("days of the week", ", "));

      if (last - day >= 2)
        {
          /* Translators: a range of days of the week, "Mon–Fri" */
          g_string_append_printf (text, C_ ("days of the week", "%s–%s"),
                                  dengon_roster_day_name (day, TRUE),
                                  dengon_roster_day_name (last, TRUE));
          day = last;
        }
      else
        g_string_append (text, dengon_roster_day_name (day, TRUE));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------------ slots */

guint
dengon_roster_slot_get_days (JsonObject *slot)
{
  JsonArray *days = dengon_json_get_array (slot, "days");
  guint mask = 0;

  for (guint i = 0; days != NULL && i < json_array_get_length (days); i++)
    {
      JsonNode *node = json_array_get_element (days, i);
      gint64 day;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        continue;
      day = json_node_get_int (node);
      if (day >= 1 && day <= 7)
        mask |= 1u << (day - 1);
    }

  return mask;
}

int
dengon_roster_slot_get_from (JsonObject *slot)
{
  return dengon_roster_parse_time (dengon_json_get_string (slot, "from"));
}

int
dengon_roster_slot_get_to (JsonObject *slot)
{
  return dengon_roster_parse_time (dengon_json_get_string (slot, "to"));
}

const char *
dengon_roster_slot_get_staff (JsonObject *slot)
{
  return dengon_json_get_string (slot, "staff");
}

/* "Mon–Fri, 09:00–12:00". */
char *
dengon_roster_slot_format (JsonObject *slot)
{
  g_autofree char *days = dengon_roster_format_days (dengon_roster_slot_get_days (slot));
  int from = dengon_roster_slot_get_from (slot), to = dengon_roster_slot_get_to (slot);
  g_autofree char *from_text = from >= 0 ? dengon_roster_format_time (from) : g_strdup ("?");
  g_autofree char *to_text = to >= 0 ? dengon_roster_format_time (to) : g_strdup ("?");
  g_autofree char *hours = NULL;

  /* Translators: the hours of a duty roster slot, "09:00–12:00" */
  hours = g_strdup_printf (C_ ("duty hours", "%s–%s"), from_text, to_text);

  /* Translators: a duty roster slot, its days and hours: "Mon–Fri, 09:00–12:00" */
  return g_strdup_printf (C_ ("duty slot", "%s, %s"), days, hours);
}

JsonObject *
dengon_roster_slot_new (guint days, int from, int to, const char *staff_id, GError **error)
{
  JsonObject *slot;
  JsonArray *array;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;

  if ((days & DENGON_ROSTER_ALL_DAYS) == 0)
    {
      g_set_error_literal (error, DENGON_ROSTER_ERROR, DENGON_ROSTER_ERROR_NO_DAYS,
                           _ ("Choose at least one day."));
      return NULL;
    }
  if (from < 0 || from >= DENGON_ROSTER_END_OF_DAY || to < 0 || to > DENGON_ROSTER_END_OF_DAY)
    {
      g_set_error_literal (error, DENGON_ROSTER_ERROR, DENGON_ROSTER_ERROR_BAD_TIME,
                           _ ("Enter the times as hours and minutes, like 09:00."));
      return NULL;
    }
  if (to <= from)
    {
      g_set_error_literal (error, DENGON_ROSTER_ERROR, DENGON_ROSTER_ERROR_END_BEFORE_START,
                           _ ("The end must be later than the start."));
      return NULL;
    }
  if (staff_id == NULL || !g_str_has_prefix (staff_id, "staff:"))
    {
      g_set_error_literal (error, DENGON_ROSTER_ERROR, DENGON_ROSTER_ERROR_NO_STAFF,
                           _ ("Choose who picks up the phone."));
      return NULL;
    }

  slot = json_object_new ();
  array = json_array_new ();
  for (guint day = 1; day <= 7; day++)
    if (days & (1u << (day - 1)))
      json_array_add_int_element (array, day);
  from_text = dengon_roster_format_time (from);
  to_text = dengon_roster_format_time (to);

  json_object_set_array_member (slot, "days", array);
  json_object_set_string_member (slot, "from", from_text);
  json_object_set_string_member (slot, "to", to_text);
  json_object_set_string_member (slot, "staff", staff_id);

  return slot;
}

/* Some day in common, and some minute of that day in both. */
gboolean
dengon_roster_slots_overlap (JsonObject *a, JsonObject *b)
{
  int a_from = dengon_roster_slot_get_from (a), a_to = dengon_roster_slot_get_to (a);
  int b_from = dengon_roster_slot_get_from (b), b_to = dengon_roster_slot_get_to (b);

  if ((dengon_roster_slot_get_days (a) & dengon_roster_slot_get_days (b)) == 0)
    return FALSE;
  if (a_from < 0 || a_to < 0 || b_from < 0 || b_to < 0)
    return FALSE;

  return MAX (a_from, b_from) < MIN (a_to, b_to);
}

static JsonObject *
slot_at (JsonArray *schedule, guint index)
{
  JsonNode *node = json_array_get_element (schedule, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The first other slot that overlaps slot @index (an earlier one, if any:
 * that one wins); -1 when none does. */
int
dengon_roster_find_overlap (JsonArray *schedule, guint index)
{
  JsonObject *slot;

  g_return_val_if_fail (schedule != NULL, -1);
  g_return_val_if_fail (index < json_array_get_length (schedule), -1);

  slot = slot_at (schedule, index);
  for (guint i = 0; slot != NULL && i < json_array_get_length (schedule); i++)
    {
      JsonObject *other = slot_at (schedule, i);

      if (i != index && other != NULL && dengon_roster_slots_overlap (slot, other))
        return (int) i;
    }

  return -1;
}

/* Whether the slots before @index cover every minute of slot @index on
 * each of its days: it never decides who is on duty. */
gboolean
dengon_roster_slot_is_shadowed (JsonArray *schedule, guint index)
{
  JsonObject *slot;
  guint days;
  int from, to;

  g_return_val_if_fail (schedule != NULL, FALSE);
  g_return_val_if_fail (index < json_array_get_length (schedule), FALSE);

  slot = slot_at (schedule, index);
  days = dengon_roster_slot_get_days (slot);
  from = dengon_roster_slot_get_from (slot);
  to = dengon_roster_slot_get_to (slot);
  if (slot == NULL || days == 0 || from < 0 || to <= from)
    return FALSE;

  for (guint day = 1; day <= 7; day++)
    {
      gboolean covered[DENGON_ROSTER_END_OF_DAY] = { FALSE };

      if (!(days & (1u << (day - 1))))
        continue;

      for (guint i = 0; i < index; i++)
        {
          JsonObject *earlier = slot_at (schedule, i);
          int e_from = dengon_roster_slot_get_from (earlier);
          int e_to = dengon_roster_slot_get_to (earlier);

          if (earlier == NULL || !(dengon_roster_slot_get_days (earlier) & (1u << (day - 1))) ||
              e_from < 0 || e_to < 0)
            continue;
          for (int m = MAX (e_from, from); m < MIN (e_to, to); m++)
            covered[m] = TRUE;
        }

      for (int m = from; m < to; m++)
        if (!covered[m])
          return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ the roster */

/* A new, mutable roster with @duty's members (documents from the store are
 * sealed), and a schedule array of its own. */
static JsonObject *
duty_copy (JsonObject *duty, JsonArray **schedule)
{
  JsonObject *copy = json_object_new ();
  JsonArray *old = dengon_json_get_array (duty, "schedule");
  JsonArray *array = json_array_new ();

  if (duty != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (duty);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (copy, l->data,
                                json_node_copy (json_object_get_member (duty, l->data)));
    }
  else
    json_object_set_null_member (copy, "manual");

  json_object_set_string_member (copy, "_id", DENGON_DUTY_ID);
  json_object_set_string_member (copy, "type", "duty");
  for (guint i = 0; old != NULL && i < json_array_get_length (old); i++)
    json_array_add_element (array, json_node_copy (json_array_get_element (old, i)));
  json_object_set_array_member (copy, "schedule", array);

  *schedule = array;
  return copy;
}

/* @duty with @slot at @position (-1 or past the end: last); the manual
 * turn and any other member as they are. */
JsonObject *
dengon_roster_insert_slot (JsonObject *duty, int position, JsonObject *slot)
{
  JsonArray *schedule;
  JsonObject *copy;
  g_autoptr (GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  guint n;

  g_return_val_if_fail (slot != NULL, NULL);

  copy = duty_copy (duty, &schedule);
  n = json_array_get_length (schedule);
  if (position < 0 || (guint) position > n)
    position = n;

  /* JsonArray cannot insert: take the tail off and put it back. */
  while (json_array_get_length (schedule) > (guint) position)
    {
      guint last = json_array_get_length (schedule) - 1;

      g_ptr_array_insert (nodes, 0, json_node_copy (json_array_get_element (schedule, last)));
      json_array_remove_element (schedule, last);
    }
  json_array_add_element (schedule, json_node_init_object (json_node_alloc (), slot));
  for (guint i = 0; i < nodes->len; i++)
    json_array_add_element (schedule, json_node_copy (nodes->pdata[i]));

  return copy;
}

/* @duty without its first slot equal to @slot; @position: where it was, -1
 * when it is not there (a colleague removed it first). */
JsonObject *
dengon_roster_remove_slot (JsonObject *duty, JsonObject *slot, int *position)
{
  JsonArray *schedule;
  JsonObject *copy;

  g_return_val_if_fail (slot != NULL, NULL);

  copy = duty_copy (duty, &schedule);
  if (position != NULL)
    *position = -1;

  for (guint i = 0; i < json_array_get_length (schedule); i++)
    {
      JsonObject *other = slot_at (schedule, i);

      if (other != NULL && dengon_json_object_equal (other, slot))
        {
          json_array_remove_element (schedule, i);
          if (position != NULL)
            *position = (int) i;
          break;
        }
    }

  return copy;
}

/* ------------------------------------------------------------------ saving */

/* Returns the roster as saved. */
JsonObject *
dengon_roster_edit_sync (DengonStore *store, DengonRosterEditKind kind, JsonObject *slot,
                         int position, GError **error)
{
  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (slot != NULL, NULL);

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (JsonObject) current = dengon_store_get (store, DENGON_DUTY_ID, &local_error);
      g_autoptr (JsonObject) duty = NULL;
      g_autofree char *rev = NULL;

      if (current == NULL &&
          !g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);

      if (kind == DENGON_ROSTER_EDIT_INSERT)
        duty = dengon_roster_insert_slot (current, position, slot);
      else
        duty = dengon_roster_remove_slot (current, slot, NULL);

      rev = dengon_store_put (store, duty, &local_error);
      if (rev != NULL)
        {
          json_object_set_string_member (duty, "_rev", rev);
          json_object_seal (duty);
          return g_steal_pointer (&duty);
        }

      if (!g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      /* A colleague saved the roster first: read theirs and apply ours to it. */
    }

  g_set_error_literal (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
                       _ ("The duty roster kept changing on other desks; try again."));
  return NULL;
}

typedef struct
{
  DengonRosterEditKind kind;
  JsonObject *slot;
  int position;
} EditData;

static void
edit_data_free (EditData *data)
{
  json_object_unref (data->slot);
  g_free (data);
}

static gpointer
edit_thread (DengonStore *store, gpointer user_data, GCancellable *cancellable, GError **error)
{
  EditData *data = user_data;

  return dengon_roster_edit_sync (store, data->kind, data->slot, data->position, error);
}

void
dengon_roster_edit_async (DengonStore *store, DengonRosterEditKind kind, JsonObject *slot,
                          int position, GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  EditData *data;

  g_return_if_fail (DENGON_IS_STORE (store));
  g_return_if_fail (slot != NULL);

  data = g_new0 (EditData, 1);
  data->kind = kind;
  data->slot = dengon_json_object_copy (slot);
  data->position = position;

  dengon_store_run_async (store, edit_thread, data, (GDestroyNotify) edit_data_free,
                          (GDestroyNotify) json_object_unref, cancellable, callback, user_data);
}

JsonObject *
dengon_roster_edit_finish (DengonStore *store, GAsyncResult *result, GError **error)
{
  return dengon_store_run_finish (store, result, error);
}
