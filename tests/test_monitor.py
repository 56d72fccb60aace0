"""The live monitor on the native observer (inotify here), with real file-system events on a real evidence tree."""

from __future__ import annotations

import logging
import os
import shutil
import time

import pytest
from monitor_support import (
    QUIET,
    disk_state,
    events,
    file_id,
    index_state,
    last_id,
    replay_log,
    running_monitor,
    sha,
    wait_events,
    wait_for,
    write_slowly,
)

from archive.confirm import confirm
from archive.index.scan import scan
from archive.links import link, unlink
from archive.status import compute_status
from conftest import MINIMAL_PDF, tree_snapshot


@pytest.fixture
def linked(archive, evidence):
    """The evidence tree linked to 1.1, 1.2 and 2.1 (with 2.1.1 inside 2.1), indexed once."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    link(archive, "2.1", [str(evidence / "2.1 农残治理")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    scan(archive)
    return evidence


def test_start_catches_up_before_running_and_reports_roots(archive, linked):
    plan = linked / "1.2 工作方案" / "创建工作方案.txt"
    plan.write_text("离线期间修改", encoding="utf-8")
    (linked / "1.1 领导小组" / "离线期间新增.txt").write_text("新增", encoding="utf-8")
    start = last_id(archive)
    with running_monitor(archive.path) as (monitor, recorder):
        assert monitor.state == "running"
        found = sorted((kind, os.path.basename(path)) for kind, path, *_ in events(archive, start))
        assert found == [("added", "离线期间新增.txt"), ("modified", "创建工作方案.txt")]
        assert sorted(os.path.basename(e["path"]) for e in recorder.changes) == ["创建工作方案.txt", "离线期间新增.txt"]
        roots = monitor.roots()
        assert sorted(r.path for r in roots) == sorted(str(linked / name) for name in
                                                       ("1.1 领导小组", "1.2 工作方案", "2.1 农残治理"))
        assert {(r.observer, r.reachable, r.error) for r in roots} == {("native", True, None)}
        assert [s.state for s in recorder.states][-1] == "running"


@pytest.mark.slow
def test_create_modify_delete(archive, linked):
    folder = linked / "1.1 领导小组"
    with running_monitor(archive.path):
        start = last_id(archive)
        report = folder / "自查报告.pdf"
        report.write_bytes(MINIMAL_PDF)
        [(kind, path, old, codes, fid)] = wait_events(archive, start, 1)
        assert (kind, path, old, codes) == ("added", str(report), None, ["1.1"])
        pages = wait_for(lambda: archive.conn.execute("SELECT pages FROM files WHERE id = ?", (fid,)).fetchone()[0])
        assert pages == 2

        report.write_bytes(MINIMAL_PDF + b"%revised\n")
        assert wait_events(archive, start, 2)[1][:2] == ("modified", str(report))
        assert index_state(archive)[str(report)] == sha(report)

        report.unlink()
        assert wait_events(archive, start, 3)[2][:2] == ("removed", str(report))
        assert file_id(archive, report) is None


@pytest.mark.slow
def test_rename_and_moves_keep_identity_and_touch_both_criteria(archive, linked):
    plan = linked / "1.2 工作方案" / "创建工作方案.txt"
    original = file_id(archive, plan)
    with running_monitor(archive.path):
        start = last_id(archive)
        renamed = plan.with_name("创建工作方案（定稿）.txt")
        plan.rename(renamed)
        assert wait_events(archive, start, 1)[0][:4] == ("moved", str(renamed), str(plan), ["1.2"])

        moved = linked / "1.1 领导小组" / renamed.name  # between two linked roots
        shutil.move(renamed, moved)
        assert wait_events(archive, start, 2)[1][:4] == ("moved", str(moved), str(renamed), ["1.1", "1.2"])
        assert file_id(archive, moved) == original

        deeper = linked / "2.1 农残治理" / "1. 快检台账" / renamed.name  # into a nested linked folder
        shutil.move(moved, deeper)
        assert wait_events(archive, start, 3)[2][:4] == ("moved", str(deeper), str(moved), ["1.1", "2.1", "2.1.1"])
    assert [e[0] for e in events(archive) if e[4] == original] == ["added", "moved", "moved", "moved"]


@pytest.mark.slow
def test_moving_out_is_a_removal_and_moving_in_an_addition(archive, linked, tmp_path):
    outside = tmp_path / "未关联"
    outside.mkdir()
    minutes = linked / "1.1 领导小组" / "会议纪要" / "2024年第一次会议纪要.txt"
    with running_monitor(archive.path):
        start = last_id(archive)
        shutil.move(minutes, outside / minutes.name)
        assert wait_events(archive, start, 1)[0][:3] == ("removed", str(minutes), None)
        back = linked / "1.2 工作方案" / minutes.name
        shutil.move(outside / minutes.name, back)
        assert wait_events(archive, start, 2)[1][:4] == ("added", str(back), None, ["1.2"])


@pytest.mark.slow
def test_a_folder_moved_in_and_out(archive, linked, tmp_path):
    batch = tmp_path / "外来材料"
    batch.mkdir()
    for n in range(5):
        (batch / f"材料{n}.txt").write_text(f"第{n}份", encoding="utf-8")
    target = linked / "2.1 农残治理" / "外来材料"
    with running_monitor(archive.path):
        start = last_id(archive)
        shutil.move(batch, target)
        added = wait_events(archive, start, 5)
        assert sorted(p for _, p, *_ in added) == sorted(str(target / f"材料{n}.txt") for n in range(5))
        shutil.move(target, tmp_path / "又移走了")
        removed = wait_events(archive, start, 10)[5:]
        assert {e[0] for e in removed} == {"removed"} and len(removed) == 5


def test_a_burst_of_1000_files(archive, linked):
    folder = linked / "1.2 工作方案" / "批量"
    with running_monitor(archive.path):
        start = last_id(archive)
        folder.mkdir()
        for n in range(1000):
            (folder / f"台账{n:04d}.txt").write_text(f"第{n}条记录", encoding="utf-8")
        found = wait_events(archive, start, 1000, timeout=60)
        wait_for(lambda: index_state(archive) == disk_state(*_roots(linked)), what="index equals disk")
    assert len(events(archive, start)) == 1000  # one event per file, none twice
    assert {e[0] for e in found} == {"added"}
    assert replay_log(archive) == disk_state(*_roots(linked))


def test_an_office_save_is_one_change_and_junk_is_ignored(archive, linked):
    folder = linked / "1.2 工作方案"
    doc = folder / "实施方案.docx"
    doc.write_bytes(b"PK\x03\x04 version 1")
    scan(archive)
    with running_monitor(archive.path):
        start = last_id(archive)
        owner = folder / "~$实施方案.docx"  # Word's owner file while the document is open
        owner.write_bytes(b"owner")
        temp = folder / "~WRL0005.tmp"
        temp.write_bytes(b"PK\x03\x04 version 2, written in full")
        os.replace(doc, folder / "~WRL0001.tmp")  # the original steps aside
        os.replace(temp, doc)  # the new version takes its name
        os.remove(folder / "~WRL0001.tmp")
        owner.unlink()
        (folder / "Thumbs.db").write_bytes(b"junk")
        [(kind, path, *_)] = wait_events(archive, start, 1)
        assert (kind, path) == ("modified", str(doc))
        wait_for(lambda: index_state(archive).get(str(doc)) == sha(doc), what="new version indexed")
    assert len(events(archive, start)) == 1
    assert not any("~" in path or "Thumbs" in path for path in index_state(archive))


def test_a_half_written_copy_is_indexed_once_complete(archive, linked):
    big = linked / "1.1 领导小组" / "正在复制.txt"
    with running_monitor(archive.path, quiet_period=0.3):
        start = last_id(archive)
        write_slowly(big, chunks=8, pause=0.1)
        [(kind, path, *_)] = wait_events(archive, start, 1)
        assert (kind, path) == ("added", str(big))
        assert index_state(archive)[str(big)] == sha(big)
    assert len(events(archive, start)) == 1


def test_a_change_under_a_confirmed_criterion_turns_it_changed(archive, linked):
    confirm(archive, "1.2", by="张三", note="材料齐全")
    assert {s.code: s.state for s in compute_status(archive)}["1.2"] == "confirmed"
    with running_monitor(archive.path):
        start = last_id(archive)
        (linked / "1.2 工作方案" / "创建工作方案.txt").write_text("昨晚替换的版本", encoding="utf-8")
        wait_events(archive, start, 1)
    states = {s.code: s.state for s in compute_status(archive)}
    assert states["1.2"] == "changed" and states["1"] == "changed" and states["1.1"] == "collected"


@pytest.mark.slow
def test_a_linked_folder_deleted_and_recreated(archive, linked, tmp_path):
    root = linked / "1.2 工作方案"
    plan = root / "创建工作方案.txt"
    content = plan.read_bytes()
    with running_monitor(archive.path) as (monitor, _):
        start = last_id(archive)
        shutil.rmtree(root)
        wait_for(lambda: not _root(monitor, root).reachable, what="root unreachable")
        assert _root(monitor, root).error
        wait_for(lambda: {s.code: s.state for s in compute_status(archive)}["1.2"] == "unreachable")
        assert events(archive, start) == []  # nothing is reported removed
        assert file_id(archive, plan) is not None

        root.mkdir()
        plan.write_bytes(content)  # the same document comes back
        (root / "补充材料.txt").write_text("新增的", encoding="utf-8")
        wait_for(lambda: _root(monitor, root).reachable, what="root back")
        found = wait_events(archive, start, 1)
        assert [(k, p) for k, p, *_ in found] == [("added", str(root / "补充材料.txt"))]
        (root / "补充材料.txt").write_text("再改一次", encoding="utf-8")  # watched again
        assert wait_events(archive, start, 2)[1][:2] == ("modified", str(root / "补充材料.txt"))
    assert {s.code: s.state for s in compute_status(archive)}["1.2"] == "collected"


def test_pause_resume_and_rescan(archive, linked):
    folder = linked / "1.1 领导小组"
    with running_monitor(archive.path) as (monitor, _):
        start = last_id(archive)
        monitor.pause()
        wait_for(lambda: monitor.state == "paused")
        (folder / "暂停期间.txt").write_text("暂停", encoding="utf-8")
        monitor.rescan_now()  # a user's explicit rescan still runs while paused
        assert wait_events(archive, start, 1)[0][:2] == ("added", str(folder / "暂停期间.txt"))
        (folder / "暂停期间2.txt").write_text("暂停", encoding="utf-8")
        time.sleep(4 * QUIET)  # what a running monitor would have recorded by now
        assert events(archive, start)[1:] == []
        monitor.resume()
        wait_for(lambda: monitor.state == "running")
        assert wait_events(archive, start, 2)[1][:2] == ("added", str(folder / "暂停期间2.txt"))


@pytest.mark.slow
def test_links_added_while_running_are_watched(archive, linked, tmp_path):
    extra = tmp_path / "2.2 校园食品"
    extra.mkdir()
    (extra / "食堂检查.txt").write_text("检查记录", encoding="utf-8")
    with running_monitor(archive.path) as (monitor, _):
        start = last_id(archive)
        link(archive, "2.2", [str(extra)])  # by the app, through another connection
        assert wait_events(archive, start, 1)[0][:4] == ("added", str(extra / "食堂检查.txt"), None, ["2.2"])
        wait_for(lambda: str(extra) in {r.path for r in monitor.roots()})
        (extra / "新记录.txt").write_text("新", encoding="utf-8")
        assert wait_events(archive, start, 2)[1][:2] == ("added", str(extra / "新记录.txt"))


@pytest.mark.slow
def test_a_folder_unlinked_and_linked_again_is_announced_without_log_entries(archive, linked):
    folder = str(linked / "1.1 领导小组")
    with running_monitor(archive.path) as (monitor, recorder):
        start, reports = last_id(archive), recorder.reports
        unlink(archive, "1.1", folder)  # by the app or the command line, through another connection
        wait_for(lambda: recorder.reports > reports, what="the unlink announced")
        reports = recorder.reports
        link(archive, "1.1", [folder])
        wait_for(lambda: recorder.reports > reports, what="the link announced")
        wait_for(lambda: folder in {r.path for r in monitor.roots()})
        assert events(archive, start) == [] and recorder.changes == []  # the files came back, none is new
    assert file_id(archive, linked / "1.1 领导小组" / "关于成立创建工作领导小组的通知.pdf") is not None


def test_lost_events_lead_to_a_full_reconcile(archive, linked):
    folder = linked / "1.1 领导小组"
    with running_monitor(archive.path) as (monitor, _):
        start = last_id(archive)
        monitor._watches.handler.dispatch = lambda event: None  # the kernel drops our events...
        (folder / "丢失事件.txt").write_text("没有事件", encoding="utf-8")
        # ...and says so the only way watchdog does: a warning in its log
        watchdog_log = logging.getLogger("watchdog.observers.inotify_c")
        watchdog_log.warning("Inotify queue overflowed; filesystem events were lost")
        assert wait_events(archive, start, 1)[0][:2] == ("added", str(folder / "丢失事件.txt"))


def test_the_periodic_sweep_catches_what_events_missed(archive, linked):
    folder = linked / "1.2 工作方案"
    with running_monitor(archive.path, sweep_interval=1.0) as (monitor, _):
        start = last_id(archive)
        monitor._watches.handler.dispatch = lambda event: None  # events silently lost, nobody says so
        (folder / "无声的变化.txt").write_text("没有事件也没有警告", encoding="utf-8")
        (folder / "创建工作方案.txt").unlink()
        found = wait_events(archive, start, 2)
        assert sorted((k, os.path.basename(p)) for k, p, *_ in found) == [("added", "无声的变化.txt"),
                                                                        ("removed", "创建工作方案.txt")]


def test_a_single_linked_file_is_watched_without_its_neighbours(archive, evidence, tmp_path):
    folder = tmp_path / "办公室共享"
    folder.mkdir()
    plan, other = folder / "创建方案.txt", folder / "无关文件.txt"
    plan.write_text("方案", encoding="utf-8")
    link(archive, "1.2", [str(plan)])
    with running_monitor(archive.path) as (monitor, _):
        assert [(r.path, r.observer) for r in monitor.roots()] == [(str(folder), "native")]
        start = last_id(archive)
        other.write_text("不是证明材料", encoding="utf-8")
        plan.write_text("方案（修订）", encoding="utf-8")
        assert [(k, p) for k, p, *_ in wait_events(archive, start, 1)] == [("modified", str(plan))]
        time.sleep(4 * QUIET)
    assert len(events(archive, start)) == 1 and file_id(archive, other) is None


def test_monitor_never_writes_into_the_evidence(archive, linked):
    before = tree_snapshot(linked)
    with running_monitor(archive.path):
        start = last_id(archive)
        (linked / "1.1 领导小组" / "x.txt").write_text("x", encoding="utf-8")
        wait_events(archive, start, 1)
        (linked / "1.1 领导小组" / "x.txt").unlink()
        wait_events(archive, start, 2)
    assert tree_snapshot(linked) == before


def test_a_missing_archive_stops_with_a_chinese_error(tmp_path):
    from archive.monitor.service import Monitor

    monitor = Monitor(tmp_path / "没有.rrdb")
    monitor.start()
    assert not monitor.wait_until_settled(10)
    assert monitor.state == "stopped" and "档案文件不存在" in monitor.error


def _roots(linked):
    return [linked / "1.1 领导小组", linked / "1.2 工作方案", linked / "2.1 农残治理"]


def _root(monitor, path):
    return next(r for r in monitor.roots() if r.path == str(path))
