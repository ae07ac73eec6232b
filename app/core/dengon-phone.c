/* dengon-phone.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-phone.h"

/* Japanese for "extension": libphonenumber knows "ext", "x", "#", ";ext=" but not this. */
#define NAISEN "内線"

G_DEFINE_BOXED_TYPE (DengonPhoneNumber, dengon_phone_number, dengon_phone_number_copy,
                     dengon_phone_number_free)

static gboolean
has_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_digit_value (g_utf8_get_char (p)) >= 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_percent_escape (const char *text)
{
  for (const char *p = strchr (text, '%'); p != NULL; p = strchr (p + 1, '%'))
    {
      if (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        return TRUE;
    }

  return FALSE;
}

/* Phones may send $remote percent-encoded ("sip%3A0312345678%40pbx"): decode once. Text that is
 * not a valid escape sequence ("100%") is kept as it is. */
static char *
percent_decode (const char *text)
{
  g_autofree char *decoded = NULL;

  if (!has_percent_escape (text))
    return g_strdup (text);

  decoded = g_uri_unescape_string (text, NULL);
  if (decoded == NULL)
    return g_strdup (text);

  return g_utf8_make_valid (decoded, -1);
}

/* "Name" <sip:0312345678@192.0.2.10> -> sip:0312345678@192.0.2.10 */
static char *
take_address (const char *text)
{
  const char *lt = strrchr (text, '<');
  const char *gt = lt != NULL ? strchr (lt + 1, '>') : NULL;

  if (gt == NULL)
    return g_strdup (text);

  return g_strstrip (g_strndup (lt + 1, gt - lt - 1));
}

/* The user part of sip:/sips: URIs and of user@host, which Parse() does not understand. */
static char *
take_user_part (const char *text)
{
  const char *user = text;
  const char *at;
  g_autofree char *part = NULL;

  if (g_ascii_strncasecmp (text, "sip:", 4) == 0)
    user = text + 4;
  else if (g_ascii_strncasecmp (text, "sips:", 5) == 0)
    user = text + 5;
  else if (g_ascii_strncasecmp (text, "tel:", 4) == 0)
    return g_strconcat ("tel:", text + 4, NULL); /* libphonenumber wants it in lower case */
  else if (strchr (text, '@') == NULL)
    return g_strdup (text);

  /* user:password@host, or no user part at all: phones that leave out the host
   * ("sip:0312345678;user=phone") put the number there. */
  at = strchr (user, '@');
  if (at != NULL)
    part = g_strndup (user, MIN (strcspn (user, ":"), (gsize) (at - user)));
  else
    part = g_strndup (user, strcspn (user, ";?:"));

  /* A telephone-subscriber user part ("+81312345678;ext=12", ";phone-context=+81-3") follows
   * RFC 3966, which libphonenumber reads in a tel: URI. */
  if (strchr (part, ';') != NULL)
    return g_strconcat ("tel:", part, NULL);

  return g_steal_pointer (&part);
}

/* The first run of digits after 内線, as ASCII. */
static char *
take_naisen (const char *after)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  const char *p = after;

  while (*p != '\0' && g_unichar_digit_value (g_utf8_get_char (p)) < 0)
    p = g_utf8_next_char (p);

  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      int value = g_unichar_digit_value (g_utf8_get_char (p));

      if (value < 0)
        break;
      g_string_append_c (digits, '0' + value);
    }

  if (digits->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

char *
dengon_phone_extract_number (const char *text, char **extension)
{
  g_autofree char *valid = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *address = NULL;
  g_autofree char *number = NULL;
  g_autofree char *ext = NULL;
  const char *naisen;

  if (extension != NULL)
    *extension = NULL;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, MIN (strlen (text), DENGON_PHONE_MAX_INPUT));
  decoded = percent_decode (g_strstrip (valid));
  address = take_address (g_strstrip (decoded));
  number = take_user_part (address);

  /* An extension after a number; "内線123" alone is the internal extension itself. */
  naisen = strstr (number, NAISEN);
  if (naisen != NULL)
    {
      g_autofree char *before = g_strndup (number, naisen - number);

      if (has_digit (before))
        {
          ext = take_naisen (naisen + strlen (NAISEN));
          g_free (number);
          number = g_strstrip (g_steal_pointer (&before));
        }
    }

  if (!has_digit (number))
    return NULL;

  if (extension != NULL)
    *extension = g_steal_pointer (&ext);

  return g_steal_pointer (&number);
}

char *
dengon_phone_digits (const char *text)
{
  g_autofree char *valid = NULL;
  GString *digits;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  digits = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      int value = g_unichar_digit_value (g_utf8_get_char (p));

      if (value >= 0)
        g_string_append_c (digits, '0' + value);
    }

  return g_string_free (digits, FALSE);
}

static gboolean
is_language (const char *locale, const char *language)
{
  gsize len = strlen (language);

  return g_ascii_strncasecmp (locale, language, len) == 0 &&
         (locale[len] == '\0' || strchr ("_.@-", locale[len]) != NULL);
}

const char *
dengon_phone_language_for_locale (const char *locale)
{
  const char *const *names;

  if (locale != NULL)
    return is_language (locale, "ja") ? "ja" : "en";

  names = g_get_language_names_with_category ("LC_MESSAGES");
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (is_language (names[i], "ja"))
        return "ja";
      if (is_language (names[i], "en") || is_language (names[i], "C") ||
          is_language (names[i], "POSIX"))
        return "en";
    }

  return "en";
}

const char *
dengon_phone_kind_to_string (DengonPhoneKind kind)
{
  switch (kind)
    {
      case DENGON_PHONE_KIND_UNKNOWN:
        return _ ("Unknown number");
      case DENGON_PHONE_KIND_FIXED_LINE:
        return _ ("Fixed line");
      case DENGON_PHONE_KIND_MOBILE:
        return _ ("Mobile");
      case DENGON_PHONE_KIND_IP_PHONE:
        return _ ("IP phone");
      case DENGON_PHONE_KIND_TOLL_FREE:
        return _ ("Toll-free");
      case DENGON_PHONE_KIND_NAVI_DIAL:
        return _ ("Navi Dial (caller pays)");
      case DENGON_PHONE_KIND_PREMIUM:
        return _ ("Premium rate");
      case DENGON_PHONE_KIND_PAGER:
        return _ ("Pager");
      case DENGON_PHONE_KIND_OTHER:
        return _ ("Other");
      case DENGON_PHONE_KIND_FIXED_LINE_OR_MOBILE:
        return _ ("Fixed line or mobile");
      default:
        g_return_val_if_reached (_ ("Unknown number"));
    }
}

DengonPhoneNumber *
dengon_phone_number_copy (const DengonPhoneNumber *self)
{
  DengonPhoneNumber *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DengonPhoneNumber, 1);
  copy->input = g_strdup (self->input);
  copy->key = g_strdup (self->key);
  copy->e164 = g_strdup (self->e164);
  copy->display = g_strdup (self->display);
  copy->extension = g_strdup (self->extension);
  copy->region_code = g_strdup (self->region_code);
  copy->description = g_strdup (self->description);
  copy->kind = self->kind;
  copy->valid = self->valid;

  return copy;
}

void
dengon_phone_number_free (DengonPhoneNumber *self)
{
  if (self == NULL)
    return;

  g_free (self->input);
  g_free (self->key);
  g_free (self->e164);
  g_free (self->display);
  g_free (self->extension);
  g_free (self->region_code);
  g_free (self->description);
  g_free (self);
}
