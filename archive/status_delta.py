"""Statuses after a list of changes, recomputed only where the changes reach: the change list is the data.

The monitor reports change-log entries (archive/changelog.py: "path", "old_path", "codes"). A file can only move the
status of the criteria whose links cover where it is or was, and of their ancestors (a parent counts its children's
files and shows their most urgent state). Those criteria are recomputed from the files under their subtrees' links,
read by index ranges on files.path; every other criterion keeps its status. A link that went away or came back
changes reachability without a log entry: a criterion whose "unreachable" no longer matches its links is recomputed
too. So does a file's problem (a file locked by its editor and then free again: the scan marks and clears it without
a log entry): the standing keeps the problem rows it was computed with, and a path whose row differs counts as
changed. The result is the same as compute_status (tests/test_status_delta.py checks it over random changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archive.catalogue import load_catalogue
from archive.db import Archive
from archive.linkset import Link, LinkSet, path_range
from archive.metadata.period import period_problems, with_period_problem
from archive.status import CriterionStatus, FileIndex, active_confirmations, compute_status, own_statuses, roll_up
from criteria.model import Criterion


@dataclass(frozen=True)
class Standing:
    """Every criterion's status, in catalogue order, and the scan's problem rows they were computed with."""

    statuses: list[CriterionStatus]
    problems: frozenset[tuple[str, str]]  # (path, problem) of every file row the scan marked

    @classmethod
    def load(cls, archive: Archive) -> Standing:
        """Everything recomputed (pass a snapshot view when the archive may change meanwhile)."""
        return cls(compute_status(archive), problem_rows(archive))


def problem_rows(archive: Archive) -> frozenset[tuple[str, str]]:
    """Few rows, read through the partial index on files with a problem."""
    return frozenset(archive.conn.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL"))


def apply_changes(archive: Archive, before: Standing, entries: list[dict],
                  criteria: list[Criterion] | None = None) -> tuple[Standing, set[str]]:
    """(the standing after `entries`, the codes recomputed). A catalogue that no longer matches `before` is
    recomputed in full (every code is then named)."""
    criteria = load_catalogue(archive).criteria if criteria is None else criteria
    if [s.code for s in before.statuses] != [c.code for c in criteria]:
        after = Standing.load(archive)
        return after, {s.code for s in after.statuses}
    links = LinkSet.load(archive.conn)
    problems = problem_rows(archive)
    flagged = [{"path": path} for path, _ in problems ^ before.problems]
    codes = affected_codes(criteria, links, [*entries, *flagged], before.statuses)
    if not codes:
        return Standing(before.statuses, problems), set()
    index = load_index_under(archive, [link for link in links.links if link.code in subtrees(criteria, codes)])
    confirmations = active_confirmations(archive)
    result = {s.code: s for s in before.statuses}
    result.update(own_statuses(criteria, links, index, confirmations, codes))
    roll_up(criteria, result, confirmations, codes)
    return Standing([result[c.code] for c in criteria], problems), codes


def affected_codes(criteria: list[Criterion], links: LinkSet, entries: Iterable[dict],
                   previous: list[CriterionStatus] | None = None) -> set[str]:
    """The criteria whose status the entries can move: the links covering each path (and a move's old path), the
    codes the log names, criteria whose reachability changed, and every ancestor of those."""
    parents = {c.code: c.parent for c in criteria}
    direct: set[str] = set()
    for entry in entries:
        for path in (entry.get("path"), entry.get("old_path")):
            if path:
                direct.update(links.codes_for(path))
        direct.update(entry.get("codes") or ())
    if previous is not None:
        unreachable = _unreachable_below(criteria, links.links)
        direct.update(s.code for s in previous if (s.state == "unreachable") != unreachable.get(s.code, False))
    found: set[str] = set()
    for code in direct:
        while code in parents and code not in found:  # codes outside the catalogue (a rectification's) drop out
            found.add(code)
            code = parents[code]
    return found


def subtrees(criteria: list[Criterion], codes: set[str]) -> set[str]:
    """`codes` and every criterion below one of them."""
    found = set(codes)
    for crit in criteria:  # parents come first: a child finds its parent already in
        if crit.parent in found:
            found.add(crit.code)
    return found


def load_index_under(archive: Archive, links: list[Link]) -> FileIndex:
    """A FileIndex of only the files the links cover (each by an index range on files.path)."""
    found: dict[int, tuple] = {}
    for link in links:
        sql, params = "SELECT id, path, size, sha256, problem FROM files WHERE path = ?", [link.path]
        if link.is_dir:
            sql += " OR (path >= ? AND path < ?)"
            params += path_range(link.path)
        for row in archive.conn.execute(sql, params):
            found[row[0]] = row
    data = sorted(found.values(), key=lambda r: r[1])
    rows = {r[0]: r[1:] for r in data}
    for file_id, problem in period_problems(archive, rows).items():  # dated outside the creation period
        path, size, sha, own = rows[file_id]
        rows[file_id] = (path, size, sha, with_period_problem(own, problem))
    return FileIndex([r[1] for r in data], rows, [r[0] for r in data])


def _unreachable_below(criteria: list[Criterion], links: list[Link]) -> dict[str, bool]:
    """code -> an unreachable link at or below it (what turns a status "unreachable", see status.subtree_files)."""
    flags = {c.code: False for c in criteria}
    for link in links:
        if link.code in flags and not link.reachable:
            flags[link.code] = True
    for crit in reversed(criteria):
        if crit.parent in flags and flags[crit.code]:
            flags[crit.parent] = True
    return flags
