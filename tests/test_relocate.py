"""A linked folder (or file) moved or renamed on the share, and its link re-pointed (重新定位: archive.links.relocate,
the CLI's `link ... --from`): its files keep their records. The next scan logs 移动/改名 from the old path for each
file found at its place under the new one, with its id, dates, typed metadata and page count; 修改 after the move
for one changed meanwhile; 新增 for one the archive never knew; 删除 at the old path for one that did not come along,
logged only by a scan that reached the new place."""

from __future__ import annotations

import json
import shutil

import pytest
from monitor_support import index_state, replay_log

import archive.index.hashing as hashing
from archive.changelog import log_entries
from archive.confirm import confirm
from archive.db import SCHEMA_VERSION, open_archive
from archive.index.scan import scan
from archive.links import link, relocate
from archive.migrations import FILES_LEFT_SCHEMA
from archive.status import compute_status
from cli.run import run
from conftest import MINIMAL_PDF
from conftest import run_cli as cli

OLD_DAY = "2026-11-01 09:00:00"


def make_files(folder, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def rows(archive) -> dict[str, tuple]:
    """path -> (id, sha256, first_seen, last_changed, pages)"""
    return {path: tuple(rest) for path, *rest in archive.conn.execute(
        "SELECT path, id, sha256, first_seen, last_changed, pages FROM files")}


def logged(archive, since: int = 0) -> list[tuple]:
    """(kind, path, old_path, codes) of the log's entries after the first `since`."""
    return [(e["kind"], e["path"], e["old_path"], e["codes"]) for e in log_entries(archive)[since:]]


def indexed(archive, code: str, folder, files: dict[str, bytes]) -> dict[str, tuple]:
    """`files` under `folder`, linked to `code` and scanned, their dates set back to a day long past."""
    make_files(folder, files)
    link(archive, code, [str(folder)])
    scan(archive)
    with archive.atomic():
        archive.conn.execute("UPDATE files SET first_seen = ?, last_changed = ?", (OLD_DAY, OLD_DAY))
    return rows(archive)


def left_count(archive) -> int:
    return archive.conn.execute("SELECT COUNT(*) FROM files_left").fetchone()[0]


def test_a_renamed_folder_keeps_its_files_through_the_cli(capsys, archive, tmp_path):
    """The reproduction of the task: a folder renamed, re-pointed with `link --from`, scanned, then `log`."""
    old, new = tmp_path / "ev" / "材料A", tmp_path / "ev" / "材料B"
    make_files(old, {"a.txt": b"x\n", "b.txt": b"y", "通知.pdf": MINIMAL_PDF})
    path = archive.path
    archive.close()
    cli(capsys, "link", path, "1.2", old)
    cli(capsys, "scan", path)
    cli(capsys, "meta", path, old / "a.txt", "--title", "关于材料A的说明")
    with open_archive(path) as arc:
        with arc.atomic():
            arc.conn.execute("UPDATE files SET first_seen = ?, last_changed = ?", (OLD_DAY, OLD_DAY))
        before = rows(arc)
        confirm(arc, "1.2", by="张三")
    assert before[str(old / "通知.pdf")][4] == 2
    old.rename(new)

    out = cli(capsys, "link", path, "1.2", new, "--from", old)
    assert out.splitlines()[0] == f"已重新定位：1.2 ← {new}（原位置：{old}）"
    assert cli(capsys, "scan", path).startswith("新增 0，修改 0，删除 0，移动/改名 3；")
    log = json.loads(cli(capsys, "log", path, "--json"))
    assert [(e["kind"], e["path"], e["old_path"], e["codes"]) for e in log[3:]] == [
        ("moved", str(new / name), str(old / name), ["1.2"]) for name in ("a.txt", "b.txt", "通知.pdf")]
    assert f"移动 [1.2] {new / 'b.txt'}（原位置：{old / 'b.txt'}）" in cli(capsys, "log", path)
    with open_archive(path) as arc:
        after = rows(arc)
        assert after == {str(new / name): before[str(old / name)] for name in ("a.txt", "b.txt", "通知.pdf")}
        assert left_count(arc) == 0
        assert replay_log(arc) == index_state(arc)
        assert {s.code: s.state for s in compute_status(arc)}["1.2"] == "changed"  # the digest covers paths
    title = json.loads(cli(capsys, "meta", path, new / "a.txt", "--json"))["fields"]["title"]
    assert (title["value"], title["source"]) == ("关于材料A的说明", "typed")
    assert cli(capsys, "scan", path).startswith("新增 0，修改 0，删除 0，移动/改名 0；")  # nothing more to say


def test_changed_new_nested_and_missing_files_of_a_moved_folder(archive, tmp_path):
    old, new = tmp_path / "市场监管局" / "2.1 农残", tmp_path / "食安办" / "2024" / "2.1 农残治理"
    before = indexed(archive, "2.1", old, {
        "台账.csv": b"a,b\n1,2\n", "会议/2024/纪要.txt": "纪要".encode(), "方案.txt": "初稿".encode(),
        "旧照片.txt": b"old photo"})
    shutil.copytree(old, new)  # the department copied the folder to its new place, and went on working there
    shutil.rmtree(old.parent)
    (new / "方案.txt").write_text("定稿", encoding="utf-8")
    (new / "新增材料.txt").write_text("新", encoding="utf-8")
    (new / "旧照片.txt").unlink()
    assert relocate(archive, "2.1", str(old), str(new)) == str(new)
    assert rows(archive) == {} and left_count(archive) == 4

    result = scan(archive)
    assert (result.added, result.modified, result.removed, result.moved) == (1, 1, 1, 3)
    entries = logged(archive, since=4)
    assert sorted(entries) == sorted([
        ("moved", str(new / "台账.csv"), str(old / "台账.csv"), ["2.1"]),
        ("moved", str(new / "会议/2024/纪要.txt"), str(old / "会议/2024/纪要.txt"), ["2.1"]),  # nested
        ("moved", str(new / "方案.txt"), str(old / "方案.txt"), ["2.1"]),
        ("modified", str(new / "方案.txt"), None, ["2.1"]),
        ("added", str(new / "新增材料.txt"), None, ["2.1"]),
        ("removed", str(old / "旧照片.txt"), None, ["2.1"]),  # where the log last saw it, under its criterion
    ])
    assert [e[0] for e in entries if e[1] == str(new / "方案.txt")] == ["moved", "modified"]  # move, then change
    after = rows(archive)
    for name in ("台账.csv", "会议/2024/纪要.txt"):
        assert after[str(new / name)] == before[str(old / name)]
    plan_before, plan_after = before[str(old / "方案.txt")], after[str(new / "方案.txt")]
    assert plan_after[:1] + plan_after[2:3] == (plan_before[0], OLD_DAY) and plan_after[3] > OLD_DAY
    assert after[str(new / "新增材料.txt")][0] not in {row[0] for row in before.values()}
    assert left_count(archive) == 0
    assert replay_log(archive) == index_state(archive)
    assert scan(archive).removed == 0  # logged once


def test_a_renamed_single_linked_file_keeps_its_row(archive, tmp_path):
    folder = tmp_path / "证明材料"
    make_files(folder, {"领导小组通知.pdf": MINIMAL_PDF, "其他.txt": b"other"})
    old, new = folder / "领导小组通知.pdf", folder / "关于成立领导小组的通知.pdf"
    link(archive, "1.1", [str(old)])
    scan(archive)
    before = rows(archive)
    old.rename(new)
    relocate(archive, "1.1", str(old), str(new))
    assert scan(archive).moved == 1
    assert logged(archive, since=1) == [("moved", str(new), str(old), ["1.1"])]
    assert rows(archive) == {str(new): before[str(old)]}
    assert replay_log(archive) == index_state(archive)


def test_a_new_place_offline_at_the_scan_loses_nothing(archive, tmp_path):
    """The re-pointed folder cannot be reached at the next scan (a share offline): no 删除 for files it did not
    list; the first scan that reaches it finds them."""
    old, new = tmp_path / "A" / "1.2 方案", tmp_path / "B" / "1.2 方案"
    before = indexed(archive, "1.2", old, {"方案.txt": "方案".encode(), "附件/表.csv": b"1,2\n"})
    new.parent.mkdir()
    old.rename(new)
    relocate(archive, "1.2", str(old), str(new))
    away = tmp_path / "offline"
    new.rename(away)
    result = scan(archive)
    assert (result.removed, result.moved, result.unreachable) == (0, 0, [str(new)])
    assert left_count(archive) == 2
    away.rename(new)
    assert scan(archive).moved == 2
    assert rows(archive) == {str(new / rel): before[str(old / rel)] for rel in ("方案.txt", "附件/表.csv")}
    assert [e[2] for e in logged(archive, since=2)] == [str(old / "方案.txt"), str(old / "附件/表.csv")]


def test_a_moved_file_unreadable_at_first_keeps_its_row_and_its_move_is_logged_once_read(archive, tmp_path,
                                                                                        monkeypatch):
    old, new = tmp_path / "旧" / "1.1", tmp_path / "新" / "1.1"
    before = indexed(archive, "1.1", old, {"通知.txt": "通知".encode(), "名单.txt": "名单".encode()})
    new.parent.mkdir()
    old.rename(new)
    relocate(archive, "1.1", str(old), str(new))
    real = hashing.hash_file
    monkeypatch.setattr(hashing, "hash_file", lambda path: hashing.Hashed(path, error="文件被占用")
                        if path.endswith("通知.txt") else real(path))
    result = scan(archive)
    assert (result.moved, result.removed) == (1, 0)  # a problem row where it should be is no 删除
    assert rows(archive)[str(new / "通知.txt")][:2] == (before[str(old / "通知.txt")][0], None)
    monkeypatch.undo()
    assert scan(archive).moved == 1
    assert logged(archive, since=3) == [("moved", str(new / "通知.txt"), str(old / "通知.txt"), ["1.1"])]
    assert rows(archive) == {str(new / name): before[str(old / name)] for name in ("通知.txt", "名单.txt")}
    assert left_count(archive) == 0 and replay_log(archive) == index_state(archive)


def test_a_link_re_pointed_twice_before_a_scan_names_where_the_files_were(archive, tmp_path):
    first, second, third = (tmp_path / name / "1.1 领导小组" for name in ("甲", "乙", "丙"))
    before = indexed(archive, "1.1", first, {"通知.txt": "通知".encode()})
    second.parent.mkdir()
    first.rename(second)
    relocate(archive, "1.1", str(first), str(second))
    third.parent.mkdir()
    second.rename(third)
    relocate(archive, "1.1", str(second), str(third))
    assert scan(archive).moved == 1
    assert logged(archive, since=1) == [("moved", str(third / "通知.txt"), str(first / "通知.txt"), ["1.1"])]
    assert rows(archive) == {str(third / "通知.txt"): before[str(first / "通知.txt")]}


def test_an_archive_of_version_7_gains_where_forgotten_files_were(archive, tmp_path):
    path = archive.path
    archive.conn.executescript("DROP TABLE files_left;" + FILES_LEFT_SCHEMA
                               + "UPDATE meta SET value = '7' WHERE key = 'schema_version';")
    archive.close()
    with open_archive(path) as again:
        assert again.meta("schema_version") == str(SCHEMA_VERSION)  # through every later step too
        columns = [row[1] for row in again.conn.execute("PRAGMA table_info(files_left)")]
        assert columns[-1] == "old_path"
        old, new = tmp_path / "旧" / "材料", tmp_path / "新" / "材料"
        before = indexed(again, "1.2", old, {"a.txt": b"x"})
        new.parent.mkdir()
        old.rename(new)
        relocate(again, "1.2", str(old), str(new))
        assert scan(again).moved == 1 and rows(again) == {str(new / "a.txt"): before[str(old / "a.txt")]}


def test_link_from_refuses_bad_input_in_chinese(capsys, archive, tmp_path):
    old, new = tmp_path / "材料A", tmp_path / "材料B"
    make_files(old, {"a.txt": b"x"})
    make_files(new, {"a.txt": b"x"})
    path = archive.path
    archive.close()
    cli(capsys, "link", path, "1.2", old, tmp_path / "材料B")  # the existing form: several paths
    err = cli(capsys, "link", path, "1.1", new, "--from", old, code=1)
    assert err.strip() == f"错误：编号 1.1 没有关联 {old}"
    err = cli(capsys, "link", path, "1.2", tmp_path / "没有这个文件夹", "--from", old, code=1)
    assert err.strip() == f"错误：路径不存在：{tmp_path / '没有这个文件夹'}"
    err = cli(capsys, "link", path, "1.2", new, tmp_path, "--from", old, code=1)
    assert "只能给出一个新位置" in err and str(old) in err
    err = cli(capsys, "link", path, "1.2", new, "--from", old, code=1)
    assert err.strip() == f"错误：编号 1.2 已经关联了 {new}"
    with pytest.raises(SystemExit):
        run(["link", "--help"])
    assert "--from OLD_PATH" in capsys.readouterr().out
