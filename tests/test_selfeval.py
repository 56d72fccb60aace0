"""Self-evaluation core: score bounds, the pass rule on crafted archives, kinds and units, the v1 -> v2 migration."""

from __future__ import annotations

import re
import sqlite3

import pytest

from archive.assignments import assign, effective_assignments, known_units, reset_units
from archive.db import MIGRATIONS, SCHEMA_VERSION, create_archive, open_archive
from common.errors import UserError
from departments.units import deadlines
from selfeval.rules import FAIL, PASS, UNKNOWN, PassRules, load_rules, project, projection_for, save_rules
from selfeval.scores import clear_score, set_score
from selfeval.sheet import load_sheet
from tests.selfeval_support import PASSING, rules_archive_fixture, score_all  # noqa: F401 - fixture


def refused(message: str, exact: bool = False):
    """A UserError whose message contains (or with `exact`, is) this text."""
    return pytest.raises(UserError, match=("^" if exact else "") + re.escape(message) + ("$" if exact else ""))


# -- score bounds ---------------------------------------------------------------------------------------------
def test_a_score_above_the_points_is_refused_with_the_bounds_named(archive):
    with refused("分值超出范围：1.2 的满分为 5 分，不能记 6 分", exact=True):
        set_score(archive, "1.2", "6")
    with refused("不能记 5.5 分"):
        set_score(archive, "1.2", 5.5)
    assert archive.conn.execute("SELECT COUNT(*) FROM scores").fetchone()[0] == 0


def test_a_negative_score_is_refused(archive):
    with refused("分值超出范围：1.2 的满分为 5 分，不能记 -1 分", exact=True):
        set_score(archive, "1.2", "-1")
    with refused("不能记 -0.5 分"):
        set_score(archive, "1.2", -0.5)


def test_the_bounds_themselves_are_accepted_and_the_note_kept(archive):
    assert set_score(archive, "1.2", "0", note="未制定方案").score.points == 0
    item = set_score(archive, "1.2", "５分")  # full-width digits and 分, as typed in Chinese input
    assert item.score.points == 5 and item.score.note == "未制定方案"  # no --note: the deduction note stays
    assert set_score(archive, "1.2", "4.5", note="").score.note == ""


def test_only_scoring_items_take_a_score(archive):
    with refused("1 是汇总项目"):
        set_score(archive, "1", "3")
    with refused("2.1 是汇总项目"):  # 2.1 has points, but so does 2.1.1 below it
        set_score(archive, "2.1", "3")
    with refused("得分不是数字"):
        set_score(archive, "1.2", "很好")
    with refused("评价目录中没有编号 9.9"):
        set_score(archive, "9.9", "1")


def test_parents_sum_the_scores_below_them(archive):
    set_score(archive, "1.1", "4")
    set_score(archive, "1.2", "3.5")
    sheet = load_sheet(archive)
    assert sheet.by_code["1"].total == 7.5
    assert sheet.by_code["1"].maximum == 10  # no points of its own: the sum of its items
    assert sheet.by_code["1"].scored == 2 and sheet.by_code["2"].scored == 0
    clear_score(archive, "1.2")
    assert load_sheet(archive).by_code["1"].total == 4


# -- veto items ---------------------------------------------------------------------------------------------
def test_a_veto_item_without_points_is_judged_pass_or_fail(rules_archive):
    with refused("否决项，没有分值"):
        set_score(rules_archive, "1.1", "5")
    assert not set_score(rules_archive, "1.1", "通过").veto_failed
    assert set_score(rules_archive, "1.1", "否决").veto_failed
    with refused("2.1 不是否决项"):
        set_score(rules_archive, "2.1", "否决")


def test_a_veto_item_with_points_fails_below_its_points(rules_archive):
    assign(rules_archive, "3.2", kind="否决项")
    assert set_score(rules_archive, "3.2", 19.5).veto_failed
    assert not set_score(rules_archive, "3.2", 20).veto_failed


# -- the pass rule --------------------------------------------------------------------------------------------
def test_kinds_named_on_headings_pass_to_their_items(rules_archive):
    kinds = {code: a.kind for code, a in effective_assignments(rules_archive).items()}
    assert [kinds[c] for c in ("1.1", "2.2", "3.1", "4.1")] == ["否决项", "关键项", "基本项", "鼓励项"]
    sheet = load_sheet(rules_archive)
    assert {i.code for i in sheet.scoring_items()} == {"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1"}


def test_exactly_ninety_of_a_hundred_with_every_rule_met_passes(rules_archive):
    score_all(rules_archive, PASSING)
    projection = projection_for(rules_archive)
    assert (projection.result, projection.total, projection.base, projection.bonus) == (PASS, 90, 100, 10)
    assert projection.threshold == 90 and projection.blocking == []


