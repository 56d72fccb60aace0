"""The file information a unit's clerk typed (题名, 成文日期, a photo's 事由, 人物, 地点…), carried in the evidence
package so that the office's clerk does not type it again.

Export: each file entry of the manifest gets "meta": {field: value}, the unit archive's typed values of that file
(archive.metadata.store), {} when it has none. Values read from the file are left out: the office's scan reads them
again. An entry without "meta" (a package from before it) carries nothing and changes nothing.

Import, after the scan has indexed the files: each value is checked as typed input is (fields.normalize; a photo
field only for a photo); a bad one is reported and never written, and never fails the import. A value is written as
typed unless the office has typed that field itself. To tell the two apart, the archive's meta "unit_typed" keeps,
per file id, what the packages last wrote: a typed value still equal to it is the unit's and follows the unit's
newer package (changed, or dropped when the unit removed it); any other typed value is the office's correction and
stays. A value the office removed after an import stays removed too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from archive.db import Archive
from archive.metadata.fields import LABELS, PHOTO_KEYS, is_photo, normalize
from archive.metadata.store import put_typed
from common.errors import UserError

RECORD_KEY = "unit_typed"  # archive meta: {file id: {field: value}} as the evidence packages last wrote them
NOT_A_PHOTO = "此项只用于照片，该文件不是照片"


@dataclass
class MetaOutcome:
    files: int = 0  # files that had values written
    skipped: list[tuple[str, str, str, str]] = field(default_factory=list)  # (path, field label, value, why)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (path, field label): the office's value stays


def typed_by_path(archive: Archive) -> dict[str, dict[str, str]]:
    """path -> {field: value} of every indexed file's typed values (the export's view of the unit archive)."""
    typed: dict[str, dict[str, str]] = {}
    for path, key, value in archive.conn.execute(
            "SELECT f.path, t.field, t.value FROM meta_typed t JOIN files f ON f.id = t.file_id ORDER BY t.field"):
        if key in LABELS:
            typed.setdefault(path, {})[key] = value
    return typed


def _checked(meta, kind: str, path: str, outcome: MetaOutcome) -> dict[str, str]:
    """The entry's values as the app would store them; each bad one goes to outcome.skipped instead."""
    if not isinstance(meta, dict):
        outcome.skipped.append((path, "文件信息", f"{meta!r:.80}", "格式不对，应为“字段: 值”的对照"))
        return {}
    good = {}
    for key, value in meta.items():
        label = LABELS.get(key, str(key))
        shown = value if isinstance(value, str) else f"{value!r:.80}"
        if key not in LABELS:
            outcome.skipped.append((path, label, shown, "没有此字段"))
        elif not isinstance(value, str | int) or isinstance(value, bool):
            outcome.skipped.append((path, label, shown, "值应为文字"))
        elif key in PHOTO_KEYS and not is_photo(kind):
            outcome.skipped.append((path, label, shown, NOT_A_PHOTO))
        else:
            try:
                good[key] = normalize(key, value)
            except UserError as exc:
                outcome.skipped.append((path, label, shown, str(exc)))
    return good


def _merge(file_id: int, path: str, wanted: dict[str, str], offered: set[str], typed: dict[str, str],
           last: dict[str, str], outcome: MetaOutcome) -> tuple[dict[tuple[int, str], str | None], dict[str, str]]:
    """(typed changes for put_typed, the record of what the packages wrote) for one file. `offered`: the fields the
    entry names, good or bad; a field the packages wrote before and this one no longer names, the unit removed."""
    changes: dict[tuple[int, str], str | None] = {}
    record = dict(last)
    for key in sorted(set(wanted) | (set(last) - offered)):
        new, now, before = wanted.get(key), typed.get(key), last.get(key)
        if now != new and now != before:  # the office typed, changed or removed it: its word stays
            if new != before and new is not None:
                outcome.kept.append((path, LABELS[key]))
            continue
        if now != new:  # the unit's value from an earlier package, or none yet: follows the unit
            changes[(file_id, key)] = new
        if new is None:
            record.pop(key, None)
        else:
            record[key] = new
    return changes, record


def apply_package_meta(archive: Archive, entries: list[tuple[str, str, dict]]) -> MetaOutcome:
    """Write the typed values the package carries for its imported files: (path shown, path on disk, the manifest's
    file entry) each. One transaction; call it after the scan has indexed the files."""
    outcome = MetaOutcome()
    carried = [(shown, disk, item["meta"]) for shown, disk, item in entries if "meta" in item]
    if not carried:
        return outcome
    with archive.atomic():
        records: dict[str, dict[str, str]] = json.loads(archive.meta(RECORD_KEY) or "{}")
        all_changes: dict[tuple[int, str], str | None] = {}
        touched = False
        for shown, disk, meta in carried:
            row = archive.conn.execute("SELECT id, COALESCE(type, '') FROM files WHERE path = ? "
                                       "AND sha256 IS NOT NULL", (disk,)).fetchone()
            if row is None:
                if meta:
                    outcome.skipped.append((shown, "文件信息", "", "文件未能编入档案索引"))
                continue
            file_id, kind = row
            wanted = _checked(meta, kind, shown, outcome)
            offered = set(meta) if isinstance(meta, dict) else set(records.get(str(file_id), {}))
            typed = dict(archive.conn.execute("SELECT field, value FROM meta_typed WHERE file_id = ?", (file_id,)))
            last = records.get(str(file_id), {})
            changes, record = _merge(file_id, shown, wanted, offered, typed, last, outcome)
            if changes:
                outcome.files += 1
                all_changes.update(changes)
            if record != last:
                touched = True
                if record:
                    records[str(file_id)] = record
                else:
                    records.pop(str(file_id), None)
        if all_changes:
            put_typed(archive, all_changes)
        if touched:
            _save_records(archive, records)
    return outcome


def _save_records(archive: Archive, records: dict[str, dict[str, str]]) -> None:
    """Store the record, without the ids of files that left the index: SQLite may give such an id to a new file."""
    present = {str(row[0]) for row in archive.conn.execute(
        "SELECT id FROM files WHERE id IN (SELECT value FROM json_each(?))", (json.dumps([int(i) for i in records]),))}
    kept = {file_id: record for file_id, record in records.items() if file_id in present}
    archive.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (RECORD_KEY, json.dumps(kept, ensure_ascii=False, sort_keys=True)))
