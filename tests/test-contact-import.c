/* test-contact-import.c: address books in (vCard, CSV, both encodings) and out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dengon-contact-import.h"
#include "dengon-contact.h"
#include "dengon-json.h"
#include "dengon-store.h"

/* ------------------------------------------------------------------ helpers */

static DengonContactImport *
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  DengonContactImport *import = dengon_contact_import_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (import);
  return import;
}

static JsonObject *
entry (DengonContactImport *import, guint i)
{
  g_assert_cmpuint (i, <, import->entries->len);
  return ((DengonContactImportEntry *) g_ptr_array_index (import->entries, i))->contact;
}

static const char *
text (DengonContactImport *import, guint i, const char *member)
{
  return dengon_json_get_string (entry (import, i), member);
}

/* "number/kind" of each number, joined with spaces. */
static char *
numbers (DengonContactImport *import, guint i)
{
  JsonArray *array = dengon_json_get_array (entry (import, i), "numbers");
  GString *out = g_string_new (NULL);

  for (guint n = 0; n < json_array_get_length (array); n++)
    {
      JsonObject *number = json_array_get_object_element (array, n);

      g_string_append_printf (out, "%s%s/%s", n > 0 ? " " : "",
                              dengon_json_get_string (number, "number"),
                              dengon_json_get_string (number, "kind"));
    }
  return g_string_free (out, FALSE);
}

/* "line: message" of each problem, one a line. */
static char *
problem_lines (DengonContactImport *import)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < import->problems->len; i++)
    {
      DengonContactImportProblem *problem = g_ptr_array_index (import->problems, i);

      g_string_append_printf (out, "%u ", problem->line);
    }
  if (out->len > 0)
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static char *
to_cp932 (const char *utf8)
{
  g_autoptr (GError) error = NULL;
  char *sjis = g_convert (utf8, -1, "CP932", "UTF-8", NULL, NULL, &error);

  g_assert_no_error (error);
  return sjis;
}

/* What an old Japanese phone writes: Shift_JIS bytes as =XX. */
static char *
qp_sjis (const char *utf8)
{
  g_autofree char *sjis = to_cp932 (utf8);
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) sjis; *p; p++)
    g_string_append_printf (out, "=%02X", *p);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ vCard */

static void
test_vcard_google_iphone (void)
{
  /* Google Contacts (3.0): X-PHONETIC-*, folded lines (one folded inside a UTF-8 sequence, as
   * some phones do), grouped properties; then an iPhone card with lower-case TYPE parameters. */
  const char *data =
      "BEGIN:VCARD\r\n"
      "VERSION:3.0\r\n"
      "FN:山田 太郎\r\n"
      "N:山田;太郎;;;\r\n"
      "X-PHONETIC-FIRST-NAME:たろう\r\n"
      "X-PHONETIC-LAST-NAME:やまだ\r\n"
      "EMAIL;TYPE=INTERNET;TYPE=WORK:taro@example.co.jp\r\n"
      "TEL;TYPE=CELL:090-1234-5678\r\n"
      "TEL;TYPE=WORK:03-1234-5678\r\n"
      "item1.TEL:+81 6 1234 5678\r\n"
      "item1.X-ABLabel:大阪\r\n"
      "ORG:株式会社ABC;営業部\r\n"
      "NOTE:毎月末に請求書を送付。担当者は午前中の電話を希望されています。折り返しは\r\n"
      "  携帯へ\\, 急ぎのときのみ\\n会社へ。\r\n"
      "CATEGORIES:myContacts\r\n"
      "END:VCARD\r\n"
      "BEGIN:VCARD\r\n"
      "VERSION:3.0\r\n"
      "PRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n"
      "N:佐藤;花子;;;\r\n"
      "FN:佐藤 花子\r\n"
      "X-PHONETIC-FIRST-NAME:ﾊﾅｺ\r\n"
      "X-PHONETIC-LAST-NAME:サトウ\r\n"
      "ORG:佐藤商店;\r\n"
      "TEL;type=CELL;type=VOICE;type=pref:080-2222-3333\r\n"
      "TEL;type=WORK;type=VOICE:045-123-4567\r\n"
      "TEL;type=WORK;type=FAX:045-123-4568\r\n"
      "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/"
      "2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkS\r\n"
      " Ew8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA\r\n"
      "END:VCARD\r\n";
  g_autoptr (DengonContactImport) import = parse (data);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_cmpint (import->format, ==, DENGON_CONTACT_FORMAT_VCARD);
  g_assert_cmpstr (import->encoding, ==, "UTF-8");
  g_assert_cmpuint (import->entries->len, ==, 2);
  g_assert_cmpuint (import->problems->len, ==, 0);

  g_assert_cmpstr (text (import, 0, "name"), ==, "山田 太郎");
  g_assert_cmpstr (text (import, 0, "reading"), ==, "やまだ たろう");
  g_assert_cmpstr (text (import, 0, "company"), ==, "株式会社ABC");
  g_assert_cmpstr (text (import, 0, "department"), ==, "営業部");
  g_assert_cmpstr (text (import, 0, "email"), ==, "taro@example.co.jp");
  g_assert_cmpstr (text (import, 0, "notes"), ==,
                   "毎月末に請求書を送付。担当者は午前中の電話を希望されています。折り返しは"
                   " 携帯へ, 急ぎのときのみ\n会社へ。");
  first = numbers (import, 0);
  g_assert_cmpstr (first, ==, "+819012345678/mobile +81312345678/work +81612345678/other");

  g_assert_cmpstr (text (import, 1, "name"), ==, "佐藤 花子");
  /* Half-width kana from the phone made full-width. */
  g_assert_cmpstr (text (import, 1, "reading"), ==, "サトウ ハナコ");
  g_assert_cmpstr (text (import, 1, "company"), ==, "佐藤商店");
  g_assert_null (text (import, 1, "department"));
  second = numbers (import, 1);
  g_assert_cmpstr (second, ==, "+818022223333/mobile +81451234567/work +81451234568/fax");
}

