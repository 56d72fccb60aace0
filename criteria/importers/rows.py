"""Rows that are never items, in every format: totals, score lines, fill-in lines, notes.

A CSV keeps its 小计/合计 rows and its "综合得分：____分" line as ordinary rows; read as items they double the total.
"""

from __future__ import annotations

import re

from criteria.codes import to_narrow

# "注：", "说明:", "备注 1.", "附件：", "填表人：" ... end the table: whatever follows is remarks, not items.
NOTE_RE = re.compile(r"^[*＊※]?\s*(注|说明|备注|附注|附件|填表说明|填报说明|填表人|填报人|审核人|联系人|"
                     r"制表人?|考核人|评分人|核查人)\s*\d*\s*[：:．.、]|^注\s*\d|^附件\s*\d*\s*$")
_TOTAL_WORDS = ("扣分汇总", "加分汇总", "综合得分", "最终得分", "自评得分", "考核得分", "评价得分", "实际得分",
                "总得分", "实得分", "加减分", "合计", "总计", "小计", "总分", "共计", "得分", "加分", "扣分", "分数")
_TOTAL_RE = re.compile(rf"^(?:{'|'.join(_TOTAL_WORDS)})(?=$|[:：（(\d_＿.\s]|分)")
# Words whose row states the table's total (a 小计 states a part's).
_GRAND_TOTALS = ("合计", "总计", "总分", "共计")
_FILL_IN = re.compile(r"[_＿]{2,}|…{2,}|（\s*）\s*分|\(\s*\)\s*分")
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*分?\s*$")

SKIP_REASONS = {
    "total": "合计行", "subtotal": "小计行", "score": "得分栏", "fill_in": "填写栏", "header": "重复的表头",
    "note": "注释", "below_note": "注释以下的内容", "code_only": "只有序号", "remark": "说明文字",
}


def _compact(text: str) -> str:
    return "".join(to_narrow(text).split())


def is_note(text: str) -> bool:
    return bool(NOTE_RE.match(text.strip()))


def non_item(texts: list[str]) -> str | None:
    """The reason a row holding these texts (its own cells, left to right) is not an item, or None."""
    if not texts:
        return None
    first = _compact(texts[0])
    match = _TOTAL_RE.match(first)
    others_plain = all(_NUMBER.match(to_narrow(t)) or _FILL_IN.search(t) or _TOTAL_RE.match(_compact(t))
                       for t in texts[1:])
    if match is not None and others_plain:
        word = match.group(0)
        if word == "小计":
            return "subtotal"
        return "total" if word in _GRAND_TOTALS else "score"
    if any(_FILL_IN.search(t) for t in texts) and len(texts) <= 2 and len(first) <= 30:
        return "fill_in"
    return None


def stated_row_total(texts: list[str]) -> float | None:
    """The number a 合计/总计/总分 row gives, if any."""
    for text in texts[1:] + texts[:1]:
        found = re.search(r"\d+(?:\.\d+)?", to_narrow(text))
        if found is not None and _NUMBER.match(to_narrow(text)):
            return float(found.group(0))
    found = re.search(r"(\d+(?:\.\d+)?)\s*分", to_narrow(texts[0])) if texts else None
    return float(found.group(1)) if found else None
