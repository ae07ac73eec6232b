/* dengon-staff-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"

G_BEGIN_DECLS

#define DENGON_TYPE_STAFF_PAGE (dengon_staff_page_get_type ())

G_DECLARE_FINAL_TYPE (DengonStaffPage, dengon_staff_page, DENGON, STAFF_PAGE, AdwPreferencesPage)

DengonStaffPage *dengon_staff_page_new (DengonApplication *application);

G_END_DECLS
