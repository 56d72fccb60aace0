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
# Word's own 禁则 for Chinese (and LibreOffice's, by Unicode line breaking): where the Word twin must not part lines
WORD_NO_START = NO_LINE_START | frozenset("!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶〃〉〗〞︶︺︾﹀﹄﹚﹜﹞"
                                          "！＂％＇．：；？］｀｜｝～￠")
WORD_NO_END = frozenset("$(£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥")
NO_BREAK_BEFORE = WORD_NO_START | {"-"}
BREAK_AFTER = frozenset(" /\\_-—")


class LineBreaker:
    def __init__(self, font_name: str, size: float, for_word: bool = False):
        """`for_word`: the Word twin's lines, never holding more than Word's or LibreOffice's of the same width
        (see `_word_lines`); each Latin character at least as wide as in Times New Roman, the font Word sets Latin
        text in (a CJK font's Latin, simsun's above all, is narrower: capitals by a third)."""
        self.font = getFont(font_name)
        self.size = size
        self.word_latin = for_word
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
        lines = self._word_lines if self.word_latin else self._lines
        return "\n".join(line for part in text.split("\n") for line in lines(part, limit))

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

    def _word_lines(self, text: str, limit: float) -> list[str]:
        """Lines that Word and LibreOffice, breaking greedily at places of their own, fill at least as far.

        A line ends at the last place where any engine may break: after a space, or between two Chinese
        characters that 禁则 lets part. Where a line has no such place, it ends at the first place where one
        might (anywhere but inside a Latin word, number or file name, or before closing punctuation or a hyphen),
        else where it overflows. Their breaks are
        never behind ours: each of their lines starts no earlier and can end where ours does, or further."""
        lines: list[str] = []
        start, width = 0, 0.0
        sure = first = -1  # in the current line: the last sure break, the first possible one (index before it)
        for index, ch in enumerate(text):
            width += self._char(ch)
            while width > limit and index > start:
                cut = sure + 1 if sure >= start else first + 1 if first >= start else index
                lines.append(text[start:cut].rstrip())
                start = cut
                width = sum(self._char(c) for c in text[start:index + 1])
                sure = first = -1
                for before in range(start, index):
                    sure, first = self._breaks(text, before, start, sure, first)
            if index + 1 < len(text):
                sure, first = self._breaks(text, index, start, sure, first)
        lines.append(text[start:])
        return [lines[0]] + [line.lstrip(" ") for line in lines[1:]]

    @staticmethod
    def _breaks(text: str, index: int, start: int, sure: int, first: int) -> tuple[int, int]:
        """`sure`, `first` updated with the place after text[index]."""
        ch, after = text[index], text[index + 1]
        if ch == " " or (ord(ch) > 0x2E7F and ord(after) > 0x2E7F and ch not in WORD_NO_END
                         and after not in WORD_NO_START):
            sure = index
        if first < start and not (_in_word(ch) and _in_word(after)) and after not in NO_BREAK_BEFORE:
            first = index
        return sure, first


def _in_word(ch: str) -> bool:
    """Part of a Latin word, a number or a file name: no engine breaks inside one but where it overflows."""
    return ch.isascii() and (ch.isalnum() or ch in "_.,'")
