"""Word: the cover in a section of its own (no header, no page number), the body numbered from 1 after it, and
document properties that are true (title, author = 编制单位, created = the export's time, this program's name)."""

from __future__ import annotations

import re
from datetime import datetime

from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from exporters.docx_styles import add_field, text_run

APPLICATION = "迎检通 ReviewReady"
APP_TAG = re.compile(rb"<Application>[^<]*</Application>")


def start_body_section(document, header_text: str, page_numbers: str, total: int = 1) -> None:
    """End the cover's section; the new one carries the running header and numbers its pages from 1. `total`:
    the body's page count as laid out before (exporters/docx_pages.py), shown until fields are updated."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    section._sectPr.append(number_type)
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.text = header_text
    _bottom_border(header)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    if page_numbers == "dash":
        footer._p.append(text_run("— "))
        add_field(footer, "PAGE", "1")
        footer._p.append(text_run(" —"))
        return
    footer._p.append(text_run("第 "))
    add_field(footer, "PAGE", "1")
    footer._p.append(text_run(" 页 共 "))
    add_field(footer, "SECTIONPAGES", str(total))  # the body's pages: the cover is not counted
    footer._p.append(text_run(" 页"))


def set_properties(document, title: str, subject: str, author: str, generated: str) -> None:
    props = document.core_properties
    stamp = datetime.strptime(generated, "%Y-%m-%d %H:%M:%S")
    props.title, props.subject = title, subject
    props.author = props.last_modified_by = author
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.comments = f"{APPLICATION} 生成"
    props.keywords = ""
    props.category = ""


def fix_app_properties(document) -> None:
    """python-docx's template says its Application is "Microsoft Macintosh Word": name this program instead."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_TAG.sub(f"<Application>{APPLICATION}</Application>".encode(), part.blob)
            return


def _bottom_border(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "888888")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
