/* dengon-hub.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-hub-accounts.h"
#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_TYPE_HUB (dengon_hub_get_type ())

G_DECLARE_FINAL_TYPE (DengonHub, dengon_hub, DENGON, HUB, GObject)

/* The office hub: the CouchDB replication protocol over HTTPS for one database (@store, named
 * DENGON_SYNC_DEFAULT_DB), for the people in @accounts (HTTP Basic). Everything it receives is
 * bounded; store work runs on worker threads, never on the main loop. */
DengonHub *dengon_hub_new (DengonStore *store, DengonHubAccounts *accounts,
                           GTlsCertificate *certificate);

/* @address: an IP address, or %NULL for every interface (IPv4 and IPv6); @port: 0 for any free
 * port. */
gboolean dengon_hub_listen (DengonHub *self, const char *address, guint port, GError **error);
void dengon_hub_stop (DengonHub *self);
gboolean dengon_hub_get_listening (DengonHub *self);
guint dengon_hub_get_port (DengonHub *self);

DengonStore *dengon_hub_get_store (DengonHub *self);
const char *dengon_hub_get_db_name (DengonHub *self);
const char *dengon_hub_get_fingerprint (DengonHub *self);
/* Addresses colleagues can use: "https://ADDRESS:PORT/dengon" for each address of this computer
 * that is not loopback (or the one it listens on), then the host name. */
GStrv dengon_hub_get_urls (DengonHub *self);

G_END_DECLS
