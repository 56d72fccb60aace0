"""Canonical dotted codes for a tree of labelled nodes.

Codes are what links, folders and the CLI refer to, so they must not change when the same table is imported
again: they derive only from the labels as written and from sibling order, never from row numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from criteria.codes import parse_code_cell


def assign_codes(labels: Sequence[str], parents: Sequence[int | None]) -> list[str]:
    """Dotted codes for nodes given in catalogue order; parents[i] is the index of node i's parent (or None).

    A node's code is its parent's code plus its ordinal, the last number of its label ("（二）" -> 2). A dotted
    label that already extends the parent's code ("1.2" under "1") is kept whole. Nodes without a usable label,
    or whose ordinal a sibling took first, get the next free number from their position among their siblings.
    """
    kids: dict[int | None, list[int]] = {None: []}
    for index, parent in enumerate(parents):
        if parent is not None and not 0 <= parent < index:
            raise ValueError(f"node {index} must come after its parent {parent}")
        kids.setdefault(parent, []).append(index)
    codes: list[str] = [""] * len(labels)
    taken: set[str] = set()  # global: a top-level "1.2" and a child "2" of "1" must not collide
    for parent in [None, *range(len(labels))]:
        prefix = codes[parent] if parent is not None else ""
        _assign_siblings(labels, kids.get(parent, []), prefix, codes, taken)
    return codes


def explicit_code(label: str, prefix: str) -> str | None:
    """The code a label asks for under a parent coded `prefix` ("" at top level), or None."""
    found = parse_code_cell(label)
    if found is None or not found.numbers:
        return None
    numbers = [str(n) for n in found.numbers]
    if found.style == "dotted" and len(numbers) >= 2 and (not prefix or ".".join(numbers[:-1]) == prefix):
        return ".".join(numbers)
    return _join(prefix, found.numbers[-1])


def _assign_siblings(labels: Sequence[str], siblings: list[int], prefix: str, codes: list[str],
                     taken: set[str]) -> None:
    # First pass: labelled nodes claim their ordinals, first come first served, so that an unlabelled node
    # early in the list cannot push a labelled one off its number.
    for index in siblings:
        wanted = explicit_code(labels[index], prefix)
        if wanted and wanted not in taken:
            codes[index] = wanted
            taken.add(wanted)
    for position, index in enumerate(siblings, start=1):
        if codes[index]:
            continue
        number = position
        while _join(prefix, number) in taken:
            number += 1
        codes[index] = _join(prefix, number)
        taken.add(codes[index])


def _join(prefix: str, number: int) -> str:
    return f"{prefix}.{number}" if prefix else str(number)
