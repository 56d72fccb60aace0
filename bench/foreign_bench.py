"""400 foreign files through every export: does every format finish, and is every unreadable file named in 备注?

    python bench/foreign_bench.py [--work /tmp/rr-foreign] [--files 400]

The corpus cycles through every sample of tests/foreign_corpus.py (JPEG, PNG, GIF, TIFF, WebP, BMP, HEIC, PDF,
Office; one 1,000-page PDF among them), each copy varied by name, spread over 20 folders linked to 20 criteria
of the built-in template. Each command runs as a clerk would start it, in its own process (`python main.py`):
the figure is its exit code and wall time, and the check is independent of the app's own code: the Word
dossier's rows read back with python-docx, the package's Excel catalogue with openpyxl, the PDF's text with
pypdf. A file is "unreadable" where the corpus says so (a broken stream, a truncated file, HEIC, an encrypted
PDF, a page that cannot be copied, an Office file with no converter for the PDF).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import docx  # noqa: E402
import openpyxl  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from tests.foreign_corpus import KINDS, Sample, samples  # noqa: E402
from tests.test_foreign_files import expected_remark  # noqa: E402

MAIN = str(REPO / "main.py")
CODES = ("1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4", "3.5",
         "4.1", "4.2", "4.3", "5.1.1", "5.2.1")


def build(root: Path, count: int) -> list[tuple[str, Sample]]:
    """(code, sample) for `count` files; the sample's name made unique by its number."""
    pool = [s for kind in KINDS for s in samples(kind)] + samples("pdf_1000_pages")
    made = []
    for number in range(count):
        base = pool[number % len(pool)]
        code = CODES[number % len(CODES)]
        sample = Sample(f"{number:03d}-{base.name}", base.data, base.why, base.where)
        folder = root / f"{code} 材料"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / sample.name).write_bytes(sample.data)
        made.append((code, sample))
    return made


def main_py(*args) -> tuple[int, float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, MAIN, *map(str, args)], capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - started
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    return done.returncode, seconds, done.stdout + done.stderr


def docx_rows(path: Path) -> dict[str, str]:
    rows = {}
    for table in docx.Document(str(path)).tables:
        if [c.text for c in table.rows[0].cells][:2] == ["序号", "题名"]:
            rows.update({row.cells[1].text: row.cells[-1].text for row in table.rows[1:]})
    return rows


def zip_rows(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        book = openpyxl.load_workbook(io.BytesIO(package.read("迎检资料目录.xlsx")), read_only=True)
    rows = list(book["材料目录"].iter_rows(values_only=True))
    title, remark = rows[0].index("题名"), rows[0].index("备注")
    return {row[title]: row[remark] or "" for row in rows[1:]}


def pdf_rows(path: Path, corpus: list[Sample]) -> dict[str, str]:
    """题名 -> the text from the title to the next row's number: the row's cells, 备注 last (whitespace removed)."""
    text = "".join("".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)
    rows = {}
    for sample in corpus:
        title = "".join(sample.title.split())
        at = text.find(title)
        if at >= 0:
            end = re.search(r"\d+\.\d+-\d{3}|附件|本项", text[at + len(title):])
            rows[sample.title] = text[at + len(title):at + len(title) + (end.start() if end else 200)]
    return rows


def check(rows: dict[str, str], corpus: list[Sample], fmt: str) -> tuple[int, int, list[str]]:
    """(unreadable files, of them named with their reason, files wrongly marked or missing)."""
    unreadable = named = 0
    wrong = []
    for sample in corpus:
        want = expected_remark(sample, fmt)
        got = rows.get(sample.title)
        if got is None:
            wrong.append(f"{sample.name}: not listed")
        elif want:
            unreadable += 1
            named += "".join(want.split()) in "".join(got.split())
        elif fmt != "pdf" and got:
            wrong.append(f"{sample.name}: {got}")
    return unreadable, named, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default="/tmp/rr-foreign")
    parser.add_argument("--files", type=int, default=400)
    args = parser.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    evidence, out, archive = work / "证明材料", work / "输出" / "新建", work / "档案.rrdb"
    made = build(evidence, args.files)
    corpus = [sample for _, sample in made]
    size = sum(len(s.data) for s in corpus)
    print(f"corpus: {len(corpus)} files, {size / 1e6:.1f} MB, {len({s.data for s in corpus})} distinct")
    main_py("new", archive, "--title", "某某县")
    for code in CODES:
        main_py("link", archive, code, evidence / f"{code} 材料")
    code, seconds, output = main_py("scan", archive, "--json")
    scanned = json.loads(output[output.index("{"):output.rindex("}") + 1])
    print(f"scan: exit {code}, {seconds:.1f} s, {scanned['files']} files, {len(scanned['problems'])} problems")
    results = []
    for fmt, name in (("docx", "汇编.docx"), ("pdf", "汇编.pdf"), ("zip", "移交包.zip")):
        code, seconds, _ = main_py("export", archive, "--out", out / name)
        reader = {"docx": docx_rows, "zip": zip_rows}.get(fmt)
        rows = reader(out / name) if reader else pdf_rows(out / name, corpus)
        unreadable, named, wrong = check(rows, corpus, fmt)
        size = (out / name).stat().st_size / 1e6
        results.append((fmt, code, seconds, size, unreadable, named, wrong))
        print(f"{fmt}: exit {code}, {seconds:.1f} s, {size:.1f} MB; unreadable {unreadable}, named in 备注 {named}; "
              f"wrongly marked or missing: {len(wrong)} {wrong[:3]}")
    for kind, target in (("selfcheck", "自评报告.docx"), ("bulletin", "通报.pdf"), ("ledger", "台账.xlsx"),
                         ("tasks", "任务清单")):
        code, seconds, _ = main_py("report", archive, kind, "--out", out / target)
        print(f"report {kind}: exit {code}, {seconds:.1f} s")
    ok = all(r[1] == 0 and r[4] == r[5] and not r[6] for r in results)
    print("every format finished and named every unreadable file" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
