"""What a file really is (by its first bytes, via the `filetype` signature library) and how many pages it has.

Type detection uses the head the hasher already read, so it costs no extra I/O. Page counts and Office checks
(`count_pages`, in the scan's second pass) are read by pdfpages and officezip (beside this module) from the few places
that hold them; only files those readers are not sure about are parsed fully here (pypdf, zipfile).
"""

from __future__ import annotations

import logging
import os
import re
import struct
import zipfile
import zlib

import filetype

from archive.index import officezip, pdfpages, tiffpages
from archive.index.officezip import DTD_HEAD, MAX_RATIO, OFFICE_NAMES, RATIO_FLOOR
from archive.index.packed import packed_problem
from archive.index.shortcuts import shortcut_problem

HEAD_BYTES = 8192  # what `filetype` looks at
INSPECT_WHOLE = 1 << 20  # a file up to this size is read whole for the small readers; a larger one at offsets
ALIASES = {"jpeg": "jpg", "tiff": "tif", "htm": "html", "yml": "yaml"}
# Extensions whose content has a signature we can check; anything else keeps its extension as its type.
OLE_FAMILY = {"doc", "xls", "ppt", "wps", "et", "dps", "msg"}
ZIP_FAMILY = {"zip", "docx", "xlsx", "pptx", "ofd", "odt", "ods", "odp", "epub", "jar"}
SIGNED = OLE_FAMILY | ZIP_FAMILY | {"pdf", "jpg", "png", "gif", "bmp", "tif", "webp", "rar", "7z", "rtf", "mp4", "mov",
                                    "avi", "mp3", "wav"}
PAGED_TYPES = {"pdf", "docx", "tif"}
MISMATCH_PREFIX = "内容与扩展名不符："
PICTURES = {"jpg", "png", "gif", "bmp", "tif", "webp"}  # pictures every export shows, whatever their extension says
# New Office content under the older program's extension (a .doc holding a .docx, as systems and a 另存为 with the
# wrong type write): Word, WPS and Excel (after a warning) open it by its content, so it is typed by its content.
RENAMED_NEWER = {"doc": "docx", "wps": "docx", "xls": "xlsx", "et": "xlsx", "ppt": "pptx", "dps": "pptx"}
# Opened after indexing: PDF/DOCX/TIFF for their page count, and every Office zip for a structural check (truncated,
# zip bomb, DTD) so a broken or hostile file is a problem in the index instead of a surprise in an export.
INSPECTED_TYPES = PAGED_TYPES | {"xlsx", "pptx"}
MAX_IMAGE_PIXELS = 178_956_970  # Pillow refuses to decode more (2 x Image.MAX_IMAGE_PIXELS, DecompressionBombError)
# What zipfile raises on a damaged, encrypted (RuntimeError) or oddly compressed (NotImplementedError) Office file
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, RuntimeError, NotImplementedError)
_DOCX_PAGES = re.compile(rb"<(?:\w+:)?Pages>(\d+)</(?:\w+:)?Pages>")

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a clerk's PDFs are often sloppy; problems are reported by us


def extension(name: str) -> str:
    dot = name.rfind(".")
    ext = name[dot + 1:].lower() if dot > 0 else ""
    return ALIASES.get(ext, ext)


def _family(kind: str) -> str:
    if kind in OLE_FAMILY:
        return "ole"
    if kind in ZIP_FAMILY:
        return "zip"
    return kind


def _looks_like_text(head: bytes) -> bool:
    return b"\x00" not in head[:1024]


# The signatures of what evidence folders mostly hold, checked first: `filetype` tries ~80 matchers per file,
# which at 50,000 files costs more CPU than hashing leaves spare. It remains the fallback for everything else.
_FAST_SIGNATURES = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"),
                    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"), (b"GIF8", "gif"))
_ZIP_MEMBERS = ((b"word/", "docx"), (b"xl/", "xlsx"), (b"ppt/", "pptx"))
# The signature each common extension's content starts with: a file whose content agrees with its name (nearly all)
# is settled by one comparison, with the answer the full detection below would give.
_SIGNATURE_OF = {**{kind: signature for signature, kind in _FAST_SIGNATURES if kind != "ole"},
                 **dict.fromkeys(OLE_FAMILY, _FAST_SIGNATURES[3][0]),
                 **dict.fromkeys(("docx", "xlsx", "pptx"), b"PK\x03\x04")}
_HEADER_CHECKED = {"png", "gif", "bmp"}  # _image_problem looks at these


