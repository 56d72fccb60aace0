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
    assert headings["一、组织领导"] == "Heading 1" and headings["（一）成立创建工作领导小组"] == "Heading 2"
    assert headings["1.农残快检台账"] == "Heading 3" and headings["评价项目汇总表"] == "Heading 1"
    assert "缺项清单" not in headings  # 送审版
    marks = {b.get(qn("w:name")) for b in document.element.body.iter(f"{W}bookmarkStart")}
    instructions = _instructions(dossier_docx)
    pagerefs = {i.split()[1] for i in instructions if i.startswith("PAGEREF")}
    assert pagerefs and pagerefs <= marks and len(pagerefs) == len(headings)


def test_one_catalogue_a_filled_toc_field_and_no_update_prompt(dossier_docx):
    document = Document(str(dossier_docx))
    texts = [p.text for p in document.paragraphs]
    catalogue = [p.text for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert "（一）成立创建工作领导小组\t5" in catalogue and "（二）校园食品安全示范提升行动\t7" in catalogue
    assert texts.index("目录") < texts.index(catalogue[0])
    instructions = _instructions(dossier_docx)
    toc = [i for i in instructions if i.startswith("TOC")]
    assert toc == ['TOC \\o "1-3" \\h \\z \\u']
    assert instructions.index(toc[0]) < min(i for i, x in enumerate(instructions) if x.startswith("PAGEREF"))
    body = zipfile.ZipFile(dossier_docx).read("word/document.xml").decode()
    begin, end = body.index('w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC'), None
    end = body.index("目录标题") if "目录标题" in body else 0
    assert begin > end  # the field's result holds the entries: one catalogue, not a static one plus a field
    assert body.count(" TOC ") == 1 and "更新域" not in body and "F9" not in body
    settings = zipfile.ZipFile(dossier_docx).read("word/settings.xml").decode()
    assert "updateFields" not in settings


def test_styles_fonts_and_page_follow_gb_t_9704(dossier_docx):
    styles_xml = zipfile.ZipFile(dossier_docx).read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles_xml and "asciiTheme" not in styles_xml
    document = Document(str(dossier_docx))
    expected = {"Normal": "仿宋", "Heading 1": "黑体", "Heading 2": "楷体", "Heading 3": "仿宋", "Title": "黑体",
                "toc 2": "宋体", "表格文字 9": "宋体", "表格标题 9": "黑体"}
    for name, font in expected.items():
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font, name
    assert document.styles["Normal"].font.size.pt == 16 and document.styles["Heading 3"].font.bold
    assert 'w:eastAsia="zh-CN"' in styles_xml
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, not US Letter
        margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                         section.right_margin)]
        assert margins == [37, 35, 28, 26]


def test_cover_bare_then_header_and_footer_with_page_x_of_y(dossier_docx):
    document = Document(str(dossier_docx))
    cover, body = document.sections
    assert not cover.header.paragraphs[0].text and "PAGE" not in cover.footer.paragraphs[0]._p.xml
    assert body.header.paragraphs[0].text == "某某县 创建国家食品安全示范城市迎检资料汇编"
    footer = body.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "SECTIONPAGES" in footer and 'w:start="1"' in body._sectPr.xml
    assert body.footer.paragraphs[0].text.startswith("第 ") and " 页 共 " in body.footer.paragraphs[0].text


def test_tables_list_every_criterion_file_with_da_t_22_columns(dossier_docx):
    document = Document(str(dossier_docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for label in ("一、", "（一）", "（二）", "二、", "1."):
        assert label in cells
    titles = ("2024年第一次会议纪要", "关于成立创建工作领导小组的通知", "附件正文", "损坏的通知", "现场照片",
              "台账一月")
    for title in titles:
        assert title in cells, title
    evidence_table = next(t for t in document.tables if t.rows[0].cells[0].text == "序号" and len(t.columns) == 9)
    assert [c.text for c in evidence_table.rows[0].cells] == ["序号", "档号", "文号", "责任者", "题名", "日期",
                                                              "页数", "起止页", "备注"]
    header = evidence_table.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert "PDF 文件已损坏，无法读取页数" in "".join(cells)
    assert "缺材料" not in cells and "张三，" not in "".join(cells)  # 送审版: no states, no confirmations
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "本项暂无佐证材料。" in texts and "编制单位：某某县食安办" in texts
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
    app = zipfile.ZipFile(first).read("docProps/app.xml").decode()
    assert "Microsoft" not in app and "迎检通" in app


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_fills_the_catalogue_page_numbers(dossier_docx, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "out"), str(dossier_docx)], check=True, capture_output=True,
                   timeout=180)
    pages = page_texts(tmp_path / "out" / "汇编.pdf")
    assert "第 " not in pages[0]  # the cover: no header, no number
    catalogue = next(text for text in pages if "目录" in text and "评价项目汇总表" in text)
    for entry in ("编制说明", "一、组织领导", "（一）成立创建工作领导小组", "1.农残快检台账", "备考表"):
        assert entry in catalogue  # LibreOffice shows the TOC field's filled result as it is
    assert "第 1 页" in pages[1]  # numbering starts after the cover


def test_a_cover_title_a_character_too_long_is_set_smaller_on_one_line(archive, evidence, tmp_path):
    """Word wraps the 22 pt title with its last character alone, as the PDF did: a point or two smaller fits."""
    populate(archive, evidence)
    path = tmp_path / "汇编.docx"
    export(archive, "docx", path, options(title="某某县创建国家食品安全示范城市迎检资料汇编"))
    title = next(p for p in Document(str(path)).paragraphs if p.style.name == "Title")
    assert title.text == "某某县创建国家食品安全示范城市迎检资料汇编"
    assert all(16.5 <= run.font.size.pt < 22 for run in title.runs)
    assert len(title.text) * title.runs[0].font.size.pt <= 442
