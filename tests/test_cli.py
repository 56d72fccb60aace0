"""The command-line contract, run as a real process: output, JSON shapes, exit codes, and untouched evidence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tree_snapshot

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


def cli(*args, check_code: int | None = 0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, MAIN, *map(str, args)], capture_output=True, text=True, timeout=120)
    if check_code is not None:
        assert done.returncode == check_code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


@pytest.fixture
def made(tmp_path, evidence):
    """An archive made from the built-in template, with the evidence tree auto-mapped by folder names."""
    path = tmp_path / "县档案.rrdb"
    cli("new", path, "--title", "某某县创建国家食品安全示范城市")
    return path


def test_new_from_template_and_criteria_json(made):
    items = json.loads(cli("criteria", made, "--json").stdout)
    assert len(items) >= 30
    assert set(items[0]) == {"code", "title", "parent", "level", "points", "method", "units"}
    codes = {i["code"] for i in items}
    assert all(i["parent"] is None or i["parent"] in codes for i in items)
    assert any("校园食品安全" in i["title"] for i in items)


def test_new_refuses_existing_path(made):
    before = made.read_bytes()
    done = cli("new", made, check_code=1)
    assert "文件已存在" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert made.read_bytes() == before


def test_usage_errors_exit_2(tmp_path):
    assert "缺少参数" in cli("link", tmp_path / "a.rrdb", check_code=2).stderr
    assert "无效的选项" in cli("frobnicate", check_code=2).stderr


@pytest.mark.slow
def test_user_errors_exit_1_with_one_line(made, tmp_path):
    for args, expected in [
        (("link", made, "99.99", tmp_path), "没有编号 99.99"),
        (("link", made, "1.1", tmp_path / "不存在"), "路径不存在"),
        (("status", tmp_path / "无此档案.rrdb"), "档案文件不存在"),
        (("criteria", made, "--import", tmp_path / "不存在.xlsx"), "不存在.xlsx"),
        (("new", tmp_path / "b.rrdb", "--template", "no-such"), "no-such"),
        (("unlink", made, "1.1", tmp_path), "没有关联"),
    ]:
        done = cli(*args, check_code=1)
        assert expected in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_whole_contract_over_a_tree_leaves_it_byte_identical(tmp_path, evidence):
    before = tree_snapshot(evidence)

    def run(*args):
        done = cli(*args)
        assert tree_snapshot(evidence) == before, f"the evidence changed after: {args[0]}"
        return done

    archive = tmp_path / "全流程.rrdb"
    export = tmp_path / "目录.yaml"
    run("new", archive, "--title", "某县")
    code = json.loads(run("criteria", archive, "--json").stdout)[1]["code"]
    run("link", archive, code, evidence / "1.1 领导小组", evidence / "1.2 工作方案" / "创建工作方案.txt")
    run("automap", archive, evidence)
    scanned = json.loads(run("scan", archive, "--json").stdout)
    assert {"added", "modified", "removed", "moved", "problems", "files", "seconds"} <= set(scanned)
    assert scanned["added"] == 4 and scanned["files"] == 4 and scanned["problems"] == []
    status = json.loads(run("status", archive, "--json").stdout)
    assert set(status) == {"criteria", "totals"}
    assert {"code", "title", "parent", "state", "files", "bytes", "problems"} <= set(status["criteria"][0])
    assert set(status["totals"]) == {"criteria", "items", "missing", "collected", "confirmed", "changed",
                                     "unreachable", "files", "bytes"}
    mine = next(c for c in status["criteria"] if c["code"] == code)
    assert mine["files"] == 3 and mine["state"] == "collected"
    run("confirm", archive, code, "--by", "张三", "--note", "已核对")
    assert run("status", archive).stdout.count("已确认") >= 1
    run("confirm", archive, code, "--undo")
    run("criteria", archive, "--export", export)
    run("criteria", archive, "--import", export)
    run("unlink", archive, code, evidence / "1.1 领导小组")
    assert json.loads(run("scan", archive, "--json").stdout)["removed"] == 0
    run("status", archive)
    run("criteria", archive)
    run("scan", archive)
    others = {p.name for p in tmp_path.iterdir() if p.is_file()} - {"目录.yaml"}
    assert others and all(name.startswith("全流程.rrdb") for name in others)


@pytest.mark.parametrize("args", [("criteria",), ("status", "--json")])
def test_a_reader_that_stops_early_ends_the_command_quietly(made, args):
    """`status 档案 | head`: the reader went away; the command said "错误：[Errno 32] Broken pipe" (or a traceback at
    exit, for output shorter than the buffer)."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = subprocess.run([sys.executable, MAIN, args[0], str(made), *args[1:]], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert done.stderr == "" and done.returncode == 1


@pytest.mark.parametrize("module, ours", [("cli.monitor", True), ("exporters.office_run", False)])
def test_the_broken_pipe_is_told_by_the_raising_module_not_its_file(module, ours, monkeypatch):
    """In the frozen app a frame's file is no path of the source tree ("cli\\\\monitor.py" inside the archive): the
    reader's going was taken for a failure there, "错误：[Errno 32] Broken pipe". A converter's pipe stays one."""
    import io

    from cli import run as cli_run

    monkeypatch.setattr(cli_run.os, "dup2", lambda *args: None)  # this test's stdout stays
    monkeypatch.setattr(cli_run.sys, "stdout", io.StringIO())
    code = compile("raise BrokenPipeError(32, 'Broken pipe')", "cli\\\\monitor.py" if ours else "office_run.py", "exec")
    try:
        exec(code, {"__name__": module})
    except BrokenPipeError as exc:
        assert cli_run._reader_gone(exc) is ours
