/* dengon-phone.cc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one C++ file: libphonenumber behind the C API of dengon-phone.h. */

#include "config.h"

#include <string.h>

#include <string>

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>

#include "dengon-phone.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace
{

enum class Parsed
{
  NONE,
  POSSIBLE,
  VALID
};

/* Loading the geocoder's tables is slow, and callers are worker threads: one, never freed. */
const PhoneNumberOfflineGeocoder *
get_geocoder ()
{
  static gsize initialized;
  static PhoneNumberOfflineGeocoder *geocoder;

  if (g_once_init_enter (&initialized))
    {
      geocoder = new PhoneNumberOfflineGeocoder ();
      g_once_init_leave (&initialized, 1);
    }

  return geocoder;
}

DengonPhoneKind
kind_from_type (PhoneNumberUtil::PhoneNumberType type)
{
  switch (type)
    {
      case PhoneNumberUtil::FIXED_LINE:
        return DENGON_PHONE_KIND_FIXED_LINE;
      case PhoneNumberUtil::MOBILE:
        return DENGON_PHONE_KIND_MOBILE;
      case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
        return DENGON_PHONE_KIND_FIXED_LINE_OR_MOBILE;
      case PhoneNumberUtil::TOLL_FREE:
        return DENGON_PHONE_KIND_TOLL_FREE;
      case PhoneNumberUtil::PREMIUM_RATE:
        return DENGON_PHONE_KIND_PREMIUM;
      case PhoneNumberUtil::SHARED_COST:
      case PhoneNumberUtil::UAN:
        return DENGON_PHONE_KIND_NAVI_DIAL;
      case PhoneNumberUtil::VOIP:
        return DENGON_PHONE_KIND_IP_PHONE;
      case PhoneNumberUtil::PAGER:
        return DENGON_PHONE_KIND_PAGER;
      case PhoneNumberUtil::PERSONAL_NUMBER:
      case PhoneNumberUtil::VOICEMAIL:
        return DENGON_PHONE_KIND_OTHER;
      case PhoneNumberUtil::UNKNOWN:
      default:
        return DENGON_PHONE_KIND_UNKNOWN;
    }
}

/* A number the metadata does not know still gets an E.164 key when it can only mean one
 * number: a possible length, no run of leading zeros ("0081...", "003..."), and a country code
 * that was written or a national prefix ("060..."), not digits that merely fit ("20701",
 * "1234-5678" written without the area code). */
bool
is_possible_key (const PhoneNumberUtil &util, const PhoneNumber &number, const std::string &digits,
                 const std::string &region)
{
  std::string ndd;

  if (number.italian_leading_zero ())
    return false;
  if (util.IsPossibleNumberWithReason (number) != PhoneNumberUtil::IS_POSSIBLE)
    return false;
  if (number.country_code_source () != PhoneNumber::FROM_DEFAULT_COUNTRY)
    return true;

  util.GetNddPrefixForRegion (region, true, &ndd);
  return ndd.empty () || digits.compare (0, ndd.size (), ndd) == 0;
}

/* The digits as written, with the '+' if the number starts with one, before any ';' parameter
 * ("tel:20701;phone-context=pbx.example" -> "20701"). */
std::string
plain_digits (const char *text)
{
  g_autofree char *head = g_strndup (text, strcspn (text, ";"));
  g_autofree char *digits = dengon_phone_digits (head);
  bool plus = false;

  for (const char *p = head; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* U+FF0B: the full-width plus of Japanese input methods */
      if (c == '+' || c == 0xFF0B)
        plus = true;
      if (plus || g_unichar_digit_value (c) >= 0)
        break;
    }

  return (plus ? "+" : "") + std::string (digits);
}

char *
null_if_empty (const std::string &text)
{
  return text.empty () ? NULL : g_strdup (text.c_str ());
}

/* Parse() on the text first, then on the bare digits where it fails on what people add
 * ("03-1234-5678（代表）"), then "00" as the international prefix. @extension: what the
 * library took for an extension in the text, unless the number came from another try: in
 * "03-1234-5678#" it reads 03-1234 extension 5678. */
Parsed
parse_number (const PhoneNumberUtil &util, const char *text, const std::string &plain,
              const std::string &region, PhoneNumber *best, std::string *extension)
{
  Parsed result = Parsed::NONE;
  int best_try = 0;
  PhoneNumber number;
  std::string text_extension;
  std::string tries[3] = { text, plain, "" };
  std::string digits = plain.substr (plain[0] == '+' ? 1 : 0);

  /* "00" is not Japan's international prefix (010 is), but address books hold "0081 3...".
   * The guess counts only when it makes a valid number of the region's own country code:
   * "0033-03-1234-5678" is a carrier prefix and a Tokyo number, not France. */
  if (plain.compare (0, 2, "00") == 0)
    tries[2] = "+" + plain.substr (2);

  for (int i = 0; i < 3; i++)
    {
      if (tries[i].empty () || (i > 0 && tries[i] == tries[i - 1]))
        continue;

      number.Clear ();
      if (util.ParseAndKeepRawInput (tries[i], region, &number) !=
          PhoneNumberUtil::NO_PARSING_ERROR)
        continue;

      if (i == 0)
        text_extension = number.extension ();

      if (i == 2 && number.country_code () != util.GetCountryCodeForRegion (region))
        continue;

      if (util.IsValidNumber (number))
        {
          *best = number;
          best_try = i;
          result = Parsed::VALID;
          break;
        }

      if (result == Parsed::NONE && i < 2 && is_possible_key (util, number, digits, region))
        {
          *best = number;
          best_try = i;
          result = Parsed::POSSIBLE;
        }
    }

  if (best_try == 0)
    *extension = text_extension;

  return result;
}

DengonPhoneNumber *
parse (const char *text, const char *default_region, const char *locale, bool describe)
{
  const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance ();
  g_autoptr (DengonPhoneNumber) self = NULL;
  g_autofree char *number_text = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *region_upper = NULL;
  std::string region;
  std::string plain;
  std::string library_extension;
  std::string e164;
  std::string region_code;
  std::string display;
  PhoneNumber number;
  Parsed parsed = Parsed::NONE;

  if (text == NULL)
    return NULL;

  region_upper = g_ascii_strup (default_region != NULL ? default_region : "JP", -1);
  region = region_upper;

  self = g_new0 (DengonPhoneNumber, 1);
  self->kind = DENGON_PHONE_KIND_UNKNOWN;

  if (strlen (text) > DENGON_PHONE_MAX_INPUT)
    {
      /* Nobody writes a number this long: keep the digits, spare the library. */
      self->input = g_utf8_make_valid (text, DENGON_PHONE_MAX_INPUT);
      plain = plain_digits (self->input);
    }
  else
    {
      self->input = g_utf8_make_valid (text, -1);
      number_text = dengon_phone_extract_number (self->input, &extension);
      if (number_text == NULL)
        return NULL;
      plain = plain_digits (number_text);
    }

  if (plain.empty () || plain == "+")
    return NULL;

  if (number_text != NULL)
    {
      try
        {
          parsed = parse_number (util, number_text, plain, region, &number, &library_extension);
        }
      catch (...)
        {
          parsed = Parsed::NONE;
        }
    }

  /* An extension the library found ("20701 x12") ends the text, so its digits end the plain
   * digits, unless it came as a ";ext=" parameter, which plain_digits() leaves out. */
  if (extension == NULL && !library_extension.empty ())
    {
      g_autofree char *digits = dengon_phone_digits (library_extension.c_str ());
      size_t len = strlen (digits);

      if (strchr (number_text, ';') == NULL && plain.size () > len &&
          plain.compare (plain.size () - len, len, digits) == 0)
        plain.resize (plain.size () - len);
      if (len > 0)
        extension = g_steal_pointer (&digits);
    }
  self->extension = g_steal_pointer (&extension);

  if (parsed == Parsed::NONE)
    {
      self->key = g_strdup (plain.c_str ());
      self->display = g_strdup (plain.c_str ());
      return g_steal_pointer (&self);
    }

  number.clear_extension ();
  util.Format (number, PhoneNumberUtil::E164, &e164);
  util.GetRegionCodeForNumber (number, &region_code);
  self->key = g_strdup (e164.c_str ());
  if (region_code != "ZZ" && region_code != PhoneNumberUtil::kRegionCodeForNonGeoEntity)
    self->region_code = null_if_empty (region_code);

  if (parsed == Parsed::POSSIBLE)
    {
      self->display = g_strdup (plain.c_str ());
      return g_steal_pointer (&self);
    }

  util.Format (number,
               region_code == region ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL,
               &display);
  self->e164 = g_strdup (e164.c_str ());
  self->display = g_strdup (display.c_str ());
  self->kind = kind_from_type (util.GetNumberType (number));
  self->valid = TRUE;

  if (describe && util.IsNumberGeographical (number))
    {
      try
        {
          icu::Locale language (dengon_phone_language_for_locale (locale));

          self->description =
              null_if_empty (get_geocoder ()->GetDescriptionForValidNumber (number, language));
        }
      catch (...)
        {
          self->description = NULL;
        }
    }

  return g_steal_pointer (&self);
}

} // namespace

/* Declared extern "C" in dengon-phone.h (G_BEGIN_DECLS); said again here for the reader. */

extern "C" DengonPhoneNumber *
dengon_phone_number_parse (const char *text, const char *default_region, const char *locale)
{
  return parse (text, default_region, locale, true);
}

extern "C" char *
dengon_phone_key (const char *text, const char *default_region)
{
  g_autoptr (DengonPhoneNumber) number = parse (text, default_region, NULL, false);

  return number != NULL ? g_steal_pointer (&number->key) : NULL;
}
