"""整改台账 as an Excel workbook: one row per rectification item, and a summary by unit on a second sheet.

Frozen header row, column widths for Chinese text, an auto-filter, overdue rows in red with 是否逾期 = 是, printed
landscape on A4 fitted to the page width with the header repeated.
"""

from __future__ import annotations

import os
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.ziputil import normalize_zip, zip_time
from exporters.reports.common import NO, YES
from exporters.reports.data import ReportData

LEDGER_COLUMNS = (("序号", 6), ("评价项目编号", 12), ("评价项目", 32), ("问题", 48), ("责任单位", 18),
                  ("整改时限", 12), ("状态", 9), ("是否逾期", 9), ("验证人", 10), ("验证时间", 20), ("备注", 30))
SUMMARY_COLUMNS = (("责任单位", 22), ("问题数", 9), ("未整改", 9), ("已整改待验证", 13), ("已验证", 9), ("逾期", 9))
HEADER_FONT = Font(name="黑体", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
BODY_FONT = Font(name="宋体")
OVERDUE_FONT = Font(name="宋体", bold=True, color="C00000")
OVERDUE_FILL = PatternFill("solid", fgColor="FDE9E7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(vertical="top", wrap_text=True)


def ledger_rows(data: ReportData, unit: str | None) -> list[tuple[tuple, bool]]:
    """(row values, overdue) per rectification of the unit (all when unit is empty), in the order raised."""
    rows = []
    for number, rect in enumerate(data.problems(unit), start=1):
        overdue = rect.overdue(data.today)
        note = rect.note
        if rect.state == "fixed":
            note = "；".join(part for part in ("待验证", note) if part)
        rows.append(((number, rect.code, data.title_of(rect.code), rect.text, rect.unit, rect.due, rect.state_name,
                      YES if overdue else NO, rect.verified_by or "", rect.verified_at or "", note), overdue))
    return rows


def write_ledger(data: ReportData, target: str, job, workdir: str, unit: str | None = None) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    _header(sheet, LEDGER_COLUMNS)
    for values, overdue in ledger_rows(data, unit):
        job.check()
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.font, cell.alignment, cell.border = (OVERDUE_FONT if overdue else BODY_FONT), WRAP, BORDER
            if overdue:
                cell.fill = OVERDUE_FILL
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(LEDGER_COLUMNS))}{sheet.max_row}"
    _page_setup(sheet)
    summary = book.create_sheet("按单位汇总")
    _header(summary, SUMMARY_COLUMNS)
    for name in ([unit] if unit else data.units):
        problems = data.problems(name)
        if problems or unit:
            summary.append((name, len(problems), *(sum(1 for r in problems if r.state == s)
                                                   for s in ("open", "fixed", "verified")),
                            len(data.overdue_problems(name))))
            for cell in summary[summary.max_row]:
                cell.font, cell.border = BODY_FONT, BORDER
    stamp = datetime.strptime(data.generated, "%Y-%m-%d %H:%M:%S")
    book.properties.creator = book.properties.lastModifiedBy = "迎检通 ReviewReady"
    book.properties.title = f"{data.title}整改台账" + (f"（{unit}）" if unit else "")
    book.properties.created = book.properties.modified = stamp
    raw = os.path.join(workdir, "ledger-raw.xlsx")
    job.report(0.8, "正在保存整改台账…")
    book.save(raw)
    normalize_zip(raw, target, zip_time(data.generated))


def _header(sheet, columns) -> None:
    sheet.append([label for label, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"


def _page_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
