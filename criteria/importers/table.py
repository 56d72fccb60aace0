"""Turn grids of cell strings (from Excel, Word or CSV) into a Catalogue.

Format readers only report cells and merges; here a header is found, each row is read as a heading, a group
(a 评价项目 cell merged over several items), an item, a continuation of the item above, or a note, and the tree
is numbered with canonical codes.
"""

from __future__ import annotations

import re
from pathlib import Path

from criteria.errors import import_error
from criteria.importers.grid import Cell, Grid, Row
from criteria.importers.header import HEADER_SEARCH_ROWS, Header, field_of, find_header, merged_widths, same_layout
from criteria.importers.tree import Node, TreeBuilder
from criteria.importers.values import code_cell, kind_of, named_kind, parse_points, split_code, split_units, unique
from criteria.model import Catalogue, CatalogueError, Criterion

# "注：", "说明:", "备注 1.", "填表人：" ... end the table: whatever follows is remarks, not items.
_NOTE_RE = re.compile(r"^[*＊※]?\s*(注|说明|备注|附注|填表说明|填表人|填报人|审核人|联系人|制表人?)\s*\d*\s*[：:．.、]"
                      r"|^注\s*\d")
_TOTALS = {"合计", "总计", "小计", "总分", "共计"}
_LONG_TEXT = 40  # a merged full-width row longer than this without a code is an explanation, not a heading


def catalogue_from_grids(grids: list[Grid], file_name: str, *, follow_tables: bool = False) -> Catalogue:
    """The catalogue in the first grid with a header; with `follow_tables`, also in the grids that continue it
    (a Word table split over pages: same header repeated, or none)."""
    parts = _select(grids, file_name, follow_tables)
    first, header = parts[0][0], parts[0][1]
    builder = TreeBuilder(len(header.columns("group")))
    for grid, grid_header, start in parts:
        if not _TableReader(grid, grid_header, builder, start).read():
            break
    if not any(node.role == "item" for node in builder.nodes):
        raise first.error("表头下面没有任何评价项目")
    title = _title(first, header) or Path(file_name).stem
    catalogue = Catalogue(title=title, criteria=builder.finish(), source=file_name)
    try:
        catalogue.validate()
    except CatalogueError as exc:
        raise import_error(file_name, str(exc), first.where) from exc
    return catalogue


def _select(grids: list[Grid], file_name: str, follow: bool) -> list[tuple[Grid, Header, int]]:
    filled = [g for g in grids if any(c.text for r in g.rows for c in r.cells)]
    if not filled:
        where = grids[0].where if len(grids) == 1 else ""
        raise import_error(file_name, "表格是空的，没有任何内容", where)
    parts: list[tuple[Grid, Header, int]] = []
    for grid in filled:
        found = find_header(grid)
        if not parts:
            if found is not None:
                parts.append((grid, found, found.body_start))
            continue
        if not follow:
            break
        first = parts[0][1]
        if found is None and grid.width == len(first.fields):
            parts.append((grid, first, 0))
        elif found is not None and same_layout(first, found):
            parts.append((grid, found, found.body_start))
        else:
            break
    if not parts:
        where = filled[0].where if len(filled) == 1 else ""
        looked = "" if where else "（已查看：" + "、".join(g.where for g in filled) + "）"
        raise import_error(file_name, f"前 {HEADER_SEARCH_ROWS} 行中找不到评价细则的表头，应有“序号”“评价项目”"
                                      f"“评价内容”“分值”等列名{looked}", where)
    return parts


def _title(grid: Grid, header: Header) -> str:
    """The table's own title, typed above the header ("国家食品安全示范城市评价细则"), if any."""
    if grid.title:
        return grid.title
    for row in grid.rows[:header.first_row]:
        texts = [c.text for c in row.cells if c.text and not c.continued and not c.across]
        if len(texts) == 1 and is_caption(texts[0]):
            return texts[0]
    return ""


def is_caption(text: str) -> bool:
    """A line that can serve as the catalogue's title: short, and not the "附件2" tag above it."""
    return bool(text) and not text.startswith("附件") and len(text) <= 60


