"""The few EXIF tags a photo's caption needs, read from its EXIF block (a TIFF structure) by hand.

Pillow's Image.Exif decodes every tag of every directory it is asked for, in Python, logging each: 455 us for the
EXIF of a phone (some 30 tags; 1,500 photos, one process), three times what the rest of a scan spends on a file.
Only the tags asked for are decoded here, as Pillow hands them over (ASCII as bytes, SHORT and LONG as int,
RATIONAL as float, BYTE and UNDEFINED as bytes; several values as a tuple), so archive.metadata.exif reads both
alike. Every offset and count is checked against the block: a damaged block gives the tags that are whole.
"""

from __future__ import annotations

import struct

SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8, 13: 4}  # bytes per value of each TIFF field type (13: IFD)
_FORMATS = {3: "H", 4: "I", 9: "i", 13: "I"}
MAX_ENTRIES = 1000  # a directory claiming more is damaged: the first ones are read
MAX_VALUE = 64 << 10  # no tag asked for is longer (an EXIF segment is at most 64 KB)


class Tags(dict):
    """The first directory's tags, with the EXIF and GPS directories as `get_ifd` gives them: the part of Pillow's
    Image.Exif that archive.metadata.exif uses."""

    def __init__(self, first: dict, directories: dict[int, dict]):
        super().__init__(first)
        self.directories = directories

    def get_ifd(self, tag: int) -> dict:
        return self.directories.get(tag, {})


def read_tags(block: bytes, wanted: set[int], below: dict[int, set[int]]) -> Tags:
    """`wanted` tags of the first directory and, for each pointer tag in `below` (the EXIF or GPS directory), the
    tags wanted there. `block` may start with "Exif\\0\\0" (a JPEG's APP1 segment)."""
    if block.startswith(b"Exif\x00\x00"):
        block = block[6:]
    order = {b"II": "<", b"MM": ">"}.get(block[:2])
    if order is None or len(block) < 8 or struct.unpack_from(order + "H", block, 2)[0] != 42:
        return Tags({}, {})
    first = _directory(block, order, struct.unpack_from(order + "I", block, 4)[0], wanted | set(below))
    directories = {}
    for pointer, tags in below.items():
        offset = first.get(pointer)
        if isinstance(offset, int):
            directories[pointer] = _directory(block, order, offset, tags)
    return Tags(first, directories)


def _directory(block: bytes, order: str, offset: int, wanted: set[int]) -> dict:
    found: dict = {}
    if offset + 2 > len(block):
        return found
    count = struct.unpack_from(order + "H", block, offset)[0]
    for entry in range(offset + 2, offset + 2 + 12 * min(count, MAX_ENTRIES), 12):
        if entry + 12 > len(block):
            break
        tag, kind, number = struct.unpack_from(order + "HHI", block, entry)
        if tag not in wanted or kind not in SIZES:
            continue
        size = SIZES[kind] * number
        start = entry + 8 if size <= 4 else struct.unpack_from(order + "I", block, entry + 8)[0]
        if 0 < size <= MAX_VALUE and start + size <= len(block):
            found[tag] = _value(block[start:start + size], kind, number, order)
    return found


def _value(raw: bytes, kind: int, number: int, order: str):
    if kind in (1, 2, 7):
        return raw
    if kind in (5, 10):
        pairs = struct.unpack(f"{order}{2 * number}{'I' if kind == 5 else 'i'}", raw)
        values = tuple(top / bottom if bottom else float("nan")
                       for top, bottom in zip(pairs[::2], pairs[1::2], strict=True))
    else:
        values = struct.unpack(f"{order}{number}{_FORMATS[kind]}", raw)
    return values[0] if number == 1 else values
