"""Menu commands with a dialog around a core call: automap a whole evidence tree, import a revised catalogue."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from criteria.model import Criterion
from criteria.yamlio import save_yaml
from tests.conftest import small_catalogue
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.window import archive_actions


def test_automap_links_the_tree_and_reports(qtbot, settings, monkeypatch, archive, evidence):
    reports = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: str(evidence)))
    monkeypatch.setattr(archive_actions, "show_report", lambda parent, title, text, details: reports.append(
        (title, text, details)))
    window = make_window(qtbot, settings, archive.path)
    window.automap_action.trigger()
    qtbot.waitUntil(lambda: bool(reports), timeout=10000)
    title, text, details = reports[0]
    assert title == "自动关联完成"
    assert text == "新关联 4 个文件夹，原已关联 0 个；索引中共 4 个文件。"
    assert f"1.1 ← {evidence / '1.1 领导小组'}" in details
    assert window.session.model.index_of("1.1", 2).data() == "2"
    assert window.session.model.index_of("2.1.1", 1).data() == "已收集"


def test_import_of_a_revised_catalogue_keeps_links_and_reloads_the_tree(qtbot, settings, messages, monkeypatch,
                                                                       archive, tmp_path):
    revised = small_catalogue()
    revised.criteria = [c for c in revised.criteria if c.code != "2.2"]
    revised.criteria.append(Criterion("2.3", "网络订餐全程管控", "2", 2, "（三）", points=6, units=["县商务局"]))
    save_yaml(revised, tmp_path / "修订细则.yaml")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(tmp_path / "修订细则.yaml"), "")))
    window = make_window(qtbot, settings, archive.path)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: any(title == "导入完成" for title, _ in messages), timeout=10000)
    question = next(text for title, text in messages if title == "导入修订的评价细则")
    assert "新增 1 项，沿用 6 项，当前目录中有 1 项不在新表中" in question
    model = window.session.model
    assert model.criterion("2.3").title == "网络订餐全程管控"
    assert model.criterion("2.2") is None
    units = [window.workspace.criteria.unit.itemText(i) for i in range(window.workspace.criteria.unit.count())]
    assert "县商务局" in units and "县教育局" not in units
