/* dengon-action-url-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-call-manager.h"

G_BEGIN_DECLS

/* What a desk phone may send. Yealink caps its action URLs at 511 characters. */
#define DENGON_ACTION_URL_MAX_QUERY    2048
#define DENGON_ACTION_URL_MAX_BODY     (16 * 1024)
#define DENGON_ACTION_URL_PATH         "/v1/ring"
#define DENGON_ACTION_URL_DEFAULT_PORT 8765

#define DENGON_TYPE_ACTION_URL_SERVER (dengon_action_url_server_get_type ())

/* The local HTTP endpoint that IP desk phones call when they ring ("action URL"):
 *
 *   GET  /v1/ring?token=T&number=$remote&name=$display_remote&call=$call_id&local=$local
 *   POST /v1/ring?token=T   with a Polycom <IncomingCallEvent> (bare or in <PolycomIPPhone>),
 *                           or a form body with the same fields as the GET
 *
 * Each ring goes to the call manager as an incoming call from "desk-phone". Answers: 200 for a
 * ring, 204 for a well-formed Polycom event that is not an incoming call, 400 for a malformed
 * request, 401 for a missing or wrong token (checked before any body is read), 404 for any other
 * path, 405 for other methods, 411 for a POST without a length, 413 for a body over
 * %DENGON_ACTION_URL_MAX_BODY bytes, 414 for a query over %DENGON_ACTION_URL_MAX_QUERY bytes.
 * Nothing else is served. */
G_DECLARE_FINAL_TYPE (DengonActionUrlServer, dengon_action_url_server, DENGON, ACTION_URL_SERVER,
                      GObject)

DengonActionUrlServer *dengon_action_url_server_new (DengonCallManager *manager);

/* The shared secret the phone puts in ?token=; %NULL or "" refuses every request. */
void dengon_action_url_server_set_token (DengonActionUrlServer *self, const char *token);

/* Listens on @port (0: any free port) on every interface, or on the loopback interface only.
 * Stops listening first if it was. */
gboolean dengon_action_url_server_listen (DengonActionUrlServer *self, guint port,
                                          gboolean loopback_only, GError **error);
void dengon_action_url_server_stop (DengonActionUrlServer *self);
gboolean dengon_action_url_server_is_listening (DengonActionUrlServer *self);
/* The port listened on, 0 when not listening. */
guint dengon_action_url_server_get_port (DengonActionUrlServer *self);

/* The IPv4 addresses of this computer on its local networks (not loopback), for the example URLs
 * shown in Preferences; "127.0.0.1" when there is none. */
GStrv dengon_action_url_get_local_addresses (void);

/* The URL to configure on a desk phone of @vendor ("yealink", "grandstream", "snom", "htek",
 * "polycom", "fanvil"), with its variables, for @host and @port. %NULL for an unknown vendor. */
char *dengon_action_url_example (const char *vendor, const char *host, guint port,
                                 const char *token);

G_END_DECLS
