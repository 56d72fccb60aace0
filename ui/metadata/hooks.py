"""Plugs the evidence metadata into an open archive's workspace (FEATURE, registered in ui/window/features.py),
through the workspace's and the detail panel's extension points:

- the evidence table gets the metadata columns, edited in place (F2, Enter, a click on the selected cell, typing,
  or a double click on a metadata cell; Enter or a double click elsewhere still opens the file; Enter in an editor
  saves and moves down), copied, pasted and emptied as in Excel (ui.metadata.clipboard);
- below it: 填写信息… (several selected files at once), 照片说明… (thumbnail and caption), 撤销/重做 (Ctrl+Z,
  Ctrl+Y), and the Excel round trip (导出目录…, 导入目录…); the same in the table's context menu, with 不列入汇编…
  and 恢复列入汇编 (ui.metadata.exclusion);
- the creation period and the files dated outside it, at the top of the overview.
Every write goes through the app's writer (ui.metadata.edits); reads are fast queries on the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QMessageBox, QToolButton

from common.errors import UserError
from ui.common.extensions import WorkspaceFeature
from ui.metadata.caption import CaptionDialog
from ui.metadata.clipboard import CellClipboard
from ui.metadata.dialog import FillDialog
from ui.metadata.edits import MetadataEditor
from ui.metadata.exclusion import ExclusionActions
from ui.metadata.model import FIRST_META, META_KEYS, META_WIDTHS, MetadataEvidenceModel, column_of
from ui.metadata.period import PeriodSummary
from ui.metadata.sheet_import import CatalogueActions

NAME_WIDTH = 240
OVERVIEW_ORDER = 10  # the creation period: first at the top of the overview


class MetadataHooks(QObject):
    def __init__(self, workspace):
        super().__init__(workspace)
        self.session = session = workspace.session
        self.detail = detail = workspace.detail
        self.editor = MetadataEditor(session, self)
        self.model = MetadataEvidenceModel(lambda: session.archive, detail)
        detail.use_evidence_model(self.model)
        self.catalogue = CatalogueActions(session, self.editor, detail, lambda: detail.code)
        self._table()
        self.actions = self._actions()
        self.clipboard = CellClipboard(self)  # Ctrl+C, Ctrl+V, Delete on the cells
        detail.add_file_commands([self.actions[key] for key in ("fill", "caption", "undo", "redo")],
                                 [self.actions[key] for key in ("export", "import")])
        self.exclusion = ExclusionActions(self)  # in the context menu only: the row of buttons is full at 1366
        detail.table.insertActions(self.actions["undo"], self.exclusion.actions())
        self.summary = PeriodSummary(session)
        self.summary.linkActivated.connect(lambda _link: workspace.show_problems())
        workspace.add_overview_box(self.summary, OVERVIEW_ORDER)
        self.model.edit_requested.connect(self._edit)
        self.model.edit_refused.connect(lambda message: QMessageBox.warning(detail, "无法填写", message))

    def _table(self) -> None:
        table = self.detail.table
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # room for the fields
        table.setColumnWidth(0, NAME_WIDTH)
        for key in META_KEYS:
            table.setColumnWidth(column_of(key), META_WIDTHS[key])
        triggers = QAbstractItemView.EditTrigger
        table.setEditTriggers(triggers.EditKeyPressed | triggers.SelectedClicked | triggers.AnyKeyPressed)
        table.itemDelegate().closeEditor.connect(self._editor_closed)
        table.installEventFilter(self)  # Enter on a field's cell
        self.detail.set_file_activation(self._double_clicked)

    def eventFilter(self, watched, event) -> bool:
        """Enter on a field's cell (题名 …) begins typing there, as a double click does, instead of opening the file:
        after Enter saved a value and moved down (_editor_closed), a spreadsheet user's next Enter opened that
        file's viewer. Enter on the name, the folder, the problem … opens the file as before."""
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and watched is self.detail.table \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:  # the keypad's Enter too
            table = self.detail.table
            index = table.currentIndex()
            editing = table.state() == QAbstractItemView.State.EditingState  # an editor's own Enter, passed up
            if not editing and index.isValid() and index.column() >= FIRST_META \
                    and index.flags() & Qt.ItemFlag.ItemIsEditable:
                if kind == QEvent.Type.KeyPress:
                    table.edit(index)
                event.accept()  # the override: the key is the table's, not the 打开 action's
                return True
        return super().eventFilter(watched, event)

    def _editor_closed(self, _editor, hint) -> None:
        """Enter moves to the cell below, as in Excel and WPS: a clerk typing a column of titles typed the next one
        over the one just entered, as typing edits the current cell."""
        if hint != QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter; Tab, Esc and a click say otherwise
            return
        table = self.detail.table
        current = table.currentIndex()
        below = current.sibling(current.row() + 1, current.column())
        if below.isValid():
            table.setCurrentIndex(below)

    def _actions(self) -> dict[str, QAction]:
        table, stack = self.detail.table, self.editor.stack
        actions = {"fill": QAction("填写信息…", table), "caption": QAction("照片说明…", table),
                   "undo": stack.createUndoAction(table, "撤销"), "redo": stack.createRedoAction(table, "重做"),
                   "export": QAction("导出目录…", table), "import": QAction("导入目录…", table)}
        actions["fill"].triggered.connect(self.fill_selected)
        actions["caption"].triggered.connect(self.show_captions)
        actions["export"].triggered.connect(lambda: self.catalogue.export(_pressed_button(actions["export"])))
        actions["import"].triggered.connect(self.catalogue.import_)
        actions["undo"].setShortcut(QKeySequence.StandardKey.Undo)
        actions["redo"].setShortcut(QKeySequence.StandardKey.Redo)
        # the stack names the edit in the text ("撤销 填写题名、文号…（12 个文件）"): the menu entry and the tooltip
        # say it; the button under the table stays short, or the row of commands outgrows a 1366-wide panel
        actions["undo"].setIconText("撤销")
        actions["redo"].setIconText("重做")
        actions["fill"].setToolTip("为选中的文件（可多选）填写题名、文号、成文日期、地点等")
        actions["export"].setToolTip("把本项目（含下级项目）、某单位或全部档案的文件目录导出为 Excel，填写后可导入")
        return actions

    # -- actions ---------------------------------------------------------------------------------------------
    def _edit(self, file_ids: list, values: dict) -> None:
        try:
            self.editor.edit(file_ids, values)
        except UserError as exc:
            QMessageBox.warning(self.detail, "无法填写", str(exc))

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() >= FIRST_META and index.flags() & Qt.ItemFlag.ItemIsEditable:
            self.detail.table.edit(index)
        else:
            self.detail.open_file_at(index)

    def selected_rows(self) -> list[int]:
        """Rows of the model selected in the table, in the table's order."""
        proxy = self.detail.proxy
        rows = self.detail.table.selectionModel().selectedRows()
        return [proxy.mapToSource(index).row() for index in sorted(rows, key=lambda i: i.row())]

    def fill_selected(self) -> None:
        metas = [m for m in (self.model.meta(row) for row in self.selected_rows()) if m is not None]
        if not metas:
            QMessageBox.information(self.detail, "填写信息", "请先在表格中选中要填写的文件（可多选）")
            return
        dialog = FillDialog(metas, self.detail)
        if dialog.exec() and dialog.changes:
            self._edit([m.file_id for m in metas], dialog.changes)

    def show_captions(self) -> None:
        proxy = self.detail.proxy
        ordered = [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())]
        photos = [m for m in (self.model.meta(row) for row in ordered) if m is not None and m.is_photo]
        if not photos:
            QMessageBox.information(self.detail, "照片说明", "本项目的材料中没有照片")
            return
        chosen = {self.model.rows[row].id for row in self.selected_rows()}
        start = next((n for n, meta in enumerate(photos) if meta.file_id in chosen), 0)
        CaptionDialog(self.editor, photos, start, self.detail).exec()


def _pressed_button(action: QAction) -> QToolButton | None:
    """The button under the pointer that shows `action` (None when it came from a menu or a key)."""
    return next((w for w in action.associatedObjects() if isinstance(w, QToolButton) and w.underMouse()), None)


FEATURE = WorkspaceFeature("metadata", MetadataHooks)
