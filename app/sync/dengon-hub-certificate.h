/* dengon-hub-certificate.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DENGON_HUB_CERTIFICATE_FILE "hub-certificate.pem"
#define DENGON_HUB_KEY_FILE         "hub-key.pem"

/* The hub's TLS certificate: "hub-certificate.pem" and "hub-key.pem" (mode 0600) in @data_dir,
 * made on the first call (a self-signed ECDSA P-256 certificate, valid for 20 years, for this
 * host's name, "localhost", 127.0.0.1 and ::1). Colleagues trust it by its fingerprint. */
GTlsCertificate *dengon_hub_certificate_ensure (const char *data_dir, GError **error);

/* Makes a new self-signed certificate and key, PEM encoded. */
gboolean dengon_hub_certificate_generate (const char *common_name, char **certificate_pem,
                                          char **key_pem, GError **error);

G_END_DECLS
