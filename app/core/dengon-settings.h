/* dengon-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-types.h"

G_BEGIN_DECLS

#define DENGON_TYPE_SETTINGS (dengon_settings_get_type ())

G_DECLARE_FINAL_TYPE (DengonSettings, dengon_settings, DENGON, SETTINGS, GObject)

DengonSettings *dengon_settings_new (void);
DengonSettings *dengon_settings_new_with_backend (GSettingsBackend *backend);
GSettings *dengon_settings_get_gsettings (DengonSettings *self);

G_END_DECLS
