"""Render a Report to PDF with the dossier's building blocks: embedded CJK fonts, GB/T 9704-like styles, cells
broken by measured glyph widths. Marked rows (overdue, failing) in red. Page numbers in the footer."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import LongTable, PageBreak, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as ParagraphFlowable

from exporters.fonts import find_fonts
from exporters.pdf_styles import (
    FOOTER_Y,
    GRID,
    HEADER_FILL,
    HEADER_Y,
    LANDSCAPE,
    MARGINS,
    PORTRAIT,
    Styles,
    frame_box,
    make_styles,
    markup,
)
from exporters.pdf_wrap import LineBreaker
from exporters.reports import model

MARK_COLOR = colors.HexColor("#c00000")
CELL_PADDING = 3


def write_pdf(report: model.Report, target: str, job, font_path: str | None = None) -> None:
    styles = make_styles(find_fonts(font_path))
    pagesize = LANDSCAPE if report.landscape else PORTRAIT
    width = frame_box(pagesize)[2]
    doc = SimpleDocTemplate(target, pagesize=pagesize, title=report.title, author=report.subtitle,
                            subject=report.header, creator="迎检通 ReviewReady", leftMargin=MARGINS["left"],
                            rightMargin=MARGINS["right"], topMargin=MARGINS["top"], bottomMargin=MARGINS["bottom"])
    story = [ParagraphFlowable(markup(report.title), styles.cover_title)]
    story += [ParagraphFlowable(markup(line), styles.cover_line) for line in (report.subtitle, report.date) if line]
    story.append(Spacer(1, 12))
    breakers: dict[float, LineBreaker] = {}
    for number, block in enumerate(report.blocks):
        job.tick(lambda n=number: 0.3 + 0.4 * n / len(report.blocks), lambda: "正在排版 PDF…")
        story += _render(block, styles, width, breakers)
    job.report(0.75, "正在生成 PDF 文件…")
    decorate = _decorator(report.header, styles, pagesize, job)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def _render(block, styles: Styles, width: float, breakers: dict) -> list:
    if isinstance(block, model.Heading):
        return [ParagraphFlowable(markup(block.text), styles.heading(block.level))]
    if isinstance(block, model.Paragraph):
        style = {"note": styles.note, "small": styles.small}.get(block.style, styles.body)
        return [ParagraphFlowable(markup(block.text), style)]
    if isinstance(block, model.PageBreak):
        return [PageBreak()]
    if isinstance(block, model.MarkedTable):
        return [_table(block, styles, width, breakers), Spacer(1, 8)]
    raise TypeError(f"unknown block {block!r}")


def _table(block: model.MarkedTable, styles: Styles, width: float, breakers: dict) -> LongTable:
    total = sum(block.widths)
    widths = [width * w / total for w in block.widths]
    size = block.font_size
    plain = breakers.setdefault((styles.fonts.song, size), LineBreaker(styles.fonts.song, size))
    heavy = breakers.setdefault((styles.fonts.hei, size), LineBreaker(styles.fonts.hei, size))
    header = [ParagraphFlowable(markup(c), styles.cell(size, "center", header=True)) for c in block.columns]
    rows = [header]
    for number, row in enumerate(block.rows):
        breaker = heavy if number in block.marked else plain
        rows.append([breaker.wrap(text, widths[i] - 2 * CELL_PADDING) if text else "" for i, text in enumerate(row)])
    table = LongTable(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    commands = [("FONT", (0, 0), (-1, -1), styles.fonts.song, size, size * 1.3),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING)]
    commands += [("ALIGN", (i, 1), (i, -1), block.alignment(i).upper()) for i in range(len(widths))]
    for index in block.marked:  # no bold CJK face: a heavier font (黑体) and colour instead
        commands.append(("TEXTCOLOR", (0, index + 1), (-1, index + 1), MARK_COLOR))
        commands.append(("FONT", (0, index + 1), (-1, index + 1), styles.fonts.hei, size, size * 1.3))
    table.setStyle(TableStyle(commands))
    return table


def _decorator(header: str, styles: Styles, pagesize, job):
    page_width, page_height = pagesize

    def decorate(canvas, doc) -> None:
        job.check()
        canvas.saveState()
        canvas.setFont(styles.fonts.song, 9)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawCentredString(page_width / 2, page_height - HEADER_Y, header)
        canvas.setFont(styles.fonts.song, 10)
        canvas.drawCentredString(page_width / 2, FOOTER_Y, f"第 {doc.page} 页")
        canvas.restoreState()

    return decorate
