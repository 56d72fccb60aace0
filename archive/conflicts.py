"""Sync-conflict copies: when two people change a file in a shared or synced folder at once, the sync service keeps
both, under a second name. Both then look like evidence; the clerk must choose. They stay indexed, with a problem.

Recognised names (the original is what the name says it was a copy of):
    方案 (冲突副本 2024-01-02 103000).docx        Nextcloud / ownCloud in Chinese, 坚果云
    方案 (conflicted copy 2024-01-02 103000).docx  Nextcloud; Dropbox: "方案 (张三's conflicted copy 2024-01-02)"
    方案.sync-conflict-20240102-103000-ABCDEFG.docx Syncthing
    方案_conflict-20240102-103000.docx, 方案-conflict-张三.docx   ownCloud, others (without a time: beside 方案.docx)
    方案 (1).docx, 方案(1).docx, 方案（1）.docx     OneDrive, browsers, Explorer: only beside 方案.docx itself
OneDrive's "方案-COMPUTERNAME.docx" duplicates cannot be told from an ordinary name and are not recognised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

from archive.db import Archive
from archive.linkset import path_range

PREFIX = "疑似同步冲突副本"
# one cheap test before the real ones: most names contain none of these
_HINT = re.compile(r"冲突|conflict|[(（]\s*\d", re.IGNORECASE)
_BRACKETED = re.compile(r"^(?P<stem>.*?)\s*[(（][^()（）]*(?:冲突副本|冲突文件|conflicted copy)[^()（）]*[)）]"
                        r"(?P<ext>\.[^.]*)?$", re.IGNORECASE)
_SYNCTHING = re.compile(r"^(?P<stem>.*?)\.sync-conflict-\d{8}-\d{6}(?:-[A-Z0-9]+)?(?P<ext>\.[^.]*)?$", re.IGNORECASE)
_DASHED = re.compile(r"^(?P<stem>.*?)[-_]conflict[-_](?P<rest>[^.]*)(?P<ext>\.[^.]*)?$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<stem>.*?)\s?[(（]\s*\d{1,3}\s*[)）](?P<ext>\.[^.]*)?$")


def message(original: str) -> str:
    return f"{PREFIX}（原文件：{original}）"


def original_name(name: str, exists: Callable[[str], bool]) -> str | None:
    """The name this file is a conflict copy of, or None. `exists(name)` says whether a sibling of that name exists
    (needed for "(1)" copies, which are only suspicious beside their original)."""
    if not _HINT.search(name):
        return None
    for pattern in (_BRACKETED, _SYNCTHING):
        found = pattern.match(name)
        if found and found["stem"]:
            return found["stem"] + (found["ext"] or "")
    found = _DASHED.match(name)  # "-conflict-" may be part of an ordinary title: a time stamp or the original
    if found and found["stem"]:
        original = found["stem"] + (found["ext"] or "")
        if found["rest"][:1].isdigit() or exists(original):
            return original
    found = _NUMBERED.match(name)
    if found and found["stem"]:
        original = found["stem"].rstrip() + (found["ext"] or "")
        if exists(original):
            return original
    return None


def conflict_problems(paths: Iterable[str], exists: Callable[[str], bool] | None = None) -> dict[str, str]:
    """path -> Chinese problem for each path that looks like a sync-conflict copy.

    A "(1)" copy counts only when its original is among `paths` or, failing that, `exists(path)` (default: on disk).
    """
    paths = list(paths)
    present = set(paths)
    on_disk = exists or os.path.exists
    found = {}
    for path in paths:
        folder, name = os.path.split(path)
        original = original_name(name, lambda other, f=folder: (p := os.path.join(f, other)) in present or on_disk(p))
        if original is not None:
            found[path] = message(original)
    return found


# rows worth a look: a hint in the path, or a conflict problem that may have to be cleared (SQL does the cheap part)
_CANDIDATES = ("SELECT path, problem FROM files WHERE sha256 IS NOT NULL AND (path LIKE '%冲突%' OR "
               "path LIKE '%conflict%' OR path LIKE '%(%' OR path LIKE '%（%' OR problem LIKE '" + PREFIX + "%')")


def _candidates(archive: Archive, targets: list[str] | None) -> dict[str, str | None]:
    """path -> problem for the indexed rows a scan of `targets` may have changed (with their siblings)."""
    if targets is None:
        return dict(archive.conn.execute(_CANDIDATES))
    rows: dict[str, str | None] = {}
    for target in {os.path.abspath(t) for t in targets}:
        for folder in {target, os.path.dirname(target)}:  # a file's siblings, or a folder's whole tree
            lo, hi = path_range(folder)
            rows.update(archive.conn.execute(_CANDIDATES + " AND path >= ? AND path < ?", (lo, hi)))
    return rows


def refresh_conflicts(archive: Archive, targets: list[str] | None = None) -> int:
    """Set or clear the conflict-copy problem on indexed files after a scan of `targets` (None: everything).

    Another problem (empty file, unreadable ...) is never overwritten; a conflict problem whose original is gone is
    cleared. Returns how many rows changed.
    """
    rows = _candidates(archive, targets)

    def indexed(path: str) -> bool:
        return archive.conn.execute("SELECT 1 FROM files WHERE path = ?", (path,)).fetchone() is not None

    found = conflict_problems(rows, exists=indexed)
    updates = [(found.get(path), path) for path, problem in rows.items()
               if (problem is None or problem.startswith(PREFIX)) and found.get(path) != problem]
    if updates:
        with archive.atomic():
            archive.conn.executemany("UPDATE files SET problem = ? WHERE path = ?", updates)
    return len(updates)
