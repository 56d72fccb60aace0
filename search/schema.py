"""The search wing's tables, kept in the archive file and keyed by content (SHA-256), so a renamed, moved or copied
file costs nothing: its text is already there under its hash.

- text_docs: one row per distinct content that was read: state 'text' (has text), 'empty' (read, no text: a scan
  or a photo, what OCR could read), 'failed' (damaged, encrypted) or 'skipped' (no reader here); `blank` counts
  pages without a text layer.
- text_pages: the text per page (PDF page, PowerPoint slide; None for a whole Word/Excel/text file).
- text_tri: FTS5 over text_pages with the trigram tokenizer (any substring of 3+ characters, Chinese without a
  word segmenter), reading its text from text_pages (external content: stored once).
- text_bi: FTS5 over each page's character pairs (see ngrams.bigram_tokens), contentless and without positions:
  it answers 1- and 2-character terms, which the trigram index cannot match (and silently drops beside longer
  terms).
- suggestion_rejects: (path, code) pairs the user rejected; never suggested again.
- search_roots: evidence roots the user pointed suggestions at (their unlinked folders are suggested).
- files_sha8: an index on the first 8 characters of the files table's SHA-256, so a hit's content finds its paths
  at once (without it, each query reads the whole table: 40-90 ms at 50,000 files). On the prefix, not the whole
  hash: inserting 50,000 rows took about 0.2 s longer with it, and about 1.1 s longer with an index on the whole
  64-character hash (random keys in a tree larger than SQLite's page cache), which a first scan would pay.
"""

from __future__ import annotations

import sqlite3

from archive.db import Archive

VERSION = "1"
KEY = "search_schema"
TABLES = """
CREATE TABLE IF NOT EXISTS text_docs (
    sha256 TEXT PRIMARY KEY, state TEXT NOT NULL, pages INTEGER, blank INTEGER NOT NULL DEFAULT 0,
    chars INTEGER NOT NULL DEFAULT 0, note TEXT, method TEXT, time TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS text_pages (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, page INTEGER, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS text_pages_sha ON text_pages (sha256);
CREATE VIRTUAL TABLE IF NOT EXISTS text_tri USING fts5(
    body, content='text_pages', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS text_bi USING fts5(body, content='', detail='none', columnsize=0);
CREATE TABLE IF NOT EXISTS suggestion_rejects (
    path TEXT NOT NULL, code TEXT NOT NULL, time TEXT NOT NULL, PRIMARY KEY (path, code));
CREATE TABLE IF NOT EXISTS search_roots (path TEXT PRIMARY KEY, added TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS files_sha8 ON files (substr(sha256, 1, 8));
"""


def has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    return row is not None


def ensure(archive: Archive) -> None:
    """Create the tables if this archive has none yet (a write: call it where writes belong)."""
    if has_tables(archive.conn):
        return
    with archive.atomic():
        for statement in TABLES.split(";"):
            if statement.strip():
                archive.conn.execute(statement)
        archive.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEY, VERSION))
