"""A task-breakdown table's 完成时限 column (任务分解表: 牵头单位, 配合单位, 完成时限): read as the items' deadlines,
the table's default below the clerk's own, named in the plan where a cell gives no date. It was a column "未识别"
that could not even be chosen, and every deadline was typed again item by item."""

from __future__ import annotations

import datetime

import criteria_corpus as corpus
import pytest

from archive.assignments import assign, effective_assignments
from archive.catalogue import store_catalogue
from criteria.duedates import NO_YEAR, NOT_A_DATE, parse_table_due
from criteria.importers import load_catalogue, plan_import
from criteria.yamlio import catalogue_from_data
from departments.units import deadlines

HEADER = ["序号", "评价内容", "分值", "牵头单位", "配合单位", "完成时限"]


@pytest.mark.parametrize(("text", "due"), [
    ("2026年6月30日前", "2026-06-30"), ("2026年6月底", "2026-06-30"), ("2026年6月底前完成", "2026-06-30"),
    ("2026.6", "2026-06-30"), ("2026-06", "2026-06-30"), ("2026/6/30", "2026-06-30"), ("20260630", "2026-06-30"),
    ("2026.06.30", "2026-06-30"), ("2026年上半年", "2026-06-30"), ("2026年下半年", "2026-12-31"),
    ("2026年第三季度", "2026-09-30"), ("2026年3季度", "2026-09-30"), ("2026年底前", "2026-12-31"),
    ("2026年", "2026-12-31"), ("2026年6月中旬", "2026-06-20"), ("２０２６年２月", "2026-02-28"),
    # several dates: due by the last; a month after a year takes that year
    ("2026年3月底前制定方案，6月底前完成建设", "2026-06-30"), ("2026年至2027年6月", "2027-06-30"),
    # counted from the year before: the next year, the same year
    ("2026年12月启动，次年3月底前完成", "2027-03-31"), ("2026年10月部署，翌年6月验收", "2027-06-30"),
    ("2026年启动，当年12月底前完成", "2026-12-31"),
])
def test_a_deadline_as_offices_write_it(text, due):
    assert parse_table_due(text).date == due and parse_table_due(text).problem == ""


@pytest.mark.parametrize(("text", "problem"), [
    ("6月底前", NO_YEAR), ("6月30日", NO_YEAR), ("次年3月底前", NO_YEAR), ("长期坚持", NOT_A_DATE),
    ("持续推进", NOT_A_DATE), ("每季度", NOT_A_DATE), ("2026年2月30日", NOT_A_DATE), ("", ""),
])
def test_what_gives_no_deadline(text, problem):
    assert parse_table_due(text).date == "" and parse_table_due(text).problem == problem


def _table(tmp_path, dues, name="任务分解表.xlsx"):
    rows = [HEADER] + [[str(n), f"第{n}项任务", 5, "县食安办", "", due] for n, due in enumerate(dues, start=1)]
    return corpus.xlsx(tmp_path / name, {"任务分解": rows})


def test_the_column_is_read_and_cells_without_a_date_are_named(tmp_path):
    plan = plan_import(_table(tmp_path, ["2026年6月底前", "2026-03-31", "长期坚持", "6月底前", ""]))
    assert "  F 列“完成时限”→ 完成时限" in plan.lines()
    assert [c.due for c in plan.catalogue.criteria] == ["2026-06-30", "2026-03-31", "", "", ""]
    assert [w.message for w in plan.warnings] == [
        "1 项的完成时限没有写年份，未设时限（可在评价项目的“自查自评”中设置）：工作表“任务分解”第 5 行“6月底前”",
        "1 项的完成时限不是具体日期，未设时限（可在评价项目的“自查自评”中设置）：工作表“任务分解”第 4 行“长期坚持”"]
    assert "  1 第1项任务（5 分）  〔县食安办〕  时限 2026-06-30" in plan.lines()


def test_the_tables_deadline_is_the_default_the_clerks_own_overrides_and_a_new_edition_updates(archive, tmp_path):
    store_catalogue(archive, load_catalogue(_table(tmp_path, ["2026年6月底", "2026-03-31", ""])))
    assign(archive, "2", due="2026-05-01")
    due = {code: a.due for code, a in effective_assignments(archive).items()}
    assert due == {"1": "2026-06-30", "2": "2026-05-01", "3": ""}
    assert effective_assignments(archive)["1"].table_due and not effective_assignments(archive)["2"].table_due
    assert deadlines(archive) == {"1": "2026-06-30", "2": "2026-05-01"}  # the task packages' view
    # The office revises its table: the new deadlines apply where the clerk set none
    store_catalogue(archive, load_catalogue(_table(tmp_path, ["2026年9月底", "2026-04-30", "2026年底"], "新版.xlsx")))
    due = {code: a.due for code, a in effective_assignments(archive).items()}
    assert due == {"1": "2026-09-30", "2": "2026-05-01", "3": "2026-12-31"}


def test_a_yaml_catalogue_keeps_its_deadlines():
    data = {"criteria": [{"code": "1", "title": "任务", "due": datetime.date(2026, 6, 30)},
                         {"code": "2", "title": "任务", "due": "2026年9月底"}, {"code": "3", "title": "任务"}]}
    assert [c.due for c in catalogue_from_data(data, "目录.yaml").criteria] == ["2026-06-30", "2026-09-30", ""]
    with pytest.raises(ValueError, match="第 1 个评价项目的“完成时限”格式不正确（应为日期"):
        catalogue_from_data({"criteria": [{"code": "1", "title": "任务", "due": "长期坚持"}]}, "目录.yaml")


def test_the_command_line_says_whose_deadline_applies(tmp_path, capsys):
    """`unit --due 无` clears the clerk's deadline and the table's applies again: said, not shown as if kept."""
    from main import main

    archive = tmp_path / "任务.rrdb"
    assert main(["new", str(archive), "--criteria", str(_table(tmp_path, ["2026年6月底", ""]))]) == 0
    assert main(["unit", str(archive), "1", "--due", "2026-08-01"]) == 0
    assert main(["unit", str(archive), "1", "--due", "无"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "已设置 1：牵头 县食安办，配合 无，时限 2026-08-01，类别 未分类" in lines
    assert "已设置 1：牵头 县食安办，配合 无，时限 2026-06-30（按细则），类别 未分类" in lines


def test_a_task_tables_measures_and_leaders(tmp_path):
    """具体措施 was a column 未识别, dropped, and 责任领导 ("副县长 李四") was left out too, or judged a 配合单位 by
    content. The measures are read where the 细则 would be, the leader kept as a note, never a unit."""
    rows = [["序号", "工作任务", "具体措施", "牵头单位", "责任领导", "完成时限"],
            ["1", "成立领导小组", "印发文件成立领导小组", "县食安办", "副县长 李四", "2026年3月底"],
            ["2", "制定创建方案", "印发创建工作方案", "县市场监管局", "副县长 王五", "2026年6月底"]]
    plan = plan_import(corpus.xlsx(tmp_path / "任务分解表.xlsx", {"任务": rows}))
    assert [(c.title, c.rule, c.units, c.note, c.due) for c in plan.catalogue.criteria] == [
        ("成立领导小组", "印发文件成立领导小组", ["县食安办"], "副县长 李四", "2026-03-31"),
        ("制定创建方案", "印发创建工作方案", ["县市场监管局"], "副县长 王五", "2026-06-30")]
