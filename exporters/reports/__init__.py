"""Reports of the self-evaluation: 自评报告, 进度通报, 整改台账 and the per-unit task list (单位任务清单).

    result = write_report(archive, "bulletin", "通报.pdf", unit=None, progress=..., cancel=...)

Kinds and formats: selfcheck (docx, pdf), bulletin (docx, pdf), tasks (docx, pdf), ledger (xlsx); the format comes
from `fmt` or the output's extension. `unit` limits a report to one unit (lead or assisting items, its problems).
Output to a folder: bulletin and tasks write one file per unit ("<unit>进度通报.docx"), or only the given unit's;
a missing folder (a new path without an extension) is made.
Like the dossier export, everything is read from one snapshot of the archive, and each file is written to a temp
file beside the target and renamed into place; a cancelled or failed report leaves nothing behind. `today` fixes
the date overdue is judged against (tests, reprints).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from archive.db import Archive, now
from archive.linkset import LinkSet
from common.atomic import atomic_output, check_folder, check_target
from common.errors import UserError
from common.names import safe_component
from common.progress import CancelCheck, Progress, ProgressReporter
from exporters.reports.data import ReportData, gather

KINDS = ("selfcheck", "bulletin", "ledger", "tasks")
KIND_NAMES = {"selfcheck": "自查自评报告", "bulletin": "进度通报", "ledger": "整改台账", "tasks": "任务清单"}
FORMATS = {"selfcheck": ("docx", "pdf"), "bulletin": ("docx", "pdf"), "ledger": ("xlsx",), "tasks": ("docx", "pdf")}
PER_UNIT = ("bulletin", "tasks")


@dataclass
class ReportResult:
    paths: list[Path] = field(default_factory=list)


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UserError(f"不支持的报告类型：{kind}（可选 {'、'.join(KINDS)}）")
    return kind


def output_format(kind: str, out: str | Path, fmt: str | None = None) -> str:
    check_kind(kind)
    allowed = FORMATS[kind]
    if fmt is None:
        suffix = Path(out).suffix.lower().lstrip(".")
        fmt = suffix if suffix in allowed and not is_folder(out) else allowed[0]
    if fmt not in allowed:
        raise UserError(f"{KIND_NAMES[kind]}可输出的格式：{'、'.join(allowed)}，不支持 {fmt}")
    return fmt


def plan_outputs(archive: Archive, data: ReportData, kind: str, out: str | Path, unit: str | None,
                 fmt: str) -> list[tuple[Path, str | None]]:
    """(target file, unit or None) for every file to write; checks the unit, the folder and the file names."""
    unit = data.check_unit(unit)
    folder = Path(out).expanduser()
    if is_folder(out):
        check_folder(folder.absolute())  # a missing folder is made with the first report
        if kind not in PER_UNIT and not unit:
            raise UserError(f"{KIND_NAMES[kind]}请用 --out 指定文件名（如 {KIND_NAMES[kind]}.{fmt}），而不是文件夹")
        units = [unit] if unit else data.units
        if not units:
            raise UserError("评价目录和分工中都没有填写单位，无法按单位生成")
        targets = [(folder.absolute() / safe_component(f"{name}{KIND_NAMES[kind]}.{fmt}", 100), name)
                   for name in units]
    else:
        if kind == "tasks" and not unit:
            raise UserError("单位任务清单需要指定单位（--unit），或用 --out 指定一个文件夹，为每个单位各生成一份")
        targets = [(check_target(out, f".{fmt}"), unit)]
    links = LinkSet.load(archive.conn)
    for target, _ in targets:  # evidence folders are read-only to us: a report saved there would become evidence
        if links.covers(str(target)) or links.covers(os.path.join(str(target.parent), "x")):
            raise UserError(f"不能把报告保存在关联的证明材料文件夹中，请另选位置：{target}")
    return targets


def is_folder(out: str | Path) -> bool:
    """An existing folder, or a new path without an extension (`--out 通报`) or ending in a slash: made as a
    folder, like `git clone` does."""
    path = Path(out).expanduser()
    return path.is_dir() or (not os.path.lexists(path) and (not path.suffix or str(out).endswith(("/", os.sep))))


def write_report(archive: Archive, kind: str, out: str | Path, unit: str | None = None, fmt: str | None = None,
                 progress: Progress | None = None, cancel: CancelCheck | None = None, today: date | None = None,
                 generated: str | None = None, font_path: str | None = None) -> ReportResult:
    fmt = output_format(kind, out, fmt)
    job = ProgressReporter(progress, cancel, every=8)
    job.report(0.0, "正在读取档案…")
    if generated is None:  # a report "as of" a given day is dated that day
        generated = now() if today is None else f"{today.isoformat()} {now()[11:]}"
    with archive.snapshot() as view:  # one consistent picture, even while the monitor records changes
        data = gather(view, generated, today)
        targets = plan_outputs(view, data, kind, out, unit, fmt)
    result = ReportResult()
    for number, (target, name) in enumerate(targets):
        part = ProgressReporter(_scaled(job, number, len(targets)), job.cancel, every=8)
        with tempfile.TemporaryDirectory(prefix="reviewready-report-") as workdir, atomic_output(target) as temp:
            _write_one(data, kind, fmt, str(temp), name, part, workdir, font_path)
            job.check()
        result.paths.append(target)
    job.progress(1.0, "报告已生成")
    return result


def _scaled(job: ProgressReporter, number: int, count: int) -> Progress:
    def progress(fraction: float, message: str) -> None:
        job.progress((number + fraction) / count, message)
    return progress


def _write_one(data: ReportData, kind: str, fmt: str, temp: str, unit: str | None, job: ProgressReporter, workdir: str,
               font_path: str | None) -> None:
    if kind == "ledger":
        from exporters.reports.ledger import write_ledger

        write_ledger(data, temp, job, workdir, unit)
        return
    job.report(0.1, f"正在整理{KIND_NAMES[kind]}…")
    report = build(data, kind, unit)
    if fmt == "pdf":
        from exporters.reports.render_pdf import write_pdf

        write_pdf(report, temp, job, font_path)
    else:
        from exporters.reports.render_docx import write_docx

        write_docx(report, temp, job, workdir)


def build(data: ReportData, kind: str, unit: str | None):
    """The Report (blocks) of a Word/PDF kind, for rendering or inspection."""
    if kind == "selfcheck":
        from exporters.reports.selfcheck import build_selfcheck

        return build_selfcheck(data, unit)
    if kind == "bulletin":
        from exporters.reports.bulletin import build_bulletin

        return build_bulletin(data, unit)
    from exporters.reports.tasks import build_tasks

    return build_tasks(data, unit)
