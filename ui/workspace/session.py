"""One open archive as the UI sees it: the tree model, the background writes, the monitor and the refreshes.

Reads happen here on the UI thread (fast queries) through the UI thread's own read-only connection (the archive
reads apart, Archive.read_apart: committed data only, never a writer's transaction half done), except the monitor's:
its change lists are the data (archive/status_delta.py). The statuses of only the criteria a burst reaches are
recomputed on a reading thread (ui/common/reader.py, through a snapshot), and the UI thread only applies them:
dataChanged for those rows, `evidence_changed` naming them (the evidence table reloads only if it shows one),
`files_changed` with the entries (the overview's feed adds them). Every write (link, unlink, confirm, withdraw,
scan, and the self-evaluation's scores, units, rules and problems through `write`) is a job on the one writer
(ui/common/worker.py), and the tree is refreshed in place when it finishes or when the monitor reports changes on
disk. The archive carries the writer's check, so a write on the UI thread is caught. A scan's job ends when the
index is written, so the tree shows it at once; page counts and Office checks follow in a job of their own, without
a dialog, and the tree is refreshed again after it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from archive import confirm as confirming
from archive import links as linking
from archive.catalogue import load_catalogue
from archive.db import Archive
from archive.index.scan import count_waiting, scan, work_waiting
from archive.metadata.readpass import metadata_unfinished
from archive.status import CriterionStatus
from archive.status_delta import Standing, apply_changes
from search.suggest import remember_root
from ui.common.reader import Reader
from ui.common.settings import Settings
from ui.common.statusline import show_message
from ui.common.worker import WRITER, BackgroundJob, job_pool, run_job
from ui.workspace.external_writes import ExternalWrites
from ui.workspace.relocation import RelocationWatch
from ui.workspace.tree_model import CriteriaTreeModel

log = logging.getLogger(__name__)
REFRESH_DELAY_MS = 150  # gather a burst of monitor reports into one refresh


class ArchiveSession(QObject):
    # lists travel as `object`: a Signal(list) converts every element to a QVariant and back, per connection
    # (8 ms for a burst of 1,000 change-log dicts, each time)
    refreshed = Signal(object)  # codes whose visible status changed (a list)
    files_changed = Signal(object)  # change-log dicts from the monitor (or a scan), after the refresh (a list)
    evidence_changed = Signal(object)  # codes whose files may have changed (after `refreshed`); None: any
    confirmed_changed = Signal(list)  # codes that went from confirmed to changed: announce them
    monitor_state = Signal(str)  # 监控中 / 已暂停 / N 个文件夹无法访问 / 未启用
    catalogue_replaced = Signal()

    def __init__(self, archive: Archive, settings: Settings, window: QWidget):
        super().__init__(window)
        self.archive = archive
        archive.before_write = WRITER.check
        archive.read_apart(WRITER)  # this thread (any but the writer) reads what is committed, on its own connection
        self.settings = settings
        self.window = window
        self.model = CriteriaTreeModel(self)
        self.criteria = load_catalogue(archive).criteria
        self.standing = Standing.load(archive)
        self.generation = 0  # counts full recomputes: a reading thread's result from before one is dropped
        self.model.load(self.criteria, self.statuses)
        self.pending_changes: list[dict] = []
        self.pending_full = False  # the monitor reported without entries (a folder away or back): recompute all
        self.reader = Reader("status-reader", self)
        self.refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self._apply_pending)
        self.monitor = None
        self.jobs: set[BackgroundJob] = set()
        self.counting: BackgroundJob | None = None  # the page-count job, while one is queued or running
        self.closed = False
        self.model.link_requested.connect(self.link)
        self.relocation = RelocationWatch(self)  # offers to re-point a lost link at a same-name folder nearby
        QTimer.singleShot(0, self.relocation.check)
        QTimer.singleShot(0, self.count_pages_later)  # left waiting by a session that ended before its pass did
        self.external = ExternalWrites(self, self._written_elsewhere)  # the command line's writes, shown
        self.external.start()

    # -- reads ------------------------------------------------------------------------------------------------
    @property
    def statuses(self) -> list[CriterionStatus]:
        return self.standing.statuses

    def refresh(self, standing: Standing | None = None) -> list[str]:
        """Show every status anew (after a job: links, scans, confirmations may all have changed): `standing` as a
        job worked it out on the writer, or computed here."""
        self.generation += 1
        return self._take(Standing.load(self.archive) if standing is None else standing, None)

    def _take(self, standing: Standing, codes: set[str] | None) -> list[str]:
        """Show `standing`; only the rows of `codes` can have changed (None: any)."""
        before = {s.code: s.state for s in self.statuses}
        self.standing = standing
        shown = standing.statuses if codes is None else [s for s in standing.statuses if s.code in codes]
        changed = self.model.update_statuses(shown)
        newly_changed = [s.code for s in shown if s.state == "changed" and before.get(s.code) == "confirmed"]
        self.refreshed.emit(changed)
        self.evidence_changed.emit(codes)
        if newly_changed:
            self.confirmed_changed.emit(newly_changed)
        return changed

    def reload_catalogue(self) -> None:
        self.generation += 1
        self.criteria = load_catalogue(self.archive).criteria
        self.standing = Standing.load(self.archive)
        self.model.load(self.criteria, self.statuses)
        self.catalogue_replaced.emit()

    def _written_elsewhere(self) -> None:
        """Another program wrote to the archive: its catalogue too (`criteria --import`), or statuses only."""
        if load_catalogue(self.archive).criteria != self.criteria:
            self.reload_catalogue()
        else:
            self._queue_changes([])  # every status worked out anew, on the reading thread

    def links_of(self, code: str) -> list[tuple[str, bool, bool]]:
        """(path, is_dir, reachable) of the criterion's own links."""
        rows = self.archive.conn.execute("SELECT path, is_dir, reachable FROM links WHERE code = ? ORDER BY path",
                                         (code,))
        return [(path, bool(is_dir), bool(reachable)) for path, is_dir, reachable in rows]

    # -- writes, each a background job ----------------------------------------------------------------------
    def run(self, title: str, fn, on_done=None, dialog: bool = True) -> BackgroundJob:
        """`fn` on the writer, and the statuses after it too: computing them reads the whole index (a quarter of a
        second at 50,000 files), which the UI thread must not wait for."""
        def work(progress, cancel):
            result = fn(progress, cancel)
            return result, Standing.load(self.archive)

        def finished(outcome) -> None:
            if self.closed:  # a job that ended as the archive was closed (its result arrives after)
                return
            result, standing = outcome
            self.refresh(standing)
            if on_done is not None:
                on_done(result)

        def failed(exc) -> None:
            if not self.closed:  # closing cancels the jobs still running
                self.refresh()  # a job may have written part of its work (e.g. links before a cancelled scan)

        job = run_job(self.window, title, work, finished, dialog=dialog)
        job.failed.connect(failed)
        self.jobs.add(job)
        job.done.connect(lambda: self.jobs.discard(job))
        return job

    def write(self, title: str, fn, on_done=None, on_error=None) -> BackgroundJob:
        """A small write (a score, a unit, a rule, a problem) on the writer, without a progress dialog and without
        recomputing the file statuses; `on_error` gets a failure (a message box titled `title` otherwise)."""
        job = run_job(self.window, title, lambda progress, cancel: fn(), on_done, on_error=on_error, dialog=False)
        self.jobs.add(job)
        job.done.connect(lambda: self.jobs.discard(job))
        return job

    def run_scanning(self, title: str, fn, on_done=None) -> None:
        """A job that writes the file index: it waits for the monitor to pause, so only one reconciles at a time.
        Page counts the scan left waiting are counted after it, in the background."""
        def start() -> BackgroundJob:  # called later, when the monitor is idle
            job = self.run(title, fn, on_done)
            job.done.connect(self.count_pages_later)
            return job

        if self.monitor is not None:
            self.monitor.run_exclusive(start)
        else:
            start()

    def count_pages_later(self) -> None:
        """Page counts and Office checks of what the index took in, and what the files say of themselves (成文日期,
        a photo's time...), as a job without a dialog: the tree already shows the files, and is refreshed again when
        their pages, problems and values are known. A folder of photos alone had its values read only by a later
        scan (with the monitor paused: none)."""
        if self.closed or self.counting is not None or self.archive.read_only:
            return
        if not work_waiting(self.archive):
            return
        metadata = metadata_unfinished(self.archive)  # the values of files come too, not only page counts

        def done(written: int) -> None:
            if written:
                self.status_message(f"已统计 {written} 个文件的页数")
            if written or metadata:
                self.files_changed.emit([])

        def finished() -> None:
            self.counting = None

        self.counting = self.run("读取页数和文件信息",
                                 lambda progress, cancel: count_waiting(self.archive, progress, cancel), done,
                                 dialog=False)
        self.counting.done.connect(finished)

    @Slot(str, list)
    def link(self, code: str, paths: list[str]) -> None:
        def work(progress, cancel):
            added = linking.link(self.archive, code, paths)
            result = scan(self.archive, progress, cancel, targets=added, pages=False) if added else None
            return added, result

        def done(outcome) -> None:
            added, _ = outcome
            skipped = len(paths) - len(added)
            self.status_message(f"已把 {len(added)} 项关联到 {code}" + (f"，{skipped} 项原已关联" if skipped else ""))
            self.files_changed.emit([])

        self.run_scanning("关联材料", work, done)

    def unlink(self, code: str, path: str) -> None:
        def done(_) -> None:
            self.status_message(f"已取消关联：{code} ← {path}")
            self.files_changed.emit([])

        self.run_scanning("取消关联", lambda progress, cancel: linking.unlink(self.archive, code, path), done)

    def relocate(self, code: str, old_path: str, new_path: str) -> None:
        """A link that lost its folder, pointed at the folder's new place; the files there are indexed at once."""
        def work(progress, cancel):
            new = linking.relocate(self.archive, code, old_path, new_path)
            return scan(self.archive, progress, cancel, targets=[new])

        def done(_) -> None:
            self.status_message(f"已重新定位：{code} → {new_path}")
            self.files_changed.emit([])

        self.run_scanning("重新定位", work, done)

    def automap(self, root: str, on_done) -> None:
        def work(progress, cancel):
            report = linking.automap(self.archive, root)
            remember_root(self.archive, root)  # its unmatched folders are what 关联建议 looks at
            return report, scan(self.archive, progress, cancel, pages=False)

        self.run_scanning("按文件夹名称自动关联", work, on_done)

    def confirm(self, code: str, note: str, by: str | None = None) -> BackgroundJob:
        by = by or self.settings.confirmer or None
        return self.run("确认材料", lambda progress, cancel: confirming.confirm(self.archive, code, by, note),
                        lambda _: self.status_message(f"已确认 {code}"), dialog=False)

    def withdraw(self, code: str) -> BackgroundJob:
        return self.run("撤销确认", lambda progress, cancel: confirming.withdraw(self.archive, code),
                        lambda _: self.status_message(f"已撤销确认 {code}"), dialog=False)

    def scan_all(self) -> None:
        def done(result) -> None:
            self.status_message(f"扫描完成：新增 {result.added}，修改 {result.modified}，删除 {result.removed}，"
                                f"移动 {result.moved}；共 {result.files} 个文件，用时 {result.seconds:.1f} 秒"
                                + ("；页数和文件信息正在后台读取" if result.pending else ""))
            self.files_changed.emit([])

        self.run_scanning("扫描文件", lambda progress, cancel: scan(self.archive, progress, cancel, pages=False), done)

    # -- the monitor ------------------------------------------------------------------------------------------
    def start_monitor(self) -> None:
        from ui.workspace.monitor_bridge import MonitorBridge

        if self.monitor is None:
            self.monitor = MonitorBridge(self.archive.path, self.settings, self)
            self.monitor.changes.connect(self._queue_changes)
            self.monitor.changes.connect(self.external.monitor_wrote)
            self.monitor.state_changed.connect(self.monitor_state)
        self.monitor.start()

    def stop_monitor(self) -> None:
        if self.monitor is not None:
            self.monitor.stop()

    @Slot(object)
    def _queue_changes(self, changes: list) -> None:
        self.pending_changes.extend(changes)
        self.pending_full |= not changes  # reported without entries: something the log does not name
        self.refresh_timer.start()

    def _apply_pending(self) -> None:
        """Recompute what the gathered changes reach on the reading thread; `_apply_read` shows it."""
        if self.closed or self.reader.busy:  # the running read's end starts the next
            return
        changes, self.pending_changes = self.pending_changes, []
        full, self.pending_full = self.pending_full, False
        archive, before, criteria, generation = self.archive, self.standing, self.criteria, self.generation

        def read() -> tuple[Standing, set[str] | None]:
            with archive.snapshot() as view:
                return (Standing.load(view), None) if full else apply_changes(view, before, changes, criteria)

        def failed(exc: BaseException) -> None:  # a busy or broken read: do it the slow way, here
            if self.closed:
                return
            log.warning("后台读取状态失败，改为全部重新计算：%r", exc)
            self._apply_read((Standing.load(self.archive), None), changes, self.generation)

        self.reader.start(read, lambda result: self._apply_read(result, changes, generation), failed)

    def _apply_read(self, result: tuple[Standing, set[str] | None], changes: list, generation: int) -> None:
        if self.closed:
            return
        standing, codes = result
        if generation == self.generation:  # else a full recompute since has shown these changes already
            self._take(standing, codes)
        self.files_changed.emit(changes)
        if self.pending_changes or self.pending_full:
            self.refresh_timer.start()

    def close(self) -> None:
        """Stop the monitor, let a running job finish (or cancel it), then close the connection."""
        self.closed = True
        self.refresh_timer.stop()
        self.external.stop()
        self.relocation.stop()
        self.stop_monitor()
        self.reader.wait()
        for job in list(self.jobs):
            job.cancel()
        job_pool().wait_for_done(30000)
        self.archive.close()

    def status_message(self, message: str) -> None:
        bar = getattr(self.window, "statusBar", None)
        if callable(bar):
            show_message(bar(), message, 8000)
