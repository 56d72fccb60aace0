"""bench/soak.py in miniature: a quarter of a minute of changes every second (adds, edits, renames, moves,
deletions, a linked folder going away and coming back) under the real monitor, then the index must equal the disk
by the monitor's own work, a full scan must find nothing, and the change log must replay to the disk. The
30-minute run and its memory, handle and thread figures are in RELIABILITY.md ("Soak")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_a_short_soak_ends_with_the_index_equal_to_the_disk(tmp_path):
    args = ["--minutes", "0.25", "--warmup", "3", "--sample", "3", "--away-every", "6", "--away-for", "3",
            "--files", "120", "--root", str(tmp_path / "soak"),
            "--max-rss-mb", "100", "--max-fds", "20", "--max-threads", "20"]  # growth is judged by the long run
    done = subprocess.run([sys.executable, str(REPO / "bench" / "soak.py"), *args], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "index == disk by the monitor alone: yes" in done.stdout
    assert "full scan afterwards: 0 changes" in done.stdout
    assert "change log replayed == disk: yes" in done.stdout
    assert "away 2" in done.stdout  # the linked folder went away (and came back) twice
