"""Reading a zip from someone else, safely: every entry is checked before anything is written, and limits stop zip
bombs twice, once on the sizes the central directory declares and again on the bytes actually decompressed.

Refused: names with "..", absolute paths, drive letters ("C:"), UNC paths, Windows device names (CON, NUL, COM1 ...),
characters Windows does not allow, trailing dots or spaces, duplicate names (also differing only in case), symbolic
links and other special entries, encrypted entries; more files, more bytes or a higher compression ratio than the
limits allow.
"""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from common.errors import UserError
from common.names import INVALID, RESERVED

UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
CHUNK = 1 << 20
DRIVE = re.compile(r"^[A-Za-z]:")
MAX_NAME = 240  # characters of a path inside a package: room for the folder it is unpacked into


@dataclass(frozen=True)
class Limits:
    max_total: int = 2 * 1024 ** 3  # bytes, all entries uncompressed
    max_files: int = 10_000
    max_ratio: int = 100  # uncompressed : compressed, per entry
    ratio_floor: int = 1 << 20  # entries smaller than this are never ratio-checked (small text compresses well)
    max_manifest: int = 16 << 20  # bytes of manifest.json


DEFAULT_LIMITS = Limits()


class UnsafePackage(UserError):
    """The package breaks a safety rule; nothing has been written."""


@dataclass(frozen=True)
class Entry:
    name: str  # normalised: forward slashes, no trailing slash
    info: zipfile.ZipInfo
    is_dir: bool

    @property
    def size(self) -> int:
        return self.info.file_size


def open_zip(path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise UserError(f"文件不存在：{path}") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UserError(f"不是有效的压缩包（.zip）：{path}（{exc}）") from exc


def decoded_name(info: zipfile.ZipInfo) -> str:
    """The entry name as the sender meant it: without the UTF-8 flag, zipfile decodes as cp437, but Chinese tools
    write UTF-8 or GBK there."""
    name = info.filename
    if info.flag_bits & UTF8_FLAG or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def name_problem(name: str) -> str | None:
    """Why this entry name is unsafe to unpack anywhere, in Chinese, or None."""
    if name.startswith("//"):
        return "是网络路径（UNC），会写到其他电脑上"
    if DRIVE.match(name):
        return "含盘符，会写到目标文件夹之外"
    if name.startswith("/"):
        return "是绝对路径，会写到目标文件夹之外"
    if len(name) > MAX_NAME:
        return f"路径过长（{len(name)} 个字符，上限 {MAX_NAME}）"
    for part in name.split("/"):
        if part in ("..", "."):
            return "含“..”或“.”，会写到目标文件夹之外" if part == ".." else "含“.”路径段"
        if not part:
            return "含空的路径段"
        if INVALID.search(part):
            return f"含 Windows 不允许的字符（{part}）"
        if part.rstrip(" .") != part:
            return f"以空格或句点结尾（{part}）"
        if part.split(".")[0].upper().rstrip(" ") in RESERVED:
            return f"使用了 Windows 设备名（{part}）"
    return None


def _type_problem(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "是符号链接"
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return "是特殊文件（设备、管道等）"
    if info.flag_bits & ENCRYPTED_FLAG:
        return "已加密，无法校验"
    return None


def _ratio_problem(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    if info.file_size <= limits.ratio_floor:
        return None
    if info.compress_size <= 0 or info.file_size > limits.max_ratio * info.compress_size:
        ratio = info.file_size // max(1, info.compress_size)
        return f"压缩比 {ratio}:1 超过上限 {limits.max_ratio}:1，疑似压缩炸弹"
    return None


def check_entries(zf: zipfile.ZipFile, where: str, limits: Limits) -> dict[str, Entry]:
    """Every entry validated, keyed by normalised name; raises UnsafePackage naming the first bad entry."""
    infos = zf.infolist()
    if len(infos) > limits.max_files:
        raise UnsafePackage(f"压缩包 {where} 含 {len(infos)} 个条目，超过上限 {limits.max_files}，未导入任何内容")
    entries: dict[str, Entry] = {}
    folded: dict[str, str] = {}
    total = 0
    for info in infos:
        raw = decoded_name(info)
        name = raw.replace("\\", "/")
        is_dir = name.endswith("/")
        name = name.rstrip("/") if is_dir else name
        problem = name_problem(name) or _type_problem(info) or _ratio_problem(info, limits)
        key = name.casefold()
        if problem is None and key in folded:
            problem = f"与条目“{folded[key]}”重名"
        if problem:
            raise UnsafePackage(f"压缩包 {where} 不安全，未导入任何内容：条目“{raw}”{problem}")
        folded[key] = name
        total += info.file_size
        entries[name] = Entry(name, info, is_dir)
    if total > limits.max_total:
        raise UnsafePackage(f"压缩包 {where} 解压后共 {total} 字节，超过上限 {limits.max_total} 字节，未导入任何内容")
    return entries


class Budget:
    """Bytes actually decompressed so far, against the limits: the declared sizes may lie."""

    def __init__(self, where: str, limits: Limits):
        self.where = where
        self.limits = limits
        self.total = 0

    def spend(self, entry: Entry, entry_bytes: int, amount: int) -> None:
        self.total += amount
        info, limits = entry.info, self.limits
        if entry_bytes > info.file_size:
            raise UnsafePackage(f"压缩包 {self.where} 的条目“{entry.name}”解压后超过声明的大小，已停止并撤销")
        if self.total > limits.max_total:
            raise UnsafePackage(f"压缩包 {self.where} 解压后超过上限 {limits.max_total} 字节，已停止并撤销")
        if entry_bytes > limits.ratio_floor and entry_bytes > limits.max_ratio * max(1, info.compress_size):
            raise UnsafePackage(f"压缩包 {self.where} 的条目“{entry.name}”压缩比超过上限 {limits.max_ratio}:1，"
                                "疑似压缩炸弹，已停止并撤销")


def stream_entry(zf: zipfile.ZipFile, entry: Entry, write: Callable[[bytes], object], budget: Budget,
                 check: Callable[[], None] | None = None) -> tuple[int, str]:
    """Copy one entry's bytes to `write` in chunks, counting and hashing them. Returns (size, sha256).

    A damaged entry (bad CRC, truncated data) raises zipfile.BadZipFile; the caller decides what it means.
    """
    digest = hashlib.sha256()
    size = 0
    with zf.open(entry.info) as source:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            budget.spend(entry, size, len(chunk))
            digest.update(chunk)
            write(chunk)
            if check is not None:
                check()
    return size, digest.hexdigest()


def read_small(zf: zipfile.ZipFile, entry: Entry, budget: Budget) -> bytes:
    parts: list[bytes] = []
    stream_entry(zf, entry, parts.append, budget)
    return b"".join(parts)
