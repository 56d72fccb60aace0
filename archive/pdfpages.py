"""A PDF's page count read the way a viewer finds it: startxref, the cross-reference section (a table or a stream,
following /Prev and /XRefStm), the trailer's /Root, its /Pages, and that node's /Count.

That is a few hundred bytes at a handful of offsets, where pypdf (pure Python) reads the whole cross-reference and
costs about 1 ms per small file. Anything unexpected (encryption, a damaged offset, an unknown filter or predictor,
a /Count that is not a positive number) gives None, and the caller parses the file with pypdf as before: this reader
answers only when a sound file leaves no doubt, and then with the very number pypdf would read.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

WINDOW = 4096  # bytes read around an object at first; a longer object is read again with more
MAX_WINDOW = 4 << 20
MAX_STREAM = 16 << 20  # an object or cross-reference stream inflating beyond this is left to pypdf
MAX_SECTIONS = 64  # cross-reference sections followed through /Prev (incremental updates)
TAIL = 1024  # where startxref is looked for

_WS = rb"[\x00\t\n\x0c\r ]"
_END = rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"  # a number, word or reference ends at a space or delimiter
_REF = rb"(\d+)" + _WS + rb"+(\d+)" + _WS + rb"+R" + _END
_NUM = rb"[+-]?(?:\d+\.?\d*|\.\d+)" + _END
_NAME = rb"/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*"
_HEX = rb"<[0-9A-Fa-f\x00\t\n\x0c\r ]*>"
# loops unrolled ("normal* (special normal*)*"): the regular expression engine runs the common case at C speed
_FLAT = rb"\[[^\[\]()<>{}%]*(?:" + _HEX + rb"[^\[\]()<>{}%]*)*\]"  # an array without strings or containers
_STRING = rb"\([^()\\]*(?:\\.[^()\\]*)*\)"  # a literal string without nested parentheses
_WORD = rb"(?:true|false|null)" + _END
_TOKEN = re.compile(rb"(?:" + _WS + rb"+|%[^\r\n]*)*(?:(?P<ref>" + _REF + rb")|(?P<num>" + _NUM + rb")"
                    rb"|(?P<name>" + _NAME + rb")|(?P<flat>" + _FLAT + rb")|(?P<open><<|\[)|(?P<close>>>|\])"
                    rb"|(?P<hex>" + _HEX + rb")|(?P<string>" + _STRING + rb")|(?P<nested>\()"
                    rb"|(?P<word>[A-Za-z]+))", re.DOTALL)
# A dictionary of plain values (no nested dictionaries, no arrays holding any) is read by a few matches: most that
# this reader needs are such (page tree nodes, catalogues, trailers).
_GAP = _WS + rb"*(?:%[^\r\n]*" + _WS + rb"*)*"


def _plain_pair(group: bytes) -> bytes:
    """A /Key and its plain value; `group` is b"(" to capture the key and each kind of value, else b"(?:"."""
    ref = rb"\d+" + _WS + rb"+\d+" + _WS + rb"+R" + _END
    kinds = (ref, _NUM, _NAME, _FLAT, _HEX + rb"|" + _STRING, _WORD)
    return (rb"/" + group + rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)" + _GAP + rb"(?:"
            + rb"|".join(group + kind + rb")" for kind in kinds) + rb")")


_PLAIN_OPEN = re.compile(_GAP + rb"<<")
_PLAIN_PAIR = re.compile(_GAP + _plain_pair(b"("), re.DOTALL)
_PLAIN_CLOSE = re.compile(_GAP + rb">>")
_REF_PARTS = re.compile(rb"(\d+)" + _WS + rb"+(\d+)")
_WORDS = {b"true": True, b"false": False, b"null": None}
_STRING_STOP = re.compile(rb"[()\\]")
_OBJ_HEADER = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+obj")
_STARTXREF = re.compile(rb"startxref[\x00\t\n\x0c\r ]+(\d+)")
_SUBSECTION = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]*?(?:\r\n|\r|\n)")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_TRAILER = re.compile(rb"[\x00\t\n\x0c\r ]*trailer")
_STREAM = re.compile(rb"[\x00\t\n\x0c\r ]*stream(?:\r\n|\n)")

Reader = Callable[[int, int], bytes]  # (offset, length) -> the file's bytes there (fewer at its end)


class Unsure(Exception):
    """Not a file this reader is sure about: the caller parses it fully."""


class _Short(Exception):
    """The window ended inside the value: read more."""


class Ref(tuple):
    """An indirect reference (object number, generation)."""


class Name(bytes):
    """A PDF name, without its slash (plain bytes are strings)."""


class Flat(bytes):
    """An array without strings or containers in it, as its text: most are never looked at (/Kids, /MediaBox)."""

    def items(self) -> list:
        values, position = [], 1
        while True:
            token = _TOKEN.match(self, position)
            if token is None or token.lastgroup not in ("ref", "num", "name", "close"):
                raise Unsure("array")
            if token.lastgroup == "close":
                return values
            values.append(_value(self, position, True)[0])
            position = token.end()


def _array(value) -> list | None:
    """An array value as a list (None if it is not an array)."""
    if isinstance(value, Flat):
        return value.items()
    return value if isinstance(value, list) else None


def page_count(data: bytes | None, size: int, read: Reader | None = None) -> int | None:
    """The declared page count of the PDF whose bytes are `data` (if that is the whole file), else read through
    `read`; None when only a full parse can tell."""
    if data is not None and len(data) == size:
        source = _Source(lambda offset, length: data, size, whole=True)
    elif read is not None:
        source = _Source(read, size, whole=False)
    else:
        return None
    try:
        return _count(source)
    except (Unsure, _Short, zlib.error, OSError, ValueError, IndexError, TypeError, KeyError, RecursionError):
        return None


class _Source:
    """The file's bytes at an offset: the buffer itself when the whole file is in memory, else a read there."""

    def __init__(self, read: Reader, size: int, whole: bool):
        self.read = read
        self.size = size
        self.whole = whole

    def at(self, offset: int, length: int = WINDOW) -> tuple[bytes, int, bool]:
        """(buffer, position of `offset` in it, whether the buffer reaches the end of the file)."""
        if not 0 <= offset < self.size:
            raise Unsure("offset outside the file")
        if self.whole:
            return self.read(offset, length), offset, True
        return self.read(offset, length), 0, offset + length >= self.size

    def parse(self, offset: int, parse: Callable[[bytes, int, bool], object]):
        """parse(buffer, position, complete) on a window from `offset`, widened while the value runs past it."""
        length = WINDOW
        while True:
            buffer, position, complete = self.at(offset, length)
            try:
                return parse(buffer, position, complete)
            except _Short:
                if complete or length >= MAX_WINDOW:
                    raise Unsure("value runs past the end") from None
                length *= 8


