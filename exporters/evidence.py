"""Which evidence files belong to which criterion, numbered the way the dossier and the handover package show them.

A file is listed under the most specific criterion whose link covers it: a folder linked to 2.1 that contains the
folder linked to 2.1.1 lists the latter's files under 2.1.1 only. A file linked to two unrelated criteria is listed
under both. Paths are shown relative to the top linked folder, never as absolute local paths.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from archive.catalogue import load_catalogue, resolve_code
from archive.confirm import ChangedSince
from archive.db import Archive, now
from archive.exclusions import exclusions, lapsed
from archive.index.shortcuts import dossier_problem
from archive.linkset import LinkSet, ancestors_of, most_specific
from archive.metadata.period import period_problems
from archive.same_content import earlier_copies
from archive.status import CriterionStatus, compute_status
from criteria.model import Criterion, cited_code
from exporters.file_fields import FileFields, describe_files, fields_from_name
from exporters.reports.data import ReportData, gather

GAP_STATES = ("missing", "unreachable", "changed")
QUARTER_HOUR_NS = 15 * 60 * 10**9


@dataclass
class EvidenceFile:
    id: int
    path: str  # absolute, for reading only; never shown
    rel: str  # shown: relative to the top linked folder, forward slashes
    size: int
    sha256: str | None
    type: str
    pages: int | None
    date: str  # YYYYMMDD of the last modification (DA/T 22 日期 column)
    problem: str | None
    last_changed: str
    number: str = ""  # "1.2-001", set per criterion
    changed_since_confirmation: bool = False
    export_problem: str | None = None  # found by this export: not embedded, attached or copied, and why
    available: bool = True  # False: a frozen stage's file whose content is gone (changed, removed, no copy kept):
    # listed with its frozen hash, never attached or copied
    # dated outside the creation period: the office's own warning (内部版 备注), never the review team's, and no
    # reason to leave a sound file out
    period_problem: str | None = None
    same_as: str = ""  # the number of an earlier file under the same criterion with this content: attached as that

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def title(self) -> str:
        """DA/T 22 题名: the file name without its extension."""
        stem, dot, _ = self.name.rpartition(".")
        return stem if dot and stem else self.name

    @property
    def extension(self) -> str:
        stem, dot, ext = self.name.rpartition(".")
        return ext.lower() if dot and stem else ""

    @property
    def copyable(self) -> bool:
        """Copied into a handover package: readable, and there (a shortcut or an empty file is copied, with its
        problem in 备注)."""
        return self.sha256 is not None and self.available and not (self.problem and not os.path.isfile(self.path))

    def remark(self) -> str:
        notes = [note for note in (self.copy_note(), self.problem, self.period_problem, self.export_problem) if note]
        if self.changed_since_confirmation:
            notes.append("确认后有变更")
        return "；".join(notes)

    def copy_note(self) -> str:
        return f"同 {self.same_as}" if self.same_as else ""  # 备注 of a narrow column: the number on one line


@dataclass
class CriterionEvidence:
    criterion: Criterion
    status: CriterionStatus
    level: int  # display level: 1 + number of selected ancestors
    is_leaf: bool
    files: list[EvidenceFile] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # names of own linked folders/files that are unreachable
    above: list[Criterion] = field(default_factory=list)  # its ancestors, top first, where none is in this export

    @property
    def code(self) -> str:
        return self.criterion.code

    def printed_code(self) -> str:
        """The code the dossier prints: the table's own, with the parts above where they are not exported."""
        return cited_code(self.criterion, self.above)

    def gap(self) -> str | None:
        """Why this criterion is on the gap list, or None. Only leaf criteria (where evidence is filed) are listed
        and counted, the way the reports count them; a parent's state only sums its children."""
        state = self.status.state
        return state if self.is_leaf and state in GAP_STATES else None


@dataclass
class EvidenceSet:
    items: list[CriterionEvidence]
    indexed: dict[int, EvidenceFile] = field(default_factory=dict)  # every indexed file by id, before numbering
    fields: dict[int, FileFields] = field(default_factory=dict)  # what each file is about (exporters.file_fields)
    selfeval: ReportData | None = None  # scores, kinds, units, deadlines, rectifications: the reports' data
    picture_pages: dict[str, int] = field(default_factory=dict)  # path -> pages of its own a picture takes here
    numbered: dict[str, EvidenceFile] = field(default_factory=dict)  # "1.2-003" -> the file listed under that number
    # (code, file, who and why) of the files under the exported items kept out (archive.exclusions): not listed,
    # numbered, attached or copied; the export plan names them
    excluded: list[tuple[str, EvidenceFile, str]] = field(default_factory=list)
    relisted: set[int] = field(default_factory=set)  # ids of files once kept out whose content changed since

    def describe(self, f: EvidenceFile) -> FileFields:
        found = self.fields.get(f.id)
        return found if found is not None else fields_from_name(f.name)

    def unique_files(self) -> list[EvidenceFile]:
        seen: dict[int, EvidenceFile] = {}
        for item in self.items:
            for f in item.files:
                seen.setdefault(f.id, f)
        return sorted(seen.values(), key=lambda f: natural_key(f.rel))

    def content_files(self) -> list[EvidenceFile]:
        """unique_files without those listed only as a later copy of another file (attached as that one)."""
        firsts = {f.id for item in self.items for f in item.files if not f.same_as}
        return [f for f in self.unique_files() if f.id in firsts]

    def files_shown(self, item: CriterionEvidence) -> int:
        """The files the dossier lists under the item and below it: its status's count less those kept out."""
        if not self.excluded:
            return item.status.files
        return item.status.files - len({f.id for _, f, _ in self.excluded} & item.status.file_ids)

    def first_copy(self, f: EvidenceFile) -> EvidenceFile:
        """The file whose content stands for `f`: the earlier copy under its criterion, or `f` itself."""
        return self.numbered.get(f.same_as, f) if f.same_as else f

    def mark_problems(self, problems: dict[str, str]) -> None:
        """Problems this export found, by evidence path, onto every row that lists the file (its 备注)."""
        for item in self.items:
            for f in item.files:
                f.export_problem = problems.get(f.path)


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))


