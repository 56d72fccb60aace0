"""Linking evidence folders and files to criteria, by hand or automatically by folder names."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from archive.catalogue import resolve_code
from archive.db import Archive, now
from archive.index.walk import is_junk_name
from archive.linkset import LinkSet, is_under
from common.errors import UserError
from criteria.codes import normalize_label, parse_leading_code


def normalize_path(path: str) -> str:
    return os.path.abspath(os.path.expanduser(path))


def link(archive: Archive, code: str, paths: list[str]) -> list[str]:
    """Link each path (folder: recursive; file: itself) to the criterion. Returns the paths newly linked."""
    return add_links(archive, resolve_code(archive, code), paths)


def add_links(archive: Archive, code: str, paths: list[str]) -> list[str]:
    """Link each path under `code` exactly as given (a criterion's code, or a rectification's "R<id>")."""
    targets = []
    for raw in paths:
        path = normalize_path(raw)
        if not os.path.exists(path):
            raise UserError(f"路径不存在：{raw}")
        if is_under(str(archive.path), path):
            raise UserError(f"档案文件本身位于 {path} 中，请把档案文件放在证明材料文件夹之外")
        targets.append((path, os.path.isdir(path)))
    added = []
    with archive.atomic():
        for path, is_dir in targets:
            cursor = archive.conn.execute(
                "INSERT OR IGNORE INTO links (code, path, is_dir, created) VALUES (?, ?, ?, ?)",
                (code, path, int(is_dir), now()))
            if cursor.rowcount:
                added.append(path)
    return added


def unlink(archive: Archive, code: str, path: str) -> None:
    code = resolve_code(archive, code)
    target = normalize_path(path)
    with archive.atomic():
        cursor = archive.conn.execute("DELETE FROM links WHERE code = ? AND path = ?", (code, target))
        if not cursor.rowcount:
            raise UserError(f"编号 {code} 没有关联 {path}")
        drop_unlinked_files(archive)


def drop_unlinked_files(archive: Archive) -> None:
    """Forget indexed files no link covers any more. Not a removal: the files are still on disk."""
    links = LinkSet.load(archive.conn)
    rows = archive.conn.execute("SELECT id, path FROM files").fetchall()
    archive.conn.executemany("DELETE FROM files WHERE id = ?", [(i,) for i, p in rows if not links.covers(p)])


@dataclass
class AutomapReport:
    linked: list[tuple[str, str]] = field(default_factory=list)  # (code, folder) newly linked
    existing: list[tuple[str, str]] = field(default_factory=list)  # already linked before
    unmatched: list[str] = field(default_factory=list)  # folders that name no criterion


class _CodeMatcher:
    """Finds the criterion a folder name starts with, using the matched folder above it to resolve "（二）"."""

    def __init__(self, archive: Archive):
        rows = archive.conn.execute("SELECT code, label, parent FROM criteria WHERE retired = 0").fetchall()
        self.codes = {code for code, _, _ in rows}
        self.by_label: dict[tuple[str | None, str], list[str]] = {}
        self.by_bare_label: dict[str, list[str]] = {}
        for code, label, parent in rows:
            key = normalize_label(label or "")
            if key:
                self.by_label.setdefault((parent, key), []).append(code)
                self.by_bare_label.setdefault(key, []).append(code)

    def match(self, name: str, context: str | None) -> str | None:
        found = parse_leading_code(name)
        if found is None:
            return None
        if found.style == "dotted":
            dotted = ".".join(str(n) for n in found.numbers)
            if context and len(found.numbers) == 1 and f"{context}.{dotted}" in self.codes:
                return f"{context}.{dotted}"
            return dotted if dotted in self.codes and dotted != context else None
        label = normalize_label(found.label)
        if context is not None:
            among = self.by_label.get((context, label), [])
            if len(among) == 1:
                return among[0]
        candidates = self.by_bare_label.get(label, [])
        return candidates[0] if len(candidates) == 1 else None


def automap(archive: Archive, root: str) -> AutomapReport:
    """Link every folder under `root` whose name starts with a criterion code to that criterion."""
    top = normalize_path(root)
    if not os.path.isdir(top):
        raise UserError(f"文件夹不存在：{root}")
    matcher = _CodeMatcher(archive)
    report = AutomapReport()
    found: list[tuple[str, str]] = []
    report.unmatched = sorted(_walk_folders(top, None, matcher, found)[1])
    existing = {(c, p) for c, p in archive.conn.execute("SELECT code, path FROM links")}
    for code, folder in found:
        (report.existing if (code, folder) in existing else report.linked).append((code, folder))
    with archive.atomic():
        archive.conn.executemany("INSERT OR IGNORE INTO links (code, path, is_dir, created) VALUES (?, ?, 1, ?)",
                                 [(code, folder, now()) for code, folder in report.linked])
    return report


def _walk_folders(folder: str, context: str | None, matcher: _CodeMatcher, found: list) -> tuple[bool, list[str]]:
    """Depth first. Returns whether anything below `folder` matched, and the outermost folders below it that matched
    nothing and hold nothing that matched (ordinary folders inside a matched one are content, not misses)."""
    try:
        with os.scandir(folder) as entries:
            subfolders = sorted(e.path for e in entries if e.is_dir(follow_symlinks=False) and not is_junk_name(e.name))
    except OSError:
        return False, []
    any_match = False
    misses: list[str] = []
    for sub in subfolders:
        code = matcher.match(os.path.basename(sub), context)
        if code is not None:
            found.append((code, sub))
            _walk_folders(sub, code, matcher, found)
            any_match = True
            continue
        matched_below, below = _walk_folders(sub, context, matcher, found)
        any_match = any_match or matched_below
        if matched_below:
            misses.extend(below)
        elif context is None:
            misses.append(sub)
    return any_match, misses
