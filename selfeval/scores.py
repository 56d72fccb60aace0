"""Entering the self-assessed score of a scoring item, within its points, with a deduction note.

A score above the item's points or below zero is refused. A veto item (否决项) may be judged 通过 or 否决 instead of
in points; one with points also fails when scored below them (see selfeval.sheet).
"""

from __future__ import annotations

from archive.catalogue import resolve_code
from archive.confirm import default_user
from archive.db import Archive, now
from common.errors import UserError
from common.text import format_points
from criteria.codes import to_narrow
from criteria.importers.values import parse_points
from selfeval.sheet import SheetItem, load_sheet

PASS_WORDS = frozenset({"通过", "达标", "合格", "pass", "未否决"})
FAIL_WORDS = frozenset({"否决", "不通过", "未通过", "不达标", "fail", "failed"})
CLEAR_WORDS = frozenset({"清除", "未评分", "clear", "none"})


def parse_score_text(text: str) -> tuple[str, float | None]:
    """("points", value) | ("pass", None) | ("fail", None) | ("clear", None). Numbers may be negative here:
    the range check gives the better message."""
    word = text.strip().lower()
    if word in PASS_WORDS:
        return "pass", None
    if word in FAIL_WORDS:
        return "fail", None
    if word in CLEAR_WORDS:
        return "clear", None
    narrow = to_narrow(word)
    negative = narrow.startswith(("-", "－"))
    try:
        value = parse_points(narrow.lstrip("-－"))
    except ValueError:
        value = None
    if value is None:
        raise UserError(f"得分不是数字：{text}（如 4 或 4.5；否决项可记“通过”或“否决”）")
    return "points", -value if negative else value


def check_scorable(item: SheetItem) -> None:
    crit = item.criterion
    if item.scoring:
        return
    if item.scoring_below:
        raise UserError(f"{crit.code} 是汇总项目，得分由下级项目合计，请对下级项目记分")
    raise UserError(f"{crit.code} 没有分值，无法记分（可在评价细则表中补上分值后重新导入）")


def check_bounds(item: SheetItem, points: float) -> None:
    maximum = item.maximum
    code = item.code
    if maximum is None:
        raise UserError(f"{code} 是否决项，没有分值：请记“通过”或“否决”")
    if points < 0 or points > maximum:
        raise UserError(f"分值超出范围：{code} 的满分为 {format_points(maximum)} 分，不能记 {format_points(points)} 分")


def set_score(archive: Archive, code: str, score: str | float, note: str | None = None,
              by: str | None = None) -> SheetItem:
    """Record a score (a number, or 通过/否决 for a veto item, or 清除); `note` None keeps the deduction note.
    Returns the item as stored."""
    code = resolve_code(archive, code)
    item = load_sheet(archive).by_code[code]
    check_scorable(item)
    action, points = ("points", float(score)) if isinstance(score, (int, float)) else parse_score_text(score)
    if action == "clear":
        clear_score(archive, code)
        return load_sheet(archive).by_code[code]
    failed = False
    if action in ("pass", "fail"):
        if not item.is_veto:
            raise UserError(f"{code} 不是否决项，请记分值（0 至 {format_points(item.maximum)} 分）")
        failed = action == "fail"
        points = None if item.maximum is None else (item.maximum if action == "pass" else None)
    else:
        check_bounds(item, points)
    if note is None:
        note = item.score.note if item.score else ""
    with archive.atomic():
        archive.conn.execute(
            "INSERT OR REPLACE INTO scores (code, points, failed, note, by, time) VALUES (?, ?, ?, ?, ?, ?)",
            (code, points, int(failed), note.strip(), by if by is not None else default_user(), now()))
    return load_sheet(archive).by_code[code]


def clear_score(archive: Archive, code: str) -> None:
    code = resolve_code(archive, code)
    with archive.atomic():
        archive.conn.execute("DELETE FROM scores WHERE code = ?", (code,))


def describe_score(item: SheetItem) -> str:
    """'4.5 / 5 分', '否决', '通过', '未评分' — how a score reads in lists and reports."""
    score = item.score
    if score is None:
        return "未评分"
    if item.is_veto and item.veto_failed:
        return "否决" if score.points is None else f"{format_points(score.points)}（否决）"
    if score.points is None:
        return "通过"
    return format_points(score.points)
