"""What changed since a stage: files changed in every way, scores, states and rectifications, per criterion, as
JSON from the command line and as the 整改前后对照 in Word, PDF and Excel, parsed back."""

from __future__ import annotations

import json
import shutil

from openpyxl import load_workbook
from stage_support import LEADER, PLAN, change_everything, cli, docx_text, pdf_text, prepared

from archive.index.scan import scan
from stages.diff import diff_stages
from stages.diff_report import write_diff_report
from stages.freeze import freeze


def _rels(entry: dict, kind: str) -> list[str]:
    return [change["rel"] for change in entry[kind]]


def test_every_kind_of_change_per_criterion_from_the_command_line(archive, evidence):
    prepared(archive, evidence)
    freeze(archive, "自查自评")
    change_everything(archive, evidence)
    freeze(archive, "省级初评")
    (evidence / PLAN / "补充说明.txt").write_text("再改一次", encoding="utf-8")  # after the second stage
    scan(archive)
    archive.close()
    shown = json.loads(cli("stage", archive.path, "diff", "自查自评", "省级初评", "--json").stdout)
    assert shown["from"]["name"] == "自查自评" and shown["to"]["name"] == "省级初评"
    entries = {entry["code"]: entry for entry in shown["criteria"]}
    leader, plan = entries["1.1"], entries["1.2"]
    assert _rels(leader, "changed") == [f"{LEADER}/附件正文.pdf"]
    assert leader["changed"][0]["old_sha256"] != leader["changed"][0]["sha256"]
    assert _rels(leader, "removed") == [f"{LEADER}/会议纪要/2024年第一次会议纪要.txt"]  # its folder was removed
    assert [(m["old_rel"], m["rel"]) for m in leader["moved"]] == [
        (f"{LEADER}/关于成立创建工作领导小组的通知.pdf", f"{PLAN}/关于成立创建工作领导小组的通知.pdf")]
    assert leader["score"] == {"from": {"points": 4.0, "failed": False, "note": "会议记录不全"},
                               "to": {"points": 5.0, "failed": False, "note": "会议记录不全"}}
    assert leader["state"] == {"from": "confirmed", "to": "changed"}
    assert _rels(plan, "added") == [f"{PLAN}/补充说明.txt"]
    assert _rels(plan, "removed") == [f"{PLAN}/现场照片.jpg"]
    assert sorted((m["old_rel"], m["rel"]) for m in plan["moved"]) == [
        (f"{LEADER}/关于成立创建工作领导小组的通知.pdf", f"{PLAN}/关于成立创建工作领导小组的通知.pdf"),
        (f"{PLAN}/创建工作方案.txt", f"{PLAN}/创建工作方案（定稿）.txt")]
    assert [(r["id"], r["from"], r["to"], r["verified_by"]) for r in plan["rectifications_closed"]] == [
        (1, "open", "verified", "李四")]
    assert "2.2" not in entries and "R1" not in entries  # nothing changed there
    assert shown["totals"] == {"added": 1, "changed": 1, "removed": 2, "moved": 3, "described": 0, "scores": 1,
                               "states": 2, "rectifications_closed": 1, "rectifications_raised": 0, "criteria": 3}
    since = json.loads(cli("stage", archive.path, "diff", "省级初评", "--json").stdout)  # B defaults to now
    assert since["to"]["name"] == "当前"
    assert [(e["code"], _rels(e, "changed")) for e in since["criteria"]] == [("1.2", [f"{PLAN}/补充说明.txt"])]
    text = cli("stage", archive.path, "diff", "自查自评", "省级初评").stdout
    assert f"→ 移动/改名：{PLAN}/创建工作方案.txt → {PLAN}/创建工作方案（定稿）.txt" in text
    assert "得分：4 → 5" in text and "整改销号：#1 方案未印发" in text


def test_a_linked_folder_gone_is_a_state_change_not_removed_files(archive, evidence):
    prepared(archive, evidence)
    freeze(archive, "自查自评")
    shutil.rmtree(evidence / "2.1 农残治理")
    scan(archive)
    entries = {c.code: c for c in diff_stages(archive, "自查自评").codes}
    assert entries["2.1.1"].state == ("collected", "unreachable")
    assert not any(entries["2.1.1"].files.values())  # files stay counted as last seen until it is back


def test_reports_in_three_formats(archive, evidence, tmp_path):
    prepared(archive, evidence)
    freeze(archive, "自查自评")
    change_everything(archive, evidence)
    diff = diff_stages(archive, "自查自评")
    stamp = "2025-03-01 09:00:00"
    for fmt in ("docx", "pdf"):
        target = write_diff_report(archive, diff, tmp_path / f"对照.{fmt}", generated=stamp)
        text = docx_text(target) if fmt == "docx" else pdf_text(target)
        for expected in ("整改前后对照", "某某县", "2025年3月1日", "对照：阶段“自查自评”", "1.2 制定创建工作方案",
                         "补充说明.txt", "移动/改名", "原位置：1.1 领导小组/关于成立创建工作领导小组的通知.pdf",
                         "自评得分：4 → 5", "材料状态：已确认 → 确认后有变更", "方案未印发", "新增文件 1 个"):
            assert expected in text.replace("\n", ""), (fmt, expected)
    book = load_workbook(write_diff_report(archive, diff, tmp_path / "对照.xlsx", generated=stamp))
    assert book.sheetnames == ["变化汇总", "文件变更", "得分与状态", "整改销号"]
    files = [row for row in book["文件变更"].iter_rows(min_row=2, values_only=True)]
    assert ("1.2", "制定创建工作方案", "新增", f"{PLAN}/补充说明.txt") in [row[:4] for row in files]
    assert ("1.1", "删除", f"{LEADER}/会议纪要/2024年第一次会议纪要.txt") in [(r[0], r[2], r[3]) for r in files]
    assert [row[:6] for row in book["得分与状态"].iter_rows(min_row=2, values_only=True)][:2] == [
        ("1", "组织领导", None, None, "已收集", "确认后有变更"),
        ("1.1", "成立创建工作领导小组", "4", "5", "已确认", "确认后有变更")]
    closed = list(book["整改销号"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3], r[5], r[6], r[7]) for r in closed] == [("1.2", 1, "方案未印发", "未整改", "已验证",
                                                                       "李四")]


def test_report_from_the_command_line_and_bad_suffix(archive, evidence, tmp_path):
    prepared(archive, evidence)
    freeze(archive, "自查自评")
    change_everything(archive, evidence)
    archive.close()
    out = tmp_path / "对照.xlsx"
    done = cli("stage", archive.path, "diff", "自查自评", "--out", out)
    assert f"已生成对照报告：{out}" in done.stdout and out.is_file()
    both = cli("stage", archive.path, "diff", "自查自评", "--out", tmp_path / "对照.docx", "--json")
    assert json.loads(both.stdout)["totals"]["added"] == 1 and "已生成对照报告" in both.stderr
    done = cli("stage", archive.path, "diff", "自查自评", "--out", tmp_path / "对照.txt", code=1)
    assert "对照报告可输出 .docx、.pdf 或 .xlsx" in done.stderr
    done = cli("stage", archive.path, "diff", "自查自评", "--out", evidence / PLAN / "对照.docx", code=1)
    assert "证明材料文件夹" in done.stderr and not (evidence / PLAN / "对照.docx").exists()
