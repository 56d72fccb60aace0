"""What a .docx or .xlsx holds for the catalogue, read from the few parts that have it.

docProps/core.xml (title, creator), docProps/app.xml (Company), a Word body's first and last paragraphs, a
workbook's first sheet's first row (a title row: "某某县2024年食品抽检台账"). The parts are found through the zip's
central directory read with struct (archive.index.officezip) and inflated only as far as needed: zipfile builds an
object per member and cost a Word file about 0.17 ms before anything was read, more than the rest of its metadata.
A zip officezip is unsure of (Zip64, damage, encryption) is read through zipfile as before.

XML is searched with regular expressions, never parsed: no XML parser, so no entity expansion.
"""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from archive.index import officezip
from archive.metadata import text

DOCUMENT_XML_LIMIT = 2 << 20  # a docx body is read whole up to this size (uncompressed); beyond, only its start
HEAD_BYTES = 64 << 10  # of a body too large to read whole; of a sheet or the shared strings
PROPS_LIMIT = 1 << 16
_PARAGRAPH_END = "</w:p>"
_RUN_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
# with attributes too: openpyxl declares each element's namespace on it (<dc:title xmlns:dc="...">)
_XML_FIELDS = {"title": re.compile(r"<dc:title\b[^>]*>([^<]*)</dc:title>"),
               "creator": re.compile(r"<dc:creator\b[^>]*>([^<]*)</dc:creator>"),
               "company": re.compile(r"<Company\b[^>]*>([^<]*)</Company>")}
_FIRST_ROW = re.compile(r"<row\b[^>]*>(.*?)</row>", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_CELL_VALUE = re.compile(r"<v>([^<]*)</v>")
_INLINE_TEXT = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>")
_SHARED_ITEM = re.compile(r"<si>(.*?)</si>", re.S)
_SHARED = re.compile(r'\bt="s"')


@dataclass
class OfficeRead:
    props: dict[str, str] = field(default_factory=dict)  # title, creator, company: as written
    head: list[str] = field(default_factory=list)  # a Word body's first paragraphs
    tail: list[str] = field(default_factory=list)  # and its last ones
    first_row: list[str] = field(default_factory=list)  # the non-empty cells of a workbook's first row


def read_office(path: str, kind: str, data: bytes | None) -> OfficeRead:
    """The parts of the docx/xlsx at `path` (`data`: its bytes, when the caller has read it whole)."""
    if data is not None:
        size = len(data)

        def read(offset: int, length: int) -> bytes:
            return data[offset:offset + length]

        return _read_fast(read, size, kind, data) or _read_zipfile(io.BytesIO(data), kind)
    with open(path, "rb", buffering=0) as handle:
        fd = handle.fileno()
        found = _read_fast(lambda offset, length: os.pread(fd, length, offset), os.fstat(fd).st_size, kind) \
            if hasattr(os, "pread") else None
    return found or _read_zipfile(path, kind)


def _read_fast(read, size: int, kind: str, data: bytes | None = None) -> OfficeRead | None:
    try:
        members = officezip.in_memory_members(data) if data is not None else officezip.members(read, size)

        def part(name: str, limit: int) -> str:
            raw = officezip.member_head(read, name.encode(), members, limit)
            return "" if raw is None else raw.decode("utf-8", "replace")

        sizes = {name.decode("utf-8", "replace"): member[3] for name, member in members.items()}
        return _read_parts(part, sizes, kind)
    except (officezip.Unsure, zlib.error, ValueError, OSError, EOFError):
        return None


def _read_zipfile(source, kind: str) -> OfficeRead:
    with zipfile.ZipFile(source) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}

        def part(name: str, limit: int) -> str:
            if name not in sizes:
                return ""
            with archive.open(name) as handle:
                return handle.read(limit).decode("utf-8", "replace")

        return _read_parts(part, sizes, kind)


def _read_parts(part, sizes: dict[str, int], kind: str) -> OfficeRead:
    """`part(name, limit)`: a member's first `limit` bytes as text ("" if missing)."""
    found = OfficeRead()
    for name in ("docProps/core.xml", "docProps/app.xml"):
        xml = part(name, PROPS_LIMIT)
        for key, pattern in _XML_FIELDS.items():
            if key not in found.props and (match := pattern.search(xml)):
                found.props[key] = html.unescape(match.group(1))
    if kind == "docx":
        body_size = sizes.get("word/document.xml", 0)
        whole = body_size <= DOCUMENT_XML_LIMIT
        xml = part("word/document.xml", body_size if whole else HEAD_BYTES)
        found.head = paragraphs(xml, text.HEAD_LINES)
        found.tail = paragraphs(xml, -text.TAIL_LINES) if whole else []  # its 落款 is not looked for
    elif kind == "xlsx":
        found.first_row = _first_row(part)
    return found


def paragraphs(xml: str, count: int) -> list[str]:
    """The text of the first `count` paragraphs with text (the last ones, if negative). Paragraphs are cut from the
    XML one at a time, from its start or its end, until enough are found: most of a body is never looked at."""
    lines: list[str] = []
    if count > 0:
        start = 0
        while len(lines) < count:
            end = xml.find(_PARAGRAPH_END, start)
            _add_paragraph(lines, xml[start:] if end < 0 else xml[start:end])
            if end < 0:
                break
            start = end + len(_PARAGRAPH_END)
        return lines
    end = xml.rfind(_PARAGRAPH_END)
    while end >= 0 and len(lines) < -count:
        start = xml.rfind(_PARAGRAPH_END, 0, end)
        _add_paragraph(lines, xml[start + len(_PARAGRAPH_END) if start >= 0 else 0:end])
        end = start
    return lines[::-1]


def _add_paragraph(lines: list[str], chunk: str) -> None:
    line = "".join(_RUN_TEXT.findall(chunk))
    if line.strip():
        lines.append(html.unescape(line) if "&" in line else line)


def _first_row(part) -> list[str]:
    """The first row of the first sheet: its cells' text, shared strings looked up in the first 64 KB of the table
    (a title row is written first, so its string is among the first)."""
    row = _FIRST_ROW.search(part("xl/worksheets/sheet1.xml", HEAD_BYTES))
    if row is None:
        return []
    cells, shared = [], None
    for attributes, inner in _CELL.findall(row.group(1)):
        inner = inner or ""
        if _SHARED.search(attributes):
            value = _CELL_VALUE.search(inner)
            if value is None or not value.group(1).strip().isdigit():
                continue
            if shared is None:
                shared = _SHARED_ITEM.findall(part("xl/sharedStrings.xml", HEAD_BYTES))
            index = int(value.group(1))
            cell = "".join(_INLINE_TEXT.findall(shared[index])) if index < len(shared) else ""
        elif 't="inlineStr"' in attributes:
            cell = "".join(_INLINE_TEXT.findall(inner))
        else:
            value = _CELL_VALUE.search(inner)
            cell = value.group(1) if value else ""
        if cell := html.unescape(cell).strip():
            cells.append(cell)
    return cells
