"""The folder monitor (archive.monitor.service) inside the app: its callbacks come back to the UI thread as signals.

The monitor keeps the file index while it runs; its reconciles are made on the app's one writer (ui/common/worker.py
WRITER), queued with the other writes. A scan the user starts (F5, or linking a new folder) must not reconcile
the same folders in between, so `run_exclusive` pauses the monitor, runs the job when the monitor says it is
paused, and resumes it afterwards (resuming catches up with the disk).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from archive.monitor.service import Monitor, MonitorState
from ui.common.settings import Settings
from ui.common.worker import WRITER, BackgroundJob

log = logging.getLogger(__name__)
IDLE_STATES = ("paused", "stopped")


def describe_state(state: MonitorState | None) -> str:
    """The status-bar text: 监控中 / 已暂停 / N 个文件夹无法访问 / 正在核对文件… / 监控已停止."""
    if state is None:
        return "监控未启动"
    away = [root for root in state.roots if not root.reachable]
    if state.state == "stopped":
        return f"监控已停止：{state.error}" if state.error else "监控已停止"
    if state.state == "paused":
        return "已暂停"
    if away:
        return f"{len(away)} 个文件夹无法访问"
    if state.state == "starting":
        return "正在核对文件…"
    return "监控中" if state.roots else "监控中（尚未关联文件夹）"


class MonitorBridge(QObject):
    changes = Signal(object)  # a list of change-log dicts, on the UI thread (as the object: see ui/session.py)
    state_changed = Signal(str)  # describe_state text
    _changes_from_thread = Signal(object)
    _state_from_thread = Signal(object)

    def __init__(self, archive_path: Path, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.archive_path = archive_path
        self.settings = settings
        self.monitor: Monitor | None = None
        self.state: MonitorState | None = None
        self.user_paused = False
        self._waiting: list[Callable[[], BackgroundJob]] = []
        self._holding = 0  # exclusive jobs still running
        self._changes_from_thread.connect(self._on_changes, Qt.ConnectionType.QueuedConnection)
        self._state_from_thread.connect(self._on_state, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        if self.monitor is not None and self.monitor.state != "stopped":
            return
        self.monitor = Monitor(self.archive_path, quiet_period=self.settings.quiet_period,
                               poll_interval=self.settings.poll_interval or None,
                               on_changes=self._changes_from_thread.emit, on_state=self._state_from_thread.emit,
                               writer=WRITER)
        self.monitor.start()

    def stop(self, timeout: float = 5) -> None:
        if self.monitor is not None:
            if not self.monitor.stop(timeout):
                log.warning("文件监控未能在 %s 秒内停止", timeout)
            self.monitor = None

    def restart(self) -> None:
        """New timing settings take effect."""
        self.stop()
        self.start()

    @property
    def active(self) -> bool:
        return self.monitor is not None and self.monitor.state not in IDLE_STATES

    def set_paused(self, paused: bool) -> None:
        self.user_paused = paused
        if self.monitor is None:
            return
        if paused:
            self.monitor.pause()
        elif not self._holding and not self._waiting:
            self.monitor.resume()

    def rescan_now(self) -> None:
        if self.monitor is not None:
            self.monitor.rescan_now()

    def run_exclusive(self, start: Callable[[], BackgroundJob]) -> None:
        """Call `start()` (which queues a scanning job) once the monitor is idle; resume it when the job is done."""
        if not self.active:
            self._hold(start())
            return
        self._waiting.append(start)
        self.state_changed.emit("正在暂停文件监控…")
        self.monitor.pause()

    def _hold(self, job: BackgroundJob) -> None:
        self._holding += 1
        job.done.connect(self._release)

    @Slot()
    def _release(self) -> None:
        self._holding -= 1
        if not self._holding and not self._waiting and not self.user_paused and self.monitor is not None:
            self.monitor.resume()

    @Slot(object)
    def _on_changes(self, entries: list) -> None:
        self.changes.emit(entries)

    @Slot(object)
    def _on_state(self, state: MonitorState) -> None:
        self.state = state
        if state.state in IDLE_STATES and self._waiting:
            starts, self._waiting = self._waiting, []
            for start in starts:
                self._hold(start())
        self.state_changed.emit(describe_state(state))

    def roots_text(self) -> str:
        """A tooltip: every watched folder, how it is watched, and why one is unreachable."""
        if self.state is None or not self.state.roots:
            return "没有被监控的文件夹"
        lines = []
        for root in self.state.roots:
            line = f"{root.path}（{root.observer_name}）"
            if not root.reachable:
                line += f"：{root.error or '无法访问'}"
            lines.append(line)
        return "\n".join(lines)
