"""The app's one writer thread: queued functions run one after another, in the order they were asked for.

Every write to an archive the app holds is made on it: the UI's jobs (ui/common/worker.run_job) and the monitor's
(WRITER.run queues its reconcile and waits). WRITER.check sits on those archives as `before_write` and reports a write
made on any other thread: logged with its stack in the app, an error in the tests (strict). The session also makes
the archive read apart (Archive.read_apart): every other thread (the UI thread first) reads through a read-only
connection of its own, which sees committed data only, never the writer's transaction half done; WRITER.check_read
reports a read made through the writer's connection anyway, the same way. Plain Python threads and no Qt object
here, so nothing of Qt is ever deleted on this thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager

from archive.writer import Writer
from common.errors import Cancelled

log = logging.getLogger(__name__)
_writing = threading.local()  # .active is True while this thread runs a writer job


class SerialQueue:
    """One thread running queued tasks in the order they came. Plain Python rather than a QThreadPool: a QRunnable
    is deleted by the pool thread after it runs while its Python wrapper may be freed on the UI thread at the same
    moment, and that double delete crashed the process (a segmentation fault, about once in 40 test runs)."""

    def __init__(self, name: str):
        self.name = name
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._pending: list = []  # queued and not yet taken by the thread
        self._idle = threading.Condition(self._lock)
        self._busy = False
        self._thread: threading.Thread | None = None

    def start(self, task) -> None:
        with self._lock:
            self._pending.append(task)
            if self._thread is None:
                # A daemon: a job still running when the app quits must not keep the process alive.
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
        self._queue.put(task)

    def try_take(self, task) -> bool:
        """Take a task off the queue before it started; False when it already runs or ran."""
        with self._idle:
            if task in self._pending:
                self._pending.remove(task)
                self._idle.notify_all()  # a wait_for_done may be waiting for just this one
                return True
        return False

    def wait_for_done(self, timeout_ms: int) -> bool:
        """Wait until every queued task has run, at most `timeout_ms`; True when the queue is empty and idle."""
        deadline = time.monotonic() + timeout_ms / 1000
        with self._idle:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def _loop(self) -> None:
        while True:
            task = self._queue.get()
            with self._lock:
                if task not in self._pending:  # taken back by try_take
                    continue
                self._pending.remove(task)
                self._busy = True
            try:
                task.run()  # tasks hand their own errors on; this only keeps the thread alive
            except BaseException:
                log.exception("写入线程上的任务出错")
            finally:
                with self._idle:
                    self._busy = False
                    self._idle.notify_all()


# Made at import, not at the first call: the UI thread and the monitor's thread must never make one each. Its thread
# starts with the first task. Archive jobs run one after another, in the order they were asked for.
_pool = SerialQueue("archive-writer")


def job_pool() -> SerialQueue:
    return _pool


@contextmanager
def as_writer():
    """This thread is the writer until the block ends (the pool's thread, while it runs a job)."""
    outer = getattr(_writing, "active", False)
    _writing.active = True
    try:
        yield
    finally:
        _writing.active = outer


class WrongThreadWrite(AssertionError):
    """An archive write outside the writer thread (raised only in strict mode: the tests)."""


class WrongThreadRead(AssertionError):
    """An archive read through the writer's connection outside the writer thread (raised only in strict mode)."""


class AppWriter(Writer):
    """The app's writer: the job pool's thread. See the module docstring."""

    def __init__(self):
        self.strict = False  # the tests turn it on: a stray write raises instead of being logged
        self.stray: list[str] = []  # "thread: stack" of every write, or read through the writer's, made elsewhere
        self.audit: list[tuple[str, bool]] | None = None  # when a list: (thread name, on the writer) of every write

    def run(self, fn: Callable, cancel: Callable[[], bool] | None = None):
        """Queue `fn()` behind the jobs already waiting, wait for it, and return its result (or raise its error).
        For threads that may wait (the monitor's); a job already on the writer runs it at once. When `cancel()`
        turns true before it started, it is taken off the queue and Cancelled is raised."""
        if getattr(_writing, "active", False):
            return fn()
        task = _WaitedTask(fn)
        job_pool().start(task)
        while not task.finished.wait(0.1):
            if cancel is not None and cancel() and job_pool().try_take(task):
                raise Cancelled()
        if task.error is not None:
            raise task.error
        return task.result

    def is_writer(self) -> bool:
        return getattr(_writing, "active", False)

    def check(self) -> None:
        on_writer = self.is_writer()
        if self.audit is not None:
            self.audit.append((threading.current_thread().name, on_writer))
        if not on_writer:
            self._stray("写入", WrongThreadWrite)

    def check_read(self) -> None:
        self._stray("读取（经写入线程的连接）", WrongThreadRead)

    def _stray(self, what: str, error: type[AssertionError]) -> None:
        where = f"{threading.current_thread().name}: {''.join(traceback.format_stack(limit=12))}"
        self.stray.append(where)
        if self.strict:
            raise error(f"档案{what}不在写入线程上（{threading.current_thread().name}）")
        log.error("档案%s不在写入线程上：%s", what, where)


class _WaitedTask:
    def __init__(self, fn: Callable):
        self.fn = fn
        self.result = None
        self.error: BaseException | None = None
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            with as_writer():
                self.result = self.fn()
        except BaseException as exc:  # handed to the waiting thread
            self.error = exc
        finally:
            self.finished.set()


WRITER = AppWriter()
