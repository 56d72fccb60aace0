"""Files kept out of the dossier (不列入汇编): the mark follows the file, lapses with its content, leaves the status
alone; the 送审版 never names the file, the 内部版 lists it, the plan says it; the command line sets, lists and lifts
it; an archive of the version before gets the table."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from export_helpers import options, page_texts, populate

from archive.db import SCHEMA_VERSION, open_archive
from archive.exclusions import exclude, exclusions, include, lapsed
from archive.index.scan import scan
from archive.metadata.period import period_problems, save_period
from archive.metadata.store import set_values
from archive.status import compute_status
from conftest import run_cli
from exporters import export, plan_export
from exporters.build_sections import gap_rows
from exporters.evidence import collect

pytestmark = pytest.mark.cjk_font  # the evidence (export_helpers.populate) has a PDF drawn in a CJK font


def file_id(archive, path) -> int:
    return archive.conn.execute("SELECT id FROM files WHERE path = ?", (str(path),)).fetchone()[0]


def listed(archive, code: str) -> list[tuple[str, str]]:
    item = next(i for i in collect(archive).items if i.code == code)
    return [(f.number, f.name) for f in item.files]


@pytest.fixture
def draft(archive, evidence):
    """1.2's folder with a draft beside the plan, the draft marked."""
    populate(archive, evidence)
    path = evidence / "1.2 工作方案" / "创建工作方案（征求意见稿）.txt"
    path.write_text("征求意见稿正文", encoding="utf-8")
    scan(archive)
    exclude(archive, [file_id(archive, path)], by="李四", reason="征求意见稿")
    return path


def test_a_marked_file_is_neither_listed_nor_numbered_but_still_counts_as_evidence(archive, draft):
    assert [name for _, name in listed(archive, "1.2")] == ["创建工作方案.txt", "损坏的通知.pdf", "现场照片.jpg"]
    assert [number for number, _ in listed(archive, "1.2")] == ["1.2-001", "1.2-002", "1.2-003"]
    (code, f, why), = collect(archive).excluded
    assert (code, f.name) == ("1.2", draft.name)
    assert re.fullmatch(r"李四 \d{4}-\d{2}-\d{2}：征求意见稿", why)
    status = {s.code: s for s in compute_status(archive)}["1.2"]
    assert status.files == 4 and status.state == "collected"  # the folder holds it: the office still sees it


def test_the_mark_follows_a_rename_and_lapses_when_the_content_changes(archive, draft):
    renamed = draft.with_name("方案草稿.txt")
    os.rename(draft, renamed)
    scan(archive)
    assert list(exclusions(archive)) == [file_id(archive, renamed)]
    assert "方案草稿.txt" not in [name for _, name in listed(archive, "1.2")]
    renamed.write_text("经审议通过的正式方案", encoding="utf-8")  # the department overwrote the draft
    scan(archive)
    assert exclusions(archive) == {}
    assert "方案草稿.txt" in [name for _, name in listed(archive, "1.2")]
    said = [line for line in plan_export(archive, "pdf", options()).lines() if "不列入汇编" in line]
    assert said == ["1 个文件曾标为“不列入汇编”，此后内容已改变，标记失效，照常导出（仍不需要的请重新标记；需要的请右键"
                    "“恢复列入汇编”，不再提示）：1.2-003 方案草稿"]
    exclude(archive, [file_id(archive, renamed)])  # marked again: for the new content
    assert list(exclusions(archive)) == [file_id(archive, renamed)] and not lapsed(archive)
    renamed.write_text("正式方案（修订）", encoding="utf-8")
    scan(archive)
    assert lapsed(archive) == {file_id(archive, renamed)}
    assert include(archive, [file_id(archive, renamed)]) == 0 and not lapsed(archive)  # the note is dismissed


def test_a_file_dated_outside_the_period_and_kept_out_is_no_longer_a_problem(archive, draft):
    save_period(archive, "2024-01-01", "2026-06-30")
    marked = file_id(archive, draft)
    set_values(archive, [marked], {"date": "2023-05-01"})
    assert marked not in period_problems(archive)  # settled by the mark
    include(archive, [marked])
    assert period_problems(archive)[marked].startswith("日期不在创建周期内（成文日期 2023-05-01")
    assert {s.code: s for s in compute_status(archive)}["1.2"].problems == 2  # the damaged PDF and the draft


def test_a_removed_file_takes_its_mark_along(archive, draft):
    marked = file_id(archive, draft)
    draft.unlink()
    scan(archive)
    assert archive.conn.execute("SELECT COUNT(*) FROM excluded_files").fetchone()[0] == 0
    assert include(archive, [marked]) == 0


