/* dengon-call-manager.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-call.h"

G_BEGIN_DECLS

#define DENGON_TYPE_CALL_MANAGER (dengon_call_manager_get_type ())

/* The calls being taken at this desk, oldest first: a #GListModel of #DengonCall. A second line
 * that rings while the first is open is a second call; none replaces another. A call leaves the
 * list when it ends. One manager per application; every ring source feeds it. */
G_DECLARE_FINAL_TYPE (DengonCallManager, dengon_call_manager, DENGON, CALL_MANAGER, GObject)

DengonCallManager *dengon_call_manager_new (void);

/* Adds @call (which must not have ended) and emits call-added. When a call with the same desk-phone
 * call id is already in the list (a phone that repeats its action URL), nothing is added and that
 * call is returned. Returns the call in the list (transfer none). */
DengonCall *dengon_call_manager_add (DengonCallManager *self, DengonCall *call);
/* A new incoming call from @source (see dengon_call_get_source()). */
DengonCall *dengon_call_manager_ring (DengonCallManager *self, const char *number,
                                      const char *display_name, const char *source,
                                      const char *phone_call_id, const char *line);
/* A new outgoing call. */
DengonCall *dengon_call_manager_dial (DengonCallManager *self, const char *number,
                                      const char *source);

DengonCall *dengon_call_manager_find (DengonCallManager *self, const char *id);
guint dengon_call_manager_get_n_calls (DengonCallManager *self);

G_END_DECLS
