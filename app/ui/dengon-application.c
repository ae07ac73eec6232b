/* dengon-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dengon-action-url-server.h"
#include "dengon-application.h"
#include "dengon-call-window.h"
#include "dengon-contact-import.h"
#include "dengon-contacts-window.h"
#include "dengon-export.h"
#include "dengon-hub-cli.h"
#include "dengon-json.h"
#include "dengon-memo-actions.h"
#include "dengon-memo.h"
#include "dengon-notifier.h"
#include "dengon-paths.h"
#include "dengon-phone.h"
#include "dengon-preferences-window.h"
#include "dengon-report-print.h"
#include "dengon-report.h"
#include "dengon-review-window.h"
#include "dengon-script-library.h"
#include "dengon-secrets.h"
#include "dengon-store.h"
#include "dengon-ui-utils.h"
#include "dengon-window.h"

#define ACTION_URL_SECRET "action-url-token"

struct _DengonApplication
{
  AdwApplication parent_instance;

  /* Owned */
  DengonSettings *settings;
  DengonStore *store;
  DengonStaffModel *staff;
  DengonSyncManager *sync;
  DengonNotifier *notifier;
  GError *store_error;
  char *data_dir;

  guint held : 1;
  /* Calls (owned) */
  DengonCallManager *call_manager;
  DengonCallWindow *call_window;
  DengonActionUrlServer *action_url;
  char *action_url_token;
  char *action_url_problem;
  GCancellable *cancellable;
  GPtrArray *scripts;         /* DengonScript */
  GPtrArray *script_problems; /* char * */
  GPtrArray *staff_docs;      /* JsonObject, active, for scripts */
  JsonObject *office;
  guint reload_source;
  guint drafts_restored : 1;
  guint prewarmed : 1;
  guint token_pending : 1;
};