static void
test_vcard_folded_inside_character (void)
{
  /* "東京" folded between the bytes of 東 (E6 9D B1): not valid UTF-8 until unfolded. */
  const char *data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xE6\x9D\r\n \xB1\xE4\xBA\xAC 商事\r\n"
                     "TEL:03-1234-5678\r\nEND:VCARD\r\n";
  g_autoptr (DengonContactImport) import = parse (data);

  g_assert_cmpstr (import->encoding, ==, "UTF-8");
  g_assert_cmpstr (text (import, 0, "name"), ==, "東京 商事");
}

static void
test_vcard_4 (void)
{
  const char *data = "BEGIN:VCARD\n"
                     "VERSION:4.0\n"
                     "FN:鈴木 一郎\n"
                     "N;SORT-AS=\"すずき,いちろう\":鈴木;一郎;;;\n"
                     "ORG:鈴木工業\\, 本社;総務部\n"
                     "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+81-466-12-3456\n"
                     "TEL;VALUE=uri;TYPE=cell:tel:+81-90-8765-4321\n"
                     "TEL;TYPE=work:03-1234-5678 内線123\n"
                     "EMAIL;TYPE=work:ichiro@example.jp\n"
                     "EMAIL;TYPE=home:ichiro@example.net\n"
                     "END:VCARD\n";
  g_autoptr (DengonContactImport) import = parse (data);
  g_autofree char *all = numbers (import, 0);
  JsonObject *extension;

  g_assert_cmpuint (import->entries->len, ==, 1);
  g_assert_cmpstr (text (import, 0, "name"), ==, "鈴木 一郎");
  g_assert_cmpstr (text (import, 0, "reading"), ==, "すずき いちろう");
  g_assert_cmpstr (text (import, 0, "company"), ==, "鈴木工業, 本社");
  g_assert_cmpstr (text (import, 0, "department"), ==, "総務部");
  g_assert_cmpstr (text (import, 0, "email"), ==, "ichiro@example.jp");
  /* The second address is kept in the notes, never dropped. */
  g_assert_cmpstr (text (import, 0, "notes"), ==, "ichiro@example.net");
  g_assert_cmpstr (all, ==, "+81466123456/work +819087654321/mobile +81312345678/work");
  extension =
      json_array_get_object_element (dengon_json_get_array (entry (import, 0), "numbers"), 2);
  g_assert_cmpstr (dengon_json_get_string (extension, "display"), ==, "03-1234-5678 内線123");
}

