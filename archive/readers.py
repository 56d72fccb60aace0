"""Reads apart from the writer: a read-only connection per reading thread, and a guard on the writer's connection.

In the app one thread writes an archive (archive/writer.py) while the UI thread reads it. Through one shared
connection a read lands inside the writer's open transaction and sees its half-done work (links deleted and not yet
put back: an empty evidence table for a moment), and two threads interleave statements on one sqlite3 object. So an
archive that carries the app's rule (Archive.read_apart) hands every other thread a connection of its own, opened
read-only on first use and kept for the archive's life: in autocommit each statement is its own read transaction,
which in WAL mode sees the last commit and never an open transaction. (So a read reads its rows out, by fetchall or
a full loop: a cursor kept half read keeps its statement's read transaction, and the thread's later reads with it,
at the commit it started from.) The writer's connection is a `WriterConnection`, whose guard reports a statement a
reading thread makes through it anyway (a connection or cursor handed over from the writer).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

import sqlite_utils


def _guarded(name: str):
    """sqlite3.Connection's method `name`, with the connection's guard (when set) run first."""
    method = getattr(sqlite3.Connection, name)

    def call(self, *args, **kwargs):
        if self.guard is not None:
            self.guard()
        return method(self, *args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


class WriterConnection(sqlite3.Connection):
    """The connection an archive writes through. `guard`, when set, runs before every statement made through it
    (a cursor it hands out is checked when made, not at each of its statements)."""

    guard: Callable[[], None] | None = None
    execute = _guarded("execute")
    executemany = _guarded("executemany")
    executescript = _guarded("executescript")
    cursor = _guarded("cursor")


class ThreadReaders:
    """One read-only connection per thread that reads (opened on first use), all closed with the archive: none may
    stay open on the file once it is closed (Windows would keep it locked). check_same_thread=False so that the
    closing thread can close them all; a connection whose thread has ended is closed when the next one opens."""

    def __init__(self, uri: str):
        self.uri = uri
        self._mine = threading.local()  # .db: the calling thread's connection
        self._all: dict[threading.Thread, sqlite_utils.Database] = {}
        self._lock = threading.Lock()
        self.closed = False

    def here(self) -> sqlite_utils.Database:
        """The calling thread's read connection."""
        db = getattr(self._mine, "db", None)
        if db is None:
            db = self._mine.db = self._open()
        return db

    def _open(self) -> sqlite_utils.Database:
        conn = sqlite3.connect(self.uri, uri=True, check_same_thread=False, isolation_level=None, timeout=30)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            db = sqlite_utils.Database(conn)
        except BaseException:
            conn.close()
            raise
        with self._lock:
            if self.closed:  # the archive closed meanwhile: no connection may outlive it
                conn.close()
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            for thread in [thread for thread in self._all if not thread.is_alive()]:
                self._all.pop(thread).conn.close()
            self._all[threading.current_thread()] = db
        return db

    def close(self) -> None:
        with self._lock:
            self.closed = True
            dbs, self._all = list(self._all.values()), {}
        for db in dbs:
            db.conn.close()

    def open_count(self) -> int:
        with self._lock:
            return len(self._all)
