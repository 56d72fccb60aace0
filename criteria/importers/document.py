"""The import plan of a whole document: every sheet or table in order, the paragraphs around Word tables.

A sheet or table with its own header is read with it; one without a header that looks like the rest of the
previous table is read as its continuation (a table split over pages or sheets); any other is listed as skipped.
Coded paragraphs right above a Word table ("一、重点工作完成情况（92分）") are headings of the tree.
"""

from __future__ import annotations

from pathlib import Path

from criteria.codes import parse_heading_code
from criteria.errors import import_error
from criteria.importers.checks import MAX_LISTED, run_checks
from criteria.importers.grid import Grid
from criteria.importers.header import HEADER_SEARCH_ROWS, Header, find_header, header_refusal
from criteria.importers.kinds import mark_kinds
from criteria.importers.plan import ImportPlan, Part
from criteria.importers.reader import TableReader
from criteria.importers.roles import Column
from criteria.importers.tree import PART_STYLES, Node, TreeBuilder
from criteria.importers.values import (
    code_cell,
    looks_like_points,
    looks_like_units,
    named_kind,
    points_in_text,
    split_code,
    split_heading,
    split_units,
    stated_total,
    strip_points_suffix,
)
from criteria.model import Catalogue, CatalogueError, Criterion

_TITLE_WORDS = ("细则", "办法", "标准", "体系", "评价", "考核", "考评", "测评", "指标", "方案", "表", "清单", "任务")
_CONTINUED = ("续表", "（续表）", "(续表)", "续")


class HeaderNotFound(CatalogueError):
    """No header was recognised: carries the likeliest header cells so the app can offer drop-downs for them."""

    def __init__(self, message: str, columns: list[Column]):
        super().__init__(message)
        self.columns = columns


def plan_from_grids(grids: list[Grid], file_name: str, mapping: dict[str, str] | None = None, *,
                    exact_width: bool = False) -> ImportPlan:
    plan = ImportPlan(file_name, Catalogue(title="", criteria=[], source=file_name), mapping=dict(mapping or {}))
    filled = [g for g in grids if any(c.text for r in g.rows for c in r.cells)]
    if not filled:
        raise import_error(file_name, "表格是空的，没有任何内容", grids[0].where if len(grids) == 1 else "")
    builder = TreeBuilder(0)
    units_from_sheets: dict[str, int] = {}
    previous: Header | None = None
    first_header: tuple[Grid, Header] | None = None
    for grid in grids:
        if grid not in filled:
            plan.parts.append(Part(grid.where, "skipped", "空白，没有内容"))
            continue
        if grid.hidden:
            plan.parts.append(Part(grid.where, "skipped", "隐藏的工作表，未读取（如需导入，请在 Excel 中取消隐藏）"))
            continue
        header = find_header(grid, plan.mapping)
        if header is not None:
            part = Part(grid.where, "read", header_rows=[grid.rows[header.first_row + i].number
                                                         for i in range(header.row_count)], columns=header.cols)
            start = header.body_start
            builder.use_groups(len(header.columns("group")))
        elif previous is not None and _continues(grid, previous, exact_width):
            part, header, start = Part(grid.where, "continued", columns=previous.cols), previous, 0
        else:
            plan.parts.append(Part(grid.where, "skipped", "没有评价细则的表头，也不是上一张表格的续表"))
            continue
        _hidden_parts(plan, grid)
        state, before = builder.snapshot(), len(builder.nodes)
        _headings_above(grid, header.first_row if part.status == "read" else 0, builder, _sheets_are_parts(grids))
        TableReader(grid, header, builder, start, plan, part).read()
        if not any(n.role == "item" for n in builder.nodes[before:]):
            builder.restore(state)
            part.status, part.reason = "skipped", "表头下没有评价项目" if part.status == "read" else "没有评价项目"
        else:
            part.nodes = len(builder.nodes) - before
            _units_from_sheet(grid, header, builder.nodes[before:], units_from_sheets)
            previous = header
            first_header = first_header or (grid, header)
        plan.parts.append(part)
    if first_header is None:
        _refuse(plan, filled, file_name)
    plan.catalogue = _catalogue(builder, plan, grids, first_header, file_name)
    if units_from_sheets:
        named = "、".join(f"{unit}（{count} 项）" for unit, count in units_from_sheets.items())
        plan.warn("units_from_sheets", f"表格没有牵头单位列，各项的牵头单位取自工作表名称：{named}")
    _kinds_from_text(plan, grids)
    run_checks(plan, builder.nodes)
    return plan


