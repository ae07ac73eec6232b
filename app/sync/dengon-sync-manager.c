/* dengon-sync-manager.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "dengon-couch-client.h"
#include "dengon-hub-certificate.h"
#include "dengon-hub-cli.h"
#include "dengon-json.h"
#include "dengon-secrets.h"
#include "dengon-sync-common.h"
#include "dengon-sync-enums.h"
#include "dengon-sync-manager.h"

#define SECRET_KIND "sync-password"

struct _DengonSyncManager
{
  GObject parent_instance;

  /* Owned */
  DengonStore *store;
  GSettings *settings;
  char *data_dir;
  DengonConflictResolver *resolver;
  DengonHubAccounts *accounts;
  DengonHub *hub;
  DengonReplicator *replicator;
  GCancellable *lookup;
  GError *setup_error;
  char *hub_error;
  char *hub_key;    /* address and port the hub listens on */
  char *client_key; /* url, user and certificate the replicator was made for */
  char *status_label;
  char *detail;

  DengonSyncStatus status;
  guint pending;
  int hub_lock;
  guint reconfigure_id;
  gulong settings_id;
};

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_DETAIL,
  PROP_PENDING,
  PROP_HUB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DengonSyncManager, dengon_sync_manager, G_TYPE_OBJECT)

static char *
secret_account (const char *url, const char *user)
{
  return g_strdup_printf ("%s %s", url, user);
}

/* ------------------------------------------------------------------ status */

static char *
format_time (gint64 usec)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%H:%M");

  /* Translators: a date and time, strftime format */
  /* xgettext:no-c-format */
  return g_date_time_format (when, _ ("%b %-d, %H:%M"));
}

static void
update_status (DengonSyncManager *self)
{
  DengonSyncStatus status = DENGON_SYNC_STATUS_OFF;
  g_autofree char *label = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *last = NULL;
  guint pending = 0;

  if (self->replicator != NULL)
    {
      const GError *error = dengon_replicator_get_error (self->replicator);
      gint64 success = dengon_replicator_get_last_success (self->replicator);

      pending = dengon_replicator_get_pending (self->replicator);
      if (success > 0)
        last = format_time (success);

      switch (dengon_replicator_get_state (self->replicator))
        {
          case DENGON_REPLICATOR_STATE_CONNECTING:
            status = DENGON_SYNC_STATUS_CONNECTING;
            label = g_strdup (_ ("Connecting…"));
            detail = g_strdup (_ ("Connecting to the server."));
            break;

          case DENGON_REPLICATOR_STATE_SYNCING:
            status = DENGON_SYNC_STATUS_SYNCING;
            /* Translators: the number of documents still to send or receive */
            label = pending > 0 ? g_strdup_printf (_ ("Syncing %u"), pending)
                                : g_strdup (_ ("Syncing"));
            detail = g_strdup_printf (
                g_dngettext (GETTEXT_PACKAGE, "%u change waiting to be sent or received.",
                             "%u changes waiting to be sent or received.", pending),
                pending);
            break;

          case DENGON_REPLICATOR_STATE_SYNCED:
            status = DENGON_SYNC_STATUS_SYNCED;
            label = g_strdup (_ ("Synced"));
            detail = g_strdup_printf (_ ("Up to date with the server (last checked at %s)."),
                                      last ? last : "—");
            break;

          case DENGON_REPLICATOR_STATE_OFFLINE:
            status = DENGON_SYNC_STATUS_OFFLINE;
            label = g_strdup (_ ("Offline"));
            detail = g_strdup (_ ("This computer is not connected to a network. Messages are "
                                  "kept here and sent when it is back."));
            break;

          case DENGON_REPLICATOR_STATE_ERROR:
            status = DENGON_SYNC_STATUS_ERROR;
            label = g_strdup (error ? dengon_sync_error_get_label (error) : _ ("Sync failed"));
            if (last != NULL)
              /* Translators: an error message, then the time of the last successful sync */
              detail = g_strdup_printf (_ ("%s Last synced at %s. Dengon keeps trying."),
                                        error ? error->message : "", last);
            else
              detail = g_strdup_printf (_ ("%s Dengon keeps trying."), error ? error->message : "");
            break;

          case DENGON_REPLICATOR_STATE_STOPPED:
          default:
            status = DENGON_SYNC_STATUS_CONNECTING;
            label = g_strdup (_ ("Connecting…"));
            detail = g_strdup (_ ("Connecting to the server."));
            break;
        }
    }
  else if (self->setup_error != NULL)
    {
      status = DENGON_SYNC_STATUS_ERROR;
      label = g_strdup (
          g_error_matches (self->setup_error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNAUTHORIZED)
              ? _ ("Password needed")
              : dengon_sync_error_get_label (self->setup_error));
      detail = g_strdup (self->setup_error->message);
    }
  else if (self->lookup != NULL)
    {
      status = DENGON_SYNC_STATUS_CONNECTING;
      label = g_strdup (_ ("Connecting…"));
      detail = g_strdup (_ ("Connecting to the server."));
    }

  /* The hub's own trouble comes first: colleagues depend on it. */
  if (self->hub_error != NULL)
    {
      status = DENGON_SYNC_STATUS_ERROR;
      g_free (label);
      label = g_strdup (_ ("Hub stopped"));
      g_free (detail);
      detail = g_strdup (self->hub_error);
    }
  else if (status == DENGON_SYNC_STATUS_OFF && self->hub != NULL &&
           dengon_hub_get_listening (self->hub))
    {
      g_auto (GStrv) urls = dengon_hub_get_urls (self->hub);

      status = DENGON_SYNC_STATUS_HUB;
      g_free (label);
      label = g_strdup (_ ("Office hub"));
      g_free (detail);
      detail = g_strdup_printf (_ ("Colleagues sync with this desk at %s."),
                                urls && urls[0] ? urls[0] : "");
    }

  if (label == NULL)
    label = g_strdup ("");
  if (detail == NULL)
    detail = g_strdup ("");

  g_object_freeze_notify (G_OBJECT (self));
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->status_label, label) != 0)
    {
      g_free (self->status_label);
      self->status_label = g_steal_pointer (&label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
    }
  if (g_strcmp0 (self->detail, detail) != 0)
    {
      g_free (self->detail);
      self->detail = g_steal_pointer (&detail);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
    }
  if (self->pending != pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* ------------------------------------------------------------------ the hub */

static void
stop_hub (DengonSyncManager *self)
{
  if (self->hub != NULL)
    {
      dengon_hub_stop (self->hub);
      g_clear_object (&self->hub);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HUB]);
    }

  if (self->hub_lock >= 0)
    close (self->hub_lock);
  self->hub_lock = -1;
}

