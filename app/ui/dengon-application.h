/* dengon-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-settings.h"
#include "dengon-staff.h"
#include "dengon-store.h"
#include "dengon-sync-manager.h"

G_BEGIN_DECLS

#define DENGON_TYPE_APPLICATION (dengon_application_get_type ())

G_DECLARE_FINAL_TYPE (DengonApplication, dengon_application, DENGON, APPLICATION, AdwApplication)

DengonApplication *dengon_application_new (void);
DengonSettings *dengon_application_get_settings (DengonApplication *self);
DengonStore *dengon_application_get_store (DengonApplication *self);
DengonStaffModel *dengon_application_get_staff_model (DengonApplication *self);
DengonSyncManager *dengon_application_get_sync_manager (DengonApplication *self);
const char *dengon_application_get_data_dir (DengonApplication *self);

G_END_DECLS
