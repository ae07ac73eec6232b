/* dengon-desk-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-staff.h"
#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_TYPE_DESK_DIALOG (dengon_desk_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DengonDeskDialog, dengon_desk_dialog, DENGON, DESK_DIALOG, AdwWindow)

DengonDeskDialog *dengon_desk_dialog_new (GtkWindow *parent, DengonStore *store,
                                          DengonStaffModel *staff, GSettings *settings);

G_END_DECLS
