"""Apply one scan's findings to the archive in a single transaction, turning them into change-log events.

A file keeps its row id for life: a rename or move (same content, new path) updates the row, so its history follows;
a file the index forgot when its folder was unlinked takes its row back when the folder is linked again, and a file
of a link re-pointed at its folder's new place takes it back there, logged as a move (archive.index.forgotten).
New files and their events are written by two executemany calls at the end.
"""

from __future__ import annotations

import json
import os
from collections.abc import Set
from dataclasses import dataclass, field

from archive.db import Archive, now
from archive.index import inspection
from archive.index.filetypes import INSPECTED_TYPES
from archive.index.forgotten import Left, remembered, taken_back
from archive.index.hashing import Hashed
from archive.linkset import LinkSet

KNOWN_COLUMNS = "id, path, size, mtime_ns, sha256, type, problem, unread"
KNOWN_QUERY = "SELECT path, size, mtime_ns, sha256 IS NOT NULL AND unread = 0 FROM files"


def known_stats(rows) -> dict[str, tuple[int, int] | None]:
    """path -> (size, mtime_ns) of a file read cleanly last time, else None (read it again), from KNOWN_QUERY rows."""
    return {path: (size, mtime) if clean else None for path, size, mtime, clean in rows}


@dataclass
class Known:
    id: int
    path: str
    size: int | None
    mtime_ns: int | None
    sha256: str | None
    type: str | None
    problem: str | None
    unread: int = 0  # the last attempt to list or read it failed: try again next time


@dataclass
class ChangeSet:
    problems: dict[str, str] = field(default_factory=dict)
    to_hash: list[str] = field(default_factory=list)
    hashed: list[Hashed] = field(default_factory=list)
    vanished: dict[str, Known] = field(default_factory=dict)
    indexed: Set[str] = frozenset()  # paths the archive knew before this scan
    moved_away: dict[str, Left] = field(default_factory=dict)  # files of a re-pointed link not at its new place

    def is_empty(self) -> bool:
        return not (self.hashed or self.problems or self.vanished or self.moved_away)


def fetch_known(conn_or_archive, path: str) -> Known | None:
    conn = getattr(conn_or_archive, "conn", conn_or_archive)
    row = conn.execute(f"SELECT {KNOWN_COLUMNS} FROM files WHERE path = ?", (path,)).fetchone()
    return Known(*row) if row else None


def next_file_id(conn) -> int:
    """Ids are never reused, even after a removal: the change log refers to files by id (a forgotten file's id waits
    for it to come back)."""
    return 1 + conn.execute(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM files), 0), COALESCE((SELECT MAX(file_id) FROM events), 0), "
        "COALESCE((SELECT MAX(id) FROM files_left), 0))").fetchone()[0]


