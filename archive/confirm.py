"""A person confirms that a criterion's evidence is complete; the archive remembers exactly what they saw."""

from __future__ import annotations

import getpass

from archive.catalogue import load_catalogue, resolve_code
from archive.changelog import files_changed_after
from archive.db import Archive, now
from archive.links import files_linked_after
from archive.linkset import LinkSet
from archive.status import Confirmation, FileIndex, evidence_digest, subtree_files
from common.errors import UserError


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (service accounts, some containers)
        return ""


def confirm(archive: Archive, code: str, by: str | None = None, note: str = "") -> None:
    code = resolve_code(archive, code)
    criteria = load_catalogue(archive).criteria
    index = FileIndex.load(archive)
    ids, unreachable = subtree_files(criteria, LinkSet.load(archive.conn), index)
    if unreachable[code]:
        raise UserError(f"编号 {code} 有关联文件夹无法访问，请恢复访问并重新扫描后再确认")
    mine = ids[code]
    files = sum(1 for i in mine if index.rows[i][2])
    with archive.atomic():
        archive.conn.execute("UPDATE confirmations SET withdrawn = ? WHERE code = ? AND withdrawn IS NULL",
                             (now(), code))
        archive.conn.execute(
            "INSERT INTO confirmations (code, by, time, note, digest, files, last_event) "
            "VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM events))",
            (code, by if by is not None else default_user(), now(), note, evidence_digest(index, mine), files))


def withdraw(archive: Archive, code: str) -> None:
    code = resolve_code(archive, code)
    with archive.atomic():
        cursor = archive.conn.execute("UPDATE confirmations SET withdrawn = ? WHERE code = ? AND withdrawn IS NULL",
                                      (now(), code))
        if not cursor.rowcount:
            raise UserError(f"编号 {code} 尚未确认，无需撤销")


class ChangedSince:
    """Which files a confirmation did not see as they are: added, modified or moved since (archive.changelog), or
    under a link of the criterion made since (archive.links: a link is not in the log). The log is read once for
    each confirmation: an ancestor's covers all its leaves. A confirmation that kept no place in the log (a frozen
    stage's copy) is told by its time."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self._logged: dict[tuple[int | None, str], set[int]] = {}

    def __call__(self, codes: list[str], confirmation: Confirmation) -> set[int]:
        """Row ids of those files, for the criterion whose subtree is `codes`."""
        # by its place in the log, or by its time where it kept none
        key = (confirmation.last_event, "" if confirmation.last_event is not None else confirmation.time)
        if key not in self._logged:
            logged = files_changed_after(self.archive, confirmation)
            self._logged[key] = logged if logged is not None else {row[0] for row in self.archive.conn.execute(
                "SELECT id FROM files WHERE last_changed > ?", (confirmation.time,))}
        return self._logged[key] | files_linked_after(self.archive, codes, confirmation.time)
