"""自查自评报告: summary and projected result, the score table, problems and their rectification, evidence
completeness. Filtered by unit, the tables list that unit's items and problems; the projection stays the city's."""

from __future__ import annotations

from archive.assignments import KINDS
from archive.status import STATE_NAMES
from common.text import format_points
from exporters.model import beyond_three
from exporters.reports.common import (
    evidence_text,
    points_text,
    problem_summary,
    problem_table,
    report_date,
    score_text,
    section,
    subtitle,
)
from exporters.reports.data import GAP_STATES, ReportData
from exporters.reports.model import Heading, MarkedTable, Paragraph, Report
from selfeval.rules import UNKNOWN

RULE_NAMES = {"veto": "否决项", "key": "关键项", "total": "总分"}
SCORE_COLUMNS = ("编号", "评价项目", "类别", "分值", "自评得分", "扣分说明", "牵头单位")
NO_KIND = "未分类"


def build_selfcheck(data: ReportData, unit: str | None = None) -> Report:
    report = Report("自查自评报告", subtitle(data, unit), report_date(data), data.generated)
    report.blocks += _summary(data, unit)
    report.blocks += _scores(data, unit)
    report.blocks += _problems(data, unit)
    report.blocks += _completeness(data, unit)
    return report


def _summary(data: ReportData, unit: str | None) -> list:
    projection = data.projection
    items = data.items(unit)
    scope = f"{unit}负责（牵头或配合）的" if unit else ""
    blocks = [Heading(1, section(1, "总体情况"), "summary"),
              Paragraph(f"对照《{data.catalogue_title}》，{scope}评价项目共 {len(items)} 项，其中计分项目 "
                        f"{sum(1 for i in items if i.scoring)} 项。以下得分为自查自评得分。")]
    if unit:
        blocks.append(Paragraph("预计结果按全部评价项目测算：", "small"))
    blocks.append(Paragraph(projection.headline() + "。"))
    if projection.result != UNKNOWN and projection.rules:
        blocks.append(Paragraph("通过规则：" + "；".join(projection.rules) + "。", "small"))
    if projection.blocking:
        rows = [(RULE_NAMES[b.rule], b.code or "", b.title, b.detail) for b in projection.blocking]
        blocks.append(Paragraph(projection.blocking_title() + "：", "note"))
        blocks.append(MarkedTable(("规则", "编号", "评价项目", "情况"), rows, (0.9, 0.8, 3.0, 4.0),
                                  ("center", "left", "left", "left"), 9.0, frozenset(range(len(rows)))))
    blocks.append(_by_kind(data, unit))
    return blocks


def _by_kind(data: ReportData, unit: str | None) -> MarkedTable:
    rows = []
    scoring = [i for i in data.items(unit) if i.scoring]
    for kind in (*KINDS, ""):
        mine = [i for i in scoring if i.kind == kind]
        if not mine:
            continue
        maximum = sum(i.maximum or 0.0 for i in mine)
        earned = sum(i.score.points for i in mine if i.score and i.score.points is not None)
        rate = f"{earned / maximum:.0%}" if maximum else ""
        unscored = sum(1 for i in mine if i.score is None)
        rows.append((kind or NO_KIND, str(len(mine)), format_points(maximum), format_points(round(earned, 2)), rate,
                     str(unscored)))
    return MarkedTable(("类别", "计分项目", "满分", "自评得分", "得分率", "未评分"), rows,
                       (1.2, 1, 1, 1, 1, 1), ("left", "right", "right", "right", "right", "right"), 10.0)


def _scores(data: ReportData, unit: str | None) -> list:
    """The score table. The whole catalogue, parts above their items, is numbered as the table prints it, as the
    dossier's 汇总表 is (not "一.1", the code the importer made for a group the table left unnumbered); one unit's
    items, without the parts above them, by the archive's codes, as the dossier's lists are ("1." alone names no
    item)."""
    printed = unit is None
    rows, marked = [], set()
    failing = {b.code for b in data.projection.blocking if b.code}
    for item in data.items(unit):
        note = item.score.note if item.scoring and item.score else ""
        if item.code in failing:
            marked.add(len(rows))
        code = item.criterion.printed_code() if printed else item.code
        rows.append((code, item.criterion.title, item.kind, points_text(item), score_text(item), note,
                     item.assignment.lead))
    wider = beyond_three(row[0] for row in rows)  # and 自评得分 on one line
    table = MarkedTable(SCORE_COLUMNS, rows, (0.8 + 0.27 * wider, 3.2 - 0.27 * wider, 0.9, 0.6, 1.05, 2.25, 1.4),
                        ("left", "left", "center", "right", "right", "left", "left"), 9.0, frozenset(marked))
    note = "汇总项目的分值和得分为其下级计分项目之和；影响通过的项目（含未评分的关键项）以红色标出。"
    return [Heading(1, section(2, "自评得分"), "scores"), Paragraph(note, "small"), table]


def _problems(data: ReportData, unit: str | None) -> list:
    problems = data.problems(unit)
    blocks = [Heading(1, section(3, "存在问题及整改情况"), "problems")]
    if not problems:
        return [*blocks, Paragraph("尚未登记整改问题。")]
    return [*blocks, problem_summary(data, problems), problem_table(data, problems, with_unit=not unit)]


def _completeness(data: ReportData, unit: str | None) -> list:
    leaves = data.leaves(unit)
    counts = {state: sum(1 for i in leaves if data.state(i.code) == state) for state in STATE_NAMES}
    with_evidence = len(leaves) - counts["missing"] - counts["unreachable"]
    parts = "，".join(f"{STATE_NAMES[s]} {counts[s]} 项" for s in STATE_NAMES if counts[s])
    share = f"{with_evidence / len(leaves):.0%}" if leaves else "—"
    blocks = [Heading(1, section(4, "佐证材料完整性"), "evidence"),
              Paragraph(f"末级评价项目 {len(leaves)} 项，已有佐证材料 {with_evidence} 项（{share}）：{parts}。")]
    gaps = data.gaps(unit)
    if not gaps:
        return [*blocks, Paragraph("所有末级评价项目均已有佐证材料，且无确认后变更。")]
    rows, marked = [], set()
    for item in gaps:
        if data.criterion_overdue(item):
            marked.add(len(rows))
        rows.append((item.code, item.criterion.title, evidence_text(data, item), item.assignment.lead,
                     item.assignment.due))
    blocks.append(Paragraph(f"以下 {len(gaps)} 项材料不完整（{'、'.join(STATE_NAMES[s] for s in GAP_STATES)}），"
                            "已过时限仍缺材料的以红色标出：", "small"))
    blocks.append(MarkedTable(("编号", "评价项目", "材料状态", "牵头单位", "时限"), rows, (0.8, 3.6, 1.4, 1.6, 1.1),
                              ("left", "left", "center", "left", "center"), 9.0, frozenset(marked)))
    return blocks
