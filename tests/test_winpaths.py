"""Windows specifics in the core: long paths, names Windows cannot hold, the system shell, missing console streams.

The Windows logic is exercised on Linux through the functions' `windows=` switch and monkeypatched platforms; the
scan tests run real scans over real files."""

from __future__ import annotations

import ntpath
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.index import walk
from archive.index.hashing import hash_file
from archive.index.scan import scan
from archive.links import link
from common import winpaths
from common.errors import UserError
from common.winpaths import long_path, plain_path, windows_name_problems

LONG = "C:\\证明材料\\" + "\\".join(["各成员单位创建任务分解落实情况材料汇总"] * 14) + "\\台账.xlsx"


# --- long paths --------------------------------------------------------------------------------------------------

def test_long_path_leaves_paths_alone_off_windows():
    assert long_path(LONG, windows=False) is LONG


def test_long_path_leaves_ordinary_windows_paths_alone():
    path = "C:\\证明材料\\1.1 领导小组\\通知.pdf"
    assert long_path(path, windows=True) is path


def test_long_path_prefixes_a_path_past_the_classic_limit():
    assert len(LONG) > 260
    assert long_path(LONG, windows=True) == "\\\\?\\" + LONG


def test_long_path_uses_the_unc_form_for_a_network_share():
    share = "\\\\fileserver\\食安办" + LONG[2:]
    assert long_path(share, windows=True) == "\\\\?\\UNC\\fileserver\\食安办" + LONG[2:]


def test_long_path_normalises_before_prefixing():
    # a verbatim path is not parsed by Windows: forward slashes and ".." must be resolved first
    messy = LONG.replace("\\", "/").replace("/台账.xlsx", "/旧/../台账.xlsx")
    assert long_path(messy, windows=True) == "\\\\?\\" + LONG


def test_long_path_prefixes_a_name_ending_in_a_dot_or_space_and_keeps_it():
    # the classic API silently drops the trailing dot and would open a different file (or none)
    assert long_path("C:\\证明材料\\报告.", windows=True) == "\\\\?\\C:\\证明材料\\报告."
    assert long_path("C:\\证明材料\\报告 ", windows=True) == "\\\\?\\C:\\证明材料\\报告 "


def test_long_path_makes_a_relative_path_absolute(monkeypatch):
    monkeypatch.setattr(winpaths.os, "getcwd", lambda: "D:\\迎检")
    assert long_path("资料\\报告.", windows=True) == "\\\\?\\D:\\迎检\\资料\\报告."


def test_long_path_does_not_prefix_twice():
    once = long_path(LONG, windows=True)
    assert long_path(once, windows=True) is once


@pytest.mark.parametrize("path", [LONG, "\\\\fileserver\\食安办" + LONG[2:], "C:\\证明材料\\报告."])
def test_plain_path_undoes_long_path(path):
    assert plain_path(long_path(path, windows=True)) == ntpath.normpath(path)


def test_the_listing_stores_paths_without_the_prefix(tmp_path, monkeypatch):
    """Windows' listing path: folders are read through their long form, the archive keeps the plain form.
    Simulated with a prefix Linux also accepts (a doubled leading slash)."""
    root = tmp_path / "证明材料"
    (root / "1.1 领导小组" / "会议").mkdir(parents=True)
    (root / "1.1 领导小组" / "会议" / "纪要.txt").write_text("纪要", encoding="utf-8")
    (root / "通知.pdf").write_bytes(b"%PDF-1.4\n")
    opened = []

    def fake_long(path: str) -> str:
        opened.append(path)
        return path if path.startswith("//") else "/" + path

    monkeypatch.setattr(walk, "ON_WINDOWS", True)
    monkeypatch.setattr(walk, "long_path", fake_long)
    monkeypatch.setattr(walk, "plain_path", lambda p: p[1:] if p.startswith("//") else p)
    listing = walk.Listing()
    walk.list_tree(str(root), listing)
    assert sorted(listing.files) == [str(root / "1.1 领导小组" / "会议" / "纪要.txt"), str(root / "通知.pdf")]
    assert str(root / "1.1 领导小组" / "会议") in opened  # subfolders were listed through long_path too
    assert not listing.problems


