"""Word (.docx) criteria tables as grids: one per table, merges read from gridSpan and vMerge, with the paragraphs
around each table (title, "一、重点工作完成情况（92分）" headings, "满分100分")."""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table

from criteria.errors import import_error
from criteria.importers.grid import Cell, Grid, Row, clean_text, pad_rows
from criteria.importers.wordnumbers import list_labels
from criteria.importers.wordtext import block_paragraphs, paragraph_text, tracked_changes
from criteria.importers.zipguard import refuse_zip_bomb
from criteria.model import CatalogueError

READ_ERRORS = (zipfile.BadZipFile, zlib.error, PackageNotFoundError, KeyError, OSError, ValueError, TypeError,
               IndexError, AttributeError, SyntaxError, EOFError)


def read_grids(path: Path) -> list[Grid]:
    refuse_zip_bomb(path)
    try:
        with open(path, "rb") as handle:  # our own: python-docx leaves its zip open when parsing fails
            document = docx.Document(handle)
        grids = _grids_with_paragraphs(document, path.name)
    except READ_ERRORS as exc:
        raise import_error(path.name, "文件已损坏、已加密或不是 Word 文档（.docx），请在 Word 中打开后另存为 .docx"
                           "（不设密码）再导入") from exc
    if not grids:
        grids = _embedded_workbooks(document, path.name)
        if grids:
            grids[0].before = [t for t in (clean_text(paragraph_text(p)) for p in block_paragraphs(
                document.element.body)) if t]
    if not grids and any(str(p.partname).startswith("/word/embeddings/") for p in document.part.package.iter_parts()):
        raise import_error(path.name, "文档中的表格是嵌入的对象（如 Excel 工作表），不是 Word 表格，无法直接读取："
                                      "请在 Word 中双击该表格，在打开的 Excel 中另存为 .xlsx 后再导入")
    if not grids:
        raise import_error(path.name, "文档中没有表格，评价细则应是一张 Word 表格")
    return grids


def _embedded_workbooks(document, file_name: str) -> list[Grid]:
    """A table pasted into Word as an Excel object (插入 → 对象 → Excel 工作表) is no Word table: the workbook is
    inside the document (word/embeddings/*.xlsx) and is read as the table, sheet by sheet."""
    from criteria.importers import excel  # lazily: most Word tables are Word tables

    grids: list[Grid] = []
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if not (name.startswith("/word/embeddings/") and name.lower().endswith(".xlsx")):
            continue
        with tempfile.TemporaryDirectory(prefix="rr-embedded-") as temp:
            workbook = Path(temp) / "embedded.xlsx"
            workbook.write_bytes(part.blob)
            try:
                found = excel.read_grids(workbook)
            except CatalogueError:
                continue  # an embedded object we cannot read: the refusal below says there is no table
        for grid in found:
            grid.file_name, grid.where = file_name, f"嵌入的 Excel {grid.where}"
            grids.append(grid)
    return grids


def _table_grid(table, file_name: str, number: int, labels: dict) -> Grid:
    rows = []
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        cells = [Cell() for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            continued = tc.vMerge == "continue"
            text = "" if continued else _cell_text(tc, labels)
            cells.append(Cell(text, continued=continued))
            # The columns a cell spans to its right; in a continued row they continue the merged block too.
            cells.extend(Cell(continued=continued, across=not continued) for _ in range(tc.grid_span - 1))
        rows.append(Row(index, cells))
    return Grid(file_name, f"表格 {number}", pad_rows(rows), tracked_changes=tracked_changes(table._tbl))


def _cell_text(tc, labels: dict) -> str:
    # Paragraphs directly in the cell; a table nested inside a cell is not part of the criteria grid.
    return clean_text("\n".join(_numbered(p, labels) for p in block_paragraphs(tc)))


def _numbered(p, labels: dict) -> str:
    """A paragraph's text with the number Word shows in front of it ("1." in a 序号 cell numbered by Word's 编号
    button, "一、" before a heading numbered by its style), as the clerk reads it."""
    text, label = paragraph_text(p), labels.get(p, "")
    if not label:
        return text
    return label + text if not text or label.endswith(("、", ".", "．", ")", "）", ":", "：")) else f"{label} {text}"


def _grids_with_paragraphs(document, file_name: str) -> list[Grid]:
    """One grid per top-level table, each with the paragraphs between the previous table and it. A layout table
    (one cell a row, as a page copied from a web site or a 附件 framed in a box holds the real table) gives way
    to the tables inside it, its own paragraphs read as paragraphs around them."""
    grids: list[Grid] = []
    paragraphs: list[str] = []
    labels = list_labels(document)

    def read(children) -> None:
        nonlocal paragraphs
        for child in children:
            if child.tag == qn("w:sdt"):  # a content control of a template around tables and paragraphs
                content = child.find(qn("w:sdtContent"))
                read(content.iterchildren() if content is not None else ())
            elif child.tag == qn("w:tbl") and _is_layout(child):
                for row in child.findall(qn("w:tr")):
                    for cell in row.findall(qn("w:tc")):
                        read(cell.iterchildren())
            elif child.tag == qn("w:tbl"):
                grid = _table_grid(Table(child, document), file_name, len(grids) + 1, labels)
                grid.before, paragraphs = paragraphs, []
                grids.append(grid)
            elif child.tag == qn("w:p"):
                text = clean_text(_numbered(child, labels))
                if text:
                    paragraphs.append(text)

    read(document.element.body.iterchildren())
    if grids:
        grids[-1].after = paragraphs
    return grids


def _is_layout(tbl) -> bool:
    """Every row one cell wide, and a table inside."""
    cells = [tr.findall(qn("w:tc")) for tr in tbl.findall(qn("w:tr"))]
    return (bool(cells) and all(len(row) == 1 for row in cells)
            and any(row[0].find(qn("w:tbl")) is not None for row in cells))