def _fast_guess(head: bytes, ext: str) -> str | None:
    for signature, kind in _FAST_SIGNATURES:
        if head.startswith(signature):
            if kind == "ole":  # one container for .doc/.xls/.ppt/.wps: the extension names the member
                return ext if ext in OLE_FAMILY else "doc"
            return kind
    if head.startswith(b"PK\x03\x04"):
        for member, kind in _ZIP_MEMBERS:
            if member in head:
                return kind
    return None


def detect_type(head: bytes, name: str, size: int) -> tuple[str, str | None]:
    """Return (type, problem). The type is what the content says; the extension decides only when it says nothing."""
    kind, problem = _detect(head, name, size)
    return kind, packed_problem(kind, problem)


def _detect(head: bytes, name: str, size: int) -> tuple[str, str | None]:
    ext = extension(name)
    if size == 0:
        return ext or "未知", "空文件（0 字节）"
    if (shortcut := shortcut_problem(head, ext)) is not None:  # a pointer to the material, not the material
        return shortcut
    signature = _SIGNATURE_OF.get(ext)
    if signature is not None and head.startswith(signature) and (
            signature != b"PK\x03\x04" or any(member in head for member, _ in _ZIP_MEMBERS)):
        return ext, _image_problem(head, ext) if ext in _HEADER_CHECKED else None
    found = _fast_guess(head, ext)
    if found is None:
        guess = filetype.guess(head[:HEAD_BYTES])
        found = ALIASES.get(guess.extension, guess.extension) if guess else None
    if found is None and head.lstrip()[:5].lower() in (b"<!doc", b"<html"):
        found = "html"
    if ext in PICTURES and found in PICTURES:  # a phone or WeChat saved a PNG as .jpg: a picture all the same,
        return found, _image_problem(head, found)  # shown and embedded by what it is, not left out as a problem
    if found is not None and RENAMED_NEWER.get(ext) == found:
        return found, None
    if ext in SIGNED and _family(found or "") != _family(ext):
        actual = found.upper() if found else ("文本" if _looks_like_text(head) else "未知格式")
        if _family(found or "") == "ole" and ext not in OLE_FAMILY:  # the container says not which program's
            actual = "旧版 Office 文件（.doc、.xls 等）"
        elif found == "html" and b"<table" in head.lower():  # an OA system's "导出 Excel": a table as a web page
            actual = "网页（HTML）表格，常见于办公系统的“导出”，请用 Excel 或 WPS 打开后另存为 .xlsx"
        elif found == "html":  # a page a site returned instead of the file: its login or error page
            actual = "网页（HTML），可能是下载失败时保存的页面，请重新下载原文件"
        return found or ext, f"{MISMATCH_PREFIX}扩展名为 .{ext}，实际为{actual}"
    if found and _family(found) == _family(ext):
        return ext, _image_problem(head, ext)  # keep the precise name: a .docx is a zip, but "docx" says more
    if found:
        return found, _image_problem(head, found)
    return ext or ("txt" if _looks_like_text(head) else "未知"), None


def _image_problem(head: bytes, kind: str) -> str | None:
    """A decompression bomb: a tiny file whose header claims gigapixels. Read from the header only."""
    size = None
    if kind == "png" and head[12:16] == b"IHDR":
        size = struct.unpack(">II", head[16:24])
    elif kind == "gif" and len(head) >= 10:
        size = struct.unpack("<HH", head[6:10])
    elif kind == "bmp" and len(head) >= 26 and struct.unpack("<I", head[14:18])[0] >= 40:
        size = tuple(abs(v) for v in struct.unpack("<ii", head[18:26]))
    if size is None or size[0] * size[1] <= MAX_IMAGE_PIXELS:
        return None
    return f"图片声明的尺寸异常（{size[0]}×{size[1]} 像素），疑似恶意文件（解压炸弹），导出时不嵌入"


Inspected = tuple[int | None, str | None]  # (pages, problem)


def _reader(fd: int):
    """read(offset, length) on an open file (Windows has no pread: the descriptor is this thread's own)."""
    if hasattr(os, "pread"):
        return lambda offset, length: os.pread(fd, length, offset)

    def read(offset: int, length: int) -> bytes:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, length)

    return read


