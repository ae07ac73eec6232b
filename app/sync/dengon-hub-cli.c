/* dengon-hub-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

#include "dengon-conflict-resolver.h"
#include "dengon-hub-accounts.h"
#include "dengon-hub-certificate.h"
#include "dengon-hub-cli.h"
#include "dengon-hub.h"
#include "dengon-password.h"
#include "dengon-paths.h"
#include "dengon-sync-common.h"

#define HUB_LOCK_FILE "hub.lock"

static gboolean
on_quit_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* One hub per data folder: a second one would fight over the port and the database. */
int
dengon_hub_lock_data_dir (const char *data_dir, GError **error)
{
  g_autofree char *path = g_build_filename (data_dir, HUB_LOCK_FILE, NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Another Dengon hub is already running for “%s”."), data_dir);
      return -1;
    }

  return fd;
}

int
dengon_hub_cli_serve (const char *data_dir, const char *address, int port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (DengonHubAccounts) accounts = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (DengonHub) hub = NULL;
  g_autoptr (DengonConflictResolver) resolver = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *path = NULL;
  g_auto (GStrv) urls = NULL;
  g_auto (GStrv) names = NULL;
  int lock;

  if (port < 0)
    port = DENGON_SYNC_DEFAULT_PORT;
  if (port > 65535)
    {
      g_printerr (_ ("The port must be between 1 and 65535.\n"));
      return 2;
    }

  if (!dengon_paths_ensure_data_dir (data_dir, &error) ||
      (lock = dengon_hub_lock_data_dir (data_dir, &error)) < 0)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  path = g_build_filename (data_dir, "dengon.db", NULL);
  store = dengon_store_open (path, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  accounts = dengon_hub_accounts_new_for_data_dir (data_dir, &error);
  certificate = accounts ? dengon_hub_certificate_ensure (data_dir, &error) : NULL;
  if (certificate == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  hub = dengon_hub_new (store, accounts, certificate);
  if (!dengon_hub_listen (hub, address, port, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  /* Both desks that meet here merge memos the same way; the hub does too. */
  resolver = dengon_conflict_resolver_new (store);

  urls = dengon_hub_get_urls (hub);
  g_print (_ ("Dengon hub for %s\n"), data_dir);
  for (guint i = 0; urls[i] != NULL; i++)
    g_print ("  %s\n", urls[i]);
  g_print (_ ("Certificate fingerprint (SHA-256): %s\n"), dengon_hub_get_fingerprint (hub));
  names = dengon_hub_accounts_list (accounts);
  if (names[0] == NULL)
    g_print (_ ("No accounts yet: add one with “dengon --hub-user add NAME”.\n"));
  /* Whoever started it (a test, systemd) reads the address at once. */
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_main_loop_run (loop);

  dengon_hub_stop (hub);
  g_print (_ ("Hub stopped.\n"));
  close (lock);

  return 0;
}

/* A line from standard input, without echo on a terminal. */
static char *
read_password (const char *prompt, gboolean tty)
{
  struct termios old, quiet;
  char buffer[DENGON_PASSWORD_MAX_LENGTH + 2];
  char *line;

  if (tty)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &old);
      quiet = old;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }

  line = fgets (buffer, sizeof buffer, stdin);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &old);
      g_printerr ("\n");
    }

  if (line == NULL)
    return NULL;

  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  memset (buffer, 0, sizeof buffer);

  return line;
}

int
dengon_hub_cli_user (const char *data_dir, const char *action, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonHubAccounts) accounts = NULL;
  gboolean tty = isatty (STDIN_FILENO);

  if (!dengon_paths_ensure_data_dir (data_dir, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  accounts = dengon_hub_accounts_new_for_data_dir (data_dir, &error);
  if (accounts == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (g_strcmp0 (action, "list") == 0)
    {
      g_auto (GStrv) names = dengon_hub_accounts_list (accounts);

      for (guint i = 0; names[i] != NULL; i++)
        g_print ("%s\n", names[i]);
      return 0;
    }

  if (name == NULL || (g_strcmp0 (action, "add") != 0 && g_strcmp0 (action, "passwd") != 0 &&
                       g_strcmp0 (action, "remove") != 0))
    {
      g_printerr (_ ("Usage: dengon [--data-dir DIR] --hub-user add|passwd|remove NAME\n"
                     "       dengon [--data-dir DIR] --hub-user list\n"
                     "The password is read from standard input.\n"));
      return 2;
    }

  if (g_str_equal (action, "remove"))
    {
      if (!dengon_hub_accounts_remove (accounts, name, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print (_ ("Account “%s” removed.\n"), name);
      return 0;
    }

  {
    g_autofree char *password = read_password (_ ("Password: "), tty);
    g_autofree char *again = NULL;
    gboolean ok;

    if (password == NULL)
      {
        g_printerr (_ ("No password was given on standard input.\n"));
        return 1;
      }
    if (tty)
      {
        again = read_password (_ ("The same password again: "), tty);
        if (g_strcmp0 (password, again) != 0)
          {
            g_printerr (_ ("The passwords differ; nothing was changed.\n"));
            return 1;
          }
      }

    ok = dengon_hub_accounts_set (accounts, name, password, g_str_equal (action, "passwd"), &error);
    memset (password, 0, strlen (password));
    if (again != NULL)
      memset (again, 0, strlen (again));
    if (!ok)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
  }

  g_print (g_str_equal (action, "add") ? _ ("Account “%s” added.\n")
                                       : _ ("Password of “%s” changed.\n"),
           name);

  return 0;
}
