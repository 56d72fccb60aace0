"""Helpers for the monitor tests: a recording monitor, waiting with a deadline, and the disk / index / log states."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time

from archive.index.walk import Listing, list_tree
from archive.monitor.service import Monitor, MonitorState

QUIET = 0.2
POLL = 0.2


def wait_for(predicate, timeout: float = 15.0, what="condition"):
    """Poll until predicate() is truthy; fail with `what` when the deadline passes (a callable: asked then, so it
    can tell what had happened by then). No fixed sleeps."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what() if callable(what) else what}; last value: {value!r}")
        time.sleep(0.03)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.changes: list[dict] = []
        self.states: list[MonitorState] = []
        self.reports = 0  # calls of on_changes, an empty list (something the log does not name) included

    def on_changes(self, entries: list[dict]) -> None:
        with self.lock:
            self.changes.extend(entries)
            self.reports += 1

    def on_state(self, state: MonitorState) -> None:
        with self.lock:
            self.states.append(state)


@contextlib.contextmanager
def running_monitor(archive_path, **options):
    options.setdefault("quiet_period", QUIET)
    options.setdefault("poll_interval", POLL)
    recorder = Recorder()
    monitor = Monitor(archive_path, on_changes=recorder.on_changes, on_state=recorder.on_state, **options)
    monitor.start()
    try:
        assert monitor.wait_until_settled(20), monitor.error
        yield monitor, recorder
    finally:
        assert monitor.stop(timeout=10)
    assert monitor.state == "stopped"


def events(archive, after: int = 0) -> list[tuple]:
    """(kind, path, old_path, codes, file_id) of every event after id `after`, oldest first."""
    rows = archive.conn.execute("SELECT kind, path, old_path, codes, file_id FROM events WHERE id > ? ORDER BY id",
                                (after,))
    return [(k, p, o, json.loads(c), f) for k, p, o, c, f in rows]


def last_id(archive) -> int:
    return archive.conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]


def wait_events(archive, after: int, count: int, timeout: float = 15.0) -> list[tuple]:
    return wait_for(lambda: (found := events(archive, after)) and len(found) >= count and found, timeout,
                    f"{count} new events")


def file_id(archive, path) -> int | None:
    row = archive.conn.execute("SELECT id FROM files WHERE path = ?", (str(path),)).fetchone()
    return row[0] if row else None


def sha(path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def disk_state(*roots) -> dict[str, str]:
    """{path: sha256} of what a full walk lists under the roots (same junk rules as the scan)."""
    listing = Listing()
    for root in roots:
        list_tree(str(root), listing)
    return {path: sha(path) for path in listing.files}


def index_state(archive) -> dict[str, str]:
    return dict(archive.conn.execute("SELECT path, sha256 FROM files WHERE sha256 IS NOT NULL"))


def replay_log(archive) -> dict[str, str]:
    """Apply the change log from the start; each step must be possible (no double add, no removal of nothing)."""
    state: dict[str, str] = {}
    for kind, path, old_path, sha256 in archive.conn.execute(
            "SELECT kind, path, old_path, sha256 FROM events ORDER BY id"):
        if kind == "added":
            assert path not in state, f"added twice: {path}"
        elif kind == "modified":
            assert path in state, f"modified before added: {path}"
        elif kind == "removed":
            assert state.pop(path, None) is not None, f"removed but never added: {path}"
            continue
        elif kind == "moved":
            assert state.pop(old_path, None) is not None, f"moved from nowhere: {old_path}"
        state[path] = sha256
    return state


def write_slowly(path, chunks: int, pause: float) -> None:
    """A copy in progress: the file grows over several quiet periods' worth of time."""
    with open(path, "wb") as handle:
        for n in range(chunks):
            handle.write(f"第{n}段内容\n".encode() * 200)
            handle.flush()
            os.fsync(handle.fileno())
            time.sleep(pause)
