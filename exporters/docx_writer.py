"""Render a Dossier to Word (.docx) with python-docx.

The catalogue (目录) is ONE TOC field (\\o, \\h) whose result is already filled in: a line per heading, linked to
the heading's bookmark, its page number a PAGEREF field. Word and WPS show it as it is, without asking to update
fields on opening, and refresh it on demand (F9 / 更新域); LibreOffice fills in the page numbers when it converts.
Attachment pages are not part of the Word version: each criterion's 佐证材料目录 lists every file, and the PDF
version or the handover package carry the originals. Photos are embedded on photo sheets.
"""

from __future__ import annotations

import os

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from common.ziputil import normalize_zip, zip_time
from exporters import model
from exporters.docx_page import fix_app_properties, set_properties, start_body_section
from exporters.docx_photos import add_photo_sheet
from exporters.docx_styles import HEI, add_field, field_char, no_update_prompt, set_fonts, setup_page, setup_styles
from exporters.docx_tables import add_grid_table, style_id_of
from exporters.preflight import Prepared

PARAGRAPH_STYLES = {"note": "提示", "small": "说明", "table-title": "表题", "body": "正文"}


def write_docx(dossier: model.Dossier, target: str, job, workdir: str, prepared: Prepared | None = None
               ) -> dict[str, str]:
    """Write the dossier to `target`. Images come prepared (exporters/preflight.py). Returns {evidence path:
    why} for images python-docx refused after all: they are left out and listed on the next pass."""
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
        self.toc = dossier.toc_lines(files=False)
        self.bookmarks = {line.anchor: f"_Toc{n:06d}" for n, line in enumerate(self.toc, start=1)}
        self._next_bookmark_id = 0
        self.at_page_start = True

    def render(self) -> None:
        cover = self.dossier.cover
        set_properties(self.document, cover.title, " ".join(p for p in (cover.subtitle, cover.stage) if p),
                       cover.compiler or cover.subtitle or "迎检通", self.dossier.generated)
        fix_app_properties(self.document)
        self._cover()
        start_body_section(self.document, self.dossier.header, self.dossier.page_numbers)
        self.at_page_start = True
        blocks = self.dossier.blocks
        for number, block in enumerate(blocks):
            self.job.tick(lambda n=number: 0.1 + 0.8 * n / len(blocks), lambda n=number: f"正在生成 Word 第 {n} 段")
            self._render(block)
        no_update_prompt(self.document)

    def _render(self, block) -> None:
        if isinstance(block, model.PageBreak):
            if not self.at_page_start:
                self.document.add_page_break()
                self.at_page_start = True
            return
        self.at_page_start = False
        if isinstance(block, model.Heading):
            self.bookmark(self._paragraph(block.text, f"Heading {min(block.level, 9)}"), block.anchor)
        elif isinstance(block, model.Paragraph):
            self._paragraph(block.text, PARAGRAPH_STYLES.get(block.style, "正文"))
        elif isinstance(block, model.Fields):
            add_grid_table(self.document, ("项目", "内容"), list(block.items), (0.2, 0.8), (), 10.5, labels=True)
            self._spacer()
        elif isinstance(block, model.Table):
            add_grid_table(self.document, block.columns, block.rows, block.widths,
                           tuple(block.alignment(i) for i in range(len(block.columns))), block.font_size)
            self._spacer()
        elif isinstance(block, model.PhotoSheet):
            add_photo_sheet(self, block)
        elif isinstance(block, model.TocPlaceholder):
            self._toc()
        # model.Attachment: the 佐证材料目录 lists it; originals are in the PDF version and the package

    def _spacer(self) -> None:
        self._paragraph("", "说明")

    def _paragraph(self, text: str, style: str):
        """add_paragraph with the style id set directly: python-docx's name lookup scans all styles every time."""
        paragraph = self.document.add_paragraph(text)
        paragraph._p.style = style_id_of(self.document, style)
        return paragraph

    def _cover(self) -> None:
        cover, doc = self.dossier.cover, self.document
        first = doc.add_paragraph(cover.subtitle, style="封面")
        first.paragraph_format.space_before = Pt(90)
        _size(first, HEI, 22)
        doc.add_paragraph(cover.title, style="Title")
        if cover.stage:
            doc.add_paragraph(f"（{cover.stage}）", style="封面")
        doc.add_paragraph(style="封面").paragraph_format.space_after = Pt(24)
        table = add_grid_table(doc, ("项目", "情况"), cover.summary, (0.35, 0.65), (), 12, labels=True,
                               width=Mm(110))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        doc.add_paragraph(style="封面").paragraph_format.space_before = Pt(48)
        if cover.compiler:
            doc.add_paragraph(f"编制单位：{cover.compiler}", style="封面")
        doc.add_paragraph(cover.date, style="封面")
        doc.add_paragraph(f"（{cover.edition}）", style="封面")

    def _toc(self) -> None:
        """One TOC field whose result is the filled catalogue: begin/instruction/separate in the first entry,
        end after the last. Entries link to the headings' bookmarks; page numbers are PAGEREF fields."""
        self.document.add_paragraph("目录", style="目录标题")
        paragraphs = []
        for line in self.toc:
            paragraph = self.document.add_paragraph(style=f"toc {min(line.level, 9)}")
            name = self.bookmarks[line.anchor]
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), name)
            link.set(qn("w:history"), "1")
            link.append(_run("w:t", line.text))
            tab = OxmlElement("w:r")
            tab.append(OxmlElement("w:tab"))
            link.append(tab)
            add_field(None, f"PAGEREF {name} \\h", "", parent=link)
            paragraph._p.append(link)
            paragraphs.append(paragraph)
        if not paragraphs:
            return
        first = paragraphs[0]._p
        start = first.find(qn("w:hyperlink"))
        levels = max(3, max(line.level for line in self.toc))
        for element in (field_char("begin"), _run("w:instrText", f' TOC \\o "1-{levels}" \\h \\z \\u '),
                        field_char("separate")):
            start.addprevious(element)
        paragraphs[-1]._p.append(field_char("end"))

    def bookmark(self, paragraph, anchor: str) -> None:
        name = self.bookmarks.get(anchor) or f"_Rr{anchor.replace('.', '_').replace('-', '_')}"[:40]
        self._next_bookmark_id += 1
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(self._next_bookmark_id))
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), str(self._next_bookmark_id))
        runs = paragraph._p.findall(qn("w:r"))
        if runs:
            runs[0].addprevious(start)
            runs[-1].addnext(end)
        else:
            paragraph._p.append(start)
            paragraph._p.append(end)


def _run(tag: str, text: str):
    run = OxmlElement("w:r")
    element = OxmlElement(tag)
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


def _size(paragraph, east_asia: str, size: float) -> None:
    for run in paragraph.runs:
        set_fonts(run._r.get_or_add_rPr(), east_asia, size)
