"""Small widget pieces the dialogs and panels share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)


def browse_row(edit: QLineEdit, on_browse: Callable[[], None]) -> QHBoxLayout:
    """A path field that takes the width, with a 浏览… button after it."""
    browse = QPushButton("浏览…")
    browse.clicked.connect(on_browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


def widget_action(widget: QWidget, text: str, slot: Callable[[], object], key=None) -> QAction:
    """A command of `widget`'s context menu (ActionsContextMenu), its key (`key`) working while it has the focus."""
    action = QAction(text, widget)
    if key is not None:
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(slot)
    widget.addAction(action)
    return action


def clear_on_escape(edit: QLineEdit) -> None:
    """Escape empties a filter field (and does nothing else there)."""
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), edit)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(edit.clear)


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


DATE_FORMATS = ("yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日")


def parse_date(text: str) -> QDate | None:
    """A date as a clerk types it: 2026-12-20, 2026/12/20, 2026.12.20, 20261220 or 2026年12月20日."""
    text = text.strip()
    for fmt in DATE_FORMATS:
        date = QDate.fromString(text, fmt)
        if date.isValid():
            return date
    return None


class DateField(QWidget):
    """A date typed as text (any of DATE_FORMATS) or picked in a calendar that opens at the date, or at today when
    none is set. QDateEdit was given up: typing 2026-12-20 over its 未设定 (or over a selected date) was lost,
    and its calendar opened at its minimum date. `none_date` (may be None) stands for 未设定, shown as empty."""

    dateChanged = Signal(QDate)

    def __init__(self, none_date: QDate | None = None, initial: QDate | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.none_date = none_date
        self._date = initial if initial is not None else (none_date or QDate.currentDate())
        self.edit = QLineEdit()
        hint = "未设定（如 2026-12-20）" if none_date is not None else "如 2026-12-20"
        self.edit.setPlaceholderText(hint)
        # as wide as its hint (with the frame and the text margins), never cut: "未设定（如 2026-1…" was
        self.edit.setFixedWidth(max(self.edit.fontMetrics().horizontalAdvance(hint) + 24, 110))
        self.edit.setToolTip("输入日期（如 2026-12-20），或点右侧按钮在日历中选择")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.menu = menu
        self.button = QToolButton()
        self.button.setText("日历")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        menu.aboutToShow.connect(self._open_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.edit.editingFinished.connect(self._typed)
        self._show()

    def date(self) -> QDate:
        return self._date

    def setDate(self, date: QDate) -> None:
        changed = date != self._date
        self._date = date
        self._show()
        if changed:
            self.dateChanged.emit(date)

    def is_set(self) -> bool:
        return self.none_date is None or self._date != self.none_date

    def _show(self) -> None:
        self.edit.setText(self._date.toString("yyyy-MM-dd") if self.is_set() else "")
        self.edit.setStyleSheet("")

    def _open_calendar(self) -> None:
        shown = self._date if self.is_set() else QDate.currentDate()
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())

    def _picked(self, date: QDate) -> None:
        self.menu.close()
        self.setDate(date)

    def _typed(self) -> None:
        text = self.edit.text().strip()
        if not text and self.none_date is not None:
            self.setDate(self.none_date)
        elif (date := parse_date(text)) is not None:
            self.setDate(date)
        elif text != (self._date.toString("yyyy-MM-dd") if self.is_set() else ""):
            self.edit.setStyleSheet("color:#c62828")  # kept for correction, not thrown away; the date is unchanged
            self.edit.setToolTip(f"无法识别的日期：{text}（应为 YYYY-MM-DD，如 2026-12-20）")


def ask_choice(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
               buttons: list[tuple[str, str, QMessageBox.ButtonRole]], default: str) -> str:
    """A message box with our own buttons [(key, label, role)]; returns the key of the one clicked, "" for none
    (closed with Esc or the title bar's ×)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    keys = {}
    for key, label, role in buttons:
        button = box.addButton(label, role)
        keys[id(button)] = key
        if key == default:
            box.setDefaultButton(button)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return keys.get(id(clicked), "") if clicked is not None else ""

