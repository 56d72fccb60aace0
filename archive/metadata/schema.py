"""The metadata tables, added by one self-contained migration step.

- meta_read: what the files say about themselves (field, value, where in the file: `origin`), replaced whenever the
  file's content or path changes. Written only by the scan's metadata pass.
- meta_typed: what the clerk typed (or imported from Excel). Never written by a scan, so a typed value survives
  every re-scan. An empty typed value means "deliberately empty": it hides a value read from the file.
- meta_seen: the content (SHA-256) and path each file's read values come from; a file whose row differs is read again.
- meta_kept: typed values of files that left the index, by content. A file that comes back with the same content
  (moved out of the linked folders and back, a folder unlinked and linked again, a move the monitor saw as a removal
  and an addition) gets them again when the metadata pass reads it (archive.metadata.readpass).

All are keyed by the file's row id (files.id), which a rename or move keeps: the scan updates the row in place
(archive.scanwrite). A trigger on deletions from `files` moves typed values to meta_kept and drops the rest, so the
scan needs no code for it. Nothing fires on insertions: a trigger there, even one that does nothing, costs a first
scan of 50,000 files half a second of its index phase.
"""

from __future__ import annotations

import sqlite_utils

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta_read (
    file_id INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, origin TEXT NOT NULL,
    PRIMARY KEY (file_id, field)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta_typed (
    file_id INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, time TEXT NOT NULL,
    PRIMARY KEY (file_id, field)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta_seen (file_id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta_kept (
    sha256 TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, time TEXT NOT NULL,
    PRIMARY KEY (sha256, field)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS meta_file_deleted AFTER DELETE ON files BEGIN
    INSERT OR REPLACE INTO meta_kept (sha256, field, value, time)
        SELECT OLD.sha256, field, value, time FROM meta_typed WHERE file_id = OLD.id AND OLD.sha256 IS NOT NULL;
    DELETE FROM meta_typed WHERE file_id = OLD.id;
    DELETE FROM meta_read WHERE file_id = OLD.id;
    DELETE FROM meta_seen WHERE file_id = OLD.id;
END;
"""


def migrate_metadata(db: sqlite_utils.Database) -> None:
    """Create the tables (if missing: the step may be renumbered and meet an archive that has them), and drop the
    folder digests so the next scan is a full one and reads every file's metadata (an unchanged re-scan trusts the
    digests and would otherwise never look)."""
    db.executescript(SCHEMA)
    db.execute("DELETE FROM meta WHERE key = 'folder_digests'")