enum
{
  ACTION_URL_CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (DengonApplication, dengon_application, ADW_TYPE_APPLICATION)

static guint signals[N_SIGNALS];

static const GOptionEntry main_entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Keep the database in DIR instead of the default folder"), N_ ("DIR") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
  { "report", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Write the daily report of DATE (YYYY-MM-DD, today or yesterday) into the PDF file of "
        "--pdf, without opening a window; with --to, a report of several days"),
    N_ ("DATE") },
  { "pdf", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("The PDF file that --report writes"),
    N_ ("FILE") },
  { "export-csv", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Export the memos of the days --from to --to into the CSV file FILE, without opening a "
        "window"),
    N_ ("FILE") },
  { "from", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("The first day to export"), N_ ("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("The last day to export or report (included)"),
    N_ ("DATE") },
  { "shift-jis", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Write the CSV file in Shift_JIS instead of UTF-8"), NULL },
  { "import-contacts", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Import the contacts of FILE (vCard or CSV, UTF-8 or Shift_JIS) without opening a "
        "window; contacts with a number already known are merged into the contact that has it"),
    N_ ("FILE") },
  { "dry-run", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("With --import-contacts: show what would be imported, write nothing"), NULL },
  { "hub", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Run the office hub without a window (colleagues sync with it)"), NULL },
  { "port", 0, 0, G_OPTION_ARG_INT, NULL, N_ ("The hub’s port (default 6984)"), N_ ("PORT") },
  { "listen", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("The IP address the hub listens on (default: every network)"), N_ ("ADDRESS") },
  { "hub-user", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Manage the hub’s accounts: add, passwd or remove NAME, or list (the password is read from "
        "standard input)"),
    N_ ("ACTION") },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Start without a window (notifications and sync go on)"), NULL },
  { "incoming", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Show the call panel for an incoming call from NUMBER"), N_ ("NUMBER") },
  { "name", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("The caller's name as the phone shows it (with --incoming)"), N_ ("NAME") },
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

/* ------------------------------------------------------------------ headless */

static int
usage_error (const char *message)
{
  g_printerr ("dengon: %s\n", message);
  g_printerr ("%s\n", _ ("Run “dengon --help” to see the options."));

  return 2;
}

static int
headless_error (GError *error)
{
  g_printerr ("dengon: %s\n", error->message);

  return 1;
}

/* `--report DATE --pdf FILE` and `--export-csv FILE --from DATE --to DATE`:
 * for a scheduled job, on the database of --data-dir, in the process's time
 * zone, without a display and without reaching a running instance. */
static int
dengon_application_run_headless (DengonApplication *self, GVariantDict *options)
{
  g_autofree char *report_date = NULL, *pdf = NULL, *csv = NULL, *from = NULL, *to = NULL;
  g_autofree char *path = g_build_filename (self->data_dir, "dengon.db", NULL);
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (GError) error = NULL;
  gboolean shift_jis = g_variant_dict_contains (options, "shift-jis");
  gint64 now = g_get_real_time () / 1000, from_ms, to_ms;
  GDate first, last;

  g_variant_dict_lookup (options, "report", "s", &report_date);
  g_variant_dict_lookup (options, "pdf", "^ay", &pdf);
  g_variant_dict_lookup (options, "export-csv", "^ay", &csv);
  g_variant_dict_lookup (options, "from", "s", &from);
  g_variant_dict_lookup (options, "to", "s", &to);

  if (report_date != NULL && csv != NULL)
    return usage_error (_ ("Give either --report or --export-csv, not both."));
  if (report_date != NULL && pdf == NULL)
    return usage_error (_ ("--report needs --pdf FILE: the PDF file to write."));
  if (report_date == NULL && pdf != NULL)
    return usage_error (_ ("--pdf goes with --report DATE."));
  if (csv != NULL && from == NULL)
    return usage_error (_ ("--export-csv needs --from DATE and --to DATE."));
  if (csv == NULL && (from != NULL || shift_jis))
    return usage_error (_ ("--from and --shift-jis go with --export-csv FILE."));
  if (csv == NULL && report_date == NULL)
    return usage_error (_ ("--to goes with --report or --export-csv."));

  if (!dengon_report_parse_date (report_date != NULL ? report_date : from, tz, now, &first,
                                 &error) ||
      !dengon_report_parse_date (to != NULL ? to : (report_date != NULL ? report_date : from), tz,
                                 now, &last, &error) ||
      !dengon_report_day_range (tz, &first, &last, &from_ms, &to_ms, &error))
    return usage_error (error->message);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("dengon: ");
      g_printerr (_ ("There is no Dengon database in “%s”."), self->data_dir);
      g_printerr ("\n");
      return 1;
    }
  store = dengon_store_open (path, &error);
  if (store == NULL)
    return headless_error (error);

  if (report_date != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (pdf);
      g_autofree char *pdf_path = g_file_get_path (file);
      g_autoptr (DengonReport) report =
          dengon_report_compute (store, from_ms, to_ms, tz, now, DENGON_REPORT_ALL, NULL, &error);

      if (report == NULL || !dengon_report_print_to_pdf (report, pdf_path, now, &error))
        return headless_error (error);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Wrote %s (%d page)\n", "Wrote %s (%d pages)\n",
                            dengon_report_print_get_n_pages (report)),
               pdf_path, dengon_report_print_get_n_pages (report));
    }
  else
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (csv);
      g_autofree char *csv_path = g_file_get_path (file);
      g_auto (DengonExportResult) result = { 0 };

      if (!dengon_export_csv_to_file (store, from_ms, to_ms, tz,
                                      shift_jis ? DENGON_EXPORT_SHIFT_JIS : DENGON_EXPORT_UTF8,
                                      file, &result, NULL, &error))
        return headless_error (error);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Wrote %u memo to %s\n", "Wrote %u memos to %s\n",
                            result.rows),
               result.rows, csv_path);
      if (result.n_replaced > 0)
        {
          g_printerr ("dengon: ");
          g_printerr (
              g_dngettext (GETTEXT_PACKAGE,
                           "%u character has no Shift_JIS code and was written as %s: %s",
                           "%u characters have no Shift_JIS code and were written as %s: %s",
                           result.n_replaced),
              result.n_replaced, DENGON_EXPORT_REPLACEMENT, result.replaced->str);
          g_printerr ("\n");
        }
    }

  return 0;
}

/* `--import-contacts FILE [--dry-run]`: the preview on standard output, each problem on
 * standard error as FILE:LINE: message, then everything written in one transaction. */
