/* test-phone.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dengon-phone.h"

/* Expected values are libphonenumber 8.12.57's (Debian 12), as listed in
 * /work/shared/fixtures/README.md where it has them. */

typedef struct
{
  const char *name; /* test path tail; NULL: the input */
  const char *input;
  const char *key;
  const char *e164; /* NULL: not valid */
  const char *display;
  const char *extension;
  const char *region_code;
  const char *description_ja;
  const char *description_en;
  DengonPhoneKind kind;
} ParseCase;

/* clang-format off */
#define TOKYO(input) TOKYO_AS (NULL, input)
#define TOKYO_AS(name, input) \
  { name, input, "+81312345678", "+81312345678", "03-1234-5678", NULL, "JP", "東京", "Tokyo", \
    DENGON_PHONE_KIND_FIXED_LINE }
#define TOKYO_EXT(input, ext) TOKYO_EXT_AS (NULL, input, ext)
#define TOKYO_EXT_AS(name, input, ext) \
  { name, input, "+81312345678", "+81312345678", "03-1234-5678", ext, "JP", "東京", "Tokyo", \
    DENGON_PHONE_KIND_FIXED_LINE }
#define NON_GEO(input, e164, display, kind) \
  { NULL, input, e164, e164, display, NULL, "JP", NULL, NULL, kind }
#define DIGITS(input, digits) DIGITS_AS (NULL, input, digits)
#define DIGITS_AS(name, input, digits) \
  { name, input, digits, NULL, digits, NULL, NULL, NULL, NULL, DENGON_PHONE_KIND_UNKNOWN }
/* clang-format on */

