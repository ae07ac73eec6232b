/* dengon-memo-list-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_TYPE_MEMO_LIST_MODEL (dengon_memo_list_model_get_type ())

G_DECLARE_FINAL_TYPE (DengonMemoListModel, dengon_memo_list_model, DENGON, MEMO_LIST_MODEL, GObject)

DengonMemoListModel *dengon_memo_list_model_new (DengonStore *store);
void dengon_memo_list_model_set_query (DengonMemoListModel *self, const DengonMemoQuery *query);
const DengonMemoQuery *dengon_memo_list_model_get_query (DengonMemoListModel *self);
void dengon_memo_list_model_set_search (DengonMemoListModel *self, const char *text);
const char *dengon_memo_list_model_get_search (DengonMemoListModel *self);
gboolean dengon_memo_list_model_get_loading (DengonMemoListModel *self);
gboolean dengon_memo_list_model_get_busy (DengonMemoListModel *self);
gboolean dengon_memo_list_model_get_complete (DengonMemoListModel *self);
int dengon_memo_list_model_find (DengonMemoListModel *self, gint64 key);
void dengon_memo_list_model_load (DengonMemoListModel *self, guint position);

G_END_DECLS
