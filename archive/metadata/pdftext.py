"""The text lines of a PDF's first page, for the title, 文号, issuing body and 落款 date of a text-layer document.

pypdf's extract_text costs milliseconds a page after a cross-reference parse of the whole file: more than a scan may
spend on a file. This reader goes the way archive.index.pdfpages does (startxref, the newest cross-reference section,
the objects it needs): the catalogue, the page tree down to the first page, that page's content streams and the fonts
they use, and reads only the text-showing operators. Strings are decoded by each font's ToUnicode CMap (what Word,
WPS and LibreOffice write), by the predefined Unicode or GBK CMaps of a CID font without one (reportlab's CJK
fonts), or as Windows-1252 for a simple font. A line ends where the text's vertical position changes. A page whose
fonts cannot show Chinese (no composite font, no ToUnicode) is not read at all.

Anything it is unsure of (encryption, an unknown filter, a font it cannot decode, a damaged object) gives fewer or
no lines, never an exception; a scanned page (an image, no text) gives none. It stops after MAX_LINES lines (HEAD_LINES
of a document of several pages), after MAX_CONTENT bytes of content, and after TIME_LIMIT seconds.
"""

from __future__ import annotations

import re
import time
import zlib

from archive.index.pdfpages import Reader, load_stream, open_cross_reference
from archive.index.pdfsyntax import MAX_STREAM, Ref, Short, Unsure, as_array
from archive.metadata.pdfmeta import marks

MAX_LINES = 40  # of a one-page document: its head and its 落款
HEAD_LINES = 20  # of a longer one: its head only (title, 文号, issuing body)
MAX_CONTENT = 1 << 20  # inflated content bytes looked at
MAX_DEPTH = 32  # page tree levels
_CHINESE_MARKS = frozenset((b"Type0", b"ToUnicode", b"ObjStm"))  # names found in a file held in memory (pdfmeta.marks)
MAX_FONTS = 64  # fonts of the page looked at for a composite one
MAX_RANGES = 4096  # bfrange entries kept of a ToUnicode CMap (a real one has a few hundred at most)
MAX_SHOWN = 2048  # bytes of one string decoded: a title line is far shorter
TIME_LIMIT = 0.05  # seconds of this thread's CPU for one page: a hostile or monstrous page gives what was read by
# then. CPU time, not the clock: on a busy machine the same page must give the same lines
_ERRORS = (Unsure, Short, zlib.error, OSError, ValueError, IndexError, TypeError, KeyError, RecursionError,
           AttributeError, UnicodeError, OverflowError)
_WS = rb"[\x00\t\n\x0c\r ]"
_NUM = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_STR = rb"\([^()\\]*(?:\\.[^()\\]*)*\)|<[0-9A-Fa-f\x00\t\n\x0c\r ]*>"  # loops unrolled: C speed
# One lookahead for the first character of every alternative: the engine then skips other positions at once
# (tried alternative by alternative, a page took 2.5 times as long).
_TEXT_OPS = re.compile(
    rb"(?=[(<\[TBI])(?:(?P<show>(?P<string>" + _STR + rb")" + _WS + rb"*(?P<op>Tj|'|\"))"
    rb"|(?P<array>\[(?P<items>[^\[\]()]*(?:\([^()\\]*(?:\\.[^()\\]*)*\)[^\[\]()]*)*)\]" + _WS + rb"*TJ)"
    rb"|(?<![A-Za-z0-9*'\"])(?P<operator>Tm|Td|TD|Tf|BT|T\*|ID)(?![A-Za-z0-9*'\"]))", re.S)
OPERANDS = 96  # bytes before an operator searched for its operands (a Tm's six numbers, a Tf's font and size)
_ARRAY_STRINGS = re.compile(_STR, re.S)
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_UNICODE_CMAPS = {b"UniGB-UCS2-H", b"UniGB-UTF16-H", b"UniCNS-UCS2-H", b"UniCNS-UTF16-H", b"UniJIS-UCS2-H",
                  b"UniKS-UCS2-H", b"UniJIS-UTF16-H", b"UniKS-UTF16-H"}
