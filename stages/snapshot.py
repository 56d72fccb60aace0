"""What a stage holds, as plain data, and the same picture taken from the live archive ("now").

A Snapshot is what `freeze` writes and what `load_stage` reads back; `diff` compares two of them and `rebuild` turns
one into the exporters' EvidenceSet. Taking one reads the archive only. Files are listed the way the dossier lists
them (exporters.evidence.collect: under the most specific criterion whose link covers them, numbered), so a
stage's listing is exactly what an export at that moment showed. What the dossier says each file is (题名, 文号, …)
is not worked out when a snapshot is taken: the snapshot keeps the metadata it comes from (packed by SQLite), and
only a rebuild describes the files it lists (stages.frozen_data.describe_frozen). Files linked to a rectification
item ("R12") or to a retired criterion are kept under that code, without a number.
"""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from archive.db import Archive, now
from archive.linkset import path_range
from archive.status import Confirmation
from criteria.model import Criterion
from exporters.evidence import EvidenceSet, collect
from exporters.reports.data import ReportData
from selfeval.rectify import Rectification, list_all
from selfeval.sheet import Score, load_scores
from stages.frozen_data import pack_metadata

# Per-file fields beyond the index columns: each provider maps file id -> {field: value} and is stored in the
# file's `extra` JSON. A metadata table added to the archive later plugs in here without a schema change.
FILE_EXTRA_PROVIDERS: list = []


@dataclass(slots=True)
class FileRecord:
    id: int  # the file's id in the archive's index when frozen
    path: str  # absolute
    rel: str  # relative to the top linked folder, as the dossier shows it
    size: int
    sha256: str | None
    mtime_ns: int | None
    type: str
    pages: int | None
    date: str  # YYYYMMDD, as the dossier shows it
    problem: str | None
    last_changed: str
    extra: dict | None = None  # per-file fields from FILE_EXTRA_PROVIDERS (None: none)
    # the codes that list the file: [code, number, changed since confirmation]; number "1.2-001" in a criterion's
    # dossier listing, None under other codes (R12, retired criteria)
    listed: list = field(default_factory=list)
    # stages frozen before schema 6 only: what the dossier said the file is (listed files only), as
    # stages.frozen_data.fields_row stored it; later stages keep the metadata itself (Snapshot.metadata)
    described: list | None = None


@dataclass
class CriterionRecord:
    criterion: Criterion
    state: str
    files: int
    bytes: int
    problems: int
    is_leaf: bool
    unreachable: list[str] = field(default_factory=list)
    confirmation: Confirmation | None = None
    extra: dict = field(default_factory=dict)  # e.g. {"assignment": {...}} when the user overrode the table

    @property
    def code(self) -> str:
        return self.criterion.code


@dataclass
class ExportRecord:
    source: str  # "export": from the export log; "file": named by the user at freeze time
    time: str
    format: str
    path: str
    size: int
    sha256: str
    options: dict = field(default_factory=dict)
    matches: bool = False  # the stage's evidence is exactly what this export showed
    evidence_digest: str | None = None  # live export log only
    export_id: int | None = None  # live export log only


@dataclass
class Snapshot:
    title: str  # the archive's title (the city or county)
    time: str  # when it was taken: the freeze time of a stage
    criteria: list[CriterionRecord]
    files: dict[int, FileRecord]
    scores: dict[str, Score] = field(default_factory=dict)
    rectifications: dict[int, Rectification] = field(default_factory=dict)
    exports: list[ExportRecord] = field(default_factory=list)
    selfeval: ReportData | None = None  # the self-evaluation data the dossier shows, as computed when taken
    metadata: bytes | None = None  # every file's metadata rows, packed (stages.frozen_data.pack_metadata)

    def by_code(self) -> dict[str, CriterionRecord]:
        return {record.code: record for record in self.criteria}

    def files_by_code(self) -> dict[str, dict[str, FileRecord]]:
        """code -> {path: file}: what each code lists."""
        result: dict[str, dict[str, FileRecord]] = {}
        for record in self.files.values():
            for entry in record.listed:
                result.setdefault(entry[0], {})[record.path] = record
        return result


