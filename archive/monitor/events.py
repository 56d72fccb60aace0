"""The bridge from watchdog's threads to the monitor's worker: every hint becomes a message in one inbox.

Nothing here touches the database or the tracker; the worker thread alone does (one writer, no shared state).
"""

from __future__ import annotations

import logging
import os
import queue
import time

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

# What can change evidence. Left out on purpose: opened / closed-without-writing (our own hashing reads every file)
# and folder "modified" (any entry change touches its folder; the entry's own event follows).
WATCHED_EVENTS = [FileCreatedEvent, FileModifiedEvent, FileAttribEvent, FileClosedEvent, FileDeletedEvent,
                  FileMovedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
_WATCHED = frozenset(WATCHED_EVENTS)

# inbox message kinds
FS, LOST, REACH, COMMAND = "fs", "lost", "reach", "command"


class InboxHandler(FileSystemEventHandler):
    """Called on watchdog's dispatcher thread: stamp the event and queue it, nothing more."""

    def __init__(self, inbox: queue.SimpleQueue):
        self.inbox = inbox

    def dispatch(self, event: FileSystemEvent) -> None:
        if type(event) in _WATCHED:
            self.inbox.put((FS, event, time.monotonic()))


class LostEventsHook(logging.Handler):
    """watchdog only logs an inotify queue overflow or a failed watch rebuild; the application is not told.

    Listening to its logger is the one hook it offers: either message means events were lost, so the monitor
    schedules a full reconcile.
    """

    MARKERS = ("overflow", "unable to rebuild", "lost")

    def __init__(self, inbox: queue.SimpleQueue):
        super().__init__(level=logging.WARNING)
        self.inbox = inbox

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record must not break watchdog's thread
            return
        if any(marker in message.lower() for marker in self.MARKERS):
            self.inbox.put((LOST, message, time.monotonic()))

    def install(self) -> None:
        watchdog_logger = logging.getLogger("watchdog")
        if watchdog_logger.getEffectiveLevel() > logging.WARNING:  # an app that silences warnings must not blind us
            watchdog_logger.setLevel(logging.WARNING)
        watchdog_logger.addHandler(self)

    def remove(self) -> None:
        logging.getLogger("watchdog").removeHandler(self)


def event_paths(event: FileSystemEvent) -> tuple[str, str | None, bool]:
    """(src, dest or None, is_directory) as str paths."""
    dest = getattr(event, "dest_path", "") or None
    return os.fsdecode(event.src_path), (os.fsdecode(dest) if dest else None), event.is_directory
