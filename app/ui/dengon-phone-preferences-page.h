/* dengon-phone-preferences-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"

G_BEGIN_DECLS

#define DENGON_TYPE_PHONE_PREFERENCES_PAGE (dengon_phone_preferences_page_get_type ())

/* Preferences for answering the phone: the office name and greetings (the shared office:settings
 * document), the person at this desk, and the desk-phone action URL. */
G_DECLARE_FINAL_TYPE (DengonPhonePreferencesPage, dengon_phone_preferences_page, DENGON,
                      PHONE_PREFERENCES_PAGE, AdwPreferencesPage)

DengonPhonePreferencesPage *dengon_phone_preferences_page_new (DengonApplication *application);

G_END_DECLS
