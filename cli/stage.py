"""Command-line stages: freeze what was submitted, list, compare, rebuild.

    python main.py stage ARCHIVE freeze NAME [--note TEXT] [--keep-copies] [--dossier PATH ...]
    python main.py stage ARCHIVE list [--json]
    python main.py stage ARCHIVE diff A [B] [--json] [--out FILE.docx|pdf|xlsx]
    python main.py stage ARCHIVE rebuild NAME [--format docx|pdf|zip] --out PATH [--title TEXT] [--stage TEXT]
                         [--compiler TEXT] [--catalogue-only] [--codes CODE,CODE] [--font PATH]
"""

from __future__ import annotations

import sys

from archive.db import open_archive
from cli.commands import emit_json, human_size
from cli.export import _codes, _format, _print_progress
from exporters import FORMATS

MAX_PATHS = 50


def add_parsers(sub) -> None:
    parser = sub.add_parser("stage", help="阶段：冻结提交的材料、对比变化、按冻结时重建")
    parser.add_argument("archive", metavar="ARCHIVE")
    actions = parser.add_subparsers(dest="stage_action", metavar="操作", required=True)
    freeze = actions.add_parser("freeze", help="冻结当前材料为一个阶段（冻结后不能修改）")
    freeze.add_argument("name", metavar="NAME", help="阶段名称，如 省级初评")
    freeze.add_argument("--note", default="", metavar="TEXT", help="备注")
    freeze.add_argument("--keep-copies", action="store_true", help="在档案旁的副本库中保留文件副本（按内容去重）")
    freeze.add_argument("--dossier", nargs="+", default=[], metavar="PATH",
                        help="另行记录这些已提交的汇编文件（自上一阶段以来的导出会自动记录）")
    listing = actions.add_parser("list", help="列出已冻结的阶段")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    diff = actions.add_parser("diff", help="对比两个阶段，或一个阶段与当前")
    diff.add_argument("old", metavar="A", help="较早的阶段")
    diff.add_argument("new", metavar="B", nargs="?", help="较晚的阶段（默认：当前）")
    diff.add_argument("--json", action="store_true", help="以 JSON 输出")
    diff.add_argument("--out", metavar="FILE", help="生成整改前后对照报告（.docx、.pdf 或 .xlsx）")
    diff.add_argument("--font", metavar="PATH", help="PDF 使用的中文字体文件（.ttf/.ttc）")
    rebuild = actions.add_parser("rebuild", help="按冻结时的材料重新生成汇编或移交包")
    rebuild.add_argument("name", metavar="NAME")
    rebuild.add_argument("--format", choices=FORMATS, help="docx、pdf 或 zip（默认按 --out 的扩展名）")
    rebuild.add_argument("--out", required=True, metavar="PATH", help="输出文件路径")
    rebuild.add_argument("--title", metavar="TEXT", help="汇编标题（默认：按本阶段记录的导出，或默认标题）")
    rebuild.add_argument("--stage", metavar="TEXT", help="封面上的阶段（默认：按记录的导出，或阶段名称）")
    rebuild.add_argument("--compiler", metavar="TEXT", help="编制单位")
    rebuild.add_argument("--catalogue-only", action="store_true", default=None, help="只生成目录，不附入附件")
    rebuild.add_argument("--codes", metavar="CODE,CODE", help="只包括这些评价项目（含下级项目）")
    rebuild.add_argument("--font", metavar="PATH", help="PDF 使用的中文字体文件（.ttf/.ttc）")


def cmd_stage(args) -> None:
    with open_archive(args.archive) as archive:
        ACTIONS[args.stage_action](archive, args)


def _freeze(archive, args) -> None:
    from stages.freeze import freeze, plan_freeze

    plan = plan_freeze(archive, args.keep_copies)
    for line in plan.lines():  # the size copies will add, before any is written
        print(line, flush=True)
    progress = _print_progress if sys.stderr.isatty() else None
    try:
        result = freeze(archive, args.name, args.note, args.keep_copies, args.dossier, progress=progress, plan=plan)
    finally:
        if progress:
            print(file=sys.stderr)
    stage = result.stage
    print(f"已冻结阶段“{stage.name}”（{stage.frozen_at}）：{stage.files} 个文件，{human_size(stage.bytes)}")
    for record in stage.exports:
        same = "，与本阶段材料一致" if record.matches else ""
        print(f"记录汇编：{record.path}（{record.format}，{record.time}{same}）")
    if stage.copies:
        print(f"副本：新增 {result.copied_files} 个文件，共 {human_size(result.copied_bytes)}")


