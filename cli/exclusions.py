"""Command line of the files kept out of the dossier (不列入汇编, archive.exclusions):

    python main.py exclude ARCHIVE PATH... [--reason TEXT] [--by NAME]
    python main.py exclude ARCHIVE PATH... --undo
    python main.py exclude ARCHIVE --list [--json]

PATH is an indexed file, or a folder: then every indexed file under it (a 草稿 subfolder).
"""

from __future__ import annotations

import json

from archive.confirm import default_user
from archive.db import open_archive
from archive.exclusions import LABEL, exclude, exclusions, include
from archive.links import normalize_path
from cli.commands import emit_json
from cli.metadata import indexed_ids_at
from common.errors import UserError


def add_parsers(sub) -> None:
    parser = sub.add_parser("exclude", help="标记文件不列入汇编（文件仍在关联的文件夹中），或恢复，或列出")
    parser.add_argument("archive", metavar="ARCHIVE")
    parser.add_argument("paths", metavar="PATH", nargs="*", help="已索引的文件，或文件夹（其中的全部文件）")
    parser.add_argument("--reason", default="", metavar="TEXT", help="原因，如：征求意见稿")
    parser.add_argument("--by", metavar="NAME", help="标记人")
    parser.add_argument("--undo", action="store_true", help="恢复列入汇编")
    parser.add_argument("--list", action="store_true", help="列出不列入汇编的文件")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（与 --list 同用）")


def cmd_exclude(args) -> None:
    if bool(args.paths) == args.list:
        raise UserError("请给出文件路径 PATH，或 --list（二者选一）")
    with open_archive(args.archive) as archive:
        if args.list:
            _list(archive, args.json)
            return
        ids = list(dict.fromkeys(i for path in args.paths for i in indexed_ids_at(archive, normalize_path(path))))
        if args.undo:
            count = include(archive, ids)
            rest = f"（{len(ids) - count} 个原本就列入）" if len(ids) > count else ""
            print(f"已恢复列入汇编：{count} 个文件{rest}")
        else:
            count = exclude(archive, ids, by=args.by if args.by is not None else default_user(), reason=args.reason)
            rest = f"（其中 {len(ids) - count} 个原已标记）" if len(ids) > count else ""
            print(f"已标记{LABEL}：{len(ids)} 个文件{rest}")


def _list(archive, as_json: bool) -> None:
    marks = exclusions(archive)
    paths = dict(archive.conn.execute(  # the marked files' only, not the whole index's
        "SELECT id, path FROM files WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(marks)),)))
    rows = sorted((paths[file_id], mark) for file_id, mark in marks.items())
    if as_json:
        emit_json([{"path": path, **mark.to_json()} for path, mark in rows])
        return
    if not rows:
        print(f"没有标为{LABEL}的文件")
    for path, mark in rows:
        print(f"{path}：{mark.describe()}")


HANDLERS = {"exclude": cmd_exclude}
