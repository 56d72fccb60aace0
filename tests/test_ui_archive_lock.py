"""One window per archive: a second window refused (told where it is open), a lock left by a crashed app taken over,
one held on another computer opened only when the clerk says that computer is done with it. Real lock files beside
a real archive."""

from __future__ import annotations

import os

from PySide6.QtCore import QSysInfo
from PySide6.QtWidgets import QMessageBox

from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.window.archive_lock import lock_path


def test_a_second_window_on_an_open_archive_is_refused_until_the_first_closes_it(qtbot, settings, archive, messages):
    first = make_window(qtbot, settings, archive.path)
    second = make_window(qtbot, settings)
    assert not second.open_archive(archive.path) and second.session is None
    assert messages[-1][0] == "档案已打开" and "本机的另一个迎检通窗口" in messages[-1][1]
    assert f"（进程 {os.getpid()}）" in messages[-1][1]
    first.open_archive(archive.path)  # opened again from its recent list: still its own
    assert first.session is not None and len(messages) == 1
    first.close_archive()
    assert not os.path.exists(lock_path(archive.path))
    assert second.open_archive(archive.path) and os.path.exists(lock_path(archive.path))


def test_a_lock_left_by_an_app_that_is_gone_is_taken_over(qtbot, settings, archive, messages):
    dead = max(os.getpid(), 100000) + 999999  # no such process
    with open(lock_path(archive.path), "w", encoding="utf-8") as lock:
        lock.write(f"{dead}\nReviewReady\n{QSysInfo.machineHostName()}\n")
    window = make_window(qtbot, settings, archive.path)
    assert window.session is not None and messages == []


def test_a_lock_held_on_another_computer_asks_before_opening(qtbot, settings, archive, messages, monkeypatch):
    with open(lock_path(archive.path), "w", encoding="utf-8") as lock:
        lock.write("4242\nReviewReady\n县市场监管局-PC\n")
    window = make_window(qtbot, settings)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    assert not window.open_archive(archive.path) and window.session is None
    assert "电脑“县市场监管局-PC”" in asked[0]
    assert window.open_archive(archive.path) and window.session is not None
    with open(lock_path(archive.path), encoding="utf-8") as lock:
        assert lock.readline().strip() == str(os.getpid())  # the lock is this window's now
