"""Linking evidence folders and files to criteria, by hand or automatically by folder names."""

from __future__ import annotations

import os

from archive.catalogue import resolve_code
from archive.db import Archive, now
from archive.index import statcache
from archive.index.forgotten import follow_relocation, forget
from archive.linkset import LinkSet, is_under, path_range
from common.errors import UserError


def normalize_path(path: str) -> str:
    return os.path.abspath(os.path.expanduser(path))


def files_linked_after(archive: Archive, codes: list[str], time: str) -> set[int]:
    """Row ids of the indexed files under links of `codes` made after `time` (a confirmation's): new to the criterion
    though none of them changed, and the change log keeps no entry for a link."""
    marks = ", ".join("?" * len(codes))
    ids: set[int] = set()
    for path, is_dir in archive.conn.execute(
            f"SELECT path, is_dir FROM links WHERE code IN ({marks}) AND created > ?", (*codes, time)):
        low, high = path_range(path) if is_dir else (path, path + "\0")
        ids.update(row[0] for row in archive.conn.execute("SELECT id FROM files WHERE path >= ? AND path < ?",
                                                          (low, high)))
    return ids


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


def relocate(archive: Archive, code: str, old_path: str, new_path: str) -> str:
    """Point one of the criterion's links at the folder's (or file's) new place, in one transaction: the link
    keeps its criterion, and the files under the old place leave the index, each remembered at its path in the new
    place (archive.index.forgotten). The next scan of the new place gives each found there its row back, logged as
    移动/改名 (修改 too if its content changed), and logs 删除 for each it does not find. Returns the new path."""
    code = resolve_code(archive, code)
    old, new = normalize_path(old_path), normalize_path(new_path)
    if not os.path.exists(new):
        raise UserError(f"路径不存在：{new_path}")
    if is_under(str(archive.path), new):
        raise UserError(f"档案文件本身位于 {new} 中，请把档案文件放在证明材料文件夹之外")
    with archive.atomic():
        row = archive.conn.execute("SELECT id FROM links WHERE code = ? AND path = ?", (code, old)).fetchone()
        if row is None:
            raise UserError(f"编号 {code} 没有关联 {old_path}")
        if archive.conn.execute("SELECT 1 FROM links WHERE code = ? AND path = ?", (code, new)).fetchone():
            raise UserError(f"编号 {code} 已经关联了 {new}")
        archive.conn.execute("UPDATE links SET path = ?, is_dir = ?, reachable = 1, checked = NULL WHERE id = ?",
                             (new, int(os.path.isdir(new)), row[0]))
        drop_unlinked_files(archive, moved=(old, new))
        # the next scan lists every folder, so it finds, or not, each file where it should be now
        archive.conn.execute("DELETE FROM meta WHERE key = ?", (statcache.KEY,))
    return new


def drop_unlinked_files(archive: Archive, moved: tuple[str, str] | None = None) -> None:
    """Forget indexed files no link covers any more. Not a removal: the files are still on disk, and the archive
    remembers them (archive.index.forgotten), so linking them again is no 新增.

    `moved`: (old, new) of a link just re-pointed. Its files are remembered at their paths under `new`, with the
    paths they had. Not one whose new path the index already holds (another link covers the new place): that
    path's own row stays the file's row there, and the old one is remembered where it was, as by an unlink."""
    links = LinkSet.load(archive.conn)
    rows = archive.conn.execute("SELECT id, path FROM files").fetchall()
    gone = [(file_id, path) for file_id, path in rows if not links.covers(path)]
    moved_to: dict[int, str] = {}
    stamp = now()
    if moved is not None:
        old, new = moved
        follow_relocation(archive.conn, old, new, stamp)
        indexed = {path for _, path in rows}
        rebased = ((file_id, new + path[len(old):]) for file_id, path in gone if is_under(path, old))
        moved_to = {file_id: path for file_id, path in rebased if path not in indexed}
    forget(archive.conn, [file_id for file_id, _ in gone], stamp, moved_to)


def automap(archive: Archive, root: str):
    """Link every folder under `root` whose name stands for a criterion (archive.automap: every naming style)."""
    from archive.automap import automap_tree  # late: it builds on this module's neighbours

    return automap_tree(archive, root)


def same_name_nearby(lost: str, levels: int = 3, max_folders: int = 2000, folder: bool = True,
                     first_level: int = 1) -> list[str]:
    """Folders named like the lost linked folder `lost` (files, for a linked file: folder=False), near where it was:
    under its parent, else under the grandparent, and so on up `levels` folders, looked into as deep as the climb
    (moved into a sibling or a new sub-folder, or its parent renamed). Nearest first; at most `max_folders` folders
    are read at each level, so a huge or slow share costs a bounded time. `first_level`: the level to begin at (the
    levels below it were looked at already, in vain). Read only."""
    name = os.path.basename(lost.rstrip(os.sep))
    ancestor = os.path.dirname(lost.rstrip(os.sep))
    for depth in range(1, levels + 1):
        if not ancestor or ancestor == os.path.dirname(ancestor):
            return []
        if depth >= first_level and os.path.isdir(ancestor):
            found = _find_named(ancestor, name, depth + 1, max_folders, folder)
            if found:
                return [path for path in found if path != lost]
        ancestor = os.path.dirname(ancestor)
    return []


def _find_named(top: str, name: str, depth: int, max_folders: int, folder: bool) -> list[str]:
    """Breadth first under `top`, `depth` levels down: the folders (or files) called `name`, a folder so named not
    looked into further."""
    found, level, read = [], [top], 0
    for _ in range(depth):
        below = []
        for place in level:
            read += 1
            if read > max_folders:
                return found
            try:
                entries = sorted((entry.path, entry.is_dir(follow_symlinks=False)) for entry in os.scandir(place))
            except OSError:
                continue
            for path, is_dir in entries:
                if os.path.basename(path) == name and is_dir == folder:
                    found.append(path)
                elif is_dir:
                    below.append(path)
        if found:
            return found
        level = below
    return found
