"""Item kinds (否决项, 关键项 …) written in the table's text rather than in a 类别 column: "开展专项整治（否决项）",
or a mark explained by a note ("注：标★的为关键项"). The pass projection counts on them (every 关键项 at 60% of its
points, no 否决项 failed): an item that says it is a 关键项 and is imported as none is silently wrong there.
"""

from __future__ import annotations

import re

from criteria.importers.values import KINDS
from criteria.model import Criterion

_KIND = "|".join(KINDS)
# "（否决项）", "(关键项)", "【关键项】", "[鼓励项]" anywhere in a title
_BRACKETED = re.compile(rf"[（(【\[]\s*({_KIND})\s*[）)】\]]")
_MARKS = "★☆▲△◆◇●※＊*#＃"
# "标★的为关键项", "★为关键项", "带▲号的是否决项", "注有※者属于鼓励项"
_LEGEND = re.compile(rf"([{re.escape(_MARKS)}])\s*(?:号|标记|符号)?\s*(?:的|者|项)?\s*(?:项目)?\s*"
                     rf"(?:为|是|属于|系)\s*({_KIND})")


def legend(texts: list[str]) -> dict[str, str]:
    """Marks and the kind each stands for, from the table's notes and the lines around it."""
    found: dict[str, str] = {}
    for text in texts:
        for mark, kind in _LEGEND.findall(text):
            found.setdefault(mark, kind)
    return found


def mark_kinds(criteria: list[Criterion], notes: list[str]) -> list[Criterion]:
    """Give each criterion without a kind the one its title states, or the one its mark stands for; a part's kind
    passes to what lies under it (criteria come parents first). Returns those whose kind was read from the text."""
    marks = legend(notes)
    marked, kinds = [], {}
    for crit in criteria:
        if crit.kind.strip() in marks:  # a 类别 column holding the mark itself ("★"), the note saying what it is
            crit.kind = marks[crit.kind.strip()]
            marked.append(crit)
        elif not crit.kind:
            kind = _stated(crit.title, marks)
            if kind:
                crit.kind = kind
                marked.append(crit)
            elif kinds.get(crit.parent) in KINDS:
                crit.kind = kinds[crit.parent]
        kinds[crit.code] = crit.kind
    return marked


def _stated(title: str, marks: dict[str, str]) -> str:
    found = _BRACKETED.search(title)
    if found:
        return found.group(1)
    head = title.lstrip()[:2]  # "★将食品安全纳入…": a mark leads the title
    return next((kind for mark, kind in marks.items() if mark in head), "")
