"""The Excel round trip from the window: export the shown criterion's file catalogue (or the archive's), and import
an edited one: its changes (row, file, field, old → new) are listed first, with the rows that match no file and the
values not taken, and written, as one undoable edit, only when the clerk says so."""

from __future__ import annotations

import os

from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive.assignments import known_units
from archive.metadata.sheetimport import ImportPreview, preview_import
from archive.metadata.sheetread import SUFFIXES
from archive.metadata.workbook import export_catalogue
from common.names import FOLDER_LIMIT, safe_component
from ui.common import file_dialogs

PREVIEW_ROWS = 5_000  # changes listed one by one; beyond, the count says the rest
# what archive.metadata.sheetread reads: Excel and WPS (.xlsx, .xls), LibreOffice and WPS (.ods)
IMPORT_FILTER = ("表格文件 (" + " ".join(f"*{suffix}" for suffix in SUFFIXES) + ");;Excel 工作簿 (*.xlsx *.xlsm *.xls)"
                 ";;ODS 表格 (*.ods)")


class ImportPreviewDialog(QDialog):
    def __init__(self, preview: ImportPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入文件目录：确认改动")
        self.resize(880, 560)
        changes = preview.changes
        files = len({c.file_id for c in changes})
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{preview.source}：共 {preview.rows} 行，{len(changes)} 处改动（{files} 个文件）。"
                                "确认后写入，可撤销。"))
        self.table = QTableWidget(min(len(changes), PREVIEW_ROWS), 5)
        self.table.setHorizontalHeaderLabels(["行", "文件", "字段", "原值", "新值"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, width in ((0, 56), (1, 240), (2, 72)):  # what changes is what the clerk reads: old and new
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        for column in (3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for row, change in enumerate(changes[:PREVIEW_ROWS]):
            for column, text in enumerate((str(change.row), change.name, change.label, change.old, change.new)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long title is cut in its cell: the whole of it on hover
                self.table.setItem(row, column, item)
        layout.addWidget(self.table, 1)
        if len(changes) > PREVIEW_ROWS:
            layout.addWidget(QLabel(f"另有 {len(changes) - PREVIEW_ROWS} 处改动未列出"))
        self.problems = QListWidget()
        self.problems.addItems(preview.unmatched + preview.errors)  # each says what was not imported and why
        if self.problems.count():
            layout.addWidget(QLabel("以下内容未导入："))
            layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"写入 {len(changes)} 处改动")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(changes))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class CatalogueActions:
    """导出文件目录… / 导入文件目录… for the detail panel (`code_of()` is the shown criterion, or None)."""

    def __init__(self, session, editor, parent: QWidget, code_of):
        self.session = session
        self.editor = editor
        self.parent = parent
        self.code_of = code_of

    def export(self, anchor: QWidget | None = None) -> None:
        """Ask for the scope (the shown criterion with its sub-items, one unit's criteria, the whole archive) in a
        menu under `anchor` (the button pressed; else at the pointer), then where to save."""
        menu = self.scope_menu()
        menu.exec(anchor.mapToGlobal(anchor.rect().bottomLeft()) if anchor is not None else QCursor.pos())

    def scope_menu(self) -> QMenu:
        menu = QMenu(self.parent)
        code = self.code_of()
        if code:
            menu.addAction(f"本项目 {code}（含下级项目）的目录…", lambda: self.export_scope(code=code))
        units = menu.addMenu("某单位负责项目的目录")
        for unit in known_units(self.session.archive):
            units.addAction(f"{unit}…", lambda u=unit: self.export_scope(unit=u))
        units.setEnabled(not units.isEmpty())
        menu.addAction("全部档案的目录…", self.export_scope)
        return menu

    def export_scope(self, code: str | None = None, unit: str | None = None) -> None:
        name = f"文件目录-{safe_component(code or unit or '全部', FOLDER_LIMIT)}.xlsx"
        start = os.path.join(self.session.settings.export_dir, name)  # not the folder the app was started from
        target, _ = file_dialogs.get_save_file_name(self.parent, "导出文件目录", start, "Excel 工作簿 (*.xlsx)")
        if target:
            self.session.settings.export_dir = os.path.dirname(target)
            archive = self.session.archive
            self.session.run("导出文件目录",
                             lambda progress, cancel: export_catalogue(archive, target, code=code, unit=unit),
                             lambda count: self.session.status_message(f"已导出 {count} 个文件的目录：{target}"))

    def import_(self) -> None:
        # where the catalogue was exported to, most likely where the edited one was saved
        start = self.session.settings.export_dir
        source, _ = file_dialogs.get_open_file_name(self.parent, "导入文件目录", start, IMPORT_FILTER)
        if source:
            archive = self.session.archive
            self.session.run("读取文件目录", lambda progress, cancel: preview_import(archive, source), self.confirm)

    def confirm(self, preview: ImportPreview) -> None:
        dialog = ImportPreviewDialog(preview, self.parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and preview.changes:
            state = {(c.file_id, c.key): c.new for c in preview.changes}
            self.editor.put(state, f"导入文件目录（{len(preview.changes)} 处改动）")
