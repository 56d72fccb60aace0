"""What a criteria file really is, whatever its name says.

Files reach the office renamed by people and by systems: a Word 97 file saved as "细则.docx", a new workbook named
"细则.xls", an OA system's "导出 Excel" that is a web page named .xls, a Word "网页" saved as .doc. Each was refused
as damaged ("文件已损坏、已加密…"), though Word and Excel open them. The content decides the reader here; the name
stays in every message.
"""

from __future__ import annotations

from pathlib import Path

import olefile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
WEB = "web"  # an HTML (or MHT) page under an office name: LibreOffice reads its tables
NO_TABLE = "web page without a table"  # a download that failed: the site's login or error page, saved as .xlsx
SHEETS = (".xlsx", ".xlsm", ".xls", ".et")  # names of workbooks: a web page under one is read as a sheet
_TEXTS = (".docx", ".doc", ".wps")


def true_suffix(path: Path, suffix: str) -> str:
    """The suffix of the format the file holds (".doc" for an OLE Word file named .docx), WEB for a web page under
    an office name, else `suffix` (also when unsure: the reader named then explains)."""
    if suffix not in SHEETS + _TEXTS:
        return suffix
    with open(path, "rb") as handle:
        head = handle.read(256 << 10)
    if head.startswith(ZIP):
        return ".xlsx" if suffix in SHEETS else ".docx"
    if head.startswith(OLE):
        return _ole_suffix(path, suffix)
    if _is_web_page(head[:2048]):
        return WEB if b"<table" in head.lower() or head.lstrip().lower().startswith(b"mime-version:") else NO_TABLE
    return suffix


def _ole_suffix(path: Path, suffix: str) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception:  # damaged in any way olefile can tell: the reader its name points to says so, in Chinese
        return suffix
    if "EncryptedPackage" in streams:
        return suffix  # a password-protected .xlsx/.docx: its reader says so
    if suffix in (".xlsx", ".xlsm") and streams & {"Workbook", "Book"}:
        return ".xls"
    if suffix == ".docx" and "WordDocument" in streams:
        return ".doc"
    return suffix


def _is_web_page(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"mime-version:") or (text.startswith(b"<") and any(
        tag in text for tag in (b"<html", b"<table", b"<!doctype html", b"<meta")))
