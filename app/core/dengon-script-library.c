/* dengon-script-library.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-script-library.h"

#define SCRIPTS_PATH "/org/dengon/Dengon/scripts"

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
dengon_script_library_builtin_docs (void)
{
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  g_auto (GStrv) names = NULL;

  names = g_resources_enumerate_children (SCRIPTS_PATH, 0, NULL);
  g_return_val_if_fail (names != NULL, g_steal_pointer (&docs));

  /* Resource order is not defined. */
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (sorted, names[i]);
  g_ptr_array_sort (sorted, compare_names);

  for (guint i = 0; i < sorted->len; i++)
    {
      g_autofree char *path = g_strconcat (SCRIPTS_PATH "/", g_ptr_array_index (sorted, i), NULL);
      g_autoptr (GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
      g_autoptr (JsonObject) sealed = NULL;
      g_autoptr (GError) error = NULL;
      gsize size = 0;
      const char *data;

      if (bytes == NULL)
        continue;
      data = g_bytes_get_data (bytes, &size);
      sealed = dengon_json_parse_object (data, size, &DENGON_JSON_LIMITS_DEFAULT, &error);
      if (sealed == NULL)
        {
          g_critical ("Shipped script %s: %s", path, error->message);
          continue;
        }
      g_ptr_array_add (docs, dengon_memo_copy (sealed));
    }

  return g_steal_pointer (&docs);
}

DengonScript *
dengon_script_library_builtin (const char *id)
{
  g_autoptr (GPtrArray) docs = dengon_script_library_builtin_docs ();

  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      g_autoptr (GError) error = NULL;
      DengonScript *script;

      if (g_strcmp0 (dengon_json_get_string (doc, "_id"), id) != 0)
        continue;
      script = dengon_script_new_from_json (doc, &error);
      if (script == NULL)
        g_critical ("Shipped script %s: %s", id, error->message);
      return script;
    }

  return NULL;
}

DengonScript *
dengon_script_library_builtin_default (const char *lang, const char *direction)
{
  g_autofree char *id = NULL;
  DengonScript *script;

  lang = g_str_has_prefix (lang != NULL ? lang : "ja", "ja") ? "ja" : "en";
  direction = g_strcmp0 (direction, "out") == 0 ? "out" : "in";
  id = g_strdup_printf ("script:%s-%s", strcmp (direction, "out") == 0 ? "followup" : "general",
                        lang);
  script = dengon_script_library_builtin (id);
  g_assert (script != NULL);

  return script;
}

gboolean
dengon_script_library_import_defaults (DengonStore *store, guint *n_imported, GError **error)
{
  g_autoptr (GPtrArray) docs = dengon_script_library_builtin_docs ();
  guint n = 0;

  g_return_val_if_fail (DENGON_IS_STORE (store), FALSE);

  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      const char *id = dengon_json_get_string (doc, "_id");
      g_autoptr (JsonObject) existing = NULL;
      g_autoptr (GError) local_error = NULL;
      g_autofree char *rev = NULL;

      /* Deleted counts as there: the office removed it on purpose. */
      existing = dengon_store_get_full (store, id, NULL, DENGON_STORE_GET_DELETED, &local_error);
      if (existing != NULL)
        continue;
      if (!g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);

      rev = dengon_store_put (store, doc, &local_error);
      if (rev == NULL)
        {
          /* Another desk's copy arrived meanwhile: theirs is as good. */
          if (g_error_matches (local_error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      n++;
    }

  if (n_imported != NULL)
    *n_imported = n;

  return TRUE;
}

static int
compare_scripts (gconstpointer a, gconstpointer b)
{
  DengonScript *sa = *(DengonScript *const *) a;
  DengonScript *sb = *(DengonScript *const *) b;
  int oa = dengon_script_get_order (sa);
  int ob = dengon_script_get_order (sb);

  if (oa != ob)
    return oa < ob ? -1 : 1;

  return g_utf8_collate (dengon_script_get_name (sa), dengon_script_get_name (sb));
}

gboolean
dengon_script_library_load (DengonStore *store, GPtrArray **scripts, GPtrArray **problems,
                            GError **error)
{
  g_autoptr (GPtrArray) docs = NULL;
  g_autoptr (GPtrArray) valid =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_script_unref);
  g_autoptr (GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (DENGON_IS_STORE (store), FALSE);
  g_return_val_if_fail (scripts != NULL, FALSE);

  docs = dengon_store_list_by_type (store, "script", error);
  if (docs == NULL)
    return FALSE;

  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      g_autoptr (GError) script_error = NULL;
      DengonScript *script = dengon_script_new_from_json (doc, &script_error);

      if (script != NULL)
        g_ptr_array_add (valid, script);
      else
        g_ptr_array_add (bad, g_strdup_printf ("%s: %s", dengon_json_get_string (doc, "_id"),
                                               script_error->message));
    }

  g_ptr_array_sort (valid, compare_scripts);
  *scripts = g_steal_pointer (&valid);
  if (problems != NULL)
    *problems = g_steal_pointer (&bad);

  return TRUE;
}

DengonScript *
dengon_script_library_pick (GPtrArray *scripts, const char *wanted_id, const char *lang,
                            const char *direction)
{
  lang = g_str_has_prefix (lang != NULL ? lang : "ja", "ja") ? "ja" : "en";
  direction = g_strcmp0 (direction, "out") == 0 ? "out" : "in";

  for (guint i = 0; scripts != NULL && i < scripts->len; i++)
    {
      DengonScript *script = g_ptr_array_index (scripts, i);

      if (wanted_id != NULL && g_strcmp0 (dengon_script_get_id (script), wanted_id) == 0)
        return dengon_script_ref (script);
    }

  for (guint i = 0; scripts != NULL && i < scripts->len; i++)
    {
      DengonScript *script = g_ptr_array_index (scripts, i);

      if (!g_str_has_prefix (dengon_script_get_language (script), lang) ||
          strcmp (dengon_script_get_direction (script), direction) != 0)
        continue;
      if (dengon_script_is_default (script))
        return dengon_script_ref (script);
    }

  /* The office's default is broken or gone: the shipped one is never broken. */
  return dengon_script_library_builtin_default (lang, direction);
}
