"""The file catalogue as an Excel workbook, for editing in Excel or WPS, and back (archive.metadata.sheetimport).

Export writes one row a file: a hidden file id (the row's identity, whatever is renamed or re-sorted), a hidden
checksum of every exported value, the criteria, name and folder for orientation, and the fields as columns. Import reads
the rows back and lists the changes (file, field, old → new) before anything is written; `apply_import` types them
in one transaction. A cell whose text still matches its checksum was not edited and is left alone, so a value that
changed in the archive since the export (a re-scan, another clerk) is not put back by an untouched sheet. Rows whose
file has left the archive, rows without an id and values that cannot be right are reported, never guessed at.

openpyxl's write-only mode streams the rows out; archive.metadata.sheetread reads them back (python-calamine for
.xlsx and .ods, xlrd for .xls): 50,000 files each way in seconds.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from archive.db import Archive
from archive.linkset import LinkSet
from archive.metadata.fields import FIELDS, KEYS, PHOTO_KEYS
from archive.metadata.scope import scoped_files
from archive.metadata.store import metadata_for_files
from common.atomic import atomic_output, check_target  # the one temp-then-rename writer
from common.errors import UserError

PAGES = KEYS.index("pages")
SHEET, HELP_SHEET = "文件目录", "填写说明"
ID_LABEL, CHECK_LABEL = "文件编号", "校验"
INFO_COLUMNS = (("评价项目", 12), ("文件名", 36), ("所在文件夹", 40))
FIELD_WIDTHS = {"title": 40, "doc_no": 18, "issuer": 24, "date": 12, "secret": 8, "pages": 6, "note": 20,
                "subject": 24, "time": 17, "place": 20, "people": 16, "background": 20, "photographer": 10}
HELP = ("本表由迎检通导出，用于批量填写佐证材料的题名、文号、责任者、成文日期等信息。",
        "请只修改“题名”至“摄影者”各列；评价项目、文件名、所在文件夹仅供对照，修改无效。",
        "不要删除或修改隐藏的“文件编号”列：导入时按它找到对应的文件，行的顺序可以调整。",
        "成文日期写作 2024-03-05；照片时间写作 2024-03-05 14:30。事由、时间、地点、人物、背景、摄影者只用于照片。",
        "填好后在迎检通中点证明材料下方的“导入目录”（或命令 meta 档案 --import 文件.xlsx），先预览改动，确认后写入。")


def checksum(values: list[str]) -> str:
    """Short digests of the exported values, in field order ("" for an empty one)."""
    return ".".join(f"{zlib.crc32(value.encode('utf-8')):08x}" if value else "" for value in values)


def export_catalogue(archive: Archive, out: str | Path, code: str | None = None, unit: str | None = None) -> int:
    """Write the catalogue of the scope to `out` (.xlsx) through a temp file; return the number of files."""
    target = check_target(out, ".xlsx")
    if LinkSet.load(archive.conn).covers(str(target)):  # it would become evidence itself
        raise UserError(f"不能把目录表保存在关联的证明材料文件夹中，请另选位置：{target}")
    files = scoped_files(archive, code, unit)
    metas = metadata_for_files(archive, [f.file_id for f in files])
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    _columns(sheet)
    # The sheet's size, written at its top as Excel does: the import checks it before it reads the sheet
    # (archive.metadata.sheetread). openpyxl writes it if the sheet can say it.
    size = f"A1:{get_column_letter(len(_header()))}{len(files) + 1}"
    sheet.calculate_dimension = lambda: size
    sheet.auto_filter.ref = size  # 筛选 on every column in Excel and WPS: one item's files, one place's photos
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    sheet.append([_styled(sheet, text, header_font, header_fill) for text in _header()])
    for scoped in files:
        meta = metas.get(scoped.file_id)
        if meta is not None:
            sheet.append(_row(meta, scoped.codes))
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 110
    for line in HELP:
        help_sheet.append([line])
    _save(book, target)
    return len(files)


def _row(meta, codes: tuple[str, ...]) -> list:
    """One file's row. An empty field is no cell at all (None), and the row stops at its last value: a document's
    photo columns at the end cost nothing, and openpyxl's time goes by the cell."""
    values = [meta[key] if meta.is_photo or key not in PHOTO_KEYS else "" for key in KEYS]
    cells: list = [value or None for value in values]
    if values[PAGES].isdigit():  # a number, so Excel neither flags it nor aligns it as text
        cells[PAGES] = int(values[PAGES])
    while cells and cells[-1] is None:
        cells.pop()
    return [meta.file_id, checksum(values), "、".join(codes), meta.name, os.path.dirname(meta.path), *cells]


def _header() -> list[str]:
    return [ID_LABEL, CHECK_LABEL, *(label for label, _ in INFO_COLUMNS), *(f.label for f in FIELDS)]


def _columns(sheet) -> None:
    widths = [10, 10, *(width for _, width in INFO_COLUMNS), *(FIELD_WIDTHS[key] for key in KEYS)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for index in (1, 2):  # the id and the checksum: for the import, not for the eye
        sheet.column_dimensions[get_column_letter(index)].hidden = True
    sheet.freeze_panes = "D2"


def _styled(sheet, text: str, font: Font, fill: PatternFill):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill = font, fill
    return cell


def _save(book: Workbook, target: Path) -> None:
    with atomic_output(target) as temp:
        book.save(temp)
