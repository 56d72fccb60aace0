"""Command line of the self-evaluation (自查自评) and rectification (问题整改):

    python main.py score ARCHIVE CODE POINTS [--note TEXT] [--by NAME]       POINTS: a number, 通过/否决, 清除
    python main.py unit ARCHIVE CODE --lead UNIT [--assist UNIT,...] [--due YYYY-MM-DD] [--kind KIND]
    python main.py problem ARCHIVE add CODE TEXT --unit UNIT --due YYYY-MM-DD [--note TEXT]
    python main.py problem ARCHIVE list [--json] [--unit UNIT] [--overdue]
    python main.py problem ARCHIVE set ID STATE [--by NAME] [--note TEXT]     STATE: open|fixed|verified or 未整改…
    python main.py problem ARCHIVE edit ID [--code CODE] [--text TEXT] [--unit UNIT] [--due DATE] [--note TEXT]
    python main.py problem ARCHIVE link ID PATH... | unlink ID PATH | delete ID
    python main.py report ARCHIVE selfcheck|bulletin|ledger|tasks --out PATH [--unit UNIT] [--format F]
    python main.py selfeval ARCHIVE [--json] [--unit UNIT]                    the score sheet and the projected result
    python main.py rules ARCHIVE [--veto on|off] [--key PERCENT|off] [--total POINTS|PERCENT%|off] [--reset]
                                 [--period FROM TO | --period off]      the creation period (创建周期)

`unit --lead` may be left out when only --assist, --due or --kind changes. `problem add` defaults --unit and --due
to the criterion's lead unit and deadline. A report --out folder gets one file per unit (bulletin, tasks).
"""

from __future__ import annotations

import sys

from archive.assignments import assign, split_unit_list
from archive.db import open_archive
from archive.index.scan import scan
from archive.metadata.period import OFF_WORDS, clear_period, describe_period, load_period, save_period
from cli.commands import emit_json
from common.errors import UserError
from common.text import format_points
from exporters.reports import KIND_NAMES, KINDS, write_report
from selfeval import rectify
from selfeval.rules import PassRules, load_rules, project, save_rules
from selfeval.scores import describe_score, set_score
from selfeval.sheet import load_sheet


def add_parsers(sub) -> None:
    score = sub.add_parser("score", help="记录评价项目的自评得分")
    score.add_argument("archive", metavar="ARCHIVE")
    score.add_argument("code", metavar="CODE")
    score.add_argument("points", metavar="POINTS", help="得分（0 至满分）；否决项可记“通过”或“否决”；“清除”删除得分")
    score.add_argument("--note", metavar="TEXT", help="扣分说明")
    score.add_argument("--by", metavar="NAME", help="评分人")

    unit = sub.add_parser("unit", help="设置评价项目的牵头单位、配合单位、时限和类别")
    unit.add_argument("archive", metavar="ARCHIVE")
    unit.add_argument("code", metavar="CODE")
    unit.add_argument("--lead", metavar="UNIT", help="牵头单位")
    unit.add_argument("--assist", metavar="UNIT,...", help="配合单位，以逗号或顿号分隔；空字符串表示无")
    unit.add_argument("--due", metavar="YYYY-MM-DD", help="完成时限；“无”表示取消")
    unit.add_argument("--kind", metavar="KIND", help="项目类别：否决项、关键项、基本项、鼓励项，或“自动”（按评价目录）")

    _add_problem_parser(sub)

    report = sub.add_parser("report", help="生成自评报告、进度通报、整改台账或单位任务清单")
    report.add_argument("archive", metavar="ARCHIVE")
    report.add_argument("kind", choices=KINDS, metavar="KIND",
                        help="selfcheck（自评报告）、bulletin（进度通报）、ledger（整改台账）、tasks（单位任务清单）")
    report.add_argument("--out", required=True, metavar="PATH",
                        help="输出文件；进度通报和任务清单也可为文件夹（每单位一份）")
    report.add_argument("--unit", metavar="UNIT", help="只含该单位（牵头或配合）的项目和整改问题")
    report.add_argument("--format", choices=("docx", "pdf", "xlsx"), help="输出格式（默认按 --out 的扩展名）")
    report.add_argument("--font", metavar="PATH", help="PDF 使用的中文字体文件（.ttf/.ttc）")

    sheet = sub.add_parser("selfeval", help="查看自评得分和预计结果")
    sheet.add_argument("archive", metavar="ARCHIVE")
    sheet.add_argument("--unit", metavar="UNIT", help="只列出该单位的项目")
    sheet.add_argument("--json", action="store_true", help="以 JSON 输出")

    rules = sub.add_parser("rules", help="查看或修改通过规则")
    rules.add_argument("archive", metavar="ARCHIVE")
    rules.add_argument("--veto", choices=("on", "off"), help="否决项规则：on 启用，off 停用")
    rules.add_argument("--key", metavar="PERCENT|off", help="每个关键项的最低得分率，如 60%%；off 停用")
    rules.add_argument("--total", metavar="POINTS|PERCENT%|off", help="总分线：90 表示 90 分，90%% 表示满分的 90%%")
    rules.add_argument("--reset", action="store_true", help="恢复默认规则（不影响创建周期）")
    rules.add_argument("--period", nargs="+", metavar="FROM TO",
                       help="创建周期，如 --period 2024-01-01 2026-06-30；off 清除。成文日期不在其中的材料标为问题")