def test_hash_file_opens_the_long_form_and_reports_the_plain_path(tmp_path, monkeypatch):
    target = tmp_path / "台账.csv"
    target.write_text("日期,样品\n", encoding="utf-8")
    opened = []
    monkeypatch.setattr("archive.index.hashing.long_path", lambda p: opened.append(p) or "/" + p)
    hashed = hash_file(str(target))
    assert opened == [str(target)] and hashed.path == str(target) and hashed.sha256 and hashed.error is None


# --- names Windows cannot hold ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, reason", [
    ("会议纪要:第一次.txt", "含有不允许的字符 :"),
    ("通知?.pdf", "含有不允许的字符 ?"),
    ('引用"原文".docx', '含有不允许的字符 "'),
    ("a<b>c|d*.txt", "含有不允许的字符 *、<、>、|"),
    ("一\\二.txt", "含有不允许的字符 \\"),
    ("换\n行.txt", "含有不允许的字符 控制字符"),
    ("CON", "系统保留名称 CON"),
    ("con.txt", "系统保留名称 CON"),
    ("Nul.tar.gz", "系统保留名称 NUL"),
    ("COM1.pdf", "系统保留名称 COM1"),
    ("lpt9 .doc", "系统保留名称 LPT9"),
    ("报告.", "以点或空格结尾"),
    ("报告 ", "以点或空格结尾"),
])
def test_windows_name_problems_names_the_reason(name, reason):
    message = windows_name_problems(name)
    assert message is not None and reason in message and "请改名" in message


@pytest.mark.parametrize("name", ["关于成立领导小组的通知.pdf", "CONSOLE.txt", "COM10.pdf", "com.txt", "报告CON.pdf",
                                  "2024.01.05 会议.docx", ".hidden", "a b.txt", "（一）方案【定稿】.doc"])
def test_windows_name_problems_accepts_legal_names(name):
    assert windows_name_problems(name) is None


@pytest.mark.skipif(sys.platform == "win32", reason="such names cannot be created on Windows")
def test_scan_reports_names_windows_cannot_hold_and_still_indexes_them(archive, evidence):
    folder = evidence / "1.2 工作方案"
    bad = {"会议纪要:第一次.txt": "含有不允许的字符 :", "CON.txt": "系统保留名称 CON", "报告.": "以点或空格结尾"}
    for name in bad:
        (folder / name).write_text("内容", encoding="utf-8")
    (folder / "空文件?.pdf").write_bytes(b"")
    link(archive, "1.2", [str(folder)])
    result = scan(archive)
    problems = {p["path"]: p["problem"] for p in result.problems}
    for name, reason in bad.items():
        assert reason in problems[str(folder / name)]
    # two things wrong with one file: both are said
    assert problems[str(folder / "空文件?.pdf")].startswith("空文件") and "含有不允许的字符 ?" in \
        problems[str(folder / "空文件?.pdf")]
    assert str(folder / "创建工作方案.txt") not in problems
    indexed = {row[0] for row in archive.conn.execute("SELECT path FROM files WHERE sha256 IS NOT NULL")}
    assert {str(folder / name) for name in bad} <= indexed  # reported, not dropped: they are still evidence
    assert result.added == 5  # the plan, three badly named files and the empty one


# --- the system shell ------------------------------------------------------------------------------------------

@pytest.fixture
def spawned(monkeypatch):
    calls = []

    class FakePopen:
        def __init__(self, command, **kwargs):
            calls.append((command, kwargs))

        def wait(self):  # spawn reaps the program on a daemon thread
            return 0

    monkeypatch.setattr(winpaths.subprocess, "Popen", FakePopen)
    return calls


@pytest.mark.parametrize("platform, expected", [("linux", ["xdg-open", "{path}"]), ("darwin", ["open", "{path}"])])
def test_open_with_system_hands_the_file_to_the_desktop(tmp_path, monkeypatch, spawned, platform, expected):
    target = tmp_path / "通知.pdf"
    target.write_bytes(b"%PDF")
    monkeypatch.setattr(winpaths.sys, "platform", platform)
    winpaths.open_with_system(str(target))
    command, kwargs = spawned[0]
    assert command == [part.format(path=target) for part in expected]
    # a windowed build has no std streams: the child must get explicit ones
    assert kwargs["stdin"] == kwargs["stdout"] == kwargs["stderr"] == subprocess.DEVNULL


