"""Long pictures (a WeChat group's notice or an official account's article captured as one long screenshot): cut
into page-high pieces, each shown across the type area's width on a page of its own (as are the pages of a
multi-page TIFF: exporters.images).

Scaled whole into a photo's half page, a 1080×12000 screenshot was a strip 40 points wide that nobody could read,
on paper or on screen. A picture at least LONG_RATIO times as tall as wide is such a picture (a phone's ordinary
screenshot is 2.2 times); it is reduced to at most LONG_WIDTH pixels across (200 dpi over the type area) and cut
into pieces that fill a page's width. Neighbouring pieces overlap by OVERLAP pixels, so a line of text cut by one
page's edge is whole on the other.
"""

from __future__ import annotations

import os

from PIL import Image

from archive.index.tiffpages import NEW_SUBFILE_TYPE, NOT_A_PAGE
from archive.metadata.imagehead import PEEK, PNG_SIGNATURE, UnknownHeader, frame_size

LONG_RATIO = 3.0  # height / width from which a picture is long
TALL_RATIO = 2.0  # from which it is shown on a page of its own (a phone's screenshot), whole below LONG_RATIO
LONG_WIDTH = 1240  # pixels: 200 dpi across the type area (156 mm)
TYPE_WIDTH = 442.2  # points: the type area's width (GB/T 9704: 156 mm), in both dossiers
PIECE_HEIGHT = 560.0  # points of a page a piece may take: the type area's 637.8 less a caption line and the
# photo's title and caption, which follow the last piece
MOST_POINTS_PER_PIXEL = 0.96  # a narrow picture is not blown up beyond this (as a photo's slot: 2 × 72/150)
OVERLAP = 48  # pixels two neighbouring pieces share: a chat line's height in a phone's screenshot
PAPER_RATIOS = (1.25, 1.6)  # long side over short: A4 and B5 1.41, 16开 1.38, letter 1.29
PAPER_WHITE = 200  # grey level from which a pixel is paper (a scanner's white is 235 to 255)
LIGHT_SHARE = 0.6  # of the pixels at a glance: a page of text is most of it paper, a scene is rarely so
PAPER_MEAN = 190  # the mean grey level: a page's ink (5 to 20% of it) keeps it above; a photo's is 100 to 150
GLANCE = 256  # pixels on the longer side the picture is looked at: text lines blur into grey below it


def is_long(width: int, height: int) -> bool:
    return width > 0 and height >= LONG_RATIO * width


def is_tall(width: int, height: int) -> bool:
    """A phone's screenshot (2.2 times as tall as wide): on a page of its own, whole, its text at a readable size;
    in a photo's half page its text was about 5 points high."""
    return width > 0 and TALL_RATIO * width <= height < LONG_RATIO * width


def looks_like_a_page(path: str) -> bool:
    """A sheet of paper scanned or photographed flat (a phone scanner app's JPEG of a notice, a scanner's single-page
    TIFF): paper's proportions, upright or turned, and mostly paper-white. Shown as a photo, two to a page, its text
    was a third of its size and nobody could read it; it gets a page of its own, as a phone's screenshot does. A scene
    is rarely so light; a photo of a document lying on a desk, in its shadows, stays a photo."""
    try:
        with Image.open(path) as im:
            short, long = sorted(im.size)
            if not short or not PAPER_RATIOS[0] <= long / short <= PAPER_RATIOS[1]:
                return False
            if im.format == "JPEG":
                im.draft("L", (GLANCE, GLANCE))  # decoded at an eighth of its size at most: a glance, not a read
            small = im.convert("L")
            small.thumbnail((GLANCE, GLANCE))
            counts = small.histogram()
    except Exception:  # unreadable: the export's preparation says why
        return False
    pixels = sum(counts) or 1
    mean = sum(level * count for level, count in enumerate(counts)) / pixels
    return mean >= PAPER_MEAN and sum(counts[PAPER_WHITE:]) >= LIGHT_SHARE * pixels


