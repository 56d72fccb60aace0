"""New archive: a title, the criteria (built-in template or an imported table), where to save it.

The chosen criteria are planned first (in the background) and shown as the import plan (tree, a role drop-down over
every column, warnings, rows not imported), or as the importer's refusal with its file, sheet and row, before
anything is created. Nothing is written until 创建 is pressed.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from archive.catalogue import store_catalogue
from archive.db import create_archive
from common.errors import UserError
from criteria.importers import SUPPORTED
from criteria.importers.plan import ImportPlan
from criteria.model import Catalogue
from ui.common import file_dialogs
from ui.common.widgets import browse_row
from ui.common.worker import run_job
from ui.departments.package_checks import network_refusal
from ui.window.import_plan_view import ImportPlanView, PlanLoader

# 所有文件 too: a clerk holding the table as a PDF picks it and is told what to ask for, not shown an empty folder
IMPORT_FILTER = "评价细则表格 (" + " ".join(f"*{ext}" for ext in SUPPORTED) + ");;所有文件 (*)"
ERROR_STYLE = "color: #c62828;"


def create_archive_file(path: str, title: str, catalogue: Catalogue) -> str:
    """Create the archive with its catalogue, or leave nothing behind."""
    target = Path(path)
    if target.exists():
        raise UserError(f"文件已存在，未覆盖：{target}")
    archive = create_archive(target, title)
    try:
        with archive:
            store_catalogue(archive, catalogue)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        raise
    return str(target.absolute())


class NewArchiveDialog(QDialog):
    def __init__(self, default_folder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("新建档案")
        self.resize(820, 640)
        self.catalogue: Catalogue | None = None
        self.created_path: str | None = None
        self.default_folder = default_folder
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：某某县创建国家食品安全示范城市")
        self.path = QLineEdit()
        self.path.setPlaceholderText("档案文件（.rrdb）的保存位置")
        self.path_problem = QLabel()  # a network location is refused before anything is created
        self.path_problem.setWordWrap(True)
        self.path_problem.setStyleSheet(ERROR_STYLE)
        self.path_problem.hide()
        self.template_choice = QRadioButton("内置模板（依据创建工作方案整理，收到正式细则后可导入替换）")
        self.file_choice = QRadioButton("导入上级下发的评价细则表格：")
        self.file_path = QLineEdit()
        self.file_path.setReadOnly(True)
        self.file_path.setPlaceholderText("Excel（.xlsx/.xls）、Word（.docx）、CSV 或 YAML")
        self.preview = ImportPlanView()
        self.plan: ImportPlan | None = None
        self.loader = PlanLoader(self, self.preview, self._parsed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        self.template_choice.setChecked(True)
        self._connect()
        self._load_source()

    def _layout(self) -> None:
        path_row = browse_row(self.path, self._choose_path)
        form = QFormLayout()
        form.addRow("档案标题：", self.title)
        form.addRow("保存位置：", path_row)
        form.addRow("", self.path_problem)
        source = QGroupBox("评价目录")
        group = QButtonGroup(self)
        group.addButton(self.template_choice)
        group.addButton(self.file_choice)
        browse_file = QPushButton("选择文件…")
        browse_file.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_choice)
        file_row.addWidget(self.file_path, 1)
        file_row.addWidget(browse_file)
        source_layout = QVBoxLayout(source)
        source_layout.addWidget(self.template_choice)
        source_layout.addLayout(file_row)
        source_layout.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(source, 1)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.buttons.accepted.connect(self._create)
        self.buttons.rejected.connect(self.reject)
        self.template_choice.toggled.connect(lambda _: self._load_source())
        self.title.textChanged.connect(self._suggest_path)
        self.path.textChanged.connect(self._update_ok)
        self.title.textChanged.connect(self._update_ok)

    def _suggest_path(self, title: str) -> None:
        if not self.path.isModified():
            name = "".join(ch for ch in title.strip() if ch not in '\\/:*?"<>|') or "迎检档案"
            self.path.setText(os.path.join(self.default_folder, f"{name}.rrdb"))

    def _choose_path(self) -> None:
        path, _ = file_dialogs.get_save_file_name(self, "档案保存位置", self.path.text() or self.default_folder,
                                              "迎检通档案 (*.rrdb)")
        if path:
            self.path.setText(path if path.lower().endswith(".rrdb") else path + ".rrdb")
            self.path.setModified(True)

    def _choose_file(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, "选择评价细则表格", self.default_folder, IMPORT_FILTER)
        if path:
            self.set_source_file(path)

    def set_source_file(self, path: str) -> None:
        self.file_path.setText(path)
        if self.file_choice.isChecked():
            self._load_source()
        else:
            self.file_choice.setChecked(True)  # toggling reloads

    def _load_source(self) -> None:
        source = None if self.template_choice.isChecked() else (self.file_path.text() or "")
        self.catalogue = None
        self._update_ok()
        if source == "":
            self.preview.show_hint("请点“选择文件…”选择上级下发的评价细则表格文件")  # not an error: nothing chosen yet
            return
        self.loader.load(source)  # a new source starts without the previous file's column mapping

    def _parsed(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        self.catalogue = plan.catalogue if plan is not None else None
        if plan is not None and not self.title.text().strip() and self.file_choice.isChecked():
            self.title.setText(Path(self.file_path.text()).stem)
        self._update_ok()

    def _update_ok(self) -> None:
        problem = network_refusal(self.path.text())
        self.path_problem.setText(problem or "")
        self.path_problem.setVisible(bool(problem))
        ready = self.catalogue is not None and bool(self.path.text().strip()) and bool(self.title.text().strip())
        ready = ready and not problem
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def _create(self) -> None:
        title = self.title.text().strip()
        path, catalogue = self.path.text().strip(), self.catalogue
        self.job = run_job(self, "新建档案", lambda progress, cancel: create_archive_file(path, title, catalogue),
                           self._created)

    def _created(self, path: str) -> None:
        self.created_path = path
        self.accept()
