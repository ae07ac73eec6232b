/* dengon-sync-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"

G_BEGIN_DECLS

#define DENGON_TYPE_SYNC_PAGE (dengon_sync_page_get_type ())

G_DECLARE_FINAL_TYPE (DengonSyncPage, dengon_sync_page, DENGON, SYNC_PAGE, AdwPreferencesPage)

/* Preferences → Sync: this desk as the office hub (address, fingerprint, colleagues' accounts),
 * this desk connected to a hub or CouchDB server (address, user, password in the keyring, test,
 * certificate confirmation), and the documents changed on two desks that wait for a person. */
DengonSyncPage *dengon_sync_page_new (DengonApplication *application);

G_END_DECLS
