"""Criteria import benchmark: plan and write a 300-item table, per format (target: under 2 s for plan + write).

    python bench/criteria_bench.py [--items 300] [--dir DIR] [--runs 3]

The table is drawn like the real ones: a title row, a two-row header (评价内容 over 评价标准/评价细则), 一、 parts
as rows merged across the table, 评价项目 groups merged down over their items, items numbered 1…N across the
parts, long rules, units, a 合计 row and a 注 line. It is written as .xlsx, .xls, .docx and .csv; each timing is
the best of --runs runs of: plan_import(file) (read, plan, checks) and then storing the planned catalogue into a
new archive (the write), each in this process after a warm-up import of the libraries.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

PARTS = ("组织领导", "能力建设", "监管执法", "社会共治", "宣传引导", "应急处置")
RULE = "查阅资料，未建立制度扣1分，制度不完善扣0.5分；现场检查发现问题每处扣0.2分，扣完为止。"


def table_rows(items: int) -> tuple[list[list], list[str], list[tuple]]:
    """Rows, xlsx merges ("A1:H1") and xls merges ((r1, r2, c1, c2), 0-based) of an `items`-item table."""
    rows: list[list] = [["附件"], ["某县食品安全示范城市评价细则"],
                        ["序号", "评价项目", "评价内容", None, "分值", "牵头单位", "配合单位", "得分"],
                        [None, None, "评价标准", "评价细则", None, None, None, None]]
    merges = ["A2:H2", "C3:D3", "A3:A4", "B3:B4", "E3:E4", "F3:F4", "G3:G4", "H3:H4"]
    per_part = -(-items // len(PARTS))
    number = 1
    for part_index, part in enumerate(PARTS, start=1):
        rows.append([f"{'一二三四五六'[part_index - 1]}、{part}"] + [None] * 7)
        merges.append(f"A{len(rows)}:H{len(rows)}")
        for group in range(0, per_part, 5):
            first = len(rows) + 1
            for _ in range(min(5, per_part - group)):
                if number > items:
                    break
                rows.append([number, f"（{group // 5 + 1}）{part}专项" if len(rows) + 1 == first else None,
                             f"第{number}项：建立健全{part}工作机制并落实到位", RULE, 2, "县市场监管局",
                             "各乡镇（街道）、县（市、区）农业农村局", None])
                number += 1
            if len(rows) > first:
                merges.append(f"B{first}:B{len(rows)}")
    rows.append(["合计", None, None, None, items * 2, None, None, None])
    rows.append(["注：本细则由县食安办负责解释。"] + [None] * 7)
    merges.append(f"A{len(rows)}:H{len(rows)}")
    return rows, merges, [_xls_merge(m) for m in merges]


def _xls_merge(text: str) -> tuple:
    from openpyxl.utils.cell import range_boundaries

    c1, r1, c2, r2 = range_boundaries(text)
    return r1 - 1, r2 - 1, c1 - 1, c2 - 1


def write_all(folder: Path, items: int) -> dict[str, Path]:
    import criteria_corpus as corpus
    import docx

    rows, merges, xls_merges = table_rows(items)
    paths = {"xlsx": corpus.xlsx(folder / "细则.xlsx", {"细则": rows}, {"细则": merges}),
             "xls": corpus.xls(folder / "细则.xls", {"细则": rows}, {"细则": xls_merges}),
             "csv": corpus.csv_file(folder / "细则.csv", rows, "gb18030")}
    document = docx.Document()
    document.add_paragraph(rows[1][0])
    table = document.add_table(rows=len(rows) - 2, cols=8)
    for r, row in enumerate(rows[2:]):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = str(value)
    document.save(folder / "细则.docx")
    paths["docx"] = folder / "细则.docx"
    return paths


def time_once(path: Path, folder: Path, run: int) -> tuple[float, float, int, int]:
    from archive.catalogue import store_catalogue
    from archive.db import create_archive
    from criteria.importers import plan_import

    start = time.perf_counter()
    plan = plan_import(path)
    planned = time.perf_counter()
    with create_archive(folder / f"{path.suffix[1:]}-{run}.rrdb", "基准") as archive:
        store_catalogue(archive, plan.catalogue)
    written = time.perf_counter()
    leaves = plan.totals()["leaves"]
    return planned - start, written - planned, leaves, len(plan.warnings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--dir")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="criteria-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = write_all(folder, args.items)
    time_once(paths["xlsx"], folder, -1)  # warm-up: imports openpyxl, sqlite, etc.
    print(f"{args.items} 项，最佳 {args.runs} 次中的一次（规划 + 写入 = 合计）：")
    for fmt, path in paths.items():
        best = min((time_once(path, folder, run) for run in range(args.runs)), key=lambda t: t[0] + t[1])
        plan_s, write_s, leaves, warnings = best
        print(f"  {fmt:5s} {plan_s:6.3f} s + {write_s:6.3f} s = {plan_s + write_s:6.3f} s"
              f"  （末级 {leaves} 项，警告 {warnings} 条）")


if __name__ == "__main__":
    main()
