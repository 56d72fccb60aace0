"""The folder digests a full scan keeps: used only while they match the index, dropped by every change to it."""

from __future__ import annotations

import os
import sqlite3

import archive.index.quickscan as quickscan
from archive.db import SCHEMA_VERSION, open_archive
from archive.index import statcache
from archive.index.scan import scan
from archive.index.walk import list_folder
from archive.links import link, unlink


def _has_snapshot(archive) -> bool:
    return archive.meta(statcache.KEY) is not None


def _linked(archive, evidence):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    scan(archive)
    return archive


def test_full_scan_keeps_digests_that_match_the_folders_on_disk(archive, evidence):
    _linked(archive, evidence)
    snapshot = statcache.load(archive)
    assert snapshot is not None and snapshot.files == 3
    folder = str(evidence / "1.2 工作方案")
    listed = list_folder(folder, [], {}, frozenset())
    assert snapshot.digests[folder] == statcache.folder_digest(listed)
    assert statcache.folder_digest(list(reversed(listed))) == snapshot.digests[folder]  # order does not matter
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    os.utime(plan, ns=(plan.stat().st_atime_ns, plan.stat().st_mtime_ns + 1))
    assert statcache.folder_digest(list_folder(folder, [], {}, frozenset())) != snapshot.digests[folder]


def test_targeted_change_drops_it_and_the_next_full_scan_is_still_right(archive, evidence):
    _linked(archive, evidence)
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    plan.write_text("改过的方案", encoding="utf-8")
    assert scan(archive, targets=[str(plan)]).modified == 1
    assert statcache.load(archive) is None
    again = scan(archive)
    assert (again.added, again.modified, again.removed) == (0, 0, 0)
    assert _has_snapshot(archive)


def test_unlink_drops_it(archive, evidence):
    _linked(archive, evidence)
    unlink(archive, "1.2", str(evidence / "1.2 工作方案"))
    assert not _has_snapshot(archive)


def test_another_writer_cannot_leave_it_stale(archive, evidence):
    """Triggers drop it on a delete or an update by anyone; an insert raises the highest id it recorded."""
    _linked(archive, evidence)
    other = sqlite3.connect(archive.path, isolation_level=None)
    other.execute("DELETE FROM files WHERE path LIKE '%创建工作方案.txt'")
    assert not _has_snapshot(archive)
    assert scan(archive).added == 1  # the row is missing from the index, so the file is new again
    other.execute("UPDATE files SET size = size + 1 WHERE path LIKE '%创建工作方案.txt'")
    assert not _has_snapshot(archive)
    assert scan(archive).modified == 0 and _has_snapshot(archive)  # same content: only its size is put right
    other.execute("INSERT INTO files (path, first_seen, last_changed) VALUES ('/别处/文件.txt', 'x', 'x')")
    assert _has_snapshot(archive) and statcache.load(archive) is None
    other.execute("UPDATE files SET pages = 3")  # page counts do not matter to it
    other.close()


def test_a_damaged_snapshot_is_ignored(archive, evidence):
    _linked(archive, evidence)
    archive.set_meta(statcache.KEY, "不是 marshal 数据")
    assert statcache.load(archive) is None
    result = scan(archive)
    assert (result.added, result.modified, result.removed) == (0, 0, 0)


def test_an_unchanged_rescan_reads_no_row_file_by_file(archive, evidence, monkeypatch):
    _linked(archive, evidence)
    asked = []
    real = quickscan._known
    monkeypatch.setattr(quickscan, "_known", lambda arc, folders, paths: asked.append(folders | paths) or real(
        arc, folders, paths))
    result = scan(archive)
    assert asked == [set()] and result.files == 3
    (evidence / "1.1 领导小组" / "会议纪要" / "新纪要.txt").write_text("新", encoding="utf-8")
    assert scan(archive).added == 1
    assert asked[1] == {str(evidence / "1.1 领导小组" / "会议纪要")}  # only the folder that changed


def test_version_2_archives_lose_the_old_snapshot_and_gain_the_triggers(tmp_path, archive):
    path = archive.path
    archive.conn.executescript("""
        DROP TRIGGER files_deleted; DROP TRIGGER files_updated; DROP INDEX files_problem;
        UPDATE meta SET value = '2' WHERE key = 'schema_version';
        INSERT INTO meta (key, value) VALUES ('stat_snapshot', x'00'), ('stat_snapshot_check', '0:0');
    """)
    archive.close()
    with open_archive(path) as again:
        assert again.meta("schema_version") == str(SCHEMA_VERSION)
        assert again.meta("stat_snapshot") is None and again.meta("stat_snapshot_check") is None
        names = {row[0] for row in again.conn.execute("SELECT name FROM sqlite_master WHERE type IN "
                                                      "('trigger', 'index')")}
        assert {"files_deleted", "files_updated", "files_problem"} <= names
