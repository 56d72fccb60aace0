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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from archive.index import officezip
from archive.metadata import text

DOCUMENT_XML_LIMIT = 2 << 20  # a docx body is read whole up to this size (uncompressed); beyond, only its start
HEAD_BYTES = 64 << 10  # of a body too large to read whole; of a sheet or the shared strings
PROPS_LIMIT = 1 << 16
_PARAGRAPH_END = b"</w:p>"
# A Word body is searched as bytes (decoding 20 KB of it cost more than finding its paragraphs) with the pattern the
# text was searched with before: \s of a text pattern is any white space of Unicode, here in UTF-8.
_UNICODE_SPACE = (rb"(?:[\t\n\x0b\x0c\r\x1c-\x1f ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
                  rb"|\xe2\x81\x9f|\xe3\x80\x80)")
_RUN_TEXT = re.compile(rb"<w:t(?:" + _UNICODE_SPACE + rb"[^>]*)?>([^<]*)</w:t>")
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
    head: Iterable[str] = field(default_factory=list)  # a Word body's first paragraphs (read as they are taken)
    tail: list[str] = field(default_factory=list)  # and its last ones outside tables
    signed: dict[str, str] = field(default_factory=dict)  # its first 落款 (first_signature)
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

        def part(name: str, limit: int, enough=None) -> bytes:
            raw = officezip.member_head(read, name.encode(), members, limit, enough)
            return b"" if raw is None else raw

        def size(name: str) -> int:  # by the raw name: decoding every member's name cost more than reading two
            member = members.get(name.encode())
            return 0 if member is None else member[3]

        return _read_parts(part, size, kind)
    except (officezip.Unsure, zlib.error, ValueError, OSError, EOFError):
        return None


def _read_zipfile(source, kind: str) -> OfficeRead:
    with zipfile.ZipFile(source) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}

        def part(name: str, limit: int, enough=None) -> bytes:  # `enough`: the reader may stop at a shorter head
            if name not in sizes:
                return b""
            with archive.open(name) as handle:
                return handle.read(limit)

        return _read_parts(part, lambda name: sizes.get(name, 0), kind)


def _read_parts(part, size, kind: str) -> OfficeRead:
    """`part(name, limit, enough=None)`: a member's first `limit` bytes (b"" if missing), or a shorter head of it
    for which `enough(head)` is true; `size(name)`: a member's uncompressed size (0 if missing)."""
    found = OfficeRead()
    for name in ("docProps/core.xml", "docProps/app.xml"):
        xml = _text(part(name, PROPS_LIMIT))
        for key, pattern in _XML_FIELDS.items():
            if key not in found.props and (match := pattern.search(xml)):
                found.props[key] = html.unescape(match.group(1))
    if kind == "docx":
        body_size = size("word/document.xml")
        whole = body_size <= DOCUMENT_XML_LIMIT
        xml = part("word/document.xml", body_size if whole else HEAD_BYTES)
        found.head = first_paragraphs(xml, text.HEAD_LINES)
        if whole:  # else its 落款 is not looked for
            found.tail = paragraphs(xml, -text.TAIL_LINES)
            found.signed = first_signature(xml)
    elif kind == "xlsx":
        found.first_row = _first_row(part)
    return found


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def first_paragraphs(xml: bytes, count: int) -> Iterator[str]:
    """The text of the first `count` paragraphs with text, one at a time as the caller takes them: a document's
    head is usually over after its title (text.head_fields), and the paragraphs after it are never cut out."""
    for start, end in _spans_forward(xml):
        if count <= 0:
            return
        if line := _paragraph(xml, start, end):
            yield line
            count -= 1


def paragraphs(xml: bytes, count: int) -> list[str]:
    """The text of the first `count` paragraphs with text (the last ones outside tables, if negative). Paragraphs
    are cut from the XML one at a time, from its start or its end, until enough are found: most of a body is never
    looked at. The last ones are where a 落款 is looked for, and a table's last row is none: "县市场监督管理局 |
    2024年12月31日" (a task, its lead unit, its deadline) read as one gave a notice the date of its last deadline."""
    if count > 0:
        return list(first_paragraphs(xml, count))
    last = xml.rfind(_PARAGRAPH_END)
    return _lines_above(xml, len(xml), -count, _tables_crossed(xml, last, len(xml)) if last >= 0 else 0)[::-1]


