"""What the user chooses for one export."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.db import now
from common.errors import UserError

DEFAULT_TITLE = "创建国家食品安全示范城市迎检资料汇编"
FORMATS = ("docx", "pdf", "zip")
# 送审版: what the review team gets; 内部版: the office's own copy with states, gaps, confirmations and hashes
EDITIONS = {"review": "送审版", "internal": "内部版"}
PAGE_NUMBER_STYLES = ("total", "dash")  # 第X页共Y页 | — X — (GB/T 9704)
# 档号 (DA/T 22-2015) of each file in the 佐证材料目录: a pattern of fixed text (全宗号, 机构 ...) and these parts
DEFAULT_ARCHIVAL_CODE = "{编号}-{件号}"
ARCHIVAL_PARTS = {"编号": "评价项目编号", "件号": "该项目下材料的顺序号（三位）",
                  "年度": "材料日期的年份（日期不明时为汇编年份）"}
_PART = re.compile(r"\{([^{}]*)\}")


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
    archival_code: str = DEFAULT_ARCHIVAL_CODE  # 档号 pattern, e.g. "J032-{年度}-{编号}-{件号}"

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
        unknown = [part for part in _PART.findall(self.archival_code or "") if part not in ARCHIVAL_PARTS]
        if unknown or not (self.archival_code or "").strip():
            parts = "、".join(f"{{{part}}}" for part in ARCHIVAL_PARTS)
            raise UserError(f"档号格式无法识别：{self.archival_code or '（空）'}（可用 {parts} 和固定文字，"
                            "如 J032-{年度}-{编号}-{件号}）")
        if self.page_numbers not in PAGE_NUMBER_STYLES:
            raise UserError(f"页码样式只能是 total（第X页共Y页）或 dash（— X —）：{self.page_numbers}")


def archival_code(pattern: str, code: str, serial: str, date: str, generated: str) -> str:
    """The 档号 of one file: `serial` its number within the criterion ("003"), `date` its YYYYMMDD or ""."""
    values = {"编号": code, "件号": serial, "年度": (date or generated)[:4]}
    return _PART.sub(lambda match: values.get(match.group(1), match.group(0)), pattern)


def archival_legend(pattern: str) -> str:
    """How the dossier explains its 档号: "档号格式为“{编号}-{件号}”，其中 {编号} 为评价项目编号，..."."""
    used = [part for part in dict.fromkeys(_PART.findall(pattern)) if part in ARCHIVAL_PARTS]
    return f"档号格式为“{pattern}”" + ("，其中" + "，".join(f"{{{part}}}为{ARCHIVAL_PARTS[part]}" for part in used)
                                      if used else "")
