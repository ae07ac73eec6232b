/* dengon-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"
#include "dengon-store-private.h"
#include "dengon-store.h"

/* 'DGON': tells our files from other SQLite databases. */
#define APPLICATION_ID_MAGIC 0x44474F4E
#define MAX_ID_BYTES         256
#define MAX_REV_HASH_BYTES   64
#define MAX_REVISIONS        1000
#define MAX_READERS          4
/* A short search term is expanded into at most this many trigrams; more
 * means the term is common and a newest-first scan finds hits sooner. */
#define MAX_SHORT_TERM_TRIGRAMS 400
/* Every indexed column ends with this, so that a term at the very end of a
 * field still forms a trigram (two characters: one-character terms too). */
#define FTS_PAD "  "

typedef struct
{
  sqlite3 *db;
  GHashTable *statements; /* SQL text -> sqlite3_stmt */
} Conn;

struct _DengonStore
{
  GObject parent_instance;

  char *path;
  char *uuid;
  GMainContext *main_context;

  /* Writes go through one connection, one at a time. */
  GMutex write_lock;
  Conn *writer;
  gint64 update_seq;

  /* Readers: WAL lets them run beside the writer. */
  GMutex readers_lock;
  GCond readers_cond;
  GPtrArray *idle_readers;
  guint n_readers;

  /* Work for dengon_store_run_async(), on as many threads as there are
   * readers: GLib's shared pool would start a dozen threads, each keeping
   * a malloc arena of its own (measured: +180 MB while the inbox loaded
   * memos for a fast scroll). */
  GThreadPool *workers;
  gsize task_order;

  /* Change batches waiting to be emitted on the main context, in order. */
  GMutex pending_lock;
  GQueue pending;
  guint pending_source;

  /* Commits by other processes on the same file (see catch_up_locked). */
  GFileMonitor *wal_monitor;
  guint catch_up_retry;
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DengonStore, dengon_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (dengon - store - error - quark, dengon_store_error)

/* ------------------------------------------------------------------ schema */

static const char schema_v1[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE docs ("
    "  doc_id INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  type TEXT,"
    "  rev TEXT NOT NULL,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  seq INTEGER NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE UNIQUE INDEX docs_by_seq ON docs (seq);"
    "CREATE INDEX docs_by_type ON docs (type, id) WHERE NOT deleted;"
    "CREATE TABLE revs ("
    "  doc_id INTEGER NOT NULL,"
    "  pos INTEGER NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  parent TEXT,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  leaf INTEGER NOT NULL DEFAULT 1,"
    "  body TEXT,"
    "  PRIMARY KEY (doc_id, pos, hash)) WITHOUT ROWID;"
    "CREATE TABLE local_docs (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, body TEXT NOT NULL)"
    "  WITHOUT ROWID;"
    "CREATE TABLE memo_index ("
    "  doc_id INTEGER PRIMARY KEY,"
    "  key INTEGER NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  assignee TEXT,"
    "  category TEXT,"
    "  urgent INTEGER NOT NULL DEFAULT 0,"
    "  callback_by INTEGER,"
    "  number TEXT,"
    "  contact_id TEXT,"
    "  taken_by TEXT,"
    "  direction INTEGER NOT NULL DEFAULT 0,"
    "  done_at INTEGER,"
    "  open INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX memo_by_open ON memo_index (open, key);"
    "CREATE INDEX memo_by_status ON memo_index (status, key);"
    "CREATE INDEX memo_by_assignee ON memo_index (assignee, open, key);"
    "CREATE INDEX memo_by_number ON memo_index (number, key);"
    "CREATE INDEX memo_by_category ON memo_index (category, key);"
    "CREATE INDEX memo_by_callback ON memo_index (callback_by) WHERE callback_by IS NOT NULL AND "
    "open;";

/* Version 2: full-text search.  memo_text holds the normalised, padded
 * text and is the FTS table's external content; triggers keep them equal. */
static const char schema_v2[] =
    "CREATE TABLE memo_text ("
    "  rowid INTEGER PRIMARY KEY,"
    "  caller TEXT NOT NULL,"
    "  company TEXT NOT NULL,"
    "  number TEXT NOT NULL,"
    "  message TEXT NOT NULL);"
    "CREATE VIRTUAL TABLE memo_fts USING fts5 (caller, company, number, message,"
    "  content='memo_text', content_rowid='rowid', tokenize='trigram', columnsize=0);"
    "CREATE VIRTUAL TABLE memo_vocab USING fts5vocab (memo_fts, 'row');"
    "CREATE TRIGGER memo_text_ai AFTER INSERT ON memo_text BEGIN"
    "  INSERT INTO memo_fts (rowid, caller, company, number, message)"
    "    VALUES (new.rowid, new.caller, new.company, new.number, new.message);"
    "END;"
    "CREATE TRIGGER memo_text_ad AFTER DELETE ON memo_text BEGIN"
    "  INSERT INTO memo_fts (memo_fts, rowid, caller, company, number, message)"
    "    VALUES ('delete', old.rowid, old.caller, old.company, old.number, old.message);"
    "END;"
    "CREATE TRIGGER memo_text_au AFTER UPDATE ON memo_text BEGIN"
    "  INSERT INTO memo_fts (memo_fts, rowid, caller, company, number, message)"
    "    VALUES ('delete', old.rowid, old.caller, old.company, old.number, old.message);"
    "  INSERT INTO memo_fts (rowid, caller, company, number, message)"
    "    VALUES (new.rowid, new.caller, new.company, new.number, new.message);"
    "END;";

/* Version 3: revision bodies in a rowid table (a WITHOUT ROWID table keeps
 * a 1 KB body in an overflow page of its own, mostly empty), the winner's
 * body only once (in docs), and an index for overdue callbacks. */
static const char schema_v3[] =
    "CREATE TABLE revs_v3 ("
    "  doc_id INTEGER NOT NULL,"
    "  pos INTEGER NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  parent TEXT,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  leaf INTEGER NOT NULL DEFAULT 1,"
    "  body TEXT,"
    "  UNIQUE (doc_id, pos, hash));"
    "INSERT INTO revs_v3 (doc_id, pos, hash, parent, deleted, leaf, body)"
    "  SELECT r.doc_id, r.pos, r.hash, r.parent, r.deleted, r.leaf,"
    "         CASE WHEN d.rev = r.pos || '-' || r.hash THEN NULL ELSE r.body END"
    "  FROM revs r JOIN docs d ON d.doc_id = r.doc_id ORDER BY r.doc_id, r.pos, r.hash;"
    "DROP TABLE revs;"
    "ALTER TABLE revs_v3 RENAME TO revs;"
    "CREATE INDEX memo_overdue ON memo_index (key) WHERE callback_by IS NOT NULL AND open;";

/* Version 4: the evening review.  The first callback's time and the caller's
 * segment (new/existing/dormant, set by the call panel once contacts exist)
 * per memo, and two aggregate tables that triggers keep equal to memo_index,
 * so that a year of figures is read from a few thousand rows instead of
 * every memo:
 *  - memo_quarter_stats: memos per UTC quarter of an hour (created_at / 900000),
 *    category ('' = none) and direction.  Every real time-zone offset is a
 *    multiple of 15 minutes, so each quarter falls into one local hour of one
 *    local day, whatever the office's zone (and its daylight saving time).
 *  - memo_day_stats: memos per UTC day, assignee ('' = nobody), open and
 *    segment ('' = unknown); sales calls are left out (they are counted apart
 *    and kept out of every other figure).
 * Local days do not start at UTC midnight: a report reads the whole UTC days
 * inside its range from these tables and the edges from memo_index.
 * A first callback index gives the time to callback of a year without the
 * table; the open-callback index becomes covering for overdue counts. */
static const char schema_v4[] =
    "ALTER TABLE memo_index ADD COLUMN called_back_at INTEGER;"
    "ALTER TABLE memo_index ADD COLUMN segment TEXT;"
    "CREATE INDEX memo_by_called_back ON memo_index (key, called_back_at, category)"
    "  WHERE called_back_at IS NOT NULL;"
    /* Overdue is a matter of "now": counted from the open memos with a
     * deadline, without visiting the table (the same leading column as before). */
    "DROP INDEX memo_by_callback;"
    "CREATE INDEX memo_by_callback ON memo_index"
    "  (callback_by, key, assignee, category, called_back_at, open)"
    "  WHERE callback_by IS NOT NULL AND open;"
    "CREATE TABLE memo_quarter_stats ("
    "  quarter INTEGER NOT NULL,"
    "  category TEXT NOT NULL,"
    "  direction INTEGER NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (quarter, category, direction)) WITHOUT ROWID;"
    "CREATE TABLE memo_day_stats ("
    "  day INTEGER NOT NULL,"
    "  assignee TEXT NOT NULL,"
    "  open INTEGER NOT NULL,"
    "  segment TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (day, assignee, open, segment)) WITHOUT ROWID;"
    "INSERT INTO memo_quarter_stats (quarter, category, direction, n)"
    "  SELECT created_at / 900000, coalesce(category, ''), direction, count(*) FROM memo_index"
    "  GROUP BY 1, 2, 3;"
    "INSERT INTO memo_day_stats (day, assignee, open, segment, n)"
    "  SELECT created_at / 86400000, coalesce(assignee, ''), open, coalesce(segment, ''), count(*)"
    "  FROM memo_index WHERE coalesce(category, '') <> 'sales' GROUP BY 1, 2, 3, 4;"
    /* Adding and taking away one memo; a row that reaches 0 goes. */
    "CREATE TRIGGER memo_quarter_stats_ai AFTER INSERT ON memo_index BEGIN"
    "  INSERT INTO memo_quarter_stats (quarter, category, direction, n)"
    "    VALUES (new.created_at / 900000, coalesce(new.category, ''), new.direction, 1)"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER memo_quarter_stats_ad AFTER DELETE ON memo_index BEGIN"
    "  UPDATE memo_quarter_stats SET n = n - 1 WHERE quarter = old.created_at / 900000"
    "    AND category = coalesce(old.category, '') AND direction = old.direction;"
    "  DELETE FROM memo_quarter_stats WHERE quarter = old.created_at / 900000"
    "    AND category = coalesce(old.category, '') AND direction = old.direction AND n <= 0;"
    "END;"
    "CREATE TRIGGER memo_quarter_stats_au AFTER UPDATE ON memo_index"
    "  WHEN old.created_at / 900000 <> new.created_at / 900000"
    "    OR old.category IS NOT new.category OR old.direction <> new.direction BEGIN"
    "  UPDATE memo_quarter_stats SET n = n - 1 WHERE quarter = old.created_at / 900000"
    "    AND category = coalesce(old.category, '') AND direction = old.direction;"
    "  DELETE FROM memo_quarter_stats WHERE quarter = old.created_at / 900000"
    "    AND category = coalesce(old.category, '') AND direction = old.direction AND n <= 0;"
    "  INSERT INTO memo_quarter_stats (quarter, category, direction, n)"
    "    VALUES (new.created_at / 900000, coalesce(new.category, ''), new.direction, 1)"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER memo_day_stats_ai AFTER INSERT ON memo_index"
    "  WHEN coalesce(new.category, '') <> 'sales' BEGIN"
    "  INSERT INTO memo_day_stats (day, assignee, open, segment, n)"
    "    VALUES (new.created_at / 86400000, coalesce(new.assignee, ''), new.open,"
    "            coalesce(new.segment, ''), 1)"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;"
    "CREATE TRIGGER memo_day_stats_ad AFTER DELETE ON memo_index"
    "  WHEN coalesce(old.category, '') <> 'sales' BEGIN"
    "  UPDATE memo_day_stats SET n = n - 1 WHERE day = old.created_at / 86400000"
    "    AND assignee = coalesce(old.assignee, '') AND open = old.open"
    "    AND segment = coalesce(old.segment, '');"
    "  DELETE FROM memo_day_stats WHERE day = old.created_at / 86400000"
    "    AND assignee = coalesce(old.assignee, '') AND open = old.open"
    "    AND segment = coalesce(old.segment, '') AND n <= 0;"
    "END;"
    "CREATE TRIGGER memo_day_stats_au_old AFTER UPDATE ON memo_index"
    "  WHEN coalesce(old.category, '') <> 'sales' AND (old.created_at / 86400000 <> new.created_at"
    "    / 86400000 OR old.assignee IS NOT new.assignee OR old.open <> new.open"
    "    OR old.segment IS NOT new.segment OR coalesce(new.category, '') = 'sales') BEGIN"
    "  UPDATE memo_day_stats SET n = n - 1 WHERE day = old.created_at / 86400000"
    "    AND assignee = coalesce(old.assignee, '') AND open = old.open"
    "    AND segment = coalesce(old.segment, '');"
    "  DELETE FROM memo_day_stats WHERE day = old.created_at / 86400000"
    "    AND assignee = coalesce(old.assignee, '') AND open = old.open"
    "    AND segment = coalesce(old.segment, '') AND n <= 0;"
    "END;"
    "CREATE TRIGGER memo_day_stats_au_new AFTER UPDATE ON memo_index"
    "  WHEN coalesce(new.category, '') <> 'sales' AND (old.created_at / 86400000 <> new.created_at"
    "    / 86400000 OR old.assignee IS NOT new.assignee OR old.open <> new.open"
    "    OR old.segment IS NOT new.segment OR coalesce(old.category, '') = 'sales') BEGIN"
    "  INSERT INTO memo_day_stats (day, assignee, open, segment, n)"
    "    VALUES (new.created_at / 86400000, coalesce(new.assignee, ''), new.open,"
    "            coalesce(new.segment, ''), 1)"
    "    ON CONFLICT DO UPDATE SET n = n + 1;"
    "END;";

/* Version 5: contacts.  contact_phone maps the key of every number of a live
 * contact (dengon_phone_key(), whatever form the document wrote it in) to the
 * contact, kept in the same transaction as the document, so a ring finds its
 * caller with one index seek.  memo_by_contact finds a contact's memos (the
 * last contact that makes a customer existing or dormant). */
static const char schema_v5[] =
    "CREATE TABLE contact_phone ("
    "  number_key TEXT NOT NULL,"
    "  contact_id TEXT NOT NULL,"
    "  PRIMARY KEY (number_key, contact_id)) WITHOUT ROWID;"
    "CREATE INDEX contact_phone_by_contact ON contact_phone (contact_id);"
    "CREATE INDEX memo_by_contact ON memo_index (contact_id, key) WHERE contact_id IS NOT NULL;"
    /* Outgoing calls: what they came to (dengon_memo_get_call_result(): 1 try again, 2 reached,
     * 3 appointment), for the review's reach and appointment rates. */
    "ALTER TABLE memo_index ADD COLUMN call_result INTEGER;"
    "CREATE INDEX memo_by_call_result ON memo_index (key, call_result) WHERE direction = 1;"
    /* Leads escalated to field sales and their outcome (dengon_memo_get_escalation()). */
    "ALTER TABLE memo_index ADD COLUMN escalated_at INTEGER;"
    "ALTER TABLE memo_index ADD COLUMN escalated_to TEXT;"
    "ALTER TABLE memo_index ADD COLUMN outcome TEXT;"
    "CREATE INDEX memo_by_escalation ON memo_index (escalated_at, key, escalated_to, outcome)"
    "  WHERE escalated_at IS NOT NULL;";

/* ------------------------------------------------------------------ errors */

static void
set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what)
{
  int code = rc & 0xff;
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (code)
    {
      case SQLITE_FULL:
        g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FULL,
                     _ ("The disk is full: nothing was saved. Free some space and try again."));
        break;

      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CORRUPT,
                     _ ("The database file is damaged (%s)."), detail);
        break;

      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_CANTOPEN:
        g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_READ_ONLY,
                     _ ("The database cannot be written (%s)."), detail);
        break;

