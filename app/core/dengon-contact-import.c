/* dengon-contact-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-contact-import.h"
#include "dengon-contact.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"

G_DEFINE_QUARK (dengon - contact - import - error - quark, dengon_contact_import_error)

/* A property we keep may unfold to this much (a folded PHOTO may be longer: it is skipped). */
#define MAX_LOGICAL_LINE (256 * 1024)

/* ------------------------------------------------------------------ helpers */

static void
problem_free (DengonContactImportProblem *problem)
{
  g_free (problem->message);
  g_free (problem);
}

static void
entry_free (DengonContactImportEntry *entry)
{
  g_clear_pointer (&entry->contact, json_object_unref);
  g_free (entry->duplicate_of);
  g_free (entry->duplicate_title);
  g_free (entry);
}

static void add_problem (DengonContactImport *import, guint line, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static void
add_problem (DengonContactImport *import, guint line, const char *format, ...)
{
  DengonContactImportProblem *problem = g_new0 (DengonContactImportProblem, 1);
  va_list args;

  va_start (args, format);
  problem->line = line;
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (import->problems, problem);
}

static DengonContactImport *
import_new (DengonContactFormat format)
{
  DengonContactImport *import = g_new0 (DengonContactImport, 1);

  import->format = format;
  import->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  import->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  return import;
}

void
dengon_contact_import_free (DengonContactImport *import)
{
  if (import == NULL)
    return;
  g_free (import->encoding);
  g_clear_pointer (&import->header, g_ptr_array_unref);
  g_clear_pointer (&import->rows, g_ptr_array_unref);
  g_clear_pointer (&import->row_lines, g_array_unref);
  g_free (import->mapping);
  g_free (import->kind_columns);
  g_clear_pointer (&import->entries, g_ptr_array_unref);
  g_clear_pointer (&import->problems, g_ptr_array_unref);
  g_clear_pointer (&import->file_problems, g_ptr_array_unref);
  g_free (import);
}

/* Sets a text member, cut to @max characters (reported). */
static void
set_text (DengonContactImport *import, guint line, JsonObject *contact, const char *member,
          const char *text, guint max)
{
  g_autofree char *value = dengon_text_strip (text);

  if (value == NULL)
    return;
  if (g_utf8_strlen (value, -1) > max)
    {
      char *cut = g_utf8_substring (value, 0, max);

      add_problem (import, line, _ ("The %s is longer than %u characters and was cut."), member,
                   max);
      g_free (value);
      value = cut;
    }
  json_object_set_string_member (contact, member, value);
}

/* Readings come as katakana, half-width from old phones: kept as written, made full-width. */
static char *
normalize_reading (const char *text)
{
  g_autofree char *value = dengon_text_strip (text);

  if (value == NULL)
    return NULL;
  return g_utf8_normalize (value, -1, G_NORMALIZE_NFKC);
}

static char *
join_names (const char *first, const char *second)
{
  g_autofree char *a = dengon_text_strip (first);
  g_autofree char *b = dengon_text_strip (second);

  if (a != NULL && b != NULL)
    return g_strdup_printf ("%s %s", a, b);
  return g_strdup (a != NULL ? a : b);
}

static void
add_number (DengonContactImport *import, guint line, JsonObject *contact, const char *text,
            DengonNumberKind kind)
{
  g_autofree char *value = dengon_text_strip (text);
  g_autofree char *digits = NULL;

  if (value == NULL)
    return;
  digits = dengon_phone_digits (value);
  if (*digits == '\0')
    {
      add_problem (import, line, _ ("“%s” is not a phone number; it was left out."), value);
      return;
    }
  if (g_utf8_strlen (value, -1) > DENGON_CONTACT_MAX_NUMBER)
    {
      add_problem (import, line, _ ("A phone number is too long; it was left out."));
      return;
    }
  if (json_array_get_length (dengon_json_get_array (contact, "numbers")) >=
      DENGON_CONTACT_MAX_NUMBERS)
    {
      add_problem (import, line, _ ("More than %d phone numbers; the rest were left out."),
                   DENGON_CONTACT_MAX_NUMBERS);
      return;
    }
  dengon_contact_add_number (contact, value, kind);
}

static gboolean
has_substance (JsonObject *contact)
{
  return dengon_json_get_string (contact, "name") != NULL ||
         dengon_json_get_string (contact, "company") != NULL ||
         json_array_get_length (dengon_json_get_array (contact, "numbers")) > 0 ||
         dengon_json_get_string (contact, "email") != NULL;
}

static void
add_entry (DengonContactImport *import, JsonObject *contact, guint line)
{
  DengonContactImportEntry *entry = g_new0 (DengonContactImportEntry, 1);
  g_autoptr (GError) error = NULL;

  if (!has_substance (contact))
    {
      add_problem (import, line, _ ("No name, company, number or e-mail: skipped."));
      json_object_unref (contact);
      return;
    }
  if (!dengon_contact_validate (contact, &error))
    {
      add_problem (import, line, _ ("Skipped: %s"), error->message);
      json_object_unref (contact);
      return;
    }

  entry->contact = contact;
  entry->line = line;
  entry->duplicate_entry = -1;
  entry->action = DENGON_CONTACT_IMPORT_ADD;
  g_ptr_array_add (import->entries, entry);
}

/* ------------------------------------------------------------------ bytes to text */

/* The line (from 1) where @offset is. */
static guint
line_of (const char *data, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

static char *
decode_text (const char *data, gsize length, char **encoding, GError **error)
{
  const char *end = NULL;
  g_autoptr (GError) convert_error = NULL;
  char *text;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      if (!g_utf8_validate (data + 3, length - 3, &end))
        {
          g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_ENCODING,
                       _ ("Line %u is not valid UTF-8, although the file says it is UTF-8."),
                       line_of (data, end - data));
          return NULL;
        }
      *encoding = g_strdup ("UTF-8 (BOM)");
      return g_strndup (data + 3, length - 3);
    }

  if (length >= 2 && (memcmp (data, "\xFF\xFE", 2) == 0 || memcmp (data, "\xFE\xFF", 2) == 0))
    {
      const char *charset = data[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";

      text = g_convert (data + 2, length - 2, "UTF-8", charset, NULL, NULL, &convert_error);
      if (text == NULL)
        {
          g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_ENCODING,
                       _ ("The file says it is UTF-16 but is not: %s"), convert_error->message);
          return NULL;
        }
      *encoding = g_strdup ("UTF-16");
      return text;
    }

  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_ENCODING,
                   _ ("This is not a text file (line %u holds a zero byte)."),
                   line_of (data, (const char *) memchr (data, '\0', length) - data));
      return NULL;
    }

  if (g_utf8_validate (data, length, &end))
    {
      *encoding = g_strdup ("UTF-8");
      return g_strndup (data, length);
    }

  /* Some phones fold a vCard line at 75 octets inside a UTF-8 character: unfolded, the text is
   * UTF-8 again (line numbers then count logical lines). */
  if (length > 11 && g_ascii_strncasecmp (data, "BEGIN:VCARD", 11) == 0)
    {
      GString *unfolded = g_string_sized_new (length);

      for (gsize i = 0; i < length; i++)
        {
          if (data[i] == '\r' && i + 2 < length && data[i + 1] == '\n' &&
              (data[i + 2] == ' ' || data[i + 2] == '\t'))
            i += 2;
          else if (data[i] == '\n' && i + 1 < length && (data[i + 1] == ' ' || data[i + 1] == '\t'))
            i += 1;
          else
            g_string_append_c (unfolded, data[i]);
        }
      if (g_utf8_validate (unfolded->str, unfolded->len, NULL))
        {
          *encoding = g_strdup ("UTF-8");
          return g_string_free (unfolded, FALSE);
        }
      g_string_free (unfolded, TRUE);
    }

  /* Not UTF-8: what Japanese Excel and old phones write. */
  text = g_convert (data, length, "UTF-8", "CP932", NULL, NULL, NULL);
  if (text != NULL)
    {
      *encoding = g_strdup ("Shift_JIS");
      return text;
    }

  g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_ENCODING,
               _ ("Line %u is neither UTF-8 nor Shift_JIS: save the file as UTF-8 and try again."),
               line_of (data, end - data));
  return NULL;
}

