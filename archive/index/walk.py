"""Listing evidence folders: what counts as evidence, and every path that could not be read, as a problem.

Only reads directory entries and stat data. Nothing is ever written under a root.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from dataclasses import dataclass, field

from common.winpaths import long_path, plain_path

# Office lock/temp files, system litter and sync-in-progress names: never evidence. Downloads still running, as
# offices receive files: browsers (.crdownload, .part), Baidu Netdisk (百度网盘: .baiduyun.downloading,
# .baiduyun.p.downloading and the .cfg beside), Xunlei (迅雷: .xltd and its .cfg).
JUNK_PATTERNS = ("~$*", "~wrl*.tmp", ".~lock.*#", "*.tmp", "thumbs.db", "desktop.ini", ".ds_store", "*.crdownload",
                 "*.part", "*.partial", ".syncthing.*", "*.!sync", "~*.tmp", "*.~tmp", "*.baiduyun.*downloading",
                 "*.baiduyun.*downloading.cfg", "*.baiduyun.uploading.cfg", "*.xltd", "*.xltd.cfg")
_JUNK_RE = re.compile("|".join(fnmatch.translate(p) for p in JUNK_PATTERNS), re.IGNORECASE)
FILE_ATTRIBUTE_HIDDEN = 0x2
FILE_ATTRIBUTE_SYSTEM = 0x4
ON_WINDOWS = os.name == "nt"


def is_junk_name(name: str) -> bool:
    return name.startswith(".") or _JUNK_RE.match(name) is not None


def _hidden_on_windows(st: os.stat_result) -> bool:
    if not ON_WINDOWS:
        return False
    attributes = getattr(st, "st_file_attributes", 0)
    return bool(attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM))


def describe_os_error(exc: OSError) -> str:
    """A short Chinese reason for an OSError, for the problem column."""
    if isinstance(exc, PermissionError):
        return "没有访问权限"
    if isinstance(exc, FileNotFoundError):
        return "文件在读取前已被删除或移走"
    if exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) in (206, 3):
        return "路径过长，无法读取"
    if exc.errno == errno.ELOOP:
        return "符号链接循环"
    return f"无法读取（{exc.strerror or exc}）"


@dataclass
class Listing:
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (size, mtime_ns)
    problems: dict[str, str] = field(default_factory=dict)  # path -> Chinese reason
    folders: int = 0

    def merge(self, other: Listing) -> None:
        self.files.update(other.files)
        self.problems.update(other.problems)
        self.folders += other.folders


def list_file(path: str, listing: Listing) -> None:
    """Add one linked file (not a folder) to the listing."""
    try:
        st = os.stat(long_path(path))
    except OSError as exc:
        listing.problems[path] = describe_os_error(exc)
        return
    if stat.S_ISREG(st.st_mode):
        listing.files[path] = (st.st_size, st.st_mtime_ns)
    else:
        listing.problems[path] = "不是普通文件"


Row = tuple[str, int, int]  # (name, size, mtime_ns) of one evidence file in its folder


def folder_prefix(folder: str) -> str:
    """What a file name is appended to (a drive root such as "D:\\" already ends with the separator)."""
    return folder if folder.endswith(os.sep) else folder + os.sep


def list_tree(root: str, listing: Listing, skip: frozenset[str] = frozenset(), check=None) -> None:
    """Walk `root` iteratively with os.scandir (the cheapest stat source on both Windows and Linux).

    Folder symlinks are not followed (loops, and trees outside the link); they are reported instead.
    `skip` holds folders not to enter; `check` is called once per folder (cooperative cancel).
    """
    stack = [root]
    files = listing.files
    while stack:
        folder = stack.pop()
        if check is not None:
            check()
        listing.folders += 1
        prefix = folder_prefix(folder)
        for name, size, mtime in list_folder(folder, stack, listing.problems, skip):
            files[prefix + name] = (size, mtime)


def list_folder(folder: str, subfolders: list[str], problems: dict[str, str], skip: frozenset[str],
                sizes: bool = True) -> list[Row]:
    """One folder: its evidence files as rows; its subfolders are added to `subfolders`, whatever cannot be read to
    `problems`. The loop is the hot path of every scan (one stat per file), so the plain-file case is inlined.
    Without `sizes` (a first scan, which reads every file and takes size and date from the open file), a plain file
    costs no stat call at all: its row is (name, 0, 0)."""
    rows: list[Row] = []
    junk = _JUNK_RE.match
    try:
        with os.scandir(long_path(folder)) as entries:  # entries of a long folder carry its \\?\ prefix
            for entry in entries:
                name = entry.name
                if name[0] == "." or junk(name):
                    continue
                if entry.is_file(follow_symlinks=False) and not ON_WINDOWS:
                    if not sizes:
                        rows.append((name, 0, 0))
                        continue
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError as exc:  # gone or unreadable since the listing: that file only
                        problems[folder_prefix(folder) + name] = describe_os_error(exc)
                        continue
                    rows.append((name, st.st_size, st.st_mtime_ns))
                    continue
                row = _visit(entry, subfolders, problems, skip)
                if row is not None:
                    rows.append(row)
    except OSError as exc:
        problems[folder] = describe_os_error(exc)
    return rows


def _visit(entry: os.DirEntry, subfolders: list[str], problems: dict[str, str], skip: frozenset[str]) -> Row | None:
    name = entry.name
    if is_junk_name(name):
        return None
    path = plain_path(entry.path)  # the archive stores and shows paths without the \\?\ prefix
    try:
        if entry.is_dir(follow_symlinks=False):
            # On Windows stat() comes with the listing for free; elsewhere hidden means a leading dot only.
            if path not in skip and not (ON_WINDOWS and _hidden_on_windows(entry.stat(follow_symlinks=False))):
                subfolders.append(path)
            return None
        if entry.is_symlink() and os.path.isdir(entry.path):
            problems[path] = "链接到其他文件夹，未收录其中文件"
            return None
        st = entry.stat()
    except OSError as exc:
        dangling = entry.is_symlink() and exc.errno != errno.ELOOP  # a loop (a -> b -> a) says so, below
        problems[path] = "链接目标不存在" if dangling else describe_os_error(exc)
        return None
    if not stat.S_ISREG(st.st_mode) or _hidden_on_windows(st):
        return None
    return name, st.st_size, st.st_mtime_ns
