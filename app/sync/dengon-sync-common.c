/* dengon-sync-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-password.h"
#include "dengon-sync-common.h"

/* clang-format off */
G_DEFINE_QUARK (dengon-sync-error-quark, dengon_sync_error)
/* clang-format on */

#define FINGERPRINT_BYTES 32

const DengonJsonLimits *
dengon_sync_json_limits (void)
{
  static const DengonJsonLimits limits = {
    .max_bytes = DENGON_SYNC_MAX_BODY_BYTES,
    .max_depth = DENGON_SYNC_MAX_JSON_DEPTH,
    .max_string_bytes = DENGON_SYNC_MAX_STRING_BYTES,
  };

  return &limits;
}

const char *
dengon_sync_error_get_label (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != DENGON_SYNC_ERROR)
    return _ ("Sync failed");

  switch ((DengonSyncError) error->code)
    {
      case DENGON_SYNC_ERROR_UNAUTHORIZED:
        return _ ("Wrong password");
      case DENGON_SYNC_ERROR_FORBIDDEN:
        return _ ("Access denied");
      case DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN:
        return _ ("Certificate not confirmed");
      case DENGON_SYNC_ERROR_CERTIFICATE_CHANGED:
        return _ ("Certificate changed");
      case DENGON_SYNC_ERROR_UNREACHABLE:
        return _ ("Server unreachable");
      case DENGON_SYNC_ERROR_OFFLINE:
        return _ ("Offline");
      case DENGON_SYNC_ERROR_NOT_FOUND:
        return _ ("Database not found");
      case DENGON_SYNC_ERROR_SERVER:
        return _ ("Server error");
      case DENGON_SYNC_ERROR_PROTOCOL:
      case DENGON_SYNC_ERROR_TOO_LARGE:
        return _ ("Unexpected answer");
      case DENGON_SYNC_ERROR_BAD_URL:
        return _ ("Invalid address");
      case DENGON_SYNC_ERROR_LOCAL:
        return _ ("Database error");
      default:
        return _ ("Sync failed");
    }
}

char *
dengon_tls_certificate_get_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GChecksum) checksum = NULL;
  guint8 digest[FINGERPRINT_BYTES];
  gsize length = sizeof digest;
  GString *text;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &length);

  text = g_string_sized_new (FINGERPRINT_BYTES * 3);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, i > 0 ? ":%02X" : "%02X", digest[i]);

  return g_string_free (text, FALSE);
}

