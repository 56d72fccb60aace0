"""The handover package's catalogue as an Excel workbook: files, criteria and (内部版) gaps, one sheet each; and the
package's 附件_文件校验清单 (every copy's SHA-256), a workbook of its own.

The 送审版 catalogue carries no internal states, confirmations, gap list or hashes: the hashes are in the separate
校验清单 and in manifest.sha256, which verify the package without telling the reviewers about the office's work.

Written with openpyxl in write-only mode (streams rows, fast for thousands of files); entry times and document
properties are fixed so an unchanged archive gives the same workbook.
"""

from __future__ import annotations

import os
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from archive.status import STATE_NAMES
from common.text import format_points
from common.ziputil import normalize_zip, zip_time
from exporters.build import gap_rows
from exporters.evidence import EvidenceSet

# the dossier's 佐证材料目录 (DA/T 22-2015) columns for each file, then what a package adds
FILE_COLUMNS = (("序号", 12), ("评价项目编号", 12), ("评价项目", 30), ("文号", 18), ("责任者", 20), ("题名", 40),
                ("日期", 11), ("页数", 6), ("类型", 7), ("大小（字节）", 13), ("备注", 24), ("包内路径", 50))
HASH_COLUMN = ("SHA-256", 66)  # 内部版 only
CRITERIA_COLUMNS = (("编号", 10), ("评价项目", 40), ("分值", 6), ("测评方式", 12), ("责任单位", 24), ("文件数", 8))
STATE_COLUMNS = (("状态", 12), ("确认人", 10), ("确认时间", 20))  # 内部版 only
CHECKSUM_COLUMNS = (("序号", 8), ("包内路径", 70), ("大小（字节）", 14), ("SHA-256", 66))
GAP_COLUMNS = (("责任单位", 20), ("编号", 10), ("评价项目", 40), ("问题", 14), ("说明", 60))
HEADER_FONT = Font(name="黑体", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
BODY_FONT = Font(name="宋体")
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def write_catalogue_xlsx(evidence: EvidenceSet, package_paths: dict[tuple[str, int], str], target: str,
                         title: str, generated: str, workdir: str, internal: bool = False) -> None:
    """`package_paths`: (criterion code, file id) -> path of the copy inside the package. `internal`: the 内部版,
    with states, confirmations, the gap list and hashes."""
    book = _workbook(title, generated)
    _sheet(book, "材料目录", FILE_COLUMNS + ((HASH_COLUMN,) if internal else ()),
           _file_rows(evidence, package_paths, internal))
    _sheet(book, "评价项目", CRITERIA_COLUMNS + (STATE_COLUMNS if internal else ()), _criteria_rows(evidence, internal))
    if internal:
        _sheet(book, "缺项清单", GAP_COLUMNS, ((unit, item.code, item.criterion.title, problem, detail)
                                           for unit, item, problem, detail in gap_rows(evidence)))
    _save(book, target, generated, os.path.join(workdir, "catalogue-raw.xlsx"))


def write_checksums_xlsx(rows: list[tuple[str, int, str]], target: str, title: str, generated: str,
                         workdir: str) -> None:
    """附件_文件校验清单: (path in the package, size, SHA-256) per file, as manifest.sha256 has them."""
    book = _workbook(f"{title} 文件校验清单", generated)
    _sheet(book, "文件校验清单", CHECKSUM_COLUMNS,
           ((number, path, size, digest) for number, (path, size, digest) in enumerate(rows, start=1)))
    _save(book, target, generated, os.path.join(workdir, "checksums-raw.xlsx"))


def _workbook(title: str, generated: str) -> Workbook:
    book = Workbook(write_only=True)
    stamp = datetime.strptime(generated, "%Y-%m-%d %H:%M:%S")
    book.properties.creator = book.properties.lastModifiedBy = "迎检通 ReviewReady"
    book.properties.title = title
    book.properties.created = book.properties.modified = stamp
    return book


def _save(book: Workbook, target: str, generated: str, raw: str) -> None:
    stamp = datetime.strptime(generated, "%Y-%m-%d %H:%M:%S")
    book.save(raw)
    # openpyxl stamps the save time into docProps/core.xml whatever the properties say: put the fixed one back
    modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    fix = {"docProps/core.xml": lambda xml: MODIFIED.sub(rb"\g<1>" + modified + rb"\g<2>", xml)}
    normalize_zip(raw, target, zip_time(generated), rewrite=fix)


def _sheet(book, name: str, columns, rows) -> None:
    sheet = book.create_sheet(name)
    for index, (_, width) in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for label, _ in columns:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = BODY_FONT
            cells.append(cell)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{_letter(len(columns) - 1)}1"


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _file_rows(evidence: EvidenceSet, package_paths: dict, internal: bool):
    for item in evidence.items:
        for f in item.files:
            fields = evidence.describe(f)  # as the dossier describes it: a notice's 成文日期, not the day it was copied
            shared = (f.copy_note(), f.problem, f.export_problem)
            notes = [*fields.remarks(), f.remark() if internal else "；".join(note for note in shared if note)]
            pages = int(fields.pages) if fields.pages.isdigit() else f.pages  # typed, else as the scan counted
            row = (f.number, item.code, item.criterion.title, fields.doc_number, fields.author, fields.title,
                   fields.date, pages, f.type.upper(), f.size, "；".join(n for n in notes if n),
                   package_paths.get((item.code, f.id), "（未复制：见备注）"))
            yield (*row, f.sha256 or "") if internal else row


def _criteria_rows(evidence: EvidenceSet, internal: bool):
    for item in evidence.items:
        crit, status = item.criterion, item.status
        row = (crit.code, crit.title, format_points(crit.points), crit.method, "、".join(crit.units),
               evidence.files_shown(item))
        if internal:
            conf = status.confirmation
            row += (STATE_NAMES[status.state], conf.by if conf else "", conf.time if conf else "")
        yield row
