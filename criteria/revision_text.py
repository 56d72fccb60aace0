"""A revision plan as a clerk reads it (Chinese lines) and as scripts read it (JSON under "revision")."""

from __future__ import annotations

from criteria.revision import (
    KINDS,
    MERGED,
    NEW,
    REMOVED,
    RENUMBERED,
    RESTORED,
    REWORDED,
    SAME,
    RevisionEntry,
    RevisionPlan,
)

KIND_NAMES = {SAME: "未变", RENUMBERED: "改编号", REWORDED: "文字修订", MERGED: "合并", REMOVED: "删除",
              NEW: "新增", RESTORED: "恢复"}
# the order a clerk reviews the outcomes in: what loses its place first, then what moves, then what stays
REVIEW_ORDER = (REMOVED, MERGED, REWORDED, RENUMBERED, RESTORED, NEW, SAME)
MAX_PATHS = 5  # linked paths listed under one entry in the text; the JSON has them all


def summary(plan: RevisionPlan) -> str:
    counts = plan.counts()
    old = sum(1 for e in plan.entries if e.old_code is not None and e.kind != RESTORED)
    new = sum(1 for e in plan.entries if e.new_code is not None and e.kind != MERGED)
    parts = "，".join(f"{KIND_NAMES[kind]} {counts[kind]}" for kind in KINDS if counts[kind] or kind == SAME)
    # every row counts here, parts and groups too, and says so: elsewhere "评价项目" counts the items files go under
    return f"目录修订（含上级项目）：原 {old} 项 → 新 {new} 项（{parts}）；随项目移动的关联 {plan.links_moved()} 个"


def _links_note(entry: RevisionEntry) -> str:
    count = len(entry.links)
    if not count:
        return ""
    if entry.kind == RESTORED:
        return f"；恢复其 {count} 个关联"
    return f"；{count} 个关联随之移动" if entry.moves_links else f"；{count} 个关联不变"


def entry_line(entry: RevisionEntry) -> str:
    name = KIND_NAMES[entry.kind]
    old = f"{entry.old_code} {entry.old_title}"
    new = f"{entry.new_code} {entry.new_title}"
    extra = f"；其他变化：{'、'.join(entry.changes)}" if entry.changes else ""
    if entry.kind == NEW:
        reused = f"（编号 {entry.new_code} 原指“{entry.reused_from}”，其材料不转给它）" if entry.reused_from else ""
        return f"{name}：{new}{reused}"
    if entry.kind == REMOVED:
        kept = f"（保留其 {len(entry.links)} 个关联，不转给其他项目）" if entry.links else ""
        return f"{name}：{old}{kept}"
    if entry.kind == SAME:
        return f"{name}：{old}{extra}"
    if entry.kind == RENUMBERED:
        return f"{name}：{old} → {entry.new_code}{_links_note(entry)}{extra}"
    if entry.kind == REWORDED:
        return (f"{name}：{old} → {new}（相似度 {entry.similarity:.0%}；已有的确认改为“确认后有变更”"
                f"{_links_note(entry)}{extra}）")
    if entry.kind == MERGED:
        return f"{name}：{old} → 并入 {new}{_links_note(entry)}"
    was = f"“{entry.old_title}”" if entry.old_title != entry.new_title else ""
    return f"{name}：{new}（此前删除的{was}项目{_links_note(entry)}）"


def shown(entry: RevisionEntry, include_same: bool = False) -> bool:
    """An unchanged item is listed only when asked, or when its points or units changed."""
    return include_same or entry.kind != SAME or bool(entry.changes)


def review_groups(plan: RevisionPlan, include_same: bool = False) -> list[tuple[str, list[RevisionEntry]]]:
    """The entries to review, by outcome in REVIEW_ORDER, empty outcomes left out."""
    groups = [(kind, [e for e in plan.of_kind(kind) if shown(e, include_same)]) for kind in REVIEW_ORDER]
    return [(kind, entries) for kind, entries in groups if entries]


def plan_lines(plan: RevisionPlan, include_same: bool = False) -> list[str]:
    """The summary, the warnings, then one line per item that changes (every item with `include_same`), with the
    paths of links that move."""
    lines = [summary(plan)]
    lines += [f"注意：{warning}" for warning in plan.warnings]
    for entry in plan.entries:
        if not shown(entry, include_same):
            continue
        lines.append(entry_line(entry))
        if entry.moves_links:
            lines += [f"    ← {path}" for path in entry.links[:MAX_PATHS]]
            if len(entry.links) > MAX_PATHS:
                lines.append(f"    ……另有 {len(entry.links) - MAX_PATHS} 个")
    if not plan.changes_anything:
        lines.append("新表与当前目录相同，无需修订")
    return lines


def plan_json(plan: RevisionPlan) -> dict:
    """{"summary": {kind: count, "links_moved"}, "old_fingerprint", "new_fingerprint", "warnings", "entries"}."""
    return {"summary": {**plan.counts(), "links_moved": plan.links_moved()},
            "old_fingerprint": plan.old_fingerprint, "new_fingerprint": plan.new_fingerprint,
            "warnings": plan.warnings, "entries": [e.to_json() for e in plan.entries]}
