"""Files an earlier version judged by a rule since changed, judged again by a full scan: their bytes have not changed,
so nothing else would look at them again.

- Shortcuts (.lnk, .url) indexed as ordinary files: named as problems (archive.index.shortcuts); so are compressed
  archives (archive.index.packed).
- A picture under another picture's extension (a PNG saved as "微信图片_….jpg") was a problem, "内容与扩展名不符",
  and left out of the dossier; it is a picture all the same (archive.index.filetypes.PICTURES). So is a .doc holding
  a .docx (filetypes.RENAMED_NEWER): Word opens it by its content.
"""

from __future__ import annotations

from archive.index.filetypes import MISMATCH_PREFIX, PICTURES, RENAMED_NEWER, extension
from archive.index.packed import name_earlier_packed
from archive.index.shortcuts import name_earlier_shortcuts

_MISMATCHED = "SELECT id, path, type FROM files WHERE problem LIKE ?"


def rejudge_earlier(archive) -> int:
    """Judge again what an earlier version judged otherwise; the number of files whose problem changed."""
    return name_earlier_shortcuts(archive) + name_earlier_packed(archive) + _clear_picture_mismatches(archive)


def _clear_picture_mismatches(archive) -> int:
    cleared = [(file_id,) for file_id, path, kind in archive.conn.execute(_MISMATCHED, (f"{MISMATCH_PREFIX}%",))
               if (kind in PICTURES and extension(path) in PICTURES) or RENAMED_NEWER.get(extension(path)) == kind]
    if cleared:
        with archive.atomic():
            archive.conn.executemany("UPDATE files SET problem = NULL WHERE id = ?", cleared)
    return len(cleared)
