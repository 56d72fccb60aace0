"""Which evidence files the PDF dossier takes in whole, by file type (the rest are only listed)."""

from __future__ import annotations

IMAGE_TYPES = frozenset({"jpg", "png", "gif", "bmp", "tif", "webp", "heic", "heif", "avif"})  # HEIF: a problem
OFFICE_TYPES = frozenset({"docx", "doc", "xlsx", "xls", "wps", "et"})


def attachment_kind(file_type: str) -> str | None:
    """How the PDF dossier includes a file of this type: 'image', 'pdf', 'office' or None (listed only)."""
    if file_type in IMAGE_TYPES:
        return "image"
    if file_type == "pdf":
        return "pdf"
    if file_type in OFFICE_TYPES:
        return "office"
    return None
