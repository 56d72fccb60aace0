"""Menu commands with a dialog around a core call: automap a whole evidence tree, import a revised catalogue."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from archive.links import link
from criteria.model import Criterion
from criteria.yamlio import save_yaml
from tests.conftest import small_catalogue
from tests.package_support import db_state
from tests.ui_support import (  # noqa: F401 - fixtures
    make_window,
    messages_fixture,
    settings_fixture,
    wait_for_indexer,
    wait_for_writer,
)
from ui.common import file_dialogs
from ui.window import archive_actions
from ui.window.revision_dialog import RevisionDialog


def test_automap_links_the_tree_and_reports(qtbot, settings, monkeypatch, archive, evidence):
    reports = []
    monkeypatch.setattr(file_dialogs, "get_existing_directory", staticmethod(lambda *args, **kwargs: str(evidence)))
    monkeypatch.setattr(archive_actions, "show_report", lambda parent, title, text, details, action=None:
                        reports.append((title, text, details)))
    window = make_window(qtbot, settings, archive.path)
    window.automap_action.trigger()
    qtbot.waitUntil(lambda: bool(reports), timeout=10000)
    title, text, sections = reports[0]
    assert title == "自动关联完成"
    assert text == f"在 {evidence} 下新关联 3 个文件夹，原已关联 0 个；索引中共 4 个文件。"
    lines = [line for _, section in sections for line in section]
    assert "1.1 ← 1.1 领导小组" in lines  # named under the folder chosen, not by whole paths
    assert "2.1：2.1 农残治理" in lines  # a category: its sub-folder matched 2.1.1
    assert window.session.model.index_of("1.1", 2).data() == "2"
    assert window.session.model.index_of("2.1.1", 1).data() == "已收集"


def test_the_automap_report_leads_to_suggestions_for_the_folders_it_left(qtbot, settings, monkeypatch, archive,
                                                                         evidence):
    """Departments name folders by topic ("宣传活动照片"), not by code: automap leaves them, and the report sent the
    clerk to a menu; its button now shows 关联建议 on that very folder."""
    (evidence / "宣传活动照片").mkdir()
    (evidence / "宣传活动照片" / "宣传周.txt").write_text("食品安全宣传周活动", encoding="utf-8")
    actions = []
    monkeypatch.setattr(file_dialogs, "get_existing_directory", lambda *args, **kwargs: str(evidence))
    monkeypatch.setattr(archive_actions, "show_report", lambda parent, title, text, details, action=None:
                        actions.append(action))
    window = make_window(qtbot, settings, archive.path)
    window.automap_action.trigger()
    qtbot.waitUntil(lambda: bool(actions), timeout=10000)
    [(label, show_suggestions)] = actions
    assert label == "查看关联建议…"
    show_suggestions()
    [dialog] = window.search.dialogs
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.report.roots == [str(evidence)]
    dialog.close()


def test_the_reports_button_does_what_it_says_and_only_when_clicked(qtbot, monkeypatch):
    done = []
    for click in (True, False):
        def answer(box, click=click):
            [button] = [b for b in box.buttons() if b.text() == "查看关联建议…"]
            if click:
                button.click()
        monkeypatch.setattr(QMessageBox, "exec", answer)
        archive_actions.show_report(None, "自动关联完成", "新关联 0 个文件夹", [],
                                    ("查看关联建议…", lambda: done.append(1)))
    assert done == [1]


def test_the_automap_report_shows_every_section_in_the_box(qtbot, monkeypatch):
    """The box listed its first 15 lines: 15 links filled it, and below them "以下 1 个分类文件夹未关联…" had its
    folder cut off, "……另有 5 项" counting lines of other sections. Each section now shows its first lines."""
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.informativeText(), box.detailedText())))
    linked = [f"{n} ← 县食安办/{n} 文件夹" for n in range(1, 15)]
    archive_actions.show_report(None, "自动关联完成", "新关联 14 个文件夹", [
        ("", linked), ("以下 1 个分类文件夹未关联（其子文件夹已关联到下级项目）：", ["二：二 源头治理"]),
        ("以下 6 个文件夹的名称中没有编号或标题，未关联：", [f"其他{n}" for n in range(6)])])
    brief, full = shown[0]
    assert brief.split("\n\n") == [
        "\n".join([*linked[:8], "……另有 6 个"]),
        "以下 1 个分类文件夹未关联（其子文件夹已关联到下级项目）：\n二：二 源头治理",
        "以下 6 个文件夹的名称中没有编号或标题，未关联：\n其他0\n其他1\n其他2\n其他3\n……另有 2 个"]
    assert all(line in full for line in linked) and "其他5" in full


def test_the_automap_report_names_a_contradicted_folder_with_both_items(tmp_path):
    from archive.automap import AutomapReport, Contradiction

    root = str(tmp_path / "证明材料")
    folder = f"{root}/县农业农村局/2.6 农药兽药残留治理"
    report = AutomapReport(linked=[("2.1", f"{root}/县农业农村局/2.1 农残")], contradicted=[
        Contradiction(folder, "2.6", "校园食品安全示范提升行动", "2.1", "农药兽药残留治理提升行动")],
        unmatched=[f"{root}/县教育局"])
    heading, lines = archive_actions.automap_sections(report, root)[1]
    assert archive_actions.automap_sections(report, root)[2] == (
        "以下 1 个文件夹及其子文件夹的名称中都没有编号或标题，未关联（可点“查看关联建议”按内容查看建议，"
        "或手动拖到项目上）：",
        ["县教育局"])  # a unit's folder: nothing inside it matched either (it read as if only its own name was meant)
    assert archive_actions.automap_sections(report, root)[0] == ("", ["2.1 ← 县农业农村局/2.1 农残"])
    assert heading == ("以下 1 个文件夹的编号与名称指向不同的评价项目，未关联（可能按旧版细则编号；请核对后拖到正确的"
                       "项目上，或在 档案 → 关联建议 中接受）：")
    assert lines == ["县农业农村局/2.6 农药兽药残留治理：编号 2.6 是“校园食品安全示范提升行动”，"
                     "名称与 2.1“农药兽药残留治理提升行动”相符"]


def test_import_of_a_revised_catalogue_shows_the_plan_then_keeps_links_and_reloads_the_tree(
        qtbot, settings, messages, monkeypatch, archive, tmp_path, evidence):
    link(archive, "2.2", [str(evidence / "1.2 工作方案")])  # 校园食品安全 goes: its folder stays with it
    link(archive, "1.2", [str(evidence / "1.1 领导小组")])
    revised = small_catalogue()
    revised.criteria = [c for c in revised.criteria if c.code not in ("1.1", "2.2")]  # 1.2 becomes 1.1
    revised.criteria[1].code = "1.1"
    revised.criteria.append(Criterion("2.2", "网络订餐全程管控", "2", 2, "（二）", points=6, units=["县商务局"]))
    save_yaml(revised, tmp_path / "修订细则.yaml")
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        staticmethod(lambda *args, **kwargs: (str(tmp_path / "修订细则.yaml"), "")))
    shown = []

    def approve(dialog):
        shown.append(dialog.groups())
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(RevisionDialog, "exec", approve)
    window = make_window(qtbot, settings, archive.path)
    window.import_action.trigger()
    dialog = window.import_dialog
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert "目录修订（含上级项目）：原 7 项 → 新 6 项（未变 4，改编号 1，删除 2，新增 1）" in dialog.comparison.text()
    assert window.session.model.criterion("2.2") is not None  # nothing stored before 导入
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(title == "导入完成" for title, _ in messages), timeout=10000)
    assert shown == [{"删除（2）": 2, "改编号（1）": 1, "新增（1）": 1}]
    done = next(text for title, text in messages if title == "导入完成")
    assert done == ("目录修订（含上级项目）：原 7 项 → 新 6 项（未变 4，改编号 1，删除 2，新增 1）；"
                    "随项目移动的关联 1 个")
    model = window.session.model
    assert model.criterion("1.1").title == "制定创建工作方案"
    assert model.criterion("2.2").title == "网络订餐全程管控"
    assert window.session.links_of("2.2") == []
    assert [path for path, _, _ in window.session.links_of("1.1")] == [str(evidence / "1.1 领导小组")]
    units = [window.workspace.criteria.unit.itemText(i) for i in range(window.workspace.criteria.unit.count())]
    assert "县商务局" in units and "县教育局" not in units


def test_a_revision_plan_turned_down_writes_nothing(qtbot, settings, messages, monkeypatch, archive, tmp_path):
    revised = small_catalogue()
    revised.criteria.pop()
    save_yaml(revised, tmp_path / "修订细则.yaml")
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        staticmethod(lambda *args, **kwargs: (str(tmp_path / "修订细则.yaml"), "")))
    shown = []

    def turn_down(dialog):
        shown.append(dialog)
        return QDialog.DialogCode.Rejected
    monkeypatch.setattr(RevisionDialog, "exec", turn_down)
    window = make_window(qtbot, settings, archive.path)
    wait_for_indexer(qtbot, window)  # what the window writes on its own (the text index's tables) is written now
    before = db_state(archive)
    window.import_action.trigger()
    dialog = window.import_dialog  # first the import plan, then the revision plan
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0].groups() == {"删除（1）": 1}
    shown[0].show_same.setChecked(True)
    assert shown[0].groups() == {"删除（1）": 1, "未变（6）": 6}
    wait_for_writer(qtbot)  # anything the turned-down plan had asked for would be written by now
    assert db_state(archive) == before and window.session.model.criterion("2.2") is not None
