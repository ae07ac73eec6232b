/* dengon-json.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DENGON_JSON_ERROR (dengon_json_error_quark ())

typedef enum
{
  DENGON_JSON_ERROR_TOO_LARGE,
  DENGON_JSON_ERROR_TOO_DEEP,
  DENGON_JSON_ERROR_STRING_TOO_LONG,
  DENGON_JSON_ERROR_INVALID,
} DengonJsonError;

/* Limits for JSON that comes from the network or from a file. */
typedef struct
{
  gsize max_bytes;
  guint max_depth;
  gsize max_string_bytes;
} DengonJsonLimits;

#define DENGON_JSON_LIMITS_DEFAULT                                                  \
  (DengonJsonLimits)                                                                \
  {                                                                                 \
    .max_bytes = 64 * 1024 * 1024, .max_depth = 32, .max_string_bytes = 1024 * 1024 \
  }

GQuark dengon_json_error_quark (void);

JsonNode *dengon_json_parse (const char *data, gssize length, const DengonJsonLimits *limits,
                             GError **error);
JsonObject *dengon_json_parse_object (const char *data, gssize length,
                                      const DengonJsonLimits *limits, GError **error);
gboolean dengon_json_check_limits (const char *data, gsize length, const DengonJsonLimits *limits,
                                   GError **error);

char *dengon_json_canonical (JsonNode *node);
char *dengon_json_canonical_object (JsonObject *object);
char *dengon_json_to_string (JsonNode *node);
char *dengon_json_object_to_string (JsonObject *object);

JsonObject *dengon_json_object_copy (JsonObject *object);
gboolean dengon_json_object_equal (JsonObject *a, JsonObject *b);

const char *dengon_json_get_string (JsonObject *object, const char *member);
JsonObject *dengon_json_get_object (JsonObject *object, const char *member);
JsonArray *dengon_json_get_array (JsonObject *object, const char *member);
gboolean dengon_json_get_boolean (JsonObject *object, const char *member, gboolean fallback);
gint64 dengon_json_get_int (JsonObject *object, const char *member, gint64 fallback);
JsonObject *dengon_json_ensure_object (JsonObject *object, const char *member);
void dengon_json_set_string_or_null (JsonObject *object, const char *member, const char *value);

char *dengon_json_timestamp_now (void);
char *dengon_json_timestamp (GDateTime *time);
GDateTime *dengon_json_parse_timestamp (const char *text);
gint64 dengon_json_timestamp_to_ms (const char *text);

G_END_DECLS
