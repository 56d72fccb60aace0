"""Issue 15: the tables offices really receive (tests/criteria_corpus.py) import to the tree a reader sees in them.

For each layout: the tree (codes, parents, printed labels, titles, points), units, the rows not imported and why,
the parts read and skipped, and the warnings; then the refusals and their messages, --map, and the formats.
"""

from __future__ import annotations

import shutil

import criteria_corpus as corpus
import docx
import openpyxl
import pytest

from common.child_env import utf8_env
from criteria.importers import load_catalogue, plan_import
from criteria.importers.office import find_soffice
from criteria.importers.roles import parse_mapping
from criteria.model import CatalogueError


def tree(plan) -> list[tuple]:
    return [(c.code, c.parent, c.label, c.title, c.points) for c in plan.catalogue.criteria]


def kinds(plan) -> list[str]:
    return [w.kind for w in plan.warnings]


def roles(plan) -> list[tuple[str, str | None, str]]:
    return [(c.header, c.role, c.source) for c in plan.columns]


def test_work_content_and_requirements_with_a_total_row(tmp_path):
    plan = plan_import(corpus.work_content_xlsx(tmp_path / "考核细则.xlsx"))
    assert plan.catalogue.title == "某县食品安全工作考核细则"
    assert roles(plan) == [("序号", "code", "header"), ("工作内容", "title", "header"), ("工作要求", "rule", "header"),
                           ("分值", "points", "header"), ("责任单位", "lead", "header")]
    assert tree(plan) == [("1", None, "1", "落实党政同责", 5.0), ("2", None, "2", "完善监管体系", 5.0),
                          ("3", None, "3", "开展宣传活动", 10.0)]
    by_code = plan.catalogue.by_code()
    assert by_code["2"].units == ["县（市、区）政府"]  # never split inside the brackets
    assert by_code["3"].units == ["县委宣传部", "县市场监管局"]
    assert by_code["1"].rule == "召开专题会议不少于2次"
    assert [(r.row, r.reason) for r in plan.skipped_rows] == [(6, "合计行")]
    assert plan.stated_totals[0][0] == 20 and plan.warnings == []


def test_kaoping_category_item_content_method_two_group_levels(tmp_path):
    plan = plan_import(corpus.kaoping_four_levels_xlsx(tmp_path / "考评.xlsx"))
    assert [c.role for c in plan.columns] == ["group", "group", "title", "rule", "points"]
    assert tree(plan) == [
        ("1", None, "", "组织领导", None), ("1.1", "1", "", "党政同责", None),
        ("1.1.1", "1.1", "", "成立领导小组", 2.0), ("1.1.2", "1.1", "", "制定工作方案", 3.0),
        ("1.2", "1", "", "经费保障", None), ("1.2.1", "1.2", "", "落实工作经费", 4.0),
        ("2", None, "", "能力建设", None), ("2.1", "2", "", "队伍建设", None),
        ("2.1.1", "2.1", "", "配齐监管人员", 6.0), ("2.1.2", "2.1", "", "开展业务培训", 5.0),
    ]
    assert plan.catalogue.by_code()["1.1.1"].rule == "查阅文件，未成立扣2分"
    assert plan.warnings == []


