"""Shortcuts in an evidence folder: a Windows shortcut (.lnk) a clerk made instead of copying a file, and an internet
shortcut (.url) saved for a news report. Neither is the material: the dossier would list "通知.pdf - 快捷方式" and
attach nothing. Named as a problem at scan time, with the file or web page they point to, so the clerk puts the file
itself (or a PDF of the page) there before review day.

A .lnk's target is read from its LinkInfo (MS-SHLLINK 2.3), which Explorer always writes: the local path (UTF-16 when
the header has the Unicode offsets, else the ANSI code page, GBK on a Chinese Windows) or the network share's.
"""

from __future__ import annotations

import os
import re
import struct

from archive.index.packed import DOSSIER_WORDS, PACKED
from common.winpaths import long_path

LNK_HEADER = b"\x4c\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"  # size, CLSID
HAS_ID_LIST, HAS_LINK_INFO = 0x1, 0x2
LOCAL_PATH, NETWORK_PATH = 0x1, 0x2
DIRECTORY = 0x10  # FILE_ATTRIBUTE_DIRECTORY
UNICODE_OFFSETS = 0x24  # a LinkInfo header this long carries the Unicode path offsets
_INSTRUCTION = re.compile(r"[，：；]\s*请.*$", re.S)  # the tail of a problem that tells the office what to do
HEAD = 8192  # what the hasher hands detect_type (filetypes.HEAD_BYTES, which imports this module)
_URL = re.compile(rb"^\s*URL\s*=\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_SHOWN_URL = re.compile(r"^网址快捷方式（(\S+?)）")
_EARLIER = "SELECT id, path FROM files WHERE type IN ('lnk', 'url') AND problem IS NULL AND sha256 IS NOT NULL"


def shortcut_problem(head: bytes, ext: str) -> tuple[str, str] | None:
    """(type, problem) of a shortcut, from the head of the file; None for anything else."""
    if head.startswith(LNK_HEADER):
        target = lnk_target(head)
        if len(head) > 0x1C and _u32(head, 0x18) & DIRECTORY:  # the target's attributes, kept in the header
            where = f"（指向文件夹 {target}）" if target else "（指向一个文件夹）"
            return "lnk", f"快捷方式{where}，不是材料本身：请把那个文件夹关联到评价项目"
        where = f"（指向 {target}）" if target else ""
        return "lnk", f"快捷方式{where}，不是材料本身：请把它指向的文件放入此文件夹，或关联那个文件所在的文件夹"
    if ext == "url" and head.lstrip(b"\xef\xbb\xbf \r\n\t")[:18].lower() == b"[internetshortcut]":
        found = _URL.search(head)
        where = f"（{found.group(1).decode('utf-8', 'replace')}）" if found else ""
        return "url", f"网址快捷方式{where}，汇编中无法附入网页：可把网页另存为 PDF 放入此文件夹"
    return None


def name_earlier_shortcuts(archive) -> int:
    """Shortcuts an earlier version indexed as ordinary files (typed by their extension, no problem) are named now,
    from their first bytes, once; the number named. One that cannot be read is left for the next full scan."""
    named = []
    for file_id, path in archive.conn.execute(_EARLIER).fetchall():
        try:
            with open(long_path(path), "rb") as handle:
                head = handle.read(HEAD)
        except OSError:
            continue
        if (found := shortcut_problem(head, os.path.splitext(path)[1][1:].lower())) is not None:
            named.append((*found, file_id))
    if named:
        with archive.atomic():
            archive.conn.executemany("UPDATE files SET type = ?, problem = ? WHERE id = ?", named)
    return len(named)


def dossier_problem(kind: str, problem: str | None) -> str | None:
    """What the dossier says of a shortcut, to the review team as to the office: no local path, no instruction;
    a web page's address, which a reviewer can open. Of a compressed archive, only that it is one. Other files'
    problems as they are, up to an instruction to the office ("，请…"), which the app and the export plan give."""
    if kind in PACKED and problem and problem.startswith(DOSSIER_WORDS):  # this version's words or an earlier's
        return DOSSIER_WORDS
    if kind == "lnk" and problem:
        return "快捷方式，不是材料本身"
    if kind == "url" and problem:
        found = _SHOWN_URL.match(problem)
        return f"网页链接：{found.group(1)}" if found else "网页链接"
    # "…表格，请用 Excel 或 WPS 打开后另存为 .xlsx": what the office is to do is not the review team's reading
    return _INSTRUCTION.sub("", problem) if problem else problem


def lnk_target(data: bytes) -> str:
    """The path a shortcut points to, from its LinkInfo; "" when it has none or it cannot be read."""
    try:
        flags = _u32(data, 0x14)
        start = 0x4C
        if flags & HAS_ID_LIST:
            start += 2 + struct.unpack_from("<H", data, start)[0]
        if not flags & HAS_LINK_INFO:
            return ""
        header, info = _u32(data, start + 4), _u32(data, start + 8)
        suffix = _ansi(data, start + _u32(data, start + 24))
        if header >= UNICODE_OFFSETS and _u32(data, start + 32):
            suffix = _wide(data, start + _u32(data, start + 32))
        if info & LOCAL_PATH:
            wide = header >= UNICODE_OFFSETS and _u32(data, start + 28)
            base = _wide(data, start + wide) if wide else _ansi(data, start + _u32(data, start + 16))
        elif info & NETWORK_PATH:
            network = start + _u32(data, start + 20)
            base = _ansi(data, network + _u32(data, network + 8))
        else:
            return ""
    except (struct.error, IndexError, ValueError):
        return ""
    if not suffix:
        return base
    return base + suffix if base.endswith("\\") else f"{base}\\{suffix}"


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]


def _ansi(data: bytes, offset: int) -> str:
    end = data.index(b"\x00", offset)
    return data[offset:end].decode("gbk", "replace")


def _wide(data: bytes, offset: int) -> str:
    end = offset
    while data[end:end + 2] != b"\x00\x00":
        end += 2
        if end >= len(data):
            raise ValueError("unterminated")
    return data[offset:end].decode("utf-16-le", "replace")
