/* sync-client.c: a desk that replicates once and exits, for the fault tests (which kill it)
 *
 *   sync-client --store PATH --url URL --user NAME [--fingerprint FP] [--batch N]
 *               [--direction pull|push|both]
 *
 * The password comes from $DENGON_TEST_PASSWORD. Prints "written N" after every batch and, at
 * the end, one JSON line: {"ok":…,"docs_read":…,"docs_written":…,"pull_start":…}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dengon-couch-client.h"
#include "dengon-replicator.h"
#include "dengon-store.h"

static void
on_written (GObject *object, GParamSpec *pspec, gpointer data)
{
  g_print ("written %" G_GUINT64_FORMAT "\n",
           dengon_replicator_get_docs_written (DENGON_REPLICATOR (object)));
  fflush (stdout);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **error = data;

  if (dengon_replicator_run_finish (DENGON_REPLICATOR (source), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

int
main (int argc, char *argv[])
{
  g_autofree char *store_path = NULL, *url = NULL, *user = NULL, *fingerprint = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *start = NULL;
  int batch = 0;
  const GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, NULL, NULL },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, NULL, NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, NULL, NULL },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint, NULL, NULL },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, NULL, NULL },
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction, NULL, NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (DengonCouchClient) client = NULL;
  g_autoptr (DengonReplicator) replicator = NULL;
  DengonReplicatorDirection directions = DENGON_REPLICATOR_PULL;
  GError *result = NULL;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || store_path == NULL || url == NULL)
    {
      g_printerr ("sync-client: %s\n", error ? error->message : "--store and --url are needed");
      return 2;
    }
  if (g_strcmp0 (direction, "push") == 0)
    directions = DENGON_REPLICATOR_PUSH;
  else if (g_strcmp0 (direction, "both") == 0)
    directions = DENGON_REPLICATOR_BOTH;

  store = dengon_store_open (store_path, &error);
  if (store != NULL)
    client =
        dengon_couch_client_new (url, user, g_getenv ("DENGON_TEST_PASSWORD"), fingerprint, &error);
  if (client == NULL)
    {
      g_printerr ("sync-client: %s\n", error->message);
      return 1;
    }

  replicator = dengon_replicator_new (store, client, directions);
  if (batch > 0)
    dengon_replicator_set_batch_size (replicator, batch);
  g_signal_connect (replicator, "notify::docs-written", G_CALLBACK (on_written), NULL);
  dengon_replicator_run_async (replicator, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  ok = g_error_matches (result, G_IO_ERROR, G_IO_ERROR_NONE);
  start = dengon_replicator_dup_pull_start (replicator);
  g_print ("{\"ok\":%s,\"docs_read\":%" G_GUINT64_FORMAT ",\"docs_written\":%" G_GUINT64_FORMAT
           ",\"pull_start\":%s}\n",
           ok ? "true" : "false", dengon_replicator_get_docs_read (replicator),
           dengon_replicator_get_docs_written (replicator), start ? start : "null");
  if (!ok)
    g_printerr ("sync-client: %s\n", result->message);
  g_error_free (result);

  g_clear_object (&replicator);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return ok ? 0 : 1;
}
