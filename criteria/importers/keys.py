"""The code of every imported criterion: the one printed in the table wherever it identifies the row on its own.

A clerk reads "1.1.1" in the table and must find 1.1.1 in the tree, the dossier and the CLI; a table that numbers its
items 1…19 across its parts means item 5 when it prints 5. So:
- a dotted code of two or more numbers ("1.2.1") is kept as printed;
- single numbers that run through the table (1–4 under 一、, 5–9 under 二、) are kept as printed ("5");
- everything else ("（二）", or "1." restarting under every part) is placed under its parent's code ("2.5" style,
  as criteria.numbering does), since the printed label alone names several rows.
What is printed always stays in Criterion.label. Where two rows claim the same code (a duplicate in the table, or
a part heading "一、" whose "1" a run-on item already holds), the later one gets the next free code; a top-level
heading falls back to its Chinese numeral ("一") before a number nobody printed.
"""

from __future__ import annotations

from collections.abc import Sequence

from criteria.codes import CN_NUMERALS, LeadingCode, normalize_label
from criteria.numbering import explicit_code

_RUN_ON_STYLES = ("dotted", "paren", "circled")
_CN = CN_NUMERALS


def global_codes(codes: Sequence[LeadingCode | None], parents: Sequence[int | None]) -> list[str | None]:
    """The code each node asks for on its own, table-wide: dotted codes, and numbers that run on across parents."""
    wanted: list[str | None] = [None] * len(codes)
    by_signature: dict[tuple, list[int]] = {}
    for index, code in enumerate(codes):
        if code is None or not code.numbers:
            continue
        if code.style == "dotted" and len(code.numbers) >= 2:
            wanted[index] = ".".join(str(n) for n in code.numbers)
        elif code.style in _RUN_ON_STYLES and len(code.numbers) == 1:
            by_signature.setdefault(code.signature, []).append(index)
    for members in by_signature.values():
        if _runs_on(members, codes, parents):
            for index in members:
                wanted[index] = str(codes[index].numbers[0])
    return wanted


def _runs_on(members: list[int], codes: Sequence[LeadingCode | None], parents: Sequence[int | None]) -> bool:
    """Numbers of one style that run through the table: each names one row on its own (1…4 under 一、 and 5…9
    under 二、, or 1…4 in a table's only part). Numbers that start again under two or more parts do not; a number
    printed twice by mistake does not change that (the second one is reported as a duplicate)."""
    firsts: dict[int | None, int] = {}
    for index in members:
        firsts.setdefault(parents[index], codes[index].numbers[0])
    lowest = min(firsts.values())
    return sum(first == lowest for first in firsts.values()) == 1


def assign_keys(codes: Sequence[LeadingCode | None], parents: Sequence[int | None]) -> list[str]:
    """A unique code for every node given in catalogue order (parents before children)."""
    wanted = global_codes(codes, parents)
    keys: list[str] = [""] * len(codes)
    taken: set[str] = set()
    for index, key in enumerate(wanted):
        if key is not None and key not in taken:
            keys[index] = key
            taken.add(key)
    kids: dict[int | None, list[int]] = {}
    for index, parent in enumerate(parents):
        kids.setdefault(parent, []).append(index)
    for parent in [None, *range(len(codes))]:
        siblings = kids.get(parent, [])
        if siblings:
            _siblings(siblings, codes, keys[parent] if parent is not None else "", keys, taken)
    return keys


def _siblings(siblings: list[int], codes: Sequence[LeadingCode | None], prefix: str, keys: list[str],
              taken: set[str]) -> None:
    # Labelled nodes claim their numbers first, so an unlabelled node early on cannot push one off its number.
    for index in siblings:
        label = codes[index].label if codes[index] is not None else ""
        wanted = explicit_code(label, prefix) if not keys[index] else None
        if wanted and wanted not in taken:
            keys[index] = wanted
            taken.add(wanted)
    for position, index in enumerate(siblings, start=1):
        if keys[index]:
            continue
        keys[index] = _fallback(codes[index], position, prefix, taken)
        taken.add(keys[index])


def _fallback(code: LeadingCode | None, position: int, prefix: str, taken: set[str]) -> str:
    """A code for a node whose own is taken or missing: at top level the printed Chinese numeral or one made from
    its position ("一"), so that a part heading does not show a number that belongs to an item."""
    if not prefix:
        unnumbered = code is None or not code.numbers
        chinese = code is not None and code.style.startswith("cn")
        candidates = [str(position)] if unnumbered else []
        candidates += [normalize_label(code.label)] if chinese else []
        candidates += [_cn(position)] if unnumbered or chinese else []
        for candidate in candidates:
            if candidate and candidate not in taken:
                return candidate
    number = position
    while _join(prefix, number) in taken:
        number += 1
    return _join(prefix, number)


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    if n < 20:
        return "十" + _CN[n - 11]
    return ""


def _join(prefix: str, number: int) -> str:
    return f"{prefix}.{number}" if prefix else str(number)