/* Physical lines (CRLF, LF or CR), without their ends. */
static GPtrArray *
split_lines (char *text, GError **error)
{
  GPtrArray *lines = g_ptr_array_new ();
  char *p = text;

  while (*p)
    {
      char *start = p;

      while (*p && *p != '\n' && *p != '\r')
        p++;
      if ((gsize) (p - start) > DENGON_CONTACT_IMPORT_MAX_LINE)
        {
          g_set_error (error, DENGON_CONTACT_IMPORT_ERROR,
                       DENGON_CONTACT_IMPORT_ERROR_LINE_TOO_LONG,
                       _ ("Line %u is longer than %u characters: this is not an address book."),
                       lines->len + 1, DENGON_CONTACT_IMPORT_MAX_LINE);
          g_ptr_array_unref (lines);
          return NULL;
        }
      g_ptr_array_add (lines, start);
      if (*p == '\r' && p[1] == '\n')
        {
          *p = '\0';
          p += 2;
        }
      else if (*p)
        *p++ = '\0';
    }

  return lines;
}

/* ------------------------------------------------------------------ vCard */

typedef struct
{
  char *name;        /* upper case, without the group */
  GPtrArray *params; /* "KEY=VALUE" pairs as two strings: KEY upper case */
  char *value;
  guint line;
  gboolean overflow;
} Property;

static void
property_free (Property *prop)
{
  g_free (prop->name);
  g_clear_pointer (&prop->params, g_ptr_array_unref);
  g_free (prop->value);
  g_free (prop);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Property, property_free)

/* The values of parameter @key, lower case ("TYPE" also gathers vCard 2.1's bare parameters). */
static gboolean
param_has (Property *prop, const char *key, const char *value)
{
  for (guint i = 0; i + 1 < prop->params->len; i += 2)
    {
      const char *k = g_ptr_array_index (prop->params, i);
      g_auto (GStrv) values = NULL;

      if (g_ascii_strcasecmp (k, key) != 0)
        continue;
      values = g_strsplit (g_ptr_array_index (prop->params, i + 1), ",", -1);
      for (guint j = 0; values[j] != NULL; j++)
        {
          g_strstrip (values[j]);
          if (value == NULL || g_ascii_strcasecmp (values[j], value) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static const char *
param_get (Property *prop, const char *key)
{
  for (guint i = 0; i + 1 < prop->params->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (prop->params, i), key) == 0)
      return g_ptr_array_index (prop->params, i + 1);
  return NULL;
}

static char *
unquote (const char *text)
{
  gsize len = strlen (text);

  if (len >= 2 && text[0] == '"' && text[len - 1] == '"')
    return g_strndup (text + 1, len - 2);
  return g_strdup (text);
}

/* "item1.TEL;TYPE=CELL;PREF:value" */
static Property *
parse_property (const char *logical, guint line)
{
  g_autoptr (Property) prop = g_new0 (Property, 1);
  const char *colon = NULL;
  gboolean quoted = FALSE;
  g_auto (GStrv) parts = NULL;
  g_autofree char *head = NULL;
  const char *dot;
  GPtrArray *pieces;
  const char *start;

  for (const char *p = logical; *p; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        {
          colon = p;
          break;
        }
    }
  if (colon == NULL)
    return NULL;

  prop->line = line;
  prop->params = g_ptr_array_new_with_free_func (g_free);
  prop->value = g_strdup (colon + 1);
  head = g_strndup (logical, colon - logical);

  /* Parameters split on ';' outside quotes. */
  pieces = g_ptr_array_new_with_free_func (g_free);
  quoted = FALSE;
  start = head;
  for (const char *p = head;; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      if (*p == '\0' || (*p == ';' && !quoted))
        {
          g_ptr_array_add (pieces, g_strndup (start, p - start));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  g_ptr_array_add (pieces, NULL);
  parts = (GStrv) g_ptr_array_free (pieces, FALSE);

  dot = strrchr (parts[0], '.');
  prop->name = g_ascii_strup (dot != NULL ? dot + 1 : parts[0], -1);
  g_strstrip (prop->name);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');

      if (*parts[i] == '\0')
        continue;
      if (eq == NULL)
        {
          /* vCard 2.1: "TEL;WORK;VOICE", "NOTE;QUOTED-PRINTABLE", "CHARSET" never bare. */
          if (g_ascii_strcasecmp (parts[i], "QUOTED-PRINTABLE") == 0 ||
              g_ascii_strcasecmp (parts[i], "BASE64") == 0)
            g_ptr_array_add (prop->params, g_strdup ("ENCODING"));
          else
            g_ptr_array_add (prop->params, g_strdup ("TYPE"));
          g_ptr_array_add (prop->params, g_strdup (parts[i]));
        }
      else
        {
          g_ptr_array_add (prop->params, g_ascii_strup (parts[i], eq - parts[i]));
          g_ptr_array_add (prop->params, unquote (eq + 1));
        }
    }

  return g_steal_pointer (&prop);
}

static GBytes *
decode_quoted_printable (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p; p++)
    {
      if (*p == '=' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          guint8 byte = g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]);

          g_byte_array_append (out, &byte, 1);
          p += 2;
        }
      else if (*p == '=' && p[1] == '\0')
        break; /* a soft line break left at the end */
      else
        g_byte_array_append (out, (const guint8 *) p, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

/* The property's value as UTF-8 text (quoted-printable and base64 decoded, CHARSET converted);
 * NULL with a problem when it cannot be read. */
static char *
property_text (DengonContactImport *import, Property *prop)
{
  const char *encoding = param_get (prop, "ENCODING");
  const char *charset = param_get (prop, "CHARSET");
  g_autoptr (GBytes) bytes = NULL;
  gconstpointer data;
  gsize size;
  char *text;

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "QUOTED-PRINTABLE") == 0)
    bytes = decode_quoted_printable (prop->value);
  else if (encoding != NULL && (g_ascii_strcasecmp (encoding, "B") == 0 ||
                                g_ascii_strcasecmp (encoding, "BASE64") == 0))
    {
      gsize len = 0;
      guchar *raw = g_base64_decode (prop->value, &len);

      bytes = g_bytes_new_take (raw, len);
    }
  else
    return g_strdup (prop->value);

  data = g_bytes_get_data (bytes, &size);
  if (charset != NULL && g_ascii_strcasecmp (charset, "UTF-8") != 0)
    {
      const char *from = charset;

      /* Phones say SHIFT_JIS and mean Microsoft's table (NEC and IBM extensions). */
      if (g_ascii_strcasecmp (charset, "SHIFT_JIS") == 0 ||
          g_ascii_strcasecmp (charset, "SJIS") == 0 ||
          g_ascii_strcasecmp (charset, "SHIFT-JIS") == 0)
        from = "CP932";
      text = g_convert (data, size, "UTF-8", from, NULL, NULL, NULL);
      if (text == NULL)
        add_problem (import, prop->line, _ ("%s cannot be read as %s; it was left out."),
                     prop->name, charset);
      return text;
    }
  if (!g_utf8_validate (data, size, NULL))
    {
      /* A quoted-printable value without a charset from a Japanese phone. */
      text = g_convert (data, size, "UTF-8", "CP932", NULL, NULL, NULL);
      if (text == NULL)
        add_problem (import, prop->line, _ ("%s is not readable text; it was left out."),
                     prop->name);
      return text;
    }
  return g_strndup (data, size);
}

/* Splits a structured value on unescaped @sep and unescapes each component. */
static GStrv
split_value (const char *value, char sep)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GString) part = g_string_new (NULL);

  for (const char *p = value;; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          if (*p == 'n' || *p == 'N')
            g_string_append_c (part, '\n');
          else
            g_string_append_c (part, *p);
          continue;
        }
      if (*p == '\0' || *p == sep)
        {
          g_strv_builder_add (builder, part->str);
          g_string_truncate (part, 0);
          if (*p == '\0')
            break;
          continue;
        }
      g_string_append_c (part, *p);
    }
  return g_strv_builder_end (builder);
}

static char *
unescape (const char *value)
{
  g_auto (GStrv) parts = split_value (value, '\0');

  return g_strdup (parts[0]);
}

static DengonNumberKind
tel_kind (Property *prop)
{
  if (param_has (prop, "TYPE", "fax"))
    return DENGON_NUMBER_KIND_FAX;
  if (param_has (prop, "TYPE", "cell") || param_has (prop, "TYPE", "mobile") ||
      param_has (prop, "TYPE", "iphone"))
    return DENGON_NUMBER_KIND_MOBILE;
  if (param_has (prop, "TYPE", "work"))
    return DENGON_NUMBER_KIND_WORK;
  if (param_has (prop, "TYPE", "home"))
    return DENGON_NUMBER_KIND_HOME;
  return DENGON_NUMBER_KIND_OTHER;
}

typedef struct
{
  guint line;
  char *fn;
  char *family, *given;
  char *reading_family, *reading_given;
  char *sort_as;
  char *company, *department;
  char *email;
  GString *notes;
  gboolean is_org; /* KIND:org, X-ABShowAs:COMPANY: FN is the company's name */
  JsonObject *contact;
} Card;

