"""Excel (.xlsx) criteria tables as grids: one per worksheet, with merged ranges reported per cell.

Normal (not read-only) mode is needed: read-only worksheets do not expose their merged ranges.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from criteria.errors import import_error
from criteria.importers.grid import Cell, Grid, Row, clean_text, pad_rows, shown_text
from criteria.importers.zipguard import refuse_zip_bomb

# What openpyxl lets escape from an encrypted (OLE), truncated or otherwise broken file.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, InvalidFileException, KeyError, OSError, ValueError, TypeError,
               IndexError, AttributeError, SyntaxError, EOFError)


def read_grids(path: Path) -> list[Grid]:
    refuse_zip_bomb(path)
    try:
        # Our own handle: openpyxl leaves its zip open when parsing fails, to be closed whenever the GC gets to it.
        with open(path, "rb") as handle:
            workbook = openpyxl.load_workbook(handle, data_only=True)
    except READ_ERRORS as exc:
        raise import_error(path.name, "文件已损坏、已加密或不是 Excel 工作簿（.xlsx），请在 Excel 中打开后另存为 .xlsx"
                           "（不设密码）再导入") from exc
    try:
        formulas = _formulas(path)
        grids = [_sheet_grid(sheet, path.name) for sheet in workbook.worksheets]
        for sheet, grid in zip(workbook.worksheets, grids, strict=True):
            grid.uncomputed = tuple(cell for cell in formulas.get(sheet.title, ()) if sheet[cell].value is None)
        return grids
    except READ_ERRORS as exc:
        raise import_error(path.name, "工作表内容无法读取，文件可能已损坏") from exc
    finally:
        workbook.close()


def _formulas(path: Path) -> dict[str, list[str]]:
    """Each sheet's cells holding a formula. A workbook written by a program rather than by Excel or WPS may keep no
    result for them: read as values they are empty, and an item's 分值 "=2+2" was lost without a word."""
    with open(path, "rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True)
        try:
            return {sheet.title: [cell.coordinate for row in sheet.iter_rows() for cell in row
                                  if getattr(cell, "data_type", "") == "f"] for sheet in book.worksheets}
        finally:
            book.close()


def _sheet_grid(sheet, file_name: str) -> Grid:
    """The table as written, with what Excel hides marked: hidden rows and columns are read (hidden to print a part,
    they still are the table) and named in the plan; a hidden sheet (often an older copy) is not read."""
    hidden_columns = _hidden_columns(sheet)
    cells = [list(row) for row in sheet.iter_rows()]
    values = [[cell.value for cell in row] for row in cells]
    texts = [[shown_text(cell.value, cell.number_format) for cell in row] for row in cells]
    height = max((i + 1 for i, row in enumerate(texts) if any(row)), default=0)
    width = max((j + 1 for row in texts for j, text in enumerate(row) if text), default=0)
    hidden_rows = {number for number, dimension in sheet.row_dimensions.items() if dimension.hidden}
    rows = [Row(i + 1, [Cell(text) for text in texts[i][:width]], hidden=i + 1 in hidden_rows) for i in range(height)]
    pad_rows(rows)
    _mark_merges(sheet, rows, height, width)
    unread = tuple(get_column_letter(number) for number in sorted(hidden_columns)
                   if any(number <= len(row) and clean_text(row[number - 1]) for row in values))
    return Grid(file_name, f"工作表“{sheet.title}”", rows, sheet=sheet.title, hidden=sheet.sheet_state != "visible",
                hidden_columns=unread)


def _hidden_columns(sheet) -> set[int]:
    """1-based numbers of the hidden columns (a dimension may stand for a range of them)."""
    return {number for dimension in sheet.column_dimensions.values() if dimension.hidden
            for number in range(dimension.min or 1, (dimension.max or dimension.min or 1) + 1)}


def _mark_merges(sheet, rows: list[Row], height: int, width: int) -> None:
    """Flag the cells a merged range covers: below its first row "continued", to the right "across"."""
    for merged in sheet.merged_cells.ranges:
        min_col, min_row, max_col, max_row = merged.bounds
        for r in range(min_row, min(max_row, height) + 1):
            for c in range(min_col, min(max_col, width) + 1):
                if (r, c) == (min_row, min_col):
                    continue
                cell = rows[r - 1].cells[c - 1]
                cell.text = ""
                if r > min_row:
                    cell.continued = True
                else:
                    cell.across = True
