"""What the dossier reads beyond the files, kept with a stage so a rebuild shows it as it was frozen.

- The self-evaluation data (exporters.reports.data.ReportData: the sheet with kinds, units, deadlines, scores and
  maxima, the pass rules' projection, the rectifications) as compressed JSON (exporters.reports.data_codec). It is
  stored as computed at the freeze, not recomputed at rebuild time: a later change to the scoring or projection
  code must not change what a stage's dossier says. It is dated as the rebuilt dossier is.
- Each listed file's description (exporters.file_fields.FileFields: 题名, 文号, 责任者, 日期, photo elements) as one
  short list per file, stored with the file in stage_files.
"""

from __future__ import annotations

import dataclasses
import json
import zlib

from exporters.file_fields import FileFields, PhotoFields
from exporters.reports.data import ReportData
from exporters.reports.data_codec import encode, report_from_json

PACK_LEVEL = 6  # a few hundred criteria: tens of kilobytes of JSON, packed in milliseconds


def pack_selfeval(data: ReportData) -> bytes:
    return zlib.compress(json.dumps(encode(data), ensure_ascii=False, separators=(",", ":")).encode(), PACK_LEVEL)


def unpack_selfeval(blob: bytes, generated: str) -> ReportData:
    """The frozen data, dated `generated` (the dossier's generation time) as an export then would have dated it."""
    return report_from_json(json.loads(zlib.decompress(blob)), generated)


def fields_row(fields: FileFields | None) -> list | None:
    """[题名, 日期, 文号, 责任者] and the six photo elements when any is known; None for a file no dossier lists."""
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
