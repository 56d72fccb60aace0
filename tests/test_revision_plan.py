"""Issue 15, item 9: the revision plan matches old items to new ones by text, not code (criteria.revision, pure).

Scenario tests for each way a table is revised, then a property over generated revisions: whatever rows are deleted,
inserted, swapped or reworded, every surviving item is found under its new code and nothing else is.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from revision_support import as_criteria, base_catalogue, revised, revisions, titles

from criteria.model import Criterion
from criteria.revision import catalogue_fingerprint, plan_revision
from criteria.revision_text import plan_json, plan_lines


def outcomes(plan) -> dict[tuple, str]:
    return {(e.old_code, e.new_code): e.kind for e in plan.entries}


def test_a_deleted_row_renumbers_the_rows_below_and_they_keep_their_links():
    old = base_catalogue()
    new = revised(lambda g: g["组织领导"].pop(1))  # 乡镇…协管员 gone: 应急演练 1.3 → 1.2, 宣传周 1.4 → 1.3
    links = {"1.2": ["/证明材料/协管员"], "1.3": ["/证明材料/应急演练"]}
    plan = plan_revision(old.criteria, new.criteria, links)
    kinds = outcomes(plan)
    assert kinds[("1.2", None)] == "removed"
    assert kinds[("1.3", "1.2")] == "renumbered" and kinds[("1.4", "1.3")] == "renumbered"
    assert kinds[("1.1", "1.1")] == "same" and kinds[("2.3", "2.3")] == "same"
    assert plan.code_map()["1.3"] == "1.2" and plan.code_map()["1.2"] is None
    moving = [e for e in plan.entries if e.moves_links]
    assert [(e.old_code, e.new_code, e.links) for e in moving] == [("1.3", "1.2", ["/证明材料/应急演练"])]
    lines = plan_lines(plan)
    assert lines[0] == "目录修订（含上级项目）：原 9 项 → 新 8 项（未变 6，改编号 2，删除 1）；随项目移动的关联 1 个"
    assert "删除：1.2 乡镇食品安全协管员配备到位（保留其 1 个关联，不转给其他项目）" in lines
    assert "改编号：1.3 开展食品安全应急演练 → 1.2；1 个关联随之移动" in lines
    assert "    ← /证明材料/应急演练" in lines


def test_an_inserted_row_is_new_and_never_takes_the_evidence_of_the_code_it_now_has():
    new = revised(lambda g: g["组织领导"].insert(1, ("建立食品安全工作经费保障机制", "查阅预算文件，未保障的扣2分")))
    plan = plan_revision(base_catalogue().criteria, new.criteria, {"1.2": ["/协管员"]})
    kinds = outcomes(plan)
    assert kinds[(None, "1.2")] == "new"
    assert kinds[("1.2", "1.3")] == "renumbered" and kinds[("1.4", "1.5")] == "renumbered"
    added = plan.of_kind("new")[0]
    assert added.reused_from == "乡镇食品安全协管员配备到位" and added.links == []
    assert "新增：1.2 建立食品安全工作经费保障机制（编号 1.2 原指“乡镇食品安全协管员配备到位”，其材料不转给它）" \
        in plan_lines(plan)


def test_rows_swapped_are_matched_by_their_text():
    def swap(groups):
        items = groups["防范风险隐患"]
        items[0], items[1] = items[1], items[0]
    plan = plan_revision(base_catalogue().criteria, revised(swap).criteria)
    assert outcomes(plan)[("2.1", "2.2")] == "renumbered" and outcomes(plan)[("2.2", "2.1")] == "renumbered"


def test_a_reworded_item_keeps_its_code_and_is_marked_reworded():
    def reword(groups):
        groups["组织领导"][0] = ("成立创建国家食品安全示范城市工作领导小组", "查阅文件，未成立领导小组的扣3分")
    plan = plan_revision(base_catalogue().criteria, revised(reword).criteria, {"1.1": ["/领导小组"]})
    entry = next(e for e in plan.entries if e.old_code == "1.1")
    assert (entry.kind, entry.new_code, entry.moves_links) == ("reworded", "1.1", False)
    assert 0.5 < entry.similarity < 1
    line = plan_lines(plan)[1]
    assert line.startswith("文字修订：1.1 成立创建工作领导小组 → 1.1 成立创建国家食品安全示范城市工作领导小组（相似度 ")


def test_reworded_and_renumbered_at_once_still_finds_the_item():
    def edit(groups):
        del groups["组织领导"][0]
        groups["组织领导"][1] = ("扎实开展食品安全应急演练工作", "查阅演练方案、视频和照片，未开展的扣2分")
    plan = plan_revision(base_catalogue().criteria, revised(edit).criteria)
    assert outcomes(plan)[("1.3", "1.2")] == "reworded"


def test_two_items_merged_send_both_links_to_the_merged_item():
    def merge(groups):
        groups["防范风险隐患"][0:2] = [("农药兽药残留快速检测", "查阅检测台账，未开展的扣4分")]
    links = {"2.1": ["/农药"], "2.2": ["/兽药"]}
    plan = plan_revision(base_catalogue().criteria, revised(merge).criteria, links)
    kinds = outcomes(plan)
    assert kinds[("2.1", "2.1")] == "reworded" and kinds[("2.2", "2.1")] == "merged"
    assert kinds[("2.3", "2.2")] == "renumbered"
    assert plan.code_map()["2.2"] == "2.1"
    assert "合并：2.2 兽药残留快速检测 → 并入 2.1 农药兽药残留快速检测；1 个关联随之移动" in plan_lines(plan)


def test_a_code_reused_for_other_text_gets_nothing_of_the_old_item():
    def replace(groups):
        groups["防范风险隐患"][2] = ("网络订餐平台入网审核", "抽查平台，未审核的扣1分")
    plan = plan_revision(base_catalogue().criteria, revised(replace).criteria, {"2.3": ["/明厨亮灶"]})
    kinds = outcomes(plan)
    assert kinds[("2.3", None)] == "removed" and kinds[(None, "2.3")] == "new"
    assert plan.code_map()["2.3"] is None


def test_same_titles_in_two_groups_follow_their_own_group():
    rows = [Criterion("1", "校园食品安全", None, 1), Criterion("1.1", "建立管理制度", "1", 2),
            Criterion("2", "农产品质量安全", None, 1), Criterion("2.1", "建立管理制度", "2", 2)]
    new = [Criterion("1", "农产品质量安全", None, 1), Criterion("1.1", "建立管理制度", "1", 2)]
    kinds = outcomes(plan_revision(rows, new))
    assert kinds[("2.1", "1.1")] == "renumbered" and kinds[("1.1", None)] == "removed"


def test_an_item_removed_earlier_comes_back_with_its_links():
    base = base_catalogue()
    gone = next(c for c in base.criteria if c.code == "2.3")
    retired = [Criterion("2.3（已删除）", gone.title, "2", 2, rule=gone.rule)]
    current = [c for c in base.criteria if c.code != "2.3"]
    plan = plan_revision(current, base.criteria, {"2.3（已删除）": ["/明厨亮灶"]}, retired)
    entry = plan.of_kind("restored")[0]
    assert (entry.old_code, entry.new_code, entry.links) == ("2.3（已删除）", "2.3", ["/明厨亮灶"])
    assert "恢复：2.3 校园食堂明厨亮灶（此前删除的项目；恢复其 1 个关联）" in plan_lines(plan)


def test_an_unchanged_table_changes_nothing_and_other_fields_are_named():
    new = base_catalogue()
    new.criteria[1].points = 8
    plan = plan_revision(base_catalogue().criteria, new.criteria)
    assert plan.counts()["same"] == 9 and plan.old_fingerprint == plan.new_fingerprint
    assert "未变：1.1 成立创建工作领导小组；其他变化：分值" in plan_lines(plan)
    same = plan_revision(base_catalogue().criteria, base_catalogue().criteria)
    assert not same.changes_anything and plan_lines(same)[-1] == "新表与当前目录相同，无需修订"
    data = plan_json(plan)
    assert data["summary"]["same"] == 9 and data["entries"][1]["changes"] == ["分值"]


def test_the_fingerprint_follows_codes_and_texts_only():
    base = base_catalogue()
    fingerprint = catalogue_fingerprint(base.criteria)
    base.criteria[1].points = 9
    assert catalogue_fingerprint(base.criteria) == fingerprint
    base.criteria[1].title += "（修订）"
    assert catalogue_fingerprint(base.criteria) != fingerprint


# --- generated revisions -------------------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(revisions())
def test_every_surviving_item_is_found_under_its_new_code(case):
    before, after, reworded = case
    old_codes = {n: f"1.{i}" for i, (n, _) in enumerate(before, start=1)}
    new_codes = {n: f"1.{i}" for i, (n, _) in enumerate(after, start=1)}
    plan = plan_revision(as_criteria(before), as_criteria(after), {code: [f"/{code}"] for code in old_codes.values()})
    expected = {old_codes[n]: new_codes.get(n) for n in old_codes}
    assert {k: v for k, v in plan.code_map().items() if k != "1"} == expected
    for entry in plan.entries:
        number = next((n for n, code in old_codes.items() if code == entry.old_code), None)
        if entry.kind == "new":
            assert entry.new_code not in {new_codes[n] for n in old_codes if n in new_codes}
        elif number in reworded and number in new_codes:
            assert entry.kind == "reworded"
        elif number is not None and number in new_codes:
            assert entry.kind == ("same" if entry.old_code == entry.new_code else "renumbered")
    assert {e.new_code for e in plan.of_kind("new")} == {new_codes[n] for n in new_codes if n not in old_codes}


def test_titles_helper_reads_codes():
    assert titles(base_catalogue())["开展食品安全应急演练"] == "1.3"


def test_a_title_that_dropped_the_points_it_stated_is_the_same_item():
    """Tables imported before titles stopped repeating their 分值 column hold "抽检（15分）"; the same table imported
    again says "抽检": the same item, its links and confirmation kept, not a reworded one (60% alike) whose
    confirmation turns "确认后有变更", nor, for a short title, a removed one and a new one."""
    old = [Criterion("1", "风险防控", label="一、"),
           Criterion("1.1", "抽检（15分）", parent="1", level=2, label="1.", points=15),
           Criterion("1.2", "风险监测（15 分）", parent="1", level=2, label="2.", points=15)]
    new = [Criterion("1", "风险防控", label="一、"),
           Criterion("1.1", "抽检", parent="1", level=2, label="1.", points=15),
           Criterion("1.2", "风险监测", parent="1", level=2, label="2.", points=15)]
    plan = plan_revision(old, new, {"1.1": ["/证明材料/抽检"]})
    assert outcomes(plan) == {("1", "1"): "same", ("1.1", "1.1"): "same", ("1.2", "1.2"): "same"}
    assert "未变：1.1 抽检（15分）；其他变化：题名中的分值" in plan_lines(plan)
    assert plan.changes_anything  # the new titles are stored
