"""The self-evaluation reports parsed back: 自评报告 (Word), 进度通报 (Word and PDF), 整改台账 (.xlsx) and the unit
task list; unit filters, overdue marking against a fixed day, per-unit files, cancel and refused locations."""

from __future__ import annotations

from datetime import date

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from archive.assignments import assign
from archive.index.scan import scan
from archive.links import link
from common.errors import Cancelled, UserError
from exporters.reports import write_report
from selfeval import rectify
from tests.selfeval_support import PASSING, rules_archive_fixture, score_all  # noqa: F401 - fixture

TODAY = date(2025, 6, 15)
STAMP = "2025-06-15 09:00:00"


@pytest.fixture
def filled(rules_archive, tmp_path):
    """Scores (one key item too low), two problems (one overdue, one verified), deadlines, a linked folder."""
    score_all(rules_archive, {**PASSING, "2.2": 15})
    assign(rules_archive, "3", due="2025-05-31")
    evidence = tmp_path / "材料" / "3.1 校园"
    evidence.mkdir(parents=True)
    (evidence / "检查记录.txt").write_text("检查", encoding="utf-8")
    link(rules_archive, "3.1", [str(evidence)])
    scan(rules_archive)
    rectify.add(rules_archive, "2.2", "抽检批次不足", unit="市市场监管局", due="2025-06-01")
    done = rectify.add(rules_archive, "3.2", "快检室未挂牌", unit="市农业农村局", due="2025-05-01")
    rectify.set_state(rules_archive, done.id, "verified", by="赵六")
    return rules_archive


def report(archive, kind, out, **kw):
    return write_report(archive, kind, out, today=TODAY, generated=STAMP, **kw).paths


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def is_marked(row) -> bool:
    """Red (and bold) runs in every cell: how overdue and failing rows are set in Word."""
    runs = [r for r in row._tr.iter(qn("w:r")) if r.find(qn("w:t")) is not None and r.find(qn("w:t")).text]
    return bool(runs) and all(r.find(qn("w:rPr")) is not None and r.find(qn("w:rPr")).find(qn("w:color")) is not None
                              for r in runs)


def test_selfcheck_report_in_word(filled, tmp_path):
    archive = filled
    [path] = report(archive, "selfcheck", tmp_path / "自评报告.docx")
    document = docx.Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "自查自评报告" and "2025年6月15日" in text
    for heading in ("一、总体情况", "二、自评得分", "三、存在问题及整改情况", "四、佐证材料完整性"):
        assert heading in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "预计结果：不通过。自评总分 80 分（满分 100 分，另有加分 10 分），已评分 7/7 项" in text
    blockers = cells(document.tables[0])
    assert blockers[1][:2] == ["关键项", "2.2"] and blockers[2][0] == "总分"
    scores = cells(document.tables[2])
    assert scores[0] == ["编号", "评价项目", "类别", "分值", "自评得分", "扣分说明", "牵头单位"]
    # numbered as the table prints it, parts above their items, as the dossier's 汇总表
    assert [r[0] for r in scores[1:]] == ["一、", "1.", "2.", "二、", "1.", "2.", "三、", "1.", "2.", "四、", "1."]
    row = {r[1]: r for r in scores}
    assert row["关键项"][3:5] == ["60", "45"] and row["食品安全群众满意度不低于80分"][4] == "通过"
    assert row["落实党政同责"][6] == "市食安办"
    key_row = document.tables[2].rows[[r[1] for r in scores].index("食品抽检覆盖")]
    assert is_marked(key_row) and not is_marked(document.tables[2].rows[1])
    problems = cells(document.tables[3])
    assert problems[1][1:7] == ["2.2", "抽检批次不足", "市市场监管局", "2025-06-01", "未整改", "是"]
    assert problems[2][5:8] == ["已验证", "否", "赵六 " + problems[2][7].split(" ")[1]]
    assert is_marked(document.tables[3].rows[1]) and not is_marked(document.tables[3].rows[2])
    assert "已过整改时限仍未整改" in text
    gaps = cells(document.tables[4])  # 3.1 has evidence; 3.2 is past its deadline without any
    by_code = {r[0]: r for r in gaps}
    assert "3.1" not in by_code and by_code["3.2"][:3] == ["3.2", "农产品质量安全", "缺材料（逾期）"]
    assert by_code["4.1"][2] == "缺材料"  # no deadline: missing, not overdue
    marked = [r.cells[0].text for r in document.tables[4].rows if is_marked(r)]
    assert marked == ["3.2"]


def test_selfcheck_for_one_unit_lists_only_its_items_and_problems(filled, tmp_path):
    archive = filled
    [path] = report(archive, "selfcheck", tmp_path / "自评-监管.docx", unit="市市场监管局")
    document = docx.Document(path)
    assert document.paragraphs[1].text == "某某市（市市场监管局）"
    codes = [r[0] for r in cells(document.tables[-3])[1:]]  # score table: its lead and assisting items, without
    assert codes == ["2.2", "3.1", "4.1"]  # the parts above them: by the archive's codes ("2." alone names no item)
    problems = cells(document.tables[-2])
    assert [r[1] for r in problems[1:]] == ["2.2"] and "责任单位" not in problems[0]


