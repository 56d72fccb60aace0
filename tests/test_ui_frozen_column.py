"""The evidence table's 名称 column stays at the left while the metadata columns scroll (冻结首列), offscreen on a
real archive: what lies over the table's left edge is a view of the names, row for row, that selects, sorts, widens,
opens, gives the table's menu and tooltips, and looks like the table did before anything scrolled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView, QToolTip

from archive.index.scan import scan
from archive.links import link
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.workspace import files_box

FILES = 30  # more than the table shows: it scrolls down as well as sideways


@pytest.fixture
def window(qtbot, settings, messages, archive, tmp_path):
    root = tmp_path / "材料"
    root.mkdir()
    for number in range(1, FILES + 1):
        (root / f"{number:02d} 会议纪要.txt").write_text(f"第{number}次会议", encoding="utf-8")
    link(archive, "1.1", [str(root)])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    window.activateWindow()
    window.workspace.criteria.select("1.1")
    qtbot.waitUntil(lambda: window.workspace.detail.model.rowCount() == FILES)
    return window


@pytest.fixture
def table(window) -> QTableView:
    return window.workspace.detail.table


def names_part(table: QTableView) -> QTableView:
    """The view the clerk sees over the table's left edge, under its header: the frozen names, not the table."""
    viewport = table.viewport()
    inside = viewport.mapTo(table, QPoint(5, 5))
    shown = table.childAt(inside)
    view = shown.parent() if shown is not None else None
    assert shown is not viewport and isinstance(view, QTableView) and view is not table, "no frozen column"
    return view


def names_in_table(table: QTableView) -> list[str]:
    return [table.model().index(row, 0).data() for row in range(table.model().rowCount())]


def scrolled_right(qtbot, table: QTableView) -> None:
    bar = table.horizontalScrollBar()
    assert bar.maximum() > table.columnWidth(0)  # the metadata columns do not fit: the name would scroll away
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: table.columnAt(5) != 0)  # the table's own name cells are out of view


def at_row(view: QTableView, row: int) -> QPoint:
    return view.visualRect(view.model().index(row, 0)).center()


def test_the_names_stay_at_the_left_row_for_row_when_the_table_scrolls(qtbot, window, table):
    scrolled_right(qtbot, table)
    names = names_part(table)
    assert names.isVisible() and names.x() == table.viewport().x() and names.width() == table.columnWidth(0)
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    qtbot.waitUntil(lambda: names.verticalScrollBar().value() == bar.value())
    for y in range(2, table.viewport().height(), 7):  # the same row at every height, in either view
        row = table.rowAt(y)
        assert names.rowAt(y) == row
        if row >= 0:
            assert names.indexAt(QPoint(5, y)).data() == table.model().index(row, 0).data()
    window.workspace.detail.file_filter.setText("07")
    qtbot.waitUntil(lambda: names.model().rowCount() == 1)
    assert names.indexAt(at_row(names, 0)).data() == "07 会议纪要.txt"


def test_a_click_on_a_name_selects_its_row_in_the_table_and_keeps_the_columns(qtbot, window, table):
    scrolled_right(qtbot, table)
    sideways = table.horizontalScrollBar().value()
    names = names_part(table)
    qtbot.mouseClick(names.viewport(), Qt.MouseButton.LeftButton, pos=at_row(names, 2))
    assert [index.row() for index in table.selectionModel().selectedRows()] == [2]
    assert table.currentIndex().row() == 2
    assert table.horizontalScrollBar().value() == sideways  # the clerk stays at the metadata she scrolled to
    qtbot.waitUntil(table.hasFocus)  # the keys go on in the table; the names take no Tab stop
    assert not names.focusPolicy() & Qt.FocusPolicy.TabFocus
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 3 and table.horizontalScrollBar().value() == sideways
    for _ in range(FILES):  # down past the rows shown: the names scroll with the table, the row stays in view
        QTest.keyClick(table, Qt.Key.Key_Down)
    current = table.currentIndex()
    assert current.row() == FILES - 1 and table.horizontalScrollBar().value() == sideways
    assert names.viewport().rect().contains(names.visualRect(current).center())
    assert table.verticalScrollBar().value() > 0


def test_moving_left_never_leaves_the_cell_under_the_names(qtbot, window, table):
    scrolled_right(qtbot, table)
    names = names_part(table)
    table.setFocus()
    last = table.model().columnCount() - 1
    table.setCurrentIndex(table.model().index(0, last))
    for column in range(last - 1, 0, -1):
        QTest.keyClick(table, Qt.Key.Key_Left)
        assert table.currentIndex().column() == column
        assert table.visualRect(table.currentIndex()).left() >= names.width()  # wholly right of the names


