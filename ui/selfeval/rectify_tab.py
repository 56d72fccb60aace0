"""The 问题整改 tab: every rectification problem with its unit, deadline and state; raise, edit, mark fixed,
verify, reopen, delete; and the evidence of the fix, linked and listed like any criterion's. Overdue problems are
red and bold. The list follows the workspace's unit choice.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive.index.scan import scan
from archive.start_folder import evidence_start
from selfeval import rectify
from ui.common import file_dialogs
from ui.common.shell import open_file
from ui.selfeval.rectify_dialog import RectifyDialog
from ui.selfeval.unit_scope import UnitScope
from ui.selfeval.verify_dialog import VerifyDialog, verified_note
from ui.workspace.evidence_model import PATH_ROLE, EvidenceModel, EvidenceProxy, evidence_rows
from ui.workspace.session import ArchiveSession

COLUMNS = ("序号", "编号", "评价项目", "问题", "责任单位", "整改时限", "状态", "逾期", "材料", "验证人", "验证时间")
WIDTHS = (44, 60, 160, 280, 110, 86, 64, 44, 44, 70, 140)
FILE_WIDTHS = (140, 120, 44, 72, 130)  # the evidence columns after the name, as in the detail panel
OVERDUE_COLOR = QColor("#c62828")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class RectifyPage(QWidget):
    criterion_activated = Signal(str)
    changed = Signal()  # problems were added, edited or removed

    def __init__(self, session: ArchiveSession, scope: UnitScope, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.scope = scope
        self.items: list[rectify.Rectification] = []
        self.looked_at = ""  # the item chosen on the 评价项目 tab: a new problem is most likely about it
        self.state = QComboBox()
        self.state.addItem("全部状态", "")
        for state, name in rectify.STATE_NAMES.items():
            self.state.addItem(name, state)
        self.only_overdue = QCheckBox("只看逾期")
        self.count = QLabel()
        self.table = self._make_table()
        self.buttons = {name: QPushButton(text) for name, text in (
            ("add", "登记问题…"), ("edit", "修改…"), ("fixed", "标记已整改"), ("verify", "验证…"),
            ("reopen", "重新打开"), ("delete", "删除…"))}
        self.links = QListWidget()
        self.link_buttons = {name: QPushButton(text) for name, text in (
            ("folder", "添加材料文件夹…"), ("files", "添加材料文件…"), ("unlink", "取消关联"))}
        self.files = EvidenceModel(self)
        self.files_proxy = EvidenceProxy(self)
        self.files_proxy.setSourceModel(self.files)
        self.file_table = QTableView()
        self._layout()
        self._connect()
        self.refresh()

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(WIDTHS):
            if column != 3:
                table.setColumnWidth(column, width)
        return table

    def _layout(self) -> None:
        filters = QHBoxLayout()  # the unit is chosen beside the tabs (the workspace's unit scope)
        filters.addWidget(self.state)
        filters.addWidget(self.only_overdue)
        filters.addStretch()
        filters.addWidget(self.count)
        actions = QHBoxLayout()
        for button in self.buttons.values():
            actions.addWidget(button)
        actions.addStretch()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(actions)
        evidence = QGroupBox("整改材料（选中问题的佐证材料，与评价项目的材料一样关联和扫描）")
        evidence_layout = QHBoxLayout(evidence)
        left = QVBoxLayout()
        left.addWidget(self.links, 1)
        link_row = QHBoxLayout()
        for button in self.link_buttons.values():
            link_row.addWidget(button)
        left.addLayout(link_row)
        evidence_layout.addLayout(left, 2)
        self.file_table.setModel(self.files_proxy)
        self.file_table.verticalHeader().setVisible(False)
        self.file_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.file_table.verticalHeader().setDefaultSectionSize(self.file_table.fontMetrics().height() + 8)
        self.file_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(FILE_WIDTHS, start=1):
            self.file_table.setColumnWidth(column, width)
        evidence_layout.addWidget(self.file_table, 3)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(evidence)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.state.currentIndexChanged.connect(lambda _: self.refresh())
        self.only_overdue.toggled.connect(lambda _: self.refresh())
        self.scope.changed.connect(lambda _: self.refresh())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        self.buttons["add"].clicked.connect(lambda: self.add())
        self.buttons["edit"].clicked.connect(self.edit)
        self.buttons["fixed"].clicked.connect(lambda: self.set_state("fixed"))
        self.buttons["verify"].clicked.connect(self.verify)
        self.buttons["reopen"].clicked.connect(lambda: self.set_state("open"))
        self.buttons["delete"].clicked.connect(self.delete)
        self.link_buttons["folder"].clicked.connect(self._add_folder)
        self.link_buttons["files"].clicked.connect(self._add_files)
        self.link_buttons["unlink"].clicked.connect(self._unlink)
        self.links.itemSelectionChanged.connect(self._update_buttons)
        self.file_table.doubleClicked.connect(lambda index: index.isValid() and open_file(self, index.data(PATH_ROLE)))
        self.session.refreshed.connect(lambda _codes: self.refresh())

    # -- the list ---------------------------------------------------------------------------------------------
    def visible_items(self) -> list[rectify.Rectification]:
        items = rectify.list_all(self.session.archive, unit=self.scope.unit or None)
        if self.state.currentData():
            items = [r for r in items if r.state == self.state.currentData()]
        if self.only_overdue.isChecked():
            items = [r for r in items if r.overdue()]
        return items

    def refresh(self) -> None:
        selected = self.selected_id()
        self.items = self.visible_items()
        files = rectify.evidence_counts(self.session.archive)
        titles = {c.code: c.title for c in self.session.criteria}
        self.table.clearSpans()
        self.table.setRowCount(len(self.items))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, item in enumerate(self.items):
            overdue = item.overdue()
            values = (str(item.id), item.code, titles.get(item.code, "（已不在目录中）"), item.text, item.unit,
                      item.due, item.state_name, "是" if overdue else "", str(files.get(item.id, 0)),
                      item.verified_by or "", item.verified_at or "")
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(ID_ROLE, item.id)
                cell.setToolTip(item.text if column == 3 else value)
                if overdue:
                    cell.setForeground(QBrush(OVERDUE_COLOR))
                    cell.setFont(bold)
                self.table.setItem(row, column, cell)
        if not self.items:
            self._empty_hint()
        overdue = sum(1 for r in self.items if r.overdue())
        self.count.setText(f"共 {len(self.items)} 个问题" + (f"，<b style='color:#c62828'>{overdue} 个逾期</b>"
                                                          if overdue else ""))
        self.select(selected)
        self._selection_changed()

    def _empty_hint(self) -> None:
        """An empty list says why (nothing registered, or nothing the filters let through), across the table."""
        filtered = bool(self.state.currentData()) or self.only_overdue.isChecked() or bool(self.scope.unit)
        text = ("没有符合筛选条件的问题（可改选“全部状态”、取消“只看逾期”或把单位改为“全部单位”）。" if filtered else
                "尚未登记整改问题。评审或自查发现问题后，点“登记问题…”记录问题、责任单位和整改时限。")
        hint = QTableWidgetItem(text)
        hint.setFlags(Qt.ItemFlag.NoItemFlags)
        self.table.setRowCount(1)
        self.table.setItem(0, 0, hint)
        self.table.setSpan(0, 0, 1, self.table.columnCount())

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), 0).data(ID_ROLE) if rows else None

    def selected(self) -> rectify.Rectification | None:
        rect_id = self.selected_id()
        return next((r for r in self.items if r.id == rect_id), None)

    def select(self, rect_id: int | None) -> None:
        for row, item in enumerate(self.items):
            if item.id == rect_id:
                self.table.selectRow(row)
                return
        self.table.clearSelection()

    def _selection_changed(self) -> None:
        self._show_evidence()
        self._update_buttons()

    def _double_clicked(self, row: int, column: int) -> None:
        if row >= len(self.items):  # the hint of an empty list
            return
        if column in (1, 2):
            self.criterion_activated.emit(self.items[row].code)
        else:
            self.edit()

    def _update_buttons(self) -> None:
        item = self.selected()
        for name in ("edit", "delete", "verify"):
            self.buttons[name].setEnabled(item is not None)
        self.buttons["fixed"].setEnabled(item is not None and item.state == "open")
        self.buttons["reopen"].setEnabled(item is not None and item.state != "open")
        self.link_buttons["folder"].setEnabled(item is not None)
        self.link_buttons["files"].setEnabled(item is not None)
        self.link_buttons["unlink"].setEnabled(bool(self.links.selectedItems()))

    # -- commands ---------------------------------------------------------------------------------------------
    def look_at(self, code: str | None) -> None:
        self.looked_at = code or ""

    def add(self, code: str | None = None) -> None:
        dialog = RectifyDialog(self.session, self, code or self.looked_at or None)
        if dialog.exec() and dialog.result_item:
            self._after_change(dialog.result_item.id, f"已登记整改问题 #{dialog.result_item.id}")

    def edit(self) -> None:
        item = self.selected()
        if item is not None:
            dialog = RectifyDialog(self.session, self, item=item)
            if dialog.exec() and dialog.result_item:
                self._after_change(item.id, f"已修改整改问题 #{item.id}")

    def set_state(self, state: str, by: str | None = None, note: str | None = None) -> None:
        item = self.selected()
        if item is None:
            return
        archive = self.session.archive
        self.session.write("更新整改状态", lambda: rectify.set_state(archive, item.id, state, by=by, note=note),
                           lambda _: self._after_change(item.id, f"整改问题 #{item.id}：{rectify.STATE_NAMES[state]}"))

    def verify(self) -> None:
        """Shows the fix's material and asks who verifies (remembered); no material, no verifying without a word
        on how it was checked (ui/selfeval/verify_dialog.py)."""
        item = self.selected()
        if item is None:
            return
        settings = self.session.settings
        rows = evidence_rows(self.session.archive, [rectify.link_code(item.id)])
        dialog = VerifyDialog(item, rows, settings.verifier or settings.confirmer, self)
        if dialog.exec() and dialog.may_verify():
            settings.verifier = dialog.verifier()  # asked once: filled in from now on
            self.set_state("verified", by=dialog.verifier(), note=verified_note(item.note or "", dialog.note_text()))
        dialog.deleteLater()

    def delete(self) -> None:
        item = self.selected()
        if item is None:
            return
        answer = QMessageBox.question(self, "删除整改问题", f"删除整改问题 #{item.id}“{item.text}”？\n\n"
                                      "只删除登记和材料关联，材料文件本身不会被删除或改动。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        archive = self.session.archive  # a refusal (e.g. a read-only medium) is shown by session.write
        self.session.write("删除整改问题", lambda: rectify.delete(archive, item.id),
                           lambda _: self._after_change(None, f"已删除整改问题 #{item.id}"))

    def _after_change(self, rect_id: int | None, message: str) -> None:
        self.refresh()
        self.select(rect_id)
        self.changed.emit()
        self.session.status_message(message)

    # -- evidence of the fix ----------------------------------------------------------------------------------
    def _show_evidence(self) -> None:
        item = self.selected()
        self.links.clear()
        if item is None:
            self.files.set_rows([])
            return
        for path, is_dir, reachable in rectify.evidence_links(self.session.archive, item.id):
            icon = QStyle.StandardPixmap.SP_DirIcon if is_dir else QStyle.StandardPixmap.SP_FileIcon
            entry = QListWidgetItem(self.style().standardIcon(icon),
                                    path + ("" if reachable and os.path.exists(path) else "（无法访问）"))
            entry.setData(Qt.ItemDataRole.UserRole, path)
            self.links.addItem(entry)
        if not self.links.count():
            hint = QListWidgetItem("尚未关联整改材料。点“添加材料文件夹…”或“添加材料文件…”。")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.links.addItem(hint)
        self.files.set_rows(evidence_rows(self.session.archive, [rectify.link_code(item.id)]))

    def link(self, paths: list[str]) -> None:
        item = self.selected()
        if item is None or not paths:
            return
        archive = self.session.archive

        def work(progress, cancel):
            added = rectify.link_evidence(archive, item.id, paths)
            return added, (scan(archive, progress, cancel, targets=added) if added else None)

        self.session.run_scanning("关联整改材料", work,
                                  lambda outcome: self.session.status_message(
                                      f"已把 {len(outcome[0])} 项关联到整改问题 #{item.id}"))

    def _start_folder(self) -> str:
        """Beside the problem's own material, else beside its item's evidence (the same department's folders)."""
        item = self.selected()
        codes = (rectify.link_code(item.id), item.code) if item is not None else ()
        return evidence_start(self.session.archive, *codes)

    def _add_folder(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "选择整改材料所在的文件夹", self._start_folder())
        if folder:
            self.link([folder])

    def _add_files(self) -> None:
        files, _ = file_dialogs.get_open_file_names(self, "选择整改材料文件", self._start_folder())
        self.link(files)

    def _unlink(self) -> None:
        item, entries = self.selected(), self.links.selectedItems()
        if item is None or not entries:
            return
        path = entries[0].data(Qt.ItemDataRole.UserRole)
        archive = self.session.archive
        self.session.run_scanning("取消关联整改材料",
                                  lambda progress, cancel: rectify.unlink_evidence(archive, item.id, path))