      case SQLITE_IOERR:
        if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC)
          {
            /* ENOSPC surfaces as a write error on some file systems. */
            g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FULL,
                         _ ("The disk is full: nothing was saved. Free some space and try again."));
            break;
          }
        G_GNUC_FALLTHROUGH;

      default:
        g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FAILED, "%s: %s", what, detail);
        break;
    }
}

/* ------------------------------------------------------------------ connections */

static void
conn_free (Conn *conn)
{
  if (conn == NULL)
    return;

  g_clear_pointer (&conn->statements, g_hash_table_unref);
  sqlite3_close_v2 (conn->db);
  g_free (conn);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static gboolean
conn_exec (Conn *conn, const char *sql, GError **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (conn->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, conn->db, rc, sql);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

/* Statements are cached per connection by their SQL text. */
static sqlite3_stmt *
conn_prepare (Conn *conn, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, conn->db, rc, "prepare");
      return NULL;
    }

  g_hash_table_insert (conn->statements, g_strdup (sql), stmt);

  return stmt;
}

static Conn *
conn_open (const char *path, gboolean create, GError **error)
{
  Conn *conn = g_new0 (Conn, 1);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  if (create)
    flags |= SQLITE_OPEN_CREATE;

  rc = sqlite3_open_v2 (path, &conn->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, conn->db, rc, "open");
      conn_free (conn);
      return NULL;
    }

  conn->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  sqlite3_busy_timeout (conn->db, 10000);
  sqlite3_extended_result_codes (conn->db, 1);

  return conn;
}

static Conn *
dengon_store_acquire_reader (DengonStore *self, GError **error)
{
  Conn *conn = NULL;

  g_mutex_lock (&self->readers_lock);
  while (self->idle_readers->len == 0 && self->n_readers >= MAX_READERS)
    g_cond_wait (&self->readers_cond, &self->readers_lock);
  if (self->idle_readers->len > 0)
    conn = g_ptr_array_steal_index_fast (self->idle_readers, self->idle_readers->len - 1);
  else
    self->n_readers++;
  g_mutex_unlock (&self->readers_lock);

  if (conn != NULL)
    return conn;

  conn = conn_open (self->path, FALSE, error);
  /* Readers keep a small page cache each (the OS caches the file): four
   * readers of 16 MB took the inbox's peak memory up with the database;
   * 2 MB keeps it flat and the year's review under its 100 ms target. */
  if (conn != NULL && !conn_exec (conn, "PRAGMA query_only = 1; PRAGMA cache_size = -2048", error))
    g_clear_pointer (&conn, conn_free);

  if (conn == NULL)
    {
      g_mutex_lock (&self->readers_lock);
      self->n_readers--;
      g_cond_signal (&self->readers_cond);
      g_mutex_unlock (&self->readers_lock);
    }

  return conn;
}

static void
dengon_store_release_reader (DengonStore *self, Conn *conn)
{
  g_mutex_lock (&self->readers_lock);
  g_ptr_array_add (self->idle_readers, conn);
  g_cond_signal (&self->readers_cond);
  g_mutex_unlock (&self->readers_lock);
}

typedef struct
{
  DengonStore *store;
  Conn *conn;
} Reader;

static void
reader_release (Reader *reader)
{
  if (reader->conn != NULL)
    {
      sqlite3_exec (reader->conn->db, "COMMIT", NULL, NULL, NULL);
      dengon_store_release_reader (reader->store, reader->conn);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_release)

/* A read snapshot: every statement inside sees the same commit. */
static gboolean
reader_begin (DengonStore *self, Reader *reader, GError **error)
{
  reader->store = self;
  reader->conn = dengon_store_acquire_reader (self, error);
  if (reader->conn == NULL)
    return FALSE;

  if (!conn_exec (reader->conn, "BEGIN", error))
    {
      dengon_store_release_reader (self, reader->conn);
      reader->conn = NULL;
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ helpers */

void
dengon_store_change_free (DengonStoreChange *change)
{
  if (change == NULL)
    return;

  g_free (change->id);
  g_free (change->rev);
  g_free (change->type);
  g_free (change);
}

void
dengon_store_feed_entry_free (DengonStoreFeedEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->id);
  g_strfreev (entry->revs);
  g_free (entry);
}

void
dengon_memo_record_free (DengonMemoRecord *row)
{
  if (row == NULL)
    return;

  g_free (row->id);
  g_free (row->rev);
  g_clear_pointer (&row->doc, json_object_unref);
  g_free (row);
}

DengonMemoQuery *
dengon_memo_query_copy (const DengonMemoQuery *query)
{
  DengonMemoQuery *copy = g_new0 (DengonMemoQuery, 1);

  if (query == NULL)
    return copy;

  *copy = *query;
  /* Owned copies of the strings (const in the struct for callers' convenience). */
  copy->assignee = g_strdup (query->assignee);
  copy->category = g_strdup (query->category);
  copy->number = g_strdup (query->number);

  return copy;
}

void
dengon_memo_query_free (DengonMemoQuery *query)
{
  if (query == NULL)
    return;

  g_free ((char *) query->assignee);
  g_free ((char *) query->category);
  g_free ((char *) query->number);
  g_free (query);
}

gboolean
dengon_memo_query_equal (const DengonMemoQuery *a, const DengonMemoQuery *b)
{
  DengonMemoQuery empty = { 0 };

  if (a == NULL)
    a = &empty;
  if (b == NULL)
    b = &empty;

  return a->status_mask == b->status_mask && g_strcmp0 (a->assignee, b->assignee) == 0 &&
         a->unassigned == b->unassigned && g_strcmp0 (a->category, b->category) == 0 &&
         g_strcmp0 (a->number, b->number) == 0 && a->from_ms == b->from_ms &&
         a->to_ms == b->to_ms && a->overdue_at_ms == b->overdue_at_ms;
}

void
dengon_memo_hit_free (DengonMemoHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->id);
  g_free (hit);
}

gboolean
dengon_rev_parse (const char *rev, gint64 *pos, const char **hash)
{
  const char *dash;
  gint64 value = 0;

  if (rev == NULL)
    return FALSE;

  dash = strchr (rev, '-');
  if (dash == NULL || dash == rev || dash - rev > 9 || dash[1] == '\0')
    return FALSE;

  for (const char *p = rev; p < dash; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
    }
  if (value < 1)
    return FALSE;

  if (strlen (dash + 1) > MAX_REV_HASH_BYTES)
    return FALSE;
  for (const char *p = dash + 1; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_')
        return FALSE;
    }

  if (pos)
    *pos = value;
  if (hash)
    *hash = dash + 1;

  return TRUE;
}

/* CouchDB's winner: a live leaf beats a deleted one, then the longer
 * path, then the greater hash (byte order).  > 0 when a wins. */
int
dengon_rev_compare_winner (gint64 pos_a, const char *hash_a, gboolean deleted_a, gint64 pos_b,
                           const char *hash_b, gboolean deleted_b)
{
  int cmp;

  if (!deleted_a != !deleted_b)
    return deleted_a ? -1 : 1;
  if (pos_a != pos_b)
    return pos_a < pos_b ? -1 : 1;

  cmp = strcmp (hash_a, hash_b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

static gboolean
validate_id (const char *id, GError **error)
{
  if (id == NULL || *id == '\0')
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                   "_id: a document needs an id");
      return FALSE;
    }

  if (strlen (id) > MAX_ID_BYTES || !g_utf8_validate (id, -1, NULL))
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                   "_id: not valid UTF-8 of at most %d bytes", MAX_ID_BYTES);
      return FALSE;
    }

  if (id[0] == '_')
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                   "_id: ids starting with “_” are reserved");
      return FALSE;
    }

  for (const char *p = id; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                       "_id: control characters are not allowed");
          return FALSE;
        }
    }

  return TRUE;
}

/* The body as stored: the document without its special members. */
static JsonObject *
body_of (JsonObject *doc, gboolean *deleted, GError **error)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (GList) members = json_object_get_members (doc);

  *deleted = FALSE;

  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;

      if (name[0] == '_')
        {
          if (g_str_equal (name, "_deleted"))
            *deleted = dengon_json_get_boolean (doc, name, FALSE);
          else if (g_str_equal (name, "_attachments"))
            {
              g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                           "_attachments: attachments are not supported");
              return NULL;
            }
          else if (!g_str_equal (name, "_id") && !g_str_equal (name, "_rev") &&
                   !g_str_equal (name, "_revisions") && !g_str_equal (name, "_conflicts") &&
                   !g_str_equal (name, "_deleted_conflicts") && !g_str_equal (name, "_revs_info"))
            {
              g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                           "%s: bad special document member", name);
              return NULL;
            }
          continue;
        }

      json_object_set_member (body, name, json_node_copy (json_object_get_member (doc, name)));
    }

  return g_steal_pointer (&body);
}

static char *
make_rev_hash (const char *parent_rev, gboolean deleted, const char *canonical_body)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);

  if (parent_rev != NULL)
    g_checksum_update (checksum, (const guchar *) parent_rev, -1);
  g_checksum_update (checksum, (const guchar *) (deleted ? "\n1\n" : "\n0\n"), 3);
  g_checksum_update (checksum, (const guchar *) canonical_body, -1);

  return g_strdup (g_checksum_get_string (checksum));
}

static JsonObject *
doc_from_body (const char *id, const char *rev, gboolean deleted, const char *body_text)
{
  g_autoptr (JsonObject) body = NULL;
  JsonObject *doc = json_object_new ();

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", rev);
  if (deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  if (body_text != NULL)
    body = dengon_json_parse_object (body_text, -1, NULL, NULL);
  if (body != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (body);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (doc, l->data,
                                json_node_copy (json_object_get_member (body, l->data)));
    }

  return doc;
}

/* ------------------------------------------------------------------ change emission */

static gboolean
emit_pending (gpointer user_data)
{
  DengonStore *self = user_data;

  for (;;)
    {
      g_autoptr (GPtrArray) changes = NULL;

      g_mutex_lock (&self->pending_lock);
      changes = g_queue_pop_head (&self->pending);
      if (changes == NULL)
        self->pending_source = 0;
      g_mutex_unlock (&self->pending_lock);

      if (changes == NULL)
        break;

      g_signal_emit (self, signals[CHANGED], 0, changes);
    }

  return G_SOURCE_REMOVE;
}

static void
queue_changes (DengonStore *self, GPtrArray *changes)
{
  if (changes == NULL || changes->len == 0)
    return;

  g_mutex_lock (&self->pending_lock);
  g_queue_push_tail (&self->pending, g_ptr_array_ref (changes));
  if (self->pending_source == 0)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, emit_pending, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[dengon] store changed");
      self->pending_source = g_source_attach (source, self->main_context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->pending_lock);
}

/* ------------------------------------------------------------------ derived tables */

typedef struct
{
  char *caller;
  char *company;
  char *number;
  char *message;
} MemoText;

static void
memo_text_clear (MemoText *text)
{
  g_clear_pointer (&text->caller, g_free);
  g_clear_pointer (&text->company, g_free);
  g_clear_pointer (&text->number, g_free);
  g_clear_pointer (&text->message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MemoText, memo_text_clear)

/* What search sees: NFKC (full-width letters and digits, half-width kana),
 * padded so that a term at the end of a field still forms trigrams. */
char *
dengon_store_normalize_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup (FTS_PAD);

  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    return g_strdup (FTS_PAD);

  return g_strconcat (normalized, FTS_PAD, NULL);
}

/* A Japanese number is searched the way it is written here, from its
 * leading 0: "+81312345678" is indexed as "0312345678" only, so that a
 * fragment never matches across the country code ("1234" in "+81 2 34…"). */
static char *
number_search_digits (const char *number)
{
  g_autofree char *digits = dengon_phone_digits (number);
  const char *p = number;

  while (*p == ' ')
    p++;
  if (digits == NULL || *digits == '\0')
    return NULL;
  if ((g_str_has_prefix (p, "+81") || g_str_has_prefix (p, "＋８１")) && strlen (digits) > 2)
    return g_strconcat ("0", digits + 2, NULL);

  return g_steal_pointer (&digits);
}

static void
append_number_forms (GString *out, const char *number)
{
  g_autofree char *digits = NULL;

  if (number == NULL || *number == '\0')
    return;

  digits = number_search_digits (number);
  if (digits != NULL)
    {
      g_string_append (out, digits);
      g_string_append_c (out, ' ');
    }
}

static void
memo_text_from_body (MemoText *text, JsonObject *body)
{
  JsonObject *caller = dengon_json_get_object (body, "caller");
  JsonObject *call = dengon_json_get_object (body, "call");
  JsonObject *callback = dengon_json_get_object (body, "callback");
  g_autoptr (GString) numbers = g_string_new (NULL);
  g_autofree char *numbers_text = NULL;

  append_number_forms (numbers, dengon_json_get_string (call, "number"));
  append_number_forms (numbers, dengon_json_get_string (call, "number_display"));
  append_number_forms (numbers, dengon_json_get_string (callback, "number"));
  numbers_text = g_string_free (g_steal_pointer (&numbers), FALSE);

  text->caller = dengon_store_normalize_text (dengon_json_get_string (caller, "name"));
  text->company = dengon_store_normalize_text (dengon_json_get_string (caller, "company"));
  text->number = dengon_store_normalize_text (numbers_text);
  text->message = dengon_store_normalize_text (dengon_json_get_string (body, "message"));
}

/* The status and assignee come from the history (the truth); the cached
 * members are used only by documents that have no history. */
static int
memo_status_of (JsonObject *body, const char **assignee)
{
  JsonArray *history = dengon_json_get_array (body, "history");
  DengonMemoStatus status = DENGON_MEMO_STATUS_NEW;

  if (history != NULL && json_array_get_length (history) > 0)
    return dengon_memo_fold_history (history, assignee);

  *assignee = dengon_json_get_string (body, "for");
  dengon_memo_status_from_string (dengon_json_get_string (body, "status"), &status);

  return status;
}

static gint64
memo_done_at (JsonObject *body)
{
  JsonArray *history = dengon_json_get_array (body, "history");
  gint64 done_at = 0;
  guint n = history ? json_array_get_length (history) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (g_strcmp0 (dengon_json_get_string (event, "action"), "done") == 0)
        done_at = MAX (done_at, dengon_json_timestamp_to_ms (dengon_json_get_string (event, "at")));
    }

  return done_at;
}

