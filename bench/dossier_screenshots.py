"""Screenshots of the PDF dossier for the README, rendered from a real export of the demo archive. Run by hand:

    python bench/dossier_screenshots.py [--out docs] [--dpi 70]

Builds the demo (archive/demo.py) in a temp folder, adds a rapid-test ledger workbook (12 columns, 60 rows) and the six
caption elements of two photos (through `main.py meta`, as a clerk would type them), exports the 送审版 PDF (Office
files converted where LibreOffice is installed) and renders with pdftoppm: the cover, the 目录, a criterion's first
page, a photo sheet and a converted spreadsheet page, as docs/dossier_*.png. Look at the images afterwards: Chinese
must render, nothing drawn beyond the margins, captions whole.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

PHOTO_FIELDS = (("--subject", "食品安全宣传周现场咨询活动"), ("--time", "2024-06-12 09:30"),
                ("--place", "县城中心广场"), ("--people", "县市场监管局张某某、李某某及群众约200人"),
                ("--background", "宣传展板与咨询台"), ("--photographer", "王某某"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO / "docs"))
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rr-dossier-shots-"))
    try:
        pdf = make_dossier(work)
        shoot(pdf, Path(args.out), args.dpi)
    except Exception:
        print(f"the dossier is kept for a look: {work}")
        raise
    else:
        shutil.rmtree(work, ignore_errors=True)


def make_dossier(work: Path) -> Path:
    from archive.db import open_archive
    from archive.demo import make_demo
    from archive.index.scan import scan
    from exporters import ExportOptions, export

    archive_path = make_demo(work / "demo")
    evidence = work / "demo" / "证明材料"
    ledger_folder = next(p for p in evidence.rglob("*") if p.is_dir() and p.name.startswith("2.1 "))
    ledger(ledger_folder / "2.1-9 农产品快检工作台账.xlsx")
    with open_archive(archive_path) as archive:
        scan(archive)
    for photo in sorted(evidence.rglob("*.jpg"))[:2]:
        subprocess.run([sys.executable, str(REPO / "main.py"), "meta", str(archive_path), str(photo),
                        *[part for pair in PHOTO_FIELDS for part in pair]], check=True, capture_output=True)
    pdf = work / "汇编.pdf"
    with open_archive(archive_path) as archive:
        result = export(archive, "pdf", pdf, ExportOptions(stage="省级初评", compiler="示例县食品安全委员会办公室"))
    for warning in result.warnings:
        print("注意：", warning)
    return pdf


LEDGER = (("序号", 6), ("检测日期", 11), ("市场名称", 14), ("经营户", 10), ("样品名称", 10), ("样品来源", 14),
          ("检测项目", 16), ("检测方法", 12), ("检测结果", 9), ("处置情况", 14), ("检测人员", 9), ("复核人员", 9))


def ledger(path: Path, rows: int = 60) -> None:
    """A market's rapid-test ledger as clerks keep it: 12 columns, wider than a portrait page, no print setup."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "快检台账"
    sheet.append([name for name, _ in LEDGER])
    for number, (_, width) in enumerate(LEDGER, start=1):
        sheet.column_dimensions[sheet.cell(1, number).column_letter].width = width
    samples = ("小白菜", "豇豆", "韭菜", "芹菜", "猪肉", "草鱼", "鸡蛋", "豆芽")
    for n in range(1, rows + 1):
        sheet.append([n, f"2024-05-{n % 28 + 1:02d}", "城关农贸市场", f"摊位{n % 17 + 1:02d}", samples[n % 8],
                      "本县蔬菜基地" if n % 3 else "外县批发市场", "有机磷和氨基甲酸酯类农药", "胶体金快检",
                      "合格" if n % 23 else "不合格", "—" if n % 23 else "下架销毁并送检复核", "李某某", "王某某"])
    sheet.freeze_panes = "A2"
    book.save(path)


def shoot(pdf: Path, out: Path, dpi: int) -> None:
    from export_helpers import flat_outline
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    marks = flat_outline(pdf)
    toc = marks["目录"][1]
    criterion = next(page for title, (depth, page) in marks.items() if depth == 1 and "佐证材料目录" in texts[page - 1])
    photo = next(n for n, text in enumerate(texts, 1) if "摄影者" in text and "食品安全宣传周" in text)
    sheet = next(n for n, text in enumerate(texts, 1) if "农产品快检工作台账" in text and "复核人员" in text)
    for name, page in (("cover", 1), ("toc", toc), ("criterion", criterion), ("photos", photo),
                       ("spreadsheet", sheet)):
        target = out / f"dossier_{name}"
        resolution = dpi * 3 // 2 if name == "spreadsheet" else dpi  # a sheet's small print stays legible
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf), str(target)], check=True)
        print(f"{target}.png: page {page} of {len(texts)}")


if __name__ == "__main__":
    main()
