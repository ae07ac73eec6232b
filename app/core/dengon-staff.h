/* dengon-staff.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_STAFF_ERROR (dengon_staff_error_quark ())

typedef enum
{
  DENGON_STAFF_ERROR_INVALID,
  DENGON_STAFF_ERROR_EXISTS,
} DengonStaffError;

typedef enum
{
  DENGON_STAFF_ROLE_STAFF,
  DENGON_STAFF_ROLE_OWNER,
  DENGON_STAFF_ROLE_FIELD_SALES,
} DengonStaffRole;

/* A person of the office ("staff:<login>"), as lists show them. */
#define DENGON_TYPE_STAFF_ITEM (dengon_staff_item_get_type ())
G_DECLARE_FINAL_TYPE (DengonStaffItem, dengon_staff_item, DENGON, STAFF_ITEM, GObject)

const char *dengon_staff_item_get_id (DengonStaffItem *self);
const char *dengon_staff_item_get_name (DengonStaffItem *self);
const char *dengon_staff_item_get_reading (DengonStaffItem *self);
const char *dengon_staff_item_get_extension (DengonStaffItem *self);
DengonStaffRole dengon_staff_item_get_role (DengonStaffItem *self);
gboolean dengon_staff_item_get_active (DengonStaffItem *self);
gboolean dengon_staff_item_get_on_duty (DengonStaffItem *self);
JsonObject *dengon_staff_item_get_doc (DengonStaffItem *self);

/* Every person, the one on duty first, then active people by reading, then
 * the inactive; follows the store. */
#define DENGON_TYPE_STAFF_MODEL (dengon_staff_model_get_type ())
G_DECLARE_FINAL_TYPE (DengonStaffModel, dengon_staff_model, DENGON, STAFF_MODEL, GObject)

DengonStaffModel *dengon_staff_model_new (DengonStore *store);
DengonStaffItem *dengon_staff_model_lookup (DengonStaffModel *self, const char *id);
const char *dengon_staff_model_get_name (DengonStaffModel *self, const char *id);
const char *dengon_staff_model_get_on_duty (DengonStaffModel *self);
JsonObject *dengon_staff_model_get_duty (DengonStaffModel *self);
void dengon_staff_model_set_clock (DengonStaffModel *self, GDateTime *(*now) (void) );
void dengon_staff_model_refresh_duty (DengonStaffModel *self);

GQuark dengon_staff_error_quark (void);
const char *dengon_staff_role_to_string (DengonStaffRole role);
const char *dengon_staff_role_get_label (DengonStaffRole role);
DengonStaffRole dengon_staff_role_from_string (const char *text);
char *dengon_staff_id_for_login (const char *login);
JsonObject *dengon_staff_new (const char *id, const char *name, const char *reading,
                              const char *extension, DengonStaffRole role);
gboolean dengon_staff_validate (JsonObject *doc, GError **error);
JsonObject *dengon_staff_new_for_this_user (void);

/* The duty roster, "office:duty": who picks up the phone now. */
#define DENGON_DUTY_ID "office:duty"
const char *dengon_duty_who (JsonObject *duty, GDateTime *now);
JsonObject *dengon_duty_take (JsonObject *duty, const char *staff_id, GDateTime *now);
JsonObject *dengon_duty_release (JsonObject *duty);

G_END_DECLS
