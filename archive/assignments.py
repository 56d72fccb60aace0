"""Who answers for each criterion and by when: lead unit (牵头), assisting units (配合), deadline and item kind.

The imported table is the default: its units (lead first), its deadline (完成时限) and its kind. The user's explicit
assignment overrides it per criterion. Anything left unset is inherited from the nearest ancestor that has it, the way
tables name a unit or a kind once on the parent row: units from the nearest row that names any, the deadline from the
nearest row that has one, the kind from the nearest row of a known kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from archive.catalogue import load_catalogue, resolve_code
from archive.db import Archive
from archive.deadlines import optional_due
from common.errors import UserError
from criteria.model import Catalogue

VETO, KEY, BASIC, BONUS = "否决项", "关键项", "基本项", "鼓励项"
KINDS = (VETO, KEY, BASIC, BONUS)
KIND_ALIASES = {"加分项": BONUS, "否决": VETO, "关键": KEY, "基本": BASIC, "鼓励": BONUS, "加分": BONUS,
                "veto": VETO, "key": KEY, "basic": BASIC, "bonus": BONUS}
AUTO_WORDS = frozenset({"", "auto", "自动", "默认", "按目录"})


def normalize_kind(text: str | None) -> str:
    """A known kind name, or "" for anything else (a table's free-text 类别 such as "必查项")."""
    text = (text or "").strip()
    if text in KINDS:
        return text
    return KIND_ALIASES.get(text, KIND_ALIASES.get(text.lower(), ""))


def parse_kind(text: str) -> str | None:
    """The user's choice: a kind, or None for "as the catalogue says"."""
    if text.strip().lower() in AUTO_WORDS:
        return None
    kind = normalize_kind(text)
    if not kind:
        raise UserError(f"项目类别不正确：{text}（可选 {'、'.join(KINDS)}，或“自动”表示按评价目录）")
    return kind


def split_unit_list(text: str) -> list[str]:
    parts = text.replace("，", ",").replace("、", ",").replace("；", ",").replace(";", ",").split(",")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


@dataclass
class Assignment:
    code: str
    lead: str  # effective lead unit, "" when nobody is named
    assist: list[str] = field(default_factory=list)
    due: str = ""  # effective deadline YYYY-MM-DD, "" for none
    kind: str = ""  # effective kind, "" when neither the table nor the user says
    own_units: bool = False  # True: the user assigned the units of this very criterion
    own_due: bool = False
    table_due: bool = False  # the deadline is the table's 完成时限 (the clerk set none)
    own_kind: bool = False

    @property
    def due_whose(self) -> str:
        """Whose deadline applies where it is not the clerk's own for this item: "（按细则）" the table's,
        "（继承上级）" a parent's; "" for the clerk's own or none."""
        if self.own_due or not self.due:
            return ""
        return "（按细则）" if self.table_due else "（继承上级）"

    @property
    def units(self) -> list[str]:
        return [self.lead, *self.assist] if self.lead else list(self.assist)

    def role(self, unit: str) -> str:
        """牵头 / 配合 / "" for a unit."""
        if unit and unit == self.lead:
            return "牵头"
        return "配合" if unit in self.assist else ""


def explicit_rows(archive: Archive) -> dict[str, tuple]:
    rows = archive.conn.execute("SELECT code, lead, assist, due, kind FROM assignments")
    return {r[0]: r[1:] for r in rows}


def effective_assignments(archive: Archive, catalogue: Catalogue | None = None) -> dict[str, Assignment]:
    """Every current criterion's assignment, in catalogue order, overrides and inheritance applied."""
    catalogue = catalogue or load_catalogue(archive)
    explicit = explicit_rows(archive)
    result: dict[str, Assignment] = {}
    for crit in catalogue.criteria:  # parents come first
        above = result.get(crit.parent) if crit.parent else None
        lead, assist, due, kind = explicit.get(crit.code, (None, None, None, None))
        item = Assignment(crit.code, "")
        table_units = [u.strip() for u in crit.units if u and u.strip()]
        if lead:
            item.lead, item.assist, item.own_units = lead, json.loads(assist or "[]"), True
        elif table_units:
            item.lead, item.assist = table_units[0], table_units[1:]
        elif above is not None:
            item.lead, item.assist = above.lead, list(above.assist)
        item.own_due = bool(due)
        item.table_due = not due and bool(crit.due)
        item.due = due or crit.due or (above.due if above else "")
        own_kind = normalize_kind(kind) or normalize_kind(crit.kind)
        item.own_kind = bool(normalize_kind(kind))
        item.kind = own_kind or (above.kind if above else "")
        result[crit.code] = item
    return result


def known_units(archive: Archive, catalogue: Catalogue | None = None) -> list[str]:
    """Every unit named by the table or by an assignment or a rectification, in order of first appearance."""
    catalogue = catalogue or load_catalogue(archive)
    seen: dict[str, None] = {}
    for item in effective_assignments(archive, catalogue).values():
        for unit in item.units:
            seen.setdefault(unit, None)
    for (unit,) in archive.conn.execute("SELECT unit FROM rectifications ORDER BY id"):
        if unit:
            seen.setdefault(unit, None)
    return list(seen)


def assign(archive: Archive, code: str, lead: str | None = None, assist: list[str] | None = None,
           due: str | None = None, kind: str | None = None, clear_due: bool = False,
           clear_kind: bool = False) -> Assignment:
    """Set what is given, keep the rest. `assist` None keeps the current assisting units (minus a new lead).
    Dates and kinds are given as typed (validated here). Returns the new effective assignment."""
    code = resolve_code(archive, code)
    current = effective_assignments(archive)[code]
    row = explicit_rows(archive).get(code, (None, None, None, None))
    new_lead, new_assist, new_due, new_kind = row
    if lead is not None or assist is not None:
        lead_name = (lead if lead is not None else current.lead).strip()
        helpers = current.assist if assist is None else [a.strip() for a in assist if a.strip()]
        if not lead_name:
            raise UserError(f"请为 {code} 指定牵头单位")
        new_lead = lead_name
        new_assist = json.dumps([a for a in dict.fromkeys(helpers) if a != lead_name], ensure_ascii=False)
    if clear_due:
        new_due = None
    elif due is not None:
        new_due = optional_due(due, "时限")
    if clear_kind:
        new_kind = None
    elif kind is not None:
        new_kind = parse_kind(kind)
    with archive.atomic():
        archive.conn.execute(
            "INSERT OR REPLACE INTO assignments (code, lead, assist, due, kind) VALUES (?, ?, ?, ?, ?)",
            (code, new_lead, new_assist, new_due, new_kind))
    return effective_assignments(archive)[code]


def reset_units(archive: Archive, code: str) -> Assignment:
    """Forget the user's units for this criterion: the table's (or the inherited) units apply again."""
    code = resolve_code(archive, code)
    with archive.atomic():
        archive.conn.execute("UPDATE assignments SET lead = NULL, assist = NULL WHERE code = ?", (code,))
    return effective_assignments(archive)[code]
