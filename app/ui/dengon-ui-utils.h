/* dengon-ui-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void dengon_message_dialog_fix_accessible_names (AdwMessageDialog *dialog);
void dengon_button_fix_accessible_name (GtkButton *button);

G_END_DECLS
