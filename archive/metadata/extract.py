"""What one evidence file says about itself: read cheaply at scan time, in a worker process.

Sources, strongest first: the document's own first and last lines (docx, text files), XMP, document properties
(PDF info, Office core/app properties), EXIF (photos), the file name. A field takes the first source that has it.
Office XML is searched with regular expressions, never parsed: no XML parser, so no entity expansion, and a large
document costs one decompression. A PDF's info dictionary and XMP are found without parsing the document
(archive.metadata.pdfmeta); its text is not read: extracting it costs milliseconds a page, more than the whole scan
may spend on a file.

Nothing raises out of `extract`: an unreadable file or part gives no values, never an exception.
"""

from __future__ import annotations

import html
import io
import logging
import os
import re
import warnings
import zipfile

from archive.metadata import text
from archive.metadata.fields import is_photo
from archive.metadata.pdfmeta import pdf_fields

Found = dict[str, tuple[str, str]]  # field -> (value, origin)
DOCUMENT_XML_LIMIT = 2 << 20  # a docx body is read whole up to this size (uncompressed); beyond, only its start
HEAD_BYTES, TAIL_BYTES = 64 << 10, 16 << 10  # of a docx body's XML, of a text file
IN_MEMORY = 1 << 20  # a docx up to this size is read whole first
_JUNK_TITLES = re.compile(r"^(?:untitled|无标题|标题|title|document\d*|文档\d*|新建.*文档.*|powerpoint.*|幻灯片.*|"
                          r"microsoft word.*|wps.*|sheet\d*|工作表\d*|book\d*)$", re.I)
_WORD_PREFIX = re.compile(r"^microsoft (?:word|excel|powerpoint) - ", re.I)
_OFFICE_EXTENSION = re.compile(r"\.(?:docx?|xlsx?|pptx?|wps|et|dps|pdf)$", re.I)
_PARAGRAPH_END = "</w:p>"
_RUN_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_XML_FIELDS = {"title": re.compile(r"<dc:title>([^<]*)</dc:title>"),
               "creator": re.compile(r"<dc:creator>([^<]*)</dc:creator>"),
               "company": re.compile(r"<Company>([^<]*)</Company>")}

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a clerk's PDFs are often sloppy: nothing to tell anyone


RANK = {"text": 0, "xmp": 1, "props": 2, "exif": 3, "name": 4}  # a field takes its value from the strongest source


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
            value = " ".join((value or "").split())
            if value and key not in found:
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
def _lines_fields(head: list[str], tail: list[str]) -> dict[str, str]:
    return {**text.tail_fields(tail), **text.head_fields(head)}  # the head names the issuer first (红头)


def _docx(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    """The first and last paragraphs, and the document properties, from one opening of the zip (in memory: zipfile
    reads a file's directory and members in many small reads)."""
    if data is None and os.path.getsize(path) <= IN_MEMORY:
        with open(path, "rb") as handle:
            data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as archive:
        return [("text", safely(lambda: _lines_fields(*_docx_paragraphs(archive)))),
                ("props", safely(_office_properties, archive))]


def _text_file(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    return [("text", safely(lambda: _lines_fields(*_text_lines(path, data))))]


def _docx_paragraphs(archive: zipfile.ZipFile) -> tuple[list[str], list[str]]:
    """The text of the body's first and last paragraphs. Only the start is inflated of a body too large to read
    whole (its 落款 is then not looked for)."""
    info = archive.getinfo("word/document.xml")
    with archive.open(info) as handle:
        if info.file_size > DOCUMENT_XML_LIMIT:
            return _paragraphs(handle.read(HEAD_BYTES).decode("utf-8", "ignore"), text.HEAD_LINES * 2), []
        xml = handle.read().decode("utf-8", "replace")
    return _paragraphs(xml, text.HEAD_LINES * 2), _paragraphs(xml, -text.TAIL_LINES * 2)


def _paragraphs(xml: str, count: int) -> list[str]:
    """The text of the first `count` paragraphs (the last ones, if negative). Only that part of the XML is searched:
    most of a body is never looked at."""
    if count > 0:
        cut = -1
        for _ in range(count):
            cut = xml.find(_PARAGRAPH_END, cut + 1)
            if cut < 0:
                break
        part = xml if cut < 0 else xml[:cut]
    else:
        cut = len(xml)
        for _ in range(1 - count):
            cut = xml.rfind(_PARAGRAPH_END, 0, cut)
            if cut < 0:
                break
        part = xml[max(cut, 0):]
    lines = ("".join(_RUN_TEXT.findall(chunk)) for chunk in part.split(_PARAGRAPH_END))
    return [html.unescape(line) for line in lines if line.strip()]


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
    if _JUNK_TITLES.match(value) or not text.is_title(value):
        return ""
    return value


def _authors(*candidates: str) -> dict[str, str]:
    """The first author that reads like an issuing body ("XX市市场监督管理局"; not "Administrator", not a person)."""
    for candidate in candidates:
        candidate = text.squeeze(candidate or "")
        if text.is_org(candidate):
            return {"issuer": candidate}
    return {}


def _office_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    values = {}
    names = set(archive.namelist())
    for part in ("docProps/core.xml", "docProps/app.xml"):
        if part in names:
            with archive.open(part) as handle:
                xml = handle.read(1 << 16).decode("utf-8", "replace")
            for key, pattern in _XML_FIELDS.items():
                if match := pattern.search(xml):
                    values[key] = html.unescape(match.group(1))
    return {"title": clean_title(values.get("title", "")),
            **_authors(values.get("company", ""), values.get("creator", ""))}


def _pdf(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    found = pdf_fields(path, data)
    return [(origin, _judged(values)) for origin, values in found.items()]


def _judged(values: dict[str, str]) -> dict[str, str]:
    """A title and an author as programs fill them in, judged: placeholders and persons dropped."""
    return {"title": clean_title(values.get("title", "")), **_authors(values.get("issuer", ""))}


# -- photos ------------------------------------------------------------------------------------------------------
def _photo(path: str, data: bytes | None) -> list[tuple[str, dict]]:
    from archive.metadata.exif import photo_fields  # lazily: Pillow is only needed for photos

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a decompression-bomb warning: only the header is read here
        return [("exif", safely(photo_fields, io.BytesIO(data) if data is not None else path))]


# Spreadsheets and slides keep their name only: their properties are seldom filled in, and opening every one of
# them cost a tenth of a first scan.
READERS = {"pdf": _pdf, "docx": _docx, "jpg": _photo, "tif": _photo, "webp": _photo, "png": _photo,
           **{kind: _text_file for kind in ("txt", "md")}}
