"""Which units (townships and departments) a criterion belongs to, as lead (牵头) or assisting (配合): the rule the
department packages, the self-evaluation and the metadata scopes all follow.

A criterion belongs to a unit when the unit is among its units; a criterion that names no unit inherits them from
the nearest ancestor that does (tables often name the unit once, on the parent row). The archive's assignments
(archive/assignments.py) override what the table says.
"""

from __future__ import annotations

from archive.assignments import effective_assignments
from archive.db import Archive
from common.errors import UserError
from criteria.model import Catalogue


def assigned_units(archive: Archive, catalogue: Catalogue) -> dict[str, list[str]]:
    """code -> its units (lead first) as the archive assigns them: the table's, overridden in the app or with
    `unit`, inherited from the parent. Packages use this, so a unit reassigned by the office gets its items."""
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
