"""Just enough PDF syntax for archive.index.pdfpages: values (dictionaries, arrays, numbers, names, references; strings
skipped), object headers, and Flate streams with the PNG predictors cross-reference streams use.

Anything outside that raises Unsure, and the caller leaves the file to pypdf. A value may run past the end of a
window of the file (Short): the caller reads a longer window and parses again.
"""

from __future__ import annotations

import re
import zlib

MAX_STREAM = 16 << 20  # an object or cross-reference stream inflating beyond this is left to pypdf

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
OBJ_HEADER = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+obj")


class Unsure(Exception):
    """Not a file this reader is sure about: the caller parses it fully."""


class Short(Exception):
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
            values.append(parse_value(self, position, True)[0])
            position = token.end()


def as_array(value) -> list | None:
    """An array value as a list (None if it is not an array)."""
    if isinstance(value, Flat):
        return value.items()
    return value if isinstance(value, list) else None


def inflate(header: dict, raw: bytes) -> tuple[bytes, int | None]:
    """(inflated data, the PNG predictor's columns or None when there is no predictor)."""
    filters = header.get(b"Filter")
    if isinstance(filters, (list, Flat)):
        filters = as_array(filters)
        if len(filters) == 2 and filters[0] in _ASCII_FILTERS:  # reportlab's [/ASCII85Decode /FlateDecode]
            raw = _ascii_decoded(filters[0], raw)
            filters = filters[1:]
        filters = filters[0] if len(filters) == 1 else b"chain"
    if filters in _ASCII_FILTERS:
        raw, filters = _ascii_decoded(filters, raw), None
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


_ASCII_FILTERS = (b"ASCII85Decode", b"ASCIIHexDecode")
_A85_DIGITS = bytes((i - 33) % 256 for i in range(256))
_A85_ALPHABET = bytes(range(33, 118))


def _ascii_decoded(name: bytes, raw: bytes) -> bytes:
    try:
        if name == b"ASCIIHexDecode":
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", raw.split(b">", 1)[0])
            return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        body = raw.translate(None, b"\x00\t\n\x0c\r ").split(b"~>", 1)[0]
        return a85decode(body.removeprefix(b"<~"))
    except ValueError:
        raise Unsure("ASCII filter") from None


def a85decode(text: bytes) -> bytes:
    """ASCII85 at C speed (base64.a85decode loops in Python: 2 ms for a 12 KB page of reportlab's). Each group of
    five digits is a number below 2**40: digit j of every group goes into its own 5-byte slot of one big integer,
    the five integers are summed with their weights 85**(4-j), no slot carries into the next, and the slots' low four
    bytes are the output."""
    text = text.replace(b"z", b"!!!!!")
    if text.translate(None, _A85_ALPHABET):
        raise ValueError("not ASCII85")
    padding = -len(text) % 5
    digits = (text + b"u" * padding).translate(_A85_DIGITS)
    groups = len(digits) // 5
    total = 0
    for j in range(5):
        slots = bytearray(5 * groups)
        slots[4::5] = digits[j::5]
        total += int.from_bytes(slots, "big") * 85 ** (4 - j)
    if total >> (40 * groups):
        raise ValueError("ASCII85 overflow")
    packed = total.to_bytes(5 * groups, "big")
    if packed[0::5].strip(b"\x00"):
        raise ValueError("ASCII85 group above 2**32")
    out = bytearray(4 * groups)
    for j in range(4):
        out[j::4] = packed[j + 1::5]
    return bytes(out[:len(out) - padding])


class Rows:
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
        self.decoded = data if not predicted else (unpredict(data, width) if mixed else None)

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
            self.decoded = unpredict(self.data, self.width)
        return self.decoded


def unpredict(data: bytes, columns: int) -> bytes:
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


def parse_value(buffer: bytes, position: int, complete: bool):
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
                raise Short()
            raise Unsure("token")
        position = token.end()
        if position >= end and not complete:
            raise Short()  # a number or name may go on past the window
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
                raise Short()
            raise Unsure("unclosed string")
        char = buffer[stop.start()]
        position = stop.end() + (1 if char == 0x5C else 0)  # a backslash escapes the next byte
        if char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
    return b"", position
