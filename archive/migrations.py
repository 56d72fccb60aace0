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
  department packages read (departments/units.py). Version 10 adds the table's own (criteria.due) below the clerk's.
Pass rules live in meta under "pass_rules" as JSON.

Version 3: folder digests (archive.index.statcache) and the triggers that drop them.

Version 4: the evidence metadata (archive/metadata/).

- meta_read: what the files say about themselves (field, value, where in the file: `origin`), replaced whenever the
  file's content or path changes. Written only by the scan's metadata pass.
- meta_typed: what the clerk typed (or imported from Excel). Never written by a scan, so a typed value survives
  every re-scan. An empty typed value means "deliberately empty": it hides a value read from the file.
- meta_seen: the content (SHA-256) and path each file's read values come from; a file whose row differs is read again.
- meta_kept: typed values of files that left the index, by content. A file that comes back with the same content
  (moved out of the linked folders and back, a folder unlinked and linked again, a move the monitor saw as a removal
  and an addition) gets them again when the metadata pass reads it (archive.metadata.readpass).

All are keyed by the file's row id (files.id), which a rename or move keeps: the scan updates the row in place
(archive.index.scanwrite). A trigger on deletions from `files` moves typed values to meta_kept and drops the rest, so
the scan needs no code for it. Nothing fires on insertions: a trigger there, even one that does nothing, costs a first
scan of 50,000 files half a second of its index phase.

Version 5: the export log (exporters/exportlog.py) and frozen stages (阶段), which the stages/ wing writes and reads.

- exports: every dossier or package the export job wrote (time, format, path, size, SHA-256 of the output, the
  options as JSON, and a digest of the evidence it showed), so a stage can name what was handed over.
- stages: one row per frozen stage. Its content lives in the stage_* tables, keyed by stage_id.
- stage_criteria (catalogue and status per criterion), stage_confirmations, stage_scores, stage_rectifications,
  stage_exports (dossiers recorded), and stage_files: one row per stage holding every indexed file (path, size,
  SHA-256, mtime, …, and the codes that list it under which number) as zlib-compressed JSON rows, with `fields`
  naming the columns. A stage's file list is written once and only ever read whole: as one compressed row it is
  written in a tenth of the time of 100,000 rows and takes a fifth of the space (3 MB for 50,000 files). A
  per-file field added later (metadata) is one more name in `fields`; `extra` holds a JSON object per file, and
  `described` what the dossier says each listed file is (题名, 文号, 责任者, 日期, photo elements).
- stage_selfeval: the self-evaluation data the dossier showed (sheet, scores, projection, rectifications) as
  zlib-compressed JSON (stages/frozen_data.py), so a rebuild shows it as it was frozen.

Version 6: stage_metadata, the files' metadata as the archive held it at the freeze (meta_read and meta_typed, every
row), as zlib-compressed JSON that SQLite itself writes (json_group_array): a freeze copies it without a Python object
per file, and a rebuild describes the files (题名, 文号, 责任者, 日期) from it as the dossier did. Stages frozen
before it keep each listed file's description in stage_files instead (`described`).

A stage is immutable. Triggers refuse any UPDATE or DELETE of these rows, and a stage's content rows are written
first with the stage's id, the stages row last: once that row exists, the triggers refuse more content for it too.
The whole freeze is one transaction, so a stage is either complete or absent. The script may run again over its
own tables (IF NOT EXISTS): an archive rolled back to an older version number keeps them.

Version 7: files_left, the files a change of the links made the index forget (a folder unlinked, a link pointed at
another place, a rectification's evidence let go), by path: their row id, content (SHA-256) and dates. Those files
are still on disk, and nothing changed in the evidence: the change log says nothing when they go. A file that comes
back at the same path (the folder linked again, to the same criterion or another) takes its row back, so it is no
新增: with the same content it comes back silently, keeping the dates it had (a confirmation still sees it as
unchanged); with other content it is a 修改 (archive.index.scanwrite). The scan drops the row once the path is
indexed again. A removal the scan saw (删除 in the log) is not kept: a file coming back after it is 新增 again.

Version 8: files_left.old_path, where a file was when its link was pointed at the folder's (or file's) new place
(archive.links.relocate: a department reorganised its share). Such a file is remembered at the path it should have
now (the new place and its path under the old one), with the path it had: found there, it takes its old row back
and the log says 移动/改名 from the old path, as for a folder renamed inside a link; not found by the first scan that
lists the new place, the log says 删除 at the old path. NULL for a file forgotten by an unlink: its path did not move.

