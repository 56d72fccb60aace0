"""Turn a stream of file-system hints into batches of paths that have stopped changing.

Events are hints, never facts: an Office save is a temp file, a rename and a delete; a copy is a create and many
writes; a burst repeats events by the thousand. Indexing on every event would hash half-written files and log five
changes for one save. So each path waits until it has been quiet (no event, same size and mtime) for the quiet period,
and the paths are released together once the whole stream has been quiet (a debounce), so that the two halves of a
move, even between two watched roots, reach the same reconcile and are recorded as one move. Under a stream that never
pauses, a path is released anyway once it is itself stable and the batch has waited `max_hold`.

Pure logic over a clock and stat(); no threads, no database. The monitor owns one tracker in its worker thread.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Signature = tuple | str | None  # (size, mtime_ns) for a file, "dir", "other", or None when absent/unreadable
MAX_HOLD_FACTOR = 10  # under a never-ending burst, release stable paths at least every 10 quiet periods
MIN_MAX_HOLD = 2.0


def signature_of(path: str) -> Signature:
    """What the tracker compares between two looks at a path: cheap (one stat), and changes on every write."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        return (st.st_size, st.st_mtime_ns)
    return "dir" if stat.S_ISDIR(st.st_mode) else "other"


@dataclass
class _Pending:
    first: float
    last: float
    signature: Signature
    is_dir: bool
    group: set[str] | None = None  # the paths of a move, released together


@dataclass
class Release:
    targets: list[str] = field(default_factory=list)  # minimal: nothing under a released folder
    full: bool = False  # events were lost: reconcile everything


class StabilityTracker:
    def __init__(self, quiet_period: float = 1.0, max_hold: float | None = None, pair_window: float = 0.0,
                 clock: Callable[[], float] = time.monotonic, stat: Callable[[str], Signature] = signature_of):
        self.quiet = max(0.0, quiet_period)
        # the batch also waits this long after the last event, so that the halves of a move reported apart meet
        self.gate = max(self.quiet, pair_window)
        self.max_hold = max_hold if max_hold is not None else max(MIN_MAX_HOLD, MAX_HOLD_FACTOR * self.quiet)
        self.clock = clock
        self.stat = stat
        self._pending: dict[str, _Pending] = {}
        self._last_any = 0.0
        self._oldest = 0.0  # the earliest `first` among pending paths: kept, not recomputed per call (floods)
        self._full = False

    def __len__(self) -> int:
        return len(self._pending)

    def note(self, path: str, is_dir: bool = False, when: float | None = None) -> None:
        """Something happened at `path` (created, written, deleted, renamed from or to)."""
        now = self.clock() if when is None else when
        entry = self._pending.get(path)
        signature = self.stat(path)
        if entry is None:
            if not self._pending:
                self._oldest = now
            self._pending[path] = _Pending(now, now, signature, is_dir)
            self._oldest = min(self._oldest, now)
        else:
            entry.last, entry.signature, entry.is_dir = now, signature, entry.is_dir or is_dir
        self._last_any = max(self._last_any, now)

    def note_move(self, src: str, dest: str, is_dir: bool = False, when: float | None = None) -> None:
        """A rename or move seen whole: both paths must reach the same reconcile for the scan to see a move."""
        self.note(src, is_dir, when)
        self.note(dest, is_dir, when)
        group = {src, dest}
        for path in (src, dest):
            if self._pending[path].group:
                group |= self._pending[path].group
        for path in group:
            if path in self._pending:
                self._pending[path].group = group

    def request_full(self) -> None:
        """Events were lost (overflow, observer error): the next release asks for a full reconcile."""
        self._full = True

    def clear(self) -> None:
        self._pending.clear()
        self._full = False

    def next_due(self) -> float | None:
        """When release() may next have something to give (a clock value), or None when idle."""
        now = self.clock()
        if self._full:
            return now
        if not self._pending:
            return None
        gate = self._last_any + self.gate
        hold = self._oldest + self.max_hold
        if gate > now and hold > now:
            return min(gate, hold)
        later = [e.last + self.quiet for e in self._pending.values() if e.last + self.quiet > now]
        return min(later) if later else now

    def release(self) -> Release | None:
        """The paths ready for a reconcile, removed from the tracker; None when nothing is ready yet.

        A full request leaves pending paths in place: files still being written are reconciled again once stable.
        """
        now = self.clock()
        if self._full:
            self._full = False
            return Release(full=True)
        if not self._pending:
            return None
        if self._last_any + self.gate > now and self._oldest + self.max_hold > now:
            return None
        ready = self._stable_paths(now)
        ready = self._complete_groups(ready)
        if not ready:
            return None
        folders = [p for p in ready if self._pending[p].is_dir]
        for path in ready:
            del self._pending[path]
        self._oldest = min((e.first for e in self._pending.values()), default=0.0)
        return Release(targets=minimal_targets(ready, folders))

    def _stable_paths(self, now: float) -> set[str]:
        ready = set()
        for path, entry in self._pending.items():
            if entry.last + self.quiet > now:
                continue
            signature = self.stat(path)
            if signature != entry.signature:  # still being written, without events (network, missed events)
                entry.last, entry.signature = now, signature
                self._last_any = max(self._last_any, now)
                continue
            ready.add(path)
        return ready

    def _complete_groups(self, ready: set[str]) -> set[str]:
        """Hold back a move whose other half is not ready, and a folder with unready paths below it."""
        below_waiting: set[str] = set()  # every folder above a path that is not ready
        for path in self._pending:
            if path not in ready:
                below_waiting.update(ancestors(path))
        changed = True
        while changed:
            changed = False
            for path in list(ready):
                entry = self._pending[path]
                blocked = entry.is_dir and path in below_waiting
                if not blocked and entry.group:
                    blocked = any(p in self._pending and p not in ready for p in entry.group)
                if blocked:
                    ready.discard(path)
                    below_waiting.update(ancestors(path))
                    changed = True
        return ready


def ancestors(path: str) -> list[str]:
    """The folders above a path, nearest first."""
    found = []
    parent = os.path.dirname(path)
    while parent and parent != path:
        found.append(parent)
        path, parent = parent, os.path.dirname(parent)
    return found


def minimal_targets(paths: set[str] | list[str], folders: list[str]) -> list[str]:
    """Sorted paths without those inside a folder also in the list (the scan of the folder covers them)."""
    folder_set = set(folders)
    return sorted(p for p in set(paths) if not any(a in folder_set for a in ancestors(p)))
