/* dengon-memo-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-memo.h"

G_BEGIN_DECLS

#define DENGON_TYPE_MEMO_ITEM (dengon_memo_item_get_type ())

G_DECLARE_FINAL_TYPE (DengonMemoItem, dengon_memo_item, DENGON, MEMO_ITEM, GObject)

DengonMemoItem *dengon_memo_item_new (gint64 key);
gint64 dengon_memo_item_get_key (DengonMemoItem *self);
gboolean dengon_memo_item_get_loaded (DengonMemoItem *self);
JsonObject *dengon_memo_item_get_doc (DengonMemoItem *self);
void dengon_memo_item_set_doc (DengonMemoItem *self, JsonObject *doc);
const char *dengon_memo_item_get_id (DengonMemoItem *self);
const char *dengon_memo_item_get_caller_name (DengonMemoItem *self);
const char *dengon_memo_item_get_company (DengonMemoItem *self);
const char *dengon_memo_item_get_number_display (DengonMemoItem *self);
const char *dengon_memo_item_get_assignee (DengonMemoItem *self);
const char *dengon_memo_item_get_category (DengonMemoItem *self);
char *dengon_memo_item_dup_summary (DengonMemoItem *self);
gboolean dengon_memo_item_get_urgent (DengonMemoItem *self);
DengonMemoStatus dengon_memo_item_get_status (DengonMemoItem *self);
gint64 dengon_memo_item_get_created_ms (DengonMemoItem *self);
gint64 dengon_memo_item_get_callback_ms (DengonMemoItem *self);

G_END_DECLS
