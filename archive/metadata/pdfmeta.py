"""A PDF's title and author from its info dictionary and its XMP packet, without parsing the document.

pypdf's PdfReader parses the cross-reference table of every file it opens (0.3-1 ms a PDF, and 0.2-0.4 s to import
in each worker process), more than the scan may spend on a file. The info dictionary, though, is named by the
trailer at the file's end (or, in a linearized file, near its start) and is almost always a plain object; the XMP
packet is stored uncompressed so that tools can find it by scanning (the XMP specification asks for that). So: read
the file's ends, find `/Info N G R` and the object `N G obj`, and read its /Title and /Author strings. Those are
decoded as PDF says (UTF-16 with a byte-order mark) and, where a Chinese program wrote GBK bytes instead of
PDFDocEncoding (pypdf would show them garbled), as GB18030.

What this cannot read (an encrypted file, the dictionary inside a compressed object stream, a value given by
reference) is left to pypdf's PdfReader.
"""

from __future__ import annotations

import html
import os
import re

from archive.metadata.text import decode_legacy

WINDOW = 256 << 10  # bytes read at each end of a large file
READER_LIMIT = 64 << 20  # PdfReader holds a whole file in memory: beyond this size the info dictionary is let go
_INFO = re.compile(rb"/Info\s*(\d+)\s+(\d+)\s+R")
# The names whose mere presence decides how a file in memory is read: encrypted (/Encrypt), and whether a font can
# show Chinese (archive.metadata.pdftext). One pass of one pattern with a literal first byte finds them all: four
# `in` tests over the whole file cost 22 us of an 11 KB PDF ("/Type0" alone 9 us: PDFs are full of "/Type"), this 6.
_MARKS = re.compile(rb"/(Encrypt|Type0|ToUnicode|ObjStm)")
_XMP_START, _XMP_END = b"<x:xmpmeta", b"</x:xmpmeta>"
_XMP_FIELDS = {"title": re.compile(r"<dc:title\b.*?<rdf:li\b[^>]*>([^<]*)</rdf:li>", re.S),
               "issuer": re.compile(r"<dc:creator\b.*?<rdf:li\b[^>]*>([^<]*)</rdf:li>", re.S)}
_KEYS = (("title", b"/Title"), ("issuer", b"/Author"))
_PLAIN = re.compile(rb"[^\\()]+")  # a run of a literal string without escapes or parentheses
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_WHITESPACE = b" \t\r\n\f\x00"


class NotPlain(Exception):
    """The dictionary or a value is not where a plain reading can take it: PdfReader must."""


def read_ends(path: str) -> bytes:
    """The whole file if small, else its first and last WINDOW bytes joined."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= 2 * WINDOW:
            return handle.read()
        head = handle.read(WINDOW)
        handle.seek(size - WINDOW)
        return head + b"\n" + handle.read(WINDOW)


def marks(data: bytes) -> frozenset[bytes]:
    """Which of the names Encrypt, Type0, ToUnicode and ObjStm occur in `data` (after a "/"), as four `in` tests
    would say: no match can hide another's start, for each starts with "/" and has none after it. The last answer is
    kept, for the info reader and the first-page reader ask in turn about the same bytes."""
    global _LAST_MARKS
    if _LAST_MARKS is not None and _LAST_MARKS[0] is data:
        return _LAST_MARKS[1]
    found = frozenset(match.group(1) for match in _MARKS.finditer(data))
    _LAST_MARKS = (data, found)
    return found


_LAST_MARKS: tuple[bytes, frozenset[bytes]] | None = None


def pdf_fields(path: str, data: bytes | None = None) -> dict[str, dict[str, str]]:
    """{"props": {"title", "issuer"}, "xmp": {...}}: the values as written, to be judged by the caller. `data` may
    hold the whole file already."""
    data = read_ends(path) if data is None else data
    try:
        info = _info_fast(data)
    except NotPlain:
        info = _info_with_reader(path)
    return {"xmp": _xmp(data), "props": info}


def _xmp(data: bytes) -> dict[str, str]:
    start = data.find(_XMP_START)
    end = data.find(_XMP_END, start) if start >= 0 else -1
    if end < 0:
        return {}
    packet = data[start:end].decode("utf-8", "replace")
    values = {}
    for key, pattern in _XMP_FIELDS.items():
        if match := pattern.search(packet):
            values[key] = html.unescape(match.group(1))
    return values


def _info_fast(data: bytes) -> dict[str, str]:
    """The info dictionary's title and author ({} when the file has none), or NotPlain."""
    if b"Encrypt" in marks(data):
        raise NotPlain
    last = _last_info(data)  # the last trailer is the newest (incremental saves)
    if last is None:
        return {}
    number, generation = last.group(1), last.group(2)
    start = _object_start(data, number, generation)
    end = data.find(b"endobj", start)
    body = data[start:end if end > 0 else start + 16384]
    values = {}
    for key, name in _KEYS:
        at = _value_at(body, name)
        if at >= 0:
            values[key] = decode_text(_string(body, at))
    return values


