"""Paths that cannot be read become problems on that path; the scan goes on and reports nothing as removed."""

from __future__ import annotations

import os
from pathlib import Path

from archive.index.scan import scan
from archive.links import link


def _deep_folder(root: Path, min_length: int = 4200) -> str:
    """Create a folder whose absolute path is longer than PATH_MAX, using dir_fd so no call sees the whole path."""
    fd = os.open(root, os.O_RDONLY)
    path, name = str(root), "很长的文件夹名称" * 10
    try:
        while len(path.encode()) < min_length:
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
            path = os.path.join(path, name)
        with open(os.open("深处的文件.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as handle:
            handle.write("深")
    finally:
        os.close(fd)
    return path


def test_too_long_path_is_a_problem_and_the_scan_goes_on(archive, evidence):
    _deep_folder(evidence / "1.1 领导小组")
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    result = scan(archive)
    assert result.added == 2  # the ordinary files beside the deep branch
    assert any(p["problem"] == "路径过长，无法读取" for p in result.problems)


def test_permission_denied_is_a_problem_on_that_path(archive, as_nobody, shared_tmp):
    evidence = shared_tmp / "证明材料"  # tmp_path's parents are closed to 'nobody'
    (evidence / "公开").mkdir(parents=True)
    (evidence / "保密").mkdir()
    (evidence / "公开" / "可读.txt").write_text("可读", encoding="utf-8")
    (evidence / "公开" / "不可读.txt").write_text("不可读", encoding="utf-8")
    (evidence / "保密" / "内部.txt").write_text("内部", encoding="utf-8")
    for folder in (evidence, evidence / "公开"):
        folder.chmod(0o755)
    (evidence / "公开" / "不可读.txt").chmod(0o000)
    (evidence / "保密").chmod(0o000)
    link(archive, "1.1", [str(evidence)])
    scan(archive, pages=False)  # as root: everything indexed (the archive's own files are open by now)
    (evidence / "公开" / "可读.txt").write_text("可读（修订）", encoding="utf-8")
    (evidence / "公开" / "不可读.txt").write_text("已改", encoding="utf-8")
    with as_nobody:
        result = scan(archive)
    problems = {Path(p["path"]).name: p["problem"] for p in result.problems}
    assert problems == {"不可读.txt": "没有访问权限", "保密": "没有访问权限"}
    # the unreadable file and folder keep their last indexed state: nothing is reported removed
    assert (result.modified, result.removed, result.files) == (1, 0, 3)
