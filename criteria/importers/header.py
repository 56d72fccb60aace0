"""Find the header of a criteria table and say which column holds what.

Offices rename columns freely ("评价内容" / "考评内容" / "建设指标"), put a title and a 附件 line above the header,
and split the header over two rows ("评价内容" merged over "评价标准" and "评价细则", or "分值" over a lone "（分）").
The clerk's mapping (--map, the drop-downs of the plan) names columns the vocabulary does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

from criteria.importers.grid import Cell, Grid, Row
from criteria.importers.roles import Column, guess_from_content, mapped_role, names_each_row, settle, usable
from criteria.importers.vocab import classify, field_of, is_unit_annotation

HEADER_SEARCH_ROWS = 10
DEEP_SEARCH_ROWS = 60  # a header below this many lines of explanation is not looked for

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
    """The first row (or pair of rows) among the first `limit` that names an item column and one more; further down
    (填表说明 of a dozen lines above the table), one naming three columns below nothing but lines of a single cell:
    a header repeated in the body of a continued sheet has the items above it, and is not where the table starts."""
    rows = grid.rows
    for index in range(min(DEEP_SEARCH_ROWS if _only_lines(rows[:limit]) else limit, len(rows))):
        if index >= limit and not _only_lines([rows[index - 1]]):
            break
        header = _header_at(rows, index, mapping or {})
        if header is not None and index >= limit and sum(c.role not in (None, "ignore") for c in header.cols) < 3:
            continue
        if header is not None and usable(header.cols):
            body = [[c.text for c in row.cells] for row in rows[header.body_start:]]
            guess_from_content(header.cols, body)
            names_each_row(header.cols, rows[header.body_start:])
            return header
    return None


def _only_lines(rows: list[Row]) -> bool:
    """Rows of one filled cell at most: a title, a 填表说明 line, a blank row, never an item."""
    return all(sum(bool(c.text) for c in row.cells) <= 1 for row in rows)


def header_refusal(grid: Grid, mapping: dict[str, str] | None = None) -> tuple[str, list[Column]]:
    """Why no header was found: the cells of the likeliest header row, what they were read as, what is missing,
    and the --map that would name it. Also returns that row's columns, for the app's drop-downs."""
    found = _likeliest_header(grid, mapping or {})
    if found is None:
        return "找不到评价细则的表头，表格前几行中也没有像表头的一行", []
    header = found
    shown = [c for i, c in enumerate(header.cols) if c.header and (i == 0 or c.header != header.cols[i - 1].header)]
    cells = "、".join(f"“{c.header}”（{c.role_name}）" for c in shown)
    if "title" not in header.fields:
        missing, wanted = "评价内容", "评价内容"
    else:
        missing, wanted = "分值、编号等第二列", "分值"
    unknown = next((c.header for c in shown if c.role is None), "某列")
    number = grid.rows[header.first_row].number
    message = (f"找不到评价细则的表头：第 {number} 行的表头单元格为{cells}，缺少“{missing}”列。请指明各列的含义，"
               f"如 --map \"{unknown}={wanted}\"（在程序中可在导入预览的列标题下拉框中选择）")
    return message, header.cols


def _likeliest_header(grid: Grid, mapping: dict[str, str]) -> Header | None:
    """The row among the first ones naming the most roles; failing any, the row with the most filled cells."""
    rows = grid.rows[:HEADER_SEARCH_ROWS]
    candidates = [h for h in (_header_at(grid.rows, i, mapping) for i in range(len(rows))) if h is not None]
    if candidates:
        return max(candidates, key=lambda h: (sum(c.role is not None for c in h.cols), -h.first_row))
    filled = [sum(bool(c.text) for c in row.cells) for row in rows]
    if not filled or max(filled) < 2:
        return None
    return _header_at(grid.rows, filled.index(max(filled)), mapping, accept_unnamed=True)


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
            text = _one_line(cell.text) if cell.text and not cell.continued else ""
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


def _one_line(text: str) -> str:
    """A header cell broken over lines to fit a narrow column ("评价\n内容", "分\n值") as one name: the plan and its
    warnings named "A 列“序" on one line and "号”→ 编号" on the next."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        joined += " " + line if joined[-1:].isascii() and joined[-1:].isalnum() and line[0].isascii() else line
    return joined


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