static const ParseCase parse_cases[] = {
  /* Written by people */
  TOKYO ("03-1234-5678"),
  TOKYO ("(03)1234-5678"),
  TOKYO_AS ("fullwidth-parens-(03)1234-5678", "（03）1234-5678"),
  TOKYO_AS ("fullwidth-03-1234-5678", "０３－１２３４－５６７８"),
  /* the katakana prolonged sound mark for a hyphen */
  TOKYO_AS ("katakana-dash-03-1234-5678", "03ー1234ー5678"),
  TOKYO ("03(1234)5678"),
  TOKYO ("   03-1234-5678   "),
  TOKYO ("TEL: 03-1234-5678"),
  /* 代表 (main line): the library fails on it, so it is parsed from the digits */
  TOKYO_AS ("03-1234-5678-daihyo", "03-1234-5678（代表）"),
  TOKYO ("+81 3 1234 5678"),
  TOKYO ("+81-3-1234-5678"),
  TOKYO ("+81 (0)3-1234-5678"),
  TOKYO_AS ("fullwidth-+81_3_1234_5678", "＋８１ ３ １２３４ ５６７８"),
  TOKYO ("010 81 3 1234 5678"),
  TOKYO ("0081312345678"), /* "00" is no international prefix in Japan, but people write it */

  /* From IP desk phones and address books */
  TOKYO ("sip:0312345678@192.0.2.10"),
  TOKYO ("sips:0312345678@192.0.2.10:5061;transport=tls"),
  TOKYO ("SIP:0312345678@PBX"),
  TOKYO ("sip:0312345678;user=phone"), /* no host */
  TOKYO ("0312345678@pbx.example"),
  TOKYO ("<sip:0312345678@192.0.2.10>"),
  TOKYO_AS ("kanji-name-<sip:0312345678@192.0.2.10>", "\"山田 太郎\" <sip:0312345678@192.0.2.10>"),
  TOKYO ("sip%3A0312345678%40pbx"),
  TOKYO ("%22Yamada%22%20%3Csip%3A%2B81312345678%40pbx%3E"),
  TOKYO ("tel:+81-3-1234-5678"),
  TOKYO ("tel:03-1234-5678"),
  TOKYO ("tel:1234-5678;phone-context=+81-3"),
  /* RFC 3966: the local number follows the context, so this is 03-5678-1234 */
  { NULL, "tel:5678-1234;phone-context=+81-3", "+81356781234", "+81356781234", "03-5678-1234", NULL,
    "JP", "東京", "Tokyo", DENGON_PHONE_KIND_FIXED_LINE },
  TOKYO_AS ("invalid-utf8", "03-1234-\xff\xfe-5678"),

  /* Extensions */
  TOKYO_EXT_AS ("03-1234-5678_naisen123", "03-1234-5678 内線123", "123"),
  TOKYO_EXT_AS ("03-1234-5678-fullwidth-naisen123", "03-1234-5678（内線１２３）", "123"),
  TOKYO_EXT ("03-1234-5678 ext. 45", "45"),
  TOKYO_EXT ("03-1234-5678 x123", "123"),
  TOKYO_EXT_AS ("03-1234-5678_fullwidth-ext123", "03-1234-5678 ｅｘｔ１２３", "123"),
  TOKYO_EXT ("03-1234-5678;ext=123", "123"),
  TOKYO_EXT ("tel:+81-3-1234-5678;ext=123", "123"),
  TOKYO_EXT ("sip:+81312345678;ext=12@pbx;user=phone", "12"),
  TOKYO_EXT ("03-1234-5678-12#", "12"),
  TOKYO ("03-1234-5678#"), /* Parse() alone reads 03-1234 extension 5678 */

  /* Other areas */
  { NULL, "06-1234-5678", "+81612345678", "+81612345678", "06-1234-5678", NULL, "JP", "大阪",
    "Osaka, Osaka", DENGON_PHONE_KIND_FIXED_LINE },
  { NULL, "045-123-4567", "+81451234567", "+81451234567", "045-123-4567", NULL, "JP", "横浜",
    "Yokohama, Kanagawa", DENGON_PHONE_KIND_FIXED_LINE },
  { NULL, "0466-12-3456", "+81466123456", "+81466123456", "0466-12-3456", NULL, "JP", "藤沢",
    "Fujisawa, Kanagawa", DENGON_PHONE_KIND_FIXED_LINE },
  { NULL, "01267-1-2345", "+81126712345", "+81126712345", "01267-1-2345", NULL, "JP", "岩見沢",
    "Iwamizawa, Hokkaido", DENGON_PHONE_KIND_FIXED_LINE },

  /* Not geographical: the geocoder would say 日本 / Japan, Dengon says nothing */
  NON_GEO ("090-1234-5678", "+819012345678", "090-1234-5678", DENGON_PHONE_KIND_MOBILE),
  NON_GEO ("080-1234-5678", "+818012345678", "080-1234-5678", DENGON_PHONE_KIND_MOBILE),
  NON_GEO ("070-1234-5678", "+817012345678", "070-1234-5678", DENGON_PHONE_KIND_MOBILE),
  NON_GEO ("050-1234-5678", "+815012345678", "050-1234-5678", DENGON_PHONE_KIND_IP_PHONE),
  NON_GEO ("0120-123-456", "+81120123456", "0120-123-456", DENGON_PHONE_KIND_TOLL_FREE),
  NON_GEO ("0800-123-4567", "+818001234567", "0800-123-4567", DENGON_PHONE_KIND_TOLL_FREE),
  NON_GEO ("0570-123-456", "+81570123456", "0570-123-456", DENGON_PHONE_KIND_NAVI_DIAL),
  NON_GEO ("0990-123-456", "+81990123456", "0990-123-456", DENGON_PHONE_KIND_PREMIUM),
  NON_GEO ("020-1234-5678", "+812012345678", "020-1234-5678", DENGON_PHONE_KIND_PAGER),

  /* Abroad: international format */
  { NULL, "+1 650-253-0000", "+16502530000", "+16502530000", "+1 650-253-0000", NULL, "US",
    "アメリカ合衆国", "Mountain View, CA", DENGON_PHONE_KIND_FIXED_LINE_OR_MOBILE },
  { NULL, "+44 20 7946 0000", "+442079460000", "+442079460000", "+44 20 7946 0000", NULL, "GB",
    "イギリス", "London", DENGON_PHONE_KIND_FIXED_LINE },
  { NULL, "+800 1234 5678", "+80012345678", "+80012345678", "+800 1234 5678", NULL, NULL, NULL,
    NULL, DENGON_PHONE_KIND_TOLL_FREE },

  /* Unknown to the library, kept: 060 mobiles came after 8.12.57 */
  { NULL, "060-1234-5678", "+816012345678", NULL, "06012345678", NULL, "JP", NULL, NULL,
    DENGON_PHONE_KIND_UNKNOWN },
  { NULL, "+81 60 1234 5678", "+816012345678", NULL, "+816012345678", NULL, "JP", NULL, NULL,
    DENGON_PHONE_KIND_UNKNOWN },
  { NULL, "060-1234-5678 x12", "+816012345678", NULL, "06012345678", "12", "JP", NULL, NULL,
    DENGON_PHONE_KIND_UNKNOWN },
  DIGITS ("20701", "20701"),
  DIGITS ("20701@172.18.186.94", "20701"),
  DIGITS ("<sip:20701@192.0.2.10>", "20701"),
  { NULL, "20701 x12", "20701", NULL, "20701", "12", NULL, NULL, NULL, DENGON_PHONE_KIND_UNKNOWN },
  DIGITS_AS ("naisen123", "内線123", "123"), /* the internal extension itself */
  DIGITS_AS ("TEL_naisen123", "TEL 内線123", "123"),
  DIGITS ("1234-5678", "12345678"), /* a local number without its area code */
  DIGITS ("+8120701", "+8120701"),
  DIGITS ("+999 1234", "+9991234"),               /* no such country code */
  DIGITS ("0033-03-1234-5678", "00330312345678"), /* a carrier prefix, not France (+33) */
  DIGITS ("100%", "100"),
};

