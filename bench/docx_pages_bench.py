"""Word dossier page numbers against LibreOffice's own layout: how many 目录 entries and photo 起止页 are off.

    python bench/docx_pages_bench.py [--dir DIR] [--criteria 60] [--files 20] [--shapes a,b,...]

Each shape is exported to .docx, converted to PDF by LibreOffice (soffice, bookmarks exported as named
destinations), and every bookmark the Word file names a page for is looked up in the PDF: the TOC field's PAGEREF
results (headings) and the 起止页 of photos in the 佐证材料目录. Printed per shape: entries compared, entries off,
the largest difference and the differences by size (LibreOffice's page minus the one Word names).
`word_vs_libreoffice` is shared with tests/test_docx_toc_pages.py.

Shapes: the export tests' dossier (review; internal; one photo a page with "— X —" numbers), long titles wrapping
with spreadsheets and long photo captions, a 160-row 佐证材料目录, boxes with a standard longer than a page, and a
generated catalogue (--criteria x --files; catalogue only).

Measured 2026-12-06, LibreOffice 7.4.7 (entries off, main -> this branch; in brackets entries, largest miss on
main): review 12 -> 0 (18, 1), internal with change log 0 -> 0 (22), one-photo-dash 12 -> 0 (18, 1),
long-titles-sheets 21 -> 0 (24, 1), long-table 13 -> 0 (18, 2), long-cells 15 -> 0 (21, 2), latin-titles 12 -> 0
(18, 1), 60x20 62 -> 0 (64, 50), 300x20 302 -> 0 (304, 251). Pages of the Word edition in LibreOffice, main ->
now: 300x20 370 -> 426 (the PDF's catalogue: 621), 60x20 79 -> 91, long-table 16 -> 17, review 12 -> 13: lines
have the PDF's heights and padding, and the twin holds a little less than Word on each page.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STAMP = "2024-05-01 10:00:00"
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
COVER_PAGES = 1  # the cover is not counted: page 1 is the first page after it


def convert(docx_files: list[Path], outdir: Path, profile: Path, timeout: int = 900) -> None:
    """One LibreOffice run converting every file to PDF, bookmarks kept as named destinations."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", PDF_FILTER,
                    "--outdir", str(outdir), *map(str, docx_files)], check=True, capture_output=True, timeout=timeout)


def word_claims(docx: Path) -> dict[str, tuple[str, str]]:
    """bookmark name -> (what, page the Word file shows): every TOC entry's PAGEREF result and every photo's
    起止页 (its first page), as cached in word/document.xml."""
    from lxml import etree

    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    claims: dict[str, tuple[str, str]] = {}
    texts = {}  # bookmark name -> the text of the paragraph holding it
    for start in body.iter(f"{W}bookmarkStart"):
        paragraph = start.getparent()
        texts[start.get(f"{W}name")] = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
    for instruction, result in field_results(body):
        match = re.match(r"PAGEREF (\S+)", instruction)
        if match:
            claims[match.group(1)] = (texts.get(match.group(1), match.group(1)), result)
    for row in _catalogue_rows(body):
        name = "_Rrf_" + row["档号"].replace(".", "_").replace("-", "_")
        if name[:40] in texts and row["起止页"]:
            claims[name[:40]] = (texts[name[:40]], row["起止页"].split("-")[0])
    return claims


def field_results(body) -> list[tuple[str, str]]:
    """(instruction, cached result) of every complex field under `body` (a parsed Word XML part), nested fields
    included, in document order of their ends: what Word and WPS show before anyone updates fields. A nested
    field's result is part of the result of the field around it (a TOC's PAGEREFs)."""
    stack: list[list] = []  # [instruction, result, in result part]
    found = []
    for element in body.iter(f"{W}fldChar", f"{W}instrText", f"{W}t"):
        if element.tag == f"{W}fldChar":
            kind = element.get(f"{W}fldCharType")
            if kind == "begin":
                stack.append(["", "", False])
            elif kind == "separate" and stack:
                stack[-1][2] = True
            elif kind == "end" and stack:
                instruction, result, _ = stack.pop()
                found.append((" ".join(instruction.split()), result))
                if stack and stack[-1][2]:
                    stack[-1][1] += result
        elif stack:
            if element.tag == f"{W}instrText" and not stack[-1][2]:
                stack[-1][0] += element.text or ""
            elif element.tag == f"{W}t" and stack[-1][2]:
                stack[-1][1] += element.text or ""
    return found