/* When the caller was first called back (the first "called_back" event that
 * was not undone), 0 when never: the review's time to callback. */
static gint64
memo_first_callback_at (JsonObject *body)
{
  JsonArray *history = dengon_json_get_array (body, "history");
  gint64 first = 0;
  guint n = history ? json_array_get_length (history) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 at;

      if (g_strcmp0 (dengon_json_get_string (event, "action"), "called_back") != 0)
        continue;
      at = dengon_json_timestamp_to_ms (dengon_json_get_string (event, "at"));
      if (at > 0 && (first == 0 || at < first) && !dengon_memo_event_is_undone (body, event))
        first = at;
    }

  return first;
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
step_done (Conn *conn, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (error, conn->db, rc, sqlite3_sql (stmt));
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

/* The memo's position: created time in ms, times 1024 slots, so two memos
 * of the same millisecond both fit and the order is newest first. */
static gint64
allocate_memo_key (Conn *conn, gint64 created_ms, gint64 doc_id, GError **error)
{
  sqlite3_stmt *stmt = conn_prepare (conn, "SELECT 1 FROM memo_index WHERE key = ?", error);
  gint64 base = created_ms * 1024;

  if (stmt == NULL)
    return 0;

  for (gint64 i = 0; i < 1024; i++)
    {
      gint64 key = base + ((doc_id + i) & 1023);
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, key);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        return key;
      if (rc != SQLITE_ROW)
        {
          set_sqlite_error (error, conn->db, rc, "memo key");
          return 0;
        }
    }

  g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FAILED,
               "more than 1024 memos created in one millisecond");
  return 0;
}