def test_open_with_system_uses_startfile_on_windows(tmp_path, monkeypatch, spawned):
    target = tmp_path / "通知.pdf"
    target.write_bytes(b"%PDF")
    started = []
    monkeypatch.setattr(winpaths.sys, "platform", "win32")
    monkeypatch.setattr(winpaths.os, "startfile", started.append, raising=False)
    winpaths.open_with_system(str(target))
    assert started == [str(target)] and not spawned


@pytest.mark.parametrize("platform, expected", [
    ("win32", ["explorer", "/select,", "{win}"]),
    ("darwin", ["open", "-R", "{path}"]),
    ("linux", ["xdg-open", "{folder}"]),
])
def test_show_in_folder_selects_the_file_where_the_system_can(tmp_path, monkeypatch, spawned, platform, expected):
    target = tmp_path / "1.1 领导小组" / "通知.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF")
    monkeypatch.setattr(winpaths.sys, "platform", platform)
    winpaths.show_in_folder(str(target))
    values = {"path": str(target), "folder": str(target.parent), "win": ntpath.normpath(str(target))}
    assert spawned[0][0] == [part.format(**values) for part in expected]
    assert spawned[0][1]["stdout"] == subprocess.DEVNULL


def test_opening_a_missing_file_is_a_user_error_naming_it(tmp_path, spawned):
    gone = tmp_path / "已删除.pdf"
    with pytest.raises(UserError, match=r"文件不存在或无法访问.*已删除\.pdf"):
        winpaths.open_with_system(str(gone))
    with pytest.raises(UserError, match=r"已删除\.pdf"):
        winpaths.show_in_folder(str(gone))
    assert not spawned


def test_a_missing_desktop_helper_is_a_user_error(tmp_path, monkeypatch):
    target = tmp_path / "通知.pdf"
    target.write_bytes(b"%PDF")
    monkeypatch.setattr(winpaths.sys, "platform", "linux")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no xdg-open anywhere
    with pytest.raises(UserError, match="xdg-open 不可用"):
        winpaths.open_with_system(str(target))


# --- a windowed build has no console streams --------------------------------------------------------------------

def test_missing_streams_are_replaced_so_the_cli_can_print(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(winpaths, "ON_WINDOWS", False)
    winpaths.ensure_std_streams()
    try:
        assert sys.stdout is not None and sys.stderr is not None
        print("迎检通", flush=True)
        print("错误：示例", file=sys.stderr, flush=True)
        assert sys.stderr.isatty() is False  # cli/export asks this
    finally:
        sys.stdout.close()
        sys.stderr.close()


def test_existing_streams_are_kept(monkeypatch, capsys):
    before = sys.stdout, sys.stderr
    winpaths.ensure_std_streams()
    assert (sys.stdout, sys.stderr) == before


def test_the_command_line_runs_without_stdout_and_stderr(tmp_path):
    """Like the windowed exe started from a shortcut: fds 1 and 2 closed. The export command asks
    sys.stderr.isatty(), which fails on None; with the null streams it does its work."""
    main = str(Path(__file__).resolve().parent.parent / "main.py")
    archive_path, out = tmp_path / "无控制台.rrdb", tmp_path / "目录.docx"
    subprocess.run([sys.executable, main, "new", str(archive_path)], check=True, capture_output=True, timeout=60)
    done = subprocess.run([sys.executable, main, "export", str(archive_path), "--out", str(out), "--catalogue-only"],
                          stdin=subprocess.DEVNULL, preexec_fn=lambda: (os.close(1), os.close(2)), timeout=120)
    assert done.returncode == 0 and out.is_file()


# --- fonts ------------------------------------------------------------------------------------------------------

def test_pdf_fonts_are_looked_up_in_the_windows_fonts_folder(monkeypatch):
    from exporters import fonts

    monkeypatch.setattr(fonts.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", "D:\\Windows")
    monkeypatch.setenv("LOCALAPPDATA", "C:\\Users\\张三\\AppData\\Local")
    dirs = [str(d) for d in fonts.font_dirs()]
    assert dirs[0].replace("/", "\\") == "D:\\Windows\\Fonts"  # SimSun, SimHei, FangSong live here
    assert dirs[1].replace("/", "\\") == "C:\\Users\\张三\\AppData\\Local\\Microsoft\\Windows\\Fonts"  # per-user
