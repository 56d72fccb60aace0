"""The EXIF block of a HEIC/HEIF photo (iPhones save them by default), found without decoding the picture: Pillow
cannot open one at all, and the photo's time, place and orientation are what its caption and the creation period
check need.

A HEIF file is a sequence of ISO boxes (ISO/IEC 14496-12, 23008-12). Its 'meta' box lists the file's items
('iinf': one 'infe' each, with a type) and where each item's bytes lie ('iloc': extents, at a base offset, in the
file or inside the meta box's own 'idat'). The item of type 'Exif' holds a 4-byte offset and then the EXIF block
("Exif\\0\\0" and a TIFF header), which Pillow reads as it reads a JPEG's. ExifRead was tried first: it ignores
iloc's base offset, which libheif (the encoder of most Android phones and converters) uses, and found nothing there.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

EXIF_LIMIT = 1 << 20  # an EXIF block is at most 64 KB in a JPEG; a HEIF one has no such limit, this is generous
BOX_LIMIT = 4 << 20  # bytes of the meta box read at most


def heif_exif(handle: BinaryIO) -> bytes | None:
    """The EXIF block ("Exif\\0\\0" + TIFF) of the HEIF file open as `handle`, or None when it has none."""
    meta = _top_box(handle, b"meta")
    if meta is None:
        return None
    children = dict(_boxes(meta, 4))  # a full box: version and flags first
    exif_id = _exif_item(children.get(b"iinf", b""))
    if exif_id is None or b"iloc" not in children:
        return None
    place = _locations(children[b"iloc"]).get(exif_id)
    if place is None:
        return None
    method, offset, length = place
    if method == 1:  # inside the meta box's idat
        payload = children.get(b"idat", b"")[offset:offset + length]
    elif method == 0:
        handle.seek(offset)
        payload = handle.read(min(length, EXIF_LIMIT))
    else:
        return None
    if len(payload) < 4:
        return None
    start = 4 + int.from_bytes(payload[:4], "big")
    tiff = payload[start:]
    if not tiff.startswith((b"MM\x00*", b"II*\x00")):
        return None
    return b"Exif\x00\x00" + tiff


def _top_box(handle: BinaryIO, wanted: bytes) -> bytes | None:
    """The body of the first top-level box of type `wanted`."""
    handle.seek(0)
    while header := handle.read(8):
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header)
        skip = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            skip = 16
        if kind == wanted:
            if size == 0 or size - skip > BOX_LIMIT:
                return handle.read(BOX_LIMIT) if size == 0 else None
            return handle.read(size - skip)
        if size == 0 or size < skip:
            return None
        handle.seek(size - skip, 1)
    return None


def _boxes(data: bytes, at: int = 0):
    """(type, body) of the boxes laid one after another in `data` from `at`."""
    while at + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        head = 8
        if size == 1 and at + 16 <= len(data):
            size, head = struct.unpack_from(">Q", data, at + 8)[0], 16
        elif size == 0:
            size = len(data) - at
        if size < head:
            return
        yield kind, data[at + head:at + size]
        at += size


def _exif_item(iinf: bytes) -> int | None:
    """The id of the item of type 'Exif' in an 'iinf' body (infe version 2 or 3)."""
    if len(iinf) < 6:
        return None
    version = iinf[0]
    for kind, infe in _boxes(iinf, 6 if version == 0 else 8):
        if kind != b"infe" or len(infe) < 4:
            continue
        if infe[0] == 2 and infe[8:12] == b"Exif":
            return struct.unpack_from(">H", infe, 4)[0]
        if infe[0] == 3 and infe[10:14] == b"Exif":
            return struct.unpack_from(">I", infe, 4)[0]
    return None


def _locations(iloc: bytes) -> dict[int, tuple[int, int, int]]:
    """item id -> (construction method, offset, length) of its first extent, from an 'iloc' body."""
    version = iloc[0]
    sizes = iloc[4] << 8 | iloc[5]
    offset_size, length_size, base_size = sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15
    index_size = sizes & 15 if version in (1, 2) else 0
    if version == 2:
        at, count = 10, struct.unpack_from(">I", iloc, 6)[0]
    else:
        at, count = 8, struct.unpack_from(">H", iloc, 6)[0]

    def number(size: int) -> int:
        nonlocal at
        value = int.from_bytes(iloc[at:at + size], "big") if size else 0
        at += size
        return value

    found = {}
    for _ in range(count):
        item = number(4 if version == 2 else 2)
        method = number(2) & 15 if version in (1, 2) else 0
        number(2)  # data reference index: 0, this file
        base = number(base_size)
        extents = number(2)
        for extent in range(extents):
            number(index_size)
            offset, length = number(offset_size), number(length_size)
            if extent == 0:
                found[item] = (method, base + offset, length)
    return found
