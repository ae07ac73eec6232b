/* dengon-duty-button.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-staff.h"
#include "dengon-store.h"

G_BEGIN_DECLS

#define DENGON_TYPE_DUTY_BUTTON (dengon_duty_button_get_type ())

G_DECLARE_FINAL_TYPE (DengonDutyButton, dengon_duty_button, DENGON, DUTY_BUTTON, GtkWidget)

void dengon_duty_button_setup (DengonDutyButton *self, DengonStore *store, DengonStaffModel *staff);
void dengon_duty_button_set_me (DengonDutyButton *self, const char *me);

G_END_DECLS