class NaturalKeys:
    """natural_key of many "folder/name" paths, each folder's part split once (50,000 files share 2,000 folders).
    The folder's key ends in a text part ("/" is no digit) and the name's starts with one (maybe ""): joined, they
    are the one text part that crosses the "/", so the result is natural_key of the whole path."""

    def __init__(self):
        self.folders: dict[str, tuple] = {}

    def __call__(self, rel: str) -> tuple:
        folder, slash, name = rel.rpartition("/")
        if not slash:
            return natural_key(rel)
        head = self.folders.get(folder)
        if head is None:
            head = self.folders[folder] = natural_key(folder + "/")
        tail = natural_key(name)
        return (*head[:-1], head[-1] + tail[0], *tail[1:])


def select_codes(archive: Archive, criteria: list[Criterion], codes: list[str] | None) -> set[str]:
    """The chosen criteria and everything below them (all criteria when none are chosen)."""
    if not codes:
        return {c.code for c in criteria}
    chosen = {resolve_code(archive, code) for code in codes}
    selected: set[str] = set()
    for crit in criteria:  # parents come first, so one pass reaches every descendant
        if crit.code in chosen or crit.parent in selected:
            selected.add(crit.code)
    return selected


def collect(archive: Archive, codes: list[str] | None = None, generated: str | None = None,
            describe: bool = True) -> EvidenceSet:
    """Everything an export reads, all from one snapshot, so the counts and the lists agree: the evidence per
    criterion, what each file is about (unless not `describe`: a stage keeps the metadata instead), and the
    self-evaluation data the reports use (`generated` dates the overdue checks)."""
    with archive.snapshot() as view:
        return _collect(view, codes, generated or now(), describe)


def _collect(archive: Archive, codes: list[str] | None, generated: str, describe: bool) -> EvidenceSet:
    criteria = load_catalogue(archive).criteria
    selected = select_codes(archive, criteria, codes)
    statuses = {s.code: s for s in compute_status(archive)}
    links = LinkSet.load(archive.conn)
    ancestors = ancestors_of(criteria)
    files = _load_files(archive, links)
    listing = _listing_codes(links, ancestors)
    parents = {c.parent for c in criteria}
    marks = exclusions(archive)
    own, left_out = _own_files(statuses, listing, files, marks.keys())
    changed_since = ChangedSince(archive)
    order = NaturalKeys()
    items, excluded = [], []
    by_code = {crit.code: crit for crit in criteria}
    for crit in criteria:
        if crit.code not in selected:
            continue
        level = 1 + sum(1 for a in ancestors[crit.code] if a in selected)
        item = CriterionEvidence(crit, statuses[crit.code], level, crit.code not in parents)
        if crit.parent and crit.parent not in selected:  # an export of some items: the parts above are not printed
            item.above = [by_code[code] for code in ancestors[crit.code]]
        item.unreachable = [os.path.basename(x.path) for x in links.for_code(crit.code) if not x.reachable]
        item.files = _numbered(crit.code, own.get(crit.code, []), order)
        mark_copies(item.files)
        _mark_changes(item, statuses, ancestors, changed_since)
        items.append(item)
        excluded += [(crit.code, f, marks[f.id].detail())
                     for f in sorted(left_out.get(crit.code, []), key=lambda f: (order(f.rel), f.id))]
    evidence = EvidenceSet(items, files, numbered=numbered(items), excluded=excluded, relisted=lapsed(archive))
    if describe:
        evidence.fields = describe_files(archive.conn, evidence.unique_files())
    evidence.selfeval = gather(archive, generated, date.fromisoformat(generated[:10]), statuses)
    return evidence


