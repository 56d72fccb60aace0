"""Small widget pieces the dialogs share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton


def browse_row(edit: QLineEdit, on_browse: Callable[[], None]) -> QHBoxLayout:
    """A path field that takes the width, with a 浏览… button after it."""
    browse = QPushButton("浏览…")
    browse.clicked.connect(on_browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row
