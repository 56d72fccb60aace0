"""A PDF search hit opens at its page where the user's PDF program can be told the page: the handler is read from
the registered open command (Windows) or the desktop's default (Linux), and the command line built for it is the
one each program documents; any other program opens the file plainly and the caller names the page."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from search import pdf_viewer
from search.pdf_viewer import (
    ACROBAT,
    BROWSER,
    INDEX_VIEWER,
    OKULAR,
    OTHER,
    SUMATRA,
    Handler,
    file_uri,
    linux_handler,
    open_pdf_at_page,
    page_command,
    windows_handler,
)

EVIDENCE = r"C:\证明材料\2.1 快检\督查报告.pdf"
ENCODED = "file:///C:/%E8%AF%81%E6%98%8E%E6%9D%90%E6%96%99/2.1%20%E5%BF%AB%E6%A3%80/" \
          "%E7%9D%A3%E6%9F%A5%E6%8A%A5%E5%91%8A.pdf"


@pytest.mark.parametrize(("command", "kind", "program"), [
    (r'"C:\Program Files\Adobe\Acrobat DC\Acrobat\Acrobat.exe" "%1"', ACROBAT,
     r"C:\Program Files\Adobe\Acrobat DC\Acrobat\Acrobat.exe"),
    (r'"C:\Program Files (x86)\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe" "%1"', ACROBAT,
     r"C:\Program Files (x86)\Adobe\Acrobat Reader DC\Reader\AcroRd32.exe"),
    (r'"C:\Users\张三\AppData\Local\SumatraPDF\SumatraPDF.exe" "%1"', SUMATRA,
     r"C:\Users\张三\AppData\Local\SumatraPDF\SumatraPDF.exe"),
    (r'"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --single-argument %1', BROWSER,
     r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
    (r'"C:\Program Files\Google\Chrome\Application\chrome.exe" --single-argument %1', BROWSER,
     r"C:\Program Files\Google\Chrome\Application\chrome.exe"),
    (r'C:\Tools\SUMATRAPDF.EXE %1', SUMATRA, r"C:\Tools\SUMATRAPDF.EXE"),  # unquoted, upper case
    (r'"C:\Users\张三\AppData\Local\Kingsoft\WPS Office\12.1.0\office6\wpspdf.exe" "%1"', OTHER,
     r"C:\Users\张三\AppData\Local\Kingsoft\WPS Office\12.1.0\office6\wpspdf.exe"),
    (r'"C:\Program Files (x86)\Foxit Software\Foxit PDF Reader\FoxitPDFReader.exe" "%1"', OTHER,
     r"C:\Program Files (x86)\Foxit Software\Foxit PDF Reader\FoxitPDFReader.exe"),
    ("", OTHER, ""),
])
def test_the_registered_windows_program_is_recognised(command, kind, program):
    assert windows_handler(command) == Handler(kind, program)


@pytest.mark.parametrize(("handler", "expected"), [
    (Handler(ACROBAT, "Acrobat.exe"), ["Acrobat.exe", "/A", "page=7", EVIDENCE]),
    (Handler(SUMATRA, "SumatraPDF.exe"), ["SumatraPDF.exe", "-page", "7", EVIDENCE]),
    (Handler(BROWSER, "msedge.exe"), ["msedge.exe", ENCODED + "#page=7"]),
    (Handler(INDEX_VIEWER, "/usr/bin/evince"), ["/usr/bin/evince", "--page-index=7", EVIDENCE]),
    (Handler(OKULAR, "/usr/bin/okular"), ["/usr/bin/okular", "--page", "7", EVIDENCE]),
    (Handler(OTHER, "wpspdf.exe"), None),
])
def test_each_program_gets_its_documented_page_switch(handler, expected):
    assert page_command(handler, EVIDENCE, 7) == expected


def test_file_uris_for_browsers():
    assert file_uri(EVIDENCE) == ENCODED
    assert file_uri(r"\\服务器\共享\a b.pdf") == "file://%E6%9C%8D%E5%8A%A1%E5%99%A8/%E5%85%B1%E4%BA%AB/a%20b.pdf"
    if sys.platform != "win32":
        assert file_uri("/srv/证据/a.pdf") == "file:///srv/%E8%AF%81%E6%8D%AE/a.pdf"


def test_the_linux_default_application_is_recognised_where_installed():
    found = {"evince": "/usr/bin/evince", "okular": "/usr/bin/okular"}
    assert linux_handler("org.gnome.Evince.desktop\n", found.get) == Handler(INDEX_VIEWER, "/usr/bin/evince")
    assert linux_handler("okularApplication_pdf.desktop", found.get) == Handler(OKULAR, "/usr/bin/okular")
    assert linux_handler("atril.desktop", found.get) == Handler(OTHER, "")  # named but not installed
    assert linux_handler("firefox.desktop", found.get) == Handler(OTHER, "")
    assert linux_handler("", found.get) == Handler(OTHER, "")


@pytest.fixture
def opened(monkeypatch):
    calls = []
    monkeypatch.setattr(pdf_viewer, "spawn", lambda command, path: calls.append(("page", command)))
    monkeypatch.setattr(pdf_viewer, "open_with_system", lambda path: calls.append(("plain", path)))
    return calls


def test_a_page_is_passed_only_to_a_pdf_program_that_takes_one(opened):
    sumatra = Handler(SUMATRA, "SumatraPDF.exe")
    assert open_pdf_at_page("a.pdf", 3, sumatra) is True
    assert open_pdf_at_page("a.pdf", 3, Handler(OTHER, "wps.exe")) is False
    assert open_pdf_at_page("a.pdf", None, sumatra) is False  # a name match: no page
    assert open_pdf_at_page("slides.pptx", 3, sumatra) is False  # a slide is not a PDF page
    assert opened == [("page", ["SumatraPDF.exe", "-page", "3", "a.pdf"]), ("plain", "a.pdf"), ("plain", "a.pdf"),
                      ("plain", "slides.pptx")]


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in viewer is a POSIX script")
def test_the_viewer_is_really_started_with_the_page(tmp_path):
    record = tmp_path / "argv.json"
    viewer = tmp_path / "evince"
    # Written beside and renamed into place: the test reads the record as soon as it exists, and a record created
    # but not yet written (seen on a loaded machine) read as "".
    viewer.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                      f"with open({str(record)!r} + '.part', 'w') as out:\n"
                      f"    out.write(json.dumps(sys.argv[1:]))\n"
                      f"os.replace({str(record)!r} + '.part', {str(record)!r})\n", encoding="utf-8")
    viewer.chmod(0o755)
    pdf = tmp_path / "督查 报告.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert open_pdf_at_page(str(pdf), 2, linux_handler("org.gnome.Evince.desktop", {"evince": str(viewer)}.get))
    deadline = time.monotonic() + 20
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert json.loads(record.read_text(encoding="utf-8")) == ["--page-index=2", str(pdf)]


@pytest.mark.skipif(sys.platform != "win32", reason="asks the Windows shell for the .pdf handler")
def test_the_windows_shell_names_some_pdf_handler_or_none():
    handler = pdf_viewer.registered_handler()
    assert handler.kind in (ACROBAT, SUMATRA, BROWSER, OTHER)
    assert handler.program == "" or os.path.basename(handler.program)
