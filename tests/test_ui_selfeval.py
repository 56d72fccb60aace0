"""The self-evaluation in the app, offscreen on real archives: the 自查自评 box writes scores and units, the unit
choice filters tree, overview and problems, rectifications are raised, verified and given evidence, overdue rows
stand out, the projected result follows, and the report dialog writes a report."""

from __future__ import annotations

from datetime import date, timedelta

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from archive.assignments import effective_assignments
from archive.links import link
from selfeval import rectify
from selfeval.sheet import load_sheet
from tests.selfeval_support import PASSING, rules_archive_fixture, score_all  # noqa: F401 - fixture
from tests.ui_support import (  # noqa: F401 - fixtures
    make_window,
    messages_fixture,
    settings_fixture,
    verify_as,
    wait_for_writes,
)
from ui.common import file_dialogs
from ui.common.icons import state_color
from ui.selfeval.rectify_dialog import RectifyDialog
from ui.selfeval.report_dialog import ReportDialog
from ui.selfeval.rules_dialog import RulesDialog
from ui.selfeval.verify_dialog import VerifyDialog
from ui.workspace.tree_model import CODE_ROLE

TIMEOUT = 60000


@pytest.fixture
def window(qtbot, settings, messages, rules_archive):
    return make_window(qtbot, settings, rules_archive.path)


def visible_codes(panel) -> list[str]:
    """Codes the filtered tree shows, depth first."""
    found, stack = [], [panel.proxy.index(r, 0) for r in range(panel.proxy.rowCount())][::-1]
    while stack:
        index = stack.pop()
        found.append(index.data(CODE_ROLE))
        stack.extend([panel.proxy.index(r, 0, index) for r in range(panel.proxy.rowCount(index))][::-1])
    return found


def test_the_box_scores_within_the_points_and_saves(qtbot, window, rules_archive):
    hooks = window.workspace.feature("selfeval")
    window.workspace.criteria.select("2.2")
    box = hooks.box
    assert box.code == "2.2" and box.score.maximum() == 30 and box.score.text() == "未评分"
    assert box.kind.currentText() == "关键项（按目录）"
    box.score.setValue(40)  # the spin box is bounded by the item's points
    assert box.score.value() == 30
    box.score.setValue(24.5)
    box.note.setText("抽检批次差 2 批，扣 5.5 分")
    box.note.textEdited.emit(box.note.text())
    assert box.save_button.isEnabled()
    box.save_button.click()
    wait_for_writes(qtbot, window.session)
    item = load_sheet(rules_archive).by_code["2.2"]
    assert (item.score.points, item.score.note) == (24.5, "抽检批次差 2 批，扣 5.5 分")
    assert not box.save_button.isEnabled()
    assert "24.5" in hooks.summary.headline.text()


def test_unsaved_edits_are_saved_when_another_criterion_is_chosen(qtbot, window, rules_archive):
    box = window.workspace.feature("selfeval").box
    window.workspace.criteria.select("3.1")
    box.score.setValue(18)
    window.workspace.criteria.select("3.2")
    wait_for_writes(qtbot, window.session)
    assert load_sheet(rules_archive).by_code["3.1"].score.points == 18
    assert box.code == "3.2" and box.score.text() == "未评分"


def test_a_veto_item_without_points_is_judged_in_the_box(qtbot, window, rules_archive):
    box = window.workspace.feature("selfeval").box
    window.workspace.criteria.select("1.1")
    assert box.score_stack.currentWidget() is box.veto
    box.veto.setCurrentIndex(box.veto.findData("否决"))
    box.save()
    wait_for_writes(qtbot, window.session)
    assert load_sheet(rules_archive).by_code["1.1"].veto_failed
    summary = window.workspace.feature("selfeval").summary
    assert "不通过" in summary.result.text()
    assert any("1.1" in summary.blocking.item(i).text() for i in range(summary.blocking.count()))


