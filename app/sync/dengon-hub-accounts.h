/* dengon-hub-accounts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DENGON_HUB_ACCOUNTS_FILE    "hub-accounts.json"
#define DENGON_HUB_ACCOUNT_NAME_MAX 64

#define DENGON_TYPE_HUB_ACCOUNTS (dengon_hub_accounts_get_type ())

G_DECLARE_FINAL_TYPE (DengonHubAccounts, dengon_hub_accounts, DENGON, HUB_ACCOUNTS, GObject)

/* The people who may sync with this desk's hub: one account each, the password kept only as a
 * salted PBKDF2 hash, in @path (mode 0600). The file is re-read when another process (the
 * command line) changes it; ::changed is emitted then and after every change made here. */
DengonHubAccounts *dengon_hub_accounts_new (const char *path, GError **error);
DengonHubAccounts *dengon_hub_accounts_new_for_data_dir (const char *data_dir, GError **error);

/* Names are 1–64 characters: ASCII letters, digits, ".", "_", "-" and "@". */
gboolean dengon_hub_accounts_name_is_valid (const char *name);
/* Sorted. */
GStrv dengon_hub_accounts_list (DengonHubAccounts *self);
gboolean dengon_hub_accounts_contains (DengonHubAccounts *self, const char *name);
/* Adds @name, or gives it a new password when @replace is set. Blocks for the hash (about 0.1 s):
 * call it from a worker thread or the command line. */
gboolean dengon_hub_accounts_set (DengonHubAccounts *self, const char *name, const char *password,
                                  gboolean replace, GError **error);
gboolean dengon_hub_accounts_remove (DengonHubAccounts *self, const char *name, GError **error);

void dengon_hub_accounts_set_async (DengonHubAccounts *self, const char *name, const char *password,
                                    gboolean replace, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean dengon_hub_accounts_set_finish (DengonHubAccounts *self, GAsyncResult *result,
                                         GError **error);

/* A recent successful check of the same name and password, without hashing. */
gboolean dengon_hub_accounts_check_cached (DengonHubAccounts *self, const char *name,
                                           const char *password);
/* Checks a password on a worker thread (one check at a time); a success is remembered for a few
 * minutes, until the accounts change. Fails with G_IO_ERROR_BUSY when too many checks wait. */
void dengon_hub_accounts_verify_async (DengonHubAccounts *self, const char *name,
                                       const char *password, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean dengon_hub_accounts_verify_finish (DengonHubAccounts *self, GAsyncResult *result,
                                            GError **error);

G_END_DECLS
