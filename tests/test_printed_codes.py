"""A catalogue imported with its printed codes, not dotted ones: items 1…9 numbered on across the parts 一、二、三,
so item 5 sits under 二. What lies under a criterion is asked by parent everywhere: automap's category folders, a
stage comparison of one part, the internal edition's 齐全 count."""

from __future__ import annotations

import zipfile

import criteria_corpus as corpus
import pytest
from docx import Document
from export_helpers import options, page_texts

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


def test_a_group_the_table_left_unnumbered_is_printed_by_its_title_alone(archive, tmp_path):
    """Groups named in a 评价项目 column without a number ("党政同责" above item 1): the importer codes them "一.1"
    to keep them apart, and the dossier printed that code in their heading and the 汇总表's 编号 column, a number in
    nobody's table. What the table prints (parts 一、, items 1 and 2) stays."""
    header = ["序号", "评价项目", "评价内容", "分值"]
    path = corpus.xlsx(tmp_path / "分表.xlsx", {"组织领导": [
        ["一、组织领导（20分）"], header, ["1", "党政同责", "纳入考核", 10], ["2", "工作机制", "建立食安委", 10]]})
    store_catalogue(archive, load_catalogue(path))
    out = tmp_path / "汇编.docx"
    export(archive, "docx", out, options(catalogue_only=True))
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {"一、组织领导", "党政同责", "1 纳入考核", "工作机制", "2 建立食安委"} <= set(headings)
    rows = [[cell.text for cell in row.cells][:2] for table in document.tables for row in table.rows]
    assert ["", "党政同责"] in rows and ["1", "纳入考核"] in rows and ["一、", "组织领导"] in rows
    assert not any("一.1" in text or "一.2" in text for text in headings + [cell for row in rows for cell in row])


@pytest.mark.parametrize(("code", "label", "printed"), [
    ("一.1", "", ""), ("二.3.1", "", ""), ("一", "", ""),  # made by the importer for unnumbered rows
    ("一.1", "（一）", "（一）"), ("5", "5", "5"),  # printed in the table
    ("1.2", "", "1.2"), ("2", "", "2"),  # a YAML catalogue's or an old archive's own codes, printed as they are
])
def test_the_printed_code(code, label, printed):
    from criteria.model import Criterion

    assert Criterion(code, "标题", label=label).printed_code() == printed


def test_a_part_folder_numbered_in_words_is_the_part_not_item_1(run_on, tmp_path):
    """"第一部分 组织领导" was linked to item 1 (第一 read as 第一项), and "第二部分 能力建设" to item 2 with item 5's
    folder inside it: every file of a part counted as evidence of one item. A part folder is the part."""
    root = tmp_path / "资料"
    for name in ("第一部分 组织领导", "第二部分 能力建设/5 第5项工作", "第3部分 宣传引导"):
        (root / name).mkdir(parents=True)
    report = automap_tree(run_on, str(root))
    assert sorted(report.linked) == [("5", str(root / "第二部分 能力建设" / "5 第5项工作")),
                                     ("一", str(root / "第一部分 组织领导")), ("三", str(root / "第3部分 宣传引导"))]
    assert report.categories == [("二", str(root / "第二部分 能力建设"))]


def test_the_handover_zip_has_no_empty_part_folders_sorted_apart(run_on, tmp_path):
    """The zip made a folder for every criterion: the parts' "一 组织领导", "二 能力建设" (empty) sorted after all the
    items "1"-"9" in Explorer. Items have their folders, empty or not; a part only where evidence is linked to it."""
    linked_item_5(run_on, tmp_path)
    part = tmp_path / "材料" / "二 汇总"
    part.mkdir()
    (part / "能力建设总结.txt").write_text("总结", encoding="utf-8")
    link(run_on, "二", [str(part)])
    scan(run_on)
    out = tmp_path / "移交包.zip"
    export(run_on, "zip", out, options())
    folders = [name for name in zipfile.ZipFile(out).namelist() if name.endswith("/")]
    assert folders == ["1 第1项工作/", "2 第2项工作/", "3 第3项工作/", "4 第4项工作/", "二 能力建设/",
                       "5 第5项工作/", "6 第6项工作/", "7 第7项工作/", "8 第8项工作/", "9 第9项工作/"]
    assert "二 能力建设/二-001 能力建设总结.txt" in zipfile.ZipFile(out).namelist()


