"""A lost link's folder or file renamed where it stood is found by what it held (archive.renamed_nearby), from what
a real scan saw there; look-alikes are not offered, and nothing is written to the evidence folders."""

from __future__ import annotations

import os

import archive.renamed_nearby as renamed
from archive.index.scan import scan
from archive.links import link
from archive.renamed_nearby import moved_and_renamed, renamed_nearby, what_was_there


def tree_state(root) -> dict[str, tuple[int, int]]:
    """path -> (size, mtime_ns) of everything under `root`: what a read-only look must leave as it was."""
    state = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            st = os.stat(os.path.join(folder, name))
            state[os.path.join(folder, name)] = (st.st_size, st.st_mtime_ns)
    return state


def test_a_linked_file_renamed_in_place_is_found_by_its_content(archive, evidence):
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    link(archive, "1.2", [str(plan)])
    scan(archive)
    seen = what_was_there(archive.conn, str(plan), is_dir=False)
    assert seen == {"": (plan.stat().st_size, archive.conn.execute("SELECT sha256 FROM files").fetchone()[0])}
    (plan.parent / "a 同样大小的别的文件.txt").write_bytes(b"x" * plan.stat().st_size)  # same size, other content
    renamed_to = plan.parent / "某县创建国家食品安全示范城市工作方案（终稿）.txt"
    plan.rename(renamed_to)
    before = tree_state(evidence)
    assert renamed_nearby(str(plan), False, seen) == str(renamed_to)
    assert tree_state(evidence) == before
    renamed_to.write_bytes("工作方案正文（改）".encode())  # renamed and edited: nothing tells it is the same file
    assert renamed_nearby(str(plan), False, seen) is None


def test_a_linked_folder_renamed_in_place_is_found_by_its_files(archive, evidence):
    group = evidence / "1.1 领导小组"
    link(archive, "1.1", [str(group)])
    scan(archive)
    seen = what_was_there(archive.conn, str(group), is_dir=True)
    assert sorted(seen) == ["会议纪要/2024年第一次会议纪要.txt", "关于成立创建工作领导小组的通知.pdf"]
    renamed_to = evidence / "1.1 领导小组（已整理）"
    group.rename(renamed_to)
    (renamed_to / "补充材料.txt").write_text("新加的", encoding="utf-8")  # added since: still the same folder
    assert renamed_nearby(str(group), True, seen) == str(renamed_to)
    # a sibling holding only one of its two files is not offered (the other siblings hold none)
    (renamed_to / "会议纪要" / "2024年第一次会议纪要.txt").unlink()
    assert renamed_nearby(str(group), True, seen) is None


def test_nothing_is_offered_without_what_was_seen_or_a_place_to_look(archive, evidence, tmp_path):
    assert what_was_there(archive.conn, str(evidence / "1.1 领导小组"), is_dir=True) == {}  # never scanned
    assert renamed_nearby(str(evidence / "1.1 领导小组"), True, {}) is None
    seen = {"": (3, "0" * 64)}
    assert renamed_nearby(str(tmp_path / "不存在的文件夹" / "a.txt"), False, seen) is None


def test_a_look_stops_after_its_share_of_a_large_folder(evidence, monkeypatch):
    """Beside a lost file stand more files of its size than the look reads: only MAX_HASHED of them are read."""
    folder = evidence / "许多同样大小的文件"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n:02d}.txt").write_bytes(b"%02d" % n)
    wanted = (folder / "11.txt").read_bytes()
    import hashlib

    seen = {"": (2, hashlib.sha256(wanted).hexdigest())}
    read = []
    real = renamed._sha256
    monkeypatch.setattr(renamed, "_sha256", lambda path, *stamp: read.append(path) or real(path, *stamp))
    assert renamed_nearby(str(folder / "lost.txt"), False, seen) is None  # 11.txt is the twelfth by name
    assert len(read) == renamed.MAX_HASHED
    (folder / "11.txt").rename(folder / "00a.txt")
    assert renamed_nearby(str(folder / "lost.txt"), False, seen) == str(folder / "00a.txt")


def test_a_linked_folder_tidied_into_a_new_folder_under_a_new_name_is_found_by_its_files(archive, evidence):
    """"1.1 领导小组" put into "2024年归档" as "1.1 领导小组（定稿）": not beside, no name: found by its files."""
    group = evidence / "1.1 领导小组"
    link(archive, "1.1", [str(group)])
    scan(archive)
    seen = what_was_there(archive.conn, str(group), is_dir=True)
    (evidence / "2024年归档").mkdir()
    tidied = evidence / "2024年归档" / "1.1 领导小组（定稿）"
    group.rename(tidied)
    before = tree_state(evidence)
    assert renamed_nearby(str(group), True, seen) is None  # not beside it
    assert moved_and_renamed(str(group), True, seen) == str(tidied)
    assert tree_state(evidence) == before
    copy = evidence / "2.2 校园食品" / "领导小组（副本）"  # as near, and holding the same: which one is unknown
    copy.parent.mkdir()
    import shutil

    shutil.copytree(tidied, copy)
    assert moved_and_renamed(str(group), True, seen) is None
    shutil.rmtree(copy)
    shutil.move(str(tidied), str(evidence / "2024年归档" / "1.1 领导小组"))  # moved under its own name: not this look's
    assert moved_and_renamed(str(group), True, seen) is None


def test_a_linked_file_moved_and_renamed_is_found_by_its_content(archive, evidence):
    plan = evidence / "1.2 工作方案" / "创建工作方案.txt"
    link(archive, "1.2", [str(plan)])
    scan(archive)
    seen = what_was_there(archive.conn, str(plan), is_dir=False)
    (evidence / "1.2 工作方案" / "定稿").mkdir()
    (evidence / "1.2 工作方案" / "定稿" / "a 同样大小的别的文件.txt").write_bytes(b"x" * plan.stat().st_size)
    moved = evidence / "1.2 工作方案" / "定稿" / "某县创建工作方案（定稿）.txt"
    plan.rename(moved)
    assert renamed_nearby(str(plan), False, seen) is None
    assert moved_and_renamed(str(plan), False, seen) == str(moved)
    moved.write_bytes("工作方案正文（改）".encode())  # and edited: nothing tells it is the same file
    assert moved_and_renamed(str(plan), False, seen) is None


def test_an_archive_beside_a_lost_file_is_never_taken_for_it(archive, evidence):
    """A blank form (0 bytes) renamed beside the clerk's archive: the archive's empty write-ahead log has the same
    size and content. It was offered as the renamed form, and reading it (outside SQLite) drops the locks the app
    holds on the archive, on Linux."""
    form = evidence / "1.2 工作方案" / "签到表.txt"
    form.write_bytes(b"")
    link(archive, "1.2", [str(form)])
    scan(archive)
    seen = what_was_there(archive.conn, str(form), is_dir=False)
    (form.parent / "县档案.rrdb-wal").write_bytes(b"")
    form.unlink()
    assert renamed_nearby(str(form), False, seen) is None
    renamed_to = form.parent / "签到表（空白）.txt"
    renamed_to.write_bytes(b"")
    assert renamed_nearby(str(form), False, seen) == str(renamed_to)
