/* dengon-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dengon-paths.h"

/* $XDG_DATA_HOME/dengon: the database, the hub's certificate and
 * nothing else. */
char *
dengon_paths_default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "dengon", NULL);
}

gboolean
dengon_paths_ensure_data_dir (const char *data_dir, GError **error)
{
  g_return_val_if_fail (data_dir != NULL, FALSE);

  /* Messages from customers are private: only this user reads them. */
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Could not create the data folder “%s”: %s"), data_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
