/* dengon-hub-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `dengon --hub`: serves the database in @data_dir until SIGINT or SIGTERM, without a window.
 * @address NULL: every interface; @port -1: the default, 0: any free port. Returns the exit
 * status. */
int dengon_hub_cli_serve (const char *data_dir, const char *address, int port);

/* `dengon --hub-user add|passwd|remove|list [NAME]`: the password is read from standard input
 * (twice, without echo, on a terminal), never from the command line. Returns the exit status. */
int dengon_hub_cli_user (const char *data_dir, const char *action, const char *name);

/* Takes the lock that lets one hub at a time serve @data_dir; returns a descriptor to close when
 * the hub stops, or -1. */
int dengon_hub_lock_data_dir (const char *data_dir, GError **error);

G_END_DECLS