static int
dengon_application_import_contacts (DengonApplication *self, GVariantDict *options)
{
  g_autofree char *name = NULL;
  g_autofree char *path = g_build_filename (self->data_dir, "dengon.db", NULL);
  g_autoptr (DengonContactImport) import = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *shown = NULL;
  gboolean dry_run = g_variant_dict_contains (options, "dry-run");
  guint added = 0, merged = 0;

  g_variant_dict_lookup (options, "import-contacts", "^ay", &name);
  file = g_file_new_for_commandline_arg (name);
  shown = g_file_get_parse_name (file);

  import = dengon_contact_import_load (file, NULL, &error);
  if (import == NULL)
    {
      g_printerr ("dengon: %s: %s\n", shown, error->message);
      return 1;
    }
  if (!dengon_paths_ensure_data_dir (self->data_dir, &error))
    return headless_error (error);
  store = dengon_store_open (path, &error);
  if (store == NULL || !dengon_contact_import_find_duplicates (import, store, &error))
    return headless_error (error);

  for (guint i = 0; i < import->problems->len; i++)
    {
      DengonContactImportProblem *problem = g_ptr_array_index (import->problems, i);

      g_printerr ("%s:%u: %s\n", shown, problem->line, problem->message);
    }
  g_print (_ ("%s: %s, %s\n"), shown,
           import->format == DENGON_CONTACT_FORMAT_VCARD ? "vCard" : "CSV", import->encoding);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u contact: %u new, %u to merge by number\n",
                        "%u contacts: %u new, %u to merge by number\n", import->entries->len),
           import->entries->len, dengon_contact_import_count (import, DENGON_CONTACT_IMPORT_ADD),
           dengon_contact_import_count (import, DENGON_CONTACT_IMPORT_MERGE));
  if (dry_run)
    {
      g_print ("%s\n", _ ("Nothing was written (--dry-run)."));
      return 0;
    }

  if (!dengon_contact_import_write (import, store, &added, &merged, &error))
    return headless_error (error);
  g_print (_ ("Imported: %u new, %u merged\n"), added, merged);

  return 0;
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

  if (g_variant_dict_contains (options, "import-contacts"))
    return dengon_application_import_contacts (self, options);
  if (g_variant_dict_contains (options, "dry-run"))
    return usage_error (_ ("--dry-run goes with --import-contacts FILE."));

  if (g_variant_dict_contains (options, "report") || g_variant_dict_contains (options, "pdf") ||
      g_variant_dict_contains (options, "export-csv") ||
      g_variant_dict_contains (options, "from") || g_variant_dict_contains (options, "to") ||
      g_variant_dict_contains (options, "shift-jis"))
    return dengon_application_run_headless (self, options);

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
  DengonApplication *self = DENGON_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_auto (GStrv) argv = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  const char *incoming = NULL;
  const char *name = NULL;
  int argc;

  argv = g_application_command_line_get_arguments (command_line, &argc);

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line, argv[i]));

  /* `dengon --incoming NUMBER [--name NAME]`, also from another process: the running instance
   * rings. */
  if (g_variant_dict_lookup (options, "incoming", "&s", &incoming))
    {
      g_variant_dict_lookup (options, "name", "&s", &name);
      g_application_activate (app);
      if (self->store != NULL)
        dengon_call_manager_ring (self->call_manager, incoming, name, "command-line", NULL, NULL);
      if (files->len > 0)
        g_application_open (app, (GFile **) files->pdata, files->len, "");
      return 0;
    }

  if (files->len > 0)
    g_application_open (app, (GFile **) files->pdata, files->len, "");
  else if (!g_variant_dict_contains (options, "background"))
    g_application_activate (app);

  return 0;
}

static char *
dengon_application_get_database_path (DengonApplication *self)
{
  return g_build_filename (self->data_dir, "dengon.db", NULL);
}

