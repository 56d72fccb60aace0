"""The one way the UI runs core work off its thread: a plain function taking `progress` and `cancel`.

`run_job(parent, title, fn, on_done)` queues `fn(progress=..., cancel=...)` on a private single-thread pool, so
archive writes happen in the order the user asked for them (link, then scan, then confirm). Progress, the result and
errors come back through queued signals to a QObject living on the UI thread. A progress dialog with 取消 appears
when the job runs longer than a moment; 取消 sets a flag the core checks between units of work.

That pool's thread is the app's one writer. Every write to an archive the app holds is made there: the UI's own
(jobs), and the monitor's (WRITER.run queues its reconcile and waits). WRITER.check sits on those archives as
`before_write` and reports a write made on any other thread: logged with its stack in the app, an error in the tests
(strict), so a write on the UI thread cannot slip in unnoticed.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from contextlib import contextmanager

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from archive.writer import Writer
from common.errors import Cancelled, ReviewReadyError

log = logging.getLogger(__name__)
PROGRESS_STEPS = 1000
PROGRESS_INTERVAL = 0.05  # seconds between progress signals: the core may report thousands of times a second
_pool: QThreadPool | None = None
_writing = threading.local()  # .active is True while this thread runs a writer job
_running: set[BackgroundJob] = set()  # run_job's jobs, kept alive until their result is handled (callers may drop them)


def job_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)  # archive jobs run one after another, in the order they were asked for
    return _pool


class _Bridge(QObject):
    """Signals emitted from the pool thread; Qt queues them to this object's (UI) thread."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Task(QRunnable):
    def __init__(self, fn: Callable, bridge: _Bridge, cancel_flag: threading.Event):
        super().__init__()
        self.fn = fn
        self.bridge = bridge
        self.cancel_flag = cancel_flag
        self.last_report = 0.0
        self.setAutoDelete(True)

    def progress(self, fraction: float, message: str) -> None:
        moment = time.monotonic()
        if moment - self.last_report >= PROGRESS_INTERVAL or fraction >= 1.0:
            self.last_report = moment
            self.bridge.progressed.emit(float(fraction), str(message))

    def run(self) -> None:
        try:
            if self.cancel_flag.is_set():
                raise Cancelled()
            with _as_writer():
                result = self.fn(progress=self.progress, cancel=self.cancel_flag.is_set)
        except BaseException as exc:  # every failure must reach the UI, never die in a pool thread
            self.bridge.failed.emit(exc, traceback.format_exc())
        else:
            self.bridge.succeeded.emit(result)


@contextmanager
def _as_writer():
    """This thread is the writer until the block ends (the pool's thread, while it runs a job)."""
    outer = getattr(_writing, "active", False)
    _writing.active = True
    try:
        yield
    finally:
        _writing.active = outer


class WrongThreadWrite(AssertionError):
    """An archive write outside the writer thread (raised only in strict mode: the tests)."""


class AppWriter(Writer):
    """The app's writer: the job pool's thread. See the module docstring."""

    def __init__(self):
        self.strict = False  # the tests turn it on: a stray write raises instead of being logged
        self.stray: list[str] = []  # "thread: stack" of every write made elsewhere
        self.audit: list[tuple[str, bool]] | None = None  # when a list: (thread name, on the writer) of every write
        self._queued: set[_WaitedTask] = set()  # kept alive while the pool may still run them

    def run(self, fn: Callable, cancel: Callable[[], bool] | None = None):
        """Queue `fn()` behind the jobs already waiting, wait for it, and return its result (or raise its error).
        For threads that may wait (the monitor's); a job already on the writer runs it at once. When `cancel()`
        turns true before it started, it is taken off the queue and Cancelled is raised."""
        if getattr(_writing, "active", False):
            return fn()
        task = _WaitedTask(fn)
        self._queued.add(task)
        job_pool().start(task)
        while not task.finished.wait(0.1):
            if cancel is not None and cancel() and job_pool().tryTake(task):
                self._queued.discard(task)
                raise Cancelled()
        self._queued.discard(task)
        if task.error is not None:
            raise task.error
        return task.result

    def check(self) -> None:
        on_writer = getattr(_writing, "active", False)
        if self.audit is not None:
            self.audit.append((threading.current_thread().name, on_writer))
        if on_writer:
            return
        where = f"{threading.current_thread().name}: {''.join(traceback.format_stack(limit=12))}"
        self.stray.append(where)
        if self.strict:
            raise WrongThreadWrite(f"档案写入不在写入线程上（{threading.current_thread().name}）")
        log.error("档案写入不在写入线程上：%s", where)


