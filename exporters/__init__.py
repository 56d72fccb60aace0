"""Export an archive for the review: the dossier (Word or PDF) and the handover package (zip).

    plan = plan_export(archive, "pdf", options)      # what will be attached, converted or only listed
    result = export(archive, "pdf", "汇编.pdf", options, progress, cancel, plan=plan)

Both are plain functions (no Qt). `export` is a job: progress(fraction, message) and cooperative cancel; it writes
a temp file beside the target and renames it into place, so a cancelled or failed export leaves nothing behind.
Everything either reads from the archive comes from one snapshot (Archive.snapshot): a dossier made while the
monitor records changes shows the archive as it was when the export began, never a mix of before and after. A plan
handed to `export` is the export's snapshot: its evidence, converter and fonts are used as they are, not collected
and looked up a second time (the window re-plans when the archive changes, so the plan shown is what is exported).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from archive.db import Archive
from archive.linkset import LinkSet
from common.atomic import atomic_output, check_target
from common.errors import UserError
from common.progress import CancelCheck, Progress, ProgressReporter
from exporters.evidence import EvidenceSet, collect
from exporters.exportlog import record_export
from exporters.office import ExportPlan, find_converter, plan_from
from exporters.options import DEFAULT_TITLE, FORMATS, ExportOptions

__all__ = ["DEFAULT_TITLE", "FORMATS", "ExportOptions", "ExportPlan", "ExportResult", "check_output", "export",
           "plan_export", "plan_key", "write_output"]


@dataclass
class ExportResult:
    path: Path
    size: int
    warnings: list[str] = field(default_factory=list)


def plan_export(archive: Archive, fmt: str, options: ExportOptions | None = None) -> ExportPlan:
    """What an export would include, attach, convert or only list: tell the user before starting. Hand the plan
    to `export` and what it read is exported."""
    options = options or ExportOptions()
    options.check()
    _check_format(fmt)
    evidence = collect(archive, options.codes, options.generated)  # collect reads through a snapshot of its own
    converter = find_converter() if fmt == "pdf" and not options.catalogue_only else None
    plan = plan_from(evidence, fmt, options, converter)
    plan.made_for = plan_key(fmt, options)
    if fmt in ("pdf", "zip"):
        from exporters.fonts import find_fonts

        plan.fonts = find_fonts(options.font_path)  # stops here, before any work, when no CJK font is usable
        plan.lines_extra.append("PDF 字体：" + "、".join(os.path.basename(f) for f in plan.fonts.files))
    return plan


def plan_key(fmt: str, options: ExportOptions) -> tuple:
    """What a plan depends on: a plan made for other options is not used."""
    return (fmt, options.catalogue_only, tuple(options.codes or ()), options.generated, options.font_path)


def export(archive: Archive, fmt: str, out: str | Path, options: ExportOptions | None = None,
           progress: Progress | None = None, cancel: CancelCheck | None = None,
           plan: ExportPlan | None = None) -> ExportResult:
    options = options or ExportOptions()
    options.check()
    job = ProgressReporter(progress, cancel, every=16)
    if plan is not None and plan.made_for != plan_key(fmt, options):
        plan = None  # made for other options: read afresh
    with archive.snapshot() as view:  # one consistent picture, even while the monitor records changes
        result, evidence = _export(view, fmt, out, options, job, plan)
    # logged through the archive itself: the snapshot view is read-only
    if (logged := record_export(archive, fmt, result.path, result.size, options, evidence)) is not None:
        result.warnings.append(logged)
    job.progress(1.0, "导出完成")
    return result


def _export(archive: Archive, fmt: str, out: str | Path, options: ExportOptions, job: ProgressReporter,
            plan: ExportPlan | None) -> tuple[ExportResult, EvidenceSet]:
    target = check_output(archive, fmt, out)
    job.report(0.0, "正在读取档案…")
    # evidence, file descriptions and self-evaluation data, all from the one snapshot (the plan's, if handed)
    evidence = plan.evidence if plan is not None and plan.evidence is not None else \
        collect(archive, options.codes, options.generated_time())
    warnings = write_output(archive, evidence, fmt, target, options, job, plan)
    return ExportResult(target, target.stat().st_size, warnings), evidence


def write_output(source, evidence: EvidenceSet, fmt: str, target: Path, options: ExportOptions, job: ProgressReporter,
                 plan: ExportPlan | None = None) -> list[str]:
    """Render `evidence` to `target` all-or-nothing. `source` is the Archive, or a frozen stage's stand-in: the
    dossier reads only its `title` (and the live change log, when options ask for one). A plan brings the
    converter and fonts it found."""
    with tempfile.TemporaryDirectory(prefix="reviewready-export-") as workdir, atomic_output(target) as temp:
        if fmt == "zip":
            from exporters.package import write_package

            warnings = write_package(source, evidence, str(temp), options, job, workdir)
        else:
            from exporters.dossier_job import write_dossier

            warnings = write_dossier(source, evidence, fmt, str(temp), options, job, workdir, plan)
        job.check()  # a cancel during the last step still leaves nothing behind
    return warnings


def check_output(archive: Archive, fmt: str, out: str | Path) -> Path:
    """The absolute target path, or a UserError: unknown format, wrong suffix, missing folder, evidence folder."""
    _check_format(fmt)
    target = check_target(out, f".{fmt}")
    _refuse_evidence_folder(archive, target)
    return target


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UserError(f"不支持的导出格式：{fmt}（可选 {'、'.join(FORMATS)}）")


def _refuse_evidence_folder(archive: Archive, target: Path) -> None:
    """Evidence folders are read-only to us: an export saved inside one would also become evidence."""
    links = LinkSet.load(archive.conn)
    if links.covers(str(target)) or links.covers(os.path.join(str(target.parent), "x")):
        raise UserError(f"不能把导出文件保存在关联的证明材料文件夹中，请另选位置：{target}")
