"""The rows of one sheet of an edited catalogue workbook, as Excel, WPS or LibreOffice saved it (for sheetimport).

.xlsx and .ods are read by python-calamine (Rust): 50,000 rows in about a second, where openpyxl's read-only reader
took five. .xls (Excel 97-2003, which WPS users still save) is read by xlrd instead: calamine's .xls reader can abort
the whole process on a damaged file (a panic, or an allocation of hundreds of GB, seen on truncated and corrupted
files), while xlrd, pure Python, only raises. A password-protected .xlsx is an OLE2 file like an .xls: it is told
apart by its encrypted package and refused with its own message.

calamine holds a sheet as one dense grid of its used range, so a stray value in a far corner (XFD1048576) would ask
for 550 GB; the range an .xlsx declares for each sheet is checked before the sheet is read. Cells come back as
openpyxl gave them: None for an empty cell, a whole number as int, dates as datetime.date/datetime.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from common.errors import UserError

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_CELLS = 20_000_000  # of a sheet's used range: a 50,000-row catalogue has 900,000; calamine needs 32 bytes each
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and Office files encrypted with a password
ENCRYPTED = "EncryptedPackage"  # the stream of an encrypted .xlsx
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"')
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}

Rows = list[list]
Chooser = Callable[[list[str], Callable[[str, int], Rows]], str]  # (sheet names, first rows of a sheet) -> name


def read_sheet(source: str | Path, choose: Chooser) -> Rows:
    """The rows of the sheet `choose` picks; a clear UserError (with the path) when the file cannot be read."""
    path = Path(source)
    if not path.is_file():
        raise UserError(f"文件不存在：{path}")
    if path.suffix.lower() not in SUFFIXES:
        hint = "；WPS 表格（.et）请用“另存为”保存成 .xlsx 再导入" if path.suffix.lower() == ".et" else ""
        raise UserError(f"无法读取 {path}：只能导入 Excel 工作簿（.xlsx、.xls）或 ODS 表格（.ods）{hint}")
    with open(path, "rb") as handle:
        head = handle.read(len(OLE2))
    if head == OLE2:
        if _encrypted_package(path):
            raise UserError(f"无法读取 Excel 文件 {path}：文件设置了打开密码。请在 Excel 或 WPS 中取消密码"
                            "（文件 → 信息 → 保护工作簿）并保存后再导入")
        return _xls_rows(path, choose)
    return _calamine_rows(path, choose)


def _encrypted_package(path: Path) -> bool:
    """Whether the OLE2 file is an Office file encrypted with a password (an EncryptedPackage stream in its
    directory), asked of olefile; a file it cannot read is left to xlrd to report."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists(ENCRYPTED))
    except Exception:  # damaged in any way olefile can tell: not ours to word; xlrd says it
        return False


def _unreadable(path: Path, exc: BaseException) -> UserError:
    return UserError(f"无法读取 Excel 文件 {path}：文件已损坏，或不是 Excel/WPS/ODS 表格（{exc}）"
                     "（请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入）")


def _calamine_rows(path: Path, choose: Chooser) -> Rows:
    from python_calamine import CalamineError, load_workbook

    extents = _xlsx_extents(path) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    try:
        with load_workbook(str(path)) as book:
            def first_rows(name: str, count: int) -> Rows:
                _check_extent(path, name, extents.get(name))
                return _plain(book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=count))

            name = choose(_sheets(path, book.sheet_names), first_rows)
            _check_extent(path, name, extents.get(name))
            # skip_empty_area=False: the grid starts at A1 even when the first rows are empty, so row numbers hold
            return _plain(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    except (CalamineError, OSError, ValueError) as exc:  # every calamine error is a CalamineError
        raise _unreadable(path, exc) from None


def _sheets(path: Path, names: list[str]) -> list[str]:
    if not names:
        raise UserError(f"无法读取 {path}：工作簿中没有工作表")
    return names


def _plain(rows: Rows) -> Rows:
    """calamine's cells as openpyxl's: "" (empty) as None, 12.0 as 12 (calamine reads every number as a float)."""
    return [[None if cell == "" else int(cell) if type(cell) is float and cell.is_integer() else cell
             for cell in row] for row in rows]


def _xlsx_extents(path: Path) -> dict[str, tuple[int, str]]:
    """Sheet name -> (cells, range) of the used range each worksheet declares (the <dimension> Excel, WPS and
    openpyxl write at its top). Damage is left to calamine to report in its own words."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("p:Relationship", _NS)}
            extents = {}
            for sheet in book.iterfind("m:sheets/m:sheet", _NS):
                target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
                part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
                with archive.open(part) as stream:
                    found = _DIMENSION.search(stream.read(4096))
                if found:
                    extents[sheet.get("name")] = _cells(found)
            return extents
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, ElementTree.ParseError):
        return {}


def _cells(found: re.Match) -> tuple[int, str]:
    first_column, first_row, last_column, last_row = (part.decode() if part else "" for part in found.groups())
    last_column, last_row = last_column or first_column, last_row or first_row
    width = _column_number(last_column) - _column_number(first_column) + 1
    height = int(last_row) - int(first_row) + 1
    return max(width, 0) * max(height, 0), f"{first_column}{first_row}:{last_column}{last_row}"


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _check_extent(path: Path, name: str, extent: tuple[int, str] | None) -> None:
    if extent is not None and extent[0] > MAX_CELLS:
        cells, span = extent
        raise UserError(f"无法读取 {path}：工作表“{name}”的使用范围为 {span}（{cells:,} 个单元格），远超文件目录"
                        "应有的大小，多半是远处的某个单元格误填了内容。请删除多余的行和列后保存，再导入")


def _xls_rows(path: Path, choose: Chooser) -> Rows:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())  # its warnings are not ours
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise UserError(f"无法读取 Excel 文件 {path}：文件设置了打开密码。请在 Excel 或 WPS 中取消密码"
                            "并保存后再导入") from None
        raise _unreadable(path, exc) from None
    except (xlrd.compdoc.CompDocError, struct.error, OSError, ValueError, IndexError, KeyError, AssertionError,
            EOFError, TypeError) as exc:  # what a damaged file makes xlrd raise
        raise _unreadable(path, exc) from None
    try:
        name = choose(_sheets(path, book.sheet_names()), lambda name, count: _xls_sheet(book, name, count))
        return _xls_sheet(book, name, None)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, struct.error, ValueError, IndexError, KeyError,
            AssertionError, TypeError) as exc:
        raise _unreadable(path, exc) from None
    finally:
        book.release_resources()


def _xls_sheet(book, name: str, count: int | None) -> Rows:
    sheet = book.sheet_by_name(name)
    rows = []
    for number in range(sheet.nrows if count is None else min(count, sheet.nrows)):
        rows.append([_xls_cell(book, cell) for cell in sheet.row(number)])
    return rows


def _xls_cell(book, cell):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value if cell.value != "" else None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#错误")
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
        return moment.date() if moment.time() == moment.min.time() else moment
    return int(cell.value) if float(cell.value).is_integer() else cell.value