def _load_files(archive: Archive, links: LinkSet) -> dict[int, EvidenceFile]:
    relative = RelativePaths({link.path: link for link in links.roots()})
    rows = archive.conn.execute(
        "SELECT id, path, size, sha256, type, pages, mtime_ns, problem, last_changed FROM files")
    result = {}
    days: dict[int, str] = {}
    for fid, path, size, sha, kind, pages, mtime_ns, problem, changed in rows:
        date = ""
        if mtime_ns:
            # local midnight and clock changes fall on quarter hours: one date per quarter hour of modification
            quarter = mtime_ns // QUARTER_HOUR_NS
            date = days.get(quarter) or days.setdefault(
                quarter, datetime.fromtimestamp(mtime_ns / 1e9).strftime("%Y%m%d"))
        result[fid] = EvidenceFile(fid, path, relative(path), size or 0, sha, kind or "", pages, date,
                                   dossier_problem(kind, problem), changed)
    for fid, dated in period_problems(archive, result).items():
        result[fid].period_problem = dated
    return result


def relative_path(path: str, roots: dict) -> str:
    """The path below the top linked folder, starting with that folder's name."""
    return RelativePaths(roots)(path)


class RelativePaths:
    """relative_path for many files: each folder's top linked folder is looked up once (50,000 files share 2,000
    folders), and the path is cut rather than recomputed by os.path.relpath."""

    def __init__(self, roots: dict):
        self.roots = roots
        self.bases: dict[str, str | None] = {}  # folder -> the folder its top linked folder sits in, or None

    def __call__(self, path: str) -> str:
        base = os.path.dirname(path) if path in self.roots else self._base(os.path.dirname(path))
        if base is None:
            return os.path.basename(path)
        return path[len(base.rstrip(os.sep)) + 1:].replace(os.sep, "/")

    def _base(self, folder: str) -> str | None:
        found = self.bases.get(folder, self)
        if found is not self:
            return found
        if folder in self.roots:
            base = os.path.dirname(folder)
        else:
            parent = os.path.dirname(folder)
            base = None if parent == folder else self._base(parent)
        self.bases[folder] = base
        return base


def _listing_codes(links: LinkSet, ancestors: dict) -> Callable[[str], frozenset[str]]:
    """path -> the criteria that list the file (archive.linkset.most_specific, the one rule). Most files share their
    folder's links, so the answer is kept per set of codes."""
    known: dict[tuple[str, ...], frozenset[str]] = {}
    by_path: dict[str, frozenset[str]] = {}  # a file is asked about once per criterion above it, and a file
    # without a link of its own has its folder's answer

    def listing(path: str) -> frozenset[str]:
        found = by_path.get(path)
        if found is None:
            own_link = path in links.dir_codes or path in links.file_codes
            key = path if own_link else os.path.dirname(path) + os.sep
            found = by_path.get(key)
            if found is None:
                codes = tuple(links.codes_for(path))
                found = known.get(codes)
                if found is None:
                    found = known[codes] = frozenset(most_specific(list(codes), ancestors))
                by_path[key] = found
            by_path[path] = found
        return found

    return listing


def _own_files(statuses: dict, listing: Callable[[str], frozenset[str]], files: dict[int, EvidenceFile],
               kept_out) -> tuple[dict[str, list[EvidenceFile]], dict[str, list[EvidenceFile]]]:
    """code -> the files under it (its own links' and its descendants') that belong to it (most_specific), and
    code -> those of them the clerk keeps out (ids in `kept_out`). One pass over the files: each is asked once which
    codes list it, not once per criterion above it (a third of a 50,000-file dossier's time)."""
    own: dict[str, list[EvidenceFile]] = {}
    left_out: dict[str, list[EvidenceFile]] = {}
    for evidence in files.values():
        found = left_out if evidence.id in kept_out else own
        for code in listing(evidence.path):
            if evidence.id in statuses[code].file_ids:
                found.setdefault(code, []).append(evidence)
    return own, left_out


def _numbered(code: str, own: list[EvidenceFile], order: NaturalKeys) -> list[EvidenceFile]:
    """The criterion's own files in the dossier's order (natural order of the shown path; the index id decides
    between two linked folders of the same name), each a copy numbered "1.2-001"."""
    own = sorted(own, key=lambda f: (order(f.rel), f.id))
    return [EvidenceFile(**{**evidence.__dict__, "number": f"{code}-{number:03d}"})
            for number, evidence in enumerate(own, start=1)]


def numbered(items: list[CriterionEvidence]) -> dict[str, EvidenceFile]:
    return {f.number: f for item in items for f in item.files}


def mark_copies(files: list[EvidenceFile]) -> None:
    """A file with the content of an earlier one under the same criterion is that evidence again
    (archive.same_content)."""
    copies = earlier_copies((n, f.sha256, f.size) for n, f in enumerate(files) if f.available)
    for later, first in copies.items():
        files[later].same_as = files[first].number


def _mark_changes(item: CriterionEvidence, statuses: dict[str, CriterionStatus], ancestors: dict,
                  changed_since: ChangedSince) -> None:
    """A file changed or linked after the nearest confirmation covering it (its criterion's, or an ancestor's)
    says so."""
    for code in [item.code, *reversed(ancestors[item.code])]:
        status = statuses[code]
        if status.confirmation is not None:
            if status.state == "changed" and item.files:
                changed = changed_since([item.code], status.confirmation)
                for f in item.files:
                    f.changed_since_confirmation = f.id in changed
            return
