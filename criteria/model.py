"""The criteria catalogue as plain data: a flat, ordered list of Criterion rows forming a tree by `parent` codes.

Every importer produces a Catalogue; the archive stores it; the exporters and the UI read it back. Nothing here
knows about files, SQLite or Qt.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TypeVar

from common.errors import ReviewReadyError
from criteria.codes import CN_NUMERALS, normalize_label, parse_code_cell

Row = TypeVar("Row")  # a Criterion, or a row keyed like one (archive.status.CriterionStatus)


class CatalogueError(ReviewReadyError, ValueError):
    """A source cannot be read as a criteria table. The message is Chinese and names file, sheet and row.
    Still a ValueError, as it was before the error root: callers that validate values may catch it as one."""


@dataclass
class Criterion:
    code: str  # canonical, unique, dotted ("1", "1.2", "1.2.3"); what links and the CLI refer to
    title: str
    parent: str | None = None  # parent's code, None for top level
    level: int = 1  # 1 for top level
    label: str = ""  # the code as written in the source ("一、", "（二）", "1.2"), for display
    points: float | None = None  # 分值
    method: str = ""  # 测评方式
    units: list[str] = field(default_factory=list)  # 牵头/责任/配合单位, lead unit first
    rule: str = ""  # 评价细则 / 评分标准: how it is judged
    evidence: str = ""  # 佐证材料要求: what evidence is expected
    kind: str = ""  # 否决项 / 关键项 / 基本项 / 鼓励项 where the source says so
    note: str = ""
    due: str = ""  # 完成时限 where a task-breakdown table gives one (YYYY-MM-DD); the clerk's own deadline overrides it

    def printed_code(self) -> str:
        """The code to print beside the title for readers of the source table: the one the table printed; else the
        catalogue's own (the template's, a YAML file's), except one the importer made for a row the table left
        unnumbered, recognisable by its Chinese numeral ("一.1" below part 一): it is in nobody's table, and a
        reviewer looking for it there would not find it. Such a row is named by its title alone."""
        label = self.label.strip()
        made = any(char in CN_NUMERALS for char in self.code)  # the numerals importers.keys makes codes of
        return label or ("" if made else self.code)

    def shown_code(self) -> str:
        """The code as the import plan, the CLI and the app's tree show it to the clerk: the printed one, followed by
        the archive's where the printed one alone does not name the row: "1.1.1" and "5" stay as they are, "一、" at
        the top is 1; "（1）" under 1.2 shows "（1） [1.2.1]"; a group the table left unnumbered shows only the
        archive's code, in brackets as it is not printed: "[一.1]"."""
        label = self.label.strip()
        if self.label_names_row():
            return label
        return f"{label} [{self.code}]" if label else (self.printed_code() or f"[{self.code}]")

    def label_names_row(self) -> bool:
        """Whether the code printed in the table names this row on its own ("1.2.1", "5", "一、" at the top is 1,
        "1-1" is 1.1), not only under its parent ("（1）" under 1.2 is 1.2.1)."""
        label = self.label.strip()
        found = parse_code_cell(label) if label else None
        return bool(found and found.numbers) and self.code in (".".join(str(n) for n in found.numbers),
                                                               normalize_label(label))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Criterion:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        crit = cls(**known)
        crit.units = list(crit.units or [])
        return crit


@dataclass
class Catalogue:
    title: str
    criteria: list[Criterion]  # in catalogue order: every parent before its children
    source: str = ""  # where it came from: a file name or "template:NAME"
    note: str = ""  # e.g. "drawn from the work plan, not the official 评价细则"

    def by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.criteria}

    def children(self, code: str | None) -> list[Criterion]:
        return [c for c in self.criteria if c.parent == code]

    def items(self) -> list[Criterion]:
        """The criteria evidence is filed against (no child of their own): what a clerk counts as 评价项目."""
        return leaf_criteria(self.criteria)

    def validate(self) -> None:
        """Raise CatalogueError unless codes are unique, parents exist and come first, and levels agree."""
        seen: dict[str, Criterion] = {}
        for crit in self.criteria:
            if not crit.code:
                raise CatalogueError(f"评价项目“{crit.title}”缺少编号")
            if crit.code in seen:
                raise CatalogueError(f"编号重复：{crit.code}（“{seen[crit.code].title}”与“{crit.title}”）")
            if crit.parent is not None:
                parent = seen.get(crit.parent)
                if parent is None:
                    raise CatalogueError(f"编号 {crit.code} 的上级 {crit.parent} 不存在或排在其后")
                if crit.level != parent.level + 1:
                    raise CatalogueError(f"编号 {crit.code} 的层级与上级 {crit.parent} 不一致")
            elif crit.level != 1:
                raise CatalogueError(f"编号 {crit.code} 没有上级，层级应为 1")
            seen[crit.code] = crit

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "source": self.source,
            "note": self.note,
            "criteria": [c.to_dict() for c in self.criteria],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Catalogue:
        crits = [Criterion.from_dict(c) for c in data.get("criteria", [])]
        return cls(title=data.get("title", ""), criteria=crits, source=data.get("source", ""),
                   note=data.get("note", ""))


def cited_code(crit: Criterion, above: list[Criterion]) -> str:
    """The printed code of `crit` where the rows above it are not printed (a dossier of some items only):
    "（一）" under part 二 names nothing on its own and is cited "二（一）"; "1." under （一） under 一、 is
    "一（一）1.". `above`: its ancestors, top first. A code that names its row ("1.2.1", "5" numbered on across the
    parts) is as printed; the chain stops at the first ancestor whose code names its row; a group the table left
    unnumbered is cited by its title, set apart by spaces ("一 党政同责 （1）"), and is itself printed by its title
    alone, as it is in the whole dossier ("一 党政同责" would read as part 一's title)."""
    own = crit.printed_code()
    if not own or not above or crit.label_names_row():
        return own
    pieces: list[str] = []
    for parent in reversed(above):
        label = parent.printed_code().rstrip("、.． ")
        pieces.insert(0, label or f" {parent.title} ")
        if parent.label_names_row():
            break
    return " ".join("".join(pieces).split()) + (" " if pieces[-1].endswith(" ") else "") + own


def descendants(rows, code: str) -> set[str]:
    """The codes of every row below `code` (rows: anything with code and parent). By parent, never by the look of
    the code: an imported catalogue keeps its printed codes, and item "5" may sit under "二"."""
    children: dict[str | None, list[str]] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row.code)
    found: set[str] = set()
    stack = [code]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def leaf_criteria(criteria: list[Row]) -> list[Row]:
    """The rows no other row names as its parent: criteria, or their statuses (anything with code and parent)."""
    parents = {c.parent for c in criteria}
    return [c for c in criteria if c.code not in parents]
