"""Freeze a stage: the catalogue, every linked file, scores, confirmations, rectifications and the dossiers handed
over, as one immutable record in the archive; with `keep_copies`, the files' contents in the copy store too.

    plan = plan_freeze(archive, keep_copies=True)     # what copies would add, to show before starting
    result = freeze(archive, "省级初评", note="…", keep_copies=True, progress=…, cancel=…)

Dossiers: every export made since the previous stage is in the export log (exporters/exportlog.py) and is recorded
with the stage, because a clerk exports the dossier for a review and then freezes: they expect the stage to know
what was exported without naming files. Files given in `dossiers` (a Word dossier edited by hand before printing,
say) are recorded too, by their SHA-256. The freeze reads the index as the last scan left it, like an export does.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from archive.confirm import default_user
from archive.db import Archive
from common.errors import UserError
from common.progress import CancelCheck, Progress, ProgressReporter
from common.text import format_size
from criteria.model import leaf_criteria
from exporters.exportlog import evidence_digest, file_sha256
from stages.copystore import CopyMismatch, CopyStore
from stages.evidence import stage_evidence
from stages.records import StageInfo, check_name, write_stage
from stages.snapshot import ExportRecord, Snapshot, gc_paused, live_exports, take_snapshot

MAX_LISTED = 20


@dataclass
class FreezePlan:
    snapshot: Snapshot
    store: CopyStore | None  # None: no copies kept
    needed: dict[str, int] = field(default_factory=dict)  # sha256 -> size of contents the store lacks

    @property
    def copy_bytes(self) -> int:
        return sum(self.needed.values())

    def lines(self) -> list[str]:
        files = [f for f in self.snapshot.files.values() if f.sha256]
        items = leaf_criteria([record.criterion for record in self.snapshot.criteria])
        lines = [f"将冻结 {len(items)} 个评价项目、{len(files)} 个文件"
                 f"（{format_size(sum(f.size for f in files))}）"]
        if self.store is not None:
            lines.append(f"保留副本：将新增 {len(self.needed)} 个文件，共 {format_size(self.copy_bytes)}"
                         f"（副本库：{self.store.root}）")
        return lines


@dataclass
class FreezeResult:
    stage: StageInfo
    copied_files: int = 0
    copied_bytes: int = 0


def plan_freeze(archive: Archive, keep_copies: bool = False) -> FreezePlan:
    snapshot = take_snapshot(archive)
    if not keep_copies:
        return FreezePlan(snapshot, None)
    store = CopyStore.beside(archive)
    return FreezePlan(snapshot, store, store.missing((f.sha256, f.size) for f in snapshot.files.values()))


def freeze(archive: Archive, name: str, note: str = "", keep_copies: bool = False, dossiers: list[str] = (),
           by: str | None = None, progress: Progress | None = None, cancel: CancelCheck | None = None,
           plan: FreezePlan | None = None) -> FreezeResult:
    """Freeze the archive as stage `name`. With `plan` (from plan_freeze, shown to the user) its snapshot is used."""
    job = ProgressReporter(progress, cancel, every=64)
    with gc_paused():  # the cyclic collector would walk the snapshot's 50,000 records again and again
        return _freeze(archive, name, note, keep_copies, dossiers, by, job, plan)


def _freeze(archive: Archive, name: str, note: str, keep_copies: bool, dossiers: list[str], by: str | None,
            job: ProgressReporter, plan: FreezePlan | None) -> FreezeResult:
    archive.require_writable()
    name = check_name(archive, name)
    job.report(0.0, "正在读取档案…")
    plan = plan if plan is not None and (plan.store is not None) == keep_copies else plan_freeze(archive, keep_copies)
    snapshot = plan.snapshot
    given = [_dossier_file(path) for path in dossiers]
    if plan.store is not None:
        _keep_copies(plan, job)
    job.report(0.95, "正在写入阶段记录…")
    last_id = _last_recorded_export(archive)
    exports = _match_exports(snapshot, live_exports(archive, last_id) + _given_exports(archive, given, last_id))
    newest = max((e.export_id for e in exports if e.export_id), default=last_id)  # one logged meanwhile: next round
    info = write_stage(archive, name, note.strip(), by if by is not None else default_user(), snapshot,
                       plan.store is not None, exports, {"last_export_id": newest})
    job.progress(1.0, "阶段已冻结")
    return FreezeResult(info, len(plan.needed), plan.copy_bytes)


def _keep_copies(plan: FreezePlan, job: ProgressReporter) -> None:
    """Copy what the store lacks; refuse the whole freeze when any file no longer holds the indexed content."""
    sources: dict[str, str] = {}
    for record in plan.snapshot.files.values():
        if record.sha256 in plan.needed:
            sources.setdefault(record.sha256, record.path)
    total, done, failed = max(1, plan.copy_bytes), 0, []
    for sha256, size in plan.needed.items():
        path = sources[sha256]
        job.report(0.05 + 0.9 * done / total, f"正在保存副本 {os.path.basename(path)}")
        try:
            plan.store.add(path, sha256, job)
        except CopyMismatch:
            failed.append(f"{path}（扫描后已改动）")
        except OSError as exc:
            failed.append(f"{path}（{exc.strerror or exc}）")
        done += size
    if failed:
        shown = "；".join(failed[:MAX_LISTED]) + (f"；……共 {len(failed)} 个" if len(failed) > MAX_LISTED else "")
        raise UserError(f"有 {len(failed)} 个文件与上次扫描时不一致或无法读取，未能保存副本，阶段未冻结。"
                        f"请重新扫描后再冻结：{shown}")


def _last_recorded_export(archive: Archive) -> int:
    ids = [json.loads(extra or "{}").get("last_export_id", 0)
           for (extra,) in archive.conn.execute("SELECT extra FROM stages")]
    return max(ids, default=0)


def _match_exports(snapshot: Snapshot, exports: list[ExportRecord]) -> list[ExportRecord]:
    """Mark each logged export whose evidence is exactly the stage's: the stage reproduces it."""
    digests: dict[tuple, str] = {}
    for record in exports:
        if record.evidence_digest is None:
            continue
        selected = record.options.get("selected")
        key = tuple(selected or ())
        if key not in digests:
            digests[key] = evidence_digest(stage_evidence(snapshot, selected))
        record.matches = record.evidence_digest == digests[key]
    return exports


def _dossier_file(path: str) -> tuple[Path, int, str]:
    target = Path(path).expanduser().absolute()
    if not target.is_file():
        raise UserError(f"要记录的汇编文件不存在：{path}")
    try:
        return target, target.stat().st_size, file_sha256(target)
    except OSError as exc:
        raise UserError(f"无法读取要记录的汇编文件 {path}：{exc.strerror or exc}") from exc


def _given_exports(archive: Archive, given: list[tuple[Path, int, str]], last_id: int) -> list[ExportRecord]:
    """Files named by the user. One that is a logged export of this round is recorded once, as that export; one
    that is an older logged export keeps its options (a rebuild can repeat it)."""
    logged = {e.sha256: e for e in live_exports(archive)}
    records = []
    for path, size, sha256 in given:
        known = logged.get(sha256)
        if known is not None and known.export_id > last_id:
            continue
        stamp = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        records.append(ExportRecord("file", stamp, path.suffix.lower().lstrip("."), str(path), size, sha256,
                                    known.options if known else {}, evidence_digest=known and known.evidence_digest))
    return records
