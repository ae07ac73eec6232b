/* dengon-hub-accounts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-hub-accounts.h"
#include "dengon-json.h"
#include "dengon-password.h"

#define CACHE_SECONDS   600
#define MAX_WAITING     16
#define MAX_FILE_BYTES  (4 * 1024 * 1024)
#define CACHE_KEY_BYTES 32

struct _DengonHubAccounts
{
  GObject parent_instance;

  char *path;
  GFileMonitor *monitor;

  /* name -> hash; guarded by lock (checks run on a worker thread) */
  GMutex lock;
  GHashTable *hashes;
  /* HMAC (cache_key, name:password) -> expiry (monotonic µs) */
  GHashTable *cache;
  guint8 cache_key[CACHE_KEY_BYTES];
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DengonHubAccounts, dengon_hub_accounts, G_TYPE_OBJECT)

static gboolean load (DengonHubAccounts *self, GError **error);

static void
on_file_changed (GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
                 DengonHubAccounts *self)
{
  g_autoptr (GError) error = NULL;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_DELETED &&
      event != G_FILE_MONITOR_EVENT_CREATED && event != G_FILE_MONITOR_EVENT_MOVED_IN &&
      event != G_FILE_MONITOR_EVENT_RENAMED)
    return;

  if (!load (self, &error))
    {
      g_warning ("Hub accounts not reloaded: %s", error->message);
      return;
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
dengon_hub_accounts_finalize (GObject *object)
{
  DengonHubAccounts *self = (DengonHubAccounts *) object;

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_clear_pointer (&self->hashes, g_hash_table_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  memset (self->cache_key, 0, sizeof self->cache_key);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dengon_hub_accounts_parent_class)->finalize (object);
}

static void
dengon_hub_accounts_class_init (DengonHubAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dengon_hub_accounts_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
dengon_hub_accounts_init (DengonHubAccounts *self)
{
  g_mutex_init (&self->lock);
  self->hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  dengon_random_bytes (self->cache_key, sizeof self->cache_key);
}

gboolean
dengon_hub_accounts_name_is_valid (const char *name)
{
  gsize length;

  if (name == NULL)
    return FALSE;

  length = strlen (name);
  if (length == 0 || length > DENGON_HUB_ACCOUNT_NAME_MAX)
    return FALSE;

  for (const char *p = name; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-' && *p != '@')
        return FALSE;
    }

  return TRUE;
}

static gboolean
load (DengonHubAccounts *self, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonObject) root = NULL;
  g_autoptr (GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  DengonJsonLimits limits = { .max_bytes = MAX_FILE_BYTES,
                              .max_depth = 8,
                              .max_string_bytes = 4096 };
  JsonArray *accounts;
  gsize length = 0;

  if (!g_file_get_contents (self->path, &text, &length, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  else
    {
      root = dengon_json_parse_object (text, length, &limits, &local_error);
      if (root == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", self->path,
                       local_error->message);
          return FALSE;
        }

      accounts = dengon_json_get_array (root, "accounts");
      for (guint i = 0; accounts != NULL && i < json_array_get_length (accounts); i++)
        {
          JsonNode *node = json_array_get_element (accounts, i);
          JsonObject *account = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *name = dengon_json_get_string (account, "name");
          const char *hash = dengon_json_get_string (account, "hash");

          if (!dengon_hub_accounts_name_is_valid (name) || !dengon_password_hash_is_valid (hash))
            {
              g_warning ("%s: account %u is not valid; it is ignored", self->path, i);
              continue;
            }
          g_hash_table_replace (hashes, g_strdup (name), g_strdup (hash));
        }
    }

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->hashes, g_hash_table_unref);
  self->hashes = g_steal_pointer (&hashes);
  g_hash_table_remove_all (self->cache);
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Sorted names, pointing into @hashes. */
static GPtrArray *
sorted_names (GHashTable *hashes)
{
  GPtrArray *names = g_ptr_array_sized_new (g_hash_table_size (hashes));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, hashes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_names);

  return names;
}

/* Called with the lock held. */
static gboolean
save_locked (DengonHubAccounts *self, GError **error)
{
  g_autoptr (JsonObject) root = json_object_new ();
  g_autoptr (GPtrArray) names = sorted_names (self->hashes);
  g_autofree char *text = NULL;
  JsonArray *accounts = json_array_new ();

  for (guint i = 0; i < names->len; i++)
    {
      JsonObject *account = json_object_new ();
      const char *name = g_ptr_array_index (names, i);

      json_object_set_string_member (account, "name", name);
      json_object_set_string_member (account, "hash", g_hash_table_lookup (self->hashes, name));
      json_array_add_object_element (accounts, account);
    }
  json_object_set_int_member (root, "version", 1);
  json_object_set_array_member (root, "accounts", accounts);
  text = dengon_json_object_to_string (root);

  return g_file_set_contents_full (self->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

DengonHubAccounts *
dengon_hub_accounts_new (const char *path, GError **error)
{
  g_autoptr (DengonHubAccounts) self = NULL;
  g_autoptr (GFile) file = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DENGON_TYPE_HUB_ACCOUNTS, NULL);
  self->path = g_strdup (path);

  if (!load (self, error))
    return NULL;

  file = g_file_new_for_path (path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->monitor != NULL)
    g_signal_connect (self->monitor, "changed", G_CALLBACK (on_file_changed), self);

  return g_steal_pointer (&self);
}

DengonHubAccounts *
dengon_hub_accounts_new_for_data_dir (const char *data_dir, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  path = g_build_filename (data_dir, DENGON_HUB_ACCOUNTS_FILE, NULL);

  return dengon_hub_accounts_new (path, error);
}

GStrv
dengon_hub_accounts_list (DengonHubAccounts *self)
{
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DENGON_IS_HUB_ACCOUNTS (self), NULL);

  g_mutex_lock (&self->lock);
  names = sorted_names (self->hashes);
  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  g_mutex_unlock (&self->lock);

  return g_strv_builder_end (builder);
}

gboolean
dengon_hub_accounts_contains (DengonHubAccounts *self, const char *name)
{
  gboolean found;

  g_return_val_if_fail (DENGON_IS_HUB_ACCOUNTS (self), FALSE);

  g_mutex_lock (&self->lock);
  found = name != NULL && g_hash_table_contains (self->hashes, name);
  g_mutex_unlock (&self->lock);

  return found;
}

static gboolean
emit_changed_idle (gpointer data)
{
  g_signal_emit (data, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
schedule_changed (DengonHubAccounts *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_changed_idle, g_object_ref (self), g_object_unref);
}

gboolean
dengon_hub_accounts_set (DengonHubAccounts *self, const char *name, const char *password,
                         gboolean replace, GError **error)
{
  g_autofree char *hash = NULL;
  gboolean ok;

  g_return_val_if_fail (DENGON_IS_HUB_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!dengon_hub_accounts_name_is_valid (name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” cannot be a login name: use 1–64 letters (a–z, A–Z), digits, “.”, "
                      "“_”, “-” or “@”."),
                   name ? name : "");
      return FALSE;
    }

  if (g_utf8_strlen (password, -1) < DENGON_PASSWORD_MIN_LENGTH ||
      strlen (password) > DENGON_PASSWORD_MAX_LENGTH || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("The password must have at least %d characters."),
                   DENGON_PASSWORD_MIN_LENGTH);
      return FALSE;
    }

  if (!replace && dengon_hub_accounts_contains (self, name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _ ("There is already an account “%s”."),
                   name);
      return FALSE;
    }

  hash = dengon_password_hash (password, 0);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->hashes, g_strdup (name), g_steal_pointer (&hash));
  g_hash_table_remove_all (self->cache);
  ok = save_locked (self, error);
  g_mutex_unlock (&self->lock);

  if (ok)
    schedule_changed (self);

  return ok;
}

