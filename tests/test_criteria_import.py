"""Importing criteria tables from real .xlsx, .docx and .csv files built here, and the refusals."""

from __future__ import annotations

import json

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.importers import load_catalogue, plan_import
from criteria.importers.grid import Cell, Grid, Row
from criteria.importers.table import catalogue_from_grids
from criteria.importers.values import parse_points
from criteria.model import Catalogue, CatalogueError
from criteria.yamlio import save_yaml


def tree(catalogue: Catalogue) -> list[tuple]:
    return [(c.code, c.parent, c.level, c.label, c.title, c.points) for c in catalogue.criteria]


# --- Excel -----------------------------------------------------------------------------------------------------

def write_main_xlsx(path):
    """Two-row header, full-width headings, 评价项目 merged over items, blank and 注 rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价细则"
    ws.append(["附件2"])
    ws.append(["国家食品安全示范城市评价细则（示例）"])
    ws.append(["序号", "评价项目", "评价内容", None, "分值", "牵头单位", "配合单位", "得分"])  # row 3
    ws.append([None, None, "评价标准", "评价细则", None, None, None, None])  # row 4
    for cells in ("A3:A4", "B3:B4", "C3:D3", "F3:F4", "G3:G4", "H3:H4"):
        ws.merge_cells(cells)  # 分值 (E) is deliberately not merged: "over nothing"
    ws.append(["一、党政同责"])  # row 5
    ws.merge_cells("A5:H5")
    ws.append([1, "（一）组织领导", "成立创建工作领导小组", "未成立不得分", "2分", "县食安办",
               "各乡镇、县市场监管局", 2])
    ws.append([2, None, "制定创建工作方案", "方案不全扣1分", 3, "县食安办", None, None])
    ws.append([3, None, "定期召开推进会", "每少一次扣0.5分", "２", "县政府办", None, None])
    ws.merge_cells("B6:B8")
    ws.append([4, "（二）经费保障", "落实创建工作经费", "未落实不得分", 2.5, "县财政局", None, None])  # row 9
    ws.append([])  # row 10
    ws.append(["二、能力建设"])  # row 11
    ws.merge_cells("A11:G11")  # stops before 得分: still a heading
    ws.append([5, None, "检验量达到每千人4批次", "每少0.5批次扣1分", 5, "县市场监管局", "县农业农村局；县卫健局", None])
    ws.append(["注：1. 本表为示例，分值合计以正式细则为准。"])  # row 13
    ws.merge_cells("A13:H13")
    ws.append(["2. 序号 6 以后为备用行"])
    ws.append([6, None, "不是评价项目", None, 1, None, None, None])
    wb.save(path)
    return path


def test_xlsx_two_row_header_headings_groups_and_notes(tmp_path):
    catalogue = load_catalogue(write_main_xlsx(tmp_path / "细则.xlsx"))
    assert catalogue.title == "国家食品安全示范城市评价细则（示例）"
    assert catalogue.source == "细则.xlsx"
    # Items numbered 1…5 across the parts keep their printed numbers; the parts, whose "1" and "2" the items hold,
    # keep theirs as Chinese numerals.
    assert tree(catalogue) == [
        ("一", None, 1, "一、", "党政同责", None),
        ("一.1", "一", 2, "（一）", "组织领导", None),
        ("1", "一.1", 3, "1", "成立创建工作领导小组", 2.0),
        ("2", "一.1", 3, "2", "制定创建工作方案", 3.0),
        ("3", "一.1", 3, "3", "定期召开推进会", 2.0),
        ("一.2", "一", 2, "（二）", "经费保障", None),
        ("4", "一.2", 3, "4", "落实创建工作经费", 2.5),
        ("二", None, 1, "二、", "能力建设", None),
        ("5", "二", 2, "5", "检验量达到每千人4批次", 5.0),
    ]
    by_code = catalogue.by_code()
    assert by_code["1"].units == ["县食安办", "各乡镇", "县市场监管局"]
    assert by_code["1"].rule == "未成立不得分"
    assert by_code["2"].units == ["县食安办"]
    assert by_code["5"].units == ["县市场监管局", "县农业农村局", "县卫健局"]
    assert by_code["一"].units == [] and by_code["一"].rule == ""


PLAN_STATEMENT = "将食品安全工作纳入党委政府重要议事日程，每年至少专题研究2次。"


def write_named_rows_xlsx(path, statements: bool = True, codes=("1", "2", "3", "4")):
    """A provincial table: 一级指标 merged over its rows, and on every row a 二级指标 that names the item beside the
    评价内容 that states it (or, `statements` False, a second name: an item below its 二级指标)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "一级指标", "二级指标", "评价内容", "分值", "责任单位"])
    rows = [("组织领导（10分）", "党政同责", PLAN_STATEMENT, 5, "县委办"),
            (None, "工作机制", "建立食品安全委员会，定期召开全体会议。", 5, "县食安办"),
            ("源头治理（10分）", "农药兽药", "开展农药兽药残留专项整治，合格率≥98%。", 6, "县农业农村局"),
            (None, "产地准出", "落实承诺达标合格证制度，覆盖率≥90%。", 4, "县农业农村局")]
    for code, (top, name, content, points, unit) in zip(codes, rows, strict=True):
        ws.append([code, top, name, content if statements else content.split("，")[0].lstrip("将"), points, unit])
    ws.merge_cells("B2:B3")
    ws.merge_cells("B4:B5")
    wb.save(path)
    return path