def test_the_names_header_sorts_the_table_and_shows_the_order(qtbot, window, table):
    scrolled_right(qtbot, table)
    before = names_in_table(table)
    assert before == sorted(before)
    header = names_part(table).horizontalHeader()
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == 0
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, header.height() // 2))
    assert names_in_table(table) == before[::-1]
    assert table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert header.height() == table.horizontalHeader().height()


def test_the_names_follow_the_column_width_and_the_row_heights(qtbot, window, table):
    names = names_part(table)
    table.setColumnWidth(0, 300)
    assert names.width() == 300 and names.columnWidth(0) == 300
    table.setRowHeight(1, 50)
    assert names.rowHeight(1) == 50
    scrolled_right(qtbot, table)
    header = names.horizontalHeader()  # the table's own edge of 名称 is out of view: the clerk drags this one
    edge = QPoint(header.sectionSize(0) - 1, header.height() // 2)
    QTest.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=edge)
    QTest.mouseMove(header.viewport(), edge + QPoint(60, 0))
    QTest.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=edge + QPoint(60, 0))
    assert table.columnWidth(0) == 360 and names.width() == 360


def test_a_double_click_on_a_name_opens_the_file(qtbot, window, table, monkeypatch):
    opened = []
    monkeypatch.setattr(files_box, "open_file", lambda parent, path: opened.append(path))
    scrolled_right(qtbot, table)
    names = names_part(table)
    at = at_row(names, 4)
    qtbot.mouseClick(names.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a double click's first press
    qtbot.mouseDClick(names.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert opened == [table.model().index(4, 0).data(files_box.PATH_ROLE)]
    assert opened[0].endswith("05 会议纪要.txt")


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # the menu, offscreen
def test_a_right_click_on_a_name_gives_the_table_menu(qtbot, window, table):
    scrolled_right(qtbot, table)
    names = names_part(table)
    shown: list[list[str]] = []

    def read_and_close():
        menu = QApplication.activePopupWidget()
        shown.append([action.text() for action in menu.actions()] if menu is not None else [])
        if menu is not None:
            menu.close()

    QTimer.singleShot(0, read_and_close)
    at = at_row(names, 1)
    QApplication.sendEvent(names.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, at, names.viewport().mapToGlobal(at)))
    assert shown == [[action.text() for action in table.actions()]]
    assert "打开(&O)" in shown[0] and "填写信息…" in shown[0]


def test_a_name_shows_its_path_as_a_tooltip(qtbot, window, table):
    scrolled_right(qtbot, table)
    names = names_part(table)
    at = at_row(names, 0)
    QApplication.sendEvent(names.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, names.viewport().mapToGlobal(at)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == table.model().index(0, 0).data(files_box.PATH_ROLE)
    QToolTip.hideText()


def test_unscrolled_the_table_looks_as_it_did_without_the_frozen_names(qtbot, window, table):
    names = names_part(table)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.selectRow(2)
    QTest.keyClick(table, Qt.Key.Key_Down)  # a selected row, the current name with the keyboard's focus frame
    assert table.currentIndex().row() == 3 and table.currentIndex().column() == 0
    shown = table.grab().toImage()
    names.hide()  # what the table draws by itself underneath: the look before the names were frozen
    plain = table.grab().toImage()
    names.show()
    assert shown == plain


def test_another_item_is_shown_from_its_first_columns_and_the_same_item_keeps_its_scroll(qtbot, window, table):
    """Scrolled to the photo columns on one item, the next item opened (from 查看有问题的材料, say) showed its files
    there too, its 问题 column out of sight."""
    scrolled_right(qtbot, table)
    sideways = table.horizontalScrollBar().value()
    window.workspace.detail.show_criterion("1.1")  # the same item shown again (a refresh) keeps where it is
    assert table.horizontalScrollBar().value() == sideways
    window.workspace.criteria.select("1.2")
    qtbot.waitUntil(lambda: window.workspace.detail.code == "1.2")
    assert table.horizontalScrollBar().value() == 0


def test_a_cell_edited_at_the_tables_edge_comes_whole_into_view(qtbot, window, table):
    """A double click on a 题名 cell half out of sight opened its editor there: the title was typed into the width
    of its last few characters."""
    window.resize(1366, 768)
    edge = table.viewport().width()
    model = table.model()
    column = next(c for c in range(model.columnCount())
                  if table.visualRect(model.index(0, c)).left() < edge < table.visualRect(model.index(0, c)).right()
                  and model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable)
    cell = model.index(0, column)
    at = QPoint(edge - 10, table.visualRect(cell).center().y())
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: table.state() == QTableView.State.EditingState)
    shown = table.visualRect(cell)
    assert shown.left() >= table.columnWidth(0) and shown.right() < edge  # beside the names, not under them
    table.closePersistentEditor(cell)
