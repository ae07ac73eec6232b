/* sync-test-util.h: what the sync tests share (real stores, a real hub on 127.0.0.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dengon-hub-accounts.h"
#include "dengon-hub.h"
#include "dengon-store.h"

G_BEGIN_DECLS

char *sync_test_make_dir (const char *template);
void sync_test_remove_tree (const char *dir);
/* Runs the main context until nothing is pending. */
void sync_test_drain (void);
/* Runs the main context until @check is true or @timeout_ms passed; returns @check's last value. */
gboolean sync_test_wait (gboolean (*check) (gpointer data), gpointer data, guint timeout_ms);
/* Runs the main context for about @ms (only where a test must show that nothing happens). */
void sync_test_run_for (guint ms);

DengonStore *sync_test_open_store (const char *dir, const char *name);
/* Waits for worker threads to let go of @store, then checks it is finalized. */
void sync_test_finalize_store (DengonStore *store);

/* A hub on 127.0.0.1 (free port) over its own store, with one account. */
typedef struct
{
  char *dir;
  DengonStore *store;
  DengonHubAccounts *accounts;
  GTlsCertificate *certificate;
  DengonHub *hub;
  char *url;  /* https://127.0.0.1:PORT/dengon */
  char *root; /* https://127.0.0.1:PORT/ */
} SyncTestHub;

SyncTestHub *sync_test_hub_new (const char *user, const char *password);
/* Starts it again on the same port (after a stop). */
void sync_test_hub_restart (SyncTestHub *hub);
void sync_test_hub_free (SyncTestHub *hub);

typedef struct
{
  guint status;
  GBytes *body;
  JsonNode *json; /* NULL when the body is not JSON */
  SoupMessageHeaders *headers;
  GError *error;
} SyncTestResponse;

void sync_test_response_free (SyncTestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncTestResponse, sync_test_response_free)

/* A session that trusts exactly the certificate with @fingerprint (or any when NULL). */
SoupSession *sync_test_session_new (const char *fingerprint);
/* One request, waiting on the main context; @user NULL sends no credentials. */
SyncTestResponse *sync_test_http (SoupSession *session, const char *method, const char *url,
                                  const char *user, const char *password, const char *content_type,
                                  const char *body, gssize length);
/* The same without waiting: *@out is set when the answer is there. */
void sync_test_http_async (SoupSession *session, const char *method, const char *url,
                           const char *user, const char *password, const char *content_type,
                           const char *body, gssize length, SyncTestResponse **out);
/* A GET with this exact Authorization header. */
SyncTestResponse *sync_test_http_raw_auth (SoupSession *session, const char *url,
                                           const char *authorization);
JsonObject *sync_test_response_object (SyncTestResponse *response);

/* A valid memo with a message, created now by @taken_by. */
JsonObject *sync_test_memo (const char *taken_by, const char *message);
/* Puts @doc (sets its _rev) and returns the new revision. */
char *sync_test_put (DengonStore *store, JsonObject *doc);

/* @n valid memos written in batches the way a replicator would (fast: one commit per batch), with
 * ids "memo:<prefix><number>". */
void sync_test_seed_memos (DengonStore *store, const char *prefix, guint n);
/* Every document, every leaf (deleted ones too) with its body, as one canonical text: two stores
 * that hold the same revisions give the same text. */
char *sync_test_dump (DengonStore *store);
/* How many documents the changes feed lists. */
guint sync_test_count_docs (DengonStore *store);

/* Child processes (a PouchDB server, PouchDB's replicator, `dengon --hub`), stopped by their
 * PID; their standard output is read line by line while the main loop runs. */
typedef struct
{
  GSubprocess *process;
  GDataInputStream *out;
  GString *all; /* everything read so far */
} SyncTestProcess;

/* @env: extra NAME=VALUE pairs; @input: written to standard input and closed (may be NULL). */
SyncTestProcess *sync_test_spawn (const char *const *argv, const char *const *env,
                                  const char *input);
/* The next line of standard output, or NULL at its end or after @timeout_ms. */
char *sync_test_process_read_line (SyncTestProcess *process, guint timeout_ms);
/* Waits (the main loop running) for the process to end; its exit status, or -1 on timeout. */
int sync_test_process_wait (SyncTestProcess *process, guint timeout_ms);
/* SIGTERM, a bounded wait, then SIGKILL; and frees. */
void sync_test_process_stop (SyncTestProcess *process);
/* SIGKILL now (a crash), waits for it to end. */
void sync_test_process_kill (SyncTestProcess *process);
void sync_test_process_free (SyncTestProcess *process);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncTestProcess, sync_test_process_free)

/* Runs a program to its end (the main loop running meanwhile) and returns its standard output;
 * asserts it exits 0 within @timeout_ms. */
char *sync_test_run (const char *const *argv, const char *const *env, guint timeout_ms);

/* A TCP port that was free a moment ago on 127.0.0.1. */
guint sync_test_free_port (void);

G_END_DECLS
