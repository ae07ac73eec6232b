/* dengon-hub-certificate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "dengon-hub-certificate.h"
#include "dengon-password.h"

#define VALID_YEARS 20

static gboolean
check (int rc, const char *what, GError **error)
{
  if (rc >= 0)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _ ("Could not make the hub’s certificate (%s: %s)."), what, gnutls_strerror (rc));
  return FALSE;
}

static char *
datum_to_string (gnutls_datum_t *datum)
{
  char *text = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;

  return text;
}

gboolean
dengon_hub_certificate_generate (const char *common_name, char **certificate_pem, char **key_pem,
                                 GError **error)
{
  static const guint8 loopback4[4] = { 127, 0, 0, 1 };
  static const guint8 loopback6[16] = { [15] = 1 };
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { 0 };
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  time_t now = time (NULL);
  g_autofree char *cert_text = NULL;
  g_autofree char *key_text = NULL;
  gboolean ok;

  g_return_val_if_fail (common_name != NULL, FALSE);

  dengon_random_bytes (serial, sizeof serial);
  serial[0] &= 0x7f; /* a positive serial number */
  serial[0] |= 0x01;

  ok = check (gnutls_x509_privkey_init (&key), "key", error) &&
       check (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                            GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
              "key", error) &&
       check (gnutls_x509_crt_init (&crt), "certificate", error) &&
       check (gnutls_x509_crt_set_version (crt, 3), "version", error) &&
       check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) &&
       check (gnutls_x509_crt_set_activation_time (crt, now - 24 * 3600), "time", error) &&
       check (
           gnutls_x509_crt_set_expiration_time (crt, now + (time_t) VALID_YEARS * 365 * 24 * 3600),
           "time", error) &&
       check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                             strlen (common_name)),
              "name", error) &&
       check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                             "Dengon hub", strlen ("Dengon hub")),
              "name", error) &&
       check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, common_name,
                                                    strlen (common_name), GNUTLS_FSAN_APPEND),
              "names", error) &&
       check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                                    strlen ("localhost"), GNUTLS_FSAN_APPEND),
              "names", error) &&
       check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback4,
                                                    sizeof loopback4, GNUTLS_FSAN_APPEND),
              "names", error) &&
       check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback6,
                                                    sizeof loopback6, GNUTLS_FSAN_APPEND),
              "names", error) &&
       check (gnutls_x509_crt_set_key (crt, key), "key", error) &&
       check (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "constraints", error) &&
       check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "usage", error) &&
       check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose",
              error) &&
       check (gnutls_x509_crt_get_key_id (crt, 0, key_id, &key_id_size), "key id", error) &&
       check (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size), "key id", error) &&
       check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "signature", error);

  if (ok && check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &datum), "export", error))
    cert_text = datum_to_string (&datum);
  else
    ok = FALSE;

  if (ok && check (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                      GNUTLS_PKCS_PLAIN, &datum),
                   "export", error))
    key_text = datum_to_string (&datum);
  else
    ok = FALSE;

  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);

  if (!ok)
    return FALSE;

  *certificate_pem = g_steal_pointer (&cert_text);
  *key_pem = g_steal_pointer (&key_text);

  return TRUE;
}

GTlsCertificate *
dengon_hub_certificate_ensure (const char *data_dir, GError **error)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *host = NULL;
  GTlsCertificate *certificate;

  g_return_val_if_fail (data_dir != NULL, NULL);

  cert_path = g_build_filename (data_dir, DENGON_HUB_CERTIFICATE_FILE, NULL);
  key_path = g_build_filename (data_dir, DENGON_HUB_KEY_FILE, NULL);

  if (!g_file_test (cert_path, G_FILE_TEST_EXISTS) || !g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      host = g_ascii_strdown (g_get_host_name (), -1);
      if (!dengon_hub_certificate_generate (host, &cert_pem, &key_pem, error))
        return NULL;

      /* The key first: a certificate without its key would never be replaced. */
      if (g_mkdir_with_parents (data_dir, 0700) != 0 ||
          !g_file_set_contents_full (key_path, key_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     error) ||
          !g_file_set_contents_full (cert_path, cert_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                     error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                         _ ("Could not create the data folder “%s”: %s"), data_dir,
                         g_strerror (errno));
          return NULL;
        }
      memset (key_pem, 0, strlen (key_pem));
    }

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, error);
  if (certificate == NULL)
    g_prefix_error (error, _ ("The hub’s certificate in “%s” cannot be used: "), data_dir);

  return certificate;
}
