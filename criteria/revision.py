"""A revised catalogue against the current one: which old item became which new item, decided by text, not code.

    plan_revision(old, new, links={code: [paths]}, retired=[...]) -> RevisionPlan

Offices receive revised tables where a row was deleted and every row below renumbered, or a row inserted, or two
items merged. Matching by code would hand the 应急演练 folder to whatever item now carries its code. So each old
item is matched to the new item whose text (title and rule) reads most alike, one to one, greedily by score; the
code only breaks ties and lowers the bar a little for an item that kept its code. Outcomes:

    same        same text, same code          keeps everything
    renumbered  same text, new code           keeps links, confirmation, score, units, problems under the new code
    reworded    text changed, still alike     keeps all that too; its confirmation turns to "changed"
    merged      an old item absorbed by a new item that another old item became: its links go there too
    removed     no new item reads like it     retired with its links; nothing of it reaches another item
    new         no old item reads like it     starts empty, even when its code was an old item's code
    restored    a new item reading like an item removed earlier: it gets that item's links back

Pure: no archive, no files. archive.revision applies a plan in one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from criteria.model import Criterion
from criteria.similarity import Profile, Scorer, profiles

SAME, RENUMBERED, REWORDED, MERGED, REMOVED, NEW, RESTORED = (
    "same", "renumbered", "reworded", "merged", "removed", "new", "restored")
KINDS = (SAME, RENUMBERED, REWORDED, MERGED, REMOVED, NEW, RESTORED)

# Measured on real-style wording: a reworded title (words inserted or dropped, another verb) scores 0.5-0.9; two
# items of one table sharing a frame ("开展校园…专项整治" / "开展农村…专项整治") up to about 0.7 in a small table,
# 0.5-0.6 in a 300-item one. Moving evidence onto the wrong item is worse than leaving it with a retired one.
MIN_TITLE = 0.35  # below this the titles name different things, whatever the rules say
MATCH = 0.6  # a different code needs this much similarity
MATCH_SAME_CODE = 0.45  # the code is a hint: an item that kept its code may be reworded a little more
RESTORE = 0.8  # an item removed earlier comes back only when it reads nearly the same
MERGE_COVERAGE = 0.75  # share of an unmatched item's title found in a sibling's new item: merged into it

FIELD_NAMES = {"points": "分值", "method": "测评方式", "units": "责任单位", "kind": "类型", "evidence": "佐证材料要求"}


def catalogue_fingerprint(criteria: list[Criterion]) -> str:
    """A hash of every code with its text, in order: which catalogue a department's package was made against."""
    digest = hashlib.sha256()
    for crit in criteria:
        digest.update(f"{crit.code}\x1f{crit.title}\x1f{crit.rule}\x1e".encode())
    return digest.hexdigest()


@dataclass
class RevisionEntry:
    kind: str
    old_code: str | None = None
    old_title: str = ""
    new_code: str | None = None
    new_title: str = ""
    similarity: float = 0.0
    links: list[str] = field(default_factory=list)  # the old item's linked paths
    changes: list[str] = field(default_factory=list)  # other fields that changed: 分值, 测评方式, ...
    reused_from: str = ""  # a new item whose code an unrelated old item had: that item's title

    @property
    def moves_links(self) -> bool:
        """Its links end up under another code (renumbered, merged, restored), not where they are now."""
        return bool(self.links) and self.new_code is not None and self.new_code != self.old_code

    def to_json(self) -> dict:
        return {"kind": self.kind, "old_code": self.old_code, "old_title": self.old_title,
                "new_code": self.new_code, "new_title": self.new_title, "similarity": round(self.similarity, 3),
                "links": self.links, "moves_links": self.moves_links, "changes": self.changes,
                "reused_from": self.reused_from}


@dataclass
class RevisionPlan:
    entries: list[RevisionEntry]  # old items in old order (with their outcome), then new and restored items
    old_fingerprint: str
    new_fingerprint: str
    warnings: list[str] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[RevisionEntry]:
        return [e for e in self.entries if e.kind in kinds]

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of_kind(kind)) for kind in KINDS}

    def links_moved(self) -> int:
        return sum(len(e.links) for e in self.entries if e.moves_links)

    @property
    def changes_anything(self) -> bool:
        return self.old_fingerprint != self.new_fingerprint or any(e.changes for e in self.entries)

    def code_map(self) -> dict[str, str | None]:
        """Old live code -> the new code its evidence goes to (merged: the item it joined); removed: None."""
        return {e.old_code: e.new_code for e in self.entries
                if e.old_code is not None and e.kind != RESTORED}


@dataclass
class _Side:
    criteria: list[Criterion]
    profiles: list[Profile]

    @classmethod
    def of(cls, criteria: list[Criterion]) -> _Side:
        return cls(criteria, profiles(criteria))


def _tie_break(old: _Side, i: int, new: _Side, j: int) -> tuple:
    """Among equally similar pairs: same parent text first, then same code, then nearest position."""
    position = abs(i / max(1, len(old.criteria)) - j / max(1, len(new.criteria)))
    return (old.profiles[i].parent_title == new.profiles[j].parent_title,
            old.criteria[i].code == new.criteria[j].code, -position)


def _exact_pairs(old: _Side, new: _Side) -> list[tuple]:
    by_text: dict[tuple, list[int]] = {}
    for j, prof in enumerate(new.profiles):
        by_text.setdefault(prof.text_key, []).append(j)
    return [(1.0, _tie_break(old, i, new, j), i, j)
            for i, prof in enumerate(old.profiles) for j in by_text.get(prof.text_key, ())]


