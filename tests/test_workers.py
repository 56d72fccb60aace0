"""Page-counting worker processes never outlive the app, even when it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process parents from /proc")

SCRIPT = """
import sys, time
sys.path.insert(0, {repo!r})
from archive.index.parent_bound_pool import worker_pool
pool = worker_pool(2)
list(pool.map(time.sleep, [0.2] * 4))  # both workers started and busy once
print("ready", flush=True)
time.sleep(60)
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's bookkeeping is left


def test_workers_leave_when_the_app_is_killed(tmp_path):
    script = tmp_path / "页数统计.py"
    script.write_text(SCRIPT.format(repo=str(REPO)), encoding="utf-8")
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True) as app:  # closes the pipe
        try:
            assert app.stdout.readline().strip() == "ready"
            workers = [pid for pid in _children(app.pid) if _alive(pid)]
            assert len(workers) >= 2
        finally:
            app.send_signal(signal.SIGKILL)
            app.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # do not leave them behind on the test machine either
        os.kill(pid, signal.SIGKILL)
    assert not left