@pytest.mark.cjk_font
def test_bulletin_in_word_and_pdf_marks_overdue_units_and_problems(filled, tmp_path):
    archive = filled
    [word] = report(archive, "bulletin", tmp_path / "通报.docx")
    document = docx.Document(word)
    units = cells(document.tables[0])
    assert units[0] == ["单位", "负责项目", "已有材料", "缺材料", "已确认", "逾期未交", "整改未完成", "逾期整改"]
    by_unit = {r[0]: r for r in units[1:]}
    assert by_unit["市市场监管局"][1:] == ["3", "1", "2", "0", "0", "1", "1"]
    assert by_unit["市农业农村局"][5] == "1"  # 3.2: past 2025-05-31 without evidence
    assert is_marked(document.tables[0].rows[list(by_unit).index("市市场监管局") + 1])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["（一）市食安办", "（二）市统计局", "（三）市委组织部", "（四）市市场监管局", "（五）市教育局",
                        "（六）市农业农村局"]
    [pdf] = report(archive, "bulletin", tmp_path / "通报.pdf", unit="市市场监管局")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace(" ", "")
    assert "创建工作进度通报" in text and "市场监管局工作情况" in text and "抽检批次不足" in text
    assert "市农业农村局" not in text and "快检室未挂牌" not in text


def test_ledger_xlsx_columns_frozen_header_and_overdue(filled, tmp_path):
    archive = filled
    [path] = report(archive, "ledger", tmp_path / "整改台账.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["整改台账"]
    assert [c.value for c in sheet[1]] == ["序号", "评价项目编号", "评价项目", "问题", "责任单位", "整改时限", "状态",
                                          "是否逾期", "验证人", "验证时间", "备注"]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["D"].width == 48
    first, second = ([c.value for c in row] for row in sheet.iter_rows(min_row=2))
    assert first[:9] == [1, "2.2", "食品抽检覆盖", "抽检批次不足", "市市场监管局", "2025-06-01", "未整改", "是", None]
    assert second[6:9] == ["已验证", "否", "赵六"] and second[9]
    assert sheet["H2"].font.color.rgb.endswith("C00000") and not sheet["H3"].font.color
    summary = [[c.value for c in row] for row in book["按单位汇总"].iter_rows()]
    assert summary[0] == ["责任单位", "问题数", "未整改", "已整改待验证", "已验证", "逾期"]
    assert ["市市场监管局", 1, 1, 0, 0, 1] in summary and ["市农业农村局", 1, 0, 0, 1, 0] in summary
    [only] = report(archive, "ledger", tmp_path / "台账-农业.xlsx", unit="市农业农村局")
    rows = list(openpyxl.load_workbook(only)["整改台账"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == ["快检室未挂牌"]


def test_task_lists_one_per_unit_into_a_folder(filled, tmp_path):
    archive = filled
    folder = tmp_path / "任务清单"
    folder.mkdir()
    paths = report(archive, "tasks", folder)
    assert [p.name for p in paths][:3] == ["市食安办任务清单.docx", "市统计局任务清单.docx", "市委组织部任务清单.docx"]
    document = docx.Document(folder / "市市场监管局任务清单.docx")
    assert document.paragraphs[0].text == "市市场监管局创建工作任务清单"
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape: wide columns
    lead, assist, problems = (cells(t) for t in document.tables)
    assert [r[0] for r in lead[1:]] == ["2.2", "4.1"] and [r[0] for r in assist[1:]] == ["3.1"]
    assert problems[1][2:6] == ["抽检批次不足", "2025-06-01", "未整改", "是"]


def test_equal_archives_give_equal_word_files(filled, tmp_path):
    archive = filled
    first = report(archive, "selfcheck", tmp_path / "a.docx")[0].read_bytes()
    assert report(archive, "selfcheck", tmp_path / "b.docx")[0].read_bytes() == first


@pytest.mark.cjk_font
def test_a_cancelled_report_leaves_nothing_behind(filled, tmp_path):
    archive = filled
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    out = tmp_path / "输出"
    out.mkdir()
    with pytest.raises(Cancelled):
        write_report(archive, "bulletin", out / "通报.pdf", cancel=cancel, today=TODAY)
    assert len(calls) == 4 and list(out.iterdir()) == []


def test_reports_are_refused_inside_evidence_folders_and_for_unknown_units(filled, tmp_path):
    archive = filled
    with pytest.raises(UserError, match="不能把报告保存在关联的证明材料文件夹中"):
        report(archive, "ledger", tmp_path / "材料" / "3.1 校园" / "台账.xlsx")
    with pytest.raises(UserError, match="没有单位“市财政局”"):
        report(archive, "bulletin", tmp_path / "通报.docx", unit="市财政局")
    with pytest.raises(UserError, match="不支持的报告类型"):
        report(archive, "summary", tmp_path / "x.docx")
