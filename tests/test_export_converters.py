"""Before an export starts, the plan says which Office types need a converter, which converter is installed and
what it cannot convert; the dossier then lists exactly those files once, in 未附入材料说明, with the reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from export_helpers import options, page_texts, populate
from openpyxl import Workbook

import exporters
import exporters.dossier_job
from exporters import export, plan_export
from exporters.office import Converter

pytestmark = pytest.mark.cjk_font
MAIN = str(Path(__file__).resolve().parent.parent / "main.py")
WORD_ONLY = Converter("Microsoft Office", "com", word="Word.Application")  # Word installed, no Excel


def _office_files(folder: Path) -> None:
    document = Document()
    document.add_paragraph("实施方案正文")
    document.save(folder / "实施方案.docx")
    book = Workbook()
    book.active.append(["日期", "样品"])
    book.save(folder / "快检台账.xlsx")
    from pptx_stub import minimal_pptx

    (folder / "培训课件.pptx").write_bytes(minimal_pptx())


def _use(monkeypatch, converter) -> None:
    monkeypatch.setattr(exporters, "find_converter", lambda: converter)
    monkeypatch.setattr(exporters.dossier_job, "find_converter", lambda: converter)


def test_the_plan_names_the_types_a_converter_cannot_handle(archive, evidence, monkeypatch):
    _office_files(evidence / "1.2 工作方案")
    populate(archive, evidence)
    _use(monkeypatch, WORD_ONLY)
    lines = plan_export(archive, "pdf", options()).lines()
    assert "1 个 Office 文件将用 Microsoft Office 转换为 PDF 附入（DOCX 1 个）" in lines
    assert ("Microsoft Office 不能转换 PPTX 1 个、XLSX 1 个：这 2 个文件只列入目录，并列于“未附入材料说明”"
            "（安装 LibreOffice 可转换所有类型）") in lines
    _use(monkeypatch, Converter("LibreOffice", "/usr/bin/soffice"))
    lines = plan_export(archive, "pdf", options()).lines()
    assert "3 个 Office 文件将用 LibreOffice 转换为 PDF 附入（DOCX 1 个、PPTX 1 个、XLSX 1 个）" in lines
    assert not any("不能转换" in line for line in lines)
    assert not any("转换" in line for line in plan_export(archive, "docx", options()).lines())  # Word attaches none


def test_files_the_converter_cannot_handle_are_listed_once_with_the_reason(archive, evidence, tmp_path,
                                                                          monkeypatch):
    _office_files(evidence / "1.2 工作方案")
    populate(archive, evidence)
    _use(monkeypatch, WORD_ONLY)
    monkeypatch.setenv("PATH", str(tmp_path))  # no powershell either: the Word file does not convert here
    target = tmp_path / "汇编.pdf"
    result = export(archive, "pdf", target, options())
    text = "".join("".join(page_texts(target)).split())
    section = text[text.index("未附入材料说明以下"):]
    assert "培训课件PPTXMicrosoftOffice不能转换PPTX文件，只列入目录" in section
    assert "快检台账XLSXMicrosoftOffice不能转换XLSX文件，只列入目录" in section
    assert not any("PPTX" in warning for warning in result.warnings)  # said in the plan, not again as a surprise


def test_the_command_line_says_it_before_the_export_starts(archive, evidence, tmp_path):
    _office_files(evidence / "1.2 工作方案")
    populate(archive, evidence)
    env = dict(os.environ, PATH=str(tmp_path))  # no converter on PATH
    done = subprocess.run([sys.executable, MAIN, "export", archive.path, "--out", tmp_path / "汇编.pdf"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    line = ("需要转换的 Office 文件 3 个（DOCX 1 个、PPTX 1 个、XLSX 1 个）：未安装 LibreOffice、Microsoft Office "
            "或 WPS Office，只列入目录")
    assert line in out and out.index(line) < out.index("已导出：")
