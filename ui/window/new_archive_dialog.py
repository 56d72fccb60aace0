"""New archive: a title, the criteria (built-in template or an imported table), where to save it.

The chosen criteria are parsed first (in the background) and shown as a tree, or as the importer's error with its
file, sheet and row, before anything is created. Nothing is written until 创建 is pressed.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive.catalogue import store_catalogue
from archive.db import create_archive
from common.errors import UserError
from criteria.importers import SUPPORTED
from criteria.importers import load_catalogue as read_catalogue_file
from criteria.model import Catalogue
from criteria.template import load_template
from ui.common.widgets import browse_row
from ui.common.worker import describe_error, run_job
from ui.departments.package_checks import network_refusal

IMPORT_FILTER = "评价细则表格 (" + " ".join(f"*{ext}" for ext in SUPPORTED) + ")"
ERROR_STYLE = "color: #c62828;"


def parse_catalogue(source: str | None) -> Catalogue:
    """The template (source None) or the file at `source`, validated; CatalogueError says where it went wrong."""
    catalogue = load_template() if source is None else read_catalogue_file(source)
    catalogue.validate()
    return catalogue


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


class CataloguePreview(QWidget):
    """The parsed tree (code, title, points, units), a one-line summary, or the importer's error."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["编号", "评价项目", "分值", "责任单位"])
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def show_catalogue(self, catalogue: Catalogue) -> None:
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for crit in catalogue.criteria:
            points = f"{crit.points:g}" if crit.points is not None else ""
            shown_code = f"{crit.code}  {crit.label}" if crit.label and crit.label != crit.code else crit.code
            item = QTreeWidgetItem([shown_code, crit.title, points, "、".join(crit.units)])
            item.setToolTip(1, crit.title)
            parent = items.get(crit.parent) if crit.parent else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[crit.code] = item
        self.tree.expandAll()
        for column, width in enumerate((170, 300, 50)):
            self.tree.setColumnWidth(column, width)
        top = sum(1 for c in catalogue.criteria if c.parent is None)
        points = sum(c.points or 0 for c in catalogue.criteria if not catalogue.children(c.code))
        text = f"“{catalogue.title}”：共 {len(catalogue.criteria)} 个评价项目（一级 {top} 项）"
        text += f"，末级项目合计 {points:g} 分" if points else ""
        self.summary.setStyleSheet("")
        self.summary.setText(text + (f"。\n{catalogue.note}" if catalogue.note else "。"))

    def show_error(self, message: str) -> None:
        self.tree.clear()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setText(f"无法使用这份评价细则：{message}")


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
        self.file_path.setPlaceholderText("Excel（.xlsx）、Word（.docx）、CSV 或 YAML")
        self.preview = CataloguePreview()
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
        path, _ = QFileDialog.getSaveFileName(self, "档案保存位置", self.path.text() or self.default_folder,
                                              "迎检通档案 (*.rrdb)")
        if path:
            self.path.setText(path if path.lower().endswith(".rrdb") else path + ".rrdb")
            self.path.setModified(True)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择评价细则表格", self.default_folder, IMPORT_FILTER)
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
            self.preview.show_error("请选择评价细则表格文件")
            return
        self.job = run_job(self, "读取评价细则", lambda progress, cancel: parse_catalogue(source),
                           self._parsed, lambda exc: self.preview.show_error(describe_error(exc)))

    def _parsed(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.preview.show_catalogue(catalogue)
        if not self.title.text().strip() and self.file_choice.isChecked():
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