def _similar_pairs(old: _Side, new: _Side, olds: list[int], news: list[int], scorer: Scorer,
                   same_code_bar: float, bar: float) -> list[tuple]:
    pairs = []
    for i in olds:
        a = old.profiles[i]
        code = old.criteria[i].code
        for j in news:
            b = new.profiles[j]
            title = scorer.title(a, b)
            if title < MIN_TITLE:
                continue
            score = scorer.score(a, b, title)
            if score >= (same_code_bar if new.criteria[j].code == code else bar):
                pairs.append((score, _tie_break(old, i, new, j), i, j))
    return pairs


def _greedy(pairs: list[tuple], taken_old: dict[int, tuple[int, float]], taken_new: set[int]) -> None:
    # rounded: equal texts must tie exactly, whatever order their bigram weights were summed in
    for score, _, i, j in sorted(pairs, key=lambda p: (round(p[0], 9), p[1]), reverse=True):
        if i not in taken_old and j not in taken_new:
            taken_old[i] = (j, score)
            taken_new.add(j)


def match(old: _Side, new: _Side, scorer: Scorer, same_code_bar: float = MATCH_SAME_CODE,
          bar: float = MATCH) -> dict[int, tuple]:
    """old index -> (new index, similarity), one to one: identical texts first, then the most alike."""
    taken: dict[int, tuple[int, float]] = {}
    taken_new: set[int] = set()
    _greedy(_exact_pairs(old, new), taken, taken_new)
    olds = [i for i in range(len(old.criteria)) if i not in taken]
    news = [j for j in range(len(new.criteria)) if j not in taken_new]
    _greedy(_similar_pairs(old, new, olds, news, scorer, same_code_bar, bar), taken, taken_new)
    return taken


def _merges(old: _Side, new: _Side, matched: dict[int, tuple], scorer: Scorer) -> dict[int, int]:
    """Unmatched old item -> the new item it was merged into: a new item that a sibling of it became, and whose
    title holds most of its title ("农药残留快检" + "兽药残留快检" → "农药兽药残留快检")."""
    became = {i: j for i, (j, _) in matched.items()}
    merged = {}
    for i, crit in enumerate(old.criteria):
        if i in became or len(old.profiles[i].title_grams) < 2:
            continue
        siblings = [k for k in became if k != i and old.criteria[k].parent == crit.parent]
        scored = [(scorer.coverage(old.profiles[i], new.profiles[became[k]]), became[k])
                  for k in siblings]
        best = max(scored, default=None)
        if best is not None and best[0] >= MERGE_COVERAGE:
            merged[i] = best[1]
    return merged


def _changes(before: Criterion, after: Criterion) -> list[str]:
    return [name for key, name in FIELD_NAMES.items() if getattr(before, key) != getattr(after, key)]


def _matched_entry(before: Criterion, after: Criterion, score: float, links: list[str]) -> RevisionEntry:
    same_text = score >= 1.0
    kind = REWORDED if not same_text else (SAME if before.code == after.code else RENUMBERED)
    changes = _changes(before, after)
    if same_text and before.title != after.title:  # the same words: the points its title stated ("抽检（15分）")
        changes.insert(0, "题名中的分值")
    return RevisionEntry(kind, before.code, before.title, after.code, after.title, score, links, changes)


def plan_revision(old: list[Criterion], new: list[Criterion], links: dict[str, list[str]] | None = None,
                  retired: list[Criterion] | None = None) -> RevisionPlan:
    """The plan for replacing `old` (the live catalogue) by `new`. `links`: each old code's linked paths;
    `retired`: items removed by earlier revisions, which a new item reading nearly the same brings back."""
    links = links or {}
    old_side, new_side, retired_side = _Side.of(old), _Side.of(new), _Side.of(retired or [])
    scorer = Scorer(old_side.profiles + new_side.profiles + retired_side.profiles)
    matched = match(old_side, new_side, scorer)
    merged = _merges(old_side, new_side, matched, scorer)
    entries = []
    for i, crit in enumerate(old):
        own = list(links.get(crit.code, []))
        if i in matched:
            j, score = matched[i]
            entries.append(_matched_entry(crit, new[j], score, own))
        elif i in merged:
            target = new[merged[i]]
            entries.append(RevisionEntry(MERGED, crit.code, crit.title, target.code, target.title,
                                         scorer.score(old_side.profiles[i], new_side.profiles[merged[i]]), own))
        else:
            entries.append(RevisionEntry(REMOVED, crit.code, crit.title, links=own))
    entries.extend(_new_entries(old, new_side, {j for j, _ in matched.values()}, retired_side, scorer, links))
    return RevisionPlan(entries, catalogue_fingerprint(old), catalogue_fingerprint(new))


def _new_entries(old: list[Criterion], new_side: _Side, taken: set[int], retired: _Side, scorer: Scorer,
                 links: dict[str, list[str]]) -> list[RevisionEntry]:
    """Entries for the new items no live old item became: restored from a retired item, or new."""
    free = [j for j in range(len(new_side.criteria)) if j not in taken]
    free_side = _Side([new_side.criteria[j] for j in free], [new_side.profiles[j] for j in free])
    restored = match(retired, free_side, scorer, RESTORE, RESTORE) if retired.criteria else {}
    back = {j: (retired.criteria[i], score) for i, (j, score) in restored.items()}
    old_titles = {c.code: c.title for c in old}
    entries = []
    for position, crit in enumerate(free_side.criteria):
        if position in back:
            before, score = back[position]
            entries.append(RevisionEntry(RESTORED, before.code, before.title, crit.code, crit.title, score,
                                         list(links.get(before.code, [])), _changes(before, crit)))
        else:
            entries.append(RevisionEntry(NEW, new_code=crit.code, new_title=crit.title,
                                         reused_from=old_titles.get(crit.code, "")))
    order = {c.code: n for n, c in enumerate(new_side.criteria)}
    return sorted(entries, key=lambda e: order[e.new_code])
