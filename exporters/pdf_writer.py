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
    sources = prepared.sources
    body = os.path.join(workdir, "body.pdf") if sources else target
    doc, builder = lay_out(dossier, body, job, font_path, prepared, span=0.45 if sources else 0.85, fonts=fonts)
    failed = dict(builder.failed)
    if sources:
        evidence_of = {attachment.source: path for path, attachment in prepared.attachments.items()}
        for index, why in merge(body, target, doc.placements, sources, job, 0.6, 0.4).items():
            failed[evidence_of[index]] = why
    return failed


def lay_out(dossier: Dossier, target: str, job, font_path: str | None, prepared: Prepared, start: float = 0.15,
            span: float = 0.85, toc_files: bool = True, fonts: FontSet | None = None, twin: bool = False
            ) -> tuple[DossierDoc, StoryBuilder]:
    """Lay the dossier out once and write it to `target` (attachment pages are placeholders). The document keeps
    where every anchor landed (`doc.shown_page`, `doc.shown_range`). `toc_files`: the 目录 lists files too.
    `fonts`: found by the export's plan, else found here. `twin`: the Word version's twin (exporters/docx_pages.py):
    a little narrower and shorter than Word's page, paragraphs kept whole, and `doc.page_starts` noting which
    part of which block opens each page."""
    fonts = fonts or find_fonts(font_path)
    styles = make_styles(fonts, slack=twin)
    progress = _LayoutProgress(dossier, job, start, span)
    info = {"title": dossier.cover.title, "author": dossier.cover.compiler or dossier.cover.subtitle,
            "subject": " ".join(p for p in (dossier.cover.subtitle, dossier.cover.stage) if p)}
    doc = DossierDoc(target, dossier.header, styles, info, on_flowable=progress, generated=dossier.generated,
                     page_numbers=dossier.page_numbers, twin=twin)
    builder = StoryBuilder(doc, styles, dossier, prepared, toc_files, twin)
    doc.build(builder.build())
    doc.finish(builder.forms, builder.range_forms, builder.range_rooms)
    return doc, builder


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
