"""Column widths of a spreadsheet COPY, widened where its values would not show on the printed page.

Excel and LibreOffice print "###" for a number or date wider than its column, and cut a text at the next filled
cell: a ledger sized for the screen (dates in a 6-character column, names under narrow headers) reached the review
team as rows of ### and half names. Before conversion a column is widened, never narrowed, to what its values need:
a number or a date always; a text where the cell to its right is filled (a title over empty cells runs on across
them and is left alone), up to TEXT_LIMIT characters. Cells that wrap their text or are merged are left as they are.
The page is then fitted to its width (sheet_setup), so a wider column costs some scale, not lost values.
"""

from __future__ import annotations

import copy
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"  # sheet_setup's too
PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False)
MOST_ROWS = 2000  # rows looked at in a sheet: a ledger's widths show in its first rows
TEXT_LIMIT = 50.0  # characters: a longer text is cut rather than make its column take the page
NUMBER_LIMIT = 30.0
# A column's width counts the default font's digits (Calibri's, Excel's); a converter without that font draws them
# in a wider one (LibreOffice without Carlito: DejaVu Sans, a fifth wider), so numbers and dates get a quarter more.
# A Chinese character takes two digits' width in Excel's fonts and less in LibreOffice's: text gets no more.
SAFETY, PADDING = 1.25, 1.0
# Built-in number formats that show dates and times (ECMA-376 18.8.30), and those of Chinese Excel (27-36, 50-58)
DATE_FORMATS = frozenset({*range(14, 23), 45, 46, 47, *range(27, 37), *range(50, 59)})
CJK_DATE_FORMATS = frozenset({*range(27, 37), *range(50, 59)})
# Built-in number formats that a file names by id only (openpyxl writes "#,##0.00" as 4)
BUILTIN_NUMBERS = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 37: "#,##0", 38: "#,##0",
                   39: "#,##0.00", 40: "#,##0.00"}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_CELL = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class Book:
    """What a sheet's cells refer to: the shared strings and, per cell style, its number format and wrapping."""

    strings: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)  # per cellXfs index: "date:N", "number:CODE" or "wrap"


def read_book(book: zipfile.ZipFile) -> Book:
    found = Book()
    names = set(book.namelist())
    if "xl/sharedStrings.xml" in names:
        root = etree.fromstring(book.read("xl/sharedStrings.xml"), PARSER)
        found.strings = ["".join(t.text or "" for t in si.iter(f"{{{MAIN}}}t")) for si in root.iter(f"{{{MAIN}}}si")]
    if "xl/styles.xml" in names:
        found.formats = _cell_formats(etree.fromstring(book.read("xl/styles.xml"), PARSER))
    return found


def _cell_formats(styles) -> list[str]:
    codes = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in styles.iter(f"{{{MAIN}}}numFmt")}
    formats = []
    xfs = styles.find(f"{{{MAIN}}}cellXfs")
    for xf in xfs if xfs is not None else ():
        alignment = xf.find(f"{{{MAIN}}}alignment")
        if alignment is not None and alignment.get("wrapText") in ("1", "true"):
            formats.append("wrap")
            continue
        number = int(xf.get("numFmtId", "0") or 0)
        code = codes.get(number, BUILTIN_NUMBERS.get(number, ""))
        if number in DATE_FORMATS or (code and _is_date_code(code)):
            formats.append(f"date:{_date_width(number, code)}")
        else:
            formats.append(f"number:{code}")
    return formats


def _is_date_code(code: str) -> bool:
    bare = _QUOTED.sub("", code.split(";")[0]).lower()
    return bare != "general" and any(ch in bare for ch in "ymdhs")


def _date_width(number: int, code: str) -> float:
    if not code:
        return 14.0 if number in CJK_DATE_FORMATS else 19.0 if number == 22 else 11.0
    shown = re.sub(r'"([^"]*)"|\\(.)|\[[^\]]*\]', lambda m: m.group(1) or m.group(2) or "", code.split(";")[0])
    return text_width(shown) + 2  # "m" and "d" may show two digits


def text_width(text: str) -> float:
    """In column-width characters: a Chinese character takes two."""
    lines = text.split("\n")
    return max(sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in line) for line in lines)


def needed_widths(root, book: Book) -> dict[int, float]:
    """Column number -> the width its values need, where that is known; merged cells are not counted."""
    merged = _merged_cells(root)
    needed: dict[int, float] = {}
    data = root.find(f"{{{MAIN}}}sheetData")
    for index, row in enumerate(data if data is not None else ()):
        if index >= MOST_ROWS:
            break
        cells = [(c, _column(c.get("r", ""))) for c in row if _shows_something(c, book)]
        filled = {column for _, column in cells}
        for cell, column in cells:
            if column is None or (cell.get("r") in merged):
                continue
            width = _value_width(cell, book, column + 1 in filled)
            if width:
                needed[column] = max(needed.get(column, 0.0), width + PADDING)
    return needed


