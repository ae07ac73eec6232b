/* dengon-conflict-resolver.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-conflict-resolver.h"
#include "dengon-json.h"
#include "dengon-memo.h"

struct _DengonConflictResolver
{
  GObject parent_instance;

  /* Owned */
  DengonStore *store;
  GCancellable *cancellable;
  GHashTable *queued;     /* ids to look at */
  GHashTable *unresolved; /* ids that need a person */
  gboolean catch_up;      /* what changed while no resolver was looking: first */
  gint64 start_seq;       /* the store's sequence when this resolver began to listen */
  gint64 delivered_seq;   /* the last change the changed signal brought */
  gboolean catching_up;   /* the check in flight is the catch-up */
  GStrv in_flight;        /* the ids of the check in flight */
  gboolean busy;
  guint idle_id;
  gulong changed_id;
  guint n_merged;
};

enum
{
  PROP_0,
  PROP_N_UNRESOLVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DengonConflictResolver, dengon_conflict_resolver, G_TYPE_OBJECT)

static void schedule (DengonConflictResolver *self);

/* ------------------------------------------------------------------ merging */

static int
compare_rev_docs (gconstpointer a, gconstpointer b)
{
  JsonObject *da = *(JsonObject *const *) a;
  JsonObject *db = *(JsonObject *const *) b;

  return g_strcmp0 (dengon_json_get_string (da, "_rev"), dengon_json_get_string (db, "_rev"));
}

JsonObject *
dengon_conflict_merge_memos (GPtrArray *leaves)
{
  g_autoptr (GPtrArray) sorted = NULL;
  g_autoptr (JsonObject) merged = NULL;

  g_return_val_if_fail (leaves != NULL, NULL);

  if (leaves->len < 2)
    return NULL;

  for (guint i = 0; i < leaves->len; i++)
    {
      JsonObject *leaf = g_ptr_array_index (leaves, i);

      if (!dengon_memo_is_memo (leaf) || !dengon_memo_validate (leaf, NULL))
        return NULL;
    }

  /* The merge is commutative and associative: any order gives the same memo; a fixed one keeps
   * that obvious. */
  sorted = g_ptr_array_sized_new (leaves->len);
  for (guint i = 0; i < leaves->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (leaves, i));
  g_ptr_array_sort (sorted, compare_rev_docs);

  merged = dengon_memo_copy (g_ptr_array_index (sorted, 0));
  for (guint i = 1; i < sorted->len; i++)
    {
      JsonObject *next = dengon_memo_merge (merged, g_ptr_array_index (sorted, i));

      json_object_unref (merged);
      merged = next;
    }

  /* A history that outgrew the limit is for a person to sort out. */
  if (!dengon_memo_validate (merged, NULL))
    return NULL;

  return g_steal_pointer (&merged);
}

/* The body as the store keeps it: no special members. */
static char *
body_canonical (JsonObject *doc)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (GList) members = json_object_get_members (doc);

  for (GList *l = members; l; l = l->next)
    {
      if (((const char *) l->data)[0] != '_')
        json_object_set_member (body, l->data,
                                json_node_copy (json_object_get_member (doc, l->data)));
    }

  return dengon_json_canonical_object (body);
}

/* Closes every live leaf but @keep_rev. */
static gboolean
close_other_leaves (DengonStore *store, GPtrArray *leaves, const char *id, const char *keep_rev,
                    GError **error)
{
  for (guint i = 0; i < leaves->len; i++)
    {
      const char *rev = dengon_json_get_string (g_ptr_array_index (leaves, i), "_rev");
      g_autofree char *closed = NULL;

      if (g_strcmp0 (rev, keep_rev) == 0)
        continue;
      closed = dengon_store_delete (store, id, rev, error);
      if (closed == NULL)
        return FALSE;
    }

  return TRUE;
}

/* Merges the live leaves of memo @id. TRUE when done (or nothing to do), FALSE with no error
 * when it is not for a machine to decide. */
