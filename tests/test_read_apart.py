"""Reads apart from the writer (archive/readers.py), without Qt: under the app's rule every thread but the writer
reads through a read-only connection of its own, sees committed data only, and every connection closes with the
archive. Without the rule (the command line, the core's own tests) one connection serves every thread, as before."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading

import pytest

import archive.db as archive_db
from archive.db import open_archive
from archive.links import link
from archive.writer import Writer


class ThreadRule(Writer):
    """The app's rule in small: one named thread is the writer; reads through its connection elsewhere are kept."""

    def __init__(self):
        self.writer: threading.Thread | None = None
        self.stray_reads: list[str] = []

    def is_writer(self) -> bool:
        return threading.current_thread() is self.writer

    def check_read(self) -> None:
        self.stray_reads.append(threading.current_thread().name)


def on_thread(fn, name: str = "writer", rule: ThreadRule | None = None):
    """Run fn() on a thread of its own (the rule's writer when given) and return its result."""
    outcome = {}

    def call():
        try:
            outcome["result"] = fn()
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=call, name=name)
    if rule is not None:
        rule.writer = thread
    thread.start()
    thread.join(30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def linked_paths(arc) -> list[str]:
    return [path for (path,) in arc.conn.execute("SELECT path FROM links ORDER BY path")]


def test_without_the_rule_every_thread_shares_the_one_connection(archive):
    """The command line and the core's tests: one thread writes and reads, through one connection, as before."""
    assert on_thread(lambda: archive.conn) is archive.conn
    with archive.atomic():
        archive.conn.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
        assert archive.meta("probe") == "1"  # a read inside the transaction sees it, on the same connection
    assert archive.readers is None


def test_a_reading_thread_sees_the_last_commit_and_never_a_transaction_half_done(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    before = linked_paths(archive)
    rule = ThreadRule()
    archive.read_apart(rule)
    inside, release = threading.Event(), threading.Event()

    failed: list[BaseException] = []

    def relink():  # every link deleted and put back, with one more, in one transaction
        try:
            with archive.atomic():
                rows = archive.conn.execute("SELECT code, path, is_dir, created FROM links").fetchall()
                archive.conn.execute("DELETE FROM links")
                inside.set()
                assert release.wait(30)
                archive.conn.executemany("INSERT INTO links (code, path, is_dir, created) VALUES (?, ?, ?, ?)",
                                         [*rows, ("2.1", str(evidence / "2.1 农残治理"), 1, "now")])
        except BaseException as exc:  # handed to the test's thread
            failed.append(exc)

    writer = threading.Thread(target=relink, name="writer")
    rule.writer = writer
    writer.start()
    try:
        assert inside.wait(30)
        assert linked_paths(archive) == before  # the committed state, not the empty table of the open transaction
    finally:
        release.set()
        writer.join(30)
    assert failed == []
    assert linked_paths(archive) == sorted([*before, str(evidence / "2.1 农残治理")])  # the commit, at once
    assert rule.stray_reads == []


def test_a_reading_threads_connection_is_read_only_and_its_own(archive):
    rule = ThreadRule()
    archive.read_apart(rule)
    writers = on_thread(lambda: archive.conn, rule=rule)
    assert archive.conn is not writers
    assert on_thread(lambda: archive.conn, name="another reader") not in (archive.conn, writers)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        archive.conn.execute("DELETE FROM links")


def test_a_read_through_the_writers_connection_elsewhere_is_reported(archive):
    rule = ThreadRule()
    archive.read_apart(rule)
    handed = on_thread(lambda: archive.conn, rule=rule)  # as a bug might: the writer's connection, kept
    handed.execute("SELECT COUNT(*) FROM links").fetchone()
    assert rule.stray_reads == ["MainThread"]
    with archive.atomic():  # a thread writing (a stray write, which the write check reports) is not a stray read
        archive.conn.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
        assert archive.meta("probe") == "1"  # its reads inside its transaction see its own writes
    assert rule.stray_reads == ["MainThread"]
    assert archive.meta("probe") == "1"


def test_a_thread_that_ended_gives_its_connection_back(archive):
    archive.read_apart(ThreadRule())
    on_thread(lambda: archive.title, name="short-lived reader")
    assert archive.readers.open_count() == 1
    assert archive.title == "某某县"
    assert archive.readers.open_count() == 1  # the ended thread's connection was closed as this one opened


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="open files are counted through /proc")
def test_closing_the_archive_closes_every_connection_on_its_file(archive):
    """No connection may stay open on a closed archive (Windows would keep the file locked)."""
    def open_on_the_file() -> int:
        names = {str(archive.path) + suffix for suffix in archive_db.SIDE_FILES}
        return sum(os.path.realpath(f"/proc/self/fd/{fd}") in names for fd in os.listdir("/proc/self/fd"))

    rule = ThreadRule()
    archive.read_apart(rule)
    on_thread(lambda: archive.title, rule=rule)
    kept_reader = threading.Event()
    stop = threading.Event()

    def reader():
        assert archive.title == "某某县"
        kept_reader.set()
        stop.wait(30)

    alive = threading.Thread(target=reader, name="living reader")
    alive.start()
    assert kept_reader.wait(30)
    assert archive.title == "某某县"
    assert archive.readers.open_count() == 2  # the main thread's and the living reader's
    assert open_on_the_file() > 0
    archive.close()
    stop.set()
    alive.join(30)
    assert open_on_the_file() == 0
    with pytest.raises(sqlite3.ProgrammingError):  # a read after closing is refused, never opens a connection again
        archive.meta("title")


def test_a_read_only_archive_keeps_its_one_connection(archive, monkeypatch):
    """On a read-only medium nothing writes, so there is nothing half done to keep away from."""
    path = archive.path
    archive.close()
    monkeypatch.setattr(archive_db, "is_writable", lambda _path: False)
    with open_archive(path) as readable:
        readable.read_apart(ThreadRule())
        assert readable.read_only and readable.readers is None
        assert on_thread(lambda: readable.conn) is readable.conn
        assert readable.title == "某某县"
