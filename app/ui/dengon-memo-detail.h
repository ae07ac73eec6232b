/* dengon-memo-detail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-staff.h"
#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_TYPE_MEMO_DETAIL (dengon_memo_detail_get_type ())

G_DECLARE_FINAL_TYPE (DengonMemoDetail, dengon_memo_detail, DENGON, MEMO_DETAIL, GtkWidget)

GtkWidget *dengon_memo_detail_new (void);
void dengon_memo_detail_set_memo_id (DengonMemoDetail *self, const char *id);
const char *dengon_memo_detail_get_memo_id (DengonMemoDetail *self);

G_END_DECLS
