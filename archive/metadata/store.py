"""Effective metadata of evidence files, and the clerk's edits.

A field's effective value is the typed one if there is one (even empty: the clerk cleared it), else the one read from
the file, else empty. 页数 read from the file is the scan's page count (files.pages).

For the dossier, the zip catalogue and the window:

    metadata_for_files(archive, file_ids) -> {file_id: FileMeta}
    meta = ...[file_id]; meta["title"] -> "关于…的通知"; meta.source("title") -> "typed" | "file" | ""

Edits (`set_values`, `put_typed`) run in one transaction and return what each field was typed as before, so the
window can undo them (`put_typed` with that state).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.db import Archive, now
from archive.metadata.fields import KEYS, LABELS, PHOTO_KEYS, READ, TYPED, is_photo, normalize
from common.errors import UserError

CHUNK = 20_000  # file ids per query (json_each keeps one statement for any number of ids)


@dataclass(frozen=True)
class Value:
    text: str = ""
    source: str = ""  # "typed" | "file" | "" (no value)
    origin: str = ""  # for a value read from the file: "name", "props", "xmp", "text", "exif", "pages"


EMPTY = Value()


@dataclass
class FileMeta:
    file_id: int
    path: str
    type: str
    values: dict[str, Value] = field(default_factory=dict)
    read: dict[str, Value] = field(default_factory=dict)  # what the file says, typed values aside
    orientation: int = 1  # EXIF orientation of a photo (1: upright)

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, EMPTY).text

    def get(self, key: str) -> Value:
        return self.values.get(key, EMPTY)

    def source(self, key: str) -> str:
        return self.values.get(key, EMPTY).source

    @property
    def is_photo(self) -> bool:
        return is_photo(self.type)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def fields(self) -> tuple[str, ...]:
        """The fields this file has: every document field, and a photo's caption too."""
        return KEYS if self.is_photo else tuple(k for k in KEYS if k not in PHOTO_KEYS)

    def to_json(self) -> dict:
        return {"file_id": self.file_id, "path": self.path, "type": self.type,
                "fields": {key: {"value": self[key], "source": self.source(key), "origin": self.get(key).origin}
                           for key in self.fields()}}


def _chunks(ids: list[int]) -> Iterable[str]:
    for start in range(0, len(ids), CHUNK):
        yield json.dumps(ids[start:start + CHUNK])


def metadata_for_files(archive: Archive | sqlite3.Connection, file_ids: Iterable[int]) -> dict[int, FileMeta]:
    """Effective values of every indexed file among `file_ids` (ids not in the index are left out). Takes the
    archive or its connection (a snapshot's, for an export)."""
    conn = getattr(archive, "conn", archive)
    metas: dict[int, FileMeta] = {}
    for chunk in _chunks(sorted(set(file_ids))):
        metas.update(_load_chunk(conn, chunk))
    return metas


def _load_chunk(conn, chunk: str) -> dict[int, FileMeta]:
    files = conn.execute("SELECT id, path, type, pages FROM files WHERE id IN (SELECT value FROM json_each(?))",
                         (chunk,)).fetchall()
    read = conn.execute("SELECT file_id, field, value, origin FROM meta_read "
                        "WHERE file_id IN (SELECT value FROM json_each(?))", (chunk,)).fetchall()
    typed = conn.execute("SELECT file_id, field, value FROM meta_typed "
                         "WHERE file_id IN (SELECT value FROM json_each(?))", (chunk,)).fetchall()
    return metas_from_rows(files, read, typed)


def metas_from_rows(files: Iterable, read: Iterable, typed: Iterable) -> dict[int, FileMeta]:
    """FileMeta of `files` ((id, path, type, pages) rows) from meta_read rows (file_id, field, value, origin) and
    meta_typed rows (file_id, field, value, …): the archive's tables, or a frozen stage's copy of them."""
    metas: dict[int, FileMeta] = {}
    for file_id, path, kind, pages in files:
        meta = metas[file_id] = FileMeta(file_id, path, kind or "")
        if pages:
            meta.read["pages"] = Value(str(pages), READ, "pages")
    for file_id, key, value, origin in read:
        if file_id not in metas:
            continue
        if key == "orientation":
            metas[file_id].orientation = int(value) if value.isdigit() else 1
        else:
            metas[file_id].read[key] = Value(value, READ, origin)
    for meta in metas.values():
        meta.values = dict(meta.read)
    for file_id, key, value, *_ in typed:
        if file_id in metas:
            metas[file_id].values[key] = Value(value, TYPED)
    return metas


def _typed_pairs(archive: Archive, pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str | None]:
    snapshot: dict[tuple[int, str], str | None] = dict.fromkeys(pairs)
    for chunk in _chunks(sorted({i for i, _ in snapshot})):
        for file_id, key, value in archive.conn.execute(
                "SELECT file_id, field, value FROM meta_typed WHERE file_id IN (SELECT value FROM json_each(?))",
                (chunk,)):
            if (file_id, key) in snapshot:
                snapshot[(file_id, key)] = value
    return snapshot


def check_values(values: dict[str, object]) -> dict[str, str | None]:
    """Normalized typed values (None: back to what the file says), or a UserError naming the field and the value."""
    checked = {}
    for key, value in values.items():
        if key not in LABELS:
            raise UserError(f"没有字段“{key}”")
        checked[key] = None if value is None else normalize(key, value)  # its messages name the field
    return checked


def set_values(archive: Archive, file_ids: Iterable[int], values: dict[str, object]
               ) -> dict[tuple[int, str], str | None]:
    """Type `values` into every file of `file_ids` (photo fields into photos only); None reverts a field to what
    the file says. Returns the typed state before, for `put_typed` (undo)."""
    checked = check_values(values)
    ids = sorted(set(file_ids))
    kinds = dict(_types(archive, ids))
    missing = [i for i in ids if i not in kinds]
    if missing:
        raise UserError(f"文件已不在索引中（编号 {', '.join(map(str, missing[:5]))}），请重新扫描后再试")
    return put_typed(archive, {(i, key): value for i in ids for key, value in checked.items()
                               if key not in PHOTO_KEYS or is_photo(kinds[i])})


def put_typed(archive: Archive, state: dict[tuple[int, str], str | None]) -> dict[tuple[int, str], str | None]:
    """Type values as `state` says (a text is typed, None removes the typed value) in one transaction, and return
    the typed state they replace: put that back to undo."""
    stamp = now()
    with archive.atomic():
        before = _typed_pairs(archive, state.keys())
        conn = archive.conn
        conn.executemany("DELETE FROM meta_typed WHERE file_id = ? AND field = ?",
                         [pair for pair, value in state.items() if value is None])
        conn.executemany("INSERT OR REPLACE INTO meta_typed (file_id, field, value, time) VALUES (?, ?, ?, ?)",
                         [(i, key, value, stamp) for (i, key), value in state.items() if value is not None])
    return {pair: before[pair] for pair in state}


def _types(archive: Archive, ids: list[int]) -> Iterable[tuple[int, str]]:
    for chunk in _chunks(ids):
        yield from archive.conn.execute(
            "SELECT id, COALESCE(type, '') FROM files WHERE id IN (SELECT value FROM json_each(?))", (chunk,))


def file_id_for(archive: Archive, path: str) -> int:
    row = archive.conn.execute("SELECT id FROM files WHERE path = ? AND sha256 IS NOT NULL", (path,)).fetchone()
    if row is None:
        raise UserError(f"文件不在档案的索引中：{path}（请先关联其所在文件夹并扫描）")
    return row[0]
