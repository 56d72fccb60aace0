"""The extension points of the window (issue 14 item 3): a feature plugs its detail sections, overview boxes, tabs
and menu entries in by registering them, in order, and no feature room reaches into another widget's layout."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QLabel, QMenu, QToolBar

from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.common.extensions import WorkspaceFeature
from ui.workspace.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
FEATURE_ROOMS = ("selfeval", "metadata", "departments", "export", "search", "stages")


class Plug:
    """A feature that adds one of everything, labelled with its name."""

    def __init__(self, name: str, order: int):
        self.name, self.order = name, order

    def attach(self, workspace):
        self.section, self.box, self.tab = QLabel(f"{self.name} section"), QLabel(f"{self.name} box"), QLabel()
        workspace.add_detail_section(self.section, self.order)
        workspace.add_overview_box(self.box, self.order)
        workspace.add_tab(self.tab, f"{self.name} tab", self.order)
        return self


def workspace_with(qtbot, settings, archive, plugs: list[Plug]):
    """A second page on the window's open archive, with only these features (held by the window, which the test
    must keep: pytest-qt holds its widgets weakly)."""
    window = make_window(qtbot, settings, archive.path)
    window.extra = Workspace(window.session, [WorkspaceFeature(plug.name, plug.attach) for plug in plugs], window)
    return window


def layout_widgets(layout) -> list:
    return [layout.itemAt(n).widget() for n in range(layout.count()) if layout.itemAt(n).widget() is not None]


def test_registered_sections_boxes_and_tabs_appear_in_their_order(qtbot, settings, archive):
    late, early, tied = Plug("late", 20), Plug("early", 10), Plug("tied", 20)
    window = workspace_with(qtbot, settings, archive, [late, early, tied])
    workspace = window.extra
    detail = workspace.detail
    sections = layout_widgets(detail.sections)
    features = [widget for widget in sections if widget in (early.section, late.section, tied.section)]
    assert features == []  # in a layout of their own, not among the panel's
    own = layout_widgets(detail.feature_sections)
    assert [w.text() for w in own] == ["early section", "late section", "tied section"]
    assert sections[-1] is detail.confirm_box  # the sign-off stays last, below every feature's section
    assert [w.text() for w in layout_widgets(workspace.overview.feature_boxes)] == [
        "early box", "late box", "tied box"]
    tabs = [workspace.tabs.tabText(n) for n in range(workspace.tabs.count())]
    assert tabs == ["评价项目", "总览", "early tab", "late tab", "tied tab"]
    assert workspace.feature("early") is early and workspace.feature("missing") is None


def test_without_features_the_workspace_has_only_its_own_parts(qtbot, settings, archive):
    window = workspace_with(qtbot, settings, archive, [])
    workspace = window.extra
    assert [workspace.tabs.tabText(n) for n in range(workspace.tabs.count())] == ["评价项目", "总览"]
    assert workspace.detail.feature_sections.count() == 0
    assert workspace.tabs.cornerWidget() is None
    assert workspace.feature("selfeval") is None


def test_a_corner_widget_sits_beside_the_tabs(qtbot, settings, archive):
    window = workspace_with(qtbot, settings, archive, [])
    workspace = window.extra
    label = QLabel("单位：")
    workspace.add_corner_widget(label)
    assert workspace.tabs.cornerWidget() is label.parentWidget()


def test_the_window_plugs_in_its_features_in_order(qtbot, settings, messages, archive):
    window = make_window(qtbot, settings, archive.path)
    workspace = window.workspace
    assert [workspace.tabs.tabText(n) for n in range(workspace.tabs.count())] == ["评价项目", "总览", "问题整改"]
    assert layout_widgets(workspace.detail.feature_sections) == [workspace.feature("selfeval").box]
    boxes = layout_widgets(workspace.overview.feature_boxes)
    assert boxes == [workspace.feature("metadata").summary, workspace.feature("selfeval").summary]
    assert workspace.feature("search") is None and not hasattr(workspace, "selfeval")  # handles only by their key


def menu_texts(window, title: str) -> list[str]:
    """The entries of one menu as the clerk reads them, access letters left out (checked on their own below)."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    return ["-" if a.isSeparator() else re.sub(r"\(&.\)", "", a.menu().title() if isinstance(a.menu(), QMenu)
                                                else a.text()) for a in menu.actions()]


def test_menu_entries_land_in_their_groups(qtbot, settings, messages):
    window = make_window(qtbot, settings)
    assert [a.text() for a in window.menuBar().actions()] == [
        "文件(&F)", "档案(&A)", "视图(&V)", "自评(&S)", "阶段(&G)", "工具(&T)", "帮助(&H)"]
    assert menu_texts(window, "文件(&F)") == [
        "新建档案…", "打开档案…", "打开任务包…", "最近打开", "打开演示档案", "-", "导出…", "导出证明材料包…", "-",
        "关闭档案", "退出"]
    assert menu_texts(window, "档案(&A)") == [
        "扫描全部文件", "按文件夹名称自动关联…", "导入修订的评价细则…", "全文检索…", "关联建议…",
        "识别图片文字（OCR）…", "-", "生成单位任务包…", "导入单位材料包…", "-", "暂停文件监控"]
    assert menu_texts(window, "自评(&S)") == [
        "问题整改", "-", "自评报告…", "进度通报…", "整改台账…", "单位任务清单…", "-", "通过规则…"]
    assert menu_texts(window, "阶段(&G)") == ["冻结当前材料…", "阶段对比…", "重建某阶段材料…"]
    toolbar = ["-" if a.isSeparator() else a.iconText() for a in window.findChild(QToolBar).actions()]
    assert toolbar == ["新建档案", "打开档案", "-", "扫描全部文件", "按文件夹名称自动关联", "导出",
                       "导出证明材料包", "-", "暂停文件监控"]  # the words alone on the toolbar


def test_every_menu_entry_has_its_own_access_letter(qtbot, settings, messages):
    """Alt+F, then N: each entry of each menu, the features' included, has a letter no other entry of its menu has."""
    window = make_window(qtbot, settings)
    assert window.findChild(QToolBar).actions()[0].text() == "新建档案(&N)…"
    for top in window.menuBar().actions():
        menu = top.menu()
        texts = [a.menu().title() if isinstance(a.menu(), QMenu) else a.text()
                 for a in menu.actions() if not a.isSeparator()]
        letters = [re.search(r"&(.)", text) for text in texts]
        assert all(letters), (top.text(), texts)  # every entry has one
        found = [m.group(1).upper() for m in letters]
        assert len(set(found)) == len(found), (top.text(), texts)  # and no two share it


def test_no_feature_reaches_into_another_widget():
    """The feature rooms plug in through the extension points only: no insertion at another layout's index, no
    probing for attributes, no layouts or private members of the workspace's widgets."""
    forbidden = re.compile(r"\.layout\(\)\.|\.indexOf\(|\bhasattr\(|parentWidget\(\)\.layout|insertWidget\(|"
                           r"workspace\.(overview|criteria|tabs)\b|\.(detail|workspace|overview)\._|\bsetattr\(|"
                           r"getattr\([^)]*\"(workspace|selfeval|metadata|detail)\"")
    found = []
    for room in FEATURE_ROOMS:
        for path in sorted((ROOT / "ui" / room).glob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if forbidden.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