def _count(source: _Source) -> int | None:
    xref = _CrossReference(source)
    trailer = xref.trailer
    if b"Encrypt" in trailer:  # strings and streams are encrypted: pypdf decrypts, or says it cannot
        raise Unsure("encrypted")
    root = xref.resolve(trailer.get(b"Root"))
    pages = xref.resolve(root.get(b"Pages")) if isinstance(root, dict) else None
    count = xref.resolve(pages.get(b"Count")) if isinstance(pages, dict) else None
    if type(count) is int and count > 0:
        return count
    return None


class _CrossReference:
    """The newest cross-reference section and, lazily, the older ones its /Prev chain leads to."""

    def __init__(self, source: _Source):
        self.source = source
        tail_at = max(0, source.size - TAIL)
        buffer, position, _ = source.at(tail_at, source.size - tail_at)
        found = list(_STARTXREF.finditer(buffer, position))
        if not found:
            raise Unsure("no startxref")
        self.sections: list[_Section] = []
        self.pending: list[int] = [int(found[-1].group(1))]
        self.visited: set[int] = set()
        self.trailer = self._next_section().trailer
        self.object_streams: dict[int, tuple[int, bytes]] = {}

    def _next_section(self) -> _Section | None:
        while self.pending:
            offset = self.pending.pop(0)
            if offset in self.visited:
                continue
            if len(self.visited) >= MAX_SECTIONS:
                raise Unsure("too many sections")
            self.visited.add(offset)
            section = _Section.load(self.source, offset)
            self.sections.append(section)
            # a hybrid file's stream comes before the older sections (PDF 1.7, 7.5.8.4)
            self.pending[:0] = [o for o in (section.hybrid, section.previous) if o is not None]
            return section
        return None

    def locate(self, number: int) -> tuple:
        """('offset', offset, generation) or ('packed', stream number, index) of the newest definition."""
        index = 0
        while True:
            while index < len(self.sections):
                found = self.sections[index].entries.get(number)
                if found is None and self.sections[index].lookup is not None:
                    found = self.sections[index].lookup(number)
                if found is not None and found[0] != "free":
                    return found
                if found is not None and self.sections[index].hybrid is None:
                    raise Unsure("free object")  # free in a hybrid file's table: its stream, next, may hold it
                index += 1
            if self._next_section() is None:
                raise Unsure("object not found")

    def resolve(self, value, depth: int = 0):
        if not isinstance(value, Ref):
            return value
        if depth > 8:
            raise Unsure("reference chain")
        number, generation = value
        place = self.locate(number)
        if place[0] == "offset":
            _, offset, found_generation = place
            if found_generation != generation:
                raise Unsure("generation")
            resolved = self.source.parse(offset, lambda b, p, c: _object_at(b, p, c, number, generation)[0])
        else:
            resolved = self._packed(place[1], place[2], number)
        return self.resolve(resolved, depth + 1)

    def _packed(self, stream_number: int, index: int, number: int):
        """An object inside an object stream (always generation 0)."""
        if stream_number not in self.object_streams:
            place = self.locate(stream_number)
            if place[0] != "offset":
                raise Unsure("object stream inside an object stream")
            header, data = _stream_at(self, place[1], stream_number, place[2])
            first = self.resolve(header.get(b"First"))
            if type(first) is not int:
                raise Unsure("/First")
            self.object_streams[stream_number] = (first, data)
        first, data = self.object_streams[stream_number]
        numbers = _parse_ints(data[:first])
        if 2 * index + 1 >= len(numbers) or numbers[2 * index] != number:
            raise Unsure("object stream index")
        value, _ = _value(data, first + numbers[2 * index + 1], True)
        return value


