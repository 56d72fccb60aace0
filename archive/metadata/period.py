"""The creation period (创建周期) and the evidence dated outside it.

Material must fall inside the review period. The archive keeps the period in its meta table ("creation_period",
JSON {"from", "to"}); a file whose effective 成文日期 (a photo: its 时间, else its 成文日期) lies before or after it
has the problem "日期不在创建周期内". The problem is computed, never stored: it follows every typed date and every
change of the period at once, and the scan's own problems column stays the scan's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from archive.db import Archive
from archive.exclusions import exclusions
from archive.metadata.fields import PHOTO_TYPES, day_of, parse_date
from common.errors import UserError

META_KEY = "creation_period"
PROBLEM = "日期不在创建周期内"
OFF_WORDS = frozenset({"off", "无", "清除", "none", "-"})
# effective date and time of every file that has one: typed values override read ones, field by field
_DATED = """
    WITH effective AS (
        SELECT file_id, field, value FROM meta_typed WHERE field IN ('date', 'time')
        UNION ALL
        SELECT r.file_id, r.field, r.value FROM meta_read r WHERE r.field IN ('date', 'time') AND NOT EXISTS (
            SELECT 1 FROM meta_typed t WHERE t.file_id = r.file_id AND t.field = r.field))
    SELECT e.file_id, e.field, e.value, COALESCE(f.type, '') FROM effective e JOIN files f ON f.id = e.file_id"""


def load_period(archive: Archive) -> tuple[str, str] | None:
    text = archive.meta(META_KEY)
    if not text:
        return None
    data = json.loads(text)
    return data["from"], data["to"]


def parse_period(start: str, end: str) -> tuple[str, str]:
    """Two dates as the user typed them, checked: YYYY-MM-DD each, the first not after the second."""
    days = []
    for text, what in ((start, "创建周期开始日期"), (end, "创建周期结束日期")):
        day = parse_date(text)
        if day is None:
            raise UserError(f"{what}格式不正确：{text}（应为 YYYY-MM-DD，如 2024-01-01）")
        days.append(day.isoformat())
    if days[0] > days[1]:
        raise UserError(f"创建周期的开始日期 {days[0]} 晚于结束日期 {days[1]}")
    return days[0], days[1]


def save_period(archive: Archive, start: str, end: str) -> tuple[str, str]:
    period = parse_period(start, end)
    archive.set_meta(META_KEY, json.dumps({"from": period[0], "to": period[1]}))
    return period


def clear_period(archive: Archive) -> None:
    with archive.atomic():
        archive.conn.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))


def describe_period(period: tuple[str, str] | None) -> str:
    return f"{period[0]} 至 {period[1]}" if period else "未设置"


def period_problems(archive: Archive, file_ids: Iterable[int] | None = None) -> dict[int, str]:
    """file id -> "日期不在创建周期内（成文日期 2023-05-01，创建周期 2024-01-01 至 2026-06-30）" for every file (of
    `file_ids`, if given) dated outside the period; none when no period is set. A file the clerk keeps out of the
    dossier (archive.exclusions, the way to settle such a file) has none: the warning is about what goes to review."""
    period = load_period(archive)
    if period is None:
        return {}
    sql, params = _DATED, ()
    if file_ids is not None:
        sql, params = sql + " WHERE e.file_id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(file_ids)),)
    dates: dict[int, tuple[str, str, str]] = {}  # file id -> (date, time, type)
    for file_id, key, value, kind in archive.conn.execute(sql, params):
        old = dates.get(file_id, ("", "", kind))
        dates[file_id] = (value, old[1], kind) if key == "date" else (old[0], value, kind)
    problems = {}
    kept_out = exclusions(archive)
    for file_id, (day, time, kind) in dates.items():
        if file_id in kept_out:
            continue
        label, value = ("时间", day_of(time)) if kind in PHOTO_TYPES and day_of(time) else ("成文日期", day_of(day))
        if value and not period[0] <= value <= period[1]:
            problems[file_id] = f"{PROBLEM}（{label} {value}，创建周期 {describe_period(period)}）"
    return problems


def with_period_problem(problem: str | None, period_problem: str | None) -> str | None:
    """A file's problems shown together: the scan's first, then the date's."""
    if problem and period_problem:
        return f"{problem}；{period_problem}"
    return problem or period_problem
