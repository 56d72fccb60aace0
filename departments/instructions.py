"""The instruction page of a task package (任务清单.docx): what the unit must do, and its list of items.

Written for a clerk who has never seen the program: where to put files, how to hand them back, and a table of the
unit's items with what evidence each expects and by when. Fonts are set explicitly (theme fonts removed) so Word
and WPS show 宋体/黑体 rather than a fallback; A4 landscape for the wide table.
"""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from departments.units import UnitItem
from exporters.docx_styles import HEI, SONG, THEME_ATTRIBUTES, set_fonts

COLUMNS = (("编号", 16), ("评价项目", 48), ("分工", 12), ("评价细则", 64), ("佐证材料要求", 64), ("完成时限", 20),
           ("材料放入文件夹", 34))


def _plain_fonts(document) -> None:
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        for attribute in THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
    set_fonts(document.styles["Normal"].element.get_or_add_rPr(), SONG, 10.5)


def _landscape_a4(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(18))


def _paragraph(document, text: str, font: str = SONG, size: float = 10.5, center: bool = False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    set_fonts(run._r.get_or_add_rPr(), font, size)
    paragraph.paragraph_format.space_after = Pt(4)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _cell(cell, text: str, font: str = SONG) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    set_fonts(run._r.get_or_add_rPr(), font, 9)


def steps(unit: str) -> list[str]:
    return [
        f"1. 本任务包列出{unit}负责（牵头或配合）的评价项目。每个项目有一个以“编号 名称”命名的文件夹，"
        "请把该项目的证明材料（文件、照片、扫描件）放进对应文件夹，可以再建下级文件夹。",
        "2. 上级编号的文件夹（表中未列出的）只为显示层级，其中直接放置的文件不会被收录。请不要修改文件夹名称。",
        "3. 用迎检通打开本任务包（或在命令行运行 python main.py unit-open 任务包.zip --dir 文件夹），"
        "可随时查看哪些项目已有材料、哪些还缺。已有材料在别的文件夹中，也可以在迎检通中直接关联，不必复制。",
        "4. 完成后在迎检通中“导出证明材料包”（命令行：python main.py unit-export 档案.rrdb --out 材料包.zip），"
        "把生成的 .zip 交回食安办。材料包中每个文件都带有 SHA-256 校验值，食安办导入时逐一核对。",
        "5. 请不要把快捷方式、正在编辑的临时文件或同步冲突副本（文件名含“冲突副本”“conflict”的文件）当作材料。",
    ]


def build_instructions(unit: str, archive_title: str, created: str, items: list[UnitItem],
                       folders: dict[str, str]) -> bytes:
    """The .docx as bytes (the caller stamps it into the package); `folders` maps code -> folder in the package."""
    document = Document()
    _plain_fonts(document)
    _landscape_a4(document)
    properties = document.core_properties
    properties.title = f"{unit}迎检材料任务清单"
    properties.author = archive_title or "迎检通"
    stamp = datetime.strptime(created, "%Y-%m-%d %H:%M:%S")
    properties.created = properties.modified = stamp
    _paragraph(document, f"{unit}迎检材料任务清单", HEI, 18, center=True)
    _paragraph(document, f"{archive_title}　　下发时间：{created}", SONG, 10.5, center=True)
    for line in steps(unit):
        _paragraph(document, line)
    own = [item for item in items if item.own]
    _paragraph(document, f"本单位评价项目（共 {len(own)} 项）", HEI, 12)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, (title, width) in zip(table.rows[0].cells, COLUMNS, strict=True):
        _cell(cell, title, HEI)
        cell.width = Mm(width)
    for item in own:
        crit = item.criterion
        values = (crit.code, crit.title, item.role, crit.rule, crit.evidence, item.due or "（未定）",
                  folders.get(crit.code, "").rsplit("/", 1)[-1])
        for cell, value, (_, width) in zip(table.add_row().cells, values, COLUMNS, strict=True):
            _cell(cell, value or "")
            cell.width = Mm(width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

