"""Departments, the hostile path: every kind of malicious or broken package is refused with nothing written, and a
failure at any point of an import leaves the disk and the archive as they were."""

from __future__ import annotations

import json
import os
import stat
import struct
import zipfile

import pytest
from package_support import FOLDER, UNIT, db_state, evidence_zip, listing, sha, write_zip

import departments.importer as importer_module
from common.errors import Cancelled, UserError
from conftest import tree_snapshot
from departments import Limits, UnsafePackage, import_evidence_package, open_task_package, write_task_package
from departments.journal import Journal
from departments.safezip import Budget, Entry, check_entries, stream_entry

GOOD = f"{FOLDER}/方案.txt"


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "汇总"
    folder.mkdir()
    return folder


def refused(archive, package, root, match: str, limits: Limits | None = None) -> None:
    """The import raises with `match` in its message, and changes nothing anywhere."""
    before = db_state(archive)
    with pytest.raises(UserError, match=match):
        import_evidence_package(archive, package, root, limits=limits or Limits())
    assert listing(root) == [] and listing(root.parent / "outside") == []
    assert db_state(archive) == before


def info(name: str, mode: int | None = None) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, (2024, 5, 1, 10, 0, 0))
    if mode is not None:
        entry.external_attr = mode << 16
    return entry


@pytest.mark.parametrize(("name", "why"), [
    ("../evil.txt", "“..”"),
    (f"{FOLDER}/../../../evil.txt", "“..”"),
    ("/tmp/evil.txt", "绝对路径"),
    ("C:/Windows/evil.txt", "盘符"),
    ("C:evil.txt", "盘符"),
    ("\\\\server\\share\\evil.txt", "UNC"),
    ("..\\..\\evil.txt", "“..”"),
    ("CON.txt", "设备名"),
    (f"{FOLDER}/aux/evil.txt", "设备名"),
    ("nul", "设备名"),
    ("COM1.pdf", "设备名"),
    ("方案.txt:隐藏流", "不允许的字符"),
    ("方案.txt.", "句点结尾"),
])
def test_dangerous_names_are_refused_before_anything_is_written(archive, root, tmp_path, name, why):
    (tmp_path / "outside").mkdir()
    package = evidence_zip(tmp_path / "p.zip", {GOOD: b"ok"}, extra=[(name, b"evil")])
    refused(archive, package, root, why)


@pytest.mark.parametrize(("entry", "why"), [
    (info(f"{FOLDER}/链接", mode=stat.S_IFLNK | 0o777), "符号链接"),
    (info(f"{FOLDER}/设备", mode=stat.S_IFCHR | 0o644), "特殊文件"),
    (info(f"{FOLDER}/方案.TXT"), "重名"),  # the same file as 方案.txt on Windows
    (info(f"{FOLDER}/多出来的.txt"), "不在清单中"),
])
def test_links_special_encrypted_duplicate_and_unlisted_entries_are_refused(archive, root, tmp_path, entry, why):
    (tmp_path / "outside").mkdir()
    package = evidence_zip(tmp_path / "p.zip", {GOOD: b"ok"}, extra=[(entry, b"../../outside/x")])
    refused(archive, package, root, why)


def test_encrypted_entries_are_refused(archive, root, tmp_path):
    (tmp_path / "outside").mkdir()
    package = evidence_zip(tmp_path / "p.zip", {GOOD: b"ok"})
    data = bytearray(package.read_bytes())  # zipfile cannot encrypt: set the flag bit as an encrypting tool would
    with zipfile.ZipFile(package) as zf:
        offset = zf.getinfo(GOOD).header_offset
    data[offset + 6] |= 0x1
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    package.write_bytes(bytes(data))
    refused(archive, package, root, "已加密")


