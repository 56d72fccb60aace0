"""Which files changed since a confirmation, when the change falls in the confirmation's own second.

The change log and the confirmations keep whole seconds. The demo confirms and edits within one second, and a
watcher's event may land while the clerk clicks 确认: compared by time, such a change was neither named in the
detail panel ("变更：…") nor marked in the 内部版 ("确认后有变更"), though the criterion showed 确认后有变更. The
confirmation keeps the log's newest id instead (schema version 9)."""

from __future__ import annotations

import shutil

import pytest

import archive.confirm
import archive.index.scanwrite
import archive.links
from archive.changelog import changes_after, files_changed_after
from archive.confirm import confirm
from archive.db import SCHEMA_VERSION, open_archive
from archive.index.scan import scan
from archive.links import files_linked_after, link
from archive.status import Confirmation, compute_status
from exporters.evidence import collect

SECOND = "2026-12-06 23:20:41"


@pytest.fixture
def one_second(monkeypatch):
    """Every stamp the link, the scan and the confirmation write is the same second."""
    for module in (archive.confirm, archive.index.scanwrite, archive.links):
        monkeypatch.setattr(module, "now", lambda: SECOND)


@pytest.fixture
def confirmed(archive, evidence, one_second):
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    confirm(archive, "1.1", by="张三")
    return evidence / "1.1 领导小组"


def status_of(archive, code):
    return next(s for s in compute_status(archive) if s.code == code)


def remarks(archive, code):
    item = next(i for i in collect(archive).items if i.code == code)
    return {f.name: f.remark() for f in item.files}


def test_a_change_in_the_confirmations_second_is_named(archive, confirmed):
    minutes = confirmed / "会议纪要" / "2024年第一次会议纪要.txt"
    minutes.write_text("确认后补记的内容", encoding="utf-8")
    (confirmed / "补充通知.txt").write_text("补充", encoding="utf-8")
    scan(archive)
    status = status_of(archive, "1.1")
    assert status.state == "changed" and status.confirmation.time == SECOND
    changes = changes_after(archive, "1.1", status.confirmation)
    assert changes == {"modified": [str(minutes)], "added": [str(confirmed / "补充通知.txt")]}
    assert changes_after(archive, "1", status.confirmation) == changes  # the parent's subtree holds them
    assert remarks(archive, "1.1") == {"2024年第一次会议纪要.txt": "确认后有变更", "补充通知.txt": "确认后有变更",
                                       "关于成立创建工作领导小组的通知.pdf": ""}


def test_the_scan_before_the_confirmation_is_not_a_change(archive, confirmed):
    status = status_of(archive, "1.1")
    assert status.state == "confirmed"
    assert changes_after(archive, "1.1", status.confirmation) == {}
    assert files_changed_after(archive, status.confirmation) == set()


def test_a_move_is_marked_and_a_removal_named(archive, confirmed):
    (confirmed / "会议纪要" / "2024年第一次会议纪要.txt").rename(confirmed / "第一次会议纪要.txt")
    (confirmed / "关于成立创建工作领导小组的通知.pdf").unlink()
    scan(archive)
    status = status_of(archive, "1.1")
    changes = changes_after(archive, "1.1", status.confirmation)
    assert sorted(changes) == ["moved", "removed"]
    assert remarks(archive, "1.1") == {"第一次会议纪要.txt": "确认后有变更"}


def test_files_linked_after_the_confirmation_are_marked(archive, evidence):
    """A folder linked to a confirmed item brings files new to it, though none changed (the log keeps no entry for
    a link, and a folder indexed for another item is not 新增): the 内部版 marks them, not the files it had."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])  # indexed already: linking it again logs nothing
    scan(archive)
    confirm(archive, "1.1", by="张三")
    with archive.atomic():  # linked and confirmed last month: the link below is made after it
        archive.conn.execute("UPDATE links SET created = '2026-10-30 09:00:00'")
        archive.conn.execute("UPDATE confirmations SET time = '2026-11-01 09:00:00'")
    link(archive, "1.1", [str(evidence / "1.2 工作方案")])
    scan(archive)
    status = status_of(archive, "1.1")
    assert status.state == "changed" and changes_after(archive, "1.1", status.confirmation) == {}
    assert files_linked_after(archive, ["1.1"], status.confirmation.time) == {
        archive.conn.execute("SELECT id FROM files WHERE path LIKE ?", ("%创建工作方案.txt",)).fetchone()[0]}
    assert remarks(archive, "1.1") == {"创建工作方案.txt": "确认后有变更", "2024年第一次会议纪要.txt": "",
                                       "关于成立创建工作领导小组的通知.pdf": ""}


def test_a_reconfirmation_starts_afresh(archive, confirmed):
    (confirmed / "补充通知.txt").write_text("补充", encoding="utf-8")
    scan(archive)
    confirm(archive, "1.1", by="张三")
    status = status_of(archive, "1.1")
    assert status.state == "confirmed" and changes_after(archive, "1.1", status.confirmation) == {}


def test_an_older_archive_gets_the_place_its_times_tell(archive, evidence, tmp_path):
    """Version 8 had no last_event: the migration fills it with the newest entry at or before each confirmation's
    second (what the comparison by time said), and the column is created where it is missing."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    confirm(archive, "1.1", by="张三")
    (evidence / "1.1 领导小组" / "补充通知.txt").write_text("补充", encoding="utf-8")
    scan(archive)
    with archive.atomic():
        archive.conn.execute("UPDATE events SET time = '2026-11-01 09:00:00' WHERE kind = 'added' AND id <= 2")
        archive.conn.execute("UPDATE events SET time = '2026-11-03 09:00:00' WHERE id > 2")
        archive.conn.execute("UPDATE confirmations SET time = '2026-11-02 09:00:00'")
        archive.conn.execute("ALTER TABLE confirmations DROP COLUMN last_event")
        archive.conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    path = archive.path
    archive.close()
    with open_archive(path) as reopened:
        assert reopened.meta("schema_version") == str(SCHEMA_VERSION)
        [(last_event,)] = reopened.conn.execute("SELECT last_event FROM confirmations").fetchall()
        assert last_event == 2
        status = status_of(reopened, "1.1")
        assert changes_after(reopened, "1.1", status.confirmation) == {
            "added": [str(evidence / "1.1 领导小组" / "补充通知.txt")]}


def test_a_frozen_confirmation_is_told_by_its_time(archive, confirmed):
    """A stage's copy of a confirmation kept no place in the log: its time decides, as before (a change in its own
    second is not after it); the live confirmation names the change."""
    shutil.copy(confirmed / "会议纪要" / "2024年第一次会议纪要.txt", confirmed / "副本.txt")
    scan(archive)
    live = status_of(archive, "1.1").confirmation
    frozen = Confirmation(live.by, live.time, live.note, live.digest, live.files)
    assert changes_after(archive, "1.1", live) == {"added": [str(confirmed / "副本.txt")]}
    assert files_changed_after(archive, frozen) is None and changes_after(archive, "1.1", frozen) == {}
    earlier = Confirmation(live.by, "2026-12-06 23:20:40", live.note, live.digest, live.files)
    assert len(changes_after(archive, "1.1", earlier)["added"]) == 3  # the first scan's two files and the copy
