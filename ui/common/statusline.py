"""Status-bar messages that fit: a message wider than the room the bar's own widgets (监控中, the text-extraction
count) leave is elided in the middle, its start and end kept (what happened, and the file or folder it happened to),
and the whole of it is the bar's tooltip. Shown as it came, a long message ran under those widgets and lost its end:
"…可在该项目的关联列表上方重新" under "监控中"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar, QWidget

MARGIN = 24  # the bar's own spacing around the message and between its widgets


def show_message(bar: QStatusBar, text: str, timeout: int) -> None:
    if not bar.property("clears_tooltip"):  # the whole text goes with the message it belongs to
        bar.setProperty("clears_tooltip", True)
        bar.messageChanged.connect(lambda message: message or bar.setToolTip(""))
    shown = bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, message_room(bar))
    bar.setToolTip(text if shown != text else "")
    bar.showMessage(shown, timeout)


def whole_message(bar: QStatusBar) -> str:
    """The message the bar shows, in full (elided or not)."""
    return bar.toolTip() or bar.currentMessage()


def message_room(bar: QStatusBar) -> int:
    """The width a message may take: the bar's, less its visible widgets'."""
    taken = sum(child.width() for child in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if child.isVisible())
    return max(120, bar.width() - taken - MARGIN)
