/* dengon-seed.c: write documents into a Dengon database through the real store
 *
 *   dengon-seed DATABASE FILE.json   (a JSON array of documents)
 *
 * Memos may give "created_minutes_ago": N instead of "created_at", so a
 * test's "today" stays today.  For tests and screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-store.h"

static void
resolve_times (JsonObject *doc)
{
  static const char *members[][2] = { { "created_minutes_ago", "created_at" },
                                      { "callback_minutes_ahead", NULL } };
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  if (json_object_has_member (doc, members[0][0]))
    {
      g_autoptr (GDateTime) created =
          g_date_time_add_minutes (now, -dengon_json_get_int (doc, members[0][0], 0));
      g_autofree char *text = dengon_json_timestamp (created);
      JsonArray *history = dengon_json_get_array (doc, "history");

      json_object_set_string_member (doc, "created_at", text);
      json_object_remove_member (doc, members[0][0]);
      /* The create event happens when the memo was created. */
      if (history != NULL && json_array_get_length (history) > 0)
        json_object_set_string_member (json_array_get_object_element (history, 0), "at", text);
    }

  if (json_object_has_member (doc, members[1][0]))
    {
      g_autoptr (GDateTime) by =
          g_date_time_add_minutes (now, dengon_json_get_int (doc, members[1][0], 0));
      g_autofree char *text = dengon_json_timestamp (by);

      json_object_set_string_member (dengon_json_ensure_object (doc, "callback"), "by", text);
      json_object_set_boolean_member (dengon_json_get_object (doc, "callback"), "requested", TRUE);
      json_object_remove_member (doc, members[1][0]);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *docs;

  if (argc != 3)
    {
      g_printerr ("usage: %s DATABASE FILE.json\n", argv[0]);
      return 2;
    }

  store = dengon_store_open (argv[1], &error);
  if (store == NULL || !json_parser_load_from_file (parser, argv[2], &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  docs = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *doc = json_array_get_object_element (docs, i);
      g_autofree char *rev = NULL;

      resolve_times (doc);
      if (dengon_memo_is_memo (doc))
        dengon_memo_recompute (doc);
      rev = dengon_store_put (store, doc, &error);
      if (rev == NULL)
        {
          g_printerr ("%s: %s\n", dengon_json_get_string (doc, "_id"), error->message);
          return 1;
        }
    }

  return 0;
}
