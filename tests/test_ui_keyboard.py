"""The keyboard and the context menus (issue 16): Tab leaves the evidence table in one press, Enter opens a file,
Delete unlinks (after asking), Escape clears a filter, files and links have context menus; 重新定位… points a
link that lost its folder at the folder's new place; Tab goes through the detail panel in the order it is shown."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from archive.index.scan import scan
from archive.links import link
from tests.ui_support import (  # noqa: F401 - fixtures
    make_window,
    messages_fixture,
    settings_fixture,
    wait_for_writes,
    window_on_renamed_plan,
)
from ui.common import file_dialogs
from ui.common.tab_order import takes_tab
from ui.workspace import files_box


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
    monkeypatch.setattr(files_box, "open_file", lambda parent, path: opened.append(path))
    detail.table.setFocus()
    qtbot.waitUntil(detail.table.hasFocus)
    select_row(detail.table, 0)
    qtbot.keyClick(detail.table, Qt.Key.Key_Return)
    assert opened == [detail.table.currentIndex().data(files_box.PATH_ROLE)]
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
    monkeypatch.setattr(file_dialogs, "get_existing_directory", lambda *args, **kwargs: str(moved))
    detail.links_box.links.setCurrentRow(0)
    detail.links_box.relocate_action.trigger()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已收集")
    wait_for_writes(qtbot, window.session)
    assert archive.conn.execute("SELECT code, path, reachable FROM links").fetchall() == [("1.1", str(moved), 1)]
    assert detail.proxy.rowCount() == 2


def test_relocating_a_linked_file_asks_for_a_file(qtbot, settings, archive, evidence, monkeypatch):
    window, plan, renamed, file_id = window_on_renamed_plan(qtbot, settings, archive, evidence,
                                                            "创建工作方案（定稿）.txt")
    window.session.scan_all()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.2", 1).data() == "无法访问")

    def no_folder(*args, **kwargs):
        raise AssertionError("a folder asked for a linked file")

    monkeypatch.setattr(file_dialogs, "get_existing_directory", no_folder)
    monkeypatch.setattr(file_dialogs, "get_open_file_name", lambda *args, **kwargs: (str(renamed), ""))
    box = window.workspace.detail.links_box
    box.links.setCurrentRow(0)
    box.relocate_action.trigger()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.2", 1).data() == "已收集")
    wait_for_writes(qtbot, window.session)
    assert archive.conn.execute("SELECT code, path, is_dir FROM links").fetchall() == [("1.2", str(renamed), 0)]
    assert archive.conn.execute("SELECT kind, file_id, path, old_path FROM events WHERE kind <> 'added'").fetchall() \
        == [("moved", file_id, str(renamed), str(plan))]  # the same file, renamed: no 新增


def _tab_cycle(qtbot, start: QWidget) -> list[QWidget]:
    """Every widget Tab reaches from `start` until it comes back to it (or 200 presses)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    cycle = [start]
    for _ in range(200):
        qtbot.keyClick(cycle[-1], Qt.Key.Key_Tab)
        if QApplication.focusWidget() is start:
            return cycle
        cycle.append(QApplication.focusWidget())
    raise AssertionError("Tab never came back to where it started")


def _shown_before(window, first: QWidget, second: QWidget) -> bool:
    """`first` is above `second` on screen, or on the same row (vertical centres within half the lower widget's
    height: a button beside a field sits a pixel or two higher) and to its left."""
    a, b = first.mapTo(window, QPoint(0, 0)), second.mapTo(window, QPoint(0, 0))
    a_mid, b_mid = a.y() + first.height() / 2, b.y() + second.height() / 2
    if abs(a_mid - b_mid) <= min(first.height(), second.height()) / 2:
        return a.x() < b.x()
    return a.y() < b.y()


def _label(widget: QWidget) -> str:
    """"QPushButton:确认材料齐全", "QLineEdit:按文件名筛选", "FoldingBox:评价要求": what a failure names."""
    if isinstance(widget, QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QLineEdit):
        text = widget.placeholderText()
    else:
        text = widget.title() if hasattr(widget, "title") else widget.objectName()
    return f"{type(widget).__name__}:{text}"


def test_tab_goes_through_the_detail_panel_top_to_bottom_left_to_right(qtbot, settings, archive, evidence):
    """The file commands under the table come before the 自查自评 box below them, and that before the sign-off:
    the panel's Tab stops are one run, in the order they are shown (at 1366x768, where the panel scrolls)."""
    window, detail = window_on_11(qtbot, settings, archive, evidence)
    qtbot.wait(20)  # the first fit to the (800x600 offscreen) screen has run; now the laptop's size
    window.resize(1366, 768)
    detail.links_box.links.setCurrentRow(0)  # 取消关联 enabled
    select_row(detail.table, 0)  # 打开, 在文件夹中显示 and 填写信息 enabled
    qtbot.wait(50)
    cycle = _tab_cycle(qtbot, detail.scroll)
    panel = [widget for widget in cycle if detail.isAncestorOf(widget)]
    assert cycle[:len(panel)] == panel  # one run: Tab leaves the panel once, at its end
    stops = {widget for widget in detail.findChildren(QWidget)
             if takes_tab(widget) and widget.isVisible() and widget.isEnabled() and widget.focusProxy() is None}
    assert stops <= set(panel), [_label(w) for w in stops - set(panel)]  # every shown and enabled stop is reached
    inside = panel[1:]  # after the scrolling frame itself: where each is, all read at one scroll position
    assert panel[0] is detail.scroll and all(detail.content.isAncestorOf(widget) for widget in inside)
    wrong = [(_label(a), _label(b)) for a, b in pairwise(inside) if not _shown_before(window, a, b)]
    assert wrong == []
    texts = [w.text() for w in panel if isinstance(w, QAbstractButton)]
    assert texts.index("导入目录") < texts.index("登记整改问题…") < texts.index("确认材料齐全")


def test_the_choosers_open_beside_what_is_linked_not_where_the_app_started(qtbot, settings, archive, evidence,
                                                                            monkeypatch):
    """添加文件夹… and 添加文件… opened in the working directory (on Windows the install folder)."""
    window, detail = window_on_11(qtbot, settings, archive, evidence)
    asked = []
    monkeypatch.setattr(file_dialogs, "get_existing_directory",
                        lambda parent, title, start: asked.append(start) or "")
    monkeypatch.setattr(file_dialogs, "get_open_file_names",
                        lambda parent, title, start: asked.append(start) or ([], ""))
    detail.links_box.add_folder_button.click()
    detail.links_box.add_files_button.click()
    window.workspace.criteria.select("1.2")  # nothing linked to it: where the evidence of the archive lies
    qtbot.waitUntil(lambda: detail.code == "1.2")
    detail.links_box.add_folder_button.click()
    assert asked == [str(evidence), str(evidence), str(evidence)]
    window.automap_action.trigger()  # the same QFileDialog: asked for the 总文件夹
    assert asked[-1] == str(evidence)
