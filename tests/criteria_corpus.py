"""Criteria tables in the layouts offices really receive, written as real .xlsx, .xls, .docx and .csv files.

Each builder writes one file and returns its path; tests/test_criteria_corpus.py holds the tree each must give.
"""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import openpyxl


def xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """A workbook: sheet name -> rows (None is an empty cell), and "A1:A3" style merges per sheet."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def xls(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[tuple]] | None = None) -> Path:
    """The same as an Excel 97-2003 file; merges as (first_row, last_row, first_col, last_col), 0-based."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        merged = {(r1, c1): (r2, c2) for r1, r2, c1, c2 in (merges or {}).get(name, [])}
        covered = {(r, c) for (r1, c1), (r2, c2) in merged.items() for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (r, c) in merged:
                    r2, c2 = merged[(r, c)]
                    sheet.write_merge(r, r2, c, c2, value)
                elif value is not None and (r, c) not in covered:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def csv_file(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    return path


def add_row(table, *values) -> list:
    cells = table.add_row().cells
    for cell, value in zip(cells, values, strict=True):
        cell.text = value
    return cells


# --- the layouts --------------------------------------------------------------------------------------------------

def work_content_xlsx(path: Path) -> Path:
    """工作内容 / 工作要求 / 分值 / 责任单位, with a title row and a 合计 row."""
    return xlsx(path, {"Sheet1": [
        ["某县食品安全工作考核细则"],
        ["序号", "工作内容", "工作要求", "分值", "责任单位"],
        [1, "落实党政同责", "召开专题会议不少于2次", 5, "县委办、县政府办"],
        [2, "完善监管体系", "乡镇监管所标准化建设", 5, "县（市、区）政府"],
        [3, "开展宣传活动", "组织宣传周活动", 10, "县委宣传部/县市场监管局"],
        ["合计", None, None, 20, None],
    ]}, {"Sheet1": ["A1:E1"]})


def kaoping_four_levels_xlsx(path: Path) -> Path:
    """考评类目 / 考评项目 / 考评内容 / 考评办法 / 各项分值: two group levels merged down over their items."""
    rows = [
        ["考评类目", "考评项目", "考评内容", "考评办法", "各项分值"],
        ["组织领导", "党政同责", "成立领导小组", "查阅文件，未成立扣2分", 2],
        [None, None, "制定工作方案", "查阅方案，未制定扣3分", 3],
        [None, "经费保障", "落实工作经费", "查阅预算", 4],
        ["能力建设", "队伍建设", "配齐监管人员", "现场核查", 6],
        [None, None, "开展业务培训", "查阅培训记录", 5],
    ]
    return xlsx(path, {"细则": rows}, {"细则": ["A2:A4", "B2:B3", "A5:A6", "B5:B6"]})


def content_indicator_method_xlsx(path: Path) -> Path:
    """考评内容 (merged over its indicators) / 考评指标 / 考评方法 / 分值."""
    rows = [
        ["序号", "考评内容", "考评指标", "考评方法", "分值"],
        ["1", "食品安全责任", "属地管理责任落实", "未落实扣1分", 3],
        ["2", None, "部门监管责任落实", "未落实扣1分", 3],
        ["3", "监管能力", "快检室建设", "现场查看", 4],
    ]
    return xlsx(path, {"Sheet1": rows}, {"Sheet1": ["B2:B3"]})


def kaohe_yaodian_csv(path: Path, encoding: str) -> Path:
    """考核要点 / 各项分值 / 考核对象, with 小计 and 合计 rows, a 综合得分 fill-in line and a 注 line (a CSV keeps
    them all as ordinary rows)."""
    return csv_file(path, [
        ["序号", "考核要点", "各项分值", "考核对象"],
        ["一、组织领导", "", "", ""],
        ["1", "建立议事协调机制", "3", "县食安办"],
        ["2", "定期召开会议", "2", "县食安办"],
        ["", "小计", "5", ""],
        ["二、监管执法", "", "", ""],
        ["3", "开展专项整治", "5", "县市场监管局、县农业农村局"],
        ["", "小计", "5", ""],
        ["合计", "", "10", ""],
        ["综合得分：____分", "", "", ""],
        ["注：本表由县食安办负责解释。", "", "", ""],
    ], encoding)


def two_row_header_xlsx(path: Path) -> Path:
    """建设内容 over 建设指标 and 考评标准: five items, each its own row."""
    rows = [["序号", "建设内容", None, "分值", "牵头单位"], [None, "建设指标", "考评标准", None, None]]
    for n in range(1, 6):
        rows.append([n, f"指标{n}：完成第{n}项建设任务", f"未完成扣{n}分", n, "县市场监管局"])
    return xlsx(path, {"Sheet1": rows}, {"Sheet1": ["B1:C1", "A1:A2", "D1:D2", "E1:E2"]})


def group_points_merged_xlsx(path: Path) -> Path:
    """测评项目 merged over its items with the points (75 and 25) merged the same way: the part holds the points."""
    rows = [
        ["测评项目", "测评内容", "测评标准", "分值"],
        ["一、基础工作（75分）", "建立工作台账", "台账齐全", 75],
        [None, "落实日常巡查", "每月巡查不少于1次", None],
        [None, "开展风险排查", "排查全覆盖", None],
        ["二、创新工作", "形成典型经验", "获上级推广", 25],
        [None, "开展试点", "试点成效明显", None],
    ]
    return xlsx(path, {"Sheet1": rows}, {"Sheet1": ["A2:A4", "D2:D4", "A5:A6", "D5:D6"]})


def printed_codes_xlsx(path: Path) -> Path:
    """1.1.1 style codes under 一、 headings, without the 1.1 level printed."""
    rows = [
        ["序号", "评价内容", "分值"],
        ["一、党政同责", None, None],
        ["1.1.1", "建立责任制", 2],
        ["1.1.2", "签订责任书", 2],
        ["1.2.1", "纳入绩效考核", 3],
        ["二、能力建设", None, None],
        ["2.1.1", "建设快检室", 3],
    ]
    return xlsx(path, {"Sheet1": rows}, {"Sheet1": ["A2:C2", "A6:C6"]})


def run_on_numbers_xlsx(path: Path) -> Path:
    """Items numbered 1…9 across three parts merged down in 评价项目: item 5 is printed 5 under 二、."""
    rows = [["序号", "评价项目", "评价内容", "分值"]]
    merges = []
    number = 1
    for part, count in (("一、组织领导", 4), ("二、能力建设", 3), ("三、宣传引导", 2)):
        first = len(rows) + 1
        for index in range(count):
            rows.append([number, part if index == 0 else None, f"第{number}项工作", 1])
            number += 1
        merges.append(f"B{first}:B{len(rows)}")
    return xlsx(path, {"Sheet1": rows}, {"Sheet1": merges})


def parts_on_their_own_rows_xlsx(path: Path) -> Path:
    """序号 / 评价项目 / 评价内容 / 评价细则 / 分值 / 评价方式 / 牵头单位 under a title row: each part on a row of its
    own ("一" in 序号, "组织领导（20分）" merged across the rest), its 评价项目 numbered on from 1 across the parts,
    each merged down over its 细则 lines."""
    rows = [["某某省创建国家食品安全示范城市评价细则（2024年版）"],
            ["序号", "评价项目", "评价内容", "评价细则", "分值", "评价方式", "牵头单位"],
            ["一", "组织领导（10分）"],
            [1, "党政同责", "地方党委政府将食品安全纳入重要议事日程", "未纳入的，扣2分", 4, "查阅资料", "县委办"],
            [None, None, None, "未定期研究的，扣2分"],
            [2, "工作机制", "建立食安委工作机制", "未建立的，不得分", 6, "查阅资料", "县食安办"],
            [None, None, None, "未召开全体会议的，扣3分"],
            ["二", "源头治理（10分）"],
            [3, "农药兽药", "开展农药兽药残留专项整治", "未开展的，不得分", 10, "查阅资料、现场检查", "县农业农村局"]]
    merges = ["A1:G1", "B3:G3", "B8:G8"] + [f"{col}{first}:{col}{first + 1}" for first in (4, 6) for col in "ABCEFG"]
    return xlsx(path, {"评价细则": rows}, {"评价细则": merges})


PART_ROWS = [["序号", "评价项目", "评价内容", "分值", "牵头单位"],
             ["一", "组织领导", "", "", ""],
             ["1", "党政同责", "将食品安全纳入重要议事日程", "4", "县委办"],
             ["2", "工作机制", "建立食安委工作机制", "6", "县食安办"],
             ["二", "源头治理", "", "", ""],
             ["3", "农药兽药", "开展专项整治", "10", "县农业农村局"]]


def part_rows_word(path: Path) -> Path:
    """A Word table whose parts have rows of their own ("一 | 组织领导" merged across) and whose 序号 numbers the
    items (评价内容) on from 1 across the parts."""
    document = docx.Document()
    document.add_paragraph("某某县创建国家食品安全示范城市评价细则")
    table = document.add_table(rows=0, cols=5)
    for row in PART_ROWS:
        cells = add_row(table, *row)
        if row[0] in ("一", "二"):
            cells[1].merge(cells[4])
    document.save(path)
    return path


def part_rows_csv(path: Path) -> Path:
    """The same as a CSV: nothing merged, the part rows' other cells empty."""
    return csv_file(path, PART_ROWS)


def two_sheets_xlsx(path: Path) -> Path:
    """A table continued on a second sheet without its header, a third sheet of notes, a fourth of scores."""
    first = [["评价细则（满分20分）"], ["序号", "评价内容", "分值", "责任单位"]]
    first += [[n, f"第{n}项", 1, "县食安办"] for n in range(1, 11)]
    second = [[n, f"第{n}项", 1, "县市场监管局"] for n in range(11, 21)]
    notes = [["填表说明"], ["请各单位认真对照。"]]
    scores = [["单位", "得分"], ["县食安办", 95]]
    return xlsx(path, {"第一页": first, "第二页": second, "说明": notes, "得分汇总": scores})


def word_report(path: Path) -> Path:
    """A salutation, a title, "满分100分", heading paragraphs with points above two tables, a two-row header whose
    second row only says "（分）" under 分值."""
    document = docx.Document()
    document.add_paragraph("各县（市、区）食安办：")
    document.add_paragraph("现将考核细则印发给你们，请认真执行。")
    document.add_paragraph("附件")
    document.add_paragraph("2024年度食品安全工作考核细则")
    document.add_paragraph("（满分100分）")
    document.add_paragraph("一、重点工作完成情况（92分）")
    table = document.add_table(rows=0, cols=4)
    top = add_row(table, "序号", "考核内容", "评分标准", "分值")
    sub = add_row(table, "", "", "", "（分）")
    for column in (0, 1, 2):
        top[column].merge(sub[column])
    add_row(table, "1", "落实食品安全党政同责", "未落实扣5分", "50")
    add_row(table, "2", "完成抽检任务", "每少1批次扣0.5分", "42")
    document.add_paragraph("二、日常工作（8分）")
    table = document.add_table(rows=0, cols=4)
    add_row(table, "序号", "考核内容", "评分标准", "分值")
    add_row(table, "3", "按时报送信息", "迟报一次扣1分", "8")
    document.add_paragraph("联系人：张三")
    document.save(path)
    return path


def points_in_text_xlsx(path: Path) -> Path:
    """No points column: the points are written in the text."""
    rows = [
        ["序号", "评价内容", "评价细则"],
        ["1", "成立领导小组（2分）", "未成立不得分"],
        ["2", "制定工作方案", "满分10分，缺一项扣1分"],
        ["3", "开展培训（4分+5分）", "每少一次扣1分"],
        ["4", "建立台账", "未建立扣1分"],
    ]
    return xlsx(path, {"Sheet1": rows})


def checks_xlsx(path: Path) -> Path:
    """A stated total the items miss, a part whose points differ from its items, a duplicate code, no text."""
    rows = [
        ["评价细则（总分100分）"],
        ["序号", "评价项目", "评价内容", "分值"],
        ["1", "一、组织领导（10分）", "成立领导小组", 4],
        ["2", None, "制定方案", 4],
        ["2", "二、能力建设", "配齐人员", 5],
        ["3", None, None, 3],
    ]
    return xlsx(path, {"Sheet1": rows}, {"Sheet1": ["A1:D1", "B3:B4", "B5:B6"]})