def _shows_something(cell, book: Book) -> bool:
    """Whether the cell shows a value: a text that is empty leaves room for its left neighbour to run on."""
    kind, value = cell.get("t", "n"), cell.findtext(f"{{{MAIN}}}v") or ""
    if kind == "inlineStr":
        return any(t.text for t in cell.iter(f"{{{MAIN}}}t"))
    if kind == "s":
        return value.isdigit() and int(value) < len(book.strings) and bool(book.strings[int(value)])
    return bool(value)


def _value_width(cell, book: Book, neighbour_filled: bool) -> float:
    kind = cell.get("t", "n")
    style = int(cell.get("s", "0") or 0)
    shown = book.formats[style] if style < len(book.formats) else "number:"
    if shown == "wrap":
        return 0.0
    value = cell.findtext(f"{{{MAIN}}}v") or ""
    if kind in ("s", "inlineStr", "str"):
        if not neighbour_filled:
            return 0.0
        if kind == "s":
            position = int(value) if value.isdigit() else -1
            value = book.strings[position] if 0 <= position < len(book.strings) else ""
        elif kind == "inlineStr":
            value = "".join(t.text or "" for t in cell.iter(f"{{{MAIN}}}t"))
        return min(text_width(value), TEXT_LIMIT)
    if kind != "n" or not value:
        return 0.0
    digits = float(shown[5:]) if shown.startswith("date:") else _number_width(value, shown[7:])
    return min(digits * SAFETY, NUMBER_LIMIT)


def _number_width(value: str, code: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return 0.0
    section = _QUOTED.sub("", code.split(";")[0])
    if not section or section.lower() == "general":
        return float(min(len(value), 11))  # General shows 11 characters at most, then rounds
    if "%" in section:
        number *= 100
    decimals = len(section.split(".", 1)[1].rstrip("%").replace(",", "")) if "." in section else 0
    text = f"{number:,.{decimals}f}" if "," in section else f"{number:.{decimals}f}"
    extra = sum(1 for ch in code if ch in "%¥$€") + 2 * sum(1 for ch in code if ch in "元万")
    return len(text) + extra


def _column(reference: str) -> int | None:
    match = _CELL.fullmatch(reference)
    return column_number(match.group(1)) if match else None


def column_number(letters: str) -> int:
    """"A" 1, "Z" 26, "AA" 27: a worksheet's column letters (sheet_setup reads the used range with it too)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _merged_cells(root) -> set[str]:
    """The references of the top-left cells of merged ranges (the only ones that hold a value)."""
    return {m.get("ref", "").split(":")[0] for m in root.iter(f"{{{MAIN}}}mergeCell")}


def widen(root, needed: dict[int, float], base: float, make_cols) -> None:
    """Set each column of `needed` to at least its width: a <col> range around it is split, a column without one
    gets its own. `make_cols()` gives the sheet's <cols>, made where the schema puts it."""
    widen_to = {}
    for column, width in sorted(needed.items()):
        current, hidden = _current(root, column, base)
        if not hidden and width > current:
            widen_to[column] = round(width, 2)
    if not widen_to:
        return
    cols = make_cols()
    for column, width in widen_to.items():
        _set_width(cols, column, width)


def _current(root, column: int, base: float) -> tuple[float, bool]:
    for col in root.iterfind(f"{{{MAIN}}}cols/{{{MAIN}}}col"):
        if _span(col)[0] <= column <= _span(col)[1]:
            return float(col.get("width", base) or base), col.get("hidden") in ("1", "true")
    return base, False


def _span(col) -> tuple[int, int]:
    try:
        return int(col.get("min")), int(col.get("max"))
    except (TypeError, ValueError):
        return 0, -1


def _set_width(cols, column: int, width: float) -> None:
    for col in list(cols):
        low, high = _span(col)
        if low <= column <= high:
            if low < column:
                before = copy.deepcopy(col)
                before.set("max", str(column - 1))
                col.addprevious(before)
            if column < high:
                after = copy.deepcopy(col)
                after.set("min", str(column + 1))
                col.addnext(after)
            col.set("min", str(column))
            col.set("max", str(column))
            col.set("width", str(width))
            col.set("customWidth", "1")
            return
    later = [c for c in cols if _span(c)[0] > column]
    new = etree.Element(f"{{{MAIN}}}col", min=str(column), max=str(column), width=str(width), customWidth="1")
    if later:
        later[0].addprevious(new)
    else:
        cols.append(new)
