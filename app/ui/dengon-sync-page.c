/* dengon-sync-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-sync-common.h"
#include "dengon-sync-page.h"
#include "dengon-ui-utils.h"

#define SUMMARY_FIELDS 3
#define SUMMARY_CHARS  40

struct _DengonSyncPage
{
  AdwPreferencesPage parent_instance;

  /* Template widgets */
  AdwActionRow *status_row;
  GtkImage *status_icon;
  AdwPreferencesGroup *hub_group;
  GtkSwitch *hub_switch;
  AdwActionRow *hub_address_row;
  AdwActionRow *hub_fingerprint_row;
  GtkSpinButton *hub_port_spin;
  AdwPreferencesGroup *accounts_group;
  AdwActionRow *no_accounts_row;
  AdwEntryRow *new_user_row;
  AdwPasswordEntryRow *new_password_row;
  GtkSwitch *sync_switch;
  AdwActionRow *sync_row;
  AdwEntryRow *url_row;
  AdwEntryRow *user_row;
  AdwPasswordEntryRow *password_row;
  AdwActionRow *confirm_row;
  AdwActionRow *result_row;
  GtkImage *result_icon;
  GtkButton *test_button;
  GtkButton *connect_button;
  AdwPreferencesGroup *conflicts_group;

  /* Unowned */
  DengonApplication *application;
  DengonSyncManager *manager;

  /* Owned */
  GSettings *settings;
  GCancellable *cancellable;
  GPtrArray *account_rows;
  GPtrArray *conflict_rows;
  char *confirmed; /* fingerprint the person trusted on this page */
  char *offered;   /* fingerprint the server showed, waiting for a decision */
  gboolean testing;
};

enum
{
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DengonSyncPage, dengon_sync_page, ADW_TYPE_PREFERENCES_PAGE)

static void
show_toast (DengonSyncPage *self, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static const char *
status_icon_name (DengonSyncStatus status)
{
  switch (status)
    {
      case DENGON_SYNC_STATUS_HUB:
        return "network-server-symbolic";
      case DENGON_SYNC_STATUS_SYNCED:
        return "emblem-ok-symbolic";
      case DENGON_SYNC_STATUS_OFFLINE:
        return "network-offline-symbolic";
      case DENGON_SYNC_STATUS_ERROR:
        return "dialog-warning-symbolic";
      case DENGON_SYNC_STATUS_CONNECTING:
      case DENGON_SYNC_STATUS_SYNCING:
      case DENGON_SYNC_STATUS_OFF:
      default:
        return "emblem-synchronizing-symbolic";
    }
}

/* ------------------------------------------------------------------ status and the hub */

static void
update_status (DengonSyncPage *self)
{
  DengonSyncStatus status = dengon_sync_manager_get_status (self->manager);
  DengonHub *hub = dengon_sync_manager_get_hub (self->manager);
  g_autofree char *url = g_settings_get_string (self->settings, "sync-url");

  if (status == DENGON_SYNC_STATUS_OFF)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), _ ("Not syncing"));
      adw_action_row_set_subtitle (self->status_row,
                                   _ ("Messages stay on this computer. Make this desk the office "
                                      "hub, or connect it to one."));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row),
                                     dengon_sync_manager_get_status_label (self->manager));
      adw_action_row_set_subtitle (self->status_row,
                                   dengon_sync_manager_get_detail (self->manager));
    }
  gtk_image_set_from_icon_name (self->status_icon, status_icon_name (status));
  if (status == DENGON_SYNC_STATUS_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");

  if (hub != NULL && dengon_hub_get_listening (hub))
    {
      g_auto (GStrv) urls = dengon_hub_get_urls (hub);
      g_autofree char *joined = g_strjoinv ("\n", urls);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hub_address_row), joined);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hub_fingerprint_row),
                                     dengon_hub_get_fingerprint (hub));
      gtk_widget_set_visible (GTK_WIDGET (self->hub_address_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->hub_fingerprint_row), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->hub_address_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->hub_fingerprint_row), FALSE);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_row), *url != '\0');
}

static void
on_copy_address_clicked (DengonSyncPage *self)
{
  DengonHub *hub = dengon_sync_manager_get_hub (self->manager);
  g_auto (GStrv) urls = NULL;

  if (hub == NULL)
    return;

  urls = dengon_hub_get_urls (hub);
  if (urls[0] != NULL)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), urls[0]);
      show_toast (self, _ ("Address copied"));
    }
}

