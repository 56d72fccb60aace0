"""A frozen stage as the exporters' EvidenceSet, so the dossier, the PDF and the package render it unchanged.

The result is what `exporters.evidence.collect` gave at the moment of freezing: the same criteria, states,
confirmations, files, numbers and remarks, the same file descriptions (题名, 文号, 责任者, 日期) and the same
self-evaluation data (scores, kinds, units, deadlines, projection, rectifications), all as frozen
(exporters.exportlog.evidence_digest proves it against a logged export).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from archive.index.shortcuts import dossier_problem
from archive.status import CriterionStatus
from exporters.evidence import CriterionEvidence, EvidenceFile, EvidenceSet, mark_copies, numbered
from stages.frozen_data import describe_frozen, fields_from_row
from stages.snapshot import FileRecord, Snapshot


def _number_key(entry: tuple) -> int:
    return int(entry[0].rsplit("-", 1)[1])


def ancestors_of(snapshot: Snapshot) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for record in snapshot.criteria:
        parent = record.criterion.parent
        result[record.code] = [*result.get(parent, []), parent] if parent else []
    return result


def stage_evidence(snapshot: Snapshot, selected: list[str] | None = None, generated: str | None = None) -> EvidenceSet:
    """The stage's evidence for all criteria, or for exactly the `selected` codes (as an export covered them).
    `generated` dates the self-evaluation data as the dossier is dated (default: when the snapshot was taken)."""
    chosen = set(selected) if selected else None
    listed: dict[str, list[tuple]] = {}
    for record in snapshot.files.values():
        for code, number, changed in record.listed:
            if number is not None:
                listed.setdefault(code, []).append((number, record, changed))
    ancestors = ancestors_of(snapshot)
    items = []
    for record in snapshot.criteria:
        if chosen is not None and record.code not in chosen:
            continue
        crit = record.criterion
        level = 1 + sum(1 for a in ancestors[record.code] if chosen is None or a in chosen)
        status = CriterionStatus(crit.code, crit.title, crit.parent, crit.level, record.state, record.files,
                                 record.bytes, record.problems, record.confirmation)
        files = [_evidence_file(*entry) for entry in sorted(listed.get(record.code, []), key=_number_key)]
        mark_copies(files)  # as the export of the day did
        items.append(CriterionEvidence(crit, status, level, record.is_leaf, files, list(record.unreachable)))
    evidence = EvidenceSet(items, numbered=numbered(items))
    evidence.fields = _descriptions(snapshot, evidence.unique_files())
    if snapshot.selfeval is not None:
        when = generated or snapshot.time
        evidence.selfeval = dataclasses.replace(snapshot.selfeval, generated=when,
                                                today=date.fromisoformat(when[:10]))
    return evidence


def _descriptions(snapshot: Snapshot, listed: list[EvidenceFile]) -> dict:
    """What the dossier said each listed file is: from the frozen metadata, or, for a stage frozen before the
    metadata was kept (schema 6), from the descriptions it kept."""
    records = [snapshot.files[f.id] for f in listed]
    if any(record.described is not None for record in records):
        return {r.id: described for r in records if (described := fields_from_row(r.described)) is not None}
    return describe_frozen(snapshot.metadata, records)


def _evidence_file(number: str, record: FileRecord, changed: bool) -> EvidenceFile:
    return EvidenceFile(record.id, record.path, record.rel, record.size, record.sha256, record.type, record.pages,
                        record.date, dossier_problem(record.type, record.problem), record.last_changed, number,
                        bool(changed))
