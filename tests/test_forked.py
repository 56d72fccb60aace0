"""Work on two processes (archive.index.two_cores), and the scan suites again with every re-scan walked that way."""

from __future__ import annotations

import os

import pytest

import archive.index.quickscan as quickscan
from archive.index import two_cores as forked
from common.errors import Cancelled

pytestmark = pytest.mark.skipif(not forked.AVAILABLE, reason="fork is used on Linux only")

# Every scan test, again, with the re-scan's walk split between two processes however small the tree.
from test_scan import *  # noqa: E402, F403
from test_scan_problems import *  # noqa: E402, F403


@pytest.fixture(autouse=True)
def split_every_walk(monkeypatch):
    monkeypatch.setattr(quickscan, "PARALLEL_MIN_FILES", 0)
    forks = []  # the pid each fork returned here
    real_fork = os.fork

    def counted_fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    return forks


def _describe(units, check):
    if check is not None:
        check()
    return {unit: os.getpid() for unit in units}


def test_each_half_runs_in_its_own_process_and_comes_back_whole(split_every_walk):
    here, there = forked.in_two(list(range(7)), _describe)
    assert sorted(here) == [0, 2, 4, 6] and set(here.values()) == {os.getpid()}
    assert sorted(there) == [1, 3, 5] and os.getpid() not in set(there.values())
    assert len(split_every_walk) == 1


def test_a_child_that_fails_has_its_half_done_here():
    parent = os.getpid()

    def fails_in_the_child(units, check):
        if os.getpid() != parent:
            raise RuntimeError("子进程出错")
        return list(units)

    assert forked.in_two(["甲", "乙", "丙"], fails_in_the_child) == [["甲", "丙"], ["乙"]]


def test_a_cancel_here_stops_and_reaps_the_child(split_every_walk):
    def cancel():
        raise Cancelled()

    def wait_forever_in_the_child(units, check):
        if check is not None:
            check()
        os.pause()

    with pytest.raises(Cancelled):
        forked.in_two([1, 2], wait_forever_in_the_child, cancel)
    with pytest.raises(ChildProcessError):  # the child was killed and reaped: no zombie is left
        os.waitpid(split_every_walk[0], os.WNOHANG)


def test_a_rescan_of_a_bigger_tree_forks_and_finds_every_change(archive, tmp_path, split_every_walk):
    from archive.index.scan import scan
    from archive.links import link

    root = tmp_path / "证明材料"
    for folder in range(20):
        for name in range(5):
            path = root / f"{folder}.0 类别" / f"子目录{folder}" / f"材料{name}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{folder}-{name}", encoding="utf-8")
    link(archive, "1.1", [str(root)])
    assert scan(archive).added == 100 and len(split_every_walk) == 1
    (root / "3.0 类别" / "子目录3" / "材料1.txt").write_text("改过", encoding="utf-8")
    (root / "7.0 类别" / "子目录7" / "材料2.txt").unlink()
    os.rename(root / "9.0 类别" / "子目录9" / "材料0.txt", root / "12.0 类别" / "子目录12" / "挪来的.txt")
    (root / "15.0 类别" / "新建").mkdir()
    (root / "15.0 类别" / "新建" / "新材料.txt").write_text("新", encoding="utf-8")
    result = scan(archive)
    assert (result.added, result.modified, result.removed, result.moved) == (1, 1, 1, 1)
    assert result.files == 100 and len(split_every_walk) == 2
    again = scan(archive)
    assert (again.added, again.modified, again.removed, again.moved) == (0, 0, 0, 0) and len(split_every_walk) == 3
