"""A JPEG's or a PNG's EXIF block, found by walking what comes before the image data, and read as far as it ends.

Pillow is not asked. Its JPEG reader parses every segment up to the image data and gives up on a head cut before
it: a phone's EXIF of 60 KB (maker notes, a thumbnail) after its JFIF segment, followed by colour profiles, ran past
the 64 KB the scan handed it, and every value of the photo was lost without a word. Its PNG reader decodes the whole
picture when asked for EXIF a PNG does not have (30 ms a 1920×1080 screenshot, for nothing). Here only the bytes up
to the end of the EXIF block are read: the first few kilobytes for most pictures, never the image data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

PEEK = 4 << 10  # read first: the segments before the image data of most pictures fit in it
LIMIT = 1 << 20  # the farthest the EXIF segment is looked for (it is at most 64 KB; profiles may come before it)
_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8)))  # markers without a length
_NOT_FRAMES = frozenset((0xC4, 0xC8, 0xCC))  # SOFn's neighbours that are not frame headers (DHT, JPG, DAC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 4096  # a PNG's chunks looked at, at most: its image data comes in chunks of 8-64 KB


class UnknownHeader(ValueError):
    """The header is not a JPEG's (or a PNG's) as written by the book: the caller lets Pillow try the file."""


def exif_block(head: bytes, handle: BinaryIO | None = None) -> bytes | None:
    """The APP1 "Exif" segment's payload (from "Exif\\0\\0"), or None when there is none before the image data.
    `head`: the file's first bytes; `handle`: the file, read on from the end of `head` as far as needed (None: `head`
    is all there is). Raises UnknownHeader for a header that is not a JPEG's."""
    buffer, have = _reader(head, handle, LIMIT)
    for marker, at, length in _segments(buffer, have):
        if marker == 0xE1 and have(at + 10) and buffer[at + 4:at + 10] == b"Exif\x00\x00":
            end = at + 2 + length
            have(end)  # a file cut inside the segment gives what it holds
            return bytes(buffer[at + 4:end])
    return None  # the file ended (or LIMIT was reached) before any image data


def frame_size(head: bytes, handle: BinaryIO | None = None, limit: int = LIMIT) -> tuple[int, int] | None:
    """(width, height) from a JPEG's frame header (SOFn), as stored (its EXIF orientation not applied), looked for
    within `limit` bytes; None when the file (or the limit) ends first. Raises UnknownHeader as exif_block does."""
    buffer, have = _reader(head, handle, limit)
    for marker, at, _ in _segments(buffer, have):
        if 0xC0 <= marker <= 0xCF and marker not in _NOT_FRAMES and have(at + 9):
            return int.from_bytes(buffer[at + 7:at + 9], "big"), int.from_bytes(buffer[at + 5:at + 7], "big")
    return None


def _reader(head: bytes, handle: BinaryIO | None, limit: int):
    """(buffer, have): `have(size)` reads on from `handle` into the buffer until it holds `size` bytes (at most
    `limit`), and says whether it does."""
    buffer = bytearray(head)

    def have(size: int) -> bool:
        if size > len(buffer) and handle is not None and size <= limit:
            buffer.extend(handle.read(size - len(buffer)))
        return size <= len(buffer)

    return buffer, have


def _segments(buffer: bytearray, have) -> Iterator[tuple[int, int, int]]:
    """(marker, offset, length) of each JPEG segment before the image data, read on as needed; raises
    UnknownHeader for a header that is not a JPEG's."""
    if not have(2) or buffer[:2] != b"\xff\xd8":
        raise UnknownHeader("no start of image")
    at = 2
    while have(at + 4):
        if buffer[at] != 0xFF:
            raise UnknownHeader(f"no marker at {at}")
        marker = buffer[at + 1]
        if marker == 0xFF:  # fill bytes
            at += 1
            continue
        if marker in (0xDA, 0xD9):  # the image data (or its end): no EXIF after it
            return
        if marker in _STANDALONE:
            at += 2
            continue
        length = int.from_bytes(buffer[at + 2:at + 4], "big")
        if length < 2:
            raise UnknownHeader(f"segment of length {length} at {at}")
        yield marker, at, length
        at += 2 + length


def png_exif_block(handle: BinaryIO) -> bytes | None:
    """The eXIf chunk's data (the TIFF structure), or None when the PNG has none. eXIf may stand before or after the
    image data (IDAT), which is skipped, never read: `handle` should be unbuffered (a buffered one reads on after
    each skip). Raises UnknownHeader for a file that is not a PNG."""
    if handle.read(8) != PNG_SIGNATURE:
        raise UnknownHeader("no PNG signature")
    for _ in range(MAX_CHUNKS):
        head = handle.read(8)
        if len(head) < 8:
            return None
        length, kind = int.from_bytes(head[:4], "big"), head[4:]
        if kind == b"eXIf":
            return handle.read(min(length, LIMIT))
        if kind == b"IEND":
            return None
        handle.seek(length + 4, 1)  # the chunk's data and its CRC
    return None
