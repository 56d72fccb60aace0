"""The text inside one evidence file, page by page: Word, Excel and PowerPoint (2007+), PDF text layers, OFD
(电子公文: archive.metadata.ofd puts its characters back into lines), plain text.

Plain functions of (path, type) that run in worker processes. Office files are read as what they are, zip archives
of XML: a regular expression over the XML part is several times faster than a document library and never resolves
entities (no XML parser sees the file), and every part is read with a size limit, so a hostile file costs at most
that. A damaged file gives a state, never an exception.
"""

from __future__ import annotations

import html
import logging
import re
import zipfile
from dataclasses import dataclass, field

from archive.index.filetypes import ZIP_ERRORS
from archive.metadata.ofd import page_texts
from archive.metadata.text import decode_legacy

MAX_CHARS = 100_000  # text kept per file: a 60-page report; a huge ledger is searchable in its first part
MAX_PART = 32 << 20  # bytes of one XML part read (a 30 MB sheet is very large already)
MAX_PLAIN = 2 << 20  # bytes of a text file read
PLAIN_TYPES = frozenset({"txt", "csv", "md", "log", "json", "xml", "html", "yaml", "ini"})
ZIP_TYPES = frozenset({"docx", "xlsx", "pptx"})
READABLE = PLAIN_TYPES | ZIP_TYPES | {"pdf", "ofd"}
_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class Extracted:
    pages: list[tuple[int | None, str]] = field(default_factory=list)  # (page number or None, text)
    state: str = "text"  # text | empty | failed | skipped
    note: str | None = None
    blank: int = 0  # pages without a text layer (scans): what OCR could read

    @property
    def chars(self) -> int:
        return sum(len(text) for _, text in self.pages)


def tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def extract(path: str, kind: str) -> Extracted:
    try:
        if kind in PLAIN_TYPES:
            result = _plain(path)
        elif kind == "docx":
            result = _docx(path)
        elif kind == "xlsx":
            result = _xlsx(path)
        elif kind == "pptx":
            result = _pptx(path)
        elif kind == "pdf":
            result = pdf_text(path)
        elif kind == "ofd":
            result = Extracted(pages=list(enumerate(page_texts(path, MAX_CHARS), start=1)))
        else:
            return Extracted(state="skipped", note="此类文件不提取文字")
    except ZIP_ERRORS as exc:
        return Extracted(state="failed", note=f"文件已损坏，无法读取文字（{type(exc).__name__}）")
    except MemoryError:
        return Extracted(state="failed", note="文件过大，无法读取文字")
    return _finish(result)


def extract_item(item: tuple[str, str]) -> Extracted:
    """extract for one (path, type) pair: picklable, for a process pool."""
    return extract(*item)


def _finish(result: Extracted) -> Extracted:
    kept, budget = [], MAX_CHARS
    for page, text in result.pages:
        text = tidy(text)
        if not text:
            continue
        kept.append((page, text[:budget]))
        budget -= len(kept[-1][1])
        if budget <= 0:
            result.note = result.note or f"文字超过 {MAX_CHARS} 字，只收录前 {MAX_CHARS} 字"
            break
    result.pages = kept
    if result.state == "text" and not kept:
        result.state = "empty"
    return result


def _plain(path: str) -> Extracted:
    with open(path, "rb") as handle:
        data = handle.read(MAX_PLAIN)
    return Extracted(pages=[(None, decode_legacy(data, sliced=True, last_resort="gb18030"))])


def _read_part(archive: zipfile.ZipFile, name: str) -> str:
    with archive.open(name) as handle:
        return handle.read(MAX_PART).decode("utf-8", errors="replace")


_W_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:tab/>|<w:br/>|</w:p>|</w:tc>|</w:tr>")
_A_TEXT = re.compile(r"<a:t>([^<]*)</a:t>|</a:p>")
_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml$")


