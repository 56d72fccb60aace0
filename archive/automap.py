"""Linking a whole evidence tree by its folder names, the way departments really name folders.

It descends through folders that name no criterion (县市场监管局/, 各乡镇资料/) and reads a code in every style clerks
write: 2.6, 2-6, 2_6, 二.6, 一、, （六）, (6), ⑥, 第六项, 第一部分 (a part, never item 1), or a criterion's title
without any code. A code that names only a number ("（六）", "第六项") is read under the criterion matched above it,
else among every item with that number, and the rest of the name decides between them. A category folder whose
sub-folders match its children is not linked itself: its sub-folders are (linking both would put every file of 2.6.1
under 2.6 twice over, and loose files in the category folder under an item they may not prove). A folder whose number
names one item and whose words name another ("5 农药兽药" where 5 is now 产地准出: numbered after an older edition of
the table) is not linked but reported: linked by its number, its files would count as evidence of an item they do not
prove.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from archive.db import Archive, now
from archive.index.walk import is_junk_name
from common.errors import UserError
from criteria.codes import cn_number, normalize_label, numeral_value, parse_code_cell, parse_leading_code, to_narrow
from criteria.model import descendants

_CN = "[一二三四五六七八九十]{1,3}"
_CN_DOTTED = re.compile(rf"^({_CN})\s*[.．、]\s*(\d{{1,3}}(?:\.\d{{1,3}})*)(?![\d年月日万亿元%])")
_DASHED = re.compile(r"^(\d{1,3}(?:[-_－—]\d{1,3})+)(?![\d年月日万亿元%:/])")
_RANGE = re.compile(r"^\d{1,4}[-_－—]\d")
_ORDINAL = re.compile(rf"^第\s*({_CN}|\d{{1,3}})\s*([项条点]|部分?|章|篇)")
_PART_WORDS = ("部", "部分", "章", "篇")  # "第一部分 组织领导": a part of the table, never its item 1
MIN_TITLE = 4  # a name must share at least this many characters with a title to match it without a code
MIN_OTHER_PAIRS = 2  # character pairs a name must share with another item's title to contradict its number


@dataclass
class AutomapReport:
    linked: list[tuple[str, str]] = field(default_factory=list)  # (code, folder) newly linked
    existing: list[tuple[str, str]] = field(default_factory=list)  # already linked before
    unmatched: list[str] = field(default_factory=list)  # folders that name no criterion
    categories: list[tuple[str, str]] = field(default_factory=list)  # (code, folder) not linked: children matched
    contradicted: list[Contradiction] = field(default_factory=list)  # numbered as one item, named as another


@dataclass(frozen=True)
class Contradiction:
    folder: str
    code: str  # the item its number names
    title: str
    other: str  # the item its words name
    other_title: str

    @property
    def reason(self) -> str:
        return (f"编号 {self.code} 是“{self.title}”，名称却与 {self.other}“{self.other_title}”相符"
                "（可能按旧版细则编号），未关联，请核对后手动关联")


@dataclass(frozen=True)
class _Crit:
    code: str
    label: str
    title: str
    parent: str | None

    @property
    def number(self) -> int | None:
        last = self.code.rsplit(".", 1)[-1]
        return int(last) if last.isdigit() else None


class FolderCodes:
    """Reads the criterion a folder name stands for, given the criterion matched above it (or None)."""

    def __init__(self, archive: Archive):
        rows = archive.conn.execute("SELECT code, label, title, parent FROM criteria WHERE retired = 0")
        self.items = {code: _Crit(code, label or "", title, parent) for code, label, title, parent in rows}
        self._below: dict[str, set[str]] = {}
        self._title_pairs = {code: _pairs(c.title) for code, c in self.items.items()}

    def below(self, code: str) -> set[str]:
        """The criteria under `code`, by parent: an imported table's item "5" may sit under "二"."""
        if code not in self._below:
            self._below[code] = descendants(self.items.values(), code)
        return self._below[code]

    def contradiction(self, name: str, code: str) -> str | None:
        """The item a numbered name's words stand for when they share nothing with the number's item (nor with what
        lies above or below it) and clearly name another one; None otherwise. Words that name nothing in
        particular ("5 会议纪要", "6 相关文件") never contradict a number."""
        words = _pairs(_plain(to_narrow(name)))
        lineage = self._lineage(code)
        if any(words & self._title_pairs[c] for c in lineage):
            return None
        scores = {c: len(words & pairs) for c, pairs in self._title_pairs.items() if c not in lineage}
        best = max(scores.values(), default=0)
        if best < MIN_OTHER_PAIRS:
            return None
        top = [c for c, score in scores.items() if score == best]
        deepest = max(top, key=lambda c: len(self._ancestors(c)))
        return deepest if all(c in self._ancestors(deepest) or c == deepest for c in top) else None

    def _ancestors(self, code: str) -> set[str]:
        found: set[str] = set()
        parent = self.items[code].parent
        while parent is not None and parent in self.items and parent not in found:
            found.add(parent)
            parent = self.items[parent].parent
        return found

    def _lineage(self, code: str) -> set[str]:
        return {code} | self._ancestors(code) | self.below(code)

    def match(self, name: str, context: str | None) -> str | None:
        narrow = to_narrow(name).strip()
        for reader in (self._cn_dotted, self._dashed, self._ordinal, self._leading):
            found = reader(narrow, context)
            if found is not False:
                return found
        return self._by_title(narrow, context)

    # Each reader returns a code, None (it read a code that names no criterion: stop), or False (not its style).
    def _cn_dotted(self, name: str, context: str | None):
        match = _CN_DOTTED.match(name)
        if match is None:
            return False
        return self._absolute((cn_number(match.group(1)), *map(int, match.group(2).split("."))), context)

    def _dashed(self, name: str, context: str | None):
        match = _DASHED.match(name)
        if match is None:
            return None if _RANGE.match(name) else False  # "3-5月", "2023-12": a range or a date, never a code
        return self._absolute(tuple(int(n) for n in re.split(r"[-_－—]", match.group(1))), context)

    def _ordinal(self, name: str, context: str | None):
        match = _ORDINAL.match(name)
        if match is None:
            return False
        value = match.group(1)
        number = numeral_value(value)
        if match.group(2) in _PART_WORDS:
            return self._part(number)
        return self._relative(number, None, name[match.end():], context)

    def _part(self, number: int | None) -> str | None:
        """The top-level criterion printed with that number ("一、", "第一部分"), if exactly one is."""
        parts = [c for c in self.items.values() if c.parent is None and _label_number(c.label) == number]
        return parts[0].code if len(parts) == 1 else None

    def _leading(self, name: str, context: str | None):
        found = parse_leading_code(name)
        if found is None:
            return False
        if found.style == "dotted":
            dotted = ".".join(map(str, found.numbers))
            relative = self.items.get(f"{context}.{dotted}") if context and len(found.numbers) == 1 else None
            # "6 校园食堂" under 二、 is its 2.6 printed （六）; not a group the table left unnumbered, which the
            # importer coded "一.1": "1 党政同责" there is item 1, printed 1
            if relative is not None and _label_number(relative.label) == found.numbers[0]:
                return relative.code
            if dotted in self.items and dotted != context:
                return dotted
            return None
        return self._relative(found.numbers[-1], normalize_label(found.label), found.rest, context)

    def _absolute(self, numbers: tuple, context: str | None) -> str | None:
        """2.6.1, else 2.6 (a file-number suffix "2.6-1" on a folder)."""
        for size in range(len(numbers), 1, -1):
            code = ".".join(map(str, numbers[:size]))
            if code in self.items and code != context:
                return code
        return None

    def _relative(self, number: int, label: str | None, rest: str, context: str | None) -> str | None:
        """A code naming only a number (（六）, 第六项, ⑥): first among the children of the matched folder, then among
        items written with the same label (or, for 第N项, the same number); the rest of the name decides a tie."""
        def same(c: _Crit) -> bool:
            return normalize_label(c.label) == label if label is not None else c.number == number

        pools = [[c for c in self.items.values() if c.parent == context and same(c)]] if context else []
        pools.append([c for c in self.items.values() if same(c) and (context is None or c.code != context)])
        for pool in pools:
            if len(pool) == 1:
                return pool[0].code
            if len(pool) > 1:
                return _best_title(pool, rest)
        return None

    def _by_title(self, name: str, context: str | None) -> str | None:
        """No code: a title written out in the name, or a name that is most of one title (unique either way)."""
        core = re.sub(r"[\W_\d]+", "", name)
        if len(core) < MIN_TITLE:
            return None
        pool = [c for c in self.items.values() if context is None or c.code in self.below(context)]
        inside = [c for c in pool if len(c.title) >= MIN_TITLE and _plain(c.title) in core]
        if len(inside) == 1:
            return inside[0].code
        covering = [c for c in pool if core in _plain(c.title) and len(core) >= 0.6 * len(_plain(c.title))]
        return covering[0].code if len(covering) == 1 else None


