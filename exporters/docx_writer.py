"""Render a Dossier to Word (.docx) with python-docx.

The catalogue is a TOC field (\\o, \\h) whose pre-filled result is a static catalogue: one line per heading with
a PAGEREF field to the heading's bookmark. Unrefreshed it already reads right; Word (asked by updateFields) and
WPS refresh it on open, and LibreOffice fills the PAGEREF page numbers. Attachment pages are not part of the Word
version: the evidence tables list every file, and the PDF version or the handover package carry the originals.
"""

from __future__ import annotations

import os
from datetime import datetime

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from common.ziputil import normalize_zip, zip_time
from exporters import model
from exporters.docx_styles import (
    HEI,
    TEXT_WIDTH,
    add_field,
    field_char,
    set_fonts,
    setup_page,
    setup_styles,
    text_run,
    update_fields_on_open,
)
from exporters.docx_tables import add_grid_table, style_id_of
from exporters.images import PreparedImage
from exporters.preflight import Prepared

NOTE_ON_ATTACHMENTS = "说明：本 Word 版包含全部目录和图片；PDF、Office 等附件的原文见 PDF 版或移交包。"
MAX_IMAGE_HEIGHT = Mm(190)
TOC_NOTE = "以下为 Word/WPS 自动目录，打开文档更新域后生成，可点击跳转："
TOC_PLACEHOLDER = "（自动目录尚未生成：在 Word 或 WPS 中右键此处选择“更新域”，或按 F9）"


def write_docx(dossier: model.Dossier, target: str, job, workdir: str, prepared: Prepared | None = None
               ) -> dict[str, str]:
    """Write the dossier to `target`. Images come prepared (exporters/preflight.py). Returns {evidence path:
    why} for images python-docx refused after all: their place holds a note instead."""
    writer = _DocxWriter(dossier, job, prepared or Prepared())
    writer.render()
    raw = os.path.join(workdir, "dossier-raw.docx")
    writer.document.save(raw)
    job.report(0.95, "正在保存 Word 文件…")
    normalize_zip(raw, target, zip_time(dossier.generated))
    return writer.failed