def _lines_above(xml: bytes, before: int, count: int, depth: int = 0) -> list[str]:
    """The text of up to `count` paragraphs with text ending before `before`, outside tables, nearest first.
    `depth`: how many tables are open just before `before`. Table tags stand only between paragraphs, so the tags
    before each paragraph (in its span, from the end of the one before) tell whether the ones before it are in one."""
    lines: list[str] = []
    for start, end in _spans_backward(xml, before):
        if len(lines) >= count:
            break
        if not depth and (line := _paragraph(xml, start, end)):
            lines.append(line)
        depth = max(0, depth + _tables_crossed(xml, start, end))
    return lines


def _tables_crossed(xml: bytes, start: int, end: int) -> int:
    """Tables ended less tables begun in xml[start:end]: going back over it, how many more tables are open."""
    if xml.find(_TABLE_TAG, start, end) < 0:  # the usual case: one search, no counting
        return 0
    return xml.count(_TABLE_END, start, end) - xml.count(_TABLE_START, start, end)


# A 落款's date ends with 日 ("2024年3月5日", "二〇二四年三月五日"), the last character of its paragraph's last run.
_DAY_AT_RUN_END = re.compile("日(?:[ \t]|\u3000)*</w:t>".encode())
_TABLE_START, _TABLE_END, _TABLE_TAG = b"<w:tbl>", b"</w:tbl>", b"w:tbl>"
SIGNATURE_TRIES = 20  # paragraphs ending in 日 looked at, at most
# a date, or a body's name and a date with the spaces between them ("某县市场监督管理局　　　　2024年3月5日")
SIGNATURE_LINE_MAX = 2 * text.DATE_LINE_MAX + 40
SIGNING_TABLE_MAX = 16 << 10  # bytes of a table read as a 落款: a few cells (a longer one is a table of content)


def first_signature(xml: bytes) -> dict[str, str]:
    """The first 落款 of a Word body outside its tables: a paragraph that is a date (or a body's name and a date)
    with the signing body above it, read as text.tail_fields reads a document's last lines; {} when there is none.
    A notice that issues a plan (关于印发…的通知) signs before the plan it carries, so its last lines are the
    plan's: the notice's 成文日期 is found here, where the last lines had none (or a table's)."""
    for tried, match in enumerate(_DAY_AT_RUN_END.finditer(xml)):
        if tried >= SIGNATURE_TRIES:
            break
        at = match.start()
        table_at = xml.rfind(_TABLE_START, 0, at)
        if table_at > xml.rfind(_TABLE_END, 0, at):  # in a table: a 落款 laid out in one, or a table's row
            if found := _signing_table(xml, table_at, at):
                return found
            continue
        start = xml.rfind(_PARAGRAPH_END, 0, at)
        start = 0 if start < 0 else start + len(_PARAGRAPH_END)
        end = xml.find(_PARAGRAPH_END, at)
        end = len(xml) if end < 0 else end
        if xml.find(_FALLBACK, start, end) >= 0:  # in a text box (read twice): not a 落款
            continue
        line = _paragraph(xml, start, end)
        if not line or len(line.strip()) > SIGNATURE_LINE_MAX:
            continue
        above = _lines_above(xml, start, text.JOINT_BODIES, _tables_crossed(xml, start, end))
        found = text.tail_fields([*above[::-1], line])
        if "date" in found and "issuer" in found:
            return found
    return {}


def _signing_table(xml: bytes, start: int, at: int) -> dict[str, str]:
    """A 落款 laid out in a borderless table (joint signers side by side): every cell of the table at `start` is
    a body's name or that one date; {} for any other table (a task's name, a second date: a table's rows)."""
    end = xml.find(_TABLE_END, at)
    if end < 0 or end - start > SIGNING_TABLE_MAX:
        return {}
    table = xml[start:end]
    bodies, days = [], set()
    for first, last in _spans_forward(table):
        line = text.squeeze(_paragraph(table, first, last))
        if not line:
            continue
        if day := text.only_date(line):
            days.add(day)
        elif text.is_org(line):
            bodies.append(line)
        elif signed := text.signed_on_one_line(line):  # "某县市场监督管理局" and, after a line break, its date
            bodies.append(signed["issuer"])
            days.add(signed["date"])
        else:
            return {}
    if len(days) != 1 or not bodies:
        return {}
    return {"date": days.pop(), "issuer": "、".join(dict.fromkeys(bodies))}


