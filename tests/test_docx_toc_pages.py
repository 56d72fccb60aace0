"""The Word 目录 shows page numbers without updating fields: the TOC field's cached PAGEREF results are filled from
the twin layout (exporters/docx_pages.py), read back from word/document.xml; LibreOffice's own layout agrees."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from export_helpers import docx_fields, flat_outline, jpeg, options, populate, toc_pages
from pypdf import PdfReader

from common.errors import UserError
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

    table = next(t for t in docx.Document(str(word)).tables
                 if [c.text for c in t.rows[0].cells][:2] == ["序号", "档号"]
                 and any("现场照片1" in c.text for c in t.columns[4].cells))
    header = [c.text for c in table.rows[0].cells]
    ranges = {row.cells[header.index("题名")].text: row.cells[header.index("起止页")].text for row in table.rows[1:]}
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


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_lays_the_headings_out_on_the_pages_the_catalogue_names(word, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "out"), str(word)], check=True, capture_output=True,
                   timeout=180)
    converted = tmp_path / "out" / "汇编.pdf"
    assert len(PdfReader(str(converted)).pages) > 5
    outline = flat_outline(converted)
    pages = toc_pages(word)
    compared = {title: (int(pages[title]), outline[title][1] - 1) for title in pages if title in outline}
    assert len(compared) >= len(pages) - 1, (pages, outline)
    off = {title: pair for title, pair in compared.items() if abs(pair[0] - pair[1]) > 1}
    assert not off, off