class _Section:
    """One cross-reference section: a classic table (entries read on demand) or a stream (all entries at once)."""

    def __init__(self, trailer: dict, entries: dict, lookup=None):
        self.trailer = trailer
        self.entries = entries
        self.lookup = lookup
        self.previous = _offset(trailer.get(b"Prev"))
        self.hybrid = _offset(trailer.get(b"XRefStm"))

    @classmethod
    def load(cls, source: _Source, offset: int) -> _Section:
        buffer, position, _ = source.at(offset, 16)
        if buffer[position:position + 4] == b"xref":
            return cls._table(source, offset)
        return cls._stream(source, offset)

    @classmethod
    def _table(cls, source: _Source, offset: int) -> _Section:
        subsections: list[tuple[int, int, int]] = []  # (first number, count, file offset of the first entry)
        cursor = offset + 4
        while True:
            buffer, position, _ = source.at(cursor, 64)
            if _TRAILER.match(buffer, position):
                trailer = source.parse(cursor, _trailer_dict)
                break
            found = _SUBSECTION.match(buffer, position)
            if not found:
                raise Unsure("xref subsection")
            first, count = int(found.group(1)), int(found.group(2))
            start = cursor + found.end() - position
            subsections.append((first, count, start))
            cursor = start + 20 * count

        def lookup(number: int):
            for first, count, start in subsections:
                if first <= number < first + count:
                    buffer, position, _ = source.at(start + 20 * (number - first), 20)
                    entry = _ENTRY.match(buffer, position)
                    if not entry:
                        raise Unsure("xref entry")
                    if entry.group(3) == b"f":
                        return ("free",)
                    return ("offset", int(entry.group(1)), int(entry.group(2)))
            return None

        return cls(trailer, {}, lookup)

    @classmethod
    def _stream(cls, source: _Source, offset: int) -> _Section:
        header, data = _stream_at(_Bare(source), offset, None, None, rows=True)
        if header.get(b"Type") != b"XRef":
            raise Unsure("not a cross-reference stream")
        widths, size = _array(header.get(b"W")), header.get(b"Size")
        if not (isinstance(widths, list) and len(widths) == 3 and all(type(w) is int and w >= 0 for w in widths)
                and type(size) is int):
            raise Unsure("/W or /Size")
        index = _array(header.get(b"Index", [0, size]))
        if not (isinstance(index, list) and len(index) % 2 == 0 and all(type(i) is int for i in index)):
            raise Unsure("/Index")
        subsections = list(zip(index[0::2], index[1::2], strict=True))

        def lookup(number: int):
            row = 0
            for start, count in subsections:
                if start <= number < start + count:
                    return _stream_entry(data.row(row + number - start), widths)
                row += count
            return None

        return cls(header, {}, lookup)