static void
configure_hub (DengonSyncManager *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "hub-enabled");
  g_autofree char *address = g_settings_get_string (self->settings, "hub-address");
  int port = g_settings_get_int (self->settings, "hub-port");
  g_autofree char *key = g_strdup_printf ("%s:%d", address, port);
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GError) error = NULL;
  DengonHubAccounts *accounts;

  if (!wanted)
    {
      stop_hub (self);
      g_clear_pointer (&self->hub_error, g_free);
      g_clear_pointer (&self->hub_key, g_free);
      return;
    }

  if (self->hub != NULL && g_strcmp0 (key, self->hub_key) == 0)
    return;

  stop_hub (self);
  g_clear_pointer (&self->hub_error, g_free);
  g_free (self->hub_key);
  self->hub_key = g_steal_pointer (&key);

  accounts = dengon_sync_manager_get_accounts (self);
  certificate = dengon_hub_certificate_ensure (self->data_dir, &error);
  if (accounts == NULL || certificate == NULL)
    {
      self->hub_error =
          g_strdup (error ? error->message : _ ("The hub’s accounts cannot be read."));
      return;
    }
  self->hub_lock = dengon_hub_lock_data_dir (self->data_dir, &error);
  if (self->hub_lock < 0)
    {
      self->hub_error = g_strdup (error->message);
      return;
    }

  self->hub = dengon_hub_new (self->store, accounts, certificate);
  if (!dengon_hub_listen (self->hub, *address ? address : NULL, port, &error))
    {
      self->hub_error = g_strdup (error->message);
      g_warning ("%s", error->message);
      stop_hub (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HUB]);
}

/* ------------------------------------------------------------------ the replication */

static void
on_replicator_notify (GObject *object, GParamSpec *pspec, DengonSyncManager *self)
{
  update_status (self);
}

static void
stop_replicator (DengonSyncManager *self)
{
  g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);

  if (self->replicator == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->replicator, self);
  dengon_replicator_stop (self->replicator);
  g_clear_object (&self->replicator);
}