def test_a_column_that_names_each_item_row_names_the_items(tmp_path):
    """Not a group 党政同责 over one item titled with the whole 评价内容 sentence: the item 1 党政同责, judged by it."""
    plan = plan_import(write_named_rows_xlsx(tmp_path / "省细则.xlsx"))
    catalogue = plan.catalogue
    assert [(c.code, c.parent, c.title, c.points) for c in catalogue.criteria] == [
        ("一", None, "组织领导", 10.0), ("1", "一", "党政同责", 5.0), ("2", "一", "工作机制", 5.0),
        ("二", None, "源头治理", 10.0), ("3", "二", "农药兽药", 6.0), ("4", "二", "产地准出", 4.0)]
    assert catalogue.by_code()["1"].rule == PLAN_STATEMENT
    assert any("C 列“二级指标”按内容判断为“评价内容”" in warning.message for warning in plan.warnings)


def test_a_column_naming_each_item_row_under_headings_across_the_table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "评价项目", "评价内容", "分值", "责任单位"])
    for row in (["一、组织领导（10分）"], [1, "党政同责", PLAN_STATEMENT, 5, "县委办"],
                [2, "工作机制", "建立食品安全委员会，定期召开全体会议。", 5, "县食安办"], ["二、源头治理（10分）"],
                [3, "农药兽药", "开展农药兽药残留专项整治，合格率≥98%。", 6, "县农业农村局"]):
        ws.append(row)
    ws.merge_cells("A2:E2")
    ws.merge_cells("A5:E5")
    wb.save(tmp_path / "细则.xlsx")
    catalogue = load_catalogue(tmp_path / "细则.xlsx")
    assert [(c.code, c.parent, c.title) for c in catalogue.criteria] == [
        ("一", None, "组织领导"), ("1", "一", "党政同责"), ("2", "一", "工作机制"), ("二", None, "源头治理"),
        ("3", "二", "农药兽药")]
    assert catalogue.by_code()["1"].rule == PLAN_STATEMENT


@pytest.mark.parametrize(("statements", "codes"), [(False, ("1", "2", "3", "4")),  # items that are names too
                                                   (True, ("1.1.1", "1.2.1", "2.1.1", "2.2.1"))])  # codes nest them
def test_a_column_naming_each_row_still_groups_where_the_table_says_so(tmp_path, statements, codes):
    catalogue = load_catalogue(write_named_rows_xlsx(tmp_path / "细则.xlsx", statements, codes))
    by_title = {c.title: c for c in catalogue.criteria}
    assert by_title["党政同责"].parent is not None and by_title["党政同责"].rule == ""
    below = [c.title for c in catalogue.criteria if c.parent == by_title["党政同责"].code]
    assert below == [PLAN_STATEMENT if statements else "食品安全工作纳入党委政府重要议事日程"]


def test_xlsx_reimport_gives_identical_codes(tmp_path):
    first = load_catalogue(write_main_xlsx(tmp_path / "a.xlsx"))
    again = load_catalogue(write_main_xlsx(tmp_path / "a.xlsx"))
    assert first == again


