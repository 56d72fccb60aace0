"""Unlinking a folder and linking it again is a change of the catalogue, not of the evidence: files the archive
already knew at the same path with the same content are no 新增 in the change log; a file new to the archive, or
changed while unlinked, still is 新增 / 修改; a removal the scan saw makes the file new again."""

from __future__ import annotations

import shutil

from monitor_support import index_state, replay_log

import archive.index.hashing as hashing
from archive.changelog import log_entries
from archive.confirm import confirm
from archive.db import SCHEMA_VERSION, open_archive
from archive.index.scan import scan
from archive.links import link, unlink
from archive.status import compute_status
from conftest import MINIMAL_PDF

LEADERS = "1.1 领导小组"
NOTICE = "关于成立创建工作领导小组的通知.pdf"
MINUTES = "2024年第一次会议纪要.txt"


def _rows(archive) -> dict[str, tuple]:
    """file name -> (id, sha256, first_seen, last_changed)"""
    rows = archive.conn.execute("SELECT path, id, sha256, first_seen, last_changed FROM files")
    return {path.rsplit("/", 1)[1]: tuple(rest) for path, *rest in rows}


def _log(archive) -> list[tuple[str, str]]:
    return [(entry["kind"], entry["path"].rsplit("/", 1)[1]) for entry in log_entries(archive)]


def _state(archive, code: str) -> str:
    return next(s.state for s in compute_status(archive) if s.code == code)


def _indexed_leaders(archive, evidence):
    link(archive, "1.1", [str(evidence / LEADERS)])
    scan(archive)
    archive.conn.execute("UPDATE files SET first_seen = '2026-11-01 09:00:00', last_changed = '2026-11-01 09:00:00'")
    return _rows(archive), _log(archive)


def test_linking_a_folder_again_logs_nothing_and_keeps_each_file_its_row(archive, evidence):
    before, logged = _indexed_leaders(archive, evidence)
    assert sorted(logged) == [("added", MINUTES), ("added", NOTICE)]
    confirm(archive, "1.1", by="张三")
    unlink(archive, "1.1", str(evidence / LEADERS))
    assert _rows(archive) == {} and _state(archive, "1.1") == "changed"
    link(archive, "1.1", [str(evidence / LEADERS)])
    result = scan(archive)
    assert (result.added, result.modified, result.removed, result.moved) == (0, 0, 0, 0)
    assert _log(archive) == logged  # 最近变更 shows no 新增 for files the archive knew
    assert _rows(archive) == before  # same ids (their history follows), same dates
    assert _state(archive, "1.1") == "confirmed"  # the evidence is exactly what was confirmed
    assert archive.conn.execute("SELECT COUNT(*) FROM files_left").fetchone()[0] == 0
    assert scan(archive).added == 0
    assert replay_log(archive) == index_state(archive)  # the log read from the start: no file added twice


def test_a_folder_moved_to_another_criterion_brings_no_new_files(archive, evidence):
    before, logged = _indexed_leaders(archive, evidence)
    unlink(archive, "1.1", str(evidence / LEADERS))
    scan(archive)  # a scan while unlinked: the files are out of the index meanwhile
    link(archive, "1.2", [str(evidence / LEADERS)])
    assert scan(archive).added == 0
    assert _log(archive) == logged and _rows(archive) == before
    assert {s.code: s.files for s in compute_status(archive)}["1.2"] == 2


def test_files_changed_or_new_while_unlinked_are_modified_or_added(archive, evidence):
    before, logged = _indexed_leaders(archive, evidence)
    unlink(archive, "1.1", str(evidence / LEADERS))
    (evidence / LEADERS / "会议纪要" / MINUTES).write_text("修订后的纪要", encoding="utf-8")
    (evidence / LEADERS / "新通知.txt").write_text("新", encoding="utf-8")
    (evidence / LEADERS / "副本.pdf").write_bytes(MINIMAL_PDF)  # content the archive knows, at a path it does not
    link(archive, "1.1", [str(evidence / LEADERS)])
    result = scan(archive)
    assert (result.added, result.modified) == (2, 1)
    assert sorted(_log(archive)[len(logged):]) == [("added", "副本.pdf"), ("added", "新通知.txt"),
                                                   ("modified", MINUTES)]
    after = _rows(archive)
    assert after[MINUTES][0] == before[MINUTES][0] and after[MINUTES][3] > before[MINUTES][3]
    assert after[NOTICE] == before[NOTICE]
    assert replay_log(archive) == index_state(archive)


def test_a_file_the_scan_saw_removed_is_new_when_it_comes_back(archive, evidence, tmp_path):
    _, logged = _indexed_leaders(archive, evidence)
    away = tmp_path / NOTICE
    shutil.move(evidence / LEADERS / NOTICE, away)
    assert scan(archive).removed == 1
    unlink(archive, "1.1", str(evidence / LEADERS))
    shutil.move(away, evidence / LEADERS / NOTICE)
    link(archive, "1.1", [str(evidence / LEADERS)])
    assert scan(archive).added == 1  # the log said 删除: its return is news
    assert _log(archive)[len(logged):] == [("removed", NOTICE), ("added", NOTICE)]
    assert replay_log(archive) == index_state(archive)


def test_a_file_back_unreadable_at_first_is_still_no_news_once_read(archive, evidence, monkeypatch):
    before, logged = _indexed_leaders(archive, evidence)
    unlink(archive, "1.1", str(evidence / LEADERS))
    link(archive, "1.1", [str(evidence / LEADERS)])
    real = hashing.hash_file
    monkeypatch.setattr(hashing, "hash_file", lambda path: hashing.Hashed(path, error="文件被占用")
                        if path.endswith(NOTICE) else real(path))
    scan(archive)
    assert _rows(archive)[NOTICE][:2] == (before[NOTICE][0], None)  # a problem row, under its old id
    monkeypatch.undo()
    assert scan(archive).added == 0
    assert _log(archive) == logged and _rows(archive) == before


def test_an_archive_of_version_6_gains_the_memory_of_forgotten_files(archive, evidence):
    path = archive.path
    archive.conn.executescript("DROP TABLE files_left; UPDATE meta SET value = '6' WHERE key = 'schema_version';")
    archive.close()
    with open_archive(path) as again:
        assert again.meta("schema_version") == str(SCHEMA_VERSION)
        before, logged = _indexed_leaders(again, evidence)
        unlink(again, "1.1", str(evidence / LEADERS))
        link(again, "1.1", [str(evidence / LEADERS)])
        scan(again)
        assert _log(again) == logged and _rows(again) == before
