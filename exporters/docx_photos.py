"""Word: a criterion's photos, two (or one) to a page, each with its bookmark and its six-element caption; a long
screenshot's pieces a page each, as in the PDF (exporters.pdf_photos).

A page of photos must never run over in Word: the next page begins with a break (exporters/docx_pages.py), so an
overflowing caption would push everything after it a page on. Each picture is therefore made small enough that
it, its title and its caption table fit in its share of the type area, the caption's lines counted generously
(every character a full em, one em to spare on each line).
"""

from __future__ import annotations

import math

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from exporters import model
from exporters.docx_styles import SPACER_STYLE, TEXT_WIDTH
from exporters.docx_tables import add_grid_table
from exporters.images import PreparedImage
from exporters.picture_slices import MOST_POINTS_PER_PIXEL, piece_of

PHOTO_HEIGHT = {1: Mm(175), 2: Mm(78)}  # the largest picture: what leaves room for short captions
TYPE_HEIGHT = 637.8  # points: GB/T 9704's 225 mm
GAP = 14  # points between the two photos of a page, as in the PDF
SPARE = 12  # points of a page left unused: the break paragraph, borders, rounding
CAPTION_WIDTHS = (0.13, 0.37, 0.13, 0.37)
CAPTION_SIZE, TITLE_SIZE = 9, 12
PICTURE_LINE = 8  # points a picture's line adds below the picture (the font's descent and more)
PIECE_LINE, PIECE_LINE_SIZE = 20, 10.5  # the line above a piece of a long picture: "说明" (16 pt lines, 4 after)


def add_photo_sheet(writer, block: model.PhotoSheet) -> None:
    """The photos in the twin's order (pdf_photos.photo_sheet): `part` counts its flowables, a slot per photo and
    a page per piece of a long picture, so a part the twin begins a page with begins one here."""
    part, on_page = 0, 0  # on_page: photos on the page being filled
    for photo in block.photos:
        prepared = writer.prepared.image(photo.path)
        if not isinstance(prepared, PreparedImage):
            continue  # listed once in 未附入材料说明
        if prepared.pieces:
            for number, piece in enumerate(prepared.pieces):
                part += 1
                writer.break_pending = writer.break_pending or bool(on_page or number)
                _add_piece(writer, photo, piece, (number, len(prepared.pieces)), not prepared.sheet)
                on_page = block.per_page  # a piece fills its page
            continue
        part += 1
        if on_page and (on_page % block.per_page == 0 or writer.opens_page(part)):
            writer.break_pending, on_page = True, 0
        if _add_photo(writer, photo, prepared, block.per_page):
            on_page += 1
            if on_page % block.per_page:  # room between the two photos of a page; none after the last one
                writer.document.add_paragraph(style=SPACER_STYLE).paragraph_format.line_spacing = Pt(GAP)
    writer.at_page_start = False


def _add_photo(writer, photo: model.Photo, prepared: PreparedImage, per_page: int) -> bool:
    """A photo in its share of a page, its title (bookmarked) and its caption; False if Word refuses it."""
    rows = caption_rows(photo)
    height = min(PHOTO_HEIGHT[per_page], Pt(_room(per_page) - _caption_height(photo, rows)))
    if not _picture(writer, photo, prepared, min(TEXT_WIDTH, int(height * prepared.width / prepared.height))):
        return False
    _title_and_caption(writer, photo, rows, bookmark=True)
    return True


def _add_piece(writer, photo: model.Photo, piece: PreparedImage, part: tuple[int, int], captioned: bool) -> None:
    """A piece of a long picture (or a page of a multi-page TIFF) on a page of its own, under a line naming it
    ("图片 1.2-003 …（第 2/5 页）"), the first one bookmarked; the title and the caption follow the last piece
    (`captioned`: not a scanned sheet's, which the line names, as the PDF's)."""
    number, count = part
    line = writer.document.add_paragraph(f"图片 {photo.code} {photo.title}{piece_of(number, count)}", style="说明")
    writer.break_before(line)
    if number == 0:
        writer.bookmark(line, photo.anchor)
    last = number == count - 1 and captioned
    rows = caption_rows(photo) if last else []
    room = TYPE_HEIGHT - SPARE - PIECE_LINE * _lines(line.text, PIECE_LINE_SIZE, TEXT_WIDTH.pt) - PICTURE_LINE
    room -= _caption_height(photo, rows) if last else 0
    width = min(TEXT_WIDTH, Pt(piece.width * MOST_POINTS_PER_PIXEL), int(Pt(room) * piece.width / piece.height))
    if _picture(writer, photo, piece, width) and last:
        _title_and_caption(writer, photo, rows, bookmark=False)


def _picture(writer, photo: model.Photo, image: PreparedImage, width: int) -> bool:
    picture = writer.document.add_paragraph(style="照片说明")
    writer.break_before(picture)
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    try:
        picture.add_run().add_picture(image.path, width=width)
    except Exception:  # checked before, so rare: python-docx refuses the header after all
        writer.failed[photo.path] = "Word 无法嵌入此图片，未嵌入"
        return False
    return True


def _title_and_caption(writer, photo: model.Photo, rows, bookmark: bool) -> None:
    title = writer.document.add_paragraph(f"{photo.code} {photo.title}", style="表题")
    if bookmark:
        writer.bookmark(title, photo.anchor)
    add_grid_table(writer.document, ("", "", "", ""), rows, CAPTION_WIDTHS, (), CAPTION_SIZE, labels=True)


def caption_rows(photo: model.Photo) -> list[tuple[str, str, str, str]]:
    pairs = list(photo.elements)
    return [(pairs[i][0], pairs[i][1] or "—", pairs[i + 1][0], pairs[i + 1][1] or "—")
            for i in range(0, len(pairs) - 1, 2)]


def _room(per_page: int) -> float:
    """Points one photo with its title and caption may take."""
    return (TYPE_HEIGHT - SPARE - GAP * (per_page - 1)) / per_page


def _caption_height(photo: model.Photo, rows) -> float:
    """The height of everything of a photo but the picture, counted generously: the title paragraph (6 pt before,
    18 pt lines, 4 pt after), the caption rows (1.3 × 9 pt lines, 2 + 2 pt padding, a border), the picture's line."""
    text_width = TEXT_WIDTH.pt
    title = 6 + 18 * _lines(f"{photo.code} {photo.title}", TITLE_SIZE, text_width) + 4
    widths = [text_width * share / sum(CAPTION_WIDTHS) - 6 for share in CAPTION_WIDTHS]
    caption = sum(max(_lines(text, CAPTION_SIZE, width) for text, width in zip(row, widths, strict=True))
                  * CAPTION_SIZE * 1.3 + 5 for row in rows)
    return title + caption + PICTURE_LINE


def _lines(text: str, size: float, width: float) -> int:
    per_line = max(1, int(width / size) - 1)  # every character a full em, one em to spare
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
