"""Reading the text of new files in the background, after every scan, without ever blocking the window.

After the session reports changed files (a scan, a link, the monitor), and a moment of calm, the indexer asks the
writer (the job pool) which contents have no text yet, reads them on a thread of its own (the parsing itself runs in
low-priority worker processes), and hands every batch back to the writer to store. The database is only ever
touched on the writer's thread; the reading thread touches files only. Closing the archive stops it.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from common.errors import Cancelled
from search import texts
from ui.common.worker import run_job

log = logging.getLogger(__name__)
CALM_MS = 3000  # wait for a burst of changes to settle before reading


class TextIndexer(QObject):
    batch_read = Signal(object)  # from the reading thread: a batch to store
    reading_done = Signal(object)  # from the reading thread: the TextReport, or the exception
    progress = Signal(str)  # what to show in the status bar
    idle = Signal()  # nothing left to read (tests wait on it)

    def __init__(self, session):
        super().__init__(session)
        self.session = session
        self.stop_flag = threading.Event()
        self.thread: threading.Thread | None = None
        self.planning = False  # the list of files to read is being made: a second start must not make another
        self.again = False  # changes arrived while reading: look again when done
        self.ocr = False  # also read images and scanned pages (the user turned OCR on)
        self.timer = QTimer(self, singleShot=True, interval=CALM_MS)
        self.timer.timeout.connect(self.start)
        self.batch_read.connect(self._store)
        self.reading_done.connect(self._finished)
        session.files_changed.connect(self.schedule)

    @Slot()
    def schedule(self, *_) -> None:
        if not self.session.archive.read_only and not self.stop_flag.is_set():
            self.timer.start()

    @Slot()
    def start(self) -> None:
        if self.stop_flag.is_set() or self.session.archive.read_only:
            return
        if self.thread is not None or self.planning:
            self.again = True
            return
        archive, ocr = self.session.archive, self.ocr
        self.planning = True
        run_job(self.session.window, "准备提取文字", lambda progress, cancel: texts.plan(archive, ocr=ocr), self._read,
                on_error=self._plan_failed, dialog=False)

    def _plan_failed(self, exc: BaseException) -> None:
        self.planning = False
        log.warning("无法列出待提取文字的文件：%s", exc)

    def _read(self, tasks: list) -> None:
        self.planning = False
        if not tasks or self.stop_flag.is_set():
            self._after()  # a start asked for while planning plans once more; otherwise idle
            return
        self.thread = threading.Thread(target=self._work, args=(tasks,), name="text-reader", daemon=True)
        self.thread.start()

    def _work(self, tasks: list) -> None:
        """On the reading thread: files only, never the database."""
        total = len(tasks)

        def report(fraction: float, message: str) -> None:
            self.progress.emit(f"后台提取文字：{int(fraction * total)}/{total}")

        try:
            outcome = texts.read(tasks, self.batch_read.emit, report, self.stop_flag.is_set)
        except BaseException as exc:  # every end must reach the UI thread
            outcome = exc
        self.reading_done.emit(outcome)

    @Slot(object)
    def _store(self, batch: list) -> None:
        if self.stop_flag.is_set():  # read before the archive began closing: the next session reads it again
            return
        archive = self.session.archive
        run_job(self.session.window, "保存文字索引", lambda progress, cancel: texts.store(archive, batch),
                on_error=lambda exc: log.warning("保存文字索引失败：%s", exc), dialog=False)

    @Slot(object)
    def _finished(self, outcome) -> None:
        if self.thread is not None:
            self.thread.join()
        self.thread = None
        if isinstance(outcome, Cancelled) or self.stop_flag.is_set():
            return
        if isinstance(outcome, BaseException):
            log.warning("提取文字出错：%r", outcome)
        else:
            self.progress.emit(f"已提取 {outcome.read} 个文件的文字")
        archive = self.session.archive
        run_job(self.session.window, "整理文字索引", lambda progress, cancel: texts.drop_orphans(archive),
                lambda _: self._after(), on_error=lambda exc: log.warning("整理文字索引失败：%s", exc), dialog=False)

    def _after(self) -> None:
        if self.again:
            self.again = False
            self.start()
        else:
            self.idle.emit()

    def stop(self) -> None:
        """Stop reading (the archive is closing): the thread ends at the next file; what was stored stays."""
        self.stop_flag.set()
        self.timer.stop()
        if self.thread is not None:
            self.thread.join(timeout=30)
            self.thread = None
