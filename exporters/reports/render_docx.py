"""Render a Report to Word with the dossier's building blocks: A4, East Asian fonts in the styles, fast tables.

Marked rows (overdue, failing) are set in red bold. Page numbers in the footer, the report's name in the header.
Saved with fixed zip entry times, so the same archive on the same day gives the same bytes.
"""

from __future__ import annotations

import os
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from common.ziputil import normalize_zip, zip_time
from exporters.docx_styles import add_field, setup_page, setup_styles, text_run
from exporters.docx_tables import add_grid_table, style_id_of
from exporters.reports.model import Heading, MarkedTable, PageBreak, Paragraph, Report

MARK_COLOR = "C00000"
PARAGRAPH_STYLES = {"note": "提示", "small": "说明", "body": "Normal"}


def write_docx(report: Report, target: str, job, workdir: str) -> None:
    document = Document()
    setup_page(document)
    setup_styles(document, 3)
    if report.landscape:
        _landscape(document)
    _header_footer(document, report)
    _properties(document, report)
    _title(document, report)
    for number, block in enumerate(report.blocks):
        job.tick(lambda n=number: 0.3 + 0.6 * n / len(report.blocks), lambda: "正在生成 Word 文件…")
        _render(document, block)
    raw = os.path.join(workdir, "report-raw.docx")
    document.save(raw)
    job.report(0.95, "正在保存 Word 文件…")
    normalize_zip(raw, target, zip_time(report.generated))


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25)


def _render(document, block) -> None:
    if isinstance(block, Heading):
        _paragraph(document, block.text, f"Heading {min(block.level, 9)}")
    elif isinstance(block, Paragraph):
        _paragraph(document, block.text, PARAGRAPH_STYLES.get(block.style, "Normal"))
    elif isinstance(block, PageBreak):
        document.add_page_break()
    elif isinstance(block, MarkedTable):
        section = document.sections[0]
        width = Emu(section.page_width - section.left_margin - section.right_margin)
        table = add_grid_table(document, block.columns, block.rows, block.widths,
                               tuple(block.alignment(i) for i in range(len(block.columns))), block.font_size,
                               width=width)
        rows = table._tbl.findall(qn("w:tr"))
        for index in block.marked:
            _mark_row(rows[index + 1])  # row 0 is the header
        _paragraph(document, "", "说明")


def _paragraph(document, text: str, style: str):
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style_id_of(document, style)
    return paragraph


def _mark_row(row) -> None:
    for run in row.iter(qn("w:r")):
        props = run.find(qn("w:rPr"))
        if props is None:
            props = OxmlElement("w:rPr")
            run.insert(0, props)
        props.append(OxmlElement("w:b"))
        color = OxmlElement("w:color")
        color.set(qn("w:val"), MARK_COLOR)
        props.append(color)


def _title(document, report: Report) -> None:
    title = document.add_paragraph(report.title, style="Title")
    title.paragraph_format.space_before = Pt(6)
    for line in (report.subtitle, report.date):
        if line:
            document.add_paragraph(line, style="封面")
    document.add_paragraph(style="说明")


def _header_footer(document, report: Report) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.text = report.header
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer._p.append(text_run("第 "))
    add_field(footer, "PAGE", "1")
    footer._p.append(text_run(" 页 共 "))
    add_field(footer, "NUMPAGES", "1")
    footer._p.append(text_run(" 页"))


def _properties(document, report: Report) -> None:
    props = document.core_properties
    stamp = datetime.strptime(report.generated, "%Y-%m-%d %H:%M:%S")
    props.title, props.subject = report.title, report.subtitle
    props.author = props.last_modified_by = report.subtitle or "迎检通"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.comments = "迎检通 ReviewReady 生成"
