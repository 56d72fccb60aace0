"""Files the project did not make itself (tests/foreign_corpus.py) through the whole command line: scan, the Word
and PDF dossiers, the handover package and every report. Each job must finish (exit 0, no traceback), each output
must parse back, every file that can be included must be, and every file that cannot must be named in its 备注."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader

from cli.run import run
from conftest import small_catalogue
from criteria.yamlio import save_yaml
from tests.export_helpers import catalogue_remarks
from tests.foreign_corpus import KINDS, Sample, libreoffice_samples, samples

IMAGE_KINDS = ("jpeg", "png", "gif", "tiff", "webp", "bmp", "heic")
CONVERTER = shutil.which("soffice") or shutil.which("libreoffice")


class Cli:
    def __init__(self, capsys):
        self.capsys = capsys

    def __call__(self, *args) -> str:
        argv = [str(a) for a in args]
        code = run(argv)
        out, err = self.capsys.readouterr()
        assert code == 0, (argv, out[-2000:], err[-2000:])
        assert "Traceback" not in out + err
        return out


def expected_remark(sample: Sample, fmt: str) -> str | None:
    """The word the file's 备注 must show in this output, or None when the file must be included."""
    if sample.why is None:
        return None
    if sample.where == "scan" or (sample.where == "image" and fmt in ("docx", "pdf")):
        return sample.why
    if sample.where == "pdf" and fmt == "pdf":
        if sample.why == "LibreOffice" and CONVERTER:
            return "" if sample.name.endswith(("docx", "xlsx")) else "转换"  # converted, or says it did not
        return sample.why
    return None


def package_rows(path: Path) -> tuple[dict[str, str], list[str]]:
    """题名 -> 备注 from the package's Excel catalogue, and the manifest's paths; checks every entry's CRC."""
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        manifest = package.read("manifest.sha256").decode("utf-8").splitlines()
        book = openpyxl.load_workbook(io.BytesIO(package.read("迎检资料目录.xlsx")), read_only=True)
    sheet = list(book["材料目录"].iter_rows(values_only=True))
    header = list(sheet[0])
    title, remark = header.index("题名"), header.index("备注")
    rows = {row[title]: row[remark] or "" for row in sheet[1:]}
    book.close()
    return rows, [line.split("  ", 1)[1] for line in manifest]


def pdf_pages_of(data: bytes) -> int:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    return len(reader.pages)


def check_rows(rows: dict[str, str], corpus: list[Sample], fmt: str) -> None:
    for sample in corpus:
        want = expected_remark(sample, fmt)
        got = rows[sample.title]
        if want is None:
            assert got == "", (fmt, sample.name, got)
        else:
            assert want in got, (fmt, sample.name, got)


def run_everything(cli: Cli, corpus: list[Sample], tmp_path: Path, kind: str) -> None:
    evidence = tmp_path / "证明材料"
    evidence.mkdir(parents=True)
    for sample in corpus:
        (evidence / sample.name).write_bytes(sample.data)
    archive, out = tmp_path / "档案.rrdb", tmp_path / "尚不存在的输出" / kind
    criteria = tmp_path / "评价细则.yaml"
    save_yaml(small_catalogue(), criteria)
    cli("new", archive, "--criteria", criteria, "--title", "某某县")
    cli("link", archive, "1.1", evidence)
    scanned = json.loads(cli("scan", archive, "--json"))
    assert scanned["files"] == len(corpus)
    found = {Path(p["path"]).name for p in scanned["problems"]}
    assert found == {s.name for s in corpus if s.why and s.where == "scan"}

    cli("export", archive, "--out", out / "汇编.docx")
    check_rows(catalogue_remarks(out / "汇编.docx"), corpus, "docx")
    if kind in IMAGE_KINDS:
        embedded = len(docx.Document(str(out / "汇编.docx")).inline_shapes)
        assert embedded == pictures(corpus)

    cli("export", archive, "--out", out / "汇编.pdf")
    check_pdf(out / "汇编.pdf", corpus, kind)

    cli("export", archive, "--out", out / "移交包.zip")
    rows, copied = package_rows(out / "移交包.zip")
    check_rows(rows, corpus, "zip")
    assert len(copied) == len(corpus) + 3  # every file (one with a problem too, as it is), catalogues, 校验清单

    cli("report", archive, "selfcheck", "--out", out / "自评报告.docx")
    cli("report", archive, "bulletin", "--out", out / "通报.pdf")
    cli("report", archive, "ledger", "--out", out / "台账.xlsx")
    cli("report", archive, "tasks", "--out", out / "任务清单")
    docx.Document(str(out / "自评报告.docx"))
    assert len(PdfReader(str(out / "通报.pdf")).pages) >= 1
    openpyxl.load_workbook(str(out / "台账.xlsx"), read_only=True).close()
    assert [docx.Document(str(p)) for p in (out / "任务清单").glob("*.docx")]


def pictures(corpus: list[Sample]) -> int:
    """The pictures the dossiers embed: one a readable image, one a page of a multi-page TIFF (a fax, a scan)."""
    count = 0
    for sample in corpus:
        if sample.why is None:
            with Image.open(io.BytesIO(sample.data)) as im:
                count += getattr(im, "n_frames", 1) if im.format == "TIFF" else 1
    return count


def check_pdf(path: Path, corpus: list[Sample], kind: str) -> None:
    """Attached pages exactly those of the readable PDFs (each carries the caption 附件 …（第 i/n 页）); images
    embedded exactly those readable; every problem's title and remark in the text (the remark as often as files
    have it: the row-level checks are the Word and Excel catalogues', which name the same problems)."""
    reader = PdfReader(str(path))
    text = "".join("".join((page.extract_text() or "").split()) for page in reader.pages)
    attached = len(re.findall(r"附件.*?（第\d+/\d+页）", text))  # not a picture's pages: 图片 …（第 i/n 页）
    readable_pdfs = [s for s in corpus if s.name.endswith(".pdf") and expected_remark(s, "pdf") is None]
    if kind in ("office", "libreoffice") and CONVERTER:
        assert attached > 0  # converted Office files: their page count is LibreOffice's
    else:
        assert attached == sum(pdf_pages_of(s.data) for s in readable_pdfs)
    if kind in IMAGE_KINDS:
        assert sum(len(page.images) for page in reader.pages) == pictures(corpus)
    for sample in corpus:
        want = expected_remark(sample, "pdf")
        if want:
            assert "".join(sample.title.split()) in text, sample.name
            count = sum(1 for s in corpus if expected_remark(s, "pdf") == want)
            assert text.count("".join(want.split())) >= count, (sample.name, want)


@pytest.mark.parametrize("kind", [*KINDS, pytest.param("pdf_1000_pages", marks=pytest.mark.slow)])
def test_foreign_files_never_stop_a_job_and_every_problem_is_named(kind, tmp_path, capsys):
    run_everything(Cli(capsys), samples(kind), tmp_path, kind)


@pytest.mark.skipif(CONVERTER is None, reason="LibreOffice is not installed")
def test_files_libreoffice_wrote(tmp_path, capsys):
    corpus = libreoffice_samples(tmp_path / "libreoffice")
    assert corpus
    run_everything(Cli(capsys), corpus, tmp_path / "run", "libreoffice")
