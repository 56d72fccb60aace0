"""How alike two criteria read: character-bigram Dice similarity of their titles and rules, each bigram weighted by
how rare it is in the two catalogues.

Chinese has no spaces to split words on, and a revised table rewords by inserting or dropping a few characters
("成立创建工作领导小组" → "成立领导小组"), so overlapping character pairs are the unit: cheap (a set intersection
per pair, which keeps 300 × 300 items well under a second) and robust to reordering. Every item of a table says
"食品安全" and every rule "查阅…扣2分": a pair shared by most items says little about which item is which, so
each pair weighs log((N + 1) / (df + 1)) + 1 (inverse document frequency over all N texts compared), and
"建立食品安全追溯体系" no longer reads like "建立食品安全信用档案". Punctuation, spaces and the width of characters
never count: "（一）" and "(一)" are the same text.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from criteria.importers.values import strip_points_suffix
from criteria.model import Criterion

TITLE_WEIGHT = 0.65  # the title names the item; the rule mostly repeats boilerplate ("查阅资料，未…扣1分")


def normalize_text(text: str) -> str:
    """Letters and digits only, full-width folded, lower case: what a reader compares."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in folded if ch.isalnum())


def bigrams(text: str) -> frozenset[str]:
    """Overlapping character pairs of a normalized text; a single character stands for itself."""
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


@dataclass(frozen=True)
class Profile:
    """What matching needs of one criterion, computed once."""

    title: str  # normalized
    rule: str  # normalized
    title_grams: frozenset[str]
    rule_grams: frozenset[str]
    parent_title: str  # normalized title of its parent ("" at the top): tells apart equal titles in two groups

    @property
    def text_key(self) -> tuple[str, str]:
        return self.title, self.rule


def profiles(criteria: list[Criterion]) -> list[Profile]:
    # the points a title states are the item's points, not its name: "抽检（15分）" of an older import is "抽检"
    titles = {c.code: normalize_text(strip_points_suffix(c.title)) for c in criteria}
    result = []
    for crit in criteria:
        rule = normalize_text(crit.rule)
        result.append(Profile(titles[crit.code], rule, bigrams(titles[crit.code]), bigrams(rule),
                              titles.get(crit.parent, "") if crit.parent else ""))
    return result


def idf_weights(grams: list[frozenset[str]]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for each in grams:
        for gram in each:
            counts[gram] = counts.get(gram, 0) + 1
    total = len(grams)
    return {gram: math.log((total + 1) / (count + 1)) + 1 for gram, count in counts.items()}


class Scorer:
    """Similarities between profiles, with bigram weights taken from every text being compared."""

    def __init__(self, every: list[Profile]):
        self.title_weights = idf_weights([p.title_grams for p in every])
        self.rule_weights = idf_weights([p.rule_grams for p in every if p.rule_grams])
        self.totals: dict[tuple[bool, frozenset[str]], float] = {}

    def _total(self, grams: frozenset[str], weights: dict[str, float]) -> float:
        key = (weights is self.title_weights, grams)
        total = self.totals.get(key)
        if total is None:
            total = self.totals[key] = sum(weights.get(g, 1.0) for g in grams)
        return total

    def _dice(self, a: frozenset[str], b: frozenset[str], weights: dict[str, float]) -> float:
        if not a or not b:
            return 1.0 if a == b else 0.0
        shared = a & b
        if not shared:
            return 0.0
        common = sum(weights.get(g, 1.0) for g in shared)
        return 2 * common / (self._total(a, weights) + self._total(b, weights))

    def title(self, a: Profile, b: Profile) -> float:
        return self._dice(a.title_grams, b.title_grams, self.title_weights)

    def score(self, a: Profile, b: Profile, title: float | None = None) -> float:
        """1.0 for the same text; else the title's similarity, weighted with the rule's when either has one."""
        if a.text_key == b.text_key:
            return 1.0
        title = self.title(a, b) if title is None else title
        if not a.rule and not b.rule:
            return title
        rule = self._dice(a.rule_grams, b.rule_grams, self.rule_weights)
        return TITLE_WEIGHT * title + (1 - TITLE_WEIGHT) * rule

    def coverage(self, part: Profile, whole: Profile) -> float:
        """The (weighted) share of `part`'s title found in `whole`'s: how much of an item survives in a merged one."""
        if not part.title_grams:
            return 0.0
        shared = sum(self.title_weights.get(g, 1.0) for g in part.title_grams & whole.title_grams)
        return shared / self._total(part.title_grams, self.title_weights)
