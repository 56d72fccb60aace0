"""Link suggestions on a realistic messy tree whose right answers are known: accuracy targets, the folders chosen
(topic folders, not unit folders or their 通知文件 sub-folders), rejections remembered, acceptance links, the view
from criteria without evidence, and the command line."""

from __future__ import annotations

import json

import pytest

from archive.catalogue import store_catalogue
from archive.db import create_archive, open_archive
from archive.index.scan import scan
from archive.links import link
from conftest import tree_snapshot
from criteria.template import load_template
from search.suggest import accept, reject, remember_root, suggest
from tests.messy_tree import build_tree
from tests.test_cli import cli


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    base = tmp_path_factory.mktemp("messy")
    root = base / "证明材料"
    folders = build_tree(root, seed=7)
    return base, root, folders


@pytest.fixture
def made(messy, tmp_path):
    archive = create_archive(tmp_path / "建议.rrdb", "某某县")
    store_catalogue(archive, load_template())
    yield archive
    archive.close()


def _accuracy(report, folders) -> tuple[float, float]:
    by_path = {c.path: [s.code for s in c.suggestions] for c in report.candidates}
    top1 = sum(by_path.get(str(f.path), [None])[0] == f.code for f in folders) / len(folders)
    top3 = sum(f.code in by_path.get(str(f.path), []) for f in folders) / len(folders)
    return top1, top3


@pytest.mark.slow
def test_accuracy_targets_and_the_folders_chosen(messy, made):
    _, root, folders = messy
    before = tree_snapshot(root)
    report = suggest(made, [str(root)])
    top1, top3 = _accuracy(report, folders)
    assert top1 >= 0.6 and top3 >= 0.8, (top1, top3)
    # exactly the topic folders: never a unit folder, never a 通知文件/工作台账 inside a topic folder
    assert sorted(c.path for c in report.candidates) == sorted(str(f.path) for f in folders)
    assert all(0 <= s.score <= 1 and s.why for c in report.candidates for s in c.suggestions)
    assert tree_snapshot(root) == before


@pytest.mark.slow
def test_rejected_suggestions_are_remembered_and_accepted_ones_linked(messy, made):
    _, root, folders = messy
    school = next(f for f in folders if f.path.name == "学校食堂明厨亮灶")
    remember_root(made, str(root))
    first = {c.path: c for c in suggest(made).candidates}[str(school.path)]
    assert first.suggestions[0].code == "2.6"
    reject(made, str(school.path), "2.6")
    again = {c.path: c for c in suggest(made).candidates}[str(school.path)]
    assert "2.6" not in [s.code for s in again.suggestions]
    assert accept(made, [(str(school.path), "2.6")]) == [(str(school.path), "2.6")]
    after = suggest(made)
    assert str(school.path) not in {c.path for c in after.candidates}  # linked folders are not suggested
    assert "2.6" not in after.missing
    assert after.missing["1.2"][0][0].endswith("领导小组文件")


@pytest.mark.slow
def test_loose_files_in_a_unit_folder_are_suggested_one_by_one(messy, made, tmp_path):
    folders = messy[2]
    leader = next(f for f in folders if f.code == "1.2")
    link(made, "1.2", [str(leader.path)])
    loose = tmp_path / "杂项" / "县食安办"
    loose.mkdir(parents=True)
    (loose / "关于调整创建工作领导小组成员的通知.txt").write_text("领导小组成员调整，下设办公室。", encoding="utf-8")
    report = suggest(made, [str(tmp_path / "杂项")])
    (candidate,) = report.candidates
    assert candidate.path.endswith(".txt") and not candidate.is_dir
    assert candidate.suggestions[0].code == "1.2"


@pytest.mark.slow
def test_cli_suggest_json_shape_and_roots_remembered(messy, made):
    _, root, folders = messy
    path = made.path
    made.close()
    items = json.loads(cli("suggest", path, "--root", root, "--json").stdout)
    assert len(items) == len(folders)
    assert all(set(i) == {"path", "suggestions"} for i in items)
    assert all(set(s) == {"code", "score", "why"} for i in items for s in i["suggestions"])
    again = json.loads(cli("suggest", path, "--json").stdout)  # the root was remembered
    assert again == items
    with open_archive(path) as archive:
        assert archive.conn.execute("SELECT path FROM search_roots").fetchall() == [(str(root),)]
    assert "文件夹不存在" in cli("suggest", path, "--root", root / "没有", check_code=1).stderr


def test_a_folder_holding_a_linked_folder_is_looked_into_not_suggested_whole(made, tmp_path):
    """单位报送/ holds the linked 2.5 folder and an unlinked 检验检测 folder: linking 单位报送 whole to 3.4 would count
    2.5's files for 3.4 too; the suggestion is 检验检测 itself."""
    sent = tmp_path / "单位报送"
    special = sent / "2.5 特殊食品专柜"
    special.mkdir(parents=True)
    (special / "特殊食品专柜设置情况.txt").write_text("保健食品专区专柜设置情况", encoding="utf-8")
    testing = sent / "检验检测"
    (testing / "快检室").mkdir(parents=True)
    (testing / "食品检验检测能力提升方案.txt").write_text("食品检验检测水平提升行动，检验检测机构能力验证。",
                                                          encoding="utf-8")
    (testing / "快检室" / "快检室检测台账.txt").write_text("农贸市场快检室检测记录", encoding="utf-8")
    link(made, "2.5", [str(special)])
    report = suggest(made, [str(sent)])
    assert [c.path for c in report.candidates] == [str(testing)]
    assert report.candidates[0].suggestions[0].code == "3.4"


def test_a_copy_of_what_an_item_holds_is_not_suggested_for_it(made, tmp_path):
    """The office's old folder, unlinked after a unit's package brought the same files: linked again to its item it
    would only list them twice (tests/test_same_content)."""
    new, old = tmp_path / "单位报送" / "3.4 检验检测", tmp_path / "食安办" / "3.4 检验检测能力"
    for folder in (new, old):
        folder.mkdir(parents=True)
        (folder / "食品检验检测能力提升方案.txt").write_text("食品检验检测水平提升行动。", encoding="utf-8")
    link(made, "3.4", [str(new)])
    scan(made)
    assert "3.4" not in [s.code for c in suggest(made, [str(old.parent)]).candidates for s in c.suggestions]
    (old / "快检室台账.txt").write_text("农贸市场快检室检测记录", encoding="utf-8")  # now it holds more than a copy
    candidates = suggest(made, [str(old.parent)]).candidates
    assert candidates[0].path == str(old) and candidates[0].suggestions[0].code == "3.4"