def _label_number(label: str) -> int | None:
    found = parse_code_cell(label)
    return found.numbers[-1] if found is not None and found.numbers else None


def _plain(text: str) -> str:
    return re.sub(r"[\W_\d]+", "", text)


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _best_title(pool: list[_Crit], rest: str) -> str | None:
    """The item whose title shares the most character pairs with the rest of the name; None on a tie or nothing."""
    pairs = _pairs(rest)
    scored = sorted(((len(pairs & _pairs(c.title)), c.code) for c in pool),
                    reverse=True)
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def automap_tree(archive: Archive, root: str) -> AutomapReport:
    """Link every folder under `root` whose name stands for a criterion."""
    top = os.path.abspath(os.path.expanduser(root))
    if not os.path.isdir(top):
        raise UserError(f"文件夹不存在：{root}")
    reader = FolderCodes(archive)
    found: list[tuple[str, str]] = []
    report = AutomapReport()
    report.unmatched = sorted(_walk(top, None, reader, found, report.contradicted)[1])
    found, report.categories = _without_categories(found, reader)
    existing = {(c, p) for c, p in archive.conn.execute("SELECT code, path FROM links")}
    for code, folder in found:
        (report.existing if (code, folder) in existing else report.linked).append((code, folder))
    with archive.atomic():
        archive.conn.executemany("INSERT OR IGNORE INTO links (code, path, is_dir, created) VALUES (?, ?, 1, ?)",
                                 [(code, folder, now()) for code, folder in report.linked])
    return report


