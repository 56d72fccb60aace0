"""The incremental index over a real evidence tree: every change kind, problems, unreachable folders."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest
from PIL import Image

import archive.index.hashing as hashing
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status
from common.errors import Cancelled
from conftest import MINIMAL_PDF, tree_snapshot
from exporters import plan_export
from tests.export_helpers import options


def _link_all(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    link(archive, "2.1", [str(evidence / "2.1 农残治理")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])


def _files(archive):
    rows = archive.conn.execute("SELECT path, size, sha256, type, pages, problem, id FROM files ORDER BY path")
    return {os.path.basename(r[0]): r for r in rows}


def _events(archive):
    return archive.conn.execute("SELECT kind, path, old_path, codes, file_id FROM events ORDER BY id").fetchall()


def test_first_scan_indexes_evidence_and_skips_junk(archive, evidence):
    _link_all(archive, evidence)
    result = scan(archive)
    files = _files(archive)
    assert sorted(files) == sorted(["2024年第一次会议纪要.txt", "创建工作方案.txt", "台账一月.csv",
                                    "关于成立创建工作领导小组的通知.pdf"])
    assert (result.added, result.modified, result.removed, result.moved) == (4, 0, 0, 0)
    pdf = files["关于成立创建工作领导小组的通知.pdf"]
    assert pdf[2] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert (pdf[1], pdf[3], pdf[4], pdf[5]) == (len(MINIMAL_PDF), "pdf", 2, None)
    codes = {os.path.basename(e[1]): json.loads(e[3]) for e in _events(archive)}
    assert codes["台账一月.csv"] == ["2.1", "2.1.1"]
    assert result.files == 4 and result.problems == []


def test_rescan_with_nothing_changed_reads_no_file(archive, evidence, monkeypatch):
    _link_all(archive, evidence)
    scan(archive)
    hashed = []
    real = hashing.hash_file
    monkeypatch.setattr(hashing, "hash_file", lambda path: (hashed.append(path), real(path))[1])
    result = scan(archive)
    assert hashed == []
    assert (result.added, result.modified, result.removed, result.moved) == (0, 0, 0, 0)
    assert len(_events(archive)) == 4


def test_modified_touched_removed(archive, evidence):
    _link_all(archive, evidence)
    scan(archive)
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    plan.write_text("工作方案正文（修订）", encoding="utf-8")
    minutes = evidence / "1.1 领导小组" / "会议纪要" / "2024年第一次会议纪要.txt"
    os.utime(minutes, ns=(minutes.stat().st_atime_ns, minutes.stat().st_mtime_ns + 5_000_000_000))
    (evidence / "2.1 农残治理" / "1. 快检台账" / "台账一月.csv").unlink()
    result = scan(archive)
    assert (result.added, result.modified, result.removed, result.moved) == (0, 1, 1, 0)
    kinds = [(e[0], os.path.basename(e[1])) for e in _events(archive)[4:]]
    assert sorted(kinds) == [("modified", "创建工作方案.txt"), ("removed", "台账一月.csv")]
    assert _files(archive)["创建工作方案.txt"][2] == hashlib.sha256("工作方案正文（修订）".encode()).hexdigest()


def test_rename_and_move_keep_identity_and_history(archive, evidence):
    _link_all(archive, evidence)
    scan(archive)
    old = evidence / "1.2 工作方案" / "创建工作方案.txt"
    file_id = _files(archive)["创建工作方案.txt"][6]
    new = evidence / "1.1 领导小组" / "工作方案（定稿）.txt"
    shutil.move(old, new)
    result = scan(archive)
    assert (result.added, result.removed, result.moved) == (0, 0, 1)
    row = _files(archive)["工作方案（定稿）.txt"]
    assert row[6] == file_id and row[0] == str(new)
    history = [e for e in _events(archive) if e[4] == file_id]
    assert [e[0] for e in history] == ["added", "moved"]
    assert history[1][2] == str(old)
    assert json.loads(history[1][3]) == ["1.1", "1.2"]  # it left 1.2 and arrived at 1.1


def test_content_type_mismatch_and_broken_link_are_problems(archive, evidence):
    folder = evidence / "1.2 工作方案"
    (folder / "假的报告.pdf").write_text("<html><body>不是PDF</body></html>", encoding="utf-8")
    (folder / "空文件.docx").write_bytes(b"")
    (folder / "系统导出.xls").write_text("<html><body><table><tr><td>日期</td></tr></table></body></html>",
                                        encoding="utf-8")
    os.symlink(folder / "不存在的目标.pdf", folder / "失效链接.pdf")
    _link_all(archive, evidence)
    result = scan(archive)
    problems = {os.path.basename(p["path"]): p["problem"] for p in result.problems}
    assert problems["假的报告.pdf"] == ("内容与扩展名不符：扩展名为 .pdf，实际为网页（HTML），可能是下载失败时保存的"
                                    "页面，请重新下载原文件")
    assert problems["系统导出.xls"] == ("内容与扩展名不符：扩展名为 .xls，实际为网页（HTML）表格，常见于办公系统的"
                                    "“导出”，请用 Excel 或 WPS 打开后另存为 .xlsx")
    assert problems["空文件.docx"] == "空文件（0 字节）"
    assert problems["失效链接.pdf"] == "链接目标不存在"
    assert result.added == 7  # the 4 good files and the 3 bad-but-readable ones; the broken link is not evidence
    status = {s.code: s for s in compute_status(archive)}
    assert status["1.2"].problems == 4


def test_unreachable_folder_keeps_its_files_and_comes_back(archive, evidence, tmp_path):
    _link_all(archive, evidence)
    scan(archive)
    away = tmp_path / "offline"
    shutil.move(evidence / "2.1 农残治理", away)
    result = scan(archive)
    assert result.removed == 0
    assert result.unreachable == [str(evidence / "2.1 农残治理"), str(evidence / "2.1 农残治理" / "1. 快检台账")]
    status = {s.code: s for s in compute_status(archive)}
    assert status["2.1"].state == "unreachable" and status["2.1"].files == 1
    assert status["2"].state == "unreachable"
    shutil.move(away, evidence / "2.1 农残治理")
    result = scan(archive)
    assert (result.added, result.removed, result.unreachable) == (0, 0, [])
    assert {s.code: s.state for s in compute_status(archive)}["2.1"] == "collected"


def test_scan_writes_nothing_into_the_evidence(archive, evidence):
    before = tree_snapshot(evidence)
    _link_all(archive, evidence)
    scan(archive)
    (evidence / "1.2 工作方案" / "创建工作方案.txt").write_text("改", encoding="utf-8")
    before = tree_snapshot(evidence)
    scan(archive)
    assert tree_snapshot(evidence) == before


def test_cancelled_scan_changes_nothing(archive, evidence):
    _link_all(archive, evidence)
    calls = []

    def cancel_after_listing():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        scan(archive, cancel=cancel_after_listing)
    assert archive.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
    assert archive.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_pages_left_uncounted_by_an_interrupted_scan_are_counted_next_time(archive, evidence):
    _link_all(archive, evidence)
    scan(archive, pages=False)  # as if the process died between the index write and the page count
    assert _files(archive)["关于成立创建工作领导小组的通知.pdf"][4] is None
    result = scan(archive)
    assert (result.added, result.modified) == (0, 0)
    assert _files(archive)["关于成立创建工作领导小组的通知.pdf"][4] == 2


def test_a_picture_saved_under_another_pictures_extension_is_a_picture_not_a_problem(archive, evidence):
    """WeChat and phones save a PNG as "微信图片_….jpg": it was a problem (内容与扩展名不符) and left out of the
    dossier, a sound photo the reviewers never saw."""
    folder = evidence / "1.2 工作方案"
    Image.new("RGB", (40, 30), (200, 10, 10)).save(folder / "微信图片_20240601.jpg", format="PNG")
    Image.new("RGB", (40, 30), (10, 200, 10)).save(folder / "现场.png", format="JPEG")
    _link_all(archive, evidence)
    result = scan(archive)
    assert [p for p in result.problems if "微信图片" in p["path"] or "现场" in p["path"]] == []
    pictures = "SELECT path, type, problem FROM files WHERE path LIKE '%微信图片%' OR path LIKE '%现场%'"
    assert sorted(kind for _, kind, _ in archive.conn.execute(pictures)) == ["jpg", "png"]  # by content
    lines = plan_export(archive, "pdf", options(codes=["1.2"])).lines()
    assert not any("有问题的文件" in line for line in lines) and any("嵌入 2 张图片" in line for line in lines)
    with archive.conn:  # as an earlier version left them: the next full scan judges them again
        archive.conn.execute("UPDATE files SET problem = ? WHERE path LIKE '%微信图片%'",
                             ("内容与扩展名不符：扩展名为 .jpg，实际为PNG",))
    scan(archive)
    assert [problem for _, _, problem in archive.conn.execute(pictures)] == [None, None]


def test_new_office_content_under_the_older_programs_extension_is_typed_by_its_content(archive, evidence, tmp_path):
    """A .docx saved as "通知.doc", a workbook as "台账.xls" (systems and a 另存为 with the wrong type do it): Word
    and Excel open them by their content, yet they were problems (内容与扩展名不符) and left out of the dossier.
    An Excel 97 file named .xlsx stays a problem (Excel will not open it), named as an older Office file, not "DOC"."""
    import openpyxl
    from docx import Document

    folder = evidence / "1.2 工作方案"
    document = Document()
    document.add_paragraph("关于开展食品安全宣传周活动的通知")
    document.save(folder / "通知.doc")
    book = openpyxl.Workbook()
    book.active.append(["日期", "样品"])
    book.save(folder / "台账.xls")
    (folder / "旧表.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024))
    _link_all(archive, evidence)
    result = scan(archive)
    problems = {p["path"].rsplit("/", 1)[-1]: p["problem"] for p in result.problems}
    assert "通知.doc" not in problems and "台账.xls" not in problems
    assert problems["旧表.xlsx"] == "内容与扩展名不符：扩展名为 .xlsx，实际为旧版 Office 文件（.doc、.xls 等）"
    renamed = "SELECT type FROM files WHERE path LIKE '%通知.doc' OR path LIKE '%台账.xls'"
    assert sorted(kind for (kind,) in archive.conn.execute(renamed)) == ["docx", "xlsx"]
    with archive.conn:  # as an earlier version left it: the next full scan judges it again
        archive.conn.execute("UPDATE files SET problem = ? WHERE path LIKE '%通知.doc'",
                             ("内容与扩展名不符：扩展名为 .doc，实际为DOCX",))
    scan(archive)
    assert archive.conn.execute("SELECT problem FROM files WHERE path LIKE '%通知.doc'").fetchone() == (None,)
