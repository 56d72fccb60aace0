"""The archive database stays on the local disk: network locations are recognised and refused with the reason."""

from __future__ import annotations

import pytest

import archive.netpaths as netpaths
from archive.db import create_archive
from archive.netpaths import check_archive_location, network_reason
from common.errors import ArchiveError
from conftest import mount_point

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw 0 0
//nas/食安办 /mnt/共享 cifs rw,vers=3.0 0 0
nas:/export /srv/nfs nfs4 rw 0 0
user@host:/data /home/clerk/远程\\040盘 fuse.sshfs rw 0 0
/dev/sdb1 /mnt/共享/本地盘 ext4 rw 0 0
"""


@pytest.mark.parametrize(("path", "reason"), [
    ("/mnt/共享/2024/档案.rrdb", "网络文件系统 cifs"),
    ("/srv/nfs/档案.rrdb", "网络文件系统 nfs4"),
    ("/home/clerk/远程 盘/档案.rrdb", "网络文件系统 fuse.sshfs"),
    ("/mnt/共享/本地盘/档案.rrdb", None),  # a local disk mounted inside the share: the longest mount point wins
    ("/tmp/档案.rrdb", None),
    ("/home/clerk/档案.rrdb", None),
    ("\\\\nas\\食安办\\档案.rrdb", "网络共享路径"),
    ("//nas/食安办/档案.rrdb", "网络共享路径"),
    ("\\\\?\\UNC\\nas\\食安办\\档案.rrdb", "网络共享路径"),
])
def test_network_reason(path, reason):
    assert network_reason(path, MOUNTS) == reason


def test_refusal_explains_why_and_what_to_do():
    with pytest.raises(ArchiveError) as caught:
        check_archive_location("//nas/食安办/档案.rrdb", MOUNTS)
    message = str(caught.value)
    assert "不能把档案文件建在网络位置（//nas/食安办/档案.rrdb，网络共享路径）" in message
    assert "多台电脑同时写入会损坏文件" in message and "证明材料文件夹可以放在共享上" in message
    check_archive_location("/tmp/档案.rrdb", MOUNTS)  # local: no error


def test_create_archive_refuses_a_network_folder_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(netpaths, "read_mounts",
                        lambda: f"/dev/sda1 / ext4 rw 0 0\n//nas/x {mount_point(tmp_path)} cifs rw 0 0\n")
    with pytest.raises(ArchiveError, match="网络文件系统 cifs"):
        create_archive(tmp_path / "档案.rrdb", "某某县")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(netpaths, "read_mounts", lambda: "/dev/sda1 / ext4 rw 0 0\n")
    create_archive(tmp_path / "档案.rrdb", "某某县").close()
    assert (tmp_path / "档案.rrdb").is_file()
