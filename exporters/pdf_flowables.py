"""The reportlab document template and the custom flowables of the PDF dossier.

The dossier is laid out in ONE reportlab pass. What is only known at the end (the total page count, the page of
each catalogue entry, the pages each file takes) is drawn through form XObjects that pages reference before they
are defined; `DossierDoc.finish` defines them once the story is laid out. Attached PDF pages are reserved as
placeholder pages (header, footer and caption drawn here); pdf_merge.py later draws the attached page onto them.
Page numbers start after the cover, which carries neither header nor number.
"""

from __future__ import annotations

import time
from datetime import datetime

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import TimeStamp
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from exporters.pdf_captions import caption_lines
from exporters.pdf_styles import (
    CAPTION_LEADING,
    CAPTION_SIZE,
    FOOTER_Y,
    HEADER_Y,
    LANDSCAPE,
    PORTRAIT,
    Styles,
    frame_box,
    markup,
)

# Streams are compressed only, not also ASCII85-encoded: a quarter smaller and about 10 % faster to write.
rl_config.useA85 = 0
NUMBER_WIDTH = 36  # points kept free at the right of a catalogue line for its page number
LEADER_GAP = 27  # the dotted leader stops this far from the right edge: room for a four-digit page number
TOTAL_FORM = "rrTotal"
RANGE_SIZE = 9  # points: a file's page range in its catalogue row, as the row's other cells
MAX_HEADING = 200  # characters
COVER_PAGES = 1  # physical pages before page 1
# The Word twin (exporters/docx_pages.py) lays out on a type area this much shorter than Word's, so whatever it puts
# on a page also fits on Word's page: a space before at the top of a page, a table's first border, the tiny
# paragraph that carries a page break before a continued table.
TWIN_SLACK = 10


