"""A photo's caption elements from its EXIF (read by Pillow from the header only; no pixel is decoded; a HEIC's
EXIF block is found by archive.metadata.heif, as Pillow cannot open one).

时间 from DateTimeOriginal (else DateTime), 地点 from the GPS position (a clerk replaces it with a place name),
事由 from the description or the title Windows Explorer writes (XPTitle/XPSubject), 摄影者 from Artist or XPAuthor,
备注 from XPComment, and the orientation a viewer must turn the picture by.
"""

from __future__ import annotations

import re

from PIL import Image

from archive.metadata.text import CJK, decode_legacy
from archive.metadata.tiffexif import Tags, read_tags

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
ORIENTATION, DATE_TIME, DESCRIPTION, ARTIST = 0x0112, 0x0132, 0x010E, 0x013B
DATE_TIME_ORIGINAL = 0x9003
XP_TITLE, XP_COMMENT, XP_AUTHOR, XP_SUBJECT = 0x9C9B, 0x9C9C, 0x9C9D, 0x9C9F
FIRST_TAGS = {ORIENTATION, DATE_TIME, DESCRIPTION, ARTIST, XP_TITLE, XP_COMMENT, XP_AUTHOR, XP_SUBJECT}
_EXIF_TIME = re.compile(r"(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")


def photo_fields(path) -> dict[str, str]:
    """The fields of the photo at `path` (or a file object) that Pillow opens."""
    with Image.open(path) as image:
        return exif_fields(image.getexif())


def heif_fields(path) -> dict[str, str]:
    """The fields of a HEIC/HEIF photo (Pillow opens none): its EXIF block is found by archive.metadata.heif."""
    from archive.metadata.heif import heif_exif

    with open(path, "rb") if isinstance(path, str) else path as handle:
        block = heif_exif(handle)
    return block_fields(block) if block is not None else {}


def block_fields(block: bytes) -> dict[str, str]:
    """The fields of an EXIF block as a JPEG's APP1 segment or a HEIF's Exif item holds it: only the tags they come
    from are decoded (archive.metadata.tiffexif; Pillow decodes all of them, at 20 times the cost)."""
    return exif_fields(read_tags(block, FIRST_TAGS, {EXIF_IFD: {DATE_TIME_ORIGINAL}, GPS_IFD: {1, 2, 3, 4}}))


def exif_fields(exif: Image.Exif | Tags) -> dict[str, str]:
    if not exif:
        return {}
    found = {"time": _time(exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL) or exif.get(DATE_TIME)),
             "place": _position(exif.get_ifd(GPS_IFD)),
             "subject": _first(_text(exif.get(DESCRIPTION)), _xp(exif.get(XP_TITLE)), _xp(exif.get(XP_SUBJECT))),
             "photographer": _first(_text(exif.get(ARTIST)), _xp(exif.get(XP_AUTHOR))),
             "note": _first(_xp(exif.get(XP_COMMENT)))}
    orientation = exif.get(ORIENTATION)
    if isinstance(orientation, int) and 2 <= orientation <= 8:
        found["orientation"] = str(orientation)
    return {key: value for key, value in found.items() if value}


def _time(value) -> str:
    """"2024:03:05 14:30:12" (EXIF's own form) as "2024-03-05 14:30:12"; a camera's zero date as nothing."""
    match = _EXIF_TIME.match(_text(value))
    if match is None or match.group(1) == "0000":
        return ""
    day = f"{match[1]}-{match[2]}-{match[3]} {match[4]}:{match[5]}"
    return day + (f":{match[6]}" if match[6] else "")


def _position(gps) -> str:
    """"北纬30.274100°，东经120.155100°" from the GPS block (degrees, minutes, seconds as rationals)."""
    try:
        latitude = _degrees(gps[2]) * (-1 if _text(gps.get(1)).upper() == "S" else 1)
        longitude = _degrees(gps[4]) * (-1 if _text(gps.get(3)).upper() == "W" else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return ""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or latitude == longitude == 0:
        return ""
    north = f"{'北纬' if latitude >= 0 else '南纬'}{abs(latitude):.6f}°"
    east = f"{'东经' if longitude >= 0 else '西经'}{abs(longitude):.6f}°"
    return f"{north}，{east}"


def _degrees(parts) -> float:
    degrees, minutes, seconds = (float(part) for part in parts)
    return degrees + minutes / 60 + seconds / 3600


def _xp(value) -> str:
    """The tags Windows Explorer writes (标题, 主题, 作者, 备注): UTF-16LE bytes, or a tuple of byte values."""
    if isinstance(value, tuple):
        value = bytes(v for v in value if isinstance(v, int) and 0 <= v < 256)
    if not isinstance(value, bytes):
        return ""
    return value.decode("utf-16-le", "ignore").rstrip("\x00").strip()


def _text(value) -> str:
    """An ASCII tag as written: Chinese software puts UTF-8 or GBK bytes there, which Pillow hands over as bytes or
    as Latin-1 text."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        raw = value
    else:
        text = str(value).rstrip("\x00").strip()
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return text
    raw = raw.rstrip(b"\x00").strip()
    return decode_legacy(raw)


def _first(*texts: str) -> str:
    """The first text a person wrote (Chinese): cameras fill the same tags with "OLYMPUS DIGITAL CAMERA", "Picasa"."""
    return next((text for text in texts if CJK.search(text)), "")