static gboolean
memo_index_remove (Conn *conn, gint64 doc_id, gint64 key, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = conn_prepare (conn, "DELETE FROM memo_index WHERE doc_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_id);
  if (!step_done (conn, stmt, error))
    return FALSE;

  stmt = conn_prepare (conn, "DELETE FROM memo_text WHERE rowid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key);

  return step_done (conn, stmt, error);
}

/* Keep the memo index and the search text equal to the winning revision.
 * Returns the memo key (0 when the document is not a live memo). */
static gboolean
memo_index_update (Conn *conn, gint64 doc_id, JsonObject *winner, gboolean deleted, gint64 *out_key,
                   GError **error)
{
  g_auto (MemoText) text = { 0 };
  JsonObject *call, *callback, *caller;
  sqlite3_stmt *stmt;
  gint64 old_key = 0, old_created = 0, key, created_ms, called_back_at;
  gboolean have_old = FALSE, is_memo;
  const char *direction, *assignee = NULL, *segment;
  int status;

  *out_key = 0;

  stmt = conn_prepare (conn, "SELECT key, created_at FROM memo_index WHERE doc_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      have_old = TRUE;
      old_key = sqlite3_column_int64 (stmt, 0);
      old_created = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  is_memo = !deleted && winner != NULL &&
            g_strcmp0 (dengon_json_get_string (winner, "type"), "memo") == 0;
  if (!is_memo)
    {
      /* Lists need the key that went away. */
      *out_key = have_old ? old_key : 0;
      return !have_old || memo_index_remove (conn, doc_id, old_key, error);
    }

  created_ms = dengon_json_timestamp_to_ms (dengon_json_get_string (winner, "created_at"));
  if (have_old && old_created == created_ms)
    key = old_key;
  else
    {
      if (have_old && !memo_index_remove (conn, doc_id, old_key, error))
        return FALSE;
      have_old = FALSE;
      key = allocate_memo_key (conn, created_ms, doc_id, error);
      if (key == 0)
        return FALSE;
    }

  call = dengon_json_get_object (winner, "call");
  callback = dengon_json_get_object (winner, "callback");
  caller = dengon_json_get_object (winner, "caller");
  direction = dengon_json_get_string (call, "direction");
  status = memo_status_of (winner, &assignee);

  /* An upsert, not INSERT OR REPLACE: the review's aggregate tables follow
   * memo_index through triggers, and a REPLACE deletes without firing them. */
  stmt = conn_prepare (
      conn,
      "INSERT INTO memo_index (doc_id, key, created_at, status, assignee, category, urgent,"
      " callback_by, number, contact_id, taken_by, direction, done_at, open, called_back_at,"
      " segment, call_result, escalated_at, escalated_to, outcome) VALUES (?1, ?2, ?3, ?4, ?5,"
      " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
      " ON CONFLICT (doc_id) DO UPDATE SET key = ?2, created_at = ?3, status = ?4, assignee = ?5,"
      " category = ?6, urgent = ?7, callback_by = ?8, number = ?9, contact_id = ?10,"
      " taken_by = ?11, direction = ?12, done_at = ?13, open = ?14, called_back_at = ?15,"
      " segment = ?16, call_result = ?17, escalated_at = ?18, escalated_to = ?19, outcome = ?20",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_id);
  sqlite3_bind_int64 (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, created_ms);
  sqlite3_bind_int (stmt, 4, status);
  bind_text_or_null (stmt, 5, assignee);
  bind_text_or_null (stmt, 6, dengon_json_get_string (winner, "category"));
  sqlite3_bind_int (stmt, 7, g_strcmp0 (dengon_json_get_string (winner, "urgency"), "urgent") == 0);
  if (dengon_json_get_boolean (callback, "requested", FALSE) &&
      dengon_json_get_string (callback, "by") != NULL)
    sqlite3_bind_int64 (stmt, 8,
                        dengon_json_timestamp_to_ms (dengon_json_get_string (callback, "by")));
  else
    sqlite3_bind_null (stmt, 8);
  bind_text_or_null (stmt, 9, dengon_json_get_string (call, "number"));
  bind_text_or_null (stmt, 10, dengon_json_get_string (caller, "contact_id"));
  bind_text_or_null (stmt, 11, dengon_json_get_string (winner, "taken_by"));
  sqlite3_bind_int (stmt, 12, g_strcmp0 (direction, "out") == 0);
  if (status == DENGON_MEMO_STATUS_DONE)
    sqlite3_bind_int64 (stmt, 13, memo_done_at (winner));
  else
    sqlite3_bind_null (stmt, 13);
  sqlite3_bind_int (stmt, 14, status != DENGON_MEMO_STATUS_DONE);
  called_back_at = memo_first_callback_at (winner);
  if (called_back_at > 0)
    sqlite3_bind_int64 (stmt, 15, called_back_at);
  else
    sqlite3_bind_null (stmt, 15);
  segment = dengon_json_get_string (caller, "segment");
  bind_text_or_null (stmt, 16, segment != NULL && *segment ? segment : NULL);
  {
    DengonCallResult result = dengon_memo_get_call_result (winner);
    JsonObject *outcome = NULL;
    JsonObject *escalation = dengon_memo_get_escalation (winner, &outcome);

    if (result != DENGON_CALL_RESULT_NONE)
      sqlite3_bind_int (stmt, 17, result);
    else
      sqlite3_bind_null (stmt, 17);
    if (escalation != NULL)
      {
        sqlite3_bind_int64 (
            stmt, 18,
            MAX (1, dengon_json_timestamp_to_ms (dengon_json_get_string (escalation, "at"))));
        bind_text_or_null (stmt, 19, dengon_json_get_string (escalation, "to"));
        bind_text_or_null (stmt, 20,
                           outcome != NULL ? dengon_json_get_string (outcome, "note") : NULL);
      }
    else
      {
        sqlite3_bind_null (stmt, 18);
        sqlite3_bind_null (stmt, 19);
        sqlite3_bind_null (stmt, 20);
      }
  }
  if (!step_done (conn, stmt, error))
    return FALSE;

  memo_text_from_body (&text, winner);

  if (have_old)
    {
      gboolean same = FALSE, found = FALSE;

      /* Status changes leave the text alone: skip the FTS work. */
      stmt = conn_prepare (conn,
                           "SELECT caller = ?2 AND company = ?3 AND number = ?4 AND message = ?5"
                           " FROM memo_text WHERE rowid = ?1",
                           error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, key);
      sqlite3_bind_text (stmt, 2, text.caller, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, text.company, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, text.number, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, text.message, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          found = TRUE;
          same = sqlite3_column_int (stmt, 0) != 0;
        }
      sqlite3_reset (stmt);

      if (same)
        {
          *out_key = key;
          return TRUE;
        }

      /* A memo indexed before search existed (a migrated file) has no text yet. */
      if (found)
        stmt = conn_prepare (
            conn,
            "UPDATE memo_text SET caller = ?2, company = ?3, number = ?4, message = ?5"
            " WHERE rowid = ?1",
            error);
      else
        stmt = conn_prepare (conn,
                             "INSERT INTO memo_text (rowid, caller, company, number, message)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
    }
  else
    stmt = conn_prepare (conn,
                         "INSERT INTO memo_text (rowid, caller, company, number, message)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_text (stmt, 2, text.caller, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text.company, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, text.number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, text.message, -1, SQLITE_STATIC);
  if (!step_done (conn, stmt, error))
    return FALSE;

  *out_key = key;
  return TRUE;
}

/* Keep contact_phone equal to the winning revision of a contact: every
 * number's key, computed here again so that a number written by another
 * client in any form ("03-1234-5678", "+81 3 1234 5678") matches. */
static gboolean
contact_index_update (Conn *conn, const char *id, JsonObject *winner, gboolean deleted,
                      GError **error)
{
  sqlite3_stmt *stmt;
  JsonArray *numbers;

  if (!g_str_has_prefix (id, "contact:"))
    return TRUE;

  stmt = conn_prepare (conn, "DELETE FROM contact_phone WHERE contact_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!step_done (conn, stmt, error))
    return FALSE;

  if (deleted || winner == NULL ||
      g_strcmp0 (dengon_json_get_string (winner, "type"), "contact") != 0)
    return TRUE;

  numbers = dengon_json_get_array (winner, "numbers");
  for (guint i = 0; numbers != NULL && i < json_array_get_length (numbers) && i < 100; i++)
    {
      JsonNode *node = json_array_get_element (numbers, i);
      g_autofree char *key = NULL;
      const char *number = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *entry = json_node_get_object (node);

          number = dengon_json_get_string (entry, "number");
          if (number == NULL)
            number = dengon_json_get_string (entry, "display");
        }
      key = dengon_phone_key (number, NULL);
      if (key == NULL)
        continue;

      stmt = conn_prepare (
          conn, "INSERT OR IGNORE INTO contact_phone (number_key, contact_id) VALUES (?, ?)",
          error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (!step_done (conn, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ revision tree */

typedef struct
{
  gint64 pos;
  char *hash;
  gboolean deleted;
} Leaf;

static void
leaf_free (Leaf *leaf)
{
  g_free (leaf->hash);
  g_free (leaf);
}

static int
compare_leaves_winner_first (gconstpointer a, gconstpointer b)
{
  const Leaf *la = *(const Leaf *const *) a;
  const Leaf *lb = *(const Leaf *const *) b;

  return -dengon_rev_compare_winner (la->pos, la->hash, la->deleted, lb->pos, lb->hash,
                                     lb->deleted);
}

/* Leaves of a document, the winner first. */
static GPtrArray *
load_leaves (Conn *conn, gint64 doc_id, GError **error)
{
  g_autoptr (GPtrArray) leaves = g_ptr_array_new_with_free_func ((GDestroyNotify) leaf_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt =
      conn_prepare (conn, "SELECT pos, hash, deleted FROM revs WHERE doc_id = ? AND leaf", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, doc_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Leaf *leaf = g_new0 (Leaf, 1);

      leaf->pos = sqlite3_column_int64 (stmt, 0);
      leaf->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      leaf->deleted = sqlite3_column_int (stmt, 2) != 0;
      g_ptr_array_add (leaves, leaf);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, rc, "leaves");
      return NULL;
    }

  g_ptr_array_sort (leaves, compare_leaves_winner_first);

  return g_steal_pointer (&leaves);
}

/* A leaf's body.  The winner's body is kept once, in docs.body; revs
 * keeps the bodies of the other leaves (conflicts). */
static char *
load_rev_body (Conn *conn, gint64 doc_id, gint64 pos, const char *hash, gboolean *deleted,
               GError **error)
{
  sqlite3_stmt *stmt;
  char *body = NULL;

  stmt = conn_prepare (
      conn,
      "SELECT coalesce (r.body, CASE WHEN d.rev = r.pos || '-' || r.hash THEN d.body END),"
      " r.deleted FROM revs r JOIN docs d ON d.doc_id = r.doc_id"
      " WHERE r.doc_id = ? AND r.pos = ? AND r.hash = ?",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, doc_id);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (deleted != NULL)
        *deleted = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);

  if (body == NULL)
    g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND, "missing");

  return body;
}

typedef struct
{
  gint64 doc_id;
  gboolean exists;
  char *rev;
  gboolean deleted;
} DocRow;

static void
doc_row_clear (DocRow *row)
{
  g_clear_pointer (&row->rev, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocRow, doc_row_clear)

static gboolean
load_doc_row (Conn *conn, const char *id, DocRow *row, GError **error)
{
  sqlite3_stmt *stmt =
      conn_prepare (conn, "SELECT doc_id, rev, deleted FROM docs WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->exists = TRUE;
      row->doc_id = sqlite3_column_int64 (stmt, 0);
      row->rev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->deleted = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, rc, "load document");
      return FALSE;
    }

  return TRUE;
}

static gboolean
rev_exists (Conn *conn, gint64 doc_id, gint64 pos, const char *hash, gboolean *is_leaf,
            GError **error)
{
  sqlite3_stmt *stmt =
      conn_prepare (conn, "SELECT leaf FROM revs WHERE doc_id = ? AND pos = ? AND hash = ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, doc_id);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (is_leaf)
        *is_leaf = sqlite3_column_int (stmt, 0) != 0;
    }
  sqlite3_reset (stmt);

  return found;
}

/* After the tree of @doc_id changed: choose the winner, give the document
 * the next sequence number and bring the derived tables up to date. */
static gboolean
commit_winner (DengonStore *self, const char *id, gint64 doc_id, gboolean created,
               GPtrArray *changes, GError **error)
{
  Conn *conn = self->writer;
  g_autoptr (GPtrArray) leaves = NULL;
  g_autoptr (JsonObject) winner = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rev = NULL;
  DengonStoreChange *change;
  sqlite3_stmt *stmt;
  const char *type;
  gint64 memo_key = 0;
  Leaf *best;

  leaves = load_leaves (conn, doc_id, error);
  if (leaves == NULL)
    return FALSE;
  if (leaves->len == 0)
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CORRUPT,
                   "document %s has no leaf revision", id);
      return FALSE;
    }

  best = g_ptr_array_index (leaves, 0);
  body = load_rev_body (conn, doc_id, best->pos, best->hash, NULL, error);
  if (body == NULL)
    return FALSE;
  rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", best->pos, best->hash);
  winner = dengon_json_parse_object (body, -1, NULL, NULL);
  type = dengon_json_get_string (winner, "type");

  /* The body moves with the winner: a leaf that stops winning keeps its
   * body in revs, the new winner's is kept in docs alone. */
  stmt = conn_prepare (conn,
                       "UPDATE revs SET body = (SELECT body FROM docs WHERE doc_id = ?1)"
                       " WHERE doc_id = ?1 AND leaf AND body IS NULL AND pos || '-' || hash ="
                       " (SELECT rev FROM docs WHERE doc_id = ?1) AND pos || '-' || hash <> ?2",
                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_id);
  sqlite3_bind_text (stmt, 2, rev, -1, SQLITE_STATIC);
  if (!step_done (conn, stmt, error))
    return FALSE;

  stmt = conn_prepare (
      conn, "UPDATE revs SET body = NULL WHERE doc_id = ? AND pos = ? AND hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_id);
  sqlite3_bind_int64 (stmt, 2, best->pos);
  sqlite3_bind_text (stmt, 3, best->hash, -1, SQLITE_STATIC);
  if (!step_done (conn, stmt, error))
    return FALSE;

  stmt = conn_prepare (
      conn, "UPDATE docs SET rev = ?, deleted = ?, seq = ?, type = ?, body = ? WHERE doc_id = ?",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rev, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, best->deleted);
  sqlite3_bind_int64 (stmt, 3, self->update_seq + 1);
  bind_text_or_null (stmt, 4, type);
  sqlite3_bind_text (stmt, 5, body, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, doc_id);
  if (!step_done (conn, stmt, error))
    return FALSE;

  if (!memo_index_update (conn, doc_id, winner, best->deleted, &memo_key, error))
    return FALSE;
  if (!contact_index_update (conn, id, winner, best->deleted, error))
    return FALSE;

  self->update_seq++;

  change = g_new0 (DengonStoreChange, 1);
  change->id = g_strdup (id);
  change->rev = g_steal_pointer (&rev);
  change->type = g_strdup (type);
  change->seq = self->update_seq;
  change->memo_key = memo_key;
  change->deleted = best->deleted;
  change->created = created;
  g_ptr_array_add (changes, change);

  return TRUE;
}

static gint64
insert_doc_row (DengonStore *self, const char *id, GError **error)
{
  /* commit_winner() fills the row in; its sequence number is already the
   * one it will have (unique, and no need to count rows for it). */
  Conn *conn = self->writer;
  sqlite3_stmt *stmt = conn_prepare (conn,
                                     "INSERT INTO docs (id, rev, deleted, seq, body)"
                                     " VALUES (?, '', 0, ?, '{}')",
                                     error);

  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, self->update_seq + 1);
  if (!step_done (conn, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (conn->db);
}

static gboolean
insert_rev (Conn *conn, gint64 doc_id, gint64 pos, const char *hash, const char *parent,
            gboolean deleted, gboolean leaf, const char *body, GError **error)
{
  sqlite3_stmt *stmt =
      conn_prepare (conn,
                    "INSERT INTO revs (doc_id, pos, hash, parent, deleted, leaf, body)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, doc_id);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 4, parent);
  sqlite3_bind_int (stmt, 5, deleted);
  sqlite3_bind_int (stmt, 6, leaf);
  bind_text_or_null (stmt, 7, body);

  return step_done (conn, stmt, error);
}

/* A revision that gained a child is no longer a leaf; its body is not
 * needed any more (conflicts and replication only read leaves). */
static gboolean
retire_rev (Conn *conn, gint64 doc_id, gint64 pos, const char *hash, GError **error)
{
  sqlite3_stmt *stmt = conn_prepare (conn,
                                     "UPDATE revs SET leaf = 0, body = NULL"
                                     " WHERE doc_id = ? AND pos = ? AND hash = ?",
                                     error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, doc_id);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);

  return step_done (conn, stmt, error);
}

/* ------------------------------------------------------------------ other writers */

/* Another process may commit to the same file (dengon-seed, a repair tool,
 * a second instance): its commits take sequence numbers this store has not
 * handed out.  Adopt them, so that our next commit follows theirs, and
 * return those documents as changes, as if they had been written here.
 * Called with the write lock held. */
static GPtrArray *
catch_up_locked (DengonStore *self, GError **error)
{
  g_autoptr (GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_store_change_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = conn_prepare (self->writer,
                       "SELECT d.id, d.rev, d.type, d.seq, d.deleted, coalesce(m.key, 0)"
                       " FROM docs d LEFT JOIN memo_index m ON m.doc_id = d.doc_id"
                       " WHERE d.seq > ? ORDER BY d.seq",
                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->update_seq);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DengonStoreChange *change = g_new0 (DengonStoreChange, 1);

      change->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      change->rev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      change->type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      change->seq = sqlite3_column_int64 (stmt, 3);
      change->deleted = sqlite3_column_int (stmt, 4) != 0;
      change->memo_key = sqlite3_column_int64 (stmt, 5);
      /* Only the winner is kept here: a first revision is a new document. */
      change->created = g_str_has_prefix (change->rev, "1-");
      self->update_seq = change->seq;
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->writer->db, rc, "reading other writers' changes");
      return NULL;
    }

  return g_steal_pointer (&changes);
}

static void catch_up (DengonStore *self);

static gboolean
on_catch_up_retry (gpointer user_data)
{
  DengonStore *self = user_data;

  self->catch_up_retry = 0;
  catch_up (self);

  return G_SOURCE_REMOVE;
}

/* The write-ahead log grows with every commit, ours or another process'. */
static void
on_wal_changed (DengonStore *self, GFile *file, GFile *other, GFileMonitorEvent event,
                GFileMonitor *monitor)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGED || event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT ||
      event == G_FILE_MONITOR_EVENT_CREATED)
    catch_up (self);
}

/* On the main context, without waiting for the write lock: while a write
 * runs, look again shortly after it. */
static void
catch_up (DengonStore *self)
{
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_mutex_trylock (&self->write_lock))
    {
      if (self->catch_up_retry == 0)
        {
          GSource *source = g_timeout_source_new (100);

          g_source_set_callback (source, on_catch_up_retry, self, NULL);
          g_source_set_static_name (source, "[dengon] store catch-up");
          self->catch_up_retry = g_source_attach (source, self->main_context);
          g_source_unref (source);
        }
      return;
    }
  changes = catch_up_locked (self, &error);
  g_mutex_unlock (&self->write_lock);

  if (changes == NULL)
    g_debug ("%s: %s", self->path, error->message);
  else
    queue_changes (self, changes);
}

static void
watch_other_writers (DengonStore *self)
{
  g_autofree char *wal_path = g_strconcat (self->path, "-wal", NULL);
  g_autoptr (GFile) wal = g_file_new_for_path (wal_path);
  g_autoptr (GError) error = NULL;

  self->wal_monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, NULL, &error);
  if (self->wal_monitor == NULL)
    {
      g_debug ("Not watching %s for other writers: %s", wal_path, error->message);
      return;
    }
  g_signal_connect_swapped (self->wal_monitor, "changed", G_CALLBACK (on_wal_changed), self);
}

/* ------------------------------------------------------------------ write transactions */

static gboolean
write_begin (DengonStore *self, GError **error)
{
  g_autoptr (GPtrArray) external = NULL;

  g_mutex_lock (&self->write_lock);

  if (!conn_exec (self->writer, "BEGIN IMMEDIATE", error))
    {
      g_mutex_unlock (&self->write_lock);
      return FALSE;
    }

  external = catch_up_locked (self, error);
  if (external == NULL)
    {
      sqlite3_exec (self->writer->db, "ROLLBACK", NULL, NULL, NULL);
      g_mutex_unlock (&self->write_lock);
      return FALSE;
    }
  queue_changes (self, external);

  return TRUE;
}

/* Commits (or rolls back when @ok is FALSE) and hands the changes to the
 * main context.  The update sequence is re-read on rollback. */
static gboolean
write_end (DengonStore *self, gboolean ok, GPtrArray *changes, GError **error)
{
  if (ok && !conn_exec (self->writer, "COMMIT", error))
    ok = FALSE;

  if (!ok)
    {
      sqlite3_stmt *stmt;

      sqlite3_exec (self->writer->db, "ROLLBACK", NULL, NULL, NULL);
      stmt = conn_prepare (self->writer, "SELECT coalesce(max(seq), 0) FROM docs", NULL);
      if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        self->update_seq = sqlite3_column_int64 (stmt, 0);
      if (stmt != NULL)
        sqlite3_reset (stmt);
    }

  g_mutex_unlock (&self->write_lock);

  if (ok)
    queue_changes (self, changes);

  return ok;
}

static char *
put_locked (DengonStore *self, JsonObject *doc, GPtrArray *changes, GError **error)
{
  Conn *conn = self->writer;
  g_auto (DocRow) row = { 0 };
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  const char *id = dengon_json_get_string (doc, "_id");
  const char *rev = dengon_json_get_string (doc, "_rev");
  const char *parent_hash = NULL;
  gint64 parent_pos = 0;
  gboolean deleted, created = FALSE;

  if (!validate_id (id, error))
    return NULL;

  body = body_of (doc, &deleted, error);
  if (body == NULL)
    return NULL;

  if (rev != NULL && !dengon_rev_parse (rev, &parent_pos, &parent_hash))
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                   "_rev: “%s” is not a revision", rev);
      return NULL;
    }

  if (!load_doc_row (conn, id, &row, error))
    return NULL;

  if (row.exists)
    {
      gboolean is_leaf = FALSE;

      if (rev != NULL)
        {
          if (!rev_exists (conn, row.doc_id, parent_pos, parent_hash, &is_leaf, error) || !is_leaf)
            {
              g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
                           "Document update conflict: %s has changed since revision %s", id, rev);
              return NULL;
            }
        }
      else if (row.deleted)
        {
          /* Recreating a deleted document continues its tombstone. */
          rev = row.rev;
          dengon_rev_parse (rev, &parent_pos, &parent_hash);
        }
      else
        {
          g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
                       "Document update conflict: %s already exists", id);
          return NULL;
        }
    }
  else
    {
      if (rev != NULL)
        {
          g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
                       "Document update conflict: %s does not exist", id);
          return NULL;
        }

      row.doc_id = insert_doc_row (self, id, error);
      if (row.doc_id == 0)
        return NULL;
      created = TRUE;
    }

  canonical = dengon_json_canonical_object (body);
  hash = make_rev_hash (rev, deleted, canonical);

  if (rev != NULL && !retire_rev (conn, row.doc_id, parent_pos, parent_hash, error))
    return NULL;
  if (!insert_rev (conn, row.doc_id, parent_pos + 1, hash, parent_hash, deleted, TRUE, canonical,
                   error))
    return NULL;
  if (!commit_winner (self, id, row.doc_id, created, changes, error))
    return NULL;

  return g_strdup_printf ("%" G_GINT64_FORMAT "-%s", parent_pos + 1, hash);
}

char *
dengon_store_put (DengonStore *self, JsonObject *doc, GError **error)
{
  g_autoptr (GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_store_change_free);
  g_autofree char *rev = NULL;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (doc != NULL, NULL);

  if (!write_begin (self, error))
    return NULL;

  rev = put_locked (self, doc, changes, error);

  if (!write_end (self, rev != NULL, changes, rev != NULL ? error : NULL))
    return NULL;

  return g_steal_pointer (&rev);
}

