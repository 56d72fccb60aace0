"""The dossier as plain data, independent of any output format.

`build.py` turns an archive into a Dossier; the Word and PDF writers render the same Dossier, each doing what its
format can (the PDF includes attachment pages, Word lists them). Text is plain: a writer escapes it for its format,
and a "\n" inside table cell text is a line break.
"""

from __future__ import annotations

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
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
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
    kind: str  # "pdf" | "office"
    pages: int | None = None  # as last scanned; the writer counts again


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class TocPlaceholder:
    """Where the catalogue (目录) goes; writers fill it from the headings marked toc=True."""


Block = Heading | Paragraph | Fields | Table | Image | Attachment | PageBreak | TocPlaceholder


@dataclass
class Cover:
    title: str
    subtitle: str  # the archive's title: the city or county
    stage: str  # 自查自评 / 省级初评 / 国家验收 ...
    compiler: str  # compiling unit; may be empty
    date: str  # 2024年5月1日
    summary: list[tuple[str, str]] = field(default_factory=list)  # status summary lines (label, value)


@dataclass
class Dossier:
    cover: Cover
    header: str  # running header on every page
    generated: str  # "YYYY-MM-DD HH:MM:SS": also fixes document dates so equal inputs give equal files
    blocks: list[Block] = field(default_factory=list)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.toc]

    def attachments(self) -> list[Attachment]:
        return [b for b in self.blocks if isinstance(b, Attachment)]

    def images(self) -> list[Image]:
        return [b for b in self.blocks if isinstance(b, Image)]

    def max_level(self) -> int:
        return max((h.level for h in self.headings()), default=1)
