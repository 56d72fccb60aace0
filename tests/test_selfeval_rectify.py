"""Rectification items: the overdue rule against a fixed clock, states and verification, evidence linked like any
other (scanned, indexed, evented) and never written to."""

from __future__ import annotations

import re
from datetime import date

import pytest

from archive.assignments import assign
from archive.deadlines import criterion_overdue, days_late, is_past, rectification_overdue
from archive.index.scan import scan
from archive.status import compute_status
from common.errors import UserError
from conftest import tree_snapshot
from selfeval import rectify

TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(("state", "due", "overdue"), [
    ("open", "2025-06-14", True),  # yesterday was the last day
    ("open", "2025-06-15", False),  # due today: still in time
    ("open", "2025-07-01", False),
    ("open", "", False),  # no deadline, never overdue
    ("fixed", "2025-01-01", False),  # reported fixed: waiting for verification is not the unit's delay
    ("verified", "2025-01-01", False),
])
def test_overdue_rectifications_against_a_fixed_clock(state, due, overdue):
    assert rectification_overdue(state, due, TODAY) is overdue


def test_overdue_criteria_are_the_ones_still_without_evidence():
    assert criterion_overdue("missing", "2025-06-01", TODAY)
    assert not criterion_overdue("collected", "2025-06-01", TODAY)
    assert not criterion_overdue("missing", "2025-06-15", TODAY)
    assert is_past("2024-12-31", TODAY) and days_late("2025-06-01", TODAY) == 14


def test_a_problem_takes_the_lead_unit_and_deadline_of_its_criterion(archive):
    with pytest.raises(UserError, match=re.escape("请指定整改时限")):
        rectify.add(archive, "2.2", "食堂未公示")
    assign(archive, "2", due="2025-06-30")
    item = rectify.add(archive, "2.2", "  食堂未公示\t进货台账 ")
    assert (item.unit, item.due, item.state, item.text) == ("县教育局", "2025-06-30", "open", "食堂未公示 进货台账")
    other = rectify.add(archive, "1.1", "成员未调整", unit="县委办", due="2025-7-1")
    assert (other.unit, other.due) == ("县委办", "2025-07-01")
    assert [r.id for r in rectify.list_all(archive, unit="县委办")] == [other.id]
    assert [r.id for r in rectify.list_all(archive, code="2")] == [item.id]  # sub-criteria included


def test_states_verification_and_reopening(archive):
    item = rectify.add(archive, "1.2", "方案未印发", unit="县食安办", due="2025-01-01")
    assert item.overdue(TODAY)
    fixed = rectify.set_state(archive, item.id, "已整改")
    assert fixed.state == "fixed" and fixed.fixed_at and not fixed.overdue(TODAY)
    verified = rectify.set_state(archive, f"R{item.id}", "verified", by="李四", note="已核实印发文件")
    assert (verified.state, verified.verified_by, verified.note) == ("verified", "李四", "已核实印发文件")
    assert verified.verified_at and verified.fixed_at == fixed.fixed_at
    reopened = rectify.set_state(archive, item.id, "未整改")
    assert (reopened.fixed_at, reopened.verified_by, reopened.verified_at) == (None, None, None)
    assert reopened.to_json(TODAY) == {"id": item.id, "code": "1.2", "text": "方案未印发", "unit": "县食安办",
                                       "due": "2025-01-01", "state": "open", "overdue": True,
                                       "verified_by": None, "verified_at": None}
    with pytest.raises(UserError, match="整改状态不正确"):
        rectify.set_state(archive, item.id, "差不多")
    with pytest.raises(UserError, match="没有编号为 99 的整改问题"):
        rectify.set_state(archive, 99, "fixed")


def test_editing_a_problem_validates_what_changes(archive):
    item = rectify.add(archive, "1.2", "方案未印发", unit="县食安办", due="2025-01-01")
    changed = rectify.update(archive, item.id, code="2.2", due="2025-08-01", note="延期")
    assert (changed.code, changed.due, changed.note, changed.text) == ("2.2", "2025-08-01", "延期", "方案未印发")
    with pytest.raises(UserError, match="整改时限格式不正确"):
        rectify.update(archive, item.id, due="八月底")
    with pytest.raises(UserError, match="请填写问题内容"):
        rectify.update(archive, item.id, text="  ")


def test_rectification_evidence_is_scanned_like_any_other_and_left_untouched(archive, evidence):
    before = tree_snapshot(evidence)
    item = rectify.add(archive, "1.2", "方案未印发", unit="县食安办", due="2025-01-01")
    folder = evidence / "1.2 工作方案"
    added = rectify.link_evidence(archive, item.id, [str(folder)])
    assert added == [str(folder)]
    scan(archive)  # the ordinary full scan covers the rectification's link
    assert rectify.evidence_counts(archive) == {item.id: 1}
    assert rectify.evidence_links(archive, item.id) == [(str(folder), True, True)]
    assert all(s.files == 0 for s in compute_status(archive))  # no criterion gained files: R1 is no criterion
    (folder / "整改报告.txt").write_text("已印发", encoding="utf-8")
    assert scan(archive).added == 1
    codes = archive.conn.execute("SELECT codes FROM events ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert f"R{item.id}" in codes
    assert rectify.evidence_counts(archive) == {item.id: 2}
    (folder / "整改报告.txt").unlink()
    assert tree_snapshot(evidence) == before  # our side never wrote there
    with pytest.raises(UserError, match="路径不存在"):
        rectify.link_evidence(archive, item.id, [str(evidence / "没有")])


def test_deleting_a_problem_forgets_its_links_and_files_but_not_the_files(archive, evidence):
    item = rectify.add(archive, "1.2", "方案未印发", unit="县食安办", due="2025-01-01")
    rectify.link_evidence(archive, item.id, [str(evidence / "1.2 工作方案")])
    scan(archive)
    rectify.delete(archive, item.id)
    assert archive.conn.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 0
    assert archive.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
    assert (evidence / "1.2 工作方案" / "创建工作方案.txt").exists()
    assert rectify.list_all(archive) == []
