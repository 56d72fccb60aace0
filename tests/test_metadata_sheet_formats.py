"""The edited catalogue read back from what a clerk's office software saves: .xlsx moved around by hand, .xls
(Excel 97-2003, as WPS users still save), .ods (LibreOffice, WPS), and files that are no workbook, damaged,
password-protected or with a value in a far corner: one Chinese line naming the file, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import xlwt
from metadata_support import RED_HEADER, docx_with, jpeg_with_exif, pdf_with_info, write_ods

from archive.index.scan import scan
from archive.links import link
from archive.metadata.sheetimport import preview_import
from archive.metadata.workbook import SHEET, export_catalogue
from cli.run import run
from common.errors import UserError

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


@pytest.fixture
def linked(archive, tmp_path):
    root = tmp_path / "材料"
    (root / "1.1").mkdir(parents=True)
    docx_with(root / "1.1" / "通知.docx", RED_HEADER)
    pdf_with_info(root / "1.1" / "快检台账.pdf", title="2024年农残快检台账", pages=4)
    jpeg_with_exif(root / "1.1" / "IMG_0001.jpg", taken="2024:05:20 09:15:00")
    link(archive, "1.1", [str(root / "1.1")])
    scan(archive)
    return archive


def exported_rows(archive, tmp_path) -> list[list]:
    target = tmp_path / "导出.xlsx"
    export_catalogue(archive, target)
    book = openpyxl.load_workbook(target)
    try:
        return [list(row) for row in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()


def changes_of(archive, source) -> list[tuple]:
    preview = preview_import(archive, source)
    assert preview.unmatched == [] and preview.errors == [], (preview.unmatched, preview.errors)
    return sorted((c.row, c.name, c.label, c.old, c.new) for c in preview.changes)


def test_a_catalogue_sheet_renamed_moved_and_under_a_title_keeps_its_row_numbers(linked, tmp_path):
    """Not our sheet name, not the first sheet, a title and an empty row above the header: the sheet is the one
    whose first rows hold the id column, and row numbers are the sheet's own. Numbers typed in text columns come
    back as Excel shows them (12, not 12.0)."""
    target = tmp_path / "目录.xlsx"
    export_catalogue(linked, target)
    book = openpyxl.load_workbook(target)
    sheet = book[SHEET]
    sheet.title = "某某县佐证材料目录"
    sheet.insert_rows(1, 2)
    sheet["A1"] = "某某县食品安全示范城市创建佐证材料目录（2024年）"
    header = [cell.value for cell in sheet[3]]
    rows = {sheet.cell(r, 4).value: r for r in range(4, sheet.max_row + 1)}
    sheet.cell(rows["快检台账.pdf"], header.index("文号") + 1).value = 12
    sheet.cell(rows["快检台账.pdf"], header.index("页数") + 1).value = 5.0
    sheet.cell(rows["通知.docx"], header.index("成文日期") + 1).value = "2024年13月1日"
    book.create_sheet("填表人", 0).append(["填表人", "张三"])
    book.save(target)
    book.close()
    preview = preview_import(linked, target)
    assert sorted((c.row, c.name, c.label, c.new) for c in preview.changes) == [
        (rows["快检台账.pdf"], "快检台账.pdf", "文号", "12"), (rows["快检台账.pdf"], "快检台账.pdf", "页数", "5")]
    assert preview.errors == [f"第 {rows['通知.docx']} 行 通知.docx：成文日期格式不正确：2024年13月1日（应为 "
                              "YYYY-MM-DD，如 2024-03-05），未导入"]
    assert preview.rows == 3


def test_an_xls_saved_by_old_excel_or_wps_is_read(linked, tmp_path):
    rows = exported_rows(linked, tmp_path)
    header = rows[0]
    book = xlwt.Workbook()
    sheet = book.add_sheet(SHEET, cell_overwrite_ok=True)
    as_date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    named = {row[3]: r for r, row in enumerate(rows)}
    sheet.write(named["快检台账.pdf"], header.index("成文日期"), datetime(2024, 12, 31), as_date)
    sheet.write(named["快检台账.pdf"], header.index("题名"), "2024年度农残快检台账（汇总）")
    sheet.write(named["IMG_0001.jpg"], header.index("时间"), datetime(2024, 5, 20, 9, 30),
                xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM"))
    source = tmp_path / "目录.xls"
    book.save(str(source))
    assert changes_of(linked, source) == sorted([
        (named["快检台账.pdf"] + 1, "快检台账.pdf", "成文日期", "", "2024-12-31"),
        (named["快检台账.pdf"] + 1, "快检台账.pdf", "题名", "2024年农残快检台账", "2024年度农残快检台账（汇总）"),
        (named["IMG_0001.jpg"] + 1, "IMG_0001.jpg", "时间", "2024-05-20 09:15:00", "2024-05-20 09:30")])


def test_an_ods_is_read_with_its_dates_and_numbers(linked, tmp_path):
    rows = exported_rows(linked, tmp_path)
    header = rows[0]
    named = {row[3]: row + [None] * (len(header) - len(row)) for row in rows[1:]}
    named["快检台账.pdf"][header.index("成文日期")] = datetime(2024, 12, 31)
    named["快检台账.pdf"][header.index("页数")] = 5
    named["IMG_0001.jpg"][header.index("时间")] = datetime(2024, 5, 20, 9, 30)
    named["通知.docx"][header.index("备注")] = "原件在档案室"
    source = tmp_path / "目录.ods"
    write_ods(source, [header, *named.values()])
    lines = {name: number for number, name in enumerate(named, start=2)}
    assert changes_of(linked, source) == sorted([
        (lines["通知.docx"], "通知.docx", "备注", "", "原件在档案室"),
        (lines["快检台账.pdf"], "快检台账.pdf", "成文日期", "", "2024-12-31"),
        (lines["快检台账.pdf"], "快检台账.pdf", "页数", "4", "5"),
        (lines["IMG_0001.jpg"], "IMG_0001.jpg", "时间", "2024-05-20 09:15:00", "2024-05-20 09:30")])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_round_trip_through_libreoffice_ods(linked, tmp_path, capsys):
    """Exported, converted by LibreOffice (as a clerk opening it in LibreOffice or WPS and saving as .ods), edited
    in the .ods, imported from the command line."""
    target = tmp_path / "目录.xlsx"
    export_catalogue(linked, target)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "ods", "--outdir", str(tmp_path / "ods"), str(target)],
                   check=True, capture_output=True, timeout=180)
    source = tmp_path / "ods" / "目录.ods"
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    content = parts["content.xml"].decode()
    assert content.count("<text:p>2024年农残快检台账</text:p>") == 1
    parts["content.xml"] = content.replace("<text:p>2024年农残快检台账</text:p>",
                                           "<text:p>2024年度农残快检台账（汇总）</text:p>").encode()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert run(["meta", str(linked.path), "--import", str(source), "--preview"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "共 3 行，1 处改动（1 个文件）："
    assert out[1].endswith("快检台账.pdf：题名 “2024年农残快检台账” → “2024年度农残快检台账（汇总）”")


def encrypted_copy(plain: Path, target: Path) -> Path:
    """As Excel saves a workbook with an open password: an OLE2 file holding the encrypted package."""
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")  # requirements-dev.txt has it
    OOXMLFile = ooxml.OOXMLFile

    with open(plain, "rb") as source, open(target, "wb") as out:
        OOXMLFile(source).encrypt("口令123", out)
    return target


def truncated(path: Path, target: Path) -> Path:
    data = path.read_bytes()
    target.write_bytes(data[:len(data) // 2])
    return target


def empty_workbook(target: Path) -> Path:
    openpyxl.Workbook().save(target)
    return target


def old_excel(target: Path) -> Path:
    book = xlwt.Workbook()
    book.add_sheet(SHEET).write(0, 0, "文件编号")
    book.save(str(target))
    return target


DAMAGED = "无法读取 Excel 文件 {path}：文件已损坏"


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp, good: truncated(good, tmp / "只下载了一半.xlsx"), DAMAGED),
    (lambda tmp, good: (tmp / "说明.xlsx").write_text("这是一个文本文件") and tmp / "说明.xlsx",
     "无法读取 Excel 文件 {path}：文件已损坏，或不是 Excel/WPS/ODS 表格"),
    (lambda tmp, good: (tmp / "空.xlsx").write_bytes(b"") or tmp / "空.xlsx", DAMAGED),
    (lambda tmp, good: encrypted_copy(good, tmp / "加密.xlsx"), "无法读取 Excel 文件 {path}：文件设置了打开密码"),
    (lambda tmp, good: truncated(old_excel(tmp / "旧.xls"), tmp / "半个.xls"), DAMAGED),
    (lambda tmp, good: truncated(good.with_suffix(".ods"), tmp / "半个.ods"), DAMAGED),
    (lambda tmp, good: shutil.copy(good, tmp / "目录.csv") and tmp / "目录.csv",
     "无法读取 {path}：只能导入 Excel 工作簿（.xlsx、.xls）或 ODS 表格（.ods）"),
    (lambda tmp, good: old_excel(tmp / "目录.et"),
     "无法读取 {path}：只能导入 Excel 工作簿（.xlsx、.xls）或 ODS 表格（.ods）；"
     "WPS 表格（.et）请用“另存为”保存成 .xlsx 再导入"),
    (lambda tmp, good: empty_workbook(tmp / "新建.xlsx"), "新建.xlsx 中没有“文件编号”列"),
], ids=["truncated-xlsx", "text-named-xlsx", "empty-file", "password", "truncated-xls", "truncated-ods", "csv",
        "wps-et", "empty-workbook"])
def test_what_cannot_be_read_is_one_chinese_line_with_the_path(linked, tmp_path, capsys, make, message):
    good = tmp_path / "好的.xlsx"
    export_catalogue(linked, good)
    write_ods(good.with_suffix(".ods"), [["文件编号", "题名"], [1, "题名"]] * 40)
    path = make(tmp_path, good)
    with pytest.raises(UserError) as caught:
        preview_import(linked, path)
    assert str(caught.value).startswith(message.format(path=path))
    assert run(["meta", str(linked.path), "--import", str(path), "--preview"]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"错误：{caught.value}\n")


def test_a_value_in_a_far_corner_is_refused_before_the_sheet_is_read(linked, tmp_path):
    """calamine would ask for a grid of 17 billion cells (550 GB) and abort the process: the declared range is
    checked first. A real process, so that an abort shows as its exit code rather than ending the test run."""
    target = tmp_path / "目录.xlsx"
    export_catalogue(linked, target)
    book = openpyxl.load_workbook(target)
    book[SHEET]["XFD1048576"] = "误填"
    book.save(target)
    book.close()
    linked.close()
    done = subprocess.run([sys.executable, MAIN, "meta", str(linked.path), "--import", str(target), "--preview"],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"错误：无法读取 {target}：工作表“{SHEET}”的使用范围为 A1:XFD1048576（17,179,869,184 个"
                           "单元格），远超文件目录应有的大小，多半是远处的某个单元格误填了内容。请删除多余的行和列后保存，"
                           "再导入\n")
