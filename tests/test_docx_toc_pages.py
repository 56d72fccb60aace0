"""The Word 目录 shows page numbers without updating fields: the TOC field's cached PAGEREF results are filled from
the twin layout (exporters/docx_pages.py), read back from word/document.xml; LibreOffice's own layout puts every
heading and photo on exactly the page the 目录 and 起止页 name, in every shape of dossier (bench/docx_pages_bench.py
measures the same on larger ones)."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
import zipfile

import pytest
from export_helpers import docx_fields, jpeg, options, populate, toc_pages

from archive.catalogue import store_catalogue
from archive.db import create_archive
from bench.docx_pages_bench import convert, word_vs_libreoffice
from common.errors import UserError
from conftest import small_catalogue
from exporters import export

pytestmark = pytest.mark.cjk_font


@pytest.fixture
def word(archive, evidence, tmp_path):
    for number, color in enumerate(("red", "green", "blue", "gray", "orange")):
        jpeg(evidence / "1.2 工作方案" / f"现场照片{number + 1}.jpg", color=color)
    populate(archive, evidence)
    path = tmp_path / "汇编.docx"
    export(archive, "docx", path, options())
    return path


def test_every_catalogue_entry_shows_its_page(word):
    pages = toc_pages(word)
    expected = {"编制说明", "评价项目汇总表", "一、组织领导", "（二）制定创建工作方案", "1.农残快检台账", "备考表"}
    assert expected <= set(pages)
    numbers = [int(n) for n in pages.values()]  # every entry has one, in reading order
    assert numbers[0] == 1 and numbers == sorted(numbers) and numbers[-1] > numbers[0]
    # five photos two to a page: the sheet of 1.2 takes three pages before the next criterion
    assert int(pages["二、防范风险隐患"]) >= int(pages["（二）制定创建工作方案"]) + 3


def test_photo_rows_show_their_pages_in_word(word):
    import docx

    ranges = {}
    for table in docx.Document(str(word)).tables:  # a 佐证材料目录 broken across pages is several tables
        header = [c.text for c in table.rows[0].cells]
        if header[:2] == ["序号", "档号"]:
            ranges |= {row.cells[4].text: row.cells[header.index("起止页")].text for row in table.rows[1:]}
    photo_pages = [int(ranges[f"现场照片{n}"]) for n in range(1, 6)]
    assert photo_pages[0] == photo_pages[1] and photo_pages[2] == photo_pages[0] + 1 == photo_pages[3]
    assert int(toc_pages(word)["（二）制定创建工作方案"]) <= photo_pages[0]


def test_without_a_cjk_font_the_pages_are_estimated(word, archive, tmp_path, monkeypatch):
    import exporters.pdf_writer

    def no_font(*args, **kwargs):
        raise UserError("no font")

    monkeypatch.setattr(exporters.pdf_writer, "lay_out", no_font)
    estimated = tmp_path / "估算.docx"
    export(archive, "docx", estimated, options())
    laid_out, guessed = toc_pages(word), toc_pages(estimated)
    assert guessed.keys() == laid_out.keys()
    numbers = [int(n) for n in guessed.values()]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert all(abs(int(guessed[k]) - int(laid_out[k])) <= 1 for k in laid_out), (guessed, laid_out)


def test_toc_field_result_holds_the_numbers_not_only_the_entries(word):
    fields = docx_fields(word)
    toc = next(result for instruction, result in fields if instruction.startswith("TOC"))
    assert "编制说明" in toc and any(ch.isdigit() for ch in toc)
    footers = [docx_fields(word, name) for name in zipfile.ZipFile(word).namelist() if name.startswith("word/footer")]
    total = next(result for fields in footers for instruction, result in fields if instruction == "SECTIONPAGES")
    assert int(total) >= max(int(n) for n in toc_pages(word).values())  # 共Y页 shown before fields are updated


LONG_TITLE = "关于印发《某某县创建国家食品安全示范城市工作实施方案（2024—2026年）》的通知（第{}号）"
SCENE = "县市场监管局联合县农业农村局在城关镇农贸市场开展食用农产品快速检测专项行动现场照片"
CLAUSE = "建立食品安全工作责任制，明确各部门职责分工，定期召开专题会议研究部署创建工作，落实情况纳入年度考核；"
SHAPES = {"送审版": {}, "内部版": {"edition": "internal", "changelog_since": "2000-01-01"},
          "一页一张照片": {"photos_per_page": 1, "page_numbers": "dash"},
          "内部版一页一张": {"edition": "internal", "photos_per_page": 1}}


@pytest.fixture
def shapes(evidence, tmp_path):
    """The dossier in several shapes: both editions (the internal one with its change log), photos two and one to a
    page, "— X —" page numbers. 1.1's 评价标准 is longer than a page, 1.2's half a page; 1.1's 佐证材料目录 of 70
    long, wrapping titles runs over pages; photos with long captions, upright, turned and wide."""
    longer = {"1.1": CLAUSE * 40, "1.2": CLAUSE * 12}
    catalogue = small_catalogue()
    catalogue = dataclasses.replace(catalogue, criteria=[dataclasses.replace(row, rule=longer.get(row.code, row.rule))
                                                         for row in catalogue.criteria])
    archive = create_archive(tmp_path / "长文本.rrdb", "某某县")
    store_catalogue(archive, catalogue)
    for number, color in enumerate(("red", "green", "blue", "gray", "orange")):
        jpeg(evidence / "1.2 工作方案" / f"现场照片{number + 1}.jpg", color=color)
    jpeg(evidence / "1.1 领导小组" / f"2024年5月1日{SCENE}一.jpg", size=(400, 600))
    jpeg(evidence / "1.1 领导小组" / f"2024年5月2日{SCENE}二.jpg", orientation=6)
    jpeg(evidence / "1.1 领导小组" / f"2024年5月3日{SCENE}三（城关镇、东城街道）.jpg", size=(900, 300))
    for number in range(1, 71):
        (evidence / "1.1 领导小组" / f"{LONG_TITLE.format(number)}.txt").write_text("正文", encoding="utf-8")
    populate(archive, evidence)
    made = []
    for name, extra in SHAPES.items():
        path = tmp_path / "word" / f"{name}.docx"
        path.parent.mkdir(exist_ok=True)
        export(archive, "docx", path, options(**extra))
        made.append(path)
    archive.close()
    return made


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_lays_every_heading_and_photo_out_on_the_page_word_names(shapes, tmp_path):
    convert(shapes, tmp_path / "pdf", tmp_path / "lo", timeout=300)
    for docx in shapes:
        compared = word_vs_libreoffice(docx, tmp_path / "pdf" / f"{docx.stem}.pdf")
        assert len(compared) >= 21 and sum("现场照片" in what for what, _, _ in compared) == 9, (docx.stem, compared)
        off = [entry for entry in compared if entry[1] != entry[2]]
        assert not off, (docx.stem, off)


def test_a_row_taller_than_a_page_is_split_in_word_as_in_the_twin_and_keeps_all_its_text(shapes):
    import docx

    rows = [[cell.text for cell in row.cells] for table in docx.Document(str(shapes[0])).tables
            if len(table.columns) == 2 for row in table.rows]  # a box broken across pages is two tables
    standards = []
    for number, row in enumerate(rows):
        if row[0] == "评价标准":
            more = itertools.takewhile(lambda later: not later[0], rows[number + 1:])
            standards.append([row[1], *(later[1] for later in more)])
    whole, split = sorted(standards, key=len)[-2:]
    assert whole == [CLAUSE * 12]  # half a page: one row, kept whole
    assert len(split) >= 2 and all(split)  # longer than a page: split, as the twin split it
    assert "".join(split) == CLAUSE * 40


def test_a_catalogue_over_pages_is_broken_where_the_twin_breaks_it_each_part_with_its_header(shapes):
    import docx
    from docx.oxml.ns import qn

    catalogues, before = [], None  # (the paragraph before, data rows) of each 佐证材料目录 table, in order
    for element in docx.Document(str(shapes[0])).element.body.iterchildren(qn("w:tbl"), qn("w:p")):
        if element.tag == qn("w:p"):
            before = element
            continue
        rows = [["".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
                for row in element.iter(qn("w:tr"))]
        if rows[0][:2] == ["序号", "档号"]:  # every part has the header row
            catalogues.append((before, rows[1:]))
    runs = []  # a catalogue and the parts continuing it
    for paragraph, rows in catalogues:
        if rows[0][0] == "1":
            runs.append([])
        runs[-1].append((paragraph, rows))
    longest = max(runs, key=len)
    assert len(longest) >= 3  # 1.1's 70 long titles and 3 photos run over pages
    numbers = [int(row[0]) for _, rows in longest for row in rows]
    assert numbers == list(range(1, len(numbers) + 1))  # no row lost or repeated
    for paragraph, _ in longest[1:]:  # each later part begins a page: a paragraph with "page break before"
        assert paragraph.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None
