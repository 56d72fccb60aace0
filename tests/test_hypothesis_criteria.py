"""Issue 8, item 2: the criteria importers on generated tables, written as real .xlsx (merged cells) and .csv files.

A table drawn the ways offices draw them (header synonyms, one- or two-row headers, captions above, headings, 评价项目
cells merged down / repeated / left blank below, code styles 一、（一）1. 1.1 (1) ①, blank rows, totals and notes)
imports to exactly the tree it describes. A table damaged at random (stray merges, blanked cells, shuffled and
repeated rows, odd texts) imports to a valid tree or is refused with a CatalogueError naming the file: never
another exception. Storing a catalogue into an archive is all-or-nothing.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from package_support import db_state

from archive.catalogue import load_catalogue as stored_catalogue
from archive.catalogue import store_catalogue
from archive.confirm import confirm
from archive.db import create_archive
from archive.links import link
from conftest import small_catalogue
from criteria.importers import load_catalogue
from criteria.model import Catalogue, CatalogueError, Criterion

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
CN = "一二三四五六七八九十"
WORDS = ("组织领导", "经费保障", "快检能力", "校园食堂", "农残治理", "宣传引导", "应急处置", "追溯体系", "餐饮质量",
         "冷链物流")
HEADING_LABELS = {"一、": lambda n: f"{cn(n)}、", "一．": lambda n: f"{cn(n)}．"}
GROUP_LABELS = {"（一）": lambda n: f"（{cn(n)}）", "(一)": lambda n: f"({cn(n)})", "(1)": lambda n: f"({n})"}


def circled(n: int) -> str:
    """The circled number n as Unicode has it, in three blocks: ①..⑳ (U+2460), ㉑..㉟ (U+3251), ㊱..㊿ (U+32B1).
    A table runs items on past 20 (up to 36 here); one code point after ⑳ is ⑴, a different style altogether."""
    for first, last, base in ((1, 20, 0x2460), (21, 35, 0x3251), (36, 50, 0x32B1)):
        if first <= n <= last:
            return chr(base + n - first)
    raise ValueError(f"no circled number {n}")


ITEM_LABELS = {"1": str, "1.": lambda n: f"{n}.", "①": circled, "（1）": lambda n: f"（{n}）"}
HEADERS = {
    "code": ("序号", "编号", "项目编号"),
    "group": ("评价项目", "考核项目", "测评项目", "项目名称"),
    "title": ("评价内容", "评价标准", "考核内容", "测评内容", "评价指标", "指标内容"),
    "points": ("分值", "标准分", "满分", "分数"),
    "method": ("测评方式", "评价方式", "考核方式"),
    "lead": ("牵头单位", "责任单位", "牵头部门"),
    "ignore": ("得分", "自评得分", "扣分原因"),
}


def cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else "十" + CN[n - 11]


# --- the tree a table describes, and the table --------------------------------------------------------------------

@dataclass
class Node:
    title: str
    label: str = ""
    points: float | None = None
    children: list[Node] = field(default_factory=list)


@dataclass
class Table:
    rows: list[list[object]]  # cell values; None is an empty cell
    merges: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col), 0-based, inclusive

    def csv_rows(self) -> list[list[str]]:
        """What Excel's "save as CSV" writes: a merged range keeps its text in the first cell only."""
        return [["" if value is None else str(value) for value in row] for row in self.rows]


@st.composite
def trees(draw) -> tuple[list[Node], dict]:
    """Headings > groups > items (either upper level may be absent), with their labels and the table layout."""
    shape = {
        "headings": draw(st.booleans()), "groups": draw(st.booleans()),
        "heading_label": draw(st.sampled_from(sorted(HEADING_LABELS))),
        "group_label": draw(st.sampled_from(sorted(GROUP_LABELS))),
        "item_label": draw(st.sampled_from(sorted(ITEM_LABELS))),
        "restart": draw(st.booleans()),  # item numbers restart under each group / heading, or run on
    }
    if shape["group_label"] == "(1)" and shape["item_label"] == "（1）":
        shape["item_label"] = "1."  # two levels in one code style cannot nest
    counter = iter(range(1, 1000))
    item_number = iter(range(1, 1000))

    def items(count: int) -> list[Node]:
        nonlocal item_number
        if shape["restart"]:
            item_number = iter(range(1, 1000))
        made = []
        for _ in range(count):
            n = next(item_number)
            points = draw(st.sampled_from([None, 1.0, 2.0, 2.5, 5.0, 10.0]))
            made.append(Node(f"{WORDS[n % len(WORDS)]}工作第{next(counter)}条", ITEM_LABELS[shape["item_label"]](n),
                             points))
        return made

    def groups(count: int) -> list[Node]:
        return [Node(f"{WORDS[g % len(WORDS)]}专项{next(counter)}", GROUP_LABELS[shape["group_label"]](g),
                     children=items(draw(st.integers(1, 4)))) for g in range(1, count + 1)]

    def below(count: int) -> list[Node]:
        return groups(count) if shape["groups"] else items(count)

    if shape["headings"]:
        top = [Node(f"{WORDS[h % len(WORDS)]}板块{next(counter)}", HEADING_LABELS[shape["heading_label"]](h),
                    children=below(draw(st.integers(1, 3)))) for h in range(1, draw(st.integers(1, 3)) + 1)]
    else:
        top = below(draw(st.integers(1, 4)))
    return top, shape