static void
card_clear (Card *card)
{
  g_clear_pointer (&card->fn, g_free);
  g_clear_pointer (&card->family, g_free);
  g_clear_pointer (&card->given, g_free);
  g_clear_pointer (&card->reading_family, g_free);
  g_clear_pointer (&card->reading_given, g_free);
  g_clear_pointer (&card->sort_as, g_free);
  g_clear_pointer (&card->company, g_free);
  g_clear_pointer (&card->department, g_free);
  g_clear_pointer (&card->email, g_free);
  if (card->notes != NULL)
    g_string_free (card->notes, TRUE);
  card->notes = NULL;
  g_clear_pointer (&card->contact, json_object_unref);
  card->is_org = FALSE;
}

static void
take (char **slot, char *value)
{
  if (*slot == NULL && !dengon_text_is_blank (value))
    *slot = value;
  else
    g_free (value);
}

static void
card_property (DengonContactImport *import, Card *card, Property *prop)
{
  static const char *const skipped[] = { "PHOTO", "LOGO", "SOUND", "KEY", NULL };
  g_autofree char *text = NULL;

  /* SOUND;X-IRMC-N is the reading on Japanese phones (vCard 2.1); other SOUNDs are audio. */
  if (strcmp (prop->name, "SOUND") == 0 && param_has (prop, "TYPE", "X-IRMC-N"))
    {
      g_auto (GStrv) parts = NULL;

      text = property_text (import, prop);
      if (text == NULL)
        return;
      parts = split_value (text, ';');
      take (&card->reading_family, normalize_reading (parts[0]));
      if (parts[1] != NULL)
        take (&card->reading_given, normalize_reading (parts[1]));
      return;
    }
  if (g_strv_contains (skipped, prop->name))
    return;
  if (prop->overflow)
    {
      add_problem (import, prop->line, _ ("%s is too long; it was left out."), prop->name);
      return;
    }

  text = property_text (import, prop);
  if (text == NULL)
    return;

  if (strcmp (prop->name, "FN") == 0)
    take (&card->fn, unescape (text));
  else if ((strcmp (prop->name, "KIND") == 0 ||
            strcmp (prop->name, "X-ADDRESSBOOKSERVER-KIND") == 0) &&
           g_ascii_strcasecmp (text, "org") == 0)
    card->is_org = TRUE;
  else if (strcmp (prop->name, "X-ABSHOWAS") == 0 && g_ascii_strcasecmp (text, "COMPANY") == 0)
    card->is_org = TRUE;
  else if (strcmp (prop->name, "N") == 0)
    {
      g_auto (GStrv) parts = split_value (text, ';');
      const char *sort_as = param_get (prop, "SORT-AS");

      take (&card->family, g_strdup (parts[0]));
      if (parts[1] != NULL)
        take (&card->given, g_strdup (parts[1]));
      if (sort_as != NULL)
        {
          g_auto (GStrv) readings = g_strsplit (sort_as, ",", -1);

          take (&card->reading_family, normalize_reading (readings[0]));
          if (readings[0] != NULL && readings[1] != NULL)
            take (&card->reading_given, normalize_reading (readings[1]));
        }
    }
  else if (strcmp (prop->name, "X-PHONETIC-LAST-NAME") == 0)
    take (&card->reading_family, normalize_reading (unescape (text)));
  else if (strcmp (prop->name, "X-PHONETIC-FIRST-NAME") == 0)
    take (&card->reading_given, normalize_reading (unescape (text)));
  else if (strcmp (prop->name, "SORT-STRING") == 0)
    take (&card->sort_as, normalize_reading (unescape (text)));
  else if (strcmp (prop->name, "ORG") == 0)
    {
      g_auto (GStrv) parts = split_value (text, ';');

      take (&card->company, g_strdup (parts[0]));
      if (parts[0] != NULL && parts[1] != NULL)
        take (&card->department, g_strdup (parts[1]));
    }
  else if (strcmp (prop->name, "TEL") == 0)
    {
      g_autofree char *number = unescape (text);

      add_number (import, prop->line, card->contact, number, tel_kind (prop));
    }
  else if (strcmp (prop->name, "EMAIL") == 0)
    {
      g_autofree char *email = unescape (text);

      if (card->email == NULL)
        take (&card->email, g_steal_pointer (&email));
      else if (!dengon_text_is_blank (email))
        {
          if (card->notes == NULL)
            card->notes = g_string_new (NULL);
          g_string_append_printf (card->notes, "%s%s", card->notes->len ? "\n" : "", email);
        }
    }
  else if (strcmp (prop->name, "NOTE") == 0)
    {
      g_autofree char *note = unescape (text);

      if (!dengon_text_is_blank (note))
        {
          if (card->notes == NULL)
            card->notes = g_string_new (NULL);
          g_string_prepend (card->notes, "\n");
          g_string_prepend (card->notes, note);
        }
    }
}

static void
card_finish (DengonContactImport *import, Card *card)
{
  JsonObject *contact = card->contact;
  g_autofree char *name = NULL;
  g_autofree char *reading = NULL;

  /* Japanese order: family name first ("山田 太郎"); FN as the card wrote it wins. */
  name = card->fn != NULL ? g_strdup (card->fn) : join_names (card->family, card->given);
  /* A company's card: its name is the company, not a person's. */
  if (card->is_org && card->family == NULL && card->given == NULL &&
      (card->company == NULL || g_strcmp0 (name, card->company) == 0))
    {
      if (card->company == NULL)
        card->company = g_steal_pointer (&name);
      g_clear_pointer (&name, g_free);
    }
  if (card->reading_family != NULL || card->reading_given != NULL)
    reading = join_names (card->reading_family, card->reading_given);
  else if (card->sort_as != NULL)
    reading = g_strdup (card->sort_as);
  /* A reading that is only the name again (Latin names sorted by themselves) says nothing. */
  if (reading != NULL && name != NULL && g_strcmp0 (reading, name) == 0)
    g_clear_pointer (&reading, g_free);

  set_text (import, card->line, contact, "name", name, DENGON_CONTACT_MAX_TEXT);
  set_text (import, card->line, contact, "reading", reading, DENGON_CONTACT_MAX_TEXT);
  set_text (import, card->line, contact, "company", card->company, DENGON_CONTACT_MAX_TEXT);
  set_text (import, card->line, contact, "department", card->department, DENGON_CONTACT_MAX_TEXT);
  set_text (import, card->line, contact, "email", card->email, DENGON_CONTACT_MAX_EMAIL);
  if (card->notes != NULL)
    set_text (import, card->line, contact, "notes", card->notes->str, DENGON_CONTACT_MAX_NOTES);

  add_entry (import, g_steal_pointer (&card->contact), card->line);
  card_clear (card);
}

static void
parse_vcard (DengonContactImport *import, GPtrArray *lines, GError **error)
{
  Card card = { 0 };
  gboolean in_card = FALSE;
  guint depth = 0;
  guint i = 0;

  while (i < lines->len)
    {
      g_autoptr (GString) logical = g_string_new (g_ptr_array_index (lines, i));
      g_autoptr (Property) prop = NULL;
      guint line = i + 1;
      gboolean overflow = FALSE;

      i++;
      /* Folded lines go on with a space or a tab. */
      for (;;)
        {
          const char *next = i < lines->len ? g_ptr_array_index (lines, i) : NULL;

          if (next != NULL && (next[0] == ' ' || next[0] == '\t'))
            {
              if (logical->len + strlen (next) > MAX_LOGICAL_LINE)
                overflow = TRUE;
              else
                g_string_append (logical, next + 1);
              i++;
              continue;
            }
          /* Quoted-printable soft line breaks (vCard 2.1): "=" at the end goes on. */
          if (next != NULL && logical->len > 0 && logical->str[logical->len - 1] == '=' &&
              strchr (logical->str, ':') != NULL &&
              g_strstr_len (logical->str, strchr (logical->str, ':') - logical->str,
                            "QUOTED-PRINTABLE") != NULL)
            {
              g_string_truncate (logical, logical->len - 1);
              if (logical->len + strlen (next) > MAX_LOGICAL_LINE)
                overflow = TRUE;
              else
                g_string_append (logical, next);
              i++;
              continue;
            }
          break;
        }

      if (dengon_text_is_blank (logical->str))
        continue;

      prop = parse_property (logical->str, line);
      if (prop == NULL)
        {
          if (in_card)
            add_problem (import, line, _ ("This line is not a vCard property; it was left out."));
          else
            add_problem (import, line, _ ("This line is outside a card; it was left out."));
          continue;
        }
      prop->overflow = overflow;

      if (strcmp (prop->name, "BEGIN") == 0 &&
          g_ascii_strcasecmp (g_strstrip (prop->value), "VCARD") == 0)
        {
          if (in_card)
            {
              /* A card inside a card (AGENT in vCard 2.1): its lines are not this card's. */
              depth++;
              continue;
            }
          if (import->entries->len + 1 > DENGON_CONTACT_IMPORT_MAX_CONTACTS)
            {
              g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_TOO_MANY,
                           _ ("The file holds more than %u contacts: split it and import the "
                              "parts one after the other."),
                           DENGON_CONTACT_IMPORT_MAX_CONTACTS);
              card_clear (&card);
              return;
            }
          in_card = TRUE;
          card.line = line;
          card.contact = dengon_contact_new (NULL);
          continue;
        }
      if (strcmp (prop->name, "END") == 0 &&
          g_ascii_strcasecmp (g_strstrip (prop->value), "VCARD") == 0)
        {
          if (depth > 0)
            depth--;
          else if (in_card)
            {
              card_finish (import, &card);
              in_card = FALSE;
            }
          else
            add_problem (import, line, _ ("END:VCARD without BEGIN:VCARD."));
          continue;
        }
      if (!in_card)
        {
          add_problem (import, line, _ ("This line is outside a card; it was left out."));
          continue;
        }
      if (depth == 0)
        card_property (import, &card, prop);
    }

  if (in_card)
    {
      add_problem (import, card.line,
                   _ ("This card has no END:VCARD (the file may be cut short); it was read up to "
                      "the end of the file."));
      card_finish (import, &card);
    }
}