typedef struct
{
  const char *name;
  const char *input;
} NoNumberCase;

/* No digit, or none in the user part: no number. */
static const NoNumberCase no_number_cases[] = {
  { "empty", "" },
  { NULL, "   " },
  { NULL, "abc" },
  { "hitsuchi", "非通知" }, /* withheld */
  { NULL, "sip:anonymous@192.0.2.10" },
  { NULL, "\"Anonymous\" <sip:anonymous@anonymous.invalid>" },
  { "cut-utf8", "\xe3\x81" },
  { "invalid-utf8", "\xff\xfe\xfd" },
  { NULL, "+" },
};

typedef struct
{
  const char *name;
  const char *const *forms;
} MatchGroup;

static const char *const tokyo_forms[] = {
  "03-1234-5678",
  "(03)1234-5678",
  "０３－１２３４－５６７８",
  "+81 3 1234 5678",
  "+81-3-1234-5678",
  "0081312345678",
  "010 81 3 1234 5678",
  "sip:0312345678@192.0.2.10",
  "sips:+81312345678@pbx",
  "0312345678@pbx.example",
  "tel:+81-3-1234-5678",
  "tel:03-1234-5678",
  "tel:1234-5678;phone-context=+81-3",
  "\"Name\" <sip:0312345678@192.0.2.10>",
  "sip%3A0312345678%40pbx",
  "03-1234-5678 内線123",
  "03-1234-5678 ext. 45",
  "03ー1234ー5678",
  NULL,
};
static const char *const unknown_060_forms[] = {
  "060-1234-5678",
  "+81 60 1234 5678",
  "sip:06012345678@192.0.2.10",
  "０６０－１２３４－５６７８",
  "tel:+81-60-1234-5678",
  "010-81-60-1234-5678",
  NULL,
};
static const char *const extension_forms[] = {
  "20701", "20701@172.18.186.94", "sip:20701@pbx", "<sip:20701@192.0.2.10>", "２０７０１", NULL,
};
static const char *const mobile_forms[] = {
  "090-1234-5678", "+81 90 1234 5678", "09012345678", "sip:+819012345678@pbx;user=phone", NULL,
};
static const char *const us_forms[] = {
  "+1 650-253-0000", "+16502530000", "010 1 650 253 0000", "tel:+1-650-253-0000", NULL,
};
static const char *const toll_free_forms[] = {
  "0120-123-456", "0120123456", "+81 120 123 456", "sip:0120123456@pbx", NULL,
};
static const char *const iwamizawa_forms[] = {
  "01267-1-2345", "0126712345", "+81 1267 1 2345", "(01267)1-2345", NULL,
};
/* One number, grouped three ways: the key does not care how */
static const char *const fujisawa_forms[] = {
  "0466-12-3456",
  "046-612-3456",
  "04661-2-3456",
  NULL,
};

