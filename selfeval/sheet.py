"""The self-evaluation sheet: every criterion with its kind, units, deadline, maximum and self-assessed score.

Scoring items (where a score is entered) are the criteria that carry points while nothing below them does; a
veto item (否决项) without points is a scoring item too, judged 通过/否决 instead of in points. A parent's score is
the sum of the scoring items below it, and its maximum is its own points (or the sum below when it has none).
Bonus items (鼓励项/加分项) add to the total but not to the base the pass rule measures against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.assignments import BONUS, VETO, Assignment, effective_assignments
from archive.catalogue import load_catalogue
from archive.db import Archive
from criteria.model import Catalogue, Criterion


@dataclass
class Score:
    points: float | None  # None: a veto item judged without points
    failed: bool  # a veto item marked as triggered
    note: str
    by: str
    time: str


@dataclass
class SheetItem:
    criterion: Criterion
    assignment: Assignment
    scoring: bool  # a score is entered here (not summed from below)
    maximum: float | None  # own points, or for a parent without points the sum of its scoring items
    score: Score | None = None  # scoring items only
    total: float | None = None  # scoring item: its points; parent: the sum of the scored items below
    scored: int = 0  # scoring items at or below with a score
    scoring_below: int = 0  # scoring items at or below
    children: list[str] = field(default_factory=list)
    maximum_below: float = 0.0  # sum of the maxima of the children (a parent without points shows it)

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def kind(self) -> str:
        return self.assignment.kind

    @property
    def is_bonus(self) -> bool:
        return self.kind == BONUS

    @property
    def is_veto(self) -> bool:
        return self.kind == VETO

    @property
    def veto_failed(self) -> bool:
        """A veto item fails when marked so, or when it has points and scored below them (documented rule)."""
        if not (self.scoring and self.is_veto and self.score is not None):
            return False
        if self.score.failed:
            return True
        return self.maximum is not None and self.score.points is not None and self.score.points < self.maximum

    @property
    def lost(self) -> float:
        """Points deducted (scored items only): the maximum minus the score."""
        if not self.scoring or self.score is None or self.score.points is None or self.maximum is None:
            return 0.0
        return max(0.0, self.maximum - self.score.points)


@dataclass
class Sheet:
    catalogue: Catalogue
    items: list[SheetItem]
    by_code: dict[str, SheetItem]

    def scoring_items(self) -> list[SheetItem]:
        return [item for item in self.items if item.scoring]

    def for_unit(self, unit: str | None) -> list[SheetItem]:
        """The items a unit answers for (lead or assisting), in catalogue order; all items when unit is empty."""
        if not unit:
            return list(self.items)
        return [item for item in self.items if unit in item.assignment.units]


def load_scores(archive: Archive) -> dict[str, Score]:
    rows = archive.conn.execute("SELECT code, points, failed, note, by, time FROM scores")
    return {r[0]: Score(r[1], bool(r[2]), r[3] or "", r[4] or "", r[5]) for r in rows}


def scoring_codes(catalogue: Catalogue, kinds: dict[str, str]) -> set[str]:
    """Criteria carrying points with none below them, and veto leaves without points (see module docstring)."""
    pointed_below: dict[str, bool] = {c.code: False for c in catalogue.criteria}
    has_children = {c.parent for c in catalogue.criteria if c.parent}
    for crit in reversed(catalogue.criteria):  # children after parents: fold upwards
        if crit.parent in pointed_below and (crit.points is not None or pointed_below[crit.code]):
            pointed_below[crit.parent] = True
    result = set()
    for crit in catalogue.criteria:
        if pointed_below[crit.code]:
            continue
        if crit.points is not None or (crit.code not in has_children and kinds.get(crit.code) == VETO):
            result.add(crit.code)
    return result


def load_sheet(archive: Archive, catalogue: Catalogue | None = None) -> Sheet:
    catalogue = catalogue or load_catalogue(archive)
    assignments = effective_assignments(archive, catalogue)
    scoring = scoring_codes(catalogue, {code: a.kind for code, a in assignments.items()})
    scores = load_scores(archive)
    items = [SheetItem(c, assignments[c.code], c.code in scoring, c.points) for c in catalogue.criteria]
    by_code = {item.code: item for item in items}
    for item in items:
        if item.scoring:
            item.scoring_below = 1
            item.score = scores.get(item.code)
            if item.score is not None:
                item.scored = 1
                item.total = item.score.points
    for item in reversed(items):  # children come after parents: every descendant is done before its parent
        if not item.scoring and item.maximum is None and item.maximum_below:
            item.maximum = item.maximum_below
        parent = by_code.get(item.criterion.parent or "")
        if parent is None:
            continue
        parent.children.insert(0, item.code)
        parent.scoring_below += item.scoring_below
        parent.scored += item.scored
        parent.maximum_below += item.maximum or 0.0
        if item.total is not None:
            parent.total = (parent.total or 0.0) + item.total
    return Sheet(catalogue, items, by_code)
