"""A PDF's first page and a workbook's properties, read back from files other programs made: reportlab with a CJK
CID font and with an embedded TrueType subset, LibreOffice (a Word file converted to PDF), a scanned page (an image,
no text), openpyxl workbooks with and without core properties and a title row. The scan reads them from the bytes
its page-count pass has read (each file is opened once after hashing)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from metadata_support import RED_HEADER, docx_with, libreoffice_saved, metadata_by_name, values

import archive.metadata.readpass as readpass
from archive.index import inspection
from archive.index.scan import count_waiting, scan
from archive.links import link
from archive.metadata.extract import extract
from archive.metadata.pdftext import first_page_lines

NOTICE = ["某某县人民政府文件", "某政发〔2024〕12号", "关于成立创建国家食品安全示范城市", "工作领导小组的通知",
          "各乡镇人民政府，县政府各部门：", "为加强对创建工作的领导，经研究，决定成立领导小组。", "某某县人民政府",
          "2024年3月5日"]
NOTICE_FIELDS = {"issuer": "某某县人民政府", "doc_no": "某政发〔2024〕12号",
                 "title": "关于成立创建国家食品安全示范城市工作领导小组的通知", "date": "2024-03-05"}
CJK_TTF = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"



def reportlab_pdf(path: Path, lines: list[str], font: str = "STSong-Light", pages: int = 1) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if font == "STSong-Light":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    else:
        pdfmetrics.registerFont(TTFont(font, CJK_TTF))
    pdf = canvas.Canvas(str(path))
    for page in range(pages):
        y = 780
        for line in lines if page == 0 else ["第二页正文。", "2025年1月1日"]:
            pdf.setFont(font, 14)
            pdf.drawString(72, y, line)
            y -= 30
        pdf.showPage()
    pdf.save()
    return path


def spy_on_reading(monkeypatch) -> tuple[list, list]:
    """Record the files read one by one (their paths) and each batch of the page-count pass (its sorted kinds and
    whether it read metadata), while letting both do their work."""
    reads, passes = [], []
    real_item, real_batch = readpass.extract_item, inspection.read_batch
    monkeypatch.setattr(readpass, "extract_item", lambda item: reads.append(item[2]) or real_item(item))
    monkeypatch.setattr(inspection, "read_batch", lambda items, metadata=False: passes.append(
        (sorted(kind for _, kind in items), metadata)) or real_batch(items, metadata))
    return reads, passes


def test_a_reportlab_pdf_with_a_chinese_cid_font(tmp_path):
    path = reportlab_pdf(tmp_path / "scan0001.pdf", NOTICE)
    found = extract(str(path), "pdf")
    assert values(found) == NOTICE_FIELDS and {origin for _, origin in found.values()} == {"text"}


@pytest.mark.skipif(not os.path.isfile(CJK_TTF), reason="no CJK TrueType font installed")
def test_a_reportlab_pdf_with_an_embedded_truetype_subset(tmp_path):
    path = reportlab_pdf(tmp_path / "a.pdf", NOTICE, font="WQY")
    data = path.read_bytes()
    assert b"/ToUnicode" in data  # the strings are glyph numbers: only the CMap says what they are
    assert values(extract(str(path), "pdf")) == NOTICE_FIELDS


def test_a_signature_on_the_first_page_of_several_is_the_documents(tmp_path):
    """A notice that issues a plan signs on its first page, the plan's pages after it (关于印发…的通知)."""
    path = reportlab_pdf(tmp_path / "a.pdf", NOTICE, pages=2)
    lines, pages = first_page_lines(path.read_bytes(), path.stat().st_size)
    assert (lines, pages) == (NOTICE, 2)
    assert values(extract(str(path), "pdf")) == NOTICE_FIELDS


@pytest.mark.parametrize("ending", [
    ["检查时间", "2024年3月1日"],  # a date under a line that names no body
    ["网络订餐 县市场监督管理局 2024年12月31日"],  # a table's row: task, lead unit, deadline
    ["本次检查于2024年3月5日结束。"],  # a date in a sentence
])
def test_the_last_lines_of_a_longer_documents_first_page_are_no_signature(tmp_path, ending):
    path = reportlab_pdf(tmp_path / "a.pdf", [*NOTICE[:6], *ending], pages=2)
    assert "date" not in extract(str(path), "pdf")


def test_a_pdf_libreoffice_made_from_a_red_header_document(tmp_path):
    path, = libreoffice_saved(tmp_path, [docx_with(tmp_path / "红头.docx", RED_HEADER)], "pdf")
    from pypdf import PdfReader

    assert "LibreOffice" in PdfReader(path).metadata.producer
    assert values(extract(str(path), "pdf")) == {
        "secret": "秘密", "issuer": "某某县食品安全委员会办公室", "doc_no": "某食安办〔2024〕3号",
        "title": "关于印发《某某县2024年食品安全重点工作安排》的通知", "date": "2024-03-05"}