static char *
client_key (DengonSyncManager *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "sync-url");
  g_autofree char *user = g_settings_get_string (self->settings, "sync-user");
  g_autofree char *certificate = g_settings_get_string (self->settings, "sync-certificate");

  if (!g_settings_get_boolean (self->settings, "sync-enabled") || *url == '\0')
    return NULL;

  return g_strdup_printf ("%s\n%s\n%s", url, user, certificate);
}

static void
on_password (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (DengonSyncManager) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = dengon_secrets_lookup_finish (result, &error);
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  g_autofree char *certificate = NULL;
  g_autoptr (DengonCouchClient) client = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->lookup);

  url = g_settings_get_string (self->settings, "sync-url");
  user = g_settings_get_string (self->settings, "sync-user");
  certificate = g_settings_get_string (self->settings, "sync-certificate");

  g_clear_error (&self->setup_error);
  if (error != NULL)
    self->setup_error =
        g_error_new (DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_LOCAL,
                     _ ("The password cannot be read from the keyring: %s"), error->message);
  else if (password == NULL && *user != '\0')
    self->setup_error = g_error_new_literal (
        DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNAUTHORIZED,
        _ ("No password is kept for this server: enter it in Preferences → Sync."));
  else
    client = dengon_couch_client_new (url, user, password, certificate, &self->setup_error);

  if (password != NULL)
    memset (password, 0, strlen (password));

  if (client != NULL)
    {
      self->replicator = dengon_replicator_new (self->store, client, DENGON_REPLICATOR_BOTH);
      g_signal_connect (self->replicator, "notify", G_CALLBACK (on_replicator_notify), self);
      dengon_replicator_start (self->replicator);
    }

  update_status (self);
}

static void
configure_replicator (DengonSyncManager *self)
{
  g_autofree char *key = client_key (self);
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  g_autofree char *account = NULL;

  if (key != NULL && g_strcmp0 (key, self->client_key) == 0 &&
      (self->replicator != NULL || self->lookup != NULL))
    return;

  stop_replicator (self);
  g_clear_error (&self->setup_error);
  g_free (self->client_key);
  self->client_key = g_steal_pointer (&key);
  if (self->client_key == NULL)
    return;

  url = g_settings_get_string (self->settings, "sync-url");
  user = g_settings_get_string (self->settings, "sync-user");
  account = secret_account (url, user);
  self->lookup = g_cancellable_new ();
  dengon_secrets_lookup_async (self->data_dir, SECRET_KIND, account, self->lookup, on_password,
                               g_object_ref (self));
}

static gboolean
on_reconfigure (gpointer data)
{
  DengonSyncManager *self = data;

  self->reconfigure_id = 0;
  configure_hub (self);
  configure_replicator (self);
  update_status (self);

  return G_SOURCE_REMOVE;
}

static void
on_settings_changed (GSettings *settings, const char *key, DengonSyncManager *self)
{
  if (!g_str_has_prefix (key, "hub-") && !g_str_has_prefix (key, "sync-"))
    return;

  /* Several keys change at once when a person connects: one reconfiguration. */
  if (self->reconfigure_id == 0)
    self->reconfigure_id = g_idle_add (on_reconfigure, self);
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_sync_manager_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonSyncManager *self = DENGON_SYNC_MANAGER (object);

  switch (prop_id)
    {
      case PROP_STATUS:
        g_value_set_enum (value, self->status);
        break;

      case PROP_STATUS_LABEL:
        g_value_set_string (value, self->status_label);
        break;

      case PROP_DETAIL:
        g_value_set_string (value, self->detail);
        break;

      case PROP_PENDING:
        g_value_set_uint (value, self->pending);
        break;

      case PROP_HUB:
        g_value_set_object (value, self->hub);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_sync_manager_dispose (GObject *object)
{
  DengonSyncManager *self = (DengonSyncManager *) object;

  g_clear_handle_id (&self->reconfigure_id, g_source_remove);
  g_clear_signal_handler (&self->settings_id, self->settings);
  stop_replicator (self);
  stop_hub (self);
  g_clear_object (&self->resolver);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (dengon_sync_manager_parent_class)->dispose (object);
}

static void
dengon_sync_manager_finalize (GObject *object)
{
  DengonSyncManager *self = (DengonSyncManager *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_error (&self->setup_error);
  g_free (self->data_dir);
  g_free (self->hub_error);
  g_free (self->hub_key);
  g_free (self->client_key);
  g_free (self->status_label);
  g_free (self->detail);

  G_OBJECT_CLASS (dengon_sync_manager_parent_class)->finalize (object);
}

static void
dengon_sync_manager_class_init (DengonSyncManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dengon_sync_manager_get_property;
  object_class->dispose = dengon_sync_manager_dispose;
  object_class->finalize = dengon_sync_manager_finalize;

  properties[PROP_STATUS] =
      g_param_spec_enum ("status", NULL, NULL, DENGON_TYPE_SYNC_STATUS, DENGON_SYNC_STATUS_OFF,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_LABEL] =
      g_param_spec_string ("status-label", NULL, NULL, "",
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
      g_param_spec_string ("detail", NULL, NULL, "",
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
      g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HUB] =
      g_param_spec_object ("hub", NULL, NULL, DENGON_TYPE_HUB,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dengon_sync_manager_init (DengonSyncManager *self)
{
  self->hub_lock = -1;
  self->status_label = g_strdup ("");
  self->detail = g_strdup ("");
}

DengonSyncManager *
dengon_sync_manager_new (DengonStore *store, GSettings *settings, const char *data_dir)
{
  DengonSyncManager *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (DENGON_TYPE_SYNC_MANAGER, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->data_dir = g_strdup (data_dir);
  self->resolver = dengon_conflict_resolver_new (store);
  self->settings_id =
      g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);

  configure_hub (self);
  configure_replicator (self);
  update_status (self);

  return self;
}

DengonSyncStatus
dengon_sync_manager_get_status (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), DENGON_SYNC_STATUS_OFF);

  return self->status;
}

const char *
dengon_sync_manager_get_status_label (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), NULL);

  return self->status_label;
}

const char *
dengon_sync_manager_get_detail (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), NULL);

  return self->detail;
}

