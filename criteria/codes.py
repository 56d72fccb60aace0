"""Recognise the item code at the start of a text: "一、", "（二）", "1.2", "(3)", "③" and their variants.

Used for criteria table cells ("1.2 建立…") and for folder names ("1.2-食品", "（二）宣传"). A text that merely
starts with a quantity ("2023年工作总结", "12月台账", "3.5万元") must not be mistaken for a code, because a folder
wrongly linked to an item is worse than one left unlinked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width forms mapped one character to one character, so that match positions in the translated text are
# also positions in the original and labels can be sliced "as written".
_WIDE = "０１２３４５６７８９（）．：\u3000"
_NARROW = "0123456789().: "
_TO_NARROW = str.maketrans(_WIDE, _NARROW)

CN_NUMERALS = "一二三四五六七八九十"
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"

# ① .. ⑳, ㉑ .. ㉟, ㊱ .. ㊿: all "circled" style.
_CIRCLED = [(0x2460, 0x2473, 1), (0x3251, 0x325F, 21), (0x32B1, 0x32BF, 36)]
# ⑴ .. ⒇ are parenthesised digits, ⒈ .. ⒛ digits with a full stop: same meaning as (1) and 1.
_PAREN_CHARS = (0x2474, 0x2487)
_STOP_CHARS = (0x2488, 0x249B)

_CN_NUM_RE = re.compile(rf"({_CN})\s*[、.]")
_CN_PAREN_RE = re.compile(rf"\(\s*({_CN})\s*\)")
_PAREN_RE = re.compile(r"\(\s*(\d{1,3})\s*\)|(\d{1,3})\)")
_DOTTED_RE = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)([.、](?!\d))?")
_WHOLE_DOTTED_RE = re.compile(r"\d+(?:\.\d+)*[.、]?")
# "1-1", "2—3": a 序号 cell numbering the second level with a dash, as dotted codes do with a dot
_DASHES = "[-—－–]"
_WHOLE_DASHED_RE = re.compile(rf"\d{{1,3}}(?:\s*{_DASHES}\s*\d{{1,3}})+")
_LEADING_DASHED_RE = re.compile(rf"\d{{1,3}}(?:{_DASHES}\d{{1,3}})+")
# After a range of numbers ("1-2次", "3-5个"): what was counted, so no code
_COUNTED_CHARS = set("个次天周岁人家倍批场期")
# The largest divisions of a table numbered in words: "第一部分 组织领导", "第二章", "第3篇". Headings only: in running
# text or a folder name "第一" starts too much else ("第一季度", "第一次会议").
_PART_WORD_RE = re.compile(rf"第\s*({_CN}|\d{{1,2}})\s*(?:部分|章|篇)")
# A heading's Chinese numeral set off by a space alone: "一 组织领导", "二　源头治理（30分）".
_CN_SPACED_RE = re.compile(rf"({_CN})\s+(?=\D)")

# A number directly followed by one of these is a year, date, amount or ratio, not an item code; or a document or
# quarter number ("1号文件汇编", "2季度台账"): no item's title begins with 号 or 季.
_QUANTITY_CHARS = set("年月日万亿元%％‰号季")
# "1/2", "8:30", "3~5": a number followed by one of these and a digit is a fraction, time or range.
_RANGE_CHARS = set("/:~～")
SEPARATORS = " \t\u3000、.．-_－—–:：,，·"


@dataclass(frozen=True)
class LeadingCode:
    label: str  # the code as written, e.g. "一、", "（二）", "1.2", "(3)", "③"
    style: str  # "cn_num", "cn_paren", "cn_part" (第一部分), "dotted", "paren", "circled" ("other": unknown 序号)
    numbers: tuple[int, ...]  # (1, 2) for "1.2", (2,) for "（二）"
    rest: str  # the text after the code and its separators

    @property
    def signature(self) -> tuple:
        """What makes two codes "the same kind of code": style, and depth for dotted codes."""
        return (self.style, len(self.numbers)) if self.style == "dotted" else (self.style,)


def to_narrow(text: str) -> str:
    """Full-width digits, parentheses, dot, colon and space as their ASCII forms."""
    return text.translate(_TO_NARROW)


def cn_number(text: str) -> int | None:
    """Value of a Chinese numeral from 一 to 九十九, or None."""
    if not text or not re.fullmatch(_CN, text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(units, 0)


def numeral_value(text: str) -> int | None:
    """"3" or "三" (a numeral written either way, as in 第3部分 / 第三部分) as a number."""
    return int(text) if text.isdigit() else cn_number(text)


def parse_leading_code(text: str) -> LeadingCode | None:
    """The code at the start of `text`, or None when the text does not start with one."""
    original = (text or "").lstrip()
    if not original:
        return None
    narrow = original.translate(_TO_NARROW)
    for parser in (_parse_special_char, _parse_cn_paren, _parse_paren, _parse_cn_num, _parse_dotted):
        found = parser(narrow)
        if found is not None:
            end, style, numbers = found
            return LeadingCode(original[:end].rstrip(), style, numbers, _strip_separators(original[end:]))
    return None


def parse_heading_code(text: str) -> LeadingCode | None:
    """The code at the start of a heading line, which may also be a part's number in words ("第一部分 组织领导")
    or a Chinese numeral set off by a space ("一 组织领导", style "cn_num" as "一、"). A part in words has a style
    of its own, "cn_part": a table may number its parts so and the divisions below them "一、"."""
    found = parse_leading_code(text)
    if found is not None:
        return found
    original = (text or "").strip()
    narrow = original.translate(_TO_NARROW)
    for pattern, style in ((_PART_WORD_RE, "cn_part"), (_CN_SPACED_RE, "cn_num")):
        match = pattern.match(narrow)
        rest = _strip_separators(original[match.end():]) if match else ""
        if rest:
            number = match.group(1)
            value = numeral_value(number)
            return LeadingCode(original[:match.end()].rstrip(), style, (value,), rest) if value else None
    return None


def parse_code_cell(text: str) -> LeadingCode | None:
    """A 序号 cell holds only a code, so accept what would be ambiguous in running text ("一", "2023")."""
    text = (text or "").strip()
    if not text:
        return None
    narrow = text.translate(_TO_NARROW)
    if _WHOLE_DOTTED_RE.fullmatch(narrow) or _WHOLE_DASHED_RE.fullmatch(narrow):
        numbers = tuple(int(p) for p in re.split(rf"\s*(?:\.|{_DASHES})\s*", narrow.rstrip(".、")))
        if all(numbers):
            return LeadingCode(text, "dotted", numbers, "")
    value = cn_number(text)
    if value is not None:
        return LeadingCode(text, "cn_num", (value,), "")
    part = _PART_WORD_RE.fullmatch(narrow)
    if part is not None:
        value = numeral_value(part.group(1))
        return LeadingCode(text, "cn_part", (value,), "") if value else None
    return parse_leading_code(text)


def normalize_label(label: str) -> str:
    """A comparable form of a label: "（二）" == "(二)", "1．2" == "1.2", "1-2" == "1.2", "1." == "1", "一、" == "一.",
    and a part's number in words as its numeral ("第二部分" == "二")."""
    text = "".join((label or "").translate(_TO_NARROW).split())
    part = _PART_WORD_RE.fullmatch(text)
    if part is not None:
        return part.group(1)
    if _WHOLE_DASHED_RE.fullmatch(text):
        text = re.sub(_DASHES, ".", text)  # "1-1" == "1.1"
    chars = []
    for ch in text:
        point = ord(ch)
        if _PAREN_CHARS[0] <= point <= _PAREN_CHARS[1]:
            chars.append(f"({point - _PAREN_CHARS[0] + 1})")
        elif _STOP_CHARS[0] <= point <= _STOP_CHARS[1]:
            chars.append(str(point - _STOP_CHARS[0] + 1))
        else:
            chars.append(ch)
    return "".join(chars).rstrip(".、")