def _catalogue_rows(body):
    for table in body.iter(f"{W}tbl"):
        rows = [["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
                for row in table.iter(f"{W}tr")]
        if rows and rows[0][:2] == ["序号", "档号"] and "起止页" in rows[0]:
            for cells in rows[1:]:
                if cells != rows[0]:  # a continued table repeats its header row
                    yield dict(zip(rows[0], cells, strict=False))


def pdf_pages(pdf: Path) -> dict[str, int]:
    """bookmark name -> page as printed (the cover not counted), from LibreOffice's named destinations. LibreOffice
    writes a name's characters other than letters and digits as their hex codes ("_" as "5F")."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    return {name.lstrip("/"): reader.get_destination_page_number(dest) + 1 - COVER_PAGES
            for name, dest in reader.named_destinations.items()}


def _pdf_name(bookmark: str) -> str:
    return "".join(ch if ch.isascii() and ch.isalnum() else f"{ord(ch):X}" for ch in bookmark)


def word_vs_libreoffice(docx: Path, pdf: Path) -> list[tuple[str, int, int | None]]:
    """(entry text, page the Word file names, page LibreOffice lays it on or None) for every claimed bookmark."""
    laid_out = pdf_pages(pdf)
    return [(what, int(shown), laid_out.get(_pdf_name(name)))
            for name, (what, shown) in word_claims(docx).items()]


# --- the shapes measured --------------------------------------------------------------------------------------

def _test_archive(folder: Path, long_titles: bool = False, sheets: bool = False, many_files: int = 0,
                  long_cells: bool = False, latin: int = 0):
    """The export tests' archive (tests/conftest.py, tests/export_helpers.py) with five more photos; optionally
    long titles, spreadsheets and a criterion with a catalogue table running over pages."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from export_helpers import jpeg, populate

    from archive.catalogue import store_catalogue
    from archive.db import create_archive
    from conftest import MINIMAL_PDF, small_catalogue

    catalogue = small_catalogue()
    if long_titles:
        longer = ("，并建立健全食品安全工作责任体系和长效监管机制"
                  "（含乡镇街道、村社区网格化管理、信息公开及社会共治等配套制度）")
        catalogue = dataclasses.replace(catalogue, criteria=[dataclasses.replace(row, title=row.title + longer)
                                                              for row in catalogue.criteria])
    if long_cells:  # a criterion's box with a standard longer than a page, another with half a page of it
        clause = "建立食品安全工作责任制，明确各部门职责分工，定期召开专题会议研究部署创建工作，落实情况纳入年度考核；"
        longer = {"1.1": clause * 40, "1.2": clause * 12}
        catalogue = dataclasses.replace(catalogue, criteria=[
            dataclasses.replace(row, rule=longer.get(row.code, row.rule)) for row in catalogue.criteria])
    archive = create_archive(folder / "测试档案.rrdb", "某某县")
    store_catalogue(archive, catalogue)
    root = folder / "证明材料"
    files = {"1.1 领导小组/关于成立创建工作领导小组的通知.pdf": MINIMAL_PDF,
             "1.1 领导小组/会议纪要/2024年第一次会议纪要.txt": "会议纪要内容".encode(),
             "1.2 工作方案/创建工作方案.txt": "工作方案正文".encode(),
             "2.1 农残治理/1. 快检台账/台账一月.csv": "日期,样品\n2024-01-02,青菜\n".encode()}
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for number, color in enumerate(("red", "green", "blue", "gray", "orange")):
        jpeg(root / "1.2 工作方案" / f"现场照片{number + 1}.jpg", color=color)
    if long_titles:  # long captions, a portrait photo, one turned by its EXIF orientation
        scene = "县市场监管局联合县农业农村局在城关镇农贸市场开展食用农产品快速检测专项行动现场照片"
        jpeg(root / "1.1 领导小组" / f"2024年5月1日{scene}一.jpg", size=(400, 600))
        jpeg(root / "1.1 领导小组" / f"2024年5月2日{scene}二.jpg", orientation=6)
        jpeg(root / "1.1 领导小组" / f"2024年5月3日{scene}三（城关镇、东城街道、西城街道）.jpg", size=(900, 300))
    if sheets:
        _spreadsheets(root / "2.1 农残治理" / "1. 快检台账")
    for n in range(many_files):
        name = (f"关于印发《某某县创建国家食品安全示范城市工作实施方案（2024—2026年）》的通知第{n + 1}号"
                if long_titles else f"检查记录{n + 1}")
        (root / "1.1 领导小组" / f"{name}.txt").write_text("正文", encoding="utf-8")
    for n in range(latin):  # Latin titles, capitals wider in Word's Times New Roman than in a CJK font
        name = f"FOOD SAFETY MANAGEMENT SYSTEM AUDIT REPORT WITH HACCP PLAN REVIEW {n + 1:03d}"
        (root / "1.2 工作方案" / f"{name}.txt").write_text("text", encoding="utf-8")
    populate(archive, root)
    return archive


def _spreadsheets(folder: Path) -> None:
    from openpyxl import Workbook

    for n in range(3):
        book = Workbook()
        sheet = book.active
        for row in range(60):
            sheet.append([f"第{row}行{col}列数据" for col in range(14)])
        book.save(folder / f"快检数据汇总表{n + 1}.xlsx")


def _bench_archive(folder: Path, criteria: int, files: int):
    from bench.export_data import make_archive

    return make_archive(folder, criteria=criteria, files_per=files)


def shapes(criteria: int, files: int) -> dict:
    """name -> (make archive in a folder, export options)."""
    return {
        "review": (lambda f: _test_archive(f), {}),
        "internal": (lambda f: _test_archive(f), {"edition": "internal", "changelog_since": "2000-01-01"}),
        "one-photo-dash": (lambda f: _test_archive(f), {"photos_per_page": 1, "page_numbers": "dash"}),
        "long-titles-sheets": (lambda f: _test_archive(f, long_titles=True, sheets=True, many_files=70),
                               {"edition": "internal"}),
        "long-table": (lambda f: _test_archive(f, many_files=160), {}),
        "long-cells": (lambda f: _test_archive(f, long_cells=True), {"edition": "internal"}),
        "latin-titles": (lambda f: _test_archive(f, latin=80), {}),
        f"bench-{criteria}x{files}": (lambda f: _bench_archive(f, criteria, files), {"catalogue_only": True}),
    }


def export_shape(name: str, make, extra: dict, folder: Path) -> Path:
    from exporters import ExportOptions, export

    work = folder / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    archive = make(work)
    target = folder / "docx" / f"{name}.docx"
    target.parent.mkdir(exist_ok=True)
    export(archive, "docx", target, ExportOptions(generated=STAMP, stage="自查自评", compiler="某某县食安办", **extra))
    archive.close()
    return target


def _bucket(difference: int) -> str:
    size = abs(difference)
    return f"{'+' if difference > 0 else '-'}{size if size <= 2 else '3-9' if size < 10 else '10+'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=None)
    parser.add_argument("--criteria", type=int, default=60)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--shapes", default="")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is not installed")
    folder = Path(args.dir or tempfile.mkdtemp(prefix="rr-docx-pages-"))
    chosen = {k: v for k, v in shapes(args.criteria, args.files).items()
              if not args.shapes or k in args.shapes.split(",")}
    if not chosen:
        sys.exit(f"no such shape: {args.shapes} (shapes: {', '.join(shapes(0, 0))})")
    docs = {name: export_shape(name, make, extra, folder) for name, (make, extra) in chosen.items()}
    started = time.perf_counter()
    convert(list(docs.values()), folder / "pdf", folder / "lo-profile")
    print(f"LibreOffice converted {len(docs)} files in {time.perf_counter() - started:.1f} s ({folder})")
    for name, docx in docs.items():
        compared = word_vs_libreoffice(docx, folder / "pdf" / f"{name}.pdf")
        off = [(what, shown, real) for what, shown, real in compared if real != shown]
        sizes = Counter("missing" if real is None else _bucket(real - shown) for _, shown, real in off)
        largest = max((abs(real - shown) for _, shown, real in off if real is not None), default=0)
        print(f"{name:20} entries {len(compared):5}  off {len(off):4}  largest {largest:4}  "
              f"{', '.join(f'{k}: {v}' for k, v in sorted(sizes.items()))}")
        for what, shown, real in off[:5]:
            print(f"    {what[:40]:40} word {shown:4}  libreoffice {real}")


if __name__ == "__main__":
    main()
