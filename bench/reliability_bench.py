"""Reliability figures for RELIABILITY.md: time and peak memory of every bomb case, the cost of the scan's Office
check, and many SIGKILL points of scan / export with the recovery checked after each. Run by hand.

    python bench/reliability_bench.py [--work /tmp/rr-reliability] [--kills 20] [--files 6000] [--bombs-only]

Each bomb case runs in a fresh interpreter (peak RSS = ru_maxrss of that process, and of its largest child, i.e.
LibreOffice). The kill points are spread evenly over a measured full run; after each kill the archive must pass
PRAGMA integrity_check and one `scan` must make the index equal to the disk (SHA-256 computed independently).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from reliability_support import (  # noqa: E402
    cli,
    disk_files,
    docx_bytes,
    hostile_files,
    huge_sheet_xlsx,
    indexed_files,
    integrity,
    kill_after,
    make_corpus,
    run_measured,
    xlsx_bytes,
)

SETUP = """
import sys
sys.path.insert(0, 'tests')
from pathlib import Path
from archive.catalogue import store_catalogue
from archive.db import create_archive
from archive.links import link
from archive.index.scan import scan
from conftest import small_catalogue
folder = Path({folder!r})
arc = create_archive(folder.parent / ("测量" + {tag!r} + ".rrdb"), "测量")
store_catalogue(arc, small_catalogue())
link(arc, "1.1", [str(folder)])
"""
CASES = {
    "scan of the five bombs": "scan(arc)",
    "scan + Word dossier": "scan(arc)\nfrom exporters import export, ExportOptions\n"
                           "export(arc, 'docx', folder.parent / 'a.docx', ExportOptions())",
    "scan + PDF dossier": "scan(arc)\nfrom exporters import export, ExportOptions\n"
                          "export(arc, 'pdf', folder.parent / 'a.pdf', ExportOptions())",
    "criteria import of the 500 MB DOCX bomb": "from criteria.importers import load_catalogue\n"
                                              "load_catalogue(folder / '压缩炸弹.docx')",
    "criteria import of the DOCX entity bomb": "from criteria.importers import load_catalogue\n"
                                              "load_catalogue(folder / '实体炸弹.docx')",
    "criteria import of the XLSX entity bomb": "from criteria.importers import load_catalogue\n"
                                              "load_catalogue(folder / '实体炸弹表格.xlsx')",
    "criteria import of a 1 MB spreadsheet of 350,000 cells": "from criteria.importers import load_catalogue\n"
                                                             "load_catalogue(folder.parent / '误选的数据导出.xlsx')",
    "criteria import of the DOCX bomb, guard removed (before the fix)":
        "import criteria.importers.word as word\nword.refuse_zip_bomb = lambda path: None\n"
        "from criteria.importers import load_catalogue\nload_catalogue(folder / '压缩炸弹.docx')",
    "criteria import of the 350,000 cells, guard removed (before the fix)":
        "import criteria.importers.excel as excel\nexcel.refuse_zip_bomb = lambda path: None\n"
        "from criteria.importers import load_catalogue\nload_catalogue(folder.parent / '误选的数据导出.xlsx')",
}


def bombs(work: Path) -> None:
    folder = work / "bombs"
    shutil.rmtree(work, ignore_errors=True)
    hostile_files(folder)
    (work / "误选的数据导出.xlsx").write_bytes(huge_sheet_xlsx())
    print("| case | outcome | seconds | peak MB | largest child MB |\n|---|---|---|---|---|")
    for number, (name, body) in enumerate(CASES.items()):
        measured = run_measured(SETUP.format(folder=str(folder), tag=str(number)) + body)
        outcome = measured["outcome"].split(":")[0]
        print(f"| {name} | {outcome} | {measured['seconds']:.2f} | {measured['peak_mb']:.0f} | "
              f"{measured['children_peak_mb']:.0f} |")


def office_check_cost(work: Path, count: int = 1000) -> None:
    """What the scan's structural check adds per Office file (open the zip, sizes, DTD look-up)."""
    from archive.index.filetypes import count_pages

    folder = work / "office"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (ext, body) in enumerate([("docx", docx_bytes()), ("xlsx", xlsx_bytes())] * (count // 2)):
        path = folder / f"{n}.{ext}"
        path.write_bytes(body)
        paths.append((str(path), ext))
    started = time.perf_counter()
    for path, ext in paths:
        count_pages(path, ext)
    seconds = time.perf_counter() - started
    with zipfile.ZipFile(paths[0][0]) as zf:
        parts = len(zf.infolist())
    print(f"Office check: {seconds / len(paths) * 1000:.2f} ms per file ({len(paths)} files, DOCX with {parts} parts)")


def kills(work: Path, points: int, files: int) -> None:
    from test_reliability_faults import new_archive, phase, wal_exists

    root = work / "kill" / "证明材料"
    make_corpus(root, files)
    pristine = new_archive(work / "kill" / "原始.rrdb", root)
    full = Path(shutil.copyfile(pristine, work / "kill" / "full.rrdb"))
    code, seconds = kill_after(["scan", full], 600, ready=wal_exists(full))
    print(f"\nscan of {files} files: {seconds:.2f} s after opening the archive (exit {code})")
    seen: Counter = Counter()
    for n in range(points):
        db = Path(shutil.copyfile(pristine, work / "kill" / f"k{n}.rrdb"))
        code, _ = kill_after(["scan", db], seconds * (n + 0.5) / points, ready=wal_exists(db))
        seen[phase(db, code)] += 1
        assert integrity(db) == "ok", db
        assert cli("scan", db, "--json").returncode == 0
        assert indexed_files(db) == disk_files(root), db
    print(f"scan killed at {points} points, all recovered: {dict(seen)}")
    export_kills(work, full, points // 2)


def export_kills(work: Path, db: Path, points: int) -> None:
    out = work / "kill" / "导出"
    out.mkdir()
    for fmt in ("pdf", "docx", "zip"):
        target = out / f"汇编.{fmt}"
        started = time.monotonic()
        assert cli("export", db, "--out", target).returncode == 0
        seconds = time.monotonic() - started
        target.unlink()
        killed = 0
        for n in range(points):
            kill_after(["export", db, "--out", target], seconds * (n + 0.5) / points)
            if target.exists():  # finished (renamed into place) before the kill landed: complete, not partial
                target.unlink()
            else:
                killed += 1
            assert integrity(db) == "ok"
        assert cli("export", db, "--out", target).returncode == 0
        left = [p.name for p in out.iterdir() if p.name != target.name]
        print(f"export {fmt} ({seconds:.1f} s): killed {killed} of {points} times mid-work, no output file after "
              f"any of them; left after the next export: {left or 'nothing'}")
        target.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=Path("/tmp/rr-reliability"))
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--bombs-only", action="store_true")
    parser.add_argument("--files", type=int, default=6000)
    args = parser.parse_args()
    bombs(args.work)
    office_check_cost(args.work)
    if not args.bombs_only:
        kills(args.work, args.kills, args.files)
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
