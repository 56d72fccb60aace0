"""Small formatting helpers shared by the dossier builder, the writers and the package."""

from __future__ import annotations

IMAGE_TYPES = frozenset({"jpg", "png", "gif", "bmp", "tif", "webp", "heic", "heif", "avif"})  # HEIF: a problem
# Office files the PDF dossier attaches after converting them, by the kind of program that converts them
# (LibreOffice handles all; on Windows Word/WPS Writer the documents, Excel/WPS Spreadsheets the sheets)
CONVERTED_BY = {"docx": "word", "doc": "word", "wps": "word", "rtf": "word", "odt": "word",
                "xlsx": "sheet", "xls": "sheet", "et": "sheet", "ods": "sheet",
                "pptx": "slides", "ppt": "slides", "dps": "slides", "odp": "slides"}
OFFICE_TYPES = frozenset(CONVERTED_BY)


def format_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def format_points(points: float | None) -> str:
    return "" if points is None else f"{points:g}"


def chinese_date(stamp: str) -> str:
    """'2024-05-01 10:00:00' -> '2024年5月1日'."""
    year, month, day = stamp[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def attachment_kind(file_type: str) -> str | None:
    """How the PDF dossier includes a file of this type: 'image', 'pdf', 'office' or None (listed only)."""
    if file_type in IMAGE_TYPES:
        return "image"
    if file_type == "pdf":
        return "pdf"
    if file_type in OFFICE_TYPES:
        return "office"
    return None
