"""Rebuild a frozen stage's dossier (Word, PDF) or handover package (zip) as it was.

The stage's catalogue, states, scores and file list become the exporters' EvidenceSet (stages.evidence) and go
through the same renderers as a live export. The document is dated as the stage's export was: when the stage
recorded an export whose evidence is exactly the stage's, its options and generation time are repeated (the
rebuild has the same content as that file); otherwise the freeze time is used and the stage's name is the 阶段.

Files the output reads (images, attached PDF/Office pages, package copies) are hashed first. One that changed or
went away since the freeze is taken from the copy store when the stage kept copies (each copy hashed again as it
is read), and otherwise left out, listed in the result. The other files are checked against the live index.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from archive.db import Archive
from common.errors import UserError
from common.progress import CancelCheck, Progress, ProgressReporter
from exporters import DEFAULT_TITLE, ExportOptions, check_output, write_output
from exporters.attachments import attachment_kind
from exporters.evidence import EvidenceFile, EvidenceSet
from exporters.exportlog import file_sha256
from exporters.options import FORMATS
from stages.copystore import CopyStore, store_root
from stages.evidence import stage_evidence
from stages.records import StageInfo, find_stage, load_stage
from stages.snapshot import ExportRecord, Snapshot

OVERRIDE_KEYS = ("title", "stage", "compiler", "catalogue_only", "codes", "edition", "scores", "photos_per_page",
                 "page_numbers")
LAYOUT_DEFAULTS = ExportOptions()  # an export logged before editions existed: the defaults of its day


@dataclass(frozen=True)
class StageSource:
    """What the dossier builder reads from an archive, as the stage froze it."""

    title: str


@dataclass
class RebuildResult:
    path: Path
    size: int
    basis: str  # how it was dated and with which options, in Chinese
    changed: list[str] = field(default_factory=list)  # stage files changed or gone since the freeze (paths)
    restored: list[str] = field(default_factory=list)  # of those, read from the copy store
    left_out: list[str] = field(default_factory=list)  # of those, needed by the output but not at hand
    warnings: list[str] = field(default_factory=list)  # the renderers' own notes

    @property
    def identical(self) -> bool:
        """Same content as the stage: nothing the output needed was left out."""
        return not self.left_out


def rebuild(archive: Archive, name: str, fmt: str, out: str | Path, overrides: dict | None = None,
            font_path: str | None = None, progress: Progress | None = None,
            cancel: CancelCheck | None = None) -> RebuildResult:
    """`overrides`: any of OVERRIDE_KEYS; any given replaces the recorded export's options (dated at the freeze)."""
    if fmt not in FORMATS:
        raise UserError(f"不支持的重建格式：{fmt}（可选 {'、'.join(FORMATS)}）")
    job = ProgressReporter(progress, cancel, every=16)
    job.report(0.0, "正在读取阶段记录…")
    info = find_stage(archive, name)
    target = check_output(archive, fmt, out)
    snapshot = load_stage(archive, info)
    options, selected, basis = rebuild_options(info, snapshot, fmt, overrides or {})
    options.font_path = font_path
    options.check()
    evidence = stage_evidence(snapshot, selected, options.generated_time())
    store = CopyStore(store_root(archive)) if info.copies else None
    with tempfile.TemporaryDirectory(prefix="reviewready-rebuild-") as workdir:
        result = RebuildResult(target, 0, basis)
        _check_files(archive, snapshot, evidence, fmt, options, store, Path(workdir), result, _scaled(job, 0, 0.3))
        if options.changelog_since:
            result.warnings.append("原导出附有变更记录，重建的汇编不含变更记录")
            options.changelog_since = None
        result.warnings += write_output(StageSource(info.title), evidence, fmt, target, options,
                                        _scaled(job, 0.3, 0.7))
    result.size = target.stat().st_size
    job.progress(1.0, "重建完成")
    return result


def _scaled(job: ProgressReporter, start: float, span: float) -> ProgressReporter:
    return ProgressReporter(lambda fraction, message: job.progress(start + span * fraction, message), job.cancel,
                            job.every)


