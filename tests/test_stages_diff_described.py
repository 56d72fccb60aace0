"""A file's catalogue description (题名, 日期, … as the dossier prints it) corrected since a stage is a change of
the stage diff: in the data, the command line's text and JSON, the Excel and PDF reports; a re-read giving the
same printed values is none, and a stage frozen before the metadata was kept diffs without spurious changes."""

from __future__ import annotations

import json
import os

from export_helpers import cjk_pdf
from openpyxl import load_workbook
from stage_support import PLAN, cli, pdf_text, prepared

from archive.index.scan import scan
from archive.metadata.store import set_values
from stages.diff import diff_stages
from stages.diff_report import totals_text, write_diff_report
from stages.freeze import freeze, plan_freeze

SCAN_NAME = "扫描件001.pdf"
NEW_TITLE = "某县创建工作督查情况记录"
EXPECTED = f"文件信息：{PLAN}/{SCAN_NAME}：题名 “扫描件001” → “{NEW_TITLE}”；日期 （空） → “20240305”"


def _scanned_file(archive, evidence) -> int:
    """A scanned PDF in 1.2's folder, named as the scanner named it; its id in the index."""
    path = evidence / PLAN / SCAN_NAME
    path.write_bytes(cjk_pdf(1, "督查情况第{}页"))
    scan(archive)
    return archive.conn.execute("SELECT id FROM files WHERE path = ?", (str(path),)).fetchone()[0]


def _described(diff) -> list[tuple[str, str, list]]:
    return [(code.code, change.rel, change.fields) for code in diff.codes for change in code.files["described"]]


def test_a_corrected_title_and_date_are_listed_everywhere(archive, evidence, tmp_path):
    prepared(archive, evidence)
    scanned = _scanned_file(archive, evidence)
    freeze(archive, "省级初评")
    set_values(archive, [scanned], {"title": NEW_TITLE, "date": "2024-03-05"})
    diff = diff_stages(archive, "省级初评")
    assert _described(diff) == [("1.2", f"{PLAN}/{SCAN_NAME}",
                                 [("题名", "扫描件001", NEW_TITLE), ("日期", "", "20240305")])]
    assert diff.totals()["described"] == 1 and "文件信息变化 1 个" in totals_text(diff)
    assert [c.code for c in diff.codes] == ["1.2"]  # nothing else changed
    stamp = "2025-03-01 09:00:00"
    book = load_workbook(write_diff_report(archive, diff, tmp_path / "对照.xlsx", generated=stamp))
    rows = list(book["文件变更"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3], r[8]) for r in rows] == [
        ("1.2", "文件信息", f"{PLAN}/{SCAN_NAME}", f"题名 “扫描件001” → “{NEW_TITLE}”；日期 （空） → “20240305”")]
    summary = list(book["变化汇总"].iter_rows(min_row=2, values_only=True))
    assert summary[0][6] == "文件信息" and summary[1][:2] == ("1.2", "制定创建工作方案") and summary[1][6] == "1"
    text = pdf_text(write_diff_report(archive, diff, tmp_path / "对照.pdf", generated=stamp)).replace("\n", "")
    assert NEW_TITLE in text and "文件信息变化 1 个" in text and SCAN_NAME in text
    archive.close()
    shown = cli("stage", archive.path, "diff", "省级初评").stdout
    assert "两次之间没有变化" not in shown and f"* {EXPECTED}" in shown
    entry = json.loads(cli("stage", archive.path, "diff", "省级初评", "--json").stdout)["criteria"][0]
    assert entry["code"] == "1.2" and [c["rel"] for c in entry["described"]] == [f"{PLAN}/{SCAN_NAME}"]
    assert entry["described"][0]["fields"] == [{"field": "题名", "from": "扫描件001", "to": NEW_TITLE},
                                               {"field": "日期", "from": "", "to": "20240305"}]


def test_between_two_stages_and_a_photo_caption(archive, evidence):
    prepared(archive, evidence)
    photo = archive.conn.execute("SELECT id FROM files WHERE path = ?",
                                 (str(evidence / PLAN / "现场照片.jpg"),)).fetchone()[0]
    freeze(archive, "自查自评")
    set_values(archive, [photo], {"place": "某县农贸市场", "photographer": "王五"})
    freeze(archive, "省级初评")
    assert _described(diff_stages(archive, "自查自评", "省级初评")) == [
        ("1.2", f"{PLAN}/现场照片.jpg", [("地点", "", "某县农贸市场"), ("摄影者", "", "王五")])]
    assert _described(diff_stages(archive, "省级初评")) == []  # nothing since the second stage


def test_a_rescan_or_a_typed_value_printing_the_same_is_no_change(archive, evidence):
    prepared(archive, evidence)
    scanned = _scanned_file(archive, evidence)
    freeze(archive, "省级初评")
    path = evidence / PLAN / SCAN_NAME
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    scan(archive)  # read again: the same content, the same values
    set_values(archive, [scanned], {"title": "扫描件001"})  # typed, but what the name already printed
    diff = diff_stages(archive, "省级初评")
    assert diff.totals()["described"] == 0 and diff.codes == [] and totals_text(diff) == "两次之间没有变化。"
    set_values(archive, [scanned], {"doc_no": "县食安办〔2024〕3号"})
    assert _described(diff_stages(archive, "省级初评")) == [
        ("1.2", f"{PLAN}/{SCAN_NAME}", [("文号", "", "县食安办〔2024〕3号")])]


def test_a_stage_frozen_before_the_metadata_was_kept_diffs_without_spurious_changes(archive, evidence):
    prepared(archive, evidence)
    scanned = _scanned_file(archive, evidence)
    set_values(archive, [scanned], {"title": "冻结前的题名"})
    plan = plan_freeze(archive)
    plan.snapshot.metadata = None  # as stages frozen before schema 6 were written
    freeze(archive, "自查自评", plan=plan)
    set_values(archive, [scanned], {"title": NEW_TITLE})
    freeze(archive, "省级初评")
    for old, new in (("自查自评", None), ("自查自评", "省级初评")):
        diff = diff_stages(archive, old, new)
        assert diff.totals()["described"] == 0 and diff.codes == []
    assert _described(diff_stages(archive, "省级初评")) == []
