"""A person confirms that a criterion's evidence is complete; the archive remembers exactly what they saw."""

from __future__ import annotations

import getpass

from archive.catalogue import load_catalogue, resolve_code
from archive.db import Archive, now
from archive.linkset import LinkSet
from archive.status import FileIndex, evidence_digest, subtree_files
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
