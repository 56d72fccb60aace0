"""What a single cell means: points, units, codes, item kinds. Shared by the table reader, the tree and the checks."""

from __future__ import annotations

import re

from criteria.codes import LeadingCode, parse_code_cell, parse_heading_code, parse_leading_code, to_narrow

__all__ = ["KINDS", "LeadingCode", "code_cell", "kind_of", "looks_like_points", "looks_like_units", "named_kind",
           "parse_code_cell", "parse_points", "points_in_text", "split_code", "split_heading", "split_units",
           "stated_total", "strip_points_suffix", "unique"]

KINDS = ("否决项", "关键项", "基本项", "鼓励项", "加分项")
_POINTS_RE = re.compile(r"(\d+(?:\.\d+)?)\s*分?")
_NUMBER = r"\d+(?:\.\d+)?"
# "（2分）", "(4分+5分)", "（满分10分）": a bracket holding only points.
_BRACKET_POINTS = re.compile(rf"[（(]\s*(?:满分|本项|共|计)?\s*({_NUMBER}\s*分?(?:\s*[+＋]\s*{_NUMBER}\s*分?)*)\s*分?"
                             r"\s*[）)]")
_SPOKEN_POINTS = re.compile(rf"(?:满分|本项分值|本项|分值|共计|共)\s*[为:：]?\s*({_NUMBER})\s*分")
_SUM_POINTS = re.compile(rf"({_NUMBER}\s*分(?:\s*[+＋]\s*{_NUMBER}\s*分)+)")
_TRAILING_POINTS = re.compile(rf"\s*[（(]\s*(?:满分|本项|共|计)?\s*{_NUMBER}\s*分?(?:\s*[+＋]\s*{_NUMBER}\s*分?)*\s*分?"
                              r"\s*[）)]\s*$")
_TOTAL_STATED = re.compile(rf"(?:满分|总分|总分值|合计|总计|共计)\s*[为:：]?\s*({_NUMBER})\s*分")
# Unit separators; brackets are skipped over so that "县（市、区）政府" stays one unit.
_UNIT_SEPARATORS = set("、，,；;／/\n \t\u3000")
_OPEN, _CLOSE = "（(【[〔", "）)】]〕"
_UNIT_ENDINGS = re.compile(r"(局|办|委|部|院|厅|所|站|队|中心|政府|乡镇|街道|镇|乡|公司|室|处|科|馆|单位|部门|机关|"
                           r"党委|人大|政协)$")


def parse_points(text: str) -> float | None:
    """"5", "5分", "５", "2.5" -> a number; "" -> None; anything else raises ValueError."""
    text = to_narrow(text).strip()
    if not text:
        return None
    match = _POINTS_RE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return float(match.group(1))


_MOST_POINTS = re.compile(rf"(?:最高|最多|满分|上限|不超过|封顶)\s*[为:：]?\s*({_NUMBER})\s*分")
_LEADING_POINTS = re.compile(rf"^\s*({_NUMBER})\s*分?(?=$|[（(\s，,；;、])")


def worded_points(text: str) -> tuple[float | None, str]:
    """A 分值 cell in words: "一票否决" (a 否决项, no points), "加分项，最高5分", "3（关键项）", "2/项，最高6分": its
    points (the most it can give) and its kind. ValueError when it says neither ("见细则")."""
    narrow = to_narrow(text).strip()
    most = _MOST_POINTS.search(narrow) or _LEADING_POINTS.match(narrow)
    # a kind by its full name ("基本分10分" is no 基本项); a veto also as "一票否决"
    kind = "否决项" if "否决" in narrow else next((k for k in KINDS if k in narrow), "")
    if most is None and not kind:
        raise ValueError(text)
    return (float(most.group(1)) if most else None), kind


def looks_like_points(text: str) -> bool:
    try:
        value = parse_points(text)
    except ValueError:
        return False
    return value is not None and 0 <= value <= 1000


def points_in_text(text: str) -> float | None:
    """Points stated in running text: "（2分）", "满分10分", "（4分+5分）" = 9. Never "扣1分", a deduction."""
    narrow = to_narrow(text or "")
    for pattern in (_BRACKET_POINTS, _SPOKEN_POINTS, _SUM_POINTS):
        match = pattern.search(narrow)
        if match is not None:
            return sum(float(n) for n in re.findall(_NUMBER, match.group(1)))
    return None


def strip_points_suffix(title: str) -> str:
    """"重点工作完成情况（92分）" -> "重点工作完成情况": the points are kept as points, not as part of the name."""
    match = _TRAILING_POINTS.search(to_narrow(title))  # to_narrow maps char for char: positions stay valid
    if match is None or match.start() == 0:
        return title
    return title[:match.start()].rstrip()


