"""Where each criterion stands: missing, collected, confirmed, changed or unreachable, with rolled-up counts.

A confirmation stores a digest of the (path, SHA-256) pairs under the criterion at that moment. "Changed" is then
exact: any file added, modified, removed or moved under it since, and nothing else (a touch or a re-save with the
same content is not a change).
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import asdict, dataclass, field

from archive.catalogue import load_catalogue
from archive.db import Archive
from archive.linkset import LinkSet, path_range
from archive.metadata.period import period_problems, with_period_problem
from criteria.model import Criterion, leaf_criteria

STATES = ("missing", "collected", "confirmed", "changed", "unreachable")
STATE_NAMES = {"missing": "缺材料", "collected": "已收集", "confirmed": "已确认", "changed": "确认后有变更",
               "unreachable": "无法访问"}
# how much a state needs attention; a parent shows the most urgent state below it
URGENCY = {"confirmed": 0, "collected": 1, "missing": 2, "changed": 3, "unreachable": 4}


@dataclass
class Confirmation:
    by: str
    time: str
    note: str
    digest: str
    files: int
    last_event: int | None = None  # the change log's newest id when confirmed (None: a frozen stage's copy)


@dataclass
class CriterionStatus:
    code: str
    title: str
    parent: str | None
    level: int
    state: str
    files: int
    bytes: int
    problems: int
    confirmation: Confirmation | None = None
    file_ids: set[int] = field(default_factory=set, repr=False)

    def to_json(self) -> dict:
        keys = ("code", "title", "parent", "state", "files", "bytes", "problems")
        data = {key: getattr(self, key) for key in keys}
        data["confirmation"] = asdict(self.confirmation) if self.confirmation else None
        return data


@dataclass
class FileIndex:
    """All indexed rows sorted by path, for range lookups per link."""

    paths: list[str]
    rows: dict[int, tuple[str, int | None, str | None, str | None]]  # id -> (path, size, sha256, problem)
    ids: list[int]

    @classmethod
    def load(cls, archive: Archive) -> FileIndex:
        data = archive.conn.execute("SELECT id, path, size, sha256, problem FROM files ORDER BY path").fetchall()
        rows = {r[0]: r[1:] for r in data}
        for file_id, problem in period_problems(archive).items():  # dated outside the creation period
            if file_id in rows:
                path, size, sha, own = rows[file_id]
                rows[file_id] = (path, size, sha, with_period_problem(own, problem))
        return cls([r[1] for r in data], rows, [r[0] for r in data])

    def under(self, path: str, is_dir: bool) -> list[int]:
        found = []
        exact = bisect.bisect_left(self.paths, path)
        if exact < len(self.paths) and self.paths[exact] == path:
            found.append(self.ids[exact])
        if is_dir:
            lo, hi = path_range(path)
            found.extend(self.ids[bisect.bisect_left(self.paths, lo):bisect.bisect_left(self.paths, hi)])
        return found


def evidence_digest(index: FileIndex, ids: set[int]) -> str:
    pairs = sorted(f"{index.rows[i][0]}\t{index.rows[i][2]}" for i in ids if index.rows[i][2])
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()


def active_confirmations(archive: Archive) -> dict[str, Confirmation]:
    rows = archive.conn.execute(
        "SELECT code, by, time, note, digest, files, last_event FROM confirmations WHERE withdrawn IS NULL ORDER BY id")
    return {r[0]: Confirmation(r[1] or "", r[2], r[3] or "", r[4], r[5], r[6]) for r in rows}


def subtree_files(criteria: list[Criterion], links: LinkSet, index: FileIndex) -> tuple[dict, dict]:
    """Return ({code: file ids directly or through children}, {code: has an unreachable link below})."""
    ids: dict[str, set[int]] = {c.code: set() for c in criteria}
    unreachable: dict[str, bool] = {c.code: False for c in criteria}
    for link in links.links:
        if link.code in ids:
            ids[link.code].update(index.under(link.path, link.is_dir))
            unreachable[link.code] |= not link.reachable
    for crit in reversed(criteria):  # children come after parents: fold upwards
        if crit.parent in ids:
            ids[crit.parent] |= ids[crit.code]
            unreachable[crit.parent] |= unreachable[crit.code]
    return ids, unreachable


def compute_status(archive: Archive) -> list[CriterionStatus]:
    criteria = load_catalogue(archive).criteria
    index = FileIndex.load(archive)
    links = LinkSet.load(archive.conn)
    confirmations = active_confirmations(archive)
    result = own_statuses(criteria, links, index, confirmations)
    roll_up(criteria, result, confirmations)
    return [result[c.code] for c in criteria]


def own_statuses(criteria: list[Criterion], links: LinkSet, index: FileIndex, confirmations: dict[str, Confirmation],
                 codes: set[str] | None = None) -> dict[str, CriterionStatus]:
    """Each criterion's status from the files under it (its children's included), before a parent takes on its
    children's states; only `codes` when given (the index then needs only the files under their subtrees)."""
    ids, unreachable = subtree_files(criteria, links, index)
    result: dict[str, CriterionStatus] = {}
    for crit in criteria:
        if codes is not None and crit.code not in codes:
            continue
        mine = ids[crit.code]
        evidence = {i for i in mine if index.rows[i][2]}
        confirmation = confirmations.get(crit.code)
        state = _own_state(unreachable[crit.code], len(evidence), confirmation,
                           confirmation and evidence_digest(index, mine))
        result[crit.code] = CriterionStatus(
            crit.code, crit.title, crit.parent, crit.level, state, len(evidence),
            sum(index.rows[i][1] or 0 for i in evidence), sum(1 for i in mine if index.rows[i][3]),
            confirmation, mine)
    return result


def roll_up(criteria: list[Criterion], result: dict[str, CriterionStatus], confirmations: dict[str, Confirmation],
            codes: set[str] | None = None) -> None:
    """A parent without a confirmation of its own shows the most urgent state below it (its own links count too).
    Children come after parents in the catalogue, so going backwards every child is settled before its parent.
    With `codes`, only those parents are rolled up: the others keep the state they have in `result`."""
    children: dict[str, list[str]] = {}
    for crit in criteria:
        if crit.parent is not None:
            children.setdefault(crit.parent, []).append(crit.code)
    for crit in reversed(criteria):
        if (codes is not None and crit.code not in codes) or crit.code not in children or crit.code in confirmations:
            continue
        states = [result[code].state for code in children[crit.code]]
        states.append(result[crit.code].state)
        result[crit.code].state = max(states, key=URGENCY.__getitem__)


def _own_state(unreachable: bool, files: int, confirmation: Confirmation | None, digest: str | None) -> str:
    if unreachable:
        return "unreachable"
    if confirmation is not None:
        return "confirmed" if digest == confirmation.digest else "changed"
    return "collected" if files else "missing"


def totals(archive: Archive, statuses: list[CriterionStatus]) -> dict:
    """Counts by state of the items evidence is filed against (the leaves), as the overview counts them: a
    category's state only rolls up its items', and counting it too said "16 项" of a table of 12 items."""
    items = leaf_criteria(statuses)
    counts = {state: sum(1 for s in items if s.state == state) for state in STATES}
    files, size = archive.conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE sha256 IS NOT NULL").fetchone()
    return {"criteria": len(statuses), "items": len(items), **counts, "files": files, "bytes": size}
