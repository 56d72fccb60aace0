"""Criterion states and roll-ups, and what confirming records."""

from __future__ import annotations

import pytest

from archive.confirm import confirm, withdraw
from archive.index.scan import scan
from archive.links import link
from archive.status import compute_status, totals
from common.errors import UserError


def _states(archive):
    return {s.code: s for s in compute_status(archive)}


@pytest.fixture
def linked(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    scan(archive)
    return archive


def test_states_and_rollups(linked):
    states = _states(linked)
    assert {c: s.state for c, s in states.items()} == {
        "1": "collected", "1.1": "collected", "1.2": "collected", "2": "missing", "2.1": "collected",
        "2.1.1": "collected", "2.2": "missing"}
    assert (states["1.1"].files, states["1.2"].files, states["1"].files) == (2, 1, 3)
    assert states["1"].bytes == states["1.1"].bytes + states["1.2"].bytes
    summary = totals(linked, list(states.values()))
    # the items evidence is filed against (1.1, 1.2, 2.1.1, 2.2) are counted, not the categories over them
    assert summary == {"criteria": 7, "items": 4, "missing": 1, "collected": 3, "confirmed": 0, "changed": 0,
                       "unreachable": 0, "files": 4, "bytes": summary["bytes"]}
    assert summary["bytes"] == sum(s.bytes for c, s in states.items() if c in ("1", "2.1"))


def test_a_file_linked_twice_counts_once(linked, evidence):
    link(linked, "1", [str(evidence / "1.1 领导小组")])
    scan(linked)
    assert _states(linked)["1"].files == 3


def test_confirm_records_who_when_and_note(linked):
    confirm(linked, "1.2", by="张三", note="已核对原件")
    state = _states(linked)["1.2"]
    assert state.state == "confirmed"
    assert (state.confirmation.by, state.confirmation.note, state.confirmation.files) == ("张三", "已核对原件", 1)
    assert len(state.confirmation.time) == 19


@pytest.mark.parametrize("change", ["modify", "add", "remove", "rename"])
def test_any_change_after_confirmation_is_changed(linked, evidence, change):
    confirm(linked, "1.1", by="李四")
    folder = evidence / "1.1 领导小组"
    target = folder / "会议纪要" / "2024年第一次会议纪要.txt"
    if change == "modify":
        target.write_text("纪要已修改", encoding="utf-8")
    elif change == "add":
        (folder / "补充材料.txt").write_text("补充", encoding="utf-8")
    elif change == "remove":
        target.unlink()
    else:
        target.rename(folder / "会议纪要" / "第一次会议纪要.txt")
    scan(linked)
    states = _states(linked)
    assert states["1.1"].state == "changed"
    assert states["1"].state == "changed"  # the parent shows the most urgent state below it
    assert states["1.2"].state == "collected"


def test_touch_without_content_change_stays_confirmed(linked, evidence):
    confirm(linked, "1.2")
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    plan.write_bytes(plan.read_bytes())
    scan(linked)
    assert _states(linked)["1.2"].state == "confirmed"


def test_withdraw_and_reconfirm(linked, evidence):
    confirm(linked, "1.2")
    (evidence / "1.2 工作方案" / "附件.txt").write_text("附件", encoding="utf-8")
    scan(linked)
    assert _states(linked)["1.2"].state == "changed"
    confirm(linked, "1.2", by="王五", note="复核")
    assert _states(linked)["1.2"].state == "confirmed"
    withdraw(linked, "1.2")
    assert _states(linked)["1.2"].state == "collected"
    with pytest.raises(UserError, match="尚未确认"):
        withdraw(linked, "1.2")


def test_confirming_an_unreachable_item_is_refused(linked, evidence, tmp_path):
    (evidence / "1.2 工作方案").rename(tmp_path / "moved-away")
    scan(linked)
    with pytest.raises(UserError, match="无法访问"):
        confirm(linked, "1.2")