static void
on_notifier_open_memo (DengonApplication *self, const char *memo_id)
{
  DengonWindow *window = dengon_application_ensure_main_window (self);

  dengon_window_show_memo (window, memo_id);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_notifier_call_back (DengonApplication *self, const char *memo_id)
{
  if (g_action_group_has_action (G_ACTION_GROUP (self), "call-back"))
    g_action_group_activate_action (G_ACTION_GROUP (self), "call-back",
                                    g_variant_new_string (memo_id));
  else
    on_notifier_open_memo (self, memo_id);
}

static void
on_desk_changed (DengonApplication *self)
{
  g_autofree char *me =
      g_settings_get_string (dengon_settings_get_gsettings (self->settings), "desk-staff-id");

  if (self->notifier != NULL)
    dengon_notifier_set_me (self->notifier, me);
}

/* Notifications follow the store from start-up on, window or not. */
static void
dengon_application_start_notifier (DengonApplication *self)
{
  g_clear_object (&self->notifier);
  self->notifier =
      dengon_notifier_new (self->store, dengon_settings_get_gsettings (self->settings));
  g_signal_connect_object (self->notifier, "open-memo", G_CALLBACK (on_notifier_open_memo), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notifier, "call-back", G_CALLBACK (on_notifier_call_back), self,
                           G_CONNECT_SWAPPED);
  on_desk_changed (self);
}

/* "Run in the background": the application stays when its window closes,
 * and starts at login (an XDG autostart entry). */
static void
update_background (DengonApplication *self)
{
  GSettings *settings = dengon_settings_get_gsettings (self->settings);
  gboolean background = g_settings_get_boolean (settings, "run-in-background");
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "autostart", NULL);
  g_autofree char *path = g_build_filename (dir, APPLICATION_ID ".desktop", NULL);
  g_autoptr (GError) error = NULL;

  if (background && !self->held)
    {
      g_application_hold (G_APPLICATION (self));
      self->held = TRUE;
    }
  else if (!background && self->held)
    {
      g_application_release (G_APPLICATION (self));
      self->held = FALSE;
    }

  if (background)
    {
      g_autofree char *entry =
          g_strdup_printf ("[Desktop Entry]\n"
                           "Type=Application\n"
                           "Name=%s\n"
                           "Comment=%s\n"
                           "Icon=" APPLICATION_ID "\n"
                           "Exec=dengon --background\n"
                           "X-GNOME-Autostart-enabled=true\n"
                           "NoDisplay=true\n",
                           _ ("Dengon"), _ ("Notifications and sync for Dengon"));

      if (g_mkdir_with_parents (dir, 0700) != 0 || !g_file_set_contents (path, entry, -1, &error))
        g_message ("Could not set up the start at login: %s",
                   error ? error->message : g_strerror (errno));
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_unlink (path);
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
  dengon_application_start_notifier (self);

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

/* ------------------------------------------------------------------ calls */

static DengonCallWindow *
get_call_window (DengonApplication *self)
{
  return self->call_window;
}

static void
on_call_window_destroy (DengonApplication *self)
{
  g_clear_object (&self->call_window);
}

static DengonCallWindow *
ensure_call_window (DengonApplication *self)
{
  if (self->call_window == NULL)
    {
      self->call_window = g_object_ref (dengon_call_window_new (self));
      g_signal_connect_object (self->call_window, "destroy", G_CALLBACK (on_call_window_destroy),
                               self, G_CONNECT_SWAPPED);
    }

  return self->call_window;
}

/* A hidden call window must not keep Dengon running once the inbox is closed. */
static void
on_window_removed (GtkApplication *app, GtkWindow *window, DengonApplication *self)
{
  if (self->call_window != NULL && DENGON_IS_WINDOW (window) &&
      !gtk_widget_get_visible (GTK_WIDGET (self->call_window)))
    gtk_window_destroy (GTK_WINDOW (self->call_window));
}

/* Shows @call (and every other open call) in the call window, and brings it to the front. */
static DengonCallPanel *
show_call (DengonApplication *self, DengonCall *call)
{
  DengonCallWindow *window = get_call_window (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->call_manager));
  DengonCallPanel *panel = NULL;

  /* One call window for the life of the process: made once, hidden (and let go of by the
   * application, so it does not keep Dengon running) when its last call ends, shown again at the
   * next ring. Making a window per ring costs more than the 50 ms a ring may take. */
  if (window == NULL)
    window = ensure_call_window (self);
  if (!gtk_widget_get_visible (GTK_WIDGET (window)))
    /* Shown before its tab is added: GTK 4.8 exposes a window whose children touched their
     * accessible properties before it was mapped as a "filler", not a "frame". */
    gtk_window_present (GTK_WINDOW (window));

  /* Calls kept while the window was closed come back with it. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonCall) other = g_list_model_get_item (G_LIST_MODEL (self->call_manager), i);
      DengonCallPanel *other_panel = dengon_call_window_add_call (window, other);

      if (other == call)
        panel = other_panel;
    }

  gtk_window_present (GTK_WINDOW (window));

  return panel;
}

/* The first call panel of a process costs its templates, style and fonts (tens of ms): pay that
 * once at start-up, in an idle moment, not when the phone rings. */
static gboolean
prewarm_call_panel (gpointer user_data)
{
  DengonApplication *self = user_data;
  g_autoptr (DengonCall) call = NULL;
  GtkWidget *window;
  DengonCallPanel *panel;
  int minimum, natural;

  if (self->store == NULL || self->call_manager == NULL)
    return G_SOURCE_REMOVE;

  /* The call window, made now and kept hidden until the phone rings. */
  ensure_call_window (self);

  call = dengon_call_new (DENGON_CALL_DIRECTION_IN, "0312345678", NULL);
  window = gtk_window_new ();
  panel = dengon_call_panel_new (self, call);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  gtk_widget_measure (GTK_WIDGET (panel), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (panel), GTK_ORIENTATION_VERTICAL, natural, &minimum, &natural,
                      NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));

  return G_SOURCE_REMOVE;
}

static void
on_call_added (DengonCallManager *manager, DengonCall *call, DengonApplication *self)
{
  /* A draft being restored shows itself once its state is in. */
  if (g_strcmp0 (dengon_call_get_source (call), "draft") == 0)
    return;

  show_call (self, call);
}

static void
dengon_application_incoming_call_action (GSimpleAction *action, GVariant *parameter,
                                         gpointer user_data)
{
  DengonApplication *self = user_data;

  if (self->store == NULL)
    return;

  /* One new call per press; the person types the number the caller gives. */
  dengon_call_manager_ring (self->call_manager, NULL, NULL, "button", NULL, NULL);
}

/* Drafts of calls that were open when Dengon stopped (closed, killed, power cut) come back. */
static void
restore_drafts (DengonApplication *self)
{
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (GError) error = NULL;

  if (self->drafts_restored || self->store == NULL)
    return;
  self->drafts_restored = TRUE;

  drafts = dengon_store_list_local (self->store, DENGON_CALL_DRAFT_PREFIX, &error);
  if (drafts == NULL)
    {
      g_warning ("Could not read the drafts of calls: %s", error->message);
      return;
    }

  for (guint i = 0; i < drafts->len; i++)
    {
      JsonObject *draft = g_ptr_array_index (drafts, i);
      JsonObject *info = dengon_json_get_object (draft, "call");
      JsonObject *state = dengon_json_get_object (draft, "state");
      g_autoptr (GDateTime) started = NULL;
      g_autoptr (DengonCall) call = NULL;
      const char *id;
      DengonCall *added;
      DengonCallPanel *panel;

      if (info == NULL || state == NULL)
        continue;
      id = dengon_json_get_string (info, "id");
      if (id == NULL || dengon_call_manager_find (self->call_manager, id) != NULL)
        continue;

      started = dengon_json_parse_timestamp (dengon_json_get_string (info, "started_at"));
      call =
          dengon_call_new_full (id,
                                g_strcmp0 (dengon_json_get_string (info, "direction"), "out") == 0
                                    ? DENGON_CALL_DIRECTION_OUT
                                    : DENGON_CALL_DIRECTION_IN,
                                dengon_json_get_string (info, "number"),
                                dengon_json_get_string (info, "display_name"), started);
      dengon_call_set_source (call, "draft");
      dengon_call_set_phone_call_id (call, dengon_json_get_string (info, "phone_call_id"));
      dengon_call_set_line (call, dengon_json_get_string (info, "line"));
      if (g_str_has_prefix (dengon_json_get_string (info, "regarding") ?: "", "memo:"))
        dengon_call_set_regarding (call, dengon_json_get_string (info, "regarding"));
      added = dengon_call_manager_add (self->call_manager, call);
      panel = show_call (self, added);
      if (panel != NULL)
        dengon_call_panel_restore (panel, state);
    }
}

/* ------------------------------------------------------------------ shared documents */

typedef struct
{
  GPtrArray *scripts;
  GPtrArray *problems;
  GPtrArray *staff;
  JsonObject *office;
} Caches;

static void
caches_free (Caches *caches)
{
  g_clear_pointer (&caches->scripts, g_ptr_array_unref);
  g_clear_pointer (&caches->problems, g_ptr_array_unref);
  g_clear_pointer (&caches->staff, g_ptr_array_unref);
  g_clear_pointer (&caches->office, json_object_unref);
  g_free (caches);
}

static int
compare_staff (gconstpointer a, gconstpointer b)
{
  JsonObject *sa = *(JsonObject *const *) a;
  JsonObject *sb = *(JsonObject *const *) b;
  const char *ka = dengon_json_get_string (sa, "reading");
  const char *kb = dengon_json_get_string (sb, "reading");

  return g_strcmp0 (ka != NULL ? ka : dengon_json_get_string (sa, "name"),
                    kb != NULL ? kb : dengon_json_get_string (sb, "name"));
}

static Caches *
load_caches (DengonStore *store, gboolean import, GError **error)
{
  Caches *caches = g_new0 (Caches, 1);
  g_autoptr (GPtrArray) staff = NULL;
  g_autoptr (GError) local_error = NULL;
  guint n_imported = 0;

  /* First run (and new shipped scripts later): the defaults become documents. */
  if (import && !dengon_script_library_import_defaults (store, &n_imported, &local_error))
    {
      g_warning ("Could not import the default scripts: %s", local_error->message);
      g_clear_error (&local_error);
    }
  if (n_imported > 0)
    g_message ("Imported %u default scripts", n_imported);

  if (!dengon_script_library_load (store, &caches->scripts, &caches->problems, error))
    {
      caches_free (caches);
      return NULL;
    }
  for (guint i = 0; i < caches->problems->len; i++)
    g_message ("Script not offered: %s", (const char *) g_ptr_array_index (caches->problems, i));

  caches->staff = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  staff = dengon_store_list_by_type (store, "staff", NULL);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (staff, i);

      if (dengon_json_get_boolean (doc, "active", TRUE) &&
          dengon_json_get_string (doc, "name") != NULL)
        g_ptr_array_add (caches->staff, json_object_ref (doc));
    }
  g_ptr_array_sort (caches->staff, compare_staff);

  caches->office = dengon_store_get (store, "office:settings", NULL);

  return caches;
}

