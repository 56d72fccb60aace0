"""What the user chooses for one export."""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import now

DEFAULT_TITLE = "创建国家食品安全示范城市迎检资料汇编"
FORMATS = ("docx", "pdf", "zip")


@dataclass
class ExportOptions:
    title: str = DEFAULT_TITLE
    stage: str = ""  # 自查自评 / 省级初评 / 国家验收 ...
    compiler: str = ""  # 编制单位
    catalogue_only: bool = False  # leave attachments (PDF pages, images) out
    codes: list[str] | None = None  # only these criteria and their sub-items
    font_path: str | None = None  # a TrueType CJK font chosen by the user (PDF)
    changelog_since: str | None = None  # "YYYY-MM-DD": add the change log since that day to the appendix
    generated: str | None = None  # generation time "YYYY-MM-DD HH:MM:SS"; None = now. Fixed => identical output

    def generated_time(self) -> str:
        if self.generated is None:
            self.generated = now()
        return self.generated
