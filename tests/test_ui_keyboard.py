"""The keyboard and the context menus (issue 16): Tab leaves the evidence table in one press, Enter opens a file,
Delete unlinks (after asking), Escape clears a filter, files and links have context menus; 重新定位… points a
link that lost its folder at the folder's new place."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from archive.index.scan import scan
from archive.links import link
from tests.ui_support import make_window, messages_fixture, settings_fixture, wait_for_writes  # noqa: F401
from ui.workspace import detail_panel, link_box


def window_on_11(qtbot, settings, archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    window.activateWindow()
    window.workspace.criteria.select("1.1")
    return window, window.workspace.detail


def select_row(view, row: int) -> None:
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(view.model().index(row, 0), flags)


def test_tab_leaves_the_table_and_enter_opens_the_file(qtbot, settings, archive, evidence, monkeypatch):
    _window, detail = window_on_11(qtbot, settings, archive, evidence)
    opened = []
    monkeypatch.setattr(detail_panel, "open_file", lambda parent, path: opened.append(path))
    detail.table.setFocus()
    qtbot.waitUntil(detail.table.hasFocus)
    select_row(detail.table, 0)
    qtbot.keyClick(detail.table, Qt.Key.Key_Return)
    assert opened == [detail.table.currentIndex().data(detail_panel.PATH_ROLE)]
    qtbot.keyClick(detail.table, Qt.Key.Key_Tab)
    assert not detail.table.hasFocus()  # one press, not one per cell
    assert QApplication.focusWidget() is detail.file_filter
    assert [a.text() for a in detail.table.actions()][:2] == ["打开(&O)", "在文件夹中显示(&S)"]  # then metadata's


def test_delete_on_a_link_unlinks_after_asking(qtbot, settings, messages, archive, evidence):
    _window, detail = window_on_11(qtbot, settings, archive, evidence)
    assert [a.text() for a in detail.links_box.links.actions()] == ["打开(&O)", "在文件夹中显示(&S)", "取消关联(&U)",
                                                         "重新定位(&R)…"]
    detail.links_box.links.setFocus()
    qtbot.waitUntil(detail.links_box.links.hasFocus)
    detail.links_box.links.setCurrentRow(0)
    qtbot.keyClick(detail.links_box.links, Qt.Key.Key_Delete)
    assert messages and messages[0][0] == "取消关联"  # asked first (the fixture answers 是)
    qtbot.waitUntil(lambda: detail.proxy.rowCount() == 0)
    assert archive.conn.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 0


def test_escape_clears_the_filters(qtbot, settings, archive, evidence):
    window, detail = window_on_11(qtbot, settings, archive, evidence)
    for edit in (window.workspace.criteria.search, detail.file_filter):
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus)
        qtbot.keyClicks(edit, "1.1")  # QTest types Latin-1 only
        assert edit.text() == "1.1"
        qtbot.keyClick(edit, Qt.Key.Key_Escape)
        assert edit.text() == ""


def test_relocate_points_a_lost_link_at_the_new_place(qtbot, settings, archive, evidence, tmp_path, monkeypatch):
    window, detail = window_on_11(qtbot, settings, archive, evidence)
    moved = tmp_path / "新位置" / "1.1 领导小组"
    moved.parent.mkdir()
    (evidence / "1.1 领导小组").rename(moved)
    window.session.scan_all()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "无法访问")
    monkeypatch.setattr(link_box.QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(moved))
    detail.links_box.links.setCurrentRow(0)
    detail.links_box.relocate_action.trigger()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已收集")
    wait_for_writes(qtbot, window.session)
    assert archive.conn.execute("SELECT code, path, reachable FROM links").fetchall() == [("1.1", str(moved), 1)]
    assert detail.proxy.rowCount() == 2
