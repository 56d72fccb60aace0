"""Revising an archive's catalogue without moving evidence: plan by text (criteria.revision), then apply in one
transaction.

    plan = plan_for_archive(archive, catalogue)      # reads only
    apply_revision(archive, catalogue, plan)        # all or nothing
    revise_catalogue(archive, catalogue)            # both

Everything kept per criterion is keyed by its code: the criteria rows themselves (and their parent column),
links, confirmations, self-evaluation assignments and scores, rectification problems, and the codes each change-log
event names. Applying a plan rewrites those codes in every table, through temporary keys so that swaps (1.2 ↔ 1.3)
and chains (1.3 → 1.2 while 1.2 → 1.1) never collide. A removed item, and an item merged into another, keeps its
row under a retired key ("2.2（已删除）") so that its code is free for whatever item now carries it; a merged
item's links and problems go to the item it joined. The applied code map is recorded (archive.revision_log) for
department packages made against the earlier catalogue.
"""

from __future__ import annotations

import json

from archive.catalogue import CatalogueReport, load_catalogue, write_rows
from archive.db import Archive
from archive.revision_log import record_revision
from common.errors import UserError
from criteria.model import Catalogue
from criteria.revision import (
    MERGED,
    NEW,
    REMOVED,
    RESTORED,
    REWORDED,
    RevisionPlan,
    catalogue_fingerprint,
    plan_revision,
)

RETIRED_MARK = "（已删除{n}）"
TEMP_PREFIX = "~revision~"  # never a code: codes are dotted numbers
CHANGED_PREFIX = "text-changed:"  # on a confirmation's digest: it can no longer match, so the item shows "changed"
CRITERION_KEYS = (("criteria", "code"), ("criteria", "parent"), ("confirmations", "code"), ("assignments", "code"),
                  ("scores", "code"))
EVIDENCE_KEYS = (("links", "code"), ("rectifications", "code"))  # these follow a merged item to the one it joined


def _links_by_code(archive: Archive) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for code, path in archive.conn.execute("SELECT code, path FROM links ORDER BY path"):
        found.setdefault(code, []).append(path)
    return found


def plan_for_archive(archive: Archive, catalogue: Catalogue) -> RevisionPlan:
    """The plan for replacing the archive's catalogue by `catalogue`, with warnings about scores. Writes nothing."""
    catalogue.validate()
    current = load_catalogue(archive).criteria
    live = {c.code for c in current}
    retired = [c for c in load_catalogue(archive, include_retired=True).criteria if c.code not in live]
    plan = plan_revision(current, catalogue.criteria, _links_by_code(archive), retired)
    plan.warnings += _score_warnings(archive, plan, catalogue)
    return plan


def _score_warnings(archive: Archive, plan: RevisionPlan, catalogue: Catalogue) -> list[str]:
    scores = dict(archive.conn.execute("SELECT code, points FROM scores WHERE points IS NOT NULL"))
    points = {c.code: c.points for c in catalogue.criteria}
    warnings = []
    for entry in plan.entries:
        score = scores.get(entry.old_code)
        maximum = points.get(entry.new_code)
        if entry.kind not in (NEW, REMOVED, MERGED) and score is not None and maximum is not None \
                and score > maximum:
            warnings.append(f"{entry.new_code} 的自评得分 {score:g} 分超过新分值 {maximum:g} 分，请重新评分")
    return warnings


def revise_catalogue(archive: Archive, catalogue: Catalogue) -> RevisionResult:
    plan = plan_for_archive(archive, catalogue)
    return apply_revision(archive, catalogue, plan)


class RevisionResult:
    """What was applied: the plan, the full key map (old key -> new key) and the catalogue report."""

    def __init__(self, plan: RevisionPlan, keys: dict[str, str], rows: CatalogueReport):
        self.plan = plan
        self.keys = keys
        self.rows = rows

    def report(self) -> CatalogueReport:
        """In the shape store_catalogue always returned: retired lists each removed item by its old code."""
        report = CatalogueReport(added=[e.new_code for e in self.plan.of_kind(NEW)],
                                 updated=[e.new_code for e in self.plan.entries
                                          if e.new_code and e.kind not in (NEW, MERGED)])
        report.retired = [(e.old_code, e.old_title, len(e.links)) for e in self.plan.of_kind(REMOVED)]
        return report


