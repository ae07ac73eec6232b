/* dengon-secrets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "dengon-secrets.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID ".Secret",
    SECRET_SCHEMA_NONE,
    {
        { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "NULL", 0 },
    },
  };

  return &schema;
}

#define ATTRIBUTES(profile, kind, account) \
  "profile", (profile) ? (profile) : "", "kind", (kind), "account", (account) ? (account) : ""

gboolean
dengon_secrets_store_sync (const char *profile, const char *kind, const char *account,
                           const char *label, const char *secret, GCancellable *cancellable,
                           GError **error)
{
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  return secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                     cancellable, error, ATTRIBUTES (profile, kind, account), NULL);
}

char *
dengon_secrets_lookup_sync (const char *profile, const char *kind, const char *account,
                            GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (kind != NULL, NULL);

  return secret_password_lookup_sync (get_schema (), cancellable, error,
                                      ATTRIBUTES (profile, kind, account), NULL);
}

gboolean
dengon_secrets_clear_sync (const char *profile, const char *kind, const char *account,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (kind != NULL, FALSE);

  /* Clearing what is not there is not an error. */
  secret_password_clear_sync (get_schema (), cancellable, &local_error,
                              ATTRIBUTES (profile, kind, account), NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dengon_secrets_store_async (const char *profile, const char *kind, const char *account,
                            const char *label, const char *secret, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, dengon_secrets_store_async);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                         on_stored, task, ATTRIBUTES (profile, kind, account), NULL);
}

gboolean
dengon_secrets_store_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
dengon_secrets_lookup_async (const char *profile, const char *kind, const char *account,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, dengon_secrets_lookup_async);
  secret_password_lookup (get_schema (), cancellable, on_looked_up, task,
                          ATTRIBUTES (profile, kind, account), NULL);
}

/* NULL without an error when there is no such secret. */
char *
dengon_secrets_lookup_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* 128 random bits as 32 hex digits: tokens that are only ever compared. */
char *
dengon_secrets_generate_token (void)
{
  guint8 random[16];
  GString *out = g_string_sized_new (32);
  g_autoptr (GFile) file = g_file_new_for_path ("/dev/urandom");
  g_autoptr (GFileInputStream) stream = g_file_read (file, NULL, NULL);
  gsize n = 0;

  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), random, sizeof random, &n, NULL, NULL) ||
      n != sizeof random)
    {
      /* GLib's generator is seeded from /dev/urandom too. */
      for (guint i = 0; i < sizeof random; i++)
        random[i] = g_random_int_range (0, 256);
    }

  for (guint i = 0; i < sizeof random; i++)
    g_string_append_printf (out, "%02x", random[i]);

  return g_string_free (out, FALSE);
}
