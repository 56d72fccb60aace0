"""A font role without its own face (仿宋 without simfang.ttf ...) is substituted and the user is told, in Chinese,
which role and which fonts were looked for: in the plan before the export (CLI and dialog) and with the result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from export_helpers import options, populate

import exporters.fonts
from exporters import export, plan_export
from exporters.fonts import find_fonts

pytestmark = pytest.mark.cjk_font
MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


@pytest.fixture
def one_font(tmp_path, monkeypatch):
    """Only one CJK font installed (not a 仿宋): the machine's first, linked into a folder of its own."""
    source = find_fonts().files[0]
    folder = tmp_path / "fonts"
    folder.mkdir()
    os.symlink(source, folder / os.path.basename(source))
    monkeypatch.setattr(exporters.fonts, "font_dirs", lambda: [folder])
    name = exporters.fonts.font_name(source)
    return f"{name}（{os.path.basename(source)}）" if name != os.path.basename(source) else name


def test_the_message_names_the_role_and_the_fonts_looked_for(one_font):
    messages = find_fonts().substituted
    fang = next(m for m in messages if "本机没有仿宋" in m)
    assert fang == (f"PDF 字体：本机没有仿宋（用于正文，查找了 simfang.ttf、fangsong.ttf），以 {one_font} 代替；"
                    "可安装该字体或用 --font 指定")
    assert any("本机没有楷体" in m and "simkai.ttf" in m for m in messages)


def test_said_in_the_plan_and_with_the_result(archive, evidence, tmp_path, one_font):
    populate(archive, evidence)
    lines = plan_export(archive, "pdf", options()).lines()
    assert any(line.startswith("PDF 字体：本机没有仿宋（用于正文") for line in lines)
    result = export(archive, "pdf", tmp_path / "汇编.pdf", options())
    assert any("本机没有仿宋" in warning for warning in result.warnings)
    assert not any("本机没有" in w for w in export(archive, "docx", tmp_path / "汇编.docx", options()).warnings)


def test_the_command_line_prints_it_before_and_after(archive, evidence, tmp_path):
    expected = find_fonts().substituted
    if not expected:
        pytest.skip("every font role has its own face on this machine: nothing is substituted")
    populate(archive, evidence)
    done = subprocess.run([sys.executable, MAIN, "export", archive.path, "--out", tmp_path / "汇编.pdf"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for message in expected:
        assert out.index(message) < out.index(f"注意：{message}") < out.index("已导出：")
