"""Command line of the evidence metadata (题名, 文号, 责任者, 成文日期 … and a photo's caption):

    python main.py meta ARCHIVE PATH [--title T] [--doc-no N] [--issuer U] [--date YYYY-MM-DD] [--secret S]
                        [--pages N] [--note T] [--subject S] [--time T] [--place P] [--people P] [--background B]
                        [--photographer P] [--revert FIELD,...] [--json]
    python main.py meta ARCHIVE --export FILE.xlsx [--code CODE] [--unit UNIT]
    python main.py meta ARCHIVE --import FILE.xlsx [--preview] [--json]     (also .xls and .ods)

PATH is an indexed file, or a folder: then every indexed file under it (photo fields go to its photos only).
Without a field option the fields are printed with where each value comes from. An empty value ("") types an empty
field, hiding what the file says; --revert goes back to what the file says.
"""

from __future__ import annotations

from archive.db import open_archive
from archive.links import normalize_path
from archive.linkset import path_range
from archive.metadata.fields import FIELDS, LABELS, ORIGIN_NAMES, SOURCE_NAMES, field_key
from archive.metadata.period import period_problems
from archive.metadata.sheetimport import apply_import, preview_import
from archive.metadata.store import FileMeta, metadata_for_files, set_values
from archive.metadata.workbook import export_catalogue
from cli.commands import emit_json
from common.errors import UserError

OPTION_NAMES = {f.key: f.key.replace("_", "-") for f in FIELDS}
HINTS = {"date": "YYYY-MM-DD", "time": "YYYY-MM-DD[ HH:MM]", "pages": "N"}


def add_parsers(sub) -> None:
    meta = sub.add_parser("meta", help="查看或填写证明材料的题名、文号、成文日期等信息，导出或导入 Excel 目录")
    meta.add_argument("archive", metavar="ARCHIVE")
    meta.add_argument("path", metavar="PATH", nargs="?", help="已索引的文件，或文件夹（其中的全部文件）")
    for field in FIELDS:
        meta.add_argument(f"--{OPTION_NAMES[field.key]}", dest=field.key, metavar=HINTS.get(field.key, "TEXT"),
                          help=f"{field.label}{'（仅照片）' if field.photo else ''}；空字符串表示填为空")
    meta.add_argument("--revert", metavar="FIELD,...", help="恢复为从文件读取的值，如 --revert title,date")
    meta.add_argument("--export", metavar="FILE.xlsx", help="导出文件目录（Excel）")
    meta.add_argument("--code", metavar="CODE", help="导出时只含该评价项目（及其下级项目）的文件")
    meta.add_argument("--unit", metavar="UNIT", help="导出时只含该单位（牵头或配合）的项目的文件")
    meta.add_argument("--import", dest="import_file", metavar="FILE.xlsx",
                      help="导入填写后的文件目录（.xlsx、.xls 或 .ods）")
    meta.add_argument("--preview", action="store_true", help="导入时只列出改动，不写入")
    meta.add_argument("--json", action="store_true", help="以 JSON 输出")


def cmd_meta(args) -> None:
    chosen = [name for name, value in (("PATH", args.path), ("--export", args.export),
                                       ("--import", args.import_file)) if value]
    if len(chosen) != 1:
        raise UserError("请给出文件路径 PATH，或 --export FILE.xlsx，或 --import FILE.xlsx（三者选一）")
    with open_archive(args.archive) as archive:
        if args.export:
            count = export_catalogue(archive, args.export, code=args.code, unit=args.unit)
            print(f"已导出 {count} 个文件的目录：{args.export}")
        elif args.import_file:
            _import(archive, args)
        else:
            _file(archive, args)


def _import(archive, args) -> None:
    preview = preview_import(archive, args.import_file)
    if not args.preview and preview.changes:
        apply_import(archive, preview)
    if args.json:
        emit_json({**preview.to_json(), "applied": not args.preview and bool(preview.changes)})
        return
    files = len({c.file_id for c in preview.changes})
    print(f"共 {preview.rows} 行，{len(preview.changes)} 处改动（{files} 个文件）：")
    for change in preview.changes:
        print(f"  {change.describe()}")
    for line in preview.unmatched + preview.errors:  # each line says what was not imported and why
        print(line)
    if args.preview:
        print("预览：未写入（去掉 --preview 即写入）")
    elif preview.changes:
        print(f"已写入 {len(preview.changes)} 处改动")


def _file(archive, args) -> None:
    ids = indexed_ids_at(archive, normalize_path(args.path))
    values = {key: getattr(args, key) for key in LABELS if getattr(args, key) is not None}
    for name in (args.revert or "").replace("，", ",").split(","):
        if name.strip():
            values[field_key(name)] = None
    if values:
        changed = set_values(archive, ids, values)
        files = len({file_id for file_id, _ in changed})
        names = "、".join(LABELS[key] for key in values)
        skipped = len(ids) - files
        print(f"已更新 {files} 个文件的{names}" + (f"（{skipped} 个不是照片，未设置）" if skipped else ""))
    metas = metadata_for_files(archive, ids)
    problems = period_problems(archive)
    if args.json:
        shown = [{**m.to_json(), "problems": _problems(archive, m, problems)} for m in metas.values()]
        emit_json(shown[0] if len(ids) == 1 and _is_file(archive, args.path) else shown)
        return
    if not values:
        for meta in metas.values():
            _print(meta, _problems(archive, meta, problems))


def indexed_ids_at(archive, path: str) -> list[int]:
    """The indexed file at `path`, or every indexed file under the folder `path`."""
    row = archive.conn.execute("SELECT id FROM files WHERE path = ? AND sha256 IS NOT NULL", (path,)).fetchone()
    if row is not None:
        return [row[0]]
    lo, hi = path_range(path)
    ids = [r[0] for r in archive.conn.execute(
        "SELECT id FROM files WHERE path >= ? AND path < ? AND sha256 IS NOT NULL ORDER BY path", (lo, hi))]
    if not ids:
        raise UserError(f"文件不在档案的索引中：{path}（请先关联其所在文件夹并扫描）")
    return ids


def _is_file(archive, path: str) -> bool:
    return archive.conn.execute("SELECT 1 FROM files WHERE path = ?", (normalize_path(path),)).fetchone() is not None


def _problems(archive, meta: FileMeta, dated: dict[int, str]) -> list[str]:
    own = archive.conn.execute("SELECT problem FROM files WHERE id = ?", (meta.file_id,)).fetchone()
    return [p for p in ((own[0] if own else None), dated.get(meta.file_id)) if p]


def _print(meta: FileMeta, problems: list[str]) -> None:
    print(f"{meta.path}（{'照片' if meta.is_photo else (meta.type or '文件').upper()}）")
    for key in meta.fields():
        value = meta.get(key)
        origin = f"：{ORIGIN_NAMES.get(value.origin, value.origin)}" if value.origin else ""
        where = f"（{SOURCE_NAMES[value.source]}{origin}）" if value.source else ""
        print(f"  {LABELS[key]}：{value.text or '（空）'}{where}")
    for problem in problems:
        print(f"  问题：{problem}")


HANDLERS = {"meta": cmd_meta}
