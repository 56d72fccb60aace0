"""The one root of the errors a user can act on, Cancelled, and the words for the system's own failures.

Every floor raises a subclass of ReviewReadyError whose message is Chinese and says what and where (file, sheet,
row, path). Every handler (cli/run.py, ui/common/worker.py, the window's own dialogs) catches ReviewReadyError once
and shows the message as it is, on one line, never as a traceback:

    ReviewReadyError
    ├── UserError              bad input or a refused operation (here)
    │   ├── ArchiveError       the archive file cannot be opened or used (here)
    │   └── UnsafePackage      a department package that is not safe to unpack (departments/safezip.py)
    └── CatalogueError         a source cannot be read as a criteria table (criteria/model.py; also a ValueError)

A failure of the system rather than of the input (a full disk, the archive file itself) is not a ReviewReadyError;
the same handlers say it in Chinese through describe_failure.
"""

from __future__ import annotations

import os
import shutil
import sqlite3


class ReviewReadyError(Exception):
    """An error the user can act on: its Chinese message is shown as is, never a traceback."""


class UserError(ReviewReadyError):
    """Bad input or a refused operation."""


class ArchiveError(UserError):
    """The archive file cannot be opened or used."""


class Cancelled(Exception):
    """A long job stopped because its cancel check said so. Not an error: handlers report it as 已取消."""


LOW_SPACE = 1 << 20  # below a megabyte free, SQLite cannot grow its write-ahead log and index beside the archive
_SPACE_CODES = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN}
# SQLite's primary result codes (an extended code's low byte), in the words of the archive they concern
_DATABASE_ERRORS = {
    sqlite3.SQLITE_FULL: "磁盘已满，档案无法写入",
    sqlite3.SQLITE_BUSY: "档案正被另一个程序写入，请稍后再试",
    sqlite3.SQLITE_LOCKED: "档案正被另一个程序写入，请稍后再试",
    sqlite3.SQLITE_IOERR: "档案文件读写出错，请关闭档案后重新打开；如仍出错，请检查档案所在的磁盘或网络位置",
    sqlite3.SQLITE_CORRUPT: "档案文件已损坏",
    sqlite3.SQLITE_NOTADB: "不是迎检通档案文件",
    sqlite3.SQLITE_READONLY: "档案文件是只读的，无法写入",
    sqlite3.SQLITE_CANTOPEN: "无法打开档案文件",
    sqlite3.SQLITE_PERM: "没有写入档案文件的权限",
}


def describe_failure(exc: BaseException, archive: str | os.PathLike | None = None) -> str:
    """One line for a failure of the system rather than of the input (a disk, the archive file): SQLite's own words
    ("disk I/O error") are kept in brackets for support, after what they mean for the clerk. With the `archive`'s
    path, a disk without room is named as such: SQLite reports it as a full database only when the file itself
    cannot grow, and as "disk I/O error" when its -wal or -shm file beside it cannot be made."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if code is not None else None
        if archive is not None and primary in _SPACE_CODES and _free_bytes(archive) < LOW_SPACE:
            return f"档案所在的磁盘已满，请腾出空间后再试（{exc}）"
        meaning = _DATABASE_ERRORS.get(primary)
        return f"{meaning}（{exc}）" if meaning else f"档案数据库出错：{exc}"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}：{exc.filename}"
    return str(exc)


def _free_bytes(path: str | os.PathLike) -> int:
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free
    except OSError:
        return LOW_SPACE  # not known: not said
