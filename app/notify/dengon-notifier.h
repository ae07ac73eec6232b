/* dengon-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-store.h"

G_BEGIN_DECLS

/* More than this many new assignments at once become one summary. */
#define DENGON_NOTIFIER_SUMMARY_THRESHOLD 3

typedef GDateTime *(*DengonNowFunc) (gpointer user_data);

#define DENGON_TYPE_NOTIFIER (dengon_notifier_get_type ())

G_DECLARE_FINAL_TYPE (DengonNotifier, dengon_notifier, DENGON, NOTIFIER, GObject)

DengonNotifier *dengon_notifier_new (DengonStore *store, GSettings *settings);
void dengon_notifier_set_me (DengonNotifier *self, const char *staff_id);
void dengon_notifier_set_clock (DengonNotifier *self, DengonNowFunc now, gpointer user_data);
void dengon_notifier_check_reminders (DengonNotifier *self);
void dengon_notifier_flush (DengonNotifier *self);
gboolean dengon_notifier_get_busy (DengonNotifier *self);
void dengon_notifier_withdraw (DengonNotifier *self, const char *memo_id);

G_END_DECLS
