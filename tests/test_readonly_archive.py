"""An archive on a read-only medium (a CD, a write-protected share) opens for reading, and refuses writes clearly."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from archive.confirm import confirm
from archive.db import open_archive
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status
from common.errors import ArchiveError

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


@pytest.fixture
def read_only_copy(archive, evidence, tmp_path):
    """The fixture archive, scanned, seen through a read-only bind mount (needs root; skipped otherwise)."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    archive.close()
    mount = tmp_path / "只读光盘"
    mount.mkdir()
    steps = [["mount", "--bind", str(archive.path.parent), str(mount)],
             ["mount", "-o", "remount,bind,ro", str(mount)]]
    for step in steps:
        if subprocess.run(step, capture_output=True).returncode != 0:
            subprocess.run(["umount", str(mount)], capture_output=True)
            pytest.skip("cannot mount read-only here (needs root)")
    yield mount / archive.path.name
    subprocess.run(["umount", str(mount)], check=True)


def test_read_only_archive_can_be_read_but_not_written(read_only_copy):
    before = hashlib.sha256(read_only_copy.read_bytes()).hexdigest()
    with open_archive(read_only_copy) as arc:
        assert arc.read_only
        assert {s.code: s.files for s in compute_status(arc)}["1.1"] == 2
        with pytest.raises(ArchiveError, match="只读位置"):
            confirm(arc, "1.1")
        with pytest.raises(ArchiveError, match="只读位置"):
            scan(arc)
    assert hashlib.sha256(read_only_copy.read_bytes()).hexdigest() == before


def test_read_only_archive_from_the_command_line(read_only_copy):
    status = subprocess.run([sys.executable, MAIN, "status", str(read_only_copy)], capture_output=True, text=True)
    assert status.returncode == 0 and "1.1" in status.stdout
    refused = subprocess.run([sys.executable, MAIN, "confirm", str(read_only_copy), "1.1"], capture_output=True,
                             text=True)
    assert refused.returncode == 1
    assert "只读位置" in refused.stderr and "Traceback" not in refused.stderr
