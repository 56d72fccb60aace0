"""What the department-package dialogs share: refusals worked out before anything runs, and a package's summary.

The checks here only read: they let a dialog say "this cannot work, because …" while the user is still choosing,
with the same words the core would use when it refuses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from archive.db import Archive
from archive.linkset import LinkSet
from archive.netpaths import check_archive_location
from common.errors import ReviewReadyError
from departments import manifest
from departments.safezip import DEFAULT_LIMITS, check_entries, open_zip
from departments.units import ASSIST, LEAD, unit_component

ERROR_STYLE = "color: #c62828;"
MAX_LISTED = 12


def network_refusal(path: str) -> str | None:
    """The core's refusal to keep an archive database at `path` (a network location), or None where it may go."""
    if not path.strip():
        return None
    try:
        check_archive_location(os.path.abspath(os.path.expanduser(path.strip())))
    except ReviewReadyError as exc:
        return str(exc)
    return None


def linked_folder_refusal(archive: Archive, path: str) -> str | None:
    """Output written inside a linked evidence folder would itself become evidence (and the folders are read-only to
    us): say so, or None."""
    links = LinkSet.load(archive.conn)
    if links.covers(path) or links.covers(os.path.join(path, "x")):
        return f"不能保存在关联的证明材料文件夹中，请另选位置：{path}"
    return None


def listing(lines: list[str], limit: int = MAX_LISTED) -> str:
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"……另有 {len(lines) - limit} 项")
    return "\n".join(shown)


@dataclass
class PackageSummary:
    kind: str  # manifest.TASK_KIND or manifest.EVIDENCE_KIND
    unit: str
    archive_title: str
    created: str
    lead: int = 0  # task packages: the unit's own items by role
    assist: int = 0
    files: int = 0  # evidence packages: files and their bytes
    bytes: int = 0

    @property
    def folder_name(self) -> str:
        """The unit's folder under the evidence root, as the importer names it."""
        return unit_component(self.unit)

    def text(self) -> str:
        where = f"（{self.archive_title}，{self.created} 生成）" if self.archive_title else f"（{self.created} 生成）"
        if self.kind == manifest.TASK_KIND:
            return f"{self.unit} 的任务包{where}：牵头 {self.lead} 项、配合 {self.assist} 项"
        return f"{self.unit} 的证明材料包{where}：{self.files} 个文件"


def read_package(path: str | Path, kind: str) -> PackageSummary:
    """The manifest of a task or evidence package, checked as the importers check it (UserError says what is wrong).
    Reads only the manifest: fast even for a large package."""
    where = str(path)
    with open_zip(path) as zf:
        entries = check_entries(zf, where, DEFAULT_LIMITS)
        data = manifest.load(zf, entries, where, kind, DEFAULT_LIMITS)
        summary = PackageSummary(kind, data["unit"].strip(), str(data.get("archive_title") or ""),
                                 str(data.get("created") or ""))
        if kind == manifest.TASK_KIND:
            own = [item for item in manifest.task_criteria(data, where) if item.get("own", True)]
            summary.lead = sum(1 for item in own if item.get("role") == LEAD)
            summary.assist = sum(1 for item in own if item.get("role") == ASSIST)
        else:
            files = manifest.evidence_files(data, where)
            summary.files = len(files)
            summary.bytes = sum(item["size"] for item in files)
    return summary
