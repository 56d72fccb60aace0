"""Finding the evidence, measured: suggestion accuracy on the messy tree, text extraction time, and the index size and
query time at 50,000 files.

    python bench/search_bench.py [--seeds 5] [--files 2000] [--index-files 50000] [--keep]

1. Suggestions: tests/messy_tree.py builds a realistic tree (folders named by unit and topic, notices, ledgers,
   reports, banner photos, sign-in sheets) per seed; top-1 and top-3 accuracy over its topic folders.
2. Extraction: --files real Office/PDF files (40% PDF, 30% Word, 20% Excel, 10% PowerPoint, Chinese text from the
   template's rules, each different) read by `update_texts` on two worker processes; seconds per 1,000 files.
3. Index: --index-files files' worth of text (pages of template sentences, ledgers; about as much text as real
   notices and ledgers) stored through `store`, then the archive's size and each query's time (median of 20, worst).
4. The window while the background reader extracts --files documents: gaps of a 10 ms timer on the UI thread.
5. OCR (when requirements-ocr.txt is installed): four rendered images (banners, a sign-in sheet, a notice scan).
Corpora are made under /tmp and deleted unless --keep. The machine's load (`uptime`) is printed with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.catalogue import store_catalogue  # noqa: E402
from archive.db import create_archive, now  # noqa: E402
from archive.index.scan import scan  # noqa: E402
from archive.links import link  # noqa: E402
from bench.timing import gap_summary, load, ui_gaps  # noqa: E402
from criteria.template import load_template  # noqa: E402
from search.extract import Extracted  # noqa: E402
from search.query import search  # noqa: E402
from search.suggest import suggest  # noqa: E402
from search.texts import store, update_texts  # noqa: E402
from tests.messy_tree import build_tree  # noqa: E402
from tests.search_support import pdf_bytes, write_docx, write_pptx, write_xlsx  # noqa: E402

QUERIES = ("农贸市场快检室", "台账", "明厨亮灶 校长", "食品安全", "陪", "应急演练 记录", "承诺达标合格证", "鳖甲")


def sentences() -> list[str]:
    out = []
    for crit in load_template().criteria:
        for text in (crit.rule, crit.evidence, crit.title):
            out.extend(s for s in text.replace("；", "。").split("。") if len(s) > 4)
    return out


def bench_suggestions(seeds: int, base: Path) -> None:
    results = []
    for seed in range(1, seeds + 1):
        root = base / f"seed{seed}" / "证明材料"
        folders = build_tree(root, seed=seed)
        archive = create_archive(base / f"seed{seed}.rrdb", "bench")
        store_catalogue(archive, load_template())
        started = time.perf_counter()
        report = suggest(archive, [str(root)])
        seconds = time.perf_counter() - started
        by_path = {c.path: [s.code for s in c.suggestions] for c in report.candidates}
        top1 = sum(by_path.get(str(f.path), [None])[0] == f.code for f in folders) / len(folders)
        top3 = sum(f.code in by_path.get(str(f.path), []) for f in folders) / len(folders)
        chosen = sorted(by_path) == sorted(str(f.path) for f in folders)
        results.append((top1, top3))
        print(f"  seed {seed}: {len(folders)} folders, top-1 {top1:.0%}, top-3 {top3:.0%}, "
              f"folders chosen exactly: {chosen}, {seconds:.2f} s")
        archive.close()
    print(f"suggestions: top-1 {statistics.mean(r[0] for r in results):.1%}, "
          f"top-3 {statistics.mean(r[1] for r in results):.1%} (targets 60% / 80%)")


def make_documents(root: Path, count: int) -> None:
    rng = random.Random(5)
    pool = sentences()
    kinds = ["pdf"] * 4 + ["docx"] * 3 + ["xlsx"] * 2 + ["pptx"]
    for serial in range(count):
        kind = kinds[serial % len(kinds)]
        folder = root / f"单位{serial % 20}" / f"专题{serial % 100}"
        lines = [f"材料编号 {serial}", *rng.sample(pool, 6)]
        path = folder / f"材料{serial:06d}.{kind}"
        if kind == "pdf":
            folder.mkdir(parents=True, exist_ok=True)
            pages = ["\n".join(line[:36] for line in lines[n::2]) for n in range(2)]
            path.write_bytes(pdf_bytes(pages))
        elif kind == "docx":
            write_docx(path, lines)
        elif kind == "xlsx":
            rows = [[n, f"2024-{1 + n % 12:02d}-01", rng.choice(pool)[:20], "合格"] for n in range(30)]
            write_xlsx(path, {"台账": [["序号", "日期", "事项", "结果"], *rows]})
        else:
            write_pptx(path, [lines[:3], lines[3:]])


def bench_extraction(files: int, base: Path) -> None:
    root = base / "docs"
    started = time.perf_counter()
    make_documents(root, files)
    print(f"  made {files} documents in {time.perf_counter() - started:.0f} s")
    archive = create_archive(base / "extract.rrdb", "bench")
    store_catalogue(archive, load_template())
    link(archive, "1.1", [str(root)])
    scan(archive)
    started = time.perf_counter()
    report = update_texts(archive, workers=2)
    seconds = time.perf_counter() - started
    per_thousand = seconds / files * 1000
    print(f"extraction: {report.read} files ({report.text} with text, {report.failed} failed) in {seconds:.1f} s on "
          f"2 worker processes: {per_thousand:.1f} s per 1,000 files, {per_thousand * 50 / 60:.1f} min for 50,000 "
          f"(target 5 min); load: {load()}")
    archive.close()


def synthetic_pages(rng: random.Random, pool: list[str], serial: int) -> Extracted:
    """About what a notice, a ledger or a report holds: 1-3 pages of 400-900 characters."""
    pages = []
    for page in range(1, rng.choice((1, 1, 2, 3)) + 1):
        body = f"编号{serial} " + "。".join(rng.sample(pool, rng.randint(8, 18)))
        pages.append((page, body))
    return Extracted(pages=pages)


def bench_index(count: int, base: Path) -> None:
    rng = random.Random(9)
    pool = sentences() + [f"{u}{t}" for u in ("城东", "城西", "南关", "北街") for t in ("农贸市场快检室", "学校食堂")]
    path = base / "index.rrdb"
    archive = create_archive(path, "bench")
    store_catalogue(archive, load_template())
    root = str(base / "evidence")
    os.makedirs(root, exist_ok=True)
    link(archive, "2.4", [root])
    rows, batch = [], []
    started = time.perf_counter()
    for serial in range(count):
        sha = hashlib.sha256(str(serial).encode()).hexdigest()
        rows.append((f"{root}/单位{serial % 20}/专题{serial % 1000}/材料{serial:06d}.pdf", 1000, 0, sha, "pdf",
                     now(), now()))
        batch.append((sha, synthetic_pages(rng, pool, serial), "text"))
        if len(batch) == 2000:
            store(archive, batch)
            batch = []
    if batch:
        store(archive, batch)
    with archive.atomic():
        archive.conn.executemany("INSERT INTO files (path, size, mtime_ns, sha256, type, first_seen, last_changed) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    stored = time.perf_counter() - started
    chars = archive.conn.execute("SELECT SUM(chars), SUM(pages) FROM text_docs").fetchone()
    archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(path)
    print(f"index: {count} files, {chars[1]} pages, {chars[0] / 1e6:.1f} M characters stored in {stored:.0f} s; "
          f"archive {size / 1e6:.0f} MB ({size / max(1, chars[0] * 3):.1f}x the text as UTF-8)")
    for query in QUERIES:
        times, hits = [], 0
        for _ in range(20):
            started = time.perf_counter()
            hits = len(search(archive.conn, query))
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {query!r:>16}: {hits:3d} hits (200 at most), median {statistics.median(times):6.1f} ms, "
              f"worst {max(times):6.1f} ms")
    print(f"  load: {load()}")
    archive.close()


def bench_ui(files: int, base: Path) -> None:
    """The window while the background reader extracts `files` documents: gaps of a 10 ms timer on the UI thread."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["REVIEWREADY_CONFIG_DIR"] = str(base / "config")
    os.environ["REVIEWREADY_DATA_DIR"] = str(base / "data")
    root = base / "ui-docs"
    make_documents(root, files)
    archive = create_archive(base / "ui.rrdb", "bench")
    store_catalogue(archive, load_template())
    link(archive, "1.1", [str(root)])
    scan(archive)
    archive.close()
    from ui.app import create_application
    from ui.common.settings import Settings
    from ui.window.main_window import MainWindow

    app = create_application([])
    window = MainWindow(Settings(), monitor=False)
    window.show()
    window.open_archive(str(base / "ui.rrdb"))
    indexer = window.search.indexer
    done = []
    indexer.idle.connect(lambda: done.append(True))
    seconds, gaps = ui_gaps(app, indexer.start, lambda: bool(done))
    stored = window.session.archive.conn.execute("SELECT COUNT(*) FROM text_docs").fetchone()[0]
    print(f"window during background extraction: {stored} files in {seconds:.1f} s; {gap_summary(gaps)}; "
          f"load: {load()}")
    window.close()


