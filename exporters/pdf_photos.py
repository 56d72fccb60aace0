"""Photo sheets: a criterion's photos two (or one) to an A4 page, each scaled into its half of the type area and
captioned with its code, title and the six elements of archive practice (事由, 时间, 地点, 人物, 背景, 摄影者); a long
screenshot's pieces (exporters.picture_slices) a page each, across the type area, the caption after the last.

Photos arrive upright and reduced (exporters/images.py). A sheet starts on a new page and the page after it is
left to the next criterion, so a photo never drifts into another criterion's pages. Each photo is bookmarked one
level below its criterion; its page is what the 佐证材料目录's 起止页 shows.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreakIfNotEmpty

from exporters import model
from exporters.images import PreparedImage
from exporters.pdf_captions import caption_lines
from exporters.pdf_glyphs import glyph_safe
from exporters.pdf_styles import CAPTION_LEADING as HEADER_LEADING
from exporters.pdf_styles import CAPTION_SIZE as HEADER_SIZE
from exporters.pdf_styles import Styles
from exporters.picture_slices import MOST_POINTS_PER_PIXEL, piece_of

CAPTION_SIZE, CAPTION_LEADING = 10, 14
MAX_CAPTION_ROWS = 10  # a caption never takes more than this much of its slot; the picture keeps the rest
GAP = 14  # points between the two photos of a page
POINTS_PER_PIXEL = 72 / 150  # small pictures are not blown up beyond 150 dpi


def photo_sheet(block: model.PhotoSheet, doc, styles: Styles, prepared, size: tuple[float, float],
                failed: dict[str, str]) -> list[Flowable]:
    """The sheet's flowables: a slot for each photo, a whole page for each piece of a long picture."""
    width, height = size
    slot = (height - GAP * (block.per_page - 1)) / block.per_page - 1
    story: list[Flowable] = [PageBreakIfNotEmpty(nextTemplate="portrait")]
    for photo in block.photos:
        image = prepared.image(photo.path)
        if not isinstance(image, PreparedImage):
            continue
        if image.pieces:
            story += [PiecePage(doc, styles, photo, piece, width, height - 1, block.level, failed,
                                (part, len(image.pieces)), not image.sheet) for part, piece in enumerate(image.pieces)]
        else:
            story.append(PhotoSlot(doc, styles, photo, image, width, slot, block.level, failed))
    story.append(PageBreakIfNotEmpty(nextTemplate="portrait"))
    return story


