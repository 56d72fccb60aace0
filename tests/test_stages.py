"""Freezing a stage: what it records, that it can never change, and that a failed freeze leaves nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from stage_support import LEADER, PLAN, cli, prepared

from archive.index.scan import scan
from archive.migrations import STAGE_CONTENT_TABLES as CONTENT_TABLES
from common.errors import UserError
from exporters import ExportOptions, export
from stages import snapshot as snapshot_module
from stages.copystore import store_root
from stages.freeze import freeze, plan_freeze
from stages.records import find_stage, list_stages, load_stage


def test_a_stage_records_catalogue_files_scores_confirmations_rectifications(archive, evidence):
    prepared(archive, evidence)
    stage = freeze(archive, "自查自评", note="第一次自查", by="王五").stage
    assert (stage.name, stage.note, stage.by, stage.copies) == ("自查自评", "第一次自查", "王五", False)
    frozen = load_stage(archive, find_stage(archive, "自查自评"))
    assert [r.code for r in frozen.criteria] == ["1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.2"]
    leader = frozen.by_code()["1.1"]
    assert leader.criterion.title == "成立创建工作领导小组" and leader.criterion.points == 5
    assert leader.state == "confirmed" and leader.confirmation.by == "张三"
    assert frozen.by_code()["2.2"].state == "missing"
    by_code = frozen.files_by_code()
    notice = evidence / LEADER / "关于成立创建工作领导小组的通知.pdf"
    record = by_code["1.1"][str(notice)]
    assert (record.size, record.rel) == (notice.stat().st_size, f"{LEADER}/关于成立创建工作领导小组的通知.pdf")
    assert record.mtime_ns == notice.stat().st_mtime_ns and len(record.sha256) == 64
    numbers = {number for f in frozen.files.values() for code, number, _ in f.listed if code == "1.1"}
    assert numbers == {"1.1-001", "1.1-002", "1.1-003"}
    assert str(evidence.parent / "整改材料" / "印发通知.txt") in by_code["R1"]  # a rectification's evidence
    assert frozen.scores["1.1"].points == 4 and frozen.scores["1.1"].note == "会议记录不全"
    assert frozen.rectifications[1].text == "方案未印发" and frozen.rectifications[1].state == "open"
    assert stage.files == sum(1 for f in frozen.files.values() if f.sha256) == 8


def test_the_dossiers_of_the_round_are_recorded_with_their_hash(archive, evidence, tmp_path):
    prepared(archive, evidence)
    export(archive, "docx", tmp_path / "汇编.docx", ExportOptions(stage="自查自评"))
    freeze(archive, "自查自评")
    edited = tmp_path / "手工修改后的汇编.docx"
    edited.write_bytes(b"edited by hand")
    export(archive, "pdf", tmp_path / "初评.pdf", ExportOptions(catalogue_only=True))
    (evidence / PLAN / "新文件.txt").write_text("新", encoding="utf-8")
    scan(archive)
    second = freeze(archive, "省级初评", dossiers=[str(edited), str(tmp_path / "初评.pdf")]).stage
    first = find_stage(archive, "自查自评")
    assert [(e.format, e.matches) for e in first.exports] == [("docx", True)]
    assert first.exports[0].sha256 == hashlib.sha256((tmp_path / "汇编.docx").read_bytes()).hexdigest()
    assert first.exports[0].options["stage"] == "自查自评" and first.exports[0].path == str(tmp_path / "汇编.docx")
    # the second round: the pdf export (made before a file was added, so not the stage's evidence) once, and the
    # hand-edited file by its hash
    assert [(e.source, e.format, e.matches) for e in second.exports] == [("export", "pdf", False),
                                                                         ("file", "docx", False)]
    assert second.exports[1].sha256 == hashlib.sha256(b"edited by hand").hexdigest()
    with pytest.raises(UserError, match="要记录的汇编文件不存在"):
        freeze(archive, "国家验收", dossiers=[str(tmp_path / "没有.docx")])


def test_list_json_and_names(archive, evidence):
    prepared(archive, evidence)
    freeze(archive, "自查自评")
    with pytest.raises(UserError, match="已有名为“自查自评”的阶段"):
        freeze(archive, " 自查自评 ")
    with pytest.raises(UserError, match="请填写阶段名称"):
        freeze(archive, "  ")
    archive.close()
    done = cli("stage", archive.path, "freeze", "省级初评", "--note", "初评前", "--keep-copies")
    lines = done.stdout.splitlines()
    assert lines[1].startswith("保留副本：将新增 8 个文件，共 ")  # said before the copying starts
    assert lines[2].startswith("已冻结阶段“省级初评”") and lines[-1].startswith("副本：新增 8 个文件")
    shown = json.loads(cli("stage", archive.path, "list", "--json").stdout)
    assert [s["name"] for s in shown] == ["自查自评", "省级初评"]
    assert shown[1]["copies"] is True and shown[1]["note"] == "初评前" and shown[1]["files"] == 8
    assert set(shown[0]) == {"name", "note", "frozen_at", "by", "files", "bytes", "copies", "dossiers"}
    done = cli("stage", archive.path, "diff", "没有这个", code=1)
    assert "没有名为“没有这个”的阶段（已有：自查自评、省级初评）" in done.stderr


@pytest.mark.parametrize("table", ("stages", *CONTENT_TABLES))
def test_stage_rows_can_be_neither_changed_nor_deleted(archive, evidence, tmp_path, table):
    prepared(archive, evidence)
    export(archive, "docx", tmp_path / "汇编.docx")
    freeze(archive, "自查自评")
    conn = archive.conn
    assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 0
    column = "stage_id" if table != "stages" else "id"
    with pytest.raises(sqlite3.IntegrityError, match="阶段记录已冻结"):
        conn.execute(f"UPDATE {table} SET {column} = {column}")
    with pytest.raises(sqlite3.IntegrityError, match="阶段记录已冻结"):
        conn.execute(f"DELETE FROM {table}")
    if table != "stages":  # nothing can be added to a frozen stage either
        row = conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
        marks = ", ".join("?" * len(row))
        with pytest.raises(sqlite3.IntegrityError, match="阶段已冻结"):
            conn.execute(f"INSERT INTO {table} VALUES ({marks})", row)


def test_a_failed_copy_leaves_no_stage(archive, evidence):
    prepared(archive, evidence)
    (evidence / PLAN / "创建工作方案.txt").write_text("扫描后又改了", encoding="utf-8")  # the index is stale
    plan = plan_freeze(archive, keep_copies=True)
    assert plan.needed and "保留副本：将新增 8 个文件" in plan.lines()[1]
    with pytest.raises(UserError, match=r"未能保存副本，阶段未冻结.*创建工作方案\.txt（扫描后已改动）"):
        freeze(archive, "自查自评", keep_copies=True, plan=plan)
    assert list_stages(archive) == []
    store = archive.path.parent / f"{archive.path.stem}.stagestore"
    assert not [p for p in store.rglob("*.part")]  # no half-written copy


def test_extra_per_file_fields_are_frozen(archive, evidence, monkeypatch):
    prepared(archive, evidence)
    ids = [row[0] for row in archive.conn.execute("SELECT id FROM files")]
    monkeypatch.setattr(snapshot_module, "FILE_EXTRA_PROVIDERS",
                        [lambda arc: {fid: {"文号": f"食安办〔2024〕{fid}号"} for fid in ids}])
    freeze(archive, "自查自评")
    frozen = load_stage(archive, find_stage(archive, "自查自评"))
    assert {f.extra["文号"] for f in frozen.files.values()} == {f"食安办〔2024〕{fid}号" for fid in ids}


def test_copies_are_stored_once_by_content_beside_the_archive(archive, evidence):
    prepared(archive, evidence)
    assert freeze(archive, "自查自评", keep_copies=True).copied_files == 8
    assert freeze(archive, "省级初评", keep_copies=True).copied_files == 0  # nothing new: nothing stored twice
    (evidence / PLAN / "创建工作方案.txt").write_text("第二稿", encoding="utf-8")
    scan(archive)
    plan = plan_freeze(archive, keep_copies=True)
    assert plan.lines()[1].startswith("保留副本：将新增 1 个文件，共 9 B")
    assert freeze(archive, "国家验收", keep_copies=True, plan=plan).copied_bytes == 9
    store = store_root(archive)
    assert store == archive.path.parent / "测试档案.stagestore" and not store.is_relative_to(evidence)
    objects = [p for p in store.rglob("*") if p.is_file()]
    assert len(objects) == 9
    for path in objects:  # each copy is named by its content
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.parent.name + path.name


def test_a_copy_store_inside_an_evidence_folder_is_refused(archive, evidence):
    prepared(archive, evidence)
    archive.conn.execute("INSERT INTO links (code, path, is_dir, created) VALUES ('2.2', ?, 1, '2024-01-01')",
                         (str(archive.path.parent),))  # as if the archive had been moved into evidence
    with pytest.raises(UserError, match=r"副本库 .* 会位于关联的证明材料文件夹中"):
        freeze(archive, "自查自评", keep_copies=True)
    assert not store_root(archive).exists() and list_stages(archive) == []
