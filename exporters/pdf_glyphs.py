"""Characters the dossier's fonts cannot draw (emoji, rare symbols) are written as their Unicode names.

reportlab draws a missing glyph as the font's .notdef box: a file named "培训现场😀.jpg" printed "培训现场□". No
embeddable font on these machines has colour emoji (Noto Color Emoji is a bitmap font reportlab cannot embed), so
the character becomes "[GRINNING FACE]": the reader learns what was there, and nothing prints as a box.
"""

from __future__ import annotations

import unicodedata

from reportlab.pdfbase.pdfmetrics import getFont

_covered: frozenset[int] = frozenset()


def set_fonts(fonts) -> None:
    """Characters every role's font has: text is checked against all of them, whichever draws it."""
    global _covered
    maps = [getFont(name).face.charToGlyph for name in dict.fromkeys((fonts.song, fonts.hei, fonts.fang,
                                                                        fonts.kaiti))]
    covered = set(maps[0])
    for other in maps[1:]:
        covered &= set(other)
    _covered = frozenset(covered)


def glyph_safe(text: str) -> str:
    if text.isascii() or not _covered:
        return text
    if all(ord(ch) in _covered or ch in "\n\r\t" for ch in text):
        return text
    return "".join(ch if ord(ch) in _covered or ch in "\n\r\t" else _name(ch) for ch in text)


def _name(ch: str) -> str:
    if unicodedata.category(ch) in ("Mn", "Cf", "Cc"):  # variation selectors, zero-width joiners: nothing to say
        return ""
    return f"[{unicodedata.name(ch, f'U+{ord(ch):04X}')}]"
