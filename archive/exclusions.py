"""Files the clerk keeps out of the dossier (不列入汇编): a draft beside the signed notice, a personal file in a
department's shared folder, an old version nobody may delete. The evidence folders are read-only to us and the
folder stays linked, so the mark lives in the archive, on the file's row id (it follows a rename or a move).

The mark holds for the content it was set on: when the file changes, it lapses and the file is exported again (a
draft overwritten by the signed version must not be left out unseen). The file stays in the index, in its item's
status and in the change log; only the exports (dossier, PDF, handover package) leave it out, and the export plan
names it. The table: archive.migrations (EXCLUSIONS_SCHEMA).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Archive, now
from common.errors import UserError

LABEL = "不列入汇编"


@dataclass(frozen=True)
class Exclusion:
    file_id: int
    by: str
    time: str
    reason: str

    def describe(self) -> str:
        """不列入汇编（张三 2026-12-07：征求意见稿）"""
        return f"{LABEL}（{self.detail()}）"

    def detail(self) -> str:
        """张三 2026-12-07：征求意见稿 (who, when, why)"""
        who = " ".join(part for part in (self.by, self.time[:10]) if part)
        return f"{who}：{self.reason}" if self.reason else who

    def to_json(self) -> dict:
        return {"file_id": self.file_id, "by": self.by, "time": self.time, "reason": self.reason}


def exclusions(archive: Archive) -> dict[int, Exclusion]:
    """file id -> its mark, for marks still on the content they were set on."""
    rows = archive.conn.execute(
        "SELECT x.file_id, x.by, x.time, x.reason FROM excluded_files x JOIN files f "
        "ON f.id = x.file_id AND f.sha256 = x.sha256")
    return {row[0]: Exclusion(*row) for row in rows}


def lapsed(archive: Archive) -> set[int]:
    """Files marked whose content changed since: exported again, which the export plan and the table say."""
    return {row[0] for row in archive.conn.execute(
        "SELECT x.file_id FROM excluded_files x JOIN files f ON f.id = x.file_id "
        "WHERE f.sha256 IS NOT NULL AND f.sha256 <> x.sha256")}


def exclude(archive: Archive, file_ids: list[int], by: str = "", reason: str = "") -> int:
    """Marks the files (those indexed with a content); returns how many were not marked before."""
    stamp = now()
    before = put_marks(archive, {file_id: Exclusion(file_id, by, stamp, reason.strip()) for file_id in file_ids})
    if not before:
        raise UserError("没有可标记的文件（文件不在索引中，或尚未读取）")
    return sum(1 for mark in before.values() if mark is None)


def include(archive: Archive, file_ids: list[int]) -> int:
    """Lifts the marks; returns how many files had one in force."""
    before = put_marks(archive, dict.fromkeys(file_ids))
    return sum(1 for mark in before.values() if mark is not None)


def put_marks(archive: Archive, marks: dict[int, Exclusion | None]) -> dict[int, Exclusion | None]:
    """Gives each file the mark given (None: no mark), on its present content; returns the marks in force before
    for the files that could take one (indexed, read), so an undo can put them back."""
    ids = list(marks)
    with archive.atomic():
        contents = dict(archive.conn.execute(
            f"SELECT id, sha256 FROM files WHERE sha256 IS NOT NULL AND id IN ({_marks(ids)})", ids).fetchall())
        before = exclusions(archive)
        archive.conn.executemany("DELETE FROM excluded_files WHERE file_id = ?",
                                 [(file_id,) for file_id, mark in marks.items() if mark is None])
        archive.conn.executemany(
            "INSERT OR REPLACE INTO excluded_files (file_id, sha256, by, time, reason) VALUES (?, ?, ?, ?, ?)",
            [(file_id, contents[file_id], mark.by, mark.time, mark.reason)
             for file_id, mark in marks.items() if mark is not None and file_id in contents])
    return {file_id: before.get(file_id) for file_id in ids if file_id in contents}


def _marks(ids: list[int]) -> str:
    return ",".join("?" * len(ids)) or "NULL"
