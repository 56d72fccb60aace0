"""Ctrl+C, Ctrl+V and Delete on the evidence table's metadata cells, as in Excel and WPS, where clerks keep these
catalogues today: a place copied from one photo and pasted into the 地点 of twenty selected ones; a column of titles
copied from a spreadsheet and pasted down from the current file; Delete empties the selected files' cell.

A paste is checked whole before anything is written (a 成文日期 that is no date refuses it, naming the value) and is
one undoable edit. Cells a value cannot go into (a photo's field of a document, a column that is no field) are left
as they are, and said with the edit in the status bar. The keys work on the table only, not in a cell being edited,
where they are the editor's own.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox

from archive.metadata.fields import LABELS
from archive.metadata.store import check_values
from common.errors import UserError
from ui.metadata.model import FILE_ID_ROLE, meta_key

Cells = dict[tuple[int, str], str]  # (file id, field) -> value


class CellClipboard(QObject):
    def __init__(self, hooks):
        super().__init__(hooks)
        self.hooks = hooks
        self.table = table = hooks.detail.table
        self.actions = {"copy": QAction("复制", table), "paste": QAction("粘贴", table),
                        "clear": QAction("清空所选单元格", table)}
        keys = {"copy": QKeySequence.StandardKey.Copy, "paste": QKeySequence.StandardKey.Paste,
                "clear": QKeySequence.StandardKey.Delete}
        for name, action in self.actions.items():
            action.setShortcut(keys[name])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # a cell's editor keeps its own keys
            table.addAction(action)
        self.actions["copy"].triggered.connect(self.copy)
        self.actions["paste"].triggered.connect(lambda: self.paste(QGuiApplication.clipboard().text()))
        self.actions["clear"].triggered.connect(self.clear)

    # -- what the keys do ------------------------------------------------------------------------------------
    def copy(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            QGuiApplication.clipboard().setText(str(current.data() or ""))

    def paste(self, text: str) -> None:
        """One value into the current column of every selected file; several (lines, and cells split by tabs, as
        Excel copies a block) down and across from the current cell."""
        grid = [line.split("\t") for line in text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")]
        current = self.table.currentIndex()
        if not current.isValid() or not text:
            return
        if len(grid) == 1 and len(grid[0]) == 1:
            targets = [(index, grid[0][0]) for index in self._selected_in(current.column())]
        else:
            targets = [(current.sibling(current.row() + r, current.column() + c), value)
                       for r, line in enumerate(grid) for c, value in enumerate(line)]
        self._type(targets, "粘贴")

    def clear(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self._type([(index, "") for index in self._selected_in(current.column())], "清空")

    # -- helpers ---------------------------------------------------------------------------------------------
    def _selected_in(self, column: int) -> list[QModelIndex]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())  # whole rows selected
        current = self.table.currentIndex()
        rows = rows or [current.row()]
        return [current.sibling(row, column) for row in rows]

    def _type(self, targets: list[tuple[QModelIndex, str]], verb: str) -> None:
        cells: Cells = {}
        skipped = 0
        try:
            for index, value in targets:
                key = meta_key(index.column()) if index.isValid() else None
                if key is None or not index.flags() & Qt.ItemFlag.ItemIsEditable:
                    skipped += index.isValid()
                    continue
                typed = check_values({key: value.strip()})[key]
                if typed != (index.data(Qt.ItemDataRole.EditRole) or ""):  # the copied cell itself stays as it is
                    cells[(index.data(FILE_ID_ROLE), key)] = typed
        except UserError as exc:
            QMessageBox.warning(self.table, f"无法{verb}", str(exc))
            return
        if not cells:
            self.hooks.session.status_message(f"没有可{verb}的单元格：只有文件信息各栏（题名、文号等）可以填写"
                                              if skipped else "没有改动：所选单元格已是这些值")
            return
        names = "、".join(dict.fromkeys(LABELS[key] for _, key in cells))
        files = len({file_id for file_id, _ in cells})
        left = f"；{skipped} 个单元格不能填写，未改动" if skipped else ""  # said with "已保存：…" once written
        self.hooks.editor.put(cells, f"{verb}{names}（{files} 个文件{left}）")
