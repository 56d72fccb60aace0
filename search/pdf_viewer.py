"""Open a PDF at a page with the user's own PDF program, where that program can be told the page.

No portable way exists: each viewer has its own switch, and only some have one. On Windows the handler registered
for .pdf (the user's choice, as Explorer would use it) is asked of the shell (AssocQueryString); on Linux the
desktop's default application for application/pdf (xdg-mime). Where the program is one of those below, it is
started with the page; any other (WPS, Foxit, Windows' own apps: no documented page switch) opens the file as a
double click would, and the caller tells the clerk the page instead.

  Adobe Acrobat / Reader   Acrobat.exe /A "page=N" FILE        (Adobe, "PDF Open Parameters")
  SumatraPDF               SumatraPDF.exe -page N FILE         (SumatraPDF's command-line arguments)
  Edge, Chrome, Firefox    msedge.exe file:///FILE#page=N      (the browsers' PDF viewers read the page fragment)
  Evince, Atril, Xreader   evince --page-index=N FILE          (their manual pages: -i, --page-index)
  Okular                   okular --page N FILE                (its manual page: -p, --page)
"""

from __future__ import annotations

import ntpath
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from common.winpaths import open_with_system, spawn

ACROBAT, SUMATRA, BROWSER, INDEX_VIEWER, OKULAR, OTHER = "acrobat", "sumatra", "browser", "index", "okular", "other"
WINDOWS_PROGRAMS = {  # executable name (lower case) -> kind
    "acrobat.exe": ACROBAT, "acrord32.exe": ACROBAT, "acrord64.exe": ACROBAT,
    "sumatrapdf.exe": SUMATRA,
    "msedge.exe": BROWSER, "chrome.exe": BROWSER, "firefox.exe": BROWSER,
}
LINUX_PROGRAMS = (("evince", INDEX_VIEWER), ("atril", INDEX_VIEWER), ("xreader", INDEX_VIEWER), ("okular", OKULAR))
_EXE = re.compile(r'\s*(?:"([^"]+)"|(\S+))')


@dataclass(frozen=True)
class Handler:
    kind: str  # one of the kinds above; OTHER: opened without a page
    program: str  # the executable ("" when none was found)


def windows_handler(command: str) -> Handler:
    """The handler of a registered open command, e.g. '"C:\\Program Files\\Adobe\\...\\Acrobat.exe" "%1"'."""
    match = _EXE.match(command or "")
    program = (match.group(1) or match.group(2)) if match else ""
    return Handler(WINDOWS_PROGRAMS.get(ntpath.basename(program).lower(), OTHER), program)


def linux_handler(desktop_entry: str, which: Callable[[str], str | None] = shutil.which) -> Handler:
    """The handler named by a desktop entry ("org.gnome.Evince.desktop", "okularApplication_pdf.desktop")."""
    entry = desktop_entry.strip().lower()
    for name, kind in LINUX_PROGRAMS:
        if name in entry and (program := which(name)):
            return Handler(kind, program)
    return Handler(OTHER, "")


def page_command(handler: Handler, path: str, page: int) -> list[str] | None:
    """The command that opens `path` at `page` (1-based) with `handler`, or None when it has no page switch."""
    if handler.kind == ACROBAT:
        return [handler.program, "/A", f"page={page}", path]
    if handler.kind == SUMATRA:
        return [handler.program, "-page", str(page), path]
    if handler.kind == BROWSER:
        return [handler.program, f"{file_uri(path)}#page={page}"]
    if handler.kind == INDEX_VIEWER:
        return [handler.program, f"--page-index={page}", path]
    if handler.kind == OKULAR:
        return [handler.program, "--page", str(page), path]
    return None


def file_uri(path: str) -> str:
    """file:///C:/... for a Windows path (a UNC path as file://server/share/...), file:///... elsewhere;
    non-ASCII letters percent-encoded, as browsers expect."""
    if re.match(r"^[A-Za-z]:[\\/]|^\\\\", path):
        return PureWindowsPath(path).as_uri()
    return Path(path).absolute().as_uri()


def registered_handler() -> Handler:
    """The PDF program this machine opens a .pdf with (OTHER when it cannot be told)."""
    if sys.platform == "win32":
        return windows_handler(_assoc_open_command(".pdf"))
    if sys.platform.startswith("linux"):
        return linux_handler(_xdg_default("application/pdf"))
    return Handler(OTHER, "")


def open_pdf_at_page(path: str, page: int | None, handler: Handler | None = None) -> bool:
    """Open `path` at `page` where its program can be told the page (True), else open it as a double click would
    (False: the caller names the page). Raises UserError when the file cannot be opened at all."""
    command = None
    if page and path.lower().endswith(".pdf"):
        command = page_command(handler or registered_handler(), path, page)
    if command is None:
        open_with_system(path)
        return False
    spawn(command, path)
    return True


def _assoc_open_command(extension: str) -> str:
    """What Explorer runs to open a file of this type (the user's choice first): shlwapi's AssocQueryStringW."""
    import ctypes
    from ctypes import wintypes

    assoc_str_command, assoc_flags_none = 1, 0
    size = wintypes.DWORD(0)
    query = ctypes.windll.shlwapi.AssocQueryStringW
    if query(assoc_flags_none, assoc_str_command, extension, "open", None, ctypes.byref(size)) not in (0, 1):
        return ""
    buffer = ctypes.create_unicode_buffer(size.value + 1)
    if query(assoc_flags_none, assoc_str_command, extension, "open", buffer, ctypes.byref(size)) != 0:
        return ""
    return buffer.value


def _xdg_default(mime: str) -> str:
    try:
        done = subprocess.run(["xdg-mime", "query", "default", mime], capture_output=True, text=True, timeout=5,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""