def _add_problem_parser(sub) -> None:
    problem = sub.add_parser("problem", help="登记、查看和更新整改问题")
    problem.add_argument("archive", metavar="ARCHIVE")
    actions = problem.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="登记整改问题")
    add.add_argument("code", metavar="CODE")
    add.add_argument("text", metavar="TEXT")
    add.add_argument("--unit", metavar="UNIT", help="责任单位（默认为该项目的牵头单位）")
    add.add_argument("--due", metavar="YYYY-MM-DD", help="整改时限（默认为该项目的时限）")
    add.add_argument("--note", metavar="TEXT", default="", help="备注")
    listing = actions.add_parser("list", help="列出整改问题")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.add_argument("--unit", metavar="UNIT", help="只列出该单位的问题")
    listing.add_argument("--overdue", action="store_true", help="只列出逾期未整改的问题")
    state = actions.add_parser("set", help="更新整改状态")
    state.add_argument("id", metavar="ID")
    state.add_argument("state", metavar="STATE", help="open/fixed/verified 或 未整改/已整改/已验证")
    state.add_argument("--by", metavar="NAME", help="验证人（记为已验证时）")
    state.add_argument("--note", metavar="TEXT", help="备注")
    edit = actions.add_parser("edit", help="修改整改问题")
    edit.add_argument("id", metavar="ID")
    for name, help_text in (("code", "评价项目编号"), ("text", "问题"), ("unit", "责任单位"), ("due", "整改时限"),
                            ("note", "备注")):
        edit.add_argument(f"--{name}", metavar=name.upper(), help=help_text)
    link = actions.add_parser("link", help="关联整改材料（文件夹或文件）")
    link.add_argument("id", metavar="ID")
    link.add_argument("paths", metavar="PATH", nargs="+")
    unlink = actions.add_parser("unlink", help="取消关联整改材料")
    unlink.add_argument("id", metavar="ID")
    unlink.add_argument("path", metavar="PATH")
    delete = actions.add_parser("delete", help="删除整改问题（只删除登记和关联，不删除文件）")
    delete.add_argument("id", metavar="ID")


def cmd_score(args) -> None:
    with open_archive(args.archive) as archive:
        item = set_score(archive, args.code, args.points, note=args.note, by=args.by)
        projection = project(load_sheet(archive), load_rules(archive))
    if item.score is None:
        print(f"已清除 {item.code} 的得分")
    else:
        maximum = f" / {format_points(item.maximum)} 分" if item.maximum is not None else ""
        note = f"（{item.score.note}）" if item.score.note else ""
        print(f"已记分：{item.code} {item.criterion.title}：{describe_score(item)}{maximum}{note}")
    print(projection.headline())


def cmd_unit(args) -> None:
    if not any(value is not None for value in (args.lead, args.assist, args.due, args.kind)):
        raise UserError("请至少指定 --lead、--assist、--due 或 --kind 之一")
    assist = split_unit_list(args.assist) if args.assist is not None else None
    with open_archive(args.archive) as archive:
        item = assign(archive, args.code, lead=args.lead, assist=assist, due=args.due, kind=args.kind)
    # A deadline cleared with "无" falls back to the table's or the part's: say whose it is
    parts = [f"牵头 {item.lead or '（未指定）'}", f"配合 {'、'.join(item.assist) or '无'}",
             f"时限 {item.due or '未设定'}{item.due_whose}", f"类别 {item.kind or '未分类'}"]
    print(f"已设置 {item.code}：{'，'.join(parts)}")


def _problem_line(rect: rectify.Rectification) -> str:
    flags = "【逾期】" if rect.overdue() else ""
    verified = f"，验证：{rect.verified_by} {rect.verified_at}" if rect.state == "verified" else ""
    return f"#{rect.id} [{rect.state_name}]{flags} {rect.code} {rect.text} — {rect.unit}，时限 {rect.due}{verified}"


def cmd_problem(args) -> None:
    with open_archive(args.archive) as archive:
        if args.action == "add":
            rect = rectify.add(archive, args.code, args.text, unit=args.unit, due=args.due, note=args.note)
            print(f"已登记整改问题 {_problem_line(rect)}")
        elif args.action == "list":
            _list_problems(archive, args)
        elif args.action == "set":
            rect = rectify.set_state(archive, args.id, args.state, by=args.by, note=args.note)
            print(f"已更新 {_problem_line(rect)}")
        elif args.action == "edit":
            rect = rectify.update(archive, args.id, code=args.code, text=args.text, unit=args.unit, due=args.due,
                                  note=args.note)
            print(f"已修改 {_problem_line(rect)}")
        elif args.action == "link":
            rect = rectify.get(archive, args.id)
            added = rectify.link_evidence(archive, rect.id, args.paths)
            result = scan(archive, targets=added) if added else None
            files = f"，索引 {result.added} 个新文件" if result else ""
            print(f"已关联 {len(added)} 项到整改问题 #{rect.id}{files}")
        elif args.action == "unlink":
            rectify.unlink_evidence(archive, args.id, args.path)
            print(f"已取消关联：{args.path}")
        else:
            rect = rectify.get(archive, args.id)
            rectify.delete(archive, rect.id)
            print(f"已删除整改问题 #{rect.id}（关联的文件未改动）")


