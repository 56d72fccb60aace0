"""Linking evidence folders and files to criteria, by hand or automatically by folder names."""

from __future__ import annotations

import os

from archive.catalogue import resolve_code
from archive.db import Archive, now
from archive.errors import UserError
from archive.linkset import LinkSet, is_under


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


def automap(archive: Archive, root: str):
    """Link every folder under `root` whose name stands for a criterion (archive.automap: every naming style)."""
    from archive.automap import automap_tree  # late: it builds on this module's neighbours

    return automap_tree(archive, root)
