"""A PDF's page count read the way a viewer finds it: startxref, the cross-reference section (a table or a stream,
following /Prev and /XRefStm), the trailer's /Root, its /Pages, and that node's /Count.

That is a few hundred bytes at a handful of offsets (30 to 40 microseconds for a small file), where pypdf (pure
Python) reads the whole cross-reference: 0.2 to 0.4 ms. Anything unexpected (encryption, a damaged offset, an
unknown filter or predictor, a /Count that is not a positive number) gives None, and the caller parses the file with
pypdf as before: this reader answers only when a sound file leaves no doubt, and then with the number pypdf reads.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from archive.index.pdfsyntax import (
    MAX_STREAM,
    OBJ_HEADER,
    Ref,
    Rows,
    Short,
    Unsure,
    as_array,
    inflate,
    parse_value,
)

WINDOW = 4096  # bytes read around an object at first; a longer object is read again with more
MAX_WINDOW = 4 << 20
MAX_SECTIONS = 64  # cross-reference sections followed through /Prev (incremental updates)
TAIL = 1024  # where startxref is looked for

_STARTXREF = re.compile(rb"startxref[\x00\t\n\x0c\r ]+(\d+)")
_SUBSECTION = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]*?(?:\r\n|\r|\n)")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_TRAILER = re.compile(rb"[\x00\t\n\x0c\r ]*trailer")
_STREAM = re.compile(rb"[\x00\t\n\x0c\r ]*stream(?:\r\n|\n)")

Reader = Callable[[int, int], bytes]  # (offset, length) -> the file's bytes there (fewer at its end)


def page_count(data: bytes | None, size: int, read: Reader | None = None) -> int | None:
    """The declared page count of the PDF whose bytes are `data` (if that is the whole file), else read through
    `read`; None when only a full parse can tell."""
    try:
        if data is not None and len(data) == size:
            return _count(_in_memory(data))
        if read is None:
            return None
        return _count(_CrossReference(_Source(read, size, whole=False)))
    except (Unsure, Short, zlib.error, OSError, ValueError, IndexError, TypeError, KeyError, RecursionError):
        return None


def open_cross_reference(data: bytes | None, size: int, read: Reader | None = None) -> _CrossReference | None:
    """The newest cross-reference section of the PDF (see page_count for the arguments), to resolve objects with;
    raises Unsure (and what a damaged file may raise) like the page count's own reading."""
    if data is not None and len(data) == size:
        return _in_memory(data)
    if read is not None:
        return _CrossReference(_Source(read, size, whole=False))
    return None


def _in_memory(data: bytes) -> _CrossReference:
    """The cross-reference of a file held in memory; the last one is kept, for the scan's second pass reads a file's
    page count and then its metadata from the same bytes (archive.inspection.read_batch)."""
    global _LAST
    if _LAST is not None and _LAST[0] is data:
        return _LAST[1]
    xref = _CrossReference(_Source(lambda offset, length: data, len(data), whole=True))
    _LAST = (data, xref)
    return xref


_LAST: tuple[bytes, _CrossReference] | None = None


def load_stream(xref: _CrossReference, ref) -> tuple[dict, bytes]:
    """The dictionary and inflated data of the stream object `ref` refers to (not one inside an object stream)."""
    if not isinstance(ref, Ref):
        raise Unsure("a stream is always referred to")
    place = xref.locate(ref[0])
    if place[0] != "offset" or place[2] != ref[1]:
        raise Unsure("stream place")
    header, data = _stream_at(xref, place[1], ref[0], ref[1])
    return header, data if isinstance(data, bytes) else bytes(data)


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
            except Short:
                if complete or length >= MAX_WINDOW:
                    raise Unsure("value runs past the end") from None
                length *= 8


def _count(xref: _CrossReference) -> int | None:
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
        self.resolved: dict[Ref, object] = {}

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
        if value in self.resolved:  # a font asked for by several readers, a page tree node
            return self.resolved[value]
        place = self.locate(number)
        if place[0] == "offset":
            _, offset, found_generation = place
            if found_generation != generation:
                raise Unsure("generation")
            resolved = self.source.parse(offset, lambda b, p, c: _object_at(b, p, c, number, generation)[0])
        else:
            resolved = self._packed(place[1], place[2], number)
        resolved = self.resolve(resolved, depth + 1)
        self.resolved[value] = resolved
        return resolved

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
        value, _ = parse_value(data, first + numbers[2 * index + 1], True)
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
        widths, size = as_array(header.get(b"W")), header.get(b"Size")
        if not (isinstance(widths, list) and len(widths) == 3 and all(type(w) is int and w >= 0 for w in widths)
                and type(size) is int):
            raise Unsure("/W or /Size")
        index = as_array(header.get(b"Index", [0, size]))
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
    value, _ = parse_value(buffer, found.end(), complete)
    if not isinstance(value, dict):
        raise Unsure("trailer")
    return value


def _object_at(buffer: bytes, position: int, complete: bool, number: int | None, generation: int | None):
    """(value, position after it) of the object whose header `number generation obj` is at `position`."""
    header = OBJ_HEADER.match(buffer, position)
    if not header:
        if not complete and len(buffer) - position < 64:
            raise Short()
        raise Unsure("no object here")
    if number is not None and (int(header.group(1)), int(header.group(2))) != (number, generation):
        raise Unsure("a different object here")
    return parse_value(buffer, header.end(), complete)


def _stream_at(xref, offset: int, number: int | None, generation: int | None, rows: bool = False):
    """The dictionary and the inflated data of the stream object at `offset` (Flate, or no filter). With `rows`,
    the data as Rows of a cross-reference stream; else as bytes with any predictor undone."""
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
    data, columns = inflate(header, raw)
    if rows:
        widths = as_array(header.get(b"W"))
        width = sum(widths) if isinstance(widths, list) and all(type(w) is int for w in widths) else 0
        if width <= 0 or (columns is not None and columns != width):
            raise Unsure("/W and /Columns")
        return header, Rows(data, width, columns is not None)
    return header, data if columns is None else Rows(data, columns, True).all()


def _parse_ints(data: bytes) -> list[int]:
    numbers = data.split()
    if not all(n.isdigit() for n in numbers):
        raise Unsure("object stream header")
    return [int(n) for n in numbers]


