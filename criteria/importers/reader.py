"""Read the body of one grid (a sheet, a Word table, a CSV) into the shared tree, noting in the plan what was skipped.

Each row is a heading, a group (a 评价项目 cell merged over several items), an item, a continuation of the item
above, or a row that is never an item (rows.py). The plan hears of every row that did not become a criterion.
"""

from __future__ import annotations

from criteria.duedates import parse_table_due
from criteria.importers.grid import Cell, Grid, Row
from criteria.importers.header import Header, field_of, merged_widths
from criteria.importers.plan import ImportPlan, Part, SkippedRow
from criteria.importers.rows import SKIP_REASONS, is_note, non_item, stated_row_total
from criteria.importers.tree import Node, TreeBuilder
from criteria.importers.values import (
    code_cell,
    kind_of,
    named_kind,
    parse_points,
    points_in_text,
    split_code,
    split_heading,
    split_units,
    stated_total,
    strip_points_suffix,
    unique,
    without_stated_points,
    worded_points,
)
from criteria.model import Criterion

LONG_TEXT = 40  # a merged full-width row longer than this without a code is an explanation, not a heading
NO_TEXT = "（未填写评价内容）"


class TableReader:
    def __init__(self, grid: Grid, header: Header, builder: TreeBuilder, start: int, plan: ImportPlan,
                 part: Part) -> None:
        self.grid, self.header, self.builder, self.start = grid, header, builder, start
        self.plan, self.part = plan, part
        self.fields = header.fields
        self.carried = [""] * len(self.fields)
        self.code_col = header.column("code")
        self.title_col = header.column("title")
        self.group_cols = header.columns("group")
        self.points_cols = set(header.columns("points"))
        self.codes_name_groups = self._codes_name_groups()
        self.rows = grid.rows[start:]

    def read(self) -> None:
        body_end = _body_end(self.rows)
        for index, row in enumerate(self.rows):
            values, own = self._values(row)
            if not own:
                self.plan.blank_rows += not any(c.text for c in row.cells)
                continue
            texts = [row.cells[c].text for c in own]
            if is_note(texts[0]):
                self._skip(row, "note", texts)
                self._note_totals(texts)
                self._below_note(row, self.rows[index + 1:])
                return
            reason = non_item(texts) or ("header" if _repeats_header(row, own) else None)
            if reason is not None:
                self._skip(row, reason, texts)
                if reason == "total":
                    self._row_total(texts)
                continue
            if not self._heading(row, values, own, trailing=index >= body_end):
                self._item(index, row, values, own)

    def _skip(self, row: Row, reason: str, texts: list[str]) -> None:
        self.plan.skipped_rows.append(SkippedRow(self.grid.where, row.number, " ".join(texts), SKIP_REASONS[reason]))

    def _below_note(self, note: Row, rest: list[Row]) -> None:
        """Rows after a note are remarks; ones that look like items (two or more cells) are named in a warning."""
        alike = 0
        for row in rest:
            own = [c.text for c in row.cells if _own_text(c)]
            if own:
                self._skip(row, "below_note", own)
                alike += len(own) >= 2 and non_item(own) is None
        if alike:
            self.plan.warn("below_note", f"{self._place(note)}的注释下方还有 {alike} 行像评价项目的内容，未导入；"
                                         "如果它们是评价项目，请删去表格中间的注释行")

    def _note_totals(self, texts: list[str]) -> None:
        for text in texts:
            value = stated_total(text)
            if value is not None:
                self.plan.stated_totals.append((value, f"{self.grid.where}的注释"))

    def _row_total(self, texts: list[str]) -> None:
        value = stated_row_total(texts)
        if value is not None:
            self.plan.stated_totals.append((value, f"{self.grid.where}的“{texts[0]}”行"))

    def _values(self, row: Row) -> tuple[list[str], list[int]]:
        """Each column's text with vertical merges carried down, and the columns this row itself fills.

        A points cell merged down is not carried: its points belong to whatever started on its first row.
        """
        values, own = [], []
        for column, cell in enumerate(row.cells[:len(self.fields)]):
            if cell.continued:
                text = "" if column in self.points_cols else self.carried[column]
            else:
                text = "" if cell.across else cell.text
                if text and self.fields[column] != "ignore":
                    own.append(column)
            self.carried[column] = text if column not in self.points_cols else ""
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
        code, title = split_heading(text)
        if code is None and len(textual) < len(own):
            return False  # an uncoded text with points is item data, never a remark
        # A cell merged no wider than the header cell above it is merged for layout, not to span the table.
        spans = row.spans_width and merged_widths(row)[column] > self.header.widths[column]
        if spans:
            if code is None and len(text) > LONG_TEXT:
                self._skip(row, "remark", [text])
                return True  # an explanation merged across the table
        elif any(cell.continued and value for cell, value in zip(row.cells, values, strict=False)):
            return False  # part of a merged block: an item row
        elif code is None and trailing and len(text) > LONG_TEXT:
            self._skip(row, "remark", [text])
            return True  # a remark typed below the last item
        elif self.fields[column] == "title" or (self.fields[column] == "group" and code is None):
            return False  # a lone 评价内容, or an uncoded 评价项目, is an item or a group
        elif code is None:
            self._skip(row, "remark", [text])
            return True  # a lone uncoded remark outside the item columns
        node = self._node("heading", title, code, row, group_text=text)
        node.crit.kind = named_kind(node.crit.title)
        if node.crit.points is None:
            node.crit.points = self._points(node.crit, values)
        self.builder.add_heading(node)
        return True

    def _node(self, role: str, title: str, code, row: Row, group_text: str = "") -> Node:
        """A node whose points may be stated in its title: "重点工作完成情况（92分）"."""
        node = Node(role, Criterion(code="", title=title), code, group_text=group_text, where=self.grid.where,
                    row=row.number)
        if role != "item":
            from_text = points_in_text(title)
            stripped = strip_points_suffix(title)
            if from_text is not None and stripped != title:
                node.crit.title, node.crit.points, node.points_from_text = stripped, from_text, True
        return node

    def _item(self, index: int, row: Row, values: list[str], own: list[int]) -> None:
        started = self._groups(row, values, own)
        title = values[self.title_col]
        code_own = self.code_col is not None and self.code_col in own
        last = self.builder.last_item()
        if title and self.title_col not in own and not code_own and last is not None:
            self._extend(last.crit, values, own)  # 评价内容 merged down: more 细则 lines for the item above
            return
        no_text = False
        if not title:
            rule = self._joined(values, "rule")
            if rule:
                title = rule.split("\n")[0]
            elif started is not None:
                self._fill(started, values, row)  # the group's own row carries its 分值 etc.
                return
            elif all(self.fields[c] == "code" for c in own):
                self._skip(row, "code_only", [row.cells[c].text for c in own])
                return
            elif not code_own and last is not None:
                self._extend(last.crit, values, own)
                self.plan.warn("merged_row", f"{self._place(row)}没有评价内容和序号，已并入上一项“{last.crit.title}”")
                return
            else:
                title, no_text = NO_TEXT, True
        code_text = values[self.code_col] if self.code_col is not None and not self.codes_name_groups else ""
        if code_text:
            code = code_cell(code_text)
        else:
            code, title = split_code(title)
        node = self._node("item", title, code, row)
        self._fill(node, values, row)
        self._group_points(index, row, node, started)
        self.builder.add_item(node)
        if no_text:
            self.plan.warn("no_text", f"{self._place(row)}有编号或分值，但没有评价内容，已导入为“{NO_TEXT}”")

    def _place(self, row: Row) -> str:
        where = self.grid.where
        return f"{where}{' ' if where[-1:].isdigit() else ''}第 {row.number} 行" if where else f"第 {row.number} 行"

    def _groups(self, row: Row, values: list[str], own: list[int]) -> Node | None:
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
            if level == 0 and self._codes_group(values):
                code, title = code_cell(values[self.code_col]), text
            else:
                code, title = split_heading(text)
            node = self._node("group", title, code, row, group_text=text)
            node.crit.kind = named_kind(node.crit.title)
            started = self.builder.add_group(level, node)
        return started

    def _codes_group(self, values: list[str]) -> bool:
        """Whether this row's 序号 is its 评价项目's: always where the 序号 column names groups, and on a row holding
        nothing under the group ("一 | 组织领导" above "1 | 党政同责 | 评价内容…"), where it names items."""
        if self.code_col is None or not values[self.code_col]:
            return False
        return self.codes_name_groups or not (values[self.title_col] or self._joined(values, "rule"))

    def _group_points(self, index: int, row: Row, item: Node, started: Node | None) -> None:
        """A points cell merged down over several items holds the points of the group, not of each item."""
        below = self.rows[index + 1] if index + 1 < len(self.rows) else None
        if below is None or item.crit.points is None:
            return
        merged = [c for c in self.points_cols if c < len(below.cells) and below.cells[c].continued]
        title_merged = below.cells[self.title_col].continued if self.title_col < len(below.cells) else False
        if not merged or title_merged:
            return
        owner = started or self.builder.container()
        if owner is None or (owner.crit.points is not None and not owner.points_from_text):
            self.plan.warn("shared_points", f"{self._place(row)}的分值单元格向下合并了多个项目，分值记在第一项"
                                            f"“{item.crit.title}”上")
            return
        if owner.crit.points is not None and owner.crit.points != item.crit.points:
            self.plan.warn("group_points", f"“{owner.crit.title}”的标题写明 {owner.crit.points:g} 分，合并的分值单元格"
                                           f"为 {item.crit.points:g} 分，按分值单元格计", None)
        owner.crit.points, owner.points_from_text, item.crit.points = item.crit.points, False, None

    def _fill(self, node: Node, values: list[str], row: Row) -> None:
        crit = node.crit
        crit.rule = self._joined(values, "rule")
        crit.method = self._joined(values, "method")
        crit.evidence = self._joined(values, "evidence")
        crit.note = self._joined(values, "note")
        kind = self._joined(values, "kind")
        crit.kind = kind_of(kind) if kind else crit.kind
        crit.units = unique(split_units(self._joined(values, "lead")) + split_units(self._joined(values, "assist")))
        due_text = self._joined(values, "due")
        due = parse_table_due(due_text)
        crit.due = due.date
        if due.problem:
            self.plan.undated.append((self._place(row), due_text, due.problem))
        points = self._points(crit, values)
        if points is not None:
            crit.points, node.points_from_text = points, False
            crit.title = without_stated_points(crit.title, points)
        elif crit.points is None and not self._points_cell_merged(row):
            found = points_in_text(crit.title) or points_in_text(crit.rule)
            if found is not None:
                crit.title = strip_points_suffix(crit.title)
                crit.points, node.points_from_text = found, True

    def _points_cell_merged(self, row: Row) -> bool:
        return any(c < len(row.cells) and row.cells[c].continued for c in self.points_cols)

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
            pass
        # Keep what the clerk wrote ("见细则", "五分") rather than refuse the whole table.
        crit.note = f"{crit.note}\n分值：{text}".strip()
        try:
            points, kind = worded_points(text)
        except ValueError:
            self.plan.warn("bad_points", f"“{crit.title}”的分值“{text}”不是数字，已记入备注")
            return None
        crit.kind = crit.kind or kind
        read = "、".join(part for part in (f"{points:g} 分" if points is not None else "", kind) if part)
        self.plan.warn("worded_points", f"“{crit.title}”的分值“{text}”已按“{read}”导入，原文记入备注")
        return points

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
            own = [c for c in cells if _own_text(c)]
            if not own or (len(own) == 1 and not any(c.continued for c in cells)):
                continue
            if is_note(own[0].text):
                break
            if non_item([c.text for c in own]):
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
