"""Which criteria a path belongs to, from the links table. Pure lookups, shared by scan, status, log and monitor,
and the one rule for the criterion a file is filed under (most_specific), shared by the dossier and the packages."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache

from criteria.model import Criterion


@dataclass(frozen=True)
class Link:
    id: int
    code: str
    path: str
    is_dir: bool
    reachable: bool


def is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def shown_under(path: str, roots) -> str:
    """`path` as a clerk finds it under the first of `roots` that holds it ("二 源头治理/抽检台账.xlsx"), else whole."""
    for root in roots:
        if root and path != root and is_under(path, root):
            return os.path.relpath(path, root).replace(os.sep, "/")
    return path


def path_range(folder: str) -> tuple[str, str]:
    """Bounds (lo, hi) so that lo <= path < hi selects exactly the paths strictly inside `folder` (index-friendly)."""
    base = folder.rstrip(os.sep)
    return base + os.sep, base + chr(ord(os.sep) + 1)


class LinkSet:
    def __init__(self, links: list[Link]):
        self.links = links
        self.dir_codes: dict[str, list[str]] = {}
        self.file_codes: dict[str, list[str]] = {}
        for link in links:
            target = self.dir_codes if link.is_dir else self.file_codes
            target.setdefault(link.path, []).append(link.code)
        self._folder_codes = lru_cache(maxsize=65536)(self._codes_of_folder)
        self._folder_json = lru_cache(maxsize=65536)(self._json_of_folder)

    @classmethod
    def load(cls, conn) -> LinkSet:
        rows = conn.execute("SELECT id, code, path, is_dir, reachable FROM links ORDER BY id")
        return cls([Link(r[0], r[1], r[2], bool(r[3]), bool(r[4])) for r in rows])

    def _codes_of_folder(self, folder: str) -> tuple[str, ...]:
        found: list[str] = []
        while True:
            found.extend(self.dir_codes.get(folder, ()))
            parent = os.path.dirname(folder)
            if parent == folder:
                return tuple(sorted(set(found)))
            folder = parent

    def codes_for(self, path: str) -> list[str]:
        """Codes of every link that covers `path`: the file itself, or any folder above it."""
        codes = set(self._folder_codes(os.path.dirname(path)))
        codes.update(self.dir_codes.get(path, ()))
        codes.update(self.file_codes.get(path, ()))
        return sorted(codes)

    def codes_json(self, path: str) -> str:
        """codes_for as the change log stores it. Most files have no link of their own, so the text is shared by
        every file of a folder: at 50,000 new files this saves more than half a second of a first scan."""
        if path in self.dir_codes or path in self.file_codes:
            return json.dumps(self.codes_for(path))
        return self._folder_json(os.path.dirname(path))

    def _json_of_folder(self, folder: str) -> str:
        return json.dumps(list(self._folder_codes(folder)))

    def covers(self, path: str) -> bool:
        return bool(self.codes_for(path))

    def roots(self) -> list[Link]:
        """The links to walk: folders not inside another linked folder, files not inside any linked folder."""
        folders = sorted({link.path for link in self.links if link.is_dir})
        top: list[str] = []
        for folder in folders:
            if not top or not is_under(folder, top[-1]):
                top.append(folder)
        chosen, seen = [], set()
        for link in self.links:
            inside = any(is_under(link.path, t) for t in top)
            keep = link.path in top if link.is_dir else not inside
            if keep and link.path not in seen:
                seen.add(link.path)
                chosen.append(link)
        return chosen

    def for_code(self, code: str) -> list[Link]:
        return [link for link in self.links if link.code == code]


# -- which criterion a file belongs to ------------------------------------------------------------------------

def ancestors_of(criteria: list[Criterion]) -> dict[str, list[str]]:
    """code -> its ancestors' codes, top first (criteria in catalogue order: parents first)."""
    result: dict[str, list[str]] = {}
    for crit in criteria:
        result[crit.code] = ([*result.get(crit.parent, []), crit.parent]) if crit.parent else []
    return result


def most_specific(codes: list[str], ancestors: dict[str, list[str]]) -> list[str]:
    """The one rule for where a file belongs: of the criteria whose links cover it (`codes`), those that no other
    covering criterion lies below. A folder linked to 2.1 holding the folder linked to 2.1.1: 2.1.1 only; a file
    linked to two unrelated criteria: both. Codes not in the catalogue (`ancestors`) are left out."""
    known = [code for code in codes if code in ancestors]
    covered_below = {above for code in known for above in ancestors[code]}
    return [code for code in known if code not in covered_below]