/* ------------------------------------------------------------------ CSV */

static char
guess_delimiter (const char *text)
{
  guint commas = 0, tabs = 0, semicolons = 0;
  gboolean quoted = FALSE;

  for (const char *p = text; *p && (quoted || (*p != '\n' && *p != '\r')); p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == ',')
        commas++;
      else if (!quoted && *p == '\t')
        tabs++;
      else if (!quoted && *p == ';')
        semicolons++;
    }
  if (tabs > commas && tabs >= semicolons)
    return '\t';
  if (semicolons > commas)
    return ';';
  return ',';
}

/* RFC 4180 with any line end; a quoted field may span lines. Returns FALSE (with @error) only
 * for what makes the whole file unreadable. */
static gboolean
parse_csv_records (DengonContactImport *import, const char *text, GError **error)
{
  char delimiter = guess_delimiter (text);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  const char *p = text;
  guint line = 1, record_line = 1, quote_line = 0;
  gsize line_length = 0;
  gboolean quoted = FALSE, was_quoted = FALSE;

  import->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  import->row_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  for (;;)
    {
      char c = *p;

      if (c != '\0' && c != '\n' && c != '\r' && ++line_length > DENGON_CONTACT_IMPORT_MAX_LINE)
        {
          g_set_error (error, DENGON_CONTACT_IMPORT_ERROR,
                       DENGON_CONTACT_IMPORT_ERROR_LINE_TOO_LONG,
                       _ ("Line %u is longer than %u characters: this is not an address book."),
                       line, DENGON_CONTACT_IMPORT_MAX_LINE);
          return FALSE;
        }

      if (quoted)
        {
          if (c == '\0')
            {
              add_problem (import, quote_line,
                           _ ("A quotation mark opened here is never closed: this row and the "
                              "lines after it were left out."));
              g_ptr_array_set_size (fields, 0);
              break;
            }
          if (c == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p += 2;
              continue;
            }
          if (c == '"')
            {
              quoted = FALSE;
              p++;
              continue;
            }
          if (c == '\r' || c == '\n')
            {
              /* A line end inside a field is kept as "\n". */
              g_string_append_c (field, '\n');
              p += (c == '\r' && p[1] == '\n') ? 2 : 1;
              line++;
              line_length = 0;
              continue;
            }
          g_string_append_c (field, c);
          p++;
          continue;
        }

      if (c == '"' && field->len == 0 && !was_quoted)
        {
          quoted = TRUE;
          was_quoted = TRUE;
          quote_line = line;
          p++;
          continue;
        }
      if (c == delimiter)
        {
          if (fields->len >= DENGON_CONTACT_IMPORT_MAX_COLUMNS)
            {
              g_set_error (error, DENGON_CONTACT_IMPORT_ERROR,
                           DENGON_CONTACT_IMPORT_ERROR_LINE_TOO_LONG,
                           _ ("Line %u has more than %u columns: this is not an address book."),
                           line, DENGON_CONTACT_IMPORT_MAX_COLUMNS);
              return FALSE;
            }
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          p++;
          continue;
        }
      if (c == '\0' || c == '\n' || c == '\r')
        {
          gboolean empty = field->len == 0 && !was_quoted;

          /* A row of empty fields (what spreadsheets leave below the data) is no row. */
          for (guint f = 0; empty && f < fields->len; f++)
            empty = *(const char *) g_ptr_array_index (fields, f) == '\0';
          if (empty)
            g_ptr_array_set_size (fields, 0);

          if (!empty)
            {
              g_ptr_array_add (fields, g_strdup (field->str));
              g_ptr_array_add (fields, NULL);
              g_ptr_array_add (import->rows, g_ptr_array_steal (fields, NULL));
              g_array_append_val (import->row_lines, record_line);
              g_ptr_array_set_free_func (fields, g_free);
              if (import->rows->len > DENGON_CONTACT_IMPORT_MAX_CONTACTS + 1)
                {
                  g_set_error (error, DENGON_CONTACT_IMPORT_ERROR,
                               DENGON_CONTACT_IMPORT_ERROR_TOO_MANY,
                               _ ("The file holds more than %u contacts: split it and import the "
                                  "parts one after the other."),
                               DENGON_CONTACT_IMPORT_MAX_CONTACTS);
                  return FALSE;
                }
            }
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          if (c == '\0')
            break;
          p += (c == '\r' && p[1] == '\n') ? 2 : 1;
          line++;
          line_length = 0;
          record_line = line;
          continue;
        }
      if (was_quoted)
        {
          /* Text after a closing quote: "a"b. Kept, and said. */
          add_problem (import, line, _ ("Text after a closing quotation mark was kept as it is."));
          was_quoted = FALSE;
        }
      g_string_append_c (field, c);
      p++;
    }

  return TRUE;
}

typedef struct
{
  const char *header;
  DengonContactField field;
} HeaderName;

/* Headers as people, Excel templates, Google, Outlook and Dengon's own export write them
 * (compared after NFKC and case folding, without spaces). */
