"""Automatic linking on trees as departments name them: unit folders above, every code style, titles without codes,
and category folders left to their sub-folders."""

from __future__ import annotations

import pytest

from archive.catalogue import store_catalogue
from archive.db import create_archive
from archive.links import automap
from criteria.template import load_template


@pytest.fixture
def planned(tmp_path):
    archive = create_archive(tmp_path / "模板.rrdb", "某某县")
    store_catalogue(archive, load_template())
    yield archive
    archive.close()


def _linked(report, root) -> list[tuple[str, str]]:
    return sorted((code, path.removeprefix(str(root) + "/")) for code, path in report.linked)


def test_every_code_style_below_unit_folders(planned, tmp_path):
    root = tmp_path / "证明材料"
    for name in ("县市场监管局/2.6 主体责任自查", "县市场监管局/2-7 网络订餐", "县教育局/二.6 校园食堂",
                 "县农业农村局/二、防范风险隐患/（一）农残治理", "县卫健局/三、完善治理体系/第五项 应急演练",
                 "县食安办/1_2 领导小组/2024年", "县食安办/2.4-1 准入台账", "县食安办/（三）分解任务责任分工",
                 "县财政局/落实创建工作经费保障", "城关镇/2024年工作总结", "城关镇/照片"):
        (root / name).mkdir(parents=True)
    report = automap(planned, str(root))
    assert _linked(report, root) == [
        ("1.2", "县食安办/1_2 领导小组"), ("1.3", "县食安办/（三）分解任务责任分工"),
        ("1.8", "县财政局/落实创建工作经费保障"), ("2.1", "县农业农村局/二、防范风险隐患/（一）农残治理"),
        ("2.4", "县食安办/2.4-1 准入台账"), ("2.6", "县市场监管局/2.6 主体责任自查"), ("2.6", "县教育局/二.6 校园食堂"),
        ("2.7", "县市场监管局/2-7 网络订餐"), ("3.5", "县卫健局/三、完善治理体系/第五项 应急演练")]
    assert sorted((c, p.removeprefix(str(root) + "/")) for c, p in report.categories) == [
        ("2", "县农业农村局/二、防范风险隐患"), ("3", "县卫健局/三、完善治理体系")]
    assert [p.removeprefix(str(root) + "/") for p in report.unmatched] == ["城关镇"]


def test_the_command_line_names_a_unit_folder_nothing_inside_matched_with_its_sub_folders(planned, tmp_path, capsys):
    from conftest import run_cli

    root = tmp_path / "证明材料"
    for name in ("县市场监管局/2.6 主体责任自查", "城关镇/2024年工作总结", "城关镇/照片"):
        (root / name).mkdir(parents=True)
    out = run_cli(capsys, "automap", planned.path, root)
    assert f"未匹配任何评价项目（含其子文件夹）：{root / '城关镇'}\n" in out  # not only the unit's own name
    assert "2024年工作总结" not in out


def test_a_bare_number_is_decided_by_the_rest_of_the_name(planned, tmp_path):
    root = tmp_path / "资料"
    for name in ("（六）校园食品安全", "（六）调度督查通报", "（六）宣传教育", "（六）其他", "第六项 食品安全宣传周"):
        (root / name).mkdir(parents=True)
    report = automap(planned, str(root))
    assert _linked(report, root) == [("1.6", "（六）调度督查通报"), ("2.6", "（六）校园食品安全"),
                                     ("3.6", "第六项 食品安全宣传周"), ("3.6", "（六）宣传教育")]
    assert [p.removeprefix(str(root) + "/") for p in report.unmatched] == ["（六）其他"]


def test_quantities_are_not_codes(planned, tmp_path):
    root = tmp_path / "资料"
    for name in ("2023-12 月报", "2.5万元经费", "2024年工作", "3-5月检查", "1号文件汇编", "2季度督查"):
        (root / name).mkdir(parents=True)
    assert automap(planned, str(root)).linked == []


def test_a_folder_numbered_as_one_item_and_named_as_another_is_reported_not_linked(planned, tmp_path):
    """Folders numbered after an older edition of the table: "2.6 农药兽药残留治理" (2.6 is now 校园食品安全) was linked
    by its number, its files counted as evidence of an item they do not prove. Words that name nothing in particular
    ("2.5 会议纪要") never contradict a number, nor words shared with the item or the part above it."""
    root = tmp_path / "证明材料"
    for name in ("县农业农村局/2.6 农药兽药残留治理/快检台账", "县市场监管局/2.5 会议纪要", "县教育局/2.6 校园食堂",
                 "县食安办/三、防范风险隐患/（一）农残治理", "县卫健局/二、防范风险隐患/（一）农残治理"):
        (root / name).mkdir(parents=True)
    report = automap(planned, str(root))
    assert _linked(report, root) == [("2.1", "县卫健局/二、防范风险隐患/（一）农残治理"),
                                     ("2.5", "县市场监管局/2.5 会议纪要"), ("2.6", "县教育局/2.6 校园食堂")]
    found = sorted((c.folder.removeprefix(str(root) + "/"), c.code, c.other) for c in report.contradicted)
    assert found == [("县农业农村局/2.6 农药兽药残留治理", "2.6", "2.1"), ("县食安办/三、防范风险隐患", "3", "2")]
    assert report.contradicted[0].reason.startswith(
        "编号 2.6 是“校园食品安全示范提升行动”，名称却与 2.1“农药兽药残留治理")
    assert report.unmatched == []  # named as contradicted, not also as folders without a code


def test_suggestions_do_not_put_first_a_number_its_name_contradicts(planned, tmp_path):
    from search.suggest import suggest

    root = tmp_path / "证明材料" / "县农业农村局"  # a unit's folder: looked into
    for name, text in (("2.6 农药兽药残留治理", "农药兽药残留快检"), ("2.2 企业自查", "食品生产企业自查报告")):
        (root / name).mkdir(parents=True)
        (root / name / f"{text}.txt").write_text(text, encoding="utf-8")
    report = suggest(planned, [str(root)])
    by_path = {c.path: c.suggestions for c in report.candidates}
    first = by_path[str(root / "2.6 农药兽药残留治理")][0]
    assert (first.code, first.score < 1.0) == ("2.1", True)  # not 2.6 at 1.0, "名称中写明了编号或标题"
    assert by_path[str(root / "2.2 企业自查")][0].score == 1.0