GStrv
dengon_store_put_many (DengonStore *self, GPtrArray *docs, GError **error)
{
  g_autoptr (GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_store_change_free);
  g_autoptr (GStrvBuilder) revs = g_strv_builder_new ();
  g_autoptr (GError) local_error = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (docs != NULL, NULL);

  if (!write_begin (self, error))
    return NULL;

  for (guint i = 0; ok && i < docs->len; i++)
    {
      g_autofree char *rev = put_locked (self, g_ptr_array_index (docs, i), changes, &local_error);

      if (rev == NULL)
        {
          const char *id = dengon_json_get_string (g_ptr_array_index (docs, i), "_id");

          g_prefix_error (&local_error, "%s: ", id != NULL ? id : "?");
          ok = FALSE;
        }
      else
        g_strv_builder_add (revs, rev);
    }

  if (!write_end (self, ok, changes, ok ? &local_error : NULL) || !ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_strv_builder_end (revs);
}

char *
dengon_store_delete (DengonStore *self, const char *id, const char *rev, GError **error)
{
  g_autoptr (JsonObject) tombstone = json_object_new ();

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  json_object_set_string_member (tombstone, "_id", id);
  if (rev != NULL)
    json_object_set_string_member (tombstone, "_rev", rev);
  else
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT,
                   "Document update conflict: deleting %s needs its revision", id);
      return NULL;
    }
  json_object_set_boolean_member (tombstone, "_deleted", TRUE);

  return dengon_store_put (self, tombstone, error);
}

/* new_edits=false: graft the path in _revisions onto the tree. */
static gboolean
put_replicated_one (DengonStore *self, JsonObject *doc, GPtrArray *changes, GError **error)
{
  Conn *conn = self->writer;
  g_auto (DocRow) row = { 0 };
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr (GPtrArray) path = g_ptr_array_new ();
  const char *id = dengon_json_get_string (doc, "_id");
  const char *rev = dengon_json_get_string (doc, "_rev");
  JsonObject *revisions = dengon_json_get_object (doc, "_revisions");
  const char *hash = NULL;
  gint64 pos = 0;
  gboolean deleted, created = FALSE, is_leaf;

  if (!validate_id (id, error))
    return FALSE;

  if (!dengon_rev_parse (rev, &pos, &hash))
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                   "_rev: “%s” is not a revision", rev ? rev : "");
      return FALSE;
    }

  body = body_of (doc, &deleted, error);
  if (body == NULL)
    return FALSE;

  if (revisions != NULL)
    {
      JsonArray *ids = dengon_json_get_array (revisions, "ids");
      gint64 start = dengon_json_get_int (revisions, "start", -1);
      guint n = ids ? json_array_get_length (ids) : 0;

      if (start != pos || n == 0 || n > MAX_REVISIONS)
        {
          g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                       "_revisions: does not match _rev %s", rev);
          return FALSE;
        }

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (ids, i);
          const char *h =
              JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                  ? json_node_get_string (node)
                  : NULL;
          g_autofree char *check = NULL;

          if (h != NULL)
            check = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", MAX (start - (gint64) i, 1), h);
          if (h == NULL || start - (gint64) i < 1 || !dengon_rev_parse (check, NULL, NULL) ||
              (i == 0 && !g_str_equal (h, hash)))
            {
              g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                           "_revisions.ids[%u]: not a revision hash", i);
              return FALSE;
            }
          g_ptr_array_add (path, (gpointer) h);
        }
    }
  else
    g_ptr_array_add (path, (gpointer) hash);

  if (!load_doc_row (conn, id, &row, error))
    return FALSE;

  if (!row.exists)
    {
      row.doc_id = insert_doc_row (self, id, error);
      if (row.doc_id == 0)
        return FALSE;
      created = TRUE;
    }
  else if (rev_exists (conn, row.doc_id, pos, hash, NULL, error))
    return TRUE; /* already here: replication is idempotent */

  canonical = dengon_json_canonical_object (body);

  /* From the oldest ancestor given to the new leaf. */
  for (guint i = path->len; i-- > 0;)
    {
      gint64 p = pos - i;
      const char *h = g_ptr_array_index (path, i);
      const char *parent = i + 1 < path->len ? g_ptr_array_index (path, i + 1) : NULL;

      if (rev_exists (conn, row.doc_id, p, h, &is_leaf, error))
        {
          if (i > 0 && is_leaf && !retire_rev (conn, row.doc_id, p, h, error))
            return FALSE;
          continue;
        }

      if (!insert_rev (conn, row.doc_id, p, h, parent, i == 0 ? deleted : FALSE, i == 0,
                       i == 0 ? canonical : NULL, error))
        return FALSE;
    }

  return commit_winner (self, id, row.doc_id, created, changes, error);
}

gboolean
dengon_store_put_replicated (DengonStore *self, GPtrArray *docs, GPtrArray **failures,
                             GError **error)
{
  g_autoptr (GPtrArray) changes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_store_change_free);
  g_autoptr (GPtrArray) failed =
      g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GError) local_error = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (DENGON_IS_STORE (self), FALSE);
  g_return_val_if_fail (docs != NULL, FALSE);

  if (!write_begin (self, error))
    return FALSE;

  for (guint i = 0; i < docs->len && ok; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      g_autoptr (GError) doc_error = NULL;

      if (!conn_exec (self->writer, "SAVEPOINT doc", &local_error))
        {
          ok = FALSE;
          break;
        }

      if (put_replicated_one (self, doc, changes, &doc_error))
        {
          ok = conn_exec (self->writer, "RELEASE doc", &local_error);
          continue;
        }

      /* A bad document is reported and skipped; a failing disk stops the batch. */
      if (doc_error->domain == DENGON_STORE_ERROR && doc_error->code == DENGON_STORE_ERROR_INVALID)
        {
          JsonObject *failure = json_object_new ();
          const char *id = dengon_json_get_string (doc, "_id");

          sqlite3_exec (self->writer->db, "ROLLBACK TO doc; RELEASE doc", NULL, NULL, NULL);
          json_object_set_string_member (failure, "id", id ? id : "");
          json_object_set_string_member (failure, "error", "forbidden");
          json_object_set_string_member (failure, "reason", doc_error->message);
          g_ptr_array_add (failed, failure);
          continue;
        }

      g_propagate_error (&local_error, g_steal_pointer (&doc_error));
      ok = FALSE;
    }

  if (!write_end (self, ok, changes, ok ? &local_error : NULL))
    ok = FALSE;

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (failures != NULL)
    *failures = g_steal_pointer (&failed);

  return TRUE;
}

/* ------------------------------------------------------------------ reading documents */

static JsonObject *
revisions_of (Conn *conn, gint64 doc_id, gint64 pos, const char *hash, GError **error)
{
  sqlite3_stmt *stmt = conn_prepare (
      conn, "SELECT parent FROM revs WHERE doc_id = ? AND pos = ? AND hash = ?", error);
  JsonObject *revisions;
  JsonArray *ids;
  g_autofree char *current = g_strdup (hash);
  gint64 p = pos;

  if (stmt == NULL)
    return NULL;

  revisions = json_object_new ();
  ids = json_array_new ();
  json_object_set_int_member (revisions, "start", pos);
  json_object_set_array_member (revisions, "ids", ids);

  while (current != NULL && p >= 1 && json_array_get_length (ids) < MAX_REVISIONS)
    {
      char *parent = NULL;

      json_array_add_string_element (ids, current);
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, doc_id);
      sqlite3_bind_int64 (stmt, 2, p);
      sqlite3_bind_text (stmt, 3, current, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        parent = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);

      g_free (current);
      current = parent;
      p--;
    }

  return revisions;
}

static JsonObject *
get_locked (Conn *conn, const char *id, const char *rev, DengonStoreGetFlags flags, GError **error)
{
  g_auto (DocRow) row = { 0 };
  g_autofree char *body = NULL;
  g_autoptr (JsonObject) doc = NULL;
  const char *hash;
  gint64 pos;
  gboolean deleted;

  if (!load_doc_row (conn, id, &row, error))
    return NULL;

  if (!row.exists)
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND, "missing");
      return NULL;
    }

  if (rev == NULL)
    {
      if (row.deleted && !(flags & DENGON_STORE_GET_DELETED))
        {
          g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND, "deleted");
          return NULL;
        }
      rev = row.rev;
    }

  if (!dengon_rev_parse (rev, &pos, &hash))
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                   "_rev: “%s” is not a revision", rev);
      return NULL;
    }

  body = load_rev_body (conn, row.doc_id, pos, hash, &deleted, error);
  if (body == NULL)
    return NULL;

  doc = doc_from_body (id, rev, deleted, body);

  if (flags & DENGON_STORE_GET_CONFLICTS)
    {
      g_autoptr (GPtrArray) leaves = load_leaves (conn, row.doc_id, error);
      JsonArray *conflicts = json_array_new ();

      if (leaves == NULL)
        {
          json_array_unref (conflicts);
          return NULL;
        }
      for (guint i = 1; i < leaves->len; i++)
        {
          Leaf *leaf = g_ptr_array_index (leaves, i);

          if (!leaf->deleted)
            {
              g_autofree char *leaf_rev =
                  g_strdup_printf ("%" G_GINT64_FORMAT "-%s", leaf->pos, leaf->hash);

              json_array_add_string_element (conflicts, leaf_rev);
            }
        }
      if (json_array_get_length (conflicts) > 0)
        json_object_set_array_member (doc, "_conflicts", conflicts);
      else
        json_array_unref (conflicts);
    }

  if (flags & DENGON_STORE_GET_REVISIONS)
    {
      JsonObject *revisions = revisions_of (conn, row.doc_id, pos, hash, error);

      if (revisions == NULL)
        return NULL;
      json_object_set_object_member (doc, "_revisions", revisions);
    }

  return g_steal_pointer (&doc);
}

JsonObject *
dengon_store_get_full (DengonStore *self, const char *id, const char *rev,
                       DengonStoreGetFlags flags, GError **error)
{
  g_auto (Reader) reader = { 0 };

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  return get_locked (reader.conn, id, rev, flags, error);
}

JsonObject *
dengon_store_get (DengonStore *self, const char *id, GError **error)
{
  return dengon_store_get_full (self, id, NULL, 0, error);
}

GPtrArray *
dengon_store_get_leaves (DengonStore *self, const char *id, gboolean include_deleted,
                         GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_auto (DocRow) row = { 0 };
  g_autoptr (GPtrArray) leaves = NULL;
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  if (!reader_begin (self, &reader, error) || !load_doc_row (reader.conn, id, &row, error))
    return NULL;

  if (!row.exists)
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND, "missing");
      return NULL;
    }

  leaves = load_leaves (reader.conn, row.doc_id, error);
  if (leaves == NULL)
    return NULL;

  for (guint i = 0; i < leaves->len; i++)
    {
      Leaf *leaf = g_ptr_array_index (leaves, i);
      g_autofree char *body = NULL;
      g_autofree char *rev = NULL;

      if (leaf->deleted && !include_deleted)
        continue;

      body = load_rev_body (reader.conn, row.doc_id, leaf->pos, leaf->hash, NULL, error);
      if (body == NULL)
        return NULL;
      rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", leaf->pos, leaf->hash);
      g_ptr_array_add (docs, doc_from_body (id, rev, leaf->deleted, body));
    }

  return g_steal_pointer (&docs);
}

GStrv
dengon_store_get_conflicts (DengonStore *self, const char *id, GError **error)
{
  g_autoptr (GPtrArray) leaves = dengon_store_get_leaves (self, id, FALSE, error);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (leaves == NULL)
    return NULL;

  /* The first live leaf is the winner, unless every leaf is deleted. */
  for (guint i = 1; i < leaves->len; i++)
    g_strv_builder_add (builder, dengon_json_get_string (g_ptr_array_index (leaves, i), "_rev"));

  return g_strv_builder_end (builder);
}

GPtrArray *
dengon_store_list_by_type (DengonStore *self, const char *type, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  stmt = conn_prepare (reader.conn,
                       "SELECT id, rev, body FROM docs WHERE type = ? AND NOT deleted ORDER BY id",
                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (docs, doc_from_body ((const char *) sqlite3_column_text (stmt, 0),
                                          (const char *) sqlite3_column_text (stmt, 1), FALSE,
                                          (const char *) sqlite3_column_text (stmt, 2)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, reader.conn->db, rc, "list");
      return NULL;
    }

  return g_steal_pointer (&docs);
}

/* ------------------------------------------------------------------ replication reads */

JsonObject *
dengon_store_revs_diff (DengonStore *self, JsonObject *request, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (JsonObject) response = json_object_new ();
  g_autoptr (GList) ids = NULL;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  ids = json_object_get_members (request);
  for (GList *l = ids; l; l = l->next)
    {
      const char *id = l->data;
      JsonArray *revs = dengon_json_get_array (request, id);
      g_auto (DocRow) row = { 0 };
      JsonArray *missing = json_array_new ();
      guint n = revs ? json_array_get_length (revs) : 0;

      if (!load_doc_row (reader.conn, id, &row, error))
        {
          json_array_unref (missing);
          return NULL;
        }

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (revs, i);
          const char *rev =
              JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                  ? json_node_get_string (node)
                  : NULL;
          const char *hash;
          gint64 pos;

          if (rev == NULL)
            continue;
          if (!row.exists || !dengon_rev_parse (rev, &pos, &hash) ||
              !rev_exists (reader.conn, row.doc_id, pos, hash, NULL, NULL))
            json_array_add_string_element (missing, rev);
        }

      if (json_array_get_length (missing) > 0)
        {
          JsonObject *entry = json_object_new ();

          json_object_set_array_member (entry, "missing", missing);
          json_object_set_object_member (response, id, entry);
        }
      else
        json_array_unref (missing);
    }

  return g_steal_pointer (&response);
}

/* Is (pos, hash) on the path from the leaf (leaf_pos, leaf_hash) to the root? */
static gboolean
is_ancestor (Conn *conn, gint64 doc_id, gint64 pos, const char *hash, gint64 leaf_pos,
             const char *leaf_hash)
{
  g_autoptr (JsonObject) revisions = NULL;
  JsonArray *ids;
  gint64 index = leaf_pos - pos;

  if (index < 0)
    return FALSE;

  revisions = revisions_of (conn, doc_id, leaf_pos, leaf_hash, NULL);
  ids = dengon_json_get_array (revisions, "ids");

  return ids != NULL && index < json_array_get_length (ids) &&
         g_str_equal (json_array_get_string_element (ids, index), hash);
}

