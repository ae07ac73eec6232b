/* dengon-sync-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-json.h"

G_BEGIN_DECLS

#define DENGON_SYNC_ERROR (dengon_sync_error_quark ())

typedef enum
{
  DENGON_SYNC_ERROR_UNAUTHORIZED,        /* wrong user name or password (401) */
  DENGON_SYNC_ERROR_FORBIDDEN,           /* the account may not do this (403) */
  DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN, /* a certificate nobody confirmed yet */
  DENGON_SYNC_ERROR_CERTIFICATE_CHANGED, /* not the certificate that was confirmed */
  DENGON_SYNC_ERROR_UNREACHABLE,         /* no answer: host down, refused, timed out */
  DENGON_SYNC_ERROR_OFFLINE,             /* this computer has no network */
  DENGON_SYNC_ERROR_NOT_FOUND,           /* the database is not on the server */
  DENGON_SYNC_ERROR_SERVER,              /* the server failed (5xx) */
  DENGON_SYNC_ERROR_PROTOCOL,            /* an answer that is not CouchDB's */
  DENGON_SYNC_ERROR_TOO_LARGE,           /* an answer over the size limit */
  DENGON_SYNC_ERROR_BAD_URL,             /* the address cannot be used */
  DENGON_SYNC_ERROR_LOCAL,               /* this desk's database failed */
} DengonSyncError;

/* The database a hub serves, and the one a bare server address means. */
#define DENGON_SYNC_DEFAULT_DB   "dengon"
#define DENGON_SYNC_DEFAULT_PORT 6984

/* What goes over the wire is bounded: requests on the hub, answers on the client. */
#define DENGON_SYNC_MAX_BODY_BYTES     (32 * 1024 * 1024)
#define DENGON_SYNC_MAX_DOC_BYTES      (1024 * 1024)
#define DENGON_SYNC_MAX_JSON_DEPTH     32
#define DENGON_SYNC_MAX_STRING_BYTES   (256 * 1024)
#define DENGON_SYNC_MAX_BATCH_DOCS     2000
#define DENGON_SYNC_MAX_REVS_DIFF_REVS 20000
#define DENGON_SYNC_MAX_CHANGES_LIMIT  10000

GQuark dengon_sync_error_quark (void);

/* The JSON limits for anything a peer sends. */
const DengonJsonLimits *dengon_sync_json_limits (void);

/* A few words for people, translated ("Wrong password", "Server unreachable"); the error's own
 * message has the details. */
const char *dengon_sync_error_get_label (const GError *error);

/* "AB:CD:…" (upper-case hex pairs) of the SHA-256 of the certificate's DER encoding. */
char *dengon_tls_certificate_get_fingerprint (GTlsCertificate *certificate);
/* Accepts hex with or without colons or spaces, any case; %NULL unless it is 32 bytes. */
char *dengon_fingerprint_normalize (const char *text);
gboolean dengon_fingerprint_equal (const char *a, const char *b);

/* Splits a server address into what the replicator needs. Accepts "host", "host:port",
 * "https://host[:port][/prefix]/db" and "http://…"; a missing scheme means https, a missing port
 * on a bare host DENGON_SYNC_DEFAULT_PORT, a missing database DENGON_SYNC_DEFAULT_DB. User
 * information in the address is refused (passwords never go into settings). @server_out gets
 * "scheme://host:port/prefix/" (ending in "/"), @db_out the database name (not escaped). */
gboolean dengon_sync_parse_url (const char *text, char **server_out, char **db_out, GError **error);
/* Whether @host is 127.0.0.0/8, ::1 or "localhost". */
gboolean dengon_sync_host_is_loopback (const char *host);

/* A document id as a path segment: percent-encoded, "_design/" and "_local/" kept. */
char *dengon_sync_escape_doc_id (const char *id);

/* A sequence (any JSON value) as the "since" query value: strings as they are, numbers as
 * digits, anything else as JSON. */
char *dengon_sync_seq_to_param (JsonNode *seq);

/* An error from an HTTP status and CouchDB's {"error","reason"} body (may be %NULL). */
void dengon_sync_set_http_error (GError **error, guint status, GBytes *body, const char *what);

G_END_DECLS