# Word writes a text box twice: a DrawingML shape (mc:Choice) and a VML copy for older readers (mc:Fallback). A red
# header's 发文机关标志 is often such a box: read twice, it ran into the title. The copy is skipped where the
# paragraphs are cut, so only the part of the body looked at is searched for it.
_FALLBACK, _FALLBACK_END = b"<mc:Fallback", b"</mc:Fallback>"


def _spans_forward(xml: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph's XML from the first on, text box copies left out."""
    start = 0
    while True:
        end = xml.find(_PARAGRAPH_END, start)
        stop = len(xml) if end < 0 else end
        copy = xml.find(_FALLBACK, start, stop)
        if copy >= 0:
            yield start, copy
            closing = xml.find(_FALLBACK_END, copy)
            if closing < 0:
                return
            start = closing + len(_FALLBACK_END)
            continue
        yield start, stop
        if end < 0:
            return
        start = end + len(_PARAGRAPH_END)


def _spans_backward(xml: bytes, before: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph's XML from the last (ending before `before`) back, text box copies left out."""
    end = xml.rfind(_PARAGRAPH_END, 0, len(xml) if before is None else before)
    while end >= 0:
        start = xml.rfind(_PARAGRAPH_END, 0, end)
        start = start + len(_PARAGRAPH_END) if start >= 0 else 0
        closing = xml.rfind(_FALLBACK_END, start, end)
        if closing >= 0:
            yield closing + len(_FALLBACK_END), end
            end = xml.rfind(_FALLBACK, 0, closing)
            continue
        yield start, end
        end = start - len(_PARAGRAPH_END) if start > 0 else -1


def _paragraph(xml: bytes, start: int, end: int) -> str:
    """The runs' text of xml[start:end] ("" when it has none but white space), searched in place (the pattern has no
    anchor or look-behind: the same as in a copy of the slice). Each run is decoded as the whole body was before:
    runs stand between ASCII characters, so a broken character never joins its neighbour's bytes."""
    runs = _RUN_TEXT.findall(xml, start, end)
    if not runs:
        return ""
    joined = b"".join(runs)
    try:
        line = joined.decode("utf-8")
    except UnicodeDecodeError:
        line = "".join(run.decode("utf-8", "replace") for run in runs)
    if not line.strip():
        return ""
    return html.unescape(line) if "&" in line else line


def _first_row(part) -> list[str]:
    """The first row of the first sheet: its cells' text, shared strings looked up in the first 64 KB of the table
    (a title row is written first, so its string is among the first). Both parts are inflated only as far as the
    row and the strings it uses (what a search of the whole 64 KB would find: see _has_row)."""
    row = _FIRST_ROW.search(_text(part("xl/worksheets/sheet1.xml", HEAD_BYTES, _has_row)))
    if row is None:
        return []
    cells: list[str | int] = []  # text, or the index of a shared string
    for attributes, inner in _CELL.findall(row.group(1)):
        inner = inner or ""
        if _SHARED.search(attributes):
            value = _CELL_VALUE.search(inner)
            if value is not None and value.group(1).strip().isdigit():
                cells.append(int(value.group(1)))
        elif 't="inlineStr"' in attributes:
            cells.append("".join(_INLINE_TEXT.findall(inner)))
        else:
            value = _CELL_VALUE.search(inner)
            cells.append(value.group(1) if value else "")
    indexes = [cell for cell in cells if isinstance(cell, int)]
    if indexes:
        needed = max(indexes) + 1

        def enough(raw: bytes) -> bool:
            return raw.count(b"</si>") >= needed and len(_SHARED_ITEM.findall(_text(raw))) >= needed

        shared = _SHARED_ITEM.findall(_text(part("xl/sharedStrings.xml", HEAD_BYTES, enough)))
        cells = [cell if isinstance(cell, str) else "".join(_INLINE_TEXT.findall(shared[cell]))
                 if cell < len(shared) else "" for cell in cells]
    return [cell for cell in (html.unescape(cell).strip() for cell in cells) if cell]


def _has_row(raw: bytes) -> bool:
    """A head of a sheet in which the first row is complete: the search in the whole head finds the same row (each
    try at a place before it ends within it: the same in a longer head)."""
    return b"</row>" in raw and _FIRST_ROW.search(_text(raw)) is not None
