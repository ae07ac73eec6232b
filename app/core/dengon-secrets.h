/* dengon-secrets.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Secrets live in the desktop keyring (libsecret), never in files or logs.
 * Each is found by its kind ("action-url-token", "sync-password"), the
 * account it belongs to (a server URL and user, or "" ) and the profile
 * (the data folder), so two profiles never share one. */

gboolean dengon_secrets_store_sync (const char *profile, const char *kind, const char *account,
                                    const char *label, const char *secret,
                                    GCancellable *cancellable, GError **error);
char *dengon_secrets_lookup_sync (const char *profile, const char *kind, const char *account,
                                  GCancellable *cancellable, GError **error);
gboolean dengon_secrets_clear_sync (const char *profile, const char *kind, const char *account,
                                    GCancellable *cancellable, GError **error);

void dengon_secrets_store_async (const char *profile, const char *kind, const char *account,
                                 const char *label, const char *secret, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean dengon_secrets_store_finish (GAsyncResult *result, GError **error);
void dengon_secrets_lookup_async (const char *profile, const char *kind, const char *account,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
char *dengon_secrets_lookup_finish (GAsyncResult *result, GError **error);

char *dengon_secrets_generate_token (void);

G_END_DECLS
