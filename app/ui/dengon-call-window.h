/* dengon-call-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"
#include "dengon-call-panel.h"

G_BEGIN_DECLS

#define DENGON_TYPE_CALL_WINDOW (dengon_call_window_get_type ())

/* The calls being taken, one tab each (a second line never replaces the first). A window of its
 * own, presented on every ring: the inbox may be buried under other work when the phone rings.
 * It follows the application's call manager and closes when the last call ends. */
G_DECLARE_FINAL_TYPE (DengonCallWindow, dengon_call_window, DENGON, CALL_WINDOW,
                      AdwApplicationWindow)

DengonCallWindow *dengon_call_window_new (DengonApplication *application);
/* The panel of @call, adding a tab for it when there is none. */
DengonCallPanel *dengon_call_window_add_call (DengonCallWindow *self, DengonCall *call);
DengonCallPanel *dengon_call_window_get_panel (DengonCallWindow *self, DengonCall *call);

G_END_DECLS
