"""Sign-off for one criterion: who confirmed what and when, a note, 确认 / 重新确认 and 撤销确认."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from archive.status import STATE_NAMES, CriterionStatus
from ui.common.icons import state_color


class ConfirmBox(QGroupBox):
    confirm_requested = Signal(str)  # the note
    withdraw_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("确认", parent)
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
        self.confirm_button.clicked.connect(lambda: self.confirm_requested.emit(self.note.text().strip()))
        self.withdraw_button.clicked.connect(self.withdraw_requested)

    def clear(self) -> None:
        self.confirmation.clear()
        self.note.clear()

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
