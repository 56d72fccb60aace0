"""What the dossier reads beyond the files, kept with a stage so a rebuild shows it as it was frozen.

- The self-evaluation data (exporters.reports.data.ReportData: the sheet with kinds, units, deadlines, scores and
  maxima, the pass rules' projection, the rectifications) as compressed JSON (exporters.reports.data_codec). It is
  stored as computed at the freeze, not recomputed at rebuild time: a later change to the scoring or projection
  code must not change what a stage's dossier says. It is dated as the rebuilt dossier is.
- The files' metadata (the archive's meta_read and meta_typed rows, all of them) as compressed JSON that SQLite
  writes itself: no Python object per file at the freeze. A rebuild describes the listed files from it
  (exporters.file_fields.describe_with: 题名, 文号, 责任者, 日期, photo elements), exactly as the dossier did.
  Stages frozen before it hold one description per listed file instead (`described` in stage_files).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import zlib

import orjson

from archive.metadata.store import metas_from_rows
from exporters.file_fields import FileFields, PhotoFields, describe_with
from exporters.reports.data import ReportData
from exporters.reports.data_codec import encode, report_from_json

PACK_LEVEL = 6  # a few hundred criteria: tens of kilobytes of JSON, packed in milliseconds
METADATA_LEVEL = 1  # 50,000 files: 3.4 MB of JSON packs to 0.47 MB in 25 ms (level 6: 0.36 MB in 55 ms)
METADATA_JSON = """SELECT json_object(
    'read', (SELECT json_group_array(json_array(file_id, field, value, origin)) FROM meta_read),
    'typed', (SELECT json_group_array(json_array(file_id, field, value, time)) FROM meta_typed))"""


def pack_selfeval(data: ReportData) -> bytes:
    return zlib.compress(json.dumps(encode(data), ensure_ascii=False, separators=(",", ":")).encode(), PACK_LEVEL)


def unpack_selfeval(blob: bytes, generated: str) -> ReportData:
    """The frozen data, dated `generated` (the dossier's generation time) as an export then would have dated it."""
    return report_from_json(json.loads(zlib.decompress(blob)), generated)


def pack_metadata(conn) -> bytes | None:
    """Every metadata row of the archive, packed; None for an archive without the metadata tables."""
    try:
        text = conn.execute(METADATA_JSON).fetchone()[0]
    except sqlite3.OperationalError:
        return None
    return zlib.compress(text.encode(), METADATA_LEVEL)


def unpack_metadata(blob: bytes | None) -> dict:
    """{"read": meta_read rows, "typed": meta_typed rows} of a packed blob (none for None)."""
    return orjson.loads(zlib.decompress(blob)) if blob else {"read": [], "typed": []}


def describe_frozen(blob: bytes | dict | None, files) -> dict[int, FileFields]:
    """What the dossier said each of `files` (stages.snapshot.FileRecord) is, from the frozen metadata (packed, or
    as unpack_metadata gave it)."""
    data = blob if isinstance(blob, dict) else unpack_metadata(blob)
    metas = metas_from_rows([(f.id, f.path, f.type, f.pages) for f in files], data["read"], data["typed"])
    return describe_with(metas, files)


def fields_row(fields: FileFields | None) -> list | None:
    """[题名, 日期, 文号, 责任者] and the six photo elements when any is known: how stages frozen before
    stage_metadata (schema 6) kept a listed file's description. Tests write such stages with it."""
    if fields is None:
        return None
    row = [fields.title, fields.date, fields.doc_number, fields.author]
    photo = dataclasses.astuple(fields.photo)
    return [*row, list(photo)] if any(photo) else row


def fields_from_row(row: list | None) -> FileFields | None:
    if not row:
        return None
    photo = PhotoFields(*row[4]) if len(row) > 4 else PhotoFields()
    return FileFields(row[0], row[1], row[2], row[3], photo)
