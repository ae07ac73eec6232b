/* dengon-sync-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-sync-manager.h"

G_BEGIN_DECLS

#define DENGON_TYPE_SYNC_INDICATOR (dengon_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (DengonSyncIndicator, dengon_sync_indicator, DENGON, SYNC_INDICATOR, GtkWidget)

/* The header bar's word on sync: "Synced", "Syncing 12", "Offline", "Wrong password"… Hidden
 * while this desk syncs with nobody. A click opens Preferences at the Sync page. */
DengonSyncManager *dengon_sync_indicator_get_manager (DengonSyncIndicator *self);
void dengon_sync_indicator_set_manager (DengonSyncIndicator *self, DengonSyncManager *manager);

G_END_DECLS
