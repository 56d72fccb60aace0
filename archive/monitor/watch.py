"""The monitor's watches: one per root, on the native observer or on the polling one, kept alive as roots come and go.

Used only from the monitor's worker thread. A native root that fails to start watching falls back to polling; a
native root that is deleted, renamed away or replaced, or whose observer died, is re-watched when it is back. Polling
roots report their own reachability (through the monitor's inbox), so a dead share never blocks this thread's checks.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace

from watchdog.observers import Observer

from archive.index.walk import describe_os_error
from archive.linkset import LinkSet
from archive.monitor.events import WATCHED_EVENTS
from archive.monitor.polling import Reachability, SnapshotPollingObserver
from archive.monitor.roots import (
    NATIVE,
    POLLING,
    RootState,
    WatchRoot,
    choose_observer,
    identity,
    is_excluded,
    watch_roots,
)
from archive.monitor.stability import ancestors

logger = logging.getLogger(__name__)
native_observer_class: Callable = Observer  # inotify on Linux, ReadDirectoryChangesW on Windows; replaceable in tests
ROOT_AWAY = "文件夹不存在或无法访问（可能已删除、改名或网络已断开），恢复后将自动重新核对"


def _why_not_native(exc: OSError) -> str:
    if exc.errno in (errno.EMFILE, errno.ENOSPC):  # inotify's limits of instances and of watches, per user
        return f"系统可同时监控的文件夹已达上限：{exc.strerror or exc}"
    return describe_os_error(exc)


@dataclass
class WatchedRoot:
    spec: WatchRoot
    state: RootState
    watch: object | None = None  # watchdog's ObservedWatch while scheduled
    identity: tuple | None = None


class Watches:
    def __init__(self, handler, poll_interval: float, force_polling: bool, on_reachability: Reachability):
        self.handler = handler
        self.poll_interval = poll_interval
        self.force_polling = force_polling
        self.on_reachability = on_reachability
        self.roots: dict[str, WatchedRoot] = {}
        self.links = LinkSet([])
        self._native = None
        self._polling = None

    def watch(self, links: LinkSet) -> None:
        """(Re)build every watch for these links."""
        for root in self.roots.values():
            self._detach(root)
        self.links = links
        self.roots = {}
        for spec in watch_roots(links):
            kind, reason = choose_observer(spec.path, self.force_polling)
            root = self.roots[spec.path] = WatchedRoot(spec, RootState(spec.path, kind, reason=reason))
            self._attach(root)

    def stop(self) -> None:
        for observer in (self._native, self._polling):
            if observer is not None:
                observer.stop()
                observer.join(timeout=2)
        self._native = self._polling = None
        for root in self.roots.values():
            root.watch = None

    def states(self) -> list[RootState]:
        return [replace(root.state) for root in self.roots.values()]

    def relevant(self, path: str) -> bool:
        """An event path that can be evidence: under a root, covered by a link, no junk or hidden name on the way."""
        root = next((a for a in ancestors(path) if a in self.roots), path if path in self.roots else None)
        return root is not None and self.links.covers(path) and not is_excluded(path, root)

    def targets_of(self, root: WatchedRoot) -> list[str]:
        """What to reconcile for a root: the folder, or for a linked file's folder the linked files in it."""
        if root.spec.recursive:
            return [root.spec.path]
        return sorted({link.path for link in self.links.links if os.path.dirname(link.path) == root.spec.path})

    def set_reachable(self, path: str, reachable: bool, reason: str | None) -> WatchedRoot | None:
        """A polling root's report; returns the root when its reachability changed."""
        root = self.roots.get(path)
        if root is None or root.state.reachable == reachable:
            return None
        root.state.reachable, root.state.error = reachable, None if reachable else f"{ROOT_AWAY}（{reason}）"
        return root

    def recover_native(self) -> list[tuple[WatchedRoot, bool]]:
        """Re-watch native roots that went away or came back; returns (root, state changed) for each one touched."""
        touched = []
        for root in list(self.roots.values()):
            if root.state.observer != NATIVE:
                continue
            if root.watch is not None and self._healthy(root):
                continue
            if root.watch is None and not os.path.isdir(root.spec.path):
                continue  # still away
            before = (root.state.reachable, root.state.observer)
            self._detach(root)
            self._attach(root)
            touched.append((root, before != (root.state.reachable, root.state.observer)))
        return touched

    def _healthy(self, root: WatchedRoot) -> bool:
        alive = any(e.watch == root.watch and e.is_alive() for e in self._native.emitters)
        return alive and self._native.is_alive() and identity(root.spec.path) == root.identity

    def _attach(self, root: WatchedRoot) -> None:
        if root.state.observer == NATIVE:
            self._attach_native(root)
        if root.state.observer == POLLING:
            if self._polling is None:
                self._polling = SnapshotPollingObserver(self.poll_interval, self.on_reachability)
                self._polling.start()
            root.state.reachable = os.path.isdir(root.spec.path)  # the emitter reports changes from here on
            root.state.error = None if root.state.reachable else ROOT_AWAY
            root.watch = self._polling.schedule(self.handler, root.spec.path, recursive=root.spec.recursive)

    def _attach_native(self, root: WatchedRoot) -> None:
        path = root.spec.path
        if not os.path.isdir(path):
            root.state.reachable, root.state.error = False, ROOT_AWAY
            return
        try:
            if self._native is None:  # inotify: one of the user's 128 instances, which other programs may all hold
                observer = native_observer_class()
                observer.start()
                self._native = observer
            root.watch = self._native.schedule(self.handler, path, recursive=root.spec.recursive,
                                               event_filter=WATCHED_EVENTS)
        except OSError as exc:  # the inotify instance or watch limit: this root falls back to polling
            root.state.observer = POLLING
            root.state.reason = f"本地监控无法启动（{_why_not_native(exc)}），改用轮询"
            logger.warning("%s：%s", path, root.state.reason)
            return
        root.identity = identity(path)
        root.state.reachable, root.state.error = True, None

    def _detach(self, root: WatchedRoot) -> None:
        observer = self._native if root.state.observer == NATIVE else self._polling
        if root.watch is not None and observer is not None:
            with contextlib.suppress(KeyError):
                observer.unschedule(root.watch)
        root.watch = None
