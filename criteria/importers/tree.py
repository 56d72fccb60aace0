"""Place headings, groups and items of a criteria table into a tree, then give them their codes (keys.py).

Three kinds of rows nest in a fixed order: headings (rows spanning the table, "一、组织领导") above groups (a
评价项目 cell merged down over its items) above items. Within headings and within items, nesting follows the codes:
"1.2" goes under "1"; a code of a style already open ("二、" after "一、") closes it and becomes its sibling; a code
of a new style ("（一）" after "一、") opens a level below.
"""

from __future__ import annotations

from dataclasses import dataclass

from criteria.codes import LeadingCode
from criteria.importers.keys import assign_keys
from criteria.importers.values import KINDS
from criteria.model import Criterion

PART_STYLES = ("cn_num", "cn_paren", "cn_part")  # 一、, （一） and 第一部分


@dataclass(eq=False)
class Node:
    role: str  # "heading", "group" or "item"
    crit: Criterion  # code, parent and level are filled in by finish()
    code: LeadingCode | None = None
    parent: Node | None = None
    group_text: str = ""  # the cell text as written, to tell whether the next row starts a new group
    where: str = ""  # "工作表“Sheet1”", "表格 2", "段落": for the plan's messages
    row: int | None = None  # row number in the source
    points_from_text: bool = False  # points read from the text ("（2分）"), not from a points column


class TreeBuilder:
    def __init__(self, group_columns: int) -> None:
        self.nodes: list[Node] = []
        self.headings: list[Node] = []
        self.groups: list[Node | None] = [None] * group_columns
        self.items: list[Node] = []

    def use_groups(self, group_columns: int) -> None:
        """A new header starts: groups of the previous table are closed, headings stay open."""
        if group_columns != len(self.groups) or any(self.groups):
            self.groups = [None] * group_columns
            self.items.clear()

    def snapshot(self) -> tuple:
        return list(self.nodes), list(self.headings), list(self.groups), list(self.items)

    def restore(self, state: tuple) -> None:
        nodes, headings, groups, items = state
        self.nodes, self.headings, self.groups, self.items = list(nodes), list(headings), list(groups), list(items)

    def container(self) -> Node | None:
        """Where an item would go now: the innermost open group, else the innermost heading."""
        return self._container(len(self.groups))

    def last_item(self) -> Node | None:
        return self.items[-1] if self.items else None

    def current_group(self, level: int) -> Node | None:
        return self.groups[level]

    def heading_text(self) -> str:
        return self.headings[-1].group_text if self.headings else ""

    def add_heading(self, node: Node) -> Node:
        self.groups = [None] * len(self.groups)
        self.items.clear()
        node.parent = _place(self.headings, node, None)
        return self._add(node)

    def add_group(self, level: int, node: Node) -> Node:
        self.groups[level + 1:] = [None] * (len(self.groups) - level - 1)
        self.items.clear()
        self._open_a_level_below(level, node)
        if level == 0 and node.code is not None:
            # "二、能力建设" in a 评价项目 cell after a heading row "一、组织领导": a sibling of that heading.
            for depth in range(len(self.headings) - 1, -1, -1):
                other = self.headings[depth].code
                if other is not None and other.signature == node.code.signature:
                    del self.headings[depth:]
                    break
        node.parent = self._container(level)
        self.groups[level] = node
        return self._add(node)

    def add_item(self, node: Node) -> Node:
        node.parent = _place(self.items, node, self._container(len(self.groups)))
        return self._add(node)

    def finish(self) -> list[Criterion]:
        """Criteria in row order with parents, levels and codes."""
        index = {id(node): i for i, node in enumerate(self.nodes)}
        parents = [index[id(n.parent)] if n.parent is not None else None for n in self.nodes]
        codes = assign_keys([n.code for n in self.nodes], parents)
        for node, code, parent in zip(self.nodes, codes, parents, strict=True):
            crit = node.crit
            crit.code = code
            if parent is None:
                crit.parent, crit.level = None, 1
            else:
                above = self.nodes[parent].crit
                crit.parent, crit.level = above.code, above.level + 1
                # Everything under "一、否决项" is a veto item unless its own row says otherwise.
                crit.kind = crit.kind or (above.kind if above.kind in KINDS else "")
        return [n.crit for n in self.nodes]

    def _open_a_level_below(self, level: int, node: Node) -> None:
        """"一 | 组织领导（20分）" on a row of its own in the 评价项目 column, then "1 | 党政同责" (or an uncoded
        "党政同责" whose items carry the numbers): a coded group with nothing under it yet, followed by one coded in
        another style or not at all, is the part the new one belongs to (as "（一）" after "一、" opens a level
        below). Taken as a heading, its groups go under it and a later "二" closes it; before, "1" closed it and it
        stood empty beside its own groups."""
        current = self.groups[level]
        # parts are numbered 一、二 or （一）: an empty "5 投诉举报" (an item whose 评价内容 is missing) stays a group
        if level != 0 or current is None or current.code is None or current.code.style not in PART_STYLES:
            return
        if node.code is not None and node.code.signature == current.code.signature:
            return
        if any(n.parent is current for n in self.nodes):
            return
        current.role = "heading"
        self.groups[level] = None
        self.headings.append(current)

    def _container(self, group_level: int) -> Node | None:
        """The deepest open group above `group_level`, else the innermost heading."""
        for group in reversed(self.groups[:group_level]):
            if group is not None:
                return group
        return self.headings[-1] if self.headings else None

    def _add(self, node: Node) -> Node:
        if node.code is not None:
            node.crit.label = node.code.label
        self.nodes.append(node)
        return node


def _place(stack: list[Node], node: Node, base: Node | None) -> Node | None:
    """Put `node` on a stack of open nodes and return its parent (`base` for the outermost level)."""
    code = node.code
    if code is not None and code.style == "dotted" and len(code.numbers) >= 2:
        for depth in range(len(stack) - 1, -1, -1):
            other = stack[depth].code
            if other is not None and other.style == "dotted" and other.numbers == code.numbers[:-1]:
                del stack[depth + 1:]
                stack.append(node)
                return stack[depth]
    signature = code.signature if code is not None else None
    for depth in range(len(stack) - 1, -1, -1):
        other = stack[depth].code
        if (other.signature if other is not None else None) == signature:
            parent = stack[depth].parent
            del stack[depth:]
            stack.append(node)
            return parent
    if code is None:
        # An uncoded row with no uncoded sibling open is taken to be at the outermost level.
        stack.clear()
        stack.append(node)
        return base
    parent = stack[-1] if stack else base
    stack.append(node)
    return parent