guint
dengon_sync_manager_get_pending (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), 0);

  return self->pending;
}

DengonConflictResolver *
dengon_sync_manager_get_resolver (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), NULL);

  return self->resolver;
}

DengonReplicator *
dengon_sync_manager_get_replicator (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), NULL);

  return self->replicator;
}

DengonHub *
dengon_sync_manager_get_hub (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), NULL);

  return self->hub;
}

DengonHubAccounts *
dengon_sync_manager_get_accounts (DengonSyncManager *self)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), NULL);

  if (self->accounts == NULL)
    {
      self->accounts = dengon_hub_accounts_new_for_data_dir (self->data_dir, &error);
      if (self->accounts == NULL)
        g_warning ("Hub accounts: %s", error->message);
    }

  return self->accounts;
}

const char *
dengon_sync_manager_get_hub_error (DengonSyncManager *self)
{
  g_return_val_if_fail (DENGON_IS_SYNC_MANAGER (self), NULL);

  return self->hub_error;
}

/* ------------------------------------------------------------------ testing a server */

typedef struct
{
  DengonCouchClient *client;
  char *user;
  char *fingerprint;
} Test;

static void
test_free (Test *test)
{
  g_clear_object (&test->client);
  g_free (test->user);
  g_free (test->fingerprint);
  g_free (test);
}

static void
test_fail (GTask *task, GError *error)
{
  Test *test = g_task_get_task_data (task);
  const char *refused = dengon_couch_client_get_refused_fingerprint (test->client);

  if (g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN) ||
      g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_CHANGED))
    test->fingerprint = g_strdup (refused);
  g_task_return_error (task, error);
}