static const MatchGroup match_groups[] = {
  { "03-1234-5678", tokyo_forms },     { "060-1234-5678", unknown_060_forms },
  { "20701", extension_forms },        { "090-1234-5678", mobile_forms },
  { "+1-650-253-0000", us_forms },     { "0120-123-456", toll_free_forms },
  { "01267-1-2345", iwamizawa_forms }, { "0466-12-3456", fujisawa_forms },
};

/* Near misses that must not match */
static const char *const differ_cases[][2] = {
  { "03-1234-5678", "03-1234-5679" },
  { "03-1234-5678", "06-1234-5678" },
  { "20701", "+8120701" },
  { "060-1234-5678", "06-0123-4567" },
  { "090-1234-5678", "+1 901-234-5678" },
};

typedef struct
{
  const char *name;
  const char *input;
  const char *digits;
} DigitsCase;

static const DigitsCase digits_cases[] = {
  { NULL, "03-1234-5678", "0312345678" },
  { "fullwidth-031234", "０３－１２３４", "031234" },
  { NULL, "+81 (3) 1234", "8131234" },
  { "naisen-fullwidth-123", "内線１２３", "123" },
  { "empty", "", "" },
  { NULL, "abc", "" },
  { "invalid-utf8", "1\xff-2", "12" },
  { "arabic-indic-012", "٠١٢", "012" },
};

static void
assert_parse_case (const ParseCase *c, const char *locale)
{
  g_autoptr (DengonPhoneNumber) number = dengon_phone_number_parse (c->input, NULL, locale);
  gboolean is_ja = g_str_equal (locale, "ja");

  g_assert_nonnull (number);
  g_assert_true (g_utf8_validate (number->input, -1, NULL));
  if (g_utf8_validate (c->input, -1, NULL))
    g_assert_cmpstr (number->input, ==, c->input);
  g_assert_cmpstr (number->key, ==, c->key);
  g_assert_cmpstr (number->e164, ==, c->e164);
  g_assert_cmpstr (number->display, ==, c->display);
  g_assert_cmpstr (number->extension, ==, c->extension);
  g_assert_cmpstr (number->region_code, ==, c->region_code);
  g_assert_cmpstr (number->description, ==, is_ja ? c->description_ja : c->description_en);
  g_assert_cmpint (number->kind, ==, c->kind);
  g_assert_cmpint (number->valid, ==, c->e164 != NULL);
}

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autofree char *key = dengon_phone_key (c->input, NULL);

  assert_parse_case (c, "ja");
  assert_parse_case (c, "en_US.UTF-8");
  g_assert_cmpstr (key, ==, c->key);
}

static void
test_no_number (gconstpointer data)
{
  const char *input = ((const NoNumberCase *) data)->input;
  g_autoptr (DengonPhoneNumber) number = dengon_phone_number_parse (input, NULL, "ja");
  g_autofree char *key = dengon_phone_key (input, NULL);
  g_autofree char *extension = NULL;
  g_autofree char *extracted = dengon_phone_extract_number (input, &extension);

  g_assert_null (number);
  g_assert_null (key);
  g_assert_null (extracted);
  g_assert_null (extension);
}

static void
test_null (void)
{
  g_autofree char *digits = dengon_phone_digits (NULL);

  g_assert_null (dengon_phone_number_parse (NULL, NULL, NULL));
  g_assert_null (dengon_phone_key (NULL, "JP"));
  g_assert_null (dengon_phone_extract_number (NULL, NULL));
  g_assert_cmpstr (digits, ==, "");
  dengon_phone_number_free (NULL);
}

static void
test_match (gconstpointer data)
{
  const MatchGroup *group = data;
  g_autofree char *first = dengon_phone_key (group->forms[0], NULL);

  g_assert_nonnull (first);
  for (guint i = 1; group->forms[i] != NULL; i++)
    {
      g_autofree char *key = dengon_phone_key (group->forms[i], NULL);

      if (g_strcmp0 (key, first) != 0)
        g_test_message ("“%s” gives %s, “%s” gives %s", group->forms[0], first, group->forms[i],
                        key);
      g_assert_cmpstr (key, ==, first);
    }
}

static void
test_match_groups_differ (void)
{
  g_autoptr (GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (match_groups); i++)
    {
      char *key = dengon_phone_key (match_groups[i].forms[0], NULL);

      g_assert_false (g_hash_table_contains (keys, key));
      g_hash_table_add (keys, key);
    }
}

