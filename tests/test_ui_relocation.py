"""A lost linked folder and a folder of the same name near where it was: the window offers to re-point the link
(issue 16 item 6), re-points it on 重新定位到这里, and stops offering a folder the clerk said was not it."""

from __future__ import annotations

import os
import threading

import pytest

from archive.index.scan import scan
from archive.links import link, same_name_nearby
from tests.ui_support import (  # noqa: F401 - fixtures
    make_window,
    messages_said,
    settings_fixture,
    wait_for_writes,
    window_on_renamed_plan,
)
from ui.workspace.overview import change_label

TIMEOUT = 15000


def lost_and_found(qtbot, settings, archive, evidence, tmp_path):
    """1.1's folder moved into a new sub-folder of its parent; a scan finds the link unreachable."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    moved = evidence / "2024年" / "1.1 领导小组"
    moved.parent.mkdir()
    (evidence / "1.1 领导小组").rename(moved)
    window.said = messages_said(window)  # in order: a later one may replace the offer's before we look
    window.session.scan_all()
    detail = window.workspace.detail
    qtbot.waitUntil(lambda: not detail.links_box.offer.isHidden(), timeout=TIMEOUT)
    return window, detail, moved


def test_a_same_name_folder_nearby_is_offered_and_taken(qtbot, settings, archive, evidence, tmp_path):
    window, detail, moved = lost_and_found(qtbot, settings, archive, evidence, tmp_path)
    lost = evidence / "1.1 领导小组"
    ids = dict(archive.conn.execute("SELECT path, id FROM files"))
    assert len(ids) == 2 and all(path.startswith(str(lost)) for path in ids)  # kept as last seen while lost
    assert window.session.model.index_of("1.1", 1).data() == "无法访问"
    assert str(moved) in detail.links_box.offer_label.text() and "1.1 领导小组" in detail.links_box.offer_label.text()
    assert ("1.1 关联的文件夹“1.1 领导小组”找不到了，“2024年”中的“1.1 领导小组”是同名文件夹："
            "可在该项目的关联列表上方重新定位") in window.said
    detail.links_box.offer_accept.click()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已收集", timeout=TIMEOUT)
    wait_for_writes(qtbot, window.session)
    assert archive.conn.execute("SELECT code, path, reachable FROM links").fetchall() == [("1.1", str(moved), 1)]
    assert detail.proxy.rowCount() == 2
    moves = archive.conn.execute("SELECT kind, path, old_path, file_id FROM events WHERE kind <> 'added'").fetchall()
    assert sorted(moves) == sorted(("moved", str(moved) + old[len(str(lost)):], old, file_id)
                                   for old, file_id in ids.items())  # 移动/改名, each file its row: no 新增
    qtbot.waitUntil(detail.links_box.offer.isHidden, timeout=TIMEOUT)
    assert not window.session.relocation.timer.isActive()  # nothing lost any more: no more looking
    feed = window.workspace.overview.feed  # 最近变更 says where each file went, not "名单.txt → 名单.txt"
    qtbot.waitUntil(lambda: feed.topLevelItem(0) is not None and feed.topLevelItem(0).text(1) == "移动/改名",
                    timeout=TIMEOUT)
    shown = sorted(feed.topLevelItem(n).text(2) for n in range(feed.topLevelItemCount())
                   if feed.topLevelItem(n).text(1) == "移动/改名")
    assert shown == sorted(f"{os.path.basename(old)}（移至 {os.path.dirname(os.path.relpath(new, evidence))}）"
                           for old, new in ((old, str(moved) + old[len(str(lost)):]) for old in ids))
    assert any("会议纪要" in label for label in shown)  # a file in a sub-folder: the whole way from where they part


def test_not_it_is_not_offered_again(qtbot, settings, archive, evidence, tmp_path):
    window, detail, _moved = lost_and_found(qtbot, settings, archive, evidence, tmp_path)
    detail.links_box.offer_decline.click()
    assert detail.links_box.offer.isHidden()
    window.session.relocation.check()
    qtbot.waitUntil(lambda: not window.session.relocation.searching, timeout=TIMEOUT)
    assert detail.links_box.offer.isHidden()
    assert archive.conn.execute("SELECT path, reachable FROM links").fetchall() == [
        (str(evidence / "1.1 领导小组"), 0)]  # nothing written


def test_not_it_holds_against_a_look_that_was_under_way(qtbot, settings, archive, evidence, tmp_path):
    """不是它 clicked while the answer of a look around is on its way (the timer's, or a refresh's after the page
    counts): that look found the folder before the clerk declined it, and must not bring the offer back."""
    window, detail, _moved = lost_and_found(qtbot, settings, archive, evidence, tmp_path)
    watch = window.session.relocation
    qtbot.waitUntil(lambda: not watch.searching, timeout=TIMEOUT)
    watch.check()
    for thread in [t for t in threading.enumerate() if t.name == "relocation-search"]:
        thread.join(30)  # it has found the folder and reported it; the UI thread has not taken the report yet
    assert watch.searching
    detail.links_box.offer_decline.click()
    assert detail.links_box.offer.isHidden()
    qtbot.waitUntil(lambda: not watch.searching, timeout=TIMEOUT)
    assert detail.links_box.offer.isHidden() and watch.offers == {}


def test_a_look_that_began_before_the_relocation_brings_no_stale_offer(qtbot, settings, archive, evidence, tmp_path,
                                                                      monkeypatch):
    """A look around (the timer's) was under way when the relocation was written and the tree refreshed: its
    answer, from before, must not bring back the offer of a folder that is no longer lost; the watch looks again."""
    from ui.workspace import relocation

    window, detail, moved = lost_and_found(qtbot, settings, archive, evidence, tmp_path)
    watch = window.session.relocation
    qtbot.waitUntil(lambda: not watch.searching, timeout=TIMEOUT)
    watch.timer.setInterval(24 * 3600 * 1000)  # only the refreshes look again here, not the timer
    looking, release = threading.Event(), threading.Event()

    def held(path, **kwargs):
        found = same_name_nearby(path, **kwargs)
        looking.set()
        assert release.wait(30)
        return found

    monkeypatch.setattr(relocation, "same_name_nearby", held)
    watch.check()
    assert looking.wait(10)  # it read the link as lost, and found the folder
    monkeypatch.setattr(relocation, "same_name_nearby", same_name_nearby)
    window.session.relocate("1.1", str(evidence / "1.1 领导小组"), str(moved))
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已收集", timeout=TIMEOUT)
    wait_for_writes(qtbot, window.session)
    release.set()
    qtbot.waitUntil(lambda: not watch.searching, timeout=TIMEOUT)
    assert watch.offers == {} and detail.links_box.offer.isHidden()


def test_closing_the_archive_waits_for_a_look_under_way(qtbot, settings, archive, evidence, tmp_path, monkeypatch):
    """The archive closed while a look around is under way (a slow share): the window lets go of the watch only after
    that look has ended. Its answer is signalled on the watch; a watch deleted meanwhile on the UI thread while the
    look's thread signals on it is a crash, not an error."""
    from ui.workspace import relocation

    window, _detail, _moved = lost_and_found(qtbot, settings, archive, evidence, tmp_path)
    watch = window.session.relocation
    qtbot.waitUntil(lambda: not watch.searching, timeout=TIMEOUT)
    looking, ended = threading.Event(), threading.Event()

    def slow_share(path, **kwargs):
        looking.set()
        threading.Event().wait(0.5)
        found = same_name_nearby(path, **kwargs)
        ended.set()
        return found

    monkeypatch.setattr(relocation, "same_name_nearby", slow_share)
    watch.check()
    assert looking.wait(10)
    window.close_archive()
    assert ended.is_set() and not [t for t in threading.enumerate() if t.name == "relocation-search"]


def test_same_name_nearby_looks_near_and_reads_nothing_else(tmp_path):
    root = tmp_path / "证明材料"
    (root / "市场监管局" / "2024" / "2.6 主体责任自查").mkdir(parents=True)
    (root / "卫健委" / "1.1 领导小组").mkdir(parents=True)
    (root / "卫健委" / "其他" / "1.1 领导小组").mkdir(parents=True)
    assert same_name_nearby(str(root / "市场监管局" / "2.6 主体责任自查")) == [
        str(root / "市场监管局" / "2024" / "2.6 主体责任自查")]  # moved into a new sub-folder
    assert same_name_nearby(str(root / "旧单位名" / "2.6 主体责任自查")) == [
        str(root / "市场监管局" / "2024" / "2.6 主体责任自查")]  # its parent renamed
    assert same_name_nearby(str(root / "农业局" / "1.1 领导小组")) == [
        str(root / "卫健委" / "1.1 领导小组")]  # nearest first
    assert same_name_nearby(str(root / "农业局" / "9.9 没有")) == []


def test_same_name_nearby_finds_a_moved_file_for_a_linked_file(tmp_path):
    root = tmp_path / "证明材料"
    (root / "1.3 分工" / "定稿").mkdir(parents=True)
    (root / "1.3 分工" / "定稿" / "任务分解表.xlsx").write_bytes(b"x")
    (root / "1.3 分工" / "任务分解表.xlsx（旧）").mkdir()  # a folder of that name is no file
    lost = str(root / "1.3 分工" / "任务分解表.xlsx")
    assert same_name_nearby(lost, folder=False) == [str(root / "1.3 分工" / "定稿" / "任务分解表.xlsx")]
    assert same_name_nearby(lost) == []  # a linked folder is not offered a file


def test_a_lost_linked_file_is_offered_where_it_went(qtbot, settings, archive, evidence):
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    link(archive, "1.2", [str(plan)])
    scan(archive)
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.2")
    moved = plan.parent / "定稿" / plan.name
    moved.parent.mkdir()
    plan.rename(moved)
    window.session.scan_all()
    box = window.workspace.detail.links_box
    qtbot.waitUntil(lambda: not box.offer.isHidden(), timeout=TIMEOUT)
    assert box.offer_label.text() == f"关联的文件“{plan.name}”找不到了。在 {moved} 有同名文件，是它被移到了那里吗？"
    box.offer_accept.click()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.2", 1).data() == "已收集", timeout=TIMEOUT)
    wait_for_writes(qtbot, window.session)
    assert archive.conn.execute("SELECT code, path, is_dir FROM links").fetchall() == [("1.2", str(moved), 0)]


@pytest.mark.parametrize(("old", "new", "shown"), [
    ("/ev/1.2 领导小组/名单.txt", "/ev/1.2 领导小组/名单.txt", "名单.txt"),
    ("/ev/1.2 领导小组/名单.txt", "/ev/1.2 领导小组/成员名单.txt", "名单.txt → 成员名单.txt"),
    ("/ev/1.2 领导小组/名单.txt", "/ev/2024年归档/1.2 领导小组/名单.txt", "名单.txt（移至 2024年归档/1.2 领导小组）"),
    ("/ev/1.2 领导小组/旧/名单.txt", "/ev/1.2 领导小组/名单.txt", "名单.txt（移至 1.2 领导小组）"),  # up a folder
    ("/ev/1.2/名单.txt", "/ev/1.2/新/名单.txt", "名单.txt（移至 新）"),
])
def test_a_feed_entry_says_what_happened_to_the_file(old, new, shown):
    assert change_label(new, None if old == new else old) == shown


def test_a_linked_file_renamed_in_place_is_offered_by_its_content(qtbot, settings, archive, evidence):
    window, plan, renamed, file_id = window_on_renamed_plan(qtbot, settings, archive, evidence,
                                                            "某县创建工作方案（终稿）.txt")
    window.session.scan_all()
    box = window.workspace.detail.links_box
    qtbot.waitUntil(lambda: not box.offer.isHidden(), timeout=TIMEOUT)
    assert box.offer_label.text() == (f"关联的文件“{plan.name}”找不到了。在 {renamed} 有内容相同的文件，"
                                      "是它被改了名吗？")
    box.offer_accept.click()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.2", 1).data() == "已收集", timeout=TIMEOUT)
    wait_for_writes(qtbot, window.session)
    assert archive.conn.execute("SELECT id, path FROM files").fetchall() == [(file_id, str(renamed))]


@pytest.mark.parametrize(("new_place", "words"), [("1.1 领导小组（已整理）", "是它被改了名吗？"),
                                                ("2024年归档/1.1 领导小组（定稿）", "是它被移动并改了名吗？")])
def test_a_linked_folder_renamed_is_offered_by_its_files(qtbot, settings, archive, evidence, new_place, words):
    """Renamed where it stood, or tidied into a new folder under a new name: found by the files it holds."""
    group = evidence / "1.1 领导小组"
    link(archive, "1.1", [str(group)])
    scan(archive)
    ids = sorted(row[0] for row in archive.conn.execute("SELECT id FROM files"))
    window = make_window(qtbot, settings, archive.path)
    window.workspace.criteria.select("1.1")
    renamed = evidence / new_place
    renamed.parent.mkdir(exist_ok=True)
    group.rename(renamed)
    window.said = messages_said(window)
    window.session.scan_all()
    box = window.workspace.detail.links_box
    qtbot.waitUntil(lambda: not box.offer.isHidden(), timeout=TIMEOUT)
    assert box.offer_label.text() == f"关联的文件夹“{group.name}”找不到了。在 {renamed} 有文件大多相同的文件夹，{words}"
    where = f"“{renamed.parent.name}”中的“{renamed.name}”"
    said = f"1.1 关联的文件夹“1.1 领导小组”找不到了，{where}是文件大多相同的文件夹：可在该项目的关联列表上方重新定位"
    assert said in window.said
    box.offer_accept.click()
    qtbot.waitUntil(lambda: window.session.model.index_of("1.1", 1).data() == "已收集", timeout=TIMEOUT)
    wait_for_writes(qtbot, window.session)
    assert sorted(row[0] for row in archive.conn.execute("SELECT id FROM files WHERE path LIKE ?",
                                                         (f"{renamed}%",))) == ids
