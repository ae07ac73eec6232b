/* dengon-roster.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_ROSTER_ERROR (dengon_roster_error_quark ())

typedef enum
{
  DENGON_ROSTER_ERROR_NO_DAYS,
  DENGON_ROSTER_ERROR_BAD_TIME,
  DENGON_ROSTER_ERROR_END_BEFORE_START,
  DENGON_ROSTER_ERROR_NO_STAFF,
} DengonRosterError;

/* Days of a slot as a bit mask: bit (day - 1), 1 = Monday ... 7 = Sunday. */
#define DENGON_ROSTER_WEEKDAYS 0x1f
#define DENGON_ROSTER_ALL_DAYS 0x7f

/* Minutes since midnight; the end of a slot may be 24:00 (1440). */
#define DENGON_ROSTER_END_OF_DAY (24 * 60)

GQuark dengon_roster_error_quark (void);

int dengon_roster_parse_time (const char *text);
char *dengon_roster_format_time (int minutes);
const char *dengon_roster_day_name (guint day, gboolean abbreviated);
char *dengon_roster_format_days (guint days);

guint dengon_roster_slot_get_days (JsonObject *slot);
int dengon_roster_slot_get_from (JsonObject *slot);
int dengon_roster_slot_get_to (JsonObject *slot);
const char *dengon_roster_slot_get_staff (JsonObject *slot);
char *dengon_roster_slot_format (JsonObject *slot);
JsonObject *dengon_roster_slot_new (guint days, int from, int to, const char *staff_id,
                                    GError **error);
gboolean dengon_roster_slots_overlap (JsonObject *a, JsonObject *b);
int dengon_roster_find_overlap (JsonArray *schedule, guint index);
gboolean dengon_roster_slot_is_shadowed (JsonArray *schedule, guint index);

JsonObject *dengon_roster_insert_slot (JsonObject *duty, int position, JsonObject *slot);
JsonObject *dengon_roster_remove_slot (JsonObject *duty, JsonObject *slot, int *position);

/* Saving: the roster as stored now, with one slot added or removed; a
 * colleague's change in between is read again and kept. */
typedef enum
{
  DENGON_ROSTER_EDIT_INSERT,
  DENGON_ROSTER_EDIT_REMOVE,
} DengonRosterEditKind;

JsonObject *dengon_roster_edit_sync (DengonStore *store, DengonRosterEditKind kind,
                                     JsonObject *slot, int position, GError **error);
void dengon_roster_edit_async (DengonStore *store, DengonRosterEditKind kind, JsonObject *slot,
                               int position, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
JsonObject *dengon_roster_edit_finish (DengonStore *store, GAsyncResult *result, GError **error);

G_END_DECLS
