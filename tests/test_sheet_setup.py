"""Spreadsheets print as tables: the temp copy of a workbook gets landscape (when wide), fit to page width, grid
lines and repeated header rows before conversion; read back with openpyxl, and through LibreOffice as PDF pages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from common.progress import ProgressReporter
from conftest import tree_snapshot
from exporters.office import Converter
from exporters.office_run import convert
from exporters.sheet_setup import set_up_pages

COLUMNS, ROWS = 24, 90


def wide_workbook(path: Path, picture: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "快检台账"
    sheet.append(["快检台账（2024年）"] + [""] * (COLUMNS - 1))
    sheet.append([f"列{n}" for n in range(1, COLUMNS + 1)])
    for row in range(ROWS):
        sheet.append([f"第{row + 1}行{n}" for n in range(1, COLUMNS + 1)])
    for n in range(1, COLUMNS + 1):
        sheet.column_dimensions[sheet.cell(1, n).column_letter].width = 11
    sheet.freeze_panes = "A3"  # two header rows frozen by the clerk
    narrow = book.create_sheet("说明")
    narrow.append(["项目", "内容"])
    narrow.append(["填表人", "张三"])
    if picture:
        from openpyxl.drawing.image import Image as SheetImage
        from PIL import Image

        Image.new("RGB", (80, 40), "red").save(path.parent / "logo.png")
        narrow.add_image(SheetImage(str(path.parent / "logo.png")), "D2")
    book.save(path)
    return path


def test_the_copy_gets_a_print_setup_and_keeps_its_pictures(tmp_path):
    path = wide_workbook(tmp_path / "台账.xlsx", picture=True)
    assert set_up_pages(str(path))
    book = load_workbook(path)
    wide, narrow = book["快检台账"], book["说明"]
    assert wide.page_setup.orientation == "landscape" and narrow.page_setup.orientation == "portrait"
    for sheet in (wide, narrow):
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_options.gridLines and sheet.page_setup.paperSize == 9
    assert wide.print_title_rows == "$1:$2" and narrow.print_title_rows == "$1:$1"
    assert any(name.startswith("xl/media/") for name in zipfile.ZipFile(path).namelist())  # the picture stays


def test_not_a_workbook_is_left_alone(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert not set_up_pages(str(path))
    assert path.read_bytes() == b"PK\x03\x04 not really"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_converted_sheets_are_landscape_whole_width_with_headers_on_every_page(tmp_path):
    from pypdf import PdfReader
    from xlwt import Workbook as OldWorkbook

    evidence = tmp_path / "证明材料"
    evidence.mkdir()
    wide_workbook(evidence / "台账.xlsx")
    old = OldWorkbook()
    sheet = old.add_sheet("旧台账")
    for column in range(COLUMNS):
        sheet.col(column).width = 11 * 256
        sheet.write(0, column, f"列{column + 1}")
    for row in range(1, ROWS):
        for column in range(COLUMNS):
            sheet.write(row, column, f"第{row}行")
    old.save(str(evidence / "旧台账.xls"))
    before = tree_snapshot(evidence)
    files = [(name, str(evidence / name)) for name in ("台账.xlsx", "旧台账.xls")]
    converted, failed = convert(Converter("LibreOffice", shutil.which("soffice")), files, str(tmp_path / "work"),
                                ProgressReporter(None, None), 0, 1)
    assert not failed and set(converted) == {"台账.xlsx", "旧台账.xls"}
    assert tree_snapshot(evidence) == before  # the evidence is never the file set up or converted
    for name, pdf in converted.items():
        reader = PdfReader(pdf)
        sheet_pages = [p for p in reader.pages if f"列{COLUMNS}" in (p.extract_text() or "")]
        assert len(sheet_pages) >= 2, name  # tall: several pages ...
        for page in sheet_pages:
            text = page.extract_text()
            assert float(page.mediabox.width) > float(page.mediabox.height), name  # ... landscape
            assert "列1" in text and f"列{COLUMNS}" in text, name  # every column on every page, header repeated
        assert len(reader.pages) <= len(sheet_pages) + 1  # the narrow sheet: one page; nothing cut across pages


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
@pytest.mark.cjk_font
def test_the_dossier_attaches_the_sheet_landscape_and_whole(archive, evidence, tmp_path):
    from export_helpers import options, populate
    from pypdf import PdfReader

    from exporters import export

    wide_workbook(evidence / "2.1 农残治理" / "1. 快检台账" / "快检台账汇总.xlsx")
    populate(archive, evidence)
    before = tree_snapshot(evidence)
    target = tmp_path / "汇编.pdf"
    export(archive, "pdf", target, options())
    assert tree_snapshot(evidence) == before
    # its 题名 is the sheet's own title line (the file's metadata), its pages captioned with it
    pages = [p for p in PdfReader(str(target)).pages if "快检台账（2024年）（第" in (p.extract_text() or "")]
    assert len(pages) >= 2
    for page in pages[:-1]:  # the last one is the narrow 说明 sheet
        text = page.extract_text()
        assert float(page.mediabox.width) > float(page.mediabox.height)
        assert "列1" in text and f"列{COLUMNS}" in text
