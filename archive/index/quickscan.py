"""The listing of a full scan: walk every linked folder, on two cores, and compare folder by folder.

After an earlier full scan, a folder whose files (names, sizes, dates) match its digest from that scan is done with.
Only folders that differ, folders that are gone, and linked single files are looked at file by file, against their
rows in the index. The result is the (listing, known) pair the rest of the scan works on, restricted to what may
have changed. A large tree is walked on two cores (archive.index.two_cores): the walk is one stat call per file,
and on a first scan it comes before the reading, which then has both cores to itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from archive.db import Archive, archive_files
from archive.index import two_cores
from archive.index.scanwrite import KNOWN_QUERY, known_stats
from archive.index.statcache import Snapshot, folder_digest
from archive.index.walk import Listing, Row, folder_prefix, list_file, list_folder
from archive.linkset import LinkSet, is_under, path_range

PARALLEL_MIN_FILES = 10_000  # below this, a second process costs more than it saves (fork, pipe, marshal)
UNITS = 16  # folders to deal out between the two processes; a tree with fewer roots is opened up to this many
RANGE_QUERIES = 50  # up to this many folders to compare, read their rows by path range; beyond, read the table

Compared = tuple[list[str], dict[str, list[Row]], dict[str, str]]  # folders seen, folders that differ, problems


def gather(archive: Archive, links: LinkSet, missing: list[str], snapshot: Snapshot | None,
           check: Callable[[], None]) -> tuple[Listing, dict, tuple[str, ...]]:
    """(listing, known, quiet) for a full scan: with a snapshot, over only what may have changed since; without one
    (a first scan, or the index changed since), over everything, against the whole index."""
    roots = [link.path for link in links.roots() if not any(is_under(link.path, m) for m in missing)]
    folders = [path for path in roots if os.path.isdir(path)]
    single_files = [path for path in roots if path not in folders and os.path.lexists(path)]
    own: dict[str, set[str]] = {}  # never index the archive itself, wherever it lives
    for path in map(str, archive_files(archive.path)):
        own.setdefault(os.path.dirname(path), set()).add(os.path.basename(path))
    digests = snapshot.digests if snapshot else {}
    split = snapshot is None or snapshot.files >= PARALLEL_MIN_FILES  # without one, every file is read anyway
    # a first scan reads every file and takes size and date from it: the walk needs names only, no stat per file
    sizes = snapshot is not None or archive.conn.execute("SELECT 1 FROM files LIMIT 1").fetchone() is not None
    seen, changed, problems = compare_tree(folders, digests, frozenset(missing), own, check, split, sizes)
    listing = Listing(problems=problems, folders=len(seen))
    for folder, rows in changed.items():
        prefix = folder_prefix(folder)
        listing.files.update({prefix + name: (size, mtime) for name, size, mtime in rows})
    for path in single_files:
        list_file(path, listing)
    quiet = quiet_paths(missing, problems)
    if snapshot is None:
        return listing, known_stats(archive.conn.execute(KNOWN_QUERY)), quiet
    gone = _vanished_folders(snapshot, set(seen), folders, quiet)
    known = _known(archive, set(changed) | set(gone), set(single_files) | problems.keys())
    return listing, known, quiet


def quiet_paths(missing: list[str], problems: dict[str, str]) -> tuple[str, ...]:
    """Where removals are not believed: under an unreachable link or a folder that could not be read."""
    return tuple(missing) + tuple(p for p in problems if os.path.isdir(p) or not os.path.lexists(p))


def compare_tree(folders: list[str], digests: dict, skip: frozenset[str], own: dict[str, set[str]],
                 check: Callable[[], None] | None, split: bool, sizes: bool = True) -> Compared:
    """Walk `folders` (recursively) and compare each folder with its digest; on two cores if `split`. Without
    `sizes`, rows carry names only (list_folder)."""
    seen: list[str] = []
    changed: dict[str, list[Row]] = {}
    problems: dict[str, str] = {}
    units = list(folders)
    if split and two_cores.AVAILABLE:
        while units and len(units) < UNITS:  # one big linked folder: open it up so there is work to share
            _compare_folder(units.pop(0), units, digests, skip, own, (seen, changed, problems), sizes)
        parts = two_cores.in_two(units, lambda part, chk: _compare_folders(part, digests, skip, own, chk, sizes), check)
    else:
        parts = [_compare_folders(units, digests, skip, own, check, sizes)]
    for part_seen, part_changed, part_problems in parts:
        seen += part_seen
        changed.update(part_changed)
        problems.update(part_problems)
    return seen, changed, problems


def _compare_folders(folders: list[str], digests: dict, skip: frozenset[str], own: dict[str, set[str]],
                     check: Callable[[], None] | None, sizes: bool) -> Compared:
    found: Compared = ([], {}, {})
    stack = list(folders)
    while stack:
        if check is not None:
            check()
        _compare_folder(stack.pop(), stack, digests, skip, own, found, sizes)
    return found


def _compare_folder(folder: str, subfolders: list[str], digests: dict, skip: frozenset[str],
                    own: dict[str, set[str]], found: Compared, sizes: bool) -> None:
    seen, changed, problems = found
    rows = list_folder(folder, subfolders, problems, skip, sizes)
    if folder in own:
        rows = [row for row in rows if row[0] not in own[folder]]
    seen.append(folder)
    if rows:
        expected = digests.get(folder)  # None: new, or a file in it must be read again; no digest needed then
        if expected is None or expected != folder_digest(rows):
            changed[folder] = rows
    elif folder in digests:  # emptied: its files are gone
        changed[folder] = rows


def _vanished_folders(snapshot: Snapshot, seen: set[str], roots: list[str], quiet: tuple[str, ...]) -> list[str]:
    """Folders the index has files in that the walk no longer found under the linked folders."""
    unseen = [folder for folder in snapshot.digests if folder not in seen]  # almost always none: check cheaply first
    return [folder for folder in unseen if any(is_under(folder, root) for root in roots)
            and not any(is_under(folder, q) for q in quiet)]


def _known(archive: Archive, folders: set[str], paths: set[str]) -> dict:
    """What the index knows about the files directly in `folders`, and about `paths`."""
    if not folders and not paths:
        return {}
    conn = archive.conn
    if len(folders) + len(paths) > RANGE_QUERIES:
        rows = conn.execute(KNOWN_QUERY).fetchall()
    else:
        rows = []
        for folder in folders:
            rows += conn.execute(KNOWN_QUERY + " WHERE path >= ? AND path < ?", path_range(folder)).fetchall()
        for path in paths:
            rows += conn.execute(KNOWN_QUERY + " WHERE path = ?", (path,)).fetchall()
    return known_stats(row for row in rows if row[0] in paths or os.path.dirname(row[0]) in folders)