def count_pages(path: str, kind: str, data: bytes | None = None) -> tuple[int | None, str | None]:
    """Return (pages, problem) for PDF and DOCX; (None, problem) for the other Office zips; (pages, None) for a
    TIFF; else (None, None). The small readers first, then the full parse: pypdf, or zipfile and every XML part's
    head. `data`: the whole file, when the caller has read it (read_whole)."""
    if kind == "tif":
        return _tiff_pages(path, data), None
    if kind in INSPECTED_TYPES and (found := _read_quickly(path, kind, data)) is not None:
        return found
    if kind == "pdf":
        return _pdf_pages(path)
    if kind == "docx":
        return _docx_pages(path)
    if kind in OFFICE_NAMES:
        return None, _office_problem(path, kind)
    return None, None


def read_whole(path: str) -> bytes | None:
    """The file's bytes if it is small enough to be inspected in memory (INSPECT_WHOLE), else None."""
    try:
        with open(path, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > INSPECT_WHOLE:
                return None
            data = handle.read(size + 1)
            return data if len(data) == size else None  # it changed while read: the readers read it again
    except OSError:
        return None


def _read_quickly(path: str, kind: str, data: bytes | None = None) -> Inspected | None:
    """count_pages by the small readers (pdfpages, officezip): from the whole file in memory when it
    is small, else at offsets; None when only the full parse can tell."""
    if data is not None:
        if kind == "pdf":
            pages = pdfpages.page_count(data, len(data))
            return None if pages is None else (pages, None)
        return officezip.inspect(data, len(data), kind)
    try:
        with open(path, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(size + 1) if size <= INSPECT_WHOLE else None
            read = _reader(handle.fileno())
            if kind == "pdf":
                pages = pdfpages.page_count(data, size, read)
                return None if pages is None else (pages, None)
            return officezip.inspect(data, size, kind, read)
    except OSError:
        return None  # the full parse says what is wrong


def _tiff_pages(path: str, data: bytes | None) -> int | None:
    if data is not None:
        return tiffpages.page_count(lambda offset, length: data[offset:offset + length])
    try:
        with open(path, "rb", buffering=0) as handle:
            return tiffpages.page_count(_reader(handle.fileno()))
    except OSError:
        return None


def count_pages_of(item: tuple[str, str]) -> tuple[int | None, str | None]:
    """count_pages for one (path, type) pair: picklable, for a process pool."""
    return count_pages(*item)


def _pdf_pages(path: str) -> tuple[int | None, str | None]:
    from pypdf import PdfReader  # imported lazily: most runs of the CLI never count pages
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None, "PDF 已加密，无法读取页数"
        return _declared_count(reader) or len(reader.pages), None
    except FileNotDecryptedError:
        return None, "PDF 已加密，无法读取页数"
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return None, "PDF 文件已损坏，无法读取页数"
    except OSError as exc:
        return None, f"无法读取（{exc.strerror or exc}）"
    except Exception:
        return None, "PDF 文件已损坏，无法读取页数"


def _declared_count(reader) -> int | None:
    """The page tree's own /Count: five times cheaper than walking every page, and right for sound files."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
    except (KeyError, TypeError, AttributeError):
        return None
    return count if isinstance(count, int) and count > 0 else None


def _office_problem(path: str, kind: str) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return _zip_problem(archive, kind)
    except ZIP_ERRORS:
        return f"{OFFICE_NAMES[kind]} 文件已损坏，无法打开"


def _zip_problem(archive: zipfile.ZipFile, kind: str) -> str | None:
    """A zip bomb (declared sizes far beyond any real document; zipfile never inflates past them), or a DTD, which
    Office files never have and an XML entity bomb needs. Nothing here parses XML: those are refused unread."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    sizes = [(info.file_size, info.compress_size) for info in infos] + [(total, sum(i.compress_size for i in infos))]
    if any(size > RATIO_FLOOR and size > MAX_RATIO * packed for size, packed in sizes):
        return f"{OFFICE_NAMES[kind]} 文件解压后达 {total >> 20} MB，疑似压缩炸弹（恶意文件），导出时不打开"
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as handle:
                if b"<!DOCTYPE" in handle.read(DTD_HEAD):
                    return f"{OFFICE_NAMES[kind]} 文件含有 DTD 声明（正常文件没有），疑似恶意文件（实体炸弹），未打开"
    return None


def _docx_pages(path: str) -> tuple[int | None, str | None]:
    try:
        with zipfile.ZipFile(path) as archive:
            if problem := _zip_problem(archive, "docx"):
                return None, problem
            if "docProps/app.xml" not in archive.namelist():
                return None, None
            with archive.open("docProps/app.xml") as handle:
                match = _DOCX_PAGES.search(handle.read(1 << 20))
    except ZIP_ERRORS:
        return None, "Word 文件已损坏，无法读取页数"
    return (int(match.group(1)), None) if match else (None, None)
