"""Word: a criterion's photos, two (or one) to a page, each with its bookmark and its six-element caption."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from exporters import model
from exporters.docx_styles import TEXT_WIDTH
from exporters.docx_tables import add_grid_table
from exporters.images import PreparedImage

PHOTO_HEIGHT = {1: Mm(175), 2: Mm(78)}  # what leaves room for the captions within the 225 mm type area


def add_photo_sheet(writer, block: model.PhotoSheet) -> None:
    document = writer.document
    shown = 0
    for photo in block.photos:
        prepared = writer.prepared.image(photo.path)
        if not isinstance(prepared, PreparedImage):
            continue  # listed once in 未附入材料说明
        if shown and (shown % block.per_page == 0 or writer.opens_page(shown + 1)):
            writer.break_pending = True
        picture = document.add_paragraph(style="照片说明")
        writer.break_before(picture)
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        height = PHOTO_HEIGHT[block.per_page]
        width = min(TEXT_WIDTH, int(height * prepared.width / prepared.height))
        try:
            picture.add_run().add_picture(prepared.path, width=width)
        except Exception:  # checked before, so rare: python-docx refuses the header after all
            writer.failed[photo.path] = "Word 无法嵌入此图片，未嵌入"
            continue
        title = document.add_paragraph(f"{photo.code} {photo.title}", style="表题")
        writer.bookmark(title, photo.anchor)
        pairs = list(photo.elements)
        rows = [(pairs[i][0], pairs[i][1] or "—", pairs[i + 1][0], pairs[i + 1][1] or "—")
                for i in range(0, len(pairs) - 1, 2)]
        add_grid_table(document, ("", "", "", ""), rows, (0.13, 0.37, 0.13, 0.37), (), 9, labels=True)
        if (shown + 1) % block.per_page:  # room between the two photos of a page; none after the last one
            document.add_paragraph(style="照片说明").paragraph_format.space_after = Pt(6)
        shown += 1
    writer.at_page_start = False
