"""The 整改前后对照 as an Excel workbook: a summary per criterion, every file change, scores and states, and the
rectification items closed or raised, one sheet each, with a frozen header row and an auto-filter."""

from __future__ import annotations

import os
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.ziputil import normalize_zip, zip_time
from selfeval.rectify import STATE_NAMES as RECT_STATE_NAMES
from stages.diff import CodeDiff, StageDiff, state_name
from stages.diff_described import change_text
from stages.diff_report import KIND_NAMES, REPORT_TITLE, SUMMARY_COLUMNS, score_text, span_text, summary_row

HEADER_FONT = Font(name="黑体", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
BODY_FONT = Font(name="宋体")
REMOVED_FONT = Font(name="宋体", color="C00000")
WIDTHS = {"编号": 10, "评价项目": 36, "文件": 60, "原位置": 60, "说明": 30, "问题": 48, "SHA-256": 66,
          "文件信息变化": 60}


def write_diff_xlsx(diff: StageDiff, title: str, generated: str, target: str, workdir: str) -> None:
    book = Workbook()
    summary = book.active
    summary.title = "变化汇总"
    summary.append([span_text(diff)])
    _table(summary, SUMMARY_COLUMNS, [summary_row(code) for code in diff.codes], first_row=2)
    files = book.create_sheet("文件变更")
    _table(files, ("编号", "评价项目", "变更", "文件", "原位置", "原大小（字节）", "现大小（字节）", "SHA-256",
                   "文件信息变化"),
           [(code.code, code.title, KIND_NAMES[kind], change.rel,
             change.old.rel if change.old else "",
             change.old.size if change.old else None, change.new.size if change.new else None,
             (change.new or change.old).sha256 or "", change_text(change.fields) if change.fields else "")
            for code in diff.codes for kind, changes in code.files.items() for change in changes],
           marked=lambda row: row[2] == KIND_NAMES["removed"])
    scores = book.create_sheet("得分与状态")
    _table(scores, ("编号", "评价项目", "原得分", "现得分", "原状态", "现状态"),
           [_score_state_row(code) for code in diff.codes if code.score or code.state])
    rects = book.create_sheet("整改销号")
    _table(rects, ("编号", "评价项目", "问题编号", "问题", "责任单位", "原状态", "现状态", "验证人", "验证时间"),
           [(code.code, code.title, new.id, new.text, new.unit,
             RECT_STATE_NAMES.get(old.state, old.state) if old else "（新登记）", RECT_STATE_NAMES[new.state],
             new.verified_by or "", new.verified_at or "") for code in diff.codes for old, new in code.closed])
    stamp = datetime.strptime(generated, "%Y-%m-%d %H:%M:%S")
    book.properties.creator = book.properties.lastModifiedBy = "迎检通 ReviewReady"
    book.properties.title = f"{title}{REPORT_TITLE}"
    book.properties.created = book.properties.modified = stamp
    raw = os.path.join(workdir, "diff-raw.xlsx")
    book.save(raw)
    normalize_zip(raw, target, zip_time(generated))


def _score_state_row(code: CodeDiff) -> tuple:
    scores = (score_text(code.score[0]), score_text(code.score[1])) if code.score else ("", "")
    states = (state_name(code.state[0]), state_name(code.state[1])) if code.state else ("", "")
    return (code.code, code.title, *scores, *states)


def _table(sheet, columns, rows, first_row: int = 1, marked=lambda row: False) -> None:
    for index, label in enumerate(columns, start=1):
        cell = sheet.cell(row=first_row, column=index, value=label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(label, 12)
    for row in rows:
        sheet.append(list(row))
        font = REMOVED_FONT if marked(row) else BODY_FONT
        for cell in sheet[sheet.max_row]:
            cell.font = font
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1).coordinate
    sheet.auto_filter.ref = f"A{first_row}:{get_column_letter(len(columns))}{max(sheet.max_row, first_row)}"
