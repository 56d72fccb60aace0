"""One writer: every write the window makes, and the monitor's, runs on the app's writer thread, never on the UI
thread. Each action below is driven as a user drives it, on a watched archive; the writer's audit records the thread
of every write transaction on the archives the app holds, and each action must have written, only there."""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from dataclasses import replace

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from archive.db import create_archive, needs_upgrade, open_archive
from common.errors import Cancelled, UserError
from criteria.model import Criterion
from criteria.yamlio import save_yaml
from selfeval import rectify
from selfeval.scores import set_score
from selfeval.sheet import load_sheet
from tests.selfeval_support import rules_archive_fixture, rules_catalogue  # noqa: F401 - fixture
from tests.ui_support import (  # noqa: F401 - fixtures
    make_window,
    messages_fixture,
    settings_fixture,
    verify_as,
    wait_for_writes,
)
from ui.common.worker import WRITER, WrongThreadWrite, run_job
from ui.selfeval.rectify_dialog import RectifyDialog
from ui.selfeval.rules_dialog import RulesDialog
from ui.selfeval.verify_dialog import VerifyDialog
from ui.window import archive_actions
from ui.window.revision_dialog import RevisionDialog

TIMEOUT = 30000


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "证明材料"
    for folder in ("2.2 食品抽检", "3.1 校园食品", "整改材料"):
        (root / folder).mkdir(parents=True)
        (root / folder / "说明.txt").write_text(f"{folder}的说明", encoding="utf-8")
    return root


class Audit:
    """Runs one action, waits for its effect and for the session's queued writes, keeps the writes it made."""

    def __init__(self, qtbot, window):
        self.qtbot, self.window = qtbot, window
        self.writes: dict[str, list[tuple[str, bool]]] = {}

    def act(self, name: str, action, effect) -> None:
        WRITER.audit = seen = []
        action()
        self.qtbot.waitUntil(effect, timeout=TIMEOUT)
        wait_for_writes(self.qtbot, self.window.session, TIMEOUT)
        WRITER.audit = None
        self.writes[name] = seen


def count(archive, sql: str, *args) -> int:
    return archive.conn.execute(sql, args).fetchone()[0]


