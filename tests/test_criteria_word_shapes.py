"""Word criteria tables as offices make them, beyond the cells' own text.

Numbered by Word itself (the 编号 button, list styles): the numbers are not in the paragraphs' text. The 序号 cells
were read as empty (items numbered by row position) and "一、组织领导（20分）" above a table as "组织领导（20分）", not
a part: the parts were lost without a word. Checked against LibreOffice's own rendering where it is installed.
Framed in a layout table or a content control: the table was not seen at all. Under track changes (修订模式): the
inserted text was dropped.
"""

from __future__ import annotations

import subprocess

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from common.child_env import utf8_env
from criteria.importers import plan_import
from criteria.importers.office import find_soffice
from criteria.importers.wordnumbers import _formatted, list_labels
from criteria.model import CatalogueError

PARTS = [("组织领导（20分）", [("纳入党政考核", "10"), ("建立食安委", "10")]),
         ("风险管理（15分）", [("开展风险监测", "15")]),
         ("社会共治（12分）", [("宣传周活动", "6"), ("投诉举报", "6")])]


def _abstract(document, abstract_id: int, fmt: str, text: str, start: int = 1) -> None:
    document.part.numbering_part.element.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:lvl w:ilvl="0">'
        f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))


def _num(document, num_id: int, abstract_id: int, restart: int | None = None) -> None:
    override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart}"/></w:lvlOverride>'
                if restart is not None else "")
    document.part.numbering_part.element.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'))


def _numbered(paragraph, num_id: int) -> None:
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _numbered_table(path, restart_each_table: bool):
    """Parts numbered 一、二、三、 by a list; items' 序号 cells numbered by another, running on across the tables or
    restarted in each (new w:num instances of one abstract definition, each with a startOverride)."""
    document = docx.Document()
    _abstract(document, 90, "chineseCounting", "%1、")
    _num(document, 90, 90)
    _abstract(document, 91, "decimal", "%1." if restart_each_table else "%1")
    for num_id in (91, 92, 93):
        _num(document, num_id, 91, 1 if restart_each_table else None)
    document.add_paragraph("某县创建国家食品安全示范城市评价细则")
    for (part, items), num_id in zip(PARTS, (91, 92, 93), strict=True):
        _numbered(document.add_paragraph(part), 90)
        table = document.add_table(rows=1, cols=3)
        for cell, text in zip(table.rows[0].cells, ("序号", "评价内容", "分值"), strict=True):
            cell.text = text
        for content, points in items:
            cells = table.add_row().cells
            _numbered(cells[0].paragraphs[0], num_id if restart_each_table else 91)
            cells[1].text, cells[2].text = content, points
    document.save(path)
    return path


def _tree(plan) -> list[tuple]:
    return [(c.code, c.parent, c.label, c.title, c.points) for c in plan.catalogue.criteria]


def test_parts_and_item_numbers_word_shows_are_read(tmp_path):
    plan = plan_import(_numbered_table(tmp_path / "细则.docx", restart_each_table=False))
    assert _tree(plan) == [
        ("一", None, "一、", "组织领导", 20), ("1", "一", "1", "纳入党政考核", 10), ("2", "一", "2", "建立食安委", 10),
        ("二", None, "二、", "风险管理", 15), ("3", "二", "3", "开展风险监测", 15),
        ("三", None, "三、", "社会共治", 12), ("4", "三", "4", "宣传周活动", 6), ("5", "三", "5", "投诉举报", 6)]
    assert plan.warnings == []


def test_a_list_restarted_in_each_table_numbers_each_part_from_one(tmp_path):
    plan = plan_import(_numbered_table(tmp_path / "细则.docx", restart_each_table=True))
    assert [(c.code, c.parent, c.label) for c in plan.catalogue.criteria] == [
        ("1", None, "一、"), ("1.1", "1", "1."), ("1.2", "1", "2."), ("2", None, "二、"), ("2.1", "2", "1."),
        ("3", None, "三、"), ("3.1", "3", "1."), ("3.2", "3", "2.")]