class PhotoSlot(Flowable):
    def __init__(self, doc, styles: Styles, photo: model.Photo, image: PreparedImage, width: float, height: float,
                 level: int, failed: dict[str, str]):
        super().__init__()
        self.doc, self.styles, self.photo, self.image = doc, styles, photo, image
        self.width, self.height, self.level, self.failed = width, height, level, failed
        self.spaceAfter = GAP

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def caption_rows(self) -> list[tuple[str, str, str]]:
        """(font role, left text, right text) per line: the code and title, then the six elements two to a line;
        an element too long for half the width gets whole lines of its own, wrapped, never cut short."""
        fonts = self.styles.fonts
        title = caption_lines(fonts.hei, CAPTION_SIZE, self.width, self.photo.code, self.photo.title, "")
        rows = [("hei", line, "") for line in title]
        half = self.width / 2 - 6
        waiting = ""  # a short element waiting for a partner on its line
        for label, value in self.photo.elements:
            text = glyph_safe(f"{label}：{value or '—'}")
            if _width(fonts.song, text) <= half:
                if waiting:
                    rows.append(("song", waiting, text))
                    waiting = ""
                else:
                    waiting = text
                continue
            if waiting:
                rows.append(("song", waiting, ""))
                waiting = ""
            rows.extend(("song", line, "") for line in _wrap(fonts.song, text, self.width))
        if waiting:
            rows.append(("song", waiting, ""))
        return rows[:MAX_CAPTION_ROWS]

    def caption_height(self) -> float:
        return len(self.caption_rows()) * CAPTION_LEADING + 8

    def picture_box(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the picture inside the slot: scaled to fit, centred above the caption."""
        below = self.caption_height()
        room_w, room_h = self.width, self.height - below
        scale = min(room_w / self.image.width, room_h / self.image.height, POINTS_PER_PIXEL * 2)
        w, h = self.image.width * scale, self.image.height * scale
        return (room_w - w) / 2, below + (room_h - h) / 2, w, h

    def draw(self):
        x, y, w, h = self.picture_box()
        self._picture(x, y, w, h)
        self._caption()
        self._mark(first=True, last=True)

    def _picture(self, x: float, y: float, w: float, h: float) -> None:
        try:
            # mask: a transparent PNG (an e-seal, a screenshot) shows the page through it, not black
            self.canv.drawImage(self.image.path, x, y, w, h, mask="auto")
        except Exception:  # drawn blank; the dossier goes round once more with the photo listed as a problem
            self.failed.setdefault(self.photo.path, "图片无法绘制，未嵌入")

    def _mark(self, first: bool, last: bool) -> None:
        """The photo's bookmark and outline entry on its first page; its last page for the 起止页."""
        canv = self.canv
        page = canv.getPageNumber()
        if first:
            canv.bookmarkHorizontal(self.photo.anchor, 0, self.height)
            canv.addOutlineEntry(f"{self.photo.code} {self.photo.title}", self.photo.anchor, level=self.level - 1,
                                 closed=True)
            self.doc.anchor_pages[self.photo.anchor] = page
        if last:
            self.doc.anchor_ends[self.photo.anchor] = page

    def _caption(self) -> None:
        canv, fonts = self.canv, self.styles.fonts
        canv.saveState()
        canv.setFillColor(colors.black)
        rows = self.caption_rows()
        top = len(rows) * CAPTION_LEADING + 8 - CAPTION_SIZE - 2
        for number, (role, left, right) in enumerate(rows):
            canv.setFont(getattr(fonts, role), CAPTION_SIZE)
            canv.drawString(0, top - number * CAPTION_LEADING, left)
            if right:
                canv.drawString(self.width / 2, top - number * CAPTION_LEADING, right)
        canv.restoreState()


def _width(font: str, text: str) -> float:
    return stringWidth(text, font, CAPTION_SIZE)


def _wrap(font: str, text: str, width: float) -> list[str]:
    """`text` in as many lines no wider than `width` as it needs."""
    lines, line, used = [], "", 0.0
    for ch in text:
        step = stringWidth(ch, font, CAPTION_SIZE)
        if line and used + step > width:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += step
    return [*lines, line] if line else lines


class PiecePage(PhotoSlot):
    """One piece of a long picture (exporters.picture_slices), or a page of a multi-page TIFF, on a page of its
    own: a line naming the picture and the piece ("图片 1.2-003 微信群通知（第 2/5 页）"), the piece across the type
    area from the top, and after the last piece the caption. The page is whole: a piece after a photo's slot goes
    on to the next page."""

    def __init__(self, doc, styles: Styles, photo: model.Photo, image: PreparedImage, width: float, height: float,
                 level: int, failed: dict[str, str], part: tuple[int, int], captioned: bool = True):
        """`captioned`: the last piece has the photo's caption under it (a scanned sheet has none: the line above
        names it, and 事由, 地点 and 摄影者 say nothing of a notice)."""
        super().__init__(doc, styles, photo, image, width, height, level, failed)
        self.part, self.parts = part
        self.captioned = captioned and self.part == self.parts - 1
        self.spaceAfter = 0

    def header_lines(self) -> list[str]:
        return caption_lines(self.styles.fonts.song, HEADER_SIZE, self.width, f"图片 {self.photo.code}",
                             self.photo.title, piece_of(self.part, self.parts))

    def caption_rows(self) -> list[tuple[str, str, str]]:
        return super().caption_rows() if self.captioned else []

    def caption_height(self) -> float:
        return super().caption_height() if self.captioned else 0

    def picture_box(self) -> tuple[float, float, float, float]:
        top = len(self.header_lines()) * HEADER_LEADING + 6
        below = self.caption_height()
        room_h = self.height - top - below
        scale = min(self.width / self.image.width, room_h / self.image.height, MOST_POINTS_PER_PIXEL)
        w, h = self.image.width * scale, self.image.height * scale
        return (self.width - w) / 2, self.height - top - h, w, h

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFont(self.styles.fonts.song, HEADER_SIZE)
        canv.setFillColor(colors.HexColor("#333333"))
        for number, line in enumerate(self.header_lines()):
            canv.drawString(0, self.height - HEADER_SIZE - number * HEADER_LEADING, line)
        canv.restoreState()
        x, y, w, h = self.picture_box()
        self._picture(x, y, w, h)
        if self.captioned:
            self._caption_under(y)
        self._mark(first=self.part == 0, last=self.part == self.parts - 1)

    def _caption_under(self, picture_bottom: float) -> None:
        """The caption right under the last piece (a photo's slot puts it at the slot's foot)."""
        self.canv.saveState()
        self.canv.translate(0, picture_bottom - self.caption_height())
        self._caption()
        self.canv.restoreState()