def write_group_code_xlsx(path):
    """序号 merged with 评价项目 (numbering the groups), codes inside 评价内容, 评价内容 merged over two 细则 rows,
    测评方式 merged down, a 类别 column, a 合计 row, a hidden row, and a first sheet without any header."""
    wb = openpyxl.Workbook()
    intro = wb.active
    intro.title = "填表说明"
    intro.append(["请各单位对照下表逐项准备佐证材料。"])
    ws = wb.create_sheet("细则")
    ws.append(["序号", "评价项目", "评价内容", "评分标准", "测评方式", "标准分", "类别", "责任单位", "佐证材料要求",
               "备注", "扣分"])
    ws.append([1, "党政同责", "1.1 建立食品安全工作责任制", "未建立扣2分", "资料审查", 2, "关键项", "县食安办",
               "责任制文件", None, None])
    ws.append([None, None, "1.2 定期研究食品安全工作", "每年不少于2次，少1次扣1分", None, 2, "基本",
               "县政府办、县食安办", "会议纪要", None, None])
    ws.append([None, None, None, "未形成纪要扣0.5分", None, 1, None, None, "会议照片", None, 0.5])
    for cells in ("A2:A4", "B2:B4", "C3:C4", "E2:E4"):
        ws.merge_cells(cells)
    ws.append([2, "能力建设", "2.1 检验量达到每千人4批次", "未达到不得分", "数据核查", 3, "否决项", "县市场监管局",
               "抽检台账", "按常住人口计", None])
    ws.row_dimensions[5].hidden = True
    ws.append(["合计", None, None, None, None, 8, None, None, None, None, None])
    wb.save(path)
    return path


def test_xlsx_group_codes_embedded_codes_and_continuation_rows(tmp_path):
    catalogue = load_catalogue(write_group_code_xlsx(tmp_path / "group.xlsx"))
    assert catalogue.title == "group"
    assert tree(catalogue) == [
        ("1", None, 1, "1", "党政同责", None),
        ("1.1", "1", 2, "1.1", "建立食品安全工作责任制", 2.0),
        ("1.2", "1", 2, "1.2", "定期研究食品安全工作", 3.0),
        ("2", None, 1, "2", "能力建设", None),
        ("2.1", "2", 2, "2.1", "检验量达到每千人4批次", 3.0),
    ]
    item = catalogue.by_code()["1.2"]
    assert item.rule == "每年不少于2次，少1次扣1分\n未形成纪要扣0.5分"
    assert item.method == "资料审查"  # carried down from the merged cell, not repeated
    assert item.evidence == "会议纪要\n会议照片"
    assert item.units == ["县政府办", "县食安办"]
    assert item.kind == "基本项"
    assert catalogue.by_code()["1.1"].kind == "关键项"
    veto = catalogue.by_code()["2.1"]
    assert (veto.kind, veto.note, veto.method, veto.evidence) == ("否决项", "按常住人口计", "数据核查", "抽检台账")


def test_xlsx_header_synonyms_and_kind_headings(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "考核内容", "考核方式", "分值（分）", "责任单位", "配合单位", "佐证材料", "项目类型", "备注",
               "自评得分"])
    ws.append(["一、否决项"])
    ws.append(["（1）", "三年内未发生重大食品安全事故", "资料审查", None, "县食安办", None, "事故统计", None, None, 0])
    ws.append(["二、关键项"])
    ws.append(["（1）", "落实党政同责", "资料审查、座谈", "5", "县委办", "县政府办", "", "", "", ""])
    ws.append(["（2）", "专职监管人员配备", "现场检查", "５分", "县市场监管局", None, None, "鼓励项", "加分", None])
    wb.save(tmp_path / "同义.xlsx")
    catalogue = load_catalogue(tmp_path / "同义.xlsx")
    assert [(c.code, c.parent, c.label, c.title, c.points, c.kind) for c in catalogue.criteria] == [
        ("1", None, "一、", "否决项", None, "否决项"),
        ("1.1", "1", "（1）", "三年内未发生重大食品安全事故", None, "否决项"),
        ("2", None, "二、", "关键项", None, "关键项"),
        ("2.1", "2", "（1）", "落实党政同责", 5.0, "关键项"),
        ("2.2", "2", "（2）", "专职监管人员配备", 5.0, "鼓励项"),
    ]
    item = catalogue.by_code()["2.1"]
    assert (item.method, item.units) == ("资料审查、座谈", ["县委办", "县政府办"])
    assert catalogue.by_code()["1.1"].evidence == "事故统计"
    assert catalogue.by_code()["2.2"].note == "加分"


