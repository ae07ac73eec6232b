/* dengon-caller-lookup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-caller-lookup.h"
#include "dengon-contact.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"

#define OPEN_STATUSES                                                     \
  ((1u << DENGON_MEMO_STATUS_NEW) | (1u << DENGON_MEMO_STATUS_ASSIGNED) | \
   (1u << DENGON_MEMO_STATUS_ACKNOWLEDGED) | (1u << DENGON_MEMO_STATUS_CALLED_BACK))

void
dengon_caller_memo_free (DengonCallerMemo *memo)
{
  g_free (memo->id);
  g_free (memo->created_at);
  g_free (memo->caller);
  g_free (memo->summary);
  g_free (memo->for_id);
  g_free (memo->category);
  g_free (memo);
}

void
dengon_caller_info_free (DengonCallerInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->number_key);
  g_free (info->name);
  g_free (info->company);
  g_free (info->contact_id);
  g_free (info->segment);
  g_free (info->account_owner);
  g_free (info->reading);
  g_free (info->department);
  g_free (info->quadrant);
  g_free (info->source);
  g_clear_pointer (&info->open_memos, g_ptr_array_unref);
  g_clear_pointer (&info->recent_memos, g_ptr_array_unref);
  g_free (info);
}

gboolean
dengon_caller_info_is_known (const DengonCallerInfo *info)
{
  return info != NULL && (info->name != NULL || info->company != NULL ||
                          info->recent_memos->len > 0 || info->contact_id != NULL);
}

DengonCallerMemo *
dengon_caller_memo_new (JsonObject *doc)
{
  DengonCallerMemo *memo = g_new0 (DengonCallerMemo, 1);
  JsonObject *caller = dengon_json_get_object (doc, "caller");
  const char *name = caller != NULL ? dengon_json_get_string (caller, "name") : NULL;
  const char *company = caller != NULL ? dengon_json_get_string (caller, "company") : NULL;
  JsonObject *callback = dengon_json_get_object (doc, "callback");

  memo->id = g_strdup (dengon_json_get_string (doc, "_id"));
  memo->created_at = g_strdup (dengon_json_get_string (doc, "created_at"));
  if (name != NULL && company != NULL)
    memo->caller = g_strdup_printf ("%s (%s)", name, company);
  else
    memo->caller = g_strdup (name != NULL ? name : company);
  memo->summary = dengon_memo_get_summary (doc);
  memo->for_id = g_strdup (dengon_memo_get_for (doc));
  memo->category = g_strdup (dengon_json_get_string (doc, "category"));
  memo->status = dengon_memo_get_status (doc);
  memo->urgent = g_strcmp0 (dengon_json_get_string (doc, "urgency"), "urgent") == 0;
  memo->callback_requested =
      callback != NULL && dengon_json_get_boolean (callback, "requested", FALSE);

  return memo;
}

static GPtrArray *
load_memos (DengonStore *store, const DengonMemoQuery *query, DengonCallerInfo *info,
            GError **error)
{
  g_autoptr (GPtrArray) hits = NULL;
  g_autoptr (GPtrArray) memos =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_caller_memo_free);

  hits = dengon_store_list_memos (store, query, 0, DENGON_CALLER_LOOKUP_MAX_MEMOS, error);
  if (hits == NULL)
    return NULL;

  for (guint i = 0; i < hits->len; i++)
    {
      DengonMemoHit *hit = g_ptr_array_index (hits, i);
      g_autoptr (JsonObject) doc = dengon_store_get (store, hit->id, NULL);
      JsonObject *caller;

      /* Deleted meanwhile: skip it. */
      if (doc == NULL)
        continue;
      g_ptr_array_add (memos, dengon_caller_memo_new (doc));

      caller = dengon_json_get_object (doc, "caller");
      if (caller != NULL && info->name == NULL && info->company == NULL && info->contact_id == NULL)
        {
          info->name = g_strdup (dengon_json_get_string (caller, "name"));
          info->company = g_strdup (dengon_json_get_string (caller, "company"));
          if (info->name != NULL || info->company != NULL)
            info->source = g_strdup ("memo");
        }
    }

  return g_steal_pointer (&memos);
}

/* The contact with this number: one seek in the contact phone index, then the newest memo
 * of the contact (two seeks) for its segment. */
static gboolean
lookup_contact (DengonStore *store, DengonCallerInfo *info, GDateTime *now, JsonObject *office,
                GError **error)
{
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (JsonObject) stored_office = NULL;
  JsonObject *contact;
  DengonQuadrant quadrant;
  gint64 last;

  contacts = dengon_contact_find_by_number (store, info->number_key, error);
  if (contacts == NULL)
    return FALSE;
  if (contacts->len == 0)
    return TRUE;

  contact = g_ptr_array_index (contacts, 0);
  info->n_contacts = contacts->len;
  info->contact_id = g_strdup (dengon_json_get_string (contact, "_id"));
  info->name = g_strdup (dengon_json_get_string (contact, "name"));
  info->company = g_strdup (dengon_json_get_string (contact, "company"));
  info->reading = g_strdup (dengon_json_get_string (contact, "reading"));
  info->department = g_strdup (dengon_json_get_string (contact, "department"));
  info->account_owner = g_strdup (dengon_json_get_string (contact, "account_owner"));
  info->source = g_strdup ("contact");
  quadrant = dengon_contact_get_quadrant (contact);
  info->quadrant = g_strdup (dengon_quadrant_to_string (quadrant));

  if (office == NULL)
    office = stored_office = dengon_store_get (store, "office:settings", NULL);
  last =
      dengon_contact_get_last_contact (store, contact, g_date_time_to_unix (now) * 1000 + 1, error);
  if (last < 0)
    return FALSE;
  info->last_contact_ms = last;
  info->segment = g_strdup (dengon_segment_to_string (dengon_contact_derive_segment (
      contact, last, now, dengon_office_get_dormant_months (office))));

  return TRUE;
}

DengonCallerInfo *
dengon_caller_lookup (DengonStore *store, const char *number, GError **error)
{
  return dengon_caller_lookup_full (store, number, NULL, NULL, error);
}

DengonCallerInfo *
dengon_caller_lookup_full (DengonStore *store, const char *number, GDateTime *now,
                           JsonObject *office, GError **error)
{
  g_autoptr (DengonCallerInfo) info = g_new0 (DengonCallerInfo, 1);
  g_autoptr (GDateTime) real_now = NULL;
  DengonMemoQuery query = { 0 };

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);

  if (now == NULL)
    now = real_now = g_date_time_new_now_utc ();

  info->open_memos = g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_caller_memo_free);
  info->recent_memos = g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_caller_memo_free);
  info->number_key = dengon_phone_key (number, NULL);
  if (info->number_key == NULL)
    return g_steal_pointer (&info);

  if (!lookup_contact (store, info, now, office, error))
    return NULL;

  /* The newest memo first names the caller: recent memos before open ones. */
  query.number = info->number_key;
  g_clear_pointer (&info->recent_memos, g_ptr_array_unref);
  info->recent_memos = load_memos (store, &query, info, error);
  if (info->recent_memos == NULL)
    return NULL;

  query.status_mask = OPEN_STATUSES;
  g_clear_pointer (&info->open_memos, g_ptr_array_unref);
  info->open_memos = load_memos (store, &query, info, error);
  if (info->open_memos == NULL)
    return NULL;
  info->n_open = dengon_store_count_memos (store, &query, 100, NULL);

  return g_steal_pointer (&info);
}
