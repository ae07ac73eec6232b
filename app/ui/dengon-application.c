/* dengon-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-application.h"
#include "dengon-hub-cli.h"
#include "dengon-paths.h"
#include "dengon-preferences-window.h"
#include "dengon-store.h"
#include "dengon-ui-utils.h"
#include "dengon-window.h"

struct _DengonApplication
{
  AdwApplication parent_instance;

  /* Owned */
  DengonSettings *settings;
  DengonStore *store;
  DengonStaffModel *staff;
  DengonSyncManager *sync;
  GError *store_error;
  char *data_dir;
};

G_DEFINE_FINAL_TYPE (DengonApplication, dengon_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Keep the database in DIR instead of the default folder"), N_ ("DIR") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
  { "hub", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Run the office hub without a window (colleagues sync with it)"), NULL },
  { "port", 0, 0, G_OPTION_ARG_INT, NULL, N_ ("The hub’s port (default 6984)"), N_ ("PORT") },
  { "listen", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("The IP address the hub listens on (default: every network)"), N_ ("ADDRESS") },
  { "hub-user", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Manage the hub’s accounts: add, passwd or remove NAME, or list (the password is read from "
        "standard input)"),
    N_ ("ACTION") },
  { NULL }
};

static DengonWindow *
dengon_application_get_main_window (DengonApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (DENGON_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static DengonWindow *
dengon_application_ensure_main_window (DengonApplication *self)
{
  DengonWindow *window = dengon_application_get_main_window (self);

  if (window == NULL)
    window = dengon_window_new (self);

  return window;
}

/* A second profile (--data-dir) is a separate instance with its own
 * unique name, so `dengon --data-dir X ...` reaches the instance that has
 * X open and never the default one. */
static char *
profile_application_id (const char *data_dir)
{
  g_autofree char *default_dir = dengon_paths_default_data_dir ();
  g_autofree char *hash = NULL;

  if (g_strcmp0 (data_dir, default_dir) == 0)
    return g_strdup (APPLICATION_ID);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data_dir, -1);
  hash[12] = '\0';

  return g_strdup_printf ("%s.Profile.p%s", APPLICATION_ID, hash);
}

static int
dengon_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  DengonApplication *self = DENGON_APPLICATION (app);
  g_autofree char *data_dir = NULL;
  g_autofree char *app_id = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir))
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (data_dir);

      g_free (self->data_dir);
      self->data_dir = g_file_get_path (file);
    }
  else
    {
      g_free (self->data_dir);
      self->data_dir = dengon_paths_default_data_dir ();
    }

  if (g_variant_dict_contains (options, "hub"))
    {
      g_autofree char *address = NULL;
      int port = -1;

      g_variant_dict_lookup (options, "port", "i", &port);
      g_variant_dict_lookup (options, "listen", "s", &address);
      return dengon_hub_cli_serve (self->data_dir, address, port);
    }

  app_id = profile_application_id (self->data_dir);
  g_application_set_application_id (app, app_id);

  return -1;
}

/* `--hub-user ACTION [NAME]` takes a name after its argument, which GOption cannot: it is
 * handled here, before the options are parsed, and never reaches a running window. */
static gboolean
dengon_application_local_command_line (GApplication *app, char ***arguments, int *exit_status)
{
  char **argv = *arguments;
  g_autofree char *data_dir = NULL;
  const char *action = NULL, *name = NULL;
  gboolean hub_user = FALSE;

  for (guint i = 1; argv[i] != NULL; i++)
    {
      if (g_str_equal (argv[i], "--hub-user") || g_str_has_prefix (argv[i], "--hub-user="))
        {
          hub_user = TRUE;
          if (argv[i][10] == '=')
            action = argv[i] + 11;
          else if (argv[i + 1] != NULL)
            action = argv[++i];
          if (argv[i + 1] != NULL && argv[i + 1][0] != '-')
            name = argv[++i];
        }
      else if (g_str_equal (argv[i], "--data-dir") && argv[i + 1] != NULL)
        {
          g_autoptr (GFile) file = g_file_new_for_commandline_arg (argv[++i]);

          g_free (data_dir);
          data_dir = g_file_get_path (file);
        }
      else if (g_str_has_prefix (argv[i], "--data-dir="))
        {
          g_autoptr (GFile) file = g_file_new_for_commandline_arg (argv[i] + 11);

          g_free (data_dir);
          data_dir = g_file_get_path (file);
        }
    }

  if (!hub_user)
    return G_APPLICATION_CLASS (dengon_application_parent_class)
        ->local_command_line (app, arguments, exit_status);

  if (data_dir == NULL)
    data_dir = dengon_paths_default_data_dir ();
  *exit_status = dengon_hub_cli_user (data_dir, action, name);

  return TRUE;
}