def test_while_scoring_the_overview_says_unfinished_until_a_rule_is_broken(qtbot, window, rules_archive):
    summary = window.workspace.feature("selfeval").summary
    score_all(rules_archive, {"2.1": 30})
    summary.refresh()
    assert "尚未评完" in summary.result.text() and "不通过" not in summary.result.text()
    assert "都得满分则总分 110 分" in summary.headline.text()
    rows = [summary.blocking.item(i).text() for i in range(summary.blocking.count())]
    assert rows[:2] == ["待评分：2.2 食品抽检覆盖：关键项未评分（需不低于 18 分）",
                        "待评分：总分：30 分，低于 90 分（差 60 分；其中 6 项未评分，按 0 分计）"]
    score_all(rules_archive, {"2.2": 10})
    summary.refresh()
    assert "不通过" in summary.result.text()
    assert summary.blocking.item(0).text().startswith("影响通过：2.2 食品抽检覆盖：关键项得 10 分")


def test_units_and_deadline_edited_in_the_box_reach_the_tree_filter(qtbot, window, rules_archive):
    workspace = window.workspace
    workspace.criteria.select("3.2")
    box = workspace.feature("selfeval").box
    box.lead.setEditText("市生态环境局")
    box.assist.setText("市农业农村局")
    box.due.setDate(QDate(2025, 9, 30))
    assert box.save() is not None
    wait_for_writes(qtbot, window.session)
    assignment = effective_assignments(rules_archive)["3.2"]
    assert (assignment.lead, assignment.assist, assignment.due) == ("市生态环境局", ["市农业农村局"], "2025-09-30")
    corner = workspace.feature("selfeval").unit_combo
    corner.setCurrentIndex(corner.findData("市生态环境局"))
    assert workspace.criteria.unit.currentData() == "市生态环境局"  # the tree's own filter follows
    assert visible_codes(workspace.criteria) == ["3", "3.2"]
    assert "（市生态环境局）" in workspace.overview.headline.text()
    workspace.criteria.unit.setCurrentIndex(0)  # and the other way round
    assert workspace.feature("selfeval").scope.unit == "" and corner.currentText() == "全部单位"