gboolean
dengon_hub_accounts_remove (DengonHubAccounts *self, const char *name, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (DENGON_IS_HUB_ACCOUNTS (self), FALSE);

  g_mutex_lock (&self->lock);
  if (name == NULL || !g_hash_table_remove (self->hashes, name))
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("There is no account “%s”."),
                   name ? name : "");
      return FALSE;
    }
  g_hash_table_remove_all (self->cache);
  ok = save_locked (self, error);
  g_mutex_unlock (&self->lock);

  if (ok)
    schedule_changed (self);

  return ok;
}

typedef struct
{
  char *name;
  char *password;
  gboolean replace;
} SetData;

static void
set_data_free (SetData *data)
{
  g_free (data->name);
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

static void
set_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SetData *data = task_data;
  GError *error = NULL;

  if (dengon_hub_accounts_set (source, data->name, data->password, data->replace, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
dengon_hub_accounts_set_async (DengonHubAccounts *self, const char *name, const char *password,
                               gboolean replace, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  SetData *data;

  g_return_if_fail (DENGON_IS_HUB_ACCOUNTS (self));

  data = g_new0 (SetData, 1);
  data->name = g_strdup (name);
  data->password = g_strdup (password);
  data->replace = replace;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dengon_hub_accounts_set_async);
  g_task_set_task_data (task, data, (GDestroyNotify) set_data_free);
  g_task_run_in_thread (task, set_in_thread);
}

gboolean
dengon_hub_accounts_set_finish (DengonHubAccounts *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The cache never holds a password: only a keyed HMAC of it, with a key made at start. */
static char *
cache_key_for (DengonHubAccounts *self, const char *name, const char *password)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->cache_key, sizeof self->cache_key);

  g_hmac_update (hmac, (const guchar *) name, strlen (name) + 1);
  g_hmac_update (hmac, (const guchar *) password, strlen (password));

  return g_strdup (g_hmac_get_string (hmac));
}

gboolean
dengon_hub_accounts_check_cached (DengonHubAccounts *self, const char *name, const char *password)
{
  g_autofree char *key = NULL;
  gint64 *expiry;
  gboolean found = FALSE;

  g_return_val_if_fail (DENGON_IS_HUB_ACCOUNTS (self), FALSE);

  if (name == NULL || password == NULL)
    return FALSE;

  key = cache_key_for (self, name, password);

  g_mutex_lock (&self->lock);
  expiry = g_hash_table_lookup (self->cache, key);
  if (expiry != NULL)
    {
      if (*expiry > g_get_monotonic_time () && g_hash_table_contains (self->hashes, name))
        found = TRUE;
      else
        g_hash_table_remove (self->cache, key);
    }
  g_mutex_unlock (&self->lock);

  return found;
}

static void
verify_in_pool (gpointer data, gpointer user_data)
{
  g_autoptr (GTask) task = data;
  DengonHubAccounts *self = g_task_get_source_object (task);
  SetData *request = g_task_get_task_data (task);
  g_autofree char *hash = NULL;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&self->lock);
  hash = g_strdup (g_hash_table_lookup (self->hashes, request->name));
  g_mutex_unlock (&self->lock);

  /* An unknown name costs the same as a wrong password. */
  ok = dengon_password_verify (
           request->password,
           hash ? hash
                : "pbkdf2-sha256$" G_STRINGIFY (
                      DENGON_PASSWORD_ITERATIONS) "$AAAAAAAAAAAAAAAAAAAAAA==$"
                                                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") &&
       hash != NULL;

  if (ok)
    {
      gint64 *expiry = g_new (gint64, 1);

      *expiry = g_get_monotonic_time () + CACHE_SECONDS * G_USEC_PER_SEC;
      g_mutex_lock (&self->lock);
      /* Only if the account did not change while the hash ran. */
      if (g_strcmp0 (g_hash_table_lookup (self->hashes, request->name), hash) == 0)
        g_hash_table_replace (self->cache, cache_key_for (self, request->name, request->password),
                              expiry);
      else
        {
          g_free (expiry);
          ok = FALSE;
        }
      g_mutex_unlock (&self->lock);
    }

  g_task_return_boolean (task, ok);
}

/* One check at a time, for the whole process: a flood of wrong passwords cannot take every core.
 * The pool lives as long as the process (an account object may end on one of its threads). */
static GThreadPool *
get_verify_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (verify_in_pool, NULL, 1, FALSE, NULL));

  return pool;
}

void
dengon_hub_accounts_verify_async (DengonHubAccounts *self, const char *name, const char *password,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  SetData *data;

  g_return_if_fail (DENGON_IS_HUB_ACCOUNTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dengon_hub_accounts_verify_async);

  if (name == NULL || password == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (g_thread_pool_unprocessed (get_verify_pool ()) >= MAX_WAITING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "too many password checks");
      return;
    }

  data = g_new0 (SetData, 1);
  data->name = g_strdup (name);
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) set_data_free);
  g_thread_pool_push (get_verify_pool (), g_steal_pointer (&task), NULL);
}

gboolean
dengon_hub_accounts_verify_finish (DengonHubAccounts *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
