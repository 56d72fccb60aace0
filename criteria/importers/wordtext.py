"""The text of a Word paragraph as the clerk reads it, with tracked changes accepted.

python-docx's Paragraph.text reads the runs directly under the paragraph: text inserted while 修订 (track changes)
was on sits in w:ins and was dropped ("成立县食安委" read "成立食安委", a 分值 typed as a revision read empty), as was
text in an inline content control of a template (w:sdt) or a smart tag. Here every run of the paragraph counts,
except deleted or moved-away text (w:del, w:moveFrom: gone once the changes are accepted) and the contents of text
boxes and drawings (not part of the cell's text; Word keeps them twice, for new and old readers).
"""

from __future__ import annotations

from docx.oxml.ns import qn

_SKIPPED = frozenset(qn(tag) for tag in ("w:del", "w:moveFrom", "w:txbxContent", "w:pict", "w:drawing", "w:object",
                                         "w:rPr", "w:pPr", "w:fldData"))
_SKIPPED_ANY = frozenset({"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"})
_CHARACTERS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_TEXT = qn("w:t")
_CHANGES = frozenset(qn(tag) for tag in ("w:ins", "w:del", "w:moveFrom", "w:moveTo"))
_RUN = qn("w:r")


def paragraph_text(paragraph) -> str:
    parts: list[str] = []
    _collect(paragraph, parts)
    return "".join(parts)


def _collect(element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED or tag in _SKIPPED_ANY:
            continue
        if tag == _TEXT:
            parts.append(child.text or "")
        elif tag in _CHARACTERS:
            parts.append(_CHARACTERS[tag])
        else:
            _collect(child, parts)


def block_paragraphs(container) -> list:
    """The paragraphs of a table cell, including those a block-level content control (w:sdt) or custom XML wraps;
    not those of a table nested in it."""
    found = []
    for child in container:
        if child.tag == qn("w:p"):
            found.append(child)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            found += block_paragraphs(child)
    return found


def tracked_changes(element) -> int:
    """Text inserted, deleted or moved under 修订 and not yet accepted or rejected, inside `element`."""
    return sum(1 for change in element.iter(*_CHANGES) if change.find(_RUN) is not None)
