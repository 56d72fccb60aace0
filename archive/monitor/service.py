"""Live monitoring: keep the archive's index and change log current while departments keep changing their folders.

Modelled on paperless-ngx's consumer: a startup catch-up scan, watchdog observers as hints, a stability delay and a
junk filter before anything is indexed, and a periodic safety sweep. One worker thread owns everything that matters:
its own archive connection, the stability tracker, the observers' schedules; every database write is a scan() call
made through its `writer` (archive.writer): on the command line that is the worker thread itself, in the app it
is the app's one writer thread, where the monitor's changes queue up with every other write. A kill at any instant
leaves at worst a transaction that never committed. watchdog's threads and the public methods only post messages to
its inbox.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.changelog import events_after, last_event_id
from archive.db import Archive, open_archive
from archive.index.scan import scan
from archive.linkset import LinkSet
from archive.monitor.events import COMMAND, FS, LOST, REACH, InboxHandler, LostEventsHook, event_paths
from archive.monitor.polling import DEFAULT_POLL_INTERVAL
from archive.monitor.roots import RootState
from archive.monitor.stability import StabilityTracker
from archive.monitor.watch import Watches
from archive.writer import Writer
from common.errors import Cancelled, ReviewReadyError

logger = logging.getLogger(__name__)
DEFAULT_SWEEP_INTERVAL = 600.0
HEALTH_INTERVAL = 2.0  # native roots checked for deletion / replacement, links for changes
SWEEP_GRACE = 60.0  # a due sweep waits this long at most for in-flight changes to settle
RETRY_DELAYS = (1.0, 5.0, 30.0, 60.0)  # after a failed reconcile (database busy, disk error)
# inotify holds a move-away 0.5 s waiting for its move-in; across two roots they arrive as a deletion and a creation
MOVE_PAIRING = 0.6
DRAIN_LIMIT = 20000  # messages handled before duties get a turn, even in a flood
STATES = ("starting", "running", "paused", "stopped")


@dataclass
class MonitorState:
    state: str
    roots: list[RootState] = field(default_factory=list)
    error: str | None = None


class Monitor:
    def __init__(self, archive_path: str | Path, quiet_period: float = 1.0, poll_interval: float | None = None,
                 sweep_interval: float = DEFAULT_SWEEP_INTERVAL,
                 on_changes: Callable[[list[dict]], None] | None = None,
                 on_state: Callable[[MonitorState], None] | None = None, force_polling: bool = False,
                 writer: Writer | None = None):
        self.archive_path = Path(archive_path).absolute()
        self.writer = writer or Writer()
        self.quiet_period = quiet_period
        self.poll_interval = poll_interval or DEFAULT_POLL_INTERVAL
        self.sweep_interval = sweep_interval
        self.force_polling = force_polling
        self.on_changes = on_changes
        self.on_state = on_state
        self.error: str | None = None
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._settled = threading.Event()  # the startup catch-up is over (running) or the monitor stopped
        self._thread: threading.Thread | None = None
        self._state = "stopped"
        self._published: list[RootState] = []
        self._watches: Watches | None = None

    # --- public API: safe from any thread ------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    def roots(self) -> list[RootState]:
        return [dataclasses.replace(root) for root in self._published]

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._settled.clear()
        self.error = None
        self._state = "starting"
        self._thread = threading.Thread(target=self._run, name="reviewready-monitor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> bool:
        """Stop watching and wait for the worker; True when it has finished (an interrupted scan is rolled back)."""
        self._stopping.set()
        self._inbox.put((COMMAND, "stop", 0.0))
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def pause(self) -> None:
        self._inbox.put((COMMAND, "pause", 0.0))

    def resume(self) -> None:
        self._inbox.put((COMMAND, "resume", 0.0))

    def rescan_now(self) -> None:
        self._inbox.put((COMMAND, "rescan", 0.0))

    def wait_until_settled(self, timeout: float | None = None) -> bool:
        """Wait for the startup catch-up to finish; True when the monitor is running."""
        self._settled.wait(timeout)
        return self._state == "running"

    # --- worker thread ----------------------------------------------------------------------------------------------

    def _run(self) -> None:
        hook = LostEventsHook(self._inbox)
        hook.install()
        self._archive: Archive | None = None
        self._watches = Watches(InboxHandler(self._inbox), self.poll_interval, self.force_polling,
                                self._post_reachability)
        try:
            self._archive = open_archive(self.archive_path, before_write=self.writer.check)
            self._setup()
            self._watch_all()
            self._catch_up()
            self._loop()
        except ReviewReadyError as exc:  # the archive cannot be opened: said in Chinese, no traceback
            self.error = str(exc)
        except Exception as exc:
            self.error = f"监控意外停止：{exc}"
            logger.exception("监控意外停止")
        finally:
            self._watches.stop()
            hook.remove()  # after the observers: their shutdown chatter stays out of the user's terminal
            if self._archive is not None:
                self._archive.close()
            self._set_state("stopped")
            self._settled.set()

    def _setup(self) -> None:
        self._tracker = StabilityTracker(self.quiet_period, pair_window=MOVE_PAIRING)
        self._last_id = last_event_id(self._archive)
        self._retry_at: float | None = None
        self._failures = 0
        self._rescan = False
        self._next_health = time.monotonic() + HEALTH_INTERVAL
        self._next_sweep = time.monotonic() + self.sweep_interval

    def _catch_up(self) -> None:
        """Everything that changed while nobody watched, before live events are applied."""
        self._reconcile(None)
        if not self._stopping.is_set():
            self._set_state("running")
        self._settled.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                message = self._inbox.get(timeout=self._seconds_to_next_duty())
            except queue.Empty:
                message = None
            handled = 0
            while message is not None and not self._stopping.is_set():
                self._handle(*message)
                handled += 1
                message = self._next_message() if handled < DRAIN_LIMIT else None
            if not self._stopping.is_set():
                self._duties()

    def _next_message(self):
        try:
            return self._inbox.get_nowait()
        except queue.Empty:
            return None

    def _seconds_to_next_duty(self) -> float:
        deadlines = [self._next_health]
        if self._state == "running":
            deadlines += [d for d in (self._tracker.next_due(), self._retry_at, self._next_sweep) if d is not None]
        if self._rescan:
            deadlines.append(0.0)
        return max(0.0, min(deadlines) - time.monotonic())

    def _handle(self, kind: str, payload, when: float) -> None:
        if kind == COMMAND:
            {"pause": self._pause, "resume": self._resume, "rescan": self._request_rescan}.get(payload, _noop)()
        elif self._state != "running":
            return  # paused: observers are stopped, and resume catches up with a full reconcile
        elif kind == FS:
            self._on_event(payload, when)
        elif kind == LOST:
            logger.warning("文件系统事件丢失（%s），将全面核对", payload)
            self._tracker.request_full()
        elif kind == REACH:
            self._on_reachability(*payload)

    def _duties(self) -> None:
        now = time.monotonic()
        if self._rescan:
            self._rescan = False
            self._reconcile(None)
        if self._state != "running":
            return
        if self._retry_at is not None and now >= self._retry_at:
            self._reconcile(None)
        release = self._tracker.release()  # None until the stream has been quiet: cheap to ask
        if release is not None:
            self._reconcile(None if release.full else release.targets)
        if now >= self._next_health:
            self._next_health = now + HEALTH_INTERVAL
            self._check_links()
            self._check_native_roots()
        if now >= self._next_sweep and (not len(self._tracker) or now >= self._next_sweep + SWEEP_GRACE):
            self._reconcile(None)

    def _request_rescan(self) -> None:
        self._rescan = True

    # --- reconciling: the only writes ---------------------------------------------------------------------------------

    def _reconcile(self, targets: list[str] | None, announce: bool = False) -> bool:
        """Scan `targets` (None: everything) on the writer and publish the new log entries; with `announce`, an
        empty list too (a root that went away or came back changes the links' reachability, not the log)."""
        try:
            self.writer.run(lambda: scan(self._archive, cancel=self._stopping.is_set, targets=targets),
                            cancel=self._stopping.is_set)
        except Cancelled:
            return False
        except (sqlite3.Error, OSError) as exc:  # busy database, full disk: nothing was half-written; try again
            delay = RETRY_DELAYS[min(self._failures, len(RETRY_DELAYS) - 1)]
            self._failures += 1
            self._retry_at = time.monotonic() + delay
            logger.warning("核对失败（%s），%s 秒后全面重试", exc, delay)
            return False
        self._failures = 0
        if targets is None:
            self._retry_at = None
            self._next_sweep = time.monotonic() + self.sweep_interval
        self._publish_changes(announce)
        return True

    def _publish_changes(self, announce: bool = False) -> None:
        entries, self._last_id = events_after(self._archive, self._last_id)
        if (entries or announce) and self.on_changes is not None:
            _safely(self.on_changes, entries)

    # --- events and roots ---------------------------------------------------------------------------------------------

    def _on_event(self, event, when: float) -> None:
        src, dest, is_dir = event_paths(event)
        src_ok = self._watches.relevant(src)
        dest_ok = dest is not None and self._watches.relevant(dest)
        if src_ok and dest_ok:
            self._tracker.note_move(src, dest, is_dir, when)
        elif src_ok or dest_ok:  # moved out (a removal), moved in (an addition), or an editor's temp-file rename
            self._tracker.note(src if src_ok else dest, is_dir, when)

    def _watch_all(self) -> None:
        self._fingerprint = self._links_fingerprint()
        self._watches.watch(LinkSet.load(self._archive.conn))
        self._notify_state()

    def _post_reachability(self, path: str, reachable: bool, reason: str | None) -> None:
        self._inbox.put((REACH, (path, reachable, reason), time.monotonic()))

    def _on_reachability(self, path: str, reachable: bool, reason: str | None) -> None:
        root = self._watches.set_reachable(path, reachable, reason)
        if root is not None:
            self._notify_state()
            # back: catch up; away: the scan marks the link unreachable and reports nothing removed
            self._reconcile(self._watches.targets_of(root), announce=True)

    def _check_native_roots(self) -> None:
        """A deleted, renamed or replaced root, or a dead observer: re-watch it when it is back, then catch up."""
        for root, changed in self._watches.recover_native():
            if changed:
                self._notify_state()
            self._reconcile(self._watches.targets_of(root), announce=True)

    def _check_links(self) -> None:
        """Links added or removed (in the app, or by the command line): rebuild the watches, then reconcile, and say
        so even when the log has nothing new: an unlinked folder's files leave and a relinked one's come back
        without an entry (archive.index.forgotten), yet the statuses move."""
        if self._links_fingerprint() != self._fingerprint:
            self._watch_all()
            self._reconcile(None, announce=True)

    def _links_fingerprint(self) -> str:
        return self._archive.conn.execute(
            "SELECT group_concat(id || char(9) || code || char(9) || path, char(10)) "
            "FROM (SELECT id, code, path FROM links ORDER BY id)").fetchone()[0] or ""

    # --- state -------------------------------------------------------------------------------------------------------

    def _pause(self) -> None:
        if self._state == "running":
            self._watches.stop()
            self._tracker.clear()
            self._set_state("paused")

    def _resume(self) -> None:
        if self._state == "paused":
            self._watch_all()
            self._catch_up()

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self._notify_state()

    def _notify_state(self) -> None:
        self._published = self._watches.states() if self._watches is not None else self._published
        if self.on_state is not None:
            _safely(self.on_state, MonitorState(self._state, self.roots(), self.error))


def _noop() -> None:
    pass


def _safely(callback: Callable, argument) -> None:
    """A failing UI or CLI callback must not stop the monitor."""
    try:
        callback(argument)
    except Exception:
        logger.exception("监控回调出错")
