/* dengon-staff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-staff.h"

G_DEFINE_QUARK (dengon - staff - error - quark, dengon_staff_error)

static const char *const role_names[] = {
  [DENGON_STAFF_ROLE_STAFF] = "staff",
  [DENGON_STAFF_ROLE_OWNER] = "owner",
  [DENGON_STAFF_ROLE_FIELD_SALES] = "field_sales",
  NULL,
};

const char *
dengon_staff_role_to_string (DengonStaffRole role)
{
  g_return_val_if_fail (role < G_N_ELEMENTS (role_names) - 1, "staff");

  return role_names[role];
}

DengonStaffRole
dengon_staff_role_from_string (const char *text)
{
  for (guint i = 0; role_names[i] != NULL; i++)
    {
      if (g_strcmp0 (text, role_names[i]) == 0)
        return i;
    }

  return DENGON_STAFF_ROLE_STAFF;
}

const char *
dengon_staff_role_get_label (DengonStaffRole role)
{
  switch (role)
    {
      case DENGON_STAFF_ROLE_OWNER:
        return C_ ("staff role", "Owner");
      case DENGON_STAFF_ROLE_FIELD_SALES:
        return C_ ("staff role", "Field sales");
      case DENGON_STAFF_ROLE_STAFF:
      default:
        return C_ ("staff role", "Staff");
    }
}

/* "staff:" and the login in lower case, letters, digits, '.', '_' and '-'
 * only; NULL when nothing usable is left. */
char *
dengon_staff_id_for_login (const char *login)
{
  g_autoptr (GString) id = g_string_new ("staff:");

  if (login == NULL)
    return NULL;

  for (const char *p = login; *p && id->len < 64; p++)
    {
      char c = g_ascii_tolower (*p);

      if (g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-')
        g_string_append_c (id, c);
    }

  if (id->len == strlen ("staff:"))
    return NULL;

  return g_string_free (g_steal_pointer (&id), FALSE);
}

JsonObject *
dengon_staff_new (const char *id, const char *name, const char *reading, const char *extension,
                  DengonStaffRole role)
{
  JsonObject *doc = json_object_new ();

  g_return_val_if_fail (id != NULL, NULL);

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "type", "staff");
  json_object_set_string_member (doc, "name", name != NULL ? name : "");
  dengon_json_set_string_or_null (doc, "reading", reading != NULL && *reading ? reading : NULL);
  dengon_json_set_string_or_null (doc, "extension",
                                  extension != NULL && *extension ? extension : NULL);
  json_object_set_string_member (doc, "role", dengon_staff_role_to_string (role));
  json_object_set_boolean_member (doc, "active", TRUE);

  return doc;
}

/* The person using this computer, for "Just me": the login and real name. */
JsonObject *
dengon_staff_new_for_this_user (void)
{
  g_autofree char *id = dengon_staff_id_for_login (g_get_user_name ());
  const char *name = g_get_real_name ();

  if (id == NULL)
    id = g_strdup ("staff:me");
  if (name == NULL || *name == '\0' || g_str_equal (name, "Unknown"))
    name = g_get_user_name ();

  return dengon_staff_new (id, name, NULL, NULL, DENGON_STAFF_ROLE_OWNER);
}

static gboolean
invalid (GError **error, const char *field, const char *message)
{
  g_set_error (error, DENGON_STAFF_ERROR, DENGON_STAFF_ERROR_INVALID, "%s: %s", field, message);
  return FALSE;
}

gboolean
dengon_staff_validate (JsonObject *doc, GError **error)
{
  const char *id = dengon_json_get_string (doc, "_id");
  const char *name = dengon_json_get_string (doc, "name");
  const char *role = dengon_json_get_string (doc, "role");

  if (id == NULL || !g_str_has_prefix (id, "staff:") || strlen (id) <= strlen ("staff:") ||
      strlen (id) > 80)
    return invalid (error, "_id", "must be \"staff:<login>\"");
  if (g_strcmp0 (dengon_json_get_string (doc, "type"), "staff") != 0)
    return invalid (error, "type", "must be \"staff\"");
  if (name == NULL || g_utf8_strlen (name, -1) == 0 || g_utf8_strlen (name, -1) > 100)
    return invalid (error, "name", "must have 1 to 100 characters");
  if (dengon_json_get_string (doc, "reading") != NULL &&
      g_utf8_strlen (dengon_json_get_string (doc, "reading"), -1) > 100)
    return invalid (error, "reading", "longer than 100 characters");
  if (dengon_json_get_string (doc, "extension") != NULL &&
      strlen (dengon_json_get_string (doc, "extension")) > 20)
    return invalid (error, "extension", "longer than 20 characters");
  if (role != NULL && !g_strv_contains ((const char *const *) role_names, role))
    return invalid (error, "role", "must be owner, staff or field_sales");

  return TRUE;
}

