"""A compressed archive in an evidence folder (a unit's materials as sent over WeChat, saved as they came) is not
material the review team can read: a problem at scan time saying to unpack it, counted as one; listed, never
attached, in the dossier, which says only "压缩包" to the review team. Office files and OFDs are zips too and are
not named so.

The .zip files come from Info-ZIP's `zip` (another writer than ours) where it is installed and from zipfile; .rar
and .7z files are their formats' signatures and headers (RAR 5, 7z 0.4), which is what the scan reads of them.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from export_helpers import catalogue_remarks, options

from archive.index.packed import PACKED_PROBLEM
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status
from exporters import export, plan_export

RAR5 = b"Rar!\x1a\x07\x01\x00" + bytes.fromhex("33 92 b5 e5 0a 01 05 06 00 05 01 01 80 80 00")
SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24)


def _zip_of(folder, name: str) -> None:
    """A zip of two notices, by Info-ZIP as a clerk's tools write one, else by zipfile."""
    source = folder.parent / "待压缩"
    source.mkdir()
    (source / "通知.txt").write_text("关于开展食品安全检查的通知", encoding="utf-8")
    (source / "台账.csv").write_text("日期,检查户数\n2024-05-01,12\n", encoding="utf-8")
    if shutil.which("zip"):
        subprocess.run(["zip", "-q", "-r", str(folder / name), "."], cwd=source, check=True)
    else:
        with zipfile.ZipFile(folder / name, "w") as packed:
            for path in source.iterdir():
                packed.write(path, path.name)
    shutil.rmtree(source)


def test_compressed_archives_are_problems_and_listed_not_attached(archive, evidence, tmp_path):
    folder = evidence / "1.2 工作方案"
    _zip_of(folder, "县市场监管局创建材料.zip")
    (folder / "乡镇材料.rar").write_bytes(RAR5 + bytes(200))
    (folder / "照片.7z").write_bytes(SEVEN_ZIP + bytes(200))
    (folder / "空的.zip").write_bytes(b"")  # its graver problem stands
    document = Document()
    document.add_paragraph("创建工作方案")
    document.save(folder / "工作方案.docx")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    rows = {path.rsplit("/", 1)[1]: (kind, problem) for path, kind, problem in archive.conn.execute(
        "SELECT path, type, problem FROM files WHERE path LIKE ?", (f"{folder}%",))}
    assert rows["县市场监管局创建材料.zip"] == ("zip", PACKED_PROBLEM)
    assert rows["乡镇材料.rar"] == ("rar", PACKED_PROBLEM) and rows["照片.7z"] == ("7z", PACKED_PROBLEM)
    assert rows["空的.zip"] == ("zip", "空文件（0 字节）")
    assert rows["工作方案.docx"] == ("docx", None)  # a zip by its bytes, a document by what it holds
    assert next(s for s in compute_status(archive) if s.code == "1.2").problems == 4
    problem_line = next(line for line in plan_export(archive, "pdf", options(codes=["1.2"])).lines()
                        if "有问题的文件" in line)
    assert problem_line.startswith("4 个有问题的文件") and "县市场监管局创建材料" in problem_line
    copied = plan_export(archive, "zip", options(codes=["1.2"])).lines()[1]
    assert "无法复制" not in copied  # the handover package carries them, as they are
    out = tmp_path / "汇编.docx"
    export(archive, "docx", out, options())
    remarks = catalogue_remarks(out)  # to the review team: what it is, no instruction
    assert remarks["县市场监管局创建材料"] == remarks["乡镇材料"] == remarks["照片"] == "压缩包"
    assert "解压" not in "".join(remarks.values())


@pytest.mark.cjk_font
def test_the_review_pdf_names_a_compressed_archive_without_the_offices_instruction(archive, evidence, tmp_path):
    from pypdf import PdfReader

    folder = evidence / "1.2 工作方案"
    _zip_of(folder, "县市场监管局创建材料.zip")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    out = tmp_path / "汇编.pdf"
    export(archive, "pdf", out, options(codes=["1.2"]))
    text = "".join(page.extract_text() for page in PdfReader(out).pages).replace("\n", "")
    assert "未附入材料说明" in text and "ZIP压缩包" in text.replace(" ", "")  # 类型 ZIP, 原因 压缩包
    assert "解压" not in text


def test_compressed_archives_an_earlier_version_indexed_are_named_by_the_next_scan(archive, evidence):
    folder = evidence / "1.2 工作方案"
    _zip_of(folder, "材料.zip")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    with archive.atomic():  # as a version before this one left it: no problem
        archive.conn.execute("UPDATE files SET problem = NULL WHERE type = 'zip'")
    result = scan(archive)  # nothing changed on disk
    assert archive.conn.execute("SELECT problem FROM files WHERE type = 'zip'").fetchone() == (PACKED_PROBLEM,)
    assert (result.added, result.modified) == (0, 0)
