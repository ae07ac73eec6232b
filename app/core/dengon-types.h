/* dengon-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _DengonSettings DengonSettings;

G_END_DECLS
