"""Turn the Dossier's blocks into reportlab flowables: cover, catalogue, headings, tables, images, placeholders."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, LongTable, PageBreakIfNotEmpty, Spacer, TableStyle
from reportlab.platypus import Image as ImageFlowable
from reportlab.platypus import Paragraph as ParagraphFlowable
from reportlab.platypus import Table as TableFlowable

from exporters import model
from exporters.images import PreparedImage
from exporters.pdf_flowables import TWIN_SLACK, DossierDoc, HeadingPara, PagePlaceholder, RangeCell, TocEntry
from exporters.pdf_photos import photo_sheet
from exporters.pdf_styles import GRID, HEADER_FILL, LABEL_FILL, PORTRAIT, Styles, frame_box, markup
from exporters.pdf_twin import TrackedLongTable, TrackedTable, WholeParagraph, original_part, title_room
from exporters.pdf_wrap import LineBreaker
from exporters.preflight import Prepared, PreparedAttachment

CELL_PADDING = 3
WORD_SLACK = 2  # points: the Word twin's cell lines are this much narrower than Word's (rounding, borders)


class StoryBuilder:
    def __init__(self, doc: DossierDoc, styles: Styles, dossier: model.Dossier, prepared: Prepared,
                 toc_files: bool = True, twin: bool = False):
        self.doc, self.styles, self.dossier = doc, styles, dossier
        self.twin = twin  # the Word twin: paragraphs kept whole, cells wrapped one character narrower
        self.toc_files = toc_files  # the Word twin's 目录 lists headings only, as the Word 目录 does
        self.prepared = prepared
        self.failed: dict[str, str] = {}  # evidence path -> why: images that could not be drawn after all
        self.width = frame_box(PORTRAIT)[2]
        self.height = frame_box(PORTRAIT)[3] - (TWIN_SLACK if twin else 0)
        self.forms: dict[str, str] = {}  # anchor -> name of the form holding its page number
        self.range_forms: dict[str, str] = {}  # file anchor -> name of the form holding its page range
        self.range_rooms: dict[str, float] = {}  # form -> the width its range is drawn in
        self.level = 1  # level of the last heading: attachments nest below it in the outline
        self.index = 0  # number of the block being rendered
        self._breakers: dict[tuple[str, float], LineBreaker] = {}

    def build(self) -> list[Flowable]:
        story = self._cover()
        blocks = self.dossier.blocks
        for index, block in enumerate(blocks):
            self.index = index
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if self.twin and _titles(block, following):
                story.append(self._title_room(block, following))
            for part, flowable in enumerate(self._render(block)):
                if isinstance(flowable, PageBreakIfNotEmpty) and isinstance(story[-1], PageBreakIfNotEmpty):
                    story[-1] = flowable  # reportlab absorbs only one page break on an empty page: keep the last
                    continue
                if not isinstance(flowable, PageBreakIfNotEmpty):
                    flowable.rr_key = (index, part)  # DossierDoc notes which parts open a page
                story.append(flowable)
        return story

    def _render(self, block) -> list[Flowable]:
        if isinstance(block, model.Heading):
            self.level = block.level
            return [HeadingPara(block.text, self.styles.heading(block.level), block.level, block.anchor, self.doc,
                                block.toc, bold=block.level == 3)]
        if isinstance(block, model.Paragraph):
            style = {"note": self.styles.note, "small": self.styles.small,
                     "table-title": self._loose_title if self.twin else self.styles.table_title
                     }.get(block.style, self.styles.body)
            return [(WholeParagraph if self.twin else ParagraphFlowable)(markup(block.text), style)]
        if isinstance(block, model.PhotoSheet):
            return photo_sheet(block, self.doc, self.styles, self.prepared, (self.width, self.height), self.failed)
        if isinstance(block, model.Fields):
            return [self._fields(block), Spacer(1, 6)]
        if isinstance(block, model.Table):
            return [self._table(block), Spacer(1, 8)]
        if isinstance(block, model.Image):
            return self._image(block)
        if isinstance(block, model.Attachment):
            return self._attachment(block)
        if isinstance(block, model.PageBreak):
            return [PageBreakIfNotEmpty(nextTemplate="portrait")]
        if isinstance(block, model.TocPlaceholder):
            return self._toc()
        raise TypeError(f"unknown block {block!r}")

    def _cover(self) -> list[Flowable]:
        cover, styles = self.dossier.cover, self.styles
        story: list[Flowable] = [Spacer(1, 30 * mm)]
        for text, style in ((cover.subtitle, styles.cover_sub), (cover.title, styles.cover_title)):
            if text:
                story.append(ParagraphFlowable(markup(text), _one_line(text, style)))
        if cover.stage:
            story.append(ParagraphFlowable(markup(f"（{cover.stage}）"), styles.cover_line))
        story.append(Spacer(1, 14 * mm))
        rows = [[ParagraphFlowable(markup(label), styles.label), ParagraphFlowable(markup(value), styles.value)]
                for label, value in cover.summary]
        summary = TableFlowable(rows, colWidths=(32 * mm, 70 * mm), hAlign="CENTER")
        summary.setStyle(_grid_style(styles.fonts.song, [("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)]))
        story += [summary, Spacer(1, 22 * mm)]
        if cover.compiler:
            story.append(ParagraphFlowable(markup(f"编制单位：{cover.compiler}"), styles.cover_line))
        story.append(ParagraphFlowable(markup(cover.date), styles.cover_line))
        story.append(ParagraphFlowable(markup(f"（{cover.edition}）"), styles.cover_line))
        return story

    def _toc(self) -> list[Flowable]:
        title = ParagraphStyle("toc-title", parent=self.styles.heading(1), alignment=TA_CENTER, fontSize=18,
                               leading=26, spaceAfter=12)
        story: list[Flowable] = [HeadingPara("目录", title, 1, "sec-toc", self.doc)]
        for line in self.dossier.toc_lines(files=self.toc_files):
            form = self.forms.setdefault(line.anchor, f"rrPage{len(self.forms)}")
            style = self.styles.toc_file if line.is_file else self.styles.toc_entry(line.level)
            if line.is_file:
                style = self._file_toc_style(line.level)
            story.append(TocEntry(line.text, style, line.anchor, form))
        return story

    def _file_toc_style(self, level: int) -> ParagraphStyle:
        key = ("toc-file", level)
        if key not in self._breakers:  # cache shared with the breakers: one dict of per-size helpers
            self._breakers[key] = ParagraphStyle(f"toc-file-{level}", parent=self.styles.toc_file,
                                                 leftIndent=14 * (level - 1))
        return self._breakers[key]

    @property
    def _loose_title(self) -> ParagraphStyle:
        """The twin's table title: kept with the table's first rows by `_title_room`, not with the whole table."""
        if "loose-title" not in self._breakers:
            self._breakers["loose-title"] = ParagraphStyle("table-title-twin", parent=self.styles.table_title,
                                                           keepWithNext=0)
        return self._breakers["loose-title"]

    def _title_room(self, title: model.Paragraph, table: model.Table):
        size, limits = table.font_size, self._limits(table)
        heads, cells = self._breaker(self.styles.fonts.hei, size), self._breaker(self.styles.fonts.song, size)
        rows = [[heads.wrap(text, limit) for text, limit in zip(table.columns, limits, strict=True)]]
        if table.rows:
            rows.append([cells.wrap(text, limit) if isinstance(text, str) and text else ""
                         for text, limit in zip(table.rows[0], limits, strict=False)])
        return title_room(title.text, self._loose_title, self.width, rows, size * 1.3)

    def _limits(self, block: model.Table) -> list[float]:
        """Each column's room for text: its width less the cell padding (and, in the Word twin, WORD_SLACK)."""
        total = sum(block.widths)
        return [self.width * w / total - 2 * CELL_PADDING - (WORD_SLACK if self.twin else 0) for w in block.widths]

    def _fields(self, block: model.Fields) -> TableFlowable:
        widths = (self.width * 0.18, self.width * 0.82)
        labels, values = self._breaker(self.styles.fonts.hei, 10), self._breaker(self.styles.fonts.song, 10)
        rows = []
        slack = WORD_SLACK if self.twin else 0
        for number, (label, value) in enumerate(block.items):
            wrapped = [labels.wrap(label, widths[0] - 2 * CELL_PADDING - slack),
                       values.wrap(value, widths[1] - 2 * CELL_PADDING - slack)]
            split = _split_tall_row(wrapped, self._tall(14))
            self._share_split(number, (label, value), split)
            rows += split
        table = TrackedTable(rows, colWidths=widths)
        table.unseen = self.twin
        table.setStyle(_grid_style(self.styles.fonts.song, [
            ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL), ("FONT", (0, 0), (0, -1), self.styles.fonts.hei, 10, 14),
            ("FONT", (1, 0), (1, -1), self.styles.fonts.song, 10, 14)]))
        return table

    def _table(self, block: model.Table) -> LongTable:
        total = sum(block.widths)
        widths = [self.width * w / total for w in block.widths]
        size = block.font_size
        breaker = self._breaker(self.styles.fonts.song, size)
        limits = self._limits(block)
        header = [ParagraphFlowable(markup(c), self.styles.cell(size, "center", header=True)) for c in block.columns]
        if self.twin:  # broken as Word may break them, as the cells below
            header = [self._breaker(self.styles.fonts.hei, size).wrap(c, limit)
                      for c, limit in zip(block.columns, limits, strict=True)]
        rows = [header]
        most_lines = self._tall(size * 1.3)
        for number, row in enumerate(block.rows):
            cells = [breaker.wrap(text, limits[i]) if isinstance(text, str) and text else text or ""
                     for i, text in enumerate(row)]
            ranges = {i: cell for i, cell in enumerate(cells) if isinstance(cell, model.PageRange)}
            for i, cell in ranges.items():
                form = self.range_forms.setdefault(cell.anchor, f"rrRange{len(self.range_forms)}")
                cells[i] = ""
                self.range_rooms[form] = limits[i]
                ranges[i] = RangeCell(form, limits[i])
            split = _split_tall_row(cells, most_lines)
            self._share_split(number, row, split)
            for i, flowable in ranges.items():
                split[0][i] = flowable
            rows += split
        table = TrackedLongTable(rows, colWidths=widths, repeatRows=1)
        table.unseen = self.twin
        commands = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    ("FONT", (0, 0), (-1, -1), self.styles.fonts.song, size, size * 1.3)]
        commands += [("ALIGN", (i, 1), (i, -1), block.alignment(i).upper()) for i in range(len(widths))]
        table.setStyle(_grid_style(self.styles.fonts.song, commands))
        return table

    def _tall(self, leading: float) -> int:
        """The most lines a table row keeps. The PDF splits a row taller than about half a page: reportlab cannot
        move a row taller than the page. The Word twin keeps whole what fits a page with the header row, as Word
        keeps a row that may not split."""
        return int(self.height * (0.85 if self.twin else 0.45) // leading)

    def _share_split(self, row: int, cells, split: list[list[str]]) -> None:
        """A row the twin splits is split alike in Word: its cells' text, part by part (`DossierDoc.row_parts`)."""
        if self.twin and len(split) > 1:
            self.doc.row_parts[(self.index, row)] = [
                tuple(original_part(cell, parts, n) for cell, parts in zip(cells, zip(*split, strict=True),
                                                                           strict=True))
                for n in range(len(split))]

    def _breaker(self, font: str, size: float) -> LineBreaker:
        key = (font, size)
        if key not in self._breakers:
            self._breakers[key] = LineBreaker(font, size, for_word=self.twin)
        return self._breakers[key]

    def _image(self, block: model.Image) -> list[Flowable]:
        prepared = self.prepared.image(block.path)
        if not isinstance(prepared, PreparedImage):
            return [ParagraphFlowable(markup(f"图片未嵌入：{block.caption}（{prepared}）"), self.styles.note)]
        natural = 72 / 150  # points per pixel at 150 dpi: small pictures are not blown up
        scale = min(self.width / prepared.width, (self.height - 40) / prepared.height, natural)
        image = _SafeImage(prepared.path, width=prepared.width * scale, height=prepared.height * scale)
        image.on_failure = lambda: self.failed.setdefault(block.path, "图片无法绘制，未嵌入")
        return [KeepTogether([image, ParagraphFlowable(markup(block.caption), self.styles.caption)])]

    def _attachment(self, block: model.Attachment) -> list[Flowable]:
        prepared = self.prepared.attachment(block.path)
        if not isinstance(prepared, PreparedAttachment):
            return []  # listed once in 未附入材料说明; never a line in the binder
        story: list[Flowable] = []
        count = len(prepared.pages)
        for index, geometry in enumerate(prepared.pages):
            story.append(PageBreakIfNotEmpty(nextTemplate="landscape" if geometry.landscape else "portrait"))
            title = block.title[len(block.code) + 1:] if block.code else block.title
            story.append(PagePlaceholder(self.doc, prepared.source, index, count, block.code, title, block.level,
                                         block.anchor))
        story.append(PageBreakIfNotEmpty(nextTemplate="portrait"))
        return story


class _SafeImage(ImageFlowable):
    """An image that, should reportlab fail to draw it after all, leaves its frame blank and says so: the
    dossier goes round once more with the file listed as a problem (exporters/dossier_job.py)."""

    on_failure = None

    def draw(self):
        try:
            super().draw()
        except Exception:
            if self.on_failure is not None:
                self.on_failure()


def _split_tall_row(cells: list[str], most_lines: int) -> list[list[str]]:
    """A row taller than about half a page becomes several rows of at most `most_lines` lines each: reportlab
    cannot move a row taller than the page, and its in-row splitting is unreliable."""
    split = [cell.split("\n") for cell in cells]
    tallest = max(len(lines) for lines in split)
    if tallest <= most_lines:
        return [cells]
    most_lines = max(1, int(most_lines))
    return [["\n".join(lines[start:start + most_lines]) for lines in split]
            for start in range(0, tallest, most_lines)]


def _titles(block, following) -> bool:
    """Is `block` the title of the table that follows it?"""
    return (isinstance(block, model.Paragraph) and block.style == "table-title"
            and isinstance(following, model.Table))


def _grid_style(font: str, extra: list) -> TableStyle:
    """Grid and padding; the FONT keeps reportlab from selecting (unembedded) Helvetica for the table."""
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        *extra,
    ])


def _one_line(text: str, style: ParagraphStyle) -> ParagraphStyle:
    """The cover style, smaller where that keeps `text` on one line (model.one_line_size)."""
    size = model.one_line_size(text, style.fontSize, frame_box(PORTRAIT)[2])
    if size == style.fontSize:
        return style
    leading = style.leading * size / style.fontSize
    return ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=leading)
