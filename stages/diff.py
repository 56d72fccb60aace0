"""What changed between two stages, or between a stage and now, per criterion (the 整改前后对照).

Per code: files added, changed (same path, other content), removed and moved (same content, other path), the
score, the state, and the rectification items closed (verified) or raised since; and the files whose catalogue
description (题名, 日期, …) changed, same file and content (stages.diff_described). A move is found over the whole
archive: a path that is gone and a new path with the same SHA-256 are one file moved, listed under every code that
listed either end. Files of a rectification item ("R12") are listed under that code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from types import SimpleNamespace

from archive.db import Archive
from archive.status import STATE_NAMES
from criteria.model import descendants
from selfeval.rectify import Rectification, describe_link_code
from selfeval.sheet import Score
from stages.diff_described import FieldChange, described_changes
from stages.records import find_stage, load_stage, stage_metadata
from stages.snapshot import FileRecord, Snapshot, gc_paused, take_snapshot

NOW_NAME = "当前"
CHANGE_KINDS = ("added", "changed", "removed", "moved", "described")


@dataclass
class FileChange:
    kind: str  # added | changed | removed | moved | described
    new: FileRecord | None  # after (None when removed)
    old: FileRecord | None  # before (None when added)
    fields: list[FieldChange] | None = None  # described: (label, old, new) of each printed field that changed

    @property
    def path(self) -> str:
        return (self.new or self.old).path

    @property
    def rel(self) -> str:
        return (self.new or self.old).rel

    def to_json(self) -> dict:
        data = {"path": self.path, "rel": self.rel}
        if self.kind == "moved":
            data.update(old_path=self.old.path, old_rel=self.old.rel, sha256=self.new.sha256, size=self.new.size)
        elif self.kind == "described":
            data.update(size=self.new.size, sha256=self.new.sha256,
                        fields=[{"field": label, "from": old, "to": new} for label, old, new in self.fields])
        elif self.kind == "changed":
            data.update(size=self.new.size, old_size=self.old.size, sha256=self.new.sha256,
                        old_sha256=self.old.sha256)
        else:
            record = self.new or self.old
            data.update(size=record.size, sha256=record.sha256)
        return data


@dataclass
class CodeDiff:
    code: str
    title: str
    catalogue: str | None = None  # "added" / "removed" when the criterion exists on one side only
    files: dict[str, list[FileChange]] = field(default_factory=lambda: {kind: [] for kind in CHANGE_KINDS})
    score: tuple[Score | None, Score | None] | None = None
    state: tuple[str | None, str | None] | None = None
    closed: list[tuple[Rectification | None, Rectification]] = field(default_factory=list)
    raised: list[Rectification] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.catalogue or any(self.files.values()) or self.score or self.state or self.closed
                    or self.raised)

    def to_json(self) -> dict:
        return {"code": self.code, "title": self.title, "catalogue": self.catalogue,
                **{kind: [c.to_json() for c in changes] for kind, changes in self.files.items()},
                "score": None if self.score is None else {"from": _score_json(self.score[0]),
                                                          "to": _score_json(self.score[1])},
                "state": None if self.state is None else {"from": self.state[0], "to": self.state[1]},
                "rectifications_closed": [_rect_json(old, new) for old, new in self.closed],
                "rectifications_raised": [_rect_json(None, new) for new in self.raised]}


@dataclass
class StageDiff:
    old_name: str
    old_time: str
    new_name: str
    new_time: str
    codes: list[CodeDiff]
    parents: dict[str, str | None] = field(default_factory=dict)  # every criterion of either catalogue: its parent

    def totals(self) -> dict:
        counts = {kind: sum(len(c.files[kind]) for c in self.codes) for kind in CHANGE_KINDS}
        return {**counts, "scores": sum(1 for c in self.codes if c.score), "states": sum(1 for c in self.codes
                                                                                           if c.state),
                "rectifications_closed": sum(len(c.closed) for c in self.codes),
                "rectifications_raised": sum(len(c.raised) for c in self.codes), "criteria": len(self.codes)}

    def for_code(self, code: str) -> list[CodeDiff]:
        """The changes of a criterion and everything below it, by parent in either catalogue (an imported table's
        item "5" may sit under "二"; dotted codes alone said "nothing changed" of such a part)."""
        rows = [SimpleNamespace(code=child, parent=parent) for child, parent in self.parents.items()]
        under = descendants(rows, code) | {code}
        return [c for c in self.codes if c.code in under]

    def to_json(self) -> dict:
        return {"from": {"name": self.old_name, "time": self.old_time},
                "to": {"name": self.new_name, "time": self.new_time},
                "criteria": [c.to_json() for c in self.codes], "totals": self.totals()}


def _score_json(score: Score | None) -> dict | None:
    return None if score is None else {"points": score.points, "failed": score.failed, "note": score.note}


def _rect_json(old: Rectification | None, new: Rectification) -> dict:
    return {"id": new.id, "text": new.text, "unit": new.unit, "from": old.state if old else None, "to": new.state,
            "verified_by": new.verified_by, "verified_at": new.verified_at}


def diff_stages(archive: Archive, old: str, new: str | None = None) -> StageDiff:
    """Stage `old` against stage `new`, or against the archive now when `new` is None."""
    with gc_paused():
        return _diff_stages(archive, old, new)


def _diff_stages(archive: Archive, old: str, new: str | None) -> StageDiff:
    old_info = find_stage(archive, old)
    before = load_stage(archive, old_info, dossier_data=False)
    before.metadata = stage_metadata(archive, old_info)  # the files' descriptions are compared too
    if new is None:
        after, new_name = take_snapshot(archive), NOW_NAME
    else:
        new_info = find_stage(archive, new)
        after, new_name = load_stage(archive, new_info, dossier_data=False), new_info.name
        after.metadata = stage_metadata(archive, new_info)
    parents = {r.code: r.criterion.parent for r in (*before.criteria, *after.criteria)}
    return StageDiff(old_info.name, before.time, new_name, after.time, diff_snapshots(before, after), parents)


def diff_snapshots(before: Snapshot, after: Snapshot) -> list[CodeDiff]:
    (old_files, old_paths), (new_files, new_paths) = _index(before), _index(after)
    moved_to, moved_from = _moves(old_paths, new_paths)
    described = described_changes(before.metadata, after.metadata, old_paths, new_paths)
    diffs = {code: CodeDiff(code, title) for code, title in _codes(before, after, old_files.keys() | new_files)}
    for code, diff in diffs.items():
        _file_changes(diff, old_files.get(code, {}), new_files.get(code, {}), moved_to, moved_from, described)
    _criteria_changes(diffs, before, after)
    _rectification_changes(diffs, before, after)
    return [diff for diff in diffs.values() if diff]


def _index(snapshot: Snapshot) -> tuple[dict[str, dict[str, FileRecord]], dict[str, FileRecord]]:
    """({code: {path: file}} of what each code lists, {path: file}) in one pass over the files."""
    by_code: dict[str, dict[str, FileRecord]] = {}
    by_path: dict[str, FileRecord] = {}
    for record in snapshot.files.values():
        by_path[record.path] = record
        for entry in record.listed:
            by_code.setdefault(entry[0], {})[record.path] = record
    return by_code, by_path


def _codes(before: Snapshot, after: Snapshot, listed: set[str]) -> list[tuple[str, str]]:
    """Criteria in the newer catalogue order, then those only the older one had, then other codes (R12 …)."""
    titles = {r.code: r.criterion.title for r in after.criteria}
    for record in before.criteria:
        titles.setdefault(record.code, record.criterion.title)
    others = sorted(listed - set(titles), key=_other_key)
    rects = {**before.rectifications, **after.rectifications}
    for code in others:
        number = code[1:]
        rect = rects.get(int(number)) if code.startswith("R") and number.isdigit() else None
        titles[code] = f"{describe_link_code(code)}：{rect.text}" if rect else describe_link_code(code)
    return list(titles.items())


def _other_key(code: str) -> tuple:
    number = code[1:]
    return (0, int(number), "") if code.startswith("R") and number.isdigit() else (1, 0, code)


def _moves(old_paths: dict[str, FileRecord],
           new_paths: dict[str, FileRecord]) -> tuple[dict[str, FileRecord], dict[str, FileRecord]]:
    """Pair every path that is gone with a new path of the same content (same name first)."""
    arrivals: dict[str, list[FileRecord]] = {}
    for path in sorted(new_paths.keys() - old_paths.keys()):
        record = new_paths[path]
        if record.sha256:
            arrivals.setdefault(record.sha256, []).append(record)
    moved_to: dict[str, FileRecord] = {}
    moved_from: dict[str, FileRecord] = {}
    for path in sorted(old_paths.keys() - new_paths.keys()):
        record = old_paths[path]
        candidates = arrivals.get(record.sha256) if record.sha256 else None
        if not candidates:
            continue
        name = os.path.basename(path)
        chosen = next((c for c in candidates if os.path.basename(c.path) == name), candidates[0])
        candidates.remove(chosen)
        moved_to[path], moved_from[chosen.path] = chosen, record
    return moved_to, moved_from


def _same_content(before: FileRecord, after: FileRecord) -> bool:
    return after.sha256 == before.sha256 and after.size == before.size


def _file_changes(diff: CodeDiff, old: dict[str, FileRecord], new: dict[str, FileRecord],
                  moved_to: dict[str, FileRecord], moved_from: dict[str, FileRecord],
                  described: dict[str, list[FieldChange]]) -> None:
    files = diff.files
    for path, before in old.items():
        after = new.get(path)
        if after is not None:
            if not _same_content(before, after):
                files["changed"].append(FileChange("changed", after, before))
            elif path in described:
                files["described"].append(FileChange("described", after, before, described[path]))
        elif path in moved_to:
            files["moved"].append(FileChange("moved", moved_to[path], before))
        else:
            files["removed"].append(FileChange("removed", None, before))
    for path in new.keys() - old.keys():
        if path in moved_from:
            if moved_from[path].path not in old:  # moved in from another code's folder
                files["moved"].append(FileChange("moved", new[path], moved_from[path]))
        else:
            files["added"].append(FileChange("added", new[path], None))
    for changes in files.values():
        changes.sort(key=lambda change: change.path)


def _criteria_changes(diffs: dict[str, CodeDiff], before: Snapshot, after: Snapshot) -> None:
    old, new = before.by_code(), after.by_code()
    for code, diff in diffs.items():
        if code in old and code in new:
            if old[code].state != new[code].state:
                diff.state = (old[code].state, new[code].state)
        elif code in new:
            diff.catalogue, diff.state = "added", (None, new[code].state)
        elif code in old:
            diff.catalogue, diff.state = "removed", (old[code].state, None)
        old_score, new_score = before.scores.get(code), after.scores.get(code)
        if _score_key(old_score) != _score_key(new_score):
            diff.score = (old_score, new_score)


def _score_key(score: Score | None) -> tuple | None:
    return None if score is None else (score.points, score.failed)


def _rectification_changes(diffs: dict[str, CodeDiff], before: Snapshot, after: Snapshot) -> None:
    for rect_id, rect in after.rectifications.items():
        old = before.rectifications.get(rect_id)
        diff = diffs.get(rect.code)
        if diff is None:
            diff = diffs[rect.code] = CodeDiff(rect.code, rect.code)
        if old is None:
            diff.raised.append(rect)
        if rect.state == "verified" and (old is None or old.state != "verified"):
            diff.closed.append((old, rect))


def state_name(state: str | None) -> str:
    return "（无）" if state is None else STATE_NAMES.get(state, state)
