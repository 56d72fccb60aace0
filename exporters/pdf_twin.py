"""The pieces of the PDF layout that make it the Word version's twin (exporters/docx_pages.py).

The twin never puts on a page more than Word can hold there, so Word, told where the twin's pages begin, lays every
page out alike: prose paragraphs are kept whole (Word keeps their lines together); tables note the first data row
of each part they are split into, and rows taller than a page are split into parts Word gets too; a table title
stays with the table's first rows only, as Word keeps a paragraph with the next table row. Tables are laid out but
not drawn: nobody looks at the twin.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, LongTable
from reportlab.platypus import Paragraph as ParagraphFlowable
from reportlab.platypus import Table as TableFlowable

from exporters.pdf_styles import markup


class WholeParagraph(ParagraphFlowable):
    """The Word twin's prose paragraph: kept whole on one page, as Word keeps a paragraph whose lines are kept
    together (keepLines), unless it is taller than a page."""

    def split(self, avail_width, avail_height):
        frame = getattr(self, "_frame", None)
        if frame is not None and self.wrap(avail_width, frame._aH)[1] <= frame._aH:
            return []
        return super().split(avail_width, avail_height)


class _RowsTracked:
    """A table whose parts, once split across pages, know the number of their first data row: the Word twin breaks
    Word's table where its own breaks (exporters/docx_writer.py)."""

    first_row = 0
    unseen = False  # the Word twin's: laid out only, never looked at, so its cells are not drawn (a third faster)

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        done = self.first_row
        for part in parts:
            part.rr_key, part.unseen = getattr(self, "rr_key", None), self.unseen
            part.first_row = done
            done += len(part._cellvalues) - self.repeatRows
        return parts

    def draw(self):
        if not self.unseen:
            super().draw()


class TrackedLongTable(_RowsTracked, LongTable):
    pass


class TrackedTable(_RowsTracked, TableFlowable):
    pass


def title_room(title: str, style, width: float, rows: list[list[str]], leading: float) -> CondPageBreak:
    """A page break unless the table title, the header row and the first data row (`rows`, wrapped) fit: Word
    keeps the title with the table's first row, and the twin must not keep it with more."""
    _, height = ParagraphFlowable(markup(title), style).wrap(width, 10_000)
    height += style.spaceBefore + style.spaceAfter
    for row in rows:
        height += max(str(cell).count("\n") + 1 for cell in row) * leading + 5  # 2 + 3 pt of cell padding
    return CondPageBreak(height + 1)


def original_part(cell, parts: tuple[str, ...], number: int) -> str:
    """Part `number` of a cell the twin split into `parts` (its wrapped lines, grouped), as a piece of the cell's
    own text: no line breaks of the PDF's, the spaces where lines broke kept."""
    if not isinstance(cell, str):
        return "" if number else getattr(cell, "text", "")
    ends, position = [], 0
    for part in parts:
        for line in part.split("\n") if part else ():
            found = cell.find(line, position)
            if found < 0:  # a glyph the fonts lack was written by its name: the part's lines, joined
                return parts[number].replace("\n", "")
            position = found + len(line)
        ends.append(position)
    if not parts[number]:
        return ""
    last = number + 1 == len(parts) or not parts[number + 1]
    return cell[ends[number - 1] if number else 0:len(cell) if last else ends[number]].strip()