/* ------------------------------------------------------------------ colleagues */

static void
on_remove_account_clicked (GtkButton *button, DengonSyncPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "account");
  DengonHubAccounts *accounts = dengon_sync_manager_get_accounts (self->manager);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (accounts == NULL || name == NULL)
    return;

  /* Only the file changes: quick enough here. */
  if (!dengon_hub_accounts_remove (accounts, name, &error))
    {
      show_toast (self, error->message);
      return;
    }

  text = g_strdup_printf (_ ("“%s” can no longer sync with this desk"), name);
  show_toast (self, text);
}

static void
rebuild_accounts (DengonSyncPage *self)
{
  DengonHubAccounts *accounts = dengon_sync_manager_get_accounts (self->manager);
  g_auto (GStrv) names = accounts ? dengon_hub_accounts_list (accounts) : NULL;

  for (guint i = 0; i < self->account_rows->len; i++)
    adw_preferences_group_remove (self->accounts_group, g_ptr_array_index (self->account_rows, i));
  g_ptr_array_set_size (self->account_rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->no_accounts_row), names == NULL || names[0] == NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *label = g_strdup_printf (_ ("Remove %s"), names[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("avatar-default-symbolic"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      g_object_set_data_full (G_OBJECT (remove), "account", g_strdup (names[i]), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_account_clicked), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (self->accounts_group, row);
      g_ptr_array_add (self->account_rows, row);
    }
}

static void
on_account_added (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (DengonSyncPage) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->new_password_row), TRUE);
  if (!dengon_hub_accounts_set_finish (DENGON_HUB_ACCOUNTS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  text = g_strdup_printf (_ ("“%s” can now sync with this desk"),
                          gtk_editable_get_text (GTK_EDITABLE (self->new_user_row)));
  show_toast (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->new_user_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
}

static void
on_add_user_activated (DengonSyncPage *self)
{
  DengonHubAccounts *accounts = dengon_sync_manager_get_accounts (self->manager);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->new_user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->new_password_row));

  if (accounts == NULL)
    return;

  if (*name == '\0')
    {
      show_toast (self, _ ("Enter the colleague’s login name first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->new_user_row));
      return;
    }

  /* The hash takes a moment: off the main loop. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_password_row), FALSE);
  dengon_hub_accounts_set_async (accounts, name, password, FALSE, self->cancellable,
                                 on_account_added, g_object_ref (self));
}

/* ------------------------------------------------------------------ connecting */

static void
show_result (DengonSyncPage *self, const char *icon, const char *title, const char *detail)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->result_row), title);
  adw_action_row_set_subtitle (self->result_row, detail ? detail : "");
  gtk_image_set_from_icon_name (self->result_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->result_row), TRUE);
}

/* The fingerprint to trust: confirmed here, or the one kept for this address. */
static char *
current_fingerprint (DengonSyncPage *self, const char *url)
{
  g_autofree char *saved_url = g_settings_get_string (self->settings, "sync-url");

  if (self->confirmed != NULL)
    return g_strdup (self->confirmed);
  if (g_strcmp0 (saved_url, url) == 0)
    return g_settings_get_string (self->settings, "sync-certificate");

  return NULL;
}

static void
set_busy (DengonSyncPage *self, gboolean busy)
{
  self->testing = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy);
}

static void run_test (DengonSyncPage *self);

