"""Apply one scan's findings to the archive in a single transaction, turning them into change-log events.

A file keeps its row id for life: a rename or move (same content, new path) updates the row, so its history follows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Set
from dataclasses import dataclass, field

from archive import statcache
from archive.db import Archive, now
from archive.filetypes import INSPECTED_TYPES
from archive.hashing import Hashed
from archive.linkset import LinkSet

KNOWN_COLUMNS = "id, path, size, mtime_ns, sha256, type, problem, unread"


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
    paged: list[tuple[str, str, str | None]] = field(default_factory=list)  # (path, type, problem) to count pages

    def is_empty(self) -> bool:
        return not (self.hashed or self.problems or self.vanished)


def fetch_known(conn_or_archive, path: str) -> Known | None:
    conn = getattr(conn_or_archive, "conn", conn_or_archive)
    row = conn.execute(f"SELECT {KNOWN_COLUMNS} FROM files WHERE path = ?", (path,)).fetchone()
    return Known(*row) if row else None


class _Writer:
    def __init__(self, archive: Archive, links: LinkSet, changes: ChangeSet, result):
        self.conn = archive.conn
        self.links = links
        self.changes = changes
        self.result = result
        self.stamp = now()
        self.events: list[tuple] = []
        self.inserts: list[tuple] = []  # new files, written at once by executemany
        # ids are never reused, even after a removal: the change log refers to files by id
        self.next_id = 1 + (self.conn.execute(
            "SELECT MAX(COALESCE((SELECT MAX(id) FROM files), 0), COALESCE((SELECT MAX(file_id) FROM events), 0))"
        ).fetchone()[0])
        self.by_sha: dict[str, list[Known]] = {}
        for old in changes.vanished.values():
            if old.sha256:
                self.by_sha.setdefault(old.sha256, []).append(old)

    def event(self, kind: str, file_id: int, path: str, old_path: str | None, size, sha) -> None:
        if old_path:  # a move touches the criteria it left and those it reached
            codes = json.dumps(sorted({*self.links.codes_for(path), *self.links.codes_for(old_path)}))
        else:
            codes = self.links.codes_json(path)
        self.events.append((self.stamp, kind, file_id, path, old_path, codes, size, sha))
        setattr(self.result, kind, getattr(self.result, kind) + 1)

    def old(self, path: str) -> Known | None:
        return fetch_known(self.conn, path) if path in self.changes.indexed else None

    def apply_hashed(self, hashed: Hashed) -> None:
        kind, problem = hashed.kind, hashed.problem
        old = self.old(hashed.path)
        values = (hashed.size, hashed.mtime_ns, hashed.sha256, kind, problem)
        if old is not None and old.sha256 == hashed.sha256:
            self.conn.execute("UPDATE files SET size=?, mtime_ns=?, sha256=?, type=?, problem=?, unread=0 WHERE id=?",
                              (*values, old.id))
            return
        if old is not None:
            self.conn.execute("UPDATE files SET size=?, mtime_ns=?, sha256=?, type=?, problem=?, pages=NULL, "
                              "unread=0, last_changed=? WHERE id=?", (*values, self.stamp, old.id))
            self.event("modified" if old.sha256 else "added", old.id, hashed.path, None, hashed.size, hashed.sha256)
        elif (source := self._moved_from(hashed)) is not None:
            self.conn.execute("UPDATE files SET path=?, size=?, mtime_ns=?, sha256=?, type=?, problem=?, unread=0 "
                              "WHERE id=?", (hashed.path, *values, source.id))
            self.event("moved", source.id, hashed.path, source.path, hashed.size, hashed.sha256)
            return  # same content: its page count still holds
        else:
            file_id, self.next_id = self.next_id, self.next_id + 1
            self.inserts.append((file_id, hashed.path, *values, self.stamp, self.stamp))
            self.event("added", file_id, hashed.path, None, hashed.size, hashed.sha256)
        if kind in INSPECTED_TYPES:
            self.changes.paged.append((hashed.path, kind, problem))

    def _moved_from(self, hashed: Hashed) -> Known | None:
        candidates = self.by_sha.get(hashed.sha256)
        if not candidates:
            return None
        name = os.path.basename(hashed.path)
        source = next((c for c in candidates if os.path.basename(c.path) == name), candidates[0])
        candidates.remove(source)
        del self.changes.vanished[source.path]
        return source

    def apply_problem(self, path: str, message: str) -> None:
        old = self.old(path)
        if old is not None:
            self.conn.execute("UPDATE files SET problem = ?, unread = 1 WHERE id = ?", (message, old.id))
            return
        file_id, self.next_id = self.next_id, self.next_id + 1
        self.conn.execute("INSERT INTO files (id, path, problem, unread, first_seen, last_changed) "
                          "VALUES (?, ?, ?, 1, ?, ?)", (file_id, path, message, self.stamp, self.stamp))

    def apply_removed(self, old: Known) -> None:
        self.conn.execute("DELETE FROM files WHERE id = ?", (old.id,))
        if old.sha256:  # a path that was only ever a problem was never evidence: no event
            self.event("removed", old.id, old.path, None, old.size, old.sha256)

    def mark_links(self, missing: list[str]) -> None:
        gone = set(missing)
        self.conn.executemany("UPDATE links SET reachable = ?, checked = ? WHERE id = ?",
                              [(0 if link.path in gone else 1, self.stamp, link.id) for link in self.links.links])

    def flush(self) -> None:
        self.conn.executemany("INSERT INTO files (id, path, size, mtime_ns, sha256, type, problem, first_seen, "
                              "last_changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.inserts)
        self.conn.executemany("INSERT INTO events (time, kind, file_id, path, old_path, codes, size, sha256) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.events)


def write_changes(archive: Archive, links: LinkSet, changes: ChangeSet, missing: list[str], result) -> None:
    with archive.atomic():
        if not changes.is_empty():
            statcache.invalidate(archive.conn)
        writer = _Writer(archive, links, changes, result)
        for hashed in changes.hashed:
            writer.apply_hashed(hashed)
        for path, message in changes.problems.items():
            writer.apply_problem(path, message)
        for old in list(changes.vanished.values()):
            writer.apply_removed(old)
        writer.mark_links(missing)
        writer.flush()