def _hidden_parts(plan: ImportPlan, grid: Grid) -> None:
    """Rows and columns Excel hides are read (hidden to print a part, they still are the table), and named, as are
    formulas with no saved result: what comes in should never surprise the clerk who looks at the sheet."""
    rows = [str(row.number) for row in grid.rows if row.hidden and any(cell.text for cell in row.cells)]
    if rows:
        listed = "、".join(rows[:MAX_LISTED]) + ("等" if len(rows) > MAX_LISTED else "")
        plan.warn("hidden_rows", f"{grid.where}第 {listed} 行在 Excel 中已隐藏，仍按表格内容读取")
    if grid.hidden_columns:
        plan.warn("hidden_columns", f"{grid.where}的 {'、'.join(grid.hidden_columns)} 列在 Excel 中已隐藏，"
                                    "仍按表格内容读取")
    if grid.tracked_changes:
        plan.warn("tracked_changes", f"{grid.where} 中有 {grid.tracked_changes} 处未接受的修订（修订模式下的插入、"
                                     "删除），按接受全部修订后的文字读取：请核对，或在 Word 中接受或拒绝修订后再导入")
    if grid.uncomputed:
        cells = "、".join(grid.uncomputed[:MAX_LISTED]) + ("等" if len(grid.uncomputed) > MAX_LISTED else "")
        plan.warn("uncomputed", f"{grid.where}的 {cells} 是公式，文件中没有保存计算结果，按空白读取："
                                "请在 Excel 或 WPS 中打开这个文件、保存后再导入")


def _kinds_from_text(plan: ImportPlan, grids: list[Grid]) -> None:
    """Kinds a title states ("（否决项）") or a note explains ("标★的为关键项"): set, and named for the clerk."""
    notes = [row.text for row in plan.skipped_rows] + [p for g in grids for p in g.before + g.after]
    marked = mark_kinds(plan.catalogue.criteria, notes)
    if marked:
        names = [c.label.rstrip("、.．") or c.code for c in marked[:MAX_LISTED]]
        listed = "、".join(names) + ("等" if len(marked) > MAX_LISTED else "")
        kinds = "、".join(dict.fromkeys(c.kind for c in marked))
        plan.warn("kinds_from_text", f"{len(marked)} 项的类别（{kinds}）取自文字（如“（否决项）”“标★的为关键项”），"
                                     f"不是类别列：{listed}")


def _refuse(plan: ImportPlan, filled: list[Grid], file_name: str) -> None:
    read = [p for p in plan.parts if p.status != "skipped" or p.reason.startswith("表头下")]
    if read:
        where = read[0].where
        raise import_error(file_name, "表头下面没有任何评价项目", where)
    candidates = [(header_refusal(g, plan.mapping), g) for g in filled]
    (message, columns), grid = max(candidates, key=lambda c: sum(col.role is not None for col in c[0][1]))
    where = grid.where if len(filled) == 1 else ""
    if len(filled) > 1:
        message += "（已查看：" + "、".join(g.where for g in filled) + f"，各看前 {HEADER_SEARCH_ROWS} 行）"
    raise HeaderNotFound(str(import_error(file_name, message, where)), columns)


def _continues(grid: Grid, header: Header, exact_width: bool) -> bool:
    """A grid without a header continues the previous table when its columns line up and its rows look alike:
    codes in the code column, points in the points column, or codes at the start of the item text."""
    width, expected = grid.width, len(header.fields)
    if (width != expected) if exact_width else not (header.column("title") < width <= expected):
        return False
    rows = [r for r in grid.rows if sum(bool(c.text) and not c.continued and not c.across for c in r.cells) >= 2]
    if not rows:
        return False
    alike = 0
    for row in rows:
        cells = row.cells
        code = header.column("code")
        points = header.columns("points")
        title = header.column("title")
        alike += any((code is not None and code < len(cells) and cells[code].text
                      and code_cell(cells[code].text).style != "other",
                      any(p < len(cells) and looks_like_points(cells[p].text) for p in points),
                      title < len(cells) and split_code(cells[title].text)[0] is not None))
    return alike * 2 >= len(rows)