Version 11: excluded_files, the files the clerk keeps out of the dossier (archive.exclusions), by row id with the
content the mark was set on. A row leaves with its file (a trigger, since SQLite may give the id to another file);
a file forgotten by an unlink and linked again is exported again.
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


METADATA_SCHEMA = """
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


def _migrate_to_4(db: sqlite_utils.Database) -> None:
    """Create the tables (if missing: the step may be renumbered and meet an archive that has them), and drop the
    folder digests so the next scan is a full one and reads every file's metadata (an unchanged re-scan trusts the
    digests and would otherwise never look)."""
    db.executescript(METADATA_SCHEMA)
    db.execute("DELETE FROM meta WHERE key = 'folder_digests'")


STAGE_CONTENT_TABLES = ("stage_criteria", "stage_confirmations", "stage_scores", "stage_rectifications",
                        "stage_files", "stage_exports", "stage_selfeval", "stage_metadata")
FROZEN_MESSAGE = "阶段记录已冻结，不能修改或删除"
SEALED_MESSAGE = "阶段已冻结，不能再添加内容"

STAGE_TABLES = """
CREATE TABLE IF NOT EXISTS exports (
    id INTEGER PRIMARY KEY, time TEXT NOT NULL, format TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, options TEXT NOT NULL DEFAULT '{}', evidence_digest TEXT);
