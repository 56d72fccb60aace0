"""The metadata as the dossier and the catalogues print it: the 日期 column (exporters.file_fields reads the rest).

    catalogue_date(meta)                                # 日期 as DA/T 22 writes it: YYYYMMDD

Effective means: typed > read from the file > empty, field by field.
"""

from __future__ import annotations

from archive.metadata.fields import day_of
from archive.metadata.store import FileMeta


def catalogue_date(meta: FileMeta) -> str:
    """成文日期 (a photo: the day it was taken, else its 成文日期) as YYYYMMDD; "" when the file has none."""
    day = (day_of(meta["time"]) if meta.is_photo else "") or day_of(meta["date"])
    return day.replace("-", "")
