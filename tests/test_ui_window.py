"""The main window on real archives: linking by drop, confirming, selection kept across refreshes, the start
screen and the new-archive dialog. Offscreen; every wait is qtbot.waitUntil on an observable effect."""

from __future__ import annotations

import warnings

import openpyxl
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from archive.index.scan import scan
from archive.links import link
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.app import parse_arguments
from ui.window.new_archive_dialog import NewArchiveDialog
from ui.workspace.confirm_dialog import ConfirmDialog
from ui.workspace.tree_model import CODE_ROLE


def links_of(archive, code: str) -> list[str]:
    return [row[0] for row in archive.conn.execute("SELECT path FROM links WHERE code = ? ORDER BY path", (code,))]


def drag_and_drop(widget, point: QPoint, paths) -> None:
    """What Explorer delivers: drag enter, drag move and drop of file URLs at `point` of `widget`."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide flags the QPoint overloads; Qt does not
        for event in (QDragEnterEvent(point, *args), QDragMoveEvent(point, *args), QDropEvent(QPointF(point), *args)):
            QApplication.sendEvent(widget, event)


def drop_on_row(view, index, paths) -> None:
    view.scrollTo(index)
    drag_and_drop(view.viewport(), view.visualRect(index).center(), paths)


def test_dropping_folders_on_a_criterion_links_and_indexes_them(qtbot, settings, archive, evidence):
    window = make_window(qtbot, settings, archive.path)
    panel = window.workspace.criteria
    target = panel.proxy.mapFromSource(window.session.model.index_of("1.2"))
    drop_on_row(panel.view, target, [evidence / "1.2 工作方案"])
    qtbot.waitUntil(lambda: window.session.model.index_of("1.2", 2).data() == "1")
    assert links_of(archive, "1.2") == [str(evidence / "1.2 工作方案")]
    assert window.session.model.index_of("1.2", 1).data() == "已收集"
    assert window.session.model.index_of("1", 2).data() == "1"


def test_detail_panel_shows_the_criterion_and_its_files(qtbot, settings, archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    detail = window.workspace.detail
    assert detail.code == "1.1"
    assert "成立创建工作领导小组" in detail.heading.text()
    assert detail.fields["points"].text() == "5 分"
    assert detail.fields["units"].text() == "县食安办"
    assert detail.links_box.links.item(0).data(Qt.ItemDataRole.UserRole) == str(evidence / "1.1 领导小组")
    names = sorted(detail.proxy.index(r, 0).data() for r in range(detail.proxy.rowCount()))
    assert names == ["2024年第一次会议纪要.txt", "关于成立创建工作领导小组的通知.pdf"]
    assert detail.summary.text().startswith("共 2 个文件")
    window.workspace.criteria.select("2.1")  # the parent of 2.1.1 with nothing linked: an empty table
    assert detail.proxy.rowCount() == 0


def test_dropping_on_the_detail_panel_links_to_the_shown_criterion(qtbot, settings, archive, evidence):
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("2.2")
    detail = window.workspace.detail
    drag_and_drop(detail, QPoint(20, 20), [evidence / "1.2 工作方案" / "创建工作方案.txt"])
    qtbot.waitUntil(lambda: detail.proxy.rowCount() == 1)
    assert links_of(archive, "2.2") == [str(evidence / "1.2 工作方案" / "创建工作方案.txt")]


def test_confirm_and_withdraw_from_the_detail_panel(qtbot, settings, archive, evidence, monkeypatch):
    monkeypatch.setattr(ConfirmDialog, "exec", lambda self: 1)  # what it shows: tests/test_ui_confirm.py
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    settings.confirmer = "李四"
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    detail = window.workspace.detail
    assert not detail.confirm_box.withdraw_button.isEnabled()
    detail.confirm_box.note.setText("已逐份核对")
    qtbot.mouseClick(detail.confirm_box.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已确认")
    row = archive.conn.execute("SELECT by, note, files, withdrawn FROM confirmations WHERE code = '1.1'").fetchone()
    assert row == ("李四", "已逐份核对", 2, None)
    assert "李四" in detail.confirm_box.confirmation.text() and "已逐份核对" in detail.confirm_box.confirmation.text()
    assert detail.confirm_box.withdraw_button.isEnabled()
    assert window.workspace.criteria.current_code() == "1.1"  # the refresh kept the selection
    qtbot.mouseClick(detail.confirm_box.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已收集")
    assert archive.conn.execute("SELECT withdrawn FROM confirmations WHERE code = '1.1'").fetchone()[0]


def test_unlink_from_the_detail_panel(qtbot, settings, messages, archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    detail = window.workspace.detail
    detail.links_box.links.item(0).setSelected(True)
    assert detail.links_box.remove_link_button.isEnabled()
    qtbot.mouseClick(detail.links_box.remove_link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.proxy.rowCount() == 0)
    assert links_of(archive, "1.1") == []
    assert (evidence / "1.1 领导小组" / "关于成立创建工作领导小组的通知.pdf").is_file()  # files are never touched
    assert messages[0][0] == "取消关联"


def test_failed_link_reports_in_chinese(qtbot, settings, messages, archive, tmp_path):
    window = make_window(qtbot, settings, archive.path)
    window.session.link("1.1", [str(tmp_path / "不存在的文件夹")])
    qtbot.waitUntil(lambda: bool(messages))
    assert messages == [("关联材料失败", f"路径不存在：{tmp_path / '不存在的文件夹'}")]


def test_filter_and_shortcuts(qtbot, settings, archive):
    window = make_window(qtbot, settings, archive.path)
    panel = window.workspace.criteria
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.scan_action.shortcut().toString() == "F5"
    assert window.export_action.shortcut().toString() == "Ctrl+E"
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    window.find_action.trigger()
    panel.search.setText("校园")  # typed through the input method: QTest cannot type Chinese keys
    codes = [panel.proxy.index(r, 0, panel.proxy.index(0, 0)).data(CODE_ROLE)
             for r in range(panel.proxy.rowCount(panel.proxy.index(0, 0)))]
    assert codes == ["2.2"]
    assert panel.count.text() == "筛选出 1 项（共 4 项）"
    panel.search.setText("防范风险")  # a category's title: its items show with it, and are counted
    shown = [panel.proxy.index(r, 0, panel.proxy.index(0, 0)).data(CODE_ROLE)
             for r in range(panel.proxy.rowCount(panel.proxy.index(0, 0)))]
    assert panel.proxy.rowCount() == 1 and shown == ["2.1", "2.2"] and panel.count.text() == "筛选出 2 项（共 4 项）"
    panel.select("1.1")  # hidden by the filter: selecting it clears the filter
    assert panel.current_code() == "1.1" and panel.search.text() == ""
    assert panel.count.text().startswith("共 4 个评价项目；")  # 1.1, 1.2, 2.1.1, 2.2: not the categories over them


def test_start_screen_lists_recent_archives(qtbot, settings, archive):
    window = make_window(qtbot, settings)
    assert window.stack.currentWidget() is window.start
    assert not window.export_action.isEnabled()
    window.open_archive(str(archive.path))
    window.close_archive()
    assert window.stack.currentWidget() is window.start
    item = window.start.recent.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == str(archive.path)
    window.start.recent_requested.emit(item.data(Qt.ItemDataRole.UserRole))
    assert window.windowTitle() == "某某县 — 迎检通"


def test_opening_a_non_archive_says_so(qtbot, settings, messages, tmp_path):
    window = make_window(qtbot, settings)
    other = tmp_path / "别的.rrdb"
    other.write_text("不是档案", encoding="utf-8")
    assert not window.open_archive(str(other))
    assert messages == [("无法打开档案", f"不是迎检通档案文件：{other}")]
    assert other.read_text(encoding="utf-8") == "不是档案"


def test_new_archive_from_template_previews_then_creates(qtbot, settings, tmp_path):
    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: dialog.catalogue is not None)
    assert dialog.preview.tree.topLevelItemCount() == 5
    assert "共 51 个评价项目" in dialog.preview.summary.text()
    assert not ok.isEnabled()  # no title yet
    dialog.title.setText("某某县创建示范城市")
    assert dialog.path.text() == str(tmp_path / "某某县创建示范城市.rrdb")
    assert not (tmp_path / "某某县创建示范城市.rrdb").exists()  # nothing before 创建
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.created_path is not None)
    assert (tmp_path / "某某县创建示范城市.rrdb").is_file()


def test_new_archive_import_shows_the_refusal_and_the_header_cells(qtbot, settings, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["序号", "具体做法", "分值"])
    sheet.append(["1", "成立领导小组", 2])
    book.save(tmp_path / "细则.xlsx")
    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.catalogue is not None)
    dialog.set_source_file(str(tmp_path / "细则.xlsx"))
    qtbot.waitUntil(lambda: "无法使用" in dialog.preview.summary.text())
    assert dialog.preview.summary.text().startswith(
        "无法使用这份评价细则：无法导入“细则.xlsx”工作表“Sheet1”：找不到评价细则的表头："
        "第 1 行的表头单元格为“序号”（编号）、“具体做法”（未识别）")
    assert dialog.preview.tree.topLevelItemCount() == 0
    assert [c.currentText() for c in dialog.preview.combos] == ["编号", "（未识别，不导入）", "分值"]
    dialog.title.setText("某县")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config", "细则.xlsx"]  # nothing was created


def test_command_line_of_the_app():
    assert parse_arguments([]).archive is None
    assert parse_arguments(["档案.rrdb"]).archive == "档案.rrdb"
    assert parse_arguments(["--demo"]).demo
