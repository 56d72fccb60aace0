"""The reportlab document template and the custom flowables of the PDF dossier.

The dossier is laid out in ONE reportlab pass. What is only known at the end (the total page count, the page of
each heading listed in the catalogue) is drawn through form XObjects that pages reference before they are defined;
`DossierDoc.finish` defines them once the story is laid out. Attached PDF pages are reserved as placeholder pages
(header, footer and caption drawn here); pdf_merge.py later draws the attached page onto its placeholder.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from exporters.pdf_styles import CAPTION_STRIP, FOOTER_Y, HEADER_Y, LANDSCAPE, PORTRAIT, Styles, frame_box, markup

# Streams are compressed only, not also ASCII85-encoded: a quarter smaller and about 10 % faster to write.
rl_config.useA85 = 0
NUMBER_WIDTH = 36  # points kept free at the right of a catalogue line for its page number
LEADER_GAP = 27  # the dotted leader stops this far from the right edge: room for a four-digit page number
TOTAL_FORM = "rrTotal"
MAX_HEADING = 200  # characters


class DossierDoc(BaseDocTemplate):
    def __init__(self, filename: str, header: str, styles: Styles, info: dict, on_flowable=None):
        super().__init__(filename, pagesize=PORTRAIT, invariant=1, leftMargin=0, rightMargin=0, topMargin=0,
                         bottomMargin=0, creator="迎检通 ReviewReady", producer="迎检通 ReviewReady",
                         initialFontName=styles.fonts.song, **info)  # no unembedded Helvetica in the file
        self.header = header
        self.styles = styles
        self.on_flowable = on_flowable
        self.anchor_pages: dict[str, int] = {}
        self.placements: list[tuple[int, int, int]] = []  # (page number, attachment index, page index)
        self.page_count = 0
        self._doSave = 0  # reportlab: build() must not save; finish() defines the late forms first
        self.addPageTemplates([self._template("portrait", PORTRAIT), self._template("landscape", LANDSCAPE)])

    def _template(self, name: str, pagesize) -> PageTemplate:
        x, y, width, height = frame_box(pagesize)
        frame = Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)
        return PageTemplate(name, [frame], onPage=self._decorate, pagesize=pagesize)

    def _decorate(self, canv, doc) -> None:
        """Header (dossier title, rule) and footer (第 X 页 共 Y 页) on every page."""
        self.page_count = canv.getPageNumber()
        width, height = canv._pagesize
        fonts = self.styles.fonts
        canv.saveState()
        canv.setFont(fonts.song, 9)
        canv.setFillColor(colors.HexColor("#333333"))
        canv.drawCentredString(width / 2, height - HEADER_Y, self.header)
        canv.setStrokeColor(colors.HexColor("#888888"))
        canv.setLineWidth(0.5)
        canv.line(frame_box((width, height))[0], height - HEADER_Y - 4, width - frame_box((width, height))[0],
                  height - HEADER_Y - 4)
        canv.setFont(fonts.song, 10.5)
        canv.drawRightString(width / 2 - 3, FOOTER_Y, f"第 {canv.getPageNumber()} 页")
        canv.translate(width / 2 + 3, FOOTER_Y)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()

    def afterFlowable(self, flowable) -> None:
        if self.on_flowable is not None:
            self.on_flowable(flowable)

    def finish(self, form_names: dict[str, str]) -> None:
        """Define the late forms (total pages, catalogue page numbers) and write the file."""
        canv = self.canv
        fonts = self.styles.fonts
        canv.beginForm(TOTAL_FORM, lowerx=-2, lowery=-4, upperx=120, uppery=14)
        canv.setFont(fonts.song, 10.5)
        canv.drawString(0, 0, f"共 {self.page_count} 页")
        canv.endForm()
        for anchor, form in form_names.items():
            canv.beginForm(form, lowerx=-NUMBER_WIDTH, lowery=-4, upperx=2, uppery=14)
            canv.setFont(fonts.song, 11)
            canv.drawRightString(0, 0, str(self.anchor_pages.get(anchor, "")))
            canv.endForm()
        canv.save()


class HeadingPara(Paragraph):
    """A heading that registers a bookmark, an outline entry nested at its level, and its page number."""

    def __init__(self, text: str, style, level: int, anchor: str, doc: DossierDoc, outline: bool = True):
        text = text if len(text) <= MAX_HEADING else text[:MAX_HEADING] + "…"  # a heading must fit on a page
        super().__init__(markup(text), style)
        self.plain, self.level, self.anchor, self.doc, self.outline = text, level, anchor, doc, outline

    def split(self, avail_width, avail_height):
        return []  # a heading moves whole to the next page

    def draw(self):
        super().draw()
        canv = self.canv
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


class PagePlaceholder(Flowable):
    """A whole page reserved for one page of an attachment; draws the caption, notes where the page goes."""

    def __init__(self, doc: DossierDoc, attachment: int, page: int, pages: int, title: str, level: int,
                 anchor: str):
        super().__init__()
        self.doc, self.attachment, self.page, self.pages = doc, attachment, page, pages
        self.title, self.level, self.anchor = title, level, anchor

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, avail_height - 0.5
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFont(self.doc.styles.fonts.song, 9)
        canv.setFillColor(colors.HexColor("#444444"))
        canv.drawString(0, self.height - CAPTION_STRIP + 5, f"附件 {self.title}（第 {self.page + 1}/{self.pages} 页）")
        canv.restoreState()
        if self.page == 0:
            canv.bookmarkHorizontal(self.anchor, 0, self.height)
            canv.addOutlineEntry(self.title, self.anchor, level=self.level - 1, closed=True)
            self.doc.anchor_pages[self.anchor] = canv.getPageNumber()
        self.doc.placements.append((canv.getPageNumber(), self.attachment, self.page))

