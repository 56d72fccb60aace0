"""Units (townships and departments) and the share of the criteria each owns, as lead (牵头) or assisting (配合).

A criterion belongs to a unit when the unit is among its units; a criterion that names no unit inherits them from
the nearest ancestor that does (tables often name the unit once, on the parent row). A unit's package also carries
the ancestors of its criteria, for context, marked as not its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Archive
from common.errors import UserError
from criteria.model import Catalogue, Criterion

LEAD, ASSIST = "牵头", "配合"


@dataclass
class UnitItem:
    criterion: Criterion
    own: bool  # False: an ancestor, included for context only
    role: str  # 牵头 / 配合 for own items, "" for context
    due: str  # deadline "YYYY-MM-DD" where the archive has one, else ""


def assigned_units(archive: Archive, catalogue: Catalogue) -> dict[str, list[str]]:
    """code -> its units (lead first) as the archive assigns them: the table's, overridden in the app or with
    `unit`, inherited from the parent. Packages use this, so a unit reassigned by the office gets its items."""
    from archive.assignments import effective_assignments  # the self-evaluation owns assignments

    return {code: item.units for code, item in effective_assignments(archive, catalogue).items()}


def effective_units(catalogue: Catalogue) -> dict[str, list[str]]:
    """code -> the table's units, inherited from the nearest ancestor when the row names none (no archive at hand:
    a unit archive's own catalogue, or a catalogue being previewed)."""
    units: dict[str, list[str]] = {}
    for crit in catalogue.criteria:  # parents come first
        own = [u.strip() for u in crit.units if u and u.strip()]
        units[crit.code] = own or (units.get(crit.parent, []) if crit.parent else [])
    return units


def list_units(catalogue: Catalogue, units: dict[str, list[str]] | None = None) -> list[str]:
    """Every unit named in the catalogue (or in `units`, see assigned_units), in order of first appearance."""
    units = units if units is not None else effective_units(catalogue)
    seen: dict[str, None] = {}
    for crit in catalogue.criteria:
        for unit in units.get(crit.code, ()):
            seen.setdefault(unit, None)
    return list(seen)


def check_unit(catalogue: Catalogue, unit: str, units: dict[str, list[str]] | None = None) -> str:
    unit = unit.strip()
    known = list_units(catalogue, units)
    if unit in known:
        return unit
    if not known:
        raise UserError("评价目录中没有填写牵头或配合单位，无法按单位生成任务包"
                        "（请在细则表中加入“牵头单位/配合单位”列后重新导入）")
    raise UserError(f"评价目录中没有单位“{unit}”。已有的单位：{'、'.join(known)}")


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