def test_a_triggered_veto_fails_whatever_the_total(rules_archive):
    score_all(rules_archive, {**PASSING, "4.1": 10, "1.2": "否决"})
    projection = projection_for(rules_archive)
    assert projection.result == FAIL and projection.total == 100
    assert [(b.rule, b.code) for b in projection.blocking] == [("veto", "1.2")]


def test_a_key_item_below_sixty_percent_fails_even_with_a_high_total(rules_archive):
    score_all(rules_archive, {**PASSING, "2.2": 17.5, "3.1": 20, "3.2": 20, "4.1": 10})  # 97.5, but 17.5 < 18
    projection = projection_for(rules_archive)
    assert projection.result == FAIL
    assert [(b.rule, b.code) for b in projection.blocking] == [("key", "2.2")]
    assert "低于其分值 30 分的 60%（18 分）" in projection.blocking[0].detail
    score_all(rules_archive, {"2.2": 18})  # exactly 60 % is enough
    assert projection_for(rules_archive).result == PASS


def test_bonus_points_count_in_the_total_but_not_in_the_hundred(rules_archive):
    score_all(rules_archive, {**PASSING, "3.2": 12})  # base items give 85
    projection = projection_for(rules_archive)
    assert projection.result == FAIL and projection.base == 100
    total = [b for b in projection.blocking if b.rule == "total"]
    assert total and "85 分，低于 90 分（差 5 分）" in total[0].detail
    assert projection.blocking_title() == "影响通过的项目（1 项）"
    score_all(rules_archive, {"4.1": 5})  # 85 + 5 bonus
    assert projection_for(rules_archive).result == PASS


def test_unscored_items_count_as_zero_and_hold_the_result_back(rules_archive):
    score_all(rules_archive, {"1.1": "通过", "2.1": 30})
    projection = projection_for(rules_archive)
    assert projection.result == FAIL and (projection.scored, projection.scoring) == (2, 7)
    assert [(b.rule, b.code) for b in projection.blocking] == [("key", "2.2"), ("total", None)]
    assert "未评分" in projection.blocking[0].detail and "5 项未评分" in projection.blocking[1].detail


def test_while_full_marks_on_unscored_items_could_pass_it_is_unfinished_not_failed(rules_archive):
    score_all(rules_archive, {"1.1": "通过", "2.1": 30})
    projection = projection_for(rules_archive)
    assert projection.result == FAIL and projection.unfinished and projection.verdict == "尚未评完"
    assert projection.reachable == 110 and all(b.pending for b in projection.blocking)
    assert projection.headline() == ("预计结果：尚未评完。自评总分 30 分（满分 100 分，另有加分 10 分），"
                                     "已评分 2/7 项，5 项未评分（都得满分则总分 110 分）")
    assert projection.to_json()["unfinished"] is True and projection.to_json()["reachable"] == 110
    assert projection.blocking_title() == "尚未评分、暂时影响通过的项目（2 项）"


def test_points_already_lost_beyond_the_threshold_fail_before_scoring_ends(rules_archive):
    score_all(rules_archive, {"2.1": 18, "2.2": 18})  # 24 lost: full marks on the rest give 76 + 10 bonus = 86
    projection = projection_for(rules_archive)
    assert projection.verdict == FAIL and not projection.unfinished and projection.reachable == 86
    total = next(b for b in projection.blocking if b.rule == "total")
    assert not total.pending and "已扣分过多，其余项目全部满分也只有 86 分" in total.detail
    assert projection.headline().startswith("预计结果：不通过。") and "5 项未评分（按 0 分计）" in projection.headline()


@pytest.mark.parametrize(("scores", "blocking"), [
    ({"1.2": "否决", "2.1": 30}, [("veto", False), ("key", True), ("total", True)]),
    ({"2.1": 30, "2.2": 10}, [("key", False), ("total", True)]),
], ids=["veto", "key item too low"])
def test_a_veto_or_a_low_key_item_fails_whatever_the_unscored_items_get(rules_archive, scores, blocking):
    score_all(rules_archive, scores)
    projection = projection_for(rules_archive)
    assert projection.verdict == FAIL and not projection.unfinished
    assert [(b.rule, b.pending) for b in projection.blocking] == blocking


def test_rules_are_configurable_per_archive_and_kept(rules_archive, tmp_path):
    score_all(rules_archive, {**PASSING, "3.2": 12})  # 85 points
    save_rules(rules_archive, PassRules(total_points=85))
    assert projection_for(rules_archive).result == PASS
    save_rules(rules_archive, PassRules(key_ratio=0.9, total_ratio=0.8))  # 2.2 has 25 of 30 < 27
    projection = projection_for(rules_archive)
    assert projection.threshold == 80 and [b.code for b in projection.blocking] == ["2.2"]
    rules_archive.close()
    with open_archive(tmp_path / "规则档案.rrdb") as again:
        assert load_rules(again) == PassRules(key_ratio=0.9, total_ratio=0.8)
    with refused("0 到 100%"):
        PassRules(key_ratio=1.5).check()