def test_manifest_paths_are_checked_too(archive, root, tmp_path):
    (tmp_path / "outside").mkdir()
    files = {GOOD: b"ok"}
    data = json.loads(zipfile.ZipFile(evidence_zip(tmp_path / "a.zip", files)).read("manifest.json"))
    data["files"].append({"code": "2.1", "path": "../outside/x.txt", "size": 1, "sha256": sha(b"x")})
    refused(archive, evidence_zip(tmp_path / "b.zip", files, manifest=data), root, "“..”")
    data["files"][-1]["path"] = f"{FOLDER}/不在包里.txt"
    refused(archive, evidence_zip(tmp_path / "c.zip", files, manifest=data), root, "不完整")
    both = {GOOD: b"ok", f"{GOOD}/里面.txt": b"x"}
    refused(archive, evidence_zip(tmp_path / "d.zip", both), root, "既是文件又是文件夹")


def test_names_from_chinese_zip_tools_without_the_utf8_flag_are_read_as_gbk(tmp_path):
    package = write_zip(tmp_path / "p.zip", [("abcd.txt", b"x")])  # ASCII: written without the UTF-8 flag
    package.write_bytes(package.read_bytes().replace(b"abcd.txt", "方案.txt".encode("gbk")))
    with zipfile.ZipFile(package) as zf:
        assert list(check_entries(zf, "p.zip", Limits())) == ["方案.txt"]


@pytest.mark.parametrize(("files", "limits", "why"), [
    ({f"{FOLDER}/{i}.txt": b"x" for i in range(5)}, Limits(max_files=4), "条目，超过上限 4"),
    ({GOOD: b"x" * 5000}, Limits(max_total=4000), "超过上限 4000 字节"),
    ({GOOD: bytes(3 << 20)}, Limits(), "压缩比 .* 超过上限 100:1"),
    ({GOOD: bytes(3 << 20)}, Limits(max_ratio=10_000, max_total=2 << 20), "超过上限"),
])
def test_zip_bombs_are_stopped_by_declared_sizes(archive, root, tmp_path, files, limits, why):
    (tmp_path / "outside").mkdir()
    refused(archive, evidence_zip(tmp_path / "p.zip", files), root, why, limits)


def test_decompressed_bytes_are_counted_while_streaming(tmp_path):
    """The declared sizes may lie: the budget counts what actually comes out, and stops before writing it."""
    package = write_zip(tmp_path / "p.zip", [("a.txt", b"x" * 3000), ("b.txt", b"y" * 3000)])
    written: list[bytes] = []
    with zipfile.ZipFile(package) as zf:
        entries = check_entries(zf, "p.zip", Limits())
        budget = Budget("p.zip", Limits(max_total=4000))
        stream_entry(zf, entries["a.txt"], written.append, budget)
        with pytest.raises(UnsafePackage, match="超过上限 4000 字节"):
            stream_entry(zf, entries["b.txt"], written.append, budget)
        honest = entries["b.txt"].info
        lying = Entry("b.txt", zipfile.ZipInfo("b.txt"), False)  # its header says 0 bytes
        for name in ("compress_type", "compress_size", "header_offset"):
            setattr(lying.info, name, getattr(honest, name))
        assert stream_entry(zf, lying, written.append, Budget("p.zip", Limits()))[0] == 0  # capped at the claim
    assert b"".join(written) == b"x" * 3000


