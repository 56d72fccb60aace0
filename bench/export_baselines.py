"""Baselines for bench/export_bench.py: the bare libraries doing the same work, timed for rendering only."""

from __future__ import annotations

import time
from xml.sax.saxutils import escape

STAMP = "2024-05-01 10:00:00"


def _tables(archive):
    from exporters import ExportOptions
    from exporters.build import build_dossier
    from exporters.model import Table

    dossier = build_dossier(archive, ExportOptions(catalogue_only=True, generated=STAMP))
    return [b for b in dossier.blocks if isinstance(b, Table)]


def reportlab_tables(archive, out: str, wrap: bool = True) -> float:
    """SimpleDocTemplate and LongTable; Paragraph cells with CJK wrapping (the documented way to wrap Chinese)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    from exporters.fonts import find_fonts

    tables = _tables(archive)
    font = find_fonts().song
    started = time.perf_counter()
    styles = {}
    story = []
    for table in tables:
        size = table.font_size
        style = styles.setdefault(size, ParagraphStyle(f"c{size}", fontName=font, fontSize=size,
                                                       leading=size * 1.3, wordWrap="CJK"))
        cell = (lambda text, s=style: Paragraph(escape(text).replace("\n", "<br/>"), s)) if wrap else str
        rows = [[cell(c) for c in table.columns]] + [[cell(t) for t in row] for row in table.rows]
        total = sum(table.widths)
        flowable = LongTable(rows, colWidths=[450 * w / total for w in table.widths], repeatRows=1)
        flowable.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#555555"),
                                      ("FONT", (0, 0), (-1, -1), font, size)]))
        story += [flowable, Spacer(1, 8)]
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
    return time.perf_counter() - started


def reportlab_plain(archive, out: str) -> float:
    return reportlab_tables(archive, out, wrap=False)


def docx_tables(archive, out: str) -> float:
    """python-docx the ordinary way: add_table, add_row, cell.text."""
    from docx import Document

    tables = _tables(archive)
    started = time.perf_counter()
    document = Document()
    for table in tables:
        grid = document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = text
        for row in table.rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
        document.add_paragraph()
    document.save(out)
    return time.perf_counter() - started


def pypdf_merge(archive, out: str) -> float:
    """pypdf's PdfWriter appending every PDF of the archive (it keeps all of them in memory until write)."""
    from pypdf import PdfWriter

    paths = [row[0] for row in archive.conn.execute(
        "SELECT path FROM files WHERE type = 'pdf' AND problem IS NULL ORDER BY path")]
    started = time.perf_counter()
    writer = PdfWriter()
    for path in paths:
        writer.append(path)
    with open(out, "wb") as handle:
        writer.write(handle)
    return time.perf_counter() - started


BASELINES = {"reportlab-tables": reportlab_tables, "reportlab-plain": reportlab_plain, "docx-tables": docx_tables,
             "pypdf-merge": pypdf_merge}
