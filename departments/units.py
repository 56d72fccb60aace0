"""Units (townships and departments) and the share of the criteria each owns, as lead (牵头) or assisting (配合).

A criterion belongs to a unit when the unit is among its units; a criterion that names no unit inherits them from
the nearest ancestor that does (tables often name the unit once, on the parent row). A unit's package also carries
the ancestors of its criteria, for context, marked as not its own. Which units own which criteria: archive/units.py.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from archive.assignments import known_units
from archive.db import Archive
from archive.linkset import LinkSet
from archive.units import effective_units
from common.names import safe_component
from criteria.model import Catalogue, Criterion

LEAD, ASSIST = "牵头", "配合"
UNIT_LIMIT = 60  # characters of a unit's name in a path


def unit_component(unit: str) -> str:
    """A unit's name as one path component: its folder under the evidence root, its task package's and its unit
    archive's names."""
    return safe_component(unit, UNIT_LIMIT)


@dataclass
class UnitItem:
    criterion: Criterion
    own: bool  # False: an ancestor, included for context only
    role: str  # 牵头 / 配合 for own items, "" for context
    due: str  # deadline "YYYY-MM-DD" where the archive has one, else ""


def deadlines(archive: Archive) -> dict[str, str]:
    """Per-criterion deadlines, if this archive keeps them (a later capability adds them); otherwise none.

    Looks for a `deadlines(code, due)` table or a `due` column on criteria, so packages pick deadlines up as soon as
    the archive has them, without a change here.
    """
    conn = archive.conn
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if "deadlines" in tables:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(deadlines)")}
        if {"code", "due"} <= columns:
            return {c: d for c, d in conn.execute("SELECT code, due FROM deadlines") if d}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(criteria)")}
    if "due" in columns:
        return {c: d for c, d in conn.execute("SELECT code, due FROM criteria") if d}
    return {}


def unit_items(catalogue: Catalogue, unit: str, due: dict[str, str] | None = None,
               units: dict[str, list[str]] | None = None) -> list[UnitItem]:
    """The unit's criteria with their ancestors, in catalogue order (`units`: see assigned_units)."""
    due = due or {}
    units = units if units is not None else effective_units(catalogue)
    by_code = catalogue.by_code()
    own = {code for code, names in units.items() if unit in names}
    wanted = set(own)
    for code in own:
        parent = by_code[code].parent
        while parent is not None and parent not in wanted:
            wanted.add(parent)
            parent = by_code[parent].parent
    items = []
    for crit in catalogue.criteria:
        if crit.code in wanted:
            mine = crit.code in own
            role = (LEAD if units[crit.code][0] == unit else ASSIST) if mine else ""
            items.append(UnitItem(crit, mine, role, str(due.get(crit.code, "")) if mine else ""))
    return items


def units_root(archive: Archive) -> str:
    """Where the office keeps its units' folders (证明材料/县市场监管局/2.2 …: the 证明材料 folder), guessed from the
    links: the folder holding a linked path's nearest ancestor named as a unit is, as unit_component names it; the one
    most links agree on, if it is there; "" when no link lies in a unit's folder."""
    names = {unit_component(unit) for unit in known_units(archive)}
    roots: Counter[str] = Counter()
    for link in LinkSet.load(archive.conn).links:
        path = PurePath(link.path)
        folder = next((p for p in (path, *path.parents) if p.name in names), None)
        if folder is not None:
            roots[str(folder.parent)] += 1
    return next((root for root, _ in roots.most_common() if os.path.isdir(root)), "")
