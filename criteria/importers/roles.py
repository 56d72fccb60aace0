"""The role of every column: from its header words, settled when several columns could hold the item, guessed from
the cells where the header names nothing we know, and overridden by the clerk's own mapping (--map, drop-downs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from criteria.codes import parse_leading_code
from criteria.importers.values import KINDS, kind_of, looks_like_points, looks_like_units, parse_code_cell
from criteria.importers.vocab import ROLE_NAMES, header_key, role_from_name
from criteria.model import CatalogueError

_METHOD_WORDS = re.compile(r"资料|审查|查阅|现场|检查|测评|问卷|座谈|暗访|明查|核查|抽查|查看|调查|访谈|考试|考核|"
                           r"听取|汇报")


@dataclass
class Column:
    index: int  # 0-based
    header: str  # the header text as written ("评价内容／评价标准" for a two-row header)
    role: str | None = None
    source: str = ""  # "header", "content" (guessed from its cells), "map" (set by the clerk) or "" (unknown)
    priority: int = 0  # how strongly a title-like header names the item (vocab._TEXT_SUFFIXES)
    names: list[str] = field(default_factory=list)  # the header cells that name it, for --map

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role or "", "未识别")

    def to_dict(self) -> dict:
        return {"column": self.letter, "header": self.header, "role": self.role, "role_name": self.role_name,
                "source": self.source}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_mapping(text: str) -> dict[str, str]:
    """"考评内容=评价内容,各项分值=分值" -> {"考评内容": "title", "各项分值": "points"}; CatalogueError if bad."""
    mapping: dict[str, str] = {}
    for part in re.split(r"[,，;；]", text or ""):
        if not part.strip():
            continue
        match = re.fullmatch(r"\s*(.+?)\s*[=＝]\s*(.+?)\s*", part)
        role = role_from_name(match.group(2)) if match else None
        if role is None:
            raise CatalogueError(f"--map 参数有误：无法理解“{part.strip()}”，应写成“表头文字=列的含义”，如 --map "
                                 f"\"考评内容=评价内容,各项分值=分值\"；列的含义可以是："
                                 + "、".join(ROLE_NAMES.values()))
        mapping[match.group(1)] = role
    return mapping


def mapped_role(mapping: dict[str, str], column: Column) -> str | None:
    """The role the clerk gave this column: by column letter ("C") or by one of its header texts."""
    for key, role in mapping.items():
        if key.isascii() and key.isalpha() and key.upper() == column.letter:
            return role
        wanted = header_key(key)
        if wanted and any(header_key(name) == wanted for name in [*column.names, column.header]):
            return role
    return None


def settle(columns: list[Column]) -> None:
    """One title column; the other title-like columns group the items (left of it) or judge them (right of it).

    "建设内容 / 建设指标 / 考评标准": 指标 names the item, 内容 groups it, 标准 judges it. With no title-like column,
    the last 项目-like one holds the items and the others group them.
    """
    free = [c for c in columns if c.source != "map"]
    titles = [c for c in columns if c.role == "title"]
    if not titles:
        groups = [c for c in free if c.role == "group"]
        if groups:
            groups[-1].role = "title"
        return
    forced = [c for c in titles if c.source == "map"]
    chosen = forced[0] if forced else max(titles, key=lambda c: (c.priority, -c.index))
    for column in titles:
        if column is chosen or column.source == "map":
            continue
        column.role = "group" if column.index < chosen.index else "rule"


MIN_NAMED_ROWS = 3  # fewer item rows than this say nothing of how a column is used
_SENTENCE = re.compile("[。；，;,]")


def names_each_row(columns: list[Column], rows: list) -> None:
    """A 评价项目 (or 二级指标) column whose cell names each item row on its own, none merged over several items and
    no name twice, names the items rather than grouping them: "1 党政同责" with its 评价内容 as how it is judged,
    not a group "党政同责" over one item titled with the whole 评价内容 sentence. The column left of the title
    that groups the items is the one looked at; a column or title the clerk mapped stays. Only where a 序号 column
    numbers the items 1, 2, 3 …, the names carry no code and read as names beside the 评价内容's statements: codes
    such as 1.1.1, a 评价项目 numbered on its own ("（一）组织领导"), or items that are names too ("农残快检台账"),
    say the items sit below their 评价项目, one each or not. Without a 序号 column the names number the items
    themselves ("1.地方党委政府重视食品安全工作（5分）" beside "将食品安全工作纳入…。未纳入扣2分。"): each name then
    carries a code of its own."""
    title = next((c for c in columns if c.role == "title"), None)
    code = next((c for c in columns if c.role == "code"), None)
    if title is None or title.source == "map":
        return
    groups = [c for c in columns if c.role == "group" and c.index < title.index]
    if not groups or groups[-1].source == "map":
        return
    names = []
    for row in rows:
        cells = row.cells
        if title.index >= len(cells) or not cells[title.index].text or cells[title.index].continued \
                or cells[title.index].across:
            continue  # a heading across the table, a total or a remark: no item of its own
        name = cells[groups[-1].index] if groups[-1].index < len(cells) else None
        if name is None or name.continued or not name.text:
            return  # a group cell merged over this item (or none): the column groups
        if not _numbers_an_item(cells, code, name.text):
            return
        if _SENTENCE.search(name.text) or not _SENTENCE.search(cells[title.index].text):
            return  # a name beside a statement ("党政同责" | "…每年至少专题研究2次。"), or two names: a group's
        names.append(name.text)
    if len(names) >= MIN_NAMED_ROWS and len(set(names)) == len(names):
        groups[-1].role, groups[-1].source = "title", "content"
        title.role, title.source = "rule", "content"


def _numbers_an_item(cells, code: Column | None, name: str) -> bool:
    """With a 序号 column: it numbers the row 1, 2, 3 … and the name has no code ("（一）组织领导" is a numbering of
    its own, a level of its own). Without: the name carries the item's code."""
    if code is None:
        return parse_leading_code(name) is not None
    number = parse_code_cell(cells[code.index].text) if code.index < len(cells) else None
    return number is not None and len(number.numbers) == 1 and parse_leading_code(name) is None