def without_stated_points(title: str, points: float) -> str:
    """"地方党委政府重视食品安全工作（5分）" with 5 in the 分值 column: the points are said once, as points. A title
    stating other points than the column keeps them, for the clerk to see."""
    stripped = strip_points_suffix(title)
    return stripped if stripped != title and points_in_text(title[len(stripped):]) == points else title


def stated_total(text: str) -> float | None:
    """A total the document states: "满分1000分", "总分100分", "合计 100 分"."""
    match = _TOTAL_STATED.search(to_narrow(text or ""))
    return float(match.group(1)) if match else None


_LEAD_WORDS, _ASSIST_WORDS = ("牵头", "主责", "负责"), ("配合", "协办", "参与")
_ROLE = "|".join(_LEAD_WORDS + _ASSIST_WORDS)
# "牵头单位：县教育局", "配合：县市场监管局"
_ROLE_PREFIX = re.compile(rf"^({_ROLE})(?:单位|部门)?\s*[:：]\s*")
# "县市场监管局（牵头）", "县卫健委(配合单位)", "县委宣传部牵头"
_ROLE_SUFFIX = re.compile(rf"\s*(?:[（(]\s*({_ROLE})(?:单位|部门)?\s*[）)]|({_ROLE}))$")


def split_units(text: str) -> list[str]:
    """Units named in a cell, split on 、，,；/, blanks and line breaks, never inside brackets; each without the role
    written beside it ("县市场监管局（牵头）", "配合单位：县卫健委", "县委宣传部牵头"), those said to lead first. A
    role left in the name made "县市场监管局（牵头）" a unit of its own: in the unit filter, in task packages."""
    named = [_without_role(unit) for unit in _split(text)]
    return [unit for unit, role in named if role == "lead"] + [unit for unit, role in named if role != "lead"]


def _without_role(unit: str) -> tuple[str, str]:
    """A unit's name and its role ("lead", "assist" or "")."""
    found = _ROLE_PREFIX.match(unit)
    word = found.group(1) if found else ""
    name = unit[found.end():] if found else unit
    suffix = _ROLE_SUFFIX.search(name)
    if suffix and suffix.start() > 0:
        rest = name[:suffix.start()]
        # a bare "牵头" only after a unit's name ("县委宣传部牵头"), never cut out of one
        if suffix.group(1) or _UNIT_ENDINGS.search(rest):
            name, word = rest, word or suffix.group(1) or suffix.group(2)
    role = "lead" if word in _LEAD_WORDS else "assist" if word in _ASSIST_WORDS else ""
    return name.strip(), role


def _split(text: str) -> list[str]:
    units, current, depth = [], [], 0
    for ch in text or "":
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _UNIT_SEPARATORS:
            units.append("".join(current))
            current = []
        else:
            current.append(ch)
    units.append("".join(current))
    return [u.strip() for u in units if u.strip()]


def looks_like_units(text: str) -> bool:
    """A cell naming offices: every part short and ending like a unit (局, 办, 委, 乡镇, 政府 …)."""
    parts = split_units(text)
    return bool(parts) and all(len(p) <= 20 and _UNIT_ENDINGS.search(re.sub(r"[（(][^）)]*[）)]$", "", p))
                               for p in parts)


def split_code(text: str, parse=parse_leading_code) -> tuple[LeadingCode | None, str]:
    """A code written at the start of a cell, and the title without it ("1.2 建立…" -> 1.2, "建立…")."""
    found = parse(text)
    if found is None or not found.rest:
        return None, text
    return found, found.rest


def split_heading(text: str) -> tuple[LeadingCode | None, str]:
    """split_code for a heading line, which may be numbered in words: "第一部分 组织领导" -> 第一部分, "组织领导"."""
    return split_code(text, parse_heading_code)


def kind_of(text: str) -> str:
    """"否决项" / "关键项" ... from a 类别 cell or a heading such as "一、关键项（58分）"; else the text as written."""
    for kind in KINDS:
        if kind[:2] in text:
            return kind
    return text


def code_cell(text: str) -> LeadingCode:
    """The code in a 序号 cell; one in no known style ("A1", "★") is kept as its label and numbered by position."""
    return parse_code_cell(text) or LeadingCode(text, "other", (), "")


def named_kind(title: str) -> str:
    """A heading or group named after an item kind ("一、否决项", "关键项（58分）") passes it to its items."""
    kind = kind_of(title)
    return kind if kind in KINDS and len(title) <= 12 else ""


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