static gpointer
load_caches_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return load_caches (store, GPOINTER_TO_INT (data), error);
}

static void
set_caches (DengonApplication *self, Caches *caches)
{
  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  g_clear_pointer (&self->script_problems, g_ptr_array_unref);
  g_clear_pointer (&self->staff_docs, g_ptr_array_unref);
  g_clear_pointer (&self->office, json_object_unref);
  self->scripts = g_steal_pointer (&caches->scripts);
  self->script_problems = g_steal_pointer (&caches->problems);
  self->staff_docs = g_steal_pointer (&caches->staff);
  self->office = g_steal_pointer (&caches->office);
}

static void
on_caches_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  Caches *caches = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (caches == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read scripts and staff: %s", error->message);
      return;
    }

  set_caches (self, caches);
  caches_free (caches);
}

static void
reload_caches (DengonApplication *self, gboolean import)
{
  if (self->store == NULL)
    return;

  dengon_store_run_async (self->store, load_caches_thread, GINT_TO_POINTER (import), NULL,
                          (GDestroyNotify) caches_free, self->cancellable, on_caches_loaded,
                          g_object_ref (self));
}

static gboolean
on_reload_timeout (gpointer user_data)
{
  DengonApplication *self = user_data;

  self->reload_source = 0;
  reload_caches (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (DengonStore *store, GPtrArray *changes, DengonApplication *self)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = g_ptr_array_index (changes, i);

      if (g_strcmp0 (change->type, "script") == 0 || g_strcmp0 (change->type, "staff") == 0 ||
          g_strcmp0 (change->type, "office") == 0 || g_strcmp0 (change->id, "office:settings") == 0)
        {
          /* Replication brings many at once: read them once. */
          if (self->reload_source == 0)
            self->reload_source = g_timeout_add (100, on_reload_timeout, self);
          return;
        }
    }
}