def _word_text(xml: str) -> str:
    out = []
    for match in _W_TEXT.finditer(xml):
        token = match.group(0)
        if match.group(1) is not None:
            out.append(match.group(1))
        elif token in ("</w:p>", "<w:br/>", "</w:tr>"):
            out.append("\n")
        elif token == "</w:tc>":  # a table row reads as one line: its cells' paragraphs end in a space
            if out and out[-1] == "\n":
                out.pop()
            out.append(" ")
        else:  # a tab
            out.append(" ")
    return html.unescape("".join(out))


def _docx(path: str) -> Extracted:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            return Extracted(state="failed", note="Word 文件缺少正文部分")
        parts = ["word/document.xml", *sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))]
        text = "\n".join(_word_text(_read_part(archive, name)) for name in parts)
    return Extracted(pages=[(None, text)])


def _pptx(path: str) -> Extracted:
    with zipfile.ZipFile(path) as archive:
        slides = sorted((int(m.group(1)), m.group(0)) for n in archive.namelist() if (m := _SLIDE.match(n)))
        pages = []
        for number, name in slides:
            xml = _read_part(archive, name)
            text = "".join(m.group(1) if m.group(1) is not None else "\n" for m in _A_TEXT.finditer(xml))
            pages.append((number, html.unescape(text)))
    return Extracted(pages=pages)


_SHARED = re.compile(r"<si>(.*?)</si>", re.S)
_T = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>")
_ROW = re.compile(r"<row[ >].*?</row>", re.S)
_CELL = re.compile(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_VALUE = re.compile(r"<v>([^<]*)</v>")
_SHEET = re.compile(r"xl/worksheets/sheet(\d+)\.xml$")


def _xlsx(path: str) -> Extracted:
    """Each sheet as lines of its rows' cell texts (shared strings resolved, numbers as written)."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            xml = _read_part(archive, "xl/sharedStrings.xml")
            shared = ["".join(_T.findall(si)) for si in _SHARED.findall(xml)]
        sheets = sorted((int(m.group(1)), m.group(0)) for n in names if (m := _SHEET.match(n)))
        lines, total = [], 0
        for _, name in sheets:
            for row in _ROW.findall(_read_part(archive, name)):
                cells = [_cell_text(attrs, body, shared) for attrs, body in _CELL.findall(row)]
                if line := " ".join(c for c in cells if c):
                    lines.append(line)
                    total += len(line)
                if total > MAX_CHARS:
                    break
    return Extracted(pages=[(None, html.unescape("\n".join(lines)))])  # one pass: cells are still escaped


def _cell_text(attrs: str, body: str, shared: list[str]) -> str:
    if 't="s"' in attrs:
        value = _VALUE.search(body)
        index = int(value.group(1)) if value and value.group(1).isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else ""
    if 't="inlineStr"' in attrs:
        return "".join(_T.findall(body))
    value = _VALUE.search(body)
    return value.group(1) if value else ""


def pdf_text(path: str) -> Extracted:
    """The text layer of every page (pypdf); pages without one are counted as blank (scans, photos)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return Extracted(state="failed", note="PDF 已加密，无法读取文字")
        result = Extracted()
        budget = MAX_CHARS
        for number, page in enumerate(reader.pages, start=1):
            if budget <= 0:
                break
            text = _page_text(page)
            if text.strip():
                result.pages.append((number, text))
                budget -= len(text)
            else:
                result.blank += 1
        return result
    except FileNotDecryptedError:
        return Extracted(state="failed", note="PDF 已加密，无法读取文字")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return Extracted(state="failed", note="PDF 文件已损坏，无法读取文字")
    except OSError as exc:
        return Extracted(state="failed", note=f"无法读取（{exc.strerror or exc}）")
    except Exception:  # pypdf meets every kind of broken PDF; one must never stop the others
        return Extracted(state="failed", note="PDF 文件已损坏，无法读取文字")


def _page_text(page) -> str:
    try:
        return page.extract_text() or ""
    except Exception:  # one bad content stream: the other pages still count
        return ""
