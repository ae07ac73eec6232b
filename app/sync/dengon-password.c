/* dengon-password.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "dengon-password.h"

#define SHA256_BYTES 32
#define HASH_PREFIX  "pbkdf2-sha256$"

void
dengon_random_bytes (guint8 *buffer, gsize length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          /* Without a kernel random source there is no safe salt or key. */
          g_error ("getrandom() failed: %s", g_strerror (errno));
        }
      done += n;
    }
}

/* RFC 8018 §5.2: T_i = U_1 ^ U_2 ^ ... ^ U_c, U_1 = PRF (P, S || INT (i)), U_j = PRF (P, U_j-1).
 * The keyed HMAC is made once and copied for every U_j. */
void
dengon_pbkdf2_sha256 (const guint8 *password, gsize password_length, const guint8 *salt,
                      gsize salt_length, guint iterations, guint8 *key, gsize key_length)
{
  g_autoptr (GHmac) keyed = NULL;
  guint32 block = 1;

  g_return_if_fail (password != NULL || password_length == 0);
  g_return_if_fail (salt != NULL || salt_length == 0);
  g_return_if_fail (iterations >= 1);
  g_return_if_fail (key != NULL);

  keyed = g_hmac_new (G_CHECKSUM_SHA256, password, password_length);

  while (key_length > 0)
    {
      guint8 u[SHA256_BYTES];
      guint8 t[SHA256_BYTES];
      guint8 counter[4] = { block >> 24, block >> 16, block >> 8, block };
      gsize digest_length = sizeof u;
      gsize n = MIN (key_length, sizeof t);
      GHmac *hmac;

      hmac = g_hmac_copy (keyed);
      g_hmac_update (hmac, salt, salt_length);
      g_hmac_update (hmac, counter, sizeof counter);
      g_hmac_get_digest (hmac, u, &digest_length);
      g_hmac_unref (hmac);
      memcpy (t, u, sizeof t);

      for (guint i = 1; i < iterations; i++)
        {
          hmac = g_hmac_copy (keyed);
          g_hmac_update (hmac, u, sizeof u);
          digest_length = sizeof u;
          g_hmac_get_digest (hmac, u, &digest_length);
          g_hmac_unref (hmac);
          for (guint k = 0; k < sizeof t; k++)
            t[k] ^= u[k];
        }

      memcpy (key, t, n);
      key += n;
      key_length -= n;
      block++;
      memset (u, 0, sizeof u);
      memset (t, 0, sizeof t);
    }
}

gboolean
dengon_constant_time_equal (const guint8 *a, gsize a_length, const guint8 *b, gsize b_length)
{
  volatile guint8 diff = 0;

  if (a_length != b_length)
    return FALSE;

  for (gsize i = 0; i < a_length; i++)
    diff |= a[i] ^ b[i];

  return diff == 0;
}

char *
dengon_password_hash (const char *password, guint iterations)
{
  guint8 salt[DENGON_PASSWORD_SALT_BYTES];
  guint8 key[DENGON_PASSWORD_KEY_BYTES];
  g_autofree char *salt64 = NULL;
  g_autofree char *key64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  if (iterations == 0)
    iterations = DENGON_PASSWORD_ITERATIONS;

  dengon_random_bytes (salt, sizeof salt);
  dengon_pbkdf2_sha256 ((const guint8 *) password, strlen (password), salt, sizeof salt, iterations,
                        key, sizeof key);
  salt64 = g_base64_encode (salt, sizeof salt);
  key64 = g_base64_encode (key, sizeof key);
  memset (key, 0, sizeof key);

  return g_strdup_printf (HASH_PREFIX "%u$%s$%s", iterations, salt64, key64);
}

typedef struct
{
  guint iterations;
  guint8 *salt;
  gsize salt_length;
  guint8 *key;
  gsize key_length;
} ParsedHash;

static void
parsed_hash_clear (ParsedHash *parsed)
{
  g_clear_pointer (&parsed->salt, g_free);
  if (parsed->key != NULL)
    memset (parsed->key, 0, parsed->key_length);
  g_clear_pointer (&parsed->key, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ParsedHash, parsed_hash_clear)

static gboolean
is_base64 (const char *text)
{
  if (*text == '\0')
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_hash (const char *hash, ParsedHash *parsed)
{
  g_auto (GStrv) parts = NULL;
  guint64 iterations = 0;

  if (hash == NULL || !g_str_has_prefix (hash, HASH_PREFIX) || strlen (hash) > 512)
    return FALSE;

  parts = g_strsplit (hash + strlen (HASH_PREFIX), "$", -1);
  if (g_strv_length (parts) != 3 || !is_base64 (parts[1]) || !is_base64 (parts[2]))
    return FALSE;

  if (!g_ascii_string_to_unsigned (parts[0], 10, DENGON_PASSWORD_MIN_ITERATIONS, 100000000,
                                   &iterations, NULL))
    return FALSE;

  parsed->iterations = iterations;
  parsed->salt = g_base64_decode (parts[1], &parsed->salt_length);
  parsed->key = g_base64_decode (parts[2], &parsed->key_length);

  return parsed->salt_length >= 8 && parsed->key_length >= 16 && parsed->key_length <= 64;
}

gboolean
dengon_password_hash_is_valid (const char *hash)
{
  g_auto (ParsedHash) parsed = { 0 };

  return parse_hash (hash, &parsed);
}

gboolean
dengon_password_verify (const char *password, const char *hash)
{
  g_auto (ParsedHash) parsed = { 0 };
  guint8 key[64];
  gboolean equal;

  if (password == NULL || !parse_hash (hash, &parsed))
    return FALSE;

  dengon_pbkdf2_sha256 ((const guint8 *) password, strlen (password), parsed.salt,
                        parsed.salt_length, parsed.iterations, key, parsed.key_length);
  equal = dengon_constant_time_equal (key, parsed.key_length, parsed.key, parsed.key_length);
  memset (key, 0, sizeof key);

  return equal;
}
