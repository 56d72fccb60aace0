"""`criteria ARCHIVE --import FILE [--preview] [--json]` on an archive that already has a catalogue: the revision plan
(which old item became which new item, by text, and the links that move), applied unless --preview.

Text: the plan's lines (criteria.revision_text), then one line saying whether it was applied.
JSON: {"revision": {"summary", "old_fingerprint", "new_fingerprint", "warnings", "entries"}, "applied": bool}.
"""

from __future__ import annotations

from archive.db import Archive
from archive.revision import apply_revision, plan_for_archive
from criteria.model import Catalogue
from criteria.revision import RevisionPlan
from criteria.revision_text import plan_json, plan_lines


def revision_output(plan: RevisionPlan, applied: bool, as_json: bool) -> dict | list[str]:
    """What the command prints: a dict for --json (to merge into a larger JSON answer), else text lines."""
    if as_json:
        return {"revision": plan_json(plan), "applied": applied}
    if applied:
        last = "已按修订计划更新评价目录"
    elif plan.changes_anything:
        last = "预览：未写入档案（去掉 --preview 即按此计划修订）"
    else:
        last = "预览：未写入档案"
    return [*plan_lines(plan), last]


def import_revision(archive: Archive, catalogue: Catalogue, preview: bool) -> tuple[RevisionPlan, bool]:
    """Plan the revision; apply it unless `preview`. Returns (plan, applied)."""
    plan = plan_for_archive(archive, catalogue)
    if preview:
        return plan, False
    apply_revision(archive, catalogue, plan)
    return plan, True
