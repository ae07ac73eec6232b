/* dengon-sync-manager.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-conflict-resolver.h"
#include "dengon-hub-accounts.h"
#include "dengon-hub.h"
#include "dengon-replicator.h"
#include "dengon-store.h"

G_BEGIN_DECLS

typedef enum
{
  DENGON_SYNC_STATUS_OFF, /* no hub, no server */
  DENGON_SYNC_STATUS_HUB, /* this desk is the hub and syncs with nothing else */
  DENGON_SYNC_STATUS_CONNECTING,
  DENGON_SYNC_STATUS_SYNCING,
  DENGON_SYNC_STATUS_SYNCED,
  DENGON_SYNC_STATUS_OFFLINE,
  DENGON_SYNC_STATUS_ERROR,
} DengonSyncStatus;

#define DENGON_TYPE_SYNC_MANAGER (dengon_sync_manager_get_type ())

G_DECLARE_FINAL_TYPE (DengonSyncManager, dengon_sync_manager, DENGON, SYNC_MANAGER, GObject)

/* Sync for one desk, as its settings say: the hub (hub-enabled, hub-port, hub-address), a
 * continuous replication with a hub or CouchDB server (sync-enabled, sync-url, sync-user,
 * sync-certificate; the password from the keyring of profile @data_dir) and conflict resolution
 * on @store. It follows setting changes. */
DengonSyncManager *dengon_sync_manager_new (DengonStore *store, GSettings *settings,
                                            const char *data_dir);

DengonSyncStatus dengon_sync_manager_get_status (DengonSyncManager *self);
/* A few words for the header bar: "Synced", "Syncing 12", "Offline", "Wrong password"… */
const char *dengon_sync_manager_get_status_label (DengonSyncManager *self);
/* A sentence or two: when it last synced, what failed and why. */
const char *dengon_sync_manager_get_detail (DengonSyncManager *self);
guint dengon_sync_manager_get_pending (DengonSyncManager *self);

DengonConflictResolver *dengon_sync_manager_get_resolver (DengonSyncManager *self);
DengonReplicator *dengon_sync_manager_get_replicator (DengonSyncManager *self);
DengonHub *dengon_sync_manager_get_hub (DengonSyncManager *self);
/* The hub's accounts (made on first use). */
DengonHubAccounts *dengon_sync_manager_get_accounts (DengonSyncManager *self);
/* Why the hub is not serving although it should, or %NULL. */
const char *dengon_sync_manager_get_hub_error (DengonSyncManager *self);

/* Tries a server without changing anything: the address, the certificate, the user name and
 * password, the database. On a certificate nobody confirmed, the error is
 * DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN and *@fingerprint_out gets its fingerprint. */
void dengon_sync_manager_test_async (DengonSyncManager *self, const char *url, const char *user,
                                     const char *password, const char *fingerprint,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean dengon_sync_manager_test_finish (DengonSyncManager *self, GAsyncResult *result,
                                          char **fingerprint_out, GError **error);

/* Keeps the password in the keyring, the rest in the settings, and starts syncing. */
void dengon_sync_manager_connect_async (DengonSyncManager *self, const char *url, const char *user,
                                        const char *password, const char *fingerprint,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean dengon_sync_manager_connect_finish (DengonSyncManager *self, GAsyncResult *result,
                                             GError **error);

G_END_DECLS
