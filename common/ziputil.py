"""Zip details shared by the .docx, .xlsx and handover writers: fixed entry times for reproducible files."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable

# ZIP stores local time with 2-second resolution and nothing before 1980
MIN_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def zip_time(stamp: str) -> tuple[int, int, int, int, int, int]:
    """'YYYY-MM-DD HH:MM:SS' -> a zip date_time tuple."""
    date, _, time = stamp.partition(" ")
    year, month, day = (int(x) for x in date.split("-"))
    hour, minute, second = (int(x) for x in (time or "00:00:00").split(":"))
    return max(MIN_ZIP_TIME, (year, month, day, hour, minute, second))


def normalize_zip(source: str, target: str, date_time: tuple[int, ...],
                  rewrite: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
    """Copy a zip (as written by python-docx or openpyxl, stamped with the current time) with fixed entry times,
    so that the same content gives the same bytes. `rewrite` fixes the content of named (small) entries."""
    rewrite = rewrite or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if item.filename in rewrite:
                dst.writestr(info, rewrite[item.filename](src.read(item)))
                continue
            with src.open(item) as reader, dst.open(info, "w") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
