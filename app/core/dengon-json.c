/* dengon-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dengon-json.h"

G_DEFINE_QUARK (dengon - json - error - quark, dengon_json_error)

/* json-glib parses recursively and has no limits of its own: anything that
 * comes from a peer is measured here first, in one pass over the bytes. */
gboolean
dengon_json_check_limits (const char *data, gsize length, const DengonJsonLimits *limits,
                          GError **error)
{
  DengonJsonLimits defaults = DENGON_JSON_LIMITS_DEFAULT;
  const char *end_valid = NULL;
  gboolean in_string = FALSE;
  gsize string_start = 0;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (limits == NULL)
    limits = &defaults;

  if (length > limits->max_bytes)
    {
      g_set_error (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_TOO_LARGE,
                   "JSON text of %" G_GSIZE_FORMAT " bytes is over the limit of %" G_GSIZE_FORMAT,
                   length, limits->max_bytes);
      return FALSE;
    }

  if (!g_utf8_validate_len (data, length, &end_valid))
    {
      g_set_error (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_INVALID,
                   "JSON text is not valid UTF-8 at byte %" G_GSIZE_FORMAT,
                   (gsize) (end_valid - data));
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (i - string_start > limits->max_string_bytes)
                {
                  g_set_error (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_STRING_TOO_LONG,
                               "a JSON string of %" G_GSIZE_FORMAT " bytes is over the limit of "
                               "%" G_GSIZE_FORMAT,
                               i - string_start, limits->max_string_bytes);
                  return FALSE;
                }
            }
          continue;
        }

      switch (c)
        {
          case '"':
            in_string = TRUE;
            string_start = i + 1;
            break;

          case '{':
          case '[':
            if (++depth > limits->max_depth)
              {
                g_set_error (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_TOO_DEEP,
                             "JSON nested deeper than %u levels", limits->max_depth);
                return FALSE;
              }
            break;

          case '}':
          case ']':
            if (depth > 0)
              depth--;
            break;

          default:
            break;
        }
    }

  if (in_string && length - string_start > limits->max_string_bytes)
    {
      g_set_error (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_STRING_TOO_LONG,
                   "a JSON string is over the limit of %" G_GSIZE_FORMAT " bytes",
                   limits->max_string_bytes);
      return FALSE;
    }

  return TRUE;
}

JsonNode *
dengon_json_parse (const char *data, gssize length, const DengonJsonLimits *limits, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);

  if (!dengon_json_check_limits (data, length, limits, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_INVALID, "invalid JSON: %s",
                   local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_INVALID, "empty JSON text");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

JsonObject *
dengon_json_parse_object (const char *data, gssize length, const DengonJsonLimits *limits,
                          GError **error)
{
  g_autoptr (JsonNode) node = dengon_json_parse (data, length, limits, error);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, DENGON_JSON_ERROR, DENGON_JSON_ERROR_INVALID,
                           "expected a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (node));
}

static void
append_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
          case '"':
            g_string_append (out, "\\\"");
            break;
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\r':
            g_string_append (out, "\\r");
            break;
          case '\t':
            g_string_append (out, "\\t");
            break;
          case '\b':
            g_string_append (out, "\\b");
            break;
          case '\f':
            g_string_append (out, "\\f");
            break;
          default:
            if (c < 0x20)
              g_string_append_printf (out, "\\u%04x", c);
            else
              g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
append_canonical (GString *out, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
      case JSON_NODE_OBJECT:
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr (GList) members = json_object_get_members (object);
          g_autoptr (GPtrArray) names = g_ptr_array_new ();

          for (GList *l = members; l; l = l->next)
            g_ptr_array_add (names, l->data);
          g_ptr_array_sort (names, compare_strings);

          g_string_append_c (out, '{');
          for (guint i = 0; i < names->len; i++)
            {
              if (i > 0)
                g_string_append_c (out, ',');
              append_string (out, g_ptr_array_index (names, i));
              g_string_append_c (out, ':');
              append_canonical (out, json_object_get_member (object, g_ptr_array_index (names, i)));
            }
          g_string_append_c (out, '}');
        }
        break;

      case JSON_NODE_ARRAY:
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);

          g_string_append_c (out, '[');
          for (guint i = 0; i < n; i++)
            {
              if (i > 0)
                g_string_append_c (out, ',');
              append_canonical (out, json_array_get_element (array, i));
            }
          g_string_append_c (out, ']');
        }
        break;

      case JSON_NODE_VALUE:
        {
          GType type = json_node_get_value_type (node);

          if (type == G_TYPE_STRING)
            append_string (out, json_node_get_string (node));
          else if (type == G_TYPE_INT64)
            g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          else if (type == G_TYPE_BOOLEAN)
            g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          else if (type == G_TYPE_DOUBLE)
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
            }
          else
            g_string_append (out, "null");
        }
        break;

      case JSON_NODE_NULL:
      default:
        g_string_append (out, "null");
        break;
    }
}

/* Sorted keys, no whitespace: the same document gives the same bytes on
 * every desk (revision ids are hashed from it). */
char *
dengon_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_canonical (out, node);

  return g_string_free (out, FALSE);
}

char *
dengon_json_canonical_object (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return dengon_json_canonical (node);
}

char *
dengon_json_to_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return json_to_string (node, FALSE);
}

char *
dengon_json_object_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

JsonObject *
dengon_json_object_copy (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr (JsonNode) copy = json_node_copy (node);
  g_autofree char *text = NULL;

  /* json_node_copy is shallow for objects: go through text for a deep copy. */
  text = json_to_string (copy, FALSE);
  return dengon_json_parse_object (text, -1, NULL, NULL);
}

gboolean
dengon_json_object_equal (JsonObject *a, JsonObject *b)
{
  g_autofree char *ca = dengon_json_canonical_object (a);
  g_autofree char *cb = dengon_json_canonical_object (b);

  return g_strcmp0 (ca, cb) == 0;
}

const char *
dengon_json_get_string (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

JsonObject *
dengon_json_get_object (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonArray *
dengon_json_get_array (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

gboolean
dengon_json_get_boolean (JsonObject *object, const char *member, gboolean fallback)
{
  JsonNode *node;

  if (object == NULL)
    return fallback;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;

  return json_node_get_boolean (node);
}

gint64
dengon_json_get_int (JsonObject *object, const char *member, gint64 fallback)
{
  JsonNode *node;

  if (object == NULL)
    return fallback;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);

  return fallback;
}

JsonObject *
dengon_json_ensure_object (JsonObject *object, const char *member)
{
  JsonObject *child = dengon_json_get_object (object, member);

  if (child == NULL)
    {
      child = json_object_new ();
      json_object_set_object_member (object, member, child);
    }

  return child;
}

void
dengon_json_set_string_or_null (JsonObject *object, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* RFC 3339, UTC, milliseconds: "2026-11-23T08:15:30.123Z". */
char *
dengon_json_timestamp (GDateTime *time)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

char *
dengon_json_timestamp_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return dengon_json_timestamp (now);
}

GDateTime *
dengon_json_parse_timestamp (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;

  return g_date_time_new_from_iso8601 (text, NULL);
}

/* Milliseconds since the epoch, or 0 when @text is not a timestamp. */
gint64
dengon_json_timestamp_to_ms (const char *text)
{
  g_autoptr (GDateTime) time = dengon_json_parse_timestamp (text);

  if (time == NULL)
    return 0;

  return g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
}