static void
on_tested (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (DengonSyncPage) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *text = NULL;

  if (dengon_sync_manager_test_finish (DENGON_SYNC_MANAGER (source), result, &fingerprint, &error))
    {
      set_busy (self, FALSE);
      show_result (self, "emblem-ok-symbolic", _ ("The connection works"),
                   _ ("Press Connect to sync this desk with the server."));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);

  if (fingerprint != NULL &&
      (g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_UNKNOWN) ||
       g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_CHANGED)))
    {
      gboolean changed =
          g_error_matches (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_CERTIFICATE_CHANGED);

      g_free (self->offered);
      self->offered = g_steal_pointer (&fingerprint);
      gtk_widget_set_visible (GTK_WIDGET (self->result_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->confirm_row),
                                     changed ? _ ("The Server’s Certificate Changed")
                                             : _ ("Confirm the Server’s Certificate"));
      {
        g_autofree char *explanation = g_markup_escape_text (
            changed ? _ ("It is not the certificate confirmed before. Trust the new one only if "
                         "the hub’s owner says it changed.")
                    : _ ("Compare this fingerprint with the one shown on the hub desk "
                         "(Preferences → Sync). Trust it only if they are the same."),
            -1);

        text = g_strdup_printf ("%s\n<tt>%s</tt>", explanation, self->offered);
      }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->confirm_row), TRUE);
      adw_action_row_set_subtitle (self->confirm_row, text);
      gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), TRUE);
      return;
    }

  show_result (self, "dialog-warning-symbolic", dengon_sync_error_get_label (error),
               error->message);
}

static void
run_test (DengonSyncPage *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *fingerprint = current_fingerprint (self, url);

  if (*url == '\0')
    {
      show_result (self, "dialog-warning-symbolic", _ ("Enter the server’s address"), NULL);
      return;
    }

  set_busy (self, TRUE);
  show_result (self, "emblem-synchronizing-symbolic", _ ("Testing the connection…"), NULL);
  dengon_sync_manager_test_async (self->manager, url, user, password, fingerprint,
                                  self->cancellable, on_tested, g_object_ref (self));
}

static void
on_test_clicked (DengonSyncPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), FALSE);
  run_test (self);
}

static void
on_trust_clicked (DengonSyncPage *self)
{
  g_free (self->confirmed);
  self->confirmed = g_strdup (self->offered);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), FALSE);
  /* See that it works with the certificate now trusted. */
  run_test (self);
}

static void
on_connection_edited (DengonSyncPage *self)
{
  /* A confirmation is for the server it was given for. */
  g_clear_pointer (&self->confirmed, g_free);
  g_clear_pointer (&self->offered, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->result_row), FALSE);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (DengonSyncPage) self = data;
  g_autoptr (GError) error = NULL;

  if (!dengon_sync_manager_connect_finish (DENGON_SYNC_MANAGER (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_result (self, "dialog-warning-symbolic", _ ("The settings were not saved"),
                   error->message);
      return;
    }

  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_row), FALSE);
  show_toast (self, _ ("Connected: this desk syncs with the server"));
}

static void
on_connect_clicked (DengonSyncPage *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *fingerprint = current_fingerprint (self, url);

  if (*url == '\0' || *user == '\0' || *password == '\0')
    {
      show_result (self, "dialog-warning-symbolic",
                   _ ("Enter the server’s address, your user name and your password"), NULL);
      return;
    }

  /* Not cancelled when the window closes: the person asked for it. */
  set_busy (self, TRUE);
  dengon_sync_manager_connect_async (self->manager, url, user, password, fingerprint, NULL,
                                     on_connected, g_object_ref (self));
}

/* ------------------------------------------------------------------ conflicts */

static const char *
type_label (const char *type)
{
  if (g_strcmp0 (type, "memo") == 0)
    return _ ("Message");
  if (g_strcmp0 (type, "contact") == 0)
    return _ ("Contact");
  if (g_strcmp0 (type, "staff") == 0)
    return _ ("Staff member");
  if (g_strcmp0 (type, "script") == 0)
    return _ ("Script");
  if (g_strcmp0 (type, "office") == 0)
    return _ ("Office settings");

  return _ ("Entry");
}

