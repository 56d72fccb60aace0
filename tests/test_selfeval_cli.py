"""The self-evaluation commands of the command-line contract: score, unit, problem, report, selfeval, rules, and
the "selfeval" key added to status --json. In-process through cli.run (same parser and handlers as main.py), one
real process for the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cli.run import run

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


@pytest.fixture
def path(archive):
    """The conftest archive, closed so the commands open it like a user would."""
    archive.close()
    return str(archive.path)


def cli(capsys, *args, code: int = 0) -> tuple[str, str]:
    assert run([str(a) for a in args]) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return out, err


def test_score_within_bounds_and_refused_outside(capsys, path):
    out, _ = cli(capsys, "score", path, "1.2", "4", "--note", "方案未经审议，扣1分")
    assert out.splitlines()[0] == "已记分：1.2 制定创建工作方案：4 / 5 分（方案未经审议，扣1分）"
    assert out.splitlines()[1] == ("预计结果：尚未评完。自评总分 4 分（满分 24 分），已评分 1/4 项，"
                                   "3 项未评分（都得满分则总分 23 分）")
    _, err = cli(capsys, "score", path, "1.2", "6", code=1)
    assert err.strip() == "错误：分值超出范围：1.2 的满分为 5 分，不能记 6 分"
    _, err = cli(capsys, "score", path, "1.2", "-1", code=1)
    assert err.strip() == "错误：分值超出范围：1.2 的满分为 5 分，不能记 -1 分"
    data = json.loads(cli(capsys, "selfeval", path, "--json")[0])
    item = next(i for i in data["items"] if i["code"] == "1.2")
    assert (item["score"], item["points"], item["note"]) == (4, 5, "方案未经审议，扣1分")


def test_unit_sets_lead_assist_due_and_kind(capsys, path):
    out, _ = cli(capsys, "unit", path, "2.2", "--lead", "县市场监管局", "--assist", "县教育局、县卫健局",
                 "--due", "2025-06-30", "--kind", "关键项")
    assert out.strip() == "已设置 2.2：牵头 县市场监管局，配合 县教育局、县卫健局，时限 2025-06-30，类别 关键项"
    _, err = cli(capsys, "unit", path, "2.2", code=1)
    assert "请至少指定" in err
    _, err = cli(capsys, "unit", path, "2.2", "--due", "6月底", code=1)
    assert "时限格式不正确：6月底" in err
    items = json.loads(cli(capsys, "selfeval", path, "--unit", "县卫健局", "--json")[0])["items"]
    assert [(i["code"], i["lead"], i["due"], i["kind"]) for i in items] == [("2.2", "县市场监管局", "2025-06-30",
                                                                              "关键项")]


def test_problem_add_list_set_and_json_shape(capsys, path):
    out, _ = cli(capsys, "problem", path, "add", "1.2", "方案未印发", "--unit", "县食安办", "--due", "2020-01-01")
    assert out.strip() == "已登记整改问题 #1 [未整改]【逾期】 1.2 方案未印发 — 县食安办，时限 2020-01-01"
    cli(capsys, "problem", path, "add", "2.2", "食堂台账不全", "--unit", "县教育局", "--due", "2099-12-31")
    listed = json.loads(cli(capsys, "problem", path, "list", "--json")[0])
    assert listed[0] == {"id": 1, "code": "1.2", "text": "方案未印发", "unit": "县食安办", "due": "2020-01-01",
                         "state": "open", "overdue": True, "verified_by": None, "verified_at": None}
    assert [p["overdue"] for p in listed] == [True, False]
    cli(capsys, "problem", path, "set", "1", "已整改")
    out, _ = cli(capsys, "problem", path, "set", "1", "已验证", "--by", "王五")
    assert "[已验证]" in out and "验证：王五" in out
    listed = json.loads(cli(capsys, "problem", path, "list", "--json", "--unit", "县食安办")[0])
    assert (listed[0]["state"], listed[0]["overdue"], listed[0]["verified_by"]) == ("verified", False, "王五")
    assert listed[0]["verified_at"]
    _, err = cli(capsys, "problem", path, "set", "1", "closed", code=1)
    assert "整改状态不正确：closed" in err
    out, _ = cli(capsys, "problem", path, "list", "--overdue")
    assert out.strip() == "共 0 个整改问题"


@pytest.mark.cjk_font
def test_reports_from_the_command_line(capsys, path, tmp_path):
    cli(capsys, "problem", path, "add", "2.2", "食堂台账不全", "--unit", "县教育局", "--due", "2020-01-01")
    out, _ = cli(capsys, "report", path, "ledger", "--out", tmp_path / "台账.xlsx")
    assert out.strip() == f"已生成整改台账：{tmp_path / '台账.xlsx'}"
    sheet = openpyxl.load_workbook(tmp_path / "台账.xlsx")["整改台账"]
    assert [c.value for c in sheet[2]][3:8] == ["食堂台账不全", "县教育局", "2020-01-01", "未整改", "是"]
    folder = tmp_path / "通报"
    folder.mkdir()
    out, _ = cli(capsys, "report", path, "bulletin", "--out", folder, "--format", "pdf")
    assert len(out.splitlines()) == 4 and (folder / "县教育局进度通报.pdf").is_file()
    _, err = cli(capsys, "report", path, "tasks", "--out", tmp_path / "任务.docx", code=1)
    assert "需要指定单位" in err
    _, err = cli(capsys, "report", path, "selfcheck", "--out", tmp_path / "x.docx", "--unit", "县财政局", code=1)
    assert "没有单位“县财政局”" in err
    _, err = cli(capsys, "report", path, "ledger", "--out", tmp_path / "台账.docx", code=1)
    assert "输出文件应以 .xlsx 结尾" in err


def test_rules_and_the_projection_in_status_and_selfeval(capsys, path):
    for code, points in (("1.1", "5"), ("1.2", "5"), ("2.1.1", "4"), ("2.2", "7")):
        cli(capsys, "score", path, code, points)
    out, _ = cli(capsys, "rules", path, "--total", "80%")
    assert out.splitlines()[0] == ("通过规则：无否决项被否决；每个关键项得分不低于其分值的 60%；"
                                   "总分不低于 19.2 分，即满分 24 分的 80%")
    assert out.splitlines()[1].startswith("预计结果：通过。自评总分 21 分")
    assert set(json.loads(cli(capsys, "status", path, "--json")[0])) == {"criteria", "totals"}  # contract kept
    assert cli(capsys, "status", path)[0].splitlines()[-1].startswith("预计结果：通过。自评总分 21 分")
    projection = json.loads(cli(capsys, "selfeval", path, "--json")[0])["selfeval"]
    assert (projection["projected"], projection["total"], projection["blocking"]) == ("通过", 21, [])
    out, _ = cli(capsys, "rules", path, "--reset")
    assert "总分不低于 21.6 分" in out and "预计结果：不通过" in out


def test_exit_codes_in_a_real_process(path):
    done = subprocess.run([sys.executable, MAIN, "score", path, "1", "3"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and done.stderr.strip() == "错误：1 是汇总项目，得分由下级项目合计，请对下级项目记分"
    done = subprocess.run([sys.executable, MAIN, "problem", path, "close", "1"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "无效的选项" in done.stderr
