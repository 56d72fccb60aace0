"""Files the index forgot because the links changed, not because the files did (the files_left table, schema 7).

Unlinking a folder drops its files from the index, yet they are still on disk and unchanged, so the change log says
nothing. When a path comes back into the index (the folder linked again, to the same criterion or another), the
file takes its old row back: the same content is no change of the evidence (no 新增 in 最近变更, the dates it had,
so a confirmation made before still sees it unchanged), other content is a 修改 (it changed while unlinked). A file
the archive never knew at that path is 新增, as always. meta_kept is the same rule for typed metadata, by content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

_FORGET = ("INSERT OR REPLACE INTO files_left (path, id, sha256, first_seen, last_changed, time) "
           "SELECT path, id, sha256, first_seen, last_changed, ? FROM files WHERE id = ? AND sha256 IS NOT NULL")
_REMEMBERED = ("SELECT l.path, l.id, l.sha256, l.first_seen, l.last_changed "
               "FROM json_each(?) AS j JOIN files_left AS l ON l.path = j.value")


@dataclass(frozen=True)
class Left:
    """What the archive knew of a file at a path before a link change made it forget the file."""

    id: int
    sha256: str
    first_seen: str
    last_changed: str


def forget(conn, ids: list[int], stamp: str) -> None:
    """Drop the files `ids` from the index, remembering those read cleanly (a problem row was never evidence)."""
    conn.executemany(_FORGET, [(stamp, file_id) for file_id in ids])
    conn.executemany("DELETE FROM files WHERE id = ?", [(file_id,) for file_id in ids])


def remembered(conn, paths: Iterable[str]) -> dict[str, Left]:
    """path -> Left for each of `paths` the index forgot. Nothing is read when nothing was ever forgotten (a first
    scan of 50,000 files pays one query)."""
    if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM files_left)").fetchone()[0]:
        return {}
    wanted = list(paths)
    if not wanted:
        return {}
    return {row[0]: Left(*row[1:]) for row in conn.execute(_REMEMBERED, (json.dumps(wanted),))}


def taken_back(conn, paths: list[str]) -> None:
    """The paths are in the index again: the memory of them has served."""
    conn.executemany("DELETE FROM files_left WHERE path = ?", [(path,) for path in paths])