/* ------------------------------------------------------------------ duty */

static int
minutes_of (const char *hhmm)
{
  int h, m;

  if (hhmm == NULL || sscanf (hhmm, "%d:%d", &h, &m) != 2 || h < 0 || h > 24 || m < 0 || m > 59)
    return -1;

  return h * 60 + m;
}

/* Who picks up now: someone who said "I'm on the phone" (until the end of
 * that day), else the weekly schedule, else nobody. */
const char *
dengon_duty_who (JsonObject *duty, GDateTime *now)
{
  JsonObject *manual = dengon_json_get_object (duty, "manual");
  JsonArray *schedule = dengon_json_get_array (duty, "schedule");
  int weekday, minute;

  if (duty == NULL || now == NULL)
    return NULL;

  if (manual != NULL && dengon_json_get_string (manual, "staff") != NULL)
    {
      g_autoptr (GDateTime) until =
          dengon_json_parse_timestamp (dengon_json_get_string (manual, "until"));

      if (until == NULL || g_date_time_compare (now, until) < 0)
        return dengon_json_get_string (manual, "staff");
    }

  weekday = g_date_time_get_day_of_week (now);
  minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

  for (guint i = 0; schedule != NULL && i < json_array_get_length (schedule); i++)
    {
      JsonNode *node = json_array_get_element (schedule, i);
      JsonObject *slot = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *days = dengon_json_get_array (slot, "days");
      gboolean today = FALSE;

      for (guint d = 0; days != NULL && d < json_array_get_length (days); d++)
        today |= json_array_get_int_element (days, d) == weekday;

      if (today && minute >= minutes_of (dengon_json_get_string (slot, "from")) &&
          minute < minutes_of (dengon_json_get_string (slot, "to")))
        return dengon_json_get_string (slot, "staff");
    }

  return NULL;
}

static JsonObject *
duty_copy (JsonObject *duty)
{
  JsonObject *copy = duty != NULL ? dengon_json_object_copy (duty) : NULL;
  JsonObject *mutable_copy = json_object_new ();

  /* dengon_json_object_copy seals: rebuild a mutable one. */
  if (copy != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (copy);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (mutable_copy, l->data,
                                json_node_copy (json_object_get_member (copy, l->data)));
      json_object_unref (copy);
    }

  json_object_set_string_member (mutable_copy, "_id", DENGON_DUTY_ID);
  json_object_set_string_member (mutable_copy, "type", "duty");
  if (!json_object_has_member (mutable_copy, "schedule"))
    json_object_set_array_member (mutable_copy, "schedule", json_array_new ());

  return mutable_copy;
}

/* @staff_id picks up from now to the end of the local day. */
JsonObject *
dengon_duty_take (JsonObject *duty, const char *staff_id, GDateTime *now)
{
  JsonObject *copy = duty_copy (duty);
  JsonObject *manual = json_object_new ();
  g_autoptr (GDateTime) local = g_date_time_to_local (now);
  g_autoptr (GDateTime) midnight =
      g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr (GDateTime) end = g_date_time_add_days (midnight, 1);
  g_autofree char *since = dengon_json_timestamp (now);
  g_autofree char *until = dengon_json_timestamp (end);

  json_object_set_string_member (manual, "staff", staff_id);
  json_object_set_string_member (manual, "since", since);
  json_object_set_string_member (manual, "until", until);
  json_object_set_object_member (copy, "manual", manual);

  return copy;
}

JsonObject *
dengon_duty_release (JsonObject *duty)
{
  JsonObject *copy = duty_copy (duty);

  json_object_set_null_member (copy, "manual");

  return copy;
}

/* ------------------------------------------------------------------ item */

struct _DengonStaffItem
{
  GObject parent_instance;