static const HeaderName header_names[] = {
  { "name", DENGON_CONTACT_FIELD_NAME },
  { "fullname", DENGON_CONTACT_FIELD_NAME },
  { "displayname", DENGON_CONTACT_FIELD_NAME },
  { "氏名", DENGON_CONTACT_FIELD_NAME },
  { "名前", DENGON_CONTACT_FIELD_NAME },
  { "お名前", DENGON_CONTACT_FIELD_NAME },
  { "表示名", DENGON_CONTACT_FIELD_NAME },
  { "担当者", DENGON_CONTACT_FIELD_NAME },
  { "担当者名", DENGON_CONTACT_FIELD_NAME },
  { "familyname", DENGON_CONTACT_FIELD_FAMILY_NAME },
  { "lastname", DENGON_CONTACT_FIELD_FAMILY_NAME },
  { "姓", DENGON_CONTACT_FIELD_FAMILY_NAME },
  { "名字", DENGON_CONTACT_FIELD_FAMILY_NAME },
  { "苗字", DENGON_CONTACT_FIELD_FAMILY_NAME },
  { "givenname", DENGON_CONTACT_FIELD_GIVEN_NAME },
  { "firstname", DENGON_CONTACT_FIELD_GIVEN_NAME },
  { "名", DENGON_CONTACT_FIELD_GIVEN_NAME },
  { "reading", DENGON_CONTACT_FIELD_READING },
  { "yomi", DENGON_CONTACT_FIELD_READING },
  { "ふりがな", DENGON_CONTACT_FIELD_READING },
  { "フリガナ", DENGON_CONTACT_FIELD_READING },
  { "よみがな", DENGON_CONTACT_FIELD_READING },
  { "ヨミガナ", DENGON_CONTACT_FIELD_READING },
  { "よみ", DENGON_CONTACT_FIELD_READING },
  { "読み", DENGON_CONTACT_FIELD_READING },
  { "読み仮名", DENGON_CONTACT_FIELD_READING },
  { "氏名(ふりがな)", DENGON_CONTACT_FIELD_READING },
  { "氏名(フリガナ)", DENGON_CONTACT_FIELD_READING },
  { "familynameyomi", DENGON_CONTACT_FIELD_FAMILY_READING },
  { "phoneticlastname", DENGON_CONTACT_FIELD_FAMILY_READING },
  { "姓(ふりがな)", DENGON_CONTACT_FIELD_FAMILY_READING },
  { "姓(フリガナ)", DENGON_CONTACT_FIELD_FAMILY_READING },
  { "せい", DENGON_CONTACT_FIELD_FAMILY_READING },
  { "givennameyomi", DENGON_CONTACT_FIELD_GIVEN_READING },
  { "phoneticfirstname", DENGON_CONTACT_FIELD_GIVEN_READING },
  { "名(ふりがな)", DENGON_CONTACT_FIELD_GIVEN_READING },
  { "名(フリガナ)", DENGON_CONTACT_FIELD_GIVEN_READING },
  { "めい", DENGON_CONTACT_FIELD_GIVEN_READING },
  { "company", DENGON_CONTACT_FIELD_COMPANY },
  { "organization", DENGON_CONTACT_FIELD_COMPANY },
  { "organizationname", DENGON_CONTACT_FIELD_COMPANY },
  { "organization1-name", DENGON_CONTACT_FIELD_COMPANY },
  { "会社", DENGON_CONTACT_FIELD_COMPANY },
  { "会社名", DENGON_CONTACT_FIELD_COMPANY },
  { "勤務先", DENGON_CONTACT_FIELD_COMPANY },
  { "取引先", DENGON_CONTACT_FIELD_COMPANY },
  { "取引先名", DENGON_CONTACT_FIELD_COMPANY },
  { "department", DENGON_CONTACT_FIELD_DEPARTMENT },
  { "organizationdepartment", DENGON_CONTACT_FIELD_DEPARTMENT },
  { "organization1-department", DENGON_CONTACT_FIELD_DEPARTMENT },
  { "部署", DENGON_CONTACT_FIELD_DEPARTMENT },
  { "部署名", DENGON_CONTACT_FIELD_DEPARTMENT },
  { "所属", DENGON_CONTACT_FIELD_DEPARTMENT },
  { "phone", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "tel", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "workphone", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "businessphone", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "phone(work)", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "電話", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "電話番号", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "電話番号(勤務先)", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "会社電話", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "勤務先電話", DENGON_CONTACT_FIELD_PHONE_WORK },
  { "mobile", DENGON_CONTACT_FIELD_PHONE_MOBILE },
  { "mobilephone", DENGON_CONTACT_FIELD_PHONE_MOBILE },
  { "cell", DENGON_CONTACT_FIELD_PHONE_MOBILE },
  { "携帯", DENGON_CONTACT_FIELD_PHONE_MOBILE },
  { "携帯電話", DENGON_CONTACT_FIELD_PHONE_MOBILE },
  { "携帯番号", DENGON_CONTACT_FIELD_PHONE_MOBILE },
  { "homephone", DENGON_CONTACT_FIELD_PHONE_HOME },
  { "home", DENGON_CONTACT_FIELD_PHONE_HOME },
  { "自宅", DENGON_CONTACT_FIELD_PHONE_HOME },
  { "自宅電話", DENGON_CONTACT_FIELD_PHONE_HOME },
  { "fax", DENGON_CONTACT_FIELD_PHONE_FAX },
  { "businessfax", DENGON_CONTACT_FIELD_PHONE_FAX },
  { "fax番号", DENGON_CONTACT_FIELD_PHONE_FAX },
  { "ファックス", DENGON_CONTACT_FIELD_PHONE_FAX },
  { "otherphone", DENGON_CONTACT_FIELD_PHONE_OTHER },
  { "その他の電話", DENGON_CONTACT_FIELD_PHONE_OTHER },
  { "email", DENGON_CONTACT_FIELD_EMAIL },
  { "e-mail", DENGON_CONTACT_FIELD_EMAIL },
  { "e-mailaddress", DENGON_CONTACT_FIELD_EMAIL },
  { "emailaddress", DENGON_CONTACT_FIELD_EMAIL },
  { "e-mail1-value", DENGON_CONTACT_FIELD_EMAIL },
  { "メール", DENGON_CONTACT_FIELD_EMAIL },
  { "メールアドレス", DENGON_CONTACT_FIELD_EMAIL },
  { "電子メール", DENGON_CONTACT_FIELD_EMAIL },
  { "notes", DENGON_CONTACT_FIELD_NOTES },
  { "note", DENGON_CONTACT_FIELD_NOTES },
  { "備考", DENGON_CONTACT_FIELD_NOTES },
  { "メモ", DENGON_CONTACT_FIELD_NOTES },
  { "potential", DENGON_CONTACT_FIELD_POTENTIAL },
  { "見込み", DENGON_CONTACT_FIELD_POTENTIAL },
  { "relationship", DENGON_CONTACT_FIELD_RELATIONSHIP },
  { "関係性", DENGON_CONTACT_FIELD_RELATIONSHIP },
};

