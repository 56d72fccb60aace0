"""Small widget pieces the dialogs and panels share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget


def browse_row(edit: QLineEdit, on_browse: Callable[[], None]) -> QHBoxLayout:
    """A path field that takes the width, with a 浏览… button after it."""
    browse = QPushButton("浏览…")
    browse.clicked.connect(on_browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


class FoldingBox(QGroupBox):
    """A group box whose title check box folds its contents away (a small screen needs the room elsewhere).
    Put the contents in `body`; `folded_changed` lets the owner remember the state."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.setCheckable(True)
        self.setChecked(True)
        self.body = QWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.addWidget(self.body)
        self.toggled.connect(self.body.setVisible)
        self.setToolTip("点击标题前的勾选框可折叠或展开")

    def folded(self) -> bool:
        return not self.isChecked()

    def set_folded(self, folded: bool) -> None:
        self.setChecked(not folded)
