"""What a scan started from the window leaves to the UI thread: the statuses are worked out on the writer with the
scan, and the tree hears of many changed rows in one signal (bench/ui_bench.py measures the UI thread's gaps)."""

from __future__ import annotations

import threading

from PySide6.QtTest import QAbstractItemModelTester

from archive.catalogue import load_catalogue, store_catalogue
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status
from archive.status_delta import Standing
from criteria.model import Catalogue, Criterion
from tests.ui_support import make_window, settings_fixture, wait_for_writes  # noqa: F401 - fixtures
from ui.workspace import session as session_module
from ui.workspace.tree_model import BULK_ROWS, CODE_ROLE, CriteriaTreeModel

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def test_a_scan_from_the_window_computes_statuses_on_the_writer(qtbot, settings, archive, evidence, monkeypatch):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    window = make_window(qtbot, settings, archive.path)
    threads: list[str] = []

    load = Standing.load

    def recorded(arc):
        threads.append(threading.current_thread().name)
        return load(arc)

    monkeypatch.setattr(session_module.Standing, "load", recorded)
    window.session.scan_all()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 2).data() == "2")
    wait_for_writes(qtbot, window.session)
    assert threads and threading.main_thread().name not in threads  # the UI thread only applies them


def test_many_changed_rows_are_one_layout_signal_and_few_are_one_per_parent(qtbot, tmp_path, evidence):
    from archive.db import create_archive

    parents = [Criterion(str(p), f"类别{p}") for p in range(1, 4)]
    leaves = [Criterion(f"{p}.{n}", f"项目{p}.{n}", parent=str(p), level=2) for p in range(1, 4) for n in range(1, 16)]
    with create_archive(tmp_path / "多项.rrdb", "某某县") as arc:
        store_catalogue(arc, Catalogue("多项目录", parents + leaves))
        model = CriteriaTreeModel()
        model.load(load_catalogue(arc).criteria, compute_status(arc))
        QAbstractItemModelTester(model, FATAL)
        signals: list[tuple] = []
        model.dataChanged.connect(lambda top, bottom, roles: signals.append(
            ("data", top.data(CODE_ROLE), bottom.data(CODE_ROLE))))
        model.layoutChanged.connect(lambda *args: signals.append(("layout",)))
        model.modelReset.connect(lambda: signals.append(("reset",)))
        for code in ("1.2", "1.5", "3.7"):
            link(arc, code, [str(evidence / "1.2 工作方案")])
        scan(arc)
        model.update_statuses(compute_status(arc))
        assert ("data", "1.2", "1.5") in signals and ("data", "3.7", "3.7") in signals  # one per parent
        assert ("layout",) not in signals and ("reset",) not in signals
        signals.clear()
        many = [c.code for c in leaves][:BULK_ROWS + 1]
        for code in many:
            link(arc, code, [str(evidence / "1.1 领导小组")])
        scan(arc)
        changed = model.update_statuses(compute_status(arc))
        assert len(changed) > BULK_ROWS
        assert signals == [("layout",)]
        assert model.index_of(many[-1], 1).data() == "已收集" and model.index_of(many[-1], 2).data() == "2"
