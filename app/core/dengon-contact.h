/* dengon-contact.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-store.h"

G_BEGIN_DECLS

/* A contact is a JSON document "contact:<uuid>" (see DESIGN.md, "Documents"): a person or a
 * company that calls the office, with several numbers, the staff member who owns the account,
 * the customer segment (derived from the memos, or set by a person) and the potential ×
 * relationship quadrant that the office labels in its own words. */

#define DENGON_CONTACT_ERROR (dengon_contact_error_quark ())

typedef enum
{
  DENGON_CONTACT_ERROR_INVALID,
} DengonContactError;

#define DENGON_CONTACT_MAX_TEXT    200 /* name, reading, company, department */
#define DENGON_CONTACT_MAX_EMAIL   320
#define DENGON_CONTACT_MAX_NOTES   10000
#define DENGON_CONTACT_MAX_NUMBERS 20
#define DENGON_CONTACT_MAX_NUMBER  256 /* numbers[].number, numbers[].display */

/* office:settings "contacts" defaults. */
#define DENGON_CONTACT_DEFAULT_DORMANT_MONTHS  12
#define DENGON_CONTACT_DEFAULT_ESCALATION_DAYS 7
#define DENGON_QUADRANT_LABEL_MAX_CHARS        30 /* longer office labels are not used */

typedef enum
{
  DENGON_SEGMENT_UNKNOWN,
  DENGON_SEGMENT_NEW,
  DENGON_SEGMENT_EXISTING,
  DENGON_SEGMENT_DORMANT,
} DengonSegment;

typedef enum
{
  DENGON_QUADRANT_NONE,         /* potential or relationship not known */
  DENGON_QUADRANT_KEEP,         /* high potential, high relationship */
  DENGON_QUADRANT_DEVELOP,      /* low potential, high relationship */
  DENGON_QUADRANT_WIN_BACK,     /* high potential, low relationship */
  DENGON_QUADRANT_LOW_PRIORITY, /* low potential, low relationship */
} DengonQuadrant;

typedef enum
{
  DENGON_NUMBER_KIND_WORK,
  DENGON_NUMBER_KIND_MOBILE,
  DENGON_NUMBER_KIND_HOME,
  DENGON_NUMBER_KIND_FAX,
  DENGON_NUMBER_KIND_OTHER,
} DengonNumberKind;

GQuark dengon_contact_error_quark (void);

/* "new", "existing", "dormant"; NULL for UNKNOWN. */
const char *dengon_segment_to_string (DengonSegment segment);
DengonSegment dengon_segment_from_string (const char *text);
/* Translated ("Dormant"); "" for UNKNOWN. */
const char *dengon_segment_get_label (DengonSegment segment);

/* "keep", "develop", "win_back", "low_priority"; NULL for NONE. */
const char *dengon_quadrant_to_string (DengonQuadrant quadrant);
DengonQuadrant dengon_quadrant_from_string (const char *text);
/* The office's label (office:settings contacts.quadrant_labels.<key>, at most
 * %DENGON_QUADRANT_LABEL_MAX_CHARS characters) or the translated default ("Keep", "Develop",
 * "Win Back", "Low Priority"); "" for NONE. @office may be %NULL. */
const char *dengon_quadrant_get_label (DengonQuadrant quadrant, JsonObject *office);

/* "work", "mobile", "home", "fax", "other" and back (unknown text: OTHER). */
const char *dengon_number_kind_to_string (DengonNumberKind kind);
DengonNumberKind dengon_number_kind_from_string (const char *text);
const char *dengon_number_kind_get_label (DengonNumberKind kind);

/* office:settings "contacts": "dormant_after_months" (1..120, default 12) and
 * "escalation_outcome_days" (1..365, default 7). @office may be %NULL. */
guint dengon_office_get_dormant_months (JsonObject *office);
guint dengon_office_get_escalation_days (JsonObject *office);

/* A new, mutable contact with a fresh "contact:<uuid>" id, created at @created_at (%NULL: now),
 * every text member null, no numbers. */
JsonObject *dengon_contact_new (GDateTime *created_at);
gboolean dengon_contact_is_contact (JsonObject *doc);
/* Adds a number as people write it: "number" gets dengon_phone_key(), "display" the display form
 * (the library's, or the text as written). A number whose key is there already is not added
 * again. Returns whether it was added (%FALSE also for text without a digit). */
