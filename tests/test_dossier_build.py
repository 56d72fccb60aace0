"""The format-neutral dossier built from a real archive: order, evidence placement, numbering, gaps, states."""

from __future__ import annotations

import os
import shutil

import pytest
from export_helpers import options, populate

from archive.index.scan import scan
from archive.links import link
from common.errors import UserError
from exporters.build import build_dossier, gap_rows
from exporters.evidence import collect
from exporters.model import Attachment, Fields, Heading, Image, Paragraph, Table, TocPlaceholder

pytestmark = pytest.mark.cjk_font  # the evidence (export_helpers.populate) has a PDF drawn in a CJK font


def _texts(dossier) -> str:
    parts = [dossier.cover.title, dossier.cover.subtitle]
    for block in dossier.blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts += [cell for row in block.rows for cell in row if isinstance(cell, str)]
        elif isinstance(block, Fields):
            parts += [value for _, value in block.items]
    return "\n".join(parts)


def test_sections_come_in_the_contract_order(archive, evidence):
    populate(archive, evidence)
    dossier = build_dossier(archive, options())
    headings = [b.text for b in dossier.blocks if isinstance(b, Heading)]
    toc_at = next(i for i, b in enumerate(dossier.blocks) if isinstance(b, TocPlaceholder))
    headings_at = [i for i, b in enumerate(dossier.blocks) if isinstance(b, Heading)]
    assert headings_at[0] < toc_at < headings_at[1]  # 编制说明 opens the dossier, then the 目录
    assert headings[:3] == ["编制说明", "自评情况", "评价项目汇总表"]
    criteria = [(b.text, b.level) for b in dossier.blocks if isinstance(b, Heading) and b.anchor.startswith("c-")]
    assert criteria == [("一、组织领导", 1), ("（一）成立创建工作领导小组", 2), ("（二）制定创建工作方案", 2),
                        ("二、防范风险隐患", 1), ("（一）农药兽药残留治理提升行动", 2), ("1.农残快检台账", 3),
                        ("（二）校园食品安全示范提升行动", 2)]
    assert headings[-2:] == ["未附入材料说明", "备考表"]
    internal = [b.text for b in build_dossier(archive, options(edition="internal")).blocks if isinstance(b, Heading)]
    assert "缺项清单" in internal and "附录一 文件清单" in internal and "缺项清单" not in headings
    assert dossier.cover.title == "创建国家食品安全示范城市迎检资料汇编" and dossier.cover.subtitle == "某某县"
    assert dossier.cover.stage == "自查自评" and dossier.cover.date == "2024年5月1日"


def test_the_compilation_note_explains_numbers_with_one_of_this_dossier(archive, evidence):
    populate(archive, evidence)
    note = _texts(build_dossier(archive, options()))
    assert "三、材料编号如“1.1-003”，指评价项目 1.1 下的第 3 件材料；" in note  # a third piece where there is one
    note = _texts(build_dossier(archive, options(codes=["2.1.1"])))
    assert "三、材料编号如“2.1.1-001”，指评价项目 2.1.1 下的第 1 件材料；" in note and "1.2-003" not in note


def test_files_sit_under_the_most_specific_criterion_with_da_t_22_numbers(archive, evidence):
    populate(archive, evidence)
    items = {item.code: item for item in collect(archive).items}
    assert [f.name for f in items["2.1.1"].files] == ["台账一月.csv"]
    assert items["2.1"].files == []  # its folder holds only 2.1.1's folder
    names = [(f.number, f.title) for f in items["1.1"].files]
    assert names == [("1.1-001", "2024年第一次会议纪要"), ("1.1-002", "关于成立创建工作领导小组的通知"),
                     ("1.1-003", "附件正文")]
    assert all(not f.rel.startswith("/") and f.rel.startswith("1.1 领导小组/") for f in items["1.1"].files)
    assert items["1.1"].files[0].date.isdigit() and len(items["1.1"].files[0].date) == 8
    described = collect(archive).describe(items["2.1.1"].files[0])
    assert described.title == "台账一月" and described.date == ""  # never the file's mtime as its date


