"""Export as a job: progress, cooperative cancel and failure leave no file behind; Office conversion and the plan."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest
from docx import Document
from export_helpers import cjk_pdf, flat_outline, options, page_texts, populate
from pypdf import PdfReader

import exporters.pdf_writer as pdf_writer
from archive.index.scan import scan
from common.errors import Cancelled, UserError
from conftest import tree_snapshot
from exporters import export, plan_export

pytestmark = pytest.mark.cjk_font  # the evidence (export_helpers.populate) has a PDF drawn in a CJK font


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


class Counter:
    """A cancel check that says stop at its n-th call (never, when n is None), counting calls."""

    def __init__(self, stop_at: int | None = None):
        self.calls, self.stop_at = 0, stop_at

    def __call__(self) -> bool:
        self.calls += 1
        return self.stop_at is not None and self.calls >= self.stop_at


@pytest.mark.parametrize("fmt", ["pdf", "docx", "zip"])
def test_cancel_at_any_point_leaves_no_file_and_keeps_the_old_one(archive, evidence, tmp_path, fmt):
    populate(archive, evidence)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"汇编.{fmt}"
    counter = Counter()
    seen: list[tuple[float, str]] = []
    export(archive, fmt, target, options(), progress=lambda f, m: seen.append((f, m)), cancel=counter)
    fractions = [f for f, _ in seen]
    assert seen[-1] == (1.0, "导出完成") and all(0 <= f <= 1 for f in fractions)
    assert fractions == sorted(fractions)
    total = counter.calls
    target.write_bytes(b"the previous export")
    for stop_at in (1, total // 3, 2 * total // 3, total):
        with pytest.raises(Cancelled):
            export(archive, fmt, target, options(), cancel=Counter(stop_at))
        assert target.read_bytes() == b"the previous export", stop_at
        assert _leftovers(out) == [] and sorted(p.name for p in out.iterdir()) == [target.name]


def test_a_failure_midway_leaves_no_partial_file(archive, evidence, tmp_path, monkeypatch):
    populate(archive, evidence)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf_writer, "merge", broken)
    with pytest.raises(UserError, match="磁盘空间不足"):
        export(archive, "pdf", tmp_path / "x.pdf", options())
    assert not (tmp_path / "x.pdf").exists() and _leftovers(tmp_path) == []


def test_refuses_to_write_into_an_evidence_folder(archive, evidence, tmp_path):
    populate(archive, evidence)
    before = tree_snapshot(evidence)
    with pytest.raises(UserError, match="证明材料文件夹"):
        export(archive, "pdf", evidence / "1.1 领导小组" / "汇编.pdf", options())
    with pytest.raises(UserError, match=r"\.docx"):
        export(archive, "docx", tmp_path / "汇编.pdf", options())
    assert tree_snapshot(evidence) == before


def _office_evidence(evidence):
    document = Document()
    document.add_paragraph("真实转换的办公文件正文")
    document.save(evidence / "1.2 工作方案" / "实施方案.docx")


def _fake_soffice(folder, converted_pdf) -> tuple[str, str]:
    """A stand-in LibreOffice on PATH: copies a prepared PDF for each input and logs what it was given."""
    log = folder / "calls.jsonl"
    script = folder / "soffice"
    script.write_text(
        f"#!{sys.executable}\nimport json, os, shutil, sys\n"
        "args = sys.argv[1:]\nout = args[args.index('--outdir') + 1]\ninputs = args[args.index('--outdir') + 2:]\n"
        "for path in inputs:\n"
        f"    shutil.copyfile({str(converted_pdf)!r}, os.path.join(out, os.path.splitext(os.path.basename(path))[0]"
        " + '.pdf'))\n"
        f"with open({str(log)!r}, 'a') as handle:\n"
        "    handle.write(json.dumps({'inputs': inputs, 'fontconfig': os.environ.get('FONTCONFIG_FILE')}) + '\\n')\n",
        encoding="utf-8")
    script.chmod(0o755)
    return str(folder), str(log)


def test_office_files_are_converted_from_copies_with_a_converter(archive, evidence, tmp_path, monkeypatch):
    _office_evidence(evidence)
    converted = tmp_path / "converted.pdf"
    converted.write_bytes(cjk_pdf(2, "转换后的办公文件第{}页"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    path_entry, log = _fake_soffice(bin_dir, converted)
    monkeypatch.setenv("PATH", path_entry)
    populate(archive, evidence)
    before = tree_snapshot(evidence)
    assert "1 个 Office 文件将用 LibreOffice 转换为 PDF 附入" in plan_export(archive, "pdf", options()).lines()
    target = tmp_path / "汇编.pdf"
    export(archive, "pdf", target, options())
    assert tree_snapshot(evidence) == before
    with open(log, encoding="utf-8") as handle:
        calls = [json.loads(line) for line in handle]
    inputs = [path for call in calls for path in call["inputs"]]
    assert len(inputs) == 1 and not inputs[0].startswith(str(evidence)) and inputs[0].endswith(".docx")
    assert calls[0]["fontconfig"] and not os.path.exists(calls[0]["fontconfig"])  # temp folder cleaned up
    assert "转换后的办公文件第2页" in "".join(page_texts(target))
    assert any(title.endswith(" 实施方案") for title in flat_outline(target))


def test_without_a_converter_office_files_are_listed_and_the_user_told(archive, evidence, tmp_path, monkeypatch):
    _office_evidence(evidence)
    populate(archive, evidence)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice here
    lines = plan_export(archive, "pdf", options()).lines()
    assert "未安装 LibreOffice 或 Microsoft Word：1 个 Office 文件只列入目录" in lines
    target = tmp_path / "汇编.pdf"
    export(archive, "pdf", target, options())
    text = "".join("".join(page_texts(target)).split())
    assert "实施方案" in text and "未安装LibreOffice或MicrosoftWord，只列入目录" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_real_libreoffice_conversion(archive, evidence, tmp_path):
    _office_evidence(evidence)
    populate(archive, evidence)
    scan(archive)
    target = tmp_path / "汇编.pdf"
    export(archive, "pdf", target, options())
    assert "真实转换的办公文件正文" in "".join(page_texts(target))
    assert len(PdfReader(str(target)).pages) > 10
