"""Deadlines as the clerk types them, and the one rule for "overdue", with an injectable today for tests.

Overdue (逾期):
- a rectification is overdue while it is still open (未整改) and its deadline has passed (due < today). Once the
  unit reports it fixed (已整改) it is no longer overdue, even if verification is still pending: the lag is then
  the office's, not the unit's; the ledger still shows it as 待验证.
- a criterion is overdue when its deadline has passed and it still has no evidence (缺材料).
A deadline is the last day allowed: an item due today is not overdue yet.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from common.errors import UserError

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
CLEAR_WORDS = frozenset({"", "无", "none", "清除", "-"})


def parse_due(text: str, what: str = "日期") -> str:
    """'2025-6-30', '2025/06/30', '2025年6月30日' -> '2025-06-30'; anything else is a UserError."""
    match = _DATE_RE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        raise UserError(f"{what}格式不正确：{text}（应为 YYYY-MM-DD，如 2025-06-30）") from None


def optional_due(text: str | None, what: str = "日期") -> str | None:
    """A deadline or None when the user means "no deadline" (empty, 无, none)."""
    if text is None or text.strip().lower() in CLEAR_WORDS:
        return None
    return parse_due(text, what)


def today_text(today: date | None = None) -> str:
    return (today or date.today()).isoformat()


def is_past(due: str | None, today: date | None = None) -> bool:
    """True when `due` (YYYY-MM-DD) lies before today: the deadline has passed."""
    return bool(due) and due < today_text(today)


def rectification_overdue(state: str, due: str | None, today: date | None = None) -> bool:
    return state == "open" and is_past(due, today)


def criterion_overdue(evidence_state: str, due: str | None, today: date | None = None) -> bool:
    return evidence_state == "missing" and is_past(due, today)


def days_late(due: str, today: date | None = None) -> int:
    return ((today or date.today()) - datetime.strptime(due, "%Y-%m-%d").date()).days
