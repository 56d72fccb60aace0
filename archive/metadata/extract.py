"""What one evidence file says about itself: read cheaply at scan time, in a worker process.

Sources, strongest first: the document's own first and last lines (docx, doc, text files; a PDF's or OFD's first
page), XMP, document properties (PDF info, OFD DocInfo, Office core/app properties), EXIF (photos), the file name.
A field takes the first source that has it.
Office XML is searched with regular expressions, never parsed: no XML parser, so no entity expansion, and a large
document costs one decompression. A PDF's info dictionary and XMP are found without parsing the document
(archive.metadata.pdfmeta), and its first page's text lines by a small reader of the objects that page needs
(archive.metadata.pdftext; pypdf's extract_text costs milliseconds a page, more than the whole scan may spend on a
file). The scan's second pass hands over the bytes it read (`data`), so a small file is read once.

Nothing raises out of `extract`: an unreadable file or part gives no values, never an exception.
"""

from __future__ import annotations

import io
import logging
import os
import re
import warnings

from archive.metadata import text
from archive.metadata.fields import is_photo
from archive.metadata.imagehead import PEEK, UnknownHeader, exif_block, png_exif_block
from archive.metadata.office import read_office
from archive.metadata.pdfmeta import pdf_fields
from archive.metadata.pdftext import first_page_lines

Found = dict[str, tuple[str, str]]  # field -> (value, origin)
TAIL_BYTES = 16 << 10  # of a text file, at each end
_WORD_PREFIX = re.compile(r"^microsoft (?:word|excel|powerpoint) - ", re.I)
_OFFICE_EXTENSION = re.compile(r"\.(?:docx?|xlsx?|pptx?|wps|et|dps|pdf)$", re.I)

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a clerk's PDFs are often sloppy: nothing to tell anyone


# a field takes its value from the strongest source
RANK = {"text": 0, "xmp": 1, "props": 2, "exif": 3, "name": 4}


def extract(path: str, kind: str, data: bytes | None = None) -> Found:
    """Every field the file at `path` (of content type `kind`) gives, with where it came from. `data`: the whole
    file, when the caller holds it already (it is then not read again)."""
    reader = READERS.get(kind)
    try:
        parts = reader(path, data) if reader is not None else []
    except Exception:  # the file cannot be opened as what it claims to be: its name still says something
        parts = []
    stem = os.path.splitext(os.path.basename(path))[0]
    parts.append(("name", safely(text.name_fields, stem, is_photo(kind))))
    found: Found = {}
    for origin, values in sorted(parts, key=lambda part: RANK[part[0]]):
        for key, value in values.items():
            if key in found or not value:  # taken from a stronger source, or nothing there
                continue
            if value := " ".join(value.split()):
                found[key] = (value, origin)
    return found


def safely(reader, *args) -> dict[str, str]:
    """A reader's values, or none when the file (or this part of it) is damaged or hostile: the others still count."""
    try:
        return reader(*args)
    except Exception:
        return {}


def extract_item(item: tuple[int, str, str]) -> tuple[int, Found]:
    """extract() for one (file id, path, type): picklable, for a process pool."""
    file_id, path, kind = item
    return file_id, extract(path, kind)


# -- first and last lines ----------------------------------------------------------------------------------------
def _lines_fields(head: list[str], tail: list[str], signed: dict[str, str] | None = None) -> dict[str, str]:
    """The head names the issuer first (红头); a Word body's first 落款 (`signed`: office.first_signature) is the
    document's own, where its last lines may be those of a document it issues."""
    return {**text.tail_fields(tail), **(signed or {}), **text.head_fields(head)}


def _office(path: str, data: bytes | None, kind: str) -> list[tuple[str, dict]]:
    """A Word file's first and last paragraphs and its properties; a workbook's properties and title row."""
    return _office_parts(read_office(path, kind, data), kind)