static void
test_differ (gconstpointer data)
{
  const char *const *pair = data;
  g_autofree char *a = dengon_phone_key (pair[0], NULL);
  g_autofree char *b = dengon_phone_key (pair[1], NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (a, !=, b);
}

static void
test_digits (gconstpointer data)
{
  const DigitsCase *c = data;
  g_autofree char *digits = dengon_phone_digits (c->input);

  g_assert_cmpstr (digits, ==, c->digits);
}

static void
test_long_garbage (void)
{
  g_autofree char *garbage = g_strnfill (100000, 'x');
  g_autoptr (DengonPhoneNumber) number = dengon_phone_number_parse (garbage, NULL, "ja");

  g_assert_null (number);
}

static void
test_long_digits (void)
{
  g_autofree char *nines = g_strnfill (100000, '9');
  g_autoptr (DengonPhoneNumber) number = dengon_phone_number_parse (nines, NULL, "ja");

  g_assert_nonnull (number);
  g_assert_cmpuint (strlen (number->input), ==, DENGON_PHONE_MAX_INPUT);
  g_assert_cmpuint (strlen (number->key), ==, DENGON_PHONE_MAX_INPUT);
  g_assert_cmpstr (number->display, ==, number->key);
  g_assert_cmpint (number->kind, ==, DENGON_PHONE_KIND_UNKNOWN);
  g_assert_false (number->valid);
  g_assert_null (number->e164);
}

/* A number followed by junk, cut in the middle of a UTF-8 character: digits only, no crash. */
static void
test_long_number_and_text (void)
{
  g_autoptr (GString) text = g_string_new ("03-1234-5678 ");
  g_autoptr (DengonPhoneNumber) number = NULL;

  while (text->len < 1000)
    g_string_append (text, "東京");
  number = dengon_phone_number_parse (text->str, NULL, "ja");

  g_assert_nonnull (number);
  g_assert_true (g_utf8_validate (number->input, -1, NULL));
  g_assert_cmpuint (strlen (number->input), <=, DENGON_PHONE_MAX_INPUT + 3);
  g_assert_cmpstr (number->key, ==, "0312345678");
  g_assert_cmpstr (number->display, ==, "0312345678");
  g_assert_cmpint (number->kind, ==, DENGON_PHONE_KIND_UNKNOWN);
}

typedef struct
{
  const char *name;
  const char *input;
  const char *number;
  const char *extension;
} ExtractCase;

static const ExtractCase extract_cases[] = {
  { "kanji-name-sip-params", "\"山田\" <sip:0312345678@192.0.2.10;transport=udp>", "0312345678",
    NULL },
  { NULL, "sip:alice:secret@192.0.2.10", NULL, NULL },
  { NULL, "sip:+81312345678;phone-context=+81@pbx;user=phone", "tel:+81312345678;phone-context=+81",
    NULL },
  { NULL, "TEL:+81-3-1234-5678", "tel:+81-3-1234-5678", NULL },
  { "naisen-first-digit-run", "03-1234-5678 内線 12-3", "03-1234-5678", "12" },
  { "naisen-without-digits", "03-1234-5678 内線", "03-1234-5678", NULL },
  { NULL, "sip%3A20701%40pbx", "20701", NULL },
  { NULL, "100%", "100%", NULL },
};

static void
test_extract (gconstpointer data)
{
  const ExtractCase *c = data;
  g_autofree char *extension = NULL;
  g_autofree char *number = dengon_phone_extract_number (c->input, &extension);

  g_assert_cmpstr (number, ==, c->number);
  g_assert_cmpstr (extension, ==, c->extension);
}

static void
test_region (void)
{
  g_autoptr (DengonPhoneNumber) us = dengon_phone_number_parse ("650-253-0000", "US", "en");
  g_autoptr (DengonPhoneNumber) tokyo = dengon_phone_number_parse ("+81 3 1234 5678", "us", "en");
  g_autoptr (DengonPhoneNumber) national = dengon_phone_number_parse ("03-1234-5678", "US", "en");
  g_autoptr (DengonPhoneNumber) lower = dengon_phone_number_parse ("03-1234-5678", "jp", "en");

  g_assert_cmpstr (us->key, ==, "+16502530000");
  g_assert_cmpstr (us->display, ==, "(650) 253-0000");
  g_assert_cmpstr (tokyo->display, ==, "+81 3-1234-5678");
  g_assert_cmpstr (tokyo->description, ==, "Tokyo");
  /* A Japanese national number means nothing in the US: kept as digits */
  g_assert_cmpstr (national->key, ==, "0312345678");
  g_assert_false (national->valid);
  g_assert_cmpstr (lower->e164, ==, "+81312345678");
}

static void
test_language (void)
{
  g_assert_cmpstr (dengon_phone_language_for_locale ("ja"), ==, "ja");
  g_assert_cmpstr (dengon_phone_language_for_locale ("ja_JP.UTF-8"), ==, "ja");
  g_assert_cmpstr (dengon_phone_language_for_locale ("ja_JP@euro"), ==, "ja");
  g_assert_cmpstr (dengon_phone_language_for_locale ("JA"), ==, "ja");
  g_assert_cmpstr (dengon_phone_language_for_locale ("jv"), ==, "en");
  g_assert_cmpstr (dengon_phone_language_for_locale ("jam"), ==, "en");
  g_assert_cmpstr (dengon_phone_language_for_locale ("de_DE"), ==, "en");
  g_assert_cmpstr (dengon_phone_language_for_locale (""), ==, "en");
}

/* The environment changes, so in a process of its own, before any thread. */
static void
test_language_environment (void)
{
  g_autoptr (DengonPhoneNumber) number = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANG");

  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  g_assert_cmpstr (dengon_phone_language_for_locale (NULL), ==, "ja");
  number = dengon_phone_number_parse ("03-1234-5678", NULL, NULL);
  g_assert_cmpstr (number->description, ==, "東京");
  g_clear_pointer (&number, dengon_phone_number_free);

  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  g_assert_cmpstr (dengon_phone_language_for_locale (NULL), ==, "en");
  number = dengon_phone_number_parse ("03-1234-5678", NULL, NULL);
  g_assert_cmpstr (number->description, ==, "Tokyo");
  g_clear_pointer (&number, dengon_phone_number_free);

  /* No French translation: gettext falls through to Japanese, and so do the descriptions */
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "fr:ja", TRUE);
  g_assert_cmpstr (dengon_phone_language_for_locale (NULL), ==, "ja");
  g_setenv ("LANGUAGE", "en:ja", TRUE);
  g_assert_cmpstr (dengon_phone_language_for_locale (NULL), ==, "en");
  g_unsetenv ("LANGUAGE");

  g_setenv ("LC_ALL", "C", TRUE);
  g_assert_cmpstr (dengon_phone_language_for_locale (NULL), ==, "en");
}