class _WaitedTask(QRunnable):
    def __init__(self, fn: Callable):
        super().__init__()
        self.setAutoDelete(False)  # the waiting thread owns it (and may take it back off the queue)
        self.fn = fn
        self.result = None
        self.error: BaseException | None = None
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            with _as_writer():
                self.result = self.fn()
        except BaseException as exc:  # handed to the waiting thread
            self.error = exc
        finally:
            self.finished.set()


WRITER = AppWriter()


class BackgroundJob(QObject):
    """A handle on one queued job: its signals arrive on the UI thread; `cancel()` asks the core to stop."""

    progressed = Signal(float, str)
    finished = Signal(object)  # the function's return value
    failed = Signal(object)  # the exception (Cancelled included)
    done = Signal()  # after finished or failed, whichever happened
    ending = Signal()  # before finished or failed: its progress dialog goes away before any result is shown

    def __init__(self, fn: Callable, parent: QObject | None = None):
        super().__init__(parent)
        self.cancel_flag = threading.Event()
        self.running = True
        self.result = None
        self.error: BaseException | None = None
        self._bridge = _Bridge()
        self._bridge.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._bridge.succeeded.connect(self._on_success, Qt.ConnectionType.QueuedConnection)
        self._bridge.failed.connect(self._on_failure, Qt.ConnectionType.QueuedConnection)
        self._task = _Task(fn, self._bridge, self.cancel_flag)

    def start(self) -> BackgroundJob:
        job_pool().start(self._task)
        return self

    def cancel(self) -> None:
        self.cancel_flag.set()

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self.running:
            self.progressed.emit(fraction, message)

    @Slot(object)
    def _on_success(self, result) -> None:
        self.running = False
        self.result = result
        self.ending.emit()
        self.finished.emit(result)
        self.done.emit()

    @Slot(object, str)
    def _on_failure(self, exc: BaseException, trace: str) -> None:
        self.running = False
        self.error = exc
        self.ending.emit()
        if not isinstance(exc, (ReviewReadyError, Cancelled)):
            log.error("后台任务出错：%s", trace)
        self.failed.emit(exc)
        self.done.emit()


class ProgressDialog(QProgressDialog):
    """Window-modal progress with 取消; it only shows up when the job takes longer than `delay_ms`."""

    def __init__(self, parent: QWidget | None, title: str, job: BackgroundJob, delay_ms: int = 400):
        super().__init__(title, "取消", 0, PROGRESS_STEPS, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(delay_ms)
        self.setMinimumWidth(420)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setRange(0, 0)  # a busy bar until the job reports how far it is (some jobs never do)
        self.canceled.connect(job.cancel)
        self.canceled.connect(lambda: self.setLabelText("正在取消…"))
        job.progressed.connect(self._show_progress)
        job.ending.connect(self._finish)  # before the result or error box: that box must not sit under this one

    @Slot(float, str)
    def _show_progress(self, fraction: float, message: str) -> None:
        if not self.wasCanceled():
            if self.maximum() == 0:
                self.setRange(0, PROGRESS_STEPS)
            self.setValue(int(fraction * PROGRESS_STEPS))
            self.setLabelText(message)

    @Slot()
    def _finish(self) -> None:
        self.reset()  # also stops the timer that would show a dialog that has not appeared yet
        self.hide()
        self.deleteLater()


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, ReviewReadyError):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}：{exc.filename}"
    return f"{type(exc).__name__}：{exc}"


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    QMessageBox.warning(parent, title, describe_error(exc))


def run_job(parent: QWidget | None, title: str, fn: Callable, on_done: Callable | None = None,
            on_error: Callable | None = None, dialog: bool = True, delay_ms: int = 400) -> BackgroundJob:
    """Run `fn(progress, cancel)` in the background. Errors go to `on_error`, or a message box titled `title`;
    a cancelled job is reported in the parent window's status bar and nowhere else."""
    # No Qt parent and no deleteLater: a parented job deleted by deleteLater after its Python handle went away
    # crashed PySide 6.11 (~QObject, heap corruption). Python owns it; the set keeps it until its end is handled.
    job = BackgroundJob(fn)
    _running.add(job)
    if dialog:
        ProgressDialog(parent, title, job, delay_ms)
    if on_done is not None:
        job.finished.connect(on_done)

    def failed(exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
        elif isinstance(exc, Cancelled):
            _status(parent, f"{title}：已取消")
        else:
            show_error(parent, f"{title}失败", exc)

    job.failed.connect(failed)
    handle = weakref.ref(job)  # a strong one in the slot would keep every job alive through its own connection
    job.done.connect(lambda: QTimer.singleShot(0, lambda: _running.discard(handle())))  # not while it emits
    return job.start()


def _status(parent: QWidget | None, message: str) -> None:
    window = parent.window() if parent is not None else None
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        bar().showMessage(message, 5000)