def _word97(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    """A legacy Word file (.doc, .wps): read as a .docx is, from its binary format."""
    from archive.metadata.worddoc import read_word97  # lazily: olefile is only needed for these

    return _office_parts(read_word97(path, data), "docx")


def _excel97(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    """A legacy workbook (.xls): read as a .xlsx is, from its binary format."""
    from archive.metadata.workbook97 import read_workbook97  # lazily: olefile and xlrd are only needed for these

    return _office_parts(read_workbook97(path, data), "xlsx")


def _office_parts(found, kind: str) -> list[tuple[str, dict]]:
    props = found.props
    parts = [("props", {"title": clean_title(props.get("title", "")),
                        **_authors(props.get("company", ""), props.get("creator", ""))})]
    if kind == "docx":
        parts.append(("text", safely(_lines_fields, found.head, found.tail, found.signed)))
    else:  # a title row (one cell, reading like a title). Not the day the workbook was made: a workbook keeps the
        # creation day of the template it was copied from, which would put good files outside the creation period
        if len(found.first_row) == 1 and text.is_title(text.squeeze(found.first_row[0])):
            parts.append(("text", {"title": text.squeeze(found.first_row[0]),
                                   **safely(text.head_fields, found.first_row)}))
    return parts


def _text_file(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    return [("text", safely(lambda: _lines_fields(*_text_lines(path, data))))]


def _text_lines(path: str, data: bytes | None) -> tuple[list[str], list[str]]:
    if data is not None:
        head, tail = data[:TAIL_BYTES], data[-TAIL_BYTES:]
        if len(data) <= 2 * TAIL_BYTES:
            lines = _decode(data).splitlines()
            return lines, lines
        return _decode(head).splitlines(), _decode(tail).splitlines()[1:]
    with open(path, "rb") as handle:
        head = handle.read(TAIL_BYTES)
        size = os.fstat(handle.fileno()).st_size
        if size > 2 * TAIL_BYTES:
            handle.seek(size - TAIL_BYTES)
            tail = handle.read(TAIL_BYTES)
            return _decode(head).splitlines(), _decode(tail).splitlines()[1:]  # the first may be cut
    lines = _decode(head).splitlines()
    return lines, lines


def _decode(data: bytes) -> str:
    """A slice of a text file: a character cut at either end of it is dropped."""
    return text.decode_legacy(data, sliced=True, last_resort="gb18030")


# -- document properties -----------------------------------------------------------------------------------------
def clean_title(value: str) -> str:
    """A title from document properties, or "" when it is a program's placeholder ("Microsoft Word - 文档1.docx")."""
    value = _OFFICE_EXTENSION.sub("", _WORD_PREFIX.sub("", text.squeeze(value)))
    if text.PLACEHOLDER_TITLE.match(value) or not text.is_title(value):
        return ""
    return value


def _authors(*candidates: str) -> dict[str, str]:
    """The first author that reads like an issuing body ("XX市市场监督管理局"; not "Administrator", not a person)."""
    for candidate in candidates:
        candidate = text.squeeze(candidate or "")
        if text.is_org(candidate):
            return {"issuer": candidate}
    return {}


def _pdf(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    """Info and XMP, and the first page's text lines (read like a Word file's first paragraphs; the last ones too,
    for the 落款, when the document is that one page; else a 落款 on it, as a notice that issues a plan signs on
    its first page before the plan's pages)."""
    found = pdf_fields(path, data)
    parts = [(origin, _judged(values)) for origin, values in found.items()]
    lines, pages = _first_page(path, data)
    if lines:
        parts.append(("text", _page_fields(lines, pages)))
    return parts


def _ofd(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    """An electronic official document (OFD): its DocInfo, and its first page's lines as a PDF's are read."""
    from archive.metadata.ofd import ofd_fields  # lazily: few archives hold OFD files

    values, lines, pages = ofd_fields(path, data)
    # the index counts PDF and Word pages; an OFD's are the pages its document lists
    parts = [("props", {**_judged(values), "pages": str(pages) if pages else ""})]
    if lines:
        parts.append(("text", _page_fields(lines, pages)))
    return parts


def _page_fields(lines: list[str], pages: int | None) -> dict[str, str]:
    """What a PDF's or an OFD's first page says: its last lines are the document's when it is the only page."""
    if pages == 1:
        return safely(_lines_fields, lines, lines)
    return safely(_lines_fields, lines, [], safely(text.signature_on_page, lines))


def _first_page(path: str, data: bytes | None) -> tuple[list[str], int | None]:
    if data is not None:
        return first_page_lines(data, len(data))
    with open(path, "rb", buffering=0) as handle:
        fd = handle.fileno()
        if not hasattr(os, "pread"):
            return [], None
        return first_page_lines(None, os.fstat(fd).st_size, lambda offset, length: os.pread(fd, length, offset))


def _judged(values: dict[str, str]) -> dict[str, str]:
    """A title and an author as programs fill them in, judged: placeholders and persons dropped."""
    return {"title": clean_title(values.get("title", "")), **_authors(values.get("issuer", ""))}


# -- photos ------------------------------------------------------------------------------------------------------
def _photo(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    from archive.metadata.exif import photo_fields  # lazily: Pillow is only needed for photos

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a decompression-bomb warning: only the header is read here
        return [("exif", safely(photo_fields, io.BytesIO(data) if data is not None else path))]


def _heif(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    from archive.metadata.exif import heif_fields  # lazily: Pillow is only needed for photos

    return [("exif", safely(heif_fields, io.BytesIO(data) if data is not None else path))]


def _jpeg(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    """A JPEG's EXIF, read up to the end of its EXIF segment: a picture without one (a screenshot, a picture saved
    by an editor that drops it) costs its first kilobytes."""
    return _image_exif(path, data, lambda handle: exif_block(handle.read(PEEK), handle))


def _png(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    """A PNG's EXIF (a phone's screenshot seldom has one), from its eXIf chunk; Pillow decoded the whole picture to
    look for it."""
    return _image_exif(path, data, png_exif_block)


def _image_exif(path: str, data: bytes | None, block_of) -> list[tuple[str, dict]]:
    """A picture's EXIF through `block_of(handle)` (archive.metadata.imagehead: the EXIF block, read from an
    unbuffered file or the bytes held already, never the image data). A header that is not what the reader knows
    is left to Pillow, with the whole file."""
    from archive.metadata.exif import block_fields  # lazily: Pillow is only needed for photos

    try:
        if data is not None:
            block = block_of(io.BytesIO(data))
        else:
            with open(path, "rb", buffering=0) as handle:
                block = block_of(handle)
    except UnknownHeader:
        return _photo(path, data)
    return [("exif", safely(block_fields, block))] if block else []


# Slides keep their name only: their properties are seldom filled in.
READERS = {"pdf": _pdf, "ofd": _ofd, "docx": lambda path, data: _office(path, data, "docx"),
           "xlsx": lambda path, data: _office(path, data, "xlsx"), "doc": _word97, "wps": _word97, "xls": _excel97,
           "jpg": _jpeg, "tif": _photo, "webp": _photo, "png": _png, "heic": _heif, "heif": _heif,
           **{kind: _text_file for kind in ("txt", "md")}}
