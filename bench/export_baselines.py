"""Baselines for bench/export_bench.py: the bare libraries doing the same work.

Each baseline is (prepare, render): prepare reads the archive (not timed), render does the library work (timed).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

STAMP = "2024-05-01 10:00:00"


def tables(archive):
    from exporters import ExportOptions
    from exporters.build import build_dossier
    from exporters.model import Table

    dossier = build_dossier(archive, ExportOptions(catalogue_only=True, generated=STAMP))
    return [b for b in dossier.blocks if isinstance(b, Table)]


def prepare_tables(archive):
    from exporters.fonts import find_fonts

    return tables(archive), find_fonts().song


def reportlab_tables(prepared, out: str, wrap: bool = True) -> None:
    """SimpleDocTemplate and LongTable; Paragraph cells with CJK wrapping (the documented way to wrap Chinese)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    blocks, font = prepared
    styles = {}
    story = []
    for table in blocks:
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


def reportlab_plain(prepared, out: str) -> None:
    reportlab_tables(prepared, out, wrap=False)


def docx_tables(prepared, out: str) -> None:
    """python-docx the ordinary way: add_table, add_row, cell.text."""
    from docx import Document

    document = Document()
    for table in prepared:
        grid = document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = text
        for row in table.rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
        document.add_paragraph()
    document.save(out)


def pdf_paths(archive) -> list[str]:
    return [row[0] for row in archive.conn.execute(
        "SELECT path FROM files WHERE type = 'pdf' AND problem IS NULL ORDER BY path")]


def pypdf_merge(paths, out: str) -> None:
    """pypdf's PdfWriter appending every PDF of the archive (it keeps all of them in memory until write)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for path in paths:
        writer.append(path)
    with open(out, "wb") as handle:
        writer.write(handle)


BASELINES = {"reportlab-tables": (prepare_tables, reportlab_tables),
             "reportlab-plain": (prepare_tables, reportlab_plain),
             "docx-tables": (tables, docx_tables),
             "pypdf-merge": (pdf_paths, pypdf_merge)}
