"""Helpers shared by the pytest-qt tests: an isolated settings folder and a main window on a real archive.

Test modules import the fixtures by their function names (settings_fixture, messages_fixture) and use them by the
names given in @pytest.fixture(name=...).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.common import worker
from ui.common.settings import Settings
from ui.common.worker import WRITER
from ui.window.main_window import MainWindow


@pytest.fixture(name="settings")
def settings_fixture(tmp_path, monkeypatch) -> Settings:
    """Settings and app data in the test's own folders, never the developer's real profile. And the writer is
    strict: a write to an archive the app holds, made anywhere but on the writer thread, raises in the test."""
    monkeypatch.setenv("REVIEWREADY_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("REVIEWREADY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(WRITER, "strict", True)
    monkeypatch.setattr(WRITER, "stray", [])
    return Settings()


@pytest.fixture(name="messages")
def messages_fixture(monkeypatch) -> list[tuple[str, str]]:
    """Message boxes are recorded instead of blocking the test: (title, text)."""
    shown: list[tuple[str, str]] = []

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((title, text))
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown


def wait_for_writes(qtbot, session, timeout: int = 60000) -> None:
    """Every write the session queued has been written by the writer and its result handled on the UI thread."""
    qtbot.waitUntil(lambda: not session.jobs, timeout=timeout)


def wait_for_writer(qtbot, timeout: int = 60000) -> None:
    """Every job queued on the writer, the session's or not (the text indexer's, a dialog's plan), has run and its
    end was handled on the UI thread: what follows sees everything the app asked to write."""
    qtbot.waitUntil(lambda: not worker.busy(), timeout=timeout)


def wait_for_indexer(qtbot, window, timeout: int = 60000):
    """The background text reader has read the archive as it is now (its first pass also creates its tables, a
    write the window makes on its own a few seconds after an archive opens) and has nothing left to do."""
    indexer = window.search.indexer
    calm = indexer.timer.interval()
    indexer.timer.setInterval(0)  # a pass the window has already scheduled starts now, not a few seconds later
    with qtbot.waitSignal(indexer.idle, timeout=timeout):
        indexer.start()
    indexer.timer.setInterval(calm)
    return indexer


def make_window(qtbot, settings: Settings, archive_path=None, monitor: bool = False) -> MainWindow:
    window = MainWindow(settings, monitor=monitor)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    if archive_path is not None:
        assert window.open_archive(str(archive_path))
    return window


def verify_as(name: str, note: str = ""):
    """VerifyDialog.exec replaced: the verifier and the 核查说明 typed in, then 验证."""
    def exec_(dialog) -> int:
        dialog.name.setText(name)
        dialog.note.setText(note)
        return 1
    return exec_