@st.composite
def tables(draw) -> tuple[Table, list[Node], str]:
    top, shape = draw(trees())
    fields = ["code", *(["group"] if shape["groups"] else []), "title"]
    two_rows = draw(st.booleans())
    if two_rows:
        fields.append("rule")
    fields += ["points"] + [f for f in ("method", "lead", "ignore") if draw(st.booleans())]
    width = len(fields)
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    for caption in draw(st.sampled_from([[], ["附件2"], ["附件2", "某某市创建评价细则（示例）"]])):
        rows.append([caption] + [None] * (width - 1))
        if draw(st.booleans()):
            merges.append((len(rows) - 1, 0, len(rows) - 1, width - 1))
    _header(draw, fields, two_rows, rows, merges)
    group_style = draw(st.sampled_from(["merged", "repeated", "blank_below"]))
    heading_style = draw(st.sampled_from(["merged", "merged_but_last", "code_cell"]))
    blank_rows = draw(st.lists(st.booleans(), min_size=60, max_size=60))
    typed_points = draw(st.sampled_from(["number", "text", "text_fen", "wide"]))

    def item_row(item: Node, group_text: str | None) -> list[object]:
        values = {"code": item.label, "group": group_text, "title": item.title, "rule": f"{item.title}的评分细则",
                  "points": _points(item.points, typed_points), "method": "资料审查", "lead": "县市场监管局"}
        return [values.get(name) for name in fields]

    def add_items(items: list[Node], group: Node | None) -> None:
        first = len(rows)
        for index, item in enumerate(items):
            text = f"{group.label}{group.title}" if group else None
            if group and index and group_style != "repeated":
                text = None
            rows.append(item_row(item, text))
            if blank_rows[len(rows) % 60] and index < len(items) - 1:
                rows.append([None] * width)
        if group and group_style == "merged" and len(rows) - 1 > first:
            merges.append((first, 1, len(rows) - 1, 1))

    def add_level(nodes: list[Node], is_groups: bool) -> None:
        for node in nodes:
            if is_groups:
                add_items(node.children, node)
            else:
                add_items([node], None)

    for node in top:
        if shape["headings"]:
            rows.append([f"{node.label}{node.title}"] + [None] * (width - 1))
            if heading_style != "code_cell":
                merges.append((len(rows) - 1, 0, len(rows) - 1, width - (2 if heading_style == "merged_but_last"
                                                                          else 1)))
            add_level(node.children, shape["groups"])
        else:
            add_level([node], shape["groups"])
    if draw(st.booleans()):
        rows.append(["合计"] + [None] * (width - 1))
    if draw(st.booleans()):
        rows.append(["注：本表分值以正式印发的细则为准。"] + [None] * (width - 1))
        merges.append((len(rows) - 1, 0, len(rows) - 1, width - 1))
    return Table(rows, merges), top, draw(st.sampled_from(["xlsx", "csv"]))


def _header(draw, fields: list[str], two_rows: bool, rows: list, merges: list) -> None:
    names = {name: draw(st.sampled_from(HEADERS[name])) for name in HEADERS}
    top = len(rows)
    if not two_rows:
        rows.append([names[name] for name in fields])
        return
    first = [None if name == "rule" else ("评价内容" if name == "title" else names[name]) for name in fields]
    second = [{"title": "评价标准", "rule": "评价细则"}.get(name) for name in fields]
    rows += [first, second]
    title_col = fields.index("title")
    merges.append((top, title_col, top, title_col + 1))
    merges += [(top, c, top + 1, c) for c, name in enumerate(fields) if name not in ("title", "rule")]


def _points(points: float | None, typed: str) -> object:
    if points is None:
        return None
    shown = f"{points:g}"
    return {"number": points, "text": shown, "text_fen": f"{shown}分",
            "wide": shown.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))}[typed]


