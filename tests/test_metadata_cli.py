"""The `meta` command and `rules --period` of the command-line contract, in-process through cli.run (the same parser
and handlers as main.py), and one real process for the exit code of a user error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from metadata_support import RED_HEADER, docx_with, jpeg_with_exif

from archive.index.scan import scan
from archive.links import link
from conftest import run_cli as cli

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


@pytest.fixture
def tree(archive, tmp_path):
    root = tmp_path / "材料"
    (root / "照片").mkdir(parents=True)
    docx_with(root / "通知.docx", RED_HEADER)
    for number in (1, 2):
        jpeg_with_exif(root / "照片" / f"IMG_000{number}.jpg", taken=f"2024:05:2{number} 09:15:00")
    link(archive, "1.1", [str(root)])
    scan(archive)
    archive.close()
    return root


def test_meta_prints_the_fields_with_their_sources(capsys, archive, tree):
    out = cli(capsys, "meta", archive.path, tree / "通知.docx")
    lines = out.splitlines()
    assert lines[0] == f"{tree / '通知.docx'}（DOCX）"
    assert "  文号：某食安办〔2024〕3号（读自文件：正文）" in lines
    assert "  备注：（空）" in lines and not any("事由" in line for line in lines)
    data = json.loads(cli(capsys, "meta", archive.path, tree / "通知.docx", "--json"))
    assert data["fields"]["date"] == {"value": "2024-03-05", "source": "file", "origin": "text"}
    assert data["problems"] == [] and data["type"] == "docx"


def test_meta_types_values_reverts_them_and_sets_a_folder_of_photos(capsys, archive, tree):
    out = cli(capsys, "meta", archive.path, tree / "通知.docx", "--title", "关于印发重点工作安排的通知", "--doc-no",
              "某食安办〔2024〕3号", "--date", "2024/3/6")
    assert out == "已更新 1 个文件的题名、文号、成文日期\n"
    data = json.loads(cli(capsys, "meta", archive.path, tree / "通知.docx", "--json"))["fields"]
    assert (data["title"]["source"], data["date"]["value"]) == ("typed", "2024-03-06")
    cli(capsys, "meta", archive.path, tree / "通知.docx", "--revert", "date,题名")
    data = json.loads(cli(capsys, "meta", archive.path, tree / "通知.docx", "--json"))["fields"]
    assert (data["title"]["source"], data["date"]["value"]) == ("file", "2024-03-05")
    out = cli(capsys, "meta", archive.path, tree, "--place", "县一中食堂", "--photographer", "王五")
    assert out == "已更新 2 个文件的地点、摄影者（1 个不是照片，未设置）\n"
    photos = json.loads(cli(capsys, "meta", archive.path, tree / "照片", "--json"))
    assert [p["fields"]["place"]["value"] for p in photos] == ["县一中食堂", "县一中食堂"]


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "明天"], "错误：成文日期格式不正确：明天（应为 YYYY-MM-DD，如 2024-03-05）"),
    (["--revert", "颜色"], "错误：没有字段“颜色”"),
])
def test_meta_refuses_bad_values(capsys, archive, tree, args, message):
    err = cli(capsys, "meta", archive.path, tree / "通知.docx", *args, code=1)
    assert err.splitlines()[0].startswith(message)


def test_meta_of_a_file_not_in_the_index_and_without_a_path(capsys, archive, tree, tmp_path):
    err = cli(capsys, "meta", archive.path, tmp_path / "别处.pdf", code=1)
    assert err.startswith("错误：文件不在档案的索引中：")
    err = cli(capsys, "meta", archive.path, code=1)
    assert "请给出文件路径 PATH，或 --export FILE.xlsx，或 --import FILE.xlsx" in err


def test_meta_export_and_import_through_excel(capsys, archive, tree, tmp_path):
    target = tmp_path / "目录.xlsx"
    assert cli(capsys, "meta", archive.path, "--export", target, "--code", "1") == f"已导出 3 个文件的目录：{target}\n"
    book = openpyxl.load_workbook(target)
    sheet = book["文件目录"]
    header = [cell.value for cell in sheet[1]]
    [row] = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 4).value == "通知.docx"]
    sheet.cell(row, header.index("备注") + 1).value = "原件存县食安办"
    book.save(target)
    book.close()
    out = cli(capsys, "meta", archive.path, "--import", target, "--preview")
    assert out.splitlines() == ["共 3 行，1 处改动（1 个文件）：",
                                f"  第 {row} 行 通知.docx：备注 “” → “原件存县食安办”",
                                "预览：未写入（去掉 --preview 即写入）"]
    assert json.loads(cli(capsys, "meta", archive.path, tree / "通知.docx", "--json"))["fields"]["note"]["value"] == ""
    data = json.loads(cli(capsys, "meta", archive.path, "--import", target, "--json"))
    assert data["applied"] and data["changes"][0]["field"] == "note"
    assert json.loads(cli(capsys, "meta", archive.path, tree / "通知.docx", "--json"))["fields"]["note"]["value"] == (
        "原件存县食安办")


def test_rules_period_sets_the_creation_period_and_files_outside_it_have_a_problem(capsys, archive, tree):
    out = cli(capsys, "rules", archive.path, "--period", "2024-04-01", "2026-06-30")
    assert out.splitlines()[-1] == "创建周期：2024-04-01 至 2026-06-30"
    data = json.loads(cli(capsys, "meta", archive.path, tree / "通知.docx", "--json"))
    assert data["problems"] == ["日期不在创建周期内（成文日期 2024-03-05，创建周期 2024-04-01 至 2026-06-30）"]
    status = json.loads(cli(capsys, "status", archive.path, "--json"))
    assert {c["code"]: c["problems"] for c in status["criteria"]}["1.1"] == 1
    assert "问题：日期不在创建周期内" in cli(capsys, "meta", archive.path, tree / "通知.docx")
    assert cli(capsys, "rules", archive.path).splitlines()[-1] == "创建周期：2024-04-01 至 2026-06-30"
    assert "创建周期" not in cli(capsys, "rules", archive.path, "--period", "off")
    err = cli(capsys, "rules", archive.path, "--period", "2024-01-01", code=1)
    assert "--period 需要两个日期" in err


def test_a_user_error_exits_1_with_one_chinese_line(archive, tree):
    done = subprocess.run([sys.executable, MAIN, "meta", str(archive.path), str(tree / "通知.docx"), "--pages", "零"],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "错误：页数应为正整数：零\n")