static gboolean
resolve_one (DengonStore *store, const char *id, gboolean *merged_out, GError **error)
{
  g_autoptr (GPtrArray) leaves = NULL;
  g_autoptr (JsonObject) merged = NULL;
  g_autofree char *merged_body = NULL;
  g_autofree char *winner_body = NULL;
  g_autofree char *kept = NULL;
  JsonObject *winner;
  const char *winner_rev;

  *merged_out = FALSE;

  leaves = dengon_store_get_leaves (store, id, FALSE, error);
  if (leaves == NULL)
    return FALSE;
  if (leaves->len < 2)
    return TRUE;

  merged = dengon_conflict_merge_memos (leaves);
  if (merged == NULL)
    return FALSE;

  /* The store lists the winner first. */
  winner = g_ptr_array_index (leaves, 0);
  winner_rev = dengon_json_get_string (winner, "_rev");
  merged_body = body_canonical (merged);
  winner_body = body_canonical (winner);

  /* Written on the winner: the same leaves give the same revision on every desk. */
  if (!g_str_equal (merged_body, winner_body))
    {
      json_object_set_string_member (merged, "_id", id);
      json_object_set_string_member (merged, "_rev", winner_rev);
      kept = dengon_store_put (store, merged, error);
      if (kept == NULL)
        return FALSE;
    }

  if (!close_other_leaves (store, leaves, id, winner_rev, error))
    return FALSE;

  *merged_out = TRUE;
  return TRUE;
}

/* Which documents were looked at, and up to which change, is kept in a local document: a start
 * looks at what changed since (a few documents), not at every document (seconds at 1M). */
#define CHECKED_DOC "conflicts-checked"

typedef struct
{
  GStrv ids;         /* to look at */
  gboolean catch_up; /* also what changed since the last check of an earlier start (every
                      * document the first time) */
  gint64 record;     /* > 0: every change up to here is looked at once this check is done */
  GStrv unresolved;  /* the list so far, kept with the sequence */
} Check;

typedef struct
{
  GStrv checked;    /* NULL after a scan of every document */
  GStrv unresolved; /* still in conflict, for a person */
  guint n_merged;
} CheckResult;

static void
check_free (Check *check)
{
  g_strfreev (check->ids);
  g_strfreev (check->unresolved);
  g_free (check);
}

static void
check_result_free (CheckResult *result)
{
  g_strfreev (result->checked);
  g_strfreev (result->unresolved);
  g_free (result);
}

/* What to look at on a start: what changed after the last check an earlier start recorded, and
 * what was still unresolved then. FALSE (and *@all) when nothing was recorded: every document. */
static gboolean
catch_up_ids (DengonStore *store, GPtrArray *ids, gboolean *all, GError **error)
{
  g_autoptr (JsonObject) checked = dengon_store_get_local (store, CHECKED_DOC, NULL);
  JsonArray *unresolved = dengon_json_get_array (checked, "unresolved");
  gint64 since = dengon_json_get_int (checked, "seq", -1);

  *all = checked == NULL || since < 0;
  if (*all)
    return TRUE;

  for (guint i = 0; unresolved != NULL && i < json_array_get_length (unresolved); i++)
    {
      const char *id = json_array_get_string_element (unresolved, i);

      if (id != NULL)
        g_ptr_array_add (ids, g_strdup (id));
    }

  for (;;)
    {
      g_autoptr (GPtrArray) entries = NULL;
      gint64 last = since;

      entries = dengon_store_changes (store, since, 1000, &last, error);
      if (entries == NULL)
        return FALSE;
      if (entries->len == 0)
        break;
      for (guint i = 0; i < entries->len; i++)
        g_ptr_array_add (ids,
                         g_strdup (((DengonStoreFeedEntry *) g_ptr_array_index (entries, i))->id));
      since = last;
    }

  return TRUE;
}