static char *
header_key (const char *header)
{
  g_autofree char *normalized = g_utf8_normalize (header, -1, G_NORMALIZE_NFKC);
  g_autofree char *lower = g_utf8_strdown (normalized != NULL ? normalized : header, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != '_')
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static DengonContactField
guess_field (const char *header)
{
  g_autofree char *key = header_key (header);

  for (guint i = 0; i < G_N_ELEMENTS (header_names); i++)
    if (strcmp (key, header_names[i].header) == 0)
      return header_names[i].field;

  /* Google: "Phone 1 - Value" (its kind in "Phone 1 - Label" or "- Type"). */
  if (g_str_has_prefix (key, "phone") && g_str_has_suffix (key, "-value"))
    return DENGON_CONTACT_FIELD_PHONE_OTHER;

  /* Dengon's own export in the UI language. */
  for (guint f = DENGON_CONTACT_FIELD_NAME; f < DENGON_CONTACT_N_FIELDS; f++)
    {
      g_autofree char *label = header_key (dengon_contact_field_get_label (f));

      if (strcmp (key, label) == 0)
        return f;
    }
  return DENGON_CONTACT_FIELD_IGNORE;
}

const char *
dengon_contact_field_get_label (DengonContactField field)
{
  switch (field)
    {
      case DENGON_CONTACT_FIELD_NAME:
        return _ ("Name");
      case DENGON_CONTACT_FIELD_FAMILY_NAME:
        return _ ("Family Name");
      case DENGON_CONTACT_FIELD_GIVEN_NAME:
        return _ ("Given Name");
      case DENGON_CONTACT_FIELD_READING:
        return _ ("Reading");
      case DENGON_CONTACT_FIELD_FAMILY_READING:
        return _ ("Family Name Reading");
      case DENGON_CONTACT_FIELD_GIVEN_READING:
        return _ ("Given Name Reading");
      case DENGON_CONTACT_FIELD_COMPANY:
        return _ ("Company");
      case DENGON_CONTACT_FIELD_DEPARTMENT:
        return _ ("Department");
      case DENGON_CONTACT_FIELD_PHONE_WORK:
        return _ ("Work Phone");
      case DENGON_CONTACT_FIELD_PHONE_MOBILE:
        return _ ("Mobile Phone");
      case DENGON_CONTACT_FIELD_PHONE_HOME:
        return _ ("Home Phone");
      case DENGON_CONTACT_FIELD_PHONE_FAX:
        return _ ("Fax");
      case DENGON_CONTACT_FIELD_PHONE_OTHER:
        return _ ("Other Phone");
      case DENGON_CONTACT_FIELD_EMAIL:
        return _ ("E-mail");
      case DENGON_CONTACT_FIELD_NOTES:
        return _ ("Notes");
      case DENGON_CONTACT_FIELD_POTENTIAL:
        return _ ("Potential");
      case DENGON_CONTACT_FIELD_RELATIONSHIP:
        return _ ("Relationship");
      case DENGON_CONTACT_FIELD_IGNORE:
      case DENGON_CONTACT_N_FIELDS:
      default:
        return _ ("Do Not Import");
    }
}

static DengonNumberKind
kind_from_label (const char *label, DengonNumberKind fallback)
{
  g_autofree char *key = NULL;

  if (dengon_text_is_blank (label))
    return fallback;
  key = header_key (label);
  if (strstr (key, "fax") != NULL || strstr (key, "ファックス") != NULL)
    return DENGON_NUMBER_KIND_FAX;
  if (strstr (key, "mobile") != NULL || strstr (key, "cell") != NULL ||
      strstr (key, "携帯") != NULL)
    return DENGON_NUMBER_KIND_MOBILE;
  if (strstr (key, "work") != NULL || strstr (key, "勤務") != NULL || strstr (key, "会社") != NULL)
    return DENGON_NUMBER_KIND_WORK;
  if (strstr (key, "home") != NULL || strstr (key, "自宅") != NULL)
    return DENGON_NUMBER_KIND_HOME;
  return DENGON_NUMBER_KIND_OTHER;
}

static const char *
level_from_text (const char *text)
{
  g_autofree char *key = NULL;

  if (dengon_text_is_blank (text))
    return NULL;
  key = header_key (text);
  if (strcmp (key, "high") == 0 || strcmp (key, "高") == 0 || strcmp (key, "高い") == 0 ||
      strcmp (key, header_key (C_ ("level", "High"))) == 0)
    return "high";
  if (strcmp (key, "low") == 0 || strcmp (key, "低") == 0 || strcmp (key, "低い") == 0 ||
      strcmp (key, header_key (C_ ("level", "Low"))) == 0)
    return "low";
  return NULL;
}

static int compare_problems (gconstpointer a, gconstpointer b);

static void
build_csv_entries (DengonContactImport *import)
{
  g_ptr_array_set_size (import->entries, 0);
  g_ptr_array_set_size (import->problems, 0);
  for (guint i = 0; import->file_problems != NULL && i < import->file_problems->len; i++)
    {
      DengonContactImportProblem *problem = g_ptr_array_index (import->file_problems, i);

      add_problem (import, problem->line, "%s", problem->message);
    }

  /* Row 0 is the header. */
  for (guint r = 1; r < import->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (import->rows, r);
      guint line = g_array_index (import->row_lines, guint, r);
      JsonObject *contact = dengon_contact_new (NULL);
      const char *values[DENGON_CONTACT_N_FIELDS] = { NULL };
      guint n = g_strv_length (row);

      if (n > import->n_columns)
        add_problem (import, line,
                     _ ("This row has %u columns and the header %u: the last ones were left "
                        "out."),
                     n, import->n_columns);

      for (guint c = 0; c < n && c < import->n_columns; c++)
        {
          DengonContactField field = import->mapping[c];

          if (field >= DENGON_CONTACT_FIELD_PHONE_WORK && field <= DENGON_CONTACT_FIELD_PHONE_OTHER)
            {
              DengonNumberKind kind = field - DENGON_CONTACT_FIELD_PHONE_WORK;
              const char *label =
                  import->kind_columns[c] >= 0 && (guint) import->kind_columns[c] < n
                      ? row[import->kind_columns[c]]
                      : NULL;
              g_auto (GStrv) numbers = NULL;
              g_autofree char *joined = g_strjoinv ("\n", (GStrv) (const char *[]){ row[c], NULL });

              kind = kind_from_label (label, kind);
              /* Google joins several numbers of one label with " ::: ". */
              numbers = g_regex_split_simple ("\\s*:::\\s*|\\n", joined, 0, 0);
              for (guint k = 0; numbers[k] != NULL; k++)
                add_number (import, line, contact, numbers[k], kind);
            }
          else if (field != DENGON_CONTACT_FIELD_IGNORE && values[field] == NULL &&
                   !dengon_text_is_blank (row[c]))
            values[field] = row[c];
        }

      {
        g_autofree char *name = values[DENGON_CONTACT_FIELD_NAME] != NULL
                                    ? g_strdup (values[DENGON_CONTACT_FIELD_NAME])
                                    : join_names (values[DENGON_CONTACT_FIELD_FAMILY_NAME],
                                                  values[DENGON_CONTACT_FIELD_GIVEN_NAME]);
        g_autofree char *reading_raw =
            values[DENGON_CONTACT_FIELD_READING] != NULL
                ? g_strdup (values[DENGON_CONTACT_FIELD_READING])
                : join_names (values[DENGON_CONTACT_FIELD_FAMILY_READING],
                              values[DENGON_CONTACT_FIELD_GIVEN_READING]);
        g_autofree char *reading = normalize_reading (reading_raw);
        const char *potential = level_from_text (values[DENGON_CONTACT_FIELD_POTENTIAL]);
        const char *relationship = level_from_text (values[DENGON_CONTACT_FIELD_RELATIONSHIP]);

        set_text (import, line, contact, "name", name, DENGON_CONTACT_MAX_TEXT);
        set_text (import, line, contact, "reading", reading, DENGON_CONTACT_MAX_TEXT);
        set_text (import, line, contact, "company", values[DENGON_CONTACT_FIELD_COMPANY],
                  DENGON_CONTACT_MAX_TEXT);
        set_text (import, line, contact, "department", values[DENGON_CONTACT_FIELD_DEPARTMENT],
                  DENGON_CONTACT_MAX_TEXT);
        set_text (import, line, contact, "email", values[DENGON_CONTACT_FIELD_EMAIL],
                  DENGON_CONTACT_MAX_EMAIL);
        set_text (import, line, contact, "notes", values[DENGON_CONTACT_FIELD_NOTES],
                  DENGON_CONTACT_MAX_NOTES);
        if (potential != NULL)
          json_object_set_string_member (contact, "potential", potential);
        if (relationship != NULL)
          json_object_set_string_member (contact, "relationship", relationship);
      }

      add_entry (import, contact, line);
    }

  g_ptr_array_sort (import->problems, compare_problems);
}

static void
parse_csv (DengonContactImport *import, const char *text, GError **error)
{
  GStrv header;

  if (!parse_csv_records (import, text, error))
    return;
  if (import->rows->len == 0)
    return;

  import->file_problems = g_steal_pointer (&import->problems);
  import->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  header = g_ptr_array_index (import->rows, 0);
  import->n_columns = g_strv_length (header);
  import->header = g_ptr_array_new_with_free_func (g_free);
  import->mapping = g_new0 (DengonContactField, import->n_columns);
  import->kind_columns = g_new (int, import->n_columns);
  for (guint c = 0; c < import->n_columns; c++)
    {
      g_autofree char *key = header_key (header[c]);

      g_ptr_array_add (import->header, g_strdup (header[c]));
      import->mapping[c] = guess_field (header[c]);
      import->kind_columns[c] = -1;

      /* "Phone 1 - Value" takes its kind from "Phone 1 - Label" (or "- Type"). */
      if (g_str_has_suffix (key, "-value"))
        {
          g_autofree char *stem = g_strndup (key, strlen (key) - strlen ("-value"));

          for (guint o = 0; o < import->n_columns; o++)
            {
              g_autofree char *other = header_key (header[o]);

              if (g_str_has_prefix (other, stem) &&
                  (g_str_has_suffix (other, "-label") || g_str_has_suffix (other, "-type")) &&
                  strlen (other) <= strlen (stem) + strlen ("-label"))
                import->kind_columns[c] = o;
            }
        }
    }

  build_csv_entries (import);
}

void
dengon_contact_import_set_mapping (DengonContactImport *import, guint column,
                                   DengonContactField field)
{
  g_return_if_fail (import != NULL);
  g_return_if_fail (import->format == DENGON_CONTACT_FORMAT_CSV);
  g_return_if_fail (column < import->n_columns);
  g_return_if_fail (field < DENGON_CONTACT_N_FIELDS);

  import->mapping[column] = field;
  build_csv_entries (import);
}

/* ------------------------------------------------------------------ public */

static int
compare_problems (gconstpointer a, gconstpointer b)
{
  const DengonContactImportProblem *pa = *(DengonContactImportProblem *const *) a;
  const DengonContactImportProblem *pb = *(DengonContactImportProblem *const *) b;

  return (pa->line > pb->line) - (pa->line < pb->line);
}

static gboolean
looks_like_vcard (const char *text)
{
  const char *p = text;

  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  return g_ascii_strncasecmp (p, "BEGIN:VCARD", 11) == 0;
}

DengonContactImport *
dengon_contact_import_parse (const char *data, gsize length, GError **error)
{
  g_autoptr (DengonContactImport) import = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > DENGON_CONTACT_IMPORT_MAX_BYTES)
    {
      g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_TOO_LARGE,
                   _ ("The file is larger than %u MB: this is not an address book."),
                   DENGON_CONTACT_IMPORT_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  text = decode_text (data != NULL ? data : "", length, &encoding, error);
  if (text == NULL)
    return NULL;

  if (looks_like_vcard (text))
    {
      g_autoptr (GPtrArray) lines = NULL;

      import = import_new (DENGON_CONTACT_FORMAT_VCARD);
      lines = split_lines (text, error);
      if (lines == NULL)
        return NULL;
      parse_vcard (import, lines, &local_error);
    }
  else
    {
      import = import_new (DENGON_CONTACT_FORMAT_CSV);
      parse_csv (import, text, &local_error);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (import->entries->len == 0 && import->problems->len == 0 &&
      (import->format == DENGON_CONTACT_FORMAT_VCARD || import->rows == NULL ||
       import->rows->len <= 1))
    {
      g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_EMPTY,
                   import->format == DENGON_CONTACT_FORMAT_VCARD
                       ? _ ("The file holds no contact.")
                       : _ ("The file holds no contact: a CSV file needs a header row and at "
                            "least one row below it."));
      return NULL;
    }

  import->encoding = g_steal_pointer (&encoding);
  g_ptr_array_sort (import->problems, compare_problems);

  return g_steal_pointer (&import);
}

DengonContactImport *
dengon_contact_import_load (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInfo) info = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > DENGON_CONTACT_IMPORT_MAX_BYTES)
    {
      g_set_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_TOO_LARGE,
                   _ ("The file is larger than %u MB: this is not an address book."),
                   DENGON_CONTACT_IMPORT_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_file_load_contents (file, cancellable, &data, &length, NULL, error))
    return NULL;

  return dengon_contact_import_parse (data, length, error);
}

