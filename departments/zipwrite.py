"""Writing packages: UTF-8 names flagged for Windows Explorer, fixed entry times, files streamed and hashed.

Explorer (and WinRAR, 7-Zip) read names as the local code page unless flag 0x800 says UTF-8; with it, "1.2 制定创建
工作方案" shows as such on a Chinese Windows. Entry times are given by the caller, so the same content gives the
same bytes.
"""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from common.ziputil import MIN_ZIP_TIME
from departments.safezip import UTF8_FLAG

CHUNK = 1 << 20
ZIP64_FROM = 1 << 31  # entries this large need ZIP64 headers from the start when streamed
FILE_MODE = (0o100644 << 16)
DIR_MODE = (0o040755 << 16) | 0x10  # plus the MS-DOS directory attribute
# already compressed: deflating again costs time and gains nothing
STORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".zip", ".rar", ".7z", ".docx",
                             ".xlsx", ".pptx", ".ofd", ".mp4", ".mov", ".avi", ".mp3", ".heic"})


def local_zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    return max(MIN_ZIP_TIME, time.localtime(mtime)[:6])


def _info(name: str, date_time: tuple, is_dir: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name + "/" if is_dir else name, date_time)
    info.flag_bits |= UTF8_FLAG
    info.external_attr = DIR_MODE if is_dir else FILE_MODE
    stored = is_dir or os.path.splitext(name)[1].lower() in STORED_SUFFIXES
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


class PackageWriter:
    """A zip being written; `date_time` stamps every entry that has no time of its own."""

    def __init__(self, path, date_time: tuple):
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = date_time

    def add_dir(self, name: str) -> None:
        self.zip.writestr(_info(name, self.date_time, is_dir=True), b"")

    def add_bytes(self, name: str, data: bytes) -> None:
        self.zip.writestr(_info(name, self.date_time), data)

    def add_stream(self, name: str, source: BinaryIO, date_time: tuple | None = None,
                   check: Callable[[], None] | None = None) -> tuple[int, str]:
        """Stream an open file into the package, never whole in memory. Returns (size, sha256) of the bytes written.

        A read error part way raises: the entry would be incomplete, so the whole package must be abandoned.
        """
        digest = hashlib.sha256()
        size = 0
        big = os.fstat(source.fileno()).st_size >= ZIP64_FROM
        with self.zip.open(_info(name, date_time or self.date_time), "w", force_zip64=big) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
                if check is not None:
                    check()
        return size, digest.hexdigest()

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
