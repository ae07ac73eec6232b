/* dengon-contact-import.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-store.h"

G_BEGIN_DECLS

/* Contacts from an address book: vCard 2.1, 3.0 and 4.0 (what phones and Google export: folded
 * lines, quoted-printable in the charset of an old Japanese phone, readings in
 * X-PHONETIC-FIRST-NAME / X-PHONETIC-LAST-NAME, N;SORT-AS, SORT-STRING or SOUND;X-IRMC-N, several
 * TEL with TYPE) or CSV with a header row whose columns are mapped to contact fields (guessed from
 * the header, changed by a person). UTF-8 with or without a byte order mark, UTF-16 with one, and
 * Shift_JIS (Microsoft's CP932, what Japanese Excel writes) are told apart from the bytes.
 *
 * Nothing is written until dengon_contact_import_write(): parse, look for duplicates by
 * normalized number, show the preview, then write everything in one transaction (all or
 * nothing). Every problem names the line it is on; a bad line or card is skipped and reported,
 * the rest is kept. Input is bounded: file size, line length and number of contacts. */

#define DENGON_CONTACT_IMPORT_ERROR (dengon_contact_import_error_quark ())

typedef enum
{
  DENGON_CONTACT_IMPORT_ERROR_TOO_LARGE,
  DENGON_CONTACT_IMPORT_ERROR_ENCODING,
  DENGON_CONTACT_IMPORT_ERROR_EMPTY,
  DENGON_CONTACT_IMPORT_ERROR_TOO_MANY,
  DENGON_CONTACT_IMPORT_ERROR_LINE_TOO_LONG,
} DengonContactImportError;

#define DENGON_CONTACT_IMPORT_MAX_BYTES    (32 * 1024 * 1024)
#define DENGON_CONTACT_IMPORT_MAX_LINE     (64 * 1024) /* a line of the file */
#define DENGON_CONTACT_IMPORT_MAX_CONTACTS 20000
#define DENGON_CONTACT_IMPORT_MAX_COLUMNS  200

typedef enum
{
  DENGON_CONTACT_FORMAT_VCARD,
  DENGON_CONTACT_FORMAT_CSV,
} DengonContactFormat;

/* What a CSV column holds. */
typedef enum
{
  DENGON_CONTACT_FIELD_IGNORE,
  DENGON_CONTACT_FIELD_NAME,
  DENGON_CONTACT_FIELD_FAMILY_NAME,
  DENGON_CONTACT_FIELD_GIVEN_NAME,
  DENGON_CONTACT_FIELD_READING,
  DENGON_CONTACT_FIELD_FAMILY_READING,
  DENGON_CONTACT_FIELD_GIVEN_READING,
  DENGON_CONTACT_FIELD_COMPANY,
  DENGON_CONTACT_FIELD_DEPARTMENT,
  DENGON_CONTACT_FIELD_PHONE_WORK,
  DENGON_CONTACT_FIELD_PHONE_MOBILE,
  DENGON_CONTACT_FIELD_PHONE_HOME,
  DENGON_CONTACT_FIELD_PHONE_FAX,
  DENGON_CONTACT_FIELD_PHONE_OTHER,
  DENGON_CONTACT_FIELD_EMAIL,
  DENGON_CONTACT_FIELD_NOTES,
  DENGON_CONTACT_FIELD_POTENTIAL,
  DENGON_CONTACT_FIELD_RELATIONSHIP,
  DENGON_CONTACT_N_FIELDS,
} DengonContactField;

typedef enum
{
  DENGON_CONTACT_IMPORT_ADD,   /* a new contact */
  DENGON_CONTACT_IMPORT_MERGE, /* into the contact (or earlier entry) that shares a number */
  DENGON_CONTACT_IMPORT_SKIP,
} DengonContactImportAction;

typedef struct
{
  guint line;
  char *message;
} DengonContactImportProblem;

typedef struct
{
  JsonObject *contact; /* mutable, with a fresh id */
  guint line;          /* where its card or row starts */
  char *duplicate_of;  /* a stored contact that shares a number, or NULL */
  char *duplicate_title;
  int duplicate_entry; /* an earlier entry of this import that shares a number, or -1 */
  DengonContactImportAction action;
} DengonContactImportEntry;

typedef struct
{
  DengonContactFormat format;
  char *encoding; /* "UTF-8", "UTF-8 (BOM)", "UTF-16", "Shift_JIS" */
  /* CSV: the header, the rows and what each column holds */
  GPtrArray *header; /* char * */
  GPtrArray *rows;   /* GStrv */
  GArray *row_lines; /* guint: the line where each row starts */
  DengonContactField *mapping;
  int *kind_columns; /* Google's "Phone 1 - Label": the column that says a number's kind, or -1 */
  guint n_columns;
  /* What would be written */
  GPtrArray *entries;       /* DengonContactImportEntry */
  GPtrArray *problems;      /* DengonContactImportProblem, by line */
  GPtrArray *file_problems; /* CSV: those found reading the file (kept on a new mapping) */
} DengonContactImport;

GQuark dengon_contact_import_error_quark (void);

/* Translated name of a field for the column-mapping dialog. */
const char *dengon_contact_field_get_label (DengonContactField field);

DengonContactImport *dengon_contact_import_parse (const char *data, gsize length, GError **error);
/* Reads @file (refusing one larger than DENGON_CONTACT_IMPORT_MAX_BYTES before reading it). */
DengonContactImport *dengon_contact_import_load (GFile *file, GCancellable *cancellable,
                                                 GError **error);
void dengon_contact_import_free (DengonContactImport *import);

/* CSV: what column @column holds; the entries and problems are made again. */
void dengon_contact_import_set_mapping (DengonContactImport *import, guint column,
                                        DengonContactField field);

/* Marks entries that share a number (by dengon_phone_key(), whatever the written form) with a
 * stored contact or an earlier entry: they are merged by default. Blocking. */
gboolean dengon_contact_import_find_duplicates (DengonContactImport *import, DengonStore *store,
                                                GError **error);
guint dengon_contact_import_count (DengonContactImport *import, DengonContactImportAction action);

/* Writes in one transaction: all or nothing. @added and @merged may be %NULL. Blocking. */
gboolean dengon_contact_import_write (DengonContactImport *import, DengonStore *store, guint *added,
                                      guint *merged, GError **error);

/* Export: vCard 4.0 (UTF-8, CRLF, lines folded at 75 octets) and CSV (UTF-8 with a byte order
 * mark, RFC 4180, the header in the UI language; the importer maps it back). @contacts holds
 * contact documents. */
char *dengon_contact_export_vcard (GPtrArray *contacts);
char *dengon_contact_export_csv (GPtrArray *contacts, GHashTable *staff_names);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonContactImport, dengon_contact_import_free)

G_END_DECLS
