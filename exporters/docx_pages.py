"""Page numbers for the Word dossier's 目录 and 起止页, so Word and WPS show them without updating fields, and the
page breaks that make Word's layout agree with them.

Word lays a document out only when it opens it; until then a TOC field shows its cached result, and python-docx
cannot lay anything out. The PDF writer can: it lays out the same Dossier as Word's twin (no attached pages, the
目录 listing headings only, as the Word 目录 does), with the same font per role, sizes, exact line heights and
spacing. No two engines break lines alike, so the twin is built never to put on a page more than Word can hold
there: its lines are one character narrower, its type area TWIN_SLACK shorter, paragraphs are kept whole in both.
Then Word is told where each twin page begins (`WordLayout.starts`): the part of the dossier that opens a twin
page gets "page break before" in Word, and a table the twin breaks is broken in Word at the same row
(exporters/docx_writer.py). Word and LibreOffice are left no choice of page for anything, so every heading and
photo lands on the page the 目录 and 起止页 name. Where no CJK font can be embedded, an estimate from the text's
length and the type area takes its place, without breaks. Word replaces the numbers with its own whenever the
field is updated (F9 / 更新域).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from common.errors import Cancelled, UserError
from exporters import model

PageMap = dict[str, tuple[int, int]]  # anchor -> (first page, last page) as printed: the cover is not counted
TYPE_WIDTH, TYPE_HEIGHT = 442.2, 637.8  # points: 156 × 225 mm


@dataclass
class WordLayout:
    pages: PageMap  # where each anchor lands
    total: int  # pages after the cover
    starts: frozenset[tuple[int, int, int]] = field(default_factory=frozenset)  # (block, part, row) opening a page
    row_parts: dict[tuple[int, int], list[tuple[str, ...]]] = field(default_factory=dict)  # rows taller than a page

    def opens_page(self, block: int, part: int = 0, row: int = 0) -> bool:
        """Does this part of the block (its flowable number in the twin; for a table, from its data row `row`,
        counted after `row_parts`) begin a page in the twin?"""
        return (block, part, row) in self.starts


def word_pages(dossier: model.Dossier, workdir: str, job, font_path: str | None, prepared) -> WordLayout:
    """Where each anchor lands in the Word version, its page count after the cover and where its pages begin:
    from the twin PDF layout, else estimated."""
    from exporters.pdf_writer import lay_out

    twin = os.path.join(workdir, "word-pages.pdf")
    try:
        doc, _ = lay_out(dossier, twin, job, font_path, prepared, start=0.1, span=0.3, toc_files=False, twin=True)
    except Cancelled:
        raise
    except UserError:  # no CJK font to lay out with: estimate
        return WordLayout(*estimate_pages(dossier))
    except Exception:  # the page numbers are a courtesy: they never stop the Word dossier itself
        return WordLayout(*estimate_pages(dossier))
    cover = 1
    return WordLayout({anchor: (page - cover, doc.anchor_ends.get(anchor, page) - cover)
                       for anchor, page in doc.anchor_pages.items()}, doc.page_count - cover,
                      frozenset(doc.page_starts), doc.row_parts)


def shown(pages: PageMap, anchor: str, whole_range: bool = False) -> str:
    if anchor not in pages:
        return ""
    first, last = pages[anchor]
    return f"{first}-{last}" if whole_range and last != first else str(first)


def estimate_pages(dossier: model.Dossier) -> tuple[PageMap, int]:
    """A page estimate without fonts: each block's height from its characters' widths (CJK full, Latin half),
    GB/T 9704's type area and the writers' sizes; tables break between rows and repeat their header."""
    state = _Estimate()
    for block in dossier.blocks:
        state.add(block, dossier)
    return state.pages, state.page


class _Estimate:
    def __init__(self):
        self.page, self.used = 1, 0.0
        self.pages: PageMap = {}

    def new_page(self) -> None:
        if self.used > 0:
            self.page, self.used = self.page + 1, 0.0

    def place(self, height: float) -> None:
        if self.used + height > TYPE_HEIGHT and self.used > 0:
            self.page, self.used = self.page + 1, 0.0
        self.used += height

    def add(self, block, dossier: model.Dossier) -> None:
        if isinstance(block, model.PageBreak):
            self.new_page()
        elif isinstance(block, model.Heading):
            self.place(_lines(block.text, 16, TYPE_WIDTH) * 26 + 14 + 40)  # kept with what follows
            self.used -= 40
            self.pages[block.anchor] = (self.page, self.page)
        elif isinstance(block, model.Paragraph):
            size, leading = {"note": (11, 17), "small": (10.5, 16), "table-title": (12, 18)}.get(block.style,
                                                                                                 (16, 28.9))
            self.place(_lines(block.text, size, TYPE_WIDTH) * leading + 6)
        elif isinstance(block, model.Fields):
            for _, value in block.items:
                self.place(_lines(value, 10, TYPE_WIDTH * 0.82 - 6) * 14 + 5)
        elif isinstance(block, model.Table):
            self._table(block)
        elif isinstance(block, model.TocPlaceholder):
            self.place(38)
            for line in dossier.toc_lines(files=False):
                self.place(_lines(line.text, 12, TYPE_WIDTH - 36 - 14 * (line.level - 1)) * 18 + 2)
        elif isinstance(block, model.PhotoSheet):
            self.new_page()
            on_page = 0  # photos on this page; a screenshot, a long picture's pieces take pages of their own
            for photo in block.photos:
                if on_page == block.per_page or (on_page and photo.alone):
                    self.page, on_page = self.page + 1, 0
                self.pages[photo.anchor] = (self.page, self.page + photo.pages - 1)
                self.page += photo.pages - 1
                on_page = block.per_page if photo.alone else on_page + 1
            self.used = TYPE_HEIGHT

    def _table(self, block: model.Table) -> None:
        total = sum(block.widths)
        widths = [TYPE_WIDTH * w / total - 6 for w in block.widths]
        leading = block.font_size * 1.3

        def height(cells) -> float:
            return max(_lines(c if isinstance(c, str) else c.text, block.font_size, w)
                       for c, w in zip(cells, widths, strict=False)) * leading + 5

        header = height(block.columns)
        self.place(header)
        for row in block.rows:
            row_height = height(row)
            if self.used + row_height > TYPE_HEIGHT:
                self.page, self.used = self.page + 1, header
            self.used += row_height
        self.used += 8


def _lines(text: str, size: float, width: float) -> int:
    lines = 0
    for part in (text or "").split("\n"):
        advance = sum(size if ord(ch) > 0x2E7F else size * 0.55 for ch in part)
        lines += max(1, math.ceil(advance / max(width, size)))
    return lines
