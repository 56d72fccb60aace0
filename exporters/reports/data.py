"""Everything the reports read, gathered once from one snapshot of the archive, and filtered by unit.

Evidence completeness is judged on the leaf criteria (where evidence is filed); a unit's items are those it leads
or assists (牵头/配合), after the user's assignments. A rectification belongs to the unit named on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.assignments import known_units
from archive.catalogue import load_catalogue
from archive.db import Archive
from archive.deadlines import criterion_overdue
from archive.status import CriterionStatus, compute_status
from common.errors import UserError
from selfeval.rectify import Rectification, list_all
from selfeval.rules import PassRules, Projection, load_rules, project
from selfeval.sheet import Sheet, SheetItem, load_sheet

GAP_STATES = ("missing", "unreachable", "changed")


@dataclass
class ReportData:
    title: str  # the archive's title: the city or county
    catalogue_title: str
    generated: str  # "YYYY-MM-DD HH:MM:SS"
    today: date
    sheet: Sheet
    rules: PassRules
    projection: Projection
    statuses: dict[str, CriterionStatus]
    rectifications: list[Rectification]
    units: list[str]

    def items(self, unit: str | None = None) -> list[SheetItem]:
        return self.sheet.for_unit(unit)

    def leaves(self, unit: str | None = None) -> list[SheetItem]:
        return [item for item in self.items(unit) if not item.children]

    def state(self, code: str) -> str:
        status = self.statuses.get(code)
        return status.state if status else "missing"

    def gaps(self, unit: str | None = None) -> list[SheetItem]:
        """Leaf criteria of the unit without complete evidence: missing, unreachable or changed after sign-off."""
        return [item for item in self.leaves(unit) if self.state(item.code) in GAP_STATES]

    def criterion_overdue(self, item: SheetItem) -> bool:
        return criterion_overdue(self.state(item.code), item.assignment.due, self.today)

    def problems(self, unit: str | None = None) -> list[Rectification]:
        return [r for r in self.rectifications if not unit or r.unit == unit]

    def overdue_problems(self, unit: str | None = None) -> list[Rectification]:
        return [r for r in self.problems(unit) if r.overdue(self.today)]

    def title_of(self, code: str) -> str:
        item = self.sheet.by_code.get(code)
        return item.criterion.title if item else "（已不在评价目录中）"

    def check_unit(self, unit: str | None) -> str | None:
        if not unit:
            return None
        unit = unit.strip()
        if unit not in self.units:
            known = "、".join(self.units) or "（无：评价目录和分工中都没有填写单位）"
            raise UserError(f"没有单位“{unit}”。已有的单位：{known}")
        return unit


def gather(archive: Archive, generated: str, today: date | None = None) -> ReportData:
    with archive.snapshot() as view:  # one consistent picture even while the monitor records changes
        catalogue = load_catalogue(view)
        sheet = load_sheet(view, catalogue)
        rules = load_rules(view)
        return ReportData(
            title=view.title, catalogue_title=catalogue.title, generated=generated, today=today or date.today(),
            sheet=sheet, rules=rules, projection=project(sheet, rules),
            statuses={s.code: s for s in compute_status(view)}, rectifications=list_all(view),
            units=known_units(view, catalogue))
