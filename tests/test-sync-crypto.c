/* test-sync-crypto.c: passwords, certificates, fingerprints, addresses and hub accounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dengon-hub-accounts.h"
#include "dengon-hub-certificate.h"
#include "dengon-password.h"
#include "dengon-sync-common.h"
#include "sync-test-util.h"

/* PBKDF2-HMAC-SHA256 known answers: RFC 7914 §11, and the SHA-256 vectors that accompany
 * RFC 6070 (the same inputs as RFC 6070's SHA-1 cases). */
typedef struct
{
  const char *name;
  const char *password;
  gsize password_length;
  const char *salt;
  gsize salt_length;
  guint iterations;
  const char *key_hex;
} Pbkdf2Vector;

static const Pbkdf2Vector pbkdf2_vectors[] = {
  { "rfc7914-1", "passwd", 6, "salt", 4, 1,
    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
    "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
  { "rfc7914-2", "Password", 8, "NaCl", 4, 80000,
    "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
    "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d" },
  { "c1", "password", 8, "salt", 4, 1,
    "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
  { "c2", "password", 8, "salt", 4, 2,
    "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
  { "c4096", "password", 8, "salt", 4, 4096,
    "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
  { "long-inputs", "passwordPASSWORDpassword", 24, "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096,
    "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9" },
  { "nul-bytes", "pass\0word", 9, "sa\0lt", 5, 4096, "89b69d0516f829893c696226650a8687" },
};

static void
test_pbkdf2_vector (gconstpointer data)
{
  const Pbkdf2Vector *v = data;
  gsize length = strlen (v->key_hex) / 2;
  g_autofree guint8 *key = g_malloc (length);
  g_autoptr (GString) hex = g_string_new (NULL);

  dengon_pbkdf2_sha256 ((const guint8 *) v->password, v->password_length, (const guint8 *) v->salt,
                        v->salt_length, v->iterations, key, length);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (hex, "%02x", key[i]);

  g_assert_cmpstr (hex->str, ==, v->key_hex);
}

static void
test_password_hash_verify (void)
{
  g_autofree char *a = dengon_password_hash ("correct horse", 0);
  g_autofree char *b = dengon_password_hash ("correct horse", 0);
  g_auto (GStrv) parts = g_strsplit (a, "$", -1);
  gint64 started;

  /* The stored form: scheme, iterations, salt, key; never the password. */
  g_assert_cmpuint (g_strv_length (parts), ==, 4);
  g_assert_cmpstr (parts[0], ==, "pbkdf2-sha256");
  g_assert_cmpint (g_ascii_strtoll (parts[1], NULL, 10), >=, 100000);
  g_assert_null (strstr (a, "correct"));
  g_assert_true (dengon_password_hash_is_valid (a));

  /* A fresh salt each time: the same password hashes differently. */
  g_assert_cmpstr (a, !=, b);

  started = g_get_monotonic_time ();
  g_assert_true (dengon_password_verify ("correct horse", a));
  g_test_message ("one check takes %.0f ms", (g_get_monotonic_time () - started) / 1000.0);
  g_assert_true (dengon_password_verify ("correct horse", b));
  g_assert_false (dengon_password_verify ("correct horsf", a));
  g_assert_false (dengon_password_verify ("", a));
  g_assert_false (dengon_password_verify ("correct horse ", a));
}

static void
test_password_bad_hashes (void)
{
  static const char *const bad[] = {
    "",
    "correct horse",
    "pbkdf2-sha256$",
    "pbkdf2-sha256$200000$c2FsdHNhbHQ=",
    "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$abc$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$200000$!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha1$200000$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "pbkdf2-sha256$200000$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=$x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("hash: %s", bad[i]);
      g_assert_false (dengon_password_hash_is_valid (bad[i]));
      g_assert_false (dengon_password_verify ("anything", bad[i]));
    }
  g_assert_false (dengon_password_verify ("anything", NULL));
}

static void
test_constant_time_equal (void)
{
  const guint8 a[] = { 1, 2, 3, 4 };
  const guint8 b[] = { 1, 2, 3, 5 };

  g_assert_true (dengon_constant_time_equal (a, 4, a, 4));
  g_assert_false (dengon_constant_time_equal (a, 4, b, 4));
  g_assert_false (dengon_constant_time_equal (a, 4, a, 3));
  g_assert_true (dengon_constant_time_equal (a, 0, b, 0));
}

static void
test_fingerprint_normalize (void)
{
  const char *canonical = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                          "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  g_autofree char *a = dengon_fingerprint_normalize (
      "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
  g_autofree char *b = dengon_fingerprint_normalize (canonical);
  g_autofree char *c = dengon_fingerprint_normalize (
      " ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 "
      "67 89 ");

  g_assert_cmpstr (a, ==, canonical);
  g_assert_cmpstr (b, ==, canonical);
  g_assert_cmpstr (c, ==, canonical);
  g_assert_null (dengon_fingerprint_normalize ("abcd"));
  g_assert_null (dengon_fingerprint_normalize (
      "zbcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"));
  g_assert_null (dengon_fingerprint_normalize (
      "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678900"));
  g_assert_true (dengon_fingerprint_equal (canonical, a));
  g_assert_false (dengon_fingerprint_equal (canonical, NULL));
  g_assert_false (dengon_fingerprint_equal (canonical,
                                            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                                            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:88"));
}

typedef struct
{
  const char *text;
  const char *server; /* NULL: refused */
  const char *db;
} UrlCase;

static const UrlCase url_cases[] = {
  { "192.168.1.10", "https://192.168.1.10:6984/", "dengon" },
  { " hub.local:7000 ", "https://hub.local:7000/", "dengon" },
  { "https://hub.local", "https://hub.local:443/", "dengon" },
  { "https://couch.example.com/office", "https://couch.example.com:443/", "office" },
  { "https://couch.example.com:6984/office/", "https://couch.example.com:6984/", "office" },
  { "http://127.0.0.1:5984/memos", "http://127.0.0.1:5984/", "memos" },
  { "https://example.com/couch/db%2Fwith%2Fslash", "https://example.com:443/couch/",
    "db/with/slash" },
  { "HTTPS://Example.com/x", "https://example.com:443/", "x" },
  { "https://[::1]:6984/", "https://[::1]:6984/", "dengon" },
  { "", NULL, NULL },
  { "ftp://example.com/db", NULL, NULL },
  { "https://user:secret@example.com/db", NULL, NULL },
  { "https://example.com/db?x=1", NULL, NULL },
  { "https://", NULL, NULL },
};

static void
test_url_parse (gconstpointer data)
{
  const UrlCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *db = NULL;
  gboolean ok = dengon_sync_parse_url (c->text, &server, &db, &error);

  if (c->server == NULL)
    {
      g_assert_false (ok);
      g_assert_error (error, DENGON_SYNC_ERROR, DENGON_SYNC_ERROR_BAD_URL);
      /* The password is never repeated back. */
      g_assert_null (strstr (error->message, "secret"));
      return;
    }

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (g_ascii_strdown (server, -1), ==, g_ascii_strdown (c->server, -1));
  g_assert_cmpstr (db, ==, c->db);
}

static void
test_escape_doc_id (void)
{
  g_autofree char *a = dengon_sync_escape_doc_id ("memo:1234 あ/x");
  g_autofree char *b = dengon_sync_escape_doc_id ("_local/abc/d+e");
  g_autofree char *c = dengon_sync_escape_doc_id ("_design/views");

  g_assert_cmpstr (a, ==, "memo%3A1234%20%E3%81%82%2Fx");
  g_assert_cmpstr (b, ==, "_local/abc%2Fd%2Be");
  g_assert_cmpstr (c, ==, "_design/views");
}

static void
test_seq_to_param (void)
{
  g_autoptr (JsonNode) number = json_node_init_int (json_node_alloc (), 42);
  g_autoptr (JsonNode) text = json_node_init_string (json_node_alloc (), "13-g1AAAA");
  g_autoptr (JsonNode) array = dengon_json_parse ("[1,\"a\"]", -1, NULL, NULL);
  g_autofree char *a = dengon_sync_seq_to_param (number);
  g_autofree char *b = dengon_sync_seq_to_param (text);
  g_autofree char *c = dengon_sync_seq_to_param (array);
  g_autofree char *d = dengon_sync_seq_to_param (NULL);

  g_assert_cmpstr (a, ==, "42");
  g_assert_cmpstr (b, ==, "13-g1AAAA");
  g_assert_cmpstr (c, ==, "[1,\"a\"]");
  g_assert_cmpstr (d, ==, "0");
}

static void
test_certificate_generate (void)
{
  g_autofree char *dir = sync_test_make_dir ("dengon-cert-XXXXXX");
  g_autofree char *key_path = g_build_filename (dir, DENGON_HUB_KEY_FILE, NULL);
  g_autofree char *cert_path = g_build_filename (dir, DENGON_HUB_CERTIFICATE_FILE, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) first = NULL;
  g_autoptr (GTlsCertificate) again = NULL;
  g_autofree char *fp1 = NULL;
  g_autofree char *fp2 = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr (GDateTime) not_after = NULL;
  GStatBuf st;

  first = dengon_hub_certificate_ensure (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  /* The private key is readable by this user only. */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_test (cert_path, G_FILE_TEST_EXISTS));

  fp1 = dengon_tls_certificate_get_fingerprint (first);
  normalized = dengon_fingerprint_normalize (fp1);
  g_assert_cmpstr (fp1, ==, normalized);

  /* The second start loads the same certificate: colleagues keep trusting it. */
  again = dengon_hub_certificate_ensure (dir, &error);
  g_assert_no_error (error);
  fp2 = dengon_tls_certificate_get_fingerprint (again);
  g_assert_cmpstr (fp1, ==, fp2);

  g_object_get (first, "not-valid-after", &not_after, NULL);
  g_assert_nonnull (not_after);
  g_assert_cmpint (g_date_time_get_year (not_after), >=, 2040);

  sync_test_remove_tree (dir);
}

static void
test_certificate_differs_per_hub (void)
{
  g_autofree char *a_pem = NULL, *a_key = NULL, *b_pem = NULL, *b_key = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (dengon_hub_certificate_generate ("desk-a", &a_pem, &a_key, &error));
  g_assert_true (dengon_hub_certificate_generate ("desk-a", &b_pem, &b_key, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (a_pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_true (g_str_has_prefix (a_key, "-----BEGIN PRIVATE KEY-----"));
  g_assert_cmpstr (a_pem, !=, b_pem);
  g_assert_cmpstr (a_key, !=, b_key);
}

static void
test_accounts_names (void)
{
  static const char *const good[] = { "tanaka", "a",     "yamada.taro",
                                      "sato_2", "k-ito", "owner@office" };
  static const char *const bad[] = {
    "",           "田中",       "has space",
    "colon:name", "slash/name", "0123456789012345678901234567890123456789012345678901234567890123x"
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (dengon_hub_accounts_name_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (dengon_hub_accounts_name_is_valid (bad[i]));
  g_assert_false (dengon_hub_accounts_name_is_valid (NULL));
}

static void
on_verified (GObject *source, GAsyncResult *result, gpointer data)
{
  int *out = data;
  g_autoptr (GError) error = NULL;

  *out = dengon_hub_accounts_verify_finish (DENGON_HUB_ACCOUNTS (source), result, &error) ? 1 : 0;
  g_assert_no_error (error);
}

static gboolean
verify (DengonHubAccounts *accounts, const char *name, const char *password)
{
  int result = -1;

  dengon_hub_accounts_verify_async (accounts, name, password, NULL, on_verified, &result);
  while (result < 0)
    g_main_context_iteration (NULL, TRUE);

  return result == 1;
}

static void
test_accounts_persist (void)
{
  g_autofree char *dir = sync_test_make_dir ("dengon-accounts-XXXXXX");
  g_autofree char *path = g_build_filename (dir, DENGON_HUB_ACCOUNTS_FILE, NULL);
  g_autoptr (DengonHubAccounts) accounts = NULL;
  g_autoptr (DengonHubAccounts) reread = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) names = NULL;
  GStatBuf st;

  accounts = dengon_hub_accounts_new (path, &error);
  g_assert_no_error (error);
  names = dengon_hub_accounts_list (accounts);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  g_assert_true (dengon_hub_accounts_set (accounts, "tanaka", "sakura-2026", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (dengon_hub_accounts_set (accounts, "sato", "umeboshi-77", FALSE, &error));
  g_assert_no_error (error);

  /* Adding a name twice is refused unless a new password is wanted. */
  g_assert_false (dengon_hub_accounts_set (accounts, "tanaka", "another-pass", FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (dengon_hub_accounts_set (accounts, "短い", "sakura-2026", FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (dengon_hub_accounts_set (accounts, "kato", "short", FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Only hashes are written, readable by this user only. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "sakura"));
  g_assert_null (strstr (contents, "umeboshi"));
  g_assert_nonnull (strstr (contents, "pbkdf2-sha256$"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  reread = dengon_hub_accounts_new (path, &error);
  g_assert_no_error (error);
  names = dengon_hub_accounts_list (reread);
  g_assert_cmpstrv (names, ((const char *const[]){ "sato", "tanaka", NULL }));

  g_assert_true (verify (reread, "tanaka", "sakura-2026"));
  g_assert_true (dengon_hub_accounts_check_cached (reread, "tanaka", "sakura-2026"));
  g_assert_false (dengon_hub_accounts_check_cached (reread, "tanaka", "sakura-2027"));
  g_assert_false (verify (reread, "tanaka", "sakura-2027"));
  g_assert_false (verify (reread, "nobody", "sakura-2026"));
  g_assert_false (verify (reread, "sato", "sakura-2026"));

  /* A new password ends the old one, cached or not. */
  g_assert_true (dengon_hub_accounts_set (reread, "tanaka", "new-password-1", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (dengon_hub_accounts_check_cached (reread, "tanaka", "sakura-2026"));
  g_assert_false (verify (reread, "tanaka", "sakura-2026"));
  g_assert_true (verify (reread, "tanaka", "new-password-1"));

  g_assert_true (dengon_hub_accounts_remove (reread, "tanaka", &error));
  g_assert_no_error (error);
  g_assert_false (dengon_hub_accounts_check_cached (reread, "tanaka", "new-password-1"));
  g_assert_false (dengon_hub_accounts_remove (reread, "tanaka", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  sync_test_drain ();
  g_clear_object (&accounts);
  g_clear_object (&reread);
  sync_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (pbkdf2_vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dengon/sync/pbkdf2/%s", pbkdf2_vectors[i].name);

      g_test_add_data_func (path, &pbkdf2_vectors[i], test_pbkdf2_vector);
    }
  g_test_add_func ("/dengon/sync/password/hash-verify", test_password_hash_verify);
  g_test_add_func ("/dengon/sync/password/bad-hashes", test_password_bad_hashes);
  g_test_add_func ("/dengon/sync/password/constant-time-equal", test_constant_time_equal);
  g_test_add_func ("/dengon/sync/fingerprint/normalize", test_fingerprint_normalize);
  for (guint i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dengon/sync/url/%u", i);

      g_test_add_data_func (path, &url_cases[i], test_url_parse);
    }
  g_test_add_func ("/dengon/sync/url/escape-doc-id", test_escape_doc_id);
  g_test_add_func ("/dengon/sync/url/seq-to-param", test_seq_to_param);
  g_test_add_func ("/dengon/sync/certificate/generate-and-reload", test_certificate_generate);
  g_test_add_func ("/dengon/sync/certificate/unique", test_certificate_differs_per_hub);
  g_test_add_func ("/dengon/sync/accounts/names", test_accounts_names);
  g_test_add_func ("/dengon/sync/accounts/persist-and-verify", test_accounts_persist);

  return g_test_run ();
}
