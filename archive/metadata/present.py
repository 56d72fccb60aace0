"""The metadata as the dossier and the catalogues print it (for issue 18's dossier, the zip catalogue, the window).

    metas = metadata_for_files(archive, file_ids)        # archive.metadata.store: effective values, one query each
    catalogue_title(meta), title_made_up(meta)          # 题名, and whether the archivist made it up (DA/T 22: "[ ]")
    catalogue_date(meta)                                # 日期 as DA/T 22 writes it: YYYYMMDD
    caption(meta)                                       # a photo's caption elements in DA/T 50 order, the filled ones

Effective means: typed > read from the file > empty, field by field.
"""

from __future__ import annotations

import os

from archive.metadata.fields import LABELS, day_of
from archive.metadata.store import FileMeta

CAPTION_KEYS = ("subject", "time", "place", "people", "background", "photographer")


def catalogue_title(meta: FileMeta) -> str:
    """The 题名: typed or found in the document, else the file's own name (without its extension)."""
    return meta["title"] or os.path.splitext(meta.name)[0]


def title_made_up(meta: FileMeta) -> bool:
    """True when the title is not known to be the document's own: none at all, or taken from the file name. DA/T 22
    puts such a title in square brackets. A typed title is the clerk's word for the document's title."""
    value = meta.get("title")
    return not value.text or value.origin == "name"


def catalogue_date(meta: FileMeta) -> str:
    """成文日期 (a photo: the day it was taken, else its 成文日期) as YYYYMMDD; "" when the file has none."""
    day = (day_of(meta["time"]) if meta.is_photo else "") or day_of(meta["date"])
    return day.replace("-", "")


def caption(meta: FileMeta) -> list[tuple[str, str]]:
    """(label, value) of the photo's filled caption elements: 事由, 时间, 地点, 人物, 背景, 摄影者."""
    return [(LABELS[key], meta[key]) for key in CAPTION_KEYS if meta[key]]
