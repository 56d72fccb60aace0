"""Rebuilding a frozen stage: the same content as the export it recorded, with and without kept copies; files that
changed since are named; a damaged copy store is a clear error and never a silently different dossier."""

from __future__ import annotations

import json
import os
import re
import zipfile
import zlib
from datetime import datetime

import pytest
from docx import Document
from export_helpers import cjk_pdf
from stage_support import LEADER, PLAN, change_everything, cli, docx_text, pdf_text, prepared

from archive.index.scan import scan
from archive.metadata.store import set_values
from common.errors import UserError
from common.text import chinese_date
from exporters import ExportOptions, export
from exporters.exportlog import evidence_digest
from exporters.file_fields import describe_files
from selfeval import rectify
from selfeval.scores import set_score
from stages.copystore import store_root
from stages.evidence import stage_evidence
from stages.freeze import freeze, plan_freeze
from stages.frozen_data import fields_row
from stages.rebuild import rebuild
from stages.records import find_stage, load_stage

ATTACHMENT = f"{LEADER}/附件正文.pdf"


@pytest.fixture
def handed_over(archive, evidence, tmp_path):
    """The dossier and package exported for 自查自评, then the stage frozen (copies kept when asked)."""
    prepared(archive, evidence)
    originals = {fmt: tmp_path / f"原汇编.{fmt}" for fmt in ("docx", "pdf", "zip")}
    for fmt, path in originals.items():
        export(archive, fmt, path, ExportOptions(stage="自查自评", compiler="某某县食安办"))
    return originals


def test_two_rebuilds_and_the_original_export_agree_while_files_are_unchanged(archive, handed_over, tmp_path):
    freeze(archive, "自查自评")
    for fmt in ("docx", "pdf"):
        first = rebuild(archive, "自查自评", fmt, tmp_path / f"重建一.{fmt}")
        second = rebuild(archive, "自查自评", fmt, tmp_path / f"重建二.{fmt}")
        assert "按本阶段记录的导出" in first.basis and first.identical and first.changed == []
        read = docx_text if fmt == "docx" else pdf_text
        assert read(first.path) == read(second.path) == read(handed_over[fmt])
        assert first.path.read_bytes() == second.path.read_bytes() == handed_over[fmt].read_bytes()
    assert "附件正文第3页" in pdf_text(tmp_path / "重建一.pdf")  # the attachment's pages are in


def test_without_an_export_the_freeze_time_dates_the_rebuild(archive, evidence, tmp_path):
    prepared(archive, evidence)
    stage = freeze(archive, "省级初评").stage
    rebuilt = rebuild(archive, "省级初评", "docx", tmp_path / "重建.docx")
    assert rebuilt.basis.startswith("按阶段“省级初评”冻结时")
    text = docx_text(rebuilt.path)
    assert chinese_date(stage.frozen_at) in text  # the cover and the 备考表 are dated at the freeze, and so is
    created = Document(str(rebuilt.path)).core_properties.created  # the file, to the second
    assert created.replace(tzinfo=None) == datetime.strptime(stage.frozen_at, "%Y-%m-%d %H:%M:%S")
    # the frozen self-evaluation (score 4 of 5 with its note, the open rectification) and file descriptions
    for shown in ("自评情况", "扣 1 分：会议记录不全", "方案未印发（县食安办，未整改，时限 2025-01-01）",
                  "创建工作方案"):
        assert shown in text, shown
    # what an export at the moment of freezing gave, with the stage's name as its 阶段
    at_freeze = export(archive, "docx", tmp_path / "冻结时导出.docx",
                       ExportOptions(stage="省级初评", generated=stage.frozen_at)).path
    assert docx_text(at_freeze) == docx_text(rebuilt.path)
    (evidence / PLAN / "创建工作方案.txt").write_text("改过", encoding="utf-8")  # the Word dossier does not read it
    scan(archive)
    again = rebuild(archive, "省级初评", "docx", tmp_path / "再次重建.docx")
    assert again.changed == [str(evidence / PLAN / "创建工作方案.txt")] and again.identical
    assert docx_text(again.path) == docx_text(rebuilt.path)


