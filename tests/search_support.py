"""Real documents with known text, for the search wing's tests: Word, Excel, PowerPoint, PDF (a text layer per page,
and a scan without one), GB18030 text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from archive.demo import find_cjk_font


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    book.close()
    return path


SLIDE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld xmlns:a="http://schemas.openxmlformats.org/'
         'drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>'
         '<p:sp><p:txBody>{paras}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>')


def write_pptx(path: Path, slides: list[list[str]]) -> Path:
    """The parts a PowerPoint file's text lives in (a real .pptx has more; the reader needs only these)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation/>')
        for number, paras in enumerate(slides, start=1):
            body = "".join(f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p>" for text in paras)
            archive.writestr(f"ppt/slides/slide{number}.xml", SLIDE.format(paras=body))
    return path


def pdf_bytes(pages: list[str | None]) -> bytes:
    """One page per entry: its lines of text drawn in a CJK TrueType font, or None for a page with only a picture
    (a scan: no text layer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = find_cjk_font()
    assert font, "a CJK TrueType font is needed (fonts-wqy-microhei)"
    if "RRTestCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("RRTestCJK", font, subfontIndex=0) if font.endswith(".ttc")
                                else TTFont("RRTestCJK", font))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for text in pages:
        if text is None:
            pdf.drawImage(ImageReader(_picture()), 72, 400, 300, 200)
        else:
            pdf.setFont("RRTestCJK", 12)
            for number, line in enumerate(text.split("\n")):
                pdf.drawString(72, 760 - 18 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _picture() -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 180, 160)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def write_pdf(path: Path, pages: list[str | None]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages))
    return path
