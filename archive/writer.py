"""Who writes archives in this process, and from which thread.

A command-line process writes from whatever thread calls: `Writer` itself. The app has one writer thread (its job
queue, ui/common/worker.py) and hands a subclass to the parts that write on their own (the monitor), so that every write
of the app is made there, in the order asked for, and never on the UI thread. The core cannot see Qt: the rule
comes in through this object, and the app installs its `check` on the archives it holds (Archive.before_write),
so a write made anywhere else is caught where it happens. The same object says which thread is the writer
(`is_writer`): on an archive that carries the rule (Archive.read_apart) every other thread reads through a
read-only connection of its own, and `check_read` reports a read made through the writer's connection anyway.
"""

from __future__ import annotations

from collections.abc import Callable


class Writer:
    def run(self, fn: Callable[[], object], cancel: Callable[[], bool] | None = None):
        """Run `fn()` as the writer and return its result. Here: at once, on the calling thread."""
        return fn()

    def check(self) -> None:
        """Called before every write transaction on an archive that carries it; complains when the caller is not
        the writer. Here: everybody is."""

    def is_writer(self) -> bool:
        """Whether the calling thread is the writer. Here: every thread is."""
        return True

    def check_read(self) -> None:
        """Called when a thread other than the writer reads through the writer's connection (a connection or
        cursor handed over from the writer); complains. Here: nobody is another thread."""
