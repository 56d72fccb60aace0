"""`python main.py watch` as a real process: its output over a pipe, clean exits, and a kill -9 in a burst."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from monitor_support import disk_state, index_state, replay_log, wait_for

from archive.catalogue import store_catalogue
from archive.db import create_archive, open_archive
from archive.links import link
from conftest import small_catalogue

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")
RUNNING = "开始实时监控"


@contextlib.contextmanager
def _ctrl_c_not_ignored():
    """A watcher started as a terminal starts it: a shell's background job (`cmd &`) and everything it starts
    ignore SIGINT, and an ignored signal stays ignored in a child. A handled one is reset to the default there."""
    ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


class Watch:
    """A `watch` process whose stdout is read line by line as it comes (a pipe, not a terminal)."""

    def __init__(self, archive_path, *options):
        # -X faulthandler: a watcher that does not stop is sent SIGABRT and prints every thread's stack (finish)
        with _ctrl_c_not_ignored():
            self.proc = self._start(archive_path, options)
        self.lines: list[str] = []
        self.errors: list[str] = []  # stderr, drained as it comes: a full pipe would block the watcher
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True)
        self.reader.start()
        self.error_reader = threading.Thread(target=self._read, args=(self.proc.stderr, self.errors), daemon=True)
        self.error_reader.start()

    @staticmethod
    def _start(archive_path, options) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-X", "faulthandler", MAIN, "watch", str(archive_path),
                                 "--quiet-period", "0.2", *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, encoding="utf-8")

    @staticmethod
    def _read(stream, into: list[str]):
        for line in stream:
            into.append(line.rstrip("\n"))

    def wait_line(self, text: str, count: int = 1, timeout: float = 30.0) -> list[str]:
        return wait_for(lambda: len(found := [x for x in self.lines if text in x]) >= count and found, timeout,
                        lambda: f"{count} line(s) with {text!r} in {self.lines[-5:]}; stderr: {self.errors[-5:]}")

    def finish(self, sig=signal.SIGTERM) -> tuple[int, str]:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            status = Path(f"/proc/{self.proc.pid}/status")
            signals = [x for x in status.read_text().splitlines() if x.startswith("Sig")] if status.exists() else []
            if hasattr(signal, "SIGABRT"):
                self.proc.send_signal(signal.SIGABRT)  # faulthandler prints the threads' stacks to stderr
                time.sleep(2)
            self.kill()
            raise AssertionError(f"watch did not stop on {sig!r}; last output {self.lines[-5:]}, {signals}, "
                                 "stderr:\n" + "\n".join(self.errors[-80:])) from None
        self.reader.join(timeout=10)
        self.error_reader.join(timeout=10)
        self._close_pipes()
        return code, "\n".join(self.errors)

    def kill(self):
        self.proc.kill()
        self.proc.wait(timeout=30)
        self.reader.join(timeout=10)
        self.error_reader.join(timeout=10)
        self._close_pipes()

    def _close_pipes(self):
        """Our ends of the pipes: left to the garbage collector they are a ResourceWarning in some later test."""
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def setup(tmp_path):
    """A closed archive with two linked folders and one document, nothing indexed yet."""
    first, second = tmp_path / "材料" / "1.1 领导小组", tmp_path / "材料" / "2.2 校园食品"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    (first / "通知.txt").write_text("领导小组通知", encoding="utf-8")
    path = tmp_path / "县档案.rrdb"
    with create_archive(path, "某某县") as archive:
        store_catalogue(archive, small_catalogue())
        link(archive, "1.1", [str(first)])
        link(archive, "2.2", [str(second)])
    return path, first, second


def test_watch_prints_roots_and_each_change_and_stops_on_sigterm(setup):
    path, first, second = setup
    watch = Watch(path)
    try:
        watch.wait_line(RUNNING)
        assert any("本地监控" in line and str(first) in line for line in watch.lines)
        assert any("本地监控" in line and str(second) in line for line in watch.lines)
        assert any(line.endswith(f"新增 [1.1] {first / '通知.txt'}") for line in watch.lines)  # the catch-up
        (second / "食堂检查.txt").write_text("检查记录", encoding="utf-8")
        [line] = watch.wait_line("食堂检查.txt")
        assert line.split(" ", 2)[2] == f"新增 [2.2] {second / '食堂检查.txt'}"
        assert line[:4].isdigit() and line[10] == " "  # "YYYY-MM-DD HH:MM:SS 新增 ..."
    finally:
        code, stderr = watch.finish(signal.SIGTERM)
    assert code == 0, stderr
    assert watch.lines[-1] == "已停止监控" and "Traceback" not in stderr


def test_watch_stops_cleanly_on_ctrl_c_and_polls_when_asked(setup):
    path, first, _ = setup
    watch = Watch(path, "--poll", "0.3", "--poll-all")
    try:
        watch.wait_line(RUNNING)
        assert any("轮询（每 0.3 秒）" in line and str(first) in line for line in watch.lines)
        (first / "轮询发现.txt").write_text("x", encoding="utf-8")
        watch.wait_line("轮询发现.txt")
    finally:
        code, stderr = watch.finish(signal.SIGINT)
    assert code == 0, stderr
    assert "Traceback" not in stderr


def test_watch_ends_quietly_when_its_reader_stops(setup):
    """`watch 档案 | head -1`: every line after the reader left raised in the monitor's thread, a traceback on the
    console each, and the watch went on for nobody until killed."""
    path, first, _ = setup
    read, write = os.pipe()
    with _ctrl_c_not_ignored():
        proc = subprocess.Popen([sys.executable, MAIN, "watch", str(path), "--quiet-period", "0.2"], stdout=write,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8")
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as output:
        assert output.readline().startswith("开始监控档案")  # then `head -1` goes away
    (first / "新通知.txt").write_text("新的一行输出", encoding="utf-8")
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("watch went on after its reader stopped") from None
    assert (proc.returncode, stderr) == (1, "")


def test_watch_refuses_a_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "不是档案.rrdb"
    bogus.write_text("hello", encoding="utf-8")
    done = subprocess.run([sys.executable, MAIN, "watch", str(bogus)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "不是迎检通档案文件" in done.stderr and "Traceback" not in done.stderr
    assert bogus.read_text(encoding="utf-8") == "hello"


def _burst(first: Path, second: Path, files: int, progress: list[int]) -> None:
    """Create, rewrite, rename, move and delete files across both linked folders, in waves of 100 at full speed
    with short pauses, so the watcher records some waves while the burst goes on."""
    made = []
    for n in range(files):
        if n % 100 == 0:
            time.sleep(0.3)
        folder = first if n % 2 else second
        path = folder / f"批量{n:04d}.txt"
        path.write_text(f"第{n}份材料", encoding="utf-8")
        made.append(path)
        if n % 25 == 24:
            made[n - 10].write_text(f"第{n - 10}份材料（修订）", encoding="utf-8")
        if n % 40 == 39:
            old = made[n - 20]
            new = (second if old.parent == first else first) / f"改名{n:04d}.txt"
            os.replace(old, new)
            made[n - 20] = new
        if n % 60 == 59:
            made[n - 30].unlink()
        progress.append(n)


@pytest.mark.slow
def test_watch_killed_mid_burst_then_restarted_matches_the_disk(setup):
    path, first, second = setup
    watch = Watch(path)
    progress: list[int] = []
    writer = threading.Thread(target=_burst, args=(first, second, 1200, progress))
    try:
        watch.wait_line(RUNNING)
        writer.start()
        watch.wait_line("批量", count=100)  # the watcher has recorded part of the burst...
    finally:
        watch.kill()  # ...and dies mid-burst: SIGKILL, no clean-up at all
    assert watch.proc.returncode == -signal.SIGKILL
    assert 0 < len(progress) < 1200, "the kill must land in the middle of the burst"
    writer.join(timeout=60)

    again = Watch(path)
    try:
        again.wait_line(RUNNING)
    finally:
        code, stderr = again.finish(signal.SIGTERM)
    assert code == 0, stderr
    with open_archive(path) as archive:
        on_disk = disk_state(first, second)
        assert len(on_disk) > 1000
        assert index_state(archive) == on_disk
        assert replay_log(archive) == on_disk  # every change logged once, nothing lost, nothing twice
    rescan = subprocess.run([sys.executable, MAIN, "scan", str(path), "--json"], capture_output=True, text=True,
                            timeout=120)
    counts = json.loads(rescan.stdout)
    assert (counts["added"], counts["modified"], counts["removed"], counts["moved"]) == (0, 0, 0, 0)
