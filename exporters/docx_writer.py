"""Render a Dossier to Word (.docx) with python-docx.

The catalogue (目录) is ONE TOC field (\\o, \\h) whose result is already filled in: a line per heading, linked to
the heading's bookmark, its page number a PAGEREF field whose cached result is the page the heading lands on (laid
out beforehand by exporters/docx_pages.py), as are the footer's 共Y页 and a photo's 起止页. Word and WPS show it as
it is, without asking to update fields on opening, and refresh it on demand (F9 / 更新域). A page break is "page
break before" on the paragraph that starts the page: a paragraph holding only a break made blank pages after full
ones.
Attachment pages are not part of the Word version: each criterion's 佐证材料目录 lists every file, and the PDF
version or the handover package carry the originals. Photos are embedded on photo sheets.
"""

from __future__ import annotations

import os

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from common.ziputil import normalize_zip, zip_time
from exporters import model
from exporters.docx_page import fix_app_properties, set_properties, start_body_section
from exporters.docx_pages import PageMap, shown, word_pages
from exporters.docx_photos import add_photo_sheet
from exporters.docx_styles import HEI, add_field, field_char, no_update_prompt, set_fonts, setup_page, setup_styles
from exporters.docx_tables import add_grid_table, style_id_of
from exporters.preflight import Prepared

PARAGRAPH_STYLES = {"note": "提示", "small": "说明", "table-title": "表题", "body": "正文"}


def write_docx(dossier: model.Dossier, target: str, job, workdir: str, prepared: Prepared | None = None,
               font_path: str | None = None) -> dict[str, str]:
    """Write the dossier to `target`. Images come prepared (exporters/preflight.py). Returns {evidence path:
    why} for images python-docx refused after all: they are left out and listed on the next pass."""
    prepared = prepared or Prepared()
    pages, total = word_pages(dossier, workdir, job, font_path, prepared)  # the 目录's page numbers, filled in
    writer = _DocxWriter(dossier, job, prepared, pages, total)
    writer.render()
    raw = os.path.join(workdir, "dossier-raw.docx")
    writer.document.save(raw)
    job.report(0.95, "正在保存 Word 文件…")
    normalize_zip(raw, target, zip_time(dossier.generated))
    return writer.failed


class _DocxWriter:
    def __init__(self, dossier: model.Dossier, job, prepared: Prepared, pages: PageMap | None = None,
                 total: int = 1):
        self.dossier, self.job, self.prepared = dossier, job, prepared
        self.pages, self.total = pages or {}, total
        self.document = Document()
        self.failed: dict[str, str] = {}
        setup_page(self.document)
        setup_styles(self.document, dossier.max_level())
        self.toc = dossier.toc_lines(files=False)
        self.bookmarks = {line.anchor: f"_Toc{n:06d}" for n, line in enumerate(self.toc, start=1)}
        self._next_bookmark_id = 0
        self.at_page_start = True
        self.break_pending = False

    def render(self) -> None:
        cover = self.dossier.cover
        set_properties(self.document, cover.title, " ".join(p for p in (cover.subtitle, cover.stage) if p),
                       cover.compiler or cover.subtitle or "迎检通", self.dossier.generated)
        fix_app_properties(self.document)
        self._cover()
        start_body_section(self.document, self.dossier.header, self.dossier.page_numbers, self.total)
        self.at_page_start = True
        blocks = self.dossier.blocks
        section = "封面和目录"  # what the clerk sees in the progress: the item being written, not a block number
        for number, block in enumerate(blocks):
            if isinstance(block, model.Heading):
                section = block.text
            self.job.tick(lambda n=number: 0.4 + 0.5 * n / len(blocks), lambda s=section: f"正在写入 Word：{s}")
            self._render(block)
        no_update_prompt(self.document)

    def _render(self, block) -> None:
        if isinstance(block, model.PageBreak):
            if not self.at_page_start:
                self.break_pending = self.at_page_start = True
            return
        self.at_page_start = False
        if self.break_pending and not isinstance(block, model.Heading | model.Paragraph | model.PhotoSheet
                                                 | model.TocPlaceholder):
            self.document.add_page_break()  # a table first: rare, and Word ignores a break set on a cell
            self.break_pending = False
        if isinstance(block, model.Heading):
            self.bookmark(self._paragraph(block.text, f"Heading {min(block.level, 9)}"), block.anchor)
        elif isinstance(block, model.Paragraph):
            self._paragraph(block.text, PARAGRAPH_STYLES.get(block.style, "正文"))
        elif isinstance(block, model.Fields):
            add_grid_table(self.document, ("项目", "内容"), list(block.items), (0.2, 0.8), (), 10.5, labels=True)
            self._spacer()
        elif isinstance(block, model.Table):
            rows = [tuple(self._cell(cell) for cell in row) for row in block.rows]
            add_grid_table(self.document, block.columns, rows, block.widths,
                           tuple(block.alignment(i) for i in range(len(block.columns))), block.font_size)
            self._spacer()
        elif isinstance(block, model.PhotoSheet):
            add_photo_sheet(self, block)
        elif isinstance(block, model.TocPlaceholder):
            self._toc()
        # model.Attachment: the 佐证材料目录 lists it; originals are in the PDF version and the package

    def _cell(self, cell: model.Cell) -> str:
        """A PageRange (a photo's 起止页) as it lands in the Word version; other cells as they are."""
        if isinstance(cell, str):
            return cell
        return shown(self.pages, cell.anchor, whole_range=True) or cell.text

    def _spacer(self) -> None:
        self._paragraph("", "说明")

    def _paragraph(self, text: str, style: str):
        """add_paragraph with the style id set directly: python-docx's name lookup scans all styles every time."""
        paragraph = self.document.add_paragraph(text)
        paragraph._p.style = style_id_of(self.document, style)
        self.break_before(paragraph)
        return paragraph

    def break_before(self, paragraph) -> None:
        """A pending page break becomes "page break before" on the paragraph that starts the page. A paragraph
        holding only a break would stand on the new page as an empty line, or, after a full page, make a blank page
        of its own."""
        if self.break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.break_pending = False

    def _cover(self) -> None:
        cover, doc = self.dossier.cover, self.document
        section = doc.sections[-1]
        width = Emu(section.page_width - section.left_margin - section.right_margin).pt
        first = doc.add_paragraph(cover.subtitle, style="封面")
        first.paragraph_format.space_before = Pt(90)
        _size(first, HEI, model.one_line_size(cover.subtitle, 22, width))
        title = doc.add_paragraph(cover.title, style="Title")
        if (size := model.one_line_size(cover.title, 22, width)) != 22:  # the Title style's size
            _size(title, HEI, size)
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
        self.break_before(self.document.add_paragraph("目录", style="目录标题"))
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
            add_field(None, f"PAGEREF {name} \\h", shown(self.pages, line.anchor), parent=link)
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
