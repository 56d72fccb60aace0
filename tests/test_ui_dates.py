"""The 时限 field (issue 16): its calendar opens at today when no date is set, and a typed date is kept."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from ui.common.widgets import DateField, parse_date
from ui.selfeval.detail_box import NO_DATE


def date_field(qtbot, **kwargs) -> DateField:
    field = DateField(NO_DATE, **kwargs)
    qtbot.addWidget(field)
    field.show()
    return field


def test_the_calendar_opens_at_today_when_no_date_is_set(qtbot):
    field = date_field(qtbot)
    assert field.edit.text() == "" and not field.is_set()
    field.menu.aboutToShow.emit()
    today = QDate.currentDate()
    assert (field.calendar.yearShown(), field.calendar.monthShown()) == (today.year(), today.month())
    field.calendar.clicked.emit(QDate(2026, 12, 20))
    assert field.date() == QDate(2026, 12, 20) and field.edit.text() == "2026-12-20"
    field.menu.aboutToShow.emit()
    assert (field.calendar.yearShown(), field.calendar.monthShown()) == (2026, 12)  # a set date opens at itself


def test_a_typed_date_is_kept(qtbot):
    field = date_field(qtbot)
    changes = []
    field.dateChanged.connect(changes.append)
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, "2026-12-20")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == QDate(2026, 12, 20) and changes == [QDate(2026, 12, 20)]
    field.edit.setText("2027年1月5日")  # QTest types Latin-1 only
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == QDate(2027, 1, 5)
    field.edit.setText("下周")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == QDate(2027, 1, 5) and field.edit.text() == "下周"  # left to correct, date unchanged
    field.edit.clear()
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == NO_DATE and not field.is_set()  # emptied: 未设定


def test_date_formats():
    assert parse_date("2026/12/20") == parse_date("20261220") == parse_date(" 2026.12.20 ") == QDate(2026, 12, 20)
    assert parse_date("2026-13-01") is None and parse_date("") is None


def test_the_hint_of_an_empty_field_is_shown_whole(qtbot):
    """"未设定（如 2026-12-20）" was cut to "未设定（如 2026-1…" by a fixed 150 px."""
    field = date_field(qtbot)
    hint = field.edit.placeholderText()
    frame_and_margins = 8  # the frame's 2 px and the text's 2 px margin, on each side
    assert field.edit.width() - frame_and_margins >= field.edit.fontMetrics().horizontalAdvance(hint)
