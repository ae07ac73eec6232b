/* dengon-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-settings.h"

/* The one place that knows the schema id: the UI binds its widgets to
 * dengon_settings_get_gsettings(), tests build it on a memory backend. */
struct _DengonSettings
{
  GObject parent_instance;

  /* Owned */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (DengonSettings, dengon_settings, G_TYPE_OBJECT)

static void
dengon_settings_finalize (GObject *object)
{
  DengonSettings *self = (DengonSettings *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dengon_settings_parent_class)->finalize (object);
}

static void
dengon_settings_class_init (DengonSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dengon_settings_finalize;
}

static void
dengon_settings_init (DengonSettings *self)
{
}

DengonSettings *
dengon_settings_new (void)
{
  DengonSettings *self = g_object_new (DENGON_TYPE_SETTINGS, NULL);

  self->settings = g_settings_new (APPLICATION_ID);

  return self;
}

DengonSettings *
dengon_settings_new_with_backend (GSettingsBackend *backend)
{
  DengonSettings *self;

  g_return_val_if_fail (backend != NULL, NULL);

  self = g_object_new (DENGON_TYPE_SETTINGS, NULL);
  self->settings = g_settings_new_with_backend (APPLICATION_ID, backend);

  return self;
}

GSettings *
dengon_settings_get_gsettings (DengonSettings *self)
{
  g_return_val_if_fail (DENGON_IS_SETTINGS (self), NULL);

  return self->settings;
}
