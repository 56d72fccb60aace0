"""The file dialogs leave the open archive alone. Qt's own dialog (Linux; Windows uses the native one) read the files
it listed to tell their types: shown the archive's folder, it opened and closed the archive, which drops every POSIX
lock the process holds on it. The next program to open and close the archive (a command-line run) then took itself
for the last user and deleted the write-ahead log under the app: its next reading connection failed with "disk I/O
error", and what it wrote after went to a deleted file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QTimer

from archive.db import open_archive
from ui.common import file_dialogs

ROOT = Path(__file__).resolve().parent.parent
STATIC_CALL = re.compile(r"QFileDialog\s*\.\s*get(OpenFileNames?|SaveFileName|ExistingDirectory)\w*\(")


def spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def open_and_close_elsewhere(path: Path) -> None:
    """What any other program using the archive does, the command line included: open it, read, close."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT COUNT(*) FROM meta').fetchone();"
            " c.close()")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows locks belong to handles: closing another keeps them")
@pytest.mark.parametrize("choose", ["get_open_file_name", "get_existing_directory", "get_save_file_name"])
def test_a_dialog_on_the_archives_folder_leaves_its_log_in_place(qtbot, archive, choose, monkeypatch):
    with archive.atomic():
        archive.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', '1')")  # in the log
    shown = []

    def show_instead_of_exec(dialog):  # a modal exec would wait for a click: show it and let it list the folder
        qtbot.addWidget(dialog)
        dialog.show()
        spin(600)
        dialog.grab()  # paints the list: every row's icon and type asked for
        spin(200)
        shown.append(dialog.directory().absolutePath())
        return 0

    monkeypatch.setattr(file_dialogs.QFileDialog, "exec", show_instead_of_exec)
    getattr(file_dialogs, choose)(None, "选择", str(archive.path.parent))
    assert shown == [str(archive.path.parent)]
    open_and_close_elsewhere(archive.path)
    assert Path(f"{archive.path}-wal").exists() and Path(f"{archive.path}-shm").exists()
    with archive.snapshot() as view:  # a reading connection of the app's own, as the export's plan opens
        assert view.meta("probe") == "1"
    with archive.atomic():
        archive.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', '2')")
    archive.close()
    reopened = open_archive(archive.path)
    assert reopened.meta("probe") == "2"  # the write after the dialog reached the file: not a deleted log
    reopened.close()


def test_the_app_chooses_files_through_the_safe_dialogs_only():
    """Qt's static QFileDialog functions build their own dialog outside Windows, which reads the listed files."""
    helpers = ROOT / "ui" / "common" / "file_dialogs.py"
    found = [f"{path.relative_to(ROOT)}:{number}" for path in (ROOT / "ui").rglob("*.py") if path != helpers
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if STATIC_CALL.search(line)]
    assert found == []


@pytest.mark.parametrize(("helper", "static", "answer"), [
    ("get_open_file_name", "getOpenFileName", ("C:/材料/通知.pdf", "PDF (*.pdf)")),
    ("get_open_file_names", "getOpenFileNames", (["C:/材料/通知.pdf"], "")),
    ("get_save_file_name", "getSaveFileName", ("C:/汇编.pdf", "")),
    ("get_existing_directory", "getExistingDirectory", "C:/材料")])
def test_on_windows_explorers_dialog_is_shown_as_before(monkeypatch, helper, static, answer):
    """Windows keeps its locks per handle: there the static functions, which show Explorer's own dialog."""
    asked = []
    monkeypatch.setattr(file_dialogs, "WINDOWS", True)
    monkeypatch.setattr(file_dialogs.QFileDialog, static, staticmethod(lambda *args: asked.append(args) or answer))
    assert getattr(file_dialogs, helper)(None, "选择", "C:/材料") == answer
    assert asked == [(None, "选择", "C:/材料")] if static == "getExistingDirectory" else [(None, "选择", "C:/材料", "")]


def test_no_desktop_dialog_is_loaded_into_the_app_outside_windows(qtbot, tmp_path):
    """GTK's dialog, which Qt loads into the process on a GNOME desktop, tells types by content as well."""
    dialog = file_dialogs.make_dialog(None, "选择", str(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.testOption(file_dialogs.QFileDialog.Option.DontUseNativeDialog)
    assert isinstance(dialog.iconProvider(), file_dialogs.NameOnlyIconProvider)