def test_a_list_style_numbers_the_cells(tmp_path):
    """python-docx's "List Number" style: the numbering comes from the style, not the paragraph."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "评价内容", "分值"), strict=True):
        cell.text = text
    for content in ("甲", "乙", "丙"):
        cells = table.add_row().cells
        cells[0].paragraphs[0].style = document.styles["List Number"]
        cells[1].text, cells[2].text = content, "5"
    document.save(tmp_path / "样式.docx")
    plan = plan_import(tmp_path / "样式.docx")
    assert [(c.code, c.label, c.title) for c in plan.catalogue.criteria] == [
        ("1", "1.", "甲"), ("2", "2.", "乙"), ("3", "3.", "丙")]


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCountingThousand", "十一"),
    (20, "chineseCounting", "二十"), (23, "chineseCounting", "二十三"), (3, "decimalEnclosedCircle", "③"),
    (2, "ideographTraditional", "乙"), (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"), (7, "decimalZero", "07"),
    (12, "decimalFullWidth", "１２"), (105, "ideographDigital", "一〇五"), (5, "someFormatWordAdds", "5")])
def test_number_formats(value, fmt, shown):
    assert _formatted(value, fmt) == shown


@pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice to render the same files")
def test_the_numbers_are_the_ones_libreoffice_shows(tmp_path):
    paths = [_numbered_table(tmp_path / f"细则{n}.docx", restart_each_table=restart)
             for n, restart in enumerate((False, True))]
    # A profile URI, not a path pasted after file:// (a temp path with blanks or Chinese hung it), and UTF-8 for the
    # child, as criteria.importers.office runs it. Both files in one start of LibreOffice.
    subprocess.run([find_soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path / "txt"), *map(str, paths)],
                   check=True, capture_output=True, timeout=120, stdin=subprocess.DEVNULL, env=utf8_env())
    for path in paths:
        rendered = (tmp_path / "txt" / f"{path.stem}.txt").read_text(encoding="utf-8-sig")
        shown = [line.split()[0] for line in rendered.splitlines() if line.startswith("    ") and line.strip()]
        assert list(list_labels(docx.Document(path)).values()) == shown


def test_a_broken_numbering_part_never_refuses_the_table(tmp_path):
    """Numbering written by other programs: a level that is no number, a start that is empty, a list pointing at no
    definition, "%3" of a level never used, a negative start. What can be numbered is; the table is read."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="80"><w:lvl w:ilvl="x"><w:start w:val=""/>'
        '<w:numFmt w:val="ideographDigital"/><w:lvlText w:val="%1.%3"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="-3"/><w:numFmt w:val="ideographDigital"/><w:lvlText w:val="%2"/></w:lvl>'
        '</w:abstractNum>'))
    _num(document, 80, 80)
    _num(document, 81, 99)  # no such definition
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "序号", "评价内容"
    for num_id, level, content in ((80, 0, "甲"), (81, 0, "乙"), (80, 1, "丙")):
        cells = table.add_row().cells
        cells[0].paragraphs[0]._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
        cells[1].text = content
    document.save(tmp_path / "坏编号.docx")
    assert list(list_labels(docx.Document(tmp_path / "坏编号.docx")).values()) == ["一.1", "-3"]
    assert [c.title for c in plan_import(tmp_path / "坏编号.docx").catalogue.criteria] == ["甲", "乙", "丙"]


def test_a_table_framed_in_a_layout_table_or_a_content_control_is_read(tmp_path):
    """A 附件 framed in a one-cell box (or a page copied from a web site) holds the real table inside a cell; a
    template's content control holds another. Both were invisible to the reader: "找不到评价细则的表头"."""
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("某县食品安全示范城市评价细则")
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "一、组织领导（10分）"
    inner = frame.add_table(rows=1, cols=3)
    for cell, text in zip(inner.rows[0].cells, ("序号", "评价内容", "分值"), strict=True):
        cell.text = text
    for code, content in (("1", "成立食安委"), ("2", "制定方案")):
        cells = inner.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = code, content, "5"
    document.add_paragraph("二、风险管理（5分）")
    controlled = document.add_table(rows=1, cols=3)
    for cell, text in zip(controlled.rows[0].cells, ("序号", "评价内容", "分值"), strict=True):
        cell.text = text
    cells = controlled.add_row().cells
    cells[0].text, cells[1].text, cells[2].text = "3", "开展监测", "5"
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    controlled._tbl.addprevious(sdt)
    sdt.append(content)
    content.append(controlled._tbl)
    document.save(tmp_path / "框.docx")
    plan = plan_import(tmp_path / "框.docx")
    assert [(c.code, c.parent, c.title) for c in plan.catalogue.criteria] == [
        ("一", None, "组织领导"), ("1", "一", "成立食安委"), ("2", "一", "制定方案"), ("二", None, "风险管理"),
        ("3", "二", "开展监测")]


