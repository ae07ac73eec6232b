/* dengon-call-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"
#include "dengon-call.h"

G_BEGIN_DECLS

#define DENGON_TYPE_CALL_PANEL (dengon_call_panel_get_type ())

/* One call: who is calling, what this caller asked before, and the script that walks the person
 * at the desk through the first response, ending in a saved memo. Takes one "call" and redraws
 * from its state. Saves a draft of what is typed on every change. */
G_DECLARE_FINAL_TYPE (DengonCallPanel, dengon_call_panel, DENGON, CALL_PANEL, GtkWidget)

DengonCallPanel *dengon_call_panel_new (DengonApplication *application, DengonCall *call);
DengonCall *dengon_call_panel_get_call (DengonCallPanel *self);
/* Restores a draft ({"script": ..., "answers": ..., "path": ...}). */
void dengon_call_panel_restore (DengonCallPanel *self, JsonObject *state);
/* Whether something was typed (the call is not new). */
gboolean dengon_call_panel_has_input (DengonCallPanel *self);
/* Gives the first field (or the Next button) the keyboard focus. */
void dengon_call_panel_focus (DengonCallPanel *self);
/* Asks before discarding the call; discards at once when nothing was typed and @ask_always is
 * FALSE. */
void dengon_call_panel_request_discard (DengonCallPanel *self, gboolean ask_always);

/* The local document id of a call's draft. */
char *dengon_call_panel_draft_id (DengonCall *call);
#define DENGON_CALL_DRAFT_PREFIX "draft:"

G_END_DECLS
