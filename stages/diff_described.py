"""Files whose catalogue description changed between the two sides of a stage diff (题名, 文号, 责任者, 日期, 密级, a
typed 页数 and 备注, and a photo's six elements: what the dossier's 佐证材料目录 prints for the file,
exporters.file_fields).

Only files on both sides at the same path with the same content are compared: a changed file is already listed as
changed, and a moved or renamed one as moved (its name-derived 题名 would differ by the move alone). Values are
compared as printed (typed over read, the file name where the metadata has nothing), so a re-read giving the same
printed values is no change. A side without packed metadata (a stage frozen before it was kept) is not compared:
the name fallback would apply on both sides, and the same path gives the same description.

50,000 files: only the files whose metadata rows differ between the sides (a set difference of the rows) are
described, in bulk as a rebuild does, never one query per file.
"""

from __future__ import annotations

from exporters.file_fields import FileFields
from stages.frozen_data import describe_frozen, unpack_metadata
from stages.snapshot import FileRecord

FIELD_LABELS = (("title", "题名"), ("doc_number", "文号"), ("author", "责任者"), ("date", "日期"), ("secret", "密级"),
                ("pages", "页数"), ("note", "备注"))
PHOTO_LABELS = (("reason", "事由"), ("time", "时间"), ("place", "地点"), ("people", "人物"), ("background", "背景"),
                ("photographer", "摄影者"))

FieldChange = tuple[str, str, str]  # (Chinese label, old printed value, new printed value)


def field_changes(old: FileFields, new: FileFields) -> list[FieldChange]:
    changes = [(label, getattr(old, name), getattr(new, name)) for name, label in FIELD_LABELS
               if getattr(old, name) != getattr(new, name)]
    return changes + [(label, getattr(old.photo, name), getattr(new.photo, name)) for name, label in PHOTO_LABELS
                      if getattr(old.photo, name) != getattr(new.photo, name)]


def described_changes(old_meta: bytes | None, new_meta: bytes | None, old_paths: dict[str, FileRecord],
                      new_paths: dict[str, FileRecord]) -> dict[str, list[FieldChange]]:
    """{path: field changes} of the listed files at the same path with the same content on both sides whose
    printed description differs."""
    if old_meta is None or new_meta is None:
        return {}
    old_data, new_data = unpack_metadata(old_meta), unpack_metadata(new_meta)
    touched_old, touched_new = _touched(old_data, new_data)
    pairs = []
    for path, before in old_paths.items():
        after = new_paths.get(path)
        if after is None or (before.id == after.id and before.id not in touched_old and after.id not in touched_new):
            continue  # the same rows under the same id: described alike
        if before.listed and after.listed and before.sha256 == after.sha256 and before.size == after.size:
            pairs.append((before, after))
    if not pairs:
        return {}
    old_fields = describe_frozen(old_data, [before for before, _ in pairs])
    new_fields = describe_frozen(new_data, [after for _, after in pairs])
    result = {}
    for before, after in pairs:
        if changes := field_changes(old_fields[before.id], new_fields[after.id]):
            result[after.path] = changes
    return result


def _touched(old: dict, new: dict) -> tuple[set[int], set[int]]:
    """The file ids whose metadata rows (field and value; not when or how they were read or typed) differ
    between the sides: every other file has the same rows on both sides."""
    touched_old: set[int] = set()
    touched_new: set[int] = set()
    for kind in ("read", "typed"):
        if old[kind] == new[kind]:
            continue  # SQLite lists the rows in table order: nothing changed, the common case
        before = {(row[0], row[1], row[2]) for row in old[kind]}
        after = {(row[0], row[1], row[2]) for row in new[kind]}
        touched_old.update(row[0] for row in before - after)
        touched_new.update(row[0] for row in after - before)
    return touched_old, touched_new


def change_text(changes: list[FieldChange]) -> str:
    """题名 “扫描件001” → “某县创建工作督查情况记录”；日期 （空） → “20240305”"""
    return "；".join(f"{label} {_quoted(old)} → {_quoted(new)}" for label, old, new in changes)


def _quoted(value: str) -> str:
    return f"“{value}”" if value else "（空）"
