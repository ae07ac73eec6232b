/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "dengon-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (DengonApplication) app = NULL;
  const char *localedir;

  /* An uninstalled build (`meson devenv`) points this at build/po. */
  localedir = g_getenv ("DENGON_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = dengon_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
