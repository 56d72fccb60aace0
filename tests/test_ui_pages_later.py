"""Issue 19, item 4: the app shows the index as soon as it is written; page counts follow in a background job
without a dialog, and the tree is refreshed again when they are in."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QProgressDialog

from archive.index import inspection
from tests.ui_support import make_window, settings_fixture  # noqa: F401 - fixtures


def pdf_pages(archive) -> list:
    return [row[0] for row in archive.conn.execute("SELECT pages FROM files WHERE type = 'pdf'")]


def test_the_tree_shows_the_index_before_the_page_counts(qtbot, settings, archive, evidence, monkeypatch):
    gate, counting = threading.Event(), threading.Event()
    real_run = inspection.run

    def held_run(*args, **kwargs):  # the second pass waits until the test has looked at the window
        counting.set()
        assert gate.wait(30)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(inspection, "run", held_run)
    window = make_window(qtbot, settings, archive.path)
    window.session.link("1.1", [str(evidence / "1.1 领导小组")])
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 2).data() == "2", timeout=10000)  # the index
    qtbot.waitUntil(counting.is_set, timeout=10000)
    assert pdf_pages(archive) == [None]  # shown before its page count, which is being worked on
    assert window.session.counting is not None
    assert not any(dialog.isVisible() for dialog in window.findChildren(QProgressDialog))  # nothing in the way
    gate.set()
    qtbot.waitUntil(lambda: window.session.counting is None, timeout=10000)
    assert pdf_pages(archive) == [2]
    assert not inspection.has_pending(archive)


def test_page_counts_left_by_a_closed_session_are_done_when_the_archive_opens(qtbot, settings, archive, evidence):
    from archive.index.scan import scan
    from archive.links import link

    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive, pages=False)  # as if the app had been closed before its background pass ran
    assert pdf_pages(archive) == [None] and inspection.has_pending(archive)
    window = make_window(qtbot, settings, archive.path)
    qtbot.waitUntil(lambda: pdf_pages(archive) == [2], timeout=10000)
    qtbot.waitUntil(lambda: window.session.counting is None, timeout=10000)
    assert not inspection.has_pending(archive)
