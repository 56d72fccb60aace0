"""Sign-off for one criterion: who confirmed what and when (and which files changed since), a note, 确认 / 重新确认
(through the confirm dialog, which shows what is being confirmed) and 撤销确认. Writes go through the session."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from archive.changelog import changes_after
from archive.status import STATE_NAMES, CriterionStatus
from ui.common.icons import state_color
from ui.workspace.confirm_dialog import ConfirmDialog, explain_changes
from ui.workspace.evidence_model import EvidenceRow
from ui.workspace.session import ArchiveSession


class ConfirmBox(QGroupBox):
    def __init__(self, session: ArchiveSession, files: Callable[[], list[EvidenceRow]], parent: QWidget | None = None):
        """`files`: the rows the panel shows for the criterion, which the confirm dialog lists."""
        super().__init__("确认", parent)
        self.session = session
        self.files = files
        self.code: str | None = None
        self.confirmation = QLabel()
        self.confirmation.setWordWrap(True)
        self.confirmation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLineEdit()
        self.note.setPlaceholderText("确认备注（可选），如：材料已逐份核对")
        self.confirm_button = QPushButton("确认材料齐全")
        self.withdraw_button = QPushButton("撤销确认")
        layout = QVBoxLayout(self)
        layout.addWidget(self.confirmation)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.withdraw_button)
        layout.addLayout(row)
        self.confirm_button.clicked.connect(self._confirm)
        self.withdraw_button.clicked.connect(self._withdraw)

    def show_criterion(self, code: str | None) -> None:
        """The sign-off of `code` (None: empty; its state follows in show_status): the note of its confirmation
        is kept for a re-confirmation."""
        self.code = code
        status = self.session.model.status(code) if code else None
        self.note.setText(status.confirmation.note if status and status.confirmation else "")
        if code is None:
            self.confirmation.clear()

    def show_status(self, status: CriterionStatus | None) -> None:
        state = status.state if status else "missing"
        color = state_color(state).name()
        confirmation = status.confirmation if status else None
        if confirmation is not None:
            text = f"{confirmation.by or '（未署名）'} 于 {confirmation.time} 确认（{confirmation.files} 个文件）"
            if confirmation.note:
                text += f"，备注：{confirmation.note}"
            if state == "changed":
                text = f"<span style='color:{color}'><b>确认后材料有变更</b></span>：{text}。请核对后重新确认。"
            self.confirmation.setText(text)
        else:
            self.confirmation.setText(f"<span style='color:{color}'>{STATE_NAMES[state]}</span>，尚未确认")
        self.withdraw_button.setEnabled(confirmation is not None)
        self.confirm_button.setText("重新确认" if confirmation is not None else "确认材料齐全")
        self.confirm_button.setEnabled(state != "unreachable")  # the core refuses it too, with a message
        if state == "changed" and confirmation is not None:  # say which files, not only that
            what = explain_changes(self.session.archive, self.code, confirmation)
            self.confirmation.setText(f"{self.confirmation.text()}<br>变更：{what}")

    def _confirm(self) -> None:
        """Show what is being confirmed (files, problems, changes since last time) and who confirms, then confirm."""
        if not self.code:
            return
        status = self.session.model.status(self.code)
        confirmation = status.confirmation if status else None
        changes = changes_after(self.session.archive, self.code, confirmation) if confirmation else None
        crit = self.session.model.criterion(self.code)
        unlogged = explain_changes(self.session.archive, self.code, confirmation) if (
            confirmation and status.state == "changed" and not changes) else ""
        dialog = ConfirmDialog(self.code, crit.title, list(self.files()), changes, self.session.settings.confirmer,
                               self.note.text().strip(), self, unlogged)
        if dialog.exec():
            self.session.settings.confirmer = dialog.confirmer()  # asked once: filled in from now on
            self.note.setText(dialog.note_text())
            self.session.confirm(self.code, dialog.note_text(), by=dialog.confirmer())
        dialog.deleteLater()

    def _withdraw(self) -> None:
        if self.code:
            self.session.withdraw(self.code)

