"""Shortcuts are not material: a Windows shortcut (.lnk) and an internet shortcut (.url) in an evidence folder are a
problem saying what they point to, counted as problems, and listed, never attached, in the dossier.

The .lnk files come from pylnk3 (another writer: an ID list only, and a LinkInfo with an ASCII path) and from the
layout MS-SHLLINK gives for what Explorer writes (LinkInfo with the ANSI path in GBK and the Unicode one, or a share).
"""

from __future__ import annotations

import struct

import pylnk3
import pytest
from export_helpers import catalogue_remarks, options

from archive.index.scan import scan
from archive.index.shortcuts import lnk_target, shortcut_problem
from archive.links import link
from archive.status import compute_status
from exporters import export, plan_export

HEADER = b"\x4c\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"


def explorer_lnk(path: str = "", share: str = "", suffix: str = "", folder: bool = False) -> bytes:
    """A shortcut as Explorer writes one: the header (HasLinkInfo, IsUnicode), then a LinkInfo with the target's
    local path (ANSI in GBK and UTF-16) or a network share (ANSI) and the path below it."""
    fields = 0x24 if path else 0x1C
    volume = struct.pack("<IIII", 0x11, 3, 0x12345678, 0x10) + b"\x00"
    ansi = path.encode("gbk") + b"\x00"
    wide = path.encode("utf-16-le") + b"\x00\x00"
    tail = suffix.encode("gbk") + b"\x00"
    if path:
        volume_at = fields
        ansi_at = volume_at + len(volume)
        tail_at = ansi_at + len(ansi)
        wide_at = tail_at + len(tail)
        body = volume + ansi + tail + wide + b"\x00\x00"
        offsets = struct.pack("<IIIIIII", 0x1, volume_at, ansi_at, 0, tail_at, wide_at, wide_at + len(wide))
    else:
        network = struct.pack("<IIIII", 0x14 + len(share) + 1, 0x2, 0x14, 0, 0x20000) + share.encode("gbk") + b"\x00"
        body = network + tail
        offsets = struct.pack("<IIIII", 0x2, 0, 0, fields, fields + len(network))
    info = struct.pack("<II", fields + len(body), fields) + offsets + body
    flags = struct.pack("<II", 0x2 | 0x80, 0x10 if folder else 0x20)  # the target's attributes: directory, archive
    return HEADER + flags + b"\x00" * (0x4C - len(HEADER) - 8) + info


def test_the_target_read_as_explorer_and_pylnk3_write_it(tmp_path):
    notice = r"D:\创建资料\2024\关于印发方案的通知.pdf"
    assert lnk_target(explorer_lnk(notice)) == notice
    assert lnk_target(explorer_lnk(share=r"\\SERVER\共享资料", suffix=r"食安办\台账.xlsx")) == \
        r"\\SERVER\共享资料\食安办\台账.xlsx"
    assert lnk_target(explorer_lnk(r"D:\资料")[:0x60]) == ""  # cut short: no target, and no error
    assert shortcut_problem(explorer_lnk(r"D:\创建资料\2024", folder=True), "lnk") == (
        "lnk", "快捷方式（指向文件夹 D:\\创建资料\\2024），不是材料本身：请把那个文件夹关联到评价项目")
    plain = tmp_path / "仅有标识列表.lnk"
    pylnk3.for_file(r"C:\创建资料\关于印发方案的通知.pdf", str(plain))  # an ID list only: no LinkInfo
    assert shortcut_problem(plain.read_bytes(), "lnk") == (
        "lnk", "快捷方式，不是材料本身：请把它指向的文件放入此文件夹，或关联那个文件所在的文件夹")
    written = pylnk3.for_file(r"C:\data\notice.pdf")
    info = pylnk3.LinkInfo()
    info.local, info.remote, info.local_base_path = 1, 0, r"C:\data\notice.pdf"
    info.drive_type, info.drive_serial, info.volume_label = pylnk3.DRIVE_FIXED, 1, ""
    written.link_info, written.link_flags.HasLinkInfo = info, True
    written.save(str(tmp_path / "带位置信息.lnk"))
    assert lnk_target((tmp_path / "带位置信息.lnk").read_bytes()) == r"C:\data\notice.pdf"
    assert shortcut_problem(b"[InternetShortcut]\nURL=https://example.org/\n", "txt") is None  # only a .url


@pytest.mark.cjk_font
def test_shortcuts_are_problems_and_listed_not_attached(archive, evidence, tmp_path):
    folder = evidence / "1.2 工作方案"
    (folder / "关于印发方案的通知.pdf - 快捷方式.lnk").write_bytes(explorer_lnk(r"D:\创建资料\关于印发方案的通知.pdf"))
    (folder / "县电视台报道.url").write_bytes(
        b"\xef\xbb\xbf[InternetShortcut]\r\nURL=http://www.example.gov.cn/xwdt/2024/0610.html\r\nIDList=\r\n")
    link(archive, "1.2", [str(folder)])
    scan(archive)
    rows = dict(archive.conn.execute("SELECT path, problem FROM files WHERE type IN ('lnk', 'url')"))
    assert sorted(rows.values()) == [
        "快捷方式（指向 D:\\创建资料\\关于印发方案的通知.pdf），不是材料本身：请把它指向的文件放入此文件夹，"
        "或关联那个文件所在的文件夹",
        "网址快捷方式（http://www.example.gov.cn/xwdt/2024/0610.html），汇编中无法附入网页："
        "可把网页另存为 PDF 放入此文件夹"]
    assert next(s for s in compute_status(archive) if s.code == "1.2").problems == 2
    for fmt in ("docx", "pdf"):  # said before the export, by name: the reviewers read them in 未附入材料说明
        problem_line = next(line for line in plan_export(archive, fmt, options(codes=["1.2"])).lines()
                            if "有问题的文件" in line)
        assert problem_line.startswith("2 个有问题的文件") and "关于印发方案的通知.pdf - 快捷方式" in problem_line
        assert "县电视台报道" in problem_line
    copied = plan_export(archive, "zip", options(codes=["1.2"])).lines()[1]
    assert copied.startswith("移交包将复制 ") and "无法复制" not in copied  # they are there: copied, with 备注
    out = tmp_path / "汇编.docx"
    export(archive, "docx", out, options())
    remarks = catalogue_remarks(out)  # to the review team: no local path, no instruction; the page's address
    assert remarks["关于印发方案的通知.pdf - 快捷方式"] == "快捷方式，不是材料本身"
    assert remarks["县电视台报道"] == "网页链接：http://www.example.gov.cn/xwdt/2024/0610.html"


def test_shortcuts_an_earlier_version_indexed_are_named_by_the_next_scan(archive, evidence):
    folder = evidence / "1.2 工作方案"
    (folder / "方案 - 快捷方式.lnk").write_bytes(explorer_lnk(r"D:\创建资料\方案.docx"))
    (folder / "不是快捷方式.url").write_text("这只是一个文本文件", encoding="utf-8")  # named .url, holds text
    link(archive, "1.2", [str(folder)])
    scan(archive)
    with archive.atomic():  # as a version before this one left them: typed by the extension, no problem
        archive.conn.execute("UPDATE files SET problem = NULL WHERE type IN ('lnk', 'url')")
    result = scan(archive)  # nothing changed on disk
    rows = dict(archive.conn.execute("SELECT type, problem FROM files WHERE type IN ('lnk', 'url')"))
    assert rows["lnk"].startswith("快捷方式（指向 D:\\创建资料\\方案.docx）") and rows["url"] is None
    assert (result.added, result.modified) == (0, 0)
