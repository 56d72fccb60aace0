"""What the user chooses for one export."""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import now
from common.errors import UserError

DEFAULT_TITLE = "创建国家食品安全示范城市迎检资料汇编"
FORMATS = ("docx", "pdf", "zip")
# 送审版: what the review team gets; 内部版: the office's own copy with states, gaps, confirmations and hashes
EDITIONS = {"review": "送审版", "internal": "内部版"}
PAGE_NUMBER_STYLES = ("total", "dash")  # 第X页共Y页 | — X — (GB/T 9704)


@dataclass
class ExportOptions:
    title: str = DEFAULT_TITLE
    stage: str = ""  # 自查自评 / 省级初评 / 国家验收 ...
    compiler: str = ""  # 编制单位
    catalogue_only: bool = False  # leave attachments (PDF pages, images) out
    codes: list[str] | None = None  # only these criteria and their sub-items
    font_path: str | None = None  # a TrueType CJK font chosen by the user (PDF)
    changelog_since: str | None = None  # "YYYY-MM-DD": add the change log since that day (internal edition)
    generated: str | None = None  # generation time "YYYY-MM-DD HH:MM:SS"; None = now. Fixed => identical output
    edition: str = "review"  # review | internal
    scores: bool = True  # 自评得分 and 扣分说明 shown (left out at stages where scores are not submitted)
    photos_per_page: int = 2  # 1 or 2
    page_numbers: str = "total"  # total | dash

    def generated_time(self) -> str:
        if self.generated is None:
            self.generated = now()
        return self.generated

    @property
    def internal(self) -> bool:
        return self.edition == "internal"

    @property
    def edition_name(self) -> str:
        return EDITIONS.get(self.edition, self.edition)

    def check(self) -> None:
        if self.edition not in EDITIONS:
            raise UserError(f"不支持的版本：{self.edition}（可选 review 送审版、internal 内部版）")
        if self.photos_per_page not in (1, 2):
            raise UserError(f"每页照片数只能是 1 或 2：{self.photos_per_page}")
        if self.page_numbers not in PAGE_NUMBER_STYLES:
            raise UserError(f"页码样式只能是 total（第X页共Y页）或 dash（— X —）：{self.page_numbers}")
