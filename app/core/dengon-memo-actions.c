/* dengon-memo-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-json.h"
#include "dengon-memo-actions.h"
#include "dengon-memo.h"

/* A person's action is an event appended to the memo's history.  Saving it
 * can meet a colleague's save of the same memo: then the memo is read again
 * and the event appended to that, so neither overwrites the other. */
#define MAX_ATTEMPTS 50

DengonMemoAction *
dengon_memo_action_new (DengonMemoActionKind kind, const char *by)
{
  DengonMemoAction *action = g_new0 (DengonMemoAction, 1);

  action->kind = kind;
  action->by = g_strdup (by);

  return action;
}

DengonMemoAction *
dengon_memo_action_copy (const DengonMemoAction *action)
{
  DengonMemoAction *copy = dengon_memo_action_new (action->kind, action->by);

  copy->to = g_strdup (action->to);
  copy->note = g_strdup (action->note);
  copy->detail = g_strdup (action->detail);

  return copy;
}

void
dengon_memo_action_free (DengonMemoAction *action)
{
  if (action == NULL)
    return;

  g_free (action->by);
  g_free (action->to);
  g_free (action->note);
  g_free (action->detail);
  g_free (action);
}

gboolean
dengon_memo_action_apply (const DengonMemoAction *action, JsonObject *memo, GDateTime *at,
                          GError **error)
{
  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (memo != NULL, FALSE);

  switch (action->kind)
    {
      case DENGON_MEMO_ACTION_ASSIGN:
        return dengon_memo_assign (memo, action->by, action->to, at, error);
      case DENGON_MEMO_ACTION_ACKNOWLEDGE:
        return dengon_memo_acknowledge (memo, action->by, at, error);
      case DENGON_MEMO_ACTION_CALLED_BACK:
        return dengon_memo_called_back (memo, action->by, action->note, at, error);
      case DENGON_MEMO_ACTION_DONE:
        return dengon_memo_done (memo, action->by, at, error);
      case DENGON_MEMO_ACTION_REOPEN:
        return dengon_memo_reopen (memo, action->by, at, error);
      case DENGON_MEMO_ACTION_NOTE:
        return dengon_memo_add_note (memo, action->by, action->note, at, error);
      case DENGON_MEMO_ACTION_ESCALATE:
        return dengon_memo_escalate (memo, action->by, action->to, action->note, at, error);
      case DENGON_MEMO_ACTION_OUTCOME:
        return dengon_memo_set_outcome (memo, action->by, action->note, action->detail, at, error);
      case DENGON_MEMO_ACTION_UNDO:
        return dengon_memo_undo_last (memo, action->by, at, error);
      default:
        g_return_val_if_reached (FALSE);
    }
}

/* Returns the memo as saved. */
JsonObject *
dengon_memo_action_run_sync (DengonStore *store, const char *id, const DengonMemoAction *action,
                             GError **error)
{
  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (action != NULL, NULL);

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (JsonObject) stored = dengon_store_get (store, id, error);
      g_autoptr (JsonObject) memo = NULL;
      g_autofree char *rev = NULL;

      if (stored == NULL)
        return NULL;

      memo = dengon_memo_copy (stored);
      if (!dengon_memo_action_apply (action, memo, NULL, error))
        return NULL;

      rev = dengon_store_put (store, memo, &local_error);
      if (rev != NULL)
        {
          json_object_set_string_member (memo, "_rev", rev);
          json_object_seal (memo);
          return g_steal_pointer (&memo);
        }

      if (!g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      /* Someone saved this memo first: read theirs and append ours to it,
       * after a short random pause so that racing desks do not collide
       * again in lock step (this runs on a worker thread). */
      g_usleep (g_random_int_range (0, 1000 * (1 + MIN (attempt, 10))));
    }

  g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
               "%s kept changing; the action was not saved", id);
  return NULL;
}

typedef struct
{
  char *id;
  DengonMemoAction *action;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->id);
  dengon_memo_action_free (data->action);
  g_free (data);
}

static gpointer
run_thread (DengonStore *store, gpointer user_data, GCancellable *cancellable, GError **error)
{
  RunData *data = user_data;

  return dengon_memo_action_run_sync (store, data->id, data->action, error);
}

void
dengon_memo_action_run_async (DengonStore *store, const char *id, const DengonMemoAction *action,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  RunData *data;

  g_return_if_fail (DENGON_IS_STORE (store));
  g_return_if_fail (id != NULL);
  g_return_if_fail (action != NULL);

  data = g_new0 (RunData, 1);
  data->id = g_strdup (id);
  data->action = dengon_memo_action_copy (action);

  dengon_store_run_async (store, run_thread, data, (GDestroyNotify) run_data_free,
                          (GDestroyNotify) json_object_unref, cancellable, callback, user_data);
}

JsonObject *
dengon_memo_action_run_finish (DengonStore *store, GAsyncResult *result, GError **error)
{
  return dengon_store_run_finish (store, result, error);
}
