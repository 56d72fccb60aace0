"""The archive file: created once, refused when it is not ours or too new, and never modified when refused."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from archive.catalogue import load_catalogue, resolve_code, store_catalogue
from archive.db import SCHEMA_VERSION, create_archive, open_archive
from archive.links import link
from common.errors import ArchiveError, UserError
from conftest import small_catalogue
from criteria.model import Catalogue


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_archive_is_wal_and_versioned(tmp_path):
    path = tmp_path / "某县.rrdb"
    with create_archive(path, "某县") as arc:
        assert arc.db.journal_mode == "wal"
        assert arc.meta("schema_version") == str(SCHEMA_VERSION)
        assert arc.title == "某县"
    with open_archive(path) as arc:
        assert arc.meta("app") == "ReviewReady"


def test_existing_path_is_never_overwritten(tmp_path):
    path = tmp_path / "已有.rrdb"
    path.write_bytes(b"important")
    with pytest.raises(ArchiveError, match="文件已存在"):
        create_archive(path, "x")
    assert path.read_bytes() == b"important"


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"PK\x03\x04zip"])
def test_non_sqlite_file_is_refused_untouched(tmp_path, content):
    path = tmp_path / "细则.xlsx"
    path.write_bytes(content)
    with pytest.raises(ArchiveError, match="不是迎检通档案文件"):
        open_archive(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(ArchiveError, match="不是迎检通档案文件"):
        open_archive(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "新版本.rrdb"
    create_archive(path, "x").close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(path)
    with pytest.raises(ArchiveError, match="较新版本"):
        open_archive(path)
    assert _digest(path) == before


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ArchiveError, match="档案文件不存在"):
        open_archive(tmp_path / "无.rrdb")


def test_reimport_keeps_links_by_code_and_retires_vanished(archive, evidence):
    link(archive, "2.2", [str(evidence / "1.2 工作方案")])
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    revised = small_catalogue()
    revised.criteria = [c for c in revised.criteria if c.code != "2.2"]
    revised.criteria[1].title = "成立领导小组（修订）"
    report = store_catalogue(archive, revised)
    assert report.retired == [("2.2", "校园食品安全示范提升行动", 1)]
    assert "新目录中已没有 2.2 校园食品安全示范提升行动：保留其 1 个关联，未删除" in report.lines()
    assert [c.code for c in load_catalogue(archive).criteria] == ["1", "1.1", "1.2", "2", "2.1", "2.1.1"]
    assert load_catalogue(archive).by_code()["1.1"].title == "成立领导小组（修订）"
    assert archive.conn.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 2
    store_catalogue(archive, small_catalogue())  # it comes back: its link is still there
    assert "2.2" in load_catalogue(archive).by_code()


def test_resolve_code_accepts_unique_labels(archive):
    assert resolve_code(archive, "1.2") == "1.2"
    assert resolve_code(archive, "一、") == "1"
    with pytest.raises(UserError, match="不唯一"):
        resolve_code(archive, "（一）")
    with pytest.raises(UserError, match=r"没有编号 9\.9"):
        resolve_code(archive, "9.9")


def test_invalid_catalogue_is_refused_without_change(archive):
    bad = Catalogue("坏", small_catalogue().criteria + small_catalogue().criteria[:1])
    with pytest.raises(ValueError, match="编号重复"):
        store_catalogue(archive, bad)
    assert len(load_catalogue(archive).criteria) == 7


def test_writers_on_two_connections_never_lose_an_update(tmp_path):
    """Read-modify-write from two connections (the app's monitor and a script): every transaction takes the write
    lock up front, so none fails half-way and none works from a stale read."""
    import threading

    path = tmp_path / "并发.rrdb"
    create_archive(path, "x").close()
    errors = []

    def bump(times: int) -> None:
        with open_archive(path) as arc:
            for _ in range(times):
                try:
                    with arc.atomic():
                        value = int(arc.meta("counter", "0"))
                        arc.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('counter', ?)",
                                         (str(value + 1),))
                except Exception as exc:
                    errors.append(exc)

    threads = [threading.Thread(target=bump, args=(60,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_archive(path) as arc:
        assert arc.meta("counter") == "180"


def test_opening_an_archive_again_in_this_process_keeps_another_process_s_commits_in_view(tmp_path):
    """The app opens the archive it holds a second time (the monitor does, on its thread). Reading the header with
    open() and closing it dropped this process's locks on the file; the command line, alone as far as the locks
    told, reset the write-ahead log as it closed, and both connections here went on reading the catalogue from the
    old log: an item `criteria --import` added was never seen (and their next write could corrupt the file)."""
    import subprocess
    import sys

    first = create_archive(tmp_path / "档案.rrdb", "某某县")
    store_catalogue(first, small_catalogue())
    second = open_archive(first.path)
    revised = tmp_path / "目录.yaml"
    cli = [sys.executable, str(Path(__file__).resolve().parent.parent / "main.py"), "criteria", str(first.path)]
    subprocess.run([*cli, "--export", str(revised)], check=True, capture_output=True, timeout=120)
    added = "- code: '9'\n  title: 新增项目\n  parent: null\n  level: 1\n"
    revised.write_text(revised.read_text(encoding="utf-8") + added, encoding="utf-8")
    subprocess.run([*cli, "--import", str(revised)], check=True, capture_output=True, timeout=120)
    for archive in (first, second):
        assert "9" in {c.code for c in load_catalogue(archive).criteria}
    second.close()
    first.close()
