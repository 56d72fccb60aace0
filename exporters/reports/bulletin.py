"""进度通报 by unit: the overall progress, a table of every unit, then each unit's items, its missing evidence and
its overdue rectifications. With a unit, only that unit's part. Overdue rows are red and say “逾期”."""

from __future__ import annotations

from exporters.reports.common import (
    NUMERALS,
    evidence_text,
    problem_table,
    report_date,
    section,
    subtitle,
)
from exporters.reports.data import ReportData
from exporters.reports.model import Heading, MarkedTable, Paragraph, Report

UNIT_COLUMNS = ("单位", "负责项目", "已有材料", "缺材料", "已确认", "逾期未交", "整改未完成", "逾期整改")
ITEM_COLUMNS = ("编号", "评价项目", "分工", "时限", "材料状态", "文件数")


def build_bulletin(data: ReportData, unit: str | None = None) -> Report:
    report = Report("创建工作进度通报", subtitle(data, unit), report_date(data), data.generated)
    units = [unit] if unit else data.units
    report.blocks.append(Paragraph(_overall(data, unit)))
    number = 1
    if not unit:
        report.blocks += [Heading(1, section(number, "各单位进度"), "units"), _unit_table(data, units)]
        number += 1
    report.blocks.append(Heading(1, section(number, "分单位情况" if not unit else f"{unit}工作情况"), "detail"))
    for index, name in enumerate(units, start=1):
        report.blocks += _unit_part(data, name, index, numbered=not unit)
    return report


def _counts(data: ReportData, unit: str | None) -> dict[str, int]:
    leaves = data.leaves(unit)
    states = [data.state(i.code) for i in leaves]
    problems = data.problems(unit)
    return {"items": len(leaves), "evidence": sum(1 for s in states if s not in ("missing", "unreachable")),
            "missing": states.count("missing"), "confirmed": states.count("confirmed"),
            "late": sum(1 for i in leaves if data.criterion_overdue(i)),
            "open": sum(1 for r in problems if r.state != "verified"),  # not closed: open, or fixed awaiting check
            "overdue": len(data.overdue_problems(unit)), "problems": len(problems)}


def _overall(data: ReportData, unit: str | None) -> str:
    c = _counts(data, unit)
    share = f"{c['evidence'] / c['items']:.0%}" if c["items"] else "—"
    scope = f"{unit}负责的" if unit else "全部"
    text = (f"截至{report_date(data)}，{scope}末级评价项目 {c['items']} 项，"
            f"已有佐证材料 {c['evidence']} 项（{share}），缺材料 {c['missing']} 项，已确认 {c['confirmed']} 项")
    text += f"，其中 {c['late']} 项已过时限仍缺材料" if c["late"] else ""
    text += (f"。整改问题 {c['problems']} 个，未完成 {c['open']} 个，逾期未整改 {c['overdue']} 个。" if c["problems"]
             else "。尚未登记整改问题。")
    if not unit and data.projection.result != "无法测算":
        text += data.projection.headline() + "。"
    return text


def _unit_table(data: ReportData, units: list[str]) -> MarkedTable:
    rows, marked = [], set()
    for unit in units:
        c = _counts(data, unit)
        if c["late"] or c["overdue"]:
            marked.add(len(rows))
        rows.append((unit, str(c["items"]), str(c["evidence"]), str(c["missing"]), str(c["confirmed"]),
                     str(c["late"]), str(c["open"]), str(c["overdue"])))
    return MarkedTable(UNIT_COLUMNS, rows, (2.2, 1, 1, 1, 1, 1, 1.1, 1.1), ("left", *("right",) * 7), 9.5,
                       frozenset(marked))


def _unit_part(data: ReportData, unit: str, index: int, numbered: bool) -> list:
    blocks: list = []
    if numbered:
        label = f"（{NUMERALS[index - 1]}）" if index <= len(NUMERALS) else f"{index}. "
        blocks += [Heading(2, f"{label}{unit}", f"unit-{index}"), Paragraph(_overall(data, unit))]
    blocks += [Heading(3, "1. 负责的评价项目", f"unit-{index}-items"), _items_table(data, unit)]
    gaps = data.gaps(unit)
    blocks.append(Heading(3, "2. 缺少或需更新的材料", f"unit-{index}-gaps"))
    if gaps:
        blocks += [Paragraph(f"{item.code} {item.criterion.title}：{evidence_text(data, item)}"
                             + (f"，时限 {item.assignment.due}" if item.assignment.due else ""),
                             "note" if data.criterion_overdue(item) else "body") for item in gaps]
    else:
        blocks.append(Paragraph("无。"))
    overdue = data.overdue_problems(unit)
    blocks.append(Heading(3, "3. 逾期未整改的问题", f"unit-{index}-overdue"))
    blocks.append(problem_table(data, overdue, with_unit=False) if overdue else Paragraph("无。"))
    return blocks


def _items_table(data: ReportData, unit: str) -> MarkedTable:
    rows, marked = [], set()
    for item in data.leaves(unit):
        if data.criterion_overdue(item):
            marked.add(len(rows))
        status = data.statuses.get(item.code)
        rows.append((item.code, item.criterion.title, item.assignment.role(unit), item.assignment.due,
                     evidence_text(data, item), str(status.files if status else 0)))
    return MarkedTable(ITEM_COLUMNS, rows, (0.8, 3.8, 0.7, 1.2, 1.6, 0.7),
                       ("left", "left", "center", "center", "center", "right"), 9.0, frozenset(marked))
