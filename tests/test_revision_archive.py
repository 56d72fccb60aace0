"""Issue 15, item 9: revising the catalogue of a real archive moves nothing onto the wrong item.

An office archive on disk with an evidence folder linked to every item, scanned, some items confirmed, scored,
assigned and with rectification problems; then the revised table is applied. Every assertion is by the item's text,
so that a wrong code mapping cannot hide.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from package_support import db_state
from revision_support import as_criteria, base_catalogue, revised
from revision_support import revisions as generated_revisions

from archive import revision as revision_module
from archive.assignments import assign
from archive.catalogue import load_catalogue, store_catalogue
from archive.changelog import log_entries
from archive.confirm import confirm
from archive.db import create_archive
from archive.index.scan import scan
from archive.links import link
from archive.revision import apply_revision, plan_for_archive, revise_catalogue
from archive.revision_log import current_fingerprint, revisions
from archive.status import compute_status
from common.errors import UserError
from criteria.model import Catalogue, Criterion
from selfeval import rectify
from selfeval.scores import set_score

UNIT = "县市场监管局"


@pytest.fixture
def office(tmp_path):
    """Every leaf linked to its own folder "<code> <title>" holding one file; scanned."""
    arc = create_archive(tmp_path / "办公室.rrdb", "某某县")
    store_catalogue(arc, base_catalogue())
    root = tmp_path / "证明材料"
    for crit in base_catalogue().criteria:
        if crit.parent:
            folder = root / f"{crit.code} {crit.title}"
            folder.mkdir(parents=True)
            (folder / "材料.txt").write_text(crit.title, encoding="utf-8")
            link(arc, crit.code, [str(folder)])
    scan(arc)
    yield arc
    arc.close()


def work_on(arc, code: str, score: float = 4) -> None:
    """What a clerk did on an item: confirmed it, scored it, named its lead unit, raised a problem."""
    confirm(arc, code, by="张三")
    set_score(arc, code, score, note=f"扣分说明 {code}")
    assign(arc, code, lead="县应急管理局")
    rectify.add(arc, code, f"问题 {code}", unit=UNIT, due="2026-12-31")


def item(arc, title: str) -> dict:
    """Everything the archive keeps for the live item with this title, found by its text."""
    crit = next(c for c in load_catalogue(arc).criteria if c.title == title)
    code = crit.code
    status = next(s for s in compute_status(arc) if s.code == code)
    conn = arc.conn
    return {
        "code": code,
        "folders": sorted(p.rsplit("/", 1)[-1] for (p,) in conn.execute("SELECT path FROM links WHERE code = ?",
                                                                           (code,))),
        "state": status.state, "files": status.files,
        "score": conn.execute("SELECT points FROM scores WHERE code = ?", (code,)).fetchone(),
        "lead": conn.execute("SELECT lead FROM assignments WHERE code = ?", (code,)).fetchone(),
        "problems": [t for (t,) in conn.execute("SELECT text FROM rectifications WHERE code = ?", (code,))],
    }


def test_a_deleted_row_leaves_every_item_below_with_its_own_evidence(office):
    work_on(office, "1.2", 3)  # 乡镇协管员: the row that goes
    work_on(office, "1.3")  # 应急演练: becomes 1.2
    result = revise_catalogue(office, revised(lambda g: g["组织领导"].pop(1)))
    drill = item(office, "开展食品安全应急演练")
    assert drill == {"code": "1.2", "folders": ["1.3 开展食品安全应急演练"], "state": "confirmed", "files": 1,
                     "score": (4.0,), "lead": ("县应急管理局",), "problems": ["问题 1.3"]}
    week = item(office, "组织食品安全宣传周活动")
    assert (week["code"], week["folders"], week["state"], week["score"]) == (
        "1.3", ["1.4 组织食品安全宣传周活动"], "collected", None)
    assert [s.code for s in compute_status(office)] == ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3"]
    gone = "1.2（已删除）"
    assert office.conn.execute("SELECT retired, title FROM criteria WHERE code = ?", (gone,)).fetchone() == (
        1, "乡镇食品安全协管员配备到位")
    assert office.conn.execute("SELECT points FROM scores WHERE code = ?", (gone,)).fetchone() == (3.0,)
    assert [e["path"].rsplit("/", 2)[-2] for e in log_entries(office, code="1.2")] == ["1.3 开展食品安全应急演练"]
    assert result.report().retired == [("1.2", "乡镇食品安全协管员配备到位", 1)]


def test_an_inserted_row_starts_empty_and_the_rows_below_keep_theirs(office):
    work_on(office, "1.2")
    revise_catalogue(office, revised(lambda g: g["组织领导"].insert(1, ("建立食品安全工作经费保障机制", "查阅预算"))))
    fresh = item(office, "建立食品安全工作经费保障机制")
    assert fresh == {"code": "1.2", "folders": [], "state": "missing", "files": 0, "score": None, "lead": None,
                     "problems": []}
    moved = item(office, "乡镇食品安全协管员配备到位")
    assert (moved["code"], moved["folders"], moved["state"], moved["score"], moved["problems"]) == (
        "1.3", ["1.2 乡镇食品安全协管员配备到位"], "confirmed", (4.0,), ["问题 1.2"])


def test_swapped_rows_swap_every_code_keyed_row(office):
    work_on(office, "2.1", 1)
    work_on(office, "2.2", 2)

    def swap(groups):
        items = groups["防范风险隐患"]
        items[0], items[1] = items[1], items[0]
    revise_catalogue(office, revised(swap))
    pesticide, veterinary = item(office, "农药残留快速检测"), item(office, "兽药残留快速检测")
    assert (pesticide["code"], pesticide["folders"], pesticide["score"], pesticide["problems"]) == (
        "2.2", ["2.1 农药残留快速检测"], (1.0,), ["问题 2.1"])
    assert (veterinary["code"], veterinary["folders"], veterinary["score"], veterinary["problems"]) == (
        "2.1", ["2.2 兽药残留快速检测"], (2.0,), ["问题 2.2"])
    assert pesticide["state"] == veterinary["state"] == "confirmed"


def test_a_reworded_item_keeps_its_evidence_and_its_confirmation_turns_to_changed(office):
    work_on(office, "1.1")
    new_title = "成立创建国家食品安全示范城市工作领导小组"
    revise_catalogue(office, revised(lambda g: g["组织领导"].__setitem__(0, (new_title, "查阅文件，未成立的扣3分"))))
    reworded = item(office, new_title)
    assert (reworded["code"], reworded["folders"], reworded["state"], reworded["score"]) == (
        "1.1", ["1.1 成立创建工作领导小组"], "changed", (4.0,))
    confirm(office, "1.1")  # looked at again: confirmed again
    assert item(office, new_title)["state"] == "confirmed"


def test_two_items_merged_bring_both_folders_to_the_merged_item(office):
    work_on(office, "2.2")

    def merge(groups):
        groups["防范风险隐患"][0:2] = [("农药兽药残留快速检测", "查阅检测台账，未开展的扣4分")]
    plan = plan_for_archive(office, revised(merge))
    merged = plan.of_kind("merged")[0]
    assert (merged.old_code, merged.new_code, merged.links[0].rsplit("/", 1)[-1]) == (
        "2.2", "2.1", "2.2 兽药残留快速检测")
    apply_revision(office, revised(merge), plan)
    both = item(office, "农药兽药残留快速检测")
    assert (both["code"], both["folders"], both["files"], both["problems"]) == (
        "2.1", ["2.1 农药残留快速检测", "2.2 兽药残留快速检测"], 2, ["问题 2.2"])
    assert item(office, "校园食堂明厨亮灶")["code"] == "2.2"
    assert office.conn.execute("SELECT points FROM scores WHERE code = '2.2（已删除）'").fetchone() == (4.0,)


def test_a_code_reused_for_other_text_never_receives_the_old_evidence(office):
    work_on(office, "2.3")
    revise_catalogue(office, revised(lambda g: g["防范风险隐患"].__setitem__(2, ("网络订餐平台入网审核", "抽查平台"))))
    fresh = item(office, "网络订餐平台入网审核")
    assert fresh == {"code": "2.3", "folders": [], "state": "missing", "files": 0, "score": None, "lead": None,
                     "problems": []}
    assert office.conn.execute("SELECT COUNT(*) FROM confirmations WHERE code = '2.3'").fetchone() == (0,)
    assert log_entries(office, code="2.3") == []


def test_an_item_removed_then_brought_back_gets_its_evidence_back(office):
    work_on(office, "2.3")
    revise_catalogue(office, revised(lambda g: g["防范风险隐患"].pop(2)))
    assert "校园食堂明厨亮灶" not in {c.title for c in load_catalogue(office).criteria}
    result = revise_catalogue(office, base_catalogue())
    assert [(e.kind, e.new_code) for e in result.plan.of_kind("restored")] == [("restored", "2.3")]
    back = item(office, "校园食堂明厨亮灶")
    assert (back["folders"], back["state"], back["score"], back["problems"]) == (
        ["2.3 校园食堂明厨亮灶"], "confirmed", (4.0,), ["问题 2.3"])


def test_store_catalogue_on_an_archive_with_a_catalogue_revises_by_text(office):
    """Every caller that stores a catalogue into an archive that has one gets the revision, never code-only."""
    work_on(office, "1.3")
    store_catalogue(office, revised(lambda g: g["组织领导"].pop(1)))
    assert item(office, "开展食品安全应急演练")["folders"] == ["1.3 开展食品安全应急演练"]


def test_a_stale_plan_is_refused_and_changes_nothing(office):
    first = revised(lambda g: g["组织领导"].pop(1))
    plan = plan_for_archive(office, first)
    revise_catalogue(office, revised(lambda g: g["组织领导"].pop(0)))
    before = db_state(office)
    with pytest.raises(UserError, match="生成修订计划之后已有变化"):
        apply_revision(office, first, plan)
    assert db_state(office) == before


def test_a_failure_while_applying_leaves_the_archive_as_it_was(office, monkeypatch):
    work_on(office, "1.3")
    before = db_state(office)

    def broken(conn, catalogue):
        raise OSError("磁盘已满")
    monkeypatch.setattr(revision_module, "write_rows", broken)  # after every code has been moved
    with pytest.raises(OSError):
        revise_catalogue(office, revised(lambda g: g["组织领导"].pop(1)))
    assert db_state(office) == before


def test_each_applied_revision_is_recorded_with_its_code_map(office):
    start = current_fingerprint(office)
    revise_catalogue(office, base_catalogue())  # nothing changed: nothing recorded
    assert revisions(office) == []
    revise_catalogue(office, revised(lambda g: g["组织领导"].pop(1)))
    [record] = revisions(office)
    assert record["old"] == start and record["new"] == current_fingerprint(office)
    assert record["codes"] == {"1.2": "1.2（已删除）", "1.3": "1.2", "1.4": "1.3"}


def test_an_item_retired_by_an_older_version_does_not_lend_its_code(office):
    """Before issue 15 a vanished item was retired under its own code; a new item with that code starts empty."""
    office.conn.execute("UPDATE criteria SET retired = 1 WHERE code = '2.3'")
    revise_catalogue(office, revised(lambda g: g["防范风险隐患"].__setitem__(2, ("网络订餐平台入网审核", "抽查平台"))))
    assert item(office, "网络订餐平台入网审核")["folders"] == []
    assert office.conn.execute("SELECT code FROM links WHERE path LIKE '%明厨亮灶'").fetchone() == ("2.3（已删除）",)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(generated_revisions())
def test_generated_revisions_keep_every_items_links_scores_and_units(tmp_path, case):
    """Deletions, insertions, swaps and rewordings in any order: after the revision every surviving item has
    exactly its own folder, score and lead unit under its new code, and every new item has none."""
    before, after, _ = case
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    with create_archive(folder / "档案.rrdb", "某县") as arc:
        store_catalogue(arc, Catalogue("目录", scored(as_criteria(before))))
        for code, (number, _) in enumerate(before, start=1):
            (folder / f"材料{number}").mkdir()
            link(arc, f"1.{code}", [str(folder / f"材料{number}")])
            set_score(arc, f"1.{code}", number % 5)
            assign(arc, f"1.{code}", lead=f"单位{number}")
        revise_catalogue(arc, Catalogue("目录", scored(as_criteria(after))))
        old = {number for number, _ in before}
        for code, (number, _) in enumerate(after, start=1):
            kept = {
                "links": [p.rsplit("/", 1)[-1] for (p,) in arc.conn.execute(
                    "SELECT path FROM links WHERE code = ?", (f"1.{code}",))],
                "score": arc.conn.execute("SELECT points FROM scores WHERE code = ?", (f"1.{code}",)).fetchone(),
                "lead": arc.conn.execute("SELECT lead FROM assignments WHERE code = ?", (f"1.{code}",)).fetchone()}
            expected = {"links": [f"材料{number}"], "score": (number % 5,), "lead": (f"单位{number}",)} \
                if number in old else {"links": [], "score": None, "lead": None}
            assert kept == expected, (code, number)


def scored(criteria: list[Criterion]) -> list[Criterion]:
    for crit in criteria[1:]:
        crit.points = 5
    return criteria