CREATE TABLE IF NOT EXISTS stages (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, note TEXT NOT NULL DEFAULT '', frozen_at TEXT NOT NULL,
    by TEXT NOT NULL DEFAULT '', archive_title TEXT NOT NULL DEFAULT '', files INTEGER NOT NULL,
    bytes INTEGER NOT NULL, copies INTEGER NOT NULL DEFAULT 0, extra TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS stage_criteria (
    stage_id INTEGER NOT NULL, position INTEGER NOT NULL, code TEXT NOT NULL, label TEXT, title TEXT NOT NULL,
    parent TEXT, level INTEGER NOT NULL, points REAL, method TEXT, units TEXT, rule TEXT, evidence TEXT,
    kind TEXT, note TEXT, state TEXT NOT NULL, files INTEGER NOT NULL, bytes INTEGER NOT NULL,
    problems INTEGER NOT NULL, is_leaf INTEGER NOT NULL, unreachable TEXT NOT NULL DEFAULT '[]',
    extra TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (stage_id, code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stage_confirmations (
    stage_id INTEGER NOT NULL, code TEXT NOT NULL, by TEXT, time TEXT NOT NULL, note TEXT, digest TEXT NOT NULL,
    files INTEGER NOT NULL, PRIMARY KEY (stage_id, code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stage_scores (
    stage_id INTEGER NOT NULL, code TEXT NOT NULL, points REAL, failed INTEGER NOT NULL, note TEXT, by TEXT,
    time TEXT, PRIMARY KEY (stage_id, code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stage_rectifications (
    stage_id INTEGER NOT NULL, id INTEGER NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL, unit TEXT, due TEXT,
    state TEXT NOT NULL, created TEXT, fixed_at TEXT, verified_by TEXT, verified_at TEXT, note TEXT,
    PRIMARY KEY (stage_id, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stage_files (
    stage_id INTEGER PRIMARY KEY, fields TEXT NOT NULL, count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stage_exports (
    stage_id INTEGER NOT NULL, position INTEGER NOT NULL, source TEXT NOT NULL, time TEXT NOT NULL,
    format TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}', matches INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (stage_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stage_selfeval (
    stage_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS stage_metadata (
    stage_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""


def _guards(table: str, sealed_check: bool) -> str:
    guards = f"""
    CREATE TRIGGER IF NOT EXISTS {table}_frozen_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END;
    CREATE TRIGGER IF NOT EXISTS {table}_frozen_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END;
    """
    if sealed_check:
        guards += f"""
    CREATE TRIGGER IF NOT EXISTS {table}_sealed BEFORE INSERT ON {table}
        WHEN EXISTS (SELECT 1 FROM stages WHERE id = NEW.stage_id)
        BEGIN SELECT RAISE(ABORT, '{SEALED_MESSAGE}'); END;
    """
    return guards


def _migrate_to_5(db: sqlite_utils.Database) -> None:
    script = STAGE_TABLES + _guards("stages", sealed_check=False)
    script += "".join(_guards(table, sealed_check=True) for table in STAGE_CONTENT_TABLES)
    db.executescript(script)


def _migrate_to_6(db: sqlite_utils.Database) -> None:
    """stage_metadata and its guards: the stage script again, which creates only what is missing."""
    _migrate_to_5(db)


FILES_LEFT_SCHEMA = """
CREATE TABLE IF NOT EXISTS files_left (
    path TEXT PRIMARY KEY, id INTEGER NOT NULL, sha256 TEXT NOT NULL, first_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL, time TEXT NOT NULL) WITHOUT ROWID;
"""


def _migrate_to_7(db: sqlite_utils.Database) -> None:
    db.executescript(FILES_LEFT_SCHEMA)


def _migrate_to_8(db: sqlite_utils.Database) -> None:
    """The column, unless there (the step may be renumbered and meet an archive that has it). Rows forgotten before
    keep NULL: an unlink moved nothing."""
    if "old_path" not in {column[1] for column in db.execute("PRAGMA table_info(files_left)")}:
        db.execute("ALTER TABLE files_left ADD COLUMN old_path TEXT")


def _migrate_to_9(db: sqlite_utils.Database) -> None:
    """The column, filled for the confirmations there are as their time told (an entry in the same second counted
    before it, as the comparison by time did)."""
    if "last_event" not in {column[1] for column in db.execute("PRAGMA table_info(confirmations)")}:
        db.execute("ALTER TABLE confirmations ADD COLUMN last_event INTEGER")
    db.execute("UPDATE confirmations SET last_event = (SELECT COALESCE(MAX(id), 0) FROM events "
               "WHERE events.time <= confirmations.time) WHERE last_event IS NULL")


DEADLINES_VIEW = """
DROP VIEW IF EXISTS deadlines;
CREATE VIEW deadlines AS
    WITH RECURSIVE tree(code, due) AS (
        SELECT c.code, COALESCE(NULLIF(a.due, ''), NULLIF(c.due, ''))
        FROM criteria c LEFT JOIN assignments a ON a.code = c.code WHERE c.parent IS NULL
        UNION ALL
        SELECT c.code, COALESCE(NULLIF(a.due, ''), NULLIF(c.due, ''), tree.due)
        FROM criteria c JOIN tree ON c.parent = tree.code LEFT JOIN assignments a ON a.code = c.code)
    SELECT code, due FROM tree WHERE due IS NOT NULL AND due <> '';
"""


def _migrate_to_10(db: sqlite_utils.Database) -> None:
    """The table's own deadlines (完成时限 of a task-breakdown table), beside the clerk's in assignments, and the
    deadlines view that takes the clerk's, else the table's, else the nearest ancestor's."""
    if "due" not in {column[1] for column in db.execute("PRAGMA table_info(criteria)")}:
        db.execute("ALTER TABLE criteria ADD COLUMN due TEXT")
    db.executescript(DEADLINES_VIEW)


EXCLUSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS excluded_files (
    file_id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, by TEXT NOT NULL, time TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS excluded_file_deleted AFTER DELETE ON files BEGIN
    DELETE FROM excluded_files WHERE file_id = OLD.id;
END;
"""


def _migrate_to_11(db: sqlite_utils.Database) -> None:
    """Files the clerk keeps out of the dossier (archive.exclusions); a row leaves with its file, whose id SQLite
    may give to another file later."""
    db.executescript(EXCLUSIONS_SCHEMA)


MIGRATIONS = [_migrate_to_1, _migrate_to_2, _migrate_to_3, _migrate_to_4, _migrate_to_5, _migrate_to_6,
              _migrate_to_7, _migrate_to_8, _migrate_to_9, _migrate_to_10, _migrate_to_11]
