"""The polling path (network locations), the choice of observer per root, and the fallback when native fails."""

from __future__ import annotations

import errno
import os
import shutil

import pytest
from monitor_support import (
    disk_state,
    events,
    file_id,
    index_state,
    last_id,
    replay_log,
    running_monitor,
    wait_events,
    wait_for,
)

import archive.monitor.watch as monitor_watch
from archive.index.scan import scan
from archive.links import link
from archive.linkset import LinkSet
from archive.monitor.polling import SnapshotPollingEmitter, diff_snapshots, take_snapshot
from archive.monitor.roots import choose_observer, is_excluded, is_network_path, is_unc, mount_fstype, watch_roots

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/nfs nfs4 rw,relatime 0 0
//nas/资料 /mnt/county\\040share cifs rw,relatime 0 0
sshfs#u@h: /home/u/remote fuse.sshfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.fixture
def two_roots(archive, tmp_path):
    first, second = tmp_path / "共享" / "1.1 领导小组", tmp_path / "共享" / "1.2 工作方案"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    (first / "通知.txt").write_text("通知", encoding="utf-8")
    link(archive, "1.1", [str(first)])
    link(archive, "1.2", [str(second)])
    scan(archive)
    return first, second


def test_network_locations_are_recognised():
    assert is_unc(r"\\county-nas\证明材料") and is_unc("//county-nas/证明材料")
    assert not is_unc(r"\\?\C:\long\path") and not is_unc("/mnt/nfs")
    assert mount_fstype("/mnt/nfs/1.1 领导小组", MOUNTS) == "nfs4"
    assert mount_fstype("/mnt/county share/x", MOUNTS) == "cifs"  # \040 is a space in /proc/mounts
    assert mount_fstype("/mnt/nfsother", MOUNTS) == "ext4"  # a prefix is not a parent folder
    assert mount_fstype("/home/u/remote/a", MOUNTS) == "fuse.sshfs"
    assert is_network_path("/mnt/nfs/a", MOUNTS) and is_network_path("/home/u/remote/a", MOUNTS)
    assert not is_network_path("/tmp/a", MOUNTS)
    assert is_network_path(r"\\county-nas\证明材料")


def test_local_roots_use_native_events_unless_polling_is_forced(tmp_path):
    assert choose_observer(str(tmp_path)) == ("native", "本地磁盘")
    assert choose_observer(str(tmp_path), force_polling=True)[0] == "polling"


def test_watch_roots_and_excluded_paths(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案" / "创建工作方案.txt")])  # a single linked file
    roots = watch_roots(LinkSet.load(archive.conn))
    assert [(r.path, r.recursive) for r in roots] == [
        (str(evidence / "1.1 领导小组"), True), (str(evidence / "1.2 工作方案"), False),
        (str(evidence / "2.1 农残治理" / "1. 快检台账"), True)]
    root = str(evidence / "1.1 领导小组")
    assert is_excluded(os.path.join(root, ".git", "a.txt"), root)
    assert is_excluded(os.path.join(root, "子文件夹", "~$草稿.docx"), root)
    assert not is_excluded(os.path.join(root, "子文件夹", "草稿.docx"), root)


def test_snapshot_diff_never_reports_deletions_under_an_unreadable_folder(tmp_path):
    old = {"/r/a/1.txt": (1, 1), "/r/b/2.txt": (1, 1), "/r/b/3.txt": (1, 1)}
    new = {"/r/a/1.txt": (2, 2), "/r/a/4.txt": (1, 1)}
    assert diff_snapshots(old, new, ["/r/b"]) == (["/r/a/4.txt"], ["/r/a/1.txt"], [])
    assert diff_snapshots(old, new, []) == (["/r/a/4.txt"], ["/r/a/1.txt"], ["/r/b/2.txt", "/r/b/3.txt"])
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "~$x.txt").write_text("junk")
    assert list(take_snapshot(str(tmp_path), recursive=True).files) == [str(tmp_path / "a" / "x.txt")]
    assert take_snapshot(str(tmp_path), recursive=False).files == {}


