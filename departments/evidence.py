"""What goes into a unit's evidence package: every indexed file, once, under its most specific criterion, at a
path the office can unpack safely.

Files inside the unpacked task package keep their path relative to it ("2 …/2.1 …/台账.xlsx"). Files the clerk
linked from elsewhere go into their item's folder, under the linked folder's own name, so nothing outside the
package's tree is ever referred to by an absolute path.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from archive.catalogue import load_catalogue
from archive.db import Archive
from archive.linkset import Link, LinkSet, ancestors_of, is_under, most_specific
from common.names import FILE_LIMIT, folder_name, safe_component
from departments.safezip import name_problem


@dataclass
class PackEntry:
    name: str  # inside the package, forward slashes
    source: str  # on disk
    code: str
    size: int
    problem: str | None = None  # the index's (cut short, empty, not what its name says): packed, and said


def _covering_link(links: LinkSet, code: str, path: str) -> Link | None:
    covering = [link for link in links.for_code(code) if link.path == path or
                (link.is_dir and is_under(path, link.path))]
    return max(covering, key=lambda link: len(link.path), default=None)


def _relative(path: str, folder: str) -> str:
    return os.path.relpath(path, folder).replace(os.sep, "/")


def _safe_name(name: str) -> str:
    if not name_problem(name):
        return name
    return "/".join(part if not name_problem(part) else safe_component(part, FILE_LIMIT) for part in name.split("/"))


def _unique(name: str, taken: set[str]) -> str:
    stem, ext = os.path.splitext(name)
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}_{number}{ext}"
    taken.add(candidate.casefold())
    return candidate


class _Namer:
    def __init__(self, archive: Archive):
        self.catalogue = load_catalogue(archive)
        self.by_code = self.catalogue.by_code()
        self.ancestors = ancestors_of(self.catalogue.criteria)
        self.root = archive.meta("package_root") or ""
        self.folders: dict[str, str] = json.loads(archive.meta("folders") or "{}")
        self.links = LinkSet.load(archive.conn)
        self.taken: set[str] = set()

    def folder(self, code: str) -> str:
        return self.folders.get(code) or folder_name(code, self.by_code[code].title)

    def code_for(self, path: str) -> str | None:
        """The file's most specific criterion (archive.linkset.most_specific); a package holds each file once, so
        of two unrelated ones the deeper wins, then the higher code."""
        codes = most_specific(self.links.codes_for(path), self.ancestors)
        return max(codes, key=lambda c: (self.by_code[c].level, c), default=None)

    def name_for(self, path: str, code: str) -> str:
        if self.root and is_under(path, self.root):
            name = _relative(path, self.root)
        else:
            link = _covering_link(self.links, code, path)
            if link is not None and link.is_dir:
                name = f"{self.folder(code)}/{os.path.basename(link.path)}/{_relative(path, link.path)}"
            else:
                name = f"{self.folder(code)}/{os.path.basename(path)}"
        return _unique(_safe_name(name.replace("\\", "/")), self.taken)


def collect_entries(archive: Archive) -> tuple[list[PackEntry], list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(entries, skipped (path, reason), criteria with files (code, title, folder) in catalogue order)."""
    namer = _Namer(archive)
    entries: list[PackEntry] = []
    skipped: list[tuple[str, str]] = []
    used: set[str] = set()
    rows = archive.conn.execute("SELECT path, size, sha256, problem FROM files ORDER BY path").fetchall()
    for path, size, sha, problem in rows:
        code = namer.code_for(path)
        if code is None:
            continue
        if sha is None:
            skipped.append((path, problem or "无法读取"))
            continue
        name = namer.name_for(path, code)
        if (reason := name_problem(name)) is not None:
            skipped.append((path, f"无法放入材料包：{reason}"))
            continue
        entries.append(PackEntry(name, path, code, size or 0, problem))
        used.add(code)
    folders = [(c.code, c.title, namer.folder(c.code)) for c in namer.catalogue.criteria if c.code in used]
    return entries, skipped, folders
