"""Legacy workbooks (.xls, as Excel 97-2003 and WPS save ledgers): their summary properties and first row's title,
read as a .xlsx's are. Files made by xlwt, by LibreOffice (where it is installed) from a .xlsx openpyxl wrote, and
damaged ones (their names still count)."""

from __future__ import annotations

import openpyxl
import xlwt
from metadata_support import libreoffice_saved, values

from archive.index.scan import scan
from archive.links import link
from archive.metadata import workbook97
from archive.metadata.extract import extract
from archive.metadata.store import metadata_for_files
from tests.foreign_corpus import ole_file


def ledger(path, first_row: list[str]):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    for column, text in enumerate(first_row):
        sheet.write(0, column, text)
    sheet.write(1, 0, "日期")
    sheet.write(2, 0, "2024-01-02")
    book.save(str(path))
    return path


def test_a_title_row_is_the_title_and_a_header_row_is_not(tmp_path):
    titled = ledger(tmp_path / "台账1.xls", ["某某县2024年农贸市场快检台账"])
    assert extract(str(titled), "xls") == {"title": ("某某县2024年农贸市场快检台账", "text")}
    assert extract(str(titled), "xls", titled.read_bytes()) == extract(str(titled), "xls")
    header = ledger(tmp_path / "检查记录.xls", ["日期", "样品", "结果"])
    assert values(extract(str(header), "xls")) == {"title": "检查记录"}  # the name's


def test_damaged_and_old_files_give_the_name_only(tmp_path):
    cut = tmp_path / "某市监〔2024〕9号 快检台账.xls"
    cut.write_bytes(ledger(tmp_path / "whole.xls", ["某某县快检台账"]).read_bytes()[:1500])
    assert values(extract(str(cut), "xls")) == {"doc_no": "某市监〔2024〕9号", "title": "快检台账"}
    stray = tmp_path / "旧版表格.xls"  # an OLE file whose Workbook stream is no workbook
    stray.write_bytes(ole_file("Workbook", b"\x09\x08" + b"xls" * 100))
    assert values(extract(str(stray), "xls")) == {"title": "旧版表格"}


def test_a_very_large_workbook_gives_its_properties_only(tmp_path, monkeypatch):
    path = ledger(tmp_path / "大表.xls", ["某某县2024年农贸市场快检台账"])
    monkeypatch.setattr(workbook97, "ROW_LIMIT", 100)
    assert workbook97.read_workbook97(str(path), None).first_row == []


def test_the_scan_reads_an_xls_in_a_linked_folder(archive, tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    ledger(folder / "a.xls", ["某某县2024年农贸市场快检台账"])
    link(archive, "1.1", [str(folder)])
    scan(archive)
    file_id = archive.conn.execute("SELECT id FROM files WHERE path LIKE '%a.xls'").fetchone()[0]
    meta = metadata_for_files(archive, [file_id])[file_id]
    assert meta["title"] == "某某县2024年农贸市场快检台账" and meta.get("title").origin == "text"


def test_an_xls_libreoffice_saved_reads_as_its_xlsx_does(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "某某县2024年校园食堂检查记录"
    book.active["A2"], book.active["B2"] = "学校", "结果"
    book.properties.title, book.properties.creator = "校园食堂检查记录", "某某县市场监督管理局"
    source = tmp_path / "检查记录.xlsx"
    book.save(source)
    converted, = libreoffice_saved(tmp_path, [source], "xls")
    assert converted.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real binary workbook
    assert extract(str(converted), "xls") == extract(str(source), "xlsx") == {
        "title": ("某某县2024年校园食堂检查记录", "text"), "issuer": ("某某县市场监督管理局", "props")}
