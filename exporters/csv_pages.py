"""A CSV ledger (抽检台账.csv, a system's export) set as a table on A4 pages, so the PDF dossier attaches it.

CSV files were only listed, though they are the ledgers reviewers ask to see. The file is decoded as Chinese software
writes text (archive.metadata.text.decode_legacy: UTF-8, UTF-16 by its mark, else GB18030, which is what Excel saves
"CSV" in on a Chinese Windows), split by its delimiter (comma, tab or semicolon, as sniffed), and set as a grid in
the dossier's 宋体 at 9 pt with the first row repeated on every page: portrait, or landscape when the columns need
it. Column widths follow their longest cell (up to 24 characters; longer text wraps). A table too large for a
dossier is listed instead, with its reason.
"""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from exporters.pdf_merge import AttachmentError
from exporters.text_pages import MAX_PAGES, read_text

SIZE, LEADING = 9, 12
MARGIN = 15 * mm
MAX_ROWS = MAX_PAGES * 42  # more rows than 300 landscape pages hold (42 lines each): refused before the layout
WIDEST = 24  # characters a column takes before its text wraps
DELIMITERS = ",\t;"


def csv_pdf(path: str, target: str, font: str) -> int:
    """Set the CSV file at `path` as a table in `font` (a registered reportlab font) into `target`; the number of
    pages. AttachmentError when the file is too large or cannot be read."""
    rows = _rows(read_text(path, "表格文件"))
    if len(rows) > MAX_ROWS:
        raise AttachmentError(f"表格过长（{len(rows)} 行），只列入目录")
    columns = max(len(row) for row in rows)
    weights = [min(WIDEST, max(_width(row[n]) if n < len(row) else 0 for row in rows)) + 2 for n in range(columns)]
    page = A4 if sum(weights) * SIZE <= A4[0] - 2 * MARGIN else landscape(A4)
    frame = page[0] - 2 * MARGIN
    widths = [frame * weight / sum(weights) for weight in weights]
    style = ParagraphStyle("cell", fontName=font, fontSize=SIZE, leading=LEADING, wordWrap="CJK")
    cells = [[Paragraph(_lines(value), style) for value in row + [""] * (columns - len(row))] for row in rows]
    table = LongTable(cells, colWidths=widths, repeatRows=1, splitInRow=1)  # a cell taller than a page goes on
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, SIZE),  # the cells' own default is Helvetica
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    doc = SimpleDocTemplate(target, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, invariant=1, initialFontName=font)  # no Helvetica
    try:
        doc.build([table])
    except LayoutError as exc:  # a cell no page can hold even split: listed, never a stop
        raise AttachmentError("表格中有单元格无法排入页面，只列入目录") from exc
    if doc.page > MAX_PAGES:
        raise AttachmentError(f"表格过长（约 {doc.page} 页），只列入目录")
    return doc.page


def _rows(text: str) -> list[list[str]]:
    """The rows, trailing empty rows and cells dropped; AttachmentError when there is none."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:  # a field over the csv module's limit, an unterminated quote in strict dialects
        raise AttachmentError(f"表格文件无法按 CSV 读取（{exc}），只列入目录") from exc
    for row in rows:
        while row and not row[-1]:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise AttachmentError("表格文件是空的，只列入目录")
    return rows


def _lines(value: str) -> str:
    """A cell as Paragraph markup: escaped, its own line breaks kept (a quoted cell may hold several lines)."""
    return "<br/>".join(escape(line) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _width(value: str) -> int:
    """Characters as wide as a CJK one: two Latin letters or digits take one."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in value) // 2 + 1
