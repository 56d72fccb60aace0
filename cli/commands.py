"""One handler per sub-command. Handlers print Chinese text (or JSON with --json) and raise UserError on bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archive.catalogue import load_catalogue, store_catalogue
from archive.confirm import confirm, withdraw
from archive.db import archive_files, create_archive, open_archive
from archive.index.scan import scan
from archive.links import automap, link, normalize_path, relocate, unlink
from archive.status import STATE_NAMES, compute_status, totals
from cli.criteria_plan import check_options, preview, read_plan, report_applied
from cli.revision import import_revision, revision_output
from common.errors import UserError
from common.text import format_size
from criteria.template import load_template
from criteria.yamlio import save_yaml
from selfeval.rules import projection_for


def emit_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


human_size = format_size  # one size format for the window, the CLI and the dossier


def cmd_new(args) -> None:
    path = Path(args.archive)
    check_options(args, args.criteria, "--criteria")
    plan = read_plan(args.criteria, args.map) if args.criteria else None
    if plan is not None and args.preview:
        preview(plan, args.json)
        return
    if path.exists():
        raise UserError(f"文件已存在，未覆盖：{path}")
    catalogue = plan.catalogue if plan is not None else load_template(args.template or "work-plan")
    archive = create_archive(path, args.title or path.stem)
    try:
        with archive:
            store_catalogue(archive, catalogue)
    except BaseException:
        for own in archive_files(path):
            own.unlink(missing_ok=True)
        raise
    if plan is not None:
        report_applied(plan)
    print(f"已新建档案 {path}：{len(catalogue.items())} 个评价项目（{catalogue.title}）")


def cmd_criteria(args) -> None:
    check_options(args, args.import_file, "--import")
    plan = read_plan(args.import_file, args.map) if args.import_file else None
    with open_archive(args.archive) as archive:
        if plan is not None:
            # The import plan says how the table was read; the revision plan how its items meet the current ones.
            revision, applied = import_revision(archive, plan.catalogue, args.preview)
            if args.preview:
                preview(plan, args.json, revision=revision_output(revision, False, args.json))
                return
            # With --json, stdout carries only the JSON list of the contract; the plans go to stderr.
            report_applied(plan, to_stderr=args.json)
            for line in revision_output(revision, applied, False):
                print(line, file=sys.stderr if args.json else sys.stdout)
        catalogue = load_catalogue(archive)
        if args.export:
            save_yaml(catalogue, args.export)
            if not args.json:  # JSON output stays one document
                print(f"已导出 {len(catalogue.items())} 个评价项目到 {args.export}")
        if args.json:
            emit_json([{"code": c.code, "title": c.title, "parent": c.parent, "level": c.level, "points": c.points,
                        "method": c.method, "units": c.units} for c in catalogue.criteria])
        elif not (args.import_file or args.export):
            for c in catalogue.criteria:
                points = f"（{c.points:g} 分）" if c.points is not None else ""
                print(f"{'  ' * (c.level - 1)}{c.shown_code()} {c.title}{points}")


def cmd_link(args) -> None:
    if args.from_path is not None:
        _relocate(args)
        return
    with open_archive(args.archive) as archive:
        added = link(archive, args.code, args.paths)
    for path in args.paths:
        state = "已关联" if normalize_path(path) in added else "原已关联"
        print(f"{state}：{args.code} ← {path}")


def _relocate(args) -> None:
    """link --from: the app's 重新定位 (archive.links.relocate), for a folder a department moved or renamed."""
    if len(args.paths) != 1:
        raise UserError(f"重新定位只能给出一个新位置：--from {args.from_path} 之外给出了 {len(args.paths)} 个路径")
    with open_archive(args.archive) as archive:
        new = relocate(archive, args.code, args.from_path, args.paths[0])
    print(f"已重新定位：{args.code} ← {new}（原位置：{normalize_path(args.from_path)}）")
    print("下次扫描（scan）时，在新位置找到的原有文件记为移动/改名，保留原有记录；未找到的记为删除")


def cmd_unlink(args) -> None:
    with open_archive(args.archive) as archive:
        unlink(archive, args.code, args.path)
    print(f"已取消关联：{args.code} ← {args.path}")


def cmd_automap(args) -> None:
    from search.suggest import remember_root  # the root's unmatched folders are what `suggest` looks at

    with open_archive(args.archive) as archive:
        report = automap(archive, args.root)
        remember_root(archive, args.root)
    for code, folder in report.linked:
        print(f"已关联：{code} ← {folder}")
    for code, folder in report.existing:
        print(f"原已关联：{code} ← {folder}")
    for code, folder in report.categories:
        print(f"未关联（其子文件夹已关联到 {code} 的下级项目）：{folder}")
    for folder in report.unmatched:
        print(f"未匹配任何评价项目（含其子文件夹）：{folder}")
    for found in report.contradicted:
        print(f"编号与名称不符：{found.folder}：{found.reason}")
    print(f"共新关联 {len(report.linked)} 个文件夹，{len(report.unmatched)} 个文件夹未匹配"
          + ("（可用 suggest 命令按名称和内容查看关联建议）" if report.unmatched else "")
          + (f"，{len(report.contradicted)} 个文件夹编号与名称不符，未关联" if report.contradicted else ""))


def _print_progress(fraction: float, message: str) -> None:
    print(f"\r{fraction:4.0%} {message}\033[K", end="", file=sys.stderr, flush=True)


def cmd_scan(args) -> None:
    progress = _print_progress if sys.stderr.isatty() and not args.json else None
    with open_archive(args.archive) as archive:
        result = scan(archive, progress=progress)
    if progress:
        print(file=sys.stderr)
    if args.json:
        emit_json(result.to_json())
        return
    print(f"新增 {result.added}，修改 {result.modified}，删除 {result.removed}，移动/改名 {result.moved}；"
          f"共 {result.files} 个文件，{len(result.problems)} 个问题，用时 {result.seconds:.2f} 秒")
    for path in result.unreachable:
        print(f"无法访问（文件保留上次扫描结果）：{path}")
    for problem in result.problems:
        print(f"问题：{problem['path']}：{problem['problem']}")


def cmd_status(args) -> None:
    with open_archive(args.archive) as archive:
        statuses = compute_status(archive)
        summary = totals(archive, statuses)
        projection = None if args.json else projection_for(archive)  # self-evaluation; JSON: `selfeval --json`
    if args.json:
        emit_json({"criteria": [s.to_json() for s in statuses], "totals": summary})
        return
    for s in statuses:
        problems = f"，{s.problems} 个问题" if s.problems else ""
        print(f"{'  ' * (s.level - 1)}{s.code} {s.title}：{STATE_NAMES[s.state]}（{s.files} 个文件{problems}）")
    print(f"共 {summary['items']} 个评价项目：" + "，".join(f"{STATE_NAMES[k]} {summary[k]}" for k in STATE_NAMES)
          + f"；{summary['files']} 个文件，{human_size(summary['bytes'])}")
    if projection.scored:
        print(projection.headline())


def cmd_confirm(args) -> None:
    with open_archive(args.archive) as archive:
        if args.undo:
            withdraw(archive, args.code)
            print(f"已撤销确认：{args.code}")
        else:
            confirm(archive, args.code, by=args.by, note=args.note)
            print(f"已确认：{args.code}")


HANDLERS = {"new": cmd_new, "criteria": cmd_criteria, "link": cmd_link, "unlink": cmd_unlink,
            "automap": cmd_automap, "scan": cmd_scan, "status": cmd_status, "confirm": cmd_confirm}
