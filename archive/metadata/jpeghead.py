"""A JPEG's EXIF block, found by walking the segments before its image data, and read as far as it ends.

Pillow's JPEG reader is not asked: it parses every segment up to the image data and gives up on a head cut before
it. A phone's EXIF of 60 KB (maker notes, a thumbnail) after its JFIF segment, followed by colour profiles, ran past
the 64 KB the scan handed it, and every value of the photo was lost without a word. Here only the bytes up to the
end of the EXIF segment are read: the first few kilobytes for most pictures, never the image data.
"""

from __future__ import annotations

from typing import BinaryIO

PEEK = 4 << 10  # read first: the segments before the image data of most pictures fit in it
LIMIT = 1 << 20  # the farthest the EXIF segment is looked for (it is at most 64 KB; profiles may come before it)
_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8)))  # markers without a length


class NotJpeg(ValueError):
    """The header is not a JPEG's as written by the book (the caller may let Pillow try the whole file)."""


def exif_block(head: bytes, handle: BinaryIO | None = None) -> bytes | None:
    """The APP1 "Exif" segment's payload (from "Exif\\0\\0"), or None when there is none before the image data.
    `head`: the file's first bytes; `handle`: the file, read on from the end of `head` as far as needed (None: `head`
    is all there is). Raises NotJpeg for a header that is not a JPEG's."""
    buffer = bytearray(head)

    def have(size: int) -> bool:
        if size > len(buffer) and handle is not None and size <= LIMIT:
            buffer.extend(handle.read(size - len(buffer)))
        return size <= len(buffer)

    if not have(2) or buffer[:2] != b"\xff\xd8":
        raise NotJpeg("no start of image")
    at = 2
    while have(at + 4):
        if buffer[at] != 0xFF:
            raise NotJpeg(f"no marker at {at}")
        marker = buffer[at + 1]
        if marker == 0xFF:  # fill bytes
            at += 1
            continue
        if marker in (0xDA, 0xD9):  # the image data (or its end): no EXIF after it
            return None
        if marker in _STANDALONE:
            at += 2
            continue
        length = int.from_bytes(buffer[at + 2:at + 4], "big")
        if length < 2:
            raise NotJpeg(f"segment of length {length} at {at}")
        if marker == 0xE1 and have(at + 10) and buffer[at + 4:at + 10] == b"Exif\x00\x00":
            end = at + 2 + length
            have(end)  # a file cut inside the segment gives what it holds
            return bytes(buffer[at + 4:end])
        at += 2 + length
    return None  # the file ended (or LIMIT was reached) before any image data
