"""The Excel round trip: export the catalogue, edit the real .xlsx with openpyxl as a clerk would in Excel (sort the
rows, type values, clear one, delete a row, add one, type a date Excel stores as a date), import it back: a preview
first, nothing written until applied; rows of files that left the archive and bad values are reported."""

from __future__ import annotations

import os
import shutil
from datetime import datetime

import openpyxl
import pytest
from metadata_support import RED_HEADER, docx_with, jpeg_with_exif, pdf_with_info
from openpyxl.utils import get_column_letter

from archive.index.scan import scan
from archive.links import link
from archive.metadata.scope import scoped_files
from archive.metadata.sheetimport import apply_import, preview_import
from archive.metadata.store import metadata_for_files, set_values
from archive.metadata.workbook import HELP_SHEET, SHEET, export_catalogue
from common.errors import UserError


@pytest.fixture
def linked(archive, tmp_path):
    root = tmp_path / "材料"
    for folder in ("1.1 领导小组", "1.2 工作方案", "2.1 农残", "2.2 校园食品"):
        (root / folder).mkdir(parents=True)
    docx_with(root / "1.1 领导小组" / "通知.docx", RED_HEADER)
    pdf_with_info(root / "1.2 工作方案" / "X政发〔2024〕12号 工作方案.pdf", author="某某县人民政府", pages=4)
    pdf_with_info(root / "2.1 农残" / "快检台账.pdf", title="2024年农残快检台账")
    jpeg_with_exif(root / "2.2 校园食品" / "IMG_0001.jpg", taken="2024:05:20 09:15:00")
    for code, folder in (("1.1", "1.1 领导小组"), ("1.2", "1.2 工作方案"), ("2.1.1", "2.1 农残"),
                         ("2.2", "2.2 校园食品")):
        link(archive, code, [str(root / folder)])
    link(archive, "1.2", [str(root / "1.1 领导小组" / "通知.docx")])  # one file under two criteria
    scan(archive)
    archive.root = root
    return archive


