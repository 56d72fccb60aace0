"""Render a Dossier to PDF: lay out once with reportlab, then merge the attached pages onto their placeholders.

Images and attachments were opened before (exporters/preflight.py); what could not be opened is only listed.
Progress: preparing 0-15 %, layout 15-60 % (to 100 % without attachments), merging attachment pages 60-100 %.
"""

from __future__ import annotations

import os

from exporters.fonts import FontSet, find_fonts
from exporters.model import Dossier, Heading
from exporters.pdf_flowables import DossierDoc, HeadingPara, PagePlaceholder
from exporters.pdf_merge import merge
from exporters.pdf_story import StoryBuilder
from exporters.pdf_styles import make_styles
from exporters.preflight import Prepared


def write_pdf(dossier: Dossier, target: str, job, workdir: str, font_path: str | None = None,
              prepared: Prepared | None = None, fonts: FontSet | None = None) -> dict[str, str]:
    """Write the dossier to `target` (normally the atomic temp file). Returns {evidence path: why} for files
    that failed only now, while drawing or merging: their place in the dossier is left blank."""
    prepared = prepared or Prepared()
    fonts = fonts or find_fonts(font_path)  # found by the export's plan, or here
    styles = make_styles(fonts)
    sources = prepared.sources
    body = os.path.join(workdir, "body.pdf") if sources else target
    progress = _LayoutProgress(dossier, job, 0.15, 0.45 if sources else 0.85)
    info = {"title": dossier.cover.title, "author": dossier.cover.compiler or dossier.cover.subtitle,
            "subject": " ".join(p for p in (dossier.cover.subtitle, dossier.cover.stage) if p)}
    doc = DossierDoc(body, dossier.header, styles, info, on_flowable=progress, generated=dossier.generated,
                     page_numbers=dossier.page_numbers)
    builder = StoryBuilder(doc, styles, dossier, prepared)
    doc.build(builder.build())
    doc.finish(builder.forms, builder.range_forms)
    failed = dict(builder.failed)
    if sources:
        evidence_of = {attachment.source: path for path, attachment in prepared.attachments.items()}
        for index, why in merge(body, target, doc.placements, sources, job, 0.6, 0.4).items():
            failed[evidence_of[index]] = why
    return failed


class _LayoutProgress:
    """Called after every flowable: checks cancel; reports at headings and attached pages."""

    def __init__(self, dossier: Dossier, job, start: float, span: float):
        self.job, self.start, self.span = job, start, span
        self.total = max(1, sum(1 for b in dossier.blocks if isinstance(b, Heading)))
        self.done = 0

    def __call__(self, flowable) -> None:
        self.job.check()
        fraction = self.start + self.span * min(1.0, self.done / self.total)
        if isinstance(flowable, HeadingPara):
            self.done += 1
            self.job.report(fraction, f"正在排版：{flowable.plain}")
        elif isinstance(flowable, PagePlaceholder) and flowable.page == 0:
            self.job.report(fraction, f"正在排版附件：{flowable.code} {flowable.title}")
