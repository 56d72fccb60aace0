"""Page geometry and paragraph/table styles of the PDF dossier, after GB/T 9704-2012: A4, type area 156 × 225 mm
(top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), prose in 仿宋 3号 (16 pt, 22 lines a page), headings 黑体
(一、), 楷体 (（一）), 仿宋 bold (1.), all 3号; tables in a smaller 宋体.

Every style wraps Chinese (wordWrap="CJK"): reportlab's default wrapping only breaks at spaces. Text goes through
`markup`, which also writes characters no dossier font has (emoji) as their Unicode names instead of empty boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from exporters.fonts import FontSet
from exporters.pdf_glyphs import glyph_safe

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGINS = {"top": 37 * mm, "bottom": 35 * mm, "left": 28 * mm, "right": 26 * mm}  # GB/T 9704-2012 5.2.1
HEADER_Y = 22 * mm  # baseline of the running header, from the top edge (inside the top margin)
FOOTER_Y = 24 * mm  # baseline of the page number, from the bottom edge: about 7 mm below the type area
CAPTION_SIZE, CAPTION_LEADING = 9, 11.5
CAPTION_STRIP = 2 * CAPTION_LEADING + 5  # room above an attached page for its caption: at most two lines
BODY_SIZE, BODY_LEADING = 16, 28.9  # 3号, 22 lines in the 225 mm type area
GRID = colors.HexColor("#555555")
HEADER_FILL = colors.HexColor("#e8e8e8")
LABEL_FILL = colors.HexColor("#f2f2f2")
NOTE_COLOR = colors.HexColor("#a00000")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def frame_box(pagesize: tuple[float, float]) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the text block on a page of this size."""
    width, height = pagesize
    return (MARGINS["left"], MARGINS["bottom"], width - MARGINS["left"] - MARGINS["right"],
            height - MARGINS["top"] - MARGINS["bottom"])


def markup(text: str) -> str:
    """Plain text to reportlab paragraph markup: escaped, line breaks kept, missing glyphs named."""
    return escape(glyph_safe(text or "")).replace("\n", "<br/>")


@dataclass
class Styles:
    fonts: FontSet
    body: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    caption: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    toc: list[ParagraphStyle]
    headings: list[ParagraphStyle]
    toc_file: ParagraphStyle
    table_title: ParagraphStyle
    cover_title: ParagraphStyle
    cover_sub: ParagraphStyle
    cover_line: ParagraphStyle
    _cells: dict
    slack: bool = False  # the Word twin's: text wraps one character narrower than Word's (see make_styles)

    def heading(self, level: int) -> ParagraphStyle:
        return self.headings[min(level, len(self.headings)) - 1]

    def toc_entry(self, level: int) -> ParagraphStyle:
        return self.toc[min(level, len(self.toc)) - 1]

    def cell(self, size: float, align: str, header: bool = False) -> ParagraphStyle:
        key = (size, align, header)
        if key not in self._cells:
            self._cells[key] = ParagraphStyle(
                f"cell-{size}-{align}-{header}", fontName=self.fonts.hei if header else self.fonts.song,
                fontSize=size, leading=size * 1.3, alignment=TA_CENTER if header else ALIGN[align], wordWrap="CJK",
                rightIndent=size if self.slack else 0)
        return self._cells[key]


def make_styles(fonts: FontSet, slack: bool = False) -> Styles:
    """`slack`: the Word twin's styles (exporters/docx_pages.py). Every line there is one character narrower than
    Word's, so Word, whose fonts, 禁则 and Latin word breaks differ a little, never needs more lines than the twin."""
    from exporters.pdf_glyphs import set_fonts

    set_fonts(fonts)

    def style(name, font, size, leading=None, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.5, wordWrap="CJK",
                              rightIndent=size if slack else 0, **kw)

    def heading(name, font, **kw) -> ParagraphStyle:
        return style(name, font, BODY_SIZE, 26, spaceBefore=8, spaceAfter=6, keepWithNext=1, **kw)

    headings = [heading("h1", fonts.hei), heading("h2", fonts.kaiti), heading("h3", fonts.fang, firstLineIndent=32),
                heading("h4", fonts.fang, firstLineIndent=32)]
    toc = [style(f"toc{level}", fonts.hei if level == 1 else fonts.song, 12 if level == 1 else 11, 18,
                 leftIndent=14 * (level - 1)) for level in range(1, 5)]
    return Styles(
        fonts=fonts,
        body=style("body", fonts.fang, BODY_SIZE, BODY_LEADING, firstLineIndent=2 * BODY_SIZE),
        note=style("note", fonts.song, 11, 17, textColor=NOTE_COLOR, spaceBefore=2, spaceAfter=6),
        small=style("small", fonts.song, 10.5, 16, textColor=colors.HexColor("#333333"), spaceAfter=4),
        caption=style("caption", fonts.song, 10, 14, alignment=TA_CENTER, spaceBefore=3, spaceAfter=10),
        label=style("label", fonts.hei, 10.5, 15),
        value=style("value", fonts.song, 10.5, 15),
        toc=toc, headings=headings,
        toc_file=style("toc-file", fonts.song, 9, 12.5, textColor=colors.HexColor("#333333")),
        table_title=style("table-title", fonts.hei, 12, 18, alignment=TA_CENTER, spaceBefore=6, spaceAfter=4,
                          keepWithNext=1),
        cover_title=style("cover-title", fonts.hei, 22, 34, alignment=TA_CENTER, spaceAfter=18),
        cover_sub=style("cover-sub", fonts.hei, 22, 34, alignment=TA_CENTER, spaceAfter=12),
        cover_line=style("cover-line", fonts.fang, BODY_SIZE, 28, alignment=TA_CENTER),
        _cells={},
        slack=slack,
    )
