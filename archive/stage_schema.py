"""Schema versions 5 and 6: the export log and frozen stages (阶段), which the stages/ package writes and reads.

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
- stage_metadata (version 6): the files' metadata as the archive held it (meta_read and meta_typed, every row), as
  zlib-compressed JSON that SQLite itself writes (json_group_array): a freeze copies it without a Python object per
  file, and a rebuild describes the files (题名, 文号, 责任者, 日期) from it as the dossier did. Stages frozen before
  it keep each listed file's description in stage_files instead (`described`).

A stage is immutable. Triggers refuse any UPDATE or DELETE of these rows, and a stage's content rows are written
first with the stage's id, the stages row last: once that row exists, the triggers refuse more content for it too.
The whole freeze is one transaction, so a stage is either complete or absent. The script may run again over its
own tables (IF NOT EXISTS): an archive rolled back to an older version number keeps them.
"""

from __future__ import annotations

import sqlite_utils

CONTENT_TABLES = ("stage_criteria", "stage_confirmations", "stage_scores", "stage_rectifications", "stage_files",
                  "stage_exports", "stage_selfeval", "stage_metadata")
FROZEN_MESSAGE = "阶段记录已冻结，不能修改或删除"
SEALED_MESSAGE = "阶段已冻结，不能再添加内容"

TABLES = """
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


def migrate_to_4(db: sqlite_utils.Database) -> None:
    script = TABLES + _guards("stages", sealed_check=False)
    script += "".join(_guards(table, sealed_check=True) for table in CONTENT_TABLES)
    db.executescript(script)


def migrate_to_6(db: sqlite_utils.Database) -> None:
    """stage_metadata and its guards: the same script, which creates only what is missing."""
    migrate_to_4(db)