def _headings_above(grid: Grid, header_row: int, builder: TreeBuilder, sheets_are_parts: bool) -> None:
    """Parts named above a table: coded paragraphs right above a Word table ("一、重点工作完成情况（92分）"), or lines
    above a sheet's header ("一、组织领导（20分）" merged across row 1), nearest last; else, in a workbook of a sheet a
    part, the sheet's name ("二、风险管理")."""
    lines = [(text, f"{grid.where}上方的段落") for text in grid.before]
    for row in grid.rows[:header_row]:
        texts = list(dict.fromkeys(c.text for c in row.cells if c.text))
        lines.append((texts[0] if len(texts) == 1 else "", f"{grid.where}第 {row.number} 行"))
    found: list[tuple[str, str]] = []
    for text, where in reversed(lines):
        if not text or text.replace(" ", "") in _CONTINUED:
            continue
        if not _names_a_part(text):
            break
        found.append((text, where))
    if not found and sheets_are_parts and _names_a_part(grid.sheet):
        found.append((grid.sheet, f"{grid.where}的名称"))
    for text, where in reversed(found):
        code, title = split_heading(text)
        node = Node("heading", Criterion(code="", title=strip_points_suffix(title)), code, group_text=text,
                    where=where)
        points = points_in_text(title)
        if points is not None and node.crit.title != title:
            node.crit.points, node.points_from_text = points, True
        node.crit.kind = named_kind(node.crit.title)
        builder.add_heading(node)


def _units_from_sheet(grid: Grid, header: Header, nodes: list[Node], counts: dict[str, int]) -> None:
    """A workbook of a sheet a unit ("县市场监管局", "2.县农业农村局") with no 牵头单位 column: the sheet's name is
    the lead unit of its items; without it the units were lost and the task packages had nobody to go to."""
    if header.column("lead") is not None or not grid.sheet:
        return
    name = split_code(grid.sheet)[1].strip()
    units = split_units(name)
    if not looks_like_units(name) or len(units) != 1:
        return
    unit = units[0]
    for node in nodes:
        if node.role == "item" and not node.crit.units:
            node.crit.units = [unit]
            counts[unit] = counts.get(unit, 0) + 1


def _names_a_part(text: str) -> bool:
    """"一、组织领导（20分）", "第一部分 组织领导", not a sentence of the 填表说明 ("一、本表由牵头单位填写。")."""
    code = parse_heading_code(text)
    return (code is not None and code.style in PART_STYLES and len(text) <= 60 and bool(code.rest)
            and not any(mark in text for mark in ("。", "；", ";")) and not text.endswith(("：", ":")))


def _sheets_are_parts(grids: list[Grid]) -> bool:
    """A workbook whose sheets are named as parts are numbered ("一、组织领导", "二、风险管理"): a sheet a part."""
    return sum(_names_a_part(grid.sheet) for grid in grids if not grid.hidden) >= 2


def _catalogue(builder: TreeBuilder, plan: ImportPlan, grids: list[Grid], first: tuple[Grid, Header],
               file_name: str) -> Catalogue:
    criteria = builder.finish()
    plan.points_from_text = {n.crit.code for n in builder.nodes if n.points_from_text and n.crit.points is not None}
    title = _title(grids, *first) or Path(file_name).stem
    for text in dict.fromkeys([title, *(p for g in grids for p in g.before + g.after), *_rows_above(*first)]):
        value = stated_total(text)
        if value is not None:
            plan.stated_totals.append((value, f"“{text[:30]}”"))
    return Catalogue(title=title, criteria=criteria, source=file_name)


def _rows_above(grid: Grid, header: Header) -> list[str]:
    return [c.text for row in grid.rows[:header.first_row] for c in row.cells if c.text and not c.across]


def _title(grids: list[Grid], grid: Grid, header: Header) -> str:
    """The table's own title: a Word paragraph above the table (or above a letterhead table before it), or a line
    typed above the header."""
    paragraphs = [p for g in grids[:grids.index(grid) + 1] for p in g.before]
    if grid.title:
        return grid.title
    chosen = pick_title(paragraphs)
    if chosen:
        return chosen
    lines = []
    for row in grid.rows[:header.first_row]:
        texts = [c.text for c in row.cells if c.text and not c.continued and not c.across]
        if len(texts) == 1:
            lines.append(texts[0])
    return pick_title(lines)


def pick_title(lines: list[str]) -> str:
    """The line that names the table: not "附件2", not a salutation ("各县（市、区）食安办："), not a heading."""
    usable = [t for t in lines if is_caption(t)]
    named = [t for t in usable if any(word in t for word in _TITLE_WORDS)]
    return (named or usable or [""])[0]


def is_caption(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > 60 or text.startswith("附件") or text.endswith(("：", ":", "。", "；", "！", "？")):
        return False  # a tag, a salutation ("各县（市、区）食安办："), or a sentence of the covering letter
    code = parse_heading_code(text)
    return code is None or code.style not in PART_STYLES
