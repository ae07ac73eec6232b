/* dengon-phone.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Longer text is cut to this many bytes and kept as digits, never given to libphonenumber. */
#define DENGON_PHONE_MAX_INPUT 256

/**
 * DengonPhoneKind:
 * @DENGON_PHONE_KIND_UNKNOWN: the library does not know the number (new 060 mobiles, internal
 *   extensions such as 20701): it is kept as digits
 * @DENGON_PHONE_KIND_FIXED_LINE: a fixed line (03, 06, 045...)
 * @DENGON_PHONE_KIND_MOBILE: a mobile (090, 080, 070)
 * @DENGON_PHONE_KIND_IP_PHONE: VoIP, JP 050
 * @DENGON_PHONE_KIND_TOLL_FREE: toll-free, JP 0120 and 0800
 * @DENGON_PHONE_KIND_NAVI_DIAL: UAN or shared cost (JP 0570 Navi Dial): the caller pays; foreign
 *   UAN and shared-cost numbers get this kind too
 * @DENGON_PHONE_KIND_PREMIUM: premium rate, JP 0990
 * @DENGON_PHONE_KIND_PAGER: pager, JP 020 in libphonenumber 8.12.57
 * @DENGON_PHONE_KIND_OTHER: valid, of a kind Dengon does not show apart (personal numbers,
 *   voicemail access)
 * @DENGON_PHONE_KIND_FIXED_LINE_OR_MOBILE: valid, but the country does not tell fixed lines from
 *   mobiles by the number (the US and Canada)
 *
 * What a number is, as far as the number itself tells.
 */
typedef enum
{
  DENGON_PHONE_KIND_UNKNOWN,
  DENGON_PHONE_KIND_FIXED_LINE,
  DENGON_PHONE_KIND_MOBILE,
  DENGON_PHONE_KIND_IP_PHONE,
  DENGON_PHONE_KIND_TOLL_FREE,
  DENGON_PHONE_KIND_NAVI_DIAL,
  DENGON_PHONE_KIND_PREMIUM,
  DENGON_PHONE_KIND_PAGER,
  DENGON_PHONE_KIND_OTHER,
  DENGON_PHONE_KIND_FIXED_LINE_OR_MOBILE,
} DengonPhoneKind;

/**
 * DengonPhoneNumber:
 * @input: the text given, with invalid UTF-8 replaced by U+FFFD and cut to
 *   %DENGON_PHONE_MAX_INPUT bytes
 * @key: the matching key, equal for every written form of one number, without the extension.
 *   E.164 ("+81312345678") when libphonenumber parses the text to a country code and national
 *   number of a possible length, written with its national prefix (0) or a country code, even if
 *   its metadata does not know the number (so "060-1234-5678" and "+81 60 1234 5678" both give
 *   "+816012345678"); otherwise the ASCII digits, with a leading '+' if one was written
 *   ("20701", "12345678" for "1234-5678", "+9991234")
 * @e164: E.164 when libphonenumber says the number is valid, else %NULL
 * @display: valid numbers of the default region in national format ("03-1234-5678"), other valid
 *   numbers in international format ("+1 650-253-0000"); otherwise the digits as written, with
 *   a leading '+' if one was written ("06012345678"). Never holds the extension
 * @extension: the extension in ASCII digits ("123" from "03-1234-5678 内線123", "ext. 123",
 *   "x123", "#123", ";ext=123"), or %NULL
 * @region_code: the CLDR region of the number ("JP", "US"), %NULL when unknown or not a region
 *   (international freephone +800)
 * @description: where the number is, from libphonenumber's geocoder in the requested language
 *   ("東京" under ja, "Tokyo" under en; the country for foreign numbers without finer data);
 *   %NULL for numbers that are not geographical (mobile, IP phone, toll-free...) and for
 *   invalid numbers
 * @kind: what the number is
 * @valid: whether libphonenumber says the number is valid
 *
 * A phone number as written by people, address books and IP desk phones.
 */
typedef struct
{
  char *input;
  char *key;
  char *e164;
  char *display;
  char *extension;
  char *region_code;
  char *description;
  DengonPhoneKind kind;
  gboolean valid;
} DengonPhoneNumber;

#define DENGON_TYPE_PHONE_NUMBER (dengon_phone_number_get_type ())

GType dengon_phone_number_get_type (void) G_GNUC_CONST;

/* dengon-phone.cc (libphonenumber) */

/* Parses @text (a number as people write it, a sip:/sips:/tel: URI, user@host, "Name" <sip:...>,
 * all possibly percent-encoded once; %NULL allowed). @default_region: the region of numbers
 * written without a country code, %NULL for "JP". @locale: the language of the description,
 * "ja..." for Japanese and anything else for English; %NULL follows LC_MESSAGES the way gettext
 * picks Dengon's translation.
 * Returns %NULL when there is no digit: empty text, "abc", or a URI whose user part has none
 * ("sip:anonymous@192.0.2.10"). Safe from any thread. */
DengonPhoneNumber *dengon_phone_number_parse (const char *text, const char *default_region,
                                              const char *locale);

/* The key of dengon_phone_number_parse(), without the geocoder; %NULL when that returns %NULL. */
char *dengon_phone_key (const char *text, const char *default_region);

/* dengon-phone.c */

DengonPhoneNumber *dengon_phone_number_copy (const DengonPhoneNumber *self);
void dengon_phone_number_free (DengonPhoneNumber *self);

/* Every decimal digit in @text as ASCII, full-width ones folded: "０３－１２３４" -> "031234".
 * For indexing fragments of numbers. "" when there is none or @text is %NULL. */
char *dengon_phone_digits (const char *text);

/* The part of @text (its first %DENGON_PHONE_MAX_INPUT bytes, invalid UTF-8 replaced) that holds
 * the number, for libphonenumber: percent-decoded once, the address out of "Name" <sip:...>, the
 * user part of sip:/sips: URIs and of user@host ("tel:" + the user part when that carries RFC 3966
 * parameters), and an extension after 内線 split off into @extension (ASCII digits, or %NULL).
 * Returns %NULL when the result holds no digit. */
char *dengon_phone_extract_number (const char *text, char **extension);

/* "ja" when @locale names Japanese ("ja", "ja_JP.UTF-8"), else "en". For a %NULL @locale the
 * first of the LC_MESSAGES languages that is Japanese, English, C or POSIX decides: Dengon has
 * no other translation, so gettext falls through the rest. */
const char *dengon_phone_language_for_locale (const char *locale);

/* A short, translated label for people ("Mobile"). */
const char *dengon_phone_kind_to_string (DengonPhoneKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonPhoneNumber, dengon_phone_number_free)

G_END_DECLS
