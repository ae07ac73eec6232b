/* dengon-contacts-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dengon-application.h"

G_BEGIN_DECLS

#define DENGON_TYPE_CONTACTS_WINDOW (dengon_contacts_window_get_type ())

/* The office's contacts (search, edit, segment and quadrant, import and export) and its
 * follow-up call lists. */
G_DECLARE_FINAL_TYPE (DengonContactsWindow, dengon_contacts_window, DENGON, CONTACTS_WINDOW,
                      AdwApplicationWindow)

DengonContactsWindow *dengon_contacts_window_new (DengonApplication *application);
/* Shows the contact (once the list has loaded). */
void dengon_contacts_window_show_contact (DengonContactsWindow *self, const char *contact_id);
/* Starts an import of @file: the preview opens; nothing is written before "Import". */
void dengon_contacts_window_import (DengonContactsWindow *self, GFile *file);

G_END_DECLS