def test_without_copies_changed_attachments_are_named_and_left_out(archive, evidence, handed_over, tmp_path):
    freeze(archive, "自查自评")
    (evidence / LEADER / "附件正文.pdf").write_bytes(cjk_pdf(1, "冻结后改写的正文"))
    (evidence / PLAN / "创建工作方案.txt").unlink()
    scan(archive)
    archive.close()
    out = tmp_path / "重建.pdf"
    done = cli("stage", archive.path, "rebuild", "自查自评", "--format", "pdf", "--out", out)
    assert "冻结后已改动或不存在的文件（2 个）：" in done.stdout
    assert str(evidence / LEADER / "附件正文.pdf") in done.stdout
    assert str(evidence / PLAN / "创建工作方案.txt") in done.stdout
    # both were attached when it was frozen (the text file set as pages): neither can be now
    assert "没有保留副本，未能附入（2 个，仅在目录中列出）" in done.stdout
    assert "注意：重建结果与冻结时不完全一致：2 个文件的原文未能附入" in done.stdout
    text = pdf_text(out)
    assert "附件正文第1页" not in text and "冻结后改写的正文" not in text  # neither the old nor the new pages
    assert "附件正文" in text  # still listed in the catalogue with its frozen hash
    original = pdf_text(handed_over["pdf"])
    hashes = re.compile(r"\b[0-9a-f]{32}\b")
    assert sorted(hashes.findall(text)) == sorted(hashes.findall(original))  # the manifest is the frozen one


def test_with_copies_everything_is_rebuilt_as_handed_over(archive, evidence, handed_over, tmp_path):
    freeze(archive, "自查自评", keep_copies=True)
    change_everything(archive, evidence)
    for fmt, read_back in (("docx", "现场照片.jpg"), ("pdf", "附件正文.pdf")):  # Word embeds photos only
        result = rebuild(archive, "自查自评", fmt, tmp_path / f"重建.{fmt}")
        assert result.identical and read_back in " ".join(result.restored)
        read = docx_text if fmt == "docx" else pdf_text
        assert read(result.path) == read(handed_over[fmt])
    package = rebuild(archive, "自查自评", "zip", tmp_path / "重建.zip")
    assert len(package.restored) == 5  # edited, deleted, renamed, moved, and the file in the removed folder
    with zipfile.ZipFile(package.path) as rebuilt, zipfile.ZipFile(handed_over["zip"]) as original:
        assert rebuilt.namelist() == original.namelist()
        for name in original.namelist():
            if not name.endswith("/"):
                assert rebuilt.read(name) == original.read(name), name
            assert rebuilt.getinfo(name).date_time == original.getinfo(name).date_time, name


def test_a_damaged_copy_is_a_clear_error_and_writes_nothing(archive, evidence, handed_over, tmp_path):
    freeze(archive, "自查自评", keep_copies=True)
    attachment = evidence / LEADER / "附件正文.pdf"
    sha = archive.conn.execute("SELECT sha256 FROM files WHERE path = ?", (str(attachment),)).fetchone()[0]
    attachment.write_bytes(cjk_pdf(1, "冻结后改写的正文"))
    scan(archive)
    copy = store_root(archive) / sha[:2] / sha[2:]
    os.chmod(copy, 0o644)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte on disk
    copy.write_bytes(bytes(data))
    archive.close()
    out = tmp_path / "重建.pdf"
    done = cli("stage", archive.path, "rebuild", "自查自评", "--out", out, code=1)
    assert f"副本已损坏：{ATTACHMENT} 的副本（{copy}）内容与冻结时记录的 SHA-256 不一致" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    copy.unlink()
    done = cli("stage", archive.path, "rebuild", "自查自评", "--out", out, code=1)
    assert f"副本库中缺少 {ATTACHMENT} 的副本" in done.stderr and not out.exists()


def test_rebuild_options_and_errors(archive, evidence, handed_over, tmp_path):
    freeze(archive, "自查自评")
    result = rebuild(archive, "自查自评", "docx", tmp_path / "部分.docx",
                     {"codes": ["1.2"], "title": "补充材料", "stage": "国家验收"})
    text = docx_text(result.path)
    assert "补充材料" in text and "国家验收" in text and "（二）制定创建工作方案" in text  # headings: labelled()
    assert "（一）成立创建工作领导小组" not in text and "按阶段“自查自评”冻结时" in result.basis
    with pytest.raises(UserError, match=r"冻结时的评价目录中没有编号 9\.9"):
        rebuild(archive, "自查自评", "docx", tmp_path / "x.docx", {"codes": ["9.9"]})
    with pytest.raises(UserError, match=r"输出文件应以 \.pdf 结尾"):
        rebuild(archive, "自查自评", "pdf", tmp_path / "x.docx")
    with pytest.raises(UserError, match="证明材料文件夹"):
        rebuild(archive, "自查自评", "docx", evidence / PLAN / "x.docx")
    with pytest.raises(UserError, match="没有名为“国家验收”的阶段"):
        rebuild(archive, "国家验收", "docx", tmp_path / "x.docx")


