"""The Qt models over real archives: Qt's own model tester, in-place updates, filtering, sorting, drops."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl
from PySide6.QtTest import QAbstractItemModelTester

from archive.catalogue import load_catalogue
from archive.confirm import confirm
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status
from ui.workspace.evidence_model import PAGES, SIZE, SORT_ROLE, EvidenceModel, EvidenceProxy, evidence_rows
from ui.workspace.tree_model import CODE_ROLE, STATE_ROLE, CriteriaFilter, CriteriaTreeModel

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def tree_for(archive) -> CriteriaTreeModel:
    model = CriteriaTreeModel()
    model.load(load_catalogue(archive).criteria, compute_status(archive))
    return model


def visible_codes(proxy, parent=None) -> list[str]:
    parent = QModelIndex() if parent is None else parent
    codes = []
    for row in range(proxy.rowCount(parent)):
        index = proxy.index(row, 0, parent)
        codes.append(index.data(CODE_ROLE))
        codes += visible_codes(proxy, index)
    return codes


@pytest.fixture
def linked(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    scan(archive)
    return archive


def test_tree_model_passes_qt_model_tester(qtbot, linked):
    model = tree_for(linked)
    QAbstractItemModelTester(model, FATAL)
    proxy = CriteriaFilter()
    proxy.setSourceModel(model)
    QAbstractItemModelTester(proxy, FATAL)
    proxy.set_filter(text="农残")
    proxy.set_filter(state="missing", text="")
    model.load(load_catalogue(linked).criteria, compute_status(linked))  # a reset under the tester
    assert model.rowCount() == 2
    assert [model.index(r, 0).data(CODE_ROLE) for r in range(2)] == ["1", "2"]
    child = model.index(0, 0, model.index(1, 0))
    assert child.data(CODE_ROLE) == "2.1"
    assert model.parent(child).data(CODE_ROLE) == "2"
    assert model.index(0, 0, child).data(CODE_ROLE) == "2.1.1"


def test_tree_shows_state_and_counts(qtbot, linked):  # qtbot: the state icons need a QGuiApplication
    model = tree_for(linked)
    index = model.index_of("1.1")
    assert index.data() == "1.1  成立创建工作领导小组"  # printed "（一）", which names no row on its own
    assert model.index_of("1").data() == "一、组织领导"  # as printed
    assert model.index_of("1.1", 1).data() == "已收集"
    assert model.index_of("1.1", 2).data() == "2"
    assert model.index_of("1.2", 1).data() == "缺材料"
    assert model.index_of("2", 2).data() == "1"  # the parent rolls up its child's file
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()


def test_update_statuses_changes_only_rows_that_changed(qtbot, linked):
    model = tree_for(linked)
    QAbstractItemModelTester(model, FATAL)
    changed_rows = []
    model.dataChanged.connect(lambda top, bottom, roles: changed_rows.append(top.data(CODE_ROLE)))
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    confirm(linked, "1.1", by="张三")
    codes = model.update_statuses(compute_status(linked))
    assert codes == ["1.1"]  # "1" still shows 缺材料 (1.2 has nothing) and the same count: untouched
    assert changed_rows == ["1.1"]
    assert model.index_of("1.1", 1).data() == "已确认"
    assert not resets
    assert model.update_statuses(compute_status(linked)) == []


def test_filter_by_text_state_and_unit(linked):
    model = tree_for(linked)
    proxy = CriteriaFilter()
    proxy.setSourceModel(model)
    proxy.set_filter(text="快检")
    assert visible_codes(proxy) == ["2", "2.1", "2.1.1"]  # ancestors stay for context
    proxy.set_filter(text="2.2")
    assert visible_codes(proxy) == ["2", "2.2"]
    proxy.set_filter(text="二（一）")  # as a dossier of some items cites 2.1, the （一） of part 二
    assert visible_codes(proxy) == ["2", "2.1", "2.1.1"]
    proxy.set_filter(text="一（二）")
    assert visible_codes(proxy) == ["1", "1.2"]
    proxy.set_filter(text="", state="collected")
    assert "1.1" in visible_codes(proxy) and "1.2" not in visible_codes(proxy)
    proxy.set_filter(state="", unit="县教育局")
    assert visible_codes(proxy) == ["2", "2.2"]
    proxy.set_filter(unit="县市场监管局")
    assert visible_codes(proxy) == ["2", "2.1", "2.1.1"]
    proxy.set_filter(unit="")
    assert len(visible_codes(proxy)) == 7
    assert proxy.index(0, 0).data(STATE_ROLE) == "missing"  # 1.2 has nothing: its parent shows it


def test_drop_of_file_urls_asks_to_link(qtbot, linked, evidence):
    model = tree_for(linked)
    proxy = CriteriaFilter()
    proxy.setSourceModel(model)
    mime = QMimeData()
    folder = evidence / "1.2 工作方案"
    mime.setUrls([QUrl.fromLocalFile(str(folder)), QUrl("https://example.com/not-a-file")])
    target = proxy.mapFromSource(model.index_of("1.2"))
    assert proxy.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    with qtbot.waitSignal(model.link_requested) as signal:
        proxy.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    assert signal.args == ["1.2", [str(folder)]]
    assert not proxy.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, QModelIndex())  # never the root
    web_only = QMimeData()
    web_only.setUrls([QUrl("https://example.com/x.pdf")])
    assert not proxy.canDropMimeData(web_only, Qt.DropAction.CopyAction, -1, -1, target)


def test_evidence_rows_cover_the_subtree_only(linked, evidence):
    names = {Path(r.path).name for r in evidence_rows(linked, ["2", "2.1", "2.1.1", "2.2"])}
    assert names == {"台账一月.csv"}
    rows = evidence_rows(linked, ["1.1"])
    assert [Path(r.path).name for r in rows] == ["2024年第一次会议纪要.txt", "关于成立创建工作领导小组的通知.pdf"]
    assert rows[0].folder == str(Path("1.1 领导小组") / "会议纪要")  # starts at the linked folder's own name
    assert rows[1].pages == 2
    assert evidence_rows(linked, ["1.2"]) == []


def test_evidence_model_passes_tester_and_refreshes_in_place(qtbot, linked, evidence):
    model = EvidenceModel()
    QAbstractItemModelTester(model, FATAL)
    proxy = EvidenceProxy()
    proxy.setSourceModel(model)
    QAbstractItemModelTester(proxy, FATAL)
    model.set_rows(evidence_rows(linked, ["1.1"]))
    assert model.rowCount() == 2
    first_id = model.rows[0].id
    inserted, removed, changed = [], [], []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda parent, first, last: removed.append((first, last)))
    model.dataChanged.connect(lambda top, bottom, roles: changed.append(top.row()))
    folder = evidence / "1.1 领导小组"
    (folder / "新增通知.txt").write_text("新增", encoding="utf-8")
    (folder / "会议纪要" / "2024年第一次会议纪要.txt").write_text("改过的纪要，内容更长了", encoding="utf-8")
    (folder / "关于成立创建工作领导小组的通知.pdf").unlink()
    scan(linked)
    model.refresh(evidence_rows(linked, ["1.1"]))
    assert removed == [(1, 1)]
    assert changed == [0]
    assert inserted == [(1, 1)]
    assert model.rows[0].id == first_id  # the modified file kept its row
    assert sorted(model.index(r, 0).data() for r in range(2)) == ["2024年第一次会议纪要.txt", "新增通知.txt"]


def test_evidence_sorts_numbers_as_numbers(qtbot, tmp_path, archive):
    folder = tmp_path / "大小"
    folder.mkdir()
    for name, size in (("a.txt", 9), ("b.txt", 10), ("c.txt", 100000)):
        (folder / name).write_bytes(b"x" * size)
    link(archive, "1.2", [str(folder)])
    scan(archive)
    model = EvidenceModel()
    proxy = EvidenceProxy()
    proxy.setSourceModel(model)
    model.set_rows(evidence_rows(archive, ["1.2"]))
    proxy.sort(SIZE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["c.txt", "b.txt", "a.txt"]
    assert proxy.index(0, SIZE).data() == "97.7 KB"
    assert proxy.index(0, PAGES).data(SORT_ROLE) == -1  # no page count sorts before any count
