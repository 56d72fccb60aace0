"""The argument grammar of the command-line contract. Each sub-command names its handler in cli.commands."""

from __future__ import annotations

import argparse

from cli import argparse_zh
from cli.criteria_plan import MAP_HELP, PREVIEW_HELP

argparse_zh.install()


def build_parser(extensions=()) -> argparse.ArgumentParser:
    """The core commands, then each extension module's `add_parsers(sub)` (monitor, export, ...)."""
    parser = argparse.ArgumentParser(prog="main.py", description="迎检通：创建国家食品安全示范城市迎检资料档案")
    parser.add_argument("--version", action="store_true", help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    add_core_parsers(sub)
    for module in extensions:
        module.add_parsers(sub)
    return parser


def add_core_parsers(sub) -> None:

    new = sub.add_parser("new", help="新建档案")
    new.add_argument("archive", metavar="ARCHIVE", help="档案文件路径（.rrdb）")
    source = new.add_mutually_exclusive_group()
    source.add_argument("--criteria", metavar="FILE",
                        help="从评价细则表格导入（xlsx/xls/docx/csv/yaml/json；doc/wps/et/odt/ods/uot/uos 需安装 "
                             "LibreOffice）")
    source.add_argument("--template", metavar="NAME", help="使用内置模板（默认 work-plan）")
    new.add_argument("--title", help="档案标题（如：某某县创建国家食品安全示范城市）")
    new.add_argument("--map", metavar="MAP", help=MAP_HELP)
    new.add_argument("--preview", action="store_true", help=PREVIEW_HELP + "，也不新建档案")
    new.add_argument("--json", action="store_true", help="与 --preview 一起：以 JSON 输出导入预览")

    crit = sub.add_parser("criteria", help="查看、导入或导出评价目录")
    crit.add_argument("archive", metavar="ARCHIVE")
    crit.add_argument("--import", dest="import_file", metavar="FILE", help="导入修订后的评价细则")
    crit.add_argument("--map", metavar="MAP", help=MAP_HELP)
    crit.add_argument("--preview", action="store_true", help=PREVIEW_HELP)
    crit.add_argument("--export", metavar="FILE.yaml", help="导出评价目录为 YAML")
    crit.add_argument("--json", action="store_true", help="以 JSON 输出")

    link = sub.add_parser("link", help="把文件夹或文件关联到评价项目")
    link.add_argument("archive", metavar="ARCHIVE")
    link.add_argument("code", metavar="CODE")
    link.add_argument("paths", metavar="PATH", nargs="+")
    link.add_argument("--from", dest="from_path", metavar="OLD_PATH",
                      help="重新定位：原来关联的文件夹（或文件）OLD_PATH 已被移动或改名，把这一关联改指向新位置 PATH"
                           "（只能给一个 PATH）；下次扫描时，在新位置找到的文件记为移动/改名，保留原有记录")

    unlink = sub.add_parser("unlink", help="取消关联")
    unlink.add_argument("archive", metavar="ARCHIVE")
    unlink.add_argument("code", metavar="CODE")
    unlink.add_argument("path", metavar="PATH")

    automap = sub.add_parser("automap", help="按文件夹名称中的编号自动关联")
    automap.add_argument("archive", metavar="ARCHIVE")
    automap.add_argument("root", metavar="ROOT")

    scan = sub.add_parser("scan", help="扫描关联的文件夹，更新文件索引")
    scan.add_argument("archive", metavar="ARCHIVE")
    scan.add_argument("--json", action="store_true", help="以 JSON 输出")

    status = sub.add_parser("status", help="查看各评价项目的材料状态")
    status.add_argument("archive", metavar="ARCHIVE")
    status.add_argument("--json", action="store_true", help="以 JSON 输出")

    confirm = sub.add_parser("confirm", help="确认（或撤销确认）评价项目的材料")
    confirm.add_argument("archive", metavar="ARCHIVE")
    confirm.add_argument("code", metavar="CODE")
    confirm.add_argument("--by", metavar="NAME", help="确认人")
    confirm.add_argument("--note", metavar="TEXT", default="", help="备注")
    confirm.add_argument("--undo", action="store_true", help="撤销确认")