@contextmanager
def gc_paused():
    """Build 50,000-file structures without the cyclic collector: it would run dozens of times over every object
    made so far (a third of the time of loading two stages). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def take_snapshot(archive: Archive) -> Snapshot:
    """The archive as a stage would freeze it now (reads only)."""
    with archive.lock, gc_paused(), archive.snapshot() as view:  # one consistent picture, even while the
        # monitor records changes: every read below is one read transaction
        taken = now()
        evidence = collect(view, describe=False)
        files = _files(view, evidence)
        criteria = []
        for item in evidence.items:
            status = item.status
            criteria.append(CriterionRecord(item.criterion, status.state, status.files, status.bytes, status.problems,
                                            item.is_leaf, list(item.unreachable), status.confirmation))
            for f in item.files:
                files[f.id].listed.append([item.code, f.number, f.changed_since_confirmation])
        for code, f, _why in evidence.excluded:  # under its code, without a number: kept out of the dossier, not
            files[f.id].listed.append([code, None, False])  # gone from the folder (a diff must not say 删除)
        _list_other_codes(view, {c.code for c in criteria}, files)
        _add_assignments(view, criteria)
        return Snapshot(view.title, taken, criteria, files, load_scores(view), {r.id: r for r in list_all(view)},
                        selfeval=evidence.selfeval, metadata=pack_metadata(view.conn))


def _files(archive: Archive, evidence: EvidenceSet) -> dict[int, FileRecord]:
    """Every indexed file with its relative path and date exactly as the dossier shows them."""
    mtimes = dict(archive.conn.execute("SELECT id, mtime_ns FROM files"))
    extras = [provider(archive) for provider in FILE_EXTRA_PROVIDERS]
    result = {}
    for fid, f in evidence.indexed.items():
        extra = {}
        for found in extras:
            extra.update(found.get(fid, {}))
        result[fid] = FileRecord(fid, f.path, f.rel, f.size, f.sha256, mtimes.get(fid), f.type, f.pages, f.date,
                                 f.problem, f.last_changed, extra or None)
    return result


def _list_other_codes(archive: Archive, criteria: set[str], files: dict[int, FileRecord]) -> None:
    """Files under links of codes that are no current criterion: rectification items and retired criteria."""
    rows = archive.conn.execute("SELECT code, path, is_dir FROM links ORDER BY id").fetchall()
    for code, path, is_dir in rows:
        if code in criteria:
            continue
        ids = [r[0] for r in archive.conn.execute("SELECT id FROM files WHERE path = ?", (path,))]
        if is_dir:
            lo, hi = path_range(path)
            ids += [r[0] for r in archive.conn.execute("SELECT id FROM files WHERE path >= ? AND path < ?", (lo, hi))]
        for fid in ids:
            record = files[fid]
            if not any(entry[0] == code for entry in record.listed):
                record.listed.append([code, None, False])


def _add_assignments(archive: Archive, criteria: list[CriterionRecord]) -> None:
    rows = {r[0]: r[1:] for r in archive.conn.execute("SELECT code, lead, assist, due, kind FROM assignments")}
    for record in criteria:
        if (row := rows.get(record.code)) is not None:
            lead, assist, due, kind = row
            record.extra["assignment"] = {"lead": lead, "assist": json.loads(assist) if assist else None, "due": due,
                                          "kind": kind}


def live_exports(archive: Archive, after_id: int = 0) -> list[ExportRecord]:
    rows = archive.conn.execute(
        "SELECT id, time, format, path, size, sha256, options, evidence_digest FROM exports WHERE id > ? ORDER BY id",
        (after_id,))
    return [ExportRecord("export", time, fmt, path, size, sha, json.loads(options or "{}"), False, digest, eid)
            for eid, time, fmt, path, size, sha, options, digest in rows]
