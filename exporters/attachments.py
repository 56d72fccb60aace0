"""Which evidence files the PDF dossier takes in whole, by file type (the rest are only listed)."""

from __future__ import annotations

IMAGE_TYPES = frozenset({"jpg", "png", "gif", "bmp", "tif", "webp", "heic", "heif", "avif"})  # HEIF: a problem
# Office files the PDF dossier attaches after converting them, by the kind of program that converts them
# (LibreOffice handles all; on Windows Word/WPS Writer the documents, Excel/WPS Spreadsheets the sheets)
CONVERTED_BY = {"docx": "word", "doc": "word", "wps": "word", "rtf": "word", "odt": "word",
                "xlsx": "sheet", "xls": "sheet", "et": "sheet", "ods": "sheet",
                "pptx": "slides", "ppt": "slides", "dps": "slides", "odp": "slides"}
OFFICE_TYPES = frozenset(CONVERTED_BY)
TEXT_TYPES = frozenset({"txt", "csv"})  # set as pages by the dossier itself (exporters.text_pages, csv_pages)


def attachment_kind(file_type: str) -> str | None:
    """How the PDF dossier includes a file of this type: 'image', 'pdf', 'office', 'text' or None (listed only)."""
    if file_type in IMAGE_TYPES:
        return "image"
    if file_type == "pdf":
        return "pdf"
    if file_type in OFFICE_TYPES:
        return "office"
    if file_type in TEXT_TYPES:
        return "text"
    return None