gboolean dengon_contact_add_number (JsonObject *contact, const char *number_as_written,
                                    DengonNumberKind kind);
/* The keys of the contact's numbers (computed again from what the document holds). */
GStrv dengon_contact_get_number_keys (JsonObject *contact);
/* The name, else the company, else the first number as shown; never %NULL. */
char *dengon_contact_get_title (JsonObject *contact);
DengonQuadrant dengon_contact_get_quadrant (JsonObject *contact);
/* Checks every member of the contract; the message starts with the field ("numbers[1].kind: …").
 * Unknown members are allowed. */
gboolean dengon_contact_validate (JsonObject *contact, GError **error);

/* The segment: "segment_override" when a person set one; else NEW when @last_contact_ms is 0 (no
 * memo or call before), DORMANT when it is more than @dormant_months calendar months before
 * @now, else EXISTING. */
DengonSegment dengon_contact_derive_segment (JsonObject *contact, gint64 last_contact_ms,
                                             GDateTime *now, guint dormant_months);

/* @into (mutable, changed) takes what @from adds: numbers it does not have (by key), members
 * it leaves empty, and @from's notes after its own when they differ. Nothing @into holds is
 * lost. Returns whether anything changed. */
gboolean dengon_contact_merge (JsonObject *into, JsonObject *from);

/* Store queries: blocking, run them with dengon_store_run_async(). */

/* Live contacts with a number whose key is the key of @number, by id. */
GPtrArray *dengon_contact_find_by_number (DengonStore *store, const char *number, GError **error);
/* The newest memo of the contact (linked to it, or from or to one of its numbers) created before
 * @before_ms (0: any), in ms; 0 when there is none. */
gint64 dengon_contact_get_last_contact (DengonStore *store, JsonObject *contact, gint64 before_ms,
                                        GError **error);

/* One contact as lists show it. */
typedef struct
{
  JsonObject *doc; /* sealed */
  char *id;
  char *title;    /* dengon_contact_get_title() */
  char *sort_key; /* reading, else name, folded */
  gint64 last_contact_ms;
  DengonSegment segment;
  DengonQuadrant quadrant;
  char *haystack; /* what search looks in, folded */
} DengonContactRecord;

void dengon_contact_record_free (DengonContactRecord *record);
/* Every live contact with its segment as of @now, sorted by reading. */
GPtrArray *dengon_contact_list (DengonStore *store, GDateTime *now, guint dormant_months,
                                GError **error);
/* Whether @record matches the words of @text (name, reading, company, department, numbers,
 * e-mail); %NULL or "" matches everything. */
gboolean dengon_contact_record_matches (const DengonContactRecord *record, const char *text);

/* Whether @record is of @segment and @quadrant (UNKNOWN and NONE: any). */
gboolean dengon_contact_record_is (const DengonContactRecord *record, DengonSegment segment,
                                   DengonQuadrant quadrant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonContactRecord, dengon_contact_record_free)

/* A contact in a list model (takes the record). */
#define DENGON_TYPE_CONTACT_ITEM (dengon_contact_item_get_type ())
G_DECLARE_FINAL_TYPE (DengonContactItem, dengon_contact_item, DENGON, CONTACT_ITEM, GObject)

DengonContactItem *dengon_contact_item_new (DengonContactRecord *record);
const DengonContactRecord *dengon_contact_item_get_record (DengonContactItem *self);

/* ------------------------------------------------------------------ follow-up call lists */

/* "followup:<uuid>": {"type": "followup", "name", "created_at", "created_by", "segment",
 * "quadrant", "contacts": [contact ids]} (see DESIGN.md). What each contact's call came to is
 * read from the memos: the newest outgoing memo linked to the contact since the list was made. */
JsonObject *dengon_followup_new (const char *name, const char *created_by, DengonSegment segment,
                                 DengonQuadrant quadrant, GPtrArray *contact_ids, GDateTime *now);

typedef struct
{
  char *contact_id;
  char *memo_id;    /* the newest outgoing memo since the list was made, or NULL */
  gint64 called_ms; /* when, 0 when not called yet */
  int result;       /* DengonCallResult; NONE when not called yet */
  guint attempts;   /* outgoing memos since the list was made */
} DengonFollowupStatus;

void dengon_followup_status_free (DengonFollowupStatus *status);
/* One status per contact of @list, in the list's order. Blocking. */
GPtrArray *dengon_followup_get_status (DengonStore *store, JsonObject *list, GError **error);

G_END_DECLS