static void
record_checked (DengonStore *store, gint64 seq, GStrv unresolved)
{
  g_autoptr (JsonObject) doc = json_object_new ();
  g_autoptr (JsonArray) list = json_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = NULL;

  for (guint i = 0; unresolved != NULL && unresolved[i] != NULL; i++)
    json_array_add_string_element (list, unresolved[i]);
  json_object_set_int_member (doc, "seq", seq);
  json_object_set_array_member (doc, "unresolved", g_steal_pointer (&list));
  rev = dengon_store_put_local (store, CHECKED_DOC, doc, &error);
  /* Not fatal: the next start looks again. */
  if (rev == NULL)
    g_message ("Could not record the conflict check: %s", error->message);
}

static gpointer
check_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Check *check = data;
  g_auto (GStrv) conflicted = NULL;
  g_autoptr (GStrvBuilder) unresolved = g_strv_builder_new ();
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) still = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GStrvBuilder) still_unresolved = g_strv_builder_new ();
  gboolean all = FALSE;
  CheckResult *result;
  guint n_merged = 0;

  for (guint i = 0; check->ids != NULL && check->ids[i] != NULL; i++)
    g_ptr_array_add (ids, g_strdup (check->ids[i]));
  if (check->catch_up && !catch_up_ids (store, ids, &all, error))
    return NULL;
  g_ptr_array_add (ids, NULL);

  conflicted =
      dengon_store_list_conflicted (store, all ? NULL : (const char *const *) ids->pdata, error);
  if (conflicted == NULL)
    return NULL;

  for (guint i = 0; conflicted[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      gboolean merged = FALSE;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          return NULL;
        }

      if (resolve_one (store, conflicted[i], &merged, &local_error))
        {
          if (merged)
            {
              n_merged++;
              g_debug ("Conflict on %s: memo versions merged", conflicted[i]);
            }
          continue;
        }

      /* Changed under us (a local edit, a replicated revision): the next change looks again. */
      if (g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
        continue;
      if (local_error != NULL)
        g_warning ("Conflict on %s not resolved: %s", conflicted[i], local_error->message);
      g_strv_builder_add (unresolved, conflicted[i]);
    }

  result = g_new0 (CheckResult, 1);
  if (!all)
    {
      g_ptr_array_remove_index (ids, ids->len - 1);
      g_ptr_array_add (ids, NULL);
      result->checked = g_strdupv ((GStrv) ids->pdata);
    }
  result->unresolved = g_strv_builder_end (unresolved);
  result->n_merged = n_merged;

  /* The list as it will be once this result is in, kept beside the sequence. */
  if (check->record > 0)
    {
      g_autoptr (GHashTable) checked = g_hash_table_new (g_str_hash, g_str_equal);
      g_auto (GStrv) list = NULL;

      for (guint i = 0; result->checked != NULL && result->checked[i] != NULL; i++)
        g_hash_table_add (checked, result->checked[i]);
      for (guint i = 0; !all && check->unresolved != NULL && check->unresolved[i] != NULL; i++)
        if (!g_hash_table_contains (checked, check->unresolved[i]) &&
            g_hash_table_add (still, check->unresolved[i]))
          g_strv_builder_add (still_unresolved, check->unresolved[i]);
      for (guint i = 0; result->unresolved[i] != NULL; i++)
        if (g_hash_table_add (still, result->unresolved[i]))
          g_strv_builder_add (still_unresolved, result->unresolved[i]);
      list = g_strv_builder_end (still_unresolved);
      record_checked (store, check->record, list);
    }

  return result;
}

