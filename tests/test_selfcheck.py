"""`main.py self-check` and `--version`: run as the user (and CI, on the frozen build) runs them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cli import selfcheck
from cli.run import run
from version import VERSION

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")
TITLES = [step.title for step in selfcheck.STEPS]


def _main(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, MAIN, *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120)


def test_version_prints_the_version(tmp_path):
    done = _main("--version", tmp=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"迎检通 ReviewReady {VERSION}"


@pytest.mark.cjk_font
@pytest.mark.slow
def test_self_check_passes_every_step_and_leaves_nothing_behind(tmp_path):
    done = _main("self-check", tmp=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for title in TITLES:
        assert any(line.startswith(f"✓ {title}：") for line in lines), f"{title} 未通过：\n{done.stdout}"
    assert "✗" not in done.stdout
    assert lines[-1].startswith("自检通过，用时")
    assert "最长路径" in done.stdout and "中文字体：" in done.stdout
    assert list(tmp_path.iterdir()) == []  # the temp archive, evidence and exports are gone


def test_self_check_is_listed_in_the_help(tmp_path):
    assert "self-check" in _main("--help", tmp=tmp_path).stdout


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_no_cjk_font_fails_the_font_and_pdf_steps_and_exits_1(monkeypatch, capsys, private_temp, tmp_path):
    from exporters import fonts

    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path / "没有字体"])
    monkeypatch.setattr(fonts, "_loaded", {})
    assert run(["self-check"]) == 1
    out, err = capsys.readouterr()
    assert "✗ 中文字体：未找到可嵌入 PDF 的中文字体" in out
    assert "✗ 导出 PDF 汇编：" in out
    assert "✓ 导出 Word 汇编：" in out  # Word needs no embedded font: later steps still run
    assert "✓ 清理临时文件：" in out
    assert "自检未通过：2 项失败（中文字体、导出 PDF 汇编）" in err
    assert list(private_temp.iterdir()) == []


@pytest.mark.cjk_font
def test_a_failed_setup_step_skips_what_depends_on_it_and_still_cleans_up(monkeypatch, capsys, private_temp):
    import archive.db
    from common.errors import UserError

    def refuse(path, title):
        raise UserError(f"磁盘已满，无法创建档案：{path}")

    monkeypatch.setattr(archive.db, "create_archive", refuse)
    assert run(["self-check"]) == 1
    out, err = capsys.readouterr()
    assert "✗ 新建档案：磁盘已满，无法创建档案" in out
    for title in ("证明材料样例", "自动关联与扫描", "材料状态", "导出 PDF 汇编", "导出 Word 汇编",
                  "文件目录导出与导入"):
        assert f"– {title}：跳过（前面的步骤未通过）" in out
    assert "✓ 中文字体：" in out and "✓ 清理临时文件：" in out
    assert "自检未通过：1 项失败（新建档案）" in err
    assert list(private_temp.iterdir()) == []


def test_an_unexpected_exception_becomes_a_failed_line_not_a_traceback(monkeypatch, capsys, private_temp):
    import criteria.template

    def broken(name="work-plan"):
        raise KeyError("criteria")

    monkeypatch.setattr(criteria.template, "load_template", broken)
    assert run(["self-check"]) == 1
    out, err = capsys.readouterr()
    assert "✗ 内置模板：'criteria'" in out and "Traceback" not in out + err


def test_marks_fall_back_where_the_output_encoding_has_no_check_mark(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="gbk"))
    assert selfcheck._marks() == ("√", "×")  # both exist in GBK, the code page of a Chinese Windows pipe
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert selfcheck._marks() == ("✓", "✗")
