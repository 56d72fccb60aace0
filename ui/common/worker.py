"""The one way the UI runs core work off its thread: a plain function taking `progress` and `cancel`.

`run_job(parent, title, fn, on_done)` queues `fn(progress=..., cancel=...)` on the app's one writer thread
(ui/common/writer_thread.py), so archive writes happen in the order the user asked for them (link, then scan, then
confirm). Progress, the result and errors come back through queued signals to a QObject living on the UI thread. A
progress dialog with 取消 appears when the job runs longer than a moment; 取消 sets a flag the core checks between
units of work.
"""

from __future__ import annotations

import itertools
import logging
import os
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from shiboken6 import isValid

from common.errors import Cancelled, ReviewReadyError, describe_failure
from exporters.fonts import FONT_OPTION
from ui.common.statusline import show_message
from ui.common.writer_thread import WRITER, WrongThreadRead, WrongThreadWrite, as_writer, job_pool

__all__ = [
    "WRITER",
    "BackgroundJob",
    "ProgressDialog",
    "WrongThreadRead",
    "WrongThreadWrite",
    "busy",
    "describe_error",
    "job_pool",
    "run_job",
    "show_error",
]

log = logging.getLogger(__name__)
PROGRESS_STEPS = 1000
PROGRESS_INTERVAL = 0.05  # seconds between progress signals: the core may report thousands of times a second


class _Bridge(QObject):
    """Signals emitted from the writer thread, queued by Qt to the UI thread, where `_live` names the job.

    One bridge for the life of the app, never one per job: a per-job QObject's last reference was dropped on the
    writer thread now and then (the task held it), so Qt deleted a UI-thread object from another thread while events
    for it were queued, and the process crashed (a segmentation fault, in about one full test run of three)."""

    progressed = Signal(int, float, str)
    succeeded = Signal(int, object)
    failed = Signal(int, object, str)

    @Slot(int, float, str)
    def on_progress(self, key: int, fraction: float, message: str) -> None:
        job = _live.get(key)
        if job is not None:
            job._on_progress(fraction, message)

    @Slot(int, object)
    def on_success(self, key: int, result) -> None:
        job = _live.get(key)
        if job is not None:
            job._on_success(result)

    @Slot(int, object, str)
    def on_failure(self, key: int, exc: BaseException, trace: str) -> None:
        job = _live.get(key)
        if job is not None:
            job._on_failure(exc, trace)


_the_bridge: _Bridge | None = None
_live: dict[int, BackgroundJob] = {}  # UI thread only: queued and running jobs by key, kept alive until handled
_keys = itertools.count(1)


def busy() -> bool:
    """A job is queued or running on the writer, or its end is not yet handled here (tests wait for this to clear:
    only then has everything the app asked for been written and shown)."""
    return bool(_live) or not job_pool().wait_for_done(0)


def _bridge() -> _Bridge:
    """Made on the UI thread at the first job, so that its queued signals are delivered there."""
    global _the_bridge
    if _the_bridge is None:
        _the_bridge = _Bridge()
        _the_bridge.progressed.connect(_the_bridge.on_progress, Qt.ConnectionType.QueuedConnection)
        _the_bridge.succeeded.connect(_the_bridge.on_success, Qt.ConnectionType.QueuedConnection)
        _the_bridge.failed.connect(_the_bridge.on_failure, Qt.ConnectionType.QueuedConnection)
    return _the_bridge


