"""The main window: the start screen or an open archive, menus with shortcuts, and the monitor in the status bar."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QSize, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget

from archive.db import needs_upgrade, open_archive
from common.errors import ReviewReadyError
from ui.common import file_dialogs
from ui.common.extensions import WindowFeature
from ui.common.icons import app_icon
from ui.common.settings import Settings, data_dir
from ui.common.worker import WRITER, run_job, show_error
from ui.departments.actions import PackageActions
from ui.search.actions import SearchActions
from ui.selfeval.actions import SelfEvalActions
from ui.stages.actions import StageActions
from ui.window import archive_actions, menus
from ui.window.archive_lock import ArchiveLock, held_elsewhere, same_file, take_lock
from ui.window.features import WORKSPACE_FEATURES
from ui.window.start_screen import StartScreen
from ui.workspace.session import ArchiveSession
from ui.workspace.workspace import Workspace
from version import VERSION

log = logging.getLogger(__name__)
APP_TITLE = "迎检通"
ARCHIVE_FILTER = "迎检通档案 (*.rrdb);;所有文件 (*)"
DEFAULT_SIZE = QSize(1280, 800)
FRAME_GUESS = (16, 40)  # a window frame on Windows, before the window is shown and the real one is known


class Pages(QStackedWidget):
    """The start screen or the open archive; only the page shown sets how small the window may get (the start
    screen's height must not keep an open archive from fitting a 768-pixel screen)."""

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, monitor: bool = True):
        super().__init__()
        self.settings = settings
        self.use_monitor = monitor
        self.session: ArchiveSession | None = None
        self.workspace: Workspace | None = None
        self.lock: ArchiveLock | None = None  # the open archive's: one window per archive
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.start = StartScreen(settings)
        self.stack = Pages()
        self.stack.currentChanged.connect(lambda _: self.stack.updateGeometry())
        self.stack.addWidget(self.start)
        self.setCentralWidget(self.stack)
        self.monitor_label = QLabel()
        self.statusBar().addPermanentWidget(self.monitor_label)
        self._make_actions()
        self._make_menus()
        self.start.new_requested.connect(self.new_archive)
        self.start.open_requested.connect(self.choose_archive)
        self.start.demo_requested.connect(self.open_demo)
        self.start.recent_requested.connect(self.open_archive)
        self.start.task_requested.connect(self.packages.open_task_package)
        self.resize(DEFAULT_SIZE)
        if (geometry := settings.window_geometry()) is not None:
            self.restoreGeometry(geometry)
        if (state := settings.window_state()) is not None:
            self.restoreState(state)
        self.fit_to_screen()
        # first started on a screen the default size does not fit (a 1366x768 laptop): the whole of it, as a clerk
        # would make it, not a window a little smaller than the screen; after that, as the clerk left it
        self.opens_maximized = geometry is None and self.size() != DEFAULT_SIZE
        self._archive_actions_enabled(False)

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area (a 1366x768 laptop less its taskbar), and on it: a size saved on
        a bigger monitor, or the default, is clamped; a position off every screen is brought back."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area = screen.availableGeometry()
        extra = self.frameGeometry().size() - self.geometry().size()  # title bar and borders (0 before shown)
        if self.isVisible() or extra.height() > 0:
            frame_w, frame_h = extra.width(), extra.height()
        else:
            frame_w, frame_h = FRAME_GUESS
        width = min(self.width(), area.width() - frame_w)
        height = min(self.height(), area.height() - frame_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), area.left()), area.right() + 1 - width - frame_w)
        y = min(max(self.y(), area.top()), area.bottom() + 1 - height - frame_h)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    # -- actions and menus (ui/window/menus.py) -------------------------------------------------------------
    def _make_actions(self) -> None:
        menus.make_actions(self)
        self.packages = PackageActions(self)  # department packages: task packages out, evidence packages in
        self.selfeval = SelfEvalActions(self)  # self-evaluation: rectification tab, reports, pass rules
        self.search = SearchActions(self)  # full-text search, link suggestions, the background text reader
        self.stages = StageActions(self)  # stages: freeze what was submitted, compare since
        # their menu entries and menus, and who hears of an archive opening or closing, in this order
        self.features: list[WindowFeature] = [self.packages, self.selfeval, self.search, self.stages]

    def _make_menus(self) -> None:
        menus.make_menus(self)

    def _archive_actions_enabled(self, enabled: bool) -> None:
        for action in (self.export_action, self.close_action, self.scan_action, self.automap_action,
                       self.import_action, self.pause_action, self.find_action, self.criteria_action,
                       self.overview_action):
            action.setEnabled(enabled)
        for feature in self.features:
            feature.update()

    def _fill_recent(self) -> None:
        menus.fill_recent(self)

    # -- opening and closing -------------------------------------------------------------------------------
    @Slot(str)
    def open_archive(self, path: str) -> bool:
        path = os.fspath(path)
        if path.lower().endswith(".zip") and os.path.isfile(path):
            # a unit clerk opening the task package she was sent as if it were the archive (with the app, or by
            # 打开档案): "不是迎检通档案文件" told her nothing of 打开任务包, which is what she meant
            self.packages.open_task_package_file(path)
            return False
        if self.session is not None and same_file(self.session.archive.path, path):
            self.close_archive()  # opened again: its lock is ours to take anew
        lock = None
        if os.path.isfile(path):  # a missing file is refused by open_archive below, saying so
            lock = take_lock(path, self)
            if lock is None:
                return False  # open in another window or on another computer: the clerk was told
        try:
            if needs_upgrade(path):  # an older archive: the writer migrates it (the window waits a moment)
                WRITER.run(lambda: open_archive(path, before_write=WRITER.check).close())
            archive = open_archive(path, before_write=WRITER.check)  # writes nothing now
        except ReviewReadyError as exc:
            if lock is not None:
                lock.release()
            show_error(self, "无法打开档案", exc)
            self.settings.remove_recent(path)
            self.start.refresh()
            return False
        self.close_archive()
        self.lock = lock
        self.session = ArchiveSession(archive, self.settings, self)
        self.workspace = Workspace(self.session, WORKSPACE_FEATURES)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        QTimer.singleShot(0, self._restore_splitters)  # once laid out: restored before, the sizes get rescaled
        if last := self.settings.last_code(archive.path):  # where the clerk left off (gone after a revision: none)
            self.workspace.criteria.select(last)
        self.session.monitor_state.connect(self._show_monitor_state)
        self.setWindowTitle(f"{archive.title} — {APP_TITLE}")
        self.settings.add_recent(archive.path, archive.title)
        self.settings.set_left_open(archive.path)
        self._archive_actions_enabled(True)
        self._mark_demo(path)
        self.pause_action.setChecked(False)
        for feature in self.features:
            feature.archive_opened(self.session)
        if self.use_monitor:
            self.session.start_monitor()
        else:
            self._show_monitor_state("文件监控未启用")
        return True

    def _mark_demo(self, path: str) -> None:
        from archive.demo import is_demo
        from ui.window.demo_mark import DEMO_PREFIX, demo_strip

        if is_demo(path):
            self.workspace.layout().insertWidget(0, demo_strip())
            self.setWindowTitle(DEMO_PREFIX + self.windowTitle())

    def _restore_splitters(self) -> None:
        if self.workspace is None:
            return
        if (state := self.settings.splitter_state("splitter")) is not None:
            self.workspace.splitter.restoreState(state)
        if (state := self.settings.splitter_state("detail_splitter")) is not None:
            self.workspace.detail.splitter.restore(state)

    def close_archive(self) -> None:
        if self.session is None:
            return
        self.settings.set_last_code(self.session.archive.path, self.workspace.current_code())
        self.settings.save_splitter("splitter", self.workspace.splitter.saveState())
        self.settings.save_splitter("detail_splitter", self.workspace.detail.splitter.saved_place())
        self.session.monitor_state.disconnect(self._show_monitor_state)  # its last word ("stopped") is not news
        for feature in self.features:
            feature.archive_closed()
        self.session.close()
        self.stack.removeWidget(self.workspace)
        self.workspace.deleteLater()
        self.session.deleteLater()
        self.session = self.workspace = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.setWindowTitle(APP_TITLE)
        self.monitor_label.clear()
        self._archive_actions_enabled(False)
        self.start.refresh()
        self.stack.setCurrentWidget(self.start)

    def close_archive_by_hand(self) -> None:
        """关闭档案: the clerk chose the start screen, and finds it at the next start too."""
        self.close_archive()
        self.settings.set_left_open("")

    def new_archive(self) -> None:
        from ui.window.new_archive_dialog import NewArchiveDialog

        dialog = NewArchiveDialog(self.settings.export_dir, self)
        if dialog.exec() and dialog.created_path:
            self.open_archive(dialog.created_path)

    def choose_archive(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, "打开档案", self.settings.export_dir, ARCHIVE_FILTER)
        if path:
            self.open_archive(path)

    def open_demo(self, ask: bool = True) -> None:
        """Generate a fresh demo under the user's data folder (never in the program's folder) and open it. A demo
        already there may hold the clerk's tries: asked first (`ask`; `--demo` on the command line makes it fresh)."""
        from archive.demo import existing_demo, make_demo
        from ui.window.demo_mark import ask_about_existing_demo

        folder = data_dir() / "demo"
        if ask and (existing := existing_demo(folder)) is not None:
            choice = ask_about_existing_demo(self, existing)
            if choice == "open":
                self.open_archive(str(existing))
            if choice != "fresh":
                return
        if (existing := existing_demo(folder)) is not None and not self._demo_closed_elsewhere(existing):
            return
        self.close_archive()
        run_job(self, "生成演示档案", lambda progress, cancel: make_demo(folder, progress, cancel),
                lambda path: self.open_archive(str(path)), delay_ms=0)

    def _demo_closed_elsewhere(self, demo) -> bool:
        """Making the demo afresh deletes it: not under another window that has it open (told so)."""
        if self.session is not None and same_file(self.session.archive.path, demo):
            return True  # this window's own: closed before it is made again
        if not held_elsewhere(demo):
            return True
        QMessageBox.warning(self, "演示档案已打开", "演示档案正在另一个迎检通窗口中打开，重新生成会删除它。"
                                                   "请先关闭那个窗口，再重新生成演示档案。")
        return False

    # -- archive commands ----------------------------------------------------------------------------------
    def scan(self) -> None:
        if self.session is not None:
            self.session.scan_all()

    def automap(self) -> None:
        if self.session is not None:
            archive_actions.automap(self, self.session, self.search.open_suggestions)

    def import_catalogue(self) -> None:
        if self.session is not None:
            self.import_dialog = archive_actions.import_catalogue(self, self.session)

    def export(self) -> None:
        if self.session is not None:
            archive_actions.export(self, self.session, self.workspace.current_code())

    def toggle_pause(self, paused: bool) -> None:
        if self.session is not None and self.session.monitor is not None:
            self.session.monitor.set_paused(paused)

    def find(self) -> None:
        if self.workspace is not None:
            self.workspace.show_criteria()
            self.workspace.criteria.focus_search()

    def edit_settings(self) -> None:
        from ui.window.settings_dialog import SettingsDialog

        if SettingsDialog(self.settings, self).exec() and self.session is not None and self.session.monitor:
            self.session.monitor.restart()  # new timing applies to the monitor

    def show_guide(self) -> None:
        from ui.window.guide import GuideDialog

        if getattr(self, "guide", None) is None:
            self.guide = GuideDialog(self)
        self.guide.show()  # not modal: the clerk may follow it while working
        self.guide.raise_()

    def about(self) -> None:
        QMessageBox.about(self, "关于迎检通", f"<h3>迎检通 ReviewReady {VERSION}</h3>"
                          "<p>创建国家食品安全示范城市迎检资料档案：关联证明材料文件夹、跟踪变更、确认、导出汇编。</p>"
                          f"<p>设置保存在：{self.settings.qsettings.fileName()}</p>")

    @Slot(str)
    def _show_monitor_state(self, text: str) -> None:
        self.monitor_label.setText(text)
        if self.session is not None and self.session.monitor is not None:
            self.monitor_label.setToolTip(self.session.monitor.roots_text())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_fitted", False):  # the real frame is known once shown
            self._fitted = True
            QTimer.singleShot(0, self.fit_to_screen)

    # -- closing -------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.close_archive()
        self.settings.sync()
        event.accept()
