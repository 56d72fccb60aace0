"""Render a Dossier to PDF: prepare attachments and images, lay out once with reportlab, merge attached pages.

Progress: preparing 0-15 %, layout 15-60 % (to 100 % without attachments), merging attachment pages 60-100 %.
"""

from __future__ import annotations

import os

from exporters.fonts import find_fonts
from exporters.images import ImageProblem, PreparedImage, prepare_image
from exporters.model import Dossier, Heading
from exporters.office import Converter, convert_all
from exporters.pdf_flowables import DossierDoc, HeadingPara, PagePlaceholder
from exporters.pdf_merge import AttachmentError, merge, read_geometry
from exporters.pdf_story import PreparedAttachment, StoryBuilder
from exporters.pdf_styles import make_styles


def write_pdf(dossier: Dossier, target: str, job, workdir: str, font_path: str | None = None,
              converter: Converter | None = None) -> list[str]:
    """Write the dossier to `target` (normally the atomic temp file). Returns warnings for the user."""
    fonts = find_fonts(font_path)
    styles = make_styles(fonts)
    warnings: list[str] = []
    images = _prepare_images(dossier, workdir, job, warnings)
    attachments, sources = _prepare_attachments(dossier, workdir, converter, job, warnings)
    body = os.path.join(workdir, "body.pdf") if sources else target
    progress = _LayoutProgress(dossier, job, 0.15, 0.45 if sources else 0.85)
    info = {"title": dossier.cover.title, "author": dossier.cover.compiler or dossier.cover.subtitle,
            "subject": " ".join(p for p in (dossier.cover.subtitle, dossier.cover.stage) if p)}
    doc = DossierDoc(body, dossier.header, styles, info, on_flowable=progress)
    builder = StoryBuilder(doc, styles, dossier, attachments, images)
    doc.build(builder.build())
    doc.finish(builder.forms)
    if sources:
        warnings += merge(body, target, doc.placements, sources, job, 0.6, 0.4)
    return warnings


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
            self.job.report(fraction, f"正在排版附件：{flowable.title}")


def _prepare_images(dossier: Dossier, workdir: str, job, warnings: list[str]) -> dict[str, PreparedImage | str]:
    result: dict[str, PreparedImage | str] = {}
    images = dossier.images()
    for number, image in enumerate(images):
        job.report(0.02 + 0.05 * number / max(1, len(images)), f"正在处理图片 {number + 1}/{len(images)}")
        try:
            result[image.anchor] = prepare_image(image.path, workdir, number)
        except ImageProblem as exc:
            result[image.anchor] = str(exc)
            warnings.append(f"图片未嵌入：{image.caption}（{exc}）")
    return result


def _prepare_attachments(dossier: Dossier, workdir: str, converter: Converter | None, job,
                         warnings: list[str]) -> tuple[dict[str, PreparedAttachment | str], list[str]]:
    attachments = dossier.attachments()
    office = [(a.anchor, a.path) for a in attachments if a.kind == "office"]
    converted = {}
    if office and converter is not None:
        converted = convert_all(converter, office, workdir, job, 0.07, 0.05)
    result: dict[str, PreparedAttachment | str] = {}
    sources: list[str] = []
    for number, attachment in enumerate(attachments):
        job.report(0.12 + 0.03 * number / max(1, len(attachments)), f"正在读取附件 {number + 1}/{len(attachments)}")
        path = attachment.path if attachment.kind == "pdf" else converted.get(attachment.anchor)
        if path is None:
            reason = "转换为 PDF 失败，只列入目录" if converter else "未安装 LibreOffice 或 Microsoft Word，只列入目录"
            result[attachment.anchor] = reason
            continue
        try:
            pages = read_geometry(path)
        except AttachmentError as exc:
            result[attachment.anchor] = str(exc)
            warnings.append(f"附件未附入：{attachment.title}（{exc}）")
            continue
        result[attachment.anchor] = PreparedAttachment(len(sources), path, pages)
        sources.append(path)
    return result, sources
