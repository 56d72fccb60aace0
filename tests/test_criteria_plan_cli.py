"""The import plan on the command line, as real processes: --preview writes nothing, --json, --map, warnings."""

from __future__ import annotations

import json

import criteria_corpus as corpus
from test_cli import cli


def test_new_with_preview_prints_the_plan_and_creates_nothing(tmp_path):
    source = corpus.checks_xlsx(tmp_path / "检查.xlsx")
    done = cli("new", tmp_path / "档案.rrdb", "--criteria", source, "--preview")
    out = done.stdout
    assert "读取 工作表“Sheet1”（表头在第 2 行）：6 项" in out
    assert "  B 列“评价项目”→ 分组（评价项目）" in out
    assert "共 6 个评价项目（一级 2 项，末级 4 项），分值合计 18 分，文件写明总分 100 分" in out
    assert "    2 [二.2] 配齐人员（5 分）" in out
    assert "警告（4 条）：" in out and "  ! 编号 2 重复" in out
    assert out.rstrip().endswith("（预览：未写入任何内容）")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["检查.xlsx"]


def test_new_applies_the_plan_and_prints_its_warnings(tmp_path):
    source = corpus.checks_xlsx(tmp_path / "检查.xlsx")
    done = cli("new", tmp_path / "档案.rrdb", "--criteria", source)
    assert "写明总分 100 分，导入的各项合计 18 分" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1] == "已新建档案 " + str(tmp_path / "档案.rrdb") + \
        "：4 个评价项目（评价细则（总分100分））"
    listed = cli("criteria", tmp_path / "档案.rrdb").stdout.splitlines()
    assert listed[:3] == ["一、 组织领导（10 分）", "  1 成立领导小组（4 分）", "  2 制定方案（4 分）"]
    assert "  2 [二.2] 配齐人员（5 分）" in listed  # the duplicate shows the code it was given


def test_criteria_import_preview_json_writes_nothing(tmp_path):
    archive = tmp_path / "档案.rrdb"
    cli("new", archive, "--title", "某县")
    before = archive.read_bytes()
    source = corpus.two_sheets_xlsx(tmp_path / "两页.xlsx")
    plan = json.loads(cli("criteria", archive, "--import", source, "--preview", "--json").stdout)
    assert set(plan) == {"file", "title", "parts", "columns", "mapping", "skipped_rows", "blank_rows", "criteria",
                         "totals", "warnings", "revision", "applied"}
    assert [p["status"] for p in plan["parts"]] == ["read", "continued", "skipped", "skipped"]
    assert plan["totals"] == {"criteria": 20, "top": 20, "leaves": 20, "points": 20.0, "stated": [20.0]}
    assert plan["columns"][1] == {"column": "B", "header": "评价内容", "role": "title", "role_name": "评价内容",
                                  "source": "header"}
    assert plan["criteria"][10]["code"] == "11" and plan["criteria"][10]["points_from_text"] is False
    assert archive.read_bytes() == before
    assert not (tmp_path / "档案.rrdb-wal").exists() or (tmp_path / "档案.rrdb-wal").stat().st_size == 0


def test_criteria_import_with_map_applies_and_keeps_json_on_stdout_clean(tmp_path):
    archive = tmp_path / "档案.rrdb"
    cli("new", archive, "--title", "某县")
    source = corpus.xlsx(tmp_path / "自定义.xlsx", {"表1": [["序号", "具体做法", "分值"], ["1", "成立领导小组", 2]]})
    refused = cli("criteria", archive, "--import", source, check_code=1)
    assert "缺少“评价内容”列。请指明各列的含义，如 --map \"具体做法=评价内容\"" in refused.stderr
    done = cli("criteria", archive, "--import", source, "--map", "具体做法=评价内容", "--json")
    assert json.loads(done.stdout)[0]["title"] == "成立领导小组"
    assert "“具体做法”→ 评价内容（手工指定）" in done.stderr


def test_preview_and_map_need_a_source(tmp_path):
    archive = tmp_path / "档案.rrdb"
    cli("new", archive, "--title", "某县")
    assert cli("criteria", archive, "--preview", check_code=1).stderr.strip() == \
        "错误：--preview 和 --map 需要与 --import 一起使用"
    assert "--criteria" in cli("new", tmp_path / "b.rrdb", "--preview", check_code=1).stderr
    assert not (tmp_path / "b.rrdb").exists()