def write(table: Table, folder: Path, fmt: str, name: str = "细则") -> Path:
    path = folder / f"{name}.{fmt}"
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(table.csv_rows())
        return path
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in table.rows:
        sheet.append(row)
    for r1, c1, r2, c2 in table.merges:
        if (r1, c1) != (r2, c2):
            sheet.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    workbook.save(path)
    return path


def expected_parents(top: list[Node]) -> dict[str, tuple[str | None, float | None]]:
    """title -> (parent title, points) for every node of the generated tree."""
    found: dict[str, tuple[str | None, float | None]] = {}

    def walk(nodes: list[Node], parent: str | None) -> None:
        for node in nodes:
            found[node.title] = (parent, node.points)
            walk(node.children, node.title)

    walk(top, None)
    return found


def actual_parents(catalogue: Catalogue) -> dict[str, tuple[str | None, float | None]]:
    titles = {c.code: c.title for c in catalogue.criteria}
    return {c.title: (titles.get(c.parent) if c.parent else None, c.points) for c in catalogue.criteria}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tables")


@SETTINGS
@given(tables())
def test_a_well_formed_table_imports_to_exactly_its_tree(workdir, generated):
    table, top, fmt = generated
    folder = Path(tempfile.mkdtemp(dir=workdir))
    catalogue = load_catalogue(write(table, folder, fmt))
    catalogue.validate()  # codes unique, every parent exists and comes first, levels agree
    assert actual_parents(catalogue) == expected_parents(top)
    assert catalogue.source == f"细则.{fmt}"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_circled_numbers_run_on_past_twenty(tmp_path, fmt):
    """Drawn rarely by the generator, so stated once: ㉑..㊱ follow ⑳ as siblings (⑴ after ⑳ would nest under it)."""
    items = [Node(f"第{n}项工作", circled(n), 1.0) for n in range(1, 37)]
    table = Table([["序号", "评价内容", "分值"], *([item.label, item.title, item.points] for item in items)], [])
    catalogue = load_catalogue(write(table, tmp_path, fmt))
    catalogue.validate()
    assert actual_parents(catalogue) == expected_parents(items)


# --- random damage: a valid tree or a clear refusal ---------------------------------------------------------------

ODD_TEXTS = ("", "序号", "评价内容", "分值", "一、", "（二）", "1.2", "①", "注：见说明", "合计", "五分", "见细则",
             "县食安办、各乡镇", "2023年工作总结", "x" * 80, "=SUM(A1:A3)", "\n", "　")


@st.composite
def damaged_tables(draw) -> tuple[Table, str]:
    table, _, fmt = draw(tables())
    rows = [list(row) for row in table.rows]
    merges = list(table.merges)
    width = len(rows[0])
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["blank", "text", "duplicate", "swap", "drop", "merge", "unmerge"]))
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, width - 1))
        if action == "blank":
            rows[r][c] = None
        elif action == "text":
            rows[r][c] = draw(st.sampled_from(ODD_TEXTS))
        elif action == "duplicate":
            rows.insert(r, list(rows[r]))
            merges = _shift(merges, r)
        elif action == "swap" and r + 1 < len(rows):
            rows[r], rows[r + 1] = rows[r + 1], rows[r]
        elif action == "drop" and len(rows) > 1:
            del rows[r]
            merges = [m for m in _shift(merges, r, -1) if m[0] <= m[2]]
        elif action == "merge":
            box = (r, c, min(len(rows) - 1, r + draw(st.integers(0, 3))), min(width - 1, c + draw(st.integers(0, 3))))
            if not any(_overlap(box, m) for m in merges):
                merges.append(box)
        elif action == "unmerge" and merges:
            merges.pop(draw(st.integers(0, len(merges) - 1)))
    merges = [m for m in merges if m[2] < len(rows)]
    return Table(rows, merges), fmt


def _shift(merges: list, at: int, by: int = 1) -> list:
    """Merges after a row inserted (by=1) or removed (by=-1) at `at`; a range containing it grows or shrinks."""
    moved = []
    for r1, c1, r2, c2 in merges:
        moved.append((r1 + by if r1 > at else r1, c1, r2 + by if r2 >= at else r2, c2))
    return moved


def _overlap(a: tuple, b: tuple) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


@SETTINGS
@given(damaged_tables())
def test_a_damaged_table_gives_a_valid_tree_or_a_clear_refusal(workdir, damaged):
    table, fmt = damaged
    folder = Path(tempfile.mkdtemp(dir=workdir))
    path = write(table, folder, fmt, "受损的细则")
    try:
        catalogue = load_catalogue(path)
    except CatalogueError as exc:
        assert str(exc).startswith(f"无法导入“受损的细则.{fmt}”"), str(exc)
        return
    catalogue.validate()
    assert catalogue.criteria and all(c.title.strip() for c in catalogue.criteria)


