"""What a legacy workbook (.xls of Excel 97-2003, which WPS users still save for ledgers) holds for the catalogue:
its summary properties (title, author, company), read like a legacy Word file's (archive.metadata.worddoc), and its
first sheet's first row, a title row as a .xlsx's is read (archive.metadata.office).

The row comes through xlrd (already what the catalogue import reads .xls with): it parses the workbook's global part,
the shared strings included, before any sheet, so a very large file gives its properties only.
"""

from __future__ import annotations

import io
import os

from archive.metadata.office import OfficeRead
from archive.metadata.worddoc import summary_properties

ROW_LIMIT = 8 << 20  # bytes: above this, parsing the shared strings for one row costs more than a scan may spend


def read_workbook97(path: str, data: bytes | None) -> OfficeRead:
    """Properties and the first sheet's first row (its non-empty cells) of the .xls at `path`."""
    import olefile

    found = OfficeRead()
    if data is None and os.path.getsize(path) <= ROW_LIMIT:
        with open(path, "rb") as handle:  # read once for olefile and xlrd both (a larger file: each reads its part)
            data = handle.read()
    with olefile.OleFileIO(io.BytesIO(data) if data is not None else path) as ole:
        found.props = summary_properties(ole)
        size = ole.get_size("Workbook") if ole.exists("Workbook") else 0
    if 0 < size <= ROW_LIMIT:
        found.first_row = _first_row(path, data)
    return found


def _first_row(path: str, data: bytes | None) -> list[str]:
    import xlrd

    try:
        book = xlrd.open_workbook(path if data is None else None, file_contents=data, on_demand=True,
                                  logfile=io.StringIO())  # its warnings are not ours
    except Exception:  # encrypted, damaged, a BIFF5 file: the properties still count
        return []
    try:
        sheet = book.sheet_by_index(0)
        cells = sheet.row_values(0) if sheet.nrows else []
        return [text for value in cells if (text := str(value).strip())]
    except Exception:
        return []
    finally:
        book.release_resources()
