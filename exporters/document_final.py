"""A Word document's COPY set to show its final text before it is converted to PDF: no tracked changes.

A notice edited with 修订 (track changes) on, as departments send them back, was attached to the review dossier with
its deletions struck through in colour, its insertions underlined and a bar in the margin: LibreOffice prints what
its window would show. The review team is to read the document as it stands, and the office's deleted wording is
not theirs to read. The copy's settings ask for the final view without markup (w:revisionView, as Word's 审阅 →
"无标记" does); Word and WPS export the document without markup anyway (ExportAsFixedFormat's default item). Only
settings.xml is touched; the text itself is not edited. Legacy .doc/.wps files cannot be set so and print as the
converter shows them.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from exporters.sheet_setup import rewrite_parts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SETTINGS = "word/settings.xml"
DOCUMENT_TYPES = ("docx", "docm")
# CT_Settings' children that come before revisionView (ECMA-376 17.15.1.78): it goes after the last of them
BEFORE = {"writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
          "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
          "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
          "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
          "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
          "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
          "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge"}
PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)


def show_final(path: str) -> bool:
    """Set the Word document at `path` (a temp copy) to show its final text. False when it is not a document this
    can set (it is then converted as it is)."""
    try:
        with zipfile.ZipFile(path) as document:
            settings = document.read(SETTINGS)
        root = etree.fromstring(settings, PARSER)
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError):
        return False
    if etree.QName(root).localname != "settings":
        return False
    rewrite_parts(path, {SETTINGS: _final_view(root)})
    return True


def _final_view(root) -> bytes:
    for old in root.findall(f"{{{W}}}revisionView"):
        root.remove(old)
    view = etree.Element(f"{{{W}}}revisionView")
    for name in ("markup", "comments", "insDel", "formatting", "inkAnnotations"):
        view.set(f"{{{W}}}{name}", "0")
    before = [child for child in root if isinstance(child.tag, str) and etree.QName(child).localname in BEFORE]
    if before:
        before[-1].addnext(view)
    else:
        root.insert(0, view)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