def _stream_entry(row: bytes, widths: list[int]) -> tuple:
    fields, position = [], 0
    for width in widths:
        fields.append(int.from_bytes(row[position:position + width], "big") if width else None)
        position += width
    kind = 1 if fields[0] is None else fields[0]  # a missing first field means type 1
    if kind == 0:
        return ("free",)
    if kind == 1:
        return ("offset", fields[1], fields[2] or 0)
    if kind == 2:
        return ("packed", fields[1], fields[2])
    return None  # other types are to be ignored (PDF 1.7, 7.5.8.3): as if there were no entry


class _Bare:
    """What _stream_at needs to read a cross-reference stream: its /Length must be direct."""

    def __init__(self, source: _Source):
        self.source = source

    def resolve(self, value, depth: int = 0):
        if isinstance(value, Ref):
            raise Unsure("indirect length of a cross-reference stream")
        return value


def _offset(value) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise Unsure("/Prev")
    return value


def _trailer_dict(buffer: bytes, position: int, complete: bool) -> dict:
    found = _TRAILER.match(buffer, position)
    value, _ = _value(buffer, found.end(), complete)
    if not isinstance(value, dict):
        raise Unsure("trailer")
    return value


def _object_at(buffer: bytes, position: int, complete: bool, number: int | None, generation: int | None):
    """(value, position after it) of the object whose header `number generation obj` is at `position`."""
    header = _OBJ_HEADER.match(buffer, position)
    if not header:
        if not complete and len(buffer) - position < 64:
            raise _Short()
        raise Unsure("no object here")
    if number is not None and (int(header.group(1)), int(header.group(2))) != (number, generation):
        raise Unsure("a different object here")
    return _value(buffer, header.end(), complete)


def _stream_at(xref, offset: int, number: int | None, generation: int | None, rows: bool = False):
    """The dictionary and the inflated data of the stream object at `offset` (Flate, or no filter). With `rows`,
    the data as _Rows of a cross-reference stream; else as bytes with any predictor undone."""
    source = xref.source
    header, after, buffer_start = source.parse(offset, lambda b, p, c: (*_object_at(b, p, c, number, generation), p))
    if not isinstance(header, dict):
        raise Unsure("not a stream")
    length = xref.resolve(header.get(b"Length"))
    if type(length) is not int or not 0 <= length <= MAX_STREAM:
        raise Unsure("/Length")
    keyword_at = offset + after - buffer_start
    buffer, position, _ = source.at(keyword_at, 32)
    keyword = _STREAM.match(buffer, position)
    if not keyword:
        raise Unsure("stream keyword")
    data_at = keyword_at + keyword.end() - position
    buffer, position, _ = source.at(data_at, length)
    raw = buffer[position:position + length]
    if len(raw) != length:
        raise Unsure("stream runs past the end")
    data, columns = _inflate(header, raw)
    if rows:
        widths = _array(header.get(b"W"))
        width = sum(widths) if isinstance(widths, list) and all(type(w) is int for w in widths) else 0
        if width <= 0 or (columns is not None and columns != width):
            raise Unsure("/W and /Columns")
        return header, _Rows(data, width, columns is not None)
    return header, data if columns is None else _Rows(data, columns, True).all()