static int
dengon_application_command_line (GApplication *app, GApplicationCommandLine *command_line)
{
  g_auto (GStrv) argv = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  int argc;

  argv = g_application_command_line_get_arguments (command_line, &argc);

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line, argv[i]));

  if (files->len > 0)
    g_application_open (app, (GFile **) files->pdata, files->len, "");
  else
    g_application_activate (app);

  return 0;
}

static char *
dengon_application_get_database_path (DengonApplication *self)
{
  return g_build_filename (self->data_dir, "dengon.db", NULL);
}

static gboolean
dengon_application_open_store (DengonApplication *self)
{
  g_autofree char *path = dengon_application_get_database_path (self);

  g_clear_error (&self->store_error);
  g_clear_object (&self->sync);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);

  if (!dengon_paths_ensure_data_dir (self->data_dir, &self->store_error))
    return FALSE;

  self->store = dengon_store_open (path, &self->store_error);
  if (self->store == NULL)
    return FALSE;

  self->staff = dengon_staff_model_new (self->store);
  self->sync = dengon_sync_manager_new (self->store, dengon_settings_get_gsettings (self->settings),
                                        self->data_dir);

  return TRUE;
}

static void show_store_error (DengonApplication *self);

static void
on_store_error_response (AdwMessageDialog *dialog, const char *response, DengonApplication *self)
{
  g_autofree char *path = dengon_application_get_database_path (self);
  g_autofree char *moved = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "move-aside"))
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }

  /* The damaged file is kept under a new name, never overwritten. */
  moved = dengon_store_move_aside (path, &error);
  if (moved == NULL)
    {
      g_clear_error (&self->store_error);
      self->store_error = g_steal_pointer (&error);
      show_store_error (self);
      return;
    }

  g_message ("Moved the damaged database aside to %s", moved);

  if (!dengon_application_open_store (self))
    {
      show_store_error (self);
      return;
    }

  gtk_window_present (GTK_WINDOW (dengon_application_ensure_main_window (self)));
}

static void
show_store_error (DengonApplication *self)
{
  AdwMessageDialog *dialog;
  gboolean can_move_aside;

  g_assert (self->store_error != NULL);

  can_move_aside =
      g_error_matches (self->store_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CORRUPT) ||
      g_error_matches (self->store_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FOREIGN);

  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (NULL, _ ("The Message Database Cannot Be Opened"), NULL));
  if (can_move_aside)
    adw_message_dialog_format_body (
        dialog,
        _ ("%s\n\nDengon can keep this file under a new name in the same "
           "folder and start with an empty database. Nothing is deleted."),
        self->store_error->message);
  else
    adw_message_dialog_set_body (dialog, self->store_error->message);

  adw_message_dialog_add_response (dialog, "quit", _ ("_Quit"));
  if (can_move_aside)
    {
      adw_message_dialog_add_response (dialog, "move-aside", _ ("_Move Aside and Start Fresh"));
      adw_message_dialog_set_response_appearance (dialog, "move-aside", ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (dialog, can_move_aside ? "move-aside" : "quit");
  adw_message_dialog_set_close_response (dialog, "quit");
  dengon_message_dialog_fix_accessible_names (dialog);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_store_error_response), self, 0);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dengon_application_activate (GApplication *app)
{
  DengonApplication *self = DENGON_APPLICATION (app);

  if (self->store == NULL)
    {
      GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

      if (windows != NULL)
        gtk_window_present (windows->data);
      else
        show_store_error (self);
      return;
    }

  gtk_window_present (GTK_WINDOW (dengon_application_ensure_main_window (self)));
}

