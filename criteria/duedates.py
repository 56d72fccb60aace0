"""The 完成时限 of a task-breakdown table (任务分解表) as a date: the last day the item may be done by.

Offices write it as they speak: "2026年6月30日前", "2026年6月底", "2026.6", "2026年上半年", "2026年第三季度",
"2026年底". A month or a period means its last day. Where a cell gives several dates ("2026年3月底前制定方案，6月底前
完成建设") the item is due by the last of them. A date without a year ("6月底前") is not guessed from the table's
title, and words that are no date ("长期坚持", "持续推进", "每季度") set no deadline: the plan names both.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from criteria.codes import numeral_value, to_narrow

NO_YEAR, NOT_A_DATE = "no_year", "not_a_date"

_YEAR = r"(20\d\d)\s*[年.\-/]?"
_DAY = re.compile(r"(20\d\d)\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*[日号]?")
_EIGHT_DIGITS = re.compile(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?!\d)")
_MONTH = re.compile(r"(20\d\d)\s*[年.\-/]\s*(\d{1,2})\s*月?\s*(上旬|中旬|下旬)?(?![\d.\-/])")
_HALF = re.compile(_YEAR + r"\s*(上半年|下半年)")
_QUARTER = re.compile(_YEAR + r"\s*第?\s*([一二三四1-4])\s*季度")
_YEAR_END = re.compile(r"(20\d\d)\s*年\s*(?:底|末|年底|年末|内|全年)?")
_MONTH_ONLY = re.compile(r"(?<!\d年)(?<!\d)(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_TEN_DAYS = {"上旬": 10, "中旬": 20}
_YEAR_OR_MONTH = re.compile(r"(20\d\d)\s*年|(次年|翌年|第二年|下一年|当年|同年)|(?<![\d年.\-/])\d{1,2}\s*月")
_NEXT_YEAR = ("次年", "翌年", "第二年", "下一年")


@dataclass(frozen=True)
class Due:
    date: str  # YYYY-MM-DD, "" when none
    problem: str = ""  # NO_YEAR, NOT_A_DATE or "" (a date, or an empty cell)


def parse_table_due(text: str) -> Due:
    """The deadline a 完成时限 cell gives."""
    narrow = to_narrow(text or "").strip()
    if not narrow:
        return Due("")
    found = _dates(_years_carried(narrow))
    if found:
        return Due(max(found).isoformat())
    return Due("", NO_YEAR if _MONTH_ONLY.search(narrow) else NOT_A_DATE)


def _years_carried(text: str) -> str:
    """"2026年3月底…，6月底前…" names June 2026: a month after a year takes that year; "2026年12月启动，次年3月底前
    完成" names March 2027 (次年 and its like count from the year before them; without one, no year is guessed)."""
    year = ""

    def carry(match: re.Match) -> str:
        nonlocal year
        if match.group(1):
            year = match.group(1)
            return match.group(0)
        if match.group(2):
            if not year:
                return match.group(0)
            year = str(int(year) + 1) if match.group(2) in _NEXT_YEAR else year
            return f"{year}年"
        return f"{year}年{match.group(0)}" if year else match.group(0)

    return _YEAR_OR_MONTH.sub(carry, text)


def _dates(text: str) -> list[date]:
    """Every date the text names, each period by its last day; the spans read are blanked so a day is not also
    read as its month or year."""
    found: list[date] = []
    for pattern, make in ((_DAY, _day), (_EIGHT_DIGITS, _day), (_QUARTER, _quarter), (_HALF, _half),
                          (_MONTH, _month), (_YEAR_END, _year)):
        for match in pattern.finditer(text):
            value = make(match)
            if value is not None:
                found.append(value)
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return found


def _day(match: re.Match) -> date | None:
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _month(match: re.Match) -> date | None:
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    day = _TEN_DAYS.get(match.group(3) or "", calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _quarter(match: re.Match) -> date:
    quarter = numeral_value(match.group(2))
    return _month_end(int(match.group(1)), 3 * quarter)


def _half(match: re.Match) -> date:
    return _month_end(int(match.group(1)), 6 if match.group(2) == "上半年" else 12)


def _year(match: re.Match) -> date:
    return date(int(match.group(1)), 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