static void
add_open_rev (JsonArray *results, Conn *conn, const char *id, const char *rev)
{
  g_autoptr (GError) error = NULL;
  JsonObject *doc =
      get_locked (conn, id, rev, DENGON_STORE_GET_REVISIONS | DENGON_STORE_GET_DELETED, &error);
  JsonObject *entry = json_object_new ();

  if (doc != NULL)
    json_object_set_object_member (entry, "ok", doc);
  else
    json_object_set_string_member (entry, "missing", rev);

  json_array_add_object_element (results, entry);
}

/* GET /db/id?open_revs=...: the requested revisions (NULL: every leaf),
 * each {"ok": doc with _revisions} or {"missing": rev}.  With @latest a
 * revision that is no longer a leaf gives the leaves that descend from it. */
JsonArray *
dengon_store_open_revs (DengonStore *self, const char *id, const char *const *revs, gboolean latest,
                        GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_auto (DocRow) row = { 0 };
  g_autoptr (GPtrArray) leaves = NULL;
  g_autoptr (JsonArray) results = json_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  if (!reader_begin (self, &reader, error) || !load_doc_row (reader.conn, id, &row, error))
    return NULL;

  if (!row.exists)
    {
      if (revs == NULL)
        {
          g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND, "missing");
          return NULL;
        }
      for (guint i = 0; revs[i]; i++)
        {
          JsonObject *entry = json_object_new ();

          json_object_set_string_member (entry, "missing", revs[i]);
          json_array_add_object_element (results, entry);
        }
      return g_steal_pointer (&results);
    }

  leaves = load_leaves (reader.conn, row.doc_id, error);
  if (leaves == NULL)
    return NULL;

  if (revs == NULL)
    {
      for (guint i = 0; i < leaves->len; i++)
        {
          Leaf *leaf = g_ptr_array_index (leaves, i);
          g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", leaf->pos, leaf->hash);

          add_open_rev (results, reader.conn, id, rev);
        }
      return g_steal_pointer (&results);
    }

  for (guint i = 0; revs[i]; i++)
    {
      const char *hash;
      gint64 pos;
      gboolean is_leaf = FALSE;

      if (!dengon_rev_parse (revs[i], &pos, &hash) ||
          !rev_exists (reader.conn, row.doc_id, pos, hash, &is_leaf, NULL))
        {
          JsonObject *entry = json_object_new ();

          json_object_set_string_member (entry, "missing", revs[i]);
          json_array_add_object_element (results, entry);
          continue;
        }

      if (is_leaf || !latest)
        {
          if (g_hash_table_add (seen, g_strdup (revs[i])))
            add_open_rev (results, reader.conn, id, revs[i]);
          continue;
        }

      for (guint j = 0; j < leaves->len; j++)
        {
          Leaf *leaf = g_ptr_array_index (leaves, j);
          g_autofree char *leaf_rev = NULL;

          if (!is_ancestor (reader.conn, row.doc_id, pos, hash, leaf->pos, leaf->hash))
            continue;
          leaf_rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", leaf->pos, leaf->hash);
          if (g_hash_table_add (seen, g_strdup (leaf_rev)))
            add_open_rev (results, reader.conn, id, leaf_rev);
        }
    }

  return g_steal_pointer (&results);
}

/* The changes feed: each document once, at its latest sequence number, in
 * commit order; every leaf revision (style=all_docs), the winner first. */
GPtrArray *
dengon_store_changes (DengonStore *self, gint64 since, guint limit, gint64 *last_seq,
                      GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (GPtrArray) entries =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_store_feed_entry_free);
  g_autoptr (GArray) doc_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gint64 last = since;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  stmt = conn_prepare (
      reader.conn, "SELECT doc_id, id, seq, deleted FROM docs WHERE seq > ? ORDER BY seq LIMIT ?",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : G_MAXINT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DengonStoreFeedEntry *entry = g_new0 (DengonStoreFeedEntry, 1);
      gint64 doc_id = sqlite3_column_int64 (stmt, 0);

      entry->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->seq = sqlite3_column_int64 (stmt, 2);
      entry->deleted = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (entries, entry);
      g_array_append_val (doc_ids, doc_id);
      last = entry->seq;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, reader.conn->db, rc, "changes");
      return NULL;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      DengonStoreFeedEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      g_autoptr (GPtrArray) leaves = NULL;

      leaves = load_leaves (reader.conn, g_array_index (doc_ids, gint64, i), error);
      if (leaves == NULL)
        return NULL;
      for (guint j = 0; j < leaves->len; j++)
        {
          Leaf *leaf = g_ptr_array_index (leaves, j);
          g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT "-%s", leaf->pos, leaf->hash);

          g_strv_builder_add (builder, rev);
        }
      entry->revs = g_strv_builder_end (builder);
    }

  if (last_seq != NULL)
    {
      if (entries->len == 0)
        {
          stmt = conn_prepare (reader.conn, "SELECT coalesce(max(seq), 0) FROM docs", error);
          if (stmt == NULL)
            return NULL;
          if (sqlite3_step (stmt) == SQLITE_ROW)
            last = MAX (since, sqlite3_column_int64 (stmt, 0));
          sqlite3_reset (stmt);
        }
      *last_seq = last;
    }

  return g_steal_pointer (&entries);
}

gint64
dengon_store_count_changes (DengonStore *self, gint64 since, GError **error)
{
  g_auto (Reader) reader = { 0 };
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), -1);

  if (!reader_begin (self, &reader, error))
    return -1;

  stmt = conn_prepare (reader.conn, "SELECT count(*) FROM docs WHERE seq > ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, since);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_sqlite_error (error, reader.conn->db, rc, "count changes");
  sqlite3_reset (stmt);

  return count;
}

gboolean
dengon_store_count_documents (DengonStore *self, gint64 *live, gint64 *deleted, GError **error)
{
  g_auto (Reader) reader = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), FALSE);

  if (!reader_begin (self, &reader, error))
    return FALSE;

  stmt = conn_prepare (reader.conn,
                       "SELECT count(*) - coalesce(sum(deleted), 0), coalesce(sum(deleted), 0)"
                       " FROM docs WHERE seq > 0",
                       error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (live != NULL)
        *live = sqlite3_column_int64 (stmt, 0);
      if (deleted != NULL)
        *deleted = sqlite3_column_int64 (stmt, 1);
    }
  else
    set_sqlite_error (error, reader.conn->db, rc, "count documents");
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

static int
compare_id_pointers (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

#define LIVE_LEAVES_SQL \
  "(SELECT count(*) FROM revs r WHERE r.doc_id = d.doc_id AND r.leaf AND NOT r.deleted)"

GStrv
dengon_store_list_conflicted (DengonStore *self, const char *const *ids, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  if (ids == NULL)
    {
      stmt = conn_prepare (reader.conn,
                           "SELECT d.id FROM docs d WHERE NOT d.deleted AND " LIVE_LEAVES_SQL
                           " > 1 ORDER BY d.id",
                           error);
      if (stmt == NULL)
        return NULL;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (found, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }
  else
    {
      stmt = conn_prepare (reader.conn, "SELECT " LIVE_LEAVES_SQL " FROM docs d WHERE d.id = ?",
                           error);
      if (stmt == NULL)
        return NULL;
      for (guint i = 0; ids[i] != NULL && (rc == SQLITE_DONE || rc == SQLITE_ROW); i++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 1)
            g_ptr_array_add (found, g_strdup (ids[i]));
        }
      sqlite3_reset (stmt);
      g_ptr_array_sort (found, compare_id_pointers);
    }

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (error, reader.conn->db, rc, "conflicts");
      return NULL;
    }

  for (guint i = 0; i < found->len; i++)
    {
      /* The same id twice in @ids is listed once. */
      if (i == 0 || g_strcmp0 (g_ptr_array_index (found, i), g_ptr_array_index (found, i - 1)) != 0)
        g_strv_builder_add (builder, g_ptr_array_index (found, i));
    }

  return g_strv_builder_end (builder);
}

/* ------------------------------------------------------------------ local documents */

JsonObject *
dengon_store_get_local (DengonStore *self, const char *id, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_autofree char *rev = NULL;
  g_autofree char *local_id = NULL;
  JsonObject *doc = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  stmt = conn_prepare (reader.conn, "SELECT rev, body FROM local_docs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      rev = g_strdup_printf ("0-%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      local_id = g_strconcat ("_local/", id, NULL);
      doc = doc_from_body (local_id, rev, FALSE, (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (doc == NULL)
    g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND, "missing");

  return doc;
}

char *
dengon_store_put_local (DengonStore *self, const char *id, JsonObject *doc, GError **error)
{
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  gboolean deleted, ok;
  gint64 rev = 0;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);

  if (*id == '\0' || strlen (id) > MAX_ID_BYTES || !g_utf8_validate (id, -1, NULL))
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                   "_id: not a local document id");
      return NULL;
    }

  body = body_of (doc, &deleted, error);
  if (body == NULL)
    return NULL;
  text = dengon_json_object_to_string (body);

  if (!write_begin (self, error))
    return NULL;

  stmt = conn_prepare (self->writer,
                       "INSERT INTO local_docs (id, rev, body) VALUES (?1, 1, ?2)"
                       " ON CONFLICT (id) DO UPDATE SET rev = rev + 1, body = ?2 RETURNING rev",
                       error);
  ok = stmt != NULL;
  if (ok)
    {
      int rc;

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          rev = sqlite3_column_int64 (stmt, 0);
          rc = sqlite3_step (stmt);
        }
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, self->writer->db, rc, "put local");
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }

  if (!write_end (self, ok, NULL, ok ? error : NULL))
    return NULL;

  return g_strdup_printf ("0-%" G_GINT64_FORMAT, rev);
}

GPtrArray *
dengon_store_list_local (DengonStore *self, const char *prefix, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  stmt = conn_prepare (reader.conn,
                       "SELECT id, rev, body FROM local_docs WHERE substr (id, 1, length (?1)) = ?1"
                       " ORDER BY id",
                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *local_id =
          g_strconcat ("_local/", (const char *) sqlite3_column_text (stmt, 0), NULL);
      g_autofree char *rev =
          g_strdup_printf ("0-%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 1));

      g_ptr_array_add (
          docs, doc_from_body (local_id, rev, FALSE, (const char *) sqlite3_column_text (stmt, 2)));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, reader.conn->db, rc, "list local");
      return NULL;
    }

  return g_steal_pointer (&docs);
}

gboolean
dengon_store_delete_local (DengonStore *self, const char *id, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (DENGON_IS_STORE (self), FALSE);

  if (!write_begin (self, error))
    return FALSE;

  stmt = conn_prepare (self->writer, "DELETE FROM local_docs WHERE id = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      ok = step_done (self->writer, stmt, error);
    }

  return write_end (self, ok, NULL, ok ? error : NULL);
}

/* ------------------------------------------------------------------ memo queries */

#define OPEN_MASK ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 3))
#define DONE_MASK (1u << 4)

typedef struct
{
  GString *where;
  GPtrArray *texts; /* bound in order, all TEXT or int64 via the ints array */
  GArray *kinds;    /* 0 = text, 1 = int64 */
  GArray *ints;
  int next_index; /* placeholders are numbered explicitly: ?N */
} Filter;

static void
filter_init (Filter *filter, int first_index)
{
  filter->next_index = first_index;
  filter->where = g_string_new ("1");
  filter->texts = g_ptr_array_new ();
  filter->kinds = g_array_new (FALSE, FALSE, sizeof (int));
  filter->ints = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
filter_clear (Filter *filter)
{
  if (filter->where != NULL)
    g_string_free (filter->where, TRUE);
  g_clear_pointer (&filter->texts, g_ptr_array_unref);
  g_clear_pointer (&filter->kinds, g_array_unref);
  g_clear_pointer (&filter->ints, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Filter, filter_clear)

static void
filter_text (Filter *filter, const char *column, const char *value)
{
  int kind = 0;

  g_string_append_printf (filter->where, " AND %s = ?%d", column, filter->next_index++);
  g_ptr_array_add (filter->texts, (gpointer) value);
  g_array_append_val (filter->kinds, kind);
}

static void
filter_int (Filter *filter, const char *condition, gint64 value)
{
  int kind = 1;

  g_string_append_printf (filter->where, " AND %s ?%d", condition, filter->next_index++);
  g_array_append_val (filter->ints, value);
  g_array_append_val (filter->kinds, kind);
}

static void
filter_build (Filter *filter, const DengonMemoQuery *query)
{
  /* One caller's memos are few: with a number, the status terms must not steer the planner to
   * the status indexes ("+" keeps a term out of index choice). Without it, counting the open
   * memos of a number nobody has called from scans every open memo (100 ms at 1M memos). */
  const char *column_prefix = query != NULL && query->number != NULL ? "+" : "";

  if (query == NULL)
    return;

  if (query->status_mask == OPEN_MASK)
    g_string_append_printf (filter->where, " AND %sm.open = 1", column_prefix);
  else if (query->status_mask == DONE_MASK)
    g_string_append_printf (filter->where, " AND %sm.open = 0", column_prefix);
  else if (query->status_mask != 0)
    {
      g_string_append_printf (filter->where, " AND %sm.status IN (-1", column_prefix);
      for (int i = 0; i < 5; i++)
        {
          if (query->status_mask & (1u << i))
            g_string_append_printf (filter->where, ", %d", i);
        }
      g_string_append (filter->where, ")");
    }

  if (query->unassigned)
    g_string_append (filter->where, " AND m.assignee IS NULL");
  else if (query->assignee != NULL)
    filter_text (filter, "m.assignee", query->assignee);

  if (query->category != NULL)
    filter_text (filter, "m.category", query->category);
  if (query->number != NULL)
    filter_text (filter, "m.number", query->number);
  if (query->from_ms > 0)
    filter_int (filter, "m.key >=", query->from_ms * 1024);
  if (query->to_ms > 0)
    filter_int (filter, "m.key <", query->to_ms * 1024);
  if (query->overdue_at_ms > 0)
    filter_int (filter, "m.callback_by IS NOT NULL AND m.open AND m.callback_by <",
                query->overdue_at_ms);
}

static void
filter_bind (Filter *filter, sqlite3_stmt *stmt, int index)
{
  guint t = 0, n = 0;

  for (guint i = 0; i < filter->kinds->len; i++)
    {
      if (g_array_index (filter->kinds, int, i) == 0)
        sqlite3_bind_text (stmt, index++, g_ptr_array_index (filter->texts, t++), -1,
                           SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, index++, g_array_index (filter->ints, gint64, n++));
    }
}

static GPtrArray *
collect_hits (Conn *conn, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) hits =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_memo_hit_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DengonMemoHit *hit = g_new0 (DengonMemoHit, 1);

      hit->key = sqlite3_column_int64 (stmt, 0);
      hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (hits, hit);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, rc, "memo query");
      return NULL;
    }

  return g_steal_pointer (&hits);
}

