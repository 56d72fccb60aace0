"""Big Word tables, fast: one row is built as XML, then copied per data row.

python-docx's `table.cell(r, c)` is quadratic in the row count (500 rows took about 70 s); copying a prepared
row's XML builds thousands of rows in a fraction of a second. Fixed layout with explicit column widths, a header
row repeated on every page, East Asian fonts set on the runs. Lines have exact heights (1.3 × the font size), cells
2 pt of padding above and below, and rows do not split across pages: the PDF twin's rows (3 pt of padding) are
never lower than Word's (exporters/docx_pages.py).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from exporters.docx_styles import HEI, SONG, TEXT_WIDTH, add_field, set_fonts


@dataclass(frozen=True)
class FieldText:
    """A cell holding a field (PAGEREF ...) with its result already filled in."""

    instruction: str
    text: str


HEADER_FILL = "E8E8E8"
LABEL_FILL = "F2F2F2"


def add_grid_table(document, columns, rows, widths, aligns, font_size: float, labels: bool = False,
                   width=TEXT_WIDTH):
    """Append a bordered table. `labels`: no header row; the first column is a shaded label column."""
    table = document.add_table(rows=0, cols=len(widths))
    tbl = table._tbl
    tbl.tblPr.style = style_id_of(document, "Table Grid")  # direct: python-docx's lookup scans every style
    total = sum(widths)
    twips = [int(width.twips * w / total) for w in widths]
    for column, grid in zip(twips, tbl.tblGrid.findall(qn("w:gridCol")), strict=True):
        grid.set(qn("w:w"), str(column))
    _fixed_layout(tbl.tblPr, sum(twips))
    styles = table_styles(document, font_size)
    aligns = tuple(aligns) or ("left",) * len(widths)
    if not labels:
        tbl.append(_row(twips, ["center"] * len(twips), styles, header=True, texts=columns))
    template = _row(twips, aligns, styles, label_first=labels)
    for values in rows:
        row = copy.deepcopy(template)
        for cell, text in zip(row.iterfind(qn("w:tc")), values, strict=False):
            if isinstance(text, FieldText):
                _set_field(cell, text)
            else:
                _set_text(cell, text if isinstance(text, str) else text.text)  # a PageRange: Word attaches no pages
        tbl.append(row)
    return table


def style_id_of(document, name: str) -> str:
    cache = document.__dict__.setdefault("_rr_style_ids", {})
    if name not in cache:
        cache[name] = document.styles[name].style_id
    return cache[name]


def _fixed_layout(tbl_pr, total: int) -> None:
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(total))
    width.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    width.addnext(layout)  # schema order: tblW ... tblLayout before tblCellMar and tblLook
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins (1 mm): dense catalogue columns; 2 pt above, below
    for side in ("w:top", "w:left", "w:bottom", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), "57" if side in ("w:left", "w:right") else "40")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    layout.addnext(margins)


def _row(twips, aligns, styles: tuple[str, str], header: bool = False, label_first: bool = False, texts=()):
    """One table row. Fonts and sizes come from the paragraph styles, so data cells stay a few elements each
    (memory: a 6,000-row catalogue is some 40,000 cells)."""
    row = OxmlElement("w:tr")
    props = OxmlElement("w:trPr")
    props.append(OxmlElement("w:cantSplit"))  # a row moves whole to the next page, as in the PDF
    if header:
        props.append(OxmlElement("w:tblHeader"))  # repeat the header row on every page
    row.append(props)
    for index, column in enumerate(twips):
        shaded = header or (label_first and index == 0)
        text = texts[index] if index < len(texts) else ""
        align = aligns[index] if index < len(aligns) else "left"
        fill = (HEADER_FILL if header else LABEL_FILL) if shaded else None
        row.append(_cell(column if header else None, align, styles[1] if shaded else styles[0], fill, text))
    return row


def _cell(width: int | None, align: str, style_id: str, fill: str | None, text: str):
    cell = OxmlElement("w:tc")
    if width is not None or fill:
        props = OxmlElement("w:tcPr")
        if width is not None:
            cell_width = OxmlElement("w:tcW")
            cell_width.set(qn("w:w"), str(width))
            cell_width.set(qn("w:type"), "dxa")
            props.append(cell_width)
        if fill:
            shade = OxmlElement("w:shd")
            for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
                shade.set(qn(key), value)
            props.append(shade)
        cell.append(props)
    paragraph = OxmlElement("w:p")
    paragraph_props = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    paragraph_props.append(style)
    if align != "left":
        justify = OxmlElement("w:jc")
        justify.set(qn("w:val"), align)
        paragraph_props.append(justify)
    paragraph.append(paragraph_props)
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:t"))
    paragraph.append(run)
    cell.append(paragraph)
    _set_text(cell, text)
    return cell


def table_styles(document, size: float) -> tuple[str, str]:
    """Style ids of the body (宋体) and header/label (黑体) paragraph styles for table text of this size."""
    made = document.__dict__.setdefault("_rr_table_styles", set())
    names = (f"表格文字 {size:g}", f"表格标题 {size:g}")
    for name, font in zip(names, (SONG, HEI), strict=True):
        if name not in made:
            made.add(name)
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            set_fonts(style.element.get_or_add_rPr(), font, size)
            style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.line_spacing = Pt(size * 1.3)  # the PDF's cell leading
            style.paragraph_format.keep_together = False
    return style_id_of(document, names[0]), style_id_of(document, names[1])


def _set_field(cell, field: FieldText) -> None:
    paragraph = cell.find(qn("w:p"))
    paragraph.remove(paragraph.find(qn("w:r")))
    add_field(None, field.instruction, field.text, parent=paragraph)


def _set_text(cell, text: str) -> None:
    """Put text into the cell's single run; a "\n" becomes a line break."""
    run = cell.find(qn("w:p")).find(qn("w:r"))
    texts = run.findall(qn("w:t"))
    if "\n" not in (text or "") and len(texts) == 1:
        texts[0].text = text or ""  # the common case: reuse the copied element
        if text and text != text.strip():
            texts[0].set(qn("xml:space"), "preserve")
        return
    for old in run.findall(qn("w:t")) + run.findall(qn("w:br")):
        run.remove(old)
    for number, part in enumerate((text or "").split("\n")):
        if number:
            run.append(OxmlElement("w:br"))
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = part
        run.append(element)