/* ------------------------------------------------------------------ desk-phone action URL */

static void
set_action_url_problem (DengonApplication *self, const char *problem)
{
  g_free (self->action_url_problem);
  self->action_url_problem = g_strdup (problem);
}

static void update_action_url (DengonApplication *self);

static void
on_token_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonApplication) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!dengon_secrets_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not keep the desk-phone token in the keyring: %s", error->message);
      set_action_url_problem (self, _ ("The keyring is not available."));
      g_clear_pointer (&self->action_url_token, g_free);
    }
  self->token_pending = FALSE;
  update_action_url (self);
}

static void
store_new_token (DengonApplication *self)
{
  g_free (self->action_url_token);
  self->action_url_token = dengon_secrets_generate_token ();
  self->token_pending = TRUE;
  dengon_secrets_store_async (self->data_dir, ACTION_URL_SECRET, "",
                              _ ("Dengon desk-phone action URL token"), self->action_url_token,
                              self->cancellable, on_token_stored, g_object_ref (self));
}

static void
on_token_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = dengon_secrets_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not read the desk-phone token from the keyring: %s", error->message);
      self->token_pending = FALSE;
      set_action_url_problem (self, _ ("The keyring is not available."));
      g_signal_emit (self, signals[ACTION_URL_CHANGED], 0);
      return;
    }

  if (token == NULL)
    {
      store_new_token (self);
      return;
    }

  self->token_pending = FALSE;
  self->action_url_token = g_steal_pointer (&token);
  update_action_url (self);
}

static void
update_action_url (DengonApplication *self)
{
  GSettings *settings = dengon_settings_get_gsettings (self->settings);
  gboolean enabled = g_settings_get_boolean (settings, "action-url-enabled");
  int port = g_settings_get_int (settings, "action-url-port");
  g_autoptr (GError) error = NULL;

  if (self->action_url == NULL)
    return;

  if (!enabled || self->store == NULL)
    {
      dengon_action_url_server_stop (self->action_url);
      set_action_url_problem (self, NULL);
      g_signal_emit (self, signals[ACTION_URL_CHANGED], 0);
      return;
    }

  if (self->token_pending)
    return;

  if (self->action_url_token == NULL)
    {
      self->token_pending = TRUE;
      set_action_url_problem (self, NULL);
      dengon_secrets_lookup_async (self->data_dir, ACTION_URL_SECRET, "", self->cancellable,
                                   on_token_looked_up, g_object_ref (self));
      g_signal_emit (self, signals[ACTION_URL_CHANGED], 0);
      return;
    }

  dengon_action_url_server_set_token (self->action_url, self->action_url_token);
  if (dengon_action_url_server_is_listening (self->action_url) &&
      dengon_action_url_server_get_port (self->action_url) == (guint) port)
    {
      g_signal_emit (self, signals[ACTION_URL_CHANGED], 0);
      return;
    }

  if (dengon_action_url_server_listen (self->action_url, CLAMP (port, 1, 65535), FALSE, &error))
    set_action_url_problem (self, NULL);
  else
    {
      g_warning ("The desk-phone action URL cannot listen on port %d: %s", port, error->message);
      set_action_url_problem (self, error->message);
    }
  g_signal_emit (self, signals[ACTION_URL_CHANGED], 0);
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
  restore_drafts (self);

  if (!self->prewarmed)
    {
      self->prewarmed = TRUE;
      g_idle_add_full (G_PRIORITY_LOW, prewarm_call_panel, g_object_ref (self), g_object_unref);
    }
}

static void
dengon_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  DengonApplication *self = DENGON_APPLICATION (app);

  g_application_activate (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      /* A tel: link is a call the office makes: an outgoing-call memo for that number. */
      if (g_file_has_uri_scheme (files[i], "tel") && self->store != NULL)
        dengon_call_manager_dial (self->call_manager, uri, "link");
      else
        g_debug ("Asked to open %s", uri);
    }
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