static void
test_vcard_21_shift_jis (void)
{
  /* A Japanese feature phone: vCard 2.1, quoted-printable Shift_JIS with soft line breaks, the
   * reading in SOUND;X-IRMC-N, bare type parameters. */
  g_autofree char *name = qp_sjis ("高橋;次郎");
  g_autofree char *note = qp_sjis ("日本語のメモです。とても長いので折り返されます。");
  g_autofree char *note_folded = NULL;
  g_autofree char *data = NULL;
  g_autofree char *all = NULL;
  g_autoptr (DengonContactImport) import = NULL;

  /* Soft line breaks every 60 characters. */
  {
    GString *folded = g_string_new (NULL);

    for (gsize i = 0; i < strlen (note); i += 60)
      {
        g_string_append_len (folded, note + i, MIN (60, strlen (note) - i));
        if (i + 60 < strlen (note))
          g_string_append (folded, "=\r\n");
      }
    note_folded = g_string_free (folded, FALSE);
  }
  data = g_strdup_printf ("BEGIN:VCARD\r\n"
                          "VERSION:2.1\r\n"
                          "N;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:%s\r\n"
                          "SOUND;X-IRMC-N;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:%s\r\n"
                          "TEL;CELL:09011112222\r\n"
                          "TEL;HOME;VOICE:0312345678\r\n"
                          "NOTE;CHARSET=SHIFT_JIS;QUOTED-PRINTABLE:%s\r\n"
                          "END:VCARD\r\n",
                          name, qp_sjis ("ﾀｶﾊｼ;ｼﾞﾛｳ;;;"), note_folded);
  import = parse (data);
  g_assert_cmpuint (import->problems->len, ==, 0);
  g_assert_cmpstr (text (import, 0, "name"), ==, "高橋 次郎");
  g_assert_cmpstr (text (import, 0, "reading"), ==, "タカハシ ジロウ");
  g_assert_cmpstr (text (import, 0, "notes"), ==,
                   "日本語のメモです。とても長いので折り返されます。");
  all = numbers (import, 0);
  g_assert_cmpstr (all, ==, "+819011112222/mobile +81312345678/home");
}

static void
test_vcard_shift_jis_file (void)
{
  /* The whole file in Shift_JIS (8-bit values, no quoted-printable). */
  g_autofree char *data = to_cp932 ("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:中村;誠\r\n"
                                    "TEL;WORK:06-1234-5678\r\nEND:VCARD\r\n");
  g_autoptr (DengonContactImport) import = parse (data);

  g_assert_cmpstr (import->encoding, ==, "Shift_JIS");
  g_assert_cmpstr (text (import, 0, "name"), ==, "中村 誠");
}

static void
test_vcard_malformed (void)
{
  const char *data = "BEGIN:VCARD\n"            /* 1 */
                     "VERSION:3.0\n"            /* 2 */
                     "FN:正常 一件\n"           /* 3 */
                     "TEL:03-1111-2222\n"       /* 4 */
                     "END:VCARD\n"              /* 5 */
                     "garbage line\n"           /* 6 */
                     "BEGIN:VCARD\n"            /* 7 */
                     "VERSION:3.0\n"            /* 8 */
                     "this line has no colon\n" /* 9 */
                     "TEL:abc\n"                /* 10 */
                     "FN:二件目\n"              /* 11 */
                     "END:VCARD\n"              /* 12 */
                     "BEGIN:VCARD\n"            /* 13 */
                     "VERSION:3.0\n"            /* 14 */
                     "END:VCARD\n"              /* 15 */
                     "BEGIN:VCARD\n"            /* 16 */
                     "FN:切れた 三件目\n"       /* 17 */
                     "TEL:06-1111-2222\n";      /* 18: the file ends inside the card */
  g_autoptr (DengonContactImport) import = parse (data);
  g_autofree char *lines = problem_lines (import);

  g_assert_cmpuint (import->entries->len, ==, 3);
  g_assert_cmpstr (text (import, 0, "name"), ==, "正常 一件");
  g_assert_cmpstr (text (import, 1, "name"), ==, "二件目");
  g_assert_cmpstr (text (import, 2, "name"), ==, "切れた 三件目");
  g_assert_cmpuint (((DengonContactImportEntry *) g_ptr_array_index (import->entries, 2))->line, ==,
                    16);
  /* Outside a card, not a property, not a number, an empty card, a card not closed. */
  g_assert_cmpstr (lines, ==, "6 9 10 13 16");
}

/* ------------------------------------------------------------------ CSV */

