"""The window reads what is committed: every read on the UI thread goes through the UI thread's own read-only
connection (Archive.read_apart), never the writer's. Through the writer's connection a read landed inside the
writer's open transaction: links deleted and not yet put back showed as an empty evidence table for a moment."""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest

from archive.index.scan import scan
from archive.links import link
from tests.ui_support import make_window, settings_fixture  # noqa: F401 - fixtures
from ui.common.worker import WRITER, WrongThreadRead, run_job
from ui.workspace.evidence_model import evidence_rows

TIMEOUT = 30000


@pytest.fixture
def linked(archive, evidence):
    """The test archive with 1.1 and 1.2 linked to their folders and indexed, closed for the window to open."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    scan(archive)
    archive.close()
    return archive.path


def shown_paths(window) -> list[str]:
    return [row.path for row in window.workspace.detail.model.rows]


def test_a_ui_read_during_a_writers_transaction_sees_the_last_commit(qtbot, settings, linked, evidence):
    """A job deletes every link and puts them back (with one more) in one transaction, held open half-way; the
    evidence table, the links and the file list read on the UI thread meanwhile show the committed state, and the
    job's commit as soon as its result is handed back."""
    window = make_window(qtbot, settings, linked)
    session, detail = window.session, window.workspace.detail
    detail.show_criterion("1")
    before_links, before_files = session.links_of("1.1"), shown_paths(window)
    assert before_links and len(before_files) == 3  # 1.1's two files and 1.2's one
    inside, release = threading.Event(), threading.Event()
    added = str(evidence / "2.1 农残治理" / "1. 快检台账")

    def relink(progress, cancel):
        archive = session.archive
        with archive.atomic():
            rows = archive.conn.execute("SELECT code, path, is_dir, created FROM links").fetchall()
            archive.conn.execute("DELETE FROM links")
            inside.set()
            if not release.wait(20):
                raise TimeoutError("the test never released the writer")
            archive.conn.executemany("INSERT INTO links (code, path, is_dir, created) VALUES (?, ?, ?, ?)",
                                     [*rows, ("1.2", added, 1, "now")])
        return scan(archive, progress, cancel, targets=[added], pages=False)

    outcome = []
    job = run_job(None, "删除并恢复关联", relink, outcome.append, dialog=False)
    try:
        assert inside.wait(20)
        detail.show_criterion("1")  # the evidence table and the links box read here, on the UI thread
        assert shown_paths(window) == before_files
        assert session.links_of("1.1") == before_links
        assert len(evidence_rows(session.archive, ["1.1", "1.2"])) == 3
    finally:
        release.set()
    qtbot.waitUntil(lambda: not job.running, timeout=TIMEOUT)
    assert outcome, "the job failed"
    detail.show_criterion("1")  # read right after the job's result arrived: its commit is there
    assert len(shown_paths(window)) == 4
    assert session.links_of("1.2")[-1][0] == added


def test_a_read_through_the_writers_connection_on_the_ui_thread_is_caught(qtbot, settings, linked, caplog):
    """The guard: a connection handed over from the writer (as a bug might keep one) is refused on the UI thread in
    the tests, logged in the app; the UI thread's own connection cannot write."""
    window = make_window(qtbot, settings, linked)
    archive = window.session.archive
    handed = WRITER.run(lambda: archive.conn)
    assert handed is not archive.conn
    with pytest.raises(WrongThreadRead):
        handed.execute("SELECT COUNT(*) FROM links")
    assert len(WRITER.stray) == 1 and "MainThread" in WRITER.stray[0]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        archive.conn.execute("DELETE FROM links")
    WRITER.strict = False  # as in the app: the read goes through, and the log says where it came from
    with caplog.at_level(logging.ERROR, logger="ui.common.writer_thread"):
        assert handed.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 2
    assert "档案读取（经写入线程的连接）不在写入线程上" in caplog.text
    assert len(WRITER.stray) == 2


def test_closing_the_archive_closes_the_ui_threads_connection(qtbot, settings, linked):
    window = make_window(qtbot, settings, linked)
    archive = window.session.archive
    assert archive.title and archive.readers.open_count() >= 1
    window.close_archive()
    assert archive.readers.open_count() == 0
    with pytest.raises(sqlite3.ProgrammingError):
        archive.meta("title")
