"""Old Excel (.xls, BIFF) criteria tables as grids, through xlrd: one per worksheet, with merged ranges.

xlrd 2 reads exactly this format (it dropped .xlsx, which openpyxl reads); formatting_info is needed for merges.
"""

from __future__ import annotations

from pathlib import Path

import xlrd

from criteria.errors import import_error
from criteria.importers.grid import Cell, Grid, Row, clean_text, pad_rows, shown_text

MAX_CELLS = 600_000  # like zipguard for .xlsx: far beyond any criteria table
MAX_BYTES = 32 << 20  # xlrd reads the whole file into memory; a real table is well under 1 MB


def read_grids(path: Path) -> list[Grid]:
    if path.stat().st_size > MAX_BYTES:
        raise import_error(path.name, f"文件有 {path.stat().st_size >> 20} MB，远超评价细则表格应有的大小，"
                                      "疑似选错了文件，未读取")
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, OSError, ValueError, IndexError, KeyError, AssertionError,
            EOFError, TypeError) as exc:
        raise import_error(path.name, "文件已损坏、已加密或不是 Excel 97-2003 工作簿（.xls），请在 Excel 中打开后"
                                      "另存为 .xlsx 再导入") from exc
    try:
        return [_sheet_grid(book, book.sheet_by_index(i), path.name) for i in range(book.nsheets)]
    except (xlrd.XLRDError, IndexError, KeyError, ValueError, AssertionError) as exc:
        raise import_error(path.name, "工作表内容无法读取，文件可能已损坏") from exc
    finally:
        book.release_resources()


def _sheet_grid(book, sheet, file_name: str) -> Grid:
    if sheet.nrows * sheet.ncols > MAX_CELLS:
        raise import_error(file_name, f"工作表有 {sheet.nrows} 行 × {sheet.ncols} 列，远超评价细则表格应有的大小，"
                                      "未读取", f"工作表“{sheet.name}”")
    texts = [[_text(book, sheet.cell(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
    height = max((i + 1 for i, row in enumerate(texts) if any(row)), default=0)
    width = max((j + 1 for row in texts for j, text in enumerate(row) if text), default=0)
    rows = [Row(i + 1, [Cell(text) for text in texts[i][:width]]) for i in range(height)]
    pad_rows(rows)
    for first_row, last_row, first_col, last_col in sheet.merged_cells:  # half-open ranges
        for r in range(first_row, min(last_row, height)):
            for c in range(first_col, min(last_col, width)):
                if (r, c) == (first_row, first_col):
                    continue
                cell = rows[r].cells[c]
                cell.text = ""
                cell.continued, cell.across = r > first_row, r == first_row
    hidden = bool(sheet.visibility)  # 1 hidden, 2 very hidden
    return Grid(file_name, f"工作表“{sheet.name}”", rows, sheet=sheet.name, hidden=hidden)


def _text(book, cell) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return clean_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date())
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return clean_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return clean_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return shown_text(cell.value, _format_of(book, cell))
    return clean_text(cell.value)


def _format_of(book, cell) -> str | None:
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].format_str
    except (IndexError, KeyError, TypeError, AttributeError):
        return None


__all__ = ["read_grids"]