def test_a_catalogue_without_points_cannot_be_projected(tmp_path):
    from archive.catalogue import store_catalogue
    from criteria.model import Catalogue, Criterion

    arc = create_archive(tmp_path / "无分值.rrdb", "县")
    store_catalogue(arc, Catalogue("无分值", [Criterion("1", "组织领导"), Criterion("1.1", "领导小组", "1", 2)]))
    assert project(load_sheet(arc), PassRules()).result == UNKNOWN
    arc.close()


# -- units, deadlines, kinds ------------------------------------------------------------------------------------
def test_assignments_default_to_the_table_and_override_it(archive):
    units = effective_assignments(archive)
    assert (units["2.1.1"].lead, units["2.1.1"].assist) == ("县农业农村局", ["县市场监管局"])
    assert units["1"].lead == ""  # the table names no unit on the heading
    item = assign(archive, "2.1.1", lead="县市场监管局", assist=["县教育局", "县市场监管局"])
    assert (item.lead, item.assist, item.own_units) == ("县市场监管局", ["县教育局"], True)
    item = assign(archive, "2.1.1", lead="县卫健局")  # assisting units kept, the new lead not among them
    assert (item.lead, item.assist) == ("县卫健局", ["县教育局"])
    assert "县卫健局" in known_units(archive)
    assert reset_units(archive, "2.1.1").lead == "县农业农村局"


def test_deadlines_are_inherited_and_reach_the_department_packages(archive):
    assign(archive, "2", due="2025/6/30")
    assign(archive, "2.1.1", due="2025年5月1日")
    found = deadlines(archive)  # what departments/ reads
    assert found == {"2": "2025-06-30", "2.1": "2025-06-30", "2.1.1": "2025-05-01", "2.2": "2025-06-30"}
    assert effective_assignments(archive)["2.2"].due == "2025-06-30"
    assign(archive, "2", due="无")
    assert deadlines(archive) == {"2.1.1": "2025-05-01"}
    with refused("时限格式不正确：2025-02-30"):
        assign(archive, "2", due="2025-02-30")


def test_the_kind_can_be_overridden_and_reset(rules_archive):
    assert assign(rules_archive, "3.1", kind="关键项").kind == "关键项"
    assert assign(rules_archive, "3.1", kind="自动").kind == "基本项"
    assert assign(rules_archive, "3.1", kind="加分项").kind == "鼓励项"
    with refused("项目类别不正确"):
        assign(rules_archive, "3.1", kind="必查项")


def test_a_unit_sees_the_items_it_leads_or_assists(archive):
    sheet = load_sheet(archive)
    assert [i.code for i in sheet.for_unit("县市场监管局")] == ["2.1.1"]
    assert [i.code for i in sheet.for_unit("县农业农村局")] == ["2.1", "2.1.1"]
    assert len(sheet.for_unit("")) == 7


# -- the schema migration ---------------------------------------------------------------------------------------
def _make_v1_archive(path) -> None:
    """An archive as version 1 of the app wrote it, with a criterion and a link."""
    import sqlite_utils

    conn = sqlite3.connect(str(path), isolation_level=None)
    db = sqlite_utils.Database(conn)
    MIGRATIONS[0](db)
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                     [("app", "ReviewReady"), ("title", "旧档案"), ("schema_version", "1")])
    conn.execute("INSERT INTO criteria (code, position, title, level, points, units) "
                 "VALUES ('1', 0, '组织领导', 1, 5, '[\"县食安办\"]')")
    conn.execute("INSERT INTO links (code, path, is_dir, created) VALUES ('1', '/x', 1, '2024-01-01 00:00:00')")
    conn.close()


def test_a_version_1_archive_opens_and_is_migrated(tmp_path):
    path = tmp_path / "旧.rrdb"
    _make_v1_archive(path)
    with open_archive(path) as arc:
        assert arc.meta("schema_version") == str(SCHEMA_VERSION) == str(len(MIGRATIONS))
        assert arc.conn.execute("SELECT code FROM links").fetchall() == [("1",)]
        set_score(arc, "1", "4", note="迁移后可记分")
        assign(arc, "1", due="2025-01-31")
        assert deadlines(arc) == {"1": "2025-01-31"}
    with open_archive(path) as again:  # a second open does not migrate again
        assert load_sheet(again).by_code["1"].score.note == "迁移后可记分"
