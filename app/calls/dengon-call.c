/* dengon-call.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dengon-call-enums.h"
#include "dengon-call.h"
#include "dengon-phone.h"

#define MAX_NAME_CHARS   200
#define MAX_NUMBER_CHARS 128
#define MAX_ID_CHARS     128

struct _DengonCall
{
  GObject parent_instance;

  /* Owned */
  char *id;
  char *number;
  char *display_name;
  char *source;
  char *phone_call_id;
  char *line;
  char *memo_id;
  char *regarding;
  GDateTime *started_at;
  GDateTime *ended_at;

  DengonCallDirection direction;
  DengonCallState state;
};

enum
{
  PROP_0,
  PROP_ID,
  PROP_DIRECTION,
  PROP_NUMBER,
  PROP_DISPLAY_NAME,
  PROP_STATE,
  PROP_STARTED_AT,
  PROP_ENDED_AT,
  PROP_SOURCE,
  PROP_PHONE_CALL_ID,
  PROP_LINE,
  PROP_MEMO_ID,
  PROP_REGARDING,
  N_PROPS
};

enum
{
  STATE_CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (DengonCall, dengon_call, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

char *
dengon_call_sanitize_text (const char *text, gssize length, guint max_chars)
{
  g_autofree char *valid = NULL;
  g_autofree char *decoded = NULL;
  g_autoptr (GString) out = NULL;
  const char *p;
  gboolean space = FALSE;
  guint n = 0;

  if (text == NULL)
    return NULL;

  if (length < 0)
    length = strlen (text);
  /* Never look at more than a few kilobytes of somebody else's text. */
  length = MIN (length, (gssize) max_chars * 4 + 64);
  valid = g_utf8_make_valid (text, length);

  /* Desk phones percent-encode names; some do it twice. */
  if (strchr (valid, '%') != NULL)
    {
      decoded = g_uri_unescape_string (valid, NULL);
      if (decoded != NULL && g_utf8_validate (decoded, -1, NULL))
        {
          g_free (valid);
          valid = g_steal_pointer (&decoded);
        }
    }

  out = g_string_new (NULL);
  for (p = valid; *p != '\0' && n < max_chars; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x3000)
        {
          space = out->len > 0;
          continue;
        }
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT ||
          g_unichar_type (c) == G_UNICODE_UNASSIGNED || c == 0xFFFD)
        continue;
      if (space)
        {
          g_string_append_c (out, ' ');
          n++;
          space = FALSE;
          if (n >= max_chars)
            break;
        }
      g_string_append_unichar (out, c);
      n++;
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
sanitize_number (const char *number)
{
  g_autofree char *text = dengon_call_sanitize_text (number, -1, MAX_NUMBER_CHARS);
  g_autofree char *digits = NULL;

  if (text == NULL)
    return NULL;

  /* "anonymous", "$remote", "非通知": no caller id. */
  digits = dengon_phone_digits (text);
  if (*digits == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

static void
dengon_call_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonCall *self = DENGON_CALL (object);

  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;
      case PROP_DIRECTION:
        g_value_set_enum (value, self->direction);
        break;
      case PROP_NUMBER:
        g_value_set_string (value, self->number);
        break;
      case PROP_DISPLAY_NAME:
        g_value_set_string (value, self->display_name);
        break;
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;
      case PROP_STARTED_AT:
        g_value_set_boxed (value, self->started_at);
        break;
      case PROP_ENDED_AT:
        g_value_set_boxed (value, self->ended_at);
        break;
      case PROP_SOURCE:
        g_value_set_string (value, self->source);
        break;
      case PROP_PHONE_CALL_ID:
        g_value_set_string (value, self->phone_call_id);
        break;
      case PROP_LINE:
        g_value_set_string (value, self->line);
        break;
      case PROP_MEMO_ID:
        g_value_set_string (value, self->memo_id);
        break;
      case PROP_REGARDING:
        g_value_set_string (value, self->regarding);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_call_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DengonCall *self = DENGON_CALL (object);

  switch (prop_id)
    {
      case PROP_ID:
        self->id = g_value_dup_string (value);
        break;
      case PROP_DIRECTION:
        self->direction = g_value_get_enum (value);
        break;
      case PROP_NUMBER:
        dengon_call_set_number (self, g_value_get_string (value));
        break;
      case PROP_DISPLAY_NAME:
        dengon_call_set_display_name (self, g_value_get_string (value));
        break;
      case PROP_STATE:
        dengon_call_set_state (self, g_value_get_enum (value));
        break;
      case PROP_STARTED_AT:
        g_clear_pointer (&self->started_at, g_date_time_unref);
        self->started_at = g_value_dup_boxed (value);
        break;
      case PROP_SOURCE:
        dengon_call_set_source (self, g_value_get_string (value));
        break;
      case PROP_PHONE_CALL_ID:
        dengon_call_set_phone_call_id (self, g_value_get_string (value));
        break;
      case PROP_LINE:
        dengon_call_set_line (self, g_value_get_string (value));
        break;
      case PROP_MEMO_ID:
        dengon_call_set_memo_id (self, g_value_get_string (value));
        break;
      case PROP_REGARDING:
        dengon_call_set_regarding (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_call_constructed (GObject *object)
{
  DengonCall *self = DENGON_CALL (object);

  G_OBJECT_CLASS (dengon_call_parent_class)->constructed (object);

  if (self->id == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      self->id = g_strconcat ("call:", uuid, NULL);
    }
  if (self->started_at == NULL)
    self->started_at = g_date_time_new_now_utc ();
  if (self->direction == DENGON_CALL_DIRECTION_OUT && self->state == DENGON_CALL_STATE_RINGING)
    self->state = DENGON_CALL_STATE_DIALING;
}

static void
dengon_call_finalize (GObject *object)
{
  DengonCall *self = (DengonCall *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->phone_call_id, g_free);
  g_clear_pointer (&self->line, g_free);
  g_clear_pointer (&self->memo_id, g_free);
  g_clear_pointer (&self->regarding, g_free);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->ended_at, g_date_time_unref);

  G_OBJECT_CLASS (dengon_call_parent_class)->finalize (object);
}

static void
dengon_call_class_init (DengonCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dengon_call_constructed;
  object_class->get_property = dengon_call_get_property;
  object_class->set_property = dengon_call_set_property;
  object_class->finalize = dengon_call_finalize;

  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] = g_param_spec_enum (
      "direction", NULL, NULL, DENGON_TYPE_CALL_DIRECTION, DENGON_CALL_DIRECTION_IN,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] =
      g_param_spec_string ("number", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
      g_param_spec_string ("display-name", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
      g_param_spec_enum ("state", NULL, NULL, DENGON_TYPE_CALL_STATE, DENGON_CALL_STATE_RINGING,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STARTED_AT] =
      g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDED_AT] = g_param_spec_boxed ("ended-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
      g_param_spec_string ("source", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHONE_CALL_ID] =
      g_param_spec_string ("phone-call-id", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
      g_param_spec_string ("line", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMO_ID] =
      g_param_spec_string ("memo-id", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGARDING] =
      g_param_spec_string ("regarding", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DengonCall::state-changed:
   * @new_state: the state now
   * @old_state: the state before
   */
  signals[STATE_CHANGED] =
      g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, DENGON_TYPE_CALL_STATE, DENGON_TYPE_CALL_STATE);
}

static void
dengon_call_init (DengonCall *self)
{
}

DengonCall *
dengon_call_new (DengonCallDirection direction, const char *number, const char *display_name)
{
  return dengon_call_new_full (NULL, direction, number, display_name, NULL);
}

DengonCall *
dengon_call_new_full (const char *id, DengonCallDirection direction, const char *number,
                      const char *display_name, GDateTime *started_at)
{
  return g_object_new (DENGON_TYPE_CALL, "id", id, "direction", direction, "number", number,
                       "display-name", display_name, "started-at", started_at, NULL);
}

const char *
dengon_call_get_id (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), NULL);

  return self->id;
}

DengonCallDirection
dengon_call_get_direction (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), DENGON_CALL_DIRECTION_IN);

  return self->direction;
}

const char *
dengon_call_get_number (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), NULL);

  return self->number;
}

void
dengon_call_set_number (DengonCall *self, const char *number)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (DENGON_IS_CALL (self));

