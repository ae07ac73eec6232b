/* dengon-ui-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void dengon_ui_fix_accessible_names (GtkWidget *widget);
void dengon_message_dialog_fix_accessible_names (AdwMessageDialog *dialog);
void dengon_button_fix_accessible_name (GtkButton *button);
void dengon_ui_unparent_children (GtkWidget *widget);

G_END_DECLS