OCR_CASES = {
    "banner": (["创建国家食品安全示范城市", "共建共治共享 食品安全你我他"],
               {"size": 56, "fg": (255, 240, 0), "bg": (200, 0, 0)}),
    "banner photo, blurred, turned 3°": (["创建国家食品安全示范城市", "农贸市场快检室开放日"],
                                         {"size": 48, "fg": (255, 255, 255), "bg": (180, 20, 20), "blur": True,
                                          "rotate": 3}),
    "sign-in sheet": (["食品安全工作推进会签到表", "姓名 单位 职务 电话", "张三 县市场监管局 科员 13800000000",
                       "李四 县教育局 副局长 13900000000", "王五 城关镇 干事 13700000000"],
                      {"size": 30, "fg": (0, 0, 0), "bg": (255, 255, 255)}),
    "notice scan, blurred": (["关于开展校园食品安全专项检查的通知", "各学校：为落实学校食堂明厨亮灶工作，",
                              "现就有关事项通知如下。"], {"size": 34, "fg": (20, 20, 20), "bg": (238, 236, 230),
                                                    "blur": True}),
}


def render(lines: list[str], size: int, fg, bg, blur: bool = False, rotate: int = 0):
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    from archive.demo import find_cjk_font

    font = ImageFont.truetype(find_cjk_font(), size)
    image = Image.new("RGB", (1000, 80 + int(size * 1.7) * len(lines)), bg)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 40 + int(size * 1.7) * number), line, fill=fg, font=font)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(1.2))
    return image.rotate(rotate, expand=True, fillcolor=bg) if rotate else image


