"""Command line for finding evidence: the text index, full-text search, link suggestions.

    python main.py texts ARCHIVE [--json]                                       read the text of unread files
    python main.py search ARCHIVE QUERY [--code CODE] [--unit UNIT] [--json]    files that say QUERY
    python main.py suggest ARCHIVE [--root DIR] [--json]                        links suggested for unlinked folders

search and suggest first read the text of files not read yet (nothing to do costs one query); on a read-only
archive they use the text stored so far.
"""

from __future__ import annotations

import os
import sys

from archive.catalogue import load_catalogue, resolve_code
from archive.db import Archive, open_archive
from cli.commands import emit_json
from common.errors import UserError
from search import schema
from search.query import Scope, search, where_text
from search.suggest import remember_root, suggest
from search.texts import TextReport, ocr_work, update_texts


def add_parsers(sub) -> None:
    texts = sub.add_parser("texts", help="提取已索引文件中的文字（供全文检索和关联建议）")
    texts.add_argument("archive", metavar="ARCHIVE")
    texts.add_argument("--ocr", action="store_true",
                       help="也识别图片和扫描件中的文字（需先安装 requirements-ocr.txt；会先显示预计用时）")
    texts.add_argument("--json", action="store_true", help="以 JSON 输出")

    find = sub.add_parser("search", help="全文检索：哪些文件含有这些文字")
    find.add_argument("archive", metavar="ARCHIVE")
    find.add_argument("query", metavar="QUERY", help="检索词，多个词用空格分隔（须全部出现）")
    find.add_argument("--code", metavar="CODE", help="只查此评价项目（含下级）的材料")
    find.add_argument("--unit", metavar="UNIT", help="只查此单位负责的项目或此单位文件夹中的材料")
    find.add_argument("--limit", type=int, default=200, metavar="N", help="最多列出的文件数（默认 200）")
    find.add_argument("--json", action="store_true", help="以 JSON 输出")

    hint = sub.add_parser("suggest", help="为未关联的文件夹和文件建议评价项目（按名称和内容）")
    hint.add_argument("archive", metavar="ARCHIVE")
    hint.add_argument("--root", metavar="DIR", action="append",
                      help="证明材料总文件夹（可多次给出；会被记住，默认用记住的或已关联文件夹的上级）")
    hint.add_argument("--json", action="store_true", help="以 JSON 输出")


def _progress(enabled: bool):
    if not (enabled and sys.stderr.isatty()):
        return None

    def show(fraction: float, message: str) -> None:
        print(f"\r{fraction:4.0%} {message[:60]}\033[K", end="", file=sys.stderr, flush=True)

    return show


def bring_texts_up_to_date(archive: Archive, quiet: bool) -> TextReport | None:
    """Read what is unread; None on a read-only archive (its stored text is used as it is)."""
    if archive.read_only:
        return None
    progress = _progress(not quiet)
    report = update_texts(archive, progress)
    if progress:
        print(file=sys.stderr)
    return report


def cmd_texts(args) -> None:
    with open_archive(args.archive) as archive:
        archive.require_writable()
        report = bring_texts_up_to_date(archive, args.json)
        if args.ocr:
            report = _ocr(archive, args.json)
    if args.json:
        emit_json(report.to_json())
        return
    print(f"读取 {report.read} 个文件：有文字 {report.text}，无文字层（扫描件等）{report.empty}，"
          f"无法读取 {report.failed}；用时 {report.seconds:.1f} 秒")


def _ocr(archive: Archive, quiet: bool) -> TextReport:
    from search import ocr

    if not ocr.available():
        raise UserError(ocr.missing_message())
    images, pages = ocr_work(archive.conn)
    minutes = ocr.estimate_seconds(images, pages) / 60
    print(f"将识别 {images} 张图片、{pages} 页扫描件中的文字，预计约 {minutes:.1f} 分钟", file=sys.stderr)
    progress = _progress(not quiet)
    report = update_texts(archive, progress, ocr=True)
    if progress:
        print(file=sys.stderr)
    return report


def cmd_search(args) -> None:
    if args.limit < 1:
        raise UserError("--limit 须为正整数")
    with open_archive(args.archive) as archive:
        bring_texts_up_to_date(archive, args.json)
        code = resolve_code(archive, args.code) if args.code else None
        scope = Scope(archive.conn, code, args.unit) if (code or args.unit) else None
        hits = search(archive.conn, args.query, scope, args.limit)
        indexed = schema.has_tables(archive.conn)
    if args.json:
        emit_json([hit.to_json() for hit in hits])
        return
    if not indexed:
        print("提示：此档案尚未提取文字，只按文件名检索")
    for hit in hits:
        print(f"{hit.path}\n  [{'、'.join(hit.codes) or '未关联'}] {where_text(hit)}：{hit.snippet}")
    print(f"共 {len(hits)} 个文件" + ("（已达上限，请加检索词缩小范围）" if len(hits) >= args.limit else ""))


def cmd_suggest(args) -> None:
    with open_archive(args.archive) as archive:
        for root in args.root or []:
            if not os.path.isdir(root):
                raise UserError(f"文件夹不存在：{root}")
            if not archive.read_only:
                remember_root(archive, root)
        report = suggest(archive, args.root, _progress(not args.json))
        titles = {c.code: c.title for c in load_catalogue(archive).criteria}
    if args.json:
        emit_json([candidate.to_json() for candidate in report.candidates])
        return
    if not report.roots:
        print("没有可分析的文件夹：请用 --root 指定证明材料总文件夹")
        return
    for candidate in report.candidates:
        print(f"{candidate.path}{os.sep if candidate.is_dir else ''}")
        for s in candidate.suggestions:
            print(f"  {s.score:.2f}  {s.code} {titles.get(s.code, '')}" + (f"（{s.why}）" if s.why else ""))
    if report.missing:
        print("\n缺材料的评价项目，可能的材料：")
        for code, found in report.missing.items():
            print(f"  {code} {titles.get(code, '')}：" + "；".join(f"{path}（{score:.2f}）" for path, score in found))
    print(f"共 {len(report.candidates)} 个未关联的文件夹或文件有建议（分析了 {'、'.join(report.roots)}）")


HANDLERS = {"texts": cmd_texts, "search": cmd_search, "suggest": cmd_suggest}
