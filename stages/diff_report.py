"""The 整改前后对照 report of a stage diff, as Word, PDF (the self-evaluation reports' renderers) or Excel.

    write_diff_report(archive, diff, "对照.docx")

Each file is written to a temp file beside the target and renamed into place; evidence folders are refused.
Paths are shown relative to the linked folders, as in the dossier.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from archive.db import Archive, now
from archive.linkset import LinkSet
from common.atomic import atomic_output, check_target
from common.errors import UserError
from common.progress import ProgressReporter
from common.text import chinese_date, format_size
from exporters.reports.model import Heading, MarkedTable, Paragraph, Report
from selfeval.rectify import STATE_NAMES as RECT_STATE_NAMES
from selfeval.sheet import Score
from stages.diff import CHANGE_KINDS, CodeDiff, FileChange, StageDiff, state_name
from stages.diff_described import change_text

REPORT_TITLE = "整改前后对照"
REPORT_FORMATS = ("docx", "pdf", "xlsx")
KIND_NAMES = {"added": "新增", "changed": "修改", "removed": "删除", "moved": "移动/改名", "described": "文件信息"}
SUMMARY_COLUMNS = ("编号", "评价项目", "新增", "修改", "删除", "移动", "文件信息", "得分", "状态", "整改销号")
FILE_COLUMNS = ("变更", "文件", "说明")
RECT_COLUMNS = ("编号", "问题", "责任单位", "原状态", "现状态", "验证")


def score_text(score: Score | None) -> str:
    if score is None:
        return "未评分"
    if score.failed:
        return "否决"
    return "通过" if score.points is None else f"{score.points:g}"


def span_text(diff: StageDiff) -> str:
    after = (f"当前（{diff.new_time}）" if diff.new_name == "当前"
             else f"阶段“{diff.new_name}”（冻结于 {diff.new_time}）")
    return f"对照：阶段“{diff.old_name}”（冻结于 {diff.old_time}）→ {after}"


def totals_text(diff: StageDiff) -> str:
    t = diff.totals()
    if not diff.codes:
        return "两次之间没有变化。"
    return (f"共 {t['criteria']} 项有变化：新增文件 {t['added']} 个，修改 {t['changed']} 个，删除 {t['removed']} 个，"
            f"移动或改名 {t['moved']} 个，文件信息变化 {t['described']} 个；"
            f"得分变化 {t['scores']} 项，状态变化 {t['states']} 项；"
            f"整改销号 {t['rectifications_closed']} 项，新登记问题 {t['rectifications_raised']} 项。")


def summary_row(code: CodeDiff) -> tuple[str, ...]:
    counts = [str(len(code.files[kind])) if code.files[kind] else "" for kind in CHANGE_KINDS]
    score = f"{score_text(code.score[0])} → {score_text(code.score[1])}" if code.score else ""
    state = f"{state_name(code.state[0])} → {state_name(code.state[1])}" if code.state else ""
    return (code.code, code.title, *counts, score, state, str(len(code.closed)) if code.closed else "")


def change_detail(change: FileChange) -> str:
    if change.kind == "described":
        return change_text(change.fields)
    if change.kind == "moved":
        return f"原位置：{change.old.rel}"
    if change.kind == "changed":
        return f"{format_size(change.old.size)} → {format_size(change.new.size)}，内容已变"
    return format_size((change.new or change.old).size)


def file_rows(code: CodeDiff) -> list[tuple[str, str, str]]:
    return [(KIND_NAMES[kind], change.rel, change_detail(change))
            for kind, changes in code.files.items() for change in changes]


def rect_rows(code: CodeDiff) -> list[tuple[str, ...]]:
    rows = []
    for old, new in code.closed:
        before = RECT_STATE_NAMES.get(old.state, old.state) if old else "（新登记）"
        rows.append((str(new.id), new.text, new.unit, before, RECT_STATE_NAMES[new.state],
                     f"{new.verified_by or ''} {new.verified_at or ''}".strip()))
    for new in code.raised:
        if not any(new.id == closed.id for _, closed in code.closed):
            rows.append((str(new.id), new.text, new.unit, "（新登记）", RECT_STATE_NAMES.get(new.state, new.state), ""))
    return rows


def build_report(diff: StageDiff, title: str, generated: str) -> Report:
    report = Report(REPORT_TITLE, title, chinese_date(generated), generated)
    report.blocks += [Paragraph(span_text(diff), "small"), Paragraph(totals_text(diff))]
    if not diff.codes:
        return report
    report.blocks += [Heading(1, "一、变化汇总", "sum"),
                      MarkedTable(SUMMARY_COLUMNS, [summary_row(c) for c in diff.codes],
                                  (1.0, 2.9, 0.7, 0.7, 0.7, 0.7, 0.7, 1.3, 2.2, 0.9),
                                  ("left", "left", "right", "right", "right", "right", "right", "center", "center",
                                   "right"),
                                  font_size=8),
                      Heading(1, "二、逐项对照", "detail")]
    for code in diff.codes:
        report.blocks += _code_blocks(code)
    return report


def _code_blocks(code: CodeDiff) -> list:
    blocks: list = [Heading(2, f"{code.code} {code.title}", f"c-{code.code}")]
    if code.catalogue:
        text = "评价目录中新增的项目" if code.catalogue == "added" else "评价目录中已删除的项目"
        blocks.append(Paragraph(text, "note"))
    if code.state:
        blocks.append(Paragraph(f"材料状态：{state_name(code.state[0])} → {state_name(code.state[1])}"))
    if code.score:
        blocks.append(Paragraph(f"自评得分：{score_text(code.score[0])} → {score_text(code.score[1])}"))
    if rows := file_rows(code):
        removed = frozenset(n for n, row in enumerate(rows) if row[0] == KIND_NAMES["removed"])
        blocks.append(MarkedTable(FILE_COLUMNS, rows, (1.0, 6.0, 3.0), ("center", "left", "left"), font_size=8,
                                  marked=removed))
    if rows := rect_rows(code):
        blocks.append(MarkedTable(RECT_COLUMNS, rows, (0.6, 4.4, 1.6, 1.0, 1.0, 1.6), font_size=8))
    return blocks


def report_format(out: str | Path) -> str:
    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in REPORT_FORMATS:
        raise UserError(f"对照报告可输出 .docx、.pdf 或 .xlsx：{out}")
    return fmt


def write_diff_report(archive: Archive, diff: StageDiff, out: str | Path, generated: str | None = None,
                      font_path: str | None = None) -> Path:
    fmt = report_format(out)
    target = check_target(out, f".{fmt}")
    links = LinkSet.load(archive.conn)
    if links.covers(str(target)) or links.covers(os.path.join(str(target.parent), "x")):
        raise UserError(f"不能把报告保存在关联的证明材料文件夹中，请另选位置：{target}")
    generated = generated or now()
    job = ProgressReporter()
    with tempfile.TemporaryDirectory(prefix="reviewready-diff-") as workdir, atomic_output(target) as temp:
        if fmt == "xlsx":
            from stages.diff_xlsx import write_diff_xlsx

            write_diff_xlsx(diff, archive.title, generated, str(temp), workdir)
        elif fmt == "pdf":
            from exporters.reports.render_pdf import write_pdf

            write_pdf(build_report(diff, archive.title, generated), str(temp), job, font_path)
        else:
            from exporters.reports.render_docx import write_docx

            write_docx(build_report(diff, archive.title, generated), str(temp), job, workdir)
    return target