class ScanWriter:
    """Turns one scan's findings into rows and events, inside the scan's transaction (`write`)."""

    def __init__(self, archive: Archive, links: LinkSet, changes: ChangeSet, result):
        self.conn = archive.conn
        self.links = links
        self.changes = changes
        self.result = result
        self.stamp = now()
        self.next_id = 0  # read inside the transaction
        self.events: list[tuple] = []
        self.inserts: list[tuple] = []  # new files, written at once by executemany
        self.queued: list[inspection.Item] = []  # PDF/Office files whose content is new here: for the second pass
        self.by_sha: dict[str, list[Known]] = {}
        self.left: dict[str, Left] = {}  # new paths where the index forgot a file (its folder was unlinked)
        self.taken: list[str] = []  # of those, the paths indexed again
        for old in changes.vanished.values():
            if old.sha256:
                self.by_sha.setdefault(old.sha256, []).append(old)

    def write(self, missing: list[str]) -> None:
        """Every file read, then problems, removals and the links' reachability."""
        self.next_id = next_file_id(self.conn)
        indexed = self.changes.indexed
        self.left = remembered(self.conn, (path for path in [*(h.path for h in self.changes.hashed),
                                                             *self.changes.problems] if path not in indexed))
        if not indexed and not self.by_sha and not self.left:  # a first scan: every file new, none moved
            self._add_new_files(self.changes.hashed)
        else:
            for hashed in self.changes.hashed:
                if hashed.path in indexed:
                    self._apply_known(hashed)
                else:
                    self._apply_new(hashed)
        for path, message in self.changes.problems.items():
            self._apply_problem(path, message)
        for old in list(self.changes.vanished.values()):
            self._apply_removed(old)
        for path, left in self.changes.moved_away.items():
            self._left_for_good(path, left)
        self._mark_links(missing)
        self._flush()

    def event(self, kind: str, file_id: int, path: str, old_path: str | None, size, sha, at: str | None = None) -> None:
        """`at`: where the criteria are read, when not at `path` (a file that did not follow its re-pointed link
        is logged where it was, under the criteria of the place it should be now)."""
        if at is not None:
            codes = self.links.codes_json(at)
        elif old_path:  # a move touches the criteria it left and those it reached
            codes = json.dumps(sorted({*self.links.codes_for(path), *self.links.codes_for(old_path)}))
        else:
            codes = self.links.codes_json(path)
        self.events.append((self.stamp, kind, file_id, path, old_path, codes, size, sha))
        setattr(self.result, kind, getattr(self.result, kind) + 1)

    def _apply_new(self, hashed: Hashed) -> None:
        left = self.left.pop(hashed.path, None) if self.left else None
        if left is not None:
            self.taken.append(hashed.path)
            if left.sha256 == hashed.sha256:  # back as it was: not new, nor changed
                self._take_back(left, hashed, changed=False)
                return
        values = (hashed.size, hashed.mtime_ns, hashed.sha256, hashed.kind, hashed.problem)
        if self.by_sha and (source := self._moved_from(hashed)) is not None:
            self.conn.execute("UPDATE files SET path=?, size=?, mtime_ns=?, sha256=?, type=?, problem=?, unread=0 "
                              "WHERE id=?", (hashed.path, *values, source.id))
            self.event("moved", source.id, hashed.path, source.path, hashed.size, hashed.sha256)
            self._queue(source.id, hashed)  # same content, so its page count holds; its check's problem is redone
            if left is not None and left.old_path:  # a re-pointed link's file was expected here: not this one
                self._left_for_good(hashed.path, left)
            return
        if left is not None:  # changed while its folder was unlinked
            self._take_back(left, hashed, changed=True)
            return
        file_id, self.next_id = self.next_id, self.next_id + 1
        self.inserts.append((file_id, hashed.path, *values, self.stamp, self.stamp))
        self.event("added", file_id, hashed.path, None, hashed.size, hashed.sha256)
        self._queue(file_id, hashed)

    def _add_new_files(self, files: list[Hashed]) -> None:
        """The rows, events and queue entries _apply_new gives each file, built in one loop: at 50,000 files, the
        calls per file cost a tenth of a second of the index."""
        stamp, codes_json, inspected = self.stamp, self.links.codes_json, INSPECTED_TYPES
        inserts, events, queued = self.inserts, self.events, self.queued
        first = file_id = self.next_id
        for hashed in files:
            path, size, sha, kind, problem = hashed.path, hashed.size, hashed.sha256, hashed.kind, hashed.problem
            inserts.append((file_id, path, size, hashed.mtime_ns, sha, kind, problem, stamp, stamp))
            events.append((stamp, "added", file_id, path, None, codes_json(path), size, sha))
            if kind in inspected:
                queued.append((file_id, path, kind, problem, sha))
            file_id += 1
        self.next_id = file_id
        self.result.added += file_id - first

    def _take_back(self, left: Left, hashed: Hashed, changed: bool) -> None:
        """A file the index forgot (its folder unlinked), at its path again: its old row, a 修改 if changed. A file
        of a re-pointed link, at its path in the new place: its old row too, and a 移动/改名 from where it was."""
        self.inserts.append((left.id, hashed.path, hashed.size, hashed.mtime_ns, hashed.sha256, hashed.kind,
                             hashed.problem, left.first_seen, self.stamp if changed else left.last_changed))
        self._moved_with_link(left.id, left, hashed, changed)
        if changed:
            self.event("modified", left.id, hashed.path, None, hashed.size, hashed.sha256)
        self._queue(left.id, hashed)

    def _moved_with_link(self, file_id: int, left: Left, hashed: Hashed, changed: bool) -> None:
        """The 移动/改名 of a re-pointed link's file, found where it should be now. Changed meanwhile, the 修改
        follows as an event of its own, without old_path: the log's old_path is a move's alone (archive.changelog),
        so the move carries the old path and the content the file had, and the 修改 the content it has now."""
        if left.old_path:
            self.event("moved", file_id, hashed.path, left.old_path, None if changed else hashed.size, left.sha256)

    def _left_for_good(self, path: str, left: Left) -> None:
        """A re-pointed link's file not at its new place when the scan listed it: gone from the criterion's
        evidence, so 删除 where it was (the removal of a file the log last saw there), under the criteria of the
        new place. The memory goes with it: a file turning up there later is 新增, as after any removal."""
        self.taken.append(path)
        self.event("removed", left.id, left.old_path, None, None, left.sha256, at=path)

    def _queue(self, file_id: int, hashed: Hashed) -> None:
        if hashed.kind in INSPECTED_TYPES:
            self.queued.append((file_id, hashed.path, hashed.kind, hashed.problem, hashed.sha256))

    def _moved_from(self, hashed: Hashed) -> Known | None:
        candidates = self.by_sha.get(hashed.sha256)
        if not candidates:
            return None
        name = os.path.basename(hashed.path)
        source = next((c for c in candidates if os.path.basename(c.path) == name), candidates[0])
        candidates.remove(source)
        del self.changes.vanished[source.path]
        return source

    def _apply_known(self, hashed: Hashed) -> None:
        old = fetch_known(self.conn, hashed.path)
        if old is None:  # gone from the index since the listing (another process): a new file after all
            self._apply_new(hashed)
            return
        values = (hashed.size, hashed.mtime_ns, hashed.sha256, hashed.kind)
        if old.sha256 == hashed.sha256:  # touched only: the problems of this content at this path still hold
            problem = hashed.problem or (None if old.unread else old.problem)
            self.conn.execute("UPDATE files SET size=?, mtime_ns=?, sha256=?, type=?, problem=?, unread=0 WHERE id=?",
                              (*values, problem, old.id))
            return
        kind, changed = ("modified", self.stamp) if old.sha256 else self._first_read(hashed, old.id)
        self.conn.execute("UPDATE files SET size=?, mtime_ns=?, sha256=?, type=?, problem=?, pages=NULL, "
                          "unread=0, last_changed=? WHERE id=?", (*values, hashed.problem, changed, old.id))
        if kind:
            self.event(kind, old.id, hashed.path, None, hashed.size, hashed.sha256)
        self._queue(old.id, hashed)

    def _first_read(self, hashed: Hashed, file_id: int) -> tuple[str | None, str]:
        """(the log's kind, last_changed) of a path known only as a problem until now, read at last: 新增, unless
        it is a file the index forgot, back unreadable at first (its row kept the old id: _apply_problem); a
        re-pointed link's file has its 移动/改名 logged here."""
        left = remembered(self.conn, [hashed.path]).get(hashed.path)
        if left is None:
            return "added", self.stamp
        self.taken.append(hashed.path)
        same = left.sha256 == hashed.sha256
        self._moved_with_link(file_id, left, hashed, changed=not same)
        return (None, left.last_changed) if same else ("modified", self.stamp)

    def _apply_problem(self, path: str, message: str) -> None:
        old = fetch_known(self.conn, path) if path in self.changes.indexed else None
        if old is not None:
            self.conn.execute("UPDATE files SET problem = ?, unread = 1 WHERE id = ?", (message, old.id))
            return
        left = self.left.get(path)  # a forgotten file back unreadable keeps its id; read later, it is compared
        if left is not None:
            file_id, first_seen = left.id, left.first_seen
        else:
            file_id, self.next_id, first_seen = self.next_id, self.next_id + 1, self.stamp
        self.conn.execute("INSERT INTO files (id, path, problem, unread, first_seen, last_changed) "
                          "VALUES (?, ?, ?, 1, ?, ?)", (file_id, path, message, first_seen, self.stamp))

    def _apply_removed(self, old: Known) -> None:
        self.conn.execute("DELETE FROM files WHERE id = ?", (old.id,))
        if old.sha256:  # a path that was only ever a problem was never evidence: no event
            self.event("removed", old.id, old.path, None, old.size, old.sha256)

    def _mark_links(self, missing: list[str]) -> None:
        gone = set(missing)
        self.conn.executemany("UPDATE links SET reachable = ?, checked = ? WHERE id = ?",
                              [(0 if link.path in gone else 1, self.stamp, link.id) for link in self.links.links])

    def _flush(self) -> None:
        self.conn.executemany("INSERT INTO files (id, path, size, mtime_ns, sha256, type, problem, first_seen, "
                              "last_changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.inserts)
        self.conn.executemany("INSERT INTO events (time, kind, file_id, path, old_path, codes, size, sha256) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.events)
        inspection.queue(self.conn, self.queued)
        taken_back(self.conn, self.taken)


def write_changes(archive: Archive, writer: ScanWriter, missing: list[str]) -> None:
    with archive.atomic():
        writer.write(missing)