static void
on_checked (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (DengonConflictResolver) self = data;
  g_autoptr (GError) error = NULL;
  CheckResult *result = dengon_store_run_finish (DENGON_STORE (source), res, &error);
  guint before = g_hash_table_size (self->unresolved);

  self->busy = FALSE;

  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Conflict check failed: %s", error->message);
      /* Looked at again later, with whatever else changed meanwhile. */
      self->catch_up = self->catch_up || self->catching_up;
      self->catching_up = FALSE;
      for (guint i = 0; self->in_flight != NULL && self->in_flight[i] != NULL; i++)
        g_hash_table_add (self->queued, g_strdup (self->in_flight[i]));
      g_clear_pointer (&self->in_flight, g_strfreev);
      schedule (self);
      return;
    }
  self->catching_up = FALSE;
  g_clear_pointer (&self->in_flight, g_strfreev);

  if (result->checked == NULL)
    g_hash_table_remove_all (self->unresolved);
  else
    {
      for (guint i = 0; result->checked[i] != NULL; i++)
        g_hash_table_remove (self->unresolved, result->checked[i]);
    }
  for (guint i = 0; result->unresolved[i] != NULL; i++)
    g_hash_table_add (self->unresolved, g_strdup (result->unresolved[i]));
  self->n_merged += result->n_merged;
  check_result_free (result);

  if (before != g_hash_table_size (self->unresolved) || g_hash_table_size (self->unresolved) > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNRESOLVED]);

  schedule (self);
}

