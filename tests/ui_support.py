"""Helpers shared by the pytest-qt tests: an isolated settings folder and a main window on a real archive.

Test modules import the fixtures by their function names (settings_fixture, messages_fixture) and use them by the
names given in @pytest.fixture(name=...).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from ui.common import shell, worker
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
    refuse_modal_boxes(monkeypatch)
    return Settings()


BOX_KINDS = ("warning", "information", "critical", "question")
_QT_BOXES = {kind: QMessageBox.__dict__[kind] for kind in BOX_KINDS}
_QT_EXEC = QDialog.__dict__["exec"]


def refuse_modal_boxes(monkeypatch) -> None:
    """A message box or dialog the test did not answer fails the test, naming it, instead of waiting offscreen for
    a click that never comes (a box that shows only on a slow machine would hang CI, not fail it). The `messages`
    fixture and a test's own stand-in for a dialog's exec, set after this (or before: kept), answer instead."""
    def refuse(kind):
        def show(parent, title, text, *args, **kwargs):
            raise AssertionError(f"未应答的消息框（QMessageBox.{kind}）：{title}：{text}")
        return staticmethod(show)

    for kind in BOX_KINDS:
        if QMessageBox.__dict__[kind] is _QT_BOXES[kind]:
            monkeypatch.setattr(QMessageBox, kind, refuse(kind))
    if QDialog.__dict__["exec"] is _QT_EXEC:
        def refuse_exec(dialog):
            raise AssertionError(f"未应答的对话框（{type(dialog).__name__}.exec）：{dialog.windowTitle()}")
        monkeypatch.setattr(QDialog, "exec", refuse_exec)


@pytest.fixture(name="messages")
def messages_fixture(monkeypatch) -> list[tuple[str, str]]:
    """Message boxes are recorded instead of blocking the test: (title, text)."""
    shown: list[tuple[str, str]] = []

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((title, text))
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in BOX_KINDS:
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    # a finished export's 打开文件 / 打开所在文件夹 box: recorded, answered 关闭
    def completed(parent, text, title="导出完成"):
        shown.append((title, text))
        return ""
    monkeypatch.setattr(shell, "completion_box", completed)
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


def window_on_renamed_plan(qtbot, settings, archive, evidence, new_name: str):
    """1.2 linked to its plan (a file) and scanned, the window open on 1.2, then the plan renamed in place (the
    window has not scanned since). Returns (window, plan's old path, its new path, its file id)."""
    from archive.index.scan import scan
    from archive.links import link

    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    link(archive, "1.2", [str(plan)])
    scan(archive)
    file_id = archive.conn.execute("SELECT id FROM files").fetchone()[0]
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.2")
    renamed = plan.with_name(new_name)
    plan.rename(renamed)
    return window, plan, renamed, file_id


def messages_said(window) -> list[str]:
    """Every status-bar message from now on, in order, each in full (the bar elides a long one to fit)."""
    from ui.common.statusline import whole_message

    said: list[str] = []
    bar = window.statusBar()
    bar.messageChanged.connect(lambda message: said.append(whole_message(bar) if message else ""))
    return said