def _last_info(data: bytes) -> re.Match | None:
    """The last "/Info N G R" in `data`, found from the end: the last of _INFO.finditer (matches cannot overlap, for
    only one "/" stands in each), without a regular expression run over the whole file."""
    at = data.rfind(b"/Info")
    while at >= 0:
        if match := _INFO.match(data, at):
            return match
        at = data.rfind(b"/Info", 0, at)
    return None


def _object_start(data: bytes, number: bytes, generation: bytes) -> int:
    """Where the last definition of object `number generation` starts (after "obj"). A literal search first: a
    regular expression starting with a look-behind tries every position, 15 times slower."""
    plain = number + b" " + generation + b" obj"
    at = data.rfind(plain)
    while at > 0 and data[at - 1:at].isdigit():
        at = data.rfind(plain, 0, at)
    if at >= 0:
        return at + len(plain)
    found = list(re.finditer(rb"(?<!\d)" + number + rb"\s+" + generation + rb"\s+obj\b", data))
    if not found:
        raise NotPlain  # inside a compressed object stream
    return found[-1].end()


def _value_at(body: bytes, name: bytes) -> int:
    """Where the value of key `name` starts (past white space), or -1 ("/TitleX" is another key)."""
    at = body.find(name)
    while at >= 0:
        after = at + len(name)
        if body[after:after + 1] in b" \t\r\n\f(<[/":
            return len(body) - len(body[after:].lstrip(_WHITESPACE))
        at = body.find(name, after)
    return -1


def _string(body: bytes, at: int) -> bytes:
    """The bytes of the string object at `at`: a literal "(…)" or a hexadecimal "<…>"."""
    if body[at:at + 1] == b"<" and body[at + 1:at + 2] != b"<":
        end = body.index(b">", at)
        digits = bytes(c for c in body[at + 1:end] if c not in _WHITESPACE)
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
    if body[at:at + 1] != b"(":
        raise NotPlain  # a reference ("12 0 R") or something stranger
    return _literal(body, at + 1)


def _literal(body: bytes, at: int) -> bytes:
    out, depth = bytearray(), 1
    while at < len(body):
        if run := _PLAIN.match(body, at):
            out += run.group()
            at = run.end()
            continue
        char = body[at:at + 1]
        if char == b"\\":
            at = _escape(body, at + 1, out)
            continue
        depth += 1 if char == b"(" else -1
        if depth == 0:
            return bytes(out)
        out += char
        at += 1
    raise NotPlain  # unterminated


def _escape(body: bytes, at: int, out: bytearray) -> int:
    """Append the escaped character at `at` (after the backslash) to `out`; return where reading goes on."""
    char = body[at:at + 1]
    if char.isdigit() and char < b"8":
        digits = re.match(rb"[0-7]{1,3}", body[at:at + 3]).group()
        out.append(int(digits, 8) & 0xFF)
        return at + len(digits)
    if char in (b"\r", b"\n"):  # a line continuation
        return at + (2 if body[at:at + 2] == b"\r\n" else 1)
    out += _ESCAPES.get(char, char)
    return at + 1


def decode_text(raw: bytes) -> str:
    """A PDF text string: UTF-16 or UTF-8 with a byte-order mark, else UTF-8 or GB18030 as Chinese software writes
    it, else PDFDocEncoding (as Latin-1, which it equals for letters)."""
    for mark, encoding in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8")):
        if raw.startswith(mark):
            return raw[len(mark):].decode(encoding, "replace")
    return decode_legacy(raw)


def _info_with_reader(path: str) -> dict[str, str]:
    from pypdf import PdfReader

    if os.path.getsize(path) > READER_LIMIT:
        return {}
    with PdfReader(path, strict=False) as reader:
        if reader.is_encrypted and not reader.decrypt(""):
            return {}
        info = reader.metadata or {}
        return {key: str(info.get(name.decode())) for key, name in _KEYS if isinstance(info.get(name.decode()), str)}
