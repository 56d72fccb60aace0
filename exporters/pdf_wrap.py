"""Line breaking for table cells, done once up front so cells are plain multi-line strings.

reportlab wraps Chinese only inside Paragraph cells (wordWrap="CJK"), which splits every text into one fragment
per character: on a 6,000-row catalogue that dominated the export time. Cells here are broken by measured glyph
widths instead: anywhere between Chinese characters, Latin words kept whole where they fit, and no line starting
with closing punctuation (禁则). The result is drawn by reportlab as plain lines, several times faster.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from exporters.pdf_glyphs import glyph_safe

NO_LINE_START = frozenset("，。、；：？！）》」』】〕…,.;:?!)]}%、·")
BREAK_AFTER = frozenset(" /\\_-—")


class LineBreaker:
    def __init__(self, font_name: str, size: float, word_latin: bool = False):
        """`word_latin`: for the Word twin, each Latin character at least as wide as in Times New Roman, the font
        Word sets Latin text in (a CJK font's Latin, simsun's above all, is narrower: capitals by a third)."""
        self.font = getFont(font_name)
        self.size = size
        self.word_latin = word_latin
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        if self.word_latin:
            return sum(self._char(ch) for ch in text)
        return self.font.stringWidth(text, self.size)

    def _char(self, ch: str) -> float:
        width = self._widths.get(ch)
        if width is None:
            width = self.font.stringWidth(ch, self.size)
            if self.word_latin and ch.isascii():
                width = max(width, stringWidth(ch, "Times-Roman", self.size))  # reportlab's own metrics: no file
            self._widths[ch] = width
        return width

    def wrap(self, text: str, limit: float) -> str:
        """`text` with line breaks inserted so that no line is wider than `limit` points."""
        text = glyph_safe(text)
        if "\n" not in text and self.width(text) <= limit:
            return text
        return "\n".join(line for part in text.split("\n") for line in self._lines(part, limit))

    def _lines(self, text: str, limit: float) -> list[str]:
        lines: list[str] = []
        start, width, last_break = 0, 0.0, -1  # last_break: index after which a line may end
        for index, ch in enumerate(text):
            width += self._char(ch)
            cjk = ord(ch) > 0x2E7F
            cut = None
            if width > limit and index > start:
                if ch in NO_LINE_START:  # closing punctuation takes the character before it to the next line
                    cut = index - 1 if index - 1 > start else None
                else:
                    cut = index if cjk or last_break < start else last_break + 1
            if cut is not None:
                lines.append(text[start:cut].rstrip())
                start = cut
                width = sum(self._char(c) for c in text[start:index + 1])
                last_break = -1
            if ch in BREAK_AFTER or cjk:  # a line may end after a space or slash, or after any CJK character
                last_break = index
        lines.append(text[start:])
        return [lines[0]] + [line.lstrip(" ") for line in lines[1:]]  # a continuation never starts with a space