def piece_of(part: int, parts: int) -> str:
    """"（第 2/5 页）" after a piece's name; nothing for a picture that is one page whole."""
    return f"（第 {part + 1}/{parts} 页）" if parts > 1 else ""


def points_per_pixel(width: int) -> float:
    """How a piece of a picture `width` pixels wide is drawn: across the type area, or smaller if it is narrow."""
    return min(TYPE_WIDTH / width, MOST_POINTS_PER_PIXEL)


def piece_rows(width: int, height: int) -> list[tuple[int, int]]:
    """(top, bottom) pixel rows of each piece of a long picture of this size, drawn at points_per_pixel."""
    step_rows = max(OVERLAP + 1, int(PIECE_HEIGHT / points_per_pixel(width)))
    rows, top = [], 0
    while True:  # each piece shows at least one row of its own: the loop ends
        bottom = min(height, top + step_rows)
        rows.append((top, bottom))
        if bottom >= height:
            return rows
        top = bottom - OVERLAP


def document_frames(im: Image.Image) -> list[int]:
    """The frames of a TIFF that are its pages: a reduced-resolution copy of a page (the thumbnail some scanners
    and editors add) or a transparency mask is none, and was shown as one (the index counts them alike:
    archive.index.tiffpages). Leaves the picture at its first frame."""
    frames = []
    for frame in range(getattr(im, "n_frames", 1)):
        im.seek(frame)
        if not int(getattr(im, "tag_v2", {}).get(NEW_SUBFILE_TYPE, 0)) & NOT_A_PAGE:
            frames.append(frame)
    im.seek(0)
    return frames or [0]


def reduced(width: int, height: int) -> tuple[int, int]:
    """The size a long picture is cut at: at most LONG_WIDTH pixels across."""
    return (width, height) if width <= LONG_WIDTH else (LONG_WIDTH, round(height * LONG_WIDTH / width))


def pages_of(path: str) -> int:
    """The pages the picture at `path` takes in a dossier, from its header: a long one's pieces, else 1 (also when
    it cannot be read: the export then says why). For the export plan, before anything is decoded."""
    size = header_size(path)
    if size is None:
        try:
            with Image.open(path) as im:  # 0.2 ms a photo: only for what header_size does not know
                size, pages = im.size, len(document_frames(im)) if im.format == "TIFF" else 1
        except Exception:  # unreadable, or not a picture Pillow knows: the export's preparation reports it
            return 1
        if pages > 1:  # a multi-page TIFF: a page each (exporters.images)
            return pages
    return len(piece_rows(*reduced(*size))) if is_long(*size) else 1


_SIZE_HEAD = 136 << 10  # bytes: a phone's EXIF (up to 64 KB) may come before a JPEG's frame header


def header_size(path: str) -> tuple[int, int] | None:
    """(width, height) of a PNG (its IHDR) or a JPEG (its frame header, archive.metadata.imagehead) from the file's
    head; None for any other picture, or one whose head says nothing sure. As stored: a JPEG's EXIF orientation is
    not applied."""
    try:
        with open(path, "rb", buffering=0) as handle:
            head = handle.read(PEEK)
            if head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR":
                return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            return frame_size(head, handle, _SIZE_HEAD)
    except (OSError, UnknownHeader):
        return None


def cut(im: Image.Image, workdir: str, number: int) -> list[tuple[str, int, int]]:
    """The pieces of the upright RGB picture `im`, saved as JPEGs in `workdir`: (path, width, height) each."""
    if im.width > LONG_WIDTH:
        im = im.resize(reduced(im.width, im.height), Image.Resampling.LANCZOS)
    pieces = []
    for part, (top, bottom) in enumerate(piece_rows(im.width, im.height)):
        target = os.path.join(workdir, f"image-{number:05d}-{part + 1:03d}.jpg")
        im.crop((0, top, im.width, bottom)).save(target, "JPEG", quality=90)
        pieces.append((target, im.width, bottom - top))
    return pieces
