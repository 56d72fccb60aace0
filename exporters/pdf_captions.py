"""Captions that always fit: at most two lines, the code and the page note never lost, the title shortened in its
middle when it is too long ("关于印发…实施方案的通知")."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from exporters.pdf_glyphs import glyph_safe

ELLIPSIS = "…"


def caption_lines(font: str, size: float, width: float, code: str, title: str, tail: str) -> list[str]:
    """`code title tail` in one or two lines no wider than `width`."""
    title = glyph_safe(title)
    whole = f"{code} {title}{tail}"
    if stringWidth(whole, font, size) <= width:
        return [whole]
    head = f"{code} "
    first, rest = _fill(font, size, width, head, title)
    if stringWidth(rest + tail, font, size) <= width:
        return [first, rest + tail]
    room = width - stringWidth(tail + ELLIPSIS, font, size)
    keep_end = _fit_end(font, size, rest, room / 2)
    keep_start = _fit_start(font, size, rest, room - stringWidth(keep_end, font, size))
    return [first, f"{keep_start}{ELLIPSIS}{keep_end}{tail}"]


def _fill(font: str, size: float, width: float, head: str, text: str) -> tuple[str, str]:
    """As much of `text` after `head` as fits one line, and what is left."""
    used = stringWidth(head, font, size)
    for index, ch in enumerate(text):
        used += stringWidth(ch, font, size)
        if used > width:
            return head + text[:index], text[index:]
    return head + text, ""


def _fit_start(font: str, size: float, text: str, room: float) -> str:
    used = 0.0
    for index, ch in enumerate(text):
        used += stringWidth(ch, font, size)
        if used > room:
            return text[:index]
    return text


def _fit_end(font: str, size: float, text: str, room: float) -> str:
    used = 0.0
    for index in range(len(text) - 1, -1, -1):
        used += stringWidth(text[index], font, size)
        if used > room:
            return text[index + 1:]
    return text