def _inflate(header: dict, raw: bytes) -> tuple[bytes, int | None]:
    """(inflated data, the PNG predictor's columns or None when there is no predictor)."""
    filters = header.get(b"Filter")
    if isinstance(filters, (list, Flat)):
        filters = _array(filters)
        filters = filters[0] if len(filters) == 1 else b"chain"
    if filters is None:
        data = raw
    elif filters == b"FlateDecode":
        inflater = zlib.decompressobj()
        data = inflater.decompress(raw, MAX_STREAM)
        if inflater.unconsumed_tail:
            raise Unsure("stream too large")
    else:
        raise Unsure("filter")
    parameters = header.get(b"DecodeParms")
    if isinstance(parameters, list):
        parameters = parameters[0] if len(parameters) == 1 else None
    if not isinstance(parameters, dict) or parameters.get(b"Predictor", 1) == 1:
        return data, None
    columns = parameters.get(b"Columns", 1)
    if (not 10 <= parameters.get(b"Predictor") <= 15 or parameters.get(b"Colors", 1) != 1
            or parameters.get(b"BitsPerComponent", 8) != 8 or type(columns) is not int or columns < 1):
        raise Unsure("predictor")
    return data, columns


class _Rows:
    """Rows of fixed width, PNG-predicted or not. A cross-reference stream is almost always all "Up" rows: row k is
    then the column-wise sum of rows 0..k, which slicing adds up at C speed, without decoding the rows before it."""

    def __init__(self, data: bytes, width: int, predicted: bool):
        self.data = data
        self.width = width
        self.stride = width + 1 if predicted else width
        filters = set(data[0::self.stride]) if predicted else set()
        self.all_up = predicted and filters <= {2}
        self.unfiltered = predicted and filters <= {0}
        mixed = predicted and not (self.all_up or self.unfiltered)
        self.decoded = data if not predicted else (_unpredict(data, width) if mixed else None)

    def row(self, k: int) -> bytes:
        if (k + 1) * self.stride > len(self.data):
            raise Unsure("row beyond the stream")
        if self.decoded is not None:
            return self.decoded[k * self.width:(k + 1) * self.width]
        if self.unfiltered:
            return self.data[k * self.stride + 1:(k + 1) * self.stride]
        end = (k + 1) * self.stride  # all "Up"
        return bytes(sum(self.data[1 + j:end:self.stride]) & 0xFF for j in range(self.width))

    def all(self) -> bytes:
        if self.decoded is None:
            self.decoded = _unpredict(self.data, self.width)
        return self.decoded