class DossierDoc(BaseDocTemplate):
    def __init__(self, filename: str, header: str, styles: Styles, info: dict, on_flowable=None,
                 generated: str | None = None, page_numbers: str = "total", twin: bool = False):
        super().__init__(filename, pagesize=PORTRAIT, invariant=1, leftMargin=0, rightMargin=0, topMargin=0,
                         bottomMargin=0, creator="迎检通 ReviewReady", producer="迎检通 ReviewReady",
                         initialFontName=styles.fonts.song, **info)  # no unembedded Helvetica in the file
        self.header, self.styles, self.on_flowable = header, styles, on_flowable
        self.generated, self.page_numbers = generated, page_numbers
        self.anchor_pages: dict[str, int] = {}  # physical page (from 1) where an anchor's content starts
        self.anchor_ends: dict[str, int] = {}  # ... and ends, for files spanning pages
        self.placements: list[tuple[int, int, int]] = []  # (page number, attachment index, page index)
        self.page_count = 0
        self.twin = twin
        self.page_starts: set[tuple[int, int, int]] = set()  # (block, flowable, first table row) that start a page
        self.row_parts: dict[tuple[int, int], list[tuple[str, ...]]] = {}  # (block, row) -> its parts, if split
        self._content_page = 0  # the last page something of the story's blocks was drawn on
        self._doSave = 0  # reportlab: build() must not save; finish() defines the late forms first
        self.addPageTemplates([PageTemplate("cover", [self._frame(PORTRAIT, "cover")], pagesize=PORTRAIT),
                               self._template("portrait", PORTRAIT), self._template("landscape", LANDSCAPE)])

    def _frame(self, pagesize, name: str) -> Frame:
        """The type area. The Word twin's is TWIN_SLACK shorter, and it adds a space after to the next space before
        as Word does, where reportlab otherwise keeps the larger of the two."""
        x, y, width, height = frame_box(pagesize)
        return Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=TWIN_SLACK if self.twin else 0,
                     bottomPadding=0, id=name, overlapAttachedSpace=0 if self.twin else None)

    def _template(self, name: str, pagesize) -> PageTemplate:
        return PageTemplate(name, [self._frame(pagesize, name)], onPage=self._decorate, pagesize=pagesize)

    def beforeDocument(self) -> None:
        """The PDF's CreationDate/ModDate: the export's own time (reportlab's invariant mode says 2000-01-01)."""
        if self.generated:
            stamp = TimeStamp(invariant=1)
            local = datetime.strptime(self.generated, "%Y-%m-%d %H:%M:%S").timetuple()
            offset = time.localtime(time.mktime(local)).tm_gmtoff
            stamp.lt, stamp.YMDhms = local, tuple(local)[:6]
            stamp.dhh, stamp.dmm = int(offset / 3600), abs(offset) % 3600 // 60
            stamp.tzname = ""
            self.canv._doc._timeStamp = stamp

    def _decorate(self, canv, doc) -> None:
        """Running header (small, ruled) and the page number; the cover has neither."""
        self.page_count = canv.getPageNumber()
        width, height = canv._pagesize
        x, _, text_width, _ = frame_box((width, height))
        fonts = self.styles.fonts
        canv.saveState()
        canv.setFont(fonts.song, 9)
        canv.setFillColor(colors.HexColor("#333333"))
        canv.drawCentredString(x + text_width / 2, height - HEADER_Y, markup_plain(self.header))
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.setLineWidth(0.5)
        canv.line(x, height - HEADER_Y - 4, x + text_width, height - HEADER_Y - 4)
        canv.setFillColor(colors.black)
        number = canv.getPageNumber() - COVER_PAGES
        if self.page_numbers == "dash":  # GB/T 9704 7.5: 4号 numbers between dashes, odd pages right, even left
            canv.setFont(fonts.song, 14)
            text = f"— {number} —"
            if number % 2:
                canv.drawRightString(x + text_width - 14, FOOTER_Y, text)
            else:
                canv.drawString(x + 14, FOOTER_Y, text)
        else:
            canv.setFont(fonts.song, 10.5)
            canv.drawRightString(x + text_width / 2 - 2, FOOTER_Y, f"第 {number} 页")
            canv.translate(x + text_width / 2 + 2, FOOTER_Y)
            canv.doForm(TOTAL_FORM)
        canv.restoreState()

    def afterFlowable(self, flowable) -> None:
        key = getattr(flowable, "rr_key", None)
        if key is not None:  # a part of one of the story's blocks: does it open its page?
            page = self.canv.getPageNumber()
            if page > self._content_page:
                self.page_starts.add((*key, getattr(flowable, "first_row", 0)))
            self._content_page = page
        if self.on_flowable is not None:
            self.on_flowable(flowable)

    def shown_page(self, anchor: str) -> str:
        page = self.anchor_pages.get(anchor)
        return "" if page is None else str(page - COVER_PAGES)

    def shown_range(self, anchor: str) -> str:
        start = self.anchor_pages.get(anchor)
        if start is None:
            return ""
        end = self.anchor_ends.get(anchor, start)
        return str(start - COVER_PAGES) if end == start else f"{start - COVER_PAGES}-{end - COVER_PAGES}"

    def finish(self, page_forms: dict[str, str], range_forms: dict[str, str],
               range_rooms: dict[str, float]) -> None:
        """Define the late forms (total pages, catalogue page numbers, files' page ranges) and write the file.
        `range_rooms`: form -> the width of its cell's text; a range wider (a dossier of thousands of pages) is
        set smaller to fit it, never over the cell's border."""
        canv = self.canv
        song = self.styles.fonts.song
        canv.beginForm(TOTAL_FORM, lowerx=-2, lowery=-4, upperx=120, uppery=14)
        canv.setFont(song, 10.5)
        canv.drawString(0, 0, f"共 {self.page_count - COVER_PAGES} 页")
        canv.endForm()
        for anchor, form in page_forms.items():
            canv.beginForm(form, lowerx=-NUMBER_WIDTH, lowery=-4, upperx=2, uppery=14)
            canv.setFont(song, 11)
            canv.drawRightString(0, 0, self.shown_page(anchor))
            canv.endForm()
        for anchor, form in range_forms.items():
            canv.beginForm(form, lowerx=-40, lowery=-4, upperx=40, uppery=12)
            shown = self.shown_range(anchor)
            room = range_rooms.get(form)
            wide = pdfmetrics.stringWidth(shown, song, RANGE_SIZE)
            canv.setFont(song, RANGE_SIZE if room is None or wide <= room else RANGE_SIZE * room / wide)
            canv.drawCentredString(0, 0, shown)
            canv.endForm()
        canv.save()


def markup_plain(text: str) -> str:
    from exporters.pdf_glyphs import glyph_safe

    return glyph_safe(text or "")


