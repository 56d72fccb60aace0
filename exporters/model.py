"""The dossier as plain data, independent of any output format.

`build.py` turns an archive into a Dossier; the Word and PDF writers render the same Dossier, each doing what its
format can (the PDF includes attachment pages, Word lists them). Text is plain: a writer escapes it for its format,
and a "\n" inside table cell text is a line break.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = top of the outline; criteria are shifted so their outline nests like the criteria tree
    text: str
    anchor: str  # unique key: PDF bookmark / Word bookmark name source
    toc: bool = True  # listed in the catalogue (目录) and the outline


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | note (gaps and warnings, said plainly) | small


@dataclass(frozen=True)
class Fields:
    """Label/value pairs shown as a two-column box (a criterion's standard, points, method, units, ...)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PageRange:
    """A table cell holding the pages where `anchor`'s content lies in this dossier ("12" or "12-15"): known only
    once laid out. The PDF fills it in; Word, which attaches no pages, shows `text`."""

    anchor: str
    text: str = ""


Cell = str | PageRange


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    widths: tuple[float, ...]  # relative widths, one per column
    align: tuple[str, ...] = ()  # "left" | "center" | "right" per column; default left
    font_size: float = 9.0  # points

    def alignment(self, column: int) -> str:
        return self.align[column] if column < len(self.align) else "left"


@dataclass(frozen=True)
class Image:
    path: str  # the evidence file (read only) or a prepared copy in a temp folder
    caption: str
    anchor: str


@dataclass(frozen=True)
class Attachment:
    """An evidence document whose pages the PDF dossier includes (PDF, or Office converted to PDF)."""

    path: str
    title: str  # "1.2-001 题名", used for the bookmark and the per-page caption
    anchor: str
    kind: str  # "pdf" | "office" | "text"
    pages: int | None = None  # as last scanned; the writer counts again
    level: int = 2  # outline level: one below its criterion
    code: str = ""  # "1.2-001": always shown in the caption, however long the title


@dataclass(frozen=True)
class Photo:
    path: str
    anchor: str
    code: str  # "1.2-003"
    title: str
    elements: tuple[tuple[str, str], ...]  # 事由, 时间, 地点, 人物, 背景, 摄影者
    pages: int = 1  # a long picture's pieces take a page each (exporters.picture_slices)
    alone: bool = False  # on pages of its own (those pieces, a phone's screenshot), not sharing a sheet's page


@dataclass(frozen=True)
class PhotoSheet:
    """A criterion's photos, two (or one) to a page, each captioned; the sheet starts and ends on its own pages."""

    photos: tuple[Photo, ...]
    per_page: int = 2
    level: int = 2  # outline level of each photo

@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class TocPlaceholder:
    """Where the catalogue (目录) goes; writers fill it from the headings marked toc=True."""


Block = Heading | Paragraph | Fields | Table | Image | Attachment | PhotoSheet | PageBreak | TocPlaceholder


@dataclass(frozen=True)
class TocLine:
    level: int
    text: str
    anchor: str
    is_file: bool = False  # an attachment or a photo, listed one level below its criterion


@dataclass
class Cover:
    title: str
    subtitle: str  # the archive's title: the city or county
    stage: str  # 自查自评 / 省级初评 / 国家验收 ...
    compiler: str  # compiling unit; may be empty
    date: str  # 2024年5月1日
    summary: list[tuple[str, str]] = field(default_factory=list)  # summary lines (label, value)
    edition: str = "送审版"


def ems(text: str) -> float:
    """The width of a line of text in ems: wide (CJK) characters one em, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def beyond_three(codes) -> float:
    """How many ems the widest of `codes` takes beyond the three a 编号 column holds (at most 3 more): a printed
    code such as "第一部分" or "（十一）" widens the column by that much, taken from 评价项目 beside it."""
    return min(3.0, max(0.0, max((ems(code) for code in codes), default=0) - 3))


def one_line_size(text: str, size: float, width: float, least: float = 0.75) -> float:
    """The font size for a cover title: smaller, down to `least` of `size`, where that keeps it on one line (a
    21-character title at 22 pt over a 156 mm text width otherwise leaves its last character alone on a second
    line); else `size`, and it wraps. Wide (CJK) characters are one em, others about half."""
    width_ems = ems(text)
    if width_ems == 0 or width_ems * size <= width:
        return size
    fitted = math.floor(0.97 * width / width_ems * 2) / 2  # in half points, down, with room for Word's spacing
    return fitted if fitted >= size * least else size


@dataclass
class Dossier:
    cover: Cover
    header: str  # running header on every page but the cover
    generated: str  # "YYYY-MM-DD HH:MM:SS": also fixes document dates so equal inputs give equal files
    blocks: list[Block] = field(default_factory=list)
    page_numbers: str = "total"  # total: 第X页共Y页 | dash: — X —

    def toc_lines(self, files: bool = True) -> list[TocLine]:
        """The catalogue: headings marked toc=True and, with `files`, every attached file and photo."""
        lines = []
        for block in self.blocks:
            if isinstance(block, Heading) and block.toc:
                lines.append(TocLine(block.level, block.text, block.anchor))
            elif files and isinstance(block, Attachment):
                lines.append(TocLine(block.level, block.title, block.anchor, True))
            elif files and isinstance(block, PhotoSheet):
                lines += [TocLine(block.level, f"{p.code} {p.title}", p.anchor, True) for p in block.photos]
        return lines

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.toc]

    def attachments(self) -> list[Attachment]:
        return [b for b in self.blocks if isinstance(b, Attachment)]

    def images(self) -> list[Image]:
        return [b for b in self.blocks if isinstance(b, Image)]

    def photos(self) -> list[Photo]:
        return [p for b in self.blocks if isinstance(b, PhotoSheet) for p in b.photos]

    def max_level(self) -> int:
        return max((h.level for h in self.headings()), default=1)