/* The evening review: one window, brought back when it is open already. */
static void
dengon_application_review_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DengonApplication *self = user_data;

  if (self->store == NULL)
    return;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (DENGON_IS_REVIEW_WINDOW (l->data))
        {
          gtk_window_present (l->data);
          return;
        }
    }

  gtk_window_present (GTK_WINDOW (dengon_review_window_new (self)));
}

/* The contacts: one window, brought back when it is open already. */
static DengonContactsWindow *
ensure_contacts_window (DengonApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (DENGON_IS_CONTACTS_WINDOW (l->data))
        return l->data;
    }
  return dengon_contacts_window_new (self);
}

static void
dengon_application_contacts_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DengonApplication *self = user_data;

  if (self->store == NULL)
    return;
  gtk_window_present (GTK_WINDOW (ensure_contacts_window (self)));
}

static void
dengon_application_show_contact_action (GSimpleAction *action, GVariant *parameter,
                                        gpointer user_data)
{
  DengonApplication *self = user_data;
  DengonContactsWindow *window;

  if (self->store == NULL)
    return;
  window = ensure_contacts_window (self);
  dengon_contacts_window_show_contact (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

/* A call the office makes from its contacts or a follow-up list: the outbound script. */
static void
dengon_application_dial_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DengonApplication *self = user_data;

  if (self->store == NULL)
    return;
  dengon_call_manager_dial (self->call_manager, g_variant_get_string (parameter, NULL), "contacts");
}

/* "Call Back Now" on a memo: an outgoing call to the number the caller
 * left, with the outbound script; saved, it is linked to the memo. */
static void
dengon_application_call_back_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DengonApplication *self = user_data;
  const char *memo_id = g_variant_get_string (parameter, NULL);
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *callback, *call, *caller;
  const char *number;
  DengonCall *outgoing;

  if (self->store == NULL)
    return;

  memo = dengon_store_get (self->store, memo_id, &error);
  if (memo == NULL)
    {
      g_message ("Cannot call back %s: %s", memo_id, error->message);
      return;
    }

  callback = dengon_json_get_object (memo, "callback");
  call = dengon_json_get_object (memo, "call");
  caller = dengon_json_get_object (memo, "caller");
  number = dengon_json_get_string (callback, "number");
  if (number == NULL)
    number = dengon_json_get_string (call, "number");

  outgoing = dengon_call_manager_dial (self->call_manager, number, "callback");
  dengon_call_set_display_name (outgoing, dengon_json_get_string (caller, "name"));
  dengon_call_set_regarding (outgoing, memo_id);
}

static void
on_called_back (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) memo =
      dengon_memo_action_run_finish (DENGON_STORE (source), result, &error);

  if (memo == NULL)
    g_message ("Could not record the callback: %s", error->message);
}

/* A callback that was saved marks the memo it answers "called back", with
 * the new memo's first line as the outcome. */
static void
on_call_removed (DengonCallManager *manager, DengonCall *call, DengonApplication *self)
{
  g_autoptr (JsonObject) saved = NULL;
  g_autoptr (DengonMemoAction) action = NULL;
  g_autofree char *me = NULL;
  g_autofree char *summary = NULL;

  if (dengon_call_get_regarding (call) == NULL || dengon_call_get_memo_id (call) == NULL ||
      self->store == NULL)
    return;

  me = g_settings_get_string (dengon_settings_get_gsettings (self->settings), "desk-staff-id");
  saved = dengon_store_get (self->store, dengon_call_get_memo_id (call), NULL);
  summary = saved != NULL ? dengon_memo_get_summary (saved) : NULL;

  action = dengon_memo_action_new (DENGON_MEMO_ACTION_CALLED_BACK, *me ? me : NULL);
  action->note = summary != NULL && *summary ? g_steal_pointer (&summary) : NULL;
  dengon_memo_action_run_async (self->store, dengon_call_get_regarding (call), action,
                                self->cancellable, on_called_back, NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", dengon_application_quit_action },
  { "review", dengon_application_review_action },
  { "contacts", dengon_application_contacts_action },
  { "show-contact", dengon_application_show_contact_action, "s" },
  { "dial", dengon_application_dial_action, "s" },
  { "preferences", dengon_application_preferences_action },
  { "about", dengon_application_about_action },
  { "incoming-call", dengon_application_incoming_call_action },
  { "call-back", dengon_application_call_back_action, "s" },
};

static void
dengon_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *review_accels[] = { "<Control>r", NULL };
  static const char *contacts_accels[] = { "<Control><Shift>c", NULL };
  static const char *incoming_accels[] = { "<Control>i", NULL };
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
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.review", review_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.contacts", contacts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.incoming-call",
                                         incoming_accels);

  self->settings = dengon_settings_new ();

  if (self->data_dir == NULL)
    self->data_dir = dengon_paths_default_data_dir ();

  g_signal_connect_object (dengon_settings_get_gsettings (self->settings), "changed::desk-staff-id",
                           G_CALLBACK (on_desk_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dengon_settings_get_gsettings (self->settings),
                           "changed::run-in-background", G_CALLBACK (update_background), self,
                           G_CONNECT_SWAPPED);

  if (!dengon_application_open_store (self))
    g_message ("%s", self->store_error->message);

  update_background (self);
  self->cancellable = g_cancellable_new ();
  self->call_manager = dengon_call_manager_new ();
  g_signal_connect_object (self->call_manager, "call-added", G_CALLBACK (on_call_added), self, 0);
  g_signal_connect_object (self->call_manager, "call-removed", G_CALLBACK (on_call_removed), self,
                           0);
  g_signal_connect (self, "window-removed", G_CALLBACK (on_window_removed), self);

  /* What a ring needs is in memory before the phone rings: the panel never waits on the disk
   * for its script. */
  if (self->store != NULL)
    {
      Caches *caches = load_caches (self->store, FALSE, NULL);

      if (caches != NULL)
        {
          set_caches (self, caches);
          caches_free (caches);
        }
      g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self, 0);
      reload_caches (self, TRUE);
    }

  self->action_url = dengon_action_url_server_new (self->call_manager);
  g_signal_connect_object (dengon_settings_get_gsettings (self->settings),
                           "changed::action-url-enabled", G_CALLBACK (update_action_url), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dengon_settings_get_gsettings (self->settings),
                           "changed::action-url-port", G_CALLBACK (update_action_url), self,
                           G_CONNECT_SWAPPED);
  update_action_url (self);
}

