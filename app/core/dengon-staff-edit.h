/* dengon-staff-edit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-store.h"

G_BEGIN_DECLS

JsonObject *dengon_staff_edit_merge (JsonObject *current, JsonObject *original, JsonObject *edited);
JsonObject *dengon_staff_edit_save_sync (DengonStore *store, JsonObject *original,
                                         JsonObject *edited, GError **error);
void dengon_staff_edit_save_async (DengonStore *store, JsonObject *original, JsonObject *edited,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
JsonObject *dengon_staff_edit_save_finish (DengonStore *store, GAsyncResult *result,
                                           GError **error);

G_END_DECLS
