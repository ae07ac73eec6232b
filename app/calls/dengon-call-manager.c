/* dengon-call-manager.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-call-manager.h"

struct _DengonCallManager
{
  GObject parent_instance;

  /* Owned */
  GPtrArray *calls;
};

enum
{
  CALL_ADDED,
  CALL_REMOVED,
  N_SIGNALS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DengonCallManager, dengon_call_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static guint signals[N_SIGNALS];

static void
on_call_state_changed (DengonCall *call, DengonCallState new_state, DengonCallState old_state,
                       DengonCallManager *self)
{
  guint position;

  if (new_state != DENGON_CALL_STATE_ENDED)
    return;

  if (!g_ptr_array_find (self->calls, call, &position))
    return;

  g_object_ref (call);
  g_signal_handlers_disconnect_by_func (call, on_call_state_changed, self);
  g_ptr_array_remove_index (self->calls, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_signal_emit (self, signals[CALL_REMOVED], 0, call);
  g_object_unref (call);
}

static GType
dengon_call_manager_get_item_type (GListModel *model)
{
  return DENGON_TYPE_CALL;
}

static guint
dengon_call_manager_get_n_items (GListModel *model)
{
  return DENGON_CALL_MANAGER (model)->calls->len;
}

static gpointer
dengon_call_manager_get_item (GListModel *model, guint position)
{
  DengonCallManager *self = DENGON_CALL_MANAGER (model);

  if (position >= self->calls->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->calls, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = dengon_call_manager_get_item_type;
  iface->get_n_items = dengon_call_manager_get_n_items;
  iface->get_item = dengon_call_manager_get_item;
}

static void
dengon_call_manager_dispose (GObject *object)
{
  DengonCallManager *self = (DengonCallManager *) object;

  for (guint i = 0; i < self->calls->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->calls, i), on_call_state_changed,
                                          self);
  g_ptr_array_set_size (self->calls, 0);

  G_OBJECT_CLASS (dengon_call_manager_parent_class)->dispose (object);
}

static void
dengon_call_manager_finalize (GObject *object)
{
  DengonCallManager *self = (DengonCallManager *) object;

  g_clear_pointer (&self->calls, g_ptr_array_unref);

  G_OBJECT_CLASS (dengon_call_manager_parent_class)->finalize (object);
}

static void
dengon_call_manager_class_init (DengonCallManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dengon_call_manager_dispose;
  object_class->finalize = dengon_call_manager_finalize;

  /**
   * DengonCallManager::call-added:
   * @call: the new call, already in the list
   */
  signals[CALL_ADDED] = g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, DENGON_TYPE_CALL);
  /**
   * DengonCallManager::call-removed:
   * @call: the call that ended, no longer in the list
   */
  signals[CALL_REMOVED] =
      g_signal_new ("call-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, DENGON_TYPE_CALL);
}

static void
dengon_call_manager_init (DengonCallManager *self)
{
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
}

DengonCallManager *
dengon_call_manager_new (void)
{
  return g_object_new (DENGON_TYPE_CALL_MANAGER, NULL);
}

DengonCall *
dengon_call_manager_add (DengonCallManager *self, DengonCall *call)
{
  const char *phone_call_id;

  g_return_val_if_fail (DENGON_IS_CALL_MANAGER (self), NULL);
  g_return_val_if_fail (DENGON_IS_CALL (call), NULL);
  g_return_val_if_fail (dengon_call_get_state (call) != DENGON_CALL_STATE_ENDED, NULL);

  phone_call_id = dengon_call_get_phone_call_id (call);
  for (guint i = 0; i < self->calls->len; i++)
    {
      DengonCall *other = g_ptr_array_index (self->calls, i);

      if (other == call)
        return other;
      if (phone_call_id != NULL &&
          g_strcmp0 (dengon_call_get_phone_call_id (other), phone_call_id) == 0 &&
          g_strcmp0 (dengon_call_get_source (other), dengon_call_get_source (call)) == 0)
        return other;
    }

  g_ptr_array_add (self->calls, g_object_ref (call));
  g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state_changed), self, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), self->calls->len - 1, 0, 1);
  g_signal_emit (self, signals[CALL_ADDED], 0, call);

  return call;
}

DengonCall *
dengon_call_manager_ring (DengonCallManager *self, const char *number, const char *display_name,
                          const char *source, const char *phone_call_id, const char *line)
{
  g_autoptr (DengonCall) call = NULL;

  g_return_val_if_fail (DENGON_IS_CALL_MANAGER (self), NULL);

  call = dengon_call_new (DENGON_CALL_DIRECTION_IN, number, display_name);
  dengon_call_set_source (call, source);
  dengon_call_set_phone_call_id (call, phone_call_id);
  dengon_call_set_line (call, line);

  return dengon_call_manager_add (self, call);
}

DengonCall *
dengon_call_manager_dial (DengonCallManager *self, const char *number, const char *source)
{
  g_autoptr (DengonCall) call = NULL;

  g_return_val_if_fail (DENGON_IS_CALL_MANAGER (self), NULL);

  call = dengon_call_new (DENGON_CALL_DIRECTION_OUT, number, NULL);
  dengon_call_set_source (call, source);

  return dengon_call_manager_add (self, call);
}

DengonCall *
dengon_call_manager_find (DengonCallManager *self, const char *id)
{
  g_return_val_if_fail (DENGON_IS_CALL_MANAGER (self), NULL);

  for (guint i = 0; i < self->calls->len; i++)
    {
      DengonCall *call = g_ptr_array_index (self->calls, i);

      if (g_strcmp0 (dengon_call_get_id (call), id) == 0)
        return call;
    }

  return NULL;
}

guint
dengon_call_manager_get_n_calls (DengonCallManager *self)
{
  g_return_val_if_fail (DENGON_IS_CALL_MANAGER (self), 0);

  return self->calls->len;
}