def rebuild_options(info: StageInfo, snapshot: Snapshot, fmt: str,
                    overrides: dict) -> tuple[ExportOptions, list[str] | None, str]:
    """(options, selected codes, basis): the recorded export repeated, or the user's options dated at the freeze."""
    given = {key: value for key, value in overrides.items() if key in OVERRIDE_KEYS and value not in (None, "")}
    recorded = None if given else _recorded_export(info, fmt)
    if recorded is not None:
        saved = recorded.options
        options = ExportOptions(title=saved.get("title") or DEFAULT_TITLE, stage=saved.get("stage") or "",
                                compiler=saved.get("compiler") or "",
                                catalogue_only=bool(saved.get("catalogue_only")), codes=saved.get("codes"),
                                changelog_since=saved.get("changelog_since"), generated=saved["generated"],
                                **_layout(saved))
        basis = (f"按本阶段记录的导出（{recorded.time}，{os.path.basename(recorded.path)}）的选项和生成时间重建，"
                 "材料与该导出完全一致")
        return options, saved.get("selected"), basis
    options = ExportOptions(title=given.get("title", DEFAULT_TITLE), stage=given.get("stage", info.name),
                            compiler=given.get("compiler", ""), catalogue_only=bool(given.get("catalogue_only")),
                            codes=given.get("codes"), generated=info.frozen_at, **_layout(given))
    basis = f"按阶段“{info.name}”冻结时（{info.frozen_at}）的材料重建，日期为冻结时间"
    return options, select_codes(snapshot, options.codes), basis


def _layout(saved: dict) -> dict:
    """Edition, scores shown, photos per page and page numbers as recorded (or given), else the defaults."""
    return {"edition": saved.get("edition") or LAYOUT_DEFAULTS.edition,
            "scores": bool(saved.get("scores", LAYOUT_DEFAULTS.scores)),
            "photos_per_page": int(saved.get("photos_per_page") or LAYOUT_DEFAULTS.photos_per_page),
            "page_numbers": saved.get("page_numbers") or LAYOUT_DEFAULTS.page_numbers}


def _recorded_export(info: StageInfo, fmt: str) -> ExportRecord | None:
    """The stage's latest export of this format that showed exactly its evidence (else of any format)."""
    usable = [e for e in info.exports if e.matches and e.options.get("generated")]
    same = [e for e in usable if e.format == fmt]
    return (same or usable or [None])[-1]


def select_codes(snapshot: Snapshot, codes: list[str] | None) -> list[str] | None:
    """The chosen criteria (by code or label as written) and all below them, in catalogue order."""
    if not codes:
        return None
    records = snapshot.criteria
    chosen = set()
    for code in codes:
        text = code.strip()
        match = [r.code for r in records if r.code == text] or [
            r.code for r in records if r.criterion.label.rstrip("、.．") == text.rstrip("、.．")]
        if len(match) != 1:
            raise UserError(f"冻结时的评价目录中没有编号 {text}" if not match
                            else f"编号 {text} 不唯一，可能是：{'、'.join(match)}，请使用完整编号")
        chosen.add(match[0])
    selected: list[str] = []
    for record in records:  # parents come first, so one pass reaches every descendant
        if record.code in chosen or record.criterion.parent in selected:
            selected.append(record.code)
    return selected


def _reads(fmt: str, options: ExportOptions, f: EvidenceFile) -> bool:
    """Whether the output reads this file's bytes (embeds, attaches or copies it)."""
    if f.sha256 is None:
        return False
    if fmt == "zip":
        return True
    if options.catalogue_only or f.problem:
        return False
    kind = attachment_kind(f.type)
    return kind == "image" if fmt == "docx" else kind is not None


def _check_files(archive: Archive, snapshot: Snapshot, evidence: EvidenceSet, fmt: str, options: ExportOptions,
                 store: CopyStore | None, workdir: Path, result: RebuildResult, job: ProgressReporter) -> None:
    needed: dict[int, list[EvidenceFile]] = {}
    for item in evidence.items:
        for f in item.files:
            if _reads(fmt, options, f):
                needed.setdefault(f.id, []).append(f)
    live = dict(archive.conn.execute("SELECT path, sha256 FROM files"))
    listed = {f.id for item in evidence.items for f in item.files}
    for fid in sorted(listed - needed.keys()):  # not read by this format: the index says whether they changed
        record = snapshot.files[fid]
        if record.sha256 and live.get(record.path) != record.sha256:
            result.changed.append(record.path)
    total = max(1, sum(snapshot.files[fid].size for fid in needed))
    done = 0
    for fid, copies in needed.items():
        record = snapshot.files[fid]
        job.report(done / total, f"正在核对 {record.rel}")
        done += record.size
        if _still_same(record.path, record.size, record.sha256):
            continue
        result.changed.append(record.path)
        if store is not None:
            dest = workdir / str(fid) / os.path.basename(record.path)
            dest.parent.mkdir()
            store.restore(record.sha256, dest, record.rel, record.mtime_ns)
            result.restored.append(record.path)
            for f in copies:
                f.path = str(dest)
        else:
            result.left_out.append(record.path)
            for f in copies:
                f.available = False
    result.changed.sort()


def _still_same(path: str, size: int, sha256: str) -> bool:
    try:
        return os.path.getsize(path) == size and file_sha256(path) == sha256
    except OSError:
        return False
