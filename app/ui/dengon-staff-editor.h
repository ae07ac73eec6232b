/* dengon-staff-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-staff.h"
#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_TYPE_STAFF_EDITOR (dengon_staff_editor_get_type ())

G_DECLARE_FINAL_TYPE (DengonStaffEditor, dengon_staff_editor, DENGON, STAFF_EDITOR, AdwWindow)

DengonStaffEditor *dengon_staff_editor_new (GtkWindow *parent, DengonStore *store,
                                            DengonStaffModel *staff, DengonStaffItem *person);

G_END_DECLS
