"""A ledger sized for the screen prints whole: on the temp copy, a column too narrow for its dates or amounts (which
print as ###) or for a text cut by the next cell is widened before conversion; read back with openpyxl, and through
LibreOffice as PDF text."""

from __future__ import annotations

import datetime
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from exporters.sheet_setup import rewrite_parts, set_up_pages

UNIT = "某某县城关镇某某农贸市场经营户12号摊位"  # 20 characters, 38 columns wide


def ledger(path: Path) -> Path:
    """A 快检台账 as offices keep them: a title typed in A1, narrow date and amount columns, unit names cut by the
    result column, a remark column that wraps, a hidden working column, a merged note at the end."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "2024年城关镇农贸市场快检台账（第一季度）"  # runs on over empty cells: left alone
    sheet.append(["序号", "检查日期", "金额", "被检查单位", "检查结果", "备注", "核对"])
    for n in range(1, 13):
        sheet.append([n, datetime.date(2024, 3, n), 1234567.5 * n, UNIT, "合格", "复检合格，已整改到位并签字确认", "x"])
    for row in sheet.iter_rows(min_row=3):
        row[1].number_format = "yyyy-mm-dd"
        row[2].number_format = "#,##0.00"
        row[5].alignment = Alignment(wrap_text=True)
    sheet.append(["注：本台账由各市场快检室每日填报，县市场监管局每月汇总。"])
    sheet.merge_cells(f"A{sheet.max_row}:G{sheet.max_row}")
    widths = {"A": 5, "B": 6, "C": 6, "D": 10, "E": 8, "F": 10, "G": 3}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["G"].hidden = True
    book.save(path)
    return path


def test_narrow_columns_are_widened_to_their_values_and_no_others(tmp_path):
    path = ledger(tmp_path / "快检台账.xlsx")
    assert set_up_pages(str(path))
    columns = load_workbook(path).active.column_dimensions
    width = {letter: columns[letter].width for letter in "ABCDEF"}
    assert width["A"] == 5  # its title runs on over empty cells, its merged note spans the row
    assert 13 <= width["B"] <= 17  # 2024-03-12 and some room (a converter's font may be wider than Excel's)
    assert 17 <= width["C"] <= 19  # 14,814,810.00
    assert width["D"] == 39  # the unit's name, cut by 合格 before
    assert width["E"] == 9 and width["F"] == 10  # its header 检查结果; the remark wraps in its cell
    assert columns["G"].hidden  # still hidden


def test_a_range_of_columns_keeps_its_width_around_the_one_widened(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "单位", "结果", "签名"])
    sheet.append([datetime.date(2024, 5, 20), "县市场监管局", "合格", "张三"])
    sheet["A2"].number_format = "yyyy/m/d"
    path = tmp_path / "台账.xlsx"
    book.save(path)
    # one <col> for A to D, 4 characters wide, as Excel writes columns set together
    with zipfile.ZipFile(path) as zipped:
        xml = zipped.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace("<sheetData>", '<cols><col min="1" max="4" width="4" customWidth="1"/></cols><sheetData>')
    rewrite_parts(str(path), {"xl/worksheets/sheet1.xml": xml.encode()})
    assert set_up_pages(str(path))
    columns = load_workbook(path).active.column_dimensions
    assert columns["A"].width >= 10 and columns["B"].width == 13  # the date; 县市场监管局 cut by 合格
    assert columns["C"].width == 5  # 合格 (and 结果) cut by the name beside it
    assert columns["D"].width == 4  # the last column's text runs on over the empty cells after it


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_the_converted_ledger_shows_its_dates_amounts_and_names(tmp_path):
    from pypdf import PdfReader

    from common.progress import ProgressReporter
    from conftest import tree_snapshot
    from exporters.office import Converter
    from exporters.office_run import convert

    evidence = tmp_path / "证明材料"
    evidence.mkdir()
    source = ledger(evidence / "快检台账.xlsx")
    before = tree_snapshot(evidence)
    converted, failed = convert(Converter("LibreOffice", shutil.which("soffice")), [("台账", str(source))],
                                str(tmp_path / "work"), ProgressReporter(None, None), 0, 1)
    assert not failed
    text = "".join(page.extract_text() or "" for page in PdfReader(converted["台账"]).pages)
    assert "###" not in text
    assert "2024-03-12" in text and "14,814,810.00" in text and UNIT in "".join(text.split())
    assert tree_snapshot(evidence) == before  # the evidence file itself is never touched
