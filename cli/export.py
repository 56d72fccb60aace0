"""Command-line export of the dossier and the handover package.

    python main.py export ARCHIVE --format docx|pdf|zip --out PATH [--catalogue-only] [--stage TEXT]
                          [--codes CODE,CODE] [--font PATH] [--title TEXT] [--compiler TEXT] [--since YYYY-MM-DD]
                          [--edition review|internal] [--no-scores] [--photos-per-page 1|2] [--page-numbers total|dash]

Before the work starts it says what will be attached, converted or only listed; afterwards, where the file is and
anything the user should know (images not embedded, unreadable attachments).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from archive.db import open_archive
from cli.commands import human_size
from common.errors import UserError
from exporters import DEFAULT_TITLE, FORMATS, ExportOptions, check_output, export, plan_export
from exporters.appendix import check_day
from exporters.options import EDITIONS, PAGE_NUMBER_STYLES


def add_parsers(sub) -> None:
    parser = sub.add_parser("export", help="导出迎检资料汇编（Word/PDF）或移交包（zip）")
    parser.add_argument("archive", metavar="ARCHIVE")
    parser.add_argument("--format", choices=FORMATS, help="导出格式：docx、pdf 或 zip（默认按 --out 的扩展名）")
    parser.add_argument("--out", required=True, metavar="PATH", help="输出文件路径")
    parser.add_argument("--catalogue-only", action="store_true", help="只导出目录，不附入附件")
    parser.add_argument("--stage", default="", metavar="TEXT", help="阶段，如 自查自评、省级初评、国家验收")
    parser.add_argument("--codes", metavar="CODE,CODE", help="只导出这些评价项目（含下级项目），以逗号分隔")
    parser.add_argument("--font", metavar="PATH", help="PDF 使用的中文字体文件（.ttf/.ttc）")
    parser.add_argument("--title", default=DEFAULT_TITLE, metavar="TEXT", help=f"汇编标题（默认：{DEFAULT_TITLE}）")
    parser.add_argument("--compiler", default="", metavar="TEXT", help="编制单位")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="在附录中加入此日期以来的变更记录（内部版）")
    parser.add_argument("--edition", choices=tuple(EDITIONS),
                        help="review：送审版（默认，交评审组：不含缺项清单、确认记录、材料状态、变更记录和校验值）；"
                             "internal：内部版（本单位自用，含以上全部）。用 --since 时默认为内部版")
    parser.add_argument("--no-scores", action="store_true", help="不列自评得分和扣分说明（不要求报送得分的阶段）")
    parser.add_argument("--photos-per-page", type=int, choices=(1, 2), default=2, help="每页照片数（默认 2）")
    parser.add_argument("--page-numbers", choices=PAGE_NUMBER_STYLES, default="total",
                        help="页码样式：total 为“第X页共Y页”（默认），dash 为“— X —”")


def _format(args) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UserError(f"无法从输出文件名判断格式，请用 --format 指定 docx、pdf 或 zip：{args.out}")
    return suffix


def _codes(text: str | None) -> list[str] | None:
    if not text:
        return None
    codes = [c for c in re.split(r"[,，、\s]+", text) if c]
    if not codes:
        raise UserError(f"--codes 中没有编号：{text}")
    return codes


def _print_progress(fraction: float, message: str) -> None:
    print(f"\r{fraction:4.0%} {message[:60]}\033[K", end="", file=sys.stderr, flush=True)


def cmd_export(args) -> None:
    fmt = _format(args)
    options = ExportOptions(title=args.title, stage=args.stage, compiler=args.compiler,
                            catalogue_only=args.catalogue_only, codes=_codes(args.codes), font_path=args.font,
                            changelog_since=check_day(args.since) if args.since else None,
                            edition=args.edition or ("internal" if args.since else "review"),
                            scores=not args.no_scores, photos_per_page=args.photos_per_page,
                            page_numbers=args.page_numbers)
    progress = _print_progress if sys.stderr.isatty() else None
    with open_archive(args.archive) as archive:
        check_output(archive, fmt, args.out)
        plan = plan_export(archive, fmt, options)
        for line in plan.lines():
            print(line, flush=True)
        try:
            result = export(archive, fmt, args.out, options, progress=progress, plan=plan)  # what the plan read
        finally:
            if progress:
                print(file=sys.stderr)
    for warning in result.warnings:
        print(f"注意：{warning}")
    print(f"已导出：{result.path}（{human_size(result.size)}）")


HANDLERS = {"export": cmd_export}