def _strip_separators(text: str) -> str:
    return text.lstrip(SEPARATORS).strip()


def _parse_special_char(narrow: str) -> tuple[int, str, tuple[int, ...]] | None:
    point = ord(narrow[0])
    for first, last, base in _CIRCLED:
        if first <= point <= last:
            return 1, "circled", (base + point - first,)
    if _PAREN_CHARS[0] <= point <= _PAREN_CHARS[1]:
        return 1, "paren", (point - _PAREN_CHARS[0] + 1,)
    if _STOP_CHARS[0] <= point <= _STOP_CHARS[1]:
        return 1, "dotted", (point - _STOP_CHARS[0] + 1,)
    return None


def _parse_cn_paren(narrow: str) -> tuple[int, str, tuple[int, ...]] | None:
    match = _CN_PAREN_RE.match(narrow)
    if match is None:
        return None
    return match.end(), "cn_paren", (cn_number(match.group(1)),)


def _parse_cn_num(narrow: str) -> tuple[int, str, tuple[int, ...]] | None:
    match = _CN_NUM_RE.match(narrow)
    if match is None:
        return None
    return match.end(), "cn_num", (cn_number(match.group(1)),)


def _parse_paren(narrow: str) -> tuple[int, str, tuple[int, ...]] | None:
    match = _PAREN_RE.match(narrow)
    if match is None:
        return None
    value = int(match.group(1) or match.group(2))
    return (match.end(), "paren", (value,)) if value else None


def _parse_dotted(narrow: str) -> tuple[int, str, tuple[int, ...]] | None:
    dashed = _LEADING_DASHED_RE.match(narrow)
    if dashed is not None:  # "1-1 纳入考核" is 1.1; "3-5月检查", "1-2次" are ranges, no code
        after = narrow[dashed.end():dashed.end() + 1]
        numbers = tuple(int(n) for n in re.split(_DASHES, dashed.group(0)))
        if after in _QUANTITY_CHARS or after in _COUNTED_CHARS or (after.isascii() and after.isalnum()):
            return None
        return (dashed.end(), "dotted", numbers) if all(numbers) else None
    match = _DOTTED_RE.match(narrow)
    if match is None:
        return None
    numbers = tuple(int(p) for p in match.group(1).split("."))
    if not numbers[0] or not _ends_code(narrow, match.end(1), match.end()):
        return None
    return match.end(), "dotted", numbers


def _ends_code(narrow: str, digits_end: int, end: int) -> bool:
    """Whether what follows the digits lets them be a code rather than part of a word or quantity."""
    after = narrow[digits_end:digits_end + 1]
    if after in _QUANTITY_CHARS:
        return False
    if after in _RANGE_CHARS and narrow[digits_end + 1:digits_end + 2].isdigit():
        return False
    following = narrow[end:end + 1]
    # "3D打印", "1a", "2023": digits or Latin letters run on, so this is a word or a longer number.
    return not (following.isascii() and following.isalnum())
