"""The archive's schema, step by step: MIGRATIONS[n] brings a database from version n to n + 1.

archive.db runs the steps a file lacks, each in the same transaction as the version bump; SCHEMA_VERSION is their
count. The schema belongs to the archive as a whole, including the tables the two wings keep (so that opening an
archive never depends on which wing happens to be imported).

Version 1: meta, criteria, links, the file index, the change log (events) and confirmations.

Version 2: what the self-evaluation (自查自评) keeps beside the evidence.

- assignments: per criterion, the user's overrides of what the imported table says: lead unit (牵头), assisting
  units (配合, JSON list), deadline (YYYY-MM-DD) and item kind. NULL means "as the catalogue says / inherited".
- scores: the self-assessed score of a scoring item, the deduction note, who scored it and when; `failed` marks a
  veto item (否决项) as triggered explicitly.
- rectifications: problems found (问题整改) with their unit, deadline, state and verification. Their evidence is
  linked in the ordinary links table under the pseudo-code "R<id>", so scan, the monitor and the index cover it.
- deadlines: a view of every criterion's effective deadline (its own, or the nearest ancestor's), which the
  department packages read (departments/units.py).
Pass rules live in meta under "pass_rules" as JSON.

Version 3: folder digests (archive.index.statcache) and the triggers that drop them.
"""

from __future__ import annotations

import sqlite_utils


def _migrate_to_1(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE criteria (
            code TEXT PRIMARY KEY, position INTEGER NOT NULL, label TEXT, title TEXT NOT NULL,
            parent TEXT, level INTEGER NOT NULL, points REAL, method TEXT, units TEXT,
            rule TEXT, evidence TEXT, kind TEXT, note TEXT, retired INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE links (
            id INTEGER PRIMARY KEY, code TEXT NOT NULL, path TEXT NOT NULL, is_dir INTEGER NOT NULL,
            created TEXT NOT NULL, reachable INTEGER NOT NULL DEFAULT 1, checked TEXT, UNIQUE (code, path));
        CREATE TABLE files (
            id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
            type TEXT, pages INTEGER, first_seen TEXT NOT NULL, last_changed TEXT NOT NULL, problem TEXT,
            unread INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL, file_id INTEGER, path TEXT NOT NULL,
            old_path TEXT, codes TEXT NOT NULL DEFAULT '[]', size INTEGER, sha256 TEXT);
        CREATE INDEX events_time ON events (time);
        CREATE INDEX events_file ON events (file_id);
        CREATE TABLE confirmations (
            id INTEGER PRIMARY KEY, code TEXT NOT NULL, by TEXT, time TEXT NOT NULL, note TEXT,
            digest TEXT NOT NULL, files INTEGER NOT NULL, withdrawn TEXT);
        CREATE INDEX confirmations_code ON confirmations (code);
        """
    )


SELFEVAL_SCHEMA = """
CREATE TABLE assignments (
    code TEXT PRIMARY KEY, lead TEXT, assist TEXT, due TEXT, kind TEXT);
CREATE TABLE scores (
    code TEXT PRIMARY KEY, points REAL, failed INTEGER NOT NULL DEFAULT 0, note TEXT, by TEXT, time TEXT NOT NULL);
CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, text TEXT NOT NULL, unit TEXT NOT NULL, due TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open', created TEXT NOT NULL, fixed_at TEXT, verified_by TEXT, verified_at TEXT,
    note TEXT NOT NULL DEFAULT '');
CREATE INDEX rectifications_code ON rectifications (code);
CREATE VIEW deadlines AS
    WITH RECURSIVE tree(code, due) AS (
        SELECT c.code, a.due FROM criteria c LEFT JOIN assignments a ON a.code = c.code WHERE c.parent IS NULL
        UNION ALL
        SELECT c.code, COALESCE(NULLIF(a.due, ''), tree.due)
        FROM criteria c JOIN tree ON c.parent = tree.code LEFT JOIN assignments a ON a.code = c.code)
    SELECT code, due FROM tree WHERE due IS NOT NULL AND due <> '';
"""


def _migrate_to_2(db: sqlite_utils.Database) -> None:
    db.executescript(SELFEVAL_SCHEMA)


def _migrate_to_3(db: sqlite_utils.Database) -> None:
    """Folder digests (archive.index.statcache) replace the per-file stat snapshot, and the database drops them itself
    on any change to the files table that could make them wrong. Problems get a partial index: most files have none,
    and every scan lists them."""
    db.executescript(
        """
        DELETE FROM meta WHERE key IN ('stat_snapshot', 'stat_snapshot_check');
        CREATE INDEX files_problem ON files (path) WHERE problem IS NOT NULL;
        CREATE TRIGGER files_deleted AFTER DELETE ON files
            BEGIN DELETE FROM meta WHERE key = 'folder_digests'; END;
        CREATE TRIGGER files_updated AFTER UPDATE OF path, size, mtime_ns, sha256, unread ON files
            BEGIN DELETE FROM meta WHERE key = 'folder_digests'; END;
        """
    )


MIGRATIONS = [_migrate_to_1, _migrate_to_2, _migrate_to_3]
