"""OFD files (GB/T 33190, electronic official documents): their DocInfo and first page's lines, read at scan time like
a PDF's, in both shapes writers give them (one text object per character placed by Boundary and CTM, or one per line
placed by its CTM), and never an exception from a damaged or hostile package."""

from __future__ import annotations

import json
import zipfile

import pytest
from export_helpers import options
from metadata_support import RED_HEADER, ofd_file, values
from pypdf import PdfReader

from archive.index.scan import scan
from archive.links import link
from archive.metadata.extract import extract
from archive.metadata.ofd import PART_LIMIT, ofd_fields
from cli.run import run
from exporters import export, plan_export
from search.extract import extract as extract_text
from search.query import search
from search.texts import update_texts


@pytest.mark.parametrize("per_glyph", [True, False], ids=["one object a character", "one object a line"])
def test_a_red_header_ofd_gives_what_its_first_page_says(tmp_path, per_glyph):
    path = ofd_file(tmp_path / "通知.ofd", RED_HEADER, title="由OfdrwNet生成的OFD文档", author="Administrator",
                    per_glyph=per_glyph)
    assert ofd_fields(str(path), None)[1] == RED_HEADER  # placed back in reading order
    assert extract(str(path), "ofd") == {
        "secret": ("秘密", "text"), "issuer": ("某某县食品安全委员会办公室", "text"),
        "doc_no": ("某食安办〔2024〕3号", "text"),
        "title": ("关于印发《某某县2024年食品安全重点工作安排》的通知", "text"), "date": ("2024-03-05", "text"),
        "pages": ("1", "props")}


def test_docinfo_gives_title_and_issuer_when_the_page_has_no_text(tmp_path):
    path = ofd_file(tmp_path / "扫描件.ofd", [], title="关于开展校园食品安全专项检查的通知",
                    author="某某县市场监督管理局")
    data = path.read_bytes()
    assert extract(str(path), "ofd", data) == extract(str(path), "ofd") == {
        "title": ("关于开展校园食品安全专项检查的通知", "props"), "issuer": ("某某县市场监督管理局", "props"),
        "pages": ("1", "props")}


def test_the_first_page_of_a_longer_document_gives_a_signature_it_holds(tmp_path):
    """A notice issuing a plan signs on its first page; a first page whose text runs on has no 落款 (the document's
    is on its last page, not read at scan time)."""
    path = ofd_file(tmp_path / "a.ofd", RED_HEADER, pages=3)
    assert ofd_fields(str(path), None)[2] == 3
    found = extract(str(path), "ofd")
    assert found["date"] == ("2024-03-05", "text") and found["pages"] == ("3", "props")
    path = ofd_file(tmp_path / "b.ofd", RED_HEADER[:-3], pages=3)
    assert "date" not in extract(str(path), "ofd")


def test_damaged_and_hostile_packages_give_the_name_only(tmp_path):
    whole = ofd_file(tmp_path / "whole.ofd", RED_HEADER).read_bytes()
    cut = tmp_path / "某办〔2024〕5号 关于检查的通知.ofd"
    cut.write_bytes(whole[:len(whole) // 2])
    assert values(extract(str(cut), "ofd")) == {"doc_no": "某办〔2024〕5号", "title": "关于检查的通知"}
    empty = tmp_path / "空.ofd"
    with zipfile.ZipFile(empty, "w") as package:
        package.writestr("readme.txt", "no OFD.xml")
    assert extract(str(empty), "ofd") == {}
    bomb = tmp_path / "bomb.ofd"  # a page that inflates far beyond what is read of it
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("OFD.xml", "<ofd:OFD><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                                    "</ofd:DocBody></ofd:OFD>")
        package.writestr("Doc_0/Document.xml", '<ofd:Pages><ofd:Page BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>')
        package.writestr("Doc_0/Pages/Page_0/Content.xml", " " * (4 * PART_LIMIT))
    assert ofd_fields(str(bomb), None) == ({}, [], 1)


def test_a_scan_reads_an_ofd_and_meta_shows_it(capsys, archive, tmp_path):
    root = tmp_path / "材料"
    root.mkdir()
    ofd_file(root / "通知.ofd", RED_HEADER)
    link(archive, "1.1", [str(root)])
    scan(archive)
    archive.close()
    assert run(["meta", str(archive.path), str(root / "通知.ofd"), "--json"]) == 0
    fields = json.loads(capsys.readouterr().out)["fields"]
    assert fields["doc_no"] == {"value": "某食安办〔2024〕3号", "source": "file", "origin": "text"}
    assert fields["title"]["value"] == "关于印发《某某县2024年食品安全重点工作安排》的通知"
    assert fields["pages"] == {"value": "1", "source": "file", "origin": "props"}
    assert run(["meta", str(archive.path), str(root / "通知.ofd")]) == 0
    assert "  页数：1（读自文件：文档属性）" in capsys.readouterr().out.splitlines()


def test_full_text_search_reads_every_page_of_an_ofd(archive, tmp_path):
    root = tmp_path / "材料"
    root.mkdir()
    ofd_file(root / "通知.ofd", RED_HEADER, pages=2)
    link(archive, "1.1", [str(root)])
    scan(archive)
    update_texts(archive)
    hits = search(archive.conn, "重点工作安排")
    assert [(hit.path, hit.pages) for hit in hits] == [(str(root / "通知.ofd"), [1, 2])]
    assert extract_text(str(root / "通知.ofd"), "ofd").pages[0] == (1, "\n".join(RED_HEADER))


@pytest.mark.cjk_font
def test_the_pdf_dossier_lists_an_ofd_and_the_plan_gives_its_way_out(archive, tmp_path):
    """The way out (save it as PDF beside it) is the office's: said in the plan, not to the review team."""
    root = tmp_path / "材料"
    root.mkdir()
    ofd_file(root / "通知.ofd", RED_HEADER)
    link(archive, "1.1", [str(root)])
    scan(archive)
    [line] = [line for line in plan_export(archive, "pdf", options()).lines() if "只列入目录、不附入原文" in line]
    assert "OFD 版式文件 1 个（可在 OFD 阅读器中另存为 PDF，与原件放在一起）" in line and "1.1-001" in line
    target = tmp_path / "汇编.pdf"
    export(archive, "pdf", target, options())
    text = "".join("".join((page.extract_text() or "").split()) for page in PdfReader(str(target)).pages)
    assert "1.1-001" in text and "OFD版式文件" in text and "另存为" not in text  # table cells wrap: no spaces
    assert "关于印发《某某县2024年食品安全重点工作安排》的通知" in text  # its title read from the file
