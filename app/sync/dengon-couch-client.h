/* dengon-couch-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DENGON_TYPE_COUCH_CLIENT (dengon_couch_client_get_type ())

G_DECLARE_FINAL_TYPE (DengonCouchClient, dengon_couch_client, DENGON, COUCH_CLIENT, GObject)

/* HTTP to one database of a CouchDB-compatible server (a Dengon hub, Apache CouchDB, PouchDB
 * Server), from the main context. Credentials go in an Authorization header and nowhere else.
 *
 * Certificates: one the system trusts is accepted; any other only when its SHA-256 fingerprint
 * is the pinned one. A refused certificate fails the request with
 * DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN (nothing pinned yet) or ..._CHANGED (another one was
 * pinned), and its fingerprint is kept for the person to confirm. Answers are read up to
 * DENGON_SYNC_MAX_BODY_BYTES. */
DengonCouchClient *dengon_couch_client_new (const char *url, const char *user, const char *password,
                                            const char *fingerprint, GError **error);

const char *dengon_couch_client_get_server (DengonCouchClient *self);
const char *dengon_couch_client_get_db (DengonCouchClient *self);
const char *dengon_couch_client_get_user (DengonCouchClient *self);
/* The fingerprint of the certificate the last refused connection presented, or %NULL. */
const char *dengon_couch_client_get_refused_fingerprint (DengonCouchClient *self);
/* The fingerprint of the certificate the server presented last (trusted or pinned). */
const char *dengon_couch_client_get_peer_fingerprint (DengonCouchClient *self);

/* Ends every request under way (they fail with G_IO_ERROR_CANCELLED) and closes connections. */
void dengon_couch_client_abort (DengonCouchClient *self);

/* @path is relative to the database ("_changes?since=0", "" for the database itself), or to the
 * server when it starts with "/" ("/" for the welcome, "/_session"). @body may be %NULL. Any HTTP
 * status is a success here: *@status gets it, and the body is returned (empty when none). */
void dengon_couch_client_request_async (DengonCouchClient *self, const char *method,
                                        const char *path, GBytes *body, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
GBytes *dengon_couch_client_request_finish (DengonCouchClient *self, GAsyncResult *result,
                                            guint *status, GError **error);

G_END_DECLS