gboolean
dengon_contact_import_find_duplicates (DengonContactImport *import, DengonStore *store,
                                       GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (import != NULL, FALSE);
  g_return_val_if_fail (DENGON_IS_STORE (store), FALSE);

  for (guint i = 0; i < import->entries->len; i++)
    {
      DengonContactImportEntry *entry = g_ptr_array_index (import->entries, i);
      g_auto (GStrv) keys = dengon_contact_get_number_keys (entry->contact);

      g_clear_pointer (&entry->duplicate_of, g_free);
      g_clear_pointer (&entry->duplicate_title, g_free);
      entry->duplicate_entry = -1;
      entry->action = DENGON_CONTACT_IMPORT_ADD;

      for (guint k = 0; keys[k] != NULL; k++)
        {
          gpointer earlier;

          if (entry->duplicate_entry < 0 &&
              g_hash_table_lookup_extended (seen, keys[k], NULL, &earlier))
            entry->duplicate_entry = GPOINTER_TO_INT (earlier);
          if (entry->duplicate_of == NULL)
            {
              g_autoptr (GPtrArray) found = dengon_contact_find_by_number (store, keys[k], error);

              if (found == NULL)
                return FALSE;
              if (found->len > 0)
                {
                  JsonObject *stored = g_ptr_array_index (found, 0);

                  entry->duplicate_of = g_strdup (dengon_json_get_string (stored, "_id"));
                  entry->duplicate_title = dengon_contact_get_title (stored);
                }
            }
        }
      for (guint k = 0; keys[k] != NULL; k++)
        if (!g_hash_table_contains (seen, keys[k]))
          g_hash_table_insert (seen, g_strdup (keys[k]), GINT_TO_POINTER (i));

      if (entry->duplicate_of != NULL || entry->duplicate_entry >= 0)
        entry->action = DENGON_CONTACT_IMPORT_MERGE;
    }

  return TRUE;
}

guint
dengon_contact_import_count (DengonContactImport *import, DengonContactImportAction action)
{
  guint n = 0;

  for (guint i = 0; i < import->entries->len; i++)
    if (((DengonContactImportEntry *) g_ptr_array_index (import->entries, i))->action == action)
      n++;
  return n;
}

gboolean
dengon_contact_import_write (DengonContactImport *import, DengonStore *store, guint *added,
                             guint *merged, GError **error)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) copies =
      g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree gboolean *consumed = NULL;
  g_auto (GStrv) revs = NULL;
  guint n_added = 0, n_merged = 0;
  guint n = import->entries->len;

  g_return_val_if_fail (import != NULL, FALSE);
  g_return_val_if_fail (DENGON_IS_STORE (store), FALSE);

  /* Work on copies: a failed write leaves the preview as it was. */
  consumed = g_new0 (gboolean, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      DengonContactImportEntry *entry = g_ptr_array_index (import->entries, i);

      g_ptr_array_add (copies, dengon_memo_copy (entry->contact));
    }

  /* Later entries into earlier ones first, so that a chain ends in one contact. */
  for (guint i = n; i-- > 0;)
    {
      DengonContactImportEntry *entry = g_ptr_array_index (import->entries, i);
      int target;

      if (entry->action != DENGON_CONTACT_IMPORT_MERGE || entry->duplicate_of != NULL ||
          entry->duplicate_entry < 0)
        continue;
      target = entry->duplicate_entry;
      while (target >= 0 &&
             ((DengonContactImportEntry *) g_ptr_array_index (import->entries, target))->action ==
                 DENGON_CONTACT_IMPORT_SKIP)
        target = ((DengonContactImportEntry *) g_ptr_array_index (import->entries, target))
                     ->duplicate_entry;
      if (target < 0)
        continue; /* everything it matched is skipped: a contact of its own */
      dengon_contact_merge (g_ptr_array_index (copies, target), g_ptr_array_index (copies, i));
      consumed[i] = TRUE;
      n_merged++;
    }

  for (guint i = 0; i < n; i++)
    {
      DengonContactImportEntry *entry = g_ptr_array_index (import->entries, i);
      JsonObject *copy = g_ptr_array_index (copies, i);

      if (consumed[i] || entry->action == DENGON_CONTACT_IMPORT_SKIP)
        continue;
      if (entry->action == DENGON_CONTACT_IMPORT_MERGE && entry->duplicate_of != NULL)
        {
          JsonObject *into = g_hash_table_lookup (stored, entry->duplicate_of);

          if (into == NULL)
            {
              g_autoptr (JsonObject) doc = dengon_store_get (store, entry->duplicate_of, error);

              if (doc == NULL)
                {
                  g_prefix_error (error, _ ("Line %u: "), entry->line);
                  return FALSE;
                }
              into = dengon_memo_copy (doc);
              g_hash_table_insert (stored, g_strdup (entry->duplicate_of), into);
              g_ptr_array_add (docs, into);
            }
          dengon_contact_merge (into, copy);
          n_merged++;
          continue;
        }
      g_ptr_array_add (docs, json_object_ref (copy));
      n_added++;
    }

  for (guint i = 0; i < docs->len; i++)
    if (!dengon_contact_validate (g_ptr_array_index (docs, i), error))
      return FALSE;

  if (docs->len > 0)
    {
      revs = dengon_store_put_many (store, docs, error);
      if (revs == NULL)
        return FALSE;
    }

  if (added != NULL)
    *added = n_added;
  if (merged != NULL)
    *merged = n_merged;
  return TRUE;
}

/* ------------------------------------------------------------------ export */

static void
vcard_escape (GString *out, const char *text, gboolean component)
{
  for (const char *p = text != NULL ? text : ""; *p; p++)
    {
      if (*p == '\\' || *p == ',' || (component && *p == ';') || (!component && *p == ';'))
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p != '\r')
        g_string_append_c (out, *p);
    }
}

/* Folds at 75 octets, never inside a UTF-8 sequence (RFC 6350 3.2). */
static void
vcard_line (GString *out, const char *line)
{
  gsize width = 0;

  for (const char *p = line; *p; p = g_utf8_next_char (p))
    {
      gsize len = g_utf8_next_char (p) - p;

      if (width + len > 75)
        {
          g_string_append (out, "\r\n ");
          width = 1;
        }
      g_string_append_len (out, p, len);
      width += len;
    }
  g_string_append (out, "\r\n");
}