def apply_revision(archive: Archive, catalogue: Catalogue, plan: RevisionPlan) -> RevisionResult:
    """Apply `plan` (made by plan_for_archive for this catalogue) in one transaction. Refused when the archive's
    catalogue changed since the plan was made."""
    catalogue.validate()
    with archive.atomic():
        conn = archive.conn
        live = load_catalogue(archive).criteria
        if catalogue_fingerprint(live) != plan.old_fingerprint or \
                catalogue_fingerprint(catalogue.criteria) != plan.new_fingerprint:
            raise UserError("评价目录在生成修订计划之后已有变化，未做任何修改，请重新导入")
        keys, evidence = _key_maps(conn, plan, catalogue)
        for table, column in CRITERION_KEYS:
            _rename(conn, table, column, keys)
        for table, column in EVIDENCE_KEYS:
            _rename(conn, table, column, evidence, merging=True)
        _rename_event_codes(conn, evidence)
        _mark_changed(conn, plan)
        rows = write_rows(conn, catalogue)
        if live and plan.old_fingerprint != plan.new_fingerprint:  # a first catalogue has nothing to map from
            live_codes = {e.old_code for e in plan.entries if e.old_code is not None and e.kind != RESTORED}
            record_revision(conn, plan.old_fingerprint, plan.new_fingerprint,
                            {old: new for old, new in evidence.items() if old in live_codes})
    return RevisionResult(plan, keys, rows)


def _key_maps(conn, plan: RevisionPlan, catalogue: Catalogue) -> tuple[dict[str, str], dict[str, str]]:
    """(criterion keys, evidence keys): old key -> new key for every key that changes. Removed and merged items get
    a retired key; so does an item retired earlier whose code a new item now carries."""
    existing = [row[0] for row in conn.execute("SELECT code FROM criteria")]
    new_codes = {c.code for c in catalogue.criteria}
    keys: dict[str, str] = {}
    to_retire: list[str] = []
    for entry in plan.entries:
        if entry.kind in (REMOVED, MERGED):
            to_retire.append(entry.old_code)
        elif entry.old_code is not None:
            keys[entry.old_code] = entry.new_code
    moved = set(keys) | set(to_retire)
    to_retire += [code for code in existing if code in new_codes and code not in moved]
    taken = new_codes | {code for code in existing if code not in moved and code not in to_retire}
    for code in to_retire:
        keys[code] = _retired_key(code, taken)
        taken.add(keys[code])
    evidence = dict(keys)
    evidence.update({e.old_code: e.new_code for e in plan.of_kind(MERGED)})
    return {k: v for k, v in keys.items() if k != v}, {k: v for k, v in evidence.items() if k != v}


def _retired_key(code: str, taken: set[str]) -> str:
    base = code.split("（已删除")[0]
    number = 1
    while (key := base + RETIRED_MARK.format(n="" if number == 1 else number)) in taken:
        number += 1
    return key


def _rename(conn, table: str, column: str, mapping: dict[str, str], merging: bool = False) -> None:
    """Every old key to a temporary one, then each to its new key: no step collides with a key not yet moved.
    With `merging`, two old keys may meet in one new key (links of a merge): a link both had is kept once.
    Without it the keys are one to one, and a collision is an error that undoes the whole revision."""
    temps = {old: f"{TEMP_PREFIX}{n}" for n, old in enumerate(mapping)}
    conn.executemany(f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                     [(temp, old) for old, temp in temps.items()])
    conn.executemany(f"UPDATE {'OR IGNORE ' if merging else ''}{table} SET {column} = ? WHERE {column} = ?",
                     [(mapping[old], temp) for old, temp in temps.items()])
    if merging:
        conn.execute(f"DELETE FROM {table} WHERE substr({column}, 1, ?) = ?", (len(TEMP_PREFIX), TEMP_PREFIX))


def _rename_event_codes(conn, mapping: dict[str, str]) -> None:
    """The change log names the criteria each event touched: they follow the items, so `log --code` still finds an
    item's history under its new code (and never another item's)."""
    if not mapping:
        return
    updates = []
    for event_id, codes in conn.execute("SELECT id, codes FROM events WHERE codes <> '[]'"):
        before = json.loads(codes)
        if any(code in mapping for code in before):
            updates.append((json.dumps(sorted({mapping.get(code, code) for code in before})), event_id))
    conn.executemany("UPDATE events SET codes = ? WHERE id = ?", updates)


def _mark_changed(conn, plan: RevisionPlan) -> None:
    """A reworded item, and an item another was merged into, asks for a new look: its standing confirmation no
    longer matches (status "changed") until someone confirms it again."""
    codes = {e.new_code for e in plan.of_kind(REWORDED, MERGED)}
    conn.executemany(
        "UPDATE confirmations SET digest = ? || digest WHERE code = ? AND withdrawn IS NULL AND digest NOT LIKE ?",
        [(CHANGED_PREFIX, code, CHANGED_PREFIX + "%") for code in codes])
