"""The stat snapshot a full scan keeps: used only while it matches the index, dropped by every change."""

from __future__ import annotations

from archive import statcache
from archive.links import link, unlink
from archive.scan import scan


def _has_snapshot(archive) -> bool:
    return archive.meta(statcache.KEY) is not None


def _linked(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    scan(archive)
    return archive


def test_full_scan_keeps_a_snapshot_that_matches_the_index(archive, evidence):
    _linked(archive, evidence)
    assert _has_snapshot(archive)
    snapshot, cached = statcache.load(archive)
    assert cached
    assert snapshot == statcache.from_rows(archive.conn.execute(statcache.ROWS_QUERY))
    assert len(snapshot) == 3 and all(value is not None for value in snapshot.values())


def test_targeted_change_drops_it_and_the_next_full_scan_is_still_right(archive, evidence):
    _linked(archive, evidence)
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    plan.write_text("改过的方案", encoding="utf-8")
    assert scan(archive, targets=[str(plan)]).modified == 1
    assert not _has_snapshot(archive)
    again = scan(archive)
    assert (again.added, again.modified, again.removed) == (0, 0, 0)
    assert _has_snapshot(archive)


def test_unlink_drops_it(archive, evidence):
    _linked(archive, evidence)
    unlink(archive, "1.2", str(evidence / "1.2 工作方案"))
    assert not _has_snapshot(archive)


def test_a_snapshot_that_does_not_match_the_table_is_ignored(archive, evidence):
    _linked(archive, evidence)
    with archive.atomic():  # another writer removes a row without touching the snapshot
        archive.conn.execute("DELETE FROM files WHERE path LIKE '%创建工作方案.txt'")
    result = scan(archive)
    assert result.added == 1  # the row is missing from the index, so the file is new again


def test_a_damaged_snapshot_is_ignored(archive, evidence):
    _linked(archive, evidence)
    archive.set_meta(statcache.KEY, "不是 marshal 数据")
    result = scan(archive)
    assert (result.added, result.modified, result.removed) == (0, 0, 0)
