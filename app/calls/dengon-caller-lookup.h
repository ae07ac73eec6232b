/* dengon-caller-lookup.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dengon-store.h"

G_BEGIN_DECLS

/* What the office knows about a number when it rings: the contact with that number (through the
 * contact phone index, whatever form the number was written in), with its segment as of now and
 * its account owner; else the newest memo of that number that names the caller. The panel shows
 * this struct, not where it came from. */

#define DENGON_CALLER_LOOKUP_MAX_MEMOS 5

typedef struct
{
  char *id;
  char *created_at;
  char *caller;   /* "田中 (株式会社ABC)", or NULL */
  char *summary;  /* the first line of the message */
  char *for_id;   /* staff id or NULL */
  char *category; /* or NULL */
  int status;     /* DengonMemoStatus */
  gboolean urgent;
  gboolean callback_requested;
} DengonCallerMemo;

typedef struct
{
  char *number_key; /* NULL: no number to look up */
  /* The known caller: a contact, else the newest memo that names the caller. */
  char *name;
  char *company;
  char *contact_id;        /* the contact, or NULL */
  char *segment;           /* "new", "existing", "dormant" (contacts only), or NULL */
  char *account_owner;     /* staff id, or NULL */
  char *reading;           /* contacts only, or NULL */
  char *department;        /* contacts only, or NULL */
  char *quadrant;          /* "keep", "develop", "win_back", "low_priority", or NULL */
  gint64 last_contact_ms;  /* contacts only: the last memo before this call, 0 when none */
  guint n_contacts;        /* contacts sharing the number (a switchboard); the first is shown */
  char *source;            /* "memo" or "contact"; NULL when unknown */
  GPtrArray *open_memos;   /* DengonCallerMemo, newest first */
  GPtrArray *recent_memos; /* DengonCallerMemo, newest first (any status) */
  guint n_open;            /* open memos, counted up to 100 */
} DengonCallerInfo;

/* Blocking: run it with dengon_store_run_async(). @number as the call gave it. Never %NULL. */
DengonCallerInfo *dengon_caller_lookup (DengonStore *store, const char *number, GError **error);
/* With the clock and the office settings (dormant period) given: %NULL @now is now, %NULL @office
 * is read from the store. */
DengonCallerInfo *dengon_caller_lookup_full (DengonStore *store, const char *number, GDateTime *now,
                                             JsonObject *office, GError **error);
/* One memo as the panel lists it (a call back shows the memo it answers); free with
 * dengon_caller_memo_free(). */
DengonCallerMemo *dengon_caller_memo_new (JsonObject *memo);
void dengon_caller_memo_free (DengonCallerMemo *memo);
gboolean dengon_caller_info_is_known (const DengonCallerInfo *info);
void dengon_caller_info_free (DengonCallerInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonCallerInfo, dengon_caller_info_free)

G_END_DECLS
