"""The export log: each dossier or package the export job writes is recorded in the archive (the exports table).

A stage (stages/) later names the exports made in its round, so a dossier handed over can be checked against the
archive by its SHA-256, and rebuilt from the stage with the same options and date. The evidence digest says what
the export showed: a stage whose evidence gives the same digest reproduces that export exactly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path

from archive.db import Archive, now
from exporters.evidence import EvidenceSet
from exporters.options import ExportOptions
from exporters.reports.data_codec import encode

CHUNK = 1 << 20
# EvidenceFile fields that do not change what a dossier shows: where the bytes are read from (content is covered
# by the SHA-256), the index row id, and whether a frozen stage still has the bytes at hand
UNSHOWN_FILE_FIELDS = ("id", "path", "available")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def evidence_digest(evidence: EvidenceSet) -> str:
    """A digest of everything the dossier shows of the evidence: criteria, states, confirmations, files and what
    each file is (题名, 文号, 责任者, 日期), and the self-evaluation data (scores, kinds, units, deadlines,
    projection, rectifications) apart from the date it was read at."""
    digest = hashlib.sha256()
    for item in evidence.items:
        status = dataclasses.asdict(item.status)
        status.pop("file_ids", None)
        if status.get("confirmation"):  # its place in the change log is not shown, and a stage keeps none
            status["confirmation"].pop("last_event", None)
        files = []
        for f in item.files:
            shown = dataclasses.asdict(f)
            for name in UNSHOWN_FILE_FIELDS:
                shown.pop(name, None)
            shown["described"] = dataclasses.asdict(evidence.describe(f))
            files.append(shown)
        entry = {"criterion": item.criterion.to_dict(), "status": status, "level": item.level,
                 "is_leaf": item.is_leaf, "unreachable": item.unreachable, "files": files}
        digest.update(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode())
        digest.update(b"\n")
    selfeval = None if evidence.selfeval is None else encode(evidence.selfeval)
    digest.update(json.dumps(selfeval, ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def options_record(options: ExportOptions, evidence: EvidenceSet) -> dict:
    """What a rebuild needs to repeat the export: the options as chosen (edition, scores and layout included), the
    criteria it covered, its date."""
    return {"title": options.title, "stage": options.stage, "compiler": options.compiler,
            "catalogue_only": options.catalogue_only, "codes": options.codes, "edition": options.edition,
            "scores": options.scores, "photos_per_page": options.photos_per_page,
            "page_numbers": options.page_numbers, "archival_code": options.archival_code,
            "selected": [item.code for item in evidence.items] if options.codes else None,
            "changelog_since": options.changelog_since, "generated": options.generated_time()}


def record_export(archive: Archive, fmt: str, path: Path, size: int, options: ExportOptions,
                  evidence: EvidenceSet) -> str | None:
    """Log a finished export. Returns a warning when it could not be logged; the export itself stands."""
    if archive.read_only:
        return "档案位于只读位置，本次导出未记入导出记录"
    try:
        sha256 = file_sha256(path)
        with archive.atomic():
            archive.conn.execute(
                "INSERT INTO exports (time, format, path, size, sha256, options, evidence_digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now(), fmt, str(path), size, sha256, json.dumps(options_record(options, evidence), ensure_ascii=False),
                 evidence_digest(evidence)))
    except (OSError, sqlite3.Error) as exc:
        return f"未能记入导出记录（{exc}）"
    return None