def test_every_code_file_and_gap_is_in_the_dossier(archive, evidence):
    populate(archive, evidence)
    text = _texts(build_dossier(archive, options(edition="internal")))
    for code in ("1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.2"):
        assert f"c-{code}" in {b.anchor for b in build_dossier(archive, options()).blocks if isinstance(b, Heading)}
    for title in ("2024年第一次会议纪要", "关于成立创建工作领导小组的通知", "附件正文", "创建工作方案", "损坏的通知",
                  "现场照片", "台账一月"):
        assert title in text
    assert "PDF 文件已损坏" in text  # the corrupt attachment is listed with its problem
    assert "本项暂无佐证材料" in text  # 2.2 said plainly
    assert str(evidence) not in text  # no absolute local path


def test_gap_list_groups_missing_unreachable_and_changed_by_unit(archive, evidence, tmp_path):
    populate(archive, evidence)
    with archive.atomic():  # as if everything was linked, collected and confirmed last year
        archive.conn.execute("UPDATE links SET created = '2023-01-01 08:00:00'")
        archive.conn.execute("UPDATE files SET last_changed = '2023-01-01 09:00:00'")
        archive.conn.execute("UPDATE confirmations SET time = '2023-01-02 09:00:00'")
    (evidence / "1.1 领导小组" / "会议纪要" / "2024年第一次会议纪要.txt").write_text("改过了", encoding="utf-8")
    extra = tmp_path / "外部材料"
    extra.mkdir()
    (extra / "说明.txt").write_text("x", encoding="utf-8")
    link(archive, "1.2", [str(extra)])
    scan(archive)
    shutil.rmtree(extra)
    scan(archive)
    rows = {item.code: (unit, problem, detail) for unit, item, problem, detail in gap_rows(collect(archive))}
    assert rows["1.1"][:2] == ("县食安办", "确认后有变更") and "张三" in rows["1.1"][2]
    assert rows["1.2"][:2] == ("县食安办", "无法访问") and "外部材料" in rows["1.2"][2]
    assert rows["2.2"][:2] == ("县教育局", "缺材料")
    assert set(rows) == {"1.1", "1.2", "2.2"}  # parents are not repeated for their children's gaps
    item = next(i for i in collect(archive).items if i.code == "1.1")
    remarks = {f.title: f.remark() for f in item.files}
    assert remarks["2024年第一次会议纪要"] == "确认后有变更" and remarks["附件正文"] == ""


def test_attachments_and_images_only_when_not_catalogue_only(archive, evidence):
    populate(archive, evidence)
    full = build_dossier(archive, options())
    assert [(p.code, p.title) for p in full.photos()] == [("1.2-003", "现场照片")]
    assert not full.attachments()  # nothing is attached without the PDF's page counts
    with_pages = build_dossier(archive, options(), None, {str(evidence / "1.1 领导小组" / "附件正文.pdf"): 3})
    assert [(a.title, a.pages) for a in with_pages.attachments()] == [("1.1-003 附件正文", 3)]
    lean = build_dossier(archive, options(catalogue_only=True))
    assert not any(isinstance(b, Attachment | Image) for b in lean.blocks) and not lean.photos()


def test_codes_select_subtrees_and_renumber_levels(archive, evidence):
    populate(archive, evidence)
    dossier = build_dossier(archive, options(codes=["2.1", "1.2"]))
    criteria = [(b.anchor, b.level) for b in dossier.blocks if isinstance(b, Heading) and b.anchor.startswith("c-")]
    assert criteria == [("c-1.2", 1), ("c-2.1", 1), ("c-2.1.1", 2)]
    with pytest.raises(UserError, match=r"没有编号 9\.9"):
        build_dossier(archive, options(codes=["9.9"]))


def test_change_log_appendix(archive, evidence):
    populate(archive, evidence)
    os.remove(evidence / "1.2 工作方案" / "创建工作方案.txt")
    scan(archive)
    dossier = build_dossier(archive, options(changelog_since="2000-01-01", edition="internal"))
    log = next(b for b in dossier.blocks if isinstance(b, Table) and b.columns[0] == "时间")
    kinds = {(row[1], row[2]) for row in log.rows}
    assert ("删除", "1.2 工作方案/创建工作方案.txt") in kinds
    assert ("新增", "1.1 领导小组/附件正文.pdf") in kinds
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        build_dossier(archive, options(changelog_since="昨天", edition="internal"))


def test_a_title_naming_the_county_is_not_headed_by_it_twice(archive):
    assert build_dossier(archive, options()).header == "某某县 创建国家食品安全示范城市迎检资料汇编"
    county_title = "某某县创建国家食品安全示范城市迎检资料汇编"
    assert build_dossier(archive, options(title=county_title)).header == county_title
