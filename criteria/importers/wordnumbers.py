"""The numbers Word shows in front of automatically numbered paragraphs, which are not in their text.

A 序号 column numbered with Word's 编号 button (or a "一、组织领导" heading numbered by a list style) holds only
the paragraph's numbering properties: python-docx's text is "" there, and the table would be numbered by row
position, not as printed. Rendered here as Word does (ECMA-376 §17.9): a running count per abstract numbering
definition shared by every w:num that uses it, a w:num's startOverride restarting it where that w:num first
appears, deeper levels restarting when a higher level is used, and each level's lvlText ("%1、", "（%2）") in its
numFmt (decimal, 一二三, ①②③, 甲乙丙, letters, roman). Bullets show no number.

    labels = list_labels(document)      # {w:p element: "一、"}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn

_CN_DIGITS = "零一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # lvlRestart: restart after this level (1-based) is used; 0 never; None: any higher
    legal: bool = False  # isLgl: the levels it shows are written as decimals


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level
    levels: dict[int, _Level] = field(default_factory=dict)  # levels the w:num redefines


def list_labels(document) -> dict:
    """Every automatically numbered paragraph of the document (body, tables, nested tables) and the number Word
    shows in front of it; {} for a document without numbering."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstracts = {a.get(qn("w:abstractNumId")): _levels(a) for a in numbering.findall(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): _num(n) for n in numbering.findall(qn("w:num"))}
    styles = _style_numbers(document)
    counter = _Counter(abstracts, nums)
    labels = {}
    for paragraph in document.element.body.iter(qn("w:p")):
        found = _numbering_of(paragraph, styles)
        if found is not None:
            label = counter.next(*found)
            if label:
                labels[paragraph] = label
    return labels


class _Counter:
    def __init__(self, abstracts: dict[str, dict[int, _Level]], nums: dict[str, _Num]):
        self.abstracts, self.nums = abstracts, nums
        self.counts: dict[str, dict[int, int]] = {}  # abstract id -> level -> last number shown
        self.seen: set[tuple[str, int]] = set()  # (numId, level) already shown: its startOverride is spent

    def next(self, num_id: str, level: int) -> str:
        num = self.nums.get(num_id)
        if num is None or num.abstract not in self.abstracts:
            return ""
        levels = {**self.abstracts[num.abstract], **num.levels}
        definition = levels.get(level)
        if definition is None or definition.fmt in ("bullet", "none"):
            return ""
        counts = self.counts.setdefault(num.abstract, {})
        if (num_id, level) not in self.seen and level in num.starts:
            counts[level] = num.starts[level] - 1
        self.seen.add((num_id, level))
        counts[level] = counts.get(level, definition.start - 1) + 1
        for deeper in [d for d in counts if d > level]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart and level < restart):
                del counts[deeper]
        return _render(definition, levels, counts)


def _render(definition: _Level, levels: dict[int, _Level], counts: dict[int, int]) -> str:
    text = definition.text
    for shown in range(9):
        mark = f"%{shown + 1}"
        if mark in text:
            value = counts.get(shown, levels[shown].start if shown in levels else 1)
            fmt = "decimal" if definition.legal or shown not in levels else levels[shown].fmt
            text = text.replace(mark, _formatted(value, fmt))
    return text.strip()


def _formatted(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(value, fmt)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt in ("ideographTraditional",) and 1 <= value <= len(_HEAVENLY_STEMS):
        return _HEAVENLY_STEMS[value - 1]
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    return str(value)


def _chinese(value: int, fmt: str) -> str:
    if fmt == "ideographDigital" and value >= 0:  # 一〇一: digit by digit
        return "".join("〇" if d == "0" else _CN_DIGITS[int(d)] for d in str(value))
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones else "")


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out, value = out + letters, value - number
    return out


def _levels(element) -> dict[int, _Level]:
    return {_int(lvl.get(qn("w:ilvl")), 0): _level(lvl) for lvl in element.findall(qn("w:lvl"))}


def _level(lvl) -> _Level:
    def value(tag: str) -> str | None:
        child = lvl.find(qn(tag))
        return None if child is None else child.get(qn("w:val"))

    start, restart = value("w:start"), value("w:lvlRestart")
    legal = lvl.find(qn("w:isLgl"))
    return _Level(start=_int(start, 1), fmt=value("w:numFmt") or "decimal", text=value("w:lvlText") or "",
                  restart=None if restart is None else _int(restart, 0),
                  legal=legal is not None and legal.get(qn("w:val"), "1") not in ("0", "false"))


def _num(element) -> _Num:
    abstract = element.find(qn("w:abstractNumId"))
    num = _Num(abstract.get(qn("w:val")) if abstract is not None else "")
    for override in element.findall(qn("w:lvlOverride")):
        level = _int(override.get(qn("w:ilvl")), 0)
        start = override.find(qn("w:startOverride"))
        if start is not None:
            num.starts[level] = _int(start.get(qn("w:val")), 1)
        redefined = override.find(qn("w:lvl"))
        if redefined is not None:
            num.levels[level] = _level(redefined)
    return num


def _style_numbers(document) -> dict[str, tuple[str, int]]:
    """Paragraph style id -> (numId, level) for list styles ("List Number", a heading style numbered 一、),
    following basedOn."""
    try:
        styles = document.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for style in styles.findall(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        parent = style.find(qn("w:basedOn"))
        if parent is not None:
            based[style_id] = parent.get(qn("w:val"))
        found = _num_pr(style.find(qn("w:pPr")))
        if found is not None:
            own[style_id] = found
    resolved = {}
    for style_id in own.keys() | based.keys():
        chain, current = [], style_id
        while current is not None and current not in chain:
            chain.append(current)
            if current in own:
                num_id, level = own[current]
                if num_id is not None:
                    resolved[style_id] = (num_id, level or 0)
                break
            current = based.get(current)
    return resolved


def _numbering_of(paragraph, styles: dict[str, tuple[str, int]]) -> tuple[str, int] | None:
    properties = paragraph.find(qn("w:pPr"))
    style = None
    if properties is not None:
        style_element = properties.find(qn("w:pStyle"))
        style = style_element.get(qn("w:val")) if style_element is not None else None
    from_style = styles.get(style) if style else None
    own = _num_pr(properties)
    if own is None:
        return from_style
    num_id, level = own
    if num_id is None:  # a level alone: the style's list at that level
        return (from_style[0], level or 0) if from_style else None
    if num_id == "0":  # numbering switched off on this paragraph
        return None
    return num_id, level if level is not None else (from_style[1] if from_style else 0)


def _num_pr(properties) -> tuple[str | None, int | None] | None:
    if properties is None:
        return None
    num_pr = properties.find(qn("w:numPr"))
    if num_pr is None:
        return None
    num_id, level = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    return (num_id.get(qn("w:val")) if num_id is not None else None,
            _int(level.get(qn("w:val")), 0) if level is not None else None)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
