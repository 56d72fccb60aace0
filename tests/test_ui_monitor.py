"""The monitor inside the open window: real files change on disk, the window follows in place."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel

from archive.confirm import confirm
from archive.index.scan import scan
from archive.links import link
from tests.ui_support import make_window, settings_fixture  # noqa: F401 - fixtures
from ui.common.statusline import whole_message
from ui.workspace.evidence_model import PATH_ROLE

TIMEOUT = 15000  # the monitor's quiet period plus its reconcile; generous for a loaded CI machine


def watched_window(qtbot, settings, archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    settings.quiet_period = 0.2
    window = make_window(qtbot, settings, archive.path, monitor=True)
    qtbot.waitUntil(lambda: window.monitor_label.text() == "监控中", timeout=TIMEOUT)
    return window


def test_a_new_file_shows_up_in_place(qtbot, settings, archive, evidence):
    window = watched_window(qtbot, settings, archive, evidence)
    window.workspace.criteria.select("1.1")
    detail = window.workspace.detail
    assert detail.proxy.rowCount() == 2
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    detail.table.selectionModel().setCurrentIndex(detail.proxy.index(1, 0), flags)
    chosen = detail.table.currentIndex().data(PATH_ROLE)
    resets = []
    detail.model.modelReset.connect(lambda: resets.append(True))
    window.session.model.modelReset.connect(lambda: resets.append(True))
    (evidence / "1.1 领导小组" / "补充通知.txt").write_text("补充", encoding="utf-8")
    qtbot.waitUntil(lambda: detail.proxy.rowCount() == 3, timeout=TIMEOUT)
    assert window.session.model.index_of("1.1", 2).data() == "3"
    assert window.workspace.criteria.current_code() == "1.1"
    assert detail.table.currentIndex().data(PATH_ROLE) == chosen  # the user's row is still selected
    assert not resets  # updated in place, not reloaded
    feed = window.workspace.overview.feed
    assert feed.topLevelItem(0).text(1) == "新增" and feed.topLevelItem(0).text(2) == "补充通知.txt"


def test_a_change_under_a_confirmed_criterion_is_announced(qtbot, settings, archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    confirm(archive, "1.1", by="张三")
    window = watched_window(qtbot, settings, archive, evidence)
    banner = window.workspace.banner
    assert window.session.model.index_of("1.1", 1).data() == "已确认"
    assert not banner.isVisible()
    with open(evidence / "1.1 领导小组" / "会议纪要" / "2024年第一次会议纪要.txt", "a", encoding="utf-8") as handle:
        handle.write("会后补记")
    qtbot.waitUntil(banner.isVisible, timeout=TIMEOUT)
    assert window.session.model.index_of("1.1", 1).data() == "确认后有变更"
    assert "1.1 成立创建工作领导小组" in banner.label.text()
    assert banner.codes == ["1.1"]
    banner.label.linkActivated.emit("1.1")  # the link in the banner leads to the criterion
    assert window.workspace.criteria.current_code() == "1.1"
    assert "确认后材料有变更" in window.workspace.detail.confirm_box.confirmation.text()


@pytest.mark.slow
def test_status_bar_follows_the_monitor(qtbot, settings, archive, evidence, tmp_path):
    window = watched_window(qtbot, settings, archive, evidence)
    window.pause_action.trigger()
    qtbot.waitUntil(lambda: window.monitor_label.text() == "已暂停", timeout=TIMEOUT)
    window.pause_action.trigger()
    qtbot.waitUntil(lambda: window.monitor_label.text() == "监控中", timeout=TIMEOUT)
    (evidence / "1.1 领导小组").rename(tmp_path / "挪走了")  # a share that went offline looks like this
    qtbot.waitUntil(lambda: window.monitor_label.text() == "1 个文件夹无法访问", timeout=TIMEOUT)
    assert "无法访问" in window.monitor_label.toolTip()


def test_a_users_scan_pauses_the_monitor_and_resumes_it(qtbot, settings, archive, evidence):
    window = watched_window(qtbot, settings, archive, evidence)
    window.scan_action.trigger()
    qtbot.waitUntil(lambda: whole_message(window.statusBar()).startswith("扫描完成"), timeout=TIMEOUT)
    assert "共 2 个文件" in whole_message(window.statusBar())
    qtbot.waitUntil(lambda: window.monitor_label.text() == "监控中", timeout=TIMEOUT)
    (evidence / "1.1 领导小组" / "再补充.txt").write_text("再补充", encoding="utf-8")
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 2).data() == "3", timeout=TIMEOUT)


def test_folder_availability_reaches_the_tree_without_a_rescan(qtbot, settings, archive, evidence, tmp_path):
    """A linked folder renamed away turns its item 无法访问, and back 已收集, within the monitor's root check."""
    window = watched_window(qtbot, settings, archive, evidence)
    model = window.session.model
    assert model.index_of("1.1", 1).data() == "已收集"
    (evidence / "1.1 领导小组").rename(tmp_path / "改了名")
    qtbot.waitUntil(lambda: model.index_of("1.1", 1).data() == "无法访问", timeout=TIMEOUT)
    (tmp_path / "改了名").rename(evidence / "1.1 领导小组")
    qtbot.waitUntil(lambda: model.index_of("1.1", 1).data() == "已收集", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.monitor_label.text() == "监控中", timeout=TIMEOUT)