def test_content_above_indicator_with_method(tmp_path):
    plan = plan_import(corpus.content_indicator_method_xlsx(tmp_path / "考评指标.xlsx"))
    assert [c.role for c in plan.columns] == ["code", "group", "title", "rule", "points"]
    # Items 1-3 run on across the two parts: printed numbers stay their codes; the uncoded parts get 一, 二.
    assert tree(plan) == [
        ("一", None, "", "食品安全责任", None), ("1", "一", "1", "属地管理责任落实", 3.0),
        ("2", "一", "2", "部门监管责任落实", 3.0), ("二", None, "", "监管能力", None),
        ("3", "二", "3", "快检室建设", 4.0),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_subtotals_totals_fill_in_and_note_never_become_items(tmp_path, encoding):
    plan = plan_import(corpus.kaohe_yaodian_csv(tmp_path / "要点.csv", encoding))
    assert [c.role for c in plan.columns] == ["code", "title", "points", "lead"]
    assert tree(plan) == [
        ("一", None, "一、", "组织领导", None), ("1", "一", "1", "建立议事协调机制", 3.0),
        ("2", "一", "2", "定期召开会议", 2.0), ("二", None, "二、", "监管执法", None),
        ("3", "二", "3", "开展专项整治", 5.0),
    ]
    assert [(r.row, r.reason) for r in plan.skipped_rows] == [
        (5, "小计行"), (8, "小计行"), (9, "合计行"), (10, "得分栏"), (11, "注释")]
    assert plan.totals()["points"] == 10 and plan.stated_totals[0][0] == 10
    assert plan.warnings == []
    assert plan.catalogue.by_code()["3"].units == ["县市场监管局", "县农业农村局"]


def test_two_row_header_keeps_five_items(tmp_path):
    plan = plan_import(corpus.two_row_header_xlsx(tmp_path / "建设.xlsx"))
    assert [(c.header, c.role) for c in plan.columns][1:3] == [("建设内容／建设指标", "title"),
                                                               ("建设内容／考评标准", "rule")]
    assert plan.parts[0].header_rows == [1, 2]
    assert [(c.code, c.title, c.rule, c.points) for c in plan.catalogue.criteria] == [
        (str(n), f"指标{n}：完成第{n}项建设任务", f"未完成扣{n}分", float(n)) for n in range(1, 6)]


def test_points_in_a_merged_group_cell_belong_to_the_group(tmp_path):
    plan = plan_import(corpus.group_points_merged_xlsx(tmp_path / "测评.xlsx"))
    assert tree(plan) == [
        ("1", None, "一、", "基础工作", 75.0), ("1.1", "1", "", "建立工作台账", None),
        ("1.2", "1", "", "落实日常巡查", None), ("1.3", "1", "", "开展风险排查", None),
        ("2", None, "二、", "创新工作", 25.0), ("2.1", "2", "", "形成典型经验", None),
        ("2.2", "2", "", "开展试点", None),
    ]
    assert plan.totals()["points"] == 100 and plan.warnings == []
    assert plan.points_from_text == set()  # the merged cell, not the "（75分）" in the name, gave the points


def test_printed_dotted_codes_are_kept(tmp_path):
    plan = plan_import(corpus.printed_codes_xlsx(tmp_path / "编号.xlsx"))
    assert tree(plan) == [
        ("1", None, "一、", "党政同责", None), ("1.1.1", "1", "1.1.1", "建立责任制", 2.0),
        ("1.1.2", "1", "1.1.2", "签订责任书", 2.0), ("1.2.1", "1", "1.2.1", "纳入绩效考核", 3.0),
        ("2", None, "二、", "能力建设", None), ("2.1.1", "2", "2.1.1", "建设快检室", 3.0),
    ]


def test_items_numbered_across_parts_keep_their_numbers(tmp_path):
    plan = plan_import(corpus.run_on_numbers_xlsx(tmp_path / "连续编号.xlsx"))
    crits = plan.catalogue.criteria
    parts = [c for c in crits if c.parent is None]
    assert [(c.code, c.label, c.title) for c in parts] == [("一", "一、", "组织领导"), ("二", "二、", "能力建设"),
                                                           ("三", "三、", "宣传引导")]
    items = [(c.code, c.parent, c.label) for c in crits if c.parent is not None]
    assert items == [(str(n), "一" if n <= 4 else "二" if n <= 7 else "三", str(n)) for n in range(1, 10)]
    assert plan.catalogue.by_code()["5"].title == "第5项工作"  # item 5 under 二、 is 5, not 2.5


def test_a_part_on_a_row_of_its_own_holds_the_items_numbered_after_it(tmp_path):
    """"一 | 组织领导（10分）" then "1 | 党政同责": the part stood empty beside its own items ("下面没有评价项目")."""
    plan = plan_import(corpus.parts_on_their_own_rows_xlsx(tmp_path / "细则.xlsx"))
    titles = {c.code: c.title for c in plan.catalogue.criteria}
    parents = {titles[c.code]: titles.get(c.parent) for c in plan.catalogue.criteria}
    assert parents == {"组织领导": None, "党政同责": "组织领导", "工作机制": "组织领导",
                       "地方党委政府将食品安全纳入重要议事日程": "党政同责", "建立食安委工作机制": "工作机制",
                       "源头治理": None, "农药兽药": "源头治理", "开展农药兽药残留专项整治": "农药兽药"}
    by_title = {c.title: c for c in plan.catalogue.criteria}
    assert by_title["组织领导"].points == 10 and by_title["地方党委政府将食品安全纳入重要议事日程"].points == 4
    assert "未定期研究的，扣2分" in by_title["地方党委政府将食品安全纳入重要议事日程"].rule
    assert "empty_group" not in kinds(plan) and "part_points" not in kinds(plan)


@pytest.mark.parametrize("build, name", [(corpus.part_rows_word, "细则.docx"), (corpus.part_rows_csv, "细则.csv")])
def test_a_part_row_holds_the_groups_whose_items_the_numbers_name(tmp_path, build, name):
    """The 序号 names the items ("1 | 党政同责 | 将食品安全纳入…"): the part row's "一" was dropped, and the part
    stood empty beside its groups."""
    plan = plan_import(build(tmp_path / name))
    crits = plan.catalogue.criteria
    titles = {c.code: c.title for c in crits}
    assert {c.title: titles.get(c.parent) for c in crits} == {
        "组织领导": None, "党政同责": "组织领导", "工作机制": "组织领导", "将食品安全纳入重要议事日程": "党政同责",
        "建立食安委工作机制": "工作机制", "源头治理": None, "农药兽药": "源头治理", "开展专项整治": "农药兽药"}
    assert [(c.label, c.title) for c in crits if c.parent is None] == [("一", "组织领导"), ("二", "源头治理")]
    assert [c.label for c in crits if c.points is not None] == ["1", "2", "3"] and "empty_group" not in kinds(plan)


def test_a_table_continued_on_a_second_sheet_and_sheets_skipped_with_a_reason(tmp_path):
    plan = plan_import(corpus.two_sheets_xlsx(tmp_path / "两页.xlsx"))
    assert [(p.where, p.status, p.nodes) for p in plan.parts] == [
        ("工作表“第一页”", "read", 10), ("工作表“第二页”", "continued", 10), ("工作表“说明”", "skipped", 0),
        ("工作表“得分汇总”", "skipped", 0)]
    assert [c.code for c in plan.catalogue.criteria] == [str(n) for n in range(1, 21)]
    assert plan.totals()["points"] == 20 and plan.stated_totals[0][0] == 20
    assert plan.catalogue.by_code()["11"].units == ["县市场监管局"]
    assert kinds(plan) == ["skipped_part", "skipped_part"]
    assert plan.warnings[0].message == "未读取工作表“说明”：没有评价细则的表头，也不是上一张表格的续表"


def test_word_title_headings_with_points_and_a_unit_only_second_header_row(tmp_path):
    plan = plan_import(corpus.word_report(tmp_path / "考核细则.docx"))
    assert plan.catalogue.title == "2024年度食品安全工作考核细则"  # not the salutation, not the letter
    assert plan.parts[0].header_rows == [1, 2]
    assert tree(plan) == [
        ("一", None, "一、", "重点工作完成情况", 92.0), ("1", "一", "1", "落实食品安全党政同责", 50.0),
        ("2", "一", "2", "完成抽检任务", 42.0), ("二", None, "二、", "日常工作", 8.0),
        ("3", "二", "3", "按时报送信息", 8.0),
    ]
    assert plan.stated_totals[0][0] == 100 and plan.totals()["points"] == 100
    assert plan.warnings == []


def test_points_taken_from_the_text_are_marked(tmp_path):
    plan = plan_import(corpus.points_in_text_xlsx(tmp_path / "文字分值.xlsx"))
    assert [(c.code, c.title, c.points) for c in plan.catalogue.criteria] == [
        ("1", "成立领导小组", 2.0), ("2", "制定工作方案", 10.0), ("3", "开展培训", 9.0), ("4", "建立台账", None)]
    assert plan.points_from_text == {"1", "2", "3"}
    assert kinds(plan) == ["points_from_text"]
    assert plan.warnings[0].message.startswith("3 项的分值取自文字")


def test_checks_warn_on_sums_totals_duplicates_and_items_without_text(tmp_path):
    plan = plan_import(corpus.checks_xlsx(tmp_path / "检查.xlsx"))
    assert sorted(kinds(plan)) == ["duplicate_code", "group_points", "no_text", "total"]
    messages = "\n".join(w.message for w in plan.warnings)
    assert "编号 2 重复：工作表“Sheet1”第 4 行“制定方案”与工作表“Sheet1”第 5 行“配齐人员”" in messages
    assert "“组织领导”标明 10 分，其下各项合计 8 分" in messages
    assert "写明总分 100 分，导入的各项合计 18 分" in messages
    assert "第 6 行有编号或分值，但没有评价内容" in messages
    codes = [c.code for c in plan.catalogue.criteria]
    assert len(codes) == len(set(codes))  # still unique


# --- refusals and --map --------------------------------------------------------------------------------------------

def unknown_header(tmp_path):
    return corpus.xlsx(tmp_path / "自定义.xlsx", {"表1": [
        ["序号", "具体做法", "考评事项说明文字很长的列", "自定分数"],
        ["1", "成立领导小组", "x", 2], ["2", "制定方案", "y", 3]]})


def test_a_refusal_names_the_header_cells_the_missing_role_and_how_to_map(tmp_path):
    with pytest.raises(CatalogueError) as caught:
        plan_import(unknown_header(tmp_path))
    message = str(caught.value)
    assert message == ("无法导入“自定义.xlsx”工作表“表1”：找不到评价细则的表头：第 1 行的表头单元格为“序号”（编号）、"
                       "“具体做法”（未识别）、“考评事项说明文字很长的列”（未识别）、“自定分数”（未识别），缺少“评价内容”列。"
                       "请指明各列的含义，如 --map \"具体做法=评价内容\"（在程序中可在导入预览的列标题下拉框中选择）")
    assert [c.header for c in caught.value.columns] == ["序号", "具体做法", "考评事项说明文字很长的列", "自定分数"]


def test_map_by_header_text_or_column_letter(tmp_path):
    path = unknown_header(tmp_path)
    plan = plan_import(path, parse_mapping("具体做法=评价内容，C=不导入"))
    assert [(c.role, c.source) for c in plan.columns] == [("code", "header"), ("title", "map"), ("ignore", "map"),
                                                          ("points", "content")]
    assert [(c.code, c.title, c.points) for c in plan.catalogue.criteria] == [("1", "成立领导小组", 2.0),
                                                                               ("2", "制定方案", 3.0)]
    assert kinds(plan) == ["guessed_column"]
    assert parse_mapping("考评内容=评价内容,各项分值=分值") == {"考评内容": "title", "各项分值": "points"}
    with pytest.raises(CatalogueError, match="--map 参数有误：无法理解“考评内容”"):
        parse_mapping("考评内容")


def test_map_overrides_a_recognised_header(tmp_path):
    path = corpus.work_content_xlsx(tmp_path / "考核细则.xlsx")
    plan = plan_import(path, {"工作要求": "title", "工作内容": "group"})
    assert plan.catalogue.criteria[1].title == "召开专题会议不少于2次"
    assert plan.catalogue.criteria[0].title == "落实党政同责" and plan.catalogue.criteria[0].parent is None


# --- formats -------------------------------------------------------------------------------------------------------

def test_xls_through_xlrd_reads_merges_like_xlsx(tmp_path):
    rows = [["序号", "评价项目", "评价内容", "分值", "责任单位"],
            [1, "一、组织领导", "成立领导小组", 2, "县食安办、县（市、区）政府"],
            [2, None, "制定方案", 3, "县食安办"],
            [3, "二、能力建设", "配齐人员", 5, "县市场监管局"]]
    old = plan_import(corpus.xls(tmp_path / "细则.xls", {"细则": rows}, {"细则": [(1, 2, 1, 1)]}))
    new = plan_import(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": rows}, {"细则": ["B2:B3"]}))
    assert tree(old) == tree(new) == [
        ("一", None, "一、", "组织领导", None), ("1", "一", "1", "成立领导小组", 2.0),
        ("2", "一", "2", "制定方案", 3.0), ("二", None, "二、", "能力建设", None), ("3", "二", "3", "配齐人员", 5.0)]
    assert old.catalogue.by_code()["1"].units == ["县食安办", "县（市、区）政府"]
    assert old.parts[0].where == "工作表“细则”"


def test_a_damaged_xls_is_refused_in_chinese(tmp_path):
    (tmp_path / "坏.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    with pytest.raises(CatalogueError, match=r"^无法导入“坏\.xls”：文件已损坏"):
        load_catalogue(tmp_path / "坏.xls")


@pytest.mark.parametrize(("name", "resave"), [
    ("细则.doc", "Word 中另存为 .docx"), ("细则.wps", "WPS 文字中另存为 .docx"), ("细则.et", "WPS 表格中另存为 .xlsx")])
def test_old_office_formats_without_libreoffice_say_what_to_install(tmp_path, monkeypatch, name, resave):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path / name)
    suffix = name.split(".")[1]
    assert str(caught.value) == (f"无法导入“{name}”：读取 .{suffix} 文件需要安装 LibreOffice（免费办公软件，"
                                 f"安装后重新导入即可），或在{resave}后再导入")


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_doc_through_libreoffice(tmp_path):
    source = corpus.word_report(tmp_path / "考核细则.docx")
    subprocess = pytest.importorskip("subprocess")
    subprocess.run([find_soffice(), "--headless", "--convert-to", "doc", "--outdir", str(tmp_path / "doc"),
                    str(source)], check=True, capture_output=True, timeout=180)
    doc = tmp_path / "doc" / "考核细则.doc"
    before = sorted(p.name for p in doc.parent.iterdir())
    plan = plan_import(doc)
    assert [(c.label, c.title, c.points) for c in plan.catalogue.criteria] == [
        ("一、", "重点工作完成情况", 92.0), ("1", "落实食品安全党政同责", 50.0), ("2", "完成抽检任务", 42.0),
        ("二、", "日常工作", 8.0), ("3", "按时报送信息", 8.0)]
    assert sorted(p.name for p in doc.parent.iterdir()) == before  # no lock file or copy left beside the source


def test_units_column_guessed_from_its_content(tmp_path):
    plan = plan_import(corpus.xlsx(tmp_path / "单位.xlsx", {"Sheet1": [
        ["序号", "评价内容", "分值", "落实者"],
        ["1", "成立领导小组", 2, "县食安办、县（市、区）政府"], ["2", "制定方案", 3, "县市场监管局"]]}))
    assert [(c.header, c.role, c.source) for c in plan.columns][3] == ("落实者", "lead", "content")
    assert plan.catalogue.by_code()["1"].units == ["县食安办", "县（市、区）政府"]
    assert kinds(plan) == ["guessed_column"]


def test_problems_of_a_part_include_its_items_whose_codes_do_not_extend_it(tmp_path):
    from archive.catalogue import store_catalogue
    from archive.db import create_archive
    from selfeval import rectify

    plan = plan_import(corpus.run_on_numbers_xlsx(tmp_path / "连续编号.xlsx"))
    with create_archive(tmp_path / "档案.rrdb", "某县") as archive:
        store_catalogue(archive, plan.catalogue)
        problem = rectify.add(archive, "5", "台账不全", unit="县市场监管局", due="2025-06-30")
        assert [r.id for r in rectify.list_all(archive, code="二")] == [problem.id]
        assert rectify.list_all(archive, code="一") == []


def test_items_below_a_note_and_lone_remarks_are_named_in_warnings(tmp_path):
    plan = plan_import(corpus.xlsx(tmp_path / "注释.xlsx", {"Sheet1": [
        ["序号", "评价项目", "评价内容", "分值"],
        ["1", "组织领导", "成立领导小组", 2],
        [None, "以下两项由县委办牵头"],
        ["2", "组织领导", "制定方案", 3],
        ["注：分值以正式文件为准"],
        ["3", "能力建设", "配齐人员", 4],
    ]}))
    assert [c.title for c in plan.catalogue.criteria] == [
        "组织领导", "成立领导小组", "以下两项由县委办牵头", "组织领导", "制定方案"]
    assert [(r.row, r.reason) for r in plan.skipped_rows] == [(5, "注释"), (6, "注释以下的内容")]
    assert [w.message for w in plan.warnings] == [
        "工作表“Sheet1”第 5 行的注释下方还有 1 行像评价项目的内容，未导入；如果它们是评价项目，请删去表格中间的注释行",
        "工作表“Sheet1”第 3 行“以下两项由县委办牵头”下面没有评价项目，已作为一项导入"]


def test_a_group_whose_content_is_missing_does_not_swallow_the_next(tmp_path):
    """Only a part (一、 or （一）) with nothing under it holds the groups after it: "5 | 投诉举报" with its 评价内容
    missing stays a group of its own, warned as empty, beside "6 | 舆情"."""
    rows = [["序号", "评价项目", "评价内容", "分值"], ["4", "抽检", "完成抽检任务", "10"], ["5", "投诉举报", "", "10"],
            ["6", "舆情", "舆情监测处置", "10"]]
    plan = plan_import(corpus.csv_file(tmp_path / "细则.csv", rows))
    titles = {c.code: c.title for c in plan.catalogue.criteria}
    parents = {c.title: titles.get(c.parent) for c in plan.catalogue.criteria}
    assert parents["投诉举报"] is None and parents["舆情"] is None and parents["舆情监测处置"] == "舆情"
    assert "empty_group" in kinds(plan)


def test_kinds_written_in_the_titles_or_explained_by_a_note_are_kept(tmp_path):
    """"开展专项整治（否决项）" and "★…" under "注：标★的为关键项" were imported without a kind: the pass projection
    never counted them as 否决项 or 关键项."""
    rows = [["序号", "评价内容", "评分标准", "分值"], ["一", "组织领导", None, None],
            ["1", "★将食品安全纳入重要议事日程", "未纳入扣2分", 4], ["2", "建立食安委工作机制", "未建立不得分", 6],
            ["3", "开展专项整治（否决项）", "未开展一票否决", 10], ["二", "鼓励创新【鼓励项】", None, None],
            ["4", "创新监管方式", "有创新的加2分", 2], ["注：标★的为关键项。", None, None, None]]
    plan = plan_import(corpus.xlsx(tmp_path / "细则.xlsx", {"评价细则": rows}))
    kinds_by_title = {c.title: c.kind for c in plan.catalogue.criteria}
    assert kinds_by_title == {"组织领导": "", "★将食品安全纳入重要议事日程": "关键项", "建立食安委工作机制": "",
                              "开展专项整治（否决项）": "否决项", "鼓励创新【鼓励项】": "鼓励项",
                              "创新监管方式": "鼓励项"}
    warning = next(w.message for w in plan.warnings if w.kind == "kinds_from_text")
    assert warning.startswith("3 项的类别（关键项、否决项、鼓励项）取自文字")
    marked = [["序号", "评价内容", "类别", "分值"], ["1", "甲", "★", 4], ["2", "乙", "", 6], ["注：★为关键项。"]]
    plan = plan_import(corpus.xlsx(tmp_path / "类别列.xlsx", {"评价细则": marked}))
    assert [c.kind for c in plan.catalogue.criteria] == ["关键项", ""]  # the 类别 column holds the mark itself
    rows[-1] = ["注：★为重点工作。", None, None, None]  # a mark no note explains as a kind: no kind
    plan = plan_import(corpus.xlsx(tmp_path / "细则2.xlsx", {"评价细则": rows}))
    assert {c.title: c.kind for c in plan.catalogue.criteria}["★将食品安全纳入重要议事日程"] == ""


def test_a_points_cell_in_words_gives_its_points_and_kind(tmp_path):
    """"一票否决", "加分项，最高5分", "3（关键项）" in 分值 were notes only: the veto item was no 否决项, the 关键项
    none, and their points missing from the total."""
    rows = [["序号", "评价内容", "分值"], ["1", "无重大食品安全事故", "一票否决"],
            ["2", "创新监管方式", "加分项，最高5分"], ["3", "完成抽检任务", "3（关键项）"],
            ["4", "按时报送信息", "2/项，最高6分"], ["5", "其他工作", "见细则"], ["6", "基础工作", "基本分10分"]]
    plan = plan_import(corpus.xlsx(tmp_path / "细则.xlsx", {"评价细则": rows}))
    read = {c.title: (c.points, c.kind, c.note) for c in plan.catalogue.criteria}
    assert read == {"无重大食品安全事故": (None, "否决项", "分值：一票否决"),
                    "创新监管方式": (5, "加分项", "分值：加分项，最高5分"),
                    "完成抽检任务": (3, "关键项", "分值：3（关键项）"),
                    "按时报送信息": (6, "", "分值：2/项，最高6分"), "其他工作": (None, "", "分值：见细则"),
                    "基础工作": (None, "", "分值：基本分10分")}  # a kind only by its full name: no 基本项 here
    messages = [w.message for w in plan.warnings]
    assert "“创新监管方式”的分值“加分项，最高5分”已按“5 分、加分项”导入，原文记入备注" in messages
    assert "“其他工作”的分值“见细则”不是数字，已记入备注" in messages


def test_the_role_written_beside_a_unit_is_not_part_of_its_name(tmp_path):
    """"县市场监管局（牵头）" was a unit of its own beside "县市场监管局": in the unit filter, in task packages."""
    rows = [["序号", "评价内容", "分值", "责任单位"],
            ["1", "甲", 4, "县农业农村局、县卫健委（配合），县市场监管局（牵头）"], ["2", "乙", 4, "县市场监管局"],
            ["3", "丙", 2, "牵头单位：县教育局；配合单位：县市场监管局"],
            ["4", "丁", 2, "县委宣传部牵头，县食安办配合"], ["5", "戊", 2, "各乡镇（街道）"]]
    plan = plan_import(corpus.xlsx(tmp_path / "细则.xlsx", {"评价细则": rows}))
    assert [c.units for c in plan.catalogue.criteria] == [
        ["县市场监管局", "县农业农村局", "县卫健委"], ["县市场监管局"], ["县教育局", "县市场监管局"],
        ["县委宣传部", "县食安办"], ["各乡镇（街道）"]]  # the one said to lead first: it is the item's 牵头单位


def test_what_excel_hides_is_read_and_named_a_hidden_sheet_is_not_read(tmp_path):
    """A hidden row (an item the county hid to print its own) and a hidden column (internal notes) are the table and
    are read, but named, so nothing the clerk does not see on screen comes in unsaid; a hidden sheet (the older copy
    of the table) is not read: its items came in twice."""
    path = corpus.xlsx(tmp_path / "细则.xlsx", {"评价细则": [
        ["序号", "评价内容", "分值", "备注", "牵头单位"], ["1", "甲", 4, "张三负责", "县食安办"],
        ["2", "乙（市级适用）", 4, None, "县食安办"], ["3", "丙", 2, None, "县市场监管局"]]})
    book = openpyxl.load_workbook(path)
    sheet = book["评价细则"]
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["D"].hidden = True
    older = book.copy_worksheet(sheet)
    older.title, older.sheet_state = "评价细则（旧版）", "hidden"
    book.save(path)
    plan = plan_import(path)
    assert [(c.title, c.note) for c in plan.catalogue.criteria] == [("甲", "张三负责"), ("乙（市级适用）", ""),
                                                                    ("丙", "")]
    assert [(p.where, p.status) for p in plan.parts] == [("工作表“评价细则”", "read"),
                                                         ("工作表“评价细则（旧版）”", "skipped")]
    messages = [w.message for w in plan.warnings]
    assert "工作表“评价细则”第 3 行在 Excel 中已隐藏，仍按表格内容读取" in messages
    assert "工作表“评价细则”的 D 列在 Excel 中已隐藏，仍按表格内容读取" in messages


def test_a_hidden_sheet_of_an_excel_97_workbook_is_not_read(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, hidden in (("细则", False), ("细则（旧版）", True)):
        sheet = book.add_sheet(name)
        for r, row in enumerate([["序号", "评价内容", "分值"], ["1", "甲", "4"]]):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
        sheet.visibility = int(hidden)
    book.save(str(tmp_path / "细则.xls"))
    plan = plan_import(tmp_path / "细则.xls")
    assert [(p.where, p.status) for p in plan.parts] == [("工作表“细则”", "read"), ("工作表“细则（旧版）”", "skipped")]
    assert [c.title for c in plan.catalogue.criteria] == ["甲"]


def test_a_formula_with_no_saved_result_is_named_not_lost_unsaid(tmp_path):
    """A workbook a program wrote (not Excel or WPS) keeps no result for its formulas: item 甲's 分值 "=2+2" was read
    as empty without a word, the total 6 instead of 10."""
    rows = [["序号", "评价内容", "分值"], ["一", "组织领导", "=SUM(C3:C4)"], ["1", "甲", "=2+2"], ["2", "乙", 6]]
    plan = plan_import(corpus.xlsx(tmp_path / "公式.xlsx", {"细则": rows}))
    assert [c.points for c in plan.catalogue.criteria] == [None, None, 6]
    assert ("工作表“细则”的 C2、C3 是公式，文件中没有保存计算结果，按空白读取：请在 Excel 或 WPS 中打开这个文件、保存后"
            "再导入") in [w.message for w in plan.warnings]
    if find_soffice() is None:
        return  # the saved-by-an-office-suite half needs LibreOffice; the half above is the issue
    from criteria.importers.office import converted_copy

    with converted_copy(tmp_path / "公式.xlsx", ".xlsx") as saved:  # saved by an office suite: results kept
        plan = plan_import(saved)
    assert [c.points for c in plan.catalogue.criteria] == [10, 4, 6]
    assert not any(w.kind == "uncomputed" for w in plan.warnings)


def test_a_workbook_of_a_sheet_a_part_names_each_part_above_its_header(tmp_path):
    """Each part on a sheet of its own, its name typed above the header ("一、组织领导（20分）"): the parts were
    dropped without a word, their items' groups numbered 一 to 五 at the top of the tree."""
    header = ["序号", "评价项目", "评价内容", "分值"]
    path = corpus.xlsx(tmp_path / "分表.xlsx", {
        "组织领导": [["某县食品安全示范城市评价细则"], ["一、组织领导（20分）"], header,
                 ["1", "党政同责", "纳入考核", 10], ["2", "工作机制", "建立食安委", 10]],
        "风险管理": [["二、风险管理（15分）"], header, ["3", "风险监测", "开展监测", 15]]})
    plan = plan_import(path)
    assert plan.catalogue.title == "某县食品安全示范城市评价细则"
    assert [(c.code, c.parent, c.title, c.points) for c in plan.catalogue.criteria] == [
        ("一", None, "组织领导", 20), ("一.1", "一", "党政同责", None), ("1", "一.1", "纳入考核", 10),
        ("一.2", "一", "工作机制", None), ("2", "一.2", "建立食安委", 10),
        ("二", None, "风险管理", 15), ("二.1", "二", "风险监测", None), ("3", "二.1", "开展监测", 15)]
    assert plan.warnings == []


def test_sheets_named_as_parts_are_the_parts(tmp_path):
    """No line above the header, the sheets named "一、组织领导", "二、风险管理": the names are the parts; a workbook
    with one such name (a single sheet "一、评价细则") is read as before."""
    header = ["序号", "评价内容", "分值"]
    path = corpus.xlsx(tmp_path / "分表.xlsx", {"一、组织领导": [header, ["1", "纳入考核", 10]],
                                               "二、风险管理": [header, ["2", "开展监测", 15], ["3", "完成抽检", 5]]})
    plan = plan_import(path)
    assert [(c.code, c.parent, c.title) for c in plan.catalogue.criteria] == [
        ("一", None, "组织领导"), ("1", "一", "纳入考核"), ("二", None, "风险管理"), ("2", "二", "开展监测"),
        ("3", "二", "完成抽检")]
    single = corpus.xlsx(tmp_path / "单表.xlsx", {"一、评价细则": [header, ["1", "纳入考核", 10]]})
    assert [(c.code, c.parent) for c in plan_import(single).catalogue.criteria] == [("1", None)]


def test_a_category_column_naming_the_parts_groups_the_items(tmp_path):
    """"类别" holding "一、组织领导（20分）" merged over its items: each item's kind was that text and the parts were
    lost. A 类别 column of kinds (关键项, ★) or of short tags ("A类") is read as before."""
    header = ["类别", "序号", "评价内容", "分值"]
    rows = [header, ["一、组织领导（20分）", "1", "纳入党政考核", 10], [None, "2", "建立食安委", 10],
            ["二、风险管理（15分）", "3", "开展风险监测", 15]]
    plan = plan_import(corpus.xlsx(tmp_path / "类别.xlsx", {"细则": rows}, {"细则": ["A2:A3"]}))
    assert [(c.code, c.parent, c.title, c.points, c.kind) for c in plan.catalogue.criteria] == [
        ("一", None, "组织领导", 20, ""), ("1", "一", "纳入党政考核", 10, ""), ("2", "一", "建立食安委", 10, ""),
        ("二", None, "风险管理", 15, ""), ("3", "二", "开展风险监测", 15, "")]
    assert "工作表“细则”A 列“类别”按内容判断为“分组（评价项目）”，如不对请在预览中改选或用 --map 指定" in [
        w.message for w in plan.warnings]
    for cells in (["关键项", "★", "基本项"], ["A类", "A类", "B类"]):  # ★ is 关键项 where a note says so
        table = [header] + [[cell, str(n), f"评价内容{n}", 5] for n, cell in enumerate(cells, start=1)]
        plan = plan_import(corpus.xlsx(tmp_path / "kinds.xlsx", {"细则": table}))
        assert [(c.parent, c.kind) for c in plan.catalogue.criteria] == [(None, cell) for cell in cells]


def test_numbers_are_read_as_the_sheet_shows_them(tmp_path):
    """Item 1.10's code typed into Excel is the number 1.1, shown "1.10" by its format "0.00": it was read as 1.1,
    item 1.1's code, and renumbered 10 with a warning. A percentage and a date come in as shown, too."""
    import datetime

    rows = [["序号", "评价内容", "分值", "备注"]] + [[float(f"1.{n}"), f"内容{n}", 1, None] for n in range(1, 12)]
    rows[1][3], rows[2][3] = 0.98, datetime.datetime(2024, 6, 30)
    path = corpus.xlsx(tmp_path / "编号.xlsx", {"细则": rows})
    book = openpyxl.load_workbook(path)
    book["细则"]["A11"].number_format = "0.00"
    book["细则"]["D2"].number_format = "0%"
    book.save(path)
    plan = plan_import(path)
    assert [c.code for c in plan.catalogue.criteria] == [f"1.{n}" for n in range(1, 12)]
    assert [c.note for c in plan.catalogue.criteria[:2]] == ["98%", "2024-06-30"]
    assert plan.warnings == []

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("细则")
    for r, row in enumerate(rows):
        for c, value in enumerate(row[:3]):
            style = xlwt.easyxf(num_format_str="0.00") if (r, c) == (10, 0) else xlwt.Style.default_style
            sheet.write(r, c, value, style)
    book.save(str(tmp_path / "编号.xls"))
    assert [c.code for c in plan_import(tmp_path / "编号.xls").catalogue.criteria] == [f"1.{n}" for n in range(1, 12)]


def test_a_header_below_a_dozen_lines_of_explanation_is_found(tmp_path):
    """填表说明 of a dozen lines above the table: refused ("找不到评价细则的表头"), the header searched in the first ten
    rows only. Further down, a header is looked for below lines of a single cell only; its sentences numbered
    "一、" are not parts, the part named right above the header is."""
    lines = [["某县创建国家食品安全示范城市评价细则"], ["填表说明："], ["一、本表由牵头单位填写。"],
             ["二、分值以细则为准。"]]
    lines += [[f"{n}. 说明文字第{n}条，请各单位认真对照。"] for n in range(3, 11)]
    rows = [*lines, ["一、组织领导（10分）"], ["序号", "评价内容", "分值"], ["1", "成立食安委", 5],
            ["2", "开展风险监测", 5]]
    plan = plan_import(corpus.xlsx(tmp_path / "说明.xlsx", {"细则": rows}))
    assert plan.catalogue.title == "某县创建国家食品安全示范城市评价细则"
    assert [(c.code, c.parent, c.title) for c in plan.catalogue.criteria] == [
        ("一", None, "组织领导"), ("1", "一", "成立食安委"), ("2", "一", "开展风险监测")]
    assert plan.warnings == []


def test_a_header_repeated_in_a_continued_sheet_is_not_where_it_starts(tmp_path):
    header = ["序号", "评价内容", "分值", "牵头单位"]
    first = [header] + [[str(n), f"内容{n}", 1, "县食安办"] for n in range(1, 4)]
    second = [["（续表）"]] + [[] for _ in range(10)]  # a header further down is looked for below lines alone
    second += [[str(n), f"内容{n}", 1, "县食安办"] for n in range(4, 15)] + [header]
    second += [[str(n), f"内容{n}", 1, "县食安办"] for n in range(15, 18)]
    plan = plan_import(corpus.xlsx(tmp_path / "续表.xlsx", {"第一页": first, "第二页": second}))
    assert [c.code for c in plan.catalogue.criteria] == [str(n) for n in range(1, 18)]
    assert [p.status for p in plan.parts] == ["read", "continued"]


def test_a_header_broken_over_lines_is_named_on_one(tmp_path):
    """"序\\n号", "评价\\n内容" (narrow columns): recognised, but the plan printed "A 列“序" and "号”→ 编号" on two
    lines, and the same in its warnings; a --map by the header as a clerk types it still applies."""
    rows = [["序\n号", "评价\n内容", "分\n值", "Self\nscore"], ["1", "成立食安委", 5, 4], ["2", "开展风险监测", 5, 3]]
    path = corpus.xlsx(tmp_path / "窄列.xlsx", {"细则": rows})
    plan = plan_import(path)
    assert [(c.header, c.role) for c in plan.columns] == [("序号", "code"), ("评价内容", "title"), ("分值", "points"),
                                                          ("Self score", None)]
    assert "工作表“细则”D 列“Self score”的表头未识别" in plan.warnings[0].message
    mapped = plan_import(path, parse_mapping("Self score=不导入"))
    assert [c.role for c in mapped.columns][3] == "ignore"


def test_a_workbook_of_a_sheet_a_unit_gives_each_item_its_sheets_unit(tmp_path):
    """A 任务分解 workbook of a sheet a department, no 牵头单位 column: the units were lost (task packages had nobody
    to go to). A sheet's name that names a unit is its items' lead, said in the plan; a 牵头单位 column wins."""
    header = ["序号", "评价内容", "分值"]
    path = corpus.xlsx(tmp_path / "分工.xlsx", {
        "县市场监管局": [header, ["1", "完成抽检", 5], ["2", "风险分级", 5]],
        "2.县农业农村局": [header, ["3", "农残整治", 5]], "说明": [["本表由县食安办汇总"]]})
    plan = plan_import(path)
    assert [(c.code, c.units) for c in plan.catalogue.criteria] == [
        ("1", ["县市场监管局"]), ("2", ["县市场监管局"]), ("3", ["县农业农村局"])]
    assert [w.message for w in plan.warnings if w.kind == "units_from_sheets"] == [
        "表格没有牵头单位列，各项的牵头单位取自工作表名称：县市场监管局（2 项）、县农业农村局（1 项）"]
    led = corpus.xlsx(tmp_path / "有列.xlsx",
                      {"县市场监管局": [[*header, "牵头单位"], ["1", "完成抽检", 5, "县卫健委"]]})
    assert plan_import(led).catalogue.criteria[0].units == ["县卫健委"]


def _renamed(tmp_path, source, name):
    target = tmp_path / "改名" / name
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(source, target)
    return target


def test_a_file_whose_name_says_another_format_is_read_as_what_it_is(tmp_path):
    """A new workbook named .xls, a Word 2007 file named .doc, a Word 97 or Excel 97 file named .docx or .xlsx (people
    and systems rename them; Word and Excel open them all): refused as damaged, now read by their content."""
    rows = [["序号", "评价内容", "分值"], ["1", "成立食安委", 5], ["2", "开展风险监测", 5]]
    workbook = corpus.xlsx(tmp_path / "新.xlsx", {"细则": rows})
    old_book = corpus.xls(tmp_path / "旧.xls", {"细则": rows})
    document = corpus.word_report(tmp_path / "新.docx")
    for path in (_renamed(tmp_path, workbook, "细则.xls"), _renamed(tmp_path, old_book, "细则.xlsx")):
        assert [(c.code, c.title) for c in plan_import(path).catalogue.criteria] == [("1", "成立食安委"),
                                                                                  ("2", "开展风险监测")]
    assert len(plan_import(_renamed(tmp_path, document, "细则.doc")).catalogue.criteria) == 5  # no LibreOffice


@pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice to make a Word 97 file")
def test_a_word_97_file_named_docx_is_read_as_one_or_said_to_need_libreoffice(tmp_path, monkeypatch):
    import subprocess

    subprocess.run([find_soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(corpus.word_report(tmp_path / "旧.docx"))],
                   check=True, capture_output=True, timeout=180, stdin=subprocess.DEVNULL, env=utf8_env())
    named = _renamed(tmp_path, tmp_path / "旧.doc", "细则.docx")
    assert len(plan_import(named).catalogue.criteria) == 5  # through LibreOffice, as a .doc
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CatalogueError, match=r"这个文件名为 \.docx，实际是 \.doc 格式；读取 \.doc 文件需要安装"):
        plan_import(named)


def test_an_office_systems_web_page_named_xls_is_read_or_named(tmp_path, monkeypatch):
    """导出 Excel of an OA system: an HTML table named .xls. Read through LibreOffice's HTML import where it is
    installed; else refused saying what it is and how to save it."""
    page = tmp_path / "导出.xls"
    page.write_text('<html><head><meta charset="utf-8"></head><body><table border="1"><tr><td>序号</td>'
                    "<td>评价内容</td><td>分值</td></tr><tr><td>1</td><td>成立食安委</td><td>5</td></tr></table></body></html>",
                    encoding="utf-8")
    if find_soffice() is not None:
        assert [(c.code, c.title, c.points) for c in plan_import(page).catalogue.criteria] == [("1", "成立食安委", 5)]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CatalogueError, match=r"实际是网页（HTML）格式，不是真正的 \.xls 文件.*另存为 \.xlsx"):
        plan_import(page)


@pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice to write and read the file")
def test_a_uof_table_through_libreoffice(tmp_path):
    """UOF (GB/T 20916, what office suites of 信创 machines write) was refused as an unknown type; OpenDocument
    (.odt, .ods) goes the same way (criteria.importers.CONVERTED)."""
    import subprocess

    subprocess.run([find_soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "uot:UOF text", "--outdir", str(tmp_path / "out"),
                    str(corpus.word_report(tmp_path / "细则.docx"))],
                   check=True, capture_output=True, timeout=180, stdin=subprocess.DEVNULL, env=utf8_env())
    assert len(plan_import(tmp_path / "out" / "细则.uot").catalogue.criteria) == 5


PARTS_IN_WORDS = ("第一部分 组织领导（20分）", "第二部分 风险管理（15分）")


def _parts_in_words_rows(first: str, second: str) -> list[list]:
    return [["序号", "评价内容", "分值"], [first], ["1", "纳入考核", 10], ["2", "建立食安委", 10], [second],
            ["3", "开展监测", 15]]


@pytest.mark.parametrize("merged", [False, True])
def test_parts_numbered_in_words_are_parts(tmp_path, merged):
    """Part rows "第一部分 组织领导（20分）" typed in the 序号 cell were read as 说明文字 and dropped, the items left
    at the top with no part (a warning said so, the tree did not show it); merged across the table they were parts
    whose title kept "第一部分". The part is 第一部分 as printed, coded 一, its points read from its title."""
    merges = {"细则": ["A2:C2", "A5:C5"]} if merged else None
    path = corpus.xlsx(tmp_path / "细则.xlsx", {"细则": _parts_in_words_rows(*PARTS_IN_WORDS)}, merges)
    plan = plan_import(path)
    assert [(c.code, c.label, c.title, c.points, c.parent) for c in plan.catalogue.criteria] == [
        ("一", "第一部分", "组织领导", 20, None), ("1", "1", "纳入考核", 10, "一"), ("2", "2", "建立食安委", 10, "一"),
        ("二", "第二部分", "风险管理", 15, None), ("3", "3", "开展监测", 15, "二")]
    assert plan.warnings == []
    from exporters.build_criterion import labelled

    assert labelled(plan.catalogue.criteria[0]) == "第一部分 组织领导"  # the dossier's heading, as the table prints it


@pytest.mark.parametrize(("first", "second", "labels"), [
    ("第一章 组织领导", "第二章 风险管理", ("第一章", "第二章")),
    ("第1部分　组织领导", "第2部分　风险管理", ("第1部分", "第2部分")),
    ("一 组织领导", "二 风险管理", ("一", "二")),  # the numeral set off by a space, not 、
])
def test_other_part_numbers_in_words(tmp_path, first, second, labels):
    plan = plan_import(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": _parts_in_words_rows(first, second)}))
    assert [(c.code, c.label, c.title) for c in plan.catalogue.criteria if c.parent is None] == [
        ("一", labels[0], "组织领导"), ("二", labels[1], "风险管理")]


def test_a_word_table_a_part_under_its_part_in_words(tmp_path):
    """A Word document of one table a part, each under a paragraph "第一部分 组织领导": the tables were read as one
    list of items with no part (the paragraphs were not seen as part names)."""
    document = docx.Document()
    document.add_paragraph("某县食品安全示范城市评价细则")
    for part, items in (("第一部分 组织领导", [("1", "纳入考核", "10")]),
                        ("第二部分 风险管理", [("1", "开展监测", "15"), ("2", "完成抽检", "5")])):
        document.add_paragraph(part)
        table = document.add_table(rows=0, cols=3)
        for row in (("序号", "评价内容", "分值"), *items):
            corpus.add_row(table, *row)
    document.save(tmp_path / "细则.docx")
    plan = plan_import(tmp_path / "细则.docx")
    assert [(c.code, c.label, c.title, c.parent) for c in plan.catalogue.criteria] == [
        ("1", "第一部分", "组织领导", None), ("1.1", "1", "纳入考核", "1"),
        ("2", "第二部分", "风险管理", None), ("2.1", "1", "开展监测", "2"), ("2.2", "2", "完成抽检", "2")]


def test_words_that_only_start_like_a_part_stay_what_they_were(tmp_path):
    """"第一季度工作安排" or "第一次会议" above the header is no part; nor is a title line."""
    from criteria.codes import parse_heading_code

    assert parse_heading_code("第一季度工作安排") is None and parse_heading_code("第一次全体会议") is None
    assert parse_heading_code("一 2024年工作") is None and parse_heading_code("第一部分") is None


def test_codes_numbered_with_a_dash_are_read_whole(tmp_path):
    """A 序号 of "1-1", "1-2", "2-1" was read as 1, 1, 2: the printed label cut to "1", a duplicate warning, and
    codes 1, 3, 2 that match nothing in the table. Read as 1.1, 1.2, 2.1, printed as written."""
    rows = [["序号", "评价内容", "分值"], ["一、组织领导"], ["1-1", "纳入考核", 10], ["1-2", "建立食安委", 10],
            ["二、风险管理"], ["2-1", "开展监测", 15]]
    plan = plan_import(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": rows}))
    assert [(c.code, c.label, c.parent) for c in plan.catalogue.criteria] == [
        ("1", "一、", None), ("1.1", "1-1", "1"), ("1.2", "1-2", "1"), ("2", "二、", None), ("2.1", "2-1", "2")]
    assert plan.warnings == []
    # Typed in front of the item instead ("1-1 纳入考核"): the title kept "1 纳入考核" under a code 1
    rows = [["评价内容", "分值"], ["一、组织领导"], ["1-1 纳入考核", 10], ["1-2 建立食安委", 10]]
    plan = plan_import(corpus.xlsx(tmp_path / "细则2.xlsx", {"细则": rows}))
    assert [(c.code, c.label, c.title) for c in plan.catalogue.criteria] == [
        ("1", "一、", "组织领导"), ("1.1", "1-1", "纳入考核"), ("1.2", "1-2", "建立食安委")]


def test_parts_in_words_above_divisions_numbered_one_two(tmp_path):
    """第一部分 > 一、组织领导 > 1: "第一部分" and "一、" were one level, siblings of each other, with duplicate-code
    and empty-part warnings; a part in words is the level above the 一、 under it."""
    rows = [["序号", "评价内容", "分值"], ["第一部分 基础工作（40分）"], ["一、组织领导"], ["1", "纳入考核", 10],
            ["二、风险管理"], ["2", "开展监测", 30], ["第二部分 重点工作（60分）"], ["一、源头治理"],
            ["3", "农药整治", 60]]
    plan = plan_import(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": rows}))
    assert [(c.code, c.label, c.title, c.parent) for c in plan.catalogue.criteria] == [
        ("一", "第一部分", "基础工作", None), ("一.1", "一、", "组织领导", "一"), ("1", "1", "纳入考核", "一.1"),
        ("一.2", "二、", "风险管理", "一"), ("2", "2", "开展监测", "一.2"),
        ("二", "第二部分", "重点工作", None), ("二.1", "一、", "源头治理", "二"), ("3", "3", "农药整治", "二.1")]
    assert plan.warnings == []
