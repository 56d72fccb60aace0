"""Reads off the UI thread: a plain function on a thread of its own, its result handed back on the UI thread.

For reads only: the function reads the archive through Archive.snapshot() (a connection of its own) and never
writes; writes go to the one writer (ui/worker.py WRITER), which this thread is not, so a stray write is caught
there. Reads do not queue behind the writer's jobs either: the monitor's next reconcile does not hold them up.
One read at a time per Reader; its owner starts the next when the last was handed back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class Reader(QObject):
    _finished = Signal(object, object)  # (result, error), from the reading thread

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self.thread: threading.Thread | None = None
        self._callbacks: tuple[Callable, Callable] | None = None
        self._finished.connect(self._hand_back, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self.thread is not None

    def start(self, fn: Callable[[], object], on_done: Callable[[object], None],
              on_error: Callable[[BaseException], None]) -> None:
        if self.busy:
            raise RuntimeError(f"{self.name}: a read is still running")
        self._callbacks = (on_done, on_error)

        def work() -> None:
            try:
                result, error = fn(), None
            except BaseException as exc:  # every end must reach the UI thread
                result, error = None, exc
            self._finished.emit(result, error)

        self.thread = threading.Thread(target=work, name=self.name, daemon=True)
        self.thread.start()

    def wait(self, timeout: float = 30) -> None:
        """Let a running read end (the archive is closing); its result is then dropped."""
        if self.thread is not None:
            self.thread.join(timeout)

    @Slot(object, object)
    def _hand_back(self, result, error) -> None:
        if self.thread is not None:
            self.thread.join()
        self.thread = None
        on_done, on_error = self._callbacks
        self._callbacks = None
        if error is not None:
            on_error(error)
        else:
            on_done(result)
