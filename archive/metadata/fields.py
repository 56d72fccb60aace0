"""The metadata fields of an evidence file and what a typed value may be.

Document fields follow the catalogue of DA/T 22-2015 (文号, 责任者, 题名, 日期, 密级, 页数, 备注); a photo also has the
six elements of its caption (DA/T 50-2014: 事由, 时间, 地点, 人物, 背景, 摄影者). Values are text; 成文日期 is
YYYY-MM-DD, a photo's 时间 is YYYY-MM-DD with an optional HH:MM[:SS], 页数 a whole number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from archive.metadata.text import only_date
from common.errors import UserError


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    photo: bool = False  # only photos have it


DOCUMENT_FIELDS = (Field("title", "题名"), Field("doc_no", "文号"), Field("issuer", "责任者"),
                   Field("date", "成文日期"), Field("secret", "密级"), Field("pages", "页数"), Field("note", "备注"))
PHOTO_FIELDS = (Field("subject", "事由", True), Field("time", "时间", True), Field("place", "地点", True),
                Field("people", "人物", True), Field("background", "背景", True),
                Field("photographer", "摄影者", True))
FIELDS = DOCUMENT_FIELDS + PHOTO_FIELDS
KEYS = tuple(f.key for f in FIELDS)
LABELS = {f.key: f.label for f in FIELDS}
PHOTO_KEYS = frozenset(f.key for f in PHOTO_FIELDS)
# read from the file but never typed: how a photo must be turned to stand upright (EXIF orientation 1-8)
HIDDEN_KEYS = ("orientation",)
PHOTO_TYPES = frozenset({"jpg", "png", "tif", "webp", "heic", "bmp", "gif"})

TYPED, READ = "typed", "file"
SOURCE_NAMES = {TYPED: "录入", READ: "读自文件", "": ""}
ORIGIN_NAMES = {"name": "文件名", "props": "文档属性", "xmp": "XMP", "text": "正文", "exif": "EXIF",
                "pages": "页数统计"}
MAX_LENGTH = 2000  # a typed value longer than this is a mistake (a pasted document), not a field

EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's (and WPS's) 1900 date system, past its 1900 leap-year bug
EXCEL_SERIALS = (32874, 73051)  # 1990-01-01 up to 2100-01-01
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CLOCK = re.compile(r"(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})\s*秒?)?\s*分?")


def is_photo(kind: str | None) -> bool:
    return (kind or "") in PHOTO_TYPES


def field_key(name: str) -> str:
    """A field by its key ("doc_no", "doc-no") or its Chinese label ("文号")."""
    text = name.strip().replace("-", "_")
    if text in LABELS:
        return text
    for key, label in LABELS.items():
        if text == label:
            return key
    raise UserError(f"没有字段“{name}”。可用字段：{'、'.join(f.label for f in FIELDS)}")


def parse_date(text: str) -> date | None:
    """2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 二〇二四年三月五日 (as a 落款 is written, and so typed by clerks
    who copy it) or 20240305 as a date; None when it is none of those."""
    text = text.strip()
    match = _DATE.fullmatch(text) or _COMPACT.fullmatch(text)
    if match is None:  # the readers' parser of a date standing alone, Chinese numerals included
        found = only_date(text) if "年" in text else ""
        return date.fromisoformat(found) if found else None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def normalize(key: str, value) -> str:
    """The stored form of a typed value, or a UserError saying what is wrong with it. `value` may come from an Excel
    cell: a datetime, a number or text."""
    label = LABELS[key]
    if value is None:
        return ""
    if key in ("date", "time") and isinstance(value, datetime | date):
        return _from_datetime(key, value)
    if key in ("date", "time") and (serial := _excel_serial(value)) is not None:
        return _from_datetime(key, serial)
    if key in ("pages", "date", "time") and isinstance(value, int | float) and not isinstance(value, bool):
        value = int(value) if float(value).is_integer() else value  # a sheet's 20240305 comes as 20240305.0
    text = str(value).strip()
    if len(text) > MAX_LENGTH:
        raise UserError(f"{label}过长（{len(text)} 字，最多 {MAX_LENGTH} 字）")
    if not text:
        return ""
    if key == "date":
        return _normalize_date(text, label)
    if key == "time":
        return _normalize_time(text, label)
    if key == "pages":
        return _normalize_pages(text, label)
    return text


def _normalize_pages(text: str, label: str) -> str:
    """12, or as clerks type it in a catalogue: 12页, 共12页, 12 页. isdecimal, not isdigit: int() refuses "²"."""
    number = text.removeprefix("共").removesuffix("页").strip()
    if not number.isdecimal() or int(number) <= 0:
        raise UserError(f"{label}应为正整数：{text}")
    return str(int(number))


def _excel_serial(value) -> datetime | None:
    """An Excel date that lost its date format: a date pasted as a value into a General cell shows as 45356 (days
    since 1899-12-30), and its sheet gives the number. Taken between 1990 and 2099; any other number is no date."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not EXCEL_SERIALS[0] <= value < EXCEL_SERIALS[1]:
        return None
    moment = EXCEL_EPOCH + timedelta(days=float(value))
    return moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))


def _from_datetime(key: str, value: date) -> str:
    if key == "time" and isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def _normalize_date(text: str, label: str) -> str:
    found = parse_date(text)
    if found is None:
        raise UserError(f"{label}格式不正确：{text}（应为 YYYY-MM-DD，如 2024-03-05）")
    return found.isoformat()


def _normalize_time(text: str, label: str) -> str:
    """A date, then optionally a clock time: "2024-03-05 14:30", "2024年3月5日 14时30分"."""
    for cut in range(len(text), 0, -1):  # the longest leading part that is a date
        day = parse_date(text[:cut])
        if day is not None:
            break
    else:
        raise UserError(f"{label}格式不正确：{text}（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，如 2024-03-05 14:30）")
    rest = text[cut:].strip().lstrip("T").strip()
    if not rest:
        return day.isoformat()
    clock = _CLOCK.fullmatch(rest)
    hour, minute, second = (int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)) if clock else (99,) * 3
    if hour > 23 or minute > 59 or second > 59:
        raise UserError(f"{label}中的时刻不正确：{rest}（应为 HH:MM，如 14:30）")
    return f"{day.isoformat()} {hour:02d}:{minute:02d}" + (f":{second:02d}" if clock.group(3) else "")


def day_of(value: str) -> str:
    """The YYYY-MM-DD a date or time value falls on ("" when it has none)."""
    return value[:10] if len(value) >= 10 and value[4] == "-" else ""