  JsonObject *doc;
  gboolean on_duty;
};

G_DEFINE_FINAL_TYPE (DengonStaffItem, dengon_staff_item, G_TYPE_OBJECT)

static void
dengon_staff_item_finalize (GObject *object)
{
  DengonStaffItem *self = (DengonStaffItem *) object;

  g_clear_pointer (&self->doc, json_object_unref);

  G_OBJECT_CLASS (dengon_staff_item_parent_class)->finalize (object);
}

static void
dengon_staff_item_class_init (DengonStaffItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dengon_staff_item_finalize;
}

static void
dengon_staff_item_init (DengonStaffItem *self)
{
}

const char *
dengon_staff_item_get_id (DengonStaffItem *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), NULL);

  return dengon_json_get_string (self->doc, "_id");
}

const char *
dengon_staff_item_get_name (DengonStaffItem *self)
{
  const char *name;

  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), NULL);

  name = dengon_json_get_string (self->doc, "name");
  if (name == NULL || *name == '\0')
    name = dengon_staff_item_get_id (self) + strlen ("staff:");

  return name;
}

const char *
dengon_staff_item_get_reading (DengonStaffItem *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), NULL);

  return dengon_json_get_string (self->doc, "reading");
}

const char *
dengon_staff_item_get_extension (DengonStaffItem *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), NULL);

  return dengon_json_get_string (self->doc, "extension");
}

DengonStaffRole
dengon_staff_item_get_role (DengonStaffItem *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), DENGON_STAFF_ROLE_STAFF);

  return dengon_staff_role_from_string (dengon_json_get_string (self->doc, "role"));
}

gboolean
dengon_staff_item_get_active (DengonStaffItem *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), FALSE);

  return dengon_json_get_boolean (self->doc, "active", TRUE);
}

gboolean
dengon_staff_item_get_on_duty (DengonStaffItem *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), FALSE);

  return self->on_duty;
}

JsonObject *
dengon_staff_item_get_doc (DengonStaffItem *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_ITEM (self), NULL);

  return self->doc;
}

/* ------------------------------------------------------------------ model */

struct _DengonStaffModel
{
  GObject parent_instance;

  DengonStore *store;
  GPtrArray *items;
  JsonObject *duty;
  char *on_duty;
  GCancellable *cancellable;
  GDateTime *(*now) (void);
  guint duty_timeout;
  guint generation;
};

enum
{
  MODEL_PROP_0,
  MODEL_PROP_ON_DUTY,
  MODEL_N_PROPS
};

static GParamSpec *model_properties[MODEL_N_PROPS];

static void staff_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DengonStaffModel, dengon_staff_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, staff_model_iface_init))

static GType
staff_model_get_item_type (GListModel *model)
{
  return DENGON_TYPE_STAFF_ITEM;
}

static guint
staff_model_get_n_items (GListModel *model)
{
  return DENGON_STAFF_MODEL (model)->items->len;
}

static gpointer
staff_model_get_item (GListModel *model, guint position)
{
  DengonStaffModel *self = DENGON_STAFF_MODEL (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
staff_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = staff_model_get_item_type;
  iface->get_n_items = staff_model_get_n_items;
  iface->get_item = staff_model_get_item;
}

static int
compare_staff (gconstpointer a, gconstpointer b)
{
  DengonStaffItem *sa = *(DengonStaffItem **) a;
  DengonStaffItem *sb = *(DengonStaffItem **) b;
  const char *ka, *kb;

  if (sa->on_duty != sb->on_duty)
    return sa->on_duty ? -1 : 1;
  if (dengon_staff_item_get_active (sa) != dengon_staff_item_get_active (sb))
    return dengon_staff_item_get_active (sa) ? -1 : 1;

  /* By reading (kana sorts as Japanese expect), else by name. */
  ka = dengon_staff_item_get_reading (sa) ? dengon_staff_item_get_reading (sa)
                                          : dengon_staff_item_get_name (sa);
  kb = dengon_staff_item_get_reading (sb) ? dengon_staff_item_get_reading (sb)
                                          : dengon_staff_item_get_name (sb);

  return g_utf8_collate (ka, kb);
}

static GDateTime *
default_now (void)
{
  return g_date_time_new_now_local ();
}

static void schedule_duty_refresh (DengonStaffModel *self);

/* Sorts again and tells who is on duty now. */
static void
apply_duty (DengonStaffModel *self)
{
  g_autoptr (GDateTime) now = self->now ();
  const char *who = dengon_duty_who (self->duty, now);
  guint n = self->items->len;

  for (guint i = 0; i < n; i++)
    {
      DengonStaffItem *item = g_ptr_array_index (self->items, i);

      item->on_duty = g_strcmp0 (who, dengon_staff_item_get_id (item)) == 0;
    }
  g_ptr_array_sort (self->items, compare_staff);

  if (g_strcmp0 (who, self->on_duty) != 0)
    {
      g_free (self->on_duty);
      self->on_duty = g_strdup (who);
      g_object_notify_by_pspec (G_OBJECT (self), model_properties[MODEL_PROP_ON_DUTY]);
    }

  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);

  schedule_duty_refresh (self);
}

