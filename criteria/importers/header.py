"""Find the header of a criteria table and say which column holds what.

Offices rename columns freely ("评价内容" / "评价标准", "牵头单位" / "责任单位"), put a title and a 附件 line above
the header, and split the header over two rows ("评价内容" merged over "评价标准" and "评价细则").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from criteria.importers.grid import Cell, Grid, Row

HEADER_SEARCH_ROWS = 10

# Field names used by table.py. "lead" and "assist" both become Criterion.units, lead units first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("序号", "编号", "项目编号", "指标编号", "代码"),
    "group": ("评价项目", "考核项目", "测评项目", "创建项目", "项目名称", "项目", "一级指标", "二级指标"),
    "title": ("评价内容", "评价标准", "考核内容", "测评内容", "评价指标", "三级指标", "指标内容", "指标", "内容"),
    "rule": ("评价细则", "评分标准", "评分细则", "评分办法", "评分方法", "扣分标准", "计分方法", "考核细则"),
    "method": ("测评方式", "评价方式", "考核方式", "评价方法", "测评方法", "考核方法", "检查方式"),
    "points": ("分值", "标准分", "满分", "分数"),
    "lead": ("牵头单位", "责任单位", "牵头部门", "责任部门", "责任主体", "牵头责任单位"),
    "assist": ("配合单位", "配合部门", "协办单位", "协助单位"),
    "evidence": ("佐证材料", "佐证材料要求", "佐证资料", "台账资料", "支撑材料", "印证材料", "资料清单"),
    "kind": ("类别", "项目类型", "指标类型", "指标类别", "项目类别", "类型", "指标属性"),
    "note": ("备注", "说明"),
    # Filled in during the review, not part of the criteria.
    "ignore": ("得分", "扣分", "自评得分", "自评分", "实得分", "考核得分", "扣分原因", "扣分情况", "自评情况",
               "得分情况", "存在问题", "完成情况"),
}
_BY_LENGTH = sorted(((s, f) for f, names in SYNONYMS.items() for s in names), key=lambda p: -len(p[0]))
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
# How much longer than a synonym a header cell may be ("评价内容及要求"); real data cells are longer.
_SUFFIX_ALLOWANCE = 4


@dataclass
class Header:
    first_row: int  # index in grid.rows of the first header row
    row_count: int  # 1 or 2
    fields: list[str | None]  # the field of each column
    widths: list[int]  # columns covered by the header cell starting at each column (0 inside a merged cell)

    @property
    def body_start(self) -> int:
        return self.first_row + self.row_count

    def columns(self, name: str) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f == name]

    def column(self, name: str) -> int | None:
        found = self.columns(name)
        return found[0] if found else None


def field_of(text: str) -> str | None:
    """The field a header cell names, or None."""
    name = _BRACKETED.sub("", "".join(text.split())).rstrip("：:")
    for synonym, field_name in _BY_LENGTH:
        if name.startswith(synonym) and len(name) <= len(synonym) + _SUFFIX_ALLOWANCE:
            return field_name
    return None


def find_header(grid: Grid, limit: int = HEADER_SEARCH_ROWS) -> Header | None:
    rows = grid.rows
    for index in range(min(limit, len(rows))):
        top = _row_fields(rows[index])
        if not any(top):
            continue
        fields, count = top, 1
        if index + 1 < len(rows) and _is_sub_header(rows[index], rows[index + 1]):
            sub = _row_fields(rows[index + 1])
            fields, count = [s or t for s, t in zip(sub, top, strict=True)], 2
        fields = _resolve(fields)
        if _usable(fields):
            return Header(index, count, fields, merged_widths(rows[index]))
    return None


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


def same_layout(header: Header, other: Header) -> bool:
    return header.fields == other.fields


def _row_fields(row: Row) -> list[str | None]:
    """Field per column; a header cell merged across several columns names all of them."""
    fields: list[str | None] = []
    current: str | None = None
    for cell in row.cells:
        if not cell.across:
            current = field_of(cell.text) if cell.text and not cell.continued else None
        fields.append(current)
    return fields


def _is_sub_header(top: Row, sub: Row) -> bool:
    """Whether `sub` is the second row of a two-row header rather than the first data row.

    It is when it names columns, or when it splits a merged header cell ("评价内容" over two sub-columns) even
    with names we do not know. Any other text under a plain header cell makes it data.
    """
    found = False
    for column, cell in enumerate(sub.cells):
        if not _own(cell):
            continue
        if field_of(cell.text) is not None:
            found = True
        elif not (top.cells[column].across or _next_across(top, column)):
            return False
    return found or _splits_merged_cell(top, sub)


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


def _resolve(fields: list[str | None]) -> list[str | None]:
    """Settle columns that name the same thing.

    With several 评价项目-like columns and no 评价内容, the last one holds the items and the others group them.
    A second title column (评价内容 beside 评价标准) carries the standard the item is judged by, i.e. a rule.
    """
    fields = list(fields)
    if "title" not in fields and "group" in fields:
        fields[max(i for i, f in enumerate(fields) if f == "group")] = "title"
    titles = [i for i, f in enumerate(fields) if f == "title"]
    for extra in titles[1:]:
        fields[extra] = "rule"
    return fields


def _usable(fields: list[str | None]) -> bool:
    named = [f for f in fields if f and f != "ignore"]
    return "title" in named and len(named) >= 2
