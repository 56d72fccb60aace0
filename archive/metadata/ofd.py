"""What an OFD file (GB/T 33190, the format of China's electronic official documents, 电子公文) says of itself: its
DocInfo (title, author) and the text lines of its first page, read like a PDF's (archive.metadata.extract).

An OFD is a zip of XML parts: OFD.xml names the document's DocInfo and its root (Doc_0/Document.xml), which lists
the pages; a page's Content.xml holds text objects, each placed on the page by its Boundary (x, y, width, height in
millimetres) and a CTM, with TextCode elements giving the characters and their position inside the object. Writers
differ: one object per line, or one per character (most 公文 systems); so the characters are put back into lines
by where they stand, top to bottom and left to right. As for Office files, the XML is searched with regular
expressions, never parsed: no entity expansion, and each part is read only up to a bounded size.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile

PART_LIMIT = 4 << 20  # inflated bytes of one XML part at most: a page of text is tens of kilobytes
_DOC_INFO = re.compile(r"<(?:\w+:)?DocInfo\b.*?</(?:\w+:)?DocInfo>", re.S)
_INFO_FIELDS = {"title": "Title", "issuer": "Author"}
_DOC_ROOT = re.compile(r"<(?:\w+:)?DocRoot>\s*([^<]+?)\s*</(?:\w+:)?DocRoot>")
_PAGE = re.compile(r"<(?:\w+:)?Page\b[^>]*\bBaseLoc=\"([^\"]+)\"")
_TEXT_OBJECT = re.compile(r"<(?:\w+:)?TextObject\b([^>]*)>(.*?)</(?:\w+:)?TextObject>", re.S)
_TEXT_CODE = re.compile(r"<(?:\w+:)?TextCode\b([^>]*)>([^<]*)</(?:\w+:)?TextCode>")
_ATTRIBUTE = re.compile(r"(\w+)=\"([^\"]*)\"")
LINE_TOLERANCE = 0.4  # of a character's height: baselines closer than this are one line


def ofd_fields(path: str, data: bytes | None) -> tuple[dict[str, str], list[str], int]:
    """(DocInfo values, the first page's text lines, pages) of the OFD at `path` (or held in `data`)."""
    with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as ofd:
        root = _part(ofd, "OFD.xml")
        info = _DOC_INFO.search(root)
        values = {key: _element(info.group(0), name) for key, name in _INFO_FIELDS.items()} if info else {}
        pages = _pages(ofd, root)
        return values, page_lines(_part(ofd, pages[0])) if pages else [], len(pages)


def page_texts(path: str, max_chars: int) -> list[str]:
    """Each page's text, lines joined by newlines, until `max_chars` characters are read (full-text search)."""
    texts: list[str] = []
    with zipfile.ZipFile(path) as ofd:
        for page in _pages(ofd, _part(ofd, "OFD.xml")):
            texts.append("\n".join(page_lines(_part(ofd, page))))
            max_chars -= len(texts[-1])
            if max_chars <= 0:
                break
    return texts


def _pages(ofd: zipfile.ZipFile, root: str) -> list[str]:
    """The parts of the document's pages, in order, as OFD.xml's DocRoot and its Document.xml name them."""
    found = _DOC_ROOT.search(root)
    if found is None:
        return []
    document_path = _resolve("", found.group(1))
    base = posixpath.dirname(document_path)
    return [_resolve(base, location) for location in _PAGE.findall(_part(ofd, document_path))]


def page_lines(content: str) -> list[str]:
    """The text of a page's Content.xml as lines, top to bottom, each left to right."""
    glyphs = []  # (baseline y, x, height, text)
    for attributes, body in _TEXT_OBJECT.findall(content):
        placed = dict(_ATTRIBUTE.findall(attributes))
        left, top, height = _boundary(placed.get("Boundary", ""))
        a, b, c, d, e, f = _ctm(placed.get("CTM", ""))
        for code_attributes, text in _TEXT_CODE.findall(body):
            if not text.strip():
                continue
            at = dict(_ATTRIBUTE.findall(code_attributes))
            x, y = _number(at.get("X")), _number(at.get("Y"))
            glyphs.append((top + b * x + d * y + f, left + a * x + c * y + e, height, html.unescape(text)))
    return _lines(glyphs)


def _lines(glyphs: list[tuple[float, float, float, str]]) -> list[str]:
    lines: list[list[tuple[float, str]]] = []
    baseline = None
    for y, x, height, text in sorted(glyphs):
        if baseline is None or y - baseline > max(height, 1.0) * LINE_TOLERANCE:
            lines.append([])
            baseline = y
        lines[-1].append((x, text))
    return ["".join(text for _, text in sorted(line)).strip() for line in lines]


def _part(ofd: zipfile.ZipFile, name: str) -> str:
    """A part's text, at most PART_LIMIT bytes of it (a zip bomb gets no further). Names are case-sensitive in a
    zip, but some writers and readers are not: a name that differs only in case is accepted."""
    try:
        info = ofd.getinfo(name)
    except KeyError:
        lowered = {item.filename.lower(): item for item in ofd.infolist()}
        info = lowered.get(name.lower())
        if info is None:
            return ""
    with ofd.open(info) as part:
        return part.read(PART_LIMIT).decode("utf-8", "replace")


def _resolve(base: str, location: str) -> str:
    """A location in the package: absolute ("/Doc_0/…") or relative to the part that names it."""
    location = location.strip().replace("\\", "/")
    joined = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(joined).lstrip("/")


def _element(xml: str, name: str) -> str:
    found = re.search(rf"<(?:\w+:)?{name}>([^<]*)</(?:\w+:)?{name}>", xml)
    return html.unescape(found.group(1)).strip() if found else ""


def _boundary(value: str) -> tuple[float, float, float]:
    parts = value.split()
    if len(parts) != 4:
        return 0.0, 0.0, 0.0
    left, top, _, height = (_number(part) for part in parts)
    return left, top, height


def _ctm(value: str) -> tuple[float, ...]:
    parts = value.split()
    return tuple(_number(part) for part in parts) if len(parts) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _number(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0
