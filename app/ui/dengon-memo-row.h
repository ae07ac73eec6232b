/* dengon-memo-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dengon-memo-item.h"
#include "dengon-staff.h"

G_BEGIN_DECLS

#define DENGON_TYPE_MEMO_ROW (dengon_memo_row_get_type ())

G_DECLARE_FINAL_TYPE (DengonMemoRow, dengon_memo_row, DENGON, MEMO_ROW, GtkWidget)

GtkWidget *dengon_memo_row_new (void);
void dengon_memo_row_bind (DengonMemoRow *self, DengonMemoItem *item, DengonStaffModel *staff);
void dengon_memo_row_unbind (DengonMemoRow *self);
void dengon_memo_row_set_first_of_day (DengonMemoRow *self, gboolean first);

G_END_DECLS
