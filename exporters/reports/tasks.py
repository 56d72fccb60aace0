"""单位任务清单: what one unit has to deliver, to send to that department. Its lead and assisting items with the
standard and the evidence asked for, the deadline and where the evidence stands; its rectification tasks."""

from __future__ import annotations

from exporters.reports.common import evidence_text, points_text, problem_table, report_date, section
from exporters.reports.data import ReportData
from exporters.reports.model import Heading, MarkedTable, Paragraph, Report

TASK_COLUMNS = ("编号", "评价项目", "分值", "评分标准", "佐证材料要求", "时限", "材料状态")


def build_tasks(data: ReportData, unit: str) -> Report:
    report = Report(f"{unit}创建工作任务清单", data.title, report_date(data), data.generated, landscape=True)
    leaves = data.leaves(unit)
    lead = [i for i in leaves if i.assignment.lead == unit]
    assist = [i for i in leaves if i.assignment.lead != unit]
    problems = [r for r in data.problems(unit) if r.state != "verified"]
    report.blocks.append(Paragraph(
        f"根据创建工作分工，{unit}牵头 {len(lead)} 项、配合 {len(assist)} 项评价项目，另有待完成的整改问题 "
        f"{len(problems)} 个。请按评分标准整理佐证材料，在时限内提交，并按期完成整改。材料状态截至{report.date}；"
        "已过时限仍缺材料、逾期未整改的以红色标出。"))
    number = 1
    for title, items in (("牵头的评价项目", lead), ("配合的评价项目", assist)):
        if items:
            report.blocks += [Heading(1, section(number, title), f"part-{number}"), _task_table(data, items)]
            number += 1
    report.blocks.append(Heading(1, section(number, "整改任务"), "problems"))
    report.blocks.append(problem_table(data, problems, with_unit=False) if problems
                         else Paragraph("无待完成的整改问题。"))
    report.blocks.append(Heading(1, section(number + 1, "联系人"), "contact"))
    report.blocks.append(Paragraph("本单位资料员：__________　联系电话：__________　提交日期：__________"))
    return report


def _task_table(data: ReportData, items) -> MarkedTable:
    rows, marked = [], set()
    for item in items:
        if data.criterion_overdue(item):
            marked.add(len(rows))
        crit = item.criterion
        rows.append((crit.code, crit.title, points_text(item), crit.rule, crit.evidence, item.assignment.due,
                     evidence_text(data, item)))
    return MarkedTable(TASK_COLUMNS, rows, (0.7, 2.6, 0.5, 3.4, 2.7, 1.2, 1.4),
                       ("left", "left", "right", "left", "left", "center", "center"), 9.0, frozenset(marked))