def guess_from_content(columns: list[Column], body: list[list[str]]) -> None:
    """Give a role to columns whose header names nothing known, from what their cells hold."""
    taken = {c.role for c in columns}
    for column in columns:
        texts = [row[column.index] for row in body if column.index < len(row) and row[column.index]]
        if column.role == "rule" and column.source == "header" and "method" not in taken and _are_methods(texts):
            column.role, column.source = "method", "content"  # "考评方法: 资料审查" is how, not how points go
            taken.add("method")
            continue
        if column.role == "kind" and column.source == "header" and texts and _groups_items(column, columns, texts):
            column.role, column.source = "group", "content"  # "类别: 一、组织领导（20分）" is the part, not a kind
            continue
        if column.role is not None or len(texts) < 2:
            continue
        role = _guess(texts, taken)
        if role is not None:
            column.role, column.source = role, "content"
            taken.add(role)


def _groups_items(column: Column, columns: list[Column], texts: list[str]) -> bool:
    """A 类别 column left of the items holding no kind of item (关键项, ★ …) but names of the parts they belong to
    ("一、组织领导（20分）"); tags such as "A类" or "一般项" stay what the clerk's table calls them."""
    title = next((c for c in columns if c.role == "title"), None)
    return (title is not None and column.index < title.index
            and not any(kind_of(t) in KINDS or "★" in t or "☆" in t for t in texts)
            and sum(len(t) >= 4 for t in texts) * 2 >= len(texts))


def _guess(texts: list[str], taken: set) -> str | None:
    if "code" not in taken and _are_codes(texts):
        return "code"
    if "points" not in taken and sum(looks_like_points(t) for t in texts) >= 0.8 * len(texts):
        return "points"
    if sum(looks_like_units(t) for t in texts) >= 0.6 * len(texts):
        return "assist" if "lead" in taken else "lead"
    if "method" not in taken and _are_methods(texts):
        return "method"
    return None


def _are_codes(texts: list[str]) -> bool:
    """1, 2, 3 … or 1.1, 1.2 …: numbers that count up rather than points that vary."""
    codes = [parse_code_cell(t) for t in texts]
    if not all(c is not None and c.numbers for c in codes):
        return False
    firsts = [c.numbers for c in codes]
    return any(len(n) > 1 for n in firsts) or all(b[0] == a[0] + 1 for a, b in pairwise(firsts))


def _are_methods(texts: list[str]) -> bool:
    short = [t for t in texts if len(t) <= 16]
    scoring = any("扣" in t or "分" in t for t in texts)  # "查阅文件，未成立扣2分" says how points go: a rule
    named = sum(bool(_METHOD_WORDS.search(t)) for t in texts)
    return bool(texts) and not scoring and len(short) == len(texts) and named >= 0.6 * len(texts)


def usable(columns: list[Column]) -> bool:
    named = [c.role for c in columns if c.role and c.role != "ignore"]
    return "title" in named and len(named) >= 2