def test_a_scanned_page_without_text_gives_nothing(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = io.BytesIO()
    Image.effect_noise((400, 560), 60).convert("RGB").save(picture, "JPEG")
    path = tmp_path / "扫描件.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 0, 0, 595, 842)
    pdf.showPage()
    pdf.save()
    assert first_page_lines(path.read_bytes(), path.stat().st_size)[0] == []
    assert extract(str(path), "pdf") == {}  # and its name is the scanner's, no title (left for the clerk)


@pytest.mark.parametrize("damage", ["truncated", "content", "font"])
def test_a_damaged_first_page_leaves_the_fields_empty(tmp_path, damage):
    data = reportlab_pdf(tmp_path / "a.pdf", NOTICE).read_bytes()
    if damage == "truncated":
        data = data[:len(data) // 2]
    elif damage == "content":  # the content stream's compressed bytes garbled
        at = data.index(b"stream", data.index(b"/Length")) + 8
        data = data[:at] + b"\x00garbage" * 8 + data[at + 64:]
    else:  # the font's encoding renamed: its strings cannot be decoded
        data = data.replace(b"/UniGB-UCS2-H", b"/Unknown-CMap")
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    assert first_page_lines(data, len(data))[0] == []
    assert values(extract(str(path), "pdf")).keys() <= {"title", "issuer"}  # at most the info dictionary's


def openpyxl_workbook(path: Path, rows: list[list], title: str = "", creator: str = "", properties: bool = True):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.properties.title = title or None
    book.properties.creator = creator or None
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if not properties:  # as some exporters write it: no docProps/core.xml at all
        source, target = io.BytesIO(data), io.BytesIO()
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                if info.filename != "docProps/core.xml":
                    new.writestr(info, old.read(info))
        data = target.getvalue()
    path.write_bytes(data)
    return path


def test_workbook_core_properties(tmp_path):
    path = openpyxl_workbook(tmp_path / "台账.xlsx", [["日期", "单位", "结果"], ["2024-03-05", "食堂", "合格"]],
                             title="2024年食品抽检台账", creator="某某县市场监督管理局")
    found = extract(str(path), "xlsx")
    assert (found["title"], found["issuer"]) == (("2024年食品抽检台账", "props"), ("某某县市场监督管理局", "props"))
    # openpyxl writes the day it saved as the creation day: never taken as 成文日期 (templates keep theirs)
    assert "date" not in found


def test_a_workbooks_title_row_and_a_workbook_without_properties(tmp_path):
    path = openpyxl_workbook(tmp_path / "20240305 抽检.xlsx", [["某某县2024年第一季度食品安全抽检结果汇总表"],
                                                              ["序号", "样品", "结果"], [1, "大米", "合格"]],
                             properties=False)
    assert extract(str(path), "xlsx") == {"title": ("某某县2024年第一季度食品安全抽检结果汇总表", "text"),
                                          "date": ("2024-03-05", "name")}
    plain = openpyxl_workbook(tmp_path / "材料.xlsx", [["序号", "样品", "结果"]], properties=False)
    assert extract(str(plain), "xlsx") == {"title": ("材料", "name")}


def test_the_scan_reads_pdf_word_and_excel_metadata_from_its_page_count_reading(archive, tmp_path, monkeypatch):
    folder = tmp_path / "材料"
    folder.mkdir()
    reportlab_pdf(folder / "a.pdf", NOTICE)
    docx_with(folder / "通知.docx", RED_HEADER)
    openpyxl_workbook(folder / "台账.xlsx", [["某某县食品安全抽检台账"]], properties=False)
    (folder / "说明.txt").write_text("某食安办〔2024〕7号\n关于材料的说明\n", encoding="utf-8")
    link(archive, "1.1", [str(folder)])
    reads, passes = spy_on_reading(monkeypatch)
    scan(archive)
    assert reads == []  # every file was read once, by the page-count pass: the text file in its batches too
    assert [kinds for kinds, _ in passes] == [["docx", "pdf", "txt", "xlsx"]]
    assert [metadata for _, metadata in passes] == [True]
    by_name = metadata_by_name(archive)
    assert by_name["a.pdf"]["doc_no"] == "某政发〔2024〕12号"
    assert by_name["通知.docx"]["doc_no"] == "某食安办〔2024〕3号"
    assert by_name["台账.xlsx"]["title"] == "某某县食品安全抽检台账"
    assert by_name["说明.txt"]["doc_no"] == "某食安办〔2024〕7号"
    assert archive.meta("metadata_unfinished") == "0"


def test_pages_counted_later_read_every_file_s_metadata_in_the_same_pass(archive, tmp_path, monkeypatch):
    """The app's way: the index first (pages=False), then count_waiting in the background, which reads what photos
    and text files say in the batches of its page counts, not in a pool of its own afterwards."""
    folder = tmp_path / "材料"
    folder.mkdir()
    docx_with(folder / "通知.docx", RED_HEADER)
    (folder / "说明.txt").write_text("某食安办〔2024〕7号\n关于材料的说明\n", encoding="utf-8")
    (folder / "校园食堂检查2024.3.5.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    link(archive, "1.1", [str(folder)])
    scan(archive, pages=False)
    reads, passes = spy_on_reading(monkeypatch)
    assert count_waiting(archive) == 1  # the Word file's page count
    assert reads == [] and [kinds for kinds, _ in passes] == [["docx", "jpg", "txt"]]
    by_name = metadata_by_name(archive)
    assert by_name["通知.docx"]["doc_no"] == "某食安办〔2024〕3号"
    assert by_name["说明.txt"]["doc_no"] == "某食安办〔2024〕7号"
    assert by_name["校园食堂检查2024.3.5.jpg"]["time"] == "2024-03-05"
    assert archive.meta("metadata_unfinished") == "0"
    assert count_waiting(archive) == 0 and [kinds for kinds, _ in passes] == [["docx", "jpg", "txt"]]  # nothing left