class _DocxWriter:
    def __init__(self, dossier: model.Dossier, job, prepared: Prepared):
        self.dossier, self.job, self.prepared = dossier, job, prepared
        self.document = Document()
        self.failed: dict[str, str] = {}
        setup_page(self.document)
        setup_styles(self.document, dossier.max_level())
        self.bookmarks = {h.anchor: f"_Toc{n:06d}" for n, h in enumerate(self.dossier.headings(), start=1)}
        self._next_bookmark_id = 0
        self._at_page_start = True

    def render(self) -> None:
        self._header_footer()
        self._properties()
        self._cover()
        blocks = self.dossier.blocks
        for number, block in enumerate(blocks):
            self.job.tick(lambda n=number: 0.1 + 0.8 * n / len(blocks), lambda n=number: f"正在生成 Word 第 {n} 段")
            self._render(block)
        update_fields_on_open(self.document)

    def _render(self, block) -> None:
        if isinstance(block, model.PageBreak):
            if not self._at_page_start:
                self.document.add_page_break()
                self._at_page_start = True
            return
        self._at_page_start = False
        if isinstance(block, model.Heading):
            self._heading(block)
        elif isinstance(block, model.Paragraph):
            self._paragraph(block.text, {"note": "提示", "small": "说明"}.get(block.style, "Normal"))
        elif isinstance(block, model.Fields):
            add_grid_table(self.document, ("项目", "内容"), list(block.items), (0.18, 0.82), (), 10, labels=True)
            self._spacer()
        elif isinstance(block, model.Table):
            add_grid_table(self.document, block.columns, block.rows, block.widths,
                           tuple(block.alignment(i) for i in range(len(block.columns))), block.font_size)
            self._spacer()
        elif isinstance(block, model.Image):
            self._image(block)
        elif isinstance(block, model.TocPlaceholder):
            self._toc()
        # model.Attachment: the evidence table lists it; originals are in the PDF version and the package

    def _spacer(self) -> None:
        self._paragraph("", "说明")

    def _paragraph(self, text: str, style: str):
        """add_paragraph with the style id set directly: python-docx's name lookup scans all styles every time."""
        paragraph = self.document.add_paragraph(text)
        paragraph._p.style = style_id_of(self.document, style)
        return paragraph

    def _header_footer(self) -> None:
        section = self.document.sections[0]
        header = section.header.paragraphs[0]
        header.style = self.document.styles["Header"]
        header.text = self.dossier.header
        _bottom_border(header)
        footer = section.footer.paragraphs[0]
        footer.style = self.document.styles["Footer"]
        footer._p.append(text_run("第 "))
        add_field(footer, "PAGE", "1")
        footer._p.append(text_run(" 页 共 "))
        add_field(footer, "NUMPAGES", "1")
        footer._p.append(text_run(" 页"))

    def _properties(self) -> None:
        """Fixed metadata from the dossier, so an unchanged archive gives the same file."""
        props = self.document.core_properties
        cover = self.dossier.cover
        stamp = datetime.strptime(self.dossier.generated, "%Y-%m-%d %H:%M:%S")
        props.title, props.subject = cover.title, " ".join(p for p in (cover.subtitle, cover.stage) if p)
        props.author = props.last_modified_by = cover.compiler or cover.subtitle or "迎检通"
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        props.comments = "迎检通 ReviewReady 生成"

    def _cover(self) -> None:
        cover, doc = self.dossier.cover, self.document
        first = doc.add_paragraph(cover.subtitle, style="封面")
        first.paragraph_format.space_before = Pt(110)
        _size(first, HEI, 20)
        doc.add_paragraph(cover.title, style="Title")
        if cover.stage:
            doc.add_paragraph(f"（{cover.stage}）", style="封面")
        doc.add_paragraph(style="封面").paragraph_format.space_after = Pt(24)
        table = add_grid_table(doc, ("项目", "情况"), cover.summary, (0.5, 0.5), (), 11, labels=True, width=Mm(95))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if self.dossier.attachments():
            doc.add_paragraph(NOTE_ON_ATTACHMENTS, style="说明").paragraph_format.space_before = Pt(12)
        spacer = doc.add_paragraph(style="封面")
        spacer.paragraph_format.space_before = Pt(48)
        if cover.compiler:
            doc.add_paragraph(f"编制单位：{cover.compiler}", style="封面")
        doc.add_paragraph(cover.date, style="封面")
        self._at_page_start = False

    def _toc(self) -> None:
        """A static catalogue (PAGEREF page numbers: right in LibreOffice too), then Word's own TOC field."""
        self.document.add_paragraph("目录", style="目录标题")
        for heading in self.dossier.headings():
            paragraph = self.document.add_paragraph(style=f"toc {heading.level}")
            name = self.bookmarks[heading.anchor]
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), name)
            link.set(qn("w:history"), "1")
            link.append(text_run(heading.text))
            tab = OxmlElement("w:r")
            tab.append(OxmlElement("w:tab"))
            link.append(tab)
            add_field(None, f"PAGEREF {name} \\h", "", parent=link)
            paragraph._p.append(link)
        self.document.add_paragraph(TOC_NOTE, style="说明").paragraph_format.space_before = Pt(12)
        field = self.document.add_paragraph(style="说明")
        field._p.append(field_char("begin"))
        field._p.append(_instruction(f'TOC \\o "1-{max(3, self.dossier.max_level())}" \\h \\z \\u'))
        field._p.append(field_char("separate"))
        field._p.append(text_run(TOC_PLACEHOLDER))
        field._p.append(field_char("end"))

    def _heading(self, block: model.Heading) -> None:
        paragraph = self._paragraph(block.text, f"Heading {min(block.level, 9)}")
        name = self.bookmarks.get(block.anchor)
        if name is None:
            return
        self._next_bookmark_id += 1
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(self._next_bookmark_id))
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), str(self._next_bookmark_id))
        runs = paragraph._p.findall(qn("w:r"))
        runs[0].addprevious(start)
        runs[-1].addnext(end)

    def _image(self, block: model.Image) -> None:
        prepared = self.prepared.image(block.path)
        if not isinstance(prepared, PreparedImage):
            self.document.add_paragraph(f"图片未嵌入：{block.caption}（{prepared}）", style="提示")
            return
        natural = Mm(prepared.width * 25.4 / 150)  # 150 dpi: small pictures are not blown up
        width = min(TEXT_WIDTH, natural, int(MAX_IMAGE_HEIGHT * prepared.width / prepared.height))
        picture = self.document.add_paragraph(style="Caption")
        picture.paragraph_format.space_after = Pt(2)
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        try:
            picture.add_run().add_picture(prepared.path, width=width)
        except Exception:  # checked before, so rare: python-docx refuses the header after all
            self.failed[block.path] = "Word 无法嵌入此图片，未嵌入"
            picture.text = f"图片未嵌入：{block.caption}（Word 无法嵌入此图片）"
            return
        self.document.add_paragraph(block.caption, style="Caption")


def _instruction(text: str):
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {text} "
    run.append(instr)
    return run


def _size(paragraph, east_asia: str, size: float) -> None:
    for run in paragraph.runs:
        set_fonts(run._r.get_or_add_rPr(), east_asia, size)


def _bottom_border(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "888888")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
