"""Command line for departments: task packages out, evidence packages back.

    python main.py package ARCHIVE --unit UNIT|--all --out DIR          one "<单位>-任务包.zip" per unit into DIR
    python main.py import ARCHIVE PACKAGE.zip [--root DIR] [--json]    a unit's evidence package into DIR/<单位>
    python main.py unit-open PACKAGE.zip --dir DIR [--archive FILE]    the unit opens its task package
    python main.py unit-export ARCHIVE --out FILE.zip [--json]         the unit exports its evidence package
"""

from __future__ import annotations

import sys

from archive.db import open_archive
from archive.status import STATE_NAMES, compute_status
from cli.commands import emit_json, human_size
from common.errors import UserError
from departments import (
    export_evidence_package,
    import_evidence_package,
    open_task_package,
    own_codes,
    write_task_packages,
)
from departments.units import units_root


def add_parsers(sub) -> None:
    package = sub.add_parser("package", help="为牵头/配合单位生成任务包（.zip）")
    package.add_argument("archive", metavar="ARCHIVE")
    which = package.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", metavar="UNIT", help="单位名称（与评价目录中的牵头/配合单位一致）")
    which.add_argument("--all", action="store_true", help="为所有单位各生成一个任务包")
    package.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")

    imp = sub.add_parser("import", help="导入单位交回的证明材料包（.zip）")
    imp.add_argument("archive", metavar="ARCHIVE")
    imp.add_argument("package", metavar="PACKAGE.zip")
    imp.add_argument("--root", metavar="DIR", help="证明材料根文件夹：材料放入其中以单位命名的文件夹"
                     "（默认：已关联的各单位文件夹所在的文件夹）")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出")

    unit_open = sub.add_parser("unit-open", help="（单位）打开任务包：解压到文件夹并建立单位档案")
    unit_open.add_argument("package", metavar="PACKAGE.zip")
    unit_open.add_argument("--dir", required=True, metavar="DIR", help="解压到此文件夹（须为空或尚不存在）")
    unit_open.add_argument("--archive", metavar="FILE.rrdb", help="单位档案文件位置（默认在 DIR 中，以单位命名）")

    unit_export = sub.add_parser("unit-export", help="（单位）导出证明材料包，交回食安办")
    unit_export.add_argument("archive", metavar="ARCHIVE")
    unit_export.add_argument("--out", required=True, metavar="FILE.zip", help="输出的材料包")
    unit_export.add_argument("--json", action="store_true", help="以 JSON 输出")


def _progress_printer(enabled: bool):
    if not (enabled and sys.stderr.isatty()):
        return None

    def show(fraction: float, message: str) -> None:
        print(f"\r{fraction:4.0%} {message[:60]}\033[K", end="", file=sys.stderr, flush=True)

    return show


def _end_progress(progress) -> None:
    if progress:
        print(file=sys.stderr)


def cmd_package(args) -> None:
    with open_archive(args.archive) as archive:
        units = None if args.all else [args.unit]
        paths = write_task_packages(archive, units, args.out)
    for path in paths:
        print(f"已生成任务包：{path}")
    print(f"共 {len(paths)} 个任务包")


def cmd_import(args) -> None:
    progress = _progress_printer(not args.json)
    with open_archive(args.archive) as archive:
        root = args.root or units_root(archive)
        if not root:
            raise UserError("没有关联过以单位命名的材料文件夹，无法推断证明材料根文件夹：请用 --root 指定")
        try:
            report = import_evidence_package(archive, args.package, root, progress=progress)
        finally:
            _end_progress(progress)
    if args.json:
        emit_json(report.to_json())
        return
    for line in report.lines():
        print(line)


def cmd_unit_open(args) -> None:
    path = open_task_package(args.package, args.dir, args.archive)
    with open_archive(path) as archive:
        own = own_codes(archive)
        unit = archive.meta("unit")
    print(f"已打开 {unit} 的任务包：档案 {path}，材料文件夹 {args.dir}")
    print(f"共 {len(own)} 个本单位评价项目，请把材料放入对应编号的文件夹，完成后运行 unit-export 导出证明材料包")


def cmd_unit_export(args) -> None:
    progress = _progress_printer(not args.json)
    with open_archive(args.archive) as archive:
        try:
            result = export_evidence_package(archive, args.out, progress=progress)
        finally:
            _end_progress(progress)
        own = set(own_codes(archive))
        missing = [s for s in compute_status(archive) if s.state == "missing" and s.code in own]
    if args.json:
        emit_json({"path": str(result.path), "files": result.files, "bytes": result.bytes,
                   "skipped": [{"path": p, "reason": r} for p, r in result.skipped],
                   "problems": [{"path": p, "problem": r} for p, r in result.problems],
                   "missing": [s.code for s in missing]})
        return
    print(f"已导出证明材料包：{result.path}（{result.files} 个文件，{human_size(result.bytes)}）")
    if not result.files:
        print("注意：材料包中没有文件。请先把材料放入任务包中对应编号的文件夹")
    for path, reason in result.skipped:
        print(f"未放入：{path}：{reason}")
    for path, problem in result.problems:
        print(f"已放入，但有问题：{path}：{problem}")
    for s in missing:
        print(f"{STATE_NAMES[s.state]}：{s.code} {s.title}")


HANDLERS = {"package": cmd_package, "import": cmd_import, "unit-open": cmd_unit_open, "unit-export": cmd_unit_export}