GPtrArray *
dengon_store_list_memos (DengonStore *self, const DengonMemoQuery *query, gint64 before_key,
                         guint limit, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_auto (Filter) filter = { 0 };
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  filter_init (&filter, 3);
  filter_build (&filter, query);

  if (!reader_begin (self, &reader, error))
    return NULL;

  sql = g_strdup_printf ("SELECT m.key, d.id FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                         " WHERE %s AND m.key < ?1 ORDER BY m.key DESC LIMIT ?2",
                         filter.where->str);
  stmt = conn_prepare (reader.conn, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, before_key > 0 ? before_key : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : 50);
  filter_bind (&filter, stmt, 3);

  return collect_hits (reader.conn, stmt, error);
}

guint
dengon_store_count_memos (DengonStore *self, const DengonMemoQuery *query, guint cap,
                          GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_auto (Filter) filter = { 0 };
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), 0);

  filter_init (&filter, 2);
  filter_build (&filter, query);

  if (!reader_begin (self, &reader, error))
    return 0;

  /* Counting stops at @cap: the UI shows "999+" rather than wait. */
  sql = g_strdup_printf ("SELECT count(*) FROM (SELECT 1 FROM memo_index m WHERE %s LIMIT ?1)",
                         filter.where->str);
  stmt = conn_prepare (reader.conn, sql, error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, cap > 0 ? cap : G_MAXINT);
  filter_bind (&filter, stmt, 2);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  else
    set_sqlite_error (error, reader.conn->db, rc, "count");
  sqlite3_reset (stmt);

  return count;
}

gint64
dengon_store_get_memo_key (DengonStore *self, const char *id, GError **error)
{
  g_auto (Reader) reader = { 0 };
  sqlite3_stmt *stmt;
  gint64 key = 0;

  g_return_val_if_fail (DENGON_IS_STORE (self), 0);

  if (!reader_begin (self, &reader, error))
    return 0;

  stmt = conn_prepare (
      reader.conn,
      "SELECT m.key FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id WHERE d.id = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (key == 0)
    g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_NOT_FOUND, "missing");

  return key;
}

/* Only the keys of a list, newest first: 8 bytes a memo, so a list model can
 * know every position without holding the memos. */
GArray *
dengon_store_list_memo_keys (DengonStore *self, const DengonMemoQuery *query, gint64 before_key,
                             guint limit, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_auto (Filter) filter = { 0 };
  g_autofree char *sql = NULL;
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  filter_init (&filter, 3);
  filter_build (&filter, query);

  if (!reader_begin (self, &reader, error))
    return NULL;

  sql = g_strdup_printf ("SELECT m.key FROM memo_index m WHERE %s AND m.key < ?1"
                         " ORDER BY m.key DESC LIMIT ?2",
                         filter.where->str);
  stmt = conn_prepare (reader.conn, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, before_key > 0 ? before_key : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : G_MAXINT);
  filter_bind (&filter, stmt, 3);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (keys, key);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, reader.conn->db, rc, "memo keys");
      return NULL;
    }

  return g_steal_pointer (&keys);
}

/* The memos with these keys (any order in, newest first out); keys that
 * are gone are left out. */
GPtrArray *
dengon_store_load_memos_by_keys (DengonStore *self, const gint64 *keys, guint n_keys,
                                 GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_autoptr (GPtrArray) rows =
      g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_memo_record_free);
  g_autoptr (GString) list = g_string_new ("[");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);

  if (n_keys == 0)
    return g_steal_pointer (&rows);

  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i ? "," : "", keys[i]);
  g_string_append_c (list, ']');

  if (!reader_begin (self, &reader, error))
    return NULL;

  stmt = conn_prepare (reader.conn,
                       "SELECT m.key, d.id, d.rev, d.body FROM memo_index m"
                       " JOIN docs d ON d.doc_id = m.doc_id"
                       " WHERE m.key IN (SELECT value FROM json_each (?1)) ORDER BY m.key DESC",
                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, list->str, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DengonMemoRecord *row = g_new0 (DengonMemoRecord, 1);

      row->key = sqlite3_column_int64 (stmt, 0);
      row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->rev = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      row->doc =
          doc_from_body (row->id, row->rev, FALSE, (const char *) sqlite3_column_text (stmt, 3));
      json_object_seal (row->doc);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, reader.conn->db, rc, "load memos");
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* The earliest callback deadline of an open memo after @after_ms (ms), or 0:
 * when a memo next becomes overdue. */
gint64
dengon_store_get_next_callback (DengonStore *self, gint64 after_ms, GError **error)
{
  g_auto (Reader) reader = { 0 };
  sqlite3_stmt *stmt;
  gint64 next = 0;

  g_return_val_if_fail (DENGON_IS_STORE (self), 0);

  if (!reader_begin (self, &reader, error))
    return 0;

  stmt = conn_prepare (reader.conn,
                       "SELECT min(callback_by) FROM memo_index"
                       " WHERE callback_by IS NOT NULL AND open AND callback_by > ?",
                       error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, after_ms);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    next = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return next;
}

/* The open memos of @assignee whose callback deadline falls in
 * [@from_ms, @to_ms), soonest first (for reminders). */
GPtrArray *
dengon_store_list_callbacks (DengonStore *self, const char *assignee, gint64 from_ms, gint64 to_ms,
                             GError **error)
{
  g_auto (Reader) reader = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (assignee != NULL, NULL);

  if (!reader_begin (self, &reader, error))
    return NULL;

  stmt = conn_prepare (reader.conn,
                       "SELECT m.key, d.id FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                       " WHERE m.callback_by IS NOT NULL AND m.open AND m.callback_by >= ?1"
                       " AND m.callback_by < ?2 AND m.assignee = ?3 ORDER BY m.callback_by",
                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  sqlite3_bind_text (stmt, 3, assignee, -1, SQLITE_STATIC);

  return collect_hits (reader.conn, stmt, error);
}

/* The key of memo @id when it is a live memo that @query selects, else 0. */
gint64
dengon_store_match_memo (DengonStore *self, const DengonMemoQuery *query, const char *id,
                         GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_auto (Filter) filter = { 0 };
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 key = 0;
  int rc;

  g_return_val_if_fail (DENGON_IS_STORE (self), 0);
  g_return_val_if_fail (id != NULL, 0);

  filter_init (&filter, 2);
  filter_build (&filter, query);

  if (!reader_begin (self, &reader, error))
    return 0;

  sql = g_strdup_printf ("SELECT m.key FROM memo_index m JOIN docs d ON d.doc_id = m.doc_id"
                         " WHERE d.id = ?1 AND %s",
                         filter.where->str);
  stmt = conn_prepare (reader.conn, sql, error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  filter_bind (&filter, stmt, 2);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    key = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (error, reader.conn->db, rc, "match memo");
  sqlite3_reset (stmt);

  return key;
}

/* ------------------------------------------------------------------ search */

static gboolean
is_number_like (const char *term)
{
  gboolean digit = FALSE;

  for (const char *p = term; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c))
        digit = TRUE;
      else if (c >= 0x80 || strchr ("-()+.", (int) c) == NULL)
        return FALSE;
    }

  return digit;
}

static void
append_quoted (GString *out, const char *term)
{
  g_string_append_c (out, '"');
  for (const char *p = term; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Terms as search sees them: split on any white space (the Japanese
 * full-width space too), NFKC, lower case; numbers as digits only. */
GPtrArray *
dengon_store_split_query (const char *text)
{
  g_autoptr (GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;
  const char *p, *start = NULL;

  if (text == NULL)
    return g_steal_pointer (&terms);

  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    return g_steal_pointer (&terms);

  for (p = normalized;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || g_unichar_isspace (c))
        {
          if (start != NULL)
            {
              g_autofree char *term = g_utf8_strdown (start, p - start);

              if (is_number_like (term))
                g_ptr_array_add (terms, number_search_digits (term));
              else
                g_ptr_array_add (terms, g_steal_pointer (&term));
              start = NULL;
            }
          if (c == 0)
            break;
        }
      else if (start == NULL)
        start = p;
    }

  return g_steal_pointer (&terms);
}

typedef enum
{
  TERM_EMPTY, /* matches nothing: the whole search has no hit */
  TERM_FTS,   /* added to the MATCH expression */
  TERM_SCAN,  /* too common to expand: checked row by row */
} TermKind;

/* A term under three characters has no trigram of its own: it is answered
 * exactly by every indexed trigram that starts with it (the padding makes
 * sure one exists at the end of a field too). */
static TermKind
expand_short_term (Conn *conn, const char *term, GString *match, GError **error)
{
  g_autofree char *upper = g_strconcat (term, "\xf4\x8f\xbf\xbf", NULL);
  g_autoptr (GString) expansion = g_string_new ("(");
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  stmt = conn_prepare (conn, "SELECT term FROM memo_vocab WHERE term >= ? AND term < ? LIMIT ?",
                       error);
  if (stmt == NULL)
    return TERM_EMPTY;
  sqlite3_bind_text (stmt, 1, term, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, MAX_SHORT_TERM_TRIGRAMS + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n++ > 0)
        g_string_append (expansion, " OR ");
      append_quoted (expansion, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, rc, "search");
      return TERM_EMPTY;
    }

  if (n == 0)
    return TERM_EMPTY;
  if (n > MAX_SHORT_TERM_TRIGRAMS)
    return TERM_SCAN;

  g_string_append_c (expansion, ')');
  if (match->len > 0)
    g_string_append (match, " AND ");
  g_string_append (match, expansion->str);

  return TERM_FTS;
}

GPtrArray *
dengon_store_search_memos (DengonStore *self, const char *text, const DengonMemoQuery *query,
                           gint64 before_key, guint limit, GError **error)
{
  g_auto (Reader) reader = { 0 };
  g_auto (Filter) filter = { 0 };
  g_autoptr (GPtrArray) terms = dengon_store_split_query (text);
  g_autoptr (GPtrArray) scans = g_ptr_array_new ();
  g_autoptr (GString) match = g_string_new (NULL);
  g_autoptr (GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  if (terms->len == 0)
    return dengon_store_list_memos (self, query, before_key, limit, error);

  if (!reader_begin (self, &reader, error))
    return NULL;

  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = g_ptr_array_index (terms, i);

      if (g_utf8_strlen (term, -1) >= 3)
        {
          if (match->len > 0)
            g_string_append (match, " AND ");
          append_quoted (match, term);
          continue;
        }

      switch (expand_short_term (reader.conn, term, match, error))
        {
          case TERM_EMPTY:
            if (error != NULL && *error != NULL)
              return NULL;
            return g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_memo_hit_free);

          case TERM_SCAN:
            g_ptr_array_add (scans, (gpointer) term);
            break;

          case TERM_FTS:
          default:
            break;
        }
    }

  filter_init (&filter, 4 + scans->len);
  filter_build (&filter, query);

  if (scans->len == 0)
    g_string_append (sql, "SELECT f.rowid, d.id FROM memo_fts f"
                          " JOIN memo_index m ON m.key = f.rowid"
                          " JOIN docs d ON d.doc_id = m.doc_id"
                          " WHERE f.memo_fts MATCH ?1 AND f.rowid < ?2");
  else
    {
      /* Newest first, row by row: a common term finds its first page soon. */
      g_string_append (sql, "SELECT t.rowid, d.id FROM memo_text t"
                            " JOIN memo_index m ON m.key = t.rowid"
                            " JOIN docs d ON d.doc_id = m.doc_id"
                            " WHERE t.rowid < ?2");
      for (guint i = 0; i < scans->len; i++)
        g_string_append_printf (sql,
                                " AND (instr(lower(t.caller), ?%u) OR instr(lower(t.company), ?%u)"
                                " OR instr(t.number, ?%u) OR instr(lower(t.message), ?%u))",
                                4 + i, 4 + i, 4 + i, 4 + i);
      if (match->len > 0)
        g_string_append (sql,
                         " AND t.rowid IN (SELECT rowid FROM memo_fts WHERE memo_fts MATCH ?1)");
    }
  g_string_append_printf (sql, " AND %s ORDER BY 1 DESC LIMIT ?3", filter.where->str);

  stmt = conn_prepare (reader.conn, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (match->len > 0)
    sqlite3_bind_text (stmt, 1, match->str, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, before_key > 0 ? before_key : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? limit : 50);
  for (guint i = 0; i < scans->len; i++)
    sqlite3_bind_text (stmt, 4 + i, g_ptr_array_index (scans, i), -1, SQLITE_STATIC);
  filter_bind (&filter, stmt, 4 + scans->len);

  return collect_hits (reader.conn, stmt, error);
}

/* ------------------------------------------------------------------ read API */

void
dengon_store_set_sqlite_error (GError **error, sqlite3 *db, int rc, const char *what)
{
  set_sqlite_error (error, db, rc, what);
}

gboolean
dengon_store_read (DengonStore *self, DengonStoreReadFunc func, gpointer data,
                   GCancellable *cancellable, GError **error)
{
  g_auto (Reader) reader = { 0 };

  g_return_val_if_fail (DENGON_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !reader_begin (self, &reader, error))
    return FALSE;

  return func (reader.conn->db, data, cancellable, error);
}

/* ------------------------------------------------------------------ async */

typedef struct
{
  DengonStoreThreadFunc func;
  gpointer data;
  GDestroyNotify data_destroy;
  GDestroyNotify result_destroy;
  guint64 order;
} RunData;

/* Interactive work (a ring's lookup, the rows on screen) before background
 * work (a list's keys, counts); in submission order within a priority. */
static int
compare_tasks (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GTask *ta = (GTask *) a, *tb = (GTask *) b;
  RunData *ra = g_task_get_task_data (ta), *rb = g_task_get_task_data (tb);
  int pa = g_task_get_priority (ta), pb = g_task_get_priority (tb);

  if (pa != pb)
    return pa < pb ? -1 : 1;

  return ra->order < rb->order ? -1 : (ra->order > rb->order ? 1 : 0);
}

static void
run_data_free (RunData *run)
{
  if (run->data_destroy != NULL)
    run->data_destroy (run->data);
  g_free (run);
}

static void
run_in_worker (gpointer data, gpointer user_data)
{
  g_autoptr (GTask) task = data;
  RunData *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;

  result = run->func (g_task_get_source_object (task), run->data, cancellable, &error);
  if (error != NULL)
    {
      if (result != NULL && run->result_destroy != NULL)
        run->result_destroy (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, run->result_destroy);
}

void
dengon_store_run_async (DengonStore *self, DengonStoreThreadFunc func, gpointer data,
                        GDestroyNotify data_destroy, GDestroyNotify result_destroy,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  dengon_store_run_async_full (self, G_PRIORITY_DEFAULT, func, data, data_destroy, result_destroy,
                               cancellable, callback, user_data);
}

/* @priority: G_PRIORITY_LOW for background work that may wait. */
void
dengon_store_run_async_full (DengonStore *self, int priority, DengonStoreThreadFunc func,
                             gpointer data, GDestroyNotify data_destroy,
                             GDestroyNotify result_destroy, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  RunData *run;

  g_return_if_fail (DENGON_IS_STORE (self));
  g_return_if_fail (func != NULL);

  run = g_new0 (RunData, 1);
  run->func = func;
  run->data = data;
  run->data_destroy = data_destroy;
  run->result_destroy = result_destroy;
  run->order = (guint64) g_atomic_pointer_add (&self->task_order, 1);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dengon_store_run_async);
  g_task_set_priority (task, priority);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  g_thread_pool_push (self->workers, g_steal_pointer (&task), NULL);
}

gpointer
dengon_store_run_finish (DengonStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
put_thread (DengonStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  return dengon_store_put (self, data, error);
}

void
dengon_store_put_async (DengonStore *self, JsonObject *doc, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (DENGON_IS_STORE (self));
  g_return_if_fail (doc != NULL);

  dengon_store_run_async (self, put_thread, dengon_json_object_copy (doc),
                          (GDestroyNotify) json_object_unref, g_free, cancellable, callback,
                          user_data);
}

char *
dengon_store_put_finish (DengonStore *self, GAsyncResult *result, GError **error)
{
  return dengon_store_run_finish (self, result, error);
}

/* ------------------------------------------------------------------ opening */

static gboolean
query_int (Conn *conn, const char *sql, gint64 *value, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *value = 0;
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, conn->db, rc, sql);
      return FALSE;
    }

  return TRUE;
}