static void
on_test_db (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  g_autoptr (GBytes) body = NULL;
  GError *error = NULL;
  guint status = 0;

  body = dengon_couch_client_request_finish (DENGON_COUCH_CLIENT (source), result, &status, &error);
  if (body == NULL)
    {
      test_fail (task, error);
      return;
    }

  /* Missing is fine: the first push makes it (a CouchDB account may need the right to). */
  if (status != 200 && status != 404)
    {
      dengon_sync_set_http_error (&error, status, body, _ ("The database"));
      test_fail (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_test_session (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Test *test = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonObject) session = NULL;
  GError *error = NULL;
  guint status = 0;

  body = dengon_couch_client_request_finish (DENGON_COUCH_CLIENT (source), result, &status, &error);
  if (body == NULL)
    {
      test_fail (task, error);
      return;
    }
  if (status != 200)
    {
      dengon_sync_set_http_error (&error, status, body, _ ("Signing in"));
      test_fail (task, error);
      return;
    }

  session = dengon_json_parse_object (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                      dengon_sync_json_limits (), NULL);
  /* CouchDB answers a wrong password on this path with an anonymous session. */
  if (g_strcmp0 (dengon_json_get_string (dengon_json_get_object (session, "userCtx"), "name"),
                 test->user) != 0)
    {
      test_fail (task, g_error_new_literal (DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_UNAUTHORIZED,
                                            _ ("The server did not accept the user name or "
                                               "password.")));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  dengon_couch_client_request_async (test->client, "GET", "", NULL, cancellable, on_test_db,
                                     g_steal_pointer (&task));
}

static void
on_test_welcome (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Test *test = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr (GBytes) body = NULL;
  GError *error = NULL;
  guint status = 0;

  body = dengon_couch_client_request_finish (DENGON_COUCH_CLIENT (source), result, &status, &error);
  if (body == NULL)
    {
      test_fail (task, error);
      return;
    }
  if (status != 200 && status != 401)
    {
      dengon_sync_set_http_error (&error, status, body, _ ("The server"));
      test_fail (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  dengon_couch_client_request_async (test->client, "GET", "/_session", NULL, cancellable,
                                     on_test_session, g_steal_pointer (&task));
}

void
dengon_sync_manager_test_async (DengonSyncManager *self, const char *url, const char *user,
                                const char *password, const char *fingerprint,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  Test *test;

  g_return_if_fail (DENGON_IS_SYNC_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dengon_sync_manager_test_async);
  test = g_new0 (Test, 1);
  test->user = g_strdup (user);
  g_task_set_task_data (task, test, (GDestroyNotify) test_free);

  test->client = dengon_couch_client_new (url, user, password, fingerprint, &error);
  if (test->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  dengon_couch_client_request_async (test->client, "GET", "/", NULL, cancellable, on_test_welcome,
                                     g_steal_pointer (&task));
}

gboolean
dengon_sync_manager_test_finish (DengonSyncManager *self, GAsyncResult *result,
                                 char **fingerprint_out, GError **error)
{
  Test *test;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  test = g_task_get_task_data (G_TASK (result));
  if (fingerprint_out != NULL)
    *fingerprint_out = g_strdup (test->fingerprint);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ connecting */

typedef struct
{
  char *url;
  char *user;
  char *fingerprint;
} Connect;

static void
connect_free (Connect *connect)
{
  g_free (connect->url);
  g_free (connect->user);
  g_free (connect->fingerprint);
  g_free (connect);
}

static void
on_password_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  DengonSyncManager *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  GError *error = NULL;

  if (!dengon_secrets_store_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A new password for the same server is picked up too. */
  g_clear_pointer (&self->client_key, g_free);
  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "sync-url", connect->url);
  g_settings_set_string (self->settings, "sync-user", connect->user);
  g_settings_set_string (self->settings, "sync-certificate",
                         connect->fingerprint ? connect->fingerprint : "");
  g_settings_set_boolean (self->settings, "sync-enabled", TRUE);
  g_settings_apply (self->settings);
  if (self->reconfigure_id == 0)
    self->reconfigure_id = g_idle_add (on_reconfigure, self);

  g_task_return_boolean (task, TRUE);
}

void
dengon_sync_manager_connect_async (DengonSyncManager *self, const char *url, const char *user,
                                   const char *password, const char *fingerprint,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *account = NULL;
  g_autofree char *label = NULL;
  g_autofree char *normalized = NULL;
  Connect *connect;
  GError *error = NULL;

  g_return_if_fail (DENGON_IS_SYNC_MANAGER (self));
  g_return_if_fail (url != NULL && user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dengon_sync_manager_connect_async);

  if (!dengon_sync_parse_url (url, NULL, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (fingerprint != NULL && *fingerprint != '\0')
    {
      normalized = dengon_fingerprint_normalize (fingerprint);
      if (normalized == NULL)
        {
          g_task_return_new_error (task, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_BAD_URL,
                                   _ ("The confirmed certificate fingerprint is not valid."));
          return;
        }
    }

  connect = g_new0 (Connect, 1);
  connect->url = g_strstrip (g_strdup (url));
  connect->user = g_strstrip (g_strdup (user));
  connect->fingerprint = g_steal_pointer (&normalized);
  g_task_set_task_data (task, connect, (GDestroyNotify) connect_free);

  account = secret_account (connect->url, connect->user);
  /* Translators: the label of the password in the desktop keyring */
  label = g_strdup_printf (_ ("Dengon sync password for %s at %s"), connect->user, connect->url);
  dengon_secrets_store_async (self->data_dir, SECRET_KIND, account, label, password, cancellable,
                              on_password_stored, g_steal_pointer (&task));
}

gboolean
dengon_sync_manager_connect_finish (DengonSyncManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
