"""A lost link's folder or file renamed where it stood, or moved and renamed: found by what it holds, not its name.

archive.links.same_name_nearby finds a linked folder or file moved under its own name. A clerk as often renames one
in place ("1.2 工作方案" → "1.2 工作方案（已整理）", "通知.pdf" → "关于…的通知（终稿）.pdf"), or tidies it into a new
folder under a new name ("2024年/1.2 工作方案（定稿）"), and then nothing of that name is anywhere. What the index last
saw of it tells it apart: a file's size and SHA-256, a folder's files (their paths inside it and sizes).
`renamed_nearby` looks beside where it stood; `moved_and_renamed` in the neighbourhood: the grandparent's folders,
NEIGHBOURHOOD_DEPTH levels down, nearest first. Each look is bounded (MAX_ENTRIES entries listed, MAX_HASHED
candidates read), so a huge or slow share costs a bounded time. Read only.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from functools import lru_cache

from archive.db import is_archive_file
from archive.index.hashing import hash_file
from archive.linkset import path_range

MAX_ENTRIES = 5000  # directory entries listed in the neighbourhood of one lost link
MAX_HASHED = 8  # files of the lost file's size read to compare their content
SHARED = 0.5  # more than this share of a lost folder's files found in a sibling (same path inside, same size)
NEIGHBOURHOOD_DEPTH = 5  # levels below the lost one's grandparent listed: its files, moved one level down and renamed


def what_was_there(conn, path: str, is_dir: bool) -> dict[str, tuple[int, str]]:
    """What the index last saw at a lost link: {relative path: (size, sha256)} of a folder's files, or {"": (size,
    sha256)} of a file. Empty when it saw nothing there (the link was lost before its first scan)."""
    if is_dir:
        low, high = path_range(path)
        rows = conn.execute("SELECT path, size, sha256 FROM files WHERE path >= ? AND path < ? AND sha256 IS NOT NULL",
                            (low, high)).fetchall()
        return {found[len(low):]: (size, sha) for found, size, sha in rows}
    row = conn.execute("SELECT size, sha256 FROM files WHERE path = ? AND sha256 IS NOT NULL", (path,)).fetchone()
    return {"": (row[0], row[1])} if row else {}


def renamed_nearby(lost: str, is_dir: bool, seen: dict[str, tuple[int, str]]) -> str | None:
    """The folder or file beside where `lost` stood that holds what it held (`seen`: what_was_there), or None."""
    parent = os.path.dirname(lost.rstrip(os.sep))
    if not seen or not parent or not os.path.isdir(parent):
        return None
    if is_dir:
        return _folder_holding(parent, lost, seen)
    size, sha = seen[""]
    return _file_with(parent, lost, size, sha)


def moved_and_renamed(lost: str, is_dir: bool, seen: dict[str, tuple[int, str]]) -> str | None:
    """The folder or file near where `lost` stood (under its grandparent), under another name and not beside it,
    that holds what it held; None when there is none, or more than one folder holds it equally."""
    parent = os.path.dirname(lost.rstrip(os.sep))
    top = os.path.dirname(parent)
    if not seen or not top or top == parent or not os.path.isdir(top):
        return None
    listing = _neighbourhood(top)
    name = os.path.basename(lost.rstrip(os.sep))
    if not is_dir:
        size, sha = seen[""]
        same_size = [path for path, found in listing.items() if found == size and os.path.dirname(path) != parent
                     and os.path.basename(path) != name]
        return _first_with(sorted(same_size, key=lambda path: (_distance(path, lost), path)), sha)
    held = _folders_holding(listing, seen, lost)
    ranked = sorted(((-shared, _distance(folder, lost), folder) for folder, shared in held.items()
                     if os.path.dirname(folder) != parent and os.path.basename(folder) != name))
    if not ranked or -ranked[0][0] <= SHARED * len(seen):
        return None
    return ranked[0][2] if len(ranked) == 1 or ranked[1][:2] != ranked[0][:2] else None


def _neighbourhood(top: str) -> dict[str, int]:
    """{path: size} of the files under `top`, NEIGHBOURHOOD_DEPTH levels down and MAX_ENTRIES entries at most."""
    return _listed(top, [MAX_ENTRIES], NEIGHBOURHOOD_DEPTH)


def _listed(top: str, budget: list[int], depth: int | None = None) -> dict[str, int]:
    """{path: size} of the files under `top`, breadth first (the nearest folders first), `depth` levels down at most
    (None: all), as far as `budget` (entries left to list, shared by the caller's looks) allows."""
    found: dict[str, int] = {}
    folders = deque([(top, 0)])
    while folders and budget[0] > 0:
        folder, level = folders.popleft()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    budget[0] -= 1
                    if budget[0] < 0:
                        break
                    if entry.is_dir(follow_symlinks=False):
                        if depth is None or level + 1 < depth:
                            folders.append((entry.path, level + 1))
                    elif (size := _size_of(entry)) is not None:
                        found[entry.path] = size
        except OSError:
            continue
    return found


def _folders_holding(listing: dict[str, int], seen: dict[str, tuple[int, str]], lost: str) -> Counter:
    """folder -> how many of the lost folder's files it holds at the same path inside it, with the same size (any
    folder of the listing, but the ones the lost folder stood in)."""
    held: Counter = Counter()
    for path, size in listing.items():
        parts = path.split(os.sep)
        for cut in range(len(parts) - 1, 0, -1):
            inside = os.sep.join(parts[cut:])
            if seen.get(inside, (None,))[0] == size:
                folder = os.sep.join(parts[:cut])
                if not lost.startswith(folder + os.sep):
                    held[folder] += 1
    return held


def _distance(path: str, lost: str) -> int:
    """Folder levels between `path` and where `lost` stood: up to their common folder, then down."""
    common = os.path.commonpath([path, lost])
    return path.count(os.sep) + lost.count(os.sep) - 2 * common.count(os.sep)


def _file_with(parent: str, lost: str, size: int, sha: str) -> str | None:
    """The first file in `parent` (by name) of `size` bytes whose SHA-256 is `sha`."""
    try:
        with os.scandir(parent) as entries:
            same_size = sorted(entry.path for _, entry in zip(range(MAX_ENTRIES), entries, strict=False)
                               if entry.path != lost and _size_of(entry) == size)
    except OSError:
        return None
    return _first_with(same_size, sha)


def _first_with(candidates: list[str], sha: str) -> str | None:
    """The first of `candidates` (at most MAX_HASHED read) whose SHA-256 is `sha`."""
    for candidate in [path for path in candidates if not is_archive_file(path)][:MAX_HASHED]:
        try:
            st = os.stat(candidate)
        except OSError:
            continue
        if _sha256(candidate, st.st_size, st.st_mtime_ns) == sha:
            return candidate
    return None


def _folder_holding(parent: str, lost: str, seen: dict[str, tuple[int, str]]) -> str | None:
    """The sibling folder of `lost` holding most of the files it held (same path inside, same size), if that is more
    than SHARED of them: a folder of the same set of files, not one that shares a few with it (a copied template)."""
    budget = [MAX_ENTRIES]
    best, best_shared = None, 0
    try:
        siblings = sorted(entry.path for entry in os.scandir(parent)
                          if entry.path != lost and entry.is_dir(follow_symlinks=False))
    except OSError:
        return None
    for sibling in siblings:
        if budget[0] <= 0:
            break
        held = _files_under(sibling, budget)
        shared = sum(1 for relative, size in held.items() if seen.get(relative, (None,))[0] == size)
        if shared > best_shared:
            best, best_shared = sibling, shared
    return best if best_shared > SHARED * len(seen) else None


def _files_under(top: str, budget: list[int]) -> dict[str, int]:
    """{path inside `top`: size} of the files under it, as far as `budget` (entries left to list) allows."""
    return {path[len(top) + 1:]: size for path, size in _listed(top, budget).items()}


def _size_of(entry: os.DirEntry) -> int | None:
    try:
        return entry.stat(follow_symlinks=False).st_size if entry.is_file(follow_symlinks=False) else None
    except OSError:
        return None


@lru_cache(maxsize=256)
def _sha256(path: str, size: int, mtime_ns: int) -> str | None:
    """The file's SHA-256 as the index takes it (hashing.hash_file), read once for as long as its size and time
    stay (the app looks again every few seconds while a link is lost)."""
    return hash_file(path).sha256