def _without_categories(found: list[tuple[str, str]], reader: FolderCodes) -> tuple[list, list]:
    """Drop a folder matched to P when a folder below it matched a criterion below P."""
    keep, dropped = [], []
    for code, folder in found:
        below = [c for c, f in found if f.startswith(folder + os.sep) and c in reader.below(code)]
        (dropped if below else keep).append((code, folder))
    return keep, dropped


def _walk(folder: str, context: str | None, reader: FolderCodes, found: list,
          contradicted: list) -> tuple[bool, list[str]]:
    """Depth first. Returns whether anything below `folder` matched, and the outermost folders below it that matched
    nothing and hold nothing that matched (ordinary folders inside a matched one are content, not misses). A folder
    whose number and words name different items goes to `contradicted` instead, and is not looked into."""
    try:
        with os.scandir(folder) as entries:
            subfolders = sorted(e.path for e in entries if e.is_dir(follow_symlinks=False) and not is_junk_name(e.name))
    except OSError:
        return False, []
    any_match = False
    misses: list[str] = []
    for sub in subfolders:
        name = os.path.basename(sub)
        code = reader.match(name, context)
        other = reader.contradiction(name, code) if code is not None else None
        if other is not None:
            contradicted.append(Contradiction(sub, code, reader.items[code].title, other, reader.items[other].title))
            any_match = True  # named to the clerk: not a miss of the folder above
            continue
        if code is not None:
            found.append((code, sub))
            _walk(sub, code, reader, found, contradicted)
            any_match = True
            continue
        matched_below, below = _walk(sub, context, reader, found, contradicted)
        any_match = any_match or matched_below
        if matched_below:
            misses.extend(below)
        elif context is None:
            misses.append(sub)
    return any_match, misses
