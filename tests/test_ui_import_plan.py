"""The import plan in the app: a drop-down over every column; one pick rebuilds the plan with that mapping."""

from __future__ import annotations

import threading

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.common import file_dialogs
from ui.window.new_archive_dialog import NewArchiveDialog
from ui.window.revision_dialog import RevisionDialog

TIMEOUT = 10000


def pick(combo, role_name: str) -> None:
    """What a click on an entry of the drop-down does: select it and emit `activated`."""
    index = combo.findText(role_name)
    assert index >= 0, role_name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def unknown_header_table(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "细则"
    sheet.append(["序号", "具体做法", "自定分数"])
    sheet.append(["1", "成立领导小组", 2])
    sheet.append(["2", "制定方案", 3])
    book.save(path)
    return path


def test_a_refused_table_is_fixed_in_one_pick_and_nothing_is_written_before_create(qtbot, settings, tmp_path):
    source = unknown_header_table(tmp_path / "细则.xlsx")
    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.catalogue is not None, timeout=TIMEOUT)
    dialog.set_source_file(str(source))
    qtbot.waitUntil(lambda: "无法使用" in dialog.preview.summary.text(), timeout=TIMEOUT)
    assert "具体做法" in dialog.preview.summary.text() and dialog.catalogue is None
    pick(dialog.preview.combos[1], "评价内容")
    qtbot.waitUntil(lambda: dialog.catalogue is not None, timeout=TIMEOUT)
    assert [(c.code, c.title, c.points) for c in dialog.catalogue.criteria] == [("1", "成立领导小组", 2.0),
                                                                               ("2", "制定方案", 3.0)]
    assert dialog.plan.mapping == {"具体做法": "title"}
    assert [c.currentText() for c in dialog.preview.combos] == ["编号", "评价内容", "分值"]
    assert dialog.preview.combos[2].toolTip() == "按这一列的内容判断，请核对"  # 自定分数 guessed from its numbers
    assert dialog.preview.tree.topLevelItemCount() == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config", "细则.xlsx"]  # nothing written yet
    dialog.title.setText("某县")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.created_path is not None, timeout=TIMEOUT)


def test_a_wrong_role_is_corrected_and_the_plan_rebuilt(qtbot, settings, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "评价内容", "分值", "备注"])
    sheet.append(["1", "成立领导小组", 2, "县食安办"])
    book.save(tmp_path / "细则.xlsx")
    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.catalogue is not None, timeout=TIMEOUT)
    dialog.set_source_file(str(tmp_path / "细则.xlsx"))
    qtbot.waitUntil(lambda: dialog.catalogue is not None and dialog.catalogue.source == "细则.xlsx", timeout=TIMEOUT)
    assert dialog.catalogue.criteria[0].note == "县食安办"
    pick(dialog.preview.combos[3], "牵头单位")
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.mapping == {"备注": "lead"}, timeout=TIMEOUT)
    assert dialog.catalogue.criteria[0].units == ["县食安办"] and dialog.catalogue.criteria[0].note == ""
    assert dialog.preview.tree.topLevelItem(0).text(3) == "县食安办"


def test_an_items_tooltip_shows_the_columns_the_tree_has_no_room_for(qtbot, settings, tmp_path):
    """The preview's tree shows 编号, 评价项目, 分值, 责任单位, 类别: which column became the 评价细则 (or none did)
    could not be checked before the import. Hovering over an item's title now shows it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "评价内容", "评分标准", "测评方式", "分值"])
    sheet.append(["1", "成立领导小组", "未成立不得分", "查阅资料", 2])
    book.save(tmp_path / "细则.xlsx")
    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.set_source_file(str(tmp_path / "细则.xlsx"))
    qtbot.waitUntil(lambda: dialog.catalogue is not None and dialog.catalogue.source == "细则.xlsx", timeout=TIMEOUT)
    assert dialog.preview.tree.topLevelItem(0).toolTip(1) == "成立领导小组\n评价细则：未成立不得分\n测评方式：查阅资料"


def test_reimport_shows_the_plan_and_stores_only_on_import(qtbot, settings, messages, monkeypatch, archive,
                                                           tmp_path):
    source = unknown_header_table(tmp_path / "修订.xlsx")
    monkeypatch.setattr(file_dialogs, "get_open_file_name", staticmethod(lambda *args, **kwargs: (str(source), "")))
    monkeypatch.setattr(RevisionDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)  # then the revision plan
    window = make_window(qtbot, settings, archive.path)
    window.import_action.trigger()
    dialog = window.import_dialog
    qtbot.waitUntil(lambda: "无法使用" in dialog.view.summary.text(), timeout=TIMEOUT)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    pick(dialog.view.combos[1], "评价内容")
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=TIMEOUT)
    assert ok.isEnabled() and "新增" in dialog.comparison.text()
    assert window.session.model.criterion("1.1") is not None  # the old catalogue is untouched so far
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(title == "导入完成" for title, _ in messages), timeout=TIMEOUT)
    assert window.session.model.criterion("1").title == "成立领导小组"


def test_a_plan_that_comes_after_its_dialog_was_closed_is_dropped(qtbot, monkeypatch, tmp_path):
    """The clerk closes 新建档案 while its plan is still being read (the writer busy, a big table): the plan arrives
    after the dialog and its view were deleted, and is dropped. Shown into the deleted view, it raised in the Qt
    event loop (RuntimeError: Internal C++ object already deleted), in the next test when the tests ran it."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui.common.worker import run_job
    from ui.window import import_plan_view

    release = threading.Event()
    real = import_plan_view.parse_plan
    monkeypatch.setattr(import_plan_view, "parse_plan", lambda *args: release.wait(30) and real(*args))
    dialog = NewArchiveDialog(str(tmp_path))
    dialog.close()
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # gone, as the window's dialogs go
    release.set()
    ended = []
    run_job(None, "之后", lambda progress, cancel: None, ended.append, dialog=False)  # queued behind the plan
    qtbot.waitUntil(lambda: bool(ended), timeout=30000)  # the plan's end was handled (and raised nothing)


def test_the_preview_shows_each_items_kind(qtbot, tmp_path):
    """What the pass projection counts on (关键项, 否决项), to be checked before the import: read from a title here."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["序号", "评价内容", "分值"], ["1", "开展专项整治（否决项）", 10], ["2", "建立工作机制", 6]):
        sheet.append(row)
    book.save(tmp_path / "细则.xlsx")
    dialog = NewArchiveDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.set_source_file(str(tmp_path / "细则.xlsx"))
    qtbot.waitUntil(lambda: dialog.catalogue is not None and dialog.catalogue.source == "细则.xlsx", timeout=TIMEOUT)
    tree = dialog.preview.tree
    assert tree.headerItem().text(4) == "类别"
    assert [tree.topLevelItem(row).text(4) for row in range(2)] == ["否决项", ""]