_GBK_CMAPS = {b"GBK-EUC-H", b"GBpc-EUC-H", b"GB-EUC-H", b"GBK2K-H", b"GBKp-EUC-H"}
_BF_BLOCK = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_HEX_ITEM = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[([^\]]*)\]")
_CODESPACE = re.compile(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", re.S)


def first_page_lines(data: bytes | None, size: int, read: Reader | None = None) -> tuple[list[str], int | None]:
    """(the first page's text lines, the declared page count) of the PDF whose bytes are `data` (if that is the
    whole file), else read through `read`."""
    deadline = time.thread_time() + TIME_LIMIT
    if data is not None and not _CHINESE_MARKS & marks(data):
        return [], None  # no font in the file can show Chinese (nor an object stream that might hide one)
    try:
        xref = open_cross_reference(data, size, read)
        if xref is None or b"Encrypt" in xref.trailer:
            return [], None
        root = xref.resolve(xref.trailer.get(b"Root"))
        pages = xref.resolve(root.get(b"Pages"))
        count = xref.resolve(pages.get(b"Count"))
        page, resources = _first_page(xref, pages)
        fonts = xref.resolve(xref.resolve(resources).get(b"Font")) if resources is not None else None
        if not isinstance(fonts, dict) or not _can_show_chinese(xref, fonts):
            return [], count if type(count) is int else None
        content = _content(xref, page.get(b"Contents"))
        limit = MAX_LINES if count == 1 else HEAD_LINES
        lines = _Lines(xref, fonts, deadline).read(content, limit)
        return lines, count if type(count) is int else None
    except _ERRORS:
        return [], None


def _can_show_chinese(xref, fonts: dict) -> bool:
    """Whether a font of the page can show Chinese we can decode: a composite (Type0) font, or a simple font with a
    ToUnicode CMap (LibreOffice writes Chinese as subsets of at most 256 glyphs each). A page with neither (the
    standard Latin fonts: the benchmark's pages, an English attachment) holds no 文号, 题名 or 落款 for us and its
    content is not read, which saves most of the cost of a page."""
    return any(isinstance(font := xref.resolve(ref), dict)
               and (font.get(b"Subtype") == b"Type0" or b"ToUnicode" in font)
               for ref in list(fonts.values())[:MAX_FONTS])


def _first_page(xref, node) -> tuple[dict, object]:
    """The first leaf of the page tree, and the resources it has or inherits."""
    resources = node.get(b"Resources")
    for _ in range(MAX_DEPTH):
        if node.get(b"Type") == b"Page" or b"Kids" not in node:
            return node, node.get(b"Resources", resources)
        kids = as_array(xref.resolve(node.get(b"Kids")))
        node = xref.resolve(kids[0])
        if not isinstance(node, dict):
            raise Unsure("page tree")
        resources = node.get(b"Resources", resources)
    raise Unsure("page tree too deep")


def _content(xref, contents) -> bytes:
    refs = contents if isinstance(contents, Ref) else as_array(xref.resolve(contents)) or []
    if isinstance(refs, Ref):
        refs = [refs]
    out = b""
    for ref in refs:
        out += load_stream(xref, ref)[1] + b"\n"
        if len(out) >= MAX_CONTENT:
            break
    return out[:MAX_CONTENT]


class _Lines:
    """The content stream's text operators, read into lines. One regular expression finds only what matters (the
    font, the text position, the strings shown) and skips the rest of the stream at C speed: tokenizing every
    operand in Python cost 1.5 ms for a page of 40 lines."""

    def __init__(self, xref, fonts: dict, deadline: float):
        self.xref, self.fonts, self.deadline = xref, fonts, deadline
        self.decoders: dict[bytes, object] = {}
        self.decode = None
        self.lines: list[str] = []
        self.line: list[str] = []
        self.y = 0.0
        self.line_y: float | None = None

    def read(self, content: bytes, limit: int) -> list[str]:
        for steps, match in enumerate(_TEXT_OPS.finditer(content)):
            if len(self.lines) >= limit or (steps % 256 == 255 and time.thread_time() > self.deadline):
                break
            kind = match.lastgroup
            if kind == "show":
                self._show([_string_value(match.group("string"))])
                if match.group("op") != b"Tj":  # ' and " move to the next line first
                    self._end_line()
            elif kind == "array":
                self._show([_string_value(item) for item in _ARRAY_STRINGS.findall(match.group("items"))])
            elif not self._operator(match.group("operator"), content[max(0, match.start() - OPERANDS):match.start()]):
                break  # inline image data may hold anything: what came before it is kept
        self._end_line()
        return self.lines

    def _operator(self, operator: bytes, before: bytes) -> bool:
        """Follow a text-positioning or font operator (its operands are the last words of `before`); False at
        inline image data."""
        if operator == b"BT":
            self.y = 0.0
        elif operator == b"T*":
            self._end_line()
        elif operator == b"ID":
            return False
        else:
            words = before.split()
            if operator == b"Tf" and len(words) >= 2 and words[-2][:1] == b"/":
                self.decode = self._decoder(words[-2][1:])
            elif operator == b"Tm" and len(words) >= 6:
                self._move(float(words[-1]))
            elif len(words) >= 2 and operator != b"Tf":  # Td, TD
                self._move(self.y + float(words[-1]))
        return True

    def _move(self, y: float) -> None:
        self.y = y
        if self.line_y is not None and abs(y - self.line_y) > 1:
            self._end_line()

    def _show(self, strings: list[bytes]) -> None:
        if self.line_y is None:
            self.line_y = self.y
        if self.decode is not None:
            self.line.extend(self.decode(raw) for raw in strings)

    def _end_line(self) -> None:
        text = "".join(self.line).strip()
        if text:
            self.lines.append(text)
        self.line, self.line_y = [], None

    def _decoder(self, name: bytes):
        if name not in self.decoders:
            try:
                self.decoders[name] = _font_decoder(self.xref, self.xref.resolve(self.fonts.get(name)))
            except _ERRORS:
                self.decoders[name] = None
        return self.decoders[name]


def _string_value(token: bytes) -> bytes:
    """The bytes of a literal "(…)" or hexadecimal "<…>" string token."""
    if token[:1] == b"<":
        digits = token[1:-1].translate(None, b"\x00\t\n\x0c\r ")
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii", "replace"))
    return _literal(token[1:-1])


def _font_decoder(xref, font):
    """A function from a string's bytes to its text, or None when the font gives no way to know."""
    if not isinstance(font, dict):
        return None
    unicode_map = font.get(b"ToUnicode")
    if isinstance(unicode_map, Ref):
        width, table, ranges = _cmap(load_stream(xref, unicode_map)[1])
        return lambda raw: _mapped(raw, width, table, ranges)
    encoding = xref.resolve(font.get(b"Encoding"))
    if font.get(b"Subtype") == b"Type0":
        if encoding in _UNICODE_CMAPS:
            return lambda raw: raw.decode("utf-16-be", "ignore")
        if encoding in _GBK_CMAPS:
            return lambda raw: raw.decode("gb18030", "ignore")
        return None  # Identity-H without ToUnicode: glyph numbers only
    return lambda raw: raw.decode("cp1252", "ignore")


def _cmap(data: bytes) -> tuple[int, dict[bytes, str], list[tuple[bytes, bytes, object]]]:
    """(code width in bytes, single codes, ranges) of a ToUnicode CMap."""
    space = _CODESPACE.search(data)
    width = len(space.group(1)) // 2 if space else 0
    table: dict[bytes, str] = {}
    ranges: list[tuple[bytes, bytes, object]] = []
    for block, body in _BF_BLOCK.findall(data[:MAX_STREAM]):
        items = [_hex_or_list(match) for match in _HEX_ITEM.finditer(body)]
        if block == b"bfchar":
            for code, target in zip(items[0::2], items[1::2], strict=False):
                if isinstance(code, bytes) and isinstance(target, bytes):
                    table[code] = _utf16(target)
                    width = width or len(code)
        else:
            for low, high, target in zip(items[0::3], items[1::3], items[2::3], strict=False):
                if isinstance(low, bytes) and isinstance(high, bytes) and len(low) == len(high) \
                        and len(ranges) < MAX_RANGES:
                    ranges.append((low, high, target))
                    width = width or len(low)
    return width or 1, table, ranges


def _hex_or_list(match) -> bytes | list[bytes]:
    if match.group(1) is not None:
        return _hex(match.group(1))
    return [_hex(item) for item in re.findall(rb"<([0-9A-Fa-f\s]*)>", match.group(2))]


def _hex(digits: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", digits)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _utf16(raw: bytes) -> str:
    return raw.decode("utf-16-be", "ignore")


def _mapped(raw: bytes, width: int, table: dict[bytes, str], ranges) -> str:
    raw = raw[:MAX_SHOWN]
    out = []
    for at in range(0, len(raw) - width + 1, width):
        code = raw[at:at + width]
        text = table.get(code)
        if text is None:
            text = _in_ranges(code, ranges)
        out.append(text)
    return "".join(out)


def _in_ranges(code: bytes, ranges) -> str:
    for low, high, target in ranges:
        if low <= code <= high:
            offset = int.from_bytes(code, "big") - int.from_bytes(low, "big")
            if isinstance(target, list):
                return _utf16(target[offset]) if offset < len(target) else ""
            last = int.from_bytes(target[-2:], "big") + offset  # the last UTF-16 unit counts up
            return _utf16(target[:-2] + (last & 0xFFFF).to_bytes(2, "big"))
    return ""


def _literal(raw: bytes) -> bytes:
    if b"\\" not in raw:
        return raw
    return _ESCAPE.sub(_unescape, raw)


def _unescape(match) -> bytes:
    octal, newline, char = match.groups()
    if octal:
        return bytes([int(octal, 8) & 0xFF])
    if newline:
        return b""
    return _ESCAPES.get(char[0], char)
