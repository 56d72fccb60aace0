"""The 阶段 menu: freezing through the dialog (with the size copies add shown first), the comparison dialog
showing what changed under the selected criterion since a stage, with its report, and rebuilding a stage's dossier
with the files changed since named."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from stage_support import PLAN, change_everything, prepared

from archive.metadata.store import set_values
from stages.freeze import freeze
from stages.records import list_stages
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.common import shell
from ui.stages.diff_dialog import DiffDialog
from ui.stages.freeze_dialog import FreezeDialog
from ui.stages.rebuild_dialog import RebuildDialog

TIMEOUT = 60000


@pytest.fixture
def window(qtbot, settings, messages, archive, evidence):
    prepared(archive, evidence)
    return make_window(qtbot, settings, archive.path)


def test_freeze_through_the_menu_with_copies(qtbot, window, messages, archive):
    assert window.stages.freeze.isEnabled() and window.stages.compare.isEnabled()
    window.stages.freeze.trigger()
    dialog = window.stages.dialog
    assert isinstance(dialog, FreezeDialog)
    qtbot.waitUntil(lambda: dialog.plan.text().startswith("• 将冻结 4 个评价项目、8 个文件"), timeout=TIMEOUT)
    dialog.keep_copies.setChecked(True)
    qtbot.waitUntil(lambda: "保留副本：将新增 8 个文件" in dialog.plan.text(), timeout=TIMEOUT)  # before it starts
    dialog.name.setEditText("省级初评")
    dialog.note.setText("初评前提交")
    qtbot.mouseClick(dialog.freeze_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    stage = list_stages(archive)[0]
    assert (stage.name, stage.note, stage.copies, stage.files) == ("省级初评", "初评前提交", True, 8)
    assert messages[-1][0] == "冻结完成" and "副本：新增 8 个文件" in messages[-1][1]
    window.stages.freeze.trigger()  # a second freeze under the same name is refused, with the reason
    again = window.stages.dialog
    again.name.setEditText("省级初评")
    qtbot.mouseClick(again.freeze_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("已有名为“省级初评”的阶段" in text for _, text in messages), timeout=TIMEOUT)
    assert again.freeze_button.isEnabled() and len(list_stages(archive)) == 1


def test_what_changed_under_the_selected_criterion(qtbot, window, messages, archive, evidence, tmp_path):
    freeze(archive, "自查自评")
    change_everything(archive, evidence)
    window.workspace.criteria.select("1.2")
    window.stages.compare.trigger()
    dialog = window.stages.dialog
    assert isinstance(dialog, DiffDialog) and dialog.only.isChecked()
    qtbot.waitUntil(lambda: dialog.diff is not None, timeout=TIMEOUT)
    assert [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())] == [
        "1.2 制定创建工作方案"]
    top = dialog.tree.topLevelItem(0)
    lines = [(top.child(i).text(0), top.child(i).text(1)) for i in range(top.childCount())]
    assert all(top.child(i).toolTip(0) == top.child(i).text(0) for i in range(top.childCount()))  # cut paths whole
    assert (f"新增：{PLAN}/补充说明.txt", "15 B") in lines
    assert f"删除：{PLAN}/现场照片.jpg" in [what for what, _ in lines]
    assert (f"移动/改名：{PLAN}/创建工作方案（定稿）.txt", f"原位置：{PLAN}/创建工作方案.txt") in lines
    assert any(what.startswith("整改销号：#1 方案未印发") for what, _ in lines)
    assert "1.2 及其子项：1 项有变化" in dialog.summary.text()
    dialog.only.setChecked(False)  # the whole archive
    assert dialog.tree.topLevelItemCount() == 3
    dialog.code = "2.2"  # an item that did not change: the list says where the changes are
    dialog.only.setChecked(True)
    assert [dialog.tree.topLevelItem(0).text(c) for c in (0, 1)] == [
        "2.2 及其子项没有变化", "其他 3 项有变化：取消勾选“只看当前项目”即可查看"]
    out = tmp_path / "对照.xlsx"
    dialog.write_report(str(out))
    qtbot.waitUntil(lambda: dialog.report_path is not None, timeout=TIMEOUT)
    assert load_workbook(out).sheetnames[0] == "变化汇总"
    assert messages[-1] == ("导出完成", f"已生成对照报告：{out}")


def test_the_comparison_asked_for_on_the_overview_is_of_the_whole_archive(qtbot, window, archive, evidence):
    """An item selected on the 评价项目 tab scoped the comparison asked for on the 总览 tab: "1.2 及其子项没有变化"
    while three items had changed."""
    freeze(archive, "自查自评")
    change_everything(archive, evidence)
    window.workspace.criteria.select("2.2")
    window.workspace.show_overview()
    window.stages.compare.trigger()
    dialog = window.stages.dialog
    assert isinstance(dialog, DiffDialog) and not dialog.only.isChecked() and not dialog.only.isVisible()
    qtbot.waitUntil(lambda: dialog.diff is not None, timeout=TIMEOUT)
    assert dialog.tree.topLevelItemCount() == 3
    dialog.close()
    window.workspace.show_criteria()
    window.stages.compare.trigger()
    assert window.stages.dialog.only.isChecked()  # on its tab, the item in view


def test_a_corrected_description_is_shown_in_the_comparison(qtbot, window, archive, evidence):
    freeze(archive, "省级初评")
    path = str(evidence / PLAN / "创建工作方案.txt")
    file_id = archive.conn.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()[0]
    set_values(archive, [file_id], {"title": "某县创建工作方案（印发稿）"})
    window.stages.compare.trigger()
    dialog = window.stages.dialog
    qtbot.waitUntil(lambda: dialog.diff is not None, timeout=TIMEOUT)
    top = dialog.tree.topLevelItem(0)
    assert (top.text(0), top.text(1)) == ("1.2 制定创建工作方案", "文件信息 1")
    assert (top.child(0).text(0), top.child(0).text(1)) == (
        f"文件信息：{PLAN}/创建工作方案.txt", "题名 “创建工作方案” → “某县创建工作方案（印发稿）”")
    assert "文件信息变化 1 个" in dialog.summary.text()


def test_comparison_without_stages_says_what_to_do(qtbot, window):
    window.stages.compare.trigger()
    dialog = window.stages.dialog
    assert "还没有冻结的阶段" in dialog.summary.text() and not dialog.report_button.isEnabled()


def test_rebuild_through_the_menu_names_what_changed(qtbot, window, messages, archive, evidence, tmp_path):
    freeze(archive, "自查自评", keep_copies=True)
    freeze(archive, "省级初评")
    change_everything(archive, evidence)
    window.stages.rebuild.trigger()
    dialog = window.stages.dialog
    assert isinstance(dialog, RebuildDialog)
    assert [dialog.stage.itemData(i) for i in range(dialog.stage.count())] == ["省级初评", "自查自评"]
    dialog.stage.setCurrentIndex(1)
    dialog.format.setCurrentIndex([dialog.format.itemData(i) for i in range(dialog.format.count())].index("pdf"))
    assert dialog.output.text().endswith("自查自评迎检资料汇编（重建）.pdf")
    out = tmp_path / "重建" / "自查自评.pdf"
    out.parent.mkdir()
    dialog.output.setText(str(out))
    qtbot.mouseClick(dialog.rebuild_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    assert out.read_bytes().startswith(b"%PDF") and dialog.result.restored and not dialog.result.left_out
    title, text = messages[-1]
    assert title == "重建完成" and f"已生成：{out}" in text
    assert "已从副本库取用的文件" in text and "附件正文.pdf" in text  # changed since: read from the kept copy
    assert "现场照片.jpg" in text  # deleted since: named


def test_rebuild_of_a_stage_without_copies_says_what_was_left_out(qtbot, window, messages, archive, evidence,
                                                                  tmp_path):
    freeze(archive, "自查自评")
    change_everything(archive, evidence)
    window.stages.rebuild.trigger()
    dialog = window.stages.dialog
    out = tmp_path / "自查自评.docx"
    dialog.output.setText(str(out))
    qtbot.mouseClick(dialog.rebuild_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    title, text = messages[-1]
    assert title == "重建完成" and out.is_file() and dialog.result.left_out
    assert "没有副本，未能附入的文件" in text and "现场照片.jpg" in text


def test_rebuild_without_stages_says_what_to_do(qtbot, window):
    window.stages.rebuild.trigger()
    dialog = window.stages.dialog
    assert not dialog.rebuild_button.isEnabled() and dialog.stage.count() == 0


def test_the_report_and_the_rebuild_offer_to_open_the_file_and_its_folder(qtbot, window, archive, evidence, tmp_path,
                                                                          monkeypatch):
    """Like the dossier's export: 打开文件 / 打开所在文件夹 on the completion box, and the choice is carried out."""
    answers, handed = iter(["file", "folder"]), []
    monkeypatch.setattr(shell, "completion_box", lambda parent, text, title="导出完成": next(answers))
    monkeypatch.setattr(shell.winpaths, "open_with_system", lambda path: handed.append(("open", path)))
    monkeypatch.setattr(shell.winpaths, "show_in_folder", lambda path: handed.append(("show", path)))
    freeze(archive, "自查自评")
    change_everything(archive, evidence)
    window.stages.compare.trigger()
    dialog = window.stages.dialog
    qtbot.waitUntil(lambda: dialog.diff is not None, timeout=TIMEOUT)
    report = tmp_path / "对照.docx"
    dialog.write_report(str(report))
    qtbot.waitUntil(lambda: len(handed) == 1, timeout=TIMEOUT)
    window.stages.rebuild.trigger()
    rebuilt = tmp_path / "自查自评.docx"
    window.stages.dialog.output.setText(str(rebuilt))
    qtbot.mouseClick(window.stages.dialog.rebuild_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(handed) == 2, timeout=TIMEOUT)
    assert handed == [("open", str(report)), ("show", str(rebuilt))]