class _TableReader:
    """Reads the body of one grid into the shared TreeBuilder."""

    def __init__(self, grid: Grid, header: Header, builder: TreeBuilder, start: int) -> None:
        self.grid, self.header, self.builder, self.start = grid, header, builder, start
        self.fields = header.fields
        self.carried = [""] * len(self.fields)
        self.code_col = header.column("code")
        self.title_col = header.column("title")
        self.group_cols = header.columns("group")
        self.codes_name_groups = self._codes_name_groups()

    def read(self) -> bool:
        """Feed every row; False when a note ended the table."""
        rows = self.grid.rows[self.start:]
        body_end = _body_end(rows)
        for index, row in enumerate(rows):
            values, own = self._values(row)
            if not own:
                continue
            first = row.cells[own[0]].text
            if _NOTE_RE.match(first):
                return False
            if "".join(first.split()) in _TOTALS or _repeats_header(row, own):
                continue
            if not self._heading(row, values, own, trailing=index >= body_end):
                self._item(row, values, own)
        return True

    def _values(self, row: Row) -> tuple[list[str], list[int]]:
        """Each column's text with vertical merges carried down, and the columns this row itself fills."""
        values, own = [], []
        for column, cell in enumerate(row.cells[:len(self.fields)]):
            if cell.continued:
                text = self.carried[column]
            else:
                text = "" if cell.across else cell.text
                if text and self.fields[column] != "ignore":
                    own.append(column)
            self.carried[column] = text
            values.append(text)
        return values, own

    def _heading(self, row: Row, values: list[str], own: list[int], *, trailing: bool) -> bool:
        """Handle a row that is a heading or a remark; False if it is an item row.

        A heading is a row merged across the table, or one coded text typed outside the 评价项目/评价内容
        columns (often in the 序号 cell, unmerged), possibly with a subtotal in 分值.
        """
        textual = [c for c in own if self.fields[c] != "points"]
        if len(textual) != 1:
            return False
        column = textual[0]
        text = row.cells[column].text
        code, title = split_code(text)
        if code is None and len(textual) < len(own):
            return False  # an uncoded text with points is item data, never a remark
        # A cell merged no wider than the header cell above it is merged for layout, not to span the table.
        spans = row.spans_width and merged_widths(row)[column] > self.header.widths[column]
        if spans:
            if code is None and len(text) > _LONG_TEXT:
                return True  # an explanation merged across the table
        elif any(cell.continued and value for cell, value in zip(row.cells, values, strict=False)):
            return False  # part of a merged block: an item row
        elif code is None and trailing and len(text) > _LONG_TEXT:
            return True  # a remark typed below the last item
        elif self.fields[column] == "title" or (self.fields[column] == "group" and code is None):
            return False  # a lone 评价内容, or an uncoded 评价项目, is an item or a group
        elif code is None:
            return True  # a lone uncoded remark outside the item columns
        node = Node("heading", Criterion(code="", title=title), code, group_text=text)
        node.crit.kind = named_kind(title)
        node.crit.points = self._points(node.crit, values)
        self.builder.add_heading(node)
        return True

    def _item(self, row: Row, values: list[str], own: list[int]) -> None:
        started = self._groups(values, own)
        title = values[self.title_col]
        code_own = self.code_col is not None and self.code_col in own
        last = self.builder.last_item()
        if title and self.title_col not in own and not code_own and last is not None:
            self._extend(last.crit, values, own)  # 评价内容 merged down: more 细则 lines for the item above
            return
        if not title:
            rule = self._joined(values, "rule")
            if rule:
                title = rule.split("\n")[0]
            elif started is not None:
                self._fill(started.crit, values)  # the group's own row carries its 分值 etc.
                return
            elif all(self.fields[c] == "code" for c in own):
                return
            else:
                raise self.grid.error("这一行有分值等内容，但没有评价内容，无法确定它属于哪个评价项目", row.number)
        code_text = values[self.code_col] if self.code_col is not None and not self.codes_name_groups else ""
        if code_text:
            code = code_cell(code_text)
        else:
            code, title = split_code(title)
        node = Node("item", Criterion(code="", title=title), code)
        self._fill(node.crit, values)
        self.builder.add_item(node)

    def _groups(self, values: list[str], own: list[int]) -> Node | None:
        """Open the groups that start on this row; return the innermost one started here, if any."""
        started = None
        for level, column in enumerate(self.group_cols):
            text = values[column]
            current = self.builder.current_group(level)
            # A blank group cell means "same as above": CSV exports and hand-made tables leave repeats blank.
            if not text or (current is not None and current.group_text == text):
                continue
            if current is None and level == 0 and text == self.builder.heading_text():
                continue  # a coded 评价项目 cell merged down from its own heading row
            if level == 0 and self.codes_name_groups and values[self.code_col]:
                code, title = code_cell(values[self.code_col]), text
            else:
                code, title = split_code(text)
            node = Node("group", Criterion(code="", title=title), code, group_text=text)
            node.crit.kind = named_kind(title)
            started = self.builder.add_group(level, node)
        return started

    def _fill(self, crit: Criterion, values: list[str]) -> None:
        crit.rule = self._joined(values, "rule")
        crit.method = self._joined(values, "method")
        crit.evidence = self._joined(values, "evidence")
        crit.note = self._joined(values, "note")
        kind = self._joined(values, "kind")
        crit.kind = kind_of(kind) if kind else crit.kind
        crit.units = unique(split_units(self._joined(values, "lead")) + split_units(self._joined(values, "assist")))
        crit.points = self._points(crit, values)

    def _extend(self, crit: Criterion, values: list[str], own: list[int]) -> None:
        """Add what a continuation row fills in itself; carried-down cells are already in the item."""
        mine = [v if c in own else "" for c, v in enumerate(values)]
        for name in ("rule", "method", "evidence", "note"):
            extra = self._joined(mine, name)
            if extra:
                setattr(crit, name, f"{getattr(crit, name)}\n{extra}".strip())
        crit.units = unique(crit.units + split_units(self._joined(mine, "lead"))
                             + split_units(self._joined(mine, "assist")))
        more = self._points(crit, mine)
        if more is not None:
            crit.points = (crit.points or 0) + more

    def _points(self, crit: Criterion, values: list[str]) -> float | None:
        text = self._joined(values, "points")
        try:
            return parse_points(text)
        except ValueError:
            # Keep what the clerk wrote ("见细则", "五分") rather than refuse the whole table.
            crit.note = f"{crit.note}\n分值：{text}".strip()
            return None

    def _joined(self, values: list[str], name: str) -> str:
        return "\n".join(values[c] for c in self.header.columns(name) if values[c])

    def _codes_name_groups(self) -> bool:
        """Whether the 序号 column numbers the groups rather than the items.

        True when a 序号 is given exactly on the rows where a group starts and at least one group spans several
        rows (序号 merged down with 评价项目, or left blank below it in a CSV export).
        """
        if self.code_col is None or not self.group_cols:
            return False
        group_col, spans = self.group_cols[0], False
        for row in self.grid.rows[self.start:]:
            cells = row.cells
            own = [c for c in cells if c.text and not c.continued and not c.across]
            if not own or (len(own) == 1 and not any(c.continued for c in cells)):
                continue
            if _NOTE_RE.match(own[0].text):
                break
            if "".join(own[0].text.split()) in _TOTALS:
                continue
            code_given = _own_text(cells[self.code_col])
            if code_given != _own_text(cells[group_col]):
                return False
            spans = spans or not code_given
        return spans


def _body_end(rows: list[Row]) -> int:
    """Index just after the last row with two or more filled cells: lone texts below it are remarks."""
    end = 0
    for index, row in enumerate(rows):
        if sum(1 for c in row.cells if _own_text(c)) >= 2:
            end = index + 1
    return end


def _repeats_header(row: Row, own: list[int]) -> bool:
    """A header row repeated inside the body (printed tables repeat it on every page)."""
    return len(own) >= 2 and all(field_of(row.cells[c].text) is not None for c in own)


def _own_text(cell: Cell) -> bool:
    return bool(cell.text) and not cell.continued and not cell.across