static void
dengon_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  DengonApplication *self = DENGON_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      g_debug ("Asked to open %s", uri);
    }

  gtk_window_present (GTK_WINDOW (dengon_application_ensure_main_window (self)));
}

static void
dengon_application_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DengonApplication *self = user_data;
  g_autoptr (GList) windows = NULL;

  /* Close the windows first, so each keeps its state (size, drafts). */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
dengon_application_preferences_action (GSimpleAction *action, GVariant *parameter,
                                       gpointer user_data)
{
  DengonApplication *self = user_data;
  DengonPreferencesWindow *preferences;

  preferences = dengon_preferences_window_new (self);
  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                GTK_WINDOW (dengon_application_ensure_main_window (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
dengon_application_about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  static const char *developers[] = { "The Dengon developers", NULL };
  DengonApplication *self = user_data;
  GtkWidget *about;

  about = g_object_new (
      ADW_TYPE_ABOUT_WINDOW, "transient-for", dengon_application_ensure_main_window (self), "modal",
      TRUE, "application-icon", APPLICATION_ID, "application-name", _ ("Dengon"), "developer-name",
      _ ("The Dengon developers"), "version", PACKAGE_VERSION, "website", PACKAGE_URL, "issue-url",
      PACKAGE_URL "/issues", "comments",
      _ ("Answer the office phone, take messages and pass them on."), "copyright",
      "© 2026 The Dengon developers", "license-type", GTK_LICENSE_GPL_3_0, "developers", developers,
      /* Translators: Replace "translator-credits" with your names, one name per line */
      "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_entries[] = {
  { "quit", dengon_application_quit_action },
  { "preferences", dengon_application_preferences_action },
  { "about", dengon_application_about_action },
};

static void
dengon_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  DengonApplication *self = DENGON_APPLICATION (app);
  g_autoptr (GError) error = NULL;

  G_APPLICATION_CLASS (dengon_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  self->settings = dengon_settings_new ();

  if (self->data_dir == NULL)
    self->data_dir = dengon_paths_default_data_dir ();

  if (!dengon_application_open_store (self))
    g_message ("%s", self->store_error->message);
}

static void
dengon_application_shutdown (GApplication *app)
{
  DengonApplication *self = DENGON_APPLICATION (app);

  G_APPLICATION_CLASS (dengon_application_parent_class)->shutdown (app);

  g_clear_object (&self->sync);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
}

static void
dengon_application_finalize (GObject *object)
{
  DengonApplication *self = (DengonApplication *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->sync);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->data_dir, g_free);

  G_OBJECT_CLASS (dengon_application_parent_class)->finalize (object);
}

static void
dengon_application_class_init (DengonApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = dengon_application_finalize;

  app_class->handle_local_options = dengon_application_handle_local_options;
  app_class->local_command_line = dengon_application_local_command_line;
  app_class->command_line = dengon_application_command_line;
  app_class->activate = dengon_application_activate;
  app_class->open = dengon_application_open;
  app_class->startup = dengon_application_startup;
  app_class->shutdown = dengon_application_shutdown;
}

static void
dengon_application_init (DengonApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _ ("[TEL-URI…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _ ("Answer the office phone, take messages and "
                                               "pass them on."));
}

DengonApplication *
dengon_application_new (void)
{
  return g_object_new (DENGON_TYPE_APPLICATION, "application-id", APPLICATION_ID,
                       "resource-base-path", RESOURCE_PATH, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN, NULL);
}

DengonSettings *
dengon_application_get_settings (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->settings;
}

DengonStore *
dengon_application_get_store (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->store;
}

DengonStaffModel *
dengon_application_get_staff_model (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->staff;
}

DengonSyncManager *
dengon_application_get_sync_manager (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->sync;
}

const char *
dengon_application_get_data_dir (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->data_dir;
}
