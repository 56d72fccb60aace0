"""不列入汇编 and 恢复列入汇编 on the selected files of the evidence table (archive.exclusions), in its context menu.

Each is one undoable edit on the table's undo stack (ui.metadata.edits: Ctrl+Z puts the marks back as they were),
written on the app's writer like the metadata edits; the table shows the mark after the refresh that follows it.
"""

from __future__ import annotations

import os

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from archive.confirm import default_user
from archive.db import now
from archive.exclusions import LABEL, Exclusion, put_marks


class ExclusionActions:
    """The two context-menu actions, for the metadata hooks' table, editor and selection."""

    def __init__(self, hooks):
        self.hooks = hooks
        table = hooks.detail.table
        self.exclude_action = QAction(f"{LABEL}…", table)
        self.exclude_action.setToolTip("选中的文件仍在文件夹中、仍计入材料，但汇编和移交包不收（如征求意见稿、重复件）")
        self.include_action = QAction("恢复列入汇编", table)
        self.exclude_action.triggered.connect(self.exclude_selected)
        self.include_action.triggered.connect(self.include_selected)

    def actions(self) -> list[QAction]:
        return [self.exclude_action, self.include_action]

    def _selected(self) -> list:
        model = self.hooks.model
        return [model.rows[row] for row in self.hooks.selected_rows()]

    def exclude_selected(self) -> None:
        rows = [row for row in self._selected() if not row.excluded]
        parent = self.hooks.detail
        if not rows:
            QMessageBox.information(parent, LABEL, "请先在表格中选中要标记的文件（可多选）")
            return
        names = "、".join(os.path.basename(row.path) for row in rows[:3])
        more = f"等 {len(rows)} 个文件" if len(rows) > 3 else ""
        reason, accepted = QInputDialog.getText(
            parent, LABEL, f"{names}{more}：文件仍留在文件夹中，汇编和移交包不收。\n原因（可不填，内部版汇编中列出）：",
            QLineEdit.EchoMode.Normal, "")
        if not accepted:
            return
        by = self.hooks.session.settings.confirmer or default_user()
        stamp = now()
        marks = {row.id: Exclusion(row.id, by, stamp, reason.strip()) for row in rows}
        self.hooks.editor.put(marks, f"{LABEL}（{len(rows)} 个文件）", put=put_marks)

    def include_selected(self) -> None:
        """Lifts the marks, and clears a lapsed one's note (the file changed since and is exported already)."""
        rows = [row for row in self._selected() if row.excluded or row.relisted]
        if not rows:
            QMessageBox.information(self.hooks.detail, "恢复列入汇编", "选中的文件都已列入汇编")
            return
        self.hooks.editor.put(dict.fromkeys(row.id for row in rows), f"恢复列入汇编（{len(rows)} 个文件）",
                              put=put_marks)
