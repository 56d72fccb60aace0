"""The built-in work-plan template, its data folder, and YAML saving."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import criteria
from criteria.importers import load_catalogue
from criteria.model import Catalogue, CatalogueError, Criterion
from criteria.numbering import assign_codes
from criteria.resources import data_dir
from criteria.template import load_template, template_names
from criteria.yamlio import save_yaml

METHODS = {"资料审查", "现场检查", "满意度测评", "数据核查"}


@pytest.fixture(scope="module")
def template() -> Catalogue:
    return load_template()


def titles(catalogue: Catalogue, code: str | None) -> list[str]:
    return [c.title for c in catalogue.children(code)]


def leaves(catalogue: Catalogue) -> list[Criterion]:
    return [c for c in catalogue.criteria if not catalogue.children(c.code)]


def test_names():
    assert template_names() == ["work-plan"]


def test_unknown_template_lists_the_names():
    with pytest.raises(CatalogueError) as caught:
        load_template("official")
    assert "work-plan" in str(caught.value) and "official" in str(caught.value)


def test_identity_and_disclaimer(template):
    assert template.title == "创建国家食品安全示范城市评价项目（工作方案模板）"
    assert template.source == "template:work-plan"
    assert "不是官方" in template.note and "评价细则" in template.note and "导入" in template.note
    template.validate()


def test_shape(template):
    assert 40 <= len(template.criteria) <= 60
    assert {c.level for c in template.criteria} == {1, 2, 3}
    assert titles(template, None) == ["组织领导与工作机制", "防范风险隐患", "完善治理体系", "创建目标",
                                      "工作步骤与阶段成果"]
    assert [c.code for c in template.children(None)] == ["1", "2", "3", "4", "5"]
    assert [c.label for c in template.children(None)] == ["一、", "二、", "三、", "四、", "五、"]


def test_actions_named_in_the_work_plan(template):
    assert titles(template, "2") == [
        "农药兽药残留治理提升行动", "食品生产企业发展提升行动", "农村食品安全整治提升行动", "食品销售市场准入提升行动",
        "特殊食品销售专柜提升行动", "校园食品安全示范提升行动", "网络订餐全程管控提升行动"]
    assert "9大行动" in template.by_code()["2"].note
    assert titles(template, "3") == [
        "食品安全管理责任提升行动", "食品监管队伍建设提升行动", "食品监管机制创新提升行动", "食品检验检测水平提升行动",
        "食品安全应急监测提升行动", "食品安全宣传教育提升行动"]


def test_targets_and_phases(template):
    rules = [c.rule for c in template.children("4")]
    assert len(rules) == 3
    assert "98%" in rules[0] and "80分" in rules[1] and "85%" in rules[2]
    assert titles(template, "5") == ["启动阶段", "创建攻坚阶段", "自查初评阶段", "国家验收阶段", "巩固提升阶段"]
    deliverables = [c.title for c in template.criteria if c.code.startswith("5.")]
    for expected in ("乡镇和部门自查报告", "县级自评报告及公示", "问题整改台账"):
        assert expected in deliverables
    assert template.by_code()["5.3.2"].title == "县级自评报告及公示"


def test_every_leaf_is_complete_and_points_total_100(template):
    for leaf in leaves(template):
        assert leaf.rule and leaf.evidence and leaf.units, leaf.code
        assert set(leaf.method.split("、")) <= METHODS, leaf.code
        assert leaf.points is not None and leaf.points > 0, leaf.code
    assert sum(leaf.points for leaf in leaves(template)) == 100
    assert all(c.points is None for c in template.criteria if template.children(c.code))


def test_codes_are_the_canonical_codes_of_the_labels(template):
    index = {c.code: i for i, c in enumerate(template.criteria)}
    parents = [index[c.parent] if c.parent else None for c in template.criteria]
    assert assign_codes([c.label for c in template.criteria], parents) == [c.code for c in template.criteria]


def test_template_round_trips_through_yaml_and_json(template, tmp_path):
    assert load_catalogue(save_yaml(template, tmp_path / "模板.yaml")) == template
    (tmp_path / "模板.json").write_text(json.dumps(template.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert load_catalogue(tmp_path / "模板.json") == template


def test_data_dir_from_source():
    assert data_dir() == Path(criteria.__file__).resolve().parent / "data"
    assert (data_dir() / "work_plan.yaml").is_file()


def test_data_dir_when_frozen(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert data_dir() == tmp_path / "criteria" / "data"


# --- save_yaml -------------------------------------------------------------------------------------------------

def test_save_yaml_replaces_and_leaves_no_temp_file(template, tmp_path):
    target = tmp_path / "目录.yaml"
    target.write_text("old", encoding="utf-8")
    save_yaml(template, target)
    assert os.listdir(tmp_path) == ["目录.yaml"]
    text = target.read_text(encoding="utf-8")
    assert text.startswith("title: 创建国家食品安全示范城市评价项目（工作方案模板）\nsource: template:work-plan\n")


def test_save_yaml_failure_keeps_the_old_file(template, tmp_path, monkeypatch):
    target = tmp_path / "目录.yaml"
    target.write_text("old", encoding="utf-8")

    def refuse(src, dst):
        raise PermissionError("locked")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        save_yaml(template, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["目录.yaml"]


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_CRITERION = st.builds(
    Criterion, code=st.just(""), title=_TEXT, label=_TEXT, method=_TEXT, rule=_TEXT, evidence=_TEXT, kind=_TEXT,
    note=_TEXT, units=st.lists(_TEXT, max_size=3),
    points=st.none() | st.floats(min_value=0, max_value=1000, allow_nan=False) | st.integers(0, 100))


@settings(max_examples=150, deadline=None)
@given(st.lists(_CRITERION, min_size=1, max_size=6), _TEXT, _TEXT, _TEXT)
def test_yaml_round_trip_is_exact_for_any_text(tmp_path_factory, crits, title, source, note):
    for number, crit in enumerate(crits, start=1):  # a flat catalogue: codes 1..n
        crit.code = str(number)
    catalogue = Catalogue(title=title, criteria=crits, source=source, note=note)
    path = tmp_path_factory.mktemp("yaml") / "c.yaml"
    assert load_catalogue(save_yaml(catalogue, path)) == catalogue