  clean = sanitize_number (number);
  if (g_strcmp0 (clean, self->number) == 0)
    return;

  g_free (self->number);
  self->number = g_steal_pointer (&clean);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

const char *
dengon_call_get_display_name (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), NULL);

  return self->display_name;
}

void
dengon_call_set_display_name (DengonCall *self, const char *display_name)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (DENGON_IS_CALL (self));

  clean = dengon_call_sanitize_text (display_name, -1, MAX_NAME_CHARS);
  if (g_strcmp0 (clean, self->display_name) == 0)
    return;

  g_free (self->display_name);
  self->display_name = g_steal_pointer (&clean);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

DengonCallState
dengon_call_get_state (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), DENGON_CALL_STATE_ENDED);

  return self->state;
}

void
dengon_call_set_state (DengonCall *self, DengonCallState state)
{
  DengonCallState old_state;

  g_return_if_fail (DENGON_IS_CALL (self));

  if (self->state == state)
    return;

  /* An ended call stays ended. */
  g_return_if_fail (self->state != DENGON_CALL_STATE_ENDED);

  old_state = self->state;
  self->state = state;

  if (state == DENGON_CALL_STATE_ENDED && self->ended_at == NULL)
    {
      self->ended_at = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDED_AT]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[STATE_CHANGED], 0, state, old_state);
}

GDateTime *
dengon_call_get_started_at (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), NULL);

  return self->started_at;
}

GDateTime *
dengon_call_get_ended_at (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), NULL);

  return self->ended_at;
}

#define DEFINE_STRING_PROPERTY(name, prop, max)                     \
  const char *dengon_call_get_##name (DengonCall *self)             \
  {                                                                 \
    g_return_val_if_fail (DENGON_IS_CALL (self), NULL);             \
    return self->name;                                              \
  }                                                                 \
  void dengon_call_set_##name (DengonCall *self, const char *value) \
  {                                                                 \
    g_autofree char *clean = NULL;                                  \
    g_return_if_fail (DENGON_IS_CALL (self));                       \
    clean = dengon_call_sanitize_text (value, -1, max);             \
    if (g_strcmp0 (clean, self->name) == 0)                         \
      return;                                                       \
    g_free (self->name);                                            \
    self->name = g_steal_pointer (&clean);                          \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);   \
  }

DEFINE_STRING_PROPERTY (source, PROP_SOURCE, MAX_ID_CHARS)
DEFINE_STRING_PROPERTY (phone_call_id, PROP_PHONE_CALL_ID, MAX_ID_CHARS)
DEFINE_STRING_PROPERTY (line, PROP_LINE, MAX_NUMBER_CHARS)
DEFINE_STRING_PROPERTY (memo_id, PROP_MEMO_ID, 256)
DEFINE_STRING_PROPERTY (regarding, PROP_REGARDING, 256)

gboolean
dengon_call_is_new (DengonCall *self)
{
  g_return_val_if_fail (DENGON_IS_CALL (self), FALSE);

  return self->state == DENGON_CALL_STATE_RINGING || self->state == DENGON_CALL_STATE_DIALING;
}
