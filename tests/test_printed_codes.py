"""A catalogue imported with its printed codes, not dotted ones: items 1…9 numbered on across the parts 一、二、三,
so item 5 sits under 二. What lies under a criterion is asked by parent everywhere: automap's category folders, a
stage comparison of one part, the internal edition's 齐全 count."""

from __future__ import annotations

import criteria_corpus as corpus
import pytest
from docx import Document
from export_helpers import options

from archive.automap import automap_tree
from archive.catalogue import store_catalogue
from archive.index.scan import scan
from archive.links import link
from criteria.importers import load_catalogue
from exporters import export
from stages.diff import diff_stages
from stages.freeze import freeze


@pytest.fixture
def run_on(archive, tmp_path):
    """The archive on the run-on numbered table: 一 holds 1-4, 二 holds 5-7, 三 holds 8-9."""
    store_catalogue(archive, load_catalogue(corpus.run_on_numbers_xlsx(tmp_path / "连续编号.xlsx")))
    assert {c: p for c, p in archive.conn.execute("SELECT code, parent FROM criteria")}["5"] == "二"
    return archive


def linked_item_5(archive, tmp_path):
    """Item 5's folder with one file, linked and scanned."""
    folder = tmp_path / "材料" / "5"
    folder.mkdir(parents=True)
    (folder / "方案.txt").write_text("第一版", encoding="utf-8")
    link(archive, "5", [str(folder)])
    scan(archive)
    return folder


def test_automap_links_the_items_folders_not_their_part_too(run_on, tmp_path):
    """"二、能力建设/5 第5项工作": the part folder was linked to 二 as well, its item's files counted twice."""
    root = tmp_path / "材料"
    (root / "二、能力建设" / "5 第5项工作").mkdir(parents=True)
    report = automap_tree(run_on, str(root))
    assert report.linked == [("5", str(root / "二、能力建设" / "5 第5项工作"))]
    assert report.categories == [("二", str(root / "二、能力建设"))]


def test_a_stage_comparison_of_a_part_shows_its_items_changes(run_on, tmp_path):
    """阶段对比 on 二 said "没有变化" while item 5 had a new file."""
    folder = linked_item_5(run_on, tmp_path)
    freeze(run_on, "自查")
    (folder / "补充.txt").write_text("新增", encoding="utf-8")
    scan(run_on)
    diff = diff_stages(run_on, "自查")
    assert [c.code for c in diff.for_code("二")] == ["5"] and diff.for_code("一") == []


def test_the_internal_summary_counts_a_parts_items(run_on, tmp_path):
    """The internal edition's 评价项目汇总表 says of a part how many of its items are complete: "齐全 1/3 项"."""
    linked_item_5(run_on, tmp_path)
    out = tmp_path / "汇编.docx"
    export(run_on, "docx", out, options(edition="internal", catalogue_only=True))
    rows = [[cell.text for cell in row.cells] for table in Document(str(out)).tables for row in table.rows]
    part = next(row for row in rows if row[:2] == ["二、", "能力建设"])
    assert part[-1] == "齐全 1/3 项"