def test_a_rebuild_repeats_the_recorded_edition_and_layout_with_the_frozen_scores(archive, evidence, tmp_path):
    prepared(archive, evidence)
    options = ExportOptions(stage="自查自评", edition="internal", scores=False, photos_per_page=1, page_numbers="dash")
    original = export(archive, "docx", tmp_path / "内部版.docx", options).path
    freeze(archive, "自查自评")
    set_score(archive, "1.1", 2, note="冻结后改的分", by="张三")  # after the freeze: not in the stage's dossier
    rectify.set_state(archive, rectify.list_all(archive)[0].id, "verified", by="李四")
    # what the stage kept reads back exactly as the export showed it (the export log's digest)
    info = find_stage(archive, "自查自评")
    logged = archive.conn.execute("SELECT evidence_digest FROM exports").fetchone()[0]
    assert evidence_digest(stage_evidence(load_stage(archive, info))) == logged
    rebuilt = rebuild(archive, "自查自评", "docx", tmp_path / "重建.docx")
    assert rebuilt.identical and rebuilt.path.read_bytes() == original.read_bytes()
    text = docx_text(rebuilt.path)
    assert "（内部版）" in text and "附录一 文件清单" in text and "未整改" in text
    assert "自评得分" not in text and "冻结后改的分" not in text and "已验证" not in text
    with_scores = rebuild(archive, "自查自评", "docx", tmp_path / "送审版.docx", {"stage": "省级初评"})
    text = docx_text(with_scores.path)  # options given: the default edition, scores shown, as frozen
    assert "（送审版）" in text and "扣 1 分：会议记录不全" in text and "冻结后改的分" not in text


def _plan_file_id(archive, evidence) -> int:
    path = str(evidence / PLAN / "创建工作方案.txt")
    return archive.conn.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()[0]


def test_file_descriptions_are_rebuilt_from_the_metadata_as_frozen(archive, evidence, tmp_path):
    prepared(archive, evidence)
    plan_file = _plan_file_id(archive, evidence)
    set_values(archive, [plan_file], {"title": "冻结时的方案题名", "doc_no": "县食安办〔2024〕3号"})
    original = export(archive, "docx", tmp_path / "原汇编.docx", ExportOptions(stage="自查自评")).path
    freeze(archive, "自查自评")
    set_values(archive, [plan_file], {"title": "冻结后改的题名", "doc_no": None})
    packed = json.loads(zlib.decompress(archive.conn.execute("SELECT data FROM stage_metadata").fetchone()[0]))
    assert [plan_file, "title", "冻结时的方案题名"] in [row[:3] for row in packed["typed"]]
    rebuilt = rebuild(archive, "自查自评", "docx", tmp_path / "重建.docx")
    assert rebuilt.identical and rebuilt.path.read_bytes() == original.read_bytes()
    text = docx_text(rebuilt.path)
    assert "冻结时的方案题名" in text and "县食安办〔2024〕3号" in text and "冻结后改的题名" not in text
    assert "冻结后改的题名" in docx_text(export(archive, "docx", tmp_path / "现在.docx").path)  # the archive moved on


def test_a_stage_that_kept_descriptions_instead_of_metadata_rebuilds_from_them(archive, evidence, tmp_path):
    """Stages frozen before schema 6 kept each listed file's description (stage_files `described`) and no
    metadata: their rebuild still shows what they kept."""
    prepared(archive, evidence)
    plan_file = _plan_file_id(archive, evidence)
    set_values(archive, [plan_file], {"title": "当时的方案题名"})
    plan = plan_freeze(archive)
    described = describe_files(archive.conn, list(plan.snapshot.files.values()))
    for record in plan.snapshot.files.values():
        if record.listed and record.listed[0][1] is not None:
            record.described = fields_row(described[record.id])
    plan.snapshot.metadata = None
    freeze(archive, "自查自评", plan=plan)
    assert archive.conn.execute("SELECT COUNT(*) FROM stage_metadata").fetchone()[0] == 0
    set_values(archive, [plan_file], {"title": "后来的题名"})
    text = docx_text(rebuild(archive, "自查自评", "docx", tmp_path / "重建.docx").path)
    assert "当时的方案题名" in text and "后来的题名" not in text
