/* dengon-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-notifier.h"
#include "dengon-call-manager.h"
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
DengonNotifier *dengon_application_get_notifier (DengonApplication *self);
const char *dengon_application_get_data_dir (DengonApplication *self);

/* Calls (issue 4). */
DengonCallManager *dengon_application_get_call_manager (DengonApplication *self);
/* The valid scripts of the office (DengonScript), sorted; never %NULL. */
GPtrArray *dengon_application_get_scripts (DengonApplication *self);
/* One message per script document that is broken. */
GPtrArray *dengon_application_get_script_problems (DengonApplication *self);
/* The active staff documents (JsonObject), by name; never %NULL. */
GPtrArray *dengon_application_get_staff (DengonApplication *self);
/* The office:settings document, or %NULL. */
JsonObject *dengon_application_get_office (DengonApplication *self);
/* "ja" or "en": the language of the scripts offered first. */
const char *dengon_application_get_script_language (DengonApplication *self);
/* The action URL listener: whether it listens, its port, and why not (or %NULL). */
gboolean dengon_application_get_action_url_status (DengonApplication *self, guint *port,
                                                   const char **problem);
char *dengon_application_dup_action_url_token (DengonApplication *self);
void dengon_application_regenerate_action_url_token (DengonApplication *self);

G_END_DECLS