/* What sets @leaf apart from @other: a few "field: value" pairs. */
static char *
summarize_difference (JsonObject *leaf, JsonObject *other)
{
  g_autoptr (GList) members = json_object_get_members (leaf);
  g_autoptr (GString) text = g_string_new (NULL);
  guint shown = 0;

  for (GList *l = members; l != NULL && shown < SUMMARY_FIELDS; l = l->next)
    {
      const char *name = l->data;
      JsonNode *mine = json_object_get_member (leaf, name);
      JsonNode *theirs = other ? json_object_get_member (other, name) : NULL;
      g_autofree char *value = NULL;
      g_autofree char *other_value = NULL;

      if (name[0] == '_')
        continue;
      value = dengon_json_canonical (mine);
      other_value = theirs ? dengon_json_canonical (theirs) : NULL;
      if (g_strcmp0 (value, other_value) == 0)
        continue;

      if (JSON_NODE_HOLDS_VALUE (mine) && json_node_get_value_type (mine) == G_TYPE_STRING)
        {
          g_free (value);
          value = g_strdup (json_node_get_string (mine));
        }
      if (g_utf8_strlen (value, -1) > SUMMARY_CHARS)
        {
          char *end = g_utf8_offset_to_pointer (value, SUMMARY_CHARS);

          strcpy (end, "…");
        }
      g_string_append_printf (text, "%s%s: %s", shown > 0 ? "\n" : "", name, value);
      shown++;
    }

  if (shown == 0)
    g_string_append (text, _ ("The same content"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  DengonSyncPage *page;
  char *id;
  char *rev;
} Choice;

static void
choice_free (gpointer data, GClosure *closure)
{
  Choice *choice = data;

  g_free (choice->id);
  g_free (choice->rev);
  g_free (choice);
}

static void
on_chosen (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (DengonSyncPage) self = data;
  g_autoptr (GError) error = NULL;

  if (!dengon_conflict_resolver_choose_finish (DENGON_CONFLICT_RESOLVER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  show_toast (self, _ ("The chosen version is kept on every desk"));
}

static void
on_keep_clicked (GtkButton *button, Choice *choice)
{
  DengonSyncPage *self = choice->page;

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  dengon_conflict_resolver_choose_async (dengon_sync_manager_get_resolver (self->manager),
                                         choice->id, choice->rev, self->cancellable, on_chosen,
                                         g_object_ref (self));
}

static gpointer
load_conflicts_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  GStrv ids = data;
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      GPtrArray *leaves = dengon_store_get_leaves (store, ids[i], FALSE, NULL);

      g_ptr_array_add (
          all,
          leaves ? leaves : g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref));
    }

  return all;
}

typedef struct
{
  DengonSyncPage *page;
  GStrv ids;
} ConflictLoad;

static void
on_conflicts_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  ConflictLoad *load = data;
  g_autoptr (DengonSyncPage) self = load->page;
  g_autoptr (GPtrArray) all = dengon_store_run_finish (DENGON_STORE (source), result, NULL);
  g_auto (GStrv) ids = load->ids;

  g_free (load);
  if (all == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  for (guint i = 0; i < self->conflict_rows->len; i++)
    adw_preferences_group_remove (self->conflicts_group,
                                  g_ptr_array_index (self->conflict_rows, i));
  g_ptr_array_set_size (self->conflict_rows, 0);

  for (guint i = 0; ids[i] != NULL && i < all->len; i++)
    {
      GPtrArray *leaves = g_ptr_array_index (all, i);
      JsonObject *winner = leaves->len > 0 ? g_ptr_array_index (leaves, 0) : NULL;
      const char *name = dengon_json_get_string (winner, "name");
      GtkWidget *expander = adw_expander_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      if (leaves->len < 2)
        continue;

      if (name == NULL)
        name = dengon_json_get_string (winner, "title");
      title = g_strdup_printf ("%s: %s", type_label (dengon_json_get_string (winner, "type")),
                               name ? name : ids[i]);
      subtitle = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u version", "%u versions", leaves->len), leaves->len);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);

      for (guint j = 0; j < leaves->len; j++)
        {
          JsonObject *leaf = g_ptr_array_index (leaves, j);
          JsonObject *other = g_ptr_array_index (leaves, j == 0 ? 1 : 0);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *keep = gtk_button_new_with_mnemonic (_ ("_Keep"));
          g_autofree char *row_title = NULL;
          g_autofree char *summary = summarize_difference (leaf, other);
          Choice *choice = g_new0 (Choice, 1);

          row_title = j == 0 ? g_strdup (_ ("Version shown now"))
                             : g_strdup_printf (_ ("Other version %u"), j);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), SUMMARY_FIELDS);
          gtk_widget_set_valign (keep, GTK_ALIGN_CENTER);
          choice->page = self;
          choice->id = g_strdup (ids[i]);
          choice->rev = g_strdup (dengon_json_get_string (leaf, "_rev"));
          g_signal_connect_data (keep, "clicked", G_CALLBACK (on_keep_clicked), choice, choice_free,
                                 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), keep);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        }

      dengon_ui_fix_accessible_names (expander);
      adw_preferences_group_add (self->conflicts_group, expander);
      g_ptr_array_add (self->conflict_rows, expander);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), self->conflict_rows->len > 0);
}