def _unpredict(data: bytes, columns: int) -> bytes:
    """PNG rows (a filter byte, then `columns` bytes) undone, for the None, Sub and Up filters."""
    stride = columns + 1
    out = bytearray()
    previous = bytes(columns)
    for row in range(len(data) // stride):
        kind = data[row * stride]
        line = data[row * stride + 1:(row + 1) * stride]
        if kind == 2:
            line = bytes((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 1:
            decoded = bytearray(line)
            for i in range(1, columns):
                decoded[i] = (decoded[i] + decoded[i - 1]) & 0xFF
            line = bytes(decoded)
        elif kind != 0:
            raise Unsure("PNG filter")
        out += line
        previous = line
    return bytes(out)


def _parse_ints(data: bytes) -> list[int]:
    numbers = data.split()
    if not all(n.isdigit() for n in numbers):
        raise Unsure("object stream header")
    return [int(n) for n in numbers]


def _value(buffer: bytes, position: int, complete: bool):
    """(value, position after it): dicts, arrays, numbers, names and references; strings come back as bytes.

    One regular-expression match per token (spaces and comments included), containers on a stack: a page-tree node
    or a catalogue is parsed in a few microseconds."""
    stack: list[tuple[list, bool]] = []
    items: list | None = None
    is_dict = False
    end = len(buffer)
    plain = _plain_dict(buffer, position, complete)
    if plain is not None:
        return plain
    while True:
        token = _TOKEN.match(buffer, position)
        if token is None:
            if not complete and end - position < 256:
                raise _Short()
            raise Unsure("token")
        position = token.end()
        if position >= end and not complete:
            raise _Short()  # a number or name may go on past the window
        kind = token.lastgroup
        if kind == "ref":
            value = Ref((int(token.group(2)), int(token.group(3))))
        elif kind == "num":
            text = token.group(kind)
            value = float(text) if b"." in text else int(text)
        elif kind == "name":
            value = Name(token.group(kind)[1:])
        elif kind == "flat":  # an array of numbers, names and references (/Kids, /W): parsed when asked for
            value = Flat(token.group(kind))
        elif kind == "open":
            stack.append((items, is_dict))
            items, is_dict = [], token.group(kind) == b"<<"
            continue
        elif kind == "close":
            if items is None or is_dict != (token.group(kind) == b">>"):
                raise Unsure("unbalanced")
            value = _dict(items) if is_dict else items
            items, is_dict = stack.pop()
        elif kind in ("hex", "string"):
            value = bytes(token.group(kind))
        elif kind == "nested":  # a string with nested parentheses
            value, position = _string(buffer, position, complete)
        elif kind == "word" and token.group(kind) in _WORDS:
            value = _WORDS[token.group(kind)]
        else:
            raise Unsure("unexpected token")
        if items is None:
            return value, position
        items.append(value)


def _plain_dict(buffer: bytes, position: int, complete: bool) -> tuple[dict, int] | None:
    """A dictionary whose values are all plain, read pair by pair; None for any other (the full parser reads it)."""
    found = _PLAIN_OPEN.match(buffer, position)
    if found is None:
        return None
    value = {}
    at = found.end()
    while (pair := _PLAIN_PAIR.match(buffer, at)) is not None:
        at = pair.end()
        key, ref, number, name, flat, text, word = pair.groups()
        if ref:
            parts = _REF_PARTS.match(ref)
            value[Name(key)] = Ref((int(parts.group(1)), int(parts.group(2))))
        elif number:
            value[Name(key)] = float(number) if b"." in number else int(number)
        elif name:
            value[Name(key)] = Name(name[1:])
        elif flat:
            value[Name(key)] = Flat(flat)
        elif word:
            value[Name(key)] = _WORDS[word]
        else:
            value[Name(key)] = bytes(text)
    found = _PLAIN_CLOSE.match(buffer, at)
    if found is None or (found.end() >= len(buffer) and not complete):
        return None
    return value, found.end()


def _dict(items: list) -> dict:
    if len(items) % 2 or not all(isinstance(key, Name) for key in items[0::2]):
        raise Unsure("dictionary")
    return dict(zip(items[0::2], items[1::2], strict=True))


def _string(buffer: bytes, position: int, complete: bool):
    """Skip a literal string (balanced parentheses, backslash escapes); its content is never needed."""
    depth = 1
    while depth:
        stop = _STRING_STOP.search(buffer, position)
        if stop is None:
            if not complete:
                raise _Short()
            raise Unsure("unclosed string")
        char = buffer[stop.start()]
        position = stop.end() + (1 if char == 0x5C else 0)  # a backslash escapes the next byte
        if char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
    return b"", position