static const char office_csv[] =
    "氏名,ふりがな,会社名,部署,電話番号,携帯電話,メールアドレス,備考\r\n" /* 1 */
    "山田 太郎,やまだ たろう,株式会社ABC,営業部,03-1234-5678,090-1234-5678,taro@example.jp,"
    "\"備考に,カンマと\"\"引用\"\"\"\r\n"                                       /* 2 */
    "佐藤 花子,さとう はなこ,佐藤商店,,０４５－１２３－４５６７,,,\"複数行\r\n" /* 3 */
    "の備考\"\r\n"                                                              /* 4 */
    ",,,,,,,\r\n"                                                               /* 5 */
    "高橋,たかはし,,,abc,,,,余分\r\n"                                           /* 6 */
    "\"閉じない引用,たなか,,,03-0000-0000\r\n";                                 /* 7 */

static void
check_office_csv (DengonContactImport *import, const char *encoding)
{
  g_autofree char *lines = problem_lines (import);
  g_autofree char *first = numbers (import, 0);
  g_autofree char *second = numbers (import, 1);

  g_assert_cmpint (import->format, ==, DENGON_CONTACT_FORMAT_CSV);
  g_assert_cmpstr (import->encoding, ==, encoding);
  g_assert_cmpuint (import->n_columns, ==, 8);
  g_assert_cmpint (import->mapping[0], ==, DENGON_CONTACT_FIELD_NAME);
  g_assert_cmpint (import->mapping[1], ==, DENGON_CONTACT_FIELD_READING);
  g_assert_cmpint (import->mapping[5], ==, DENGON_CONTACT_FIELD_PHONE_MOBILE);
  g_assert_cmpint (import->mapping[7], ==, DENGON_CONTACT_FIELD_NOTES);

  g_assert_cmpuint (import->entries->len, ==, 3);
  g_assert_cmpstr (text (import, 0, "name"), ==, "山田 太郎");
  g_assert_cmpstr (text (import, 0, "notes"), ==, "備考に,カンマと\"引用\"");
  g_assert_cmpstr (first, ==, "+81312345678/work +819012345678/mobile");
  g_assert_cmpstr (text (import, 1, "notes"), ==, "複数行\nの備考");
  g_assert_cmpstr (second, ==, "+81451234567/work");
  g_assert_cmpuint (((DengonContactImportEntry *) g_ptr_array_index (import->entries, 2))->line, ==,
                    6);
  g_assert_cmpstr (text (import, 2, "name"), ==, "高橋");
  /* A blank row is no problem; a bad number and an extra column are, on their line; the
   * unclosed quotation mark on the line where it opens. */
  g_assert_cmpstr (lines, ==, "6 6 7");
}

static void
test_csv_utf8 (void)
{
  g_autoptr (DengonContactImport) plain = parse (office_csv);
  g_autofree char *bom = g_strconcat ("\xEF\xBB\xBF", office_csv, NULL);
  g_autoptr (DengonContactImport) with_bom = parse (bom);

  check_office_csv (plain, "UTF-8");
  check_office_csv (with_bom, "UTF-8 (BOM)");
}

static void
test_csv_shift_jis (void)
{
  g_autofree char *sjis = to_cp932 (office_csv);
  g_autoptr (DengonContactImport) import = parse (sjis);

  check_office_csv (import, "Shift_JIS");
}

static void
test_csv_google_and_mapping (void)
{
  const char *data =
      "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last "
      "Name,Name Prefix,Organization Name,Organization Department,Notes,E-mail 1 - Label,E-mail 1 "
      "- Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Custom\n"
      "太郎,,山田,たろう,,やまだ,,株式会社ABC,営業部,,* Work,taro@example.jp,Mobile,090-1234-5678 "
      "::: 080-1111-2222,Work Fax,03-1234-5679,XYZ\n";
  g_autoptr (DengonContactImport) import = parse (data);
  g_autofree char *all = numbers (import, 0);

  g_assert_cmpuint (import->entries->len, ==, 1);
  g_assert_cmpstr (text (import, 0, "name"), ==, "山田 太郎");
  g_assert_cmpstr (text (import, 0, "reading"), ==, "やまだ たろう");
  g_assert_cmpstr (text (import, 0, "company"), ==, "株式会社ABC");
  g_assert_cmpstr (text (import, 0, "department"), ==, "営業部");
  g_assert_cmpstr (text (import, 0, "email"), ==, "taro@example.jp");
  g_assert_cmpstr (all, ==, "+819012345678/mobile +818011112222/mobile +81312345679/fax");
  g_assert_null (text (import, 0, "notes"));

  /* The person maps the unknown column to the notes: the preview is made again. */
  g_assert_cmpint (import->mapping[16], ==, DENGON_CONTACT_FIELD_IGNORE);
  dengon_contact_import_set_mapping (import, 16, DENGON_CONTACT_FIELD_NOTES);
  g_assert_cmpstr (text (import, 0, "notes"), ==, "XYZ");
  dengon_contact_import_set_mapping (import, 7, DENGON_CONTACT_FIELD_IGNORE);
  g_assert_null (text (import, 0, "company"));
}

