"""Another program writing to the open archive (the command line's confirm, import, scan): the window shows it
without a scan of its own; the window's own writes are not taken for another program's. A real archive, the real
command line in a subprocess, offscreen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archive.index.scan import scan
from archive.links import link
from tests.ui_support import make_window, messages_fixture, settings_fixture, wait_for_writer  # noqa: F401
from ui.workspace import external_writes

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")
TIMEOUT = 20000


def test_a_confirmation_made_on_the_command_line_shows_in_the_open_window(qtbot, settings, archive, evidence,
                                                                          monkeypatch):
    monkeypatch.setattr(external_writes, "SETTLE_MS", 0)
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    session = window.session
    qtbot.waitUntil(lambda: session.external.version is not None, timeout=TIMEOUT)
    recomputed: list[int] = []
    real = session.external.recompute
    session.external.recompute = lambda: (recomputed.append(1), real())
    session.confirm("1.1", "核对无误", by="李四")  # the window's own write
    qtbot.waitUntil(lambda: session.model.index_of("1.1", 1).data() == "已确认", timeout=TIMEOUT)
    session.external.check()
    wait_for_writer(qtbot)
    qtbot.wait(50)
    assert recomputed == []  # its own write is no news
    done = subprocess.run([sys.executable, MAIN, "confirm", str(archive.path), "1.1", "--undo"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    session.external.check()
    qtbot.waitUntil(lambda: session.model.index_of("1.1", 1).data() == "已收集", timeout=TIMEOUT)
    assert recomputed == [1]


def test_a_catalogue_revised_on_the_command_line_shows_its_new_item(qtbot, settings, archive, monkeypatch, tmp_path):
    monkeypatch.setattr(external_writes, "SETTLE_MS", 0)
    window = make_window(qtbot, settings, archive.path)
    session = window.session
    qtbot.waitUntil(lambda: session.external.version is not None, timeout=TIMEOUT)
    revised = tmp_path / "目录.yaml"
    cli = [sys.executable, MAIN, "criteria", str(archive.path)]
    assert subprocess.run([*cli, "--export", str(revised)], capture_output=True, timeout=120).returncode == 0
    text = revised.read_text(encoding="utf-8")
    revised.write_text(text + "- code: '9'\n  title: 新增的评价项目\n  parent: null\n  level: 1\n", encoding="utf-8")
    done = subprocess.run([*cli, "--import", str(revised)], capture_output=True, text=True, encoding="utf-8",
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert session.model.index_of("9") is None or not session.model.index_of("9").isValid()
    session.external.check()
    qtbot.waitUntil(lambda: (index := session.model.index_of("9")) is not None and index.isValid(), timeout=TIMEOUT)
    assert session.model.criterion("9").title == "新增的评价项目"