class _Task:
    """What the writer thread runs: a plain function and the key its outcome is reported under; no Qt object of its
    own (the bridge lives as long as the app)."""

    def __init__(self, fn: Callable, key: int, cancel_flag: threading.Event):
        self.fn = fn
        self.key = key
        self.bridge = _bridge()
        self.cancel_flag = cancel_flag
        self.last_report = 0.0

    def progress(self, fraction: float, message: str) -> None:
        moment = time.monotonic()
        if moment - self.last_report >= PROGRESS_INTERVAL or fraction >= 1.0:
            self.last_report = moment
            self.bridge.progressed.emit(self.key, float(fraction), str(message))

    def run(self) -> None:
        try:
            if self.cancel_flag.is_set():
                raise Cancelled()
            with as_writer():
                result = self.fn(progress=self.progress, cancel=self.cancel_flag.is_set)
        except BaseException as exc:  # every failure must reach the UI, never die in the writer thread
            self.bridge.failed.emit(self.key, exc, traceback.format_exc())
        else:
            self.bridge.succeeded.emit(self.key, result)
        finally:
            self.fn = None  # what the function holds goes now, not when the thread next takes a task





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
        self.key = next(_keys)
        self._task = _Task(fn, self.key, self.cancel_flag)

    def start(self) -> BackgroundJob:
        _live[self.key] = self
        # Forgotten after its end was handled, not while it emits; the slot holds the key, never the job itself.
        self.done.connect(lambda key=self.key: QTimer.singleShot(0, lambda: _live.pop(key, None)))
        job_pool().start(self._task)
        return self

    def cancel(self) -> None:
        self.cancel_flag.set()

    def _on_progress(self, fraction: float, message: str) -> None:
        if self.running:
            self.progressed.emit(fraction, message)

    def _on_success(self, result) -> None:
        self.running = False
        self.result = result
        self.ending.emit()
        self.finished.emit(result)
        self.done.emit()

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
            self.setLabelText(message)
            # last: a modal dialog's setValue processes events, where the job's end may close and delete it
            self.setValue(int(fraction * PROGRESS_STEPS))

    @Slot()
    def _finish(self) -> None:
        self.reset()  # also stops the timer that would show a dialog that has not appeared yet
        self.hide()
        self.deleteLater()


WINDOW_FONT_OPTION = "在“工具 → 设置…”的“PDF 中文字体”中指定"


def window_text(text: str) -> str:
    """A core message as the window says it: the window has no --font, it has its settings."""
    return text.replace(FONT_OPTION, WINDOW_FONT_OPTION)


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, ReviewReadyError):
        return window_text(str(exc))
    if isinstance(exc, (OSError, sqlite3.Error)):
        return describe_failure(exc)
    # a bug: said as one, with where its traceback went (the job logged it), as the command line says it
    files = [h.baseFilename for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
    logged = next((name for name in reversed(files) if name != os.devnull), None)
    where = f"。详情已记录在日志中：{logged}（请将此文件发给技术支持）" if logged else ""
    return f"程序内部错误，操作未完成（{type(exc).__name__}：{exc}）{where}"


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    QMessageBox.warning(parent, title, describe_error(exc))


def run_job(parent: QWidget | None, title: str, fn: Callable, on_done: Callable | None = None,
            on_error: Callable | None = None, dialog: bool = True, delay_ms: int = 400) -> BackgroundJob:
    """Run `fn(progress, cancel)` in the background. Errors go to `on_error`, or a message box titled `title`;
    a cancelled job is reported in the parent window's status bar and nowhere else."""
    # No Qt parent and no deleteLater: a parented job deleted by deleteLater after its Python handle went away
    # crashed PySide 6.11 (~QObject, heap corruption). Python owns it; `_live` keeps it until its end is handled.
    job = BackgroundJob(fn)
    if dialog:
        ProgressDialog(parent, title, job, delay_ms)
    if on_done is not None:
        job.finished.connect(_while_alive(parent, on_done))

    def failed(exc: BaseException) -> None:
        if parent is not None and not isValid(parent):  # its dialog was closed and deleted: nobody to tell
            if not isinstance(exc, Cancelled):
                log.warning("%s失败（窗口已关闭）：%s", title, describe_error(exc))
        elif on_error is not None:
            on_error(exc)
        elif isinstance(exc, Cancelled):
            _status(parent, f"{title}：已取消")
        else:
            show_error(parent, f"{title}失败", exc)

    job.failed.connect(failed)
    return job.start()


def _while_alive(owner: QWidget | None, callback: Callable) -> Callable:
    """`callback`, called only while `owner` (the dialog that asked for the job) still exists, and the object whose
    method it is, if a QObject. A result that comes after the dialog was closed and deleted (a plan still being
    read) is dropped: its callbacks, often lambdas that Qt does not disconnect as it does a deleted object's
    methods, raised RuntimeError on the deleted widgets."""
    if owner is None:
        return callback
    target = getattr(callback, "__self__", None)
    alive = (owner, target) if isinstance(target, QObject) else (owner,)

    def call(*args) -> None:
        if all(isValid(thing) for thing in alive):
            callback(*args)
    return call


def _status(parent: QWidget | None, message: str) -> None:
    window = parent.window() if parent is not None else None
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        show_message(bar(), message, 5000)