/* Versions 2 (search), 4 (the review) and 5 (contacts) derive new columns and tables from
 * the memo bodies: index the memos that are already there again.  memo_index
 * keeps its rows (and keys); a memo whose text is there and unchanged costs
 * no full-text work.  @where: which memo bodies to index again (NULL: every
 * memo), the ones that can hold what the new version derives. */
static gboolean
migrate_reindex_memos_where (DengonStore *self, const char *where, GError **error)
{
  Conn *conn = self->writer;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Streamed: the cursor reads docs, the updates write other tables. */
  sql = g_strdup_printf ("SELECT doc_id, body FROM docs WHERE type = 'memo' AND NOT deleted%s%s%s",
                         where != NULL ? " AND (" : "", where != NULL ? where : "",
                         where != NULL ? ")" : "");
  stmt = conn_prepare (conn, sql, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) body = dengon_json_parse_object (
          (const char *) sqlite3_column_text (stmt, 1), sqlite3_column_bytes (stmt, 1), NULL, NULL);
      gint64 key = 0;

      if (!memo_index_update (conn, sqlite3_column_int64 (stmt, 0), body, FALSE, &key, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, rc, "migrate");
      return FALSE;
    }

  return TRUE;
}

/* Version 5: contacts that arrived before the phone index existed. */
static gboolean
migrate_index_contacts (DengonStore *self, GError **error)
{
  Conn *conn = self->writer;
  sqlite3_stmt *stmt;
  int rc;

  stmt = conn_prepare (conn, "SELECT id, body FROM docs WHERE type = 'contact' AND NOT deleted",
                       error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_autoptr (JsonObject) body = dengon_json_parse_object (
          (const char *) sqlite3_column_text (stmt, 1), sqlite3_column_bytes (stmt, 1), NULL, NULL);

      if (!contact_index_update (conn, id, body, FALSE, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, rc, "migrate");
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (DengonStore *self, gint64 from_version, GError **error)
{
  Conn *conn = self->writer;

  for (gint64 version = from_version + 1; version <= DENGON_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = NULL;
      gboolean ok;

      if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
        return FALSE;

      switch (version)
        {
          case 1:
            ok = conn_exec (conn, schema_v1, error);
            if (ok)
              {
                g_autofree char *uuid = g_uuid_string_random ();
                g_autofree char *sql =
                    g_strdup_printf ("INSERT INTO meta (key, value) VALUES ('uuid', '%s');"
                                     "PRAGMA application_id = %d;",
                                     uuid, APPLICATION_ID_MAGIC);

                ok = conn_exec (conn, sql, error);
              }
            break;

          case 2:
            /* The memos' text is indexed by version 4's pass. */
            ok = conn_exec (conn, schema_v2, error);
            break;

          case 3:
            ok = conn_exec (conn, schema_v3, error);
            break;

          case 4:
            {
              gint64 missing_text = 0;

              /* Version 5's columns are filled by the same pass: both in one transaction. */
              ok = conn_exec (conn, schema_v4, error) &&
                   query_int (conn,
                              "SELECT (SELECT count(*) FROM memo_index) >"
                              " (SELECT count(*) FROM memo_text)",
                              &missing_text, error) &&
                   conn_exec (conn, schema_v5, error) && migrate_index_contacts (self, error) &&
                   migrate_reindex_memos_where (self,
                                                missing_text != 0
                                                    ? NULL
                                                    : "instr (body, '\"called_back\"') OR"
                                                      " instr (body, '\"segment\"') OR"
                                                      " instr (body, '\"escalate\"') OR"
                                                      " instr (body, '\"direction\":\"out\"')",
                                                error);
              version = 5;
            }
            break;

          case 5:
            ok = conn_exec (conn, schema_v5, error) && migrate_index_contacts (self, error) &&
                 migrate_reindex_memos_where (self,
                                              "instr (body, '\"escalate\"') OR"
                                              " instr (body, '\"direction\":\"out\"')",
                                              error);
            break;

          default:
            g_assert_not_reached ();
        }

      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version);
      if (ok)
        ok = conn_exec (conn, set_version, error) && conn_exec (conn, "COMMIT", error);

      if (!ok)
        {
          sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }

      g_debug ("Database %s migrated to version %" G_GINT64_FORMAT, self->path, version);
    }

  return TRUE;
}

static gboolean
check_header (const char *path, GError **error)
{
  static const char magic[16] = "SQLite format 3";
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GError) local_error = NULL;
  char header[16] = { 0 };
  gsize n = 0;

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_READ_ONLY,
                   _ ("The database “%s” cannot be read: %s"), path, local_error->message);
      return FALSE;
    }

  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), header, sizeof header, &n, NULL,
                                &local_error))
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_READ_ONLY,
                   _ ("The database “%s” cannot be read: %s"), path, local_error->message);
      return FALSE;
    }

  /* An empty file is a database that was never written. */
  if (n == 0)
    return TRUE;

  if (n < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CORRUPT,
                   _ ("“%s” is not a database: the file is damaged or belongs to another program."),
                   path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
dengon_store_initable_open (DengonStore *self, GError **error)
{
  gint64 version = 0, application_id = 0, n_tables = 0;
  const char *journal = NULL;
  sqlite3_stmt *stmt;

  if (!check_header (self->path, error))
    return FALSE;

  self->writer = conn_open (self->path, TRUE, error);
  if (self->writer == NULL)
    return FALSE;

  if (!query_int (self->writer, "PRAGMA application_id", &application_id, error) ||
      !query_int (self->writer, "PRAGMA user_version", &version, error) ||
      !query_int (self->writer, "SELECT count(*) FROM sqlite_master", &n_tables, error))
    return FALSE;

  if (version > DENGON_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_TOO_NEW,
                   _ ("The database “%s” was written by a newer version of Dengon (format %d; this "
                      "version reads up to %d). Update Dengon to open it."),
                   self->path, (int) version, DENGON_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if ((application_id != APPLICATION_ID_MAGIC && n_tables > 0) ||
      (application_id == APPLICATION_ID_MAGIC && version == 0))
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_FOREIGN,
                   _ ("“%s” is a database of another program, not of Dengon."), self->path);
      return FALSE;
    }

  /* WAL: readers never wait for the writer; FULL: a save that returned
   * survives a power cut. */
  if (!conn_exec (self->writer, "PRAGMA journal_mode = WAL", error) ||
      !conn_exec (self->writer, "PRAGMA synchronous = FULL", error) ||
      !conn_exec (self->writer, "PRAGMA foreign_keys = OFF", error) ||
      !conn_exec (self->writer, "PRAGMA cache_size = -16384", error))
    return FALSE;

  stmt = conn_prepare (self->writer, "PRAGMA journal_mode", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    journal = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (journal, "wal") != 0)
    g_warning ("Database %s is not in WAL mode (%s)", self->path, journal ? journal : "?");
  sqlite3_reset (stmt);

  if (!migrate (self, version, error))
    return FALSE;

  stmt = conn_prepare (self->writer, "SELECT value FROM meta WHERE key = 'uuid'", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (self->uuid == NULL)
    {
      g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CORRUPT,
                   _ ("The database “%s” is damaged (it has no identity)."), self->path);
      return FALSE;
    }

  if (!query_int (self->writer, "SELECT coalesce(max(seq), 0) FROM docs", &self->update_seq, error))
    return FALSE;

  watch_other_writers (self);

  return TRUE;
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_store_finalize (GObject *object)
{
  DengonStore *self = (DengonStore *) object;

  g_assert (self->pending_source == 0);

  /* Every task holds the store: none is left when it is finalized. */
  g_thread_pool_free (self->workers, FALSE, TRUE);
  if (self->wal_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->wal_monitor, self);
      g_file_monitor_cancel (self->wal_monitor);
      g_clear_object (&self->wal_monitor);
    }
  if (self->catch_up_retry != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->main_context, self->catch_up_retry);

      if (source != NULL)
        g_source_destroy (source);
      self->catch_up_retry = 0;
    }
  g_queue_clear_full (&self->pending, (GDestroyNotify) g_ptr_array_unref);

  g_clear_pointer (&self->idle_readers, g_ptr_array_unref);
  if (self->writer != NULL)
    {
      /* Fold the WAL back into the database on a clean exit. */
      sqlite3_exec (self->writer->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
      conn_free (self->writer);
    }
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->readers_lock);
  g_mutex_clear (&self->pending_lock);
  g_cond_clear (&self->readers_cond);

  G_OBJECT_CLASS (dengon_store_parent_class)->finalize (object);
}

static void
dengon_store_class_init (DengonStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dengon_store_finalize;

  /**
   * DengonStore::changed:
   * @changes: (element-type DengonStoreChange): what one commit changed
   *
   * Emitted on the main context of the thread that opened the store, after
   * each commit, in commit order.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
dengon_store_init (DengonStore *self)
{
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->readers_lock);
  g_mutex_init (&self->pending_lock);
  g_cond_init (&self->readers_cond);
  g_queue_init (&self->pending);
  self->idle_readers = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  self->workers = g_thread_pool_new (run_in_worker, NULL, MAX_READERS, FALSE, NULL);
  g_thread_pool_set_sort_function (self->workers, compare_tasks, NULL);
  self->main_context = g_main_context_ref_thread_default ();
}

DengonStore *
dengon_store_open (const char *path, GError **error)
{
  g_autoptr (DengonStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DENGON_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (!dengon_store_initable_open (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
dengon_store_get_path (DengonStore *self)
{
  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  return self->path;
}

const char *
dengon_store_get_uuid (DengonStore *self)
{
  g_return_val_if_fail (DENGON_IS_STORE (self), NULL);

  return self->uuid;
}

gint64
dengon_store_get_update_seq (DengonStore *self)
{
  gint64 seq;

  g_return_val_if_fail (DENGON_IS_STORE (self), 0);

  g_mutex_lock (&self->write_lock);
  seq = self->update_seq;
  g_mutex_unlock (&self->write_lock);

  return seq;
}

/* A damaged or foreign file is never overwritten: it is renamed, with its
 * journal files, to "<name>.broken-<time>", and the new name returned. */
char *
dengon_store_move_aside (const char *path, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.broken-%s", path, stamp);

  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 1; g_file_test (target, G_FILE_TEST_EXISTS); i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.broken-%s-%u", path, stamp, i);
    }

  if (g_rename (path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Could not rename “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *suffix = i == 0 ? "-wal" : "-shm";
      g_autofree char *from = g_strconcat (path, suffix, NULL);
      g_autofree char *to = g_strconcat (target, suffix, NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  return g_steal_pointer (&target);
}

/* Tests only: run SQL on the writer connection (e.g. PRAGMA max_page_count
 * to make the disk "full" the way SQLite reports it). */
gboolean
dengon_store_exec_for_testing (DengonStore *self, const char *sql, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (DENGON_IS_STORE (self), FALSE);

  g_mutex_lock (&self->write_lock);
  ok = conn_exec (self->writer, sql, error);
  g_mutex_unlock (&self->write_lock);

  return ok;
}
