"""Stages in the archive's tables: write one frozen Snapshot (insert only), list them, read one back.

There is no UPDATE or DELETE here, and the database refuses both (archive/migrations.py, version 5). A stage's
content rows are inserted first under its new id and the stages row last, all in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from operator import attrgetter

import orjson

from archive.db import Archive
from archive.status import Confirmation
from common.errors import UserError
from criteria.model import Criterion
from selfeval.rectify import COLUMNS as RECT_COLUMNS
from selfeval.rectify import Rectification
from selfeval.sheet import Score
from stages.frozen_data import pack_selfeval, unpack_selfeval
from stages.snapshot import CriterionRecord, ExportRecord, FileRecord, Snapshot, gc_paused

NAME_LIMIT = 60
TAKEN = "已有名为“{name}”的阶段，阶段一经冻结不能修改，请换一个名称"
PACK_LEVEL = 1  # zlib: 15 MB of JSON for 50,000 files packs to 3.3 MB in 0.08 s; level 3: 2% smaller, 20% slower
CRITERION_FIELDS = ("code", "label", "title", "parent", "level", "points", "method", "units", "rule", "evidence",
                    "kind", "note")
FILE_FIELDS = ("id", "path", "rel", "size", "sha256", "mtime_ns", "type", "pages", "date", "problem", "last_changed",
               "extra", "listed", "described")  # listed: [[code, number or null, changed], ...]
EXPORT_FIELDS = ("source", "time", "format", "path", "size", "sha256", "options", "matches")


@dataclass
class StageInfo:
    id: int
    name: str
    note: str
    frozen_at: str
    by: str
    title: str  # the archive's title when frozen
    files: int
    bytes: int
    copies: bool
    extra: dict = field(default_factory=dict)
    exports: list[ExportRecord] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"name": self.name, "note": self.note, "frozen_at": self.frozen_at, "by": self.by,
                "files": self.files, "bytes": self.bytes, "copies": self.copies,
                "dossiers": [{"time": e.time, "format": e.format, "path": e.path, "size": e.size, "sha256": e.sha256,
                              "source": e.source, "matches": e.matches} for e in self.exports]}


def check_name(archive: Archive, name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise UserError("请填写阶段名称（如：省级初评）")
    if len(name) > NAME_LIMIT:
        raise UserError(f"阶段名称过长（最多 {NAME_LIMIT} 个字）：{name}")
    if archive.conn.execute("SELECT 1 FROM stages WHERE name = ?", (name,)).fetchone():
        raise UserError(TAKEN.format(name=name))
    return name


def write_stage(archive: Archive, name: str, note: str, by: str, snapshot: Snapshot, copies: bool,
                exports: list[ExportRecord], extra: dict) -> StageInfo:
    """Insert one complete stage; returns it. The caller has checked the name (the UNIQUE index checks again)."""
    try:
        return _insert_stage(archive, name, note, by, snapshot, copies, exports, extra)
    except sqlite3.IntegrityError as exc:
        if "stages.name" in str(exc):  # frozen under this name by another process a moment ago
            raise UserError(TAKEN.format(name=name)) from exc
        raise


def _insert_stage(archive: Archive, name: str, note: str, by: str, snapshot: Snapshot, copies: bool,
                  exports: list[ExportRecord], extra: dict) -> StageInfo:
    files = [f for f in snapshot.files.values() if f.sha256]
    with archive.atomic():
        conn = archive.conn
        stage_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM stages").fetchone()[0]
        conn.executemany(
            f"INSERT INTO stage_criteria (stage_id, position, {', '.join(CRITERION_FIELDS)}, state, files, bytes, "
            "problems, is_leaf, unreachable, extra) VALUES (?, ?, " + ", ".join("?" * len(CRITERION_FIELDS))
            + ", ?, ?, ?, ?, ?, ?, ?)",
            [(stage_id, position, *_criterion_values(r.criterion), r.state, r.files, r.bytes, r.problems,
              int(r.is_leaf), json.dumps(r.unreachable, ensure_ascii=False), json.dumps(r.extra, ensure_ascii=False))
             for position, r in enumerate(snapshot.criteria)])
        conn.executemany(
            "INSERT INTO stage_confirmations (stage_id, code, by, time, note, digest, files) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(stage_id, r.code, c.by, c.time, c.note, c.digest, c.files)
             for r in snapshot.criteria if (c := r.confirmation) is not None])
        conn.executemany(
            "INSERT INTO stage_scores (stage_id, code, points, failed, note, by, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(stage_id, code, s.points, int(s.failed), s.note, s.by, s.time) for code, s in snapshot.scores.items()])
        conn.executemany(
            f"INSERT INTO stage_rectifications (stage_id, {', '.join(RECT_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(RECT_COLUMNS))})",
            [(stage_id, *(getattr(r, name) for name in RECT_COLUMNS)) for r in snapshot.rectifications.values()])
        conn.execute("INSERT INTO stage_files (stage_id, fields, count, data) VALUES (?, ?, ?, ?)",
                     (stage_id, json.dumps(FILE_FIELDS), len(snapshot.files), _pack_files(snapshot)))
        conn.executemany(
            f"INSERT INTO stage_exports (stage_id, position, {', '.join(EXPORT_FIELDS)}) VALUES (?, ?, "
            f"{', '.join('?' * len(EXPORT_FIELDS))})",
            [(stage_id, position, e.source, e.time, e.format, e.path, e.size, e.sha256,
              json.dumps(e.options, ensure_ascii=False), int(e.matches)) for position, e in enumerate(exports)])
        if snapshot.selfeval is not None:
            conn.execute("INSERT INTO stage_selfeval (stage_id, data) VALUES (?, ?)",
                         (stage_id, pack_selfeval(snapshot.selfeval)))
        if snapshot.metadata is not None:
            conn.execute("INSERT INTO stage_metadata (stage_id, data) VALUES (?, ?)", (stage_id, snapshot.metadata))
        conn.execute(
            "INSERT INTO stages (id, name, note, frozen_at, by, archive_title, files, bytes, copies, extra) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (stage_id, name, note, snapshot.time, by, snapshot.title, len(files), sum(f.size for f in files),
             int(copies), json.dumps(extra, ensure_ascii=False)))
    return get_stage(archive, stage_id)


def _pack_files(snapshot: Snapshot) -> bytes:
    row = attrgetter(*FILE_FIELDS)  # one tuple per file, built in C: FileRecord's fields are FILE_FIELDS in order
    rows = [row(f) for f in sorted(snapshot.files.values(), key=attrgetter("id"))]
    return zlib.compress(orjson.dumps(rows), PACK_LEVEL)


def _unpack_files(fields_json: str, data: bytes) -> dict[int, FileRecord]:
    with gc_paused():
        return _records(fields_json, orjson.loads(zlib.decompress(data)))


def _records(fields_json: str, rows: list) -> dict[int, FileRecord]:
    fields = tuple(json.loads(fields_json))
    if fields != FILE_FIELDS:  # written by another version: take the fields by name, leave missing ones empty
        at = {name: fields.index(name) for name in FILE_FIELDS if name in fields}
        rows = [[row[at[name]] if name in at else None for name in FILE_FIELDS] for row in rows]
    return {row[0]: FileRecord(*row) for row in rows}  # id is the first field


def _criterion_values(crit: Criterion) -> list:
    values = [getattr(crit, name) for name in CRITERION_FIELDS]
    values[CRITERION_FIELDS.index("units")] = json.dumps(crit.units, ensure_ascii=False)
    return values


STAGE_COLUMNS = "id, name, note, frozen_at, by, archive_title, files, bytes, copies, extra"


def _info(archive: Archive, row) -> StageInfo:
    sid, name, note, frozen_at, by, title, files, size, copies, extra = row
    rows = archive.conn.execute(
        f"SELECT {', '.join(EXPORT_FIELDS)} FROM stage_exports WHERE stage_id = ? ORDER BY position", (sid,))
    exports = [ExportRecord(source, time, fmt, path, size_, sha, json.loads(options or "{}"), bool(matches))
               for source, time, fmt, path, size_, sha, options, matches in rows]
    return StageInfo(sid, name, note or "", frozen_at, by or "", title or "", files, size, bool(copies),
                     json.loads(extra or "{}"), exports)


def list_stages(archive: Archive) -> list[StageInfo]:
    rows = archive.conn.execute(f"SELECT {STAGE_COLUMNS} FROM stages ORDER BY id").fetchall()
    return [_info(archive, row) for row in rows]


def get_stage(archive: Archive, stage_id: int) -> StageInfo:
    row = archive.conn.execute(f"SELECT {STAGE_COLUMNS} FROM stages WHERE id = ?", (stage_id,)).fetchone()
    if row is None:
        raise UserError(f"没有编号为 {stage_id} 的阶段")
    return _info(archive, row)


def find_stage(archive: Archive, name: str) -> StageInfo:
    """A stage by its name (or "#3" for the third one frozen)."""
    text = name.strip()
    row = archive.conn.execute(f"SELECT {STAGE_COLUMNS} FROM stages WHERE name = ?", (text,)).fetchone()
    if row is None and text.startswith("#") and text[1:].isdigit():
        row = archive.conn.execute(f"SELECT {STAGE_COLUMNS} FROM stages WHERE id = ?", (int(text[1:]),)).fetchone()
    if row is not None:
        return _info(archive, row)
    names = [r[0] for r in archive.conn.execute("SELECT name FROM stages ORDER BY id")]
    if not names:
        raise UserError("档案中还没有冻结的阶段，请先冻结（stage ARCHIVE freeze NAME）")
    raise UserError(f"没有名为“{text}”的阶段（已有：{'、'.join(names)}）")


def load_stage(archive: Archive, info: StageInfo, dossier_data: bool = True) -> Snapshot:
    """The frozen Snapshot of a stage, as it was written. Without `dossier_data` (a diff) the self-evaluation data
    and the metadata, which only a rebuild reads, are left unread (None)."""
    conn, sid = archive.conn, info.id
    confirmations = {r[0]: Confirmation(r[1] or "", r[2], r[3] or "", r[4], r[5]) for r in conn.execute(
        "SELECT code, by, time, note, digest, files FROM stage_confirmations WHERE stage_id = ?", (sid,))}
    criteria = []
    for row in conn.execute(
            f"SELECT {', '.join(CRITERION_FIELDS)}, state, files, bytes, problems, is_leaf, unreachable, extra "
            "FROM stage_criteria WHERE stage_id = ? ORDER BY position", (sid,)):
        data = dict(zip(CRITERION_FIELDS, row[:len(CRITERION_FIELDS)], strict=True))
        data["units"] = json.loads(data["units"] or "[]")
        state, files, size, problems, is_leaf, unreachable, extra = row[len(CRITERION_FIELDS):]
        criteria.append(CriterionRecord(Criterion(**data), state, files, size, problems, bool(is_leaf),
                                        json.loads(unreachable), confirmations.get(data["code"]), json.loads(extra)))
    row = conn.execute("SELECT fields, data FROM stage_files WHERE stage_id = ?", (sid,)).fetchone()
    files = _unpack_files(*row) if row else {}
    scores = {r[0]: Score(r[1], bool(r[2]), r[3] or "", r[4] or "", r[5] or "") for r in conn.execute(
        "SELECT code, points, failed, note, by, time FROM stage_scores WHERE stage_id = ?", (sid,))}
    rects = {r[0]: Rectification(*r) for r in conn.execute(
        f"SELECT {', '.join(RECT_COLUMNS)} FROM stage_rectifications WHERE stage_id = ? ORDER BY id", (sid,))}
    if not dossier_data:
        return Snapshot(info.title, info.frozen_at, criteria, files, scores, rects, info.exports)
    row = conn.execute("SELECT data FROM stage_selfeval WHERE stage_id = ?", (sid,)).fetchone()
    selfeval = unpack_selfeval(row[0], info.frozen_at) if row else None
    return Snapshot(info.title, info.frozen_at, criteria, files, scores, rects, info.exports, selfeval,
                    stage_metadata(archive, info))


def stage_metadata(archive: Archive, info: StageInfo) -> bytes | None:
    """A stage's packed metadata rows (stages.frozen_data.pack_metadata); None for a stage frozen before them."""
    row = archive.conn.execute("SELECT data FROM stage_metadata WHERE stage_id = ?", (info.id,)).fetchone()
    return row[0] if row else None
