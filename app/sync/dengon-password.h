/* dengon-password.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Hub passwords are kept only as salted PBKDF2-HMAC-SHA256 hashes (RFC 8018), in the form
 * "pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>". */

#define DENGON_PASSWORD_ITERATIONS     200000
#define DENGON_PASSWORD_MIN_ITERATIONS 100000
#define DENGON_PASSWORD_SALT_BYTES     16
#define DENGON_PASSWORD_KEY_BYTES      32
#define DENGON_PASSWORD_MIN_LENGTH     8
#define DENGON_PASSWORD_MAX_LENGTH     1024

/* PBKDF2 with HMAC-SHA256 as the pseudo-random function: @key_length bytes into @key. */
void dengon_pbkdf2_sha256 (const guint8 *password, gsize password_length, const guint8 *salt,
                           gsize salt_length, guint iterations, guint8 *key, gsize key_length);

/* Compares without an early exit, so the time does not tell where two values differ. */
gboolean dengon_constant_time_equal (const guint8 *a, gsize a_length, const guint8 *b,
                                     gsize b_length);

/* A new hash of @password with a fresh random salt and @iterations (0: the default). */
char *dengon_password_hash (const char *password, guint iterations);
/* Whether @password matches @hash; %FALSE for a hash that is not in the form above or has
 * fewer than DENGON_PASSWORD_MIN_ITERATIONS iterations. */
gboolean dengon_password_verify (const char *password, const char *hash);
/* Whether @hash is in the form above (it does not check a password). */
gboolean dengon_password_hash_is_valid (const char *hash);

/* Random bytes from the kernel (getrandom), never from a seeded PRNG. */
void dengon_random_bytes (guint8 *buffer, gsize length);

G_END_DECLS