static gboolean
on_idle (gpointer data)
{
  DengonConflictResolver *self = data;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;
  Check *check;

  self->idle_id = 0;
  if (self->busy || (!self->catch_up && g_hash_table_size (self->queued) == 0))
    return G_SOURCE_REMOVE;

  check = g_new0 (Check, 1);
  g_hash_table_iter_init (&iter, self->queued);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  check->ids = g_strv_builder_end (builder);
  check->catch_up = self->catch_up;
  /* Every change the signal brought is in this check (and those before the start in the
   * catch-up): once it is done, they are looked at. */
  check->record = MAX (self->start_seq, self->delivered_seq);
  check->unresolved = dengon_conflict_resolver_dup_unresolved (self);
  self->catching_up = self->catch_up;
  self->catch_up = FALSE;
  self->in_flight = g_strdupv (check->ids);
  g_hash_table_remove_all (self->queued);

  self->busy = TRUE;
  dengon_store_run_async_full (self->store, G_PRIORITY_LOW, check_thread, check,
                               (GDestroyNotify) check_free, (GDestroyNotify) check_result_free,
                               self->cancellable, on_checked, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule (DengonConflictResolver *self)
{
  if (self->idle_id != 0 || self->busy)
    return;
  if (!self->catch_up && g_hash_table_size (self->queued) == 0)
    return;

  self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_idle, self, NULL);
}

static void
on_store_changed (DengonStore *store, GPtrArray *changes, DengonConflictResolver *self)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = g_ptr_array_index (changes, i);

      /* A document that was new to this desk may have come with two leaves as well. */
      g_hash_table_add (self->queued, g_strdup (change->id));
      self->delivered_seq = MAX (self->delivered_seq, change->seq);
    }

  schedule (self);
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_conflict_resolver_get_property (GObject *object, guint prop_id, GValue *value,
                                       GParamSpec *pspec)
{
  DengonConflictResolver *self = DENGON_CONFLICT_RESOLVER (object);

  switch (prop_id)
    {
      case PROP_N_UNRESOLVED:
        g_value_set_uint (value, g_hash_table_size (self->unresolved));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_conflict_resolver_dispose (GObject *object)
{
  DengonConflictResolver *self = (DengonConflictResolver *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_signal_handler (&self->changed_id, self->store);

  G_OBJECT_CLASS (dengon_conflict_resolver_parent_class)->dispose (object);
}

static void
dengon_conflict_resolver_finalize (GObject *object)
{
  DengonConflictResolver *self = (DengonConflictResolver *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->queued, g_hash_table_unref);
  g_clear_pointer (&self->unresolved, g_hash_table_unref);
  g_clear_pointer (&self->in_flight, g_strfreev);

  G_OBJECT_CLASS (dengon_conflict_resolver_parent_class)->finalize (object);
}

static void
dengon_conflict_resolver_class_init (DengonConflictResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dengon_conflict_resolver_get_property;
  object_class->dispose = dengon_conflict_resolver_dispose;
  object_class->finalize = dengon_conflict_resolver_finalize;

  properties[PROP_N_UNRESOLVED] =
      g_param_spec_uint ("n-unresolved", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dengon_conflict_resolver_init (DengonConflictResolver *self)
{
  self->cancellable = g_cancellable_new ();
  self->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unresolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DengonConflictResolver *
dengon_conflict_resolver_new (DengonStore *store)
{
  DengonConflictResolver *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);

  self = g_object_new (DENGON_TYPE_CONFLICT_RESOLVER, NULL);
  self->store = g_object_ref (store);
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);

  /* What was left from before: what changed since the last check (every document the first
   * time). Changes from now on come through the signal. */
  self->start_seq = dengon_store_get_update_seq (store);
  self->catch_up = TRUE;
  schedule (self);

  return self;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GStrv
dengon_conflict_resolver_dup_unresolved (DengonConflictResolver *self)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (DENGON_IS_CONFLICT_RESOLVER (self), NULL);

  g_hash_table_iter_init (&iter, self->unresolved);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (ids, i));

  return g_strv_builder_end (builder);
}

guint
dengon_conflict_resolver_get_n_unresolved (DengonConflictResolver *self)
{
  g_return_val_if_fail (DENGON_IS_CONFLICT_RESOLVER (self), 0);

  return g_hash_table_size (self->unresolved);
}

guint
dengon_conflict_resolver_get_n_merged (DengonConflictResolver *self)
{
  g_return_val_if_fail (DENGON_IS_CONFLICT_RESOLVER (self), 0);

  return self->n_merged;
}

gboolean
dengon_conflict_resolver_is_idle (DengonConflictResolver *self)
{
  g_return_val_if_fail (DENGON_IS_CONFLICT_RESOLVER (self), TRUE);

  return !self->busy && self->idle_id == 0 && !self->catch_up &&
         g_hash_table_size (self->queued) == 0;
}

typedef struct
{
  char *id;
  char *rev;
} Choice;

static void
choice_free (Choice *choice)
{
  g_free (choice->id);
  g_free (choice->rev);
  g_free (choice);
}

static gpointer
choose_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Choice *choice = data;
  g_autoptr (GPtrArray) leaves = NULL;
  g_autoptr (JsonObject) chosen = NULL;
  const char *winner_rev;
  const char *keep_rev;

  leaves = dengon_store_get_leaves (store, choice->id, FALSE, error);
  if (leaves == NULL)
    return NULL;

  for (guint i = 0; i < leaves->len; i++)
    {
      JsonObject *leaf = g_ptr_array_index (leaves, i);

      if (g_strcmp0 (dengon_json_get_string (leaf, "_rev"), choice->rev) == 0)
        chosen = dengon_memo_copy (leaf);
    }
  if (chosen == NULL)
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
                   _ ("This version is no longer there: the document changed meanwhile."));
      return NULL;
    }

  winner_rev = dengon_json_get_string (g_ptr_array_index (leaves, 0), "_rev");
  keep_rev = winner_rev;
  if (!g_str_equal (winner_rev, choice->rev))
    {
      g_autofree char *written = NULL;

      /* The chosen content goes on the winning branch, as a new revision. */
      json_object_set_string_member (chosen, "_rev", winner_rev);
      json_object_remove_member (chosen, "_conflicts");
      written = dengon_store_put (store, chosen, error);
      if (written == NULL)
        return NULL;
    }

  if (!close_other_leaves (store, leaves, choice->id, keep_rev, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

static void
on_chosen (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;

  if (dengon_store_run_finish (DENGON_STORE (source), res, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
dengon_conflict_resolver_choose_async (DengonConflictResolver *self, const char *id,
                                       const char *rev, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Choice *choice;

  g_return_if_fail (DENGON_IS_CONFLICT_RESOLVER (self));
  g_return_if_fail (id != NULL && rev != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dengon_conflict_resolver_choose_async);

  choice = g_new0 (Choice, 1);
  choice->id = g_strdup (id);
  choice->rev = g_strdup (rev);
  dengon_store_run_async (self->store, choose_thread, choice, (GDestroyNotify) choice_free, NULL,
                          cancellable, on_chosen, task);
}

gboolean
dengon_conflict_resolver_choose_finish (DengonConflictResolver *self, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