@pytest.mark.slow
def test_polling_sees_create_modify_move_and_delete(archive, two_roots):
    first, second = two_roots
    with running_monitor(archive.path, force_polling=True) as (monitor, _):
        assert {(r.observer, r.reachable) for r in monitor.roots()} == {("polling", True)}
        start = last_id(archive)
        report = first / "报告.txt"
        report.write_text("初稿", encoding="utf-8")
        assert wait_events(archive, start, 1)[0][:4] == ("added", str(report), None, ["1.1"])
        report.write_text("定稿，内容更长", encoding="utf-8")
        assert wait_events(archive, start, 2)[1][:2] == ("modified", str(report))
        original = file_id(archive, report)
        shutil.move(report, second / report.name)
        assert wait_events(archive, start, 3)[2][:4] == ("moved", str(second / report.name), str(report),
                                                          ["1.1", "1.2"])
        assert file_id(archive, second / report.name) == original
        (second / report.name).unlink()
        assert wait_events(archive, start, 4)[3][:2] == ("removed", str(second / report.name))
    assert index_state(archive) == disk_state(first, second) == replay_log(archive)


def test_a_polled_root_that_goes_away_is_unreachable_not_removed(archive, two_roots, tmp_path):
    first, _ = two_roots
    away = tmp_path / "断网期间"
    with running_monitor(archive.path, force_polling=True) as (monitor, recorder):
        start = last_id(archive)
        shutil.move(first, away)  # the share drops out
        wait_for(lambda: not _root(monitor, first).reachable, what="root unreachable")
        assert "无法访问" in _root(monitor, first).error
        assert events(archive, start) == []
        assert file_id(archive, first / "通知.txt") is not None
        (away / "离线时新增.txt").write_text("新增", encoding="utf-8")
        shutil.move(away, first)  # and comes back, with a change made meanwhile
        wait_for(lambda: _root(monitor, first).reachable, what="root back")
        assert wait_events(archive, start, 1)[0][:2] == ("added", str(first / "离线时新增.txt"))
    reachability = [next(r.reachable for r in s.roots if r.path == str(first)) for s in recorder.states]
    assert reachability.count(False) >= 1 and reachability[-1] is True


def test_polling_waits_longer_when_a_cycle_is_expensive(tmp_path):
    for n in range(200):
        (tmp_path / f"{n}.txt").write_text("x")
    from watchdog.observers.api import EventQueue, ObservedWatch

    emitter = SnapshotPollingEmitter(EventQueue(), ObservedWatch(str(tmp_path), recursive=True), timeout=0.001)
    emitter.on_thread_start()
    wall, cpu = emitter.last_cycle
    assert wall > 0 and cpu > 0
    assert emitter._wait >= max(cpu * 19, wall) * 0.99  # never more than about 5% of a core


class _FailingNativeObserver:
    """A native observer that cannot watch anything, as when the inotify watch limit is reached."""

    def __init__(self):
        self.emitters = set()

    def start(self):
        pass

    def schedule(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    def stop(self):
        pass

    def join(self, timeout=None):
        pass


class _NoInotifyLeft(_FailingNativeObserver):
    """The user's inotify instances all held by other programs: the observer cannot even be made (the monitor
    stopped with "监控意外停止" and a traceback)."""

    def __init__(self):
        raise OSError(errno.EMFILE, "inotify instance limit reached")


@pytest.mark.parametrize("observer", [_FailingNativeObserver, _NoInotifyLeft], ids=["watch-limit", "instance-limit"])
def test_a_root_falls_back_to_polling_when_native_watching_fails(archive, two_roots, monkeypatch, observer):
    first, _ = two_roots
    monkeypatch.setattr(monitor_watch, "native_observer_class", observer)
    with running_monitor(archive.path) as (monitor, _):
        roots = monitor.roots()
        assert {r.observer for r in roots} == {"polling"}
        assert all("本地监控无法启动（系统可同时监控的文件夹已达上限：inotify" in r.reason for r in roots)
        start = last_id(archive)
        (first / "回退后新增.txt").write_text("x", encoding="utf-8")
        assert wait_events(archive, start, 1)[0][:2] == ("added", str(first / "回退后新增.txt"))


def _root(monitor, path):
    return next(r for r in monitor.roots() if r.path == str(path))
