"""Page setup of a spreadsheet COPY before it is converted to PDF, so its pages print like a table, not a strip.

A clerk's workbook rarely has a print setup: converted as it is, a 20-column ledger becomes portrait pages with its
columns cut across several pages and no grid. On the temporary copy (never the evidence file) every worksheet gets:
columns widened where their values would print as ### or be cut (sheet_widths), landscape when its columns are wider
than a portrait A4 page, fit to one page wide (as many pages tall as needed), grid lines printed, the header rows (the
frozen rows, else the first row) repeated on every page, A4 paper.

The copy's XML is edited in place with lxml rather than loaded and saved with openpyxl: openpyxl drops pictures,
charts and other parts it does not model, and the converted pages would lose them. Only the worksheet's print
elements (sheetPr/pageSetUpPr, printOptions, pageSetup), its column widths (cols) and the workbook's print titles are
touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import zipfile

from lxml import etree

from exporters.sheet_widths import MAIN, PARSER, column_number, needed_widths, read_book, widen

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# CT_Worksheet's child order (ECMA-376 18.3.1.99): new elements must go where the schema puts them
ORDER = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
         "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews",
         "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
         "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
         "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture",
         "oleObjects", "controls", "webPublishItems", "tableParts", "extLst")
PORTRAIT_CHARACTERS = 95  # column widths (in characters) that fit across a portrait A4 page at 100 %
DEFAULT_WIDTH = 8.43
A4 = "9"
MOST_HEADER_ROWS = 5
SHEET_TYPES = ("xlsx", "xlsm")


def set_up_pages(path: str) -> bool:
    """Give every worksheet of the workbook at `path` (a temp copy) its print setup. Returns False when the file is
    not a workbook this can edit (it is then converted as it is)."""
    try:
        with zipfile.ZipFile(path) as book:
            sheets = _sheet_parts(book)
            parts = {name: book.read(name) for name, _ in sheets}
            workbook = book.read("xl/workbook.xml")
            cells = read_book(book)
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError, ValueError):
        return False
    titles = {}
    try:
        for index, (name, sheet_name) in enumerate(sheets):
            parts[name], rows = _set_up_sheet(parts[name], cells)
            titles[index] = (sheet_name, rows)
        parts["xl/workbook.xml"] = _print_titles(workbook, titles)
    except etree.XMLSyntaxError:
        return False
    rewrite_parts(path, parts)
    return True


def _sheet_parts(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(part name, sheet name) of every worksheet, in the workbook's order (chart sheets have no cells: left out)."""
    workbook = etree.fromstring(book.read("xl/workbook.xml"), PARSER)
    rels = etree.fromstring(book.read("xl/_rels/workbook.xml.rels"), PARSER)
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PACKAGE_REL}}}Relationship")}
    found = []
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if "worksheets/" in part:
            found.append((os.path.normpath(part).replace(os.sep, "/"), sheet.get("name")))
    return found


def _child(root, name: str):
    element = root.find(f"{{{MAIN}}}{name}")
    if element is None:
        element = etree.Element(f"{{{MAIN}}}{name}")
        later = [c for c in root if isinstance(c.tag, str) and _rank(c.tag) > ORDER.index(name)]
        if later:
            later[0].addprevious(element)
        else:
            root.append(element)
    return element


def _rank(tag: str) -> int:
    local = etree.QName(tag).localname
    return ORDER.index(local) if local in ORDER else len(ORDER)