static void
test_bounds (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *huge = g_malloc0 (DENGON_CONTACT_IMPORT_MAX_BYTES + 1);
  g_autofree char *long_line = NULL;
  g_autoptr (GString) many = g_string_new (NULL);

  memset (huge, 'a', DENGON_CONTACT_IMPORT_MAX_BYTES);
  g_assert_null (dengon_contact_import_parse (huge, DENGON_CONTACT_IMPORT_MAX_BYTES + 1, &error));
  g_assert_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  long_line = g_strdup_printf ("名前,電話\n山田,03\n%s,1\n",
                               g_strnfill (DENGON_CONTACT_IMPORT_MAX_LINE + 1, 'x'));
  g_assert_null (dengon_contact_import_parse (long_line, strlen (long_line), &error));
  g_assert_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_LINE_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "Line 3 "));
  g_clear_error (&error);

  for (guint i = 0; i <= DENGON_CONTACT_IMPORT_MAX_CONTACTS; i++)
    g_string_append (many, "BEGIN:VCARD\nFN:x\nEND:VCARD\n");
  g_assert_null (dengon_contact_import_parse (many->str, many->len, &error));
  g_assert_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_TOO_MANY);
  g_clear_error (&error);

  g_assert_null (dengon_contact_import_parse ("BEGIN:VCARD\n\0\n", 14, &error));
  g_assert_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_ENCODING);
  g_clear_error (&error);

  /* Neither UTF-8 nor Shift_JIS: the line is named. */
  g_assert_null (dengon_contact_import_parse ("名前\nabc\n\xFF\xFE\xFD\n", 14, &error));
  g_assert_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Line 3 "));
  g_clear_error (&error);

  g_assert_null (dengon_contact_import_parse ("", 0, &error));
  g_assert_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (dengon_contact_import_parse ("名前,電話\n", 14, &error));
  g_assert_error (error, DENGON_CONTACT_IMPORT_ERROR, DENGON_CONTACT_IMPORT_ERROR_EMPTY);
}

/* ------------------------------------------------------------------ store */

