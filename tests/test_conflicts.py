"""Sync-conflict copies: recognised by name, reported as a problem on their criterion, still indexed, and cleared
when the original is gone."""

from __future__ import annotations

import os

import pytest

from archive.conflicts import conflict_problems, original_name
from archive.index.scan import scan
from archive.index.walk import is_junk_name
from archive.links import automap
from archive.status import compute_status


@pytest.mark.parametrize(("name", "original"), [
    ("方案 (冲突副本 2024-01-02 103000).docx", "方案.docx"),
    ("方案（冲突副本）.docx", "方案.docx"),
    ("方案 (conflicted copy 2024-01-02 103000).docx", "方案.docx"),
    ("方案 (张三's conflicted copy 2024-01-02).docx", "方案.docx"),
    ("方案.sync-conflict-20240102-103000-ABCDEFG.docx", "方案.docx"),
    ("方案_conflict-20240102-103000.docx", "方案.docx"),
    ("方案-conflict-张三.docx", "方案.docx"),
    ("方案 (1).docx", "方案.docx"),
    ("方案(2).docx", "方案.docx"),
    ("方案（1）.docx", "方案.docx"),
])
def test_conflict_names(name, original):
    assert original_name(name, exists=lambda other: other == "方案.docx") == original


@pytest.mark.parametrize("name", ["方案.docx", "方案 (1).docx", "2024(1)班名单.xlsx", "关于（二）的通知.pdf",
                                  "冲突调解记录.pdf", "conflict.txt", "邻里-conflict-调解.pdf"])
def test_ordinary_names_are_not_conflicts(name):
    # "方案 (1).docx" is an ordinary name when there is no "方案.docx" beside it; so is "-conflict-" without a time
    assert original_name(name, exists=lambda other: False) is None


def test_conflict_problems_checks_siblings_in_the_list_or_on_disk(tmp_path):
    (tmp_path / "名单.txt").write_bytes(b"x")
    paths = [str(tmp_path / n) for n in ("报告.pdf", "报告 (1).pdf", "名单 (1).txt", "照片 (1).jpg")]
    assert conflict_problems(paths) == {
        paths[1]: "疑似同步冲突副本（原文件：报告.pdf）", paths[2]: "疑似同步冲突副本（原文件：名单.txt）"}


def test_sync_temp_names_are_junk():
    for name in ("~$方案.docx", "方案.docx.~tmp", "方案.pdf.partial", ".syncthing.方案.pdf.tmp", "方案.pdf.!sync",
                 "方案.pdf.crdownload", ".~lock.方案.docx#", "现场照片.zip.baiduyun.p.downloading",
                 "台账.xlsx.baiduyun.downloading", "台账.xlsx.baiduyun.downloading.cfg", "会议视频.mp4.xltd",
                 "会议视频.mp4.xltd.cfg"):
        assert is_junk_name(name), name
    for name in ("百度网盘下载说明.docx", "xltd报告.pdf", "方案.pdf"):
        assert not is_junk_name(name), name


def problems(archive) -> dict[str, str]:
    rows = archive.conn.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL AND sha256 IS NOT NULL")
    return {os.path.basename(p): m for p, m in rows}


def test_scan_reports_conflict_copies_on_their_criterion(archive, evidence):
    folder = evidence / "1.2 工作方案"
    (folder / "创建工作方案 (冲突副本 2024-05-01 093000).txt").write_text("另一版本", encoding="utf-8")
    (folder / "创建工作方案.sync-conflict-20240501-093000-ABCDEFG.txt").write_text("第三版", encoding="utf-8")
    (folder / "空白 (1).txt").write_bytes(b"")  # empty: that problem is kept, not overwritten
    (folder / "空白.txt").write_text("x", encoding="utf-8")
    automap(archive, str(evidence))
    result = scan(archive)
    assert problems(archive) == {
        "创建工作方案 (冲突副本 2024-05-01 093000).txt": "疑似同步冲突副本（原文件：创建工作方案.txt）",
        "创建工作方案.sync-conflict-20240501-093000-ABCDEFG.txt": "疑似同步冲突副本（原文件：创建工作方案.txt）",
        "空白 (1).txt": "空文件（0 字节）"}
    assert {p["problem"] for p in result.problems} >= {"疑似同步冲突副本（原文件：创建工作方案.txt）"}
    status = {s.code: s for s in compute_status(archive)}
    assert status["1.2"].problems == 3 and status["1.2"].files == 5  # still indexed: the clerk chooses


def test_targeted_scans_follow_the_original(archive, evidence):
    folder = evidence / "1.1 领导小组"
    automap(archive, str(evidence))
    scan(archive)
    copy = folder / "名单 (1).txt"
    copy.write_bytes(b"copy")
    scan(archive, targets=[str(copy)])
    assert problems(archive) == {}  # no original: an ordinary name
    original = folder / "名单.txt"
    original.write_bytes(b"original")
    scan(archive, targets=[str(original)])  # the monitor reports only the new file: its sibling is re-checked
    assert problems(archive) == {"名单 (1).txt": "疑似同步冲突副本（原文件：名单.txt）"}
    original.unlink()
    scan(archive, targets=[str(original)])
    assert problems(archive) == {}