def test_every_write_of_the_window_and_the_monitor_runs_on_the_writer(qtbot, settings, messages, rules_archive,
                                                                      tree, tmp_path, monkeypatch):
    settings.quiet_period = 0.2
    settings.confirmer = "张三"
    window = make_window(qtbot, settings, rules_archive.path, monitor=True)
    qtbot.waitUntil(lambda: window.monitor_label.text().startswith("监控中"), timeout=TIMEOUT)
    session, workspace = window.session, window.workspace
    box, page = workspace.feature("selfeval").box, workspace.feature("selfeval").problems
    arc = rules_archive  # the test's own connection: it reads, the app writes
    audit = Audit(qtbot, window)
    food, school = tree / "2.2 食品抽检", tree / "3.1 校园食品"

    def sheet(code: str):
        return load_sheet(arc).by_code[code]

    workspace.criteria.select("2.2")
    box.score.setValue(24)
    audit.act("score", box.save_button.click, lambda: sheet("2.2").score and sheet("2.2").score.points == 24)

    def units() -> None:
        workspace.criteria.select("3.2")
        box.lead.setEditText("市生态环境局")
        box.due.setDate(QDate(2030, 9, 30))
        box.kind.setCurrentIndex(box.kind.findData("关键项"))
        box.save()
    audit.act("units, deadline, kind", units, lambda: sheet("3.2").assignment.lead == "市生态环境局")

    def veto() -> None:
        workspace.criteria.select("1.1")
        box.veto.setCurrentIndex(box.veto.findData("否决"))
        workspace.criteria.select("3.1")  # choosing another criterion saves
    audit.act("veto by switching", veto, lambda: sheet("1.1").veto_failed)

    def rules() -> None:
        dialog = RulesDialog(session, window)
        dialog.veto.setChecked(False)
        dialog.accept()
    audit.act("rules", rules, lambda: '"veto": false' in (arc.meta("pass_rules") or ""))

    def add_problem() -> None:
        dialog = RectifyDialog(session, page, code="2.2")
        dialog.text.setPlainText("抽检批次不足")
        dialog.accept()
    audit.act("problem added", add_problem, lambda: len(rectify.list_all(arc)) == 1)
    problem = rectify.list_all(arc)[0]

    def edit_problem() -> None:
        dialog = RectifyDialog(session, page, item=problem)
        dialog.note.setText("已约谈")
        dialog.accept()
    audit.act("problem edited", edit_problem, lambda: rectify.get(arc, problem.id).note == "已约谈")
    page.refresh()
    page.select(problem.id)
    audit.act("problem fixed", page.buttons["fixed"].click, lambda: rectify.get(arc, problem.id).state == "fixed")
    monkeypatch.setattr(VerifyDialog, "exec", verify_as("李四", "现场核查"))
    audit.act("problem verified", page.buttons["verify"].click,
              lambda: rectify.get(arc, problem.id).state == "verified")
    audit.act("problem reopened", page.buttons["reopen"].click, lambda: rectify.get(arc, problem.id).state == "open")
    audit.act("problem evidence linked", lambda: page.link([str(tree / "整改材料")]),
              lambda: len(rectify.evidence_links(arc, problem.id)) == 1)

    def unlink_evidence() -> None:
        page.links.item(0).setSelected(True)
        page.link_buttons["unlink"].click()
    audit.act("problem evidence unlinked", unlink_evidence, lambda: not rectify.evidence_links(arc, problem.id))
    audit.act("problem deleted", page.buttons["delete"].click, lambda: not rectify.list_all(arc))

    audit.act("link", lambda: session.link("2.2", [str(food)]),
              lambda: count(arc, "SELECT COUNT(*) FROM files WHERE path LIKE ?", f"{food}%") == 1)
    audit.act("confirm", lambda: session.confirm("2.2", "已核对"),
              lambda: count(arc, "SELECT COUNT(*) FROM confirmations WHERE withdrawn IS NULL") == 1)
    audit.act("withdraw", lambda: session.withdraw("2.2"),
              lambda: count(arc, "SELECT COUNT(*) FROM confirmations WHERE withdrawn IS NULL") == 0)
    before = count(arc, "SELECT COUNT(*) FROM events")
    audit.act("monitor", lambda: (food / "抽检计划.txt").write_text("计划", encoding="utf-8"),
              lambda: count(arc, "SELECT COUNT(*) FROM events WHERE path LIKE ?", "%抽检计划.txt") == 1)
    assert count(arc, "SELECT COUNT(*) FROM events") > before
    audit.act("unlink", lambda: session.unlink("2.2", str(food)),
              lambda: count(arc, "SELECT COUNT(*) FROM links WHERE code = '2.2'") == 0)
    reports = []
    audit.act("automap", lambda: session.automap(str(tree), reports.append), lambda: bool(reports))
    assert count(arc, "SELECT COUNT(*) FROM links WHERE code IN ('2.2', '3.1')") == 2
    (school / "食堂公示.txt").write_text("公示", encoding="utf-8")
    window.pause_action.trigger()  # the user's F5 must do the work here, not the monitor
    qtbot.waitUntil(lambda: window.monitor_label.text() == "已暂停", timeout=TIMEOUT)
    audit.act("scan", session.scan_all,
              lambda: count(arc, "SELECT COUNT(*) FROM files WHERE path LIKE ?", "%食堂公示.txt") == 1)
    window.pause_action.trigger()

    revised = replace(rules_catalogue(), criteria=[*rules_catalogue().criteria,
                                                   Criterion("4.2", "新增项目", "4", 2, "2.", points=5)])
    save_yaml(revised, tmp_path / "修订目录.yaml")
    monkeypatch.setattr("ui.common.file_dialogs.get_open_file_name",
                        lambda *args, **kwargs: (str(tmp_path / "修订目录.yaml"), ""))
    monkeypatch.setattr(RevisionDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)  # the clerk approves

    def reimport() -> None:  # first the import plan, then the revision plan
        dialog = archive_actions.import_catalogue(window, session)
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=TIMEOUT)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    audit.act("catalogue imported", reimport,
              lambda: count(arc, "SELECT COUNT(*) FROM criteria WHERE code = '4.2'") == 1)

    for name, writes in audit.writes.items():
        assert writes, f"{name}: no write reached the archive"
        assert all(on_writer for _thread, on_writer in writes), f"{name}: written off the writer: {writes}"
        assert "MainThread" not in {thread for thread, _ in writes}, name
    assert WRITER.stray == []
    assert not [m for m in messages if "失败" in m[0]], messages


