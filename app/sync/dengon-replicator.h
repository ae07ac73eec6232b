/* dengon-replicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dengon-couch-client.h"
#include "dengon-store.h"

G_BEGIN_DECLS

typedef enum
{
  DENGON_REPLICATOR_PUSH = 1 << 0,
  DENGON_REPLICATOR_PULL = 1 << 1,
  DENGON_REPLICATOR_BOTH = DENGON_REPLICATOR_PUSH | DENGON_REPLICATOR_PULL,
} DengonReplicatorDirection;

typedef enum
{
  DENGON_REPLICATOR_STATE_STOPPED,
  DENGON_REPLICATOR_STATE_CONNECTING,
  DENGON_REPLICATOR_STATE_SYNCING,
  DENGON_REPLICATOR_STATE_SYNCED,  /* caught up; a continuous replication waits for changes */
  DENGON_REPLICATOR_STATE_OFFLINE, /* no network: it resumes when there is one */
  DENGON_REPLICATOR_STATE_ERROR,   /* it failed; a continuous replication tries again later */
} DengonReplicatorState;

#define DENGON_TYPE_REPLICATOR (dengon_replicator_get_type ())

G_DECLARE_FINAL_TYPE (DengonReplicator, dengon_replicator, DENGON, REPLICATOR, GObject)

/* Replicates @store with the database @client talks to, the CouchDB way: _changes, _revs_diff,
 * _bulk_docs (new_edits=false), _bulk_get (or open_revs where a server lacks it), checkpoints in
 * _local documents on both sides. Store work, JSON parsing and building run on worker threads;
 * the main context only moves bytes. Sequences are opaque JSON values. */
DengonReplicator *dengon_replicator_new (DengonStore *store, DengonCouchClient *client,
                                         DengonReplicatorDirection directions);

/* Documents per batch (default 500). */
void dengon_replicator_set_batch_size (DengonReplicator *self, guint batch_size);
/* The first wait after a failure (default 1000 ms); it doubles, with jitter, up to 5 minutes. */
void dengon_replicator_set_retry_delay (DengonReplicator *self, guint milliseconds);
/* Whether a one-shot run keeps trying after a failure that may pass (default %FALSE). */
void dengon_replicator_set_retry (DengonReplicator *self, gboolean retry);

/* Continuous: pushes what the store commits, pulls with a long-poll feed, tries again after
 * failures and waits for the network when there is none. */
void dengon_replicator_start (DengonReplicator *self);
void dengon_replicator_stop (DengonReplicator *self);

/* One-shot: until both sides have what the other had when it started. */
void dengon_replicator_run_async (DengonReplicator *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean dengon_replicator_run_finish (DengonReplicator *self, GAsyncResult *result,
                                       GError **error);

DengonReplicatorState dengon_replicator_get_state (DengonReplicator *self);
DengonCouchClient *dengon_replicator_get_client (DengonReplicator *self);
/* Documents known to be waiting to go either way. */
guint dengon_replicator_get_pending (DengonReplicator *self);
/* Wall-clock time (µs) when both directions last caught up; 0 when never. */
gint64 dengon_replicator_get_last_success (DengonReplicator *self);
/* The failure behind DENGON_REPLICATOR_STATE_ERROR or _OFFLINE, or %NULL. */
const GError *dengon_replicator_get_error (DengonReplicator *self);
/* Counters since the replicator was made. */
guint64 dengon_replicator_get_docs_read (DengonReplicator *self);
guint64 dengon_replicator_get_docs_written (DengonReplicator *self);
guint64 dengon_replicator_get_doc_write_failures (DengonReplicator *self);
/* Where the current run started pulling from (the checkpoint found), as JSON; for tests. */
char *dengon_replicator_dup_pull_start (DengonReplicator *self);

G_END_DECLS
