"""The stability tracker over real files with a hand-driven clock: quiet period, debounce, moves, folders."""

from __future__ import annotations

import os

import pytest

from archive.monitor.stability import StabilityTracker, minimal_targets


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def tracker(clock):
    return StabilityTracker(quiet_period=1.0, clock=clock)


def test_a_file_is_released_once_after_the_quiet_period(tracker, clock, tmp_path):
    path = tmp_path / "方案.docx"
    path.write_bytes(b"v1")
    for _ in range(5):  # a burst of events for one file
        tracker.note(str(path))
        clock.advance(0.1)
    assert tracker.release() is None
    assert tracker.next_due() == pytest.approx(clock.now + 0.9)  # one quiet period after the last event
    clock.advance(0.9)
    assert tracker.release().targets == [str(path)]
    assert len(tracker) == 0 and tracker.release() is None and tracker.next_due() is None


def test_a_file_still_growing_without_events_waits(tracker, clock, tmp_path):
    path = tmp_path / "大文件.pdf"
    path.write_bytes(b"x" * 10)
    tracker.note(str(path))
    clock.advance(1.5)
    with open(path, "ab") as handle:  # a network copy: the data grows, no event arrives
        handle.write(b"y" * 10)
    assert tracker.release() is None
    clock.advance(0.5)
    assert tracker.release() is None  # its own quiet period restarted when the change was seen
    clock.advance(0.6)
    assert tracker.release().targets == [str(path)]


def test_paths_wait_for_the_whole_stream_to_be_quiet(tracker, clock, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("a")
    second.write_text("b")
    tracker.note(str(first))
    clock.advance(0.8)
    tracker.note(str(second))
    clock.advance(0.5)
    assert tracker.release() is None  # first is quiet, but the stream is not
    clock.advance(0.6)
    assert tracker.release().targets == [str(first), str(second)]


def test_a_stream_that_never_pauses_still_releases_stable_paths(tracker, clock, tmp_path):
    stable, busy = tmp_path / "stable.txt", tmp_path / "busy.txt"
    stable.write_text("s")
    tracker.note(str(stable))
    released = []
    for step in range(30):
        busy.write_text("b" * step)
        tracker.note(str(busy))
        clock.advance(0.5)
        if (release := tracker.release()) is not None:
            released.extend(release.targets)
    assert released == [str(stable)]  # after max_hold (10 s), while busy.txt keeps changing
    assert tracker.max_hold == 10.0


def test_a_deletion_is_released_after_the_quiet_period(tracker, clock, tmp_path):
    gone = tmp_path / "删除.txt"
    tracker.note(str(gone))
    clock.advance(1.0)
    assert tracker.release().targets == [str(gone)]


def test_the_two_halves_of_a_move_are_released_together(tracker, clock, tmp_path):
    src, dest = tmp_path / "旧.txt", tmp_path / "新.txt"
    dest.write_text("content")
    tracker.note_move(str(src), str(dest))
    clock.advance(1.0)
    dest.write_text("content, still being written")
    assert tracker.release() is None  # dest changed: src must wait with it
    clock.advance(1.0)
    assert tracker.release().targets == [str(dest), str(src)]


def test_a_folder_waits_for_the_files_below_it_and_covers_them(tracker, clock, tmp_path):
    folder = tmp_path / "新文件夹"
    folder.mkdir()
    tracker.note(str(folder), is_dir=True)
    files = [folder / f"{n}.txt" for n in range(3)]
    for path in files:
        path.write_text("x")
        tracker.note(str(path))
    clock.advance(1.0)
    files[0].write_text("still copying")
    assert tracker.release().targets == [str(files[1]), str(files[2])]  # complete files need not wait
    clock.advance(1.0)
    files[1].write_text("changed again")
    tracker.note(str(files[1]))
    clock.advance(1.0)
    assert tracker.release().targets == [str(folder)]  # the folder covers the files inside it


def test_a_full_request_keeps_pending_paths(tracker, clock, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("a")
    tracker.note(str(path))
    tracker.request_full()
    assert tracker.next_due() == clock.now
    release = tracker.release()
    assert release.full and release.targets == []
    clock.advance(1.0)
    assert tracker.release().targets == [str(path)]


def test_pair_window_extends_the_batch_gate_only(clock, tmp_path):
    tracker = StabilityTracker(quiet_period=0.25, pair_window=0.75, clock=clock)
    path = tmp_path / "a.txt"
    path.write_text("a")
    tracker.note(str(path))
    clock.advance(0.5)
    assert tracker.release() is None
    clock.advance(0.25)
    assert tracker.release().targets == [str(path)]


def test_minimal_targets_drops_paths_inside_released_folders():
    folder = os.path.join("/证明材料", "1.1")
    paths = [folder, os.path.join(folder, "a.pdf"), os.path.join("/证明材料", "1.10", "b.pdf")]
    assert minimal_targets(paths, [folder]) == [folder, os.path.join("/证明材料", "1.10", "b.pdf")]
