"""Write a Word or PDF dossier so that no single evidence file can stop it.

    prepare (open every image and attachment) -> mark the failures in the rows' 备注 -> build -> write

A file that fails only while the PDF is laid out or merged (a page that cannot be copied, an image reportlab
cannot draw after all) leaves a blank where it would have gone; the dossier is then built and written once more
with that file listed as a problem, so its row says why. Failures are rare and the second pass is the price of
an honest 备注. Should the second pass still fail somewhere, the blank stays and the warning says so.
"""

from __future__ import annotations

from archive.db import Archive
from common.progress import ProgressReporter
from exporters.build import build_dossier
from exporters.evidence import EvidenceSet
from exporters.office import ExportPlan, find_converter
from exporters.options import ExportOptions
from exporters.preflight import Prepared, prepare

PASSES = 2


def write_dossier(archive: Archive, evidence: EvidenceSet, fmt: str, temp: str, options: ExportOptions,
                  job: ProgressReporter, workdir: str, plan: ExportPlan | None = None) -> list[str]:
    """Write the dossier to `temp`; returns the warnings for the user (files not embedded or attached, and why).
    A plan brings the converter and the fonts it found: neither is looked for again, in either pass."""
    wanted = fmt == "pdf" and not options.catalogue_only
    converter = (plan.found_converter if plan is not None else find_converter()) if wanted else None
    fonts = plan.fonts if plan is not None and fmt == "pdf" else None
    if fmt == "pdf" and fonts is None:
        from exporters.fonts import find_fonts

        fonts = find_fonts(options.font_path)  # once, for both passes (and text files set as pages)
    prepared = prepare(evidence, fmt, options.catalogue_only, workdir, job, converter, fonts.song if fonts else None)
    for attempt in range(1, PASSES + 1):
        evidence.mark_problems(prepared.problems)
        evidence.picture_pages = {path: image.pages for path, image in prepared.images.items() if image.pieces}
        pages = {path: len(a.pages) for path, a in prepared.attachments.items()} if fmt == "pdf" else None
        dossier = build_dossier(archive, options, evidence, pages)
        failed = _write(dossier, fmt, temp, options, job, workdir, prepared, fonts)
        if not failed:
            break
        for path, why in failed.items():
            if attempt < PASSES:
                prepared.fail(path, why)
            else:
                prepared.warnings.append(f"{prepared.shown.get(path, path)}：{why}（该处留空）")
        job.report(0.15, "有文件未能附入，正在重新排版…")
    return prepared.warnings


def _write(dossier, fmt: str, temp: str, options: ExportOptions, job: ProgressReporter, workdir: str,
           prepared: Prepared, fonts) -> dict[str, str]:
    if fmt == "pdf":
        from exporters.pdf_writer import write_pdf

        return write_pdf(dossier, temp, job, workdir, options.font_path, prepared, fonts)
    from exporters.docx_writer import write_docx

    return write_docx(dossier, temp, job, workdir, prepared, options.font_path)
