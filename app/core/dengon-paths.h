/* dengon-paths.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *dengon_paths_default_data_dir (void);
gboolean dengon_paths_ensure_data_dir (const char *data_dir, GError **error);

G_END_DECLS
