"""Is a path on a network location? Used to keep the archive database on the local disk.

SQLite's locking is unreliable over SMB/NFS: two computers writing one database on a share can corrupt it. Evidence
folders may live on shares and in sync folders (the monitor polls those); the archive file may not.

The detection itself (UNC paths, Windows DRIVE_REMOTE drives, Linux mounts of network file-system types) is the
monitor's, in archive.monitor.roots, so that both features agree on what "network" means; this module adds the
explanation and the refusal.
"""

from __future__ import annotations

import os

from archive.index.walk import ON_WINDOWS
from archive.monitor.roots import NETWORK_FSTYPES, is_network_path, is_unc, mount_fstype
from common.errors import ArchiveError

__all__ = ["check_archive_location", "is_network_path", "network_reason", "read_mounts"]


def read_mounts() -> str:
    """/proc/mounts as text ("" where there is none)."""
    try:
        with open("/proc/mounts", encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read()
    except OSError:
        return ""


def network_reason(path: str | os.PathLike, mounts_text: str | None = None) -> str | None:
    """Why `path` is a network location, in Chinese ("网络共享路径", "网络驱动器", "网络文件系统 cifs"), or None."""
    path = os.fspath(path)
    if is_unc(path) or path.upper().startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return "网络共享路径"
    if ON_WINDOWS:
        return "网络驱动器" if is_network_path(path) else None
    fstype = mount_fstype(os.path.realpath(path), read_mounts() if mounts_text is None else mounts_text)
    return f"网络文件系统 {fstype}" if fstype in NETWORK_FSTYPES else None


def check_archive_location(path: str | os.PathLike, mounts_text: str | None = None) -> None:
    """Refuse, with the reason, to put an archive database at `path` when it is on a network location."""
    reason = network_reason(path, mounts_text)
    if reason:
        raise ArchiveError(
            f"不能把档案文件建在网络位置（{os.fspath(path)}，{reason}）：SQLite 数据库放在网络共享上，"
            "多台电脑同时写入会损坏文件。请把档案放在本机磁盘，证明材料文件夹可以放在共享上。")