# --- storing is all-or-nothing ------------------------------------------------------------------------------------

def _duplicate_code(criteria: list[Criterion]) -> None:
    if len(criteria) == 1:  # a one-item table: the item twice (renaming it to itself would be no defect at all)
        criteria.append(Criterion.from_dict(criteria[0].to_dict()))
    else:
        criteria[-1].code = criteria[0].code


def _orphan(criteria: list[Criterion]) -> None:
    criteria[-1].parent, criteria[-1].level = "99.99", 2


def _wrong_level(criteria: list[Criterion]) -> None:
    criteria[-1].level += 1


def _no_code(criteria: list[Criterion]) -> None:
    criteria[-1].code = ""


def _child_first(criteria: list[Criterion]) -> None:
    child = next((c for c in criteria if c.parent), None)
    if child is None:
        criteria[-1].parent, criteria[-1].level = criteria[0].code + ".x", 2
        return
    criteria.remove(child)
    criteria.insert(0, child)


DEFECTS = {"duplicate code": _duplicate_code, "orphan": _orphan, "wrong level": _wrong_level, "no code": _no_code,
           "child before parent": _child_first}


@SETTINGS
@given(tables(), st.sampled_from([None, *DEFECTS]))
def test_storing_a_catalogue_is_all_or_nothing(workdir, generated, defect):
    table, _, fmt = generated
    folder = Path(tempfile.mkdtemp(dir=workdir))
    catalogue = load_catalogue(write(table, folder, fmt))
    with create_archive(folder / "档案.rrdb", "某县") as archive:
        store_catalogue(archive, small_catalogue())
        (folder / "材料").mkdir()
        link(archive, "1.1", [str(folder / "材料")])
        confirm(archive, "1.1", by="张三")
        before = db_state(archive)
        if defect is None:
            store_catalogue(archive, catalogue)
            stored = stored_catalogue(archive).criteria
            assert [(c.code, c.title, c.parent, c.level, c.points) for c in stored] == [
                (c.code, c.title, c.parent, c.level, c.points) for c in catalogue.criteria]
            # links are kept whatever the new codes (under a retired key when their item is gone: issue 15)
            assert [r[:1] + r[2:] for r in db_state(archive)["links"]] == [r[:1] + r[2:] for r in before["links"]]
            return
        DEFECTS[defect](catalogue.criteria)
        with pytest.raises(CatalogueError):
            store_catalogue(archive, catalogue)
        assert db_state(archive) == before


# --- issue 15: the header families, structures and non-item rows of real tables -----------------------------------

FAMILIES = (  # group, title, rule, points, lead: the header words of one real family each
    ("考评类目", "考评内容", "考评办法", "各项分值", "责任单位"),
    ("测评项目", "测评内容", "测评标准", "分值", "牵头部门"),
    ("建设内容", "建设指标", "考评标准", "标准分", "承办单位"),
    ("考评内容", "考评指标", "考评方法", "满分", "考核对象"),
    ("评价项目", "工作内容", "工作要求", "权重", "牵头单位"),
    ("考核项目", "考核要点", "评分标准", "各项分值", "责任部门"),
)
UNITS = ("县（市、区）政府", "县市场监管局", "县农业农村局", "各乡镇（街道）", "县卫健局")
SEPARATORS = ("、", "，", ",", "；", "/")


@dataclass
class Expected:
    title: str
    parent: str | None
    points: float | None
    code: str | None = None  # the code the printed label must keep, where it identifies the row
    units: list[str] = field(default_factory=list)


