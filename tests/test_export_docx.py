"""The Word dossier parsed back with python-docx: paragraphs, tables, styles, fields, page setup."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from export_helpers import options, page_texts, populate

from conftest import tree_snapshot
from exporters import export

pytestmark = pytest.mark.cjk_font  # the evidence (export_helpers.populate) has a PDF drawn in a CJK font

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def dossier_docx(archive, evidence, tmp_path):
    populate(archive, evidence)
    before = tree_snapshot(evidence)
    path = tmp_path / "汇编.docx"
    export(archive, "docx", path, options())
    assert tree_snapshot(evidence) == before
    return path


def _instructions(path) -> list[str]:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)]


def test_headings_carry_bookmarks_and_nest_at_their_level(dossier_docx):
    document = Document(str(dossier_docx))
    headings = {p.text: p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert headings["1 组织领导"] == "Heading 1" and headings["1.1 成立创建工作领导小组"] == "Heading 2"
    assert headings["2.1.1 农残快检台账"] == "Heading 3" and headings["缺项清单"] == "Heading 1"
    marks = {b.get(qn("w:name")) for b in document.element.body.iter(f"{W}bookmarkStart")}
    instructions = _instructions(dossier_docx)
    pagerefs = {i.split()[1] for i in instructions if i.startswith("PAGEREF")}
    assert pagerefs and pagerefs <= marks and len(pagerefs) == len(headings)


def test_static_catalogue_then_toc_field_refreshed_on_open(dossier_docx):
    document = Document(str(dossier_docx))
    texts = [p.text for p in document.paragraphs]
    catalogue = [p.text for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert "1.1 成立创建工作领导小组\t" in catalogue and "2.2 校园食品安全示范提升行动\t" in catalogue
    assert texts.index("目录") < texts.index(catalogue[0])
    instructions = _instructions(dossier_docx)
    toc = [i for i in instructions if i.startswith("TOC")]
    assert toc == ['TOC \\o "1-3" \\h \\z \\u']
    assert instructions.index(toc[0]) > max(i for i, x in enumerate(instructions) if x.startswith("PAGEREF"))
    settings = zipfile.ZipFile(dossier_docx).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings


def test_styles_name_east_asian_fonts_without_theme_fonts(dossier_docx):
    styles_xml = zipfile.ZipFile(dossier_docx).read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles_xml and "asciiTheme" not in styles_xml
    document = Document(str(dossier_docx))
    expected = {"Normal": "仿宋", "Heading 1": "黑体", "Heading 2": "黑体", "Title": "黑体", "toc 2": "宋体",
                "表格文字 9": "宋体", "表格标题 9": "黑体"}
    for name, font in expected.items():
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font, name
    assert 'w:eastAsia="zh-CN"' in styles_xml
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, not US Letter
    assert round(section.left_margin.mm) == 28 and round(section.top_margin.mm) == 37


def test_header_and_footer_with_page_x_of_y(dossier_docx):
    document = Document(str(dossier_docx))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "某某县 创建国家食品安全示范城市迎检资料汇编"
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert section.footer.paragraphs[0].text.startswith("第 ") and " 页 共 " in section.footer.paragraphs[0].text


def test_tables_list_every_criterion_file_and_gap(dossier_docx):
    document = Document(str(dossier_docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for code in ("1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.2"):
        assert code in cells
    titles = ("2024年第一次会议纪要", "关于成立创建工作领导小组的通知", "附件正文", "损坏的通知", "现场照片",
              "台账一月")
    for title in titles:
        assert title in cells, title
    evidence_table = next(t for t in document.tables if t.rows[0].cells[0].text == "序号" and len(t.columns) == 7)
    assert [c.text for c in evidence_table.rows[0].cells] == ["序号", "题名", "日期", "页数", "类型", "大小", "备注"]
    header = evidence_table.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert "PDF 文件已损坏，无法读取页数" in cells and "缺材料" in cells
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "本项暂无佐证材料。" in texts and "张三，" in "".join(cells) and "编制单位：某某县食安办" in texts
    assert len(document.inline_shapes) == 1


def test_same_archive_twice_gives_identical_bytes(archive, evidence, tmp_path):
    populate(archive, evidence)
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    export(archive, "docx", first, options())
    time.sleep(1.1)  # a clock that moved on must not show in the output
    export(archive, "docx", second, options())
    assert first.read_bytes() == second.read_bytes()
    props = Document(str(first)).core_properties
    assert props.author == "某某县食安办" and props.created.year == 2024


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_fills_the_static_catalogue_page_numbers(dossier_docx, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "out"), str(dossier_docx)], check=True, capture_output=True,
                   timeout=180)
    pages = page_texts(tmp_path / "out" / "汇编.pdf")
    catalogue = next(text for text in pages if "目录" in text and "缺项清单" in text)
    numbers = dict(re.findall(r"^(\S.*?)\s*\.*\s*(\d+)$", catalogue, re.M))
    summary = next(n for n, text in enumerate(pages, start=1) if text.lstrip().startswith("评价项目汇总表")
                   or ("\n评价项目汇总表\n" in text and "编号" in text))
    assert int(numbers["评价项目汇总表"]) == summary
