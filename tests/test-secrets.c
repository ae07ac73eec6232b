/* test-secrets.c: secrets in a real keyring (gnome-keyring on a private bus)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dengon-secrets.h"

static void
test_store_lookup_clear (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *other = NULL;
  g_autofree char *gone = NULL;

  g_assert_true (dengon_secrets_store_sync ("/data/a", "sync-password", "https://hub:6984/ ken",
                                            "Dengon sync password", "s3cret 秘密", NULL, &error));
  g_assert_no_error (error);

  found = dengon_secrets_lookup_sync ("/data/a", "sync-password", "https://hub:6984/ ken", NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "s3cret 秘密");

  /* Another profile, account or kind does not see it. */
  other = dengon_secrets_lookup_sync ("/data/b", "sync-password", "https://hub:6984/ ken", NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_null (other);
  other = dengon_secrets_lookup_sync ("/data/a", "action-url-token", "https://hub:6984/ ken", NULL,
                                      &error);
  g_assert_null (other);

  g_assert_true (dengon_secrets_clear_sync ("/data/a", "sync-password", "https://hub:6984/ ken",
                                            NULL, &error));
  gone = dengon_secrets_lookup_sync ("/data/a", "sync-password", "https://hub:6984/ ken", NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_null (gone);

  /* Clearing what is not there is fine. */
  g_assert_true (dengon_secrets_clear_sync ("/data/a", "sync-password", "nobody", NULL, &error));
  g_assert_no_error (error);
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (dengon_secrets_store_finish (result, &error));
  g_assert_no_error (error);
  *(int *) user_data = 1;
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  *(char **) user_data = dengon_secrets_lookup_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  int stored = 0;
  char *token = dengon_secrets_generate_token ();
  char *found = NULL;

  g_assert_cmpuint (strlen (token), ==, 32);
  dengon_secrets_store_async ("/data/a", "action-url-token", "", "Dengon desk phone token", token,
                              NULL, on_stored, &stored);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);
  dengon_secrets_lookup_async ("/data/a", "action-url-token", "", NULL, on_looked_up, &found);
  while (found == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (found, ==, token);
  g_free (found);
  g_free (token);
}

static void
test_tokens_differ (void)
{
  g_autofree char *a = dengon_secrets_generate_token ();
  g_autofree char *b = dengon_secrets_generate_token ();

  g_assert_cmpstr (a, !=, b);
  for (const char *p = a; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dengon/secrets/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/dengon/secrets/async", test_async);
  g_test_add_func ("/dengon/secrets/tokens-differ", test_tokens_differ);

  return g_test_run ();
}