@st.composite
def real_tables(draw) -> tuple[dict[str, list], dict[str, list], list[Expected], float, str]:
    """Sheets of rows and merges (0-based boxes) drawn like real tables, the expected criteria, the total, format."""
    fmt = draw(st.sampled_from(["xlsx", "csv", "docx"]))
    family = draw(st.sampled_from(FAMILIES))
    numbering = draw(st.sampled_from(["dotted", "run_on", "restart"]))
    headings = draw(st.booleans())
    merging = fmt != "csv"
    group_points = merging and draw(st.booleans())  # a CSV cannot say that a points cell spans a group
    sheets: dict[str, list] = {"表1": [["序号", *family]]}
    merges: dict[str, list] = {"表1": []}
    expected: list[Expected] = []
    current = "表1"
    width = 6
    number = 0
    total = 0.0

    def add(row: list) -> int:
        sheets[current].append(row + [None] * (width - len(row)))
        return len(sheets[current]) - 1

    heading_count = draw(st.integers(1, 3)) if headings else 1
    for h in range(1, heading_count + 1):
        heading = f"{WORDS[h % len(WORDS)]}板块{h}"
        if headings:
            merges[current].append((add([f"{cn(h)}、{heading}"]), 0, len(sheets[current]) - 1, width - 1))
            expected.append(Expected(heading, None, None))
        for g in range(1, draw(st.integers(1, 3)) + 1):
            if merging and len(sheets) == 1 and (h, g) != (1, 1) and draw(st.booleans()):
                current = "表2"  # the table goes on over a second sheet (or Word table), without its header
                sheets[current], merges[current] = [], []
            group = f"{WORDS[(h * 3 + g) % len(WORDS)]}专项{h}{g}"
            items = draw(st.lists(st.sampled_from([1.0, 2.0, 2.5, 5.0]), min_size=1, max_size=4))
            group_total = sum(items)
            merged_points = group_points and len(items) > 1  # one row cannot be merged: its points are the item's
            expected.append(Expected(group, heading if headings else None, group_total if merged_points else None))
            first = None
            for i, points in enumerate(items, start=1):
                number += 1
                code = {"dotted": f"{h}.{g}.{i}", "run_on": str(number), "restart": str(i)}[numbering]
                units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True))
                title = f"{group}第{i}项工作"
                row = add([code, group if i == 1 else None, title, f"未完成扣{i}分",
                           (group_total if i == 1 else None) if merged_points else points,
                           draw(st.sampled_from(SEPARATORS)).join(units)])
                first = row if first is None else first
                expected.append(Expected(title, group, None if merged_points else points,
                                         None if numbering == "restart" else code, units))
            last = len(sheets[current]) - 1
            if merging and last > first:
                merges[current] += [(first, 1, last, 1)] + ([(first, 4, last, 4)] if merged_points else [])
            if draw(st.booleans()):
                add([None, "小计", None, None, group_total])
            if draw(st.booleans()):
                add([])  # a blank row
            total += group_total
    if draw(st.booleans()):
        add(["合计", None, None, None, total])
    if draw(st.booleans()):
        add(["综合得分：____分"])
    return sheets, merges, expected, total, fmt


def write_real(sheets: dict[str, list], merges: dict[str, list], folder: Path, fmt: str) -> Path:
    path = folder / f"细则.{fmt}"
    if fmt == "docx":
        return _write_docx(sheets, merges, path)
    if fmt == "csv":
        with open(path, "w", encoding="gb18030", newline="") as handle:
            csv.writer(handle).writerows([["" if v is None else v for v in row] for row in sheets["表1"]])
        return path
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for r1, c1, r2, c2 in merges[name]:
            if (r1, c1) != (r2, c2):
                sheet.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    book.save(path)
    return path


def _write_docx(sheets: dict[str, list], merges: dict[str, list], path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("某县食品安全工作考核细则")
    for name, rows in sheets.items():
        if name != "表1":
            document.add_paragraph("（续表）")
        table = document.add_table(rows=len(rows), cols=6)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    table.cell(r, c).text = f"{value:g}" if isinstance(value, float) else str(value)
        for r1, c1, r2, c2 in merges[name]:
            if (r1, c1) != (r2, c2):
                table.cell(r1, c1).merge(table.cell(r2, c2))
    document.save(path)
    return path


@SETTINGS
@given(real_tables())
def test_a_real_layout_imports_to_its_tree_codes_units_and_points_without_warnings(workdir, generated):
    from criteria.importers import plan_import

    sheets, merges, expected, total, fmt = generated
    folder = Path(tempfile.mkdtemp(dir=workdir))
    plan = plan_import(write_real(sheets, merges, folder, fmt))
    plan.catalogue.validate()
    crits = plan.catalogue.criteria
    titles = {c.code: c.title for c in crits}
    assert [(c.title, titles.get(c.parent) if c.parent else None, c.points) for c in crits] == [
        (e.title, e.parent, e.points) for e in expected]
    for crit, want in zip(crits, expected, strict=True):
        if want.code is not None:
            assert (crit.code, crit.label) == (want.code, want.code)  # the printed code stays the code
        if want.units:
            assert crit.units == want.units  # split on 、，,；/ but never inside （市、区）
    assert plan.totals()["points"] == total
    assert plan.warnings == [], [w.message for w in plan.warnings]  # a well-formed table raises no false alarm
    assert all(r.reason in ("小计行", "合计行", "得分栏") for r in plan.skipped_rows)