def test_the_review_edition_never_names_it_the_internal_one_lists_it_and_the_plan_says_so(archive, draft, tmp_path):
    lines = plan_export(archive, "pdf", options()).lines()
    said = next(line for line in lines if "不列入汇编" in line)
    assert said.startswith("1 个文件标为“不列入汇编”，不导出") and "1.2 创建工作方案（征求意见稿）" in said
    review, internal = tmp_path / "送审.pdf", tmp_path / "内部.pdf"
    export(archive, "pdf", review, options())
    export(archive, "pdf", internal, options(edition="internal"))
    review_text = "".join("".join(page.split()) for page in page_texts(review))
    internal_text = "".join("".join(page.split()) for page in page_texts(internal))
    assert "征求意见稿" not in review_text and "不列入汇编" not in review_text
    assert "不列入汇编的文件（1个）" in internal_text and "征求意见稿" in internal_text


def test_the_handover_package_copies_and_lists_everything_but_it(archive, draft, tmp_path):
    path = tmp_path / "移交包.zip"
    export(archive, "zip", path, options())
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        listing = package.read("附件_文件校验清单.xlsx")
        catalogue = package.read("迎检资料目录.xlsx")
    assert any(name.endswith("创建工作方案.txt") for name in names)
    assert not any("征求意见稿" in name for name in names)
    sheet = openpyxl.load_workbook(io.BytesIO(listing)).active
    assert not any("征求意见稿" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    criteria = openpyxl.load_workbook(io.BytesIO(catalogue))["评价项目"]
    counts = {row[0]: row[-1] for row in criteria.iter_rows(min_row=2, values_only=True)}
    assert (counts["1.2"], counts["1"]) == (3, 6)  # as listed: the draft is in the folder, not in the package


def test_an_item_whose_every_file_is_marked_is_named_by_the_plan(archive, evidence):
    populate(archive, evidence)
    folder = evidence / "1.1 领导小组"
    ids = [file_id(archive, p) for p in folder.rglob("*") if p.is_file()]
    exclude(archive, ids)
    assert listed(archive, "1.1") == []
    said = next(line for line in plan_export(archive, "docx", options()).lines() if "不列入汇编" in line)
    assert "；1.1 的材料因此都不导出" in said
    (unit, item, problem, detail), *_ = gap_rows(collect(archive))  # the 内部版's 缺项清单 and the package's Excel
    assert (unit, item.code, problem) == ("县食安办", "1.1", "材料均不列入汇编")
    assert detail == "3 个文件均标为不列入汇编，汇编中本项目没有材料"


def test_the_command_line_marks_lists_and_lifts(capsys, archive, draft, evidence):
    path = str(archive.path)
    archive.close()
    folder = evidence / "1.1 领导小组" / "会议纪要"
    out = run_cli(capsys, "exclude", path, str(folder), "--reason", "内部记录", "--by", "王五")
    assert out.strip() == "已标记不列入汇编：1 个文件"
    data = json.loads(run_cli(capsys, "exclude", path, "--list", "--json"))
    assert [(os.path.basename(d["path"]), d["by"], d["reason"]) for d in data] == [
        ("2024年第一次会议纪要.txt", "王五", "内部记录"), (draft.name, "李四", "征求意见稿")]
    out = run_cli(capsys, "exclude", path, str(draft), str(folder), "--undo")
    assert out.strip() == "已恢复列入汇编：2 个文件"
    assert run_cli(capsys, "exclude", path, "--list").strip() == "没有标为不列入汇编的文件"
    err = run_cli(capsys, "exclude", path, str(evidence / "没有这个文件.txt"), code=1)
    assert "文件不在档案的索引中" in err and "没有这个文件.txt" in err
    assert "二者选一" in run_cli(capsys, "exclude", path, code=1)


def test_a_stage_diff_does_not_call_a_file_kept_out_removed(capsys, archive, draft):
    path = str(archive.path)
    include(archive, [file_id(archive, draft)])
    archive.close()
    run_cli(capsys, "stage", path, "freeze", "自查阶段")
    run_cli(capsys, "exclude", path, str(draft), "--reason", "征求意见稿")
    diff = json.loads(run_cli(capsys, "stage", path, "diff", "自查阶段", "--json"))
    assert diff["criteria"] == [] and diff["totals"]["removed"] == 0, diff
    rebuilt = Path(path).with_name("重建.docx")
    run_cli(capsys, "stage", path, "rebuild", "自查阶段", "--out", rebuilt)
    cells = [cell.text for table in docx.Document(str(rebuilt)).tables for row in table.rows for cell in row.cells]
    assert any("征求意见稿" in text for text in cells)  # frozen before the mark: the stage's dossier lists it


def test_an_archive_of_the_version_before_gets_the_table(archive):
    path = archive.path
    archive.conn.executescript("DROP TRIGGER excluded_file_deleted; DROP TABLE excluded_files;"
                               "UPDATE meta SET value = '10' WHERE key = 'schema_version';")
    archive.close()
    with open_archive(path) as again:
        assert again.meta("schema_version") == str(SCHEMA_VERSION) and exclusions(again) == {}
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'excluded_file_deleted'").fetchone()
