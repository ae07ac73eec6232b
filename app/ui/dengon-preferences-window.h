/* dengon-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"

G_BEGIN_DECLS

#define DENGON_TYPE_PREFERENCES_WINDOW (dengon_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (DengonPreferencesWindow, dengon_preferences_window, DENGON,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

DengonPreferencesWindow *dengon_preferences_window_new (DengonApplication *application);

G_END_DECLS