static void
test_boxed (void)
{
  g_autoptr (DengonPhoneNumber) number =
      dengon_phone_number_parse ("03-1234-5678 内線9", NULL, "ja");
  DengonPhoneNumber *copy = g_boxed_copy (DENGON_TYPE_PHONE_NUMBER, number);

  g_assert_true (G_TYPE_IS_BOXED (DENGON_TYPE_PHONE_NUMBER));
  g_assert_true (copy != number);
  g_assert_cmpstr (copy->input, ==, number->input);
  g_assert_true (copy->input != number->input);
  g_assert_cmpstr (copy->key, ==, number->key);
  g_assert_cmpstr (copy->e164, ==, number->e164);
  g_assert_cmpstr (copy->display, ==, number->display);
  g_assert_cmpstr (copy->extension, ==, "9");
  g_assert_cmpstr (copy->region_code, ==, number->region_code);
  g_assert_cmpstr (copy->description, ==, number->description);
  g_assert_cmpint (copy->kind, ==, number->kind);
  g_assert_cmpint (copy->valid, ==, number->valid);
  g_boxed_free (DENGON_TYPE_PHONE_NUMBER, copy);
}

static void
test_kind_label (gconstpointer data)
{
  DengonPhoneKind kind = GPOINTER_TO_INT (data);
  const char *label = dengon_phone_kind_to_string (kind);

  g_assert_nonnull (label);
  g_assert_cmpstr (label, !=, "");
  for (int other = DENGON_PHONE_KIND_UNKNOWN; other < (int) kind; other++)
    g_assert_cmpstr (dengon_phone_kind_to_string (other), !=, label);
}

