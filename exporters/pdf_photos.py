"""Photo sheets: a criterion's photos two (or one) to an A4 page, each scaled into its half of the type area and
captioned with its code, title and the six elements of archive practice (事由, 时间, 地点, 人物, 背景, 摄影者).

Photos arrive upright and reduced (exporters/images.py). A sheet starts on a new page and the page after it is
left to the next criterion, so a photo never drifts into another criterion's pages. Each photo is bookmarked one
level below its criterion; its page is what the 佐证材料目录's 起止页 shows.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreakIfNotEmpty

from exporters import model
from exporters.images import PreparedImage
from exporters.pdf_captions import ELLIPSIS, caption_lines
from exporters.pdf_glyphs import glyph_safe
from exporters.pdf_styles import Styles

CAPTION_SIZE, CAPTION_LEADING = 10, 14
CAPTION_HEIGHT = 4 * CAPTION_LEADING + 8  # title line (maybe two) and three lines of elements
GAP = 14  # points between the two photos of a page
POINTS_PER_PIXEL = 72 / 150  # small pictures are not blown up beyond 150 dpi


def photo_sheet(block: model.PhotoSheet, doc, styles: Styles, prepared, size: tuple[float, float],
                failed: dict[str, str]) -> list[Flowable]:
    width, height = size
    slot = (height - GAP * (block.per_page - 1)) / block.per_page - 1
    story: list[Flowable] = [PageBreakIfNotEmpty(nextTemplate="portrait")]
    for photo in block.photos:
        image = prepared.image(photo.path)
        if isinstance(image, PreparedImage):
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

    def picture_box(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the picture inside the slot: scaled to fit, centred above the caption."""
        room_w, room_h = self.width, self.height - CAPTION_HEIGHT
        scale = min(room_w / self.image.width, room_h / self.image.height, POINTS_PER_PIXEL * 2)
        w, h = self.image.width * scale, self.image.height * scale
        return (room_w - w) / 2, CAPTION_HEIGHT + (room_h - h) / 2, w, h

    def draw(self):
        canv = self.canv
        x, y, w, h = self.picture_box()
        try:
            canv.drawImage(self.image.path, x, y, w, h)
        except Exception:  # drawn blank; the dossier goes round once more with the photo listed as a problem
            self.failed.setdefault(self.photo.path, "图片无法绘制，未嵌入")
        self._caption()
        page = canv.getPageNumber()
        canv.bookmarkHorizontal(self.photo.anchor, 0, self.height)
        canv.addOutlineEntry(f"{self.photo.code} {self.photo.title}", self.photo.anchor, level=self.level - 1,
                             closed=True)
        self.doc.anchor_pages[self.photo.anchor] = page
        self.doc.anchor_ends[self.photo.anchor] = page

    def _caption(self) -> None:
        canv, fonts = self.canv, self.styles.fonts
        canv.saveState()
        canv.setFillColor(colors.black)
        top = CAPTION_HEIGHT - CAPTION_SIZE - 2
        title = caption_lines(fonts.hei, CAPTION_SIZE, self.width, self.photo.code, self.photo.title, "")
        canv.setFont(fonts.hei, CAPTION_SIZE)
        canv.drawString(0, top, title[0] if len(title) == 1 else title[0].rstrip() + ELLIPSIS)
        canv.setFont(fonts.song, CAPTION_SIZE)
        half = self.width / 2
        elements = list(self.photo.elements)
        for row in range(3):
            for column in range(2):
                index = row * 2 + column
                if index >= len(elements):
                    continue
                label, value = elements[index]
                text = _fit(fonts.song, f"{label}：{value or '—'}", half - 6)
                canv.drawString(column * half, top - (row + 1) * CAPTION_LEADING, text)
        canv.restoreState()


def _fit(font: str, text: str, width: float) -> str:
    """One line, shortened in the middle when too long."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = glyph_safe(text)
    if stringWidth(text, font, CAPTION_SIZE) <= width:
        return text
    lines = caption_lines(font, CAPTION_SIZE, width, "", text, "")
    return lines[0].strip() + ELLIPSIS if len(lines) > 1 else lines[0]