static gboolean
on_duty_timeout (gpointer user_data)
{
  DengonStaffModel *self = user_data;

  self->duty_timeout = 0;
  apply_duty (self);

  return G_SOURCE_REMOVE;
}

/* The roster changes at the start or end of a slot, or when a manual turn
 * ends: wake up then, not every minute. */
static void
schedule_duty_refresh (DengonStaffModel *self)
{
  g_autoptr (GDateTime) now = self->now ();
  JsonArray *schedule = dengon_json_get_array (self->duty, "schedule");
  JsonObject *manual = dengon_json_get_object (self->duty, "manual");
  gint64 now_s = g_date_time_to_unix (now), next = G_MAXINT64;
  int minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

  g_clear_handle_id (&self->duty_timeout, g_source_remove);

  if (manual != NULL)
    {
      g_autoptr (GDateTime) until =
          dengon_json_parse_timestamp (dengon_json_get_string (manual, "until"));

      if (until != NULL && g_date_time_to_unix (until) > now_s)
        next = MIN (next, g_date_time_to_unix (until));
    }

  for (guint i = 0; schedule != NULL && i < json_array_get_length (schedule); i++)
    {
      JsonNode *node = json_array_get_element (schedule, i);
      JsonObject *slot = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      int bounds[2] = { minutes_of (dengon_json_get_string (slot, "from")),
                        minutes_of (dengon_json_get_string (slot, "to")) };

      /* The next boundary today, or tomorrow at worst. */
      for (guint b = 0; b < 2; b++)
        {
          int delta;

          if (bounds[b] < 0)
            continue;
          delta = bounds[b] - minute;
          if (delta <= 0)
            delta += 24 * 60;
          next = MIN (next, now_s - g_date_time_get_second (now) + delta * 60);
        }
    }

  if (next != G_MAXINT64)
    self->duty_timeout = g_timeout_add_seconds_full (
        G_PRIORITY_DEFAULT, (guint) MAX (next - now_s, 1), on_duty_timeout, self, NULL);
}

typedef struct
{
  GPtrArray *staff;
  JsonObject *duty;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->staff, g_ptr_array_unref);
  g_clear_pointer (&loaded->duty, json_object_unref);
  g_free (loaded);
}

static gpointer
load_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  Loaded *loaded = g_new0 (Loaded, 1);

  loaded->staff = dengon_store_list_by_type (store, "staff", error);
  if (loaded->staff == NULL)
    {
      loaded_free (loaded);
      return NULL;
    }
  loaded->duty = dengon_store_get (store, DENGON_DUTY_ID, NULL);

  return loaded;
}

typedef struct
{
  DengonStaffModel *self;
  guint generation;
} LoadContext;

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LoadContext *context = user_data;
  g_autoptr (DengonStaffModel) self = context->self;
  g_autoptr (GError) error = NULL;
  Loaded *loaded;
  guint removed;
  guint generation = context->generation;

  g_free (context);
  loaded = dengon_store_run_finish (DENGON_STORE (source), result, &error);
  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load the staff list: %s", error->message);
      return;
    }
  if (generation != self->generation)
    {
      loaded_free (loaded);
      return;
    }

  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < loaded->staff->len; i++)
    {
      DengonStaffItem *item = g_object_new (DENGON_TYPE_STAFF_ITEM, NULL);

      item->doc = json_object_ref (g_ptr_array_index (loaded->staff, i));
      g_ptr_array_add (self->items, item);
    }

  g_clear_pointer (&self->duty, json_object_unref);
  self->duty = g_steal_pointer (&loaded->duty);
  loaded_free (loaded);

  /* A handful of people: the whole list is replaced. */
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  g_ptr_array_sort (self->items, compare_staff);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->items->len);
  apply_duty (self);
}

