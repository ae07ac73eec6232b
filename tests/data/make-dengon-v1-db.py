#!/usr/bin/python3
"""Writes tests/data/dengon-v1.db: a database as schema version 1 left it
(before full-text search), for the migration test.  Run once; the file is
kept in the repository so later versions keep proving they can read it.

  tests/data/make-dengon-v1-db.py tests/data/dengon-v1.db
"""
import json
import sqlite3
import sys

SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE docs (doc_id INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT, rev TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX docs_by_seq ON docs (seq);
CREATE INDEX docs_by_type ON docs (type, id) WHERE NOT deleted;
CREATE TABLE revs (doc_id INTEGER NOT NULL, pos INTEGER NOT NULL, hash TEXT NOT NULL, parent TEXT,
  deleted INTEGER NOT NULL DEFAULT 0, leaf INTEGER NOT NULL DEFAULT 1, body TEXT,
  PRIMARY KEY (doc_id, pos, hash)) WITHOUT ROWID;
CREATE TABLE local_docs (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE memo_index (doc_id INTEGER PRIMARY KEY, key INTEGER NOT NULL UNIQUE,
  created_at INTEGER NOT NULL, status INTEGER NOT NULL, assignee TEXT, category TEXT,
  urgent INTEGER NOT NULL DEFAULT 0, callback_by INTEGER, number TEXT, contact_id TEXT,
  taken_by TEXT, direction INTEGER NOT NULL DEFAULT 0, done_at INTEGER,
  open INTEGER NOT NULL DEFAULT 1);
CREATE INDEX memo_by_open ON memo_index (open, key);
CREATE INDEX memo_by_status ON memo_index (status, key);
CREATE INDEX memo_by_assignee ON memo_index (assignee, open, key);
CREATE INDEX memo_by_number ON memo_index (number, key);
CREATE INDEX memo_by_category ON memo_index (category, key);
CREATE INDEX memo_by_callback ON memo_index (callback_by) WHERE callback_by IS NOT NULL AND open;
"""

MEMOS = [
    ("memo:0001", 1795500000000, {"type": "memo", "created_at": "2026-11-23T06:40:00.000Z", "status": "new",
      "for": None, "call": {"direction": "in", "number": "+81312345678", "number_display": "03-1234-5678"},
      "caller": {"name": "田中", "company": "株式会社山本工務店"}, "message": "見積書を送ってほしいとのこと"}),
    ("memo:0002", 1795500060000, {"type": "memo", "created_at": "2026-11-23T06:41:00.000Z", "status": "assigned",
      "for": "staff:ken", "call": {"direction": "in", "number": "+819012345000", "number_display": "090-1234-5000"},
      "caller": {"name": "佐藤 花子", "company": "佐藤商事"}, "message": "見積書の再送"}),
]


def main(path):
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V1)
    db.execute("INSERT INTO meta VALUES ('uuid', '7d2a4a1e-3c55-4b1e-9a51-0f9e7b7c1a01')")
    seq = 0
    for n, (doc_id, key, body) in enumerate(MEMOS, 1):
        seq += 1
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        rev_hash = "%032x" % (0xa0 + n)
        db.execute("INSERT INTO docs VALUES (?, ?, 'memo', ?, 0, ?, ?)", (n, doc_id, "1-" + rev_hash, seq, text))
        db.execute("INSERT INTO revs VALUES (?, 1, ?, NULL, 0, 1, ?)", (n, rev_hash, text))
        db.execute("INSERT INTO memo_index (doc_id, key, created_at, status, assignee, number, open)"
                   " VALUES (?, ?, ?, ?, ?, ?, 1)",
                   (n, key * 1024, key, 0 if body["status"] == "new" else 1, body["for"], body["call"]["number"]))
    # memo:0002 has a conflicting second leaf from another desk.
    other = dict(MEMOS[1][2], message="見積書の再送（別の席）")
    text = json.dumps(other, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    db.execute("INSERT INTO revs VALUES (2, 1, ?, NULL, 0, 1, ?)", ("%032x" % 0x01, text))
    # A staff document, a deleted document and a checkpoint.
    for doc_id, rev, deleted, body in (("staff:ken", "1-" + "%032x" % 0xb1, 0, {"type": "staff", "name": "山田 健"}),
                                       ("memo:gone", "2-" + "%032x" % 0xc2, 1, {})):
        seq += 1
        n = seq + 1
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (n, doc_id, body.get("type"), rev, deleted, seq, text))
        db.execute("INSERT INTO revs VALUES (?, ?, ?, NULL, ?, 1, ?)", (n, int(rev[0]), rev[2:], deleted, text))
    seq += 1
    db.execute("UPDATE docs SET seq = ? WHERE id = 'memo:0001'", (seq,))
    db.execute("INSERT INTO local_docs VALUES ('checkpoint', 3, '{\"last_seq\":2}')")
    db.execute("PRAGMA application_id = %d" % 0x44474F4E)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.execute("VACUUM")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1])