def test_an_items_folder_under_its_part_is_the_item_not_the_unnumbered_group_above_it(archive, tmp_path):
    """Groups named without a number above items 1 and 2 (coded 一.1 and 一.2 by the importer): "1 党政同责" under
    the part's folder was linked to the group 一.1 (its number read relative to the part), not to item 1, which
    stayed 缺材料 with its evidence in the archive."""
    header = ["序号", "评价项目", "评价内容", "分值"]
    rows = [header, ["第一部分 组织领导（20分）"], ["1", "党政同责", "纳入考核", 10],
            ["2", "工作机制", "建立食安委", 10]]
    store_catalogue(archive, load_catalogue(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": rows})))
    root = tmp_path / "资料"
    for name in ("第一部分 组织领导/1 党政同责", "第一部分 组织领导/2 工作机制"):
        (root / name).mkdir(parents=True)
    report = automap_tree(archive, str(root))
    assert sorted(report.linked) == [("1", str(root / "第一部分 组织领导" / "1 党政同责")),
                                     ("2", str(root / "第一部分 组织领导" / "2 工作机制"))]


@pytest.mark.cjk_font
def test_a_part_printed_in_words_stays_on_one_line_of_the_summary(archive, tmp_path):
    """The 汇总表's 编号 column held three characters: "第一部分" broke as "第一部" over "分". 类别 and 扣分说明,
    empty throughout before any item is scored or typed, leave their room to 评价项目."""
    rows = [["序号", "评价内容", "分值"], ["第一部分 组织领导（20分）"], ["1", "纳入考核", 10],
            ["第十二部分 风险管理"], ["2", "开展监测", 10]]
    store_catalogue(archive, load_catalogue(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": rows})))
    out = tmp_path / "汇编.pdf"
    export(archive, "pdf", out, options(catalogue_only=True))
    summary = next(text for text in page_texts(out) if "为本项及其下级项目的佐证材料件数" in text)
    cells = [line.strip() for line in summary.splitlines()]
    assert "第一部分" in cells and "第十二部分" in cells  # each cell's text on a line of its own
    assert "自评得分" in cells  # the heading was "自评得" over "分"


def test_the_import_preview_marks_the_code_of_an_unnumbered_group_as_the_archives():
    """The preview and `criteria` printed the importer's "一.1" as if the table said so; in brackets, as every code
    of the archive's own beside a printed one ("（一） [1.1]")."""
    from criteria.model import Criterion

    assert Criterion("一.1", "党政同责", parent="一", level=2).shown_code() == "[一.1]"
    assert Criterion("1.2", "成立领导小组", parent="1", level=2).shown_code() == "1.2"  # a YAML file's own code
    assert Criterion("1.1", "印发方案", parent="1", level=2, label="（一）").shown_code() == "（一） [1.1]"


@pytest.mark.cjk_font
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_part_with_nothing_in_its_box_exports(archive, tmp_path, fmt):
    """A task table with no 分值 and no unit on its part rows: the part's box had no line at all, and the PDF
    dossier stopped with an internal error (an empty table) instead of printing the part's heading alone."""
    rows = [["序号", "工作任务", "牵头单位"], ["第一部分 组织领导"], ["1-1", "成立领导小组", "县食安办"]]
    store_catalogue(archive, load_catalogue(corpus.xlsx(tmp_path / "任务.xlsx", {"任务": rows})))
    out = tmp_path / f"汇编.{fmt}"
    export(archive, fmt, out, options())
    lines = page_texts(out) if fmt == "pdf" else [p.text for p in Document(str(out)).paragraphs]
    text = "\n".join(lines)
    assert "第一部分 组织领导" in text and "1-1 成立领导小组" in text


@pytest.mark.cjk_font
def test_the_self_check_reports_scores_are_numbered_as_the_dossiers_summary(archive, tmp_path):
    """自查自评报告's score table printed the archive's codes: "一" for a part the table prints 第一部分, "一.1" for
    a group it left unnumbered, where the dossier's 汇总表 beside it prints the table's own; in Word and in PDF."""
    from exporters.reports import write_report

    header = ["序号", "评价项目", "评价内容", "分值"]
    rows = [header, ["第一部分 组织领导（20分）"], ["1", "党政同责", "纳入考核", 10],
            ["2", "工作机制", "建立食安委", 10]]
    store_catalogue(archive, load_catalogue(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": rows})))
    [word] = write_report(archive, "selfcheck", tmp_path / "自评报告.docx").paths
    scores = next(t for t in Document(str(word)).tables if t.rows[0].cells[0].text == "编号"
                  and t.rows[0].cells[1].text == "评价项目" and t.rows[0].cells[4].text == "自评得分")
    assert [[cell.text for cell in row.cells][:2] for row in scores.rows[1:]] == [
        ["第一部分", "组织领导"], ["", "党政同责"], ["1", "纳入考核"], ["", "工作机制"], ["2", "建立食安委"]]
    [pdf] = write_report(archive, "selfcheck", tmp_path / "自评报告.pdf").paths
    text = "\n".join(page_texts(pdf))
    lines = [line.strip() for line in text.splitlines()]
    assert "第一部分" in lines and "自评得分" in lines  # each on one line of its cell
    assert "一.1" not in text and "一.2" not in text


# numbers restarting in every part and group: （一） of 一 and of 二, 1. under each
RESTARTING = [["序号", "评价内容", "分值"], ["一、组织领导"], ["（一）党政同责"], ["1.", "纳入考核", 10],
              ["（二）工作机制"], ["1.", "建立食安委", 10], ["二、能力建设"], ["（一）检验检测"], ["1.", "快检室", 10]]


def test_an_item_exported_without_the_parts_above_it_is_cited_with_them(archive, tmp_path):
    """Exporting （一）检验检测 of part 二 alone printed "（一）" in the 汇总表, the headings and the 目录, which the
    reviewer cannot tell from （一） of part 一; now "二（一）", and "一（二）1." for item 1. of （二） of part 一.
    Codes that name their row (item 5 numbered on across the parts) and the whole dossier print as before."""
    store_catalogue(archive, load_catalogue(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": RESTARTING})))
    codes = dict(archive.conn.execute("SELECT title, code FROM criteria"))
    out = tmp_path / "汇编.docx"
    export(archive, "docx", out, options(codes=[codes["建立食安委"], codes["检验检测"]], catalogue_only=True))
    document = Document(str(out))
    summary = next(t for t in document.tables if t.rows[0].cells[0].text == "编号")
    assert [[cell.text for cell in row.cells][:2] for row in summary.rows[1:]] == [
        ["一（二）1.", "建立食安委"], ["二（一）", "检验检测"], ["1.", "快检室"]]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "一（二）1.建立食安委" in headings and "二（一）检验检测" in headings and "1.快检室" in headings
    from exporters.build import cover_lines
    from exporters.evidence import collect

    part = [codes["建立食安委"], codes["检验检测"]]  # the cover says it is a part: "评价项目 3 项" alone reads as all
    assert cover_lines(collect(archive, part), options(codes=part))[0] == (
        "收录范围", "一（二）1.建立食安委、二（一）检验检测及其下级项目（评价目录的一部分）")
    assert not any(label == "收录范围" for label, _ in cover_lines(collect(archive), options()))
    whole = tmp_path / "全部.docx"
    export(archive, "docx", whole, options(catalogue_only=True))
    headings = [p.text for p in Document(str(whole)).paragraphs if p.style.name.startswith("Heading")]
    assert "（一）检验检测" in headings and not any(h.startswith(("二（", "一（")) for h in headings)


@pytest.mark.parametrize(("above", "code", "label", "cited"), [
    ((("二", "二、"),), "二.1", "（一）", "二（一）"),
    ((("1", "一、"), ("1.2", "（二）")), "1.2.1", "1.", "一（二）1."),
    ((("第一部分", "第一部分"),), "第一部分.1", "（一）", "第一部分（一）"),
    ((("二", "二、"),), "5", "5", "5"),  # numbered on across the parts: names its row
    ((("1", "1"), ("1.2", "1.2")), "1.2.3", "1.2.3", "1.2.3"),
    ((("一", "一、"), ("一.1", "")), "一.1.1", "（1）", "一 党政同责 （1）"),  # a group left unnumbered: its title
    ((("一", "一、"),), "一.1", "", ""),  # that group exported alone: by its title, as in the whole dossier
])
def test_the_code_cited_with_the_parts_above(above, code, label, cited):
    from criteria.model import Criterion, cited_code

    chain = []
    for above_code, printed in above:
        chain.append(Criterion(above_code, "党政同责", parent=chain[-1].code if chain else None, level=len(chain) + 1,
                               label=printed))
    crit = Criterion(code, "项目", parent=chain[-1].code, level=len(chain) + 1, label=label)
    assert cited_code(crit, chain) == cited


def test_a_code_as_the_dossier_cites_it_names_its_item(archive, tmp_path):
    """A dossier of some items prints "二（一）"; the clerk typing it (`export --codes 二（一）`, `link`, `score`) was
    told there is no such code, and typing "（一）" that it is not unique, with the archive's codes "一.1、二.1" as the
    only way out."""
    from archive.catalogue import resolve_code
    from common.errors import UserError

    store_catalogue(archive, load_catalogue(corpus.xlsx(tmp_path / "细则.xlsx", {"细则": RESTARTING})))
    codes = dict(archive.conn.execute("SELECT title, code FROM criteria"))
    assert resolve_code(archive, "二（一）") == resolve_code(archive, "二(一)") == codes["检验检测"]
    assert resolve_code(archive, "一（二）1.") == resolve_code(archive, "一（二）1") == codes["建立食安委"]
    assert resolve_code(archive, codes["检验检测"]) == codes["检验检测"]  # the archive's own code, as before
    with pytest.raises(UserError) as refused:
        resolve_code(archive, "（一）")
    assert str(refused.value).startswith(f"编号 （一） 不唯一，可能是：一（一） [{codes['党政同责']}]、二（一） "
                                         f"[{codes['检验检测']}]，请写明是哪一个")
    with pytest.raises(UserError, match="评价目录中没有编号 三（一）"):
        resolve_code(archive, "三（一）")
