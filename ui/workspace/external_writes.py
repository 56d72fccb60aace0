"""Writes to the open archive by another program: the command line (a script's nightly `import`, a `confirm` typed
in a console) while the window is open. The window kept showing what it had read: an item that `import` linked and
filled stayed 缺材料 in the tree until the clerk scanned.

Every few seconds the writer asks SQLite's data_version on the session's connection: it moves when another
connection committed. The window's own jobs write on that connection and move nothing; the monitor writes on a
connection of its own and reports each write (its changes): a move with no report from the monitor since the look
before, once a report had time to arrive, was another program's, and the statuses are worked out anew, as after a
monitor report that names no files. Another program writing while the monitor does too goes unnoticed here (the
monitor's own refresh shows what it wrote); the next write of either shows it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from ui.common.worker import run_job

CHECK_MS = 5000
SETTLE_MS = 1500  # a monitor's report of the write that moved data_version arrives within this


class ExternalWrites(QObject):
    def __init__(self, session, recompute):
        super().__init__(session)
        self.session = session
        self.recompute = recompute  # works out every status anew, off the UI thread
        self.version: int | None = None  # data_version at the last look
        self.monitor_reports = 0
        self.reports_before = 0  # monitor_reports when the last look began
        self.checking = False
        self.timer = QTimer(self, interval=CHECK_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        if not self.session.archive.read_only:  # on a read-only medium nothing writes
            self.timer.start()
            QTimer.singleShot(0, self.check)  # where the archive stands as the window opens it

    def stop(self) -> None:
        self.timer.stop()

    def monitor_wrote(self, *_changes) -> None:
        self.monitor_reports += 1

    def check(self) -> None:
        session = self.session
        if session.closed or self.checking:
            return
        seen, reports, archive = self.version, self.reports_before, session.archive
        self.reports_before = self.monitor_reports
        self.checking = True
        # on the writer: the session's own connection (a read on any other thread goes through a reader's)
        job = run_job(session.window, "检查档案更新",
                      lambda progress, cancel: archive.conn.execute("PRAGMA data_version").fetchone()[0],
                      lambda version: self._looked(version, seen, reports), on_error=lambda _exc: None, dialog=False)
        job.done.connect(self._checked)

    def _checked(self) -> None:
        self.checking = False

    def _looked(self, version: int, seen: int | None, reports: int) -> None:
        self.version = version
        if seen is not None and version != seen:
            QTimer.singleShot(SETTLE_MS, self, lambda: self._decide(reports))  # dropped if this goes first

    def _decide(self, reports: int) -> None:
        if not self.session.closed and self.monitor_reports == reports:
            self.recompute()