def _revision(tag: str, text: str, number: int) -> object:
    text_tag = "w:delText" if tag == "w:del" else "w:t"
    return parse_xml(f'<{tag} {nsdecls("w")} w:id="{number}" w:author="张三" w:date="2024-05-01T00:00:00Z">'
                     f'<w:r><{text_tag}>{text}</{text_tag}></w:r></{tag}>')


def test_text_under_track_changes_is_read_as_accepted_and_named(tmp_path):
    """A table circulated 修订模式 (track changes on): the inserted "县" and a 分值 typed as a revision were dropped
    ("成立食安委", no points, nothing said); deleted and moved-away text stays out, moved-in text comes in. Text in
    an inline content control counts; a text box's (kept twice by Word) does not."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "评价内容", "分值"), strict=True):
        cell.text = text
    code, content, points = table.add_row().cells
    code.text = "1"
    paragraph = content.paragraphs[0]
    paragraph.add_run("成立")
    paragraph._p.append(_revision("w:ins", "县", 1))
    paragraph.add_run("食安委")
    paragraph._p.append(_revision("w:del", "（旧称）", 2))
    paragraph._p.append(_revision("w:moveFrom", "并公示", 3))
    points.paragraphs[0]._p.append(_revision("w:ins", "5", 4))
    code, content, points = table.add_row().cells
    code.text, points.text = "2", "3"
    content.paragraphs[0]._p.append(parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtContent><w:r><w:t>制定工作方案</w:t></w:r></w:sdtContent></w:sdt>'))
    content.paragraphs[0]._p.append(_revision("w:moveTo", "并公示", 5))
    content.paragraphs[0]._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:pict><w:txbxContent><w:p><w:r><w:t>批注框</w:t></w:r></w:p></w:txbxContent>'
        '</w:pict></w:r>'))
    document.save(tmp_path / "修订.docx")
    plan = plan_import(tmp_path / "修订.docx")
    assert [(c.title, c.points) for c in plan.catalogue.criteria] == [("成立县食安委", 5), ("制定工作方案并公示", 3)]
    assert [w.message for w in plan.warnings] == [
        "表格 1 中有 5 处未接受的修订（修订模式下的插入、删除），按接受全部修订后的文字读取：请核对，或在 Word 中接受或"
        "拒绝修订后再导入"]


def _embed(document, name: str, blob: bytes, content_type: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = Part(PackURI(f"/word/embeddings/{name}"), content_type, blob, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.PACKAGE)


def test_a_table_pasted_as_an_excel_object_is_read_from_the_workbook_inside(tmp_path):
    """插入 → 对象 → Excel 工作表: no Word table at all, and the file was refused ("文档中没有表格"). The workbook
    inside the document is read; an embedded object in an older format is refused saying what to do."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in (["序号", "评价内容", "分值"], ["1", "成立食安委", 5], ["2", "开展风险监测", 5]):
        book.active.append(row)
    blob = io.BytesIO()
    book.save(blob)
    document = docx.Document()
    document.add_paragraph("某县食品安全示范城市评价细则")
    _embed(document, "Microsoft_Excel_Worksheet.xlsx", blob.getvalue(),
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    document.save(tmp_path / "嵌入.docx")
    plan = plan_import(tmp_path / "嵌入.docx")
    assert plan.catalogue.title == "某县食品安全示范城市评价细则"
    assert [(c.code, c.title, c.points) for c in plan.catalogue.criteria] == [("1", "成立食安委", 5),
                                                                            ("2", "开展风险监测", 5)]
    assert [p.where for p in plan.parts] == ["嵌入的 Excel 工作表“Sheet”"]
    older = docx.Document()
    _embed(older, "oleObject1.bin", b"\xd0\xcf\x11\xe0" + bytes(508),
           "application/vnd.openxmlformats-officedocument.oleObject")
    older.save(tmp_path / "旧对象.docx")
    with pytest.raises(CatalogueError, match=r"嵌入的对象（如 Excel 工作表），不是 Word 表格.*另存为 \.xlsx"):
        plan_import(tmp_path / "旧对象.docx")
