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


# Types no dossier can carry, named as what they are (the reason in 未附入材料说明) and how the office can carry their
# content all the same (said in the export plan, not in the dossier): 电子公文 come as OFD from OA systems, a 公示 as
# a saved web page, a meeting or a campaign as video, a WeChat voice message as .amr
_VIDEO = ("视频文件", "可截取画面存为图片，与原件放在一起")
_AUDIO = ("音频文件", "可附文字记录或说明，与原件放在一起")
_WEB = ("网页文件", "可在浏览器中打印为 PDF，与原件放在一起")
# iPhones' photos: no decoder here (pillow-heif's libraries would not fit the build); exporters.images says so
NOT_EMBEDDED = frozenset({"heic", "heif", "avif"})
_HEIF = ("HEIC/HEIF 格式的照片", "可在手机或电脑上另存为 JPEG，与原件放在一起")
LISTED_ONLY = {"ofd": ("OFD 版式文件", "可在 OFD 阅读器中另存为 PDF，与原件放在一起"),
               **dict.fromkeys(("html", "mht", "mhtml"), _WEB),
               **dict.fromkeys(("mp4", "mov", "avi", "wmv", "flv", "mkv", "3gp", "mpg", "mpeg", "m4v"), _VIDEO),
               **dict.fromkeys(("mp3", "wav", "m4a", "amr", "wma", "aac", "flac", "ogg"), _AUDIO),
               **dict.fromkeys(NOT_EMBEDDED, _HEIF)}


def listed_only_kind(file_type: str) -> tuple[str, str]:
    """(what a file no dossier carries is, how its content can be carried) for its type; no way for the rest."""
    return LISTED_ONLY.get(file_type, (f"{file_type.upper()} 文件" if file_type else "未知类型的文件", ""))


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