def test_a_write_on_the_ui_thread_is_caught(qtbot, settings, rules_archive, caplog):
    """The check itself: strict in the tests (the write is refused and raises), logged in the app."""
    window = make_window(qtbot, settings, rules_archive.path)
    with pytest.raises(WrongThreadWrite):
        set_score(window.session.archive, "2.2", 10)
    assert len(WRITER.stray) == 1 and "MainThread" in WRITER.stray[0]
    assert load_sheet(rules_archive).by_code["2.2"].score is None  # refused before the transaction began
    WRITER.strict = False  # as in the app: the write goes through, and the log says where it came from
    with caplog.at_level(logging.ERROR, logger="ui.common.worker"):
        set_score(window.session.archive, "2.2", 10)
    assert "档案写入不在写入线程上" in caplog.text and "set_score" in caplog.text
    assert len(WRITER.stray) == 2


def test_an_archive_that_needs_upgrading_is_opened_by_the_writer(qtbot, settings, tmp_path):
    path = tmp_path / "旧档案.rrdb"
    create_archive(path, "旧档案").close()
    with closing(sqlite3.connect(path)) as conn:  # as an archive made elsewhere might be: not in WAL mode
        conn.execute("PRAGMA journal_mode = DELETE")
    assert needs_upgrade(path)
    window = make_window(qtbot, settings)
    WRITER.audit = seen = []
    assert window.open_archive(str(path))
    WRITER.audit = None
    assert seen and all(on_writer for _thread, on_writer in seen)
    assert not needs_upgrade(path)
    with open_archive(path) as archive:
        assert archive.db.journal_mode == "wal"


def test_the_writer_runs_a_waiting_threads_work_in_queue_order(qtbot):
    """What the monitor relies on: WRITER.run queues behind the jobs already waiting, returns the result or raises
    the error in the calling thread, and a cancel before it started takes it off the queue unrun."""
    order, outcome = [], {}

    def occupy(name: str) -> tuple[object, threading.Event]:
        release = threading.Event()

        def work(progress, cancel):
            release.wait(20)
            order.append(name)
        return run_job(None, name, work, dialog=False), release  # a job without a parent lives by its handle

    def in_thread(name: str, fn) -> threading.Thread:
        def call() -> None:
            try:
                outcome[name] = fn()
            except (UserError, Cancelled) as exc:
                outcome[name] = exc
        thread = threading.Thread(target=call, name=name)
        thread.start()
        return thread

    first, release_first = occupy("first job")
    waiting = in_thread("monitor-like", lambda: WRITER.run(
        lambda: order.append("run") or threading.current_thread().name))
    release_first.set()
    waiting.join(20)
    assert order == ["first job", "run"]
    assert outcome["monitor-like"] != "monitor-like"  # it ran on the writer, not in the waiting thread
    def refuse():
        raise UserError("不行")
    failing = in_thread("failing", lambda: WRITER.run(refuse))
    failing.join(20)
    assert str(outcome["failing"]) == "不行"  # the writer's error, raised where it was asked for
    second, release_second = occupy("second job")
    stop = threading.Event()
    cancelled = in_thread("stopping", lambda: WRITER.run(lambda: order.append("never"), cancel=stop.is_set))
    stop.set()
    cancelled.join(20)
    assert isinstance(outcome["stopping"], Cancelled)  # taken off the queue while the second job still ran
    release_second.set()
    qtbot.waitUntil(lambda: not first.running and not second.running, timeout=TIMEOUT)
    assert order == ["first job", "run", "second job"]


def test_many_jobs_report_in_order_and_leave_nothing_behind(qtbot):
    """Two hundred jobs in a burst: each result reaches its own callback, in the order asked for, on the UI thread;
    the writer thread holds no Qt object of theirs afterwards (a job's QObject freed on the writer thread crashed the
    app), and the queue is empty and idle."""
    from PySide6.QtCore import QObject

    from ui.common import worker
    from ui.common.writer_thread import job_pool

    results, threads = [], set()
    jobs = [run_job(None, f"job {n}", lambda progress, cancel, n=n: threads.add(threading.current_thread().name) or n,
                    lambda value: results.append((value, threading.current_thread() is threading.main_thread())),
                    dialog=False) for n in range(200)]
    tasks = [job._task for job in jobs]
    del jobs
    qtbot.waitUntil(lambda: len(results) == 200, timeout=TIMEOUT)
    assert results == [(n, True) for n in range(200)]
    assert threads == {"archive-writer"}
    assert job_pool().wait_for_done(5000)
    qtbot.waitUntil(lambda: not worker._live, timeout=TIMEOUT)  # forgotten once handled: nothing leaks
    for task in tasks:
        held = [value for value in vars(task).values() if isinstance(value, QObject)]
        assert held == [worker._bridge()] and task.fn is None  # only the app-long bridge; the function let go