def _set_up_sheet(xml: bytes, cells) -> tuple[bytes, int]:
    root = etree.fromstring(xml, PARSER)
    with contextlib.suppress(ValueError):  # a style or width that is no number: the columns stay as they are
        widen(root, needed_widths(root, cells), _default_width(root), lambda: _child(root, "cols"))
    landscape = _width(root) > PORTRAIT_CHARACTERS
    properties = _child(root, "sheetPr")
    fit = properties.find(f"{{{MAIN}}}pageSetUpPr")
    if fit is None:
        fit = etree.SubElement(properties, f"{{{MAIN}}}pageSetUpPr")  # last in CT_SheetPr
    fit.set("fitToPage", "1")
    options = _child(root, "printOptions")
    options.set("gridLines", "1")
    options.set("gridLinesSet", "1")
    _child(root, "pageMargins")  # pageSetup must follow it; an empty one keeps the converter's defaults
    margins = root.find(f"{{{MAIN}}}pageMargins")
    for side, inches in (("left", "0.5"), ("right", "0.5"), ("top", "0.6"), ("bottom", "0.6"), ("header", "0.3"),
                         ("footer", "0.3")):
        margins.set(side, margins.get(side) or inches)
    setup = _child(root, "pageSetup")
    for key in list(setup.attrib):
        if key in ("scale", "fitToWidth", "fitToHeight", "orientation", "paperSize"):
            del setup.attrib[key]
    setup.set("paperSize", A4)
    setup.set("orientation", "landscape" if landscape else "portrait")
    setup.set("fitToWidth", "1")
    setup.set("fitToHeight", "0")  # as many pages tall as it takes
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), _header_rows(root)


def _width(root) -> float:
    """Total width, in characters, of the used columns."""
    last = 1
    dimension = root.find(f"{{{MAIN}}}dimension")
    if dimension is not None and (match := re.search(r":?([A-Z]+)\d*$", dimension.get("ref", ""))):
        last = column_number(match.group(1))
    widths = {}
    for col in root.iterfind(f"{{{MAIN}}}cols/{{{MAIN}}}col"):
        with contextlib.suppress(TypeError, ValueError):
            for number in range(int(col.get("min")), min(int(col.get("max")), last) + 1):
                widths[number] = 0.0 if col.get("hidden") in ("1", "true") else float(col.get("width", DEFAULT_WIDTH))
    base = _default_width(root)
    return sum(widths.get(number, base) for number in range(1, last + 1))


def _default_width(root) -> float:
    default = root.find(f"{{{MAIN}}}sheetFormatPr")
    with contextlib.suppress(TypeError, ValueError):
        return float(default.get("defaultColWidth") or DEFAULT_WIDTH) if default is not None else DEFAULT_WIDTH
    return DEFAULT_WIDTH


def _header_rows(root) -> int:
    """The rows to repeat: those above a frozen pane (a header the clerk froze), else the first."""
    pane = root.find(f"{{{MAIN}}}sheetViews/{{{MAIN}}}sheetView/{{{MAIN}}}pane")
    if pane is not None and pane.get("state") in ("frozen", "frozenSplit"):
        with contextlib.suppress(TypeError, ValueError):
            rows = int(float(pane.get("ySplit", "0")))
            if 1 <= rows <= MOST_HEADER_ROWS:
                return rows
    return 1


def _print_titles(xml: bytes, titles: dict[int, tuple[str, int]]) -> bytes:
    root = etree.fromstring(xml, PARSER)
    names = root.find(f"{{{MAIN}}}definedNames")
    if names is None:
        names = etree.Element(f"{{{MAIN}}}definedNames")
        after = [c for c in root if isinstance(c.tag, str)
                 and etree.QName(c).localname in ("sheets", "functionGroups", "externalReferences")]
        after[-1].addnext(names)
    taken = {n.get("localSheetId") for n in names if n.get("name") == "_xlnm.Print_Titles"}
    for index, (sheet_name, rows) in titles.items():
        if str(index) in taken:
            continue  # the clerk's own print titles stay
        name = etree.SubElement(names, f"{{{MAIN}}}definedName", name="_xlnm.Print_Titles", localSheetId=str(index))
        quoted = sheet_name.replace("'", "''")
        name.text = f"'{quoted}'!$1:${rows}"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rewrite_parts(path: str, parts: dict[str, bytes]) -> None:
    """Replace these parts of the zip at `path` (a temp copy), the others copied as they are."""
    temp = path + ".setup"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in parts:
                target.writestr(item, parts[item.filename])
            else:
                with source.open(item) as reader, target.open(item, "w") as writer:
                    shutil.copyfileobj(reader, writer, 1 << 20)
    os.replace(temp, path)
