"""Which evidence files a catalogue covers: one criterion with its sub-items, one unit's criteria, or the archive.

A file linked under several criteria appears once, with every code of the scope that reaches it, in catalogue
order. Only evidence counts (files read cleanly; a path that could never be read is a problem, not a document).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.catalogue import load_catalogue
from archive.changelog import code_subtree
from archive.db import Archive
from archive.linkset import LinkSet
from archive.status import FileIndex
from archive.units import assigned_units, check_unit


@dataclass(frozen=True)
class ScopedFile:
    file_id: int
    codes: tuple[str, ...]  # the criteria of the scope whose links reach it, in catalogue order


def scope_codes(archive: Archive, code: str | None = None, unit: str | None = None) -> set[str] | None:
    """The criteria codes a scope covers; None for the whole archive (rectification evidence included)."""
    if code:
        wanted = set(code_subtree(archive, code))
        if unit:
            wanted &= _unit_codes(archive, unit)
        return wanted
    if unit:
        return _unit_codes(archive, unit)
    return None


def _unit_codes(archive: Archive, unit: str) -> set[str]:
    catalogue = load_catalogue(archive)
    units = assigned_units(archive, catalogue)
    unit = check_unit(catalogue, unit, units)
    return {code for code, names in units.items() if unit in names}


def scoped_files(archive: Archive, code: str | None = None, unit: str | None = None) -> list[ScopedFile]:
    """Every evidence file of the scope, ordered by its first criterion in the catalogue, then by path."""
    wanted = scope_codes(archive, code, unit)
    position = {row[0]: row[1] for row in archive.conn.execute("SELECT code, position FROM criteria")}
    index = FileIndex.load(archive)
    codes: dict[int, set[str]] = {}
    for link in LinkSet.load(archive.conn).links:
        if wanted is None or link.code in wanted:
            for file_id in index.under(link.path, link.is_dir):
                if index.rows[file_id][2]:  # has a SHA-256: read cleanly
                    codes.setdefault(file_id, set()).add(link.code)
    last = len(position) + 1

    def order(code: str) -> tuple[int, str]:
        return position.get(code, last), code

    files = [ScopedFile(file_id, tuple(sorted(found, key=order))) for file_id, found in codes.items()]
    files.sort(key=lambda f: (order(f.codes[0]), index.rows[f.file_id][0]))
    return files
