"""Files the index forgot because the links changed, not because the files did (the files_left table, schema 7).

Unlinking a folder drops its files from the index, yet they are still on disk and unchanged, so the change log says
nothing. When a path comes back into the index (the folder linked again, to the same criterion or another), the
file takes its old row back: the same content is no change of the evidence (no 新增 in 最近变更, the dates it had,
so a confirmation made before still sees it unchanged), other content is a 修改 (it changed while unlinked). A file
the archive never knew at that path is 新增, as always. meta_kept is the same rule for typed metadata, by content.

A link pointed at its folder's new place (archive.links.relocate) makes the index forget the files under the old
place too, but each is remembered where it should be now, with the path it had (old_path, schema 8): found there,
it takes its row back and the log says 移动/改名 (archive.index.scanwrite). One the first scan that lists the new
place does not find there is gone from the criterion's evidence: that scan logs its 删除 (moved_away).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archive.linkset import path_range

_FORGET = ("INSERT OR REPLACE INTO files_left (path, id, sha256, first_seen, last_changed, time) "
           "SELECT path, id, sha256, first_seen, last_changed, ? FROM files WHERE id = ? AND sha256 IS NOT NULL")
# a file under a re-pointed link: remembered at its path in the new place, with the path it had
_FORGET_MOVED = ("INSERT OR REPLACE INTO files_left (path, id, sha256, first_seen, last_changed, time, old_path) "
                 "SELECT ?, id, sha256, first_seen, last_changed, ?, path FROM files "
                 "WHERE id = ? AND sha256 IS NOT NULL")
_COLUMNS = "l.path, l.id, l.sha256, l.first_seen, l.last_changed, l.old_path"
_REMEMBERED = f"SELECT {_COLUMNS} FROM json_each(?) AS j JOIN files_left AS l ON l.path = j.value"
_MOVED = f"SELECT {_COLUMNS} FROM files_left AS l WHERE l.old_path IS NOT NULL"
_INDEXED = "SELECT f.path FROM json_each(?) AS j JOIN files AS f ON f.path = j.value"


@dataclass(frozen=True)
class Left:
    """What the archive knew of a file at a path before a link change made it forget the file. `old_path`: where
    the file was, when the change was a relocation (the path is then where it should be now)."""

    id: int
    sha256: str
    first_seen: str
    last_changed: str
    old_path: str | None = None


def forget(conn, ids: list[int], stamp: str, moved_to: dict[int, str] | None = None) -> None:
    """Drop the files `ids` from the index, remembering those read cleanly (a problem row was never evidence).
    `moved_to`: id -> the path a file of a re-pointed link should have now; it is remembered there."""
    moved_to = moved_to or {}
    conn.executemany(_FORGET, [(stamp, file_id) for file_id in ids if file_id not in moved_to])
    conn.executemany(_FORGET_MOVED, [(path, stamp, file_id) for file_id, path in moved_to.items()])
    conn.executemany("DELETE FROM files WHERE id = ?", [(file_id,) for file_id in ids])


def follow_relocation(conn, old: str, new: str, stamp: str) -> None:
    """Files remembered under `old` because an earlier relocation sent them there, and not found yet (no scan
    since, or the place was offline): the link moves on to `new`, and they are looked for there, still with the
    path they had in the index (the 移动/改名 event names where the file was, not where it was only expected)."""
    lo, hi = path_range(old)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM files_left AS l WHERE l.old_path IS NOT NULL "
                        "AND (l.path = ? OR (l.path >= ? AND l.path < ?))", (old, lo, hi)).fetchall()
    conn.executemany("DELETE FROM files_left WHERE path = ?", [(row[0],) for row in rows])
    conn.executemany("INSERT OR REPLACE INTO files_left (path, id, sha256, first_seen, last_changed, old_path, time) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", [(new + row[0][len(old):], *row[1:], stamp) for row in rows])


def remembered(conn, paths: Iterable[str]) -> dict[str, Left]:
    """path -> Left for each of `paths` the index forgot. Nothing is read when nothing was ever forgotten (a first
    scan of 50,000 files pays one query)."""
    if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM files_left)").fetchone()[0]:
        return {}
    wanted = list(paths)
    if not wanted:
        return {}
    return {row[0]: Left(*row[1:]) for row in conn.execute(_REMEMBERED, (json.dumps(wanted),))}


def moved_away(conn, looked: Callable[[str], bool]) -> dict[str, Left]:
    """path -> Left of the files of a re-pointed link that a scan looked for where they should be now (`looked`:
    the path lies where the scan listed and was not found there) and that are not in the index there either (a
    problem row keeps its place until the file is read). They did not come along to the new place: the scan logs
    their 删除, so the criterion's loss is in the log, not silent. One query, on a table almost always empty."""
    found = {row[0]: Left(*row[1:]) for row in conn.execute(_MOVED) if looked(row[0])}
    if found:
        for (path,) in conn.execute(_INDEXED, (json.dumps(list(found)),)).fetchall():
            del found[path]
    return found


def taken_back(conn, paths: list[str]) -> None:
    """The paths are in the index again: the memory of them has served."""
    conn.executemany("DELETE FROM files_left WHERE path = ?", [(path,) for path in paths])
