"""The import plan as lines of Chinese text, for the CLI (`--preview`, and after an import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from criteria.importers.plan import ImportPlan

MAX_SKIPPED_SHOWN = 40


def plan_lines(plan: ImportPlan, tree: bool = True) -> list[str]:
    lines = [f"评价细则：{plan.file_name}", f"标题：{plan.catalogue.title}"]
    for part in plan.parts:
        lines.append(part_line(part))
    columns = plan.columns
    if columns:
        lines.append("各列的含义：")
        for column in columns:
            if not column.header and column.role is None:
                continue
            how = {"content": "（按内容判断）", "map": "（手工指定）"}.get(column.source, "")
            lines.append(f"  {column.letter} 列“{column.header or '无表头'}”→ {column.role_name}{how}")
    if plan.skipped_rows or plan.blank_rows:
        lines.append(f"未作为评价项目的行（{len(plan.skipped_rows)} 行，另有空行 {plan.blank_rows} 行）：")
        for row in plan.skipped_rows[:MAX_SKIPPED_SHOWN]:
            place = f"{row.where}" + (" " if row.where[-1:].isdigit() else "") if row.where else ""
            lines.append(f"  {place}第 {row.row} 行“{_short(row.text)}”：{row.reason}")
        if len(plan.skipped_rows) > MAX_SKIPPED_SHOWN:
            lines.append(f"  ……另有 {len(plan.skipped_rows) - MAX_SKIPPED_SHOWN} 行")
    lines.append(plan.summary())
    if tree:
        for crit in plan.catalogue.criteria:
            points = ""
            if crit.points is not None:
                points = f"（{crit.points:g} 分" + ("，取自文字" if crit.code in plan.points_from_text else "") + "）"
            units = f"  〔{'、'.join(crit.units)}〕" if crit.units else ""
            due = f"  时限 {crit.due}" if crit.due else ""
            lines.append(f"{'  ' * crit.level}{crit.shown_code()} {crit.title}{points}{units}{due}")
    if plan.warnings:
        lines.append(f"警告（{len(plan.warnings)} 条）：")
        lines += [f"  ! {w.message}" for w in plan.warnings]
    else:
        lines.append("没有警告。")
    return lines


def part_line(part) -> str:
    """One sheet or Word table of the plan: read (where its header is, how many items) or skipped (why)."""
    where = part.where or "表格"
    if part.status == "skipped":
        return f"跳过 {where}：{part.reason}"
    if part.status == "continued":
        return f"读取 {where}（续表，沿用上一张表的表头）：{part.nodes} 项"
    rows = "、".join(str(r) for r in part.header_rows)
    return f"读取 {where}（表头在第 {rows} 行）：{part.nodes} 项"


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
