"""A burst of changes on disk reaches the window as data: only the rows it names change, the same as a full
recompute would show; the evidence table reloads only when it shows an affected criterion."""

from __future__ import annotations

import shutil

from archive.changelog import log_entries
from archive.confirm import confirm
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status
from tests.ui_support import make_window, settings_fixture  # noqa: F401 - fixtures
from ui.workspace import detail_panel
from ui.workspace.overview import EVENT_NAMES

TIMEOUT = 15000  # the monitor's quiet period plus its reconcile; generous for a loaded CI machine


def _window(qtbot, settings, archive, evidence, monkeypatch):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    scan(archive)
    confirm(archive, "1.1", by="张三")
    settings.quiet_period = 0.2
    window = make_window(qtbot, settings, archive.path, monitor=True)
    qtbot.waitUntil(lambda: window.monitor_label.text() == "监控中", timeout=TIMEOUT)
    reads = []  # the codes of every evidence-table read
    original = detail_panel.evidence_rows
    monkeypatch.setattr(detail_panel, "evidence_rows",
                        lambda arc, codes, *more: reads.append(codes) or original(arc, codes, *more))
    return window, reads


def _shown(model) -> dict:
    return {code: (node.status.state, node.status.files, node.status.bytes, node.status.problems)
            for code, node in model.nodes.items()}


def _full(archive) -> dict:
    return {s.code: (s.state, s.files, s.bytes, s.problems) for s in compute_status(archive)}


def test_a_burst_updates_the_rows_it_names_as_a_full_recompute_would(qtbot, settings, archive, evidence, monkeypatch):
    window, reads = _window(qtbot, settings, archive, evidence, monkeypatch)
    model, detail = window.session.model, window.workspace.detail
    window.workspace.criteria.select("1.2")  # not touched by the burst below
    assert detail.proxy.rowCount() == 1
    reads.clear()
    resets, touched = [], set()
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda first, last: touched.add(first.internalPointer().code))
    leaders, ledger = evidence / "1.1 领导小组", evidence / "2.1 农残治理" / "1. 快检台账"
    for number in range(12):  # added
        (leaders / f"补充材料{number}.txt").write_text(f"补充{number}", encoding="utf-8")
    with open(leaders / "会议纪要" / "2024年第一次会议纪要.txt", "a", encoding="utf-8") as handle:  # modified
        handle.write("会后补记")
    (leaders / "关于成立创建工作领导小组的通知.pdf").unlink()  # removed
    shutil.move(leaders / "补充材料0.txt", ledger / "补充材料0.txt")  # moved to another criterion
    qtbot.waitUntil(lambda: _shown(model) == _full(archive) and model.status("1.1").files == 12, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not window.session.reader.busy and not window.session.pending_changes, timeout=TIMEOUT)
    assert _shown(model) == _full(archive)
    assert model.index_of("1.1", 1).data() == "确认后有变更"
    assert model.index_of("1", 1).data() == "确认后有变更"  # the parent rolls up its child's state
    assert model.index_of("2.1", 2).data() == "2" and model.index_of("2", 2).data() == "2"
    assert not resets  # updated in place
    assert touched <= {"1.1", "1", "2.1.1", "2.1", "2"}  # 1.2 and 2.2 were not touched
    assert "1.1" in touched and "2.1.1" in touched
    assert not reads  # 1.2's evidence table was not read again
    assert detail.proxy.rowCount() == 1
    feed = window.workspace.overview.feed  # the burst's entries went on top of the feed, newest first
    logged = [(EVENT_NAMES[e["kind"]], e["path"]) for e in reversed(log_entries(archive))]
    shown = [(feed.topLevelItem(n).text(1), feed.topLevelItem(n).toolTip(2).split("→ ")[-1])
             for n in range(feed.topLevelItemCount())]
    assert shown == logged and len(shown) > 14


def test_the_evidence_table_of_an_affected_criterion_follows(qtbot, settings, archive, evidence, monkeypatch):
    window, reads = _window(qtbot, settings, archive, evidence, monkeypatch)
    detail = window.workspace.detail
    window.workspace.criteria.select("1")  # a parent: its table lists its children's files
    assert detail.proxy.rowCount() == 3
    reads.clear()
    (evidence / "1.2 工作方案" / "补充方案.txt").write_text("补充", encoding="utf-8")
    qtbot.waitUntil(lambda: detail.proxy.rowCount() == 4, timeout=TIMEOUT)
    assert reads and all("1" in codes for codes in reads)
    assert window.session.model.index_of("1", 2).data() == "4"
