"""Linking evidence folders and files to criteria, by hand or automatically by folder names."""

from __future__ import annotations

import os

from archive.catalogue import resolve_code
from archive.db import Archive, now
from archive.linkset import LinkSet, is_under
from common.errors import UserError


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


def relocate(archive: Archive, code: str, old_path: str, new_path: str) -> str:
    """Point one of the criterion's links at the folder's (or file's) new place, in one transaction: the link
    keeps its criterion, and the files under the old place are forgotten; a scan of the new place indexes them.
    Returns the new path."""
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
        drop_unlinked_files(archive)
    return new


def drop_unlinked_files(archive: Archive) -> None:
    """Forget indexed files no link covers any more. Not a removal: the files are still on disk."""
    links = LinkSet.load(archive.conn)
    rows = archive.conn.execute("SELECT id, path FROM files").fetchall()
    archive.conn.executemany("DELETE FROM files WHERE id = ?", [(i,) for i, p in rows if not links.covers(p)])


def automap(archive: Archive, root: str):
    """Link every folder under `root` whose name stands for a criterion (archive.automap: every naming style)."""
    from archive.automap import automap_tree  # late: it builds on this module's neighbours

    return automap_tree(archive, root)