def test_a_problem_raised_on_the_tab_is_about_the_item_looked_at(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(RectifyDialog, "exec", lambda dialog: opened.append(dialog.code()) or 0)
    window.workspace.criteria.select("2.2")
    window.workspace.feature("selfeval").problems.add()  # 登记问题… on the 问题整改 tab
    assert opened == ["2.2"]


def test_rectifications_raised_verified_and_overdue_rows_stand_out(qtbot, window, rules_archive, monkeypatch):
    hooks = window.workspace.feature("selfeval")
    page = hooks.problems
    late = (date.today() - timedelta(days=3)).isoformat()
    dialog = RectifyDialog(window.session, page, code="2.2")
    assert dialog.unit.currentText() == "市市场监管局"  # the criterion's lead unit by default
    dialog.text.setPlainText("抽检批次不足")
    dialog.due.setDate(QDate.fromString(late, "yyyy-MM-dd"))
    dialog.accept()
    wait_for_writes(qtbot, window.session)
    assert dialog.result_item is not None and dialog.result() == RectifyDialog.DialogCode.Accepted
    rectify.add(rules_archive, "3.1", "食堂未公示", unit="市教育局", due="2099-01-01")
    hooks.reload()
    assert page.table.rowCount() == 2
    overdue_cell, fine_cell = page.table.item(0, 3), page.table.item(1, 3)
    assert overdue_cell.foreground().color().name() == "#c62828" and overdue_cell.font().bold()
    assert page.table.item(0, 7).text() == "是" and not fine_cell.font().bold()
    assert "1 个逾期" in page.count.text()
    page.only_overdue.setChecked(True)
    assert page.table.rowCount() == 1
    page.only_overdue.setChecked(False)
    page.select(dialog.result_item.id)
    page.buttons["fixed"].click()
    wait_for_writes(qtbot, window.session)
    assert rectify.get(rules_archive, dialog.result_item.id).state == "fixed"
    assert page.table.item(0, 7).text() == "" and page.table.item(0, 3).font().weight() != QFont.Weight.Bold
    monkeypatch.setattr(VerifyDialog, "exec", verify_as("钱七", "现场核查，已整改"))
    page.buttons["verify"].click()
    wait_for_writes(qtbot, window.session)
    done = rectify.get(rules_archive, dialog.result_item.id)
    assert (done.state, done.verified_by) == ("verified", "钱七")
    hooks.scope.set_unit("市教育局")
    assert [page.table.item(r, 1).text() for r in range(page.table.rowCount())] == ["3.1"]


def test_rectification_evidence_is_linked_scanned_and_listed(qtbot, window, rules_archive, tmp_path):
    folder = tmp_path / "整改材料"
    folder.mkdir()
    (folder / "整改报告.txt").write_text("已整改", encoding="utf-8")
    item = rectify.add(rules_archive, "2.2", "抽检批次不足", unit="市市场监管局", due="2099-01-01")
    page = window.workspace.feature("selfeval").problems
    page.refresh()
    page.select(item.id)
    page.link([str(folder)])
    qtbot.waitUntil(lambda: page.files.rowCount() == 1, timeout=TIMEOUT)
    assert page.links.item(0).text() == str(folder)
    assert page.table.item(0, 8).text() == "1"


def test_rules_dialog_changes_the_projection(qtbot, window, rules_archive):
    score_all(rules_archive, {**PASSING, "3.2": 12})  # 85 of 100
    summary = window.workspace.feature("selfeval").summary
    summary.refresh()
    assert "不通过" in summary.result.text()
    dialog = RulesDialog(window.session, window)
    dialog.by_points.setChecked(True)
    dialog.total_points.setValue(85)
    dialog.accept()
    wait_for_writes(qtbot, window.session)
    assert dialog.result() == RulesDialog.DialogCode.Accepted
    summary.refresh()
    assert "通过" in summary.result.text() and "不通过" not in summary.result.text()
    assert "总分不低于 85 分" in summary.rules.text()


def test_the_report_dialog_writes_the_ledger_for_the_chosen_unit(qtbot, window, rules_archive, messages, tmp_path):
    rectify.add(rules_archive, "2.2", "抽检批次不足", unit="市市场监管局", due="2020-01-01")
    rectify.add(rules_archive, "3.1", "食堂未公示", unit="市教育局", due="2099-01-01")
    window.workspace.feature("selfeval").scope.set_unit("市教育局")
    dialog = ReportDialog(window.session, window.workspace.feature("selfeval").scope, window, "ledger")
    dialog.open_folder_when_done = False
    qtbot.addWidget(dialog)
    assert dialog.unit.currentData() == "市教育局" and dialog.fmt() == "xlsx"
    dialog.output.setText(str(tmp_path / "台账.xlsx"))
    dialog.output.setModified(True)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    rows = list(openpyxl.load_workbook(tmp_path / "台账.xlsx")["整改台账"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == ["食堂未公示"]
    assert messages[-1][0] == "报告已生成"


def test_task_lists_for_every_unit_into_a_folder_from_the_menu_dialog(qtbot, window, tmp_path):
    dialog = ReportDialog(window.session, window.workspace.feature("selfeval").scope, window, "tasks")
    dialog.open_folder_when_done = False
    qtbot.addWidget(dialog)
    assert dialog.per_unit.isChecked() and not dialog.unit.isEnabled()  # no unit chosen: one list per unit
    dialog.output.setText(str(tmp_path))
    dialog.output.setModified(True)
    dialog.make()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=TIMEOUT)
    assert sorted(p.name for p in tmp_path.glob("*任务清单.docx"))[:2] == ["市农业农村局任务清单.docx",
                                                                         "市委组织部任务清单.docx"]


def test_the_menu_is_enabled_only_with_an_archive(qtbot, settings, rules_archive):
    window = make_window(qtbot, settings)
    assert not window.selfeval.reports["ledger"].isEnabled()
    assert window.open_archive(str(rules_archive.path))
    assert window.selfeval.reports["ledger"].isEnabled()
    window.selfeval.problems.trigger()
    assert window.workspace.tabs.currentWidget() is window.workspace.feature("selfeval").problems


def test_the_overview_follows_the_unit_and_names_rectification_files(qtbot, window, rules_archive, tmp_path):
    from archive.index.scan import scan

    folder = tmp_path / "整改"
    folder.mkdir()
    (folder / "说明.txt").write_text("整改说明", encoding="utf-8")
    item = rectify.add(rules_archive, "3.1", "食堂未公示", unit="市教育局", due="2099-01-01")
    rectify.link_evidence(rules_archive, item.id, [str(folder)])
    scan(rules_archive)
    workspace = window.workspace
    workspace.overview.refresh()
    assert workspace.overview.feed.topLevelItem(0).text(3) == f"整改问题#{item.id}"
    workspace.feature("selfeval").scope.set_unit("市教育局")
    gaps = [workspace.overview.gaps.topLevelItem(i).text(0) for i in range(workspace.overview.gaps.topLevelItemCount())]
    assert gaps == ["3.1"]  # 市教育局 answers for 3.1 only
    assert workspace.overview.evidence_bar.maximum() == 1
    assert "市教育局：负责计分项目 1 项" in workspace.feature("selfeval").summary.unit_line.text()


def test_one_unit_filter_is_shown_and_everything_follows_it(qtbot, window, rules_archive):
    from PySide6.QtWidgets import QComboBox

    workspace = window.workspace
    for tab in (workspace.splitter, workspace.overview, workspace.feature("selfeval").problems):
        workspace.tabs.setCurrentWidget(tab)
        shown = [c for c in window.findChildren(QComboBox)
                 if c.isVisible() and c.itemText(0) == "全部单位"]
        assert shown == [workspace.feature("selfeval").unit_combo], tab  # the one beside the tabs, on every tab
    corner = workspace.feature("selfeval").unit_combo
    unit = corner.itemData(1)
    corner.setCurrentIndex(1)
    assert unit and workspace.criteria.unit.currentData() == unit
    assert f"（{unit}）" in workspace.overview.headline.text()
    assert workspace.criteria.count.text().startswith("筛选出")


def test_verifying_shows_the_material_and_asks_the_verifier_once(qtbot, window, rules_archive, tmp_path,
                                                                  monkeypatch):
    page = window.workspace.feature("selfeval").problems
    bare = rectify.add(rules_archive, "2.2", "抽检批次不足", unit="市市场监管局", due="2099-01-01", note="已约谈")
    page.refresh()
    page.select(bare.id)
    dialogs: list[VerifyDialog] = []

    def look(dialog) -> int:  # what the clerk sees, then 取消
        dialogs.append(dialog)
        return 0
    monkeypatch.setattr(VerifyDialog, "exec", look)
    page.buttons["verify"].click()
    empty = dialogs[-1]
    assert "没有整改材料" in "".join(label.text() for label in empty.findChildren(QLabel))
    empty.name.setText("钱七")
    assert not empty.ok.isEnabled()  # no material and no word on how it was checked: no verifying
    empty.note.setText("现场核查")
    assert empty.ok.isEnabled()
    assert rectify.get(rules_archive, bare.id).state == "open"  # 取消 wrote nothing

    monkeypatch.setattr(VerifyDialog, "exec", verify_as("钱七", "现场核查，已整改到位"))
    page.buttons["verify"].click()
    wait_for_writes(qtbot, window.session)
    done = rectify.get(rules_archive, bare.id)
    assert (done.state, done.verified_by) == ("verified", "钱七")
    assert done.note == "已约谈；验证：现场核查，已整改到位"  # the note typed when raised stays
    assert window.session.settings.verifier == "钱七"

    folder = tmp_path / "整改材料"
    folder.mkdir()
    (folder / "整改报告.txt").write_text("已整改", encoding="utf-8")
    (folder / "空.txt").write_bytes(b"")
    with_files = rectify.add(rules_archive, "2.2", "公示不全", unit="市市场监管局", due="2099-01-01")
    page.refresh()
    page.select(with_files.id)
    page.link([str(folder)])
    qtbot.waitUntil(lambda: page.files.rowCount() == 2, timeout=TIMEOUT)
    monkeypatch.setattr(VerifyDialog, "exec", look)
    page.buttons["verify"].click()
    shown = dialogs[-1]
    assert shown.name.text() == "钱七"  # remembered, not asked again
    assert shown.files.count() == 2 and "（" in shown.files.item(0).text()  # the empty file first, with why
    assert shown.files.item(0).foreground().color().name() == "#c62828"  # in red, as in the evidence table
    assert shown.ok.isEnabled() and shown.ok.text() == "仍然验证"


def test_the_material_choosers_open_beside_the_problems_item_evidence(qtbot, window, rules_archive, tmp_path,
                                                                      monkeypatch):
    """添加材料文件夹… opened where the app was started; the rectification's material is most likely beside the
    item's own evidence, kept by the same department."""

    unit = tmp_path / "市市场监管局"
    (unit / "2.2 抽检").mkdir(parents=True)
    (tmp_path / "其他单位").mkdir()
    link(rules_archive, "2.2", [str(unit / "2.2 抽检")])
    link(rules_archive, "1.1", [str(tmp_path / "其他单位")])
    item = rectify.add(rules_archive, "2.2", "抽检批次不足", unit="市市场监管局", due="2099-01-01")
    page = window.workspace.feature("selfeval").problems
    page.refresh()
    page.select(item.id)
    asked = []
    monkeypatch.setattr(file_dialogs, "get_existing_directory", lambda parent, title, start: asked.append(start) or "")
    monkeypatch.setattr(file_dialogs, "get_open_file_names",
                        lambda parent, title, start: asked.append(start) or ([], ""))
    page.link_buttons["folder"].click()
    page.link_buttons["files"].click()
    assert asked == [str(unit)] * 2


def test_an_empty_problem_list_says_why(qtbot, window, rules_archive):
    """Nothing registered, or nothing the filters let through: a blank grid said neither."""
    hooks = window.workspace.feature("selfeval")
    page = hooks.problems
    page.refresh()
    hint = page.table.item(0, 0)
    assert page.table.rowCount() == 1 and page.table.columnSpan(0, 0) == page.table.columnCount()
    assert hint.text().startswith("尚未登记整改问题") and hint.flags() == Qt.ItemFlag.NoItemFlags
    assert page.selected() is None and page.count.text() == "共 0 个问题"
    page.table.cellDoubleClicked.emit(0, 1)  # nothing to open
    rectify.add(rules_archive, "3.1", "食堂未公示", unit="市教育局", due="2099-01-01")
    hooks.reload()
    assert page.table.rowCount() == 1 and page.table.columnSpan(0, 0) == 1 and page.table.item(0, 1).text() == "3.1"
    page.only_overdue.setChecked(True)
    assert page.table.item(0, 0).text().startswith("没有符合筛选条件的问题")


def test_the_tables_deadline_shows_in_the_box_as_the_tables(qtbot, settings, messages, rules_archive):
    """A task-breakdown table's 完成时限 is the item's deadline until the clerk sets one: the box says where it is
    from, as it says an inherited one is the parent's."""
    with rules_archive.atomic():
        rules_archive.conn.execute("UPDATE criteria SET due = '2026-06-30' WHERE code IN ('3.1', '3')")
    window = make_window(qtbot, settings, rules_archive.path)
    box = window.workspace.feature("selfeval").box
    window.workspace.criteria.select("3.1")
    assert box.due.date() == QDate(2026, 6, 30) and box.due_hint.text() == "（按细则）"
    window.workspace.criteria.select("3.2")  # no date of its own: its part's
    assert box.due.date() == QDate(2026, 6, 30) and box.due_hint.text() == "（继承上级）"


def _gap_rows(overview) -> dict[str, tuple[str, bool]]:
    """Code -> (时限 cell, shown red) of the overview's gap list."""
    red = state_color("missing")
    items = [overview.gaps.topLevelItem(i) for i in range(overview.gaps.topLevelItemCount())]
    return {item.text(0): (item.text(3), item.foreground(3).color() == red) for item in items}


def test_the_gap_list_names_each_deadline_and_those_past(qtbot, settings, messages, rules_archive):
    """With a task table's deadlines on every item, the gap list says by when each missing item is due, and in red
    those past it: what to chase first. A deadline set in the box reaches it."""
    with rules_archive.atomic():
        rules_archive.conn.execute("UPDATE criteria SET due = '2020-06-30' WHERE code = '3.1'")
        rules_archive.conn.execute("UPDATE criteria SET due = '2999-12-31' WHERE code = '3.2'")
    window = make_window(qtbot, settings, rules_archive.path)
    overview = window.workspace.overview
    overview.refresh()
    rows = _gap_rows(overview)
    assert rows["3.1"] == ("2020-06-30（逾期）", True) and rows["3.2"] == ("2999-12-31", False)
    window.workspace.criteria.select("3.2")
    box = window.workspace.feature("selfeval").box
    box.due.setDate(QDate(2021, 1, 31))
    assert box.save() is not None
    wait_for_writes(qtbot, window.session)
    qtbot.waitUntil(lambda: _gap_rows(overview)["3.2"] == ("2021-01-31（逾期）", True), timeout=TIMEOUT)