def test_xlsx_dotted_codes_nest_by_prefix_without_groups(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "评价内容", "分值"])
    for row in (["1", "组织领导", None], ["1.1", "成立领导小组", 2], ["1.1.1", "印发文件", 1], ["1.2", "制定方案", 2],
                ["2", "能力建设", None], ["2.1", "队伍建设", 3], ["①", "配齐人员", 1], ["②", "开展培训", 1]):
        ws.append(row)
    wb.save(tmp_path / "dotted.xlsx")
    assert tree(load_catalogue(tmp_path / "dotted.xlsx")) == [
        ("1", None, 1, "1", "组织领导", None),
        ("1.1", "1", 2, "1.1", "成立领导小组", 2.0),
        ("1.1.1", "1.1", 3, "1.1.1", "印发文件", 1.0),
        ("1.2", "1", 2, "1.2", "制定方案", 2.0),
        ("2", None, 1, "2", "能力建设", None),
        ("2.1", "2", 2, "2.1", "队伍建设", 3.0),
        ("2.1.1", "2.1", 3, "①", "配齐人员", 1.0),
        ("2.1.2", "2.1", 3, "②", "开展培训", 1.0),
    ]


def test_xlsx_unmerged_heading_with_subtotal_repeated_header_and_trailing_remark(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    header = ["评价项目", "评价内容", "分值", "得分"]
    ws.append(header)
    ws.append(["一、组织领导", None, 5, None])  # typed in the first cell, not merged, with a subtotal
    ws.append(["党政同责", "成立领导小组", 2, 2])
    ws.append([None, "制定创建方案", 3, None])  # blank 评价项目: same group as above
    ws.append(header)  # the header repeated on the next printed page
    ws.append(["二、能力建设", None, None, None])
    ws.append(["队伍建设", "配齐监管人员", 4, None])
    ws.append(["以上各项均以创建周期内的材料为准，材料须加盖单位公章并由经办人签字确认后统一报送县食安办。"])
    wb.save(tmp_path / "分页.xlsx")
    catalogue = load_catalogue(tmp_path / "分页.xlsx")
    assert tree(catalogue) == [
        ("1", None, 1, "一、", "组织领导", 5.0),
        ("1.1", "1", 2, "", "党政同责", None),
        ("1.1.1", "1.1", 3, "", "成立领导小组", 2.0),
        ("1.1.2", "1.1", 3, "", "制定创建方案", 3.0),
        ("2", None, 1, "二、", "能力建设", None),
        ("2.1", "2", 2, "", "队伍建设", None),
        ("2.1.1", "2.1", 3, "", "配齐监管人员", 4.0),
    ]


def test_xlsx_coded_group_cell_on_its_own_row_is_a_heading(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["评价项目", "评价内容", "分值"])
    ws.append(["一、组织领导", None, None])  # merged down over its items, with no 评价内容 of its own
    ws.append([None, "成立领导小组", 2])
    ws.append([None, "制定方案", 3])
    ws.merge_cells("A2:A4")
    ws.append(["二、能力建设", "配齐人员", 4])  # same style in a 评价项目 cell: a sibling, not a child
    wb.save(tmp_path / "标题行.xlsx")
    assert tree(load_catalogue(tmp_path / "标题行.xlsx")) == [
        ("1", None, 1, "一、", "组织领导", None),
        ("1.1", "1", 2, "", "成立领导小组", 2.0),
        ("1.2", "1", 2, "", "制定方案", 3.0),
        ("2", None, 1, "二、", "能力建设", None),
        ("2.1", "2", 2, "", "配齐人员", 4.0),
    ]


def test_xlsx_header_cell_merged_for_layout_only_keeps_the_first_item(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["评价内容", None, "分值"])
    ws.append(["成立领导小组", None, 2])
    ws.append(["制定方案", None, 3])
    ws.append(["开展宣传", None, None])  # merged like the header, no points: still an item, not a heading
    ws.append(["落实经费", None, 1])
    for row in (1, 2, 3, 4, 5):
        ws.merge_cells(f"A{row}:B{row}")
    wb.save(tmp_path / "宽列.xlsx")
    assert tree(load_catalogue(tmp_path / "宽列.xlsx")) == [
        ("1", None, 1, "", "成立领导小组", 2.0),
        ("2", None, 1, "", "制定方案", 3.0),
        ("3", None, 1, "", "开展宣传", None),
        ("4", None, 1, "", "落实经费", 1.0),
    ]


# --- Word ------------------------------------------------------------------------------------------------------

def add_row(table, *values):
    cells = table.add_row().cells
    for cell, value in zip(cells, values, strict=True):
        cell.text = value
    return cells


def add_header(table):
    top = add_row(table, "序号", "评价项目", "评价内容", "", "分值")
    sub = add_row(table, "", "", "评价标准", "评价细则", "")
    top[2].merge(top[3])
    for column in (0, 1, 4):
        top[column].merge(sub[column])


def write_main_docx(path):
    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("国家食品安全示范城市评价细则（示例）")
    first = document.add_table(rows=0, cols=5)
    add_header(first)
    heading = add_row(first, "一、组织领导", "", "", "", "")
    heading[0].merge(heading[4])
    a = add_row(first, "", "1. 党政同责", "（1）成立领导小组", "未成立不得分", "2")
    b = add_row(first, "", "", "（2）制定创建方案", "方案不全扣1分", "3分")
    a[1].merge(b[1])
    document.add_paragraph("（续表）")
    second = document.add_table(rows=0, cols=5)  # split over pages: no header
    add_row(second, "", "2. 经费保障", "（1）落实经费", "", "2")
    heading = add_row(second, "二、宣传引导", "", "", "", "")
    heading[0].merge(heading[4])
    add_row(second, "（一）宣传活动", "", "", "", "")  # a heading typed in the first cell, not merged
    add_row(second, "1", "", "开展宣传周活动", "未开展不得分", "1")
    third = document.add_table(rows=0, cols=5)  # header repeated on the next page
    add_header(third)
    add_row(third, "2", "", "发放宣传资料", "", "1")
    other = document.add_table(rows=0, cols=2)  # a different table: contacts, not criteria
    add_row(other, "单位", "联系人")
    add_row(other, "县食安办", "张三")
    document.save(path)
    return path


def test_docx_merged_cells_split_tables_and_headings(tmp_path):
    catalogue = load_catalogue(write_main_docx(tmp_path / "细则.docx"))
    assert catalogue.title == "国家食品安全示范城市评价细则（示例）"
    assert tree(catalogue) == [
        ("1", None, 1, "一、", "组织领导", None),
        ("1.1", "1", 2, "1.", "党政同责", None),
        ("1.1.1", "1.1", 3, "（1）", "成立领导小组", 2.0),
        ("1.1.2", "1.1", 3, "（2）", "制定创建方案", 3.0),
        ("1.2", "1", 2, "2.", "经费保障", None),
        ("1.2.1", "1.2", 3, "（1）", "落实经费", 2.0),
        ("2", None, 1, "二、", "宣传引导", None),
        ("2.1", "2", 2, "（一）", "宣传活动", None),
        ("2.1.1", "2.1", 3, "1", "开展宣传周活动", 1.0),
        ("2.1.2", "2.1", 3, "2", "发放宣传资料", 1.0),
    ]
    assert catalogue.by_code()["1.1.2"].rule == "方案不全扣1分"


def test_docx_column_warnings_name_the_table_and_the_column_apart(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [("序号", "评价内容", "分值", "联系电话"), ("1", "成立领导小组", "2", "3721"),
                                       ("2", "制定工作方案", "3", "3722")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(tmp_path / "细则.docx")
    messages = [w.message for w in plan_import(tmp_path / "细则.docx").warnings]
    assert any(m.startswith("表格 1 的 D 列“联系电话”的表头未识别") for m in messages), messages


def test_docx_item_without_text_is_imported_with_a_warning_naming_table_and_row(tmp_path):
    document = docx.Document()
    layout = document.add_table(rows=0, cols=2)  # a letterhead table before the criteria
    add_row(layout, "填报单位", "某县食安办")
    table = document.add_table(rows=0, cols=3)
    add_row(table, "序号", "评价内容", "分值")
    add_row(table, "1", "成立领导小组", "2")
    add_row(table, "2", "", "3")
    document.save(tmp_path / "坏行.docx")
    plan = plan_import(tmp_path / "坏行.docx")
    assert [(c.code, c.title, c.points) for c in plan.catalogue.criteria] == [
        ("1", "成立领导小组", 2.0), ("2", "（未填写评价内容）", 3.0)]
    messages = [w.message for w in plan.warnings]
    assert "表格 2 第 3 行有编号或分值，但没有评价内容，已导入为“（未填写评价内容）”" in messages
    assert plan.parts[0].status == "skipped" and plan.parts[0].where == "表格 1"


# --- CSV -------------------------------------------------------------------------------------------------------

CSV_TEXT = (
    "编号,评价项目,评价内容,分值,牵头单位,配合单位\r\n"
    "一,组织领导,成立领导小组,2,县食安办,\r\n"
    ",,\"制定方案，明确分工\",3,县食安办,\"各乡镇\n县直各部门\"\r\n"
    "二,宣传引导,开展宣传周活动,1.5,县委宣传部,县市场监管局\r\n"
    ",,,,,\r\n"
)
CSV_TREE = [
    ("1", None, 1, "一", "组织领导", None),
    ("1.1", "1", 2, "", "成立领导小组", 2.0),
    ("1.2", "1", 2, "", "制定方案，明确分工", 3.0),
    ("2", None, 1, "二", "宣传引导", None),
    ("2.1", "2", 2, "", "开展宣传周活动", 1.5),
]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_utf8_bom_and_gbk(tmp_path, encoding):
    path = tmp_path / "细则.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    catalogue = load_catalogue(path)
    assert tree(catalogue) == CSV_TREE
    assert catalogue.by_code()["1.2"].units == ["县食安办", "各乡镇", "县直各部门"]


def test_csv_tab_separated_with_embedded_codes(tmp_path):
    path = tmp_path / "tab.csv"
    path.write_text("评价项目\t评价内容\t分值\n一、组织领导\t1.1 成立领导小组\t2\n\t1.2 制定方案\t3\n",
                    encoding="utf-8")
    assert tree(load_catalogue(path)) == [
        ("1", None, 1, "一、", "组织领导", None),
        ("1.1", "1", 2, "1.1", "成立领导小组", 2.0),
        ("1.2", "1", 2, "1.2", "制定方案", 3.0),
    ]


# --- own format ------------------------------------------------------------------------------------------------

def test_yaml_and_json_round_trip_of_an_import(tmp_path):
    imported = load_catalogue(write_group_code_xlsx(tmp_path / "group.xlsx"))
    imported.note = "导入说明：\n第二行"
    saved = save_yaml(imported, tmp_path / "catalogue.yaml")
    assert saved == tmp_path / "catalogue.yaml"
    assert load_catalogue(saved) == imported
    json_path = tmp_path / "catalogue.json"
    json_path.write_text(json.dumps(imported.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert load_catalogue(json_path) == imported
    assert load_catalogue(tmp_path / "catalogue.yaml").criteria[0].points is None


def test_parse_points():
    assert [parse_points(t) for t in ("5", "5分", "５", "2.5", " 3 分 ", "", "１．５")] == [5, 5, 5, 2.5, 3, None, 1.5]
    with pytest.raises(ValueError):
        parse_points("五分")


def test_unparsable_points_are_kept_in_the_note(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("序号,评价内容,分值\n1,成立领导小组,见细则\n", encoding="utf-8")
    item = load_catalogue(path).criteria[0]
    assert (item.points, item.note) == (None, "分值：见细则")


# --- refusals --------------------------------------------------------------------------------------------------

def refusal(path) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    return str(caught.value)


def test_xlsx_without_header(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["2023年工作总结", "全年共检查 120 家"])
    wb.save(tmp_path / "细则.xlsx")
    message = refusal(tmp_path / "细则.xlsx")
    assert message.startswith("无法导入“细则.xlsx”工作表“Sheet”：")
    assert "表头" in message


def test_xlsx_several_sheets_without_header_lists_them(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["说明"])
    wb.create_sheet("第二页").append(["随便写的", "内容"])
    wb.save(tmp_path / "多表.xlsx")
    message = refusal(tmp_path / "多表.xlsx")
    assert message.startswith("无法导入“多表.xlsx”：")
    assert "工作表“Sheet”、工作表“第二页”" in message


def test_truncated_xlsx(tmp_path):
    good = write_main_xlsx(tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "截断.xlsx").write_bytes(good[: len(good) // 2])
    message = refusal(tmp_path / "截断.xlsx")
    assert message.startswith("无法导入“截断.xlsx”：") and "损坏" in message


def test_encrypted_xlsx_is_an_ole_file(tmp_path):
    # Excel saves password-protected workbooks as OLE compound files, not zip.
    (tmp_path / "加密.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2000)
    assert refusal(tmp_path / "加密.xlsx").startswith("无法导入“加密.xlsx”：")


def test_empty_sheet(tmp_path):
    openpyxl.Workbook().save(tmp_path / "空.xlsx")
    message = refusal(tmp_path / "空.xlsx")
    assert message.startswith("无法导入“空.xlsx”工作表“Sheet”：") and "空" in message


def test_header_without_items(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "评价项目", "分值"])
    wb.save(tmp_path / "只有表头.xlsx")
    assert refusal(tmp_path / "只有表头.xlsx") == "无法导入“只有表头.xlsx”工作表“Sheet”：表头下面没有任何评价项目"


def test_xlsx_row_without_text_or_code_joins_the_item_above_with_a_warning(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["细则"])
    ws.append(["序号", "评价内容", "分值", "测评方式"])
    ws.append(["1", "成立领导小组", 2, "资料审查"])
    ws.append([None, None, 3, "现场检查"])
    wb.save(tmp_path / "细则.xlsx")
    plan = plan_import(tmp_path / "细则.xlsx")
    [item] = plan.catalogue.criteria
    assert (item.title, item.points, item.method) == ("成立领导小组", 5.0, "资料审查\n现场检查")
    assert [w.message for w in plan.warnings] == [
        "工作表“Sheet1”第 4 行没有评价内容和序号，已并入上一项“成立领导小组”"]


def test_docx_without_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("国家食品安全示范城市评价细则")
    document.save(tmp_path / "无表.docx")
    message = refusal(tmp_path / "无表.docx")
    assert message.startswith("无法导入“无表.docx”：") and "没有表格" in message


def test_corrupt_docx(tmp_path):
    (tmp_path / "坏.docx").write_bytes(b"PK\x03\x04 not really a zip")
    assert refusal(tmp_path / "坏.docx").startswith("无法导入“坏.docx”：")


@pytest.mark.parametrize(("name", "expected"), [
    ("细则.txt", "不支持这种文件类型"), ("细则.xls", "另存为 .xlsx"),  # .doc: tests/test_criteria_corpus.py
    ("细则.pdf", "PDF 是排版后的文件，其中的表格无法可靠读取：请向下发单位索要 Word 或 Excel 原件"),  # as posted
    ("细则.ofd", "OFD 版式文件是排版后的文件"),
])
def test_unsupported_extensions(tmp_path, name, expected):
    (tmp_path / name).write_text("序号,评价内容\n1,x\n", encoding="utf-8")
    message = refusal(tmp_path / name)
    assert message.startswith(f"无法导入“{name}”：") and expected in message


def test_missing_file(tmp_path):
    assert refusal(tmp_path / "没有.xlsx") == "无法导入“没有.xlsx”：文件不存在"


def test_csv_in_unknown_encoding(tmp_path):
    (tmp_path / "乱码.csv").write_bytes(b"\xff\xfe\xfd\x80\x81")
    assert refusal(tmp_path / "乱码.csv").startswith("无法导入“乱码.csv”：无法识别文件编码")


@pytest.mark.parametrize(("text", "expected"), [
    ("title: x\ncriteria: [", "YAML 格式错误"),
    ("- 1\n- 2\n", "缺少 criteria"),
    ("criteria:\n- {code: '1', title: a}\n- {code: '1', title: b}\n", "编号重复"),
    ("criteria:\n- {code: '1', title: a, points: 五}\n", "第 1 个评价项目的“分值”格式不正确"),
    ("criteria:\n- {code: '1.1', title: a, parent: '1', level: 2}\n", "上级 1 不存在"),
    ("criteria:\n- {title: a}\n", "“编号”格式不正确"),
])
def test_bad_yaml(tmp_path, text, expected):
    (tmp_path / "目录.yaml").write_text(text, encoding="utf-8")
    message = refusal(tmp_path / "目录.yaml")
    assert message.startswith("无法导入“目录.yaml”：") and expected in message


def test_bad_json(tmp_path):
    (tmp_path / "目录.json").write_text("{\"criteria\": [", encoding="utf-8")
    assert "JSON 格式错误" in refusal(tmp_path / "目录.json")


def test_yaml_with_unquoted_integer_codes_is_accepted(tmp_path):
    (tmp_path / "手写.yml").write_text("title: 手写\ncriteria:\n- {code: 1, title: 组织领导}\n"
                                       "- {code: '1.1', title: 成立领导小组, parent: 1, level: 2, points: 2}\n",
                                       encoding="utf-8")
    catalogue = load_catalogue(tmp_path / "手写.yml")
    assert [(c.code, c.parent, c.points) for c in catalogue.criteria] == [("1", None, None), ("1.1", "1", 2.0)]


# --- robustness: whatever the grid, a Catalogue that validates or a CatalogueError ------------------------------

_TEXTS = st.sampled_from(["", "", "", "序号", "评价项目", "评价内容", "分值", "注：说明", "一、组织领导", "（二）宣传",
                          "1.2 建立", "1", "2", "③", "合计", "5分", "资料审查", "县食安办、各乡镇", "否决项", "x"])
_CELLS = st.builds(Cell, _TEXTS, st.booleans(), st.booleans())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELLS, min_size=4, max_size=4), min_size=1, max_size=14))
def test_any_grid_gives_a_valid_catalogue_or_a_catalogue_error(rows):
    header = [Row(1, [Cell("序号"), Cell("评价项目"), Cell("评价内容"), Cell("分值")])]
    grid = Grid("随机.xlsx", "工作表“随机”", header + [Row(i + 2, cells) for i, cells in enumerate(rows)])
    try:
        catalogue = catalogue_from_grids([grid], "随机.xlsx")
    except CatalogueError as exc:
        assert str(exc).startswith("无法导入“随机.xlsx”")
        return
    catalogue.validate()
    assert all(c.title for c in catalogue.criteria)


def test_an_items_title_does_not_repeat_the_points_of_its_points_column(tmp_path):
    """One row per item, the 二级指标 naming it with its points ("地方党委政府重视食品安全工作（5分）") beside a 分值
    column of 5: the title kept "（5分）" and the dossier printed it above 分值 5. Points that disagree with the
    column stay in the title, for the clerk to see."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["评价项目", "评价细则", "分值"])
    ws.append(["一、党政同责（15分）"])
    ws.append(["1.地方党委政府重视食品安全工作（5分）", "纳入规划。未纳入扣2分。", 5])
    ws.append(["2.建立食品安全工作责任制（6分）", "签订责任书。", 10])
    ws.append(["3.食品安全委员会运转", "每年召开全体会议。", "5分"])
    wb.save(tmp_path / "细则.xlsx")
    catalogue = load_catalogue(tmp_path / "细则.xlsx")
    assert [(c.title, c.points) for c in catalogue.criteria] == [
        ("党政同责", 15), ("地方党委政府重视食品安全工作", 5), ("建立食品安全工作责任制（6分）", 10),
        ("食品安全委员会运转", 5)]


def test_names_numbering_their_own_rows_name_the_items_without_a_number_column(tmp_path):
    """A provincial table with no 序号 column: 一级指标 merged over its rows, each row's 二级指标 numbered and named
    ("1.地方党委政府重视食品安全工作（5分）") beside a "评价内容及评分标准" sentence. Each 二级指标 was read as a group
    over one item titled with the whole sentence (12 items for 7, the dossier's headings long sentences)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["评价项目", None, "评价内容及评分标准", "分值", "评价方式", "责任单位"])
    ws.append(["一级指标", "二级指标", None, None, None, None])
    for cells in ("A1:B1", "C1:C2", "D1:D2", "E1:E2", "F1:F2"):
        ws.merge_cells(cells)
    rows = [("一、党政同责（10分）", "1.地方党委政府重视食品安全工作（5分）", "纳入经济社会发展规划。未纳入扣2分。", 5),
            (None, "2.建立食品安全工作责任制（5分）", "签订责任书。未签订扣5分。", 5),
            ("二、风险防控（15分）", "3.风险监测（15分）", "完成监测任务，每少1项扣1分。", 15)]
    for top, name, content, points in rows:
        ws.append([top, name, content, points, "查阅资料", "县食安办"])
    ws.merge_cells("A3:A4")
    wb.save(tmp_path / "细则.xlsx")
    plan = plan_import(tmp_path / "细则.xlsx")
    assert [(c.code, c.parent, c.title, c.points) for c in plan.catalogue.criteria] == [
        ("一", None, "党政同责", 10.0), ("1", "一", "地方党委政府重视食品安全工作", 5.0),
        ("2", "一", "建立食品安全工作责任制", 5.0), ("二", None, "风险防控", 15.0), ("3", "二", "风险监测", 15.0)]
    assert plan.catalogue.by_code()["1"].rule == "纳入经济社会发展规划。未纳入扣2分。"
    assert any("B 列“评价项目／二级指标”按内容判断为“评价内容”" in warning.message for warning in plan.warnings)
