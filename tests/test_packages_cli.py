"""`python main.py package / import / unit-open / unit-export` as real processes: the whole round trip."""

from __future__ import annotations

import json
import zipfile

import pytest
from package_support import evidence_zip, listing
from test_cli import cli

from conftest import MINIMAL_PDF, tree_snapshot


@pytest.mark.slow
def test_round_trip_on_the_command_line(tmp_path):
    office = tmp_path / "县档案.rrdb"
    cli("new", office, "--title", "某某县创建国家食品安全示范城市")
    unknown = cli("package", office, "--unit", "县公安局", "--out", tmp_path, check_code=1)
    assert "没有单位“县公安局”" in unknown.stderr and "县教育局" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1

    out = tmp_path / "任务包"
    out.mkdir()
    made = cli("package", office, "--all", "--out", out).stdout
    zips = sorted(out.iterdir())
    assert len(zips) >= 5 and all(f"已生成任务包：{z}" in made for z in zips)
    package = out / "县教育局-任务包.zip"
    with zipfile.ZipFile(package) as zf:
        task = json.loads(zf.read("manifest.json"))
    own = [c for c in task["criteria"] if c["own"]]

    unit_dir = tmp_path / "教育局"
    opened = cli("unit-open", package, "--dir", unit_dir).stdout
    assert "县教育局" in opened and (unit_dir / "县教育局.rrdb").is_file()
    (unit_dir / own[0]["folder"] / "食堂检查记录.pdf").write_bytes(MINIMAL_PDF)
    exported = json.loads(cli("unit-export", unit_dir / "县教育局.rrdb", "--out", tmp_path / "材料包.zip",
                              "--json").stdout)
    assert exported["files"] == 1 and exported["skipped"] == []
    assert own[0]["code"] not in exported["missing"]

    root = tmp_path / "汇总"
    root.mkdir()
    unguessed = cli("import", office, tmp_path / "材料包.zip", check_code=1)  # no unit's folder linked yet
    assert "请用 --root 指定" in unguessed.stderr and list(root.iterdir()) == []
    first = json.loads(cli("import", office, tmp_path / "材料包.zip", "--root", root, "--json").stdout)
    assert {"unit", "added", "unchanged", "changed", "failed", "linked"} <= set(first)
    assert first["unit"] == "县教育局" and first["added"] == [f"{own[0]['folder']}/食堂检查记录.pdf"]
    assert first["failed"] == [] and [link["code"] for link in first["linked"]] == [own[0]["code"]]
    status = json.loads(cli("status", office, "--json").stdout)
    assert {s["code"]: s["files"] for s in status["criteria"]}[own[0]["code"]] == 1

    snapshot = tree_snapshot(root)
    again = cli("import", office, tmp_path / "材料包.zip").stdout  # where the units' folders are: 汇总
    assert again.startswith("无变化") and tree_snapshot(root) == snapshot

    evil = evidence_zip(tmp_path / "恶意.zip", {"../../逃逸.txt": b"x"}, unit="县教育局")
    refused = cli("import", office, evil, "--root", root, check_code=1)
    assert "不安全" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert tree_snapshot(root) == snapshot and not (tmp_path / "逃逸.txt").exists()
    assert "逃逸.txt" not in listing(tmp_path)
