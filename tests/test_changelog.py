"""The change log: queries by date and by criterion (with sub-items), followers, and `python main.py log`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archive.changelog import events_after, format_entry, last_event_id, log_entries
from archive.index.scan import scan
from archive.links import link
from common.errors import UserError

MAIN = str(Path(__file__).resolve().parent.parent / "main.py")


@pytest.fixture
def history(archive, evidence):
    """Real scans produce: 4 additions, then a modification, a move from 1.2 to 2.1.1 and a removal."""
    link(archive, "1.1", [str(evidence / "1.1 领导小组")])
    link(archive, "1.2", [str(evidence / "1.2 工作方案")])
    link(archive, "2.1", [str(evidence / "2.1 农残治理")])
    link(archive, "2.1.1", [str(evidence / "2.1 农残治理" / "1. 快检台账")])
    scan(archive)
    archive.conn.execute("UPDATE events SET time = '2026-11-01 09:00:00'")  # the first scan was last month
    [first_scan] = archive.conn.execute("SELECT MAX(id) FROM events").fetchone()
    (evidence / "1.1 领导小组" / "会议纪要" / "2024年第一次会议纪要.txt").write_text("修订", encoding="utf-8")
    shutil.move(evidence / "1.2 工作方案" / "创建工作方案.txt", evidence / "2.1 农残治理" / "1. 快检台账" / "方案.txt")
    (evidence / "1.1 领导小组" / "关于成立创建工作领导小组的通知.pdf").unlink()
    scan(archive)
    # by id, not by time: whatever this machine's clock says, the second scan's events are the ones after the first
    archive.conn.execute("UPDATE events SET time = '2026-11-29 16:40:01' WHERE id > ?", (first_scan,))
    return evidence


def test_entries_oldest_first_with_kinds_paths_and_codes(archive, history):
    entries = log_entries(archive)
    assert [e["kind"] for e in entries][:4] == ["added"] * 4
    later = {e["kind"]: e for e in entries[4:]}
    assert sorted(later) == ["modified", "moved", "removed"]
    moved = later["moved"]
    assert moved["path"] == str(history / "2.1 农残治理" / "1. 快检台账" / "方案.txt")
    assert moved["old_path"] == str(history / "1.2 工作方案" / "创建工作方案.txt")
    assert moved["codes"] == ["1.2", "2.1", "2.1.1"] and moved["kind_name"] == "移动"
    assert later["removed"]["path"].endswith("关于成立创建工作领导小组的通知.pdf")
    assert later["removed"]["old_path"] is None
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)


def test_since_and_code_filters(archive, history):
    assert [e["kind"] for e in log_entries(archive, since="2026-11-29")] == ["modified", "moved", "removed"]
    assert log_entries(archive, since="2026-11-30") == []
    under_two = log_entries(archive, code="2")  # 2 has no link of its own: its sub-items' changes count
    assert {e["kind"] for e in under_two} == {"added", "moved"} and all(
        set(e["codes"]) & {"2.1", "2.1.1"} for e in under_two)
    assert [e["kind"] for e in log_entries(archive, code="1.1", since="2026-11-29")] == ["modified", "removed"]
    assert log_entries(archive, code="2.2") == []
    with pytest.raises(UserError, match=r"评价目录中没有编号 9\.9"):
        log_entries(archive, code="9.9")
    with pytest.raises(UserError, match="日期格式不正确：2026/11/29"):
        log_entries(archive, since="2026/11/29")


def test_events_after_is_a_follower_bookmark(archive, history):
    first, bookmark = events_after(archive, 0)
    assert len(first) == 7 and bookmark == last_event_id(archive)
    assert events_after(archive, bookmark) == ([], bookmark)
    (history / "1.1 领导小组" / "新通知.txt").write_text("新", encoding="utf-8")
    scan(archive)
    more, newer = events_after(archive, bookmark)
    assert [(e["kind"], Path(e["path"]).name) for e in more] == [("added", "新通知.txt")] and newer > bookmark


def test_format_entry():
    entry = {"time": "2026-11-29 16:40:01", "kind_name": "修改", "codes": ["1.2", "2.1"], "path": "/材料/a.pdf",
             "old_path": None}
    assert format_entry(entry) == "2026-11-29 16:40:01 修改 [1.2, 2.1] /材料/a.pdf"
    moved = {**entry, "kind_name": "移动", "old_path": "/旧/a.pdf"}
    assert format_entry(moved) == "2026-11-29 16:40:01 移动 [1.2, 2.1] /材料/a.pdf（原位置：/旧/a.pdf）"


def _cli(*args, code: int = 0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, MAIN, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


@pytest.mark.slow
def test_log_command_json_text_and_errors(archive, history):
    path = archive.path
    data = json.loads(_cli("log", path, "--json").stdout)
    assert len(data) == 7 and all(set(item) == {"time", "kind", "path", "old_path", "codes"} for item in data)
    assert data[-3:] == [{k: e[k] for k in ("time", "kind", "path", "old_path", "codes")}
                         for e in log_entries(archive)[-3:]]
    recent = json.loads(_cli("log", path, "--since", "2026-11-29", "--code", "2", "--json").stdout)
    assert [(e["kind"], e["old_path"] is not None) for e in recent] == [("moved", True)]
    text = _cli("log", path, "--code", "1.1", "--since", "2026-11-29").stdout.splitlines()
    assert text[0].startswith("2026-11-29 16:40:01 修改 [1.1] ")
    assert text[1].startswith("2026-11-29 16:40:01 删除 [1.1] ")
    assert _cli("log", path, "--since", "2030-01-01").stdout.strip() == "没有符合条件的变更记录"
    assert "日期格式不正确" in _cli("log", path, "--since", "昨天", code=1).stderr
    assert "评价目录中没有编号 7" in _cli("log", path, "--code", "7", code=1).stderr
