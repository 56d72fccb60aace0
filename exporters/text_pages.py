"""A plain text file (会议纪要.txt, a chat exported as text) set as A4 pages, so the PDF dossier attaches it.

Text files were only listed ("此类型的文件无法附入"), though nothing is easier to show. The file is decoded as
Chinese software writes text (archive.metadata.text.decode_legacy: UTF-8, UTF-16 by its mark, else GB18030), set in
the dossier's 宋体 at 五号 (10.5 pt) with CJK line breaking (exporters.pdf_wrap), page after page, into a PDF in the
export's temp folder; that PDF is then attached as any other. A file too long for a dossier (over 2 MB, or over
300 pages as set) is listed instead, with its reason.
"""

from __future__ import annotations

import os

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from archive.metadata.text import decode_legacy
from exporters.pdf_merge import AttachmentError
from exporters.pdf_wrap import LineBreaker

MAX_BYTES = 2 << 20  # read at most; about 1,000 pages of Chinese text
MAX_PAGES = 300
SIZE, LEADING = 10.5, 18  # 五号, lines as a Word document's
MARGIN = 25 * mm


def text_pdf(path: str, target: str, font: str) -> int:
    """Set the text file at `path` as A4 pages in `font` (a registered reportlab font) into `target`; the number
    of pages. AttachmentError when the file is too long or cannot be read."""
    lines = _lines(read_text(path), font)
    height = A4[1]
    per_page = int((height - 2 * MARGIN) // LEADING)
    if len(lines) > MAX_PAGES * per_page:  # a log or a data dump, not a document to read in a dossier
        raise AttachmentError(f"文本文件过长（约 {-(-len(lines) // per_page)} 页），只列入目录")
    pdf = canvas.Canvas(target, pagesize=A4, invariant=1, pageCompression=1, initialFontName=font)  # no Helvetica
    pages = 0
    for start in range(0, max(1, len(lines)), per_page):
        pdf.setFont(font, SIZE)
        for number, line in enumerate(lines[start:start + per_page]):
            pdf.drawString(MARGIN, height - MARGIN - SIZE - number * LEADING, line)
        pdf.showPage()
        pages += 1
    pdf.save()
    return pages


def read_text(path: str, kind: str = "文本文件") -> str:
    """The file decoded as Chinese software writes text; AttachmentError when it cannot be read or is too large."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AttachmentError(f"{kind}无法读取（{exc.strerror or exc}），未附入") from exc
    if len(raw) > MAX_BYTES:
        raise AttachmentError(f"{kind}超过 {MAX_BYTES >> 20} MB，只列入目录")
    return decode_legacy(raw, last_resort="gb18030")


def _lines(text: str, font: str) -> list[str]:
    """The text's lines as set: each wrapped at the type area's width, tabs as four spaces, no trailing blanks."""
    breaker = LineBreaker(font, SIZE)
    limit = A4[0] - 2 * MARGIN
    lines = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        paragraph = paragraph.expandtabs(4).rstrip()
        lines.extend(breaker.wrap(paragraph, limit).split("\n") if paragraph else [""])
    while lines and not lines[-1]:
        lines.pop()
    return lines


def rendered_name(workdir: str, number: int) -> str:
    folder = os.path.join(workdir, "text")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{number:05d}.pdf")
