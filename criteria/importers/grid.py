"""The common shape every table format is reduced to before it becomes a Catalogue.

Format readers only say what each cell holds and how it was merged; all meaning (headers, headings, groups,
codes) is worked out once, in table.py.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from criteria.errors import import_error
from criteria.model import CatalogueError


@dataclass
class Cell:
    text: str = ""
    continued: bool = False  # lower part of a vertical merge: holds whatever the cell above holds
    across: bool = False  # right part of a horizontal merge: belongs to the cell on its left


@dataclass
class Row:
    number: int  # 1-based row number in the source, for messages
    cells: list[Cell] = field(default_factory=list)
    hidden: bool = False  # hidden in Excel: read all the same, and named in the plan

    @property
    def spans_width(self) -> bool:
        """One cell merged across (most of) the width and nothing else: a heading or a note, never an item.

        "Most of" because clerks often stop the merge before a trailing 得分 or 备注 column.
        """
        own = [i for i, c in enumerate(self.cells) if c.text and not c.continued and not c.across]
        if len(own) != 1:
            return False
        merged = 1
        for cell in self.cells[own[0] + 1:]:
            if not cell.across:
                break
            merged += 1
        return merged >= max(2, (len(self.cells) + 1) // 2)


@dataclass
class Grid:
    file_name: str  # shown in messages: "细则.xlsx"
    where: str  # "工作表“Sheet1”", "表格 2" or "" for formats with a single table
    rows: list[Row] = field(default_factory=list)
    title: str = ""  # a caption found outside the table (a Word paragraph above it), if any
    before: list[str] = field(default_factory=list)  # paragraphs between the previous table and this one (Word)
    after: list[str] = field(default_factory=list)  # paragraphs after the last table (Word)
    hidden: bool = False  # a hidden worksheet (often an older copy of the table): not read, said in the plan
    hidden_columns: tuple[str, ...] = ()  # letters of hidden columns holding text: read, and named in the plan
    uncomputed: tuple[str, ...] = ()  # cells ("C3") whose formula has no saved result: read as empty, named
    sheet: str = ""  # a worksheet's name ("一、组织领导" in a workbook of a sheet a part); "" for other formats
    tracked_changes: int = 0  # Word: revisions (修订) not yet accepted in this table, read as if accepted

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)

    def error(self, reason: str, row: int | None = None) -> CatalogueError:
        return import_error(self.file_name, reason, self.where, row)


def clean_text(value: object) -> str:
    """Cell text as users see it: numbers without a spurious ".0", line breaks unified, outer blanks removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    return text.strip()


def pad_rows(rows: list[Row]) -> list[Row]:
    """Give every row the same number of cells, so that columns line up in table.py."""
    width = max((len(r.cells) for r in rows), default=0)
    for row in rows:
        row.cells.extend(Cell() for _ in range(width - len(row.cells)))
    return rows


_DECIMALS = re.compile(r"^(?:#,##)?0\.(0+)(#*)$")
_PERCENT = re.compile(r"^0(?:\.(0+))?%$")


def shown_text(value, number_format: str | None) -> str:
    """A number as the sheet shows it where its format says more than the value: a code typed 1.10 in a cell
    formatted "0.00" is the number 1.1 (read so, it took item 1.1's code); 0.98 formatted "0%" is "98%". Whole
    numbers keep no decimals ("1" in a column formatted "0.00" is part 1, not code 1.0)."""
    if isinstance(value, float | int) and not isinstance(value, bool) and number_format:
        decimals = _DECIMALS.match(number_format)
        if decimals and not float(value).is_integer():  # a whole number stays one: "1.00" would be code 1.0
            least, most = len(decimals.group(1)), len(decimals.group(1)) + len(decimals.group(2))
            return _trimmed(f"{value:.{most}f}", most - least)
        percent = _PERCENT.match(number_format)
        if percent:
            return f"{value * 100:.{len(percent.group(1) or '')}f}%"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # a date typed in a cell: "2024-06-30", not "2024-06-30T00:00:00"
    return clean_text(value)


def _trimmed(text: str, optional: int) -> str:
    """"1.100" with one optional digit ("0.0#" shows 1.10 as "1.1", 1.15 as "1.15"): trailing zeros dropped from
    the optional digits only."""
    for _ in range(optional):
        if text.endswith("0"):
            text = text[:-1]
    return text
