"""What a single cell means: points, units, codes, item kinds. Shared by the table reader and the tree."""

from __future__ import annotations

import re

from criteria.codes import LeadingCode, parse_code_cell, parse_leading_code, to_narrow

KINDS = ("否决项", "关键项", "基本项", "鼓励项", "加分项")
_UNIT_SPLIT = re.compile(r"[、，,；;／/\n]+|\s+")
_POINTS_RE = re.compile(r"(\d+(?:\.\d+)?)\s*分?")


def parse_points(text: str) -> float | None:
    """"5", "5分", "５", "2.5" -> a number; "" -> None; anything else raises ValueError."""
    text = to_narrow(text).strip()
    if not text:
        return None
    match = _POINTS_RE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return float(match.group(1))


def split_units(text: str) -> list[str]:
    return [u for u in _UNIT_SPLIT.split(text) if u]


def split_code(text: str) -> tuple[LeadingCode | None, str]:
    """A code written at the start of a cell, and the title without it ("1.2 建立…" -> 1.2, "建立…")."""
    found = parse_leading_code(text)
    if found is None or not found.rest:
        return None, text
    return found, found.rest


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
