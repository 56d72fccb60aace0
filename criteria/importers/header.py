"""Find the header of a criteria table and say which column holds what.

Offices rename columns freely ("评价内容" / "考评内容" / "建设指标"), put a title and a 附件 line above the header,
and split the header over two rows ("评价内容" merged over "评价标准" and "评价细则", or "分值" over a lone "（分）").
The clerk's mapping (--map, the drop-downs of the plan) names columns the vocabulary does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

from criteria.importers.grid import Cell, Grid, Row
from criteria.importers.roles import Column, guess_from_content, mapped_role, settle, usable
from criteria.importers.vocab import ROLE_NAMES, classify, field_of, is_unit_annotation

HEADER_SEARCH_ROWS = 10

__all__ = ["HEADER_SEARCH_ROWS", "Header", "field_of", "find_header", "header_refusal", "merged_widths"]


@dataclass
class Header:
    first_row: int  # index in grid.rows of the first header row
    row_count: int  # 1 or 2
    cols: list[Column]
    widths: list[int]  # columns covered by the header cell starting at each column (0 inside a merged cell)

    @property
    def body_start(self) -> int:
        return self.first_row + self.row_count

    @property
    def fields(self) -> list[str | None]:
        return [c.role for c in self.cols]

    def columns(self, name: str) -> list[int]:
        return [c.index for c in self.cols if c.role == name]

    def column(self, name: str) -> int | None:
        found = self.columns(name)
        return found[0] if found else None


def find_header(grid: Grid, mapping: dict[str, str] | None = None, limit: int = HEADER_SEARCH_ROWS) -> Header | None:
    """The first row (or pair of rows) among the first `limit` that names an item column and one more."""
    rows = grid.rows
    for index in range(min(limit, len(rows))):
        header = _header_at(rows, index, mapping or {})
        if header is not None and usable(header.cols):
            body = [[c.text for c in row.cells] for row in rows[header.body_start:]]
            guess_from_content(header.cols, body)
            return header
    return None


def header_refusal(grid: Grid, mapping: dict[str, str] | None = None) -> tuple[str, list[Column]]:
    """Why no header was found: the cells of the likeliest header row, what they were read as, what is missing."""
    rows = grid.rows[:HEADER_SEARCH_ROWS]
    best, best_index = None, -1
    for index in range(len(rows)):
        header = _header_at(grid.rows, index, mapping or {})
        if header is None:
            continue
        score = (sum(c.role is not None for c in header.cols), sum(bool(c.header) for c in header.cols))
        if best is None or score > best[0]:
            best, best_index = (score, header), index
    if best is None:
        row = max(rows, key=lambda r: sum(bool(c.text) for c in r.cells), default=None)
        if row is None or sum(bool(c.text) for c in row.cells) < 2:
            return "找不到评价细则的表头，表格中也没有像表头的一行", []
        header = _header_at(grid.rows, grid.rows.index(row), mapping or {}, accept_unnamed=True)
        best, best_index = ((0, 0), header), grid.rows.index(row)
    header = best[1]
    cells = "、".join(f"“{c.header}”（{c.role_name if c.role else '未识别'}）" for c in header.cols if c.header)
    missing = [ROLE_NAMES[r] for r in ("title",) if r not in header.fields]
    if not missing and len([f for f in header.fields if f and f != "ignore"]) < 2:
        missing = ["分值或编号等第二列"]
    unknown = next((c.header for c in header.cols if c.header and c.role is None), "某列")
    number = grid.rows[best_index].number
    message = (f"找不到评价细则的表头：第 {number} 行的表头单元格为{cells}，缺少“{'、'.join(missing)}”"
               f"列。请指明各列的含义，如 --map \"{unknown}=评价内容\"（在程序中可在导入预览的列标题下拉框中选择）")
    return message, header.cols


def _header_at(rows: list[Row], index: int, mapping: dict[str, str], accept_unnamed: bool = False) -> Header | None:
    top = rows[index]
    cols = _row_columns(top, mapping)
    if not accept_unnamed and not any(c.role for c in cols):
        return None
    count = 1
    if index + 1 < len(rows) and _is_sub_header(top, rows[index + 1], mapping):
        sub = _row_columns(rows[index + 1], mapping)
        for column, below in zip(cols, sub, strict=True):
            _combine(column, below)
        count = 2
    for column in cols:
        role = mapped_role(mapping, column)
        if role is not None:
            column.role, column.source = role, "map"
    settle(cols)
    return Header(index, count, cols, merged_widths(top))


def _combine(column: Column, below: Column) -> None:
    """A second header row refines the first where it names something ("评价内容" over "评价标准")."""
    if below.header and not is_unit_annotation(below.header):
        column.names.append(below.header)
        column.header = f"{column.header}／{below.header}" if column.header else below.header
        if below.role is not None:
            column.role, column.source, column.priority = below.role, below.source, below.priority
    elif below.header:
        column.names.append(below.header)


def _row_columns(row: Row, mapping: dict[str, str]) -> list[Column]:
    """A Column per cell; a header cell merged across several columns names all of them."""
    cols: list[Column] = []
    current: tuple[str, tuple[str, int] | None] = ("", None)
    for index, cell in enumerate(row.cells):
        if not cell.across:
            text = cell.text if cell.text and not cell.continued else ""
            current = (text, classify(text) if text else None)
        text, found = current
        column = Column(index, text, names=[text] if text else [])
        if found is not None:
            column.role, column.priority, column.source = found[0], found[1], "header"
        role = mapped_role(mapping, column) if text else None
        if role is not None:
            column.role, column.source = role, "map"
        cols.append(column)
    return cols


def merged_widths(row: Row) -> list[int]:
    """For each column, how many columns the cell starting there covers; 0 for the covered ones."""
    widths = [0 if cell.across else 1 for cell in row.cells]
    start = 0
    for column, cell in enumerate(row.cells):
        if cell.across:
            widths[start] += 1
        else:
            start = column
    return widths


def _is_sub_header(top: Row, sub: Row, mapping: dict[str, str]) -> bool:
    """Whether `sub` is the second row of a two-row header rather than the first data row.

    It is when it names columns, when it only qualifies the cells above ("（分）" under 分值), or when it splits a
    merged header cell ("评价内容" over two sub-columns) even with names we do not know. Any other text under a
    plain header cell makes it data.
    """
    if sum(_own(cell) for cell in top.cells) < 2:
        return False  # one cell above the header is the table's title ("评价细则"), not its first header row
    found = annotated = False
    for column, cell in enumerate(sub.cells):
        if not _own(cell):
            continue
        if classify(cell.text) is not None or cell.text in mapping:
            found = True
        elif is_unit_annotation(cell.text):
            annotated = True
        elif not (top.cells[column].across or _next_across(top, column)):
            return False
    return found or annotated or _splits_merged_cell(top, sub)


def _splits_merged_cell(top: Row, sub: Row) -> bool:
    """Two or more filled cells under one merged header cell (a data row merged the same way has only one)."""
    filled = 0
    for column, cell in enumerate(sub.cells):
        if not top.cells[column].across:
            filled = 0  # a new header cell starts here
        filled += _own(cell)
        if filled >= 2:
            return True
    return False


def _next_across(row: Row, column: int) -> bool:
    return column + 1 < len(row.cells) and row.cells[column + 1].across


def _own(cell: Cell) -> bool:
    return bool(cell.text) and not cell.continued and not cell.across