typedef struct
{
  char *dir;
  DengonStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("dengon-import-XXXXXX", &error);
  path = g_build_filename (f->dir, "dengon.db", NULL);
  f->store = dengon_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  const char *name;

  while (g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1 || g_main_context_pending (NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_finalize_object (f->store);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static guint
count_contacts (Fixture *f)
{
  g_autoptr (GPtrArray) all = dengon_store_list_by_type (f->store, "contact", NULL);

  return all->len;
}

static void
test_duplicates (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) stored = dengon_contact_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonContactImport) import = NULL;
  g_autoptr (GPtrArray) merged = NULL;
  g_autoptr (JsonObject) after = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *all = NULL;
  guint added = 0, n_merged = 0;
  const char *csv = "名前,会社,電話,携帯,備考\n"
                    "山田,ABC,03-1234-5678,,一件目\n"               /* the stored one, as written */
                    "山田 太郎,,０３（１２３４）５６７８,,二件目\n" /* the stored one again */
                    "佐藤,,090-1234-5678,,\n"                       /* new */
                    "佐藤 花子,,+81 90 1234 5678,080-1111-2222,\n"  /* the one above */
                    "鈴木,,06-1234-5678,,\n";                       /* new */
  DengonContactImportEntry *e;

  json_object_set_string_member (stored, "name", "山田 太郎");
  dengon_contact_add_number (stored, "+81312345678", DENGON_NUMBER_KIND_WORK);
  rev = dengon_store_put (f->store, stored, &error);
  g_assert_no_error (error);

  import = parse (csv);
  g_assert_true (dengon_contact_import_find_duplicates (import, f->store, &error));
  g_assert_no_error (error);

  e = g_ptr_array_index (import->entries, 0);
  g_assert_cmpstr (e->duplicate_of, ==, dengon_json_get_string (stored, "_id"));
  g_assert_cmpstr (e->duplicate_title, ==, "山田 太郎");
  g_assert_cmpint (e->action, ==, DENGON_CONTACT_IMPORT_MERGE);
  e = g_ptr_array_index (import->entries, 1);
  g_assert_cmpstr (e->duplicate_of, ==, dengon_json_get_string (stored, "_id"));
  g_assert_cmpint (e->duplicate_entry, ==, 0);
  e = g_ptr_array_index (import->entries, 2);
  g_assert_null (e->duplicate_of);
  g_assert_cmpint (e->action, ==, DENGON_CONTACT_IMPORT_ADD);
  e = g_ptr_array_index (import->entries, 3);
  g_assert_null (e->duplicate_of);
  g_assert_cmpint (e->duplicate_entry, ==, 2);
  g_assert_cmpint (e->action, ==, DENGON_CONTACT_IMPORT_MERGE);
  g_assert_cmpuint (dengon_contact_import_count (import, DENGON_CONTACT_IMPORT_ADD), ==, 2);
  g_assert_cmpuint (dengon_contact_import_count (import, DENGON_CONTACT_IMPORT_MERGE), ==, 3);

  /* Nothing is written before write(). */
  g_assert_cmpuint (count_contacts (f), ==, 1);
  g_assert_true (dengon_contact_import_write (import, f->store, &added, &n_merged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 2);
  g_assert_cmpuint (n_merged, ==, 3);
  g_assert_cmpuint (count_contacts (f), ==, 3);

  after = dengon_store_get (f->store, dengon_json_get_string (stored, "_id"), &error);
  g_assert_cmpstr (dengon_json_get_string (after, "name"), ==, "山田 太郎");
  g_assert_cmpstr (dengon_json_get_string (after, "company"), ==, "ABC");
  g_assert_cmpstr (dengon_json_get_string (after, "notes"), ==, "一件目\n二件目");
  merged = dengon_contact_find_by_number (f->store, "08011112222", &error);
  g_assert_cmpuint (merged->len, ==, 1);
  all = g_strdup (dengon_json_get_string (g_ptr_array_index (merged, 0), "name"));
  g_assert_cmpstr (all, ==, "佐藤");
  {
    g_autoptr (GPtrArray) both = dengon_contact_find_by_number (f->store, "09012345678", NULL);

    g_assert_cmpuint (both->len, ==, 1);
  }
}

static void
test_skip_and_all_or_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonContactImport) import =
      parse ("名前,電話\n山田,03-1234-5678\n佐藤,06-1234-5678\n");
  DengonContactImportEntry *e;
  guint added = 0;

  g_assert_true (dengon_contact_import_find_duplicates (import, f->store, &error));
  e = g_ptr_array_index (import->entries, 1);
  e->action = DENGON_CONTACT_IMPORT_SKIP;
  /* A broken entry makes the whole write fail: nothing is half written. */
  e = g_ptr_array_index (import->entries, 0);
  json_object_set_string_member (e->contact, "_id", "memo:oops");
  g_assert_false (dengon_contact_import_write (import, f->store, &added, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (count_contacts (f), ==, 0);
  json_object_set_string_member (e->contact, "_id", "contact:fixed");
  g_assert_true (dengon_contact_import_write (import, f->store, &added, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (count_contacts (f), ==, 1);
}

/* ------------------------------------------------------------------ export */

static void
test_export_round_trip (void)
{
  g_autoptr (GPtrArray) contacts =
      g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *contact = dengon_contact_new (NULL);
  JsonObject *plain = dengon_contact_new (NULL);
  g_autofree char *vcard = NULL;
  g_autofree char *csv = NULL;

  json_object_set_string_member (contact, "name", "山田 太郎");
  json_object_set_string_member (contact, "reading", "やまだ たろう");
  json_object_set_string_member (contact, "company", "株式会社ABC; 本社, 東京");
  json_object_set_string_member (contact, "department", "営業部");
  json_object_set_string_member (contact, "email", "taro@example.jp");
  json_object_set_string_member (
      contact, "notes",
      "=SUM(A1)\n二行目、とても長い備考。とても長い備考。とても長い備考。"
      "とても長い備考。とても長い備考。");
  json_object_set_string_member (contact, "potential", "high");
  dengon_contact_add_number (contact, "03-1234-5678", DENGON_NUMBER_KIND_WORK);
  dengon_contact_add_number (contact, "090-1234-5678", DENGON_NUMBER_KIND_MOBILE);
  dengon_contact_add_number (contact, "03-1234-5679", DENGON_NUMBER_KIND_FAX);
  dengon_contact_add_number (contact, "20701", DENGON_NUMBER_KIND_OTHER);
  g_ptr_array_add (contacts, contact);
  json_object_set_string_member (plain, "company", "鈴木商店");
  dengon_contact_add_number (plain, "06-1234-5678", DENGON_NUMBER_KIND_HOME);
  g_ptr_array_add (contacts, plain);

  vcard = dengon_contact_export_vcard (contacts);
  g_assert_true (g_str_has_prefix (vcard, "BEGIN:VCARD\r\nVERSION:4.0\r\n"));
  /* No line longer than 75 octets. */
  {
    g_auto (GStrv) lines = g_strsplit (vcard, "\r\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
  }
  csv = dengon_contact_export_csv (contacts, NULL);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF\"Name\",\"Reading\""));

  for (guint pass = 0; pass < 2; pass++)
    {
      const char *out = pass == 0 ? vcard : csv;
      g_autoptr (DengonContactImport) import = parse (out);
      g_autofree char *all = numbers (import, 0);
      g_autofree char *second = numbers (import, 1);

      g_assert_cmpuint (import->problems->len, ==, 0);
      g_assert_cmpuint (import->entries->len, ==, 2);
      g_assert_cmpstr (text (import, 0, "name"), ==, "山田 太郎");
      g_assert_cmpstr (text (import, 0, "reading"), ==, "やまだ たろう");
      g_assert_cmpstr (text (import, 0, "company"), ==, "株式会社ABC; 本社, 東京");
      g_assert_cmpstr (text (import, 0, "department"), ==, "営業部");
      g_assert_cmpstr (text (import, 0, "email"), ==, "taro@example.jp");
      /* CSV keeps a formula from running: the ' stays. */
      g_assert_cmpstr (text (import, 0, "notes") + (pass == 1 ? 1 : 0), ==,
                       dengon_json_get_string (contact, "notes"));
      g_assert_cmpstr (all, ==,
                       "+81312345678/work +819012345678/mobile +81312345679/fax 20701/other");
      g_assert_cmpstr (text (import, 1, "company"), ==, "鈴木商店");
      g_assert_null (text (import, 1, "name"));
      g_assert_cmpstr (second, ==, "+81612345678/home");
      if (pass == 1)
        g_assert_cmpstr (text (import, 0, "potential"), ==, "high");
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_add_func ("/dengon/contact-import/vcard/google-iphone", test_vcard_google_iphone);
  g_test_add_func ("/dengon/contact-import/vcard/folded-inside-character",
                   test_vcard_folded_inside_character);
  g_test_add_func ("/dengon/contact-import/vcard/4.0", test_vcard_4);
  g_test_add_func ("/dengon/contact-import/vcard/2.1-shift-jis", test_vcard_21_shift_jis);
  g_test_add_func ("/dengon/contact-import/vcard/shift-jis-file", test_vcard_shift_jis_file);
  g_test_add_func ("/dengon/contact-import/vcard/malformed", test_vcard_malformed);
  g_test_add_func ("/dengon/contact-import/csv/utf-8", test_csv_utf8);
  g_test_add_func ("/dengon/contact-import/csv/shift-jis", test_csv_shift_jis);
  g_test_add_func ("/dengon/contact-import/csv/google-and-mapping", test_csv_google_and_mapping);
  g_test_add_func ("/dengon/contact-import/bounds", test_bounds);
  g_test_add ("/dengon/contact-import/duplicates", Fixture, NULL, fixture_set_up, test_duplicates,
              fixture_tear_down);
  g_test_add ("/dengon/contact-import/skip-and-all-or-nothing", Fixture, NULL, fixture_set_up,
              test_skip_and_all_or_nothing, fixture_tear_down);
  g_test_add_func ("/dengon/contact-import/export-round-trip", test_export_round_trip);

  return g_test_run ();
}
