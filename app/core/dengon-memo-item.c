/* dengon-memo-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-json.h"
#include "dengon-memo-item.h"

/* One memo in a list: its key at once, its document when it has been
 * loaded (rows show a placeholder until then). */
struct _DengonMemoItem
{
  GObject parent_instance;

  gint64 key;
  JsonObject *doc;
};

enum
{
  PROP_0,
  PROP_KEY,
  PROP_LOADED,
  PROP_DOC,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (DengonMemoItem, dengon_memo_item, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
dengon_memo_item_finalize (GObject *object)
{
  DengonMemoItem *self = (DengonMemoItem *) object;

  g_clear_pointer (&self->doc, json_object_unref);

  G_OBJECT_CLASS (dengon_memo_item_parent_class)->finalize (object);
}

static void
dengon_memo_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonMemoItem *self = DENGON_MEMO_ITEM (object);

  switch (prop_id)
    {
      case PROP_KEY:
        g_value_set_int64 (value, self->key);
        break;

      case PROP_LOADED:
        g_value_set_boolean (value, self->doc != NULL);
        break;

      case PROP_DOC:
        g_value_set_boxed (value, self->doc);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_memo_item_class_init (DengonMemoItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dengon_memo_item_finalize;
  object_class->get_property = dengon_memo_item_get_property;

  properties[PROP_KEY] = g_param_spec_int64 ("key", NULL, NULL, 0, G_MAXINT64, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
      g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOC] =
      g_param_spec_boxed ("doc", NULL, NULL, JSON_TYPE_OBJECT,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dengon_memo_item_init (DengonMemoItem *self)
{
}

DengonMemoItem *
dengon_memo_item_new (gint64 key)
{
  DengonMemoItem *self = g_object_new (DENGON_TYPE_MEMO_ITEM, NULL);

  self->key = key;

  return self;
}

gint64
dengon_memo_item_get_key (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), 0);

  return self->key;
}

gboolean
dengon_memo_item_get_loaded (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), FALSE);

  return self->doc != NULL;
}

JsonObject *
dengon_memo_item_get_doc (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  return self->doc;
}

/* @doc: an immutable (sealed) memo document */
void
dengon_memo_item_set_doc (DengonMemoItem *self, JsonObject *doc)
{
  gboolean was_loaded;

  g_return_if_fail (DENGON_IS_MEMO_ITEM (self));

  if (self->doc == doc)
    return;

  was_loaded = self->doc != NULL;
  g_clear_pointer (&self->doc, json_object_unref);
  if (doc != NULL)
    self->doc = json_object_ref (doc);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOC]);
  if (was_loaded != (self->doc != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

const char *
dengon_memo_item_get_id (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  return dengon_json_get_string (self->doc, "_id");
}

const char *
dengon_memo_item_get_caller_name (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  return dengon_json_get_string (dengon_json_get_object (self->doc, "caller"), "name");
}

const char *
dengon_memo_item_get_company (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  return dengon_json_get_string (dengon_json_get_object (self->doc, "caller"), "company");
}

const char *
dengon_memo_item_get_number_display (DengonMemoItem *self)
{
  JsonObject *call;

  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  call = dengon_json_get_object (self->doc, "call");
  if (dengon_json_get_string (call, "number_display") != NULL)
    return dengon_json_get_string (call, "number_display");

  return dengon_json_get_string (call, "number");
}

const char *
dengon_memo_item_get_assignee (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  if (self->doc == NULL)
    return NULL;

  return dengon_memo_get_for (self->doc);
}

const char *
dengon_memo_item_get_category (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  return dengon_json_get_string (self->doc, "category");
}

char *
dengon_memo_item_dup_summary (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), NULL);

  if (self->doc == NULL)
    return g_strdup ("");

  return dengon_memo_get_summary (self->doc);
}

gboolean
dengon_memo_item_get_urgent (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), FALSE);

  return g_strcmp0 (dengon_json_get_string (self->doc, "urgency"), "urgent") == 0;
}

DengonMemoStatus
dengon_memo_item_get_status (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), DENGON_MEMO_STATUS_NEW);

  if (self->doc == NULL)
    return DENGON_MEMO_STATUS_NEW;

  return dengon_memo_get_status (self->doc);
}

gint64
dengon_memo_item_get_created_ms (DengonMemoItem *self)
{
  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), 0);

  /* The key carries it even before the document is loaded. */
  return self->key / 1024;
}

/* The requested callback deadline (ms), 0 when none. */
gint64
dengon_memo_item_get_callback_ms (DengonMemoItem *self)
{
  JsonObject *callback;

  g_return_val_if_fail (DENGON_IS_MEMO_ITEM (self), 0);

  callback = dengon_json_get_object (self->doc, "callback");
  if (!dengon_json_get_boolean (callback, "requested", FALSE))
    return 0;

  return dengon_json_timestamp_to_ms (dengon_json_get_string (callback, "by"));
}
