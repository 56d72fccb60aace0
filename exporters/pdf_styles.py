"""Page geometry and paragraph/table styles of the PDF dossier, after GB/T 9704 (A4, 黑体 headings, 仿宋 body).

Every style wraps Chinese (wordWrap="CJK"): reportlab's default wrapping only breaks at spaces.
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

PORTRAIT = A4
LANDSCAPE = landscape(A4)
# GB/T 9704 margins (top 37 mm, left 28 mm, right 26 mm, bottom 35 mm), a little tighter for dense tables
MARGINS = {"top": 30 * mm, "bottom": 25 * mm, "left": 25 * mm, "right": 22 * mm}
HEADER_Y = 17 * mm  # from the top edge
FOOTER_Y = 13 * mm  # from the bottom edge
CAPTION_STRIP = 16  # points above an attached page for its caption
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
    """Plain text to reportlab paragraph markup: escaped, line breaks kept."""
    return escape(text or "").replace("\n", "<br/>")


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
    cover_title: ParagraphStyle
    cover_sub: ParagraphStyle
    cover_line: ParagraphStyle
    _cells: dict

    def heading(self, level: int) -> ParagraphStyle:
        return self.headings[min(level, len(self.headings)) - 1]

    def toc_entry(self, level: int) -> ParagraphStyle:
        return self.toc[min(level, len(self.toc)) - 1]

    def cell(self, size: float, align: str, header: bool = False) -> ParagraphStyle:
        key = (size, align, header)
        if key not in self._cells:
            self._cells[key] = ParagraphStyle(
                f"cell-{size}-{align}-{header}", fontName=self.fonts.hei if header else self.fonts.song,
                fontSize=size, leading=size * 1.3, alignment=TA_CENTER if header else ALIGN[align], wordWrap="CJK")
        return self._cells[key]


def make_styles(fonts: FontSet) -> Styles:
    def style(name, font, size, leading=None, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.5, wordWrap="CJK", **kw)

    headings = [style("h1", fonts.hei, 16, 22, spaceBefore=6, spaceAfter=8, keepWithNext=1),
                style("h2", fonts.hei, 14, 20, spaceBefore=10, spaceAfter=6, keepWithNext=1),
                style("h3", fonts.hei, 12.5, 18, spaceBefore=8, spaceAfter=5, keepWithNext=1),
                style("h4", fonts.hei, 12, 17, spaceBefore=6, spaceAfter=4, keepWithNext=1)]
    toc = [style(f"toc{level}", fonts.hei if level == 1 else fonts.song, 12 if level == 1 else 11, 18,
                 leftIndent=14 * (level - 1)) for level in range(1, 5)]
    return Styles(
        fonts=fonts,
        body=style("body", fonts.fang, 12, 20, firstLineIndent=24, spaceAfter=4),
        note=style("note", fonts.song, 11, 17, textColor=NOTE_COLOR, spaceBefore=2, spaceAfter=6),
        small=style("small", fonts.song, 9, 13, textColor=colors.HexColor("#444444"), spaceAfter=4),
        caption=style("caption", fonts.song, 10, 14, alignment=TA_CENTER, spaceBefore=3, spaceAfter=10),
        label=style("label", fonts.hei, 10, 14),
        value=style("value", fonts.song, 10, 14),
        toc=toc, headings=headings,
        cover_title=style("cover-title", fonts.hei, 22, 34, alignment=TA_CENTER, spaceAfter=18),
        cover_sub=style("cover-sub", fonts.hei, 20, 30, alignment=TA_CENTER, spaceAfter=12),
        cover_line=style("cover-line", fonts.fang, 15, 26, alignment=TA_CENTER),
        _cells={},
    )