def _list(archive, args) -> None:
    from stages.records import list_stages

    stages = list_stages(archive)
    if args.json:
        emit_json([stage.to_json() for stage in stages])
        return
    if not stages:
        print("还没有冻结的阶段")
    for stage in stages:
        extras = [f"汇编 {len(stage.exports)} 份" if stage.exports else "", "保留副本" if stage.copies else "",
                  stage.note]
        print(f"{stage.name}\t{stage.frozen_at}\t{stage.by or '（未署名）'}\t{stage.files} 个文件，"
              f"{human_size(stage.bytes)}\t" + "；".join(e for e in extras if e))


def _diff(archive, args) -> None:
    from stages.diff import diff_stages
    from stages.diff_described import change_text
    from stages.diff_report import KIND_NAMES, report_format, score_text, span_text, totals_text

    if args.out:
        report_format(args.out)  # a wrong suffix is said before the work
    diff = diff_stages(archive, args.old, args.new)
    if args.out:
        from stages.diff_report import write_diff_report

        written = write_diff_report(archive, diff, args.out, font_path=args.font)
        print(f"已生成对照报告：{written}", file=sys.stderr if args.json else sys.stdout)  # stdout stays JSON
    if args.json:
        emit_json(diff.to_json())
        return
    if args.out:
        return
    print(span_text(diff))
    print(totals_text(diff))
    marks = {"added": "+", "changed": "~", "removed": "-", "moved": "→", "described": "*"}
    for code in diff.codes:
        print(f"{code.code} {code.title}")
        if code.state:
            from stages.diff import state_name

            print(f"  状态：{state_name(code.state[0])} → {state_name(code.state[1])}")
        if code.score:
            print(f"  得分：{score_text(code.score[0])} → {score_text(code.score[1])}")
        for kind, changes in code.files.items():
            for change in changes:
                moved = f"{change.old.rel} → " if kind == "moved" else ""
                fields = f"：{change_text(change.fields)}" if change.fields else ""
                print(f"  {marks[kind]} {KIND_NAMES[kind]}：{moved}{change.rel}{fields}")
        for _, rect in code.closed:
            print(f"  整改销号：#{rect.id} {rect.text}（{rect.verified_by or ''} {rect.verified_at or ''}）")


def _rebuild(archive, args) -> None:
    from stages.rebuild import rebuild

    overrides = {"title": args.title, "stage": args.stage, "compiler": args.compiler,
                 "catalogue_only": args.catalogue_only, "codes": _codes(args.codes)}
    progress = _print_progress if sys.stderr.isatty() else None
    try:
        result = rebuild(archive, args.name, _format(args), args.out, overrides, args.font, progress)
    finally:
        if progress:
            print(file=sys.stderr)
    print(result.basis)
    _paths(f"冻结后已改动或不存在的文件（{len(result.changed)} 个）", result.changed)
    _paths(f"已从副本库取用冻结时的内容（{len(result.restored)} 个，均已核对 SHA-256）", result.restored)
    _paths(f"没有保留副本，未能附入（{len(result.left_out)} 个，仅在目录中列出）", result.left_out)
    for warning in result.warnings:
        print(f"注意：{warning}")
    print(f"已重建：{result.path}（{human_size(result.size)}）")
    if not result.identical:
        print(f"注意：重建结果与冻结时不完全一致：{len(result.left_out)} 个文件的原文未能附入")


def _paths(title: str, paths: list[str]) -> None:
    if not paths:
        return
    print(f"{title}：")
    for path in paths[:MAX_PATHS]:
        print(f"  {path}")
    if len(paths) > MAX_PATHS:
        print(f"  ……另有 {len(paths) - MAX_PATHS} 个")


ACTIONS = {"freeze": _freeze, "list": _list, "diff": _diff, "rebuild": _rebuild}
HANDLERS = {"stage": cmd_stage}
