/* dengon-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"

G_BEGIN_DECLS

#define DENGON_TYPE_WINDOW (dengon_window_get_type ())

G_DECLARE_FINAL_TYPE (DengonWindow, dengon_window, DENGON, WINDOW, AdwApplicationWindow)

DengonWindow *dengon_window_new (DengonApplication *application);
/* Shows @toast (transfer full) over the inbox. */
void dengon_window_add_toast (DengonWindow *self, AdwToast *toast);
void dengon_window_show_memo (DengonWindow *self, const char *memo_id);

G_END_DECLS
