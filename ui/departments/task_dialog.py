"""档案 → 生成单位任务包…: one unit, or every unit at once, into a chosen folder.

Each unit's items and roles are shown before anything is written. The packages are written by
departments.write_task_packages on the worker (progress, 取消 between units); the folder opens when done.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from archive.catalogue import load_catalogue
from archive.units import assigned_units, check_unit
from common.atomic import check_folder
from common.errors import ReviewReadyError
from departments import list_units, package_name, unit_items, write_task_packages
from departments.units import ASSIST, LEAD
from ui.common import file_dialogs
from ui.common.shell import open_folder
from ui.common.widgets import browse_row
from ui.common.worker import run_job
from ui.departments.package_checks import ERROR_STYLE, linked_folder_refusal, listing
from ui.workspace.session import ArchiveSession


class TaskPackageDialog(QDialog):
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.settings = session.settings
        self.open_folder_when_done = True
        self.written: list | None = None
        catalogue = load_catalogue(session.archive)
        assigned = assigned_units(session.archive, catalogue)  # the table's units, as reassigned in the app
        self.units = list_units(catalogue, assigned)
        self.items = {unit: [i for i in unit_items(catalogue, unit, units=assigned) if i.own] for unit in self.units}
        self.setWindowTitle("生成单位任务包")
        self.setMinimumWidth(620)
        self.one = QRadioButton("为一个单位生成：")
        self.all = QRadioButton(f"为全部 {len(self.units)} 个单位各生成一个任务包")
        self.unit = QComboBox()
        for unit in self.units:
            self.unit.addItem(f"{unit}（{self._roles(unit)}）", unit)
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        self.contents.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder = QLineEdit(self.settings.export_dir)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.generate_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.generate_button.setText("生成")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        self._connect()
        self.one.setChecked(True)
        self._show_contents()

    def _roles(self, unit: str) -> str:
        roles = [item.role for item in self.items[unit]]
        return f"牵头 {roles.count(LEAD)} 项、配合 {roles.count(ASSIST)} 项"

    def _layout(self) -> None:
        group = QButtonGroup(self)
        group.addButton(self.one)
        group.addButton(self.all)
        one_row = QHBoxLayout()
        one_row.addWidget(self.one)
        one_row.addWidget(self.unit, 1)
        which = QGroupBox("单位")
        which_layout = QVBoxLayout(which)
        which_layout.addLayout(one_row)
        which_layout.addWidget(self.all)
        contents_box = QGroupBox("任务包的内容")
        contents_layout = QVBoxLayout(contents_box)
        contents_layout.addWidget(self.contents)
        folder_row = browse_row(self.folder, self._choose_folder)
        form = QFormLayout()
        form.addRow("保存到文件夹：", folder_row)
        layout = QVBoxLayout(self)
        layout.addWidget(which)
        layout.addWidget(contents_box, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.one.toggled.connect(lambda _: self._show_contents())
        self.unit.currentIndexChanged.connect(lambda _: self._show_contents())
        self.buttons.accepted.connect(self.generate)
        self.buttons.rejected.connect(self.reject)

    def chosen_units(self) -> list[str]:
        return [self.unit.currentData()] if self.one.isChecked() else list(self.units)

    def choose_unit(self, unit: str) -> None:
        self.one.setChecked(True)
        self.unit.setCurrentIndex(self.units.index(unit))

    def _show_contents(self) -> None:
        self.unit.setEnabled(self.one.isChecked())
        if not self.units:
            try:
                check_unit(load_catalogue(self.session.archive), "")
            except ReviewReadyError as exc:  # the catalogue names no unit: the core's explanation, and nothing to do
                self.contents.setText(str(exc))
            self.contents.setStyleSheet(ERROR_STYLE)
            self.one.setEnabled(False)
            self.all.setEnabled(False)
            self.generate_button.setEnabled(False)
            return
        if self.one.isChecked():
            unit = self.unit.currentData()
            lines = [f"{item.criterion.code} {item.criterion.title}（{item.role}）" for item in self.items[unit]]
            text = (f"{package_name(unit)}：{unit} 的 {len(lines)} 个评价项目，每项一个空文件夹，附任务清单"
                    f"（Word）。\n" + listing(lines))
        else:
            lines = [f"{package_name(unit)}：{self._roles(unit)}" for unit in self.units]
            text = f"每个单位一个任务包，共 {len(lines)} 个：\n" + listing(lines)
        self.contents.setText(text)

    def _choose_folder(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "任务包保存到", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def generate(self) -> None:
        folder = os.path.abspath(os.path.expanduser(self.folder.text().strip() or "."))
        try:
            check_folder(Path(folder))  # a missing folder is made; a file in its way is not
        except ReviewReadyError as exc:
            QMessageBox.warning(self, "生成单位任务包", str(exc))
            return
        if refusal := linked_folder_refusal(self.session.archive, folder):
            QMessageBox.warning(self, "生成单位任务包", refusal)
            return
        units = self.chosen_units()
        existing = [package_name(u) for u in units if os.path.exists(os.path.join(folder, package_name(u)))]
        if existing:
            question = (f"文件夹 {folder} 中已有 {len(existing)} 个同名任务包：\n{listing(existing)}\n\n"
                        "用新生成的替换吗？")
            if QMessageBox.question(self, "生成单位任务包", question) != QMessageBox.StandardButton.Yes:
                return
        self.settings.export_dir = folder
        self.generate_button.setEnabled(False)
        archive = self.session.archive
        job = run_job(self, "生成单位任务包",
                      lambda progress, cancel: write_task_packages(archive, units, folder, progress, cancel),
                      self._done, delay_ms=0)
        job.failed.connect(lambda _exc: self.generate_button.setEnabled(True))

    def _done(self, paths: list) -> None:
        self.written = paths
        folder = os.path.dirname(str(paths[0])) if paths else self.folder.text()
        self.session.status_message(f"已生成 {len(paths)} 个任务包：{folder}")
        if self.open_folder_when_done:
            open_folder(self, folder)
        names = [os.path.basename(str(p)) for p in paths]
        QMessageBox.information(self, "任务包已生成", f"已在 {folder} 生成 {len(paths)} 个任务包：\n"
                                f"{listing(names)}\n\n请把任务包发给各单位的资料员，用迎检通“打开任务包…”打开。")
        self.accept()
