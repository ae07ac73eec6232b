/* seed-docs.c: put documents into a Dengon database through the real store (for UI tests,
 * screenshots and benchmarks).
 *
 *   seed-docs DATABASE FILE.json   FILE holds one JSON array of documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-store.h"

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  JsonArray *docs;

  if (argc != 3)
    {
      g_printerr ("usage: %s DATABASE FILE.json\n", argv[0]);
      return 2;
    }

  if (!g_file_get_contents (argv[2], &text, &length, &error) ||
      (root = dengon_json_parse (text, length, &DENGON_JSON_LIMITS_DEFAULT, &error)) == NULL)
    {
      g_printerr ("%s: %s\n", argv[2], error->message);
      return 1;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_printerr ("%s: not a JSON array\n", argv[2]);
      return 1;
    }

  store = dengon_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }

  docs = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      g_autoptr (JsonObject) doc = dengon_memo_copy (json_array_get_object_element (docs, i));
      g_autofree char *rev = dengon_store_put (store, doc, &error);

      if (rev == NULL)
        {
          g_printerr ("document %u: %s\n", i, error->message);
          return 1;
        }
    }

  return 0;
}
