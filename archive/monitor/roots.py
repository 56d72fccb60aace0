"""What the monitor watches, and how: one watch per top linked folder (a linked file: its folder, not recursive),
native events for local disks, polling for network locations, and which event paths count as evidence.

Network detection: UNC paths (\\\\server\\share, //server/share), Windows drives whose type is DRIVE_REMOTE, and on
Linux the file-system type of the mount holding the path (nfs, cifs, sshfs ...). Native change notifications over a
network are unreliable or absent (another client's writes are not seen), so polling is the only honest choice there.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass

from archive.index.walk import ON_WINDOWS, is_junk_name
from archive.linkset import LinkSet, is_under

NATIVE, POLLING = "native", "polling"
OBSERVER_NAMES = {NATIVE: "本地监控", POLLING: "轮询"}
NETWORK_FSTYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "davfs", "fuse.davfs", "afs", "ceph",
    "glusterfs", "fuse.glusterfs", "fuse.rclone", "fuse.s3fs", "lustre", "gpfs", "ncpfs"})
DRIVE_REMOTE = 4
_HIDDEN_OR_SYSTEM = 0x2 | 0x4


@dataclass(frozen=True)
class WatchRoot:
    path: str
    recursive: bool  # False: the folder of a linked file, watched for that file only


@dataclass
class RootState:
    """A watched root as the UI and the CLI show it."""

    path: str
    observer: str  # "native" | "polling"
    reachable: bool = False
    error: str | None = None  # why it is unreachable, or why native watching failed
    reason: str = ""  # why this observer was chosen, in Chinese

    @property
    def observer_name(self) -> str:
        return OBSERVER_NAMES[self.observer]


def watch_roots(links: LinkSet) -> list[WatchRoot]:
    """Folders to watch for these links: each top linked folder, and the folder of each linked file outside them."""
    roots: dict[str, bool] = {}
    for link in links.roots():
        if link.is_dir:
            roots[link.path] = True
        else:
            roots.setdefault(os.path.dirname(link.path), False)
    return [WatchRoot(path, recursive) for path, recursive in sorted(roots.items())]


def is_unc(path: str) -> bool:
    return path.startswith(("\\\\", "//")) and not path.startswith(("\\\\?\\", "\\\\.\\", "//?/", "//./"))


def _windows_drive_is_remote(path: str) -> bool:
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(path))[0]
    if not drive or is_unc(drive):
        return bool(drive)
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def _unescape_mount(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mount_fstype(path: str, mounts_text: str) -> str | None:
    """The file-system type of the mount holding `path`, from /proc/mounts text (longest matching mount point)."""
    best, best_type = "", None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape_mount(fields[1])
        if (point == "/" or is_under(path, point)) and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def _read_mounts() -> str:
    try:
        with open("/proc/mounts", encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read()
    except OSError:
        return ""


def is_network_path(path: str, mounts_text: str | None = None) -> bool:
    if is_unc(path):
        return True
    if ON_WINDOWS:
        return _windows_drive_is_remote(path)
    if mounts_text is None:
        mounts_text = _read_mounts()
    return mount_fstype(os.path.realpath(path), mounts_text) in NETWORK_FSTYPES


def choose_observer(path: str, force_polling: bool = False) -> tuple[str, str]:
    """(observer kind, the reason in Chinese) for one root."""
    if force_polling:
        return POLLING, "已设置为全部轮询"
    if is_network_path(path):
        return POLLING, "网络位置"
    return NATIVE, "本地磁盘"


def identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of a folder: a root deleted and recreated, or replaced, gets a new identity."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def _hidden_on_windows(path: str) -> bool:
    try:
        return bool(getattr(os.lstat(path), "st_file_attributes", 0) & _HIDDEN_OR_SYSTEM)
    except OSError:
        return False


def is_excluded(path: str, root: str) -> bool:
    """True for a path the scan's walk would never list: a junk or hidden name anywhere below the root.

    The monitor must hand the scan only such paths as a full walk would list too, or a targeted reconcile and the
    next full sweep would disagree (added, then removed).
    """
    if path == root or not is_under(path, root):
        return False
    relative = os.path.relpath(path, root)
    parts = relative.split(os.sep)
    if any(is_junk_name(part) for part in parts):
        return True
    if ON_WINDOWS:
        current = root
        for part in parts:
            current = os.path.join(current, part)
            if _hidden_on_windows(current):
                return True
    return False
