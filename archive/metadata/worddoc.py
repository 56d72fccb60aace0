"""What a legacy Word file (.doc; WPS's .wps is the same binary format) holds for the catalogue: its summary
properties (title, author, company) and its first and last paragraphs, as archive.metadata.office reads them from
a .docx. Offices keep many of these: old templates and WPS's compatible format save .doc.

The container is read with olefile (a well-kept reader of OLE compound files, Pillow's own choice for them). The
text is found as [MS-DOC] lays it out: the FIB at the start of the WordDocument stream gives the number of characters
of the main text and where the piece table (the Clx) stands in the table stream; each piece is a run of characters
stored as UTF-16 or as 8-bit text. Only the main text's first and last paragraphs are decoded, up to TEXT_LIMIT
characters at each end. Field codes (between the field's begin and separator marks) are left out, as Word shows only
their results. An encrypted file, a Word 6/95 file or a damaged one gives its properties at most.
"""

from __future__ import annotations

import io
import struct

from archive.metadata.office import OfficeRead

WORD_MAGIC = 0xA5EC
NFIB_WORD97 = 0x00C1  # Word 97 and later (and WPS): older files keep their text another way
F_WHICH_TABLE, F_ENCRYPTED = 0x0200, 0x0100
CLX_INDEX = 33  # fcClx/lcbClx: the 34th pair of FibRgFcLcb97
TEXT_LIMIT = 4000  # characters decoded at each end of the main text: a head and a 落款 fit in far less
PARAGRAPH, CELL_END, LINE_BREAK, PAGE_BREAK = "\r", "\x07", "\x0b", "\x0c"
FIELD_BEGIN, FIELD_SEPARATOR, FIELD_END = "\x13", "\x14", "\x15"
_CODEPAGES = {936: "gbk", 54936: "gb18030", 65001: "utf-8", 1200: "utf-16-le", 950: "big5", 1252: "cp1252"}
# characters Word stores for objects, footnote marks, hyphens and the like: none is text a reader sees
# (a field's marks too, where its other marks fell outside the characters read)
_INVISIBLE = {code: None for code in (*range(0x00, 0x07), 0x08, *range(0x0E, 0x20))}


def read_word97(path: str, data: bytes | None) -> OfficeRead:
    """Properties and the first and last paragraphs of the .doc at `path` (`data`: its bytes, when held)."""
    import olefile

    found = OfficeRead()
    with olefile.OleFileIO(io.BytesIO(data) if data is not None else path) as ole:
        found.props = summary_properties(ole)
        if ole.exists("WordDocument"):
            found.head, found.tail = _paragraphs(ole)
    return found


def summary_properties(ole) -> dict[str, str]:
    """title, creator and company from an OLE file's summary streams (any Office 97-2003 file: .doc, .xls, WPS's),
    decoded by the code page they name."""
    meta = ole.get_metadata()
    codepage = _CODEPAGES.get((meta.codepage or 0) & 0xFFFF, "gbk")  # stored signed: 65001 reads as -535
    values = {"title": meta.title, "creator": meta.author, "company": meta.company}
    return {key: text for key, value in values.items() if (text := _decoded(value, codepage))}


def _decoded(value, codepage: str) -> str:
    if isinstance(value, str):
        return value.strip("\x00 ")
    if not isinstance(value, bytes):
        return ""
    try:
        return value.decode(codepage).strip("\x00 ")
    except (UnicodeDecodeError, LookupError):
        return value.decode("gb18030", "replace").strip("\x00 ")


def _paragraphs(ole) -> tuple[list[str], list[str]]:
    """The main text's first and last paragraphs with text; ([], []) when the file keeps its text otherwise."""
    document = ole.openstream("WordDocument").read()
    magic, nfib = struct.unpack_from("<HH", document, 0)
    flags = struct.unpack_from("<H", document, 0x0A)[0]
    if magic != WORD_MAGIC or nfib < NFIB_WORD97 or flags & F_ENCRYPTED:
        return [], []
    csw = struct.unpack_from("<H", document, 0x20)[0]
    longs = 0x22 + 2 * csw + 2  # FibRgLw97, after FibRgW97 and its count
    cslw = struct.unpack_from("<H", document, longs - 2)[0]
    text_length = struct.unpack_from("<i", document, longs + 12)[0]  # ccpText
    pairs = longs + 4 * cslw + 2  # FibRgFcLcbBlob, after its count
    clx_at, clx_length = struct.unpack_from("<II", document, pairs + 8 * CLX_INDEX)
    table_name = "1Table" if flags & F_WHICH_TABLE else "0Table"
    if text_length <= 0 or not clx_length or not ole.exists(table_name):
        return [], []
    table = ole.openstream(table_name).read()
    pieces = _pieces(table[clx_at:clx_at + clx_length])
    head = _text(document, pieces, 0, min(text_length, TEXT_LIMIT))
    tail = _text(document, pieces, max(0, text_length - TEXT_LIMIT), text_length)
    lines = _lines(head)
    if text_length <= TEXT_LIMIT:
        return lines, lines
    return lines[:-1], _lines(tail)[1:]  # a paragraph cut at either edge is left out


def _pieces(clx: bytes) -> list[tuple[int, int, int, bool]]:
    """(first character, end character, byte offset, 8-bit) of each piece of the piece table."""
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: formatting, skipped
        at += 3 + struct.unpack_from("<h", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 0x02:
        raise ValueError("no piece table")
    length = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5:at + 5 + length]
    count = (len(plc) - 4) // 12
    if count <= 0:
        raise ValueError("empty piece table")
    characters = struct.unpack_from(f"<{count + 1}i", plc, 0)
    pieces = []
    for index in range(count):
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * index + 2)[0]
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc & 0x3FFFFFFF
        pieces.append((characters[index], characters[index + 1], offset, compressed))
    return pieces


def _text(document: bytes, pieces: list[tuple[int, int, int, bool]], start: int, end: int) -> str:
    """Characters [start, end) of the document's text, gathered from its pieces."""
    parts = []
    for first, after, offset, compressed in pieces:
        low, high = max(first, start), min(after, end)
        if low >= high:
            continue
        if compressed:
            raw = document[offset + low - first:offset + high - first]
            parts.append(raw.decode("cp1252", "replace"))
        else:
            raw = document[offset + 2 * (low - first):offset + 2 * (high - first)]
            parts.append(raw.decode("utf-16-le", "replace"))
    return "".join(parts)


def _lines(text: str) -> list[str]:
    """Paragraphs as a reader sees them: field codes dropped, table cells and line breaks ending lines too."""
    shown: list[str] = []
    hidden: list[bool] = []  # for each field open here: whether its code is being read (not yet its result)
    for char in text:
        if char == FIELD_BEGIN:
            hidden.append(True)
        elif char == FIELD_SEPARATOR and hidden:
            hidden[-1] = False  # the result follows: shown, unless it stands in an outer field's code
        elif char == FIELD_END and hidden:
            hidden.pop()
        elif not any(hidden):
            shown.append(char)
    flat = "".join(shown).translate(_INVISIBLE)
    for mark in (CELL_END, LINE_BREAK, PAGE_BREAK):
        flat = flat.replace(mark, PARAGRAPH)
    return [line for line in (part.strip() for part in flat.split(PARAGRAPH)) if line]
