"""The department-package commands of the main window, and what the window shows for a unit archive.

Office archive: 档案 → 生成单位任务包… and 导入单位材料包…. Unit archive (opened from a task package): the window
title and status bar name the unit and its role, and 文件 → 导出证明材料包… hands the evidence back. 文件 → 打开任务包…
(also on the start screen) works in either state. The main window calls `update()` whenever an archive opens or
closes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStyle

from archive.start_folder import evidence_start
from departments import import_evidence_package, is_unit_archive
from departments.units import units_root
from ui.common.extensions import MenuEntry, WindowFeature
from ui.departments.import_dialog import ImportPackageDialog
from ui.departments.import_report import ImportReportDialog
from ui.departments.stray_notice import StrayNotice
from ui.departments.task_dialog import TaskPackageDialog
from ui.departments.unit_side import OpenTaskPackageDialog, export_evidence, unit_guide, unit_role

APP_TITLE = "迎检通"


class PackageActions(QObject, WindowFeature):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.reveal_results = True  # open the output's folder when done (tests turn it off: no file manager)
        self.dialog = None  # the package dialog currently open, if any
        self.report_dialog: ImportReportDialog | None = None
        sp = QStyle.StandardPixmap
        self.open_task = self._action("打开任务包…", self.open_task_package, sp.SP_DirOpenIcon,
                                      "单位资料员：打开食安办下发的任务包（.zip），放入材料后导出证明材料包")
        self.export_evidence = self._action("导出证明材料包…", self.export_evidence_package, sp.SP_DialogSaveButton,
                                            "把本单位的材料打包（含每个文件的 SHA-256 校验值），交回食安办")
        self.task_packages = self._action("生成单位任务包…", self.make_task_packages, sp.SP_FileDialogNewFolder,
                                          "按牵头/配合单位生成任务包（.zip），发给各单位的资料员")
        self.import_evidence = self._action("导入单位材料包…", self.import_evidence_package, sp.SP_ArrowDown,
                                            "导入单位交回的证明材料包：放入证明材料文件夹并关联到评价项目")
        self.role_label = QLabel()
        self.role_label.setStyleSheet("color: #1565c0; padding: 0 8px;")
        window.statusBar().addPermanentWidget(self.role_label)
        self.strays = StrayNotice(window)

    def _action(self, text: str, slot, icon: QStyle.StandardPixmap, tip: str) -> QAction:
        action = QAction(self.window.style().standardIcon(icon), text, self.window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def menu_entries(self) -> list[MenuEntry]:
        return [MenuEntry("file", "open", (self.open_task,)), MenuEntry("file", "export", (self.export_evidence,)),
                MenuEntry("archive", "packages", (self.task_packages, self.import_evidence)),
                MenuEntry("toolbar", "index", (self.export_evidence,))]

    @property
    def session(self):
        return self.window.session

    def update(self) -> None:
        """Office and unit archives get their own commands; a unit archive says whose it is."""
        session = self.session
        role = unit_role(session.archive) if session is not None else None
        unit = role is not None
        self.export_evidence.setVisible(unit)
        self.export_evidence.setEnabled(unit)
        for action in (self.task_packages, self.import_evidence):
            action.setVisible(not unit)
            action.setEnabled(session is not None and not unit)
        self.role_label.setText(role or "")
        self.role_label.setVisible(unit)
        self.strays.follow(session)
        if unit:
            self.window.setWindowTitle(f"{session.archive.title}（单位档案） — {APP_TITLE}")

    # -- office ---------------------------------------------------------------------------------------------
    def make_task_packages(self) -> None:
        if self.session is None or is_unit_archive(self.session.archive):
            return
        dialog = TaskPackageDialog(self.session, self.window)
        looking_at = self.window.workspace.unit_filter().currentData()  # the unit chosen beside the tabs
        if looking_at in dialog.units:
            dialog.choose_unit(looking_at)
        dialog.open_folder_when_done = self.reveal_results
        self._show(dialog)

    def import_evidence_package(self) -> None:
        if self.session is None or is_unit_archive(self.session.archive):
            return
        archive = self.session.archive
        dialog = ImportPackageDialog(self.session.settings, str(archive.path), self.window,
                                     evidence=evidence_start(archive), guessed_root=units_root(archive))
        dialog.accepted.connect(lambda: self.run_import(dialog.package_path(), dialog.root_path()))
        self._show(dialog)

    def run_import(self, package: str, root: str) -> None:
        """Import on the worker with the monitor paused; the tree refreshes, then the report shows."""
        session = self.session
        archive = session.archive

        def done(report) -> None:
            session.files_changed.emit([])
            session.status_message(report.summary())
            self.report_dialog = ImportReportDialog(report, self.window)
            self.report_dialog.open()

        session.run_scanning("导入单位材料包", lambda progress, cancel: import_evidence_package(
            archive, package, root, progress, cancel), done)

    # -- unit -----------------------------------------------------------------------------------------------
    def open_task_package(self) -> None:
        """The unit archive it makes replaces the open archive in the window: asked first, never silently."""
        self.open_task_package_file("")

    def open_task_package_file(self, package: str) -> None:
        """The same, with the task package the clerk already chose (opened with the app, or as an archive)."""
        if self.session is not None and not self._may_close_open_archive():
            return
        dialog = OpenTaskPackageDialog(self.window.settings, self.window, package=package)
        dialog.accepted.connect(lambda: self._open_unit_archive(dialog.created_path))
        self._show(dialog)

    def _may_close_open_archive(self) -> bool:
        title = self.session.archive.title
        running = "，正在进行的后台任务会被取消" if self.session.jobs else ""
        answer = QMessageBox.question(
            self.window, "打开任务包",
            f"打开任务包会先关闭当前的档案“{title}”{running}。\n\n档案中的内容都已保存，"
            "之后可从“文件 → 最近打开”再打开它。\n\n要关闭当前档案并打开任务包吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.window.close_archive()  # now, cleanly (the monitor stopped, jobs ended), not behind the dialog
        return True

    def _open_unit_archive(self, path: str | None) -> None:
        if path and self.window.open_archive(path):
            QMessageBox.information(self.window, "任务包已打开", unit_guide(self.session.archive))

    def export_evidence_package(self) -> None:
        if self.session is not None and is_unit_archive(self.session.archive):
            export_evidence(self.window, self.session, reveal=self.reveal_results)

    def _show(self, dialog) -> None:
        """Window-modal without a nested event loop: the dialog's own buttons carry on from here."""
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