char *
dengon_fingerprint_normalize (const char *text)
{
  GString *out;
  guint digits = 0;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (FINGERPRINT_BYTES * 3);
  for (const char *p = text; *p; p++)
    {
      if (*p == ':' || *p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isxdigit (*p) || digits >= FINGERPRINT_BYTES * 2)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      if (digits > 0 && digits % 2 == 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (*p));
      digits++;
    }

  if (digits != FINGERPRINT_BYTES * 2)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

gboolean
dengon_fingerprint_equal (const char *a, const char *b)
{
  g_autofree char *na = dengon_fingerprint_normalize (a);
  g_autofree char *nb = dengon_fingerprint_normalize (b);

  if (na == NULL || nb == NULL)
    return FALSE;

  return dengon_constant_time_equal ((const guint8 *) na, strlen (na), (const guint8 *) nb,
                                     strlen (nb));
}

gboolean
dengon_sync_host_is_loopback (const char *host)
{
  if (host == NULL)
    return FALSE;

  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_equal (host, "::1") ||
         g_str_equal (host, "[::1]") || g_str_has_prefix (host, "127.");
}

static gboolean
bad_url (GError **error, const char *text, const char *why)
{
  /* The address is not repeated: it may hold a password. */
  g_set_error_literal (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_BAD_URL, why);
  return FALSE;
}

gboolean
dengon_sync_parse_url (const char *text, char **server_out, char **db_out, GError **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *db = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr (GUri) uri = NULL;
  g_auto (GStrv) segments = NULL;
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();
  const char *scheme, *host, *path;
  gboolean bare;
  int port;

  g_return_val_if_fail (text != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return bad_url (error, text, _ ("enter the server’s address"));

  bare = strstr (stripped, "://") == NULL;
  with_scheme = bare ? g_strconcat ("https://", stripped, NULL) : g_strdup (stripped);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (uri == NULL)
    return bad_url (error, text, _ ("this is not a web address"));

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return bad_url (error, text, _ ("the address must start with https:// or http://"));
  if (host == NULL || *host == '\0')
    return bad_url (error, text, _ ("the address has no server name"));
  if (g_uri_get_userinfo (uri) != NULL)
    return bad_url (error, text,
                    _ ("put the user name and password in their own fields, not in the address"));
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return bad_url (error, text, _ ("the address cannot have “?” or “#” parts"));

  port = g_uri_get_port (uri);
  if (port <= 0)
    port = bare ? DENGON_SYNC_DEFAULT_PORT : (g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80);

  path = g_uri_get_path (uri);
  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; segments[i]; i++)
    {
      if (*segments[i] != '\0')
        g_ptr_array_add (kept, segments[i]);
    }

  if (kept->len > 0)
    {
      db = g_uri_unescape_string (g_ptr_array_index (kept, kept->len - 1), NULL);
      if (db == NULL || *db == '\0')
        return bad_url (error, text, _ ("the database name is not valid"));
      g_ptr_array_remove_index (kept, kept->len - 1);
    }
  else
    db = g_strdup (DENGON_SYNC_DEFAULT_DB);

  g_ptr_array_add (kept, NULL);
  prefix = g_strjoinv ("/", (char **) kept->pdata);

  if (server_out != NULL)
    {
      gboolean ipv6 = strchr (host, ':') != NULL;
      g_autofree char *lower = g_ascii_strdown (scheme, -1);

      *server_out = g_strdup_printf ("%s://%s%s%s:%d/%s%s", lower, ipv6 ? "[" : "", host,
                                     ipv6 ? "]" : "", port, prefix, *prefix ? "/" : "");
    }
  if (db_out != NULL)
    *db_out = g_steal_pointer (&db);

  return TRUE;
}

char *
dengon_sync_escape_doc_id (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_has_prefix (id, "_design/") || g_str_has_prefix (id, "_local/"))
    {
      g_autofree char *rest = g_uri_escape_string (strchr (id, '/') + 1, NULL, FALSE);

      return g_strdup_printf ("%.*s/%s", (int) (strchr (id, '/') - id), id, rest);
    }

  return g_uri_escape_string (id, NULL, FALSE);
}

char *
dengon_sync_seq_to_param (JsonNode *seq)
{
  if (seq == NULL || JSON_NODE_HOLDS_NULL (seq))
    return g_strdup ("0");

  if (JSON_NODE_HOLDS_VALUE (seq))
    {
      GType type = json_node_get_value_type (seq);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (seq));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (seq));
    }

  return dengon_json_to_string (seq);
}

void
dengon_sync_set_http_error (GError **error, guint status, GBytes *body, const char *what)
{
  g_autoptr (JsonObject) object = NULL;
  g_autofree char *reason = NULL;
  DengonSyncError code;

  if (body != NULL && g_bytes_get_size (body) > 0 && g_bytes_get_size (body) < 64 * 1024)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      object = dengon_json_parse_object (data, size, NULL, NULL);
    }

  if (object != NULL)
    {
      const char *e = dengon_json_get_string (object, "error");
      const char *r = dengon_json_get_string (object, "reason");

      if (e != NULL || r != NULL)
        reason = g_strdup_printf ("%s%s%s", e ? e : "", e && r ? ": " : "", r ? r : "");
      if (reason != NULL && g_utf8_strlen (reason, -1) > 200)
        {
          char *end = g_utf8_offset_to_pointer (reason, 200);

          *end = '\0';
        }
    }

  switch (status)
    {
      case 401:
        code = DENGON_SYNC_ERROR_UNAUTHORIZED;
        g_set_error (error, DENGON_SYNC_ERROR, code,
                     _ ("The server did not accept the user name or password."));
        return;
      case 403:
        code = DENGON_SYNC_ERROR_FORBIDDEN;
        break;
      case 404:
        code = DENGON_SYNC_ERROR_NOT_FOUND;
        break;
      case 413:
        code = DENGON_SYNC_ERROR_TOO_LARGE;
        break;
      default:
        code = status >= 500 ? DENGON_SYNC_ERROR_SERVER : DENGON_SYNC_ERROR_PROTOCOL;
        break;
    }

  g_set_error (error, DENGON_SYNC_ERROR, code, _ ("%s: the server answered %u%s%s"), what, status,
               reason ? " " : "", reason ? reason : "");
}
