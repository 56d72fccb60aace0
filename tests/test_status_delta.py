"""Statuses recomputed from a change list agree with a full recompute, over random changes to real files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.catalogue import store_catalogue
from archive.changelog import events_after, last_event_id
from archive.confirm import confirm
from archive.db import create_archive
from archive.index.hashing import Hashed, hash_file
from archive.index.scan import scan
from archive.links import link
from archive.linkset import LinkSet
from archive.status import compute_status
from archive.status_delta import Standing, affected_codes, apply_changes, load_index_under
from tests.conftest import small_catalogue

# linked folders: 2.1.1's sits inside 2.1's; "共用" is linked to both 1.2 and 2.2
FOLDERS = {"1.1": "领导小组", "1.2": "工作方案", "2.1": "农残治理", "2.1.1": "农残治理/快检台账", "2.2": "共用"}
LOCKED: set[str] = set()  # files an editor holds open: reading them fails, and the scan marks them without a log entry
OPS = st.lists(st.tuples(st.sampled_from(["add", "modify", "touch", "remove", "move", "away", "back", "lock",
                                          "unlock"]),
                         st.integers(0, 10_000)), min_size=1, max_size=12)


def _setup(root: Path):
    evidence = root / "证明材料"
    for number, folder in enumerate(FOLDERS.values()):
        (evidence / folder).mkdir(parents=True, exist_ok=True)
        (evidence / folder / f"原有{number}.txt").write_text(f"原有材料{number}", encoding="utf-8")
    archive = create_archive(root / "档案.rrdb", "某某县")
    store_catalogue(archive, small_catalogue())
    for code, folder in FOLDERS.items():
        link(archive, code, [str(evidence / folder)])
    link(archive, "2.2", [str(evidence / "工作方案" / "原有1.txt")])  # a file linked on its own, twice over
    scan(archive)
    for code in ("1.1", "2.1", "1"):
        confirm(archive, code, by="张三")
    return archive, evidence


def _files(evidence: Path) -> list[Path]:
    return sorted(p for p in evidence.rglob("*") if p.is_file())


def _perform(evidence: Path, op: str, n: int) -> None:
    folders = [evidence / f for f in FOLDERS.values()]
    files = _files(evidence)
    chosen = files[n % len(files)] if files else None
    away = evidence / "工作方案"
    if op == "add":
        target = folders[n % len(folders)]
        if target.is_dir():
            (target / f"新增{n}.txt").write_text(f"内容{n}", encoding="utf-8")
    elif op == "modify" and chosen:
        with open(chosen, "a", encoding="utf-8") as handle:
            handle.write(f"补记{n}")
    elif op == "touch" and chosen:
        os.utime(chosen, ns=(chosen.stat().st_atime_ns, chosen.stat().st_mtime_ns + 10**9))
    elif op == "remove" and chosen:
        chosen.unlink()
    elif op == "move" and chosen:
        target = folders[(n // 7) % len(folders)]
        if target.is_dir() and not (target / chosen.name).exists():
            chosen.rename(target / chosen.name)
    elif op in ("lock", "unlock") and chosen:
        (LOCKED.add if op == "lock" else LOCKED.discard)(str(chosen))
        os.utime(chosen, ns=(chosen.stat().st_atime_ns, chosen.stat().st_mtime_ns + 10**9))  # the scan looks again
    elif op == "away" and away.is_dir():
        away.rename(evidence.parent / "暂移走")
    elif op == "back" and (evidence.parent / "暂移走").is_dir():
        (evidence.parent / "暂移走").rename(away)


def _hash_unless_locked(path: str) -> Hashed:
    return Hashed(path, error="另一个程序正在使用此文件") if path in LOCKED else hash_file(path)


def _as_data(statuses):
    return [(s.to_json(), sorted(s.file_ids)) for s in statuses]


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(OPS, min_size=1, max_size=4))
def test_statuses_from_the_change_list_match_a_full_recompute(steps):
    LOCKED.clear()
    with tempfile.TemporaryDirectory() as folder, patch("archive.index.hashing.hash_file", _hash_unless_locked):
        archive, evidence = _setup(Path(folder))
        try:
            standing, bookmark = Standing.load(archive), last_event_id(archive)
            for ops in steps:  # each list of operations is one reconcile, as the monitor makes them
                for op, n in ops:
                    _perform(evidence, op, n)
                scan(archive)
                entries, bookmark = events_after(archive, bookmark)
                standing, _ = apply_changes(archive, standing, entries)
                assert _as_data(standing.statuses) == _as_data(compute_status(archive))
        finally:
            archive.close()


def test_only_the_criteria_a_change_reaches_are_recomputed(tmp_path):
    archive, evidence = _setup(tmp_path)
    standing, bookmark = Standing.load(archive), last_event_id(archive)
    (evidence / "领导小组" / "补充通知.txt").write_text("补充", encoding="utf-8")
    scan(archive)
    entries, bookmark = events_after(archive, bookmark)
    standing, codes = apply_changes(archive, standing, entries)
    assert codes == {"1.1", "1"}  # the criterion and its parent; 2.x untouched
    assert {s.code: s.state for s in standing.statuses}["1.1"] == "changed"
    assert {s.code: s.state for s in standing.statuses}["1"] == "changed"
    # a move out of 2.1.1 into 1.2's folder reaches both sides and their ancestors
    (evidence / "农残治理" / "快检台账" / "原有3.txt").rename(evidence / "工作方案" / "原有3.txt")
    scan(archive)
    entries, _ = events_after(archive, bookmark)
    assert [e["kind"] for e in entries] == ["moved"]
    standing, codes = apply_changes(archive, standing, entries)
    assert codes == {"1.2", "1", "2.1.1", "2.1", "2"}
    assert _as_data(standing.statuses) == _as_data(compute_status(archive))
    archive.close()


def test_a_folder_gone_away_is_found_without_a_log_entry(tmp_path):
    archive, evidence = _setup(tmp_path)
    standing = Standing.load(archive)
    (evidence / "农残治理").rename(tmp_path / "别处")
    scan(archive)
    links = LinkSet.load(archive.conn)
    assert affected_codes(small_catalogue().criteria, links, [], standing.statuses) == {"2.1", "2.1.1", "2"}
    standing, _ = apply_changes(archive, standing, [])
    assert {s.code: s.state for s in standing.statuses}["2.1.1"] == "unreachable"
    assert _as_data(standing.statuses) == _as_data(compute_status(archive))
    archive.close()


def test_the_index_read_holds_only_the_files_under_the_links_given(tmp_path):
    archive, _ = _setup(tmp_path)
    links = [link for link in LinkSet.load(archive.conn).links if link.code == "2.1"]
    index = load_index_under(archive, links)
    assert [os.path.basename(p) for p in index.paths] == ["原有2.txt", "原有3.txt"]  # 2.1's folder holds 2.1.1's
    archive.close()
