/* dengon-staff-edit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-json.h"
#include "dengon-staff-edit.h"
#include "dengon-staff.h"

/* Saving what the person editor changed.  A new person is added only if
 * the id is free; an edit is applied field by field onto the document as
 * it is stored now, so a colleague's change to another field survives. */

#define MAX_ATTEMPTS 5

static const char *const edited_fields[] = { "name", "reading", "extension", "role", "active" };

/* A member's value, with "missing" and null alike. */
static JsonNode *
value_of (JsonObject *doc, const char *member)
{
  JsonNode *node = doc != NULL ? json_object_get_member (doc, member) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
same_value (JsonNode *a, JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return json_node_equal (a, b);
}

/* @current with the fields that differ between @original and @edited set
 * as in @edited; every other member as in @current. */
JsonObject *
dengon_staff_edit_merge (JsonObject *current, JsonObject *original, JsonObject *edited)
{
  JsonObject *merged = json_object_new ();
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail (current != NULL, NULL);
  g_return_val_if_fail (edited != NULL, NULL);

  members = json_object_get_members (current);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (merged, l->data,
                            json_node_copy (json_object_get_member (current, l->data)));

  for (guint i = 0; i < G_N_ELEMENTS (edited_fields); i++)
    {
      JsonNode *before = value_of (original, edited_fields[i]);
      JsonNode *after = value_of (edited, edited_fields[i]);

      if (same_value (before, after))
        continue;
      if (after != NULL)
        json_object_set_member (merged, edited_fields[i], json_node_copy (after));
      else
        json_object_set_null_member (merged, edited_fields[i]);
    }

  return merged;
}

/* @original: the person as the editor showed them, NULL for a new person.
 * Returns the person as saved. */
JsonObject *
dengon_staff_edit_save_sync (DengonStore *store, JsonObject *original, JsonObject *edited,
                             GError **error)
{
  const char *id;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);
  g_return_val_if_fail (edited != NULL, NULL);

  id = dengon_json_get_string (edited, "_id");

  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (JsonObject) current = NULL;
      g_autoptr (JsonObject) doc = NULL;
      g_autofree char *rev = NULL;

      if (original == NULL)
        {
          /* A mutable copy. */
          doc = dengon_staff_edit_merge (edited, NULL, edited);
          json_object_remove_member (doc, "_rev");
        }
      else
        {
          current = dengon_store_get (store, id, error);
          if (current == NULL)
            return NULL;
          doc = dengon_staff_edit_merge (current, original, edited);
        }

      if (!dengon_staff_validate (doc, error))
        return NULL;

      rev = dengon_store_put (store, doc, &local_error);
      if (rev != NULL)
        {
          json_object_set_string_member (doc, "_rev", rev);
          json_object_seal (doc);
          return g_steal_pointer (&doc);
        }

      if (!g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (original == NULL)
        {
          g_set_error (error, DENGON_STAFF_ERROR, DENGON_STAFF_ERROR_EXISTS, "%s exists already",
                       id);
          return NULL;
        }
      /* A colleague saved this person first: apply our changes to theirs. */
    }

  g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
               "%s kept changing; the changes were not saved", id);
  return NULL;
}

typedef struct
{
  JsonObject *original;
  JsonObject *edited;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_pointer (&data->original, json_object_unref);
  g_clear_pointer (&data->edited, json_object_unref);
  g_free (data);
}

static gpointer
save_thread (DengonStore *store, gpointer user_data, GCancellable *cancellable, GError **error)
{
  SaveData *data = user_data;

  return dengon_staff_edit_save_sync (store, data->original, data->edited, error);
}

void
dengon_staff_edit_save_async (DengonStore *store, JsonObject *original, JsonObject *edited,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  SaveData *data;

  g_return_if_fail (DENGON_IS_STORE (store));
  g_return_if_fail (edited != NULL);

  data = g_new0 (SaveData, 1);
  data->original = original != NULL ? dengon_json_object_copy (original) : NULL;
  data->edited = dengon_json_object_copy (edited);

  dengon_store_run_async (store, save_thread, data, (GDestroyNotify) save_data_free,
                          (GDestroyNotify) json_object_unref, cancellable, callback, user_data);
}

JsonObject *
dengon_staff_edit_save_finish (DengonStore *store, GAsyncResult *result, GError **error)
{
  return dengon_store_run_finish (store, result, error);
}
