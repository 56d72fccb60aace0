"""File and folder names that are valid on Windows, whatever the clerk typed.

No reserved characters (<>:"/\\|?* and control characters), no trailing dots or spaces, none of the reserved
device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension), and short enough that a package
unpacked under a typical desktop folder stays under Windows' 260-character path limit.
"""

from __future__ import annotations

import re

INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", *(f"COM{i}" for i in range(1, 10)),
                      *(f"LPT{i}" for i in range(1, 10))})
FOLDER_LIMIT = 60  # characters of a criterion folder name
FILE_LIMIT = 100  # characters of an evidence file name, extension included
PATH_LIMIT = 240  # characters of any path inside the package


def safe_component(name: str, limit: int) -> str:
    """One path component: invalid characters replaced, shortened to `limit` keeping the extension."""
    name = INVALID.sub("_", name).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10 or " " in ext:
        stem, ext = name, ""
    stem = stem.rstrip(" .")
    room = limit - (len(ext) + 1 if ext else 0)
    stem = stem[:max(1, room)].rstrip(" .") or "_"
    if stem.split(".")[0].upper() in RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext}" if ext else stem


def folder_name(code: str, title: str) -> str:
    """'1.2 制定创建工作方案', shortened if the title is long."""
    return safe_component(f"{code} {title}", FOLDER_LIMIT)


def evidence_name(number: str, title: str, extension: str) -> str:
    """'1.2-001 题名.ext' (DA/T 22 style numbering), shortened if the title is long."""
    ext = INVALID.sub("_", extension)[:10]
    return safe_component(f"{number} {title}.{ext}" if ext else f"{number} {title}", FILE_LIMIT)


def check_path(path: str) -> str:
    if len(path) >= PATH_LIMIT:
        raise ValueError(f"path too long: {path}")
    return path
