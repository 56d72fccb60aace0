"""The ONE place the exporters read what a file is about: 题名, 文号, 责任者, 日期 and a photo's six elements.

    fields = describe_files(conn, files)      # {file id: FileFields}

The archive's per-file metadata (archive.metadata: typed, else read from the file) comes first, field by field;
where it has nothing, the fields are derived from the file name, honestly:
- 题名: the name without its extension and without the clerk's leading numbering ("6.1.1-1 ", "03_", "（2）"); a
  photo's 事由 instead of a camera's name ("IMG_0001");
- 文号 and 责任者: from a document number in the name ("县食安办〔2024〕3号" -> 文号, and 县食安办 as 责任者);
- 日期: a date written in the name ("2024年3月5日", "20240305", "2024-03-05"), else blank. The file's
  modification time is never presented as the document's date (a copy made last week is not a notice of 2023);
- photo 时间: the EXIF DateTimeOriginal where the photo has one (read by the photo sheet, not here).
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field

LEADING_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*\d+\s*[)）]|[①-⑳]|\d+(?:[.．\-_]\d+)*(?:\s*[-_、.．)）]\s*|\s+)|[A-Za-z]?\d+[-_]\d+\s*)+")
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
DATE_PATTERNS = (re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
                 re.compile(r"(?<!\d)((?:19|20)\d{2})[-.．_/](\d{1,2})[-.．_/](\d{1,2})(?!\d)"),
                 re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)"))


@dataclass(frozen=True)
class PhotoFields:
    reason: str = ""  # 事由
    time: str = ""  # 时间
    place: str = ""  # 地点
    people: str = ""  # 人物
    background: str = ""  # 背景
    photographer: str = ""  # 摄影者


@dataclass(frozen=True)
class FileFields:
    title: str  # 题名
    date: str = ""  # YYYYMMDD, or "" when the document's own date is not known
    doc_number: str = ""  # 文号
    author: str = ""  # 责任者
    photo: PhotoFields = field(default_factory=PhotoFields)
    secret: str = ""  # 密级, typed or read from the document's head ("秘密★1年")
    pages: str = ""  # 页数 as typed: shown for a file the dossier does not attach (an attached one is counted)
    note: str = ""  # 备注 as typed

    def remarks(self) -> list[str]:
        """What the catalogue's 备注 column says of the file before any problem: its 密级 (the catalogue has no
        column of its own for it, DA/T 22's has) and the clerk's 备注."""
        return [text for text in (f"密级：{self.secret}" if self.secret else "", self.note) if text]


def describe_files(conn, files) -> dict[int, FileFields]:
    """Fields for every file (objects with .id and .path): the archive's metadata field by field (typed, else read
    from the file), the file name where the metadata has nothing."""
    return describe_with(_stored_fields(conn, [f.id for f in files]), files)


def describe_with(stored: dict, files) -> dict[int, FileFields]:
    """describe_files with the metadata given ({file id: archive.metadata.store.FileMeta}): a frozen stage's."""
    result = {}
    for f in files:
        named = fields_from_name(os.path.basename(f.path))
        meta = stored.get(f.id)
        result[f.id] = named if meta is None else _merged(meta, named)
    return result


def _stored_fields(conn, ids: list[int]) -> dict:
    """Per-file metadata kept in the archive (archive.metadata), by file id; {} for a source that keeps none."""
    from archive.metadata.store import metadata_for_files

    try:
        return metadata_for_files(conn, ids)
    except sqlite3.OperationalError:  # an archive made before the metadata tables: everything from the name
        return {}


def _merged(meta, named: FileFields) -> FileFields:
    from archive.metadata.fields import TYPED
    from archive.metadata.present import catalogue_date

    photo = PhotoFields(meta["subject"], meta["time"], meta["place"], meta["people"], meta["background"],
                        meta["photographer"])
    typed_pages = meta["pages"] if meta.source("pages") == TYPED else ""
    return FileFields(meta["title"] or _photo_title(meta, named.title), catalogue_date(meta) or named.date,
                      meta["doc_no"] or named.doc_number, meta["issuer"] or named.author, photo,
                      meta["secret"], typed_pages, meta["note"])


def _photo_title(meta, named: str) -> str:
    """A photo named by its camera ("IMG_20240510_093000", "mmexport1715…") is titled by its 事由 where the clerk
    gave one (DA/T 50: a photo's title says what it shows): the catalogue listed six "IMG_…" rows a reviewer could
    not tell apart. A name the clerk gave is kept."""
    from archive.metadata.text import says_nothing

    return meta["subject"] if meta.is_photo and meta["subject"] and says_nothing(named) else named


def strip_numbering(stem: str) -> str:
    if any(pattern.match(stem.strip()) for pattern in DATE_PATTERNS):
        return stem.strip()  # "2024-03-05 培训" starts with a date, not with the clerk's numbering
    title = LEADING_NUMBER.sub("", stem, count=1).strip()
    return title or stem.strip()


def fields_from_name(name: str) -> FileFields:
    stem, dot, _ = name.rpartition(".")
    stem = stem if dot and stem else name
    number = DOC_NUMBER.search(stem)
    doc_number = author = ""
    if number:
        author = number.group(1)
        doc_number = f"{author}〔{number.group(2)}〕{int(number.group(3))}号"
    return FileFields(strip_numbering(stem), _date_in(stem), doc_number, author)


def _date_in(text: str) -> str:
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}{month:02d}{day:02d}"
    return ""
