"""Whether a JPEG or PNG picture is whole, or cut short: a copy from a phone whose cable came loose, a download from
WeChat or an OA system that stopped, a pre-allocated download left with zeros where its end should be.

A picture cut short is refused by the export (Pillow will not decode it, exporters.images), which was the first the
clerk heard of it, on review day's eve; the scan now says so on the file, when the original can still be copied again.

A whole picture ends with its end marker (JPEG's EOI, PNG's IEND chunk): the last bytes the hasher read settle nearly
every photo (`ends_whole`). Phones put more after it: a motion photo's video (Xiaomi, Huawei, Google), Samsung's
trailer, a second picture (a depth map, by the Multi-Picture Format), a camera's padding. For those, and for a file
cut short, the picture's own structure is followed to its end (`cut_short`): JPEG's segments to its first scan and
an end marker after it, PNG's chunks. Only running out of bytes before the end is called cut short; a structure that
is merely odd is left to the export, which says what it finds.
"""

from __future__ import annotations

CUT_SHORT = "图片文件不完整（文件末尾缺失，可能复制或下载时中断），请重新复制原文件"
TAIL = 64  # bytes of a file's end `ends_whole` looks at
CHECKED = ("jpg", "png")
_PADDING = b"\x00\xff"
_JPEG_END = b"\xff\xd9"
_PNG_END = b"IEND\xaeB`\x82"  # IEND's type and its CRC, the same in every PNG
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn: markers without a length


def ends_whole(kind: str, tail: bytes) -> bool:
    """The file's last bytes are its picture's end marker (after padding): whole, nothing more to read."""
    end = tail.rstrip(_PADDING) if kind == "jpg" else tail.rstrip(b"\x00")
    return end.endswith(_JPEG_END if kind == "jpg" else _PNG_END)


def cut_short(kind: str, data: bytes) -> bool:
    """The file's bytes end before its picture does (read whole, for a file `ends_whole` could not settle)."""
    return (_jpeg_cut_short if kind == "jpg" else _png_cut_short)(data)


def _jpeg_cut_short(data: bytes) -> bool:
    """Its segments are followed to the first scan; after it, entropy-coded data holds no end marker (a 0xFF there
    is followed by a stuffed 0x00 or a restart marker), so an end marker anywhere after it is the picture's end or
    comes after its end, in what follows it. Searched from the file's end, at C speed."""
    size = len(data)
    at = 2  # after SOI
    while True:
        at = data.find(b"\xff", at)  # a marker, past any stray bytes between segments (libjpeg skips them too)
        while 0 <= at < size and data[at] == 0xFF:
            at += 1  # fill bytes before a marker
        if at < 0 or at >= size:
            return True
        marker = data[at]
        at += 1
        if marker == 0xD9:  # EOI before any scan: nothing to show, but not short
            return False
        if marker in _STANDALONE or marker == 0x00:
            continue
        if at + 2 > size:
            return True
        length = int.from_bytes(data[at:at + 2], "big")
        if length < 2:
            return False  # not a JPEG's structure: odd, not short (the export says what it is)
        at += length
        if at > size:
            return True
        if marker == 0xDA:  # SOS: the first scan
            return data.rfind(_JPEG_END, at) < 0  # from the end: a motion photo's video has one near it


def _png_cut_short(data: bytes) -> bool:
    if not data.startswith(_PNG_SIGNATURE):
        return False
    size = len(data)
    at = len(_PNG_SIGNATURE)
    while at + 8 <= size:
        length, chunk = int.from_bytes(data[at:at + 4], "big"), data[at + 4:at + 8]
        at += 12 + length  # length, type, data, CRC
        if chunk == b"IEND":
            return at > size
    return True