/* "山田 太郎" → family "山田", given "太郎" (first space, ideographic ones too). */
static void
split_name (const char *name, char **family, char **given)
{
  const char *p;

  *family = NULL;
  *given = NULL;
  if (name == NULL)
    return;
  for (p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      break;
  *family = g_strndup (name, p - name);
  if (*p)
    *given = dengon_text_strip (g_utf8_next_char (p));
}

char *
dengon_contact_export_vcard (GPtrArray *contacts)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    {
      JsonObject *contact = g_ptr_array_index (contacts, i);
      const char *name = dengon_json_get_string (contact, "name");
      const char *reading = dengon_json_get_string (contact, "reading");
      const char *company = dengon_json_get_string (contact, "company");
      const char *department = dengon_json_get_string (contact, "department");
      const char *id = dengon_json_get_string (contact, "_id");
      g_autofree char *title = dengon_contact_get_title (contact);
      g_autofree char *family = NULL, *given = NULL, *rfamily = NULL, *rgiven = NULL;
      JsonArray *numbers = dengon_json_get_array (contact, "numbers");
      g_autoptr (GString) line = g_string_new (NULL);

      split_name (name, &family, &given);
      split_name (reading, &rfamily, &rgiven);

      g_string_append (out, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
      if (name == NULL && company != NULL)
        g_string_append (out, "KIND:org\r\n");
      if (id != NULL && g_str_has_prefix (id, "contact:"))
        {
          g_string_printf (line, "UID:urn:uuid:%s", id + strlen ("contact:"));
          vcard_line (out, line->str);
        }
      g_string_assign (line, "FN:");
      vcard_escape (line, name != NULL ? name : title, FALSE);
      vcard_line (out, line->str);

      g_string_assign (line, "N");
      if (reading != NULL)
        {
          /* SORT-AS holds the reading of each component (RFC 6350 5.9). */
          g_string_append (line, ";SORT-AS=\"");
          for (const char *p = rfamily; p != NULL && *p; p++)
            if (*p != '"' && *p != ',')
              g_string_append_c (line, *p);
          if (rgiven != NULL)
            {
              g_string_append_c (line, ',');
              for (const char *p = rgiven; *p; p++)
                if (*p != '"' && *p != ',')
                  g_string_append_c (line, *p);
            }
          g_string_append_c (line, '"');
        }
      g_string_append_c (line, ':');
      vcard_escape (line, family, TRUE);
      g_string_append_c (line, ';');
      vcard_escape (line, given, TRUE);
      g_string_append (line, ";;;");
      vcard_line (out, line->str);

      /* What Android, iOS and Google read the reading from. */
      if (rfamily != NULL)
        {
          g_string_assign (line, "X-PHONETIC-LAST-NAME:");
          vcard_escape (line, rfamily, FALSE);
          vcard_line (out, line->str);
        }
      if (rgiven != NULL)
        {
          g_string_assign (line, "X-PHONETIC-FIRST-NAME:");
          vcard_escape (line, rgiven, FALSE);
          vcard_line (out, line->str);
        }
      if (company != NULL || department != NULL)
        {
          g_string_assign (line, "ORG:");
          vcard_escape (line, company, TRUE);
          if (department != NULL)
            {
              g_string_append_c (line, ';');
              vcard_escape (line, department, TRUE);
            }
          vcard_line (out, line->str);
        }
      for (guint n = 0; numbers != NULL && n < json_array_get_length (numbers); n++)
        {
          JsonNode *node = json_array_get_element (numbers, n);
          static const char *const types[] = { "work,voice", "cell,voice", "home,voice", "fax",
                                               "voice" };
          DengonNumberKind kind;
          JsonObject *entry;
          const char *number;
          g_autofree char *digits = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          entry = json_node_get_object (node);
          number = dengon_json_get_string (entry, "number");
          kind = dengon_number_kind_from_string (dengon_json_get_string (entry, "kind"));
          if (number == NULL)
            continue;
          /* E.164 as a tel: URI; digits the library did not know as the text shown. */
          if (number[0] == '+')
            g_string_printf (line, "TEL;VALUE=uri;TYPE=\"%s\":tel:%s", types[kind], number);
          else
            {
              g_string_printf (line, "TEL;VALUE=text;TYPE=\"%s\":", types[kind]);
              vcard_escape (line,
                            dengon_json_get_string (entry, "display") != NULL
                                ? dengon_json_get_string (entry, "display")
                                : number,
                            FALSE);
            }
          vcard_line (out, line->str);
        }
      if (dengon_json_get_string (contact, "email") != NULL)
        {
          g_string_assign (line, "EMAIL:");
          vcard_escape (line, dengon_json_get_string (contact, "email"), FALSE);
          vcard_line (out, line->str);
        }
      if (dengon_json_get_string (contact, "notes") != NULL)
        {
          g_string_assign (line, "NOTE:");
          vcard_escape (line, dengon_json_get_string (contact, "notes"), FALSE);
          vcard_line (out, line->str);
        }
      g_string_append (out, "END:VCARD\r\n");
    }

  return g_string_free (out, FALSE);
}

static void
csv_field (GString *out, const char *text, gboolean first)
{
  if (!first)
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  /* A spreadsheet never runs what a caller said as a formula. */
  if (text != NULL && (*text == '=' || *text == '+' || *text == '-' || *text == '@'))
    g_string_append_c (out, '\'');
  for (const char *p = text != NULL ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
dengon_contact_export_csv (GPtrArray *contacts, GHashTable *staff_names)
{
  static const DengonContactField columns[] = {
    DENGON_CONTACT_FIELD_NAME,         DENGON_CONTACT_FIELD_READING,
    DENGON_CONTACT_FIELD_COMPANY,      DENGON_CONTACT_FIELD_DEPARTMENT,
    DENGON_CONTACT_FIELD_PHONE_WORK,   DENGON_CONTACT_FIELD_PHONE_MOBILE,
    DENGON_CONTACT_FIELD_PHONE_HOME,   DENGON_CONTACT_FIELD_PHONE_FAX,
    DENGON_CONTACT_FIELD_PHONE_OTHER,  DENGON_CONTACT_FIELD_EMAIL,
    DENGON_CONTACT_FIELD_NOTES,        DENGON_CONTACT_FIELD_POTENTIAL,
    DENGON_CONTACT_FIELD_RELATIONSHIP,
  };
  GString *out = g_string_new ("\xEF\xBB\xBF");

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    csv_field (out, dengon_contact_field_get_label (columns[c]), c == 0);
  csv_field (out, _ ("Account Owner"), FALSE);
  g_string_append (out, "\r\n");

  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    {
      JsonObject *contact = g_ptr_array_index (contacts, i);
      JsonArray *numbers = dengon_json_get_array (contact, "numbers");
      GString *phones[5] = { NULL };
      const char *owner = dengon_json_get_string (contact, "account_owner");
      const char *owner_name =
          owner != NULL && staff_names != NULL ? g_hash_table_lookup (staff_names, owner) : NULL;

      for (guint k = 0; k < 5; k++)
        phones[k] = g_string_new (NULL);
      for (guint n = 0; numbers != NULL && n < json_array_get_length (numbers); n++)
        {
          JsonNode *node = json_array_get_element (numbers, n);
          JsonObject *entry;
          DengonNumberKind kind;
          const char *shown;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          entry = json_node_get_object (node);
          kind = dengon_number_kind_from_string (dengon_json_get_string (entry, "kind"));
          shown = dengon_json_get_string (entry, "display");
          if (shown == NULL)
            shown = dengon_json_get_string (entry, "number");
          if (shown == NULL)
            continue;
          g_string_append_printf (phones[kind], "%s%s", phones[kind]->len ? "\n" : "", shown);
        }

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          DengonContactField field = columns[c];
          const char *value = NULL;

          switch (field)
            {
              case DENGON_CONTACT_FIELD_NAME:
                value = dengon_json_get_string (contact, "name");
                break;
              case DENGON_CONTACT_FIELD_READING:
                value = dengon_json_get_string (contact, "reading");
                break;
              case DENGON_CONTACT_FIELD_COMPANY:
                value = dengon_json_get_string (contact, "company");
                break;
              case DENGON_CONTACT_FIELD_DEPARTMENT:
                value = dengon_json_get_string (contact, "department");
                break;
              case DENGON_CONTACT_FIELD_PHONE_WORK:
              case DENGON_CONTACT_FIELD_PHONE_MOBILE:
              case DENGON_CONTACT_FIELD_PHONE_HOME:
              case DENGON_CONTACT_FIELD_PHONE_FAX:
              case DENGON_CONTACT_FIELD_PHONE_OTHER:
                value = phones[field - DENGON_CONTACT_FIELD_PHONE_WORK]->str;
                break;
              case DENGON_CONTACT_FIELD_EMAIL:
                value = dengon_json_get_string (contact, "email");
                break;
              case DENGON_CONTACT_FIELD_NOTES:
                value = dengon_json_get_string (contact, "notes");
                break;
              case DENGON_CONTACT_FIELD_POTENTIAL:
              case DENGON_CONTACT_FIELD_RELATIONSHIP:
                {
                  const char *level = dengon_json_get_string (
                      contact,
                      field == DENGON_CONTACT_FIELD_POTENTIAL ? "potential" : "relationship");

                  value = g_strcmp0 (level, "high") == 0  ? C_ ("level", "High")
                          : g_strcmp0 (level, "low") == 0 ? C_ ("level", "Low")
                                                          : NULL;
                }
                break;
              case DENGON_CONTACT_FIELD_IGNORE:
              case DENGON_CONTACT_FIELD_FAMILY_NAME:
              case DENGON_CONTACT_FIELD_GIVEN_NAME:
              case DENGON_CONTACT_FIELD_FAMILY_READING:
              case DENGON_CONTACT_FIELD_GIVEN_READING:
              case DENGON_CONTACT_N_FIELDS:
              default:
                break;
            }
          csv_field (out, value, c == 0);
        }
      csv_field (out, owner_name != NULL ? owner_name : owner, FALSE);
      g_string_append (out, "\r\n");
      for (guint k = 0; k < 5; k++)
        g_string_free (phones[k], TRUE);
    }

  return g_string_free (out, FALSE);
}