static void
reload (DengonStaffModel *self)
{
  LoadContext *context = g_new0 (LoadContext, 1);

  context->self = g_object_ref (self);
  context->generation = ++self->generation;
  dengon_store_run_async (self->store, load_thread, NULL, NULL, (GDestroyNotify) loaded_free,
                          self->cancellable, on_loaded, context);
}

static void
on_store_changed (DengonStaffModel *self, GPtrArray *changes, DengonStore *store)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DengonStoreChange *change = changes->pdata[i];

      if (g_str_has_prefix (change->id, "staff:") || g_str_equal (change->id, DENGON_DUTY_ID))
        {
          reload (self);
          return;
        }
    }
}

static void
dengon_staff_model_dispose (GObject *object)
{
  DengonStaffModel *self = DENGON_STAFF_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->duty_timeout, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dengon_staff_model_parent_class)->dispose (object);
}

static void
dengon_staff_model_finalize (GObject *object)
{
  DengonStaffModel *self = DENGON_STAFF_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->duty, json_object_unref);
  g_clear_pointer (&self->on_duty, g_free);

  G_OBJECT_CLASS (dengon_staff_model_parent_class)->finalize (object);
}

static void
dengon_staff_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonStaffModel *self = DENGON_STAFF_MODEL (object);

  switch (prop_id)
    {
      case MODEL_PROP_ON_DUTY:
        g_value_set_string (value, self->on_duty);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_staff_model_class_init (DengonStaffModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dengon_staff_model_dispose;
  object_class->finalize = dengon_staff_model_finalize;
  object_class->get_property = dengon_staff_model_get_property;

  model_properties[MODEL_PROP_ON_DUTY] =
      g_param_spec_string ("on-duty", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, MODEL_N_PROPS, model_properties);
}

static void
dengon_staff_model_init (DengonStaffModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->now = default_now;
}

DengonStaffModel *
dengon_staff_model_new (DengonStore *store)
{
  DengonStaffModel *self;

  g_return_val_if_fail (DENGON_IS_STORE (store), NULL);

  self = g_object_new (DENGON_TYPE_STAFF_MODEL, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  reload (self);

  return self;
}

DengonStaffItem *
dengon_staff_model_lookup (DengonStaffModel *self, const char *id)
{
  g_return_val_if_fail (DENGON_IS_STAFF_MODEL (self), NULL);

  for (guint i = 0; id != NULL && i < self->items->len; i++)
    {
      DengonStaffItem *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (dengon_staff_item_get_id (item), id) == 0)
        return item;
    }

  return NULL;
}

/* The person's name; for an id nobody knows (yet), the login part. */
const char *
dengon_staff_model_get_name (DengonStaffModel *self, const char *id)
{
  DengonStaffItem *item;

  g_return_val_if_fail (DENGON_IS_STAFF_MODEL (self), NULL);

  if (id == NULL)
    return NULL;

  item = dengon_staff_model_lookup (self, id);
  if (item != NULL)
    return dengon_staff_item_get_name (item);

  return g_str_has_prefix (id, "staff:") ? id + strlen ("staff:") : id;
}

const char *
dengon_staff_model_get_on_duty (DengonStaffModel *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_MODEL (self), NULL);

  return self->on_duty;
}

JsonObject *
dengon_staff_model_get_duty (DengonStaffModel *self)
{
  g_return_val_if_fail (DENGON_IS_STAFF_MODEL (self), NULL);

  return self->duty;
}

/* Tests: an injectable clock. */
void
dengon_staff_model_set_clock (DengonStaffModel *self, GDateTime *(*now) (void) )
{
  g_return_if_fail (DENGON_IS_STAFF_MODEL (self));

  self->now = now != NULL ? now : default_now;
  apply_duty (self);
}

void
dengon_staff_model_refresh_duty (DengonStaffModel *self)
{
  g_return_if_fail (DENGON_IS_STAFF_MODEL (self));

  apply_duty (self);
}
