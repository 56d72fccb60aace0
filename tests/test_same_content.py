"""The same file twice under one criterion (a unit's package copied beside the office's folder, "通知(1).pdf" from a
second download): the window names both copies, the plan says so, and the dossier lists both but attaches the content
once, its catalogue row pointing at the first copy's pages; the package copies both and says which is which."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from export_helpers import catalogue_remarks, cjk_pdf, flat_outline, jpeg, options, page_texts
from openpyxl import load_workbook

from archive.index.scan import scan
from archive.links import link
from archive.same_content import earlier_copies, same_content_groups
from exporters import export, plan_export

COPY_TEXT = "重复正文第{}页"


def test_groups_are_of_one_content_and_never_of_empty_files():
    files = [("a", "h1", 10), ("b", "h2", 10), ("c", "h1", 10), ("d", "h0", 0), ("e", "h0", 0), ("f", None, 5),
             ("g", None, 5), ("h", "h1", 10)]
    assert same_content_groups(files) == [["a", "c", "h"]]
    assert earlier_copies(files) == {"c": "a", "h": "a"}


@pytest.fixture
def copied(archive, evidence) -> Path:
    """1.2 holds a notice and a photo, and a folder "单位报送" with both again (one renamed, as a second download)."""
    folder = evidence / "1.2 工作方案"
    (folder / "通知.pdf").write_bytes(cjk_pdf(2, COPY_TEXT))
    jpeg(folder / "现场.jpg", color="olive")
    again = folder / "单位报送"
    again.mkdir()
    shutil.copy2(folder / "通知.pdf", again / "通知(1).pdf")
    shutil.copy2(folder / "现场.jpg", again / "现场.jpg")
    (folder / "空白1.txt").write_bytes(b"")
    (folder / "空白2.txt").write_bytes(b"")  # two empty files are no one document
    link(archive, "1.2", [str(folder)])
    scan(archive)
    return folder


def test_the_window_names_each_copy_where_the_other_is(qtbot, archive, copied):
    from ui.workspace.evidence_model import PROBLEM, EvidenceModel, evidence_rows

    rows = {(Path(r.path).parent.name, Path(r.path).name): r.same_as for r in evidence_rows(archive, ["1.2"])}
    assert rows[("1.2 工作方案", "通知.pdf")] == "内容重复，另见“通知(1).pdf”（1.2 工作方案/单位报送）"
    assert rows[("单位报送", "通知(1).pdf")] == "内容重复，另见“通知.pdf”（1.2 工作方案）"
    assert rows[("1.2 工作方案", "现场.jpg")] == "内容重复，另见 1.2 工作方案/单位报送"  # same name: its folder
    assert rows[("单位报送", "现场.jpg")] == "内容重复，另见 1.2 工作方案"
    assert rows[("1.2 工作方案", "创建工作方案.txt")] == rows[("1.2 工作方案", "空白1.txt")] == ""
    model = EvidenceModel()
    model.set_rows(evidence_rows(archive, ["1.2"]))
    shown = {model.index(r, 0).data(): model.index(r, PROBLEM).data() for r in range(model.rowCount())}
    assert shown["通知(1).pdf"].startswith("内容重复") and shown["创建工作方案.txt"] == ""


@pytest.mark.cjk_font
def test_the_pdf_attaches_the_content_once_and_lists_both(archive, copied, tmp_path):
    plan = [line for line in plan_export(archive, "pdf", options()).lines() if "内容相同" in line]
    assert plan == ["2 个文件与同一评价项目下的另一个文件内容相同，原文只附入一次，目录备注中注明（不需要的一份可在"
                    "文件表中右键标为“不列入汇编”）：1.2-004（同 1.2-002）、1.2-007（同 1.2-003）"]
    out = tmp_path / "送审.pdf"
    export(archive, "pdf", out, options())
    text = "".join(page_texts(out))
    assert text.count(COPY_TEXT.format(1)) == 1 and text.count(COPY_TEXT.format(2)) == 1
    marks = flat_outline(out)
    assert [title for title in marks if "通知" in title] == ["1.2-003 通知(1)"]  # the first in the catalogue, once
    flat = "".join(text.split())
    assert "同1.2-002" in flat and "同1.2-003" in flat
    left_out = flat.split("未附入材料说明以下", 1)[1].split("备考表")[0]  # the empty files, not the copies
    assert "空白1" in left_out and "通知" not in left_out and "现场" not in left_out


@pytest.mark.cjk_font
def test_word_embeds_the_photo_once_and_the_package_copies_both(archive, copied, tmp_path):
    out = tmp_path / "汇编.docx"
    export(archive, "docx", out, options())
    remarks = catalogue_remarks(out)
    assert remarks["通知"] == "同 1.2-003" and remarks["通知(1)"] == ""
    assert len(docx.Document(str(out)).inline_shapes) == 1  # the photo, once
    package = tmp_path / "移交包.zip"
    export(archive, "zip", package, options())
    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
        catalogue = next(name for name in names if name.endswith(".xlsx") and "目录" in name)
        zf.extract(catalogue, tmp_path / "unpacked")
    assert sum(name.endswith(".jpg") for name in names) == 2 and sum(name.endswith(".pdf") for name in names) >= 2
    cells = [str(cell) for sheet in load_workbook(tmp_path / "unpacked" / catalogue).worksheets
             for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "同 1.2-002" in cells and "同 1.2-003" in cells


@pytest.mark.cjk_font
def test_a_stage_rebuilt_attaches_the_content_once_too(archive, copied, tmp_path):
    from stages.freeze import freeze
    from stages.rebuild import rebuild

    freeze(archive, "自查自评")
    out = tmp_path / "重建.pdf"
    rebuild(archive, "自查自评", "pdf", out)
    text = "".join(page_texts(out))
    assert text.count(COPY_TEXT.format(1)) == 1 and "同1.2-003" in "".join(text.split())
