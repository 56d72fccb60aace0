"""Word page setup, styles and field helpers for the dossier.

The default template's styles use theme fonts (asciiTheme, eastAsiaTheme ...), and a theme font wins over an
explicit one: they are removed, then every style names its East Asian font (w:eastAsia) so Word and WPS show
宋体/仿宋/黑体 rather than a fallback. Page A4 with GB/T 9704 margins.

Every style a page's height depends on has an exact line height and the spacing of its PDF twin (pdf_styles.py):
Word's "single" or "multiple" spacing depends on the font found on the reader's machine, an exact one does not.
Paragraphs keep their lines together, as the twin layout keeps them whole (exporters/docx_pages.py).
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SONG, HEI, FANG, KAI = "宋体", "黑体", "仿宋", "楷体"
BODY_SIZE = 16  # 3号
HEADING_FONTS = (HEI, KAI, FANG, FANG)  # 一、 黑体; （一） 楷体; 1. 仿宋 bold; deeper 仿宋
LATIN = "Times New Roman"
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
TEXT_WIDTH = Mm(210 - 28 - 26)
HEADING_LEADING = 26  # points, as the PDF's headings
BREAK_STYLE, SPACER_STYLE = "分页", "间距"  # a one-point paragraph carrying a page break; the space after a table


def setup_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(20), Mm(18)


def set_fonts(rpr, east_asia: str, size: float | None = None) -> None:
    """Explicit fonts (Latin and East Asian), zh-CN language and size on a run-properties element (w:rPr)."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:cs", LATIN), ("w:eastAsia", east_asia)):
        fonts.set(qn(attribute), value)
    if size is not None:
        rpr.sz_val = Pt(size)
        complex_size = rpr.find(qn("w:szCs"))
        if complex_size is None:
            complex_size = OxmlElement("w:szCs")
            rpr.find(qn("w:sz")).addnext(complex_size)  # schema order: szCs right after sz
        complex_size.set(qn("w:val"), str(int(size * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def setup_styles(document, max_level: int) -> None:
    styles = document.styles
    root = styles.element
    for fonts in root.iter(qn("w:rFonts")):
        for attribute in THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
    defaults = root.find(qn("w:docDefaults"))
    set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), SONG, 10.5)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    _paragraph_style(styles["Normal"], FANG, BODY_SIZE)
    normal = styles["Normal"].paragraph_format
    normal.line_spacing = Pt(28.9)  # GB/T 9704: 22 lines in the 225 mm type area
    normal.keep_together = True  # as the twin layout keeps paragraphs whole
    normal.widow_control = False
    _no_extra_spacing(styles["Normal"].element.get_or_add_pPr())
    for level in range(1, 10):
        style = styles[f"Heading {level}"]
        _paragraph_style(style, HEADING_FONTS[min(level, 4) - 1], BODY_SIZE, before=8, after=6)
        style.paragraph_format.line_spacing = Pt(HEADING_LEADING)
        if level >= 3:
            style.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
        style.font.bold = level == 3  # 黑体 and 楷体 stand out already; 仿宋 at level 3 is set bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
    _paragraph_style(styles["Title"], HEI, 22, after=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    title_props = styles["Title"].element.pPr
    for border in title_props.findall(qn("w:pBdr")):  # the default template underlines titles in blue
        title_props.remove(border)
    styles["Title"].font.color.rgb = RGBColor(0, 0, 0)
    _paragraph_style(styles["Caption"], SONG, 10, after=8, align=WD_ALIGN_PARAGRAPH.CENTER)
    styles["Caption"].font.bold = False
    styles["Caption"].font.color.rgb = RGBColor(0, 0, 0)
    for name in ("Header", "Footer"):
        _paragraph_style(styles[name], SONG, 9 if name == "Header" else 10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    for level in range(1, max(3, max_level) + 1):
        _toc_style(styles, level)
    _custom(styles, "目录标题", HEI, 18, after=12, align=WD_ALIGN_PARAGRAPH.CENTER, leading=26)
    _custom(styles, "正文", FANG, BODY_SIZE).paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
    title = _custom(styles, "表题", HEI, 12, before=6, after=4, align=WD_ALIGN_PARAGRAPH.CENTER, leading=18)
    title.paragraph_format.keep_with_next = True
    _custom(styles, "照片说明", SONG, 10, after=2).paragraph_format.line_spacing = 1.0  # a picture's line: its height
    _custom(styles, "提示", SONG, 11, before=2, after=6, leading=17).font.color.rgb = RGBColor(0xA0, 0, 0)
    _custom(styles, "说明", SONG, 10.5, after=4, leading=16).font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    cover = _custom(styles, "封面", FANG, BODY_SIZE, after=6, align=WD_ALIGN_PARAGRAPH.CENTER)
    cover.paragraph_format.line_spacing = 1.15
    _custom(styles, BREAK_STYLE, SONG, 1, leading=1).paragraph_format.keep_together = False
    _custom(styles, SPACER_STYLE, SONG, 1, leading=8)


PPR_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                       "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                       "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                       "w:pPrChange")


def _no_extra_spacing(ppr) -> None:
    """No space added between Chinese and Latin text or digits (autoSpaceDE/DN) and no snapping to a character
    grid: Word would otherwise make mixed lines wider than the PDF twin measures them."""
    for tag, later in (("w:autoSpaceDE", ("w:autoSpaceDN", *PPR_AFTER_AUTOSPACE)),
                       ("w:autoSpaceDN", PPR_AFTER_AUTOSPACE), ("w:snapToGrid", PPR_AFTER_AUTOSPACE[3:])):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        ppr.insert_element_before(element, *later)


def _paragraph_style(style, east_asia: str, size: float, before: float = 0, after: float = 0, align=None) -> None:
    set_fonts(style.element.get_or_add_rPr(), east_asia, size)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if align is not None:
        fmt.alignment = align


def _custom(styles, name: str, east_asia: str, size: float, before: float = 0, after: float = 0, align=None,
            leading: float | None = None):
    """A paragraph style based on Normal; `leading`: its exact line height in points (else Normal's)."""
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    _paragraph_style(style, east_asia, size, before=before, after=after, align=align)
    if leading is not None:
        style.paragraph_format.line_spacing = Pt(leading)
    return style


def _toc_style(styles, level: int) -> None:
    """Word's built-in "toc N" styles, which a refreshed TOC field uses: a right tab with dot leader."""
    style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
    style.element.styleId = f"TOC{level}"
    style.base_style = styles["Normal"]
    _paragraph_style(style, HEI if level == 1 else SONG, 12 if level == 1 else 11, after=2)
    fmt = style.paragraph_format
    fmt.line_spacing = Pt(18)  # as the PDF's catalogue lines
    fmt.left_indent = Pt(14 * (level - 1))
    fmt.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def add_field(paragraph, instruction: str, cached: str = "", parent=None) -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF ...) with a cached result shown until fields are updated."""
    target = parent if parent is not None else paragraph._p
    target.append(field_char("begin"))
    target.append(_run_with("w:instrText", f" {instruction} "))
    target.append(field_char("separate"))
    target.append(_run_with("w:t", cached))
    target.append(field_char("end"))


def field_char(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _run_with(tag: str, text: str):
    run = OxmlElement("w:r")
    element = OxmlElement(tag)
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


def text_run(text: str):
    return _run_with("w:t", text)


def no_update_prompt(document) -> None:
    """The catalogue arrives filled in: Word must not ask to update fields when the document opens."""
    settings = document.settings.element
    for update in settings.findall(qn("w:updateFields")):
        settings.remove(update)