static void
update_conflicts (DengonSyncPage *self)
{
  DengonConflictResolver *resolver = dengon_sync_manager_get_resolver (self->manager);
  DengonStore *store = dengon_application_get_store (self->application);
  ConflictLoad *load;
  GStrv ids = dengon_conflict_resolver_dup_unresolved (resolver);

  if (ids[0] == NULL)
    {
      g_strfreev (ids);
      gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), FALSE);
      return;
    }

  load = g_new0 (ConflictLoad, 1);
  load->page = g_object_ref (self);
  load->ids = g_strdupv (ids);
  dengon_store_run_async (store, load_conflicts_thread, ids, (GDestroyNotify) g_strfreev,
                          (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                          on_conflicts_loaded, load);
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_sync_page_constructed (GObject *object)
{
  DengonSyncPage *self = DENGON_SYNC_PAGE (object);
  DengonHubAccounts *accounts;
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;

  G_OBJECT_CLASS (dengon_sync_page_parent_class)->constructed (object);

  self->manager = dengon_application_get_sync_manager (self->application);
  self->settings = g_object_ref (
      dengon_settings_get_gsettings (dengon_application_get_settings (self->application)));

  g_settings_bind (self->settings, "hub-enabled", self->hub_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "hub-port", self->hub_port_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sync-enabled", self->sync_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  url = g_settings_get_string (self->settings, "sync-url");
  user = g_settings_get_string (self->settings, "sync-user");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user);
  on_connection_edited (self);

  if (self->manager == NULL)
    return;

  g_signal_connect_object (self->manager, "notify::status-label", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::detail", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::hub", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::sync-url", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dengon_sync_manager_get_resolver (self->manager), "notify::n-unresolved",
                           G_CALLBACK (update_conflicts), self, G_CONNECT_SWAPPED);
  accounts = dengon_sync_manager_get_accounts (self->manager);
  if (accounts != NULL)
    g_signal_connect_object (accounts, "changed", G_CALLBACK (rebuild_accounts), self,
                             G_CONNECT_SWAPPED);

  update_status (self);
  rebuild_accounts (self);
  update_conflicts (self);
}

static void
dengon_sync_page_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  DengonSyncPage *self = DENGON_SYNC_PAGE (object);

  switch (prop_id)
    {
      case PROP_APPLICATION:
        self->application = g_value_get_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_sync_page_dispose (GObject *object)
{
  DengonSyncPage *self = (DengonSyncPage *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_SYNC_PAGE);

  G_OBJECT_CLASS (dengon_sync_page_parent_class)->dispose (object);
}

static void
dengon_sync_page_finalize (GObject *object)
{
  DengonSyncPage *self = (DengonSyncPage *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_rows, g_ptr_array_unref);
  g_clear_pointer (&self->conflict_rows, g_ptr_array_unref);
  g_free (self->confirmed);
  g_free (self->offered);

  G_OBJECT_CLASS (dengon_sync_page_parent_class)->finalize (object);
}

static void
dengon_sync_page_class_init (DengonSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dengon_sync_page_constructed;
  object_class->set_property = dengon_sync_page_set_property;
  object_class->dispose = dengon_sync_page_dispose;
  object_class->finalize = dengon_sync_page_finalize;

  properties[PROP_APPLICATION] =
      g_param_spec_object ("dengon-application", NULL, NULL, DENGON_TYPE_APPLICATION,
                           G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, hub_group);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, hub_switch);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, hub_address_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, hub_fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, hub_port_spin);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, no_accounts_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, new_user_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, new_password_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, sync_switch);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, sync_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, result_row);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, DengonSyncPage, conflicts_group);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_address_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_user_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_trust_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
}

static void
dengon_sync_page_init (DengonSyncPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->account_rows = g_ptr_array_new ();
  self->conflict_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));
}

DengonSyncPage *
dengon_sync_page_new (DengonApplication *application)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);

  return g_object_new (DENGON_TYPE_SYNC_PAGE, "dengon-application", application, NULL);
}
