"""Shared wording and rows of the reports: states, scores and rectification tables in the same words everywhere."""

from __future__ import annotations

from archive.status import STATE_NAMES
from common.text import chinese_date, format_points
from exporters.reports.data import ReportData
from exporters.reports.model import MarkedTable, Paragraph
from selfeval.rectify import Rectification
from selfeval.scores import describe_score
from selfeval.sheet import SheetItem

NUMERALS = "一二三四五六七八九十"
YES, NO = "是", "否"
PROBLEM_COLUMNS = ("序号", "编号", "问题", "责任单位", "整改时限", "状态", "是否逾期", "验证")


def section(number: int, title: str) -> str:
    return f"{NUMERALS[number - 1]}、{title}"


def report_date(data: ReportData) -> str:
    return chinese_date(data.generated)


def subtitle(data: ReportData, unit: str | None) -> str:
    return f"{data.title}（{unit}）" if unit else data.title


def units_text(item: SheetItem) -> str:
    assignment = item.assignment
    if not assignment.lead:
        return ""
    helpers = f"；配合：{'、'.join(assignment.assist)}" if assignment.assist else ""
    return f"{assignment.lead}{helpers}"


def points_text(item: SheetItem) -> str:
    return format_points(item.maximum)


def score_text(item: SheetItem) -> str:
    if item.scoring:
        return describe_score(item)
    if item.total is None:
        return "" if not item.scoring_below else "未评分"
    return format_points(round(item.total, 2))


def evidence_text(data: ReportData, item: SheetItem) -> str:
    text = STATE_NAMES[data.state(item.code)]
    return f"{text}（逾期）" if data.criterion_overdue(item) else text


def verification(rect: Rectification) -> str:
    if rect.state == "verified":
        return f"{rect.verified_by or ''} {(rect.verified_at or '')[:10]}".strip()
    return "待验证" if rect.state == "fixed" else ""


def problem_table(data: ReportData, problems: list[Rectification], with_unit: bool = True) -> MarkedTable:
    rows, marked = [], set()
    for number, rect in enumerate(problems, start=1):
        overdue = rect.overdue(data.today)
        if overdue:
            marked.add(number - 1)
        rows.append((str(number), rect.code, rect.text, rect.unit, rect.due, rect.state_name,
                     YES if overdue else NO, verification(rect)))
    columns, widths = PROBLEM_COLUMNS, (0.5, 0.8, 3.6, 1.5, 1.1, 0.9, 0.8, 1.4)
    if not with_unit:
        keep = [i for i in range(len(columns)) if columns[i] != "责任单位"]
        columns = tuple(columns[i] for i in keep)
        widths = tuple(widths[i] for i in keep)
        rows = [tuple(row[i] for i in keep) for row in rows]
    align = tuple("center" if c in ("序号", "整改时限", "状态", "是否逾期") else "left" for c in columns)
    return MarkedTable(columns, rows, widths, align, 9.0, frozenset(marked))


def problem_summary(data: ReportData, problems: list[Rectification]) -> Paragraph:
    counts = {state: sum(1 for r in problems if r.state == state) for state in ("open", "fixed", "verified")}
    overdue = sum(1 for r in problems if r.overdue(data.today))
    text = (f"共有整改问题 {len(problems)} 个：未整改 {counts['open']} 个，已整改待验证 {counts['fixed']} 个，"
            f"已验证 {counts['verified']} 个")
    text += f"；其中 {overdue} 个已过整改时限仍未整改（表中以红色标出）。" if overdue else "；无逾期未整改的问题。"
    return Paragraph(text)