static void
dengon_application_shutdown (GApplication *app)
{
  DengonApplication *self = DENGON_APPLICATION (app);

  /* Call panels keep their drafts on the way out: close them while the store is open. */
  if (self->call_window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self->call_window));
      g_clear_object (&self->call_window);
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->action_url != NULL)
    dengon_action_url_server_stop (self->action_url);

  G_APPLICATION_CLASS (dengon_application_parent_class)->shutdown (app);

  g_clear_object (&self->sync);
  g_clear_object (&self->notifier);
  g_clear_object (&self->action_url);
  g_clear_object (&self->call_manager);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
}

static void
dengon_application_finalize (GObject *object)
{
  DengonApplication *self = (DengonApplication *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->sync);
  g_clear_object (&self->notifier);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_object (&self->action_url);
  g_clear_object (&self->call_manager);
  g_clear_object (&self->call_window);
  g_clear_object (&self->cancellable);
  if (self->action_url_token != NULL)
    memset (self->action_url_token, 0, strlen (self->action_url_token));
  g_clear_pointer (&self->action_url_token, g_free);
  g_clear_pointer (&self->action_url_problem, g_free);
  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  g_clear_pointer (&self->script_problems, g_ptr_array_unref);
  g_clear_pointer (&self->staff_docs, g_ptr_array_unref);
  g_clear_pointer (&self->office, json_object_unref);

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

  /**
   * DengonApplication::action-url-changed:
   *
   * The desk-phone listener started, stopped, failed or got a new token.
   */
  signals[ACTION_URL_CHANGED] =
      g_signal_new ("action-url-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 0);
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

DengonNotifier *
dengon_application_get_notifier (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->notifier;
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

DengonCallManager *
dengon_application_get_call_manager (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->call_manager;
}

GPtrArray *
dengon_application_get_scripts (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  if (self->scripts == NULL)
    self->scripts = g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_script_unref);

  return self->scripts;
}

GPtrArray *
dengon_application_get_script_problems (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  if (self->script_problems == NULL)
    self->script_problems = g_ptr_array_new_with_free_func (g_free);

  return self->script_problems;
}

GPtrArray *
dengon_application_get_staff (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  if (self->staff_docs == NULL)
    self->staff_docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  return self->staff_docs;
}

JsonObject *
dengon_application_get_office (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return self->office;
}

const char *
dengon_application_get_script_language (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  /* The language gettext picked for the UI. */
  return dengon_phone_language_for_locale (NULL);
}

gboolean
dengon_application_get_action_url_status (DengonApplication *self, guint *port,
                                          const char **problem)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), FALSE);

  if (port != NULL)
    *port = self->action_url != NULL ? dengon_action_url_server_get_port (self->action_url) : 0;
  if (problem != NULL)
    *problem = self->action_url_problem;

  return self->action_url != NULL && dengon_action_url_server_is_listening (self->action_url);
}

char *
dengon_application_dup_action_url_token (DengonApplication *self)
{
  g_return_val_if_fail (DENGON_IS_APPLICATION (self), NULL);

  return g_strdup (self->action_url_token);
}

void
dengon_application_regenerate_action_url_token (DengonApplication *self)
{
  g_return_if_fail (DENGON_IS_APPLICATION (self));

  if (self->token_pending)
    return;

  store_new_token (self);
  g_signal_emit (self, signals[ACTION_URL_CHANGED], 0);
}
