"""The one background-job helper: results, progress and errors arrive on the UI thread; 取消 stops the core."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget

from common.errors import Cancelled, UserError
from common.progress import ProgressReporter as CoreJob
from tests.ui_support import make_window, messages_fixture, settings_fixture  # noqa: F401 - fixtures
from ui.common.worker import ProgressDialog, run_job


def on_ui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def held_until(release: threading.Event, outcome):
    """A job that reports half its work, then waits for `release` and returns `outcome` (or raises it)."""
    def work(progress, cancel):
        progress(0.5, "一半")
        release.wait(10)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    return work


def test_result_and_progress_arrive_on_the_ui_thread(qtbot):
    worker_threads, seen = [], []

    def work(progress, cancel):
        worker_threads.append(threading.current_thread())
        progress(0.5, "一半")
        progress(1.0, "完成")
        return 42

    job = run_job(None, "测试", work, dialog=False)
    job.progressed.connect(lambda f, m: seen.append((f, m, on_ui_thread())))
    with qtbot.waitSignal(job.finished) as finished:
        pass
    assert finished.args == [42]
    assert worker_threads[0] is not threading.main_thread()
    assert seen and all(ui for _, _, ui in seen)
    assert seen[-1][:2] == (1.0, "完成")


def test_cancel_from_the_progress_dialog_stops_the_core(qtbot):
    started = threading.Event()

    def work(progress, cancel):
        job = CoreJob(progress, cancel, every=1)
        started.set()
        for step in range(5_000):
            job.tick(lambda s=step: s / 5_000, lambda: "处理中")
            threading.Event().wait(0.001)
        return "不应完成"

    parent = QWidget()
    qtbot.addWidget(parent)
    errors = []
    job = run_job(parent, "长任务", work, on_error=errors.append, dialog=False)
    dialog = ProgressDialog(parent, "长任务", job, delay_ms=0)
    qtbot.waitUntil(started.is_set)
    qtbot.waitUntil(dialog.isVisible)
    button = dialog.findChild(QPushButton)
    assert button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled)


def test_user_errors_are_shown_as_is(qtbot, messages):
    def work(progress, cancel):
        raise UserError("路径不存在：D:\\材料")

    job = run_job(None, "关联材料", work, dialog=False)
    with qtbot.waitSignal(job.done):
        pass
    assert messages == [("关联材料失败", "路径不存在：D:\\材料")]


def test_unexpected_errors_still_reach_the_user(qtbot, messages):
    def work(progress, cancel):
        return {}["没有"]

    job = run_job(None, "导出", work, dialog=False)
    with qtbot.waitSignal(job.done):
        pass
    assert messages == [("导出失败", "程序内部错误，操作未完成（KeyError：'没有'）")]  # no log file set up here


def test_a_bug_names_the_log_holding_its_traceback(qtbot, messages, tmp_path):
    """"KeyError：'没有'" alone told the clerk nothing of what happened or what to send to support."""
    log_file = tmp_path / "reviewready.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    logging.getLogger().addHandler(handler)
    try:
        job = run_job(None, "导出", lambda progress, cancel: {}["没有"], dialog=False)
        with qtbot.waitSignal(job.done):
            pass
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert messages == [("导出失败", f"程序内部错误，操作未完成（KeyError：'没有'）。详情已记录在日志中：{log_file}"
                                     "（请将此文件发给技术支持）")]
    assert "KeyError" in log_file.read_text(encoding="utf-8")  # the traceback is there


def test_demo_opens_from_the_window_in_the_user_data_folder(qtbot, settings, tmp_path):
    window = make_window(qtbot, settings)
    window.demo_action.trigger()
    qtbot.waitUntil(lambda: window.session is not None, timeout=30000)
    archive_path = Path(window.session.archive.path)
    assert archive_path == tmp_path / "data" / "demo" / "演示档案.rrdb"
    assert "（演示）" in window.windowTitle()
    assert window.session.model.index_of("2.1", 1).data() == "确认后有变更"
    assert not (Path(__file__).parent.parent / "demo").exists()


def visible_progress_dialogs() -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_the_progress_dialog_is_gone_before_the_result_or_the_error_shows(qtbot, monkeypatch):
    """A finished job's 完成 100% 取消 box must not sit over its own result (issue 16, point 1)."""
    seen: list[tuple[str, int]] = []  # (box, progress dialogs visible when it opened)

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            seen.append((kind, len(visible_progress_dialogs())))
            return QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()
    for outcome in ("好了", UserError("导出失败：文件被占用")):
        release.clear()
        done = lambda result: QMessageBox.information(window, "完成", str(result))  # noqa: E731
        job = run_job(window, "导出", held_until(release, outcome), done, delay_ms=0)
        qtbot.waitUntil(lambda: len(visible_progress_dialogs()) == 1)  # the dialog was really up
        release.set()
        with qtbot.waitSignal(job.done):
            pass
    assert seen == [("information", 0), ("warning", 0)]


def test_a_box_nobody_answers_fails_the_test_instead_of_waiting(qtbot, settings):
    """Offscreen, a modal box waits for a click forever: in the window tests (the `settings` fixture) one that the
    test did not expect (say, a job failing only on a slow machine) raises, naming the box, so CI fails, not hangs."""
    from PySide6.QtWidgets import QDialog

    with pytest.raises(AssertionError, match="关联材料失败：路径不存在"):
        QMessageBox.warning(None, "关联材料失败", "路径不存在：D:\\材料")
    with pytest.raises(AssertionError, match=r"QDialog\.exec"):
        QDialog().exec()


def test_a_result_for_a_dialog_closed_meanwhile_is_dropped(qtbot, messages):
    """A dialog asked for a job, then was closed and deleted before the job ended: its result and its error reach
    nobody (its callbacks are lambdas on its widgets, which Qt does not disconnect), rather than raising
    RuntimeError in the event loop or opening a box over nothing."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QDialog, QLabel

    release, shown = threading.Event(), []
    dialog = QDialog()
    label = QLabel(dialog)
    for outcome in ("计划", UserError("读不了")):
        run_job(dialog, "统计", held_until(release, outcome), lambda plan: shown.append(plan) or label.setText(plan),
                dialog=False)
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    ended = []
    run_job(None, "之后", lambda progress, cancel: None, ended.append, dialog=False)
    qtbot.waitUntil(lambda: bool(ended), timeout=10000)
    assert shown == [] and messages == []