def _shrink_declared_size(path, name: str, size: int) -> None:
    """Rewrite an entry's sizes in its local header and the central directory, as a hostile tool would."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        offset = zf.getinfo(name).header_offset
    struct.pack_into("<II", data, offset + 18, size, size)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<II", data, central + 20, size, size)
    path.write_bytes(bytes(data))


def test_an_entry_larger_than_declared_never_lands(archive, root, tmp_path):
    body = b"A" * 1000
    data = {"kind": "reviewready-evidence", "version": 1, "unit": UNIT, "criteria": [],
            "files": [{"code": "2.1", "path": GOOD, "size": 10, "sha256": sha(body[:10])}]}
    plain = tmp_path / "stored.zip"
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_STORED) as zf:  # stored: the data is the declared bytes
        zf.writestr("manifest.json", json.dumps(data))
        zf.writestr(GOOD, body)
    _shrink_declared_size(plain, GOOD, 10)
    report = import_evidence_package(archive, plain, root)
    assert report.added == [] and report.failed[0][0] == GOOD and "损坏" in report.failed[0][1]
    assert listing(root) == []


def test_package_kind_version_and_format_are_checked(archive, root, tmp_path):
    (tmp_path / "outside").mkdir()
    refused(archive, write_zip(tmp_path / "a.zip", [("x.txt", b"x")]), root, "缺少 manifest.json")
    task = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    refused(archive, task, root, "是任务包，这里需要证明材料包")
    refused(archive, evidence_zip(tmp_path / "b.zip", {GOOD: b"x"}, version=2), root, "较新版本")
    (tmp_path / "c.zip").write_bytes(b"PK\x03\x04 not really")
    refused(archive, tmp_path / "c.zip", root, "不是有效的压缩包")


def test_a_link_out_of_the_root_is_not_followed(archive, root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / UNIT).symlink_to(outside, target_is_directory=True)
    before = db_state(archive)
    with pytest.raises(UserError, match="之外"):
        import_evidence_package(archive, evidence_zip(tmp_path / "p.zip", {GOOD: b"x"}), root)
    assert listing(outside) == [] and db_state(archive) == before


def test_cancel_while_unpacking_removes_everything(archive, root, tmp_path):
    package = evidence_zip(tmp_path / "p.zip", {GOOD: os.urandom(3 << 20), f"{FOLDER}/b.txt": b"b"})
    before = db_state(archive)

    def cancel() -> bool:  # as soon as the first temp file exists
        return any(p.name.startswith(".rr-unpack-") for p in root.rglob("*"))

    with pytest.raises(Cancelled):
        import_evidence_package(archive, package, root, cancel=cancel)
    assert listing(root) == [] and db_state(archive) == before


def test_a_failure_while_committing_puts_every_file_back(archive, root, tmp_path, monkeypatch):
    import_evidence_package(archive, evidence_zip(tmp_path / "1.zip", {GOOD: b"version 1"}), root)
    before_db, before_disk = db_state(archive), tree_snapshot(root)
    second = evidence_zip(tmp_path / "2.zip", {GOOD: b"version 2", f"{FOLDER}/新.txt": b"new"})
    real_rename, calls = Journal.rename, []

    def failing_rename(self, source, target):
        calls.append(target.name)
        if len(calls) == 3:  # the older version moved aside and the new one placed: the third fails
            raise OSError(28, "磁盘已满", str(target))
        real_rename(self, source, target)

    monkeypatch.setattr(Journal, "rename", failing_rename)
    with pytest.raises(OSError, match="磁盘已满"):
        import_evidence_package(archive, second, root)
    assert calls[1] == "方案.txt" and "旧版" in calls[0]
    assert tree_snapshot(root) == before_disk and db_state(archive) == before_db
    assert (root / UNIT / GOOD).read_bytes() == b"version 1"


def test_a_failure_in_the_archive_undoes_files_and_links(archive, root, tmp_path, monkeypatch):
    def broken_scan(*args, **kwargs):
        raise RuntimeError("数据库写入失败")

    monkeypatch.setattr(importer_module, "scan", broken_scan)
    before = db_state(archive)
    with pytest.raises(RuntimeError):
        import_evidence_package(archive, evidence_zip(tmp_path / "p.zip", {GOOD: b"x"}), root)
    assert listing(root) == [] and db_state(archive) == before


def test_malicious_task_packages_are_refused_with_nothing_unpacked(archive, tmp_path):
    good = write_task_package(archive, UNIT, tmp_path / "任务包.zip")
    with zipfile.ZipFile(good) as zf:
        entries = [(item, zf.read(item)) for item in zf.infolist()]
    for extra, why in [((info("../../evil.txt"), b"x"), "“..”"), ((info("自动运行.bat"), b"x"), "不在清单中"),
                       ((info(f"{FOLDER}/链接", mode=stat.S_IFLNK | 0o777), b"/etc"), "符号链接")]:
        bad = write_zip(tmp_path / "坏.zip", [*entries, extra])
        with pytest.raises(UserError, match=why):
            open_task_package(bad, tmp_path / "单位")
        assert not (tmp_path / "单位").exists() and not (tmp_path.parent / "evil.txt").exists()
