"""Compressed archives in an evidence folder (a unit's "县市场监管局创建材料.zip" sent over WeChat and saved as it
came): the dossier can attach nothing of what is inside, a reviewer cannot read it there, and the item looks
collected all the same. Named as a problem at scan time, as shortcuts are (archive.index.shortcuts), so the clerk
unpacks it before review day. The archive itself is never opened: its contents are the unit's to unpack.
"""

from __future__ import annotations

PACKED = frozenset({"zip", "rar", "7z"})  # by content: a .docx or an .ofd is a zip too, but typed as itself
PACKED_PROBLEM = "压缩包：汇编中无法附入其中的材料；请解压后关联解压出的文件，并把压缩包移出此文件夹"
DOSSIER_WORDS = "压缩包"  # what the dossier says of it, to the review team as to the office: no instruction
_EARLIER = f"SELECT id FROM files WHERE type IN ({', '.join('?' * len(PACKED))}) AND problem IS NULL"


def packed_problem(kind: str, problem: str | None) -> str | None:
    """The problem of a file of this type: a compressed archive's, unless it has a graver one (empty, damaged)."""
    return PACKED_PROBLEM if kind in PACKED and problem is None else problem


def name_earlier_packed(archive) -> int:
    """Compressed archives an earlier version indexed without a problem are named now, once; the number named."""
    named = [(PACKED_PROBLEM, file_id) for (file_id,) in archive.conn.execute(_EARLIER, tuple(sorted(PACKED)))]
    if named:
        with archive.atomic():
            archive.conn.executemany("UPDATE files SET problem = ? WHERE id = ?", named)
    return len(named)
