"""The self-evaluation score of the items a dossier holds, for its cover and, in a dossier of some items only, beside
the whole archive's total in its 自评情况: a cover that counts this dossier's items and files printed the whole
archive's score under them ("自评得分 35 分（满分 100 分）" on a dossier of one 4-point item)."""

from __future__ import annotations

from dataclasses import dataclass

from common.text import format_points
from exporters.evidence import EvidenceSet
from selfeval.sheet import SheetItem


@dataclass(frozen=True)
class PartScore:
    earned: float  # the points of the items scored
    base: float  # the points of every scoring item but bonus items
    bonus: float  # the points of the bonus items (鼓励项), on top of the base
    scored: int
    scoring: int

    def text(self) -> str:
        """"35 分（满分 40 分）"; "未评分（满分 40 分）" where no item is scored yet, not a score of 0 that the
        reviewers would read as the city's own."""
        bonus = f"，另有加分 {format_points(self.bonus)} 分" if self.bonus else ""
        full = f"（满分 {format_points(self.base)} 分{bonus}）"
        return f"未评分{full}" if not self.scored else f"{format_points(round(self.earned, 2))} 分{full}"


def part_score(evidence: EvidenceSet) -> PartScore | None:
    """The score of `evidence`'s items; None without a self-evaluation or an item with points among them."""
    data = evidence.selfeval
    if data is None:
        return None
    sheet = data.sheet.by_code
    return score_of([found for item in evidence.items if (found := sheet.get(item.code)) is not None])


def score_of(items: list[SheetItem]) -> PartScore | None:
    """The score of the scoring items with points among `items`; None where there is none (veto items are judged
    通过 or 否决, as the 汇总表 shows each, and add no points)."""
    items = [i for i in items if i.scoring and (i.maximum or 0) > 0]
    if not items:
        return None
    earned = sum(i.score.points for i in items if i.score is not None and i.score.points is not None)
    base = sum(i.maximum or 0.0 for i in items if not i.is_bonus)
    bonus = sum(i.maximum or 0.0 for i in items if i.is_bonus)
    return PartScore(earned, base, bonus, sum(1 for i in items if i.score is not None), len(items))
