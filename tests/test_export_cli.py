"""`python main.py export ...` as a real process, and a 300-criterion archive exported in both formats."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from export_helpers import flat_outline, options, page_texts, populate

from archive.catalogue import load_catalogue
from bench.export_data import make_archive
from exporters import export
from exporters.build_criterion import labelled

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


def cli(*args, code: int = 0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, MAIN, *map(str, args)], capture_output=True, text=True, timeout=180)
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


@pytest.mark.cjk_font
@pytest.mark.slow
def test_export_commands(archive, evidence, tmp_path):
    populate(archive, evidence)
    pdf = tmp_path / "汇编.pdf"
    done = cli("export", archive.path, "--format", "pdf", "--out", pdf, "--stage", "省级初评", "--codes", "1.1,2.1")
    assert "附入 2 个 PDF 文件" in done.stdout and "PDF 字体：" in done.stdout and f"已导出：{pdf}" in done.stdout
    marks = flat_outline(pdf)
    # exported without their parts: cited with them, "（一）" alone names no item
    assert "一（一）成立创建工作领导小组" in marks and "二（一）农药兽药残留治理提升行动" in marks
    assert "1.农残快检台账" in marks and not any("制定创建工作方案" in mark for mark in marks)
    assert "（省级初评）" in page_texts(pdf)[0]
    docx = tmp_path / "目录.docx"
    cli("export", archive.path, "--out", docx, "--catalogue-only", "--since", "2000-01-01")
    assert any(p.text.startswith("附录二 变更记录") for p in Document(str(docx)).paragraphs)
    package = tmp_path / "移交.zip"
    cli("export", archive.path, "--format", "zip", "--out", package)
    assert "manifest.sha256" in zipfile.ZipFile(package).namelist()


@pytest.mark.cjk_font
@pytest.mark.slow
def test_export_user_errors_are_one_chinese_line(archive, evidence, tmp_path):
    populate(archive, evidence)
    for args, expected in [
        (("--out", tmp_path / "a.txt"), "无法从输出文件名判断格式"),
        (("--out", tmp_path / "a.pdf", "--codes", "9.9"), "没有编号 9.9"),
        (("--out", tmp_path / "a.pdf", "--font", tmp_path / "无.ttf"), "字体文件不存在"),
        (("--out", evidence / "1.2 工作方案" / "a.pdf"), "证明材料文件夹"),
        (("--out", tmp_path / "a.pdf", "--since", "上周"), "YYYY-MM-DD"),
    ]:
        done = cli("export", archive.path, *args, code=1)
        assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".part")) == []


@pytest.mark.cjk_font
@pytest.mark.slow
def test_three_hundred_criteria_in_both_formats(tmp_path):
    archive = make_archive(tmp_path / "大档案", criteria=300, files_per=1)
    codes = [row[0] for row in archive.conn.execute("SELECT code FROM criteria ORDER BY position")]
    assert len(codes) == 300
    pdf, docx = tmp_path / "大.pdf", tmp_path / "大.docx"
    export(archive, "pdf", pdf, options(catalogue_only=True))
    export(archive, "docx", docx, options(catalogue_only=True))
    shown = {labelled(c) for c in load_catalogue(archive).criteria}  # the catalogue's own printed labels
    assert len(shown) == 300 and shown <= set(flat_outline(pdf))
    headings = {p.text for p in Document(str(docx)).paragraphs if p.style.name.startswith("Heading")}
    assert shown <= headings
    archive.close()