def _list_problems(archive, args) -> None:
    items = rectify.list_all(archive, unit=args.unit)
    if args.overdue:
        items = [r for r in items if r.overdue()]
    if args.json:
        emit_json([r.to_json() for r in items])
        return
    for rect in items:
        print(_problem_line(rect))
    overdue = sum(1 for r in items if r.overdue())
    print(f"共 {len(items)} 个整改问题" + (f"，{overdue} 个逾期未整改" if overdue else ""))


def _print_progress(fraction: float, message: str) -> None:
    print(f"\r{fraction:4.0%} {message[:60]}\033[K", end="", file=sys.stderr, flush=True)


def cmd_report(args) -> None:
    progress = _print_progress if sys.stderr.isatty() else None
    with open_archive(args.archive) as archive:
        try:
            result = write_report(archive, args.kind, args.out, unit=args.unit, fmt=args.format, progress=progress,
                                  font_path=args.font)
        finally:
            if progress:
                print(file=sys.stderr)
    for path in result.paths:
        print(f"已生成{KIND_NAMES[args.kind]}：{path}")


def cmd_selfeval(args) -> None:
    with open_archive(args.archive) as archive:
        sheet = load_sheet(archive)
        projection = project(sheet, load_rules(archive))
        unit = args.unit.strip() if args.unit else None
        items = sheet.for_unit(unit)
    if args.json:
        emit_json({"items": [_item_json(i) for i in items], "selfeval": projection.to_json()})
        return
    for item in items:
        score = describe_score(item) if item.scoring else (format_points(item.total) if item.total is not None else "")
        maximum = f" / {format_points(item.maximum)}" if item.maximum is not None else ""
        kind = f"［{item.kind}］" if item.kind else ""
        print(f"{'  ' * (item.criterion.level - 1)}{item.code} {item.criterion.title}{kind}：{score}{maximum}")
    print(projection.headline())
    for line in projection.rules:
        print(f"规则：{line}")
    for blocker in projection.blocking:
        print(f"影响通过：{blocker.line()}")


def _item_json(item) -> dict:
    score = item.score
    return {"code": item.code, "title": item.criterion.title, "kind": item.kind, "scoring": item.scoring,
            "points": item.maximum, "score": score.points if score else item.total if not item.scoring else None,
            "failed": item.veto_failed, "note": score.note if score else "", "lead": item.assignment.lead,
            "assist": item.assignment.assist, "due": item.assignment.due}


def _ratio(text: str, what: str) -> float | None:
    text = text.strip().rstrip("%％")
    if text.lower() in ("off", "无", "停用"):
        return None
    try:
        value = float(text) / 100
    except ValueError:
        raise UserError(f"{what}应为百分数（如 60%）或 off：{text}") from None
    return value


def cmd_rules(args) -> None:
    with open_archive(args.archive) as archive:
        rules = PassRules() if args.reset else load_rules(archive)
        if args.veto:
            rules.veto = args.veto == "on"
        if args.key is not None:
            rules.key_ratio = _ratio(args.key, "关键项得分率")
        if args.total is not None:
            _set_total(rules, args.total)
        if args.reset or any(v is not None for v in (args.veto, args.key, args.total)):
            save_rules(archive, rules)
        projection = project(load_sheet(archive), rules)
        period = _set_period(archive, args.period)
    print("通过规则：" + ("；".join(projection.rules) or "（未设规则）"))
    print(projection.headline())
    if period is not None:
        print(f"创建周期：{describe_period(period)}")


def _set_period(archive, words: list[str] | None) -> tuple[str, str] | None:
    """Set or clear the creation period as `--period` says; the period after it (None: not set)."""
    if words is None:
        return load_period(archive)
    if len(words) == 1 and words[0].strip().lower() in OFF_WORDS:
        clear_period(archive)
        return None
    if len(words) != 2:
        raise UserError("--period 需要两个日期（开始 结束），如 --period 2024-01-01 2026-06-30；或 off 清除")
    return save_period(archive, *words)


def _set_total(rules: PassRules, text: str) -> None:
    word = text.strip()
    if word.endswith(("%", "％")) or word.lower() in ("off", "无", "停用"):
        rules.total_ratio, rules.total_points = _ratio(word, "总分线"), None
        return
    try:
        rules.total_points = float(word.rstrip("分"))
    except ValueError:
        raise UserError(f"总分线应为分数（如 90）、百分数（如 90%）或 off：{text}") from None


HANDLERS = {"score": cmd_score, "unit": cmd_unit, "problem": cmd_problem, "report": cmd_report,
            "selfeval": cmd_selfeval, "rules": cmd_rules}
