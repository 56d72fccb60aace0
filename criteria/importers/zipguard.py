"""Refuse a Word or Excel file that would inflate far beyond any real criteria table, before it is parsed.

python-docx reads every part of a .docx whole into memory and parses the XML into a tree; openpyxl builds an object
per cell. A zip bomb (a small file declaring hundreds of MB) would cost its full inflated size, and an ordinary but
huge spreadsheet (a 1.6 MB .xlsx of 600,000 cells: 31 MB of XML) about 400 MB and 13 s. A criteria table is a few
MB of XML at most. zipfile never inflates past the declared sizes, so checking them is enough.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from criteria.errors import import_error

MAX_XML = 16 << 20  # bytes of XML (what gets parsed): a 300-item table with long rules is 1 to 3 MB
MAX_UNPACKED = 256 << 20  # bytes in all, pictures included (python-docx holds them in memory)


def refuse_zip_bomb(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # damaged: the reader says so in its own words
    xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    total = sum(i.file_size for i in infos)
    if xml > MAX_XML or total > MAX_UNPACKED:
        raise import_error(path.name, f"文件解压后达 {max(xml, total) >> 20} MB，远超评价细则表格应有的大小"
                                      f"（表格内容上限 {MAX_XML >> 20} MB），疑似压缩炸弹或选错了文件，未读取")
