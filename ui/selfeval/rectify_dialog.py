"""Raise or edit a rectification problem: criterion, problem, responsible unit, deadline, note; and verify one."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from archive.assignments import effective_assignments, known_units
from common.errors import UserError
from selfeval import rectify
from ui.common.worker import show_error
from ui.workspace.session import ArchiveSession


class RectifyDialog(QDialog):
    """New (`item` None, optionally for `code`) or edit an existing item. `result_item` holds what was saved."""

    def __init__(self, session: ArchiveSession, parent: QWidget | None = None, code: str | None = None,
                 item: rectify.Rectification | None = None):
        super().__init__(parent)
        self.session = session
        self.item = item
        self.result_item: rectify.Rectification | None = None
        self.setWindowTitle("修改整改问题" if item else "登记整改问题")
        self.setMinimumWidth(560)
        self.criterion = QComboBox()
        self.criterion.setEditable(True)
        self.criterion.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for crit in session.criteria:
            self.criterion.addItem(f"{crit.code}  {crit.title}", crit.code)
        completer = self.criterion.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("问题描述，如：食品抽检批次未达到每千人 4 批次")
        self.text.setFixedHeight(90)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(known_units(session.archive))
        self.due = QDateEdit(QDate.currentDate().addMonths(1))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons = buttons
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("评价项目：", self.criterion)
        form.addRow("问题：", self.text)
        form.addRow("责任单位：", self.unit)
        form.addRow("整改时限：", self.due)
        form.addRow("备注：", self.note)
        form.addRow(buttons)
        self.criterion.currentIndexChanged.connect(self._defaults_for_criterion)
        self._load(code)

    def _load(self, code: str | None) -> None:
        item = self.item
        target = item.code if item else code
        index = self.criterion.findData(target) if target else -1
        self.criterion.setCurrentIndex(max(0, index))
        self._defaults_for_criterion()
        if item is not None:
            self.text.setPlainText(item.text)
            self.unit.setEditText(item.unit)
            self.due.setDate(QDate.fromString(item.due, "yyyy-MM-dd"))
            self.note.setText(item.note)

    def _defaults_for_criterion(self) -> None:
        """A new problem is the criterion's lead unit's, due by the criterion's deadline, unless changed."""
        if self.item is not None:
            return
        code = self.criterion.currentData()
        assignment = effective_assignments(self.session.archive).get(code) if code else None
        if assignment is not None:
            self.unit.setEditText(assignment.lead)
            due = QDate.fromString(assignment.due, "yyyy-MM-dd") if assignment.due else QDate()
            if due.isValid() and due >= QDate.currentDate():  # a past deadline is no deadline for a new problem
                self.due.setDate(due)

    def code(self) -> str:
        """The chosen criterion: a picked row, or a code typed at the start of the text."""
        text = self.criterion.currentText().strip()
        index = self.criterion.findText(text)
        if index >= 0:
            return self.criterion.itemData(index)
        return text.split()[0] if text else ""

    def reject(self) -> None:
        if self.buttons.isEnabled():
            super().reject()

    def accept(self) -> None:
        """Saved by the writer; the dialog closes when the problem is written and stays open when refused."""
        archive, item = self.session.archive, self.item
        values = {"code": self.code(), "text": self.text.toPlainText(), "unit": self.unit.currentText().strip(),
                  "due": self.due.date().toString("yyyy-MM-dd"), "note": self.note.text()}
        if not values["unit"]:
            show_error(self, self.windowTitle() + "失败", UserError("请填写责任单位"))
            return

        def write() -> rectify.Rectification:
            if item is None:
                return rectify.add(archive, **values)
            return rectify.update(archive, item.id, **values)

        def written(result: rectify.Rectification) -> None:
            self.result_item = result
            QDialog.accept(self)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            show_error(self, self.windowTitle() + "失败", exc)

        self.buttons.setEnabled(False)  # and reject() waits too: the write is under way
        self.session.write(self.windowTitle(), write, written, failed)


def ask_verifier(parent: QWidget, default: str) -> str | None:
    """The name of whoever checked the fix; None when cancelled."""
    name, ok = QInputDialog.getText(parent, "验证整改", "验证人：", QLineEdit.EchoMode.Normal, default)
    if not ok:
        return None
    if not name.strip():
        show_error(parent, "验证整改", UserError("请填写验证人"))
        return None
    return name.strip()
