/* dengon-memo-actions.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dengon-store.h"

G_BEGIN_DECLS

typedef enum
{
  DENGON_MEMO_ACTION_ASSIGN,
  DENGON_MEMO_ACTION_ACKNOWLEDGE,
  DENGON_MEMO_ACTION_CALLED_BACK,
  DENGON_MEMO_ACTION_DONE,
  DENGON_MEMO_ACTION_REOPEN,
  DENGON_MEMO_ACTION_NOTE,
  DENGON_MEMO_ACTION_ESCALATE,
  DENGON_MEMO_ACTION_OUTCOME,
  DENGON_MEMO_ACTION_UNDO,
} DengonMemoActionKind;

/* One thing a person does to a memo. */
typedef struct
{
  DengonMemoActionKind kind;
  char *by;     /* "staff:..." */
  char *to;     /* assign, escalate */
  char *note;   /* called back, note, escalate; the outcome for OUTCOME */
  char *detail; /* outcome */
} DengonMemoAction;

DengonMemoAction *dengon_memo_action_new (DengonMemoActionKind kind, const char *by);
DengonMemoAction *dengon_memo_action_copy (const DengonMemoAction *action);
void dengon_memo_action_free (DengonMemoAction *action);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DengonMemoAction, dengon_memo_action_free)

gboolean dengon_memo_action_apply (const DengonMemoAction *action, JsonObject *memo, GDateTime *at,
                                   GError **error);

JsonObject *dengon_memo_action_run_sync (DengonStore *store, const char *id,
                                         const DengonMemoAction *action, GError **error);
void dengon_memo_action_run_async (DengonStore *store, const char *id,
                                   const DengonMemoAction *action, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
JsonObject *dengon_memo_action_run_finish (DengonStore *store, GAsyncResult *result,
                                           GError **error);

G_END_DECLS