def rows_of(path) -> list[list]:
    book = openpyxl.load_workbook(path)
    try:
        return [list(row) for row in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()


def by_name(archive) -> dict[str, int]:
    return {os.path.basename(path): file_id for file_id, path in archive.conn.execute("SELECT id, path FROM files")}


def test_the_export_has_a_row_a_file_with_a_hidden_id(linked, tmp_path):
    target = tmp_path / "输出" / "目录.xlsx"
    assert export_catalogue(linked, target) == 4
    book = openpyxl.load_workbook(target)
    try:
        sheet = book[SHEET]
        assert get_column_letter(sheet.max_column) == "R"
        assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["B"].hidden
        assert not sheet.column_dimensions["F"].hidden
        assert sheet.auto_filter.ref == "A1:R5"  # 筛选 on every column in Excel and WPS
        assert book.sheetnames == [SHEET, HELP_SHEET]
    finally:
        book.close()
    header, *rows = rows_of(target)
    assert header[:8] == ["文件编号", "校验", "评价项目", "文件名", "所在文件夹", "题名", "文号", "责任者"]
    assert header[-1] == "摄影者"
    ids = by_name(linked)
    named = {row[3]: row for row in rows}
    assert [row[0] for row in rows] == [ids[n] for n in ("通知.docx", "X政发〔2024〕12号 工作方案.pdf", "快检台账.pdf",
                                                          "IMG_0001.jpg")]  # in catalogue order
    assert named["通知.docx"][2] == "1.1、1.2"
    assert named["X政发〔2024〕12号 工作方案.pdf"][5:11] == ["工作方案", "X政发〔2024〕12号", "某某县人民政府", None,
                                                           None, 4]
    assert named["IMG_0001.jpg"][header.index("时间")] == "2024-05-20 09:15:00"
    assert named["通知.docx"][header.index("时间")] is None  # a document has no caption


def test_scopes_a_criterion_with_its_sub_items_and_a_unit(linked, tmp_path):
    ids = by_name(linked)
    assert [f.file_id for f in scoped_files(linked, code="2")] == [ids["快检台账.pdf"], ids["IMG_0001.jpg"]]
    assert [f.codes for f in scoped_files(linked, code="2.1")] == [("2.1.1",)]
    assert [f.file_id for f in scoped_files(linked, unit="县教育局")] == [ids["IMG_0001.jpg"]]
    assert export_catalogue(linked, tmp_path / "a.xlsx", unit="县市场监管局") == 1  # 2.1.1 only
    with pytest.raises(UserError, match="评价目录中没有单位“县公安局”"):
        export_catalogue(linked, tmp_path / "b.xlsx", unit="县公安局")
    with pytest.raises(UserError, match=r"评价目录中没有编号 9\.9"):
        export_catalogue(linked, tmp_path / "c.xlsx", code="9.9")
    with pytest.raises(UserError, match="不能把目录表保存在关联的证明材料文件夹中"):
        export_catalogue(linked, linked.root / "1.1 领导小组" / "目录.xlsx")
    with pytest.raises(UserError, match=r"输出文件应以 \.xlsx 结尾"):
        export_catalogue(linked, tmp_path / "目录.xls")


def edit(path, changes) -> None:
    """Open the workbook with openpyxl, apply `changes(sheet, header)`, save it as Excel would."""
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    header = [cell.value for cell in sheet[1]]
    changes(sheet, header)
    book.save(path)
    book.close()


def test_the_round_trip_previews_then_applies_what_was_edited(linked, tmp_path):
    target = tmp_path / "目录.xlsx"
    export_catalogue(linked, target)
    ids = by_name(linked)

    def clerk(sheet, header):
        rows = {sheet.cell(r, 4).value: r for r in range(2, sheet.max_row + 1)}
        column = {label: header.index(label) + 1 for label in header}
        sheet.cell(rows["快检台账.pdf"], column["题名"]).value = "2024年度农残快检台账（汇总）"
        sheet.cell(rows["快检台账.pdf"], column["成文日期"]).value = datetime(2024, 12, 31)  # Excel made it a date
        sheet.cell(rows["通知.docx"], column["密级"]).value = None  # cleared
        sheet.cell(rows["IMG_0001.jpg"], column["地点"]).value = "某某县实验小学食堂"
        sheet.cell(rows["IMG_0001.jpg"], column["人物"]).value = "张三、李四"
        sheet.cell(rows["X政发〔2024〕12号 工作方案.pdf"], column["页数"]).value = 5.0
        sheet.move_range(f"A{rows['通知.docx']}:R{rows['通知.docx']}", rows=10)  # rows re-sorted

    edit(target, clerk)
    before = metadata_for_files(linked, ids.values())
    preview = preview_import(linked, target)
    assert metadata_for_files(linked, ids.values()) == before  # a preview writes nothing
    assert sorted((c.name, c.label, c.old, c.new) for c in preview.changes) == [
        ("IMG_0001.jpg", "人物", "", "张三、李四"), ("IMG_0001.jpg", "地点", "", "某某县实验小学食堂"),
        ("X政发〔2024〕12号 工作方案.pdf", "页数", "4", "5"),
        ("快检台账.pdf", "成文日期", "", "2024-12-31"),
        ("快检台账.pdf", "题名", "2024年农残快检台账", "2024年度农残快检台账（汇总）"),
        ("通知.docx", "密级", "秘密", "")]
    assert preview.rows == 4 and preview.unmatched == [] and preview.errors == []
    assert "“2024年农残快检台账” → “2024年度农残快检台账（汇总）”" in next(
        c.describe() for c in preview.changes if c.label == "题名")
    apply_import(linked, preview)
    after = metadata_for_files(linked, ids.values())
    assert after[ids["快检台账.pdf"]]["date"] == "2024-12-31" and after[ids["通知.docx"]]["secret"] == ""
    assert after[ids["IMG_0001.jpg"]].source("place") == "typed"
    assert preview_import(linked, target).changes == []  # importing it again changes nothing


def test_dates_that_lost_their_format_in_the_sheet_are_read_as_the_dates_they_were(linked, tmp_path):
    """Pasted as values into General cells (from the office's old catalogue), dates become Excel's day numbers;
    20240306 typed in a cell is a number too. The preview shows the date each was read as."""
    target = tmp_path / "目录.xlsx"
    export_catalogue(linked, target)

    def clerk(sheet, header):
        rows = {sheet.cell(r, 4).value: r for r in range(2, sheet.max_row + 1)}
        column = {label: header.index(label) + 1 for label in header}
        sheet.cell(rows["快检台账.pdf"], column["成文日期"]).value = 45356  # 2024-03-05, shown as a number
        sheet.cell(rows["通知.docx"], column["成文日期"]).value = 20240306
        sheet.cell(rows["IMG_0001.jpg"], column["时间"]).value = 45356.604166666664  # 2024-03-05 14:30
        sheet.cell(rows["X政发〔2024〕12号 工作方案.pdf"], column["成文日期"]).value = 1234  # no date at all

    edit(target, clerk)
    preview = preview_import(linked, target)
    assert sorted((c.name, c.label, c.new) for c in preview.changes) == [
        ("IMG_0001.jpg", "时间", "2024-03-05 14:30"), ("快检台账.pdf", "成文日期", "2024-03-05"),
        ("通知.docx", "成文日期", "2024-03-06")]
    assert preview.errors == ["第 3 行 X政发〔2024〕12号 工作方案.pdf：成文日期格式不正确：1234（应为 YYYY-MM-DD，"
                              "如 2024-03-05），未导入"]


def test_untouched_cells_leave_newer_archive_values_alone(linked, tmp_path):
    target = tmp_path / "目录.xlsx"
    export_catalogue(linked, target)
    ids = by_name(linked)
    set_values(linked, [ids["通知.docx"]], {"title": "在软件里改过的题名"})  # after the export

    def clerk(sheet, header):
        sheet.cell(2, header.index("备注") + 1).value = "原件在档案室"

    edit(target, clerk)
    preview = preview_import(linked, target)
    assert [(c.name, c.label, c.new) for c in preview.changes] == [("通知.docx", "备注", "原件在档案室")]


def test_rows_that_match_no_file_and_bad_values_are_reported(linked, tmp_path):
    target = tmp_path / "目录.xlsx"
    export_catalogue(linked, target)
    shutil.move(linked.root / "2.1 农残" / "快检台账.pdf", tmp_path / "移走.pdf")
    scan(linked)

    def clerk(sheet, header):
        column = {label: header.index(label) + 1 for label in header}
        rows = {sheet.cell(r, 4).value: r for r in range(2, sheet.max_row + 1)}
        sheet.cell(rows["通知.docx"], column["成文日期"]).value = "2024年13月1日"
        sheet.cell(rows["通知.docx"], column["地点"]).value = "会议室"  # not a photo
        sheet.cell(rows["IMG_0001.jpg"], column["时间"]).value = "2024-05-20 9:30"
        sheet.append([None, None, "", "新文件.pdf", "", "手工加的一行"])
        sheet.append([sheet.cell(rows["通知.docx"], 1).value, None, "", "通知.docx"])
        sheet.append(["abc", None, "", "乱填的编号"])

    edit(target, clerk)
    preview = preview_import(linked, target)
    assert [(c.name, c.label, c.new) for c in preview.changes] == [("IMG_0001.jpg", "时间", "2024-05-20 09:30")]
    assert preview.unmatched == ["第 4 行：文件已不在档案中（快检台账.pdf），未导入",
                                 "第 6 行：没有文件编号（新文件.pdf），未导入"]
    assert preview.errors == [
        "第 2 行 通知.docx：成文日期格式不正确：2024年13月1日（应为 YYYY-MM-DD，如 2024-03-05），未导入",
        "第 2 行 通知.docx：地点只用于照片，未导入",
        "第 7 行与第 2 行是同一文件（通知.docx），第 7 行未导入",
        "第 8 行：文件编号“abc”不正确，未导入"]


def test_a_sheet_that_is_not_a_catalogue_is_refused(linked, tmp_path):
    other = tmp_path / "别的表.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["序号", "题名"])
    book.save(other)
    book.close()
    with pytest.raises(UserError, match=r"别的表\.xlsx 中没有“文件编号”列"):
        preview_import(linked, other)
    broken = tmp_path / "坏的.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(UserError, match="无法读取 Excel 文件"):
        preview_import(linked, broken)
    with pytest.raises(UserError, match="文件不存在"):
        preview_import(linked, tmp_path / "没有.xlsx")
