"""Issue 15, item 9 on the command line: `criteria ARCHIVE --import FILE` shows the revision plan and applies it;
with --preview it writes nothing; --json gives the plan under "revision"."""

from __future__ import annotations

import json

from package_support import db_state
from revision_support import base_catalogue, revised
from test_cli import cli

from archive.catalogue import store_catalogue
from archive.confirm import confirm
from archive.db import create_archive, open_archive
from archive.index.scan import scan
from archive.links import link
from criteria.yamlio import save_yaml

DRILL = "开展食品安全应急演练"


def test_reimport_shows_the_plan_previews_without_writing_then_applies(tmp_path):
    archive = tmp_path / "县档案.rrdb"
    save_yaml(revised(lambda g: g["组织领导"].pop(1)), tmp_path / "修订.yaml")
    drill = tmp_path / "应急演练"
    drill.mkdir()
    (drill / "演练照片.txt").write_text("照片")
    with create_archive(archive, "某县") as arc:  # set up in process: the commands under test are the imports
        store_catalogue(arc, base_catalogue())
        link(arc, "1.3", [str(drill)])
        scan(arc)
        confirm(arc, "1.3", by="张三")
        before = db_state(arc)

    preview = cli("criteria", archive, "--import", tmp_path / "修订.yaml", "--preview").stdout.splitlines()
    assert "目录修订（含上级项目）：原 9 项 → 新 8 项（未变 6，改编号 2，删除 1）；随项目移动的关联 1 个" in preview
    assert f"改编号：1.3 {DRILL} → 1.2；1 个关联随之移动" in preview
    assert f"    ← {drill}" in preview
    assert preview[-1] == "预览：未写入档案（去掉 --preview 即按此计划修订）"
    data = json.loads(cli("criteria", archive, "--import", tmp_path / "修订.yaml", "--preview", "--json").stdout)
    assert data["applied"] is False and data["revision"]["summary"]["renumbered"] == 2
    moved = [e for e in data["revision"]["entries"] if e["moves_links"]]
    assert [(e["old_code"], e["new_code"], e["links"]) for e in moved] == [("1.3", "1.2", [str(drill)])]
    with open_archive(archive) as arc:
        assert db_state(arc) == before

    applied = cli("criteria", archive, "--import", tmp_path / "修订.yaml").stdout.splitlines()
    assert applied[-1] == "已按修订计划更新评价目录"
    status = json.loads(cli("status", archive, "--json").stdout)["criteria"]
    mine = next(s for s in status if s["title"] == DRILL)
    assert (mine["code"], mine["files"], mine["state"]) == ("1.2", 1, "confirmed")
    again = cli("criteria", archive, "--import", tmp_path / "修订.yaml", "--preview").stdout.splitlines()
    assert "新表与当前目录相同，无需修订" in again


def test_preview_needs_an_import(tmp_path):
    archive = tmp_path / "县档案.rrdb"
    create_archive(archive, "某县").close()
    done = cli("criteria", archive, "--preview", check_code=1)
    assert "--preview 和 --map 需要与 --import 一起使用" in done.stderr
