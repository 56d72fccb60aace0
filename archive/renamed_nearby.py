"""A lost link's folder or file renamed where it stood: found by what it holds, not by its name.

archive.links.same_name_nearby finds a linked folder or file moved under its own name. A clerk as often renames one
in place ("1.2 工作方案" → "1.2 工作方案（已整理）", "通知.pdf" → "关于…的通知（终稿）.pdf"), and then nothing of that
name is anywhere. What the index last saw of it tells it apart: a file's size and SHA-256, a folder's files (their
paths inside it and sizes). Only the place the link stood in is looked into, and only so far (MAX_ENTRIES entries
listed, MAX_HASHED candidates read), so a huge or slow share costs a bounded time. Read only.
"""

from __future__ import annotations

import os
from functools import lru_cache

from archive.index.hashing import hash_file
from archive.linkset import path_range

MAX_ENTRIES = 5000  # directory entries listed in the neighbourhood of one lost link
MAX_HASHED = 8  # files of the lost file's size read to compare their content
SHARED = 0.5  # more than this share of a lost folder's files found in a sibling (same path inside, same size)


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


def _file_with(parent: str, lost: str, size: int, sha: str) -> str | None:
    """The first file in `parent` (by name) of `size` bytes whose SHA-256 is `sha`."""
    try:
        with os.scandir(parent) as entries:
            same_size = sorted(entry.path for _, entry in zip(range(MAX_ENTRIES), entries, strict=False)
                               if entry.path != lost and _size_of(entry) == size)
    except OSError:
        return None
    for candidate in same_size[:MAX_HASHED]:
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
    found: dict[str, int] = {}
    folders = [top]
    while folders and budget[0] > 0:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    budget[0] -= 1
                    if budget[0] < 0:
                        break
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif (size := _size_of(entry)) is not None:
                        found[entry.path[len(top) + 1:]] = size
        except OSError:
            continue
    return found


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
