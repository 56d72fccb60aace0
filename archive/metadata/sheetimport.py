"""Read an edited catalogue workbook back (archive.metadata.workbook wrote it): preview first, then apply.

Columns are found by their header text, so a clerk may reorder, hide or delete columns; rows are matched by the
hidden file id, so rows may be sorted or deleted. What is reported instead of imported, each with its row:
a row without an id, a file no longer in the archive, the same file twice, a value that cannot be right (a date
that is no date), a caption field filled in for a file that is not a photo.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from archive.db import Archive
from archive.metadata.fields import FIELDS, KEYS, LABELS, PHOTO_KEYS, normalize
from archive.metadata.sheetread import read_sheet
from archive.metadata.store import FileMeta, metadata_for_files, put_typed
from archive.metadata.workbook import CHECK_LABEL, ID_LABEL, SHEET
from common.errors import UserError

HEADER_ROWS = 10  # the header is looked for in the first rows (a clerk may add a title above it)


@dataclass(frozen=True)
class Change:
    row: int
    file_id: int
    name: str
    key: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return LABELS[self.key]

    def describe(self) -> str:
        return f"第 {self.row} 行 {self.name}：{self.label} “{self.old}” → “{self.new}”"


@dataclass
class ImportPreview:
    source: str
    rows: int = 0  # rows that carry a file id
    changes: list[Change] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # rows that match no file of the archive
    errors: list[str] = field(default_factory=list)  # values not taken, and why

    def to_json(self) -> dict:
        return {"rows": self.rows, "unmatched": self.unmatched, "errors": self.errors,
                "changes": [{"row": c.row, "file_id": c.file_id, "name": c.name, "field": c.key, "old": c.old,
                             "new": c.new} for c in self.changes]}


def preview_import(archive: Archive, source: str | Path) -> ImportPreview:
    """What importing `source` would change; nothing is written."""
    rows = _read_rows(source)
    header_at, columns = _header(rows, source)
    preview = ImportPreview(str(source))
    entries = []
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {key: row[index] if index < len(row) else None for key, index in columns.items()}
        file_id = _file_id(cells.pop("id"), number, preview, cells)
        if file_id is not None:
            entries.append((number, file_id, cells))
    metas = metadata_for_files(archive, [file_id for _, file_id, _ in entries])
    seen: dict[int, int] = {}
    for number, file_id, cells in entries:
        preview.rows += 1
        meta = metas.get(file_id)
        if meta is None:
            preview.unmatched.append(f"第 {number} 行：文件已不在档案中（{_name_of(cells)}），未导入")
        elif file_id in seen:
            preview.errors.append(
                f"第 {number} 行与第 {seen[file_id]} 行是同一文件（{meta.name}），第 {number} 行未导入")
        else:
            seen[file_id] = number
            _compare(meta, number, cells, preview)
    for found in (preview.unmatched, preview.errors):  # in the order of the sheet's rows
        found.sort(key=_row_number)
    return preview


def _row_number(message: str) -> int:
    return int(message.split(" ", 2)[1]) if message.startswith("第 ") else 0


def apply_import(archive: Archive, preview: ImportPreview) -> dict[tuple[int, str], str | None]:
    """Type every change of `preview` in one transaction; return the typed state before (for undo)."""
    return put_typed(archive, {(c.file_id, c.key): c.new for c in preview.changes})


def _read_rows(source: str | Path) -> list[list]:
    return read_sheet(source, _sheet_name)


def _sheet_name(names: list[str], first_rows) -> str:
    """The catalogue sheet: ours by name, else the first whose first rows hold the id column, else the first."""
    if SHEET in names:
        return SHEET
    for name in names:
        for row in first_rows(name, HEADER_ROWS):
            if ID_LABEL in [str(c).strip() if c is not None else "" for c in row]:
                return name
    return names[0]


def _header(rows: list[list], source) -> tuple[int, dict[str, int]]:
    by_label = {f.label: f.key for f in FIELDS} | {ID_LABEL: "id", CHECK_LABEL: "check", "文件名": "name"}
    for number, row in enumerate(rows[:HEADER_ROWS]):
        texts = [str(cell).strip() if cell is not None else "" for cell in row]
        if ID_LABEL in texts:
            return number, {by_label[text]: index for index, text in enumerate(texts) if text in by_label}
    raise UserError(f"{os.path.basename(str(source))} 中没有“{ID_LABEL}”列：请使用迎检通导出的目录表填写后再导入")


def _file_id(cell, number: int, preview: ImportPreview, cells: dict) -> int | None:
    if cell is None or str(cell).strip() == "":
        if any(cells.get(key) not in (None, "") for key in KEYS):
            preview.unmatched.append(f"第 {number} 行：没有文件编号（{_name_of(cells)}），未导入")
        return None
    try:
        value = float(str(cell).strip())
        if not value.is_integer():
            raise ValueError(cell)
        return int(value)
    except ValueError:
        preview.errors.append(f"第 {number} 行：文件编号“{cell}”不正确，未导入")
        return None


def _name_of(cells: dict) -> str:
    name = cells.get("name")
    return str(name) if name not in (None, "") else "无文件名"


def _untouched(cells: dict) -> dict[str, str]:
    """key -> the checksum of the value as exported, where the sheet still has it."""
    digests = str(cells.get("check") or "").split(".")
    if len(digests) != len(KEYS):
        return {}
    return dict(zip(KEYS, digests, strict=True))


def _compare(meta: FileMeta, number: int, cells: dict, preview: ImportPreview) -> None:
    exported = _untouched(cells)
    for key in KEYS:
        if key not in cells:
            continue
        cell = cells[key]
        raw = "" if cell is None else str(cell).strip()
        if key in exported and exported[key] == (f"{zlib.crc32(raw.encode('utf-8')):08x}" if raw else ""):
            continue  # not edited in the sheet: whatever the archive says now stands
        try:
            new = normalize(key, cell)
        except UserError as exc:
            preview.errors.append(f"第 {number} 行 {meta.name}：{exc}，未导入")
            continue
        if new == meta[key]:
            continue
        if key in PHOTO_KEYS and not meta.is_photo:
            if new:
                preview.errors.append(f"第 {number} 行 {meta.name}：{LABELS[key]}只用于照片，未导入")
            continue
        preview.changes.append(Change(number, meta.file_id, meta.name, key, meta[key], new))
