"""A report as plain blocks, rendered to Word or PDF by render_docx / render_pdf.

Reuses the dossier's blocks (Heading, Paragraph, PageBreak) and adds a table whose marked rows are drawn in red
and bold (overdue rectifications, failing items): the text says it too (“逾期”), so a grey print loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exporters.model import Heading, PageBreak, Paragraph, Table

__all__ = ["Heading", "MarkedTable", "PageBreak", "Paragraph", "Report"]


@dataclass(frozen=True)
class MarkedTable(Table):
    marked: frozenset[int] = frozenset()  # indexes into rows


@dataclass
class Report:
    title: str  # 自查自评报告 / 创建工作进度通报 / 任务清单
    subtitle: str  # the city or county, and the unit when filtered
    date: str  # 2025年6月1日
    generated: str  # "YYYY-MM-DD HH:MM:SS": fixes document dates, so equal inputs give equal files
    blocks: list = field(default_factory=list)
    landscape: bool = False

    @property
    def header(self) -> str:
        return " ".join(part for part in (self.subtitle, self.title) if part)