def bench_ocr(base: Path) -> None:
    import difflib

    from search import ocr

    if not ocr.available():
        print("OCR: not installed (python -m pip install -r requirements-ocr.txt)")
        return
    total = right = 0
    for name, (lines, style) in OCR_CASES.items():
        path = base / f"ocr-{len(name)}.png"
        render(lines, **style).save(path)
        started = time.perf_counter()
        got = "".join(text for _, text in ocr.extract_ocr(str(path), "png").pages).replace(" ", "").replace("\n", "")
        seconds = time.perf_counter() - started
        want = "".join(lines).replace(" ", "")
        matched = sum(block.size for block in difflib.SequenceMatcher(None, want, got).get_matching_blocks())
        total, right = total + len(want), right + matched
        print(f"  OCR {name}: {matched}/{len(want)} characters ({matched / len(want):.0%}) in {seconds:.2f} s")
    print(f"OCR: {right / total:.1%} of the characters; load: {load()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--index-files", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--only", choices=("suggest", "extract", "index", "ui", "ocr"))
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="rr-search-bench-"))
    print(f"corpus under {base}; load: {load()}")
    try:
        if args.only in (None, "suggest"):
            bench_suggestions(args.seeds, base)
        if args.only in (None, "extract"):
            bench_extraction(args.files, base)
        if args.only in (None, "index"):
            bench_index(args.index_files, base)
        if args.only in (None, "ui"):
            bench_ui(args.files, base)
        if args.only in (None, "ocr"):
            bench_ocr(base)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
