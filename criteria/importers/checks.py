"""Checks on a planned import, so that nothing a reader of the table would call wrong passes without a warning.

Group points against the sum of their items, the total against a total the document states, duplicate codes,
items without text, sheets or tables skipped, columns whose role was guessed, points read from the text.
"""

from __future__ import annotations

from criteria.codes import normalize_label
from criteria.duedates import NO_YEAR, NOT_A_DATE
from criteria.importers.keys import global_codes
from criteria.importers.plan import ImportPlan, effective_points
from criteria.importers.rows import SKIP_REASONS
from criteria.importers.tree import Node

TOLERANCE = 0.001
MAX_LISTED = 8


def run_checks(plan: ImportPlan, nodes: list[Node]) -> None:
    crits = plan.catalogue.criteria
    _skipped_parts(plan)
    _guessed_columns(plan)
    _duplicates(plan, nodes)
    _group_sums(plan)
    _total(plan)
    _points_from_text(plan)
    _remarks(plan)
    _undated(plan)
    _empty_groups(plan, nodes)
    if not any(c.points is not None for c in crits) and crits:
        plan.warn("no_points", "没有读到任何分值：表格中没有分值列，文字中也没有写明分值")


def _place(node: Node) -> str:
    where = node.where
    if node.row is None:
        return where
    return f"{where}{' ' if where[-1:].isdigit() else ''}第 {node.row} 行" if where else f"第 {node.row} 行"


def _skipped_parts(plan: ImportPlan) -> None:
    for part in plan.parts:
        if part.status == "skipped":
            plan.warn("skipped_part", f"未读取{part.where or '表格'}：{part.reason}")


def _guessed_columns(plan: ImportPlan) -> None:
    for part in plan.parts:
        for column in part.columns:
            if part.status != "read":
                continue
            if column.source == "content":
                header = f"“{column.header}”" if column.header else "（无表头）"
                plan.warn("guessed_column", f"{_column_place(part.where, column.letter)}{header}按内容判断为"
                                            f"“{column.role_name}”，如不对请在预览中改选或用 --map 指定")
            elif column.role is None and column.header:
                plan.warn("unknown_column", f"{_column_place(part.where, column.letter)}“{column.header}”的表头未识别，"
                                            "这一列没有导入；如需导入请在预览中选择它的含义或用 --map 指定")


def _column_place(where: str | None, letter: str) -> str:
    """"工作表“细则”B 列", "表格 1 的 B 列" (not "表格 1B 列")."""
    where = where or ""
    return f"{where}{' 的 ' if where[-1:].isdigit() else ''}{letter} 列"


def _duplicates(plan: ImportPlan, nodes: list[Node]) -> None:
    """The same printed code twice where it should name one row: twice under one parent, or a dotted code."""
    seen: dict[tuple, Node] = {}
    index = {id(n): i for i, n in enumerate(nodes)}
    parents = [index[id(n.parent)] if n.parent is not None else None for n in nodes]
    table_wide = global_codes([n.code for n in nodes], parents)  # dotted codes, numbers running on across parts
    for position, node in enumerate(nodes):
        label = normalize_label(node.crit.label)
        if not label:
            continue
        wide = table_wide[position]
        key = ("table", wide) if wide is not None else (parents[position], label)
        if key in seen:
            first = seen[key]
            plan.warn("duplicate_code", f"编号 {node.crit.label} 重复：{_place(first)}“{first.crit.title}”与"
                                        f"{_place(node)}“{node.crit.title}”，后者记为 {node.crit.code}",
                      node.crit.code)
        else:
            seen[key] = node


def _group_sums(plan: ImportPlan) -> None:
    crits = plan.catalogue.criteria
    points = effective_points(crits)
    children: dict[str, list] = {}
    for crit in crits:
        if crit.parent is not None:
            children.setdefault(crit.parent, []).append(crit)
    for crit in crits:
        kids = children.get(crit.code, [])
        sums = [points[k.code] for k in kids if points[k.code] is not None]
        if crit.points is None or not sums:
            continue
        total = sum(sums)
        if abs(total - crit.points) > TOLERANCE:
            plan.warn("group_points", f"{crit.label or crit.code}“{crit.title}”标明 {crit.points:g} 分，其下各项合计 "
                                      f"{total:g} 分", crit.code)


def _total(plan: ImportPlan) -> None:
    total = plan.totals()["points"]
    for value, where in dict.fromkeys(plan.stated_totals):
        if total is None or abs(total - value) > TOLERANCE:
            got = f"{total:g} 分" if total is not None else "没有分值"
            plan.warn("total", f"{where}写明总分 {value:g} 分，导入的各项合计 {got}")


def _points_from_text(plan: ImportPlan) -> None:
    parents = {c.parent for c in plan.catalogue.criteria}
    # Parts and groups stating their points in their name ("一、重点工作（92分）") are common; items are flagged.
    codes = [c for c in plan.catalogue.criteria if c.code in plan.points_from_text and c.code not in parents]
    if codes:
        names = [c.label.rstrip("、.．") or c.code for c in codes[:MAX_LISTED]]
        listed = "、".join(names) + ("等" if len(codes) > MAX_LISTED else "")
        plan.warn("points_from_text", f"{len(codes)} 项的分值取自文字（如“（2分）”“满分10分”），不是分值列：{listed}")


def _remarks(plan: ImportPlan) -> None:
    """Lone texts read as remarks, not items: a reader may see an item there, so they are named."""
    rows = [r for r in plan.skipped_rows if r.reason == SKIP_REASONS["remark"]]
    if rows:
        listed = "、".join(f"{r.where}第 {r.row} 行" for r in rows[:MAX_LISTED])
        listed += "等" if len(rows) > MAX_LISTED else ""
        plan.warn("remark_rows", f"{len(rows)} 行单独的文字按说明文字处理，未作为评价项目：{listed}")


def _undated(plan: ImportPlan) -> None:
    """完成时限 cells that give no date: the items get no deadline, which the clerk should know and may set."""
    for problem, what in ((NO_YEAR, "没有写年份"), (NOT_A_DATE, "不是具体日期")):
        cells = [(where, text) for where, text, found in plan.undated if found == problem]
        if cells:
            listed = "、".join(f"{where}“{text}”" for where, text in cells[:MAX_LISTED])
            listed += "等" if len(cells) > MAX_LISTED else ""
            plan.warn("undated", f"{len(cells)} 项的完成时限{what}，未设时限（可在评价项目的“自查自评”中设置）："
                                 f"{listed}")


def _empty_groups(plan: ImportPlan, nodes: list[Node]) -> None:
    """A part or group with nothing under it: usually a remark typed in the 评价项目 column, or a lost item."""
    parents = {id(n.parent) for n in nodes if n.parent is not None}
    for node in nodes:
        if node.role != "item" and id(node) not in parents:
            plan.warn("empty_group", f"{_place(node)}“{node.crit.title}”下面没有评价项目，已作为一项导入",
                      node.crit.code)