class HeadingPara(Paragraph):
    """A heading that registers a bookmark, an outline entry nested at its level, and its page number."""

    def __init__(self, text: str, style, level: int, anchor: str, doc: DossierDoc, outline: bool = True,
                 bold: bool = False):
        text = text if len(text) <= MAX_HEADING else text[:MAX_HEADING] + "…"  # a heading must fit on a page
        super().__init__(markup(text), style)
        self.plain, self.level, self.anchor, self.doc, self.outline = text, level, anchor, doc, outline
        self.bold = bold  # the CJK fonts have no bold face: strokes the outlines (text render mode 2)

    def split(self, avail_width, avail_height):
        return []  # a heading moves whole to the next page

    def draw(self):
        canv = self.canv
        if self.bold:
            canv.saveState()
            canv._code.append("2 Tr 0.35 w")
        super().draw()
        if self.bold:
            canv.restoreState()
        canv.bookmarkHorizontal(self.anchor, 0, self.height)
        if self.outline:
            canv.addOutlineEntry(self.plain, self.anchor, level=self.level - 1, closed=self.level >= 2 or None)
        self.doc.anchor_pages[self.anchor] = canv.getPageNumber()


class TocEntry(Flowable):
    """One catalogue line: title (wrapping), dotted leader, page number (a late form), clickable."""

    def __init__(self, text: str, style, anchor: str, form: str):
        super().__init__()
        self.para = Paragraph(markup(text if len(text) <= MAX_HEADING else text[:MAX_HEADING] + "…"), style)
        self.style, self.anchor, self.form = style, anchor, form

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        _, self.height = self.para.wrap(avail_width - NUMBER_WIDTH, avail_height)
        return avail_width, self.height + 2

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        canv, style = self.canv, self.style
        self.para.drawOn(canv, 0, 2)
        lines = self.para.blPara.lines
        last = lines[-1]
        extra = last[0] if isinstance(last, tuple) else last.extraSpace
        text_end = style.leftIndent + (self.width - NUMBER_WIDTH - style.leftIndent - style.rightIndent) - extra
        # reportlab puts a paragraph's first baseline one font size below its top
        baseline = 2 + self.height - style.fontSize - (len(lines) - 1) * style.leading
        canv.saveState()
        canv.setLineWidth(0.7)
        canv.setDash(0.7, 2.3)
        leader_end = self.width - LEADER_GAP
        if leader_end > text_end + 6:
            canv.line(text_end + 3, baseline + 1, leader_end, baseline + 1)
        canv.restoreState()
        canv.saveState()
        canv.translate(self.width, baseline)
        canv.doForm(self.form)
        canv.restoreState()
        canv.linkRect("", self.anchor, (0, 0, self.width, self.height + 2), relative=1, thickness=0)


class RangeCell(Flowable):
    """A table cell showing a file's pages in this dossier ("12-15"), drawn from a late form."""

    def __init__(self, form: str, width: float):
        super().__init__()
        self.form, self.width, self.height = form, width, 10

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        self.canv.saveState()
        self.canv.translate(self.width / 2, 2)
        self.canv.doForm(self.form)
        self.canv.restoreState()


class PagePlaceholder(Flowable):
    """A whole page reserved for one page of an attachment; draws the caption, notes where the page goes."""

    def __init__(self, doc: DossierDoc, attachment: int, page: int, pages: int, code: str, title: str, level: int,
                 anchor: str):
        super().__init__()
        self.doc, self.attachment, self.page, self.pages = doc, attachment, page, pages
        self.code, self.title, self.level, self.anchor = code, title, level, anchor

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, avail_height - 0.5
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        canv = self.canv
        canv.saveState()
        font = self.doc.styles.fonts.song
        canv.setFont(font, CAPTION_SIZE)
        canv.setFillColor(colors.HexColor("#333333"))
        lines = caption_lines(font, CAPTION_SIZE, self.width, f"附件 {self.code}", self.title,
                              f"（第 {self.page + 1}/{self.pages} 页）")
        for number, line in enumerate(lines):
            canv.drawString(0, self.height - CAPTION_SIZE - number * CAPTION_LEADING, line)
        canv.restoreState()
        page = canv.getPageNumber()
        if self.page == 0:
            canv.bookmarkHorizontal(self.anchor, 0, self.height)
            canv.addOutlineEntry(f"{self.code} {self.title}", self.anchor, level=self.level - 1, closed=True)
            self.doc.anchor_pages[self.anchor] = page
        self.doc.anchor_ends[self.anchor] = page
        self.doc.placements.append((page, self.attachment, self.page))