/* Many threads at once, in a fresh process so that they race to create the geocoder. */
static gpointer
parse_in_thread (gpointer data)
{
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (DengonPhoneNumber) tokyo =
          dengon_phone_number_parse ("sip:0312345678@192.0.2.10", NULL, i % 2 ? "ja" : "en");
      g_autoptr (DengonPhoneNumber) osaka = dengon_phone_number_parse ("06-1234-5678", NULL, "ja");
      g_autofree char *key = dengon_phone_key ("060-1234-5678", NULL);

      g_assert_cmpstr (tokyo->description, ==, i % 2 ? "東京" : "Tokyo");
      g_assert_cmpstr (osaka->description, ==, "大阪");
      g_assert_cmpstr (key, ==, "+816012345678");
    }

  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[8];

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_in_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* A test path from the case's name, or its input when that is ASCII: GTest prints paths in the
 * locale's charset, "?" for every kanji under C. */
static char *
path_for (const char *prefix, const char *name, const char *input)
{
  const char *text = name != NULL ? name : input;
  GString *path = g_string_new (prefix);

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((*p & 0x80) != 0)
        g_error ("Give the case “%s” an ASCII name", input);
      if (g_ascii_isalnum (*p) || strchr ("-+.()@:=;,%<>\"", *p) != NULL)
        g_string_append_c (path, *p);
      else
        g_string_append_c (path, '_');
    }

  return g_string_free (path, FALSE);
}

static void
add_test (GHashTable *paths, char *path, gconstpointer data, GTestDataFunc func)
{
  if (!g_hash_table_add (paths, path))
    g_error ("Two tests are named %s", path);
  g_test_add_data_func (path, data, func);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dengon/phone/threads", test_threads);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];

      add_test (paths, path_for ("/dengon/phone/parse/", c->name, c->input), c, test_parse);
    }

  for (guint i = 0; i < G_N_ELEMENTS (no_number_cases); i++)
    add_test (
        paths,
        path_for ("/dengon/phone/no-number/", no_number_cases[i].name, no_number_cases[i].input),
        &no_number_cases[i], test_no_number);

  for (guint i = 0; i < G_N_ELEMENTS (match_groups); i++)
    add_test (paths, path_for ("/dengon/phone/match/", match_groups[i].name, NULL),
              &match_groups[i], test_match);
  g_test_add_func ("/dengon/phone/match/groups-differ", test_match_groups_differ);

  for (guint i = 0; i < G_N_ELEMENTS (differ_cases); i++)
    {
      g_autofree char *name = g_strconcat (differ_cases[i][0], " vs ", differ_cases[i][1], NULL);

      add_test (paths, path_for ("/dengon/phone/differ/", name, NULL), differ_cases[i],
                test_differ);
    }

  for (guint i = 0; i < G_N_ELEMENTS (digits_cases); i++)
    add_test (paths,
              path_for ("/dengon/phone/digits/", digits_cases[i].name, digits_cases[i].input),
              &digits_cases[i], test_digits);

  for (guint i = 0; i < G_N_ELEMENTS (extract_cases); i++)
    add_test (paths,
              path_for ("/dengon/phone/extract/", extract_cases[i].name, extract_cases[i].input),
              &extract_cases[i], test_extract);

  for (int kind = DENGON_PHONE_KIND_UNKNOWN; kind <= DENGON_PHONE_KIND_FIXED_LINE_OR_MOBILE; kind++)
    add_test (paths, g_strdup_printf ("/dengon/phone/kind-label/%d", kind), GINT_TO_POINTER (kind),
              test_kind_label);

  g_test_add_func ("/dengon/phone/null", test_null);
  g_test_add_func ("/dengon/phone/long/garbage", test_long_garbage);
  g_test_add_func ("/dengon/phone/long/digits", test_long_digits);
  g_test_add_func ("/dengon/phone/long/number-and-text", test_long_number_and_text);
  g_test_add_func ("/dengon/phone/region", test_region);
  g_test_add_func ("/dengon/phone/language", test_language);
  g_test_add_func ("/dengon/phone/language-environment", test_language_environment);
  g_test_add_func ("/dengon/phone/boxed", test_boxed);

  return g_test_run ();
}
