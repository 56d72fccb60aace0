"""The archive file: one SQLite database per creation campaign, opened through sqlite-utils.

Opening is careful: a file is first inspected read-only, and refused (untouched) if it is not one of our archives
or was written by a newer schema version. Only then is it opened for writing, switched to WAL and migrated.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

import sqlite_utils

from archive.migrations import MIGRATIONS
from archive.readers import ThreadReaders, WriterConnection
from archive.writer import Writer
from common.errors import ArchiveError, describe_failure

APP_ID = "ReviewReady"
SCHEMA_VERSION = len(MIGRATIONS)  # 11; a new migration in archive/migrations.py raises it
SIDE_FILES = ("", "-wal", "-shm", "-journal")  # the archive file and the files SQLite keeps beside it


def archive_files(path: str | Path) -> list[Path]:
    """The archive file and its SQLite side files (which may or may not exist)."""
    return [Path(f"{path}{suffix}") for suffix in SIDE_FILES]


def is_archive_file(path: str) -> bool:
    """Whether `path` is an archive (.rrdb) or a file SQLite keeps beside one: no evidence, and not to be opened
    outside SQLite, which on Linux would drop the locks of this process if it has that archive open."""
    name = path.lower()
    return any(name.endswith(f".rrdb{suffix}") for suffix in SIDE_FILES)


def now() -> str:
    """Local wall-clock time, the way a clerk reads it, sortable as text."""
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


class Archive:
    """An open archive. Writers go through `atomic()`; the lock keeps threads from interleaving transactions.
    Long reads that must agree with themselves (a dossier, a report, a package) go through `snapshot()`.
    Under the app's rule (`read_apart`) every thread but the writer reads through a read-only connection of its own
    (archive/readers.py): `conn` and `db` are the calling thread's."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False, snapshot: bool = False):
        self.path = path
        self._db = sqlite_utils.Database(conn)  # the writer's connection
        self.lock = threading.RLock()
        self.read_only = read_only  # on a read-only medium: everything can be read, nothing written
        self.is_snapshot = snapshot  # a view inside one read transaction (see snapshot())
        self.before_write: Callable[[], None] | None = None  # the app's thread rule (Writer.check), or nothing
        self.is_writer: Callable[[], bool] | None = None  # the app's Writer.is_writer, once read_apart
        self.readers: ThreadReaders | None = None
        self._writing = threading.local()  # .depth: the calling thread's open atomic() blocks

    def read_apart(self, writer: Writer) -> None:
        """Let every thread but `writer`'s read through a read-only connection of its own, which sees committed
        data only, and have `writer.check_read` report a read made through the writer's connection anyway. A
        thread inside an atomic() block (a stray write, reported by `before_write`) uses the writer's connection.
        On a read-only medium nothing writes: every thread shares the one connection as before."""
        if self.read_only or self.is_snapshot or self.readers is not None:
            return
        self.readers = ThreadReaders(_read_only_uri(self.path))
        self.is_writer = writer.is_writer
        conn = self._db.conn
        if isinstance(conn, WriterConnection):
            conn.guard = lambda: self._reads_apart() and writer.check_read()

    def _reads_apart(self) -> bool:
        """Whether the calling thread reads through a connection of its own (not the writer, not writing)."""
        return (self.readers is not None and not self.readers.closed and not getattr(self._writing, "depth", 0)
                and not self.is_writer())

    @property
    def db(self) -> sqlite_utils.Database:
        return self.readers.here() if self._reads_apart() else self._db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def require_writable(self) -> None:
        if self.read_only:
            raise ArchiveError(READ_ONLY_MESSAGE.format(path=self.path))

    def atomic(self):
        self.require_writable()
        return _LockedAtomic(self)

    def about_to_write(self) -> None:
        """Every write starts here: an outermost transaction, a journal-mode switch, a migration."""
        if self.before_write is not None:
            self.before_write()

    @contextmanager
    def snapshot(self) -> Iterator[Archive]:
        """A read-only view of the archive as it is at this moment: everything read through it comes from one read
        transaction on a connection of its own, so a change committed meanwhile (by the monitor, by another
        process) is seen entirely or not at all, and a dossier never mixes before and after. In WAL mode readers
        and writers do not block each other: the monitor keeps recording while the view is read."""
        if self.is_snapshot:
            yield self
            return
        conn = sqlite3.connect(_read_only_uri(self.path), uri=True, check_same_thread=False, isolation_level=None,
                               timeout=30)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            view = Archive(self.path, conn, read_only=True, snapshot=True)
            conn.execute("BEGIN")
            conn.execute("SELECT COUNT(*) FROM meta").fetchone()  # the snapshot is taken at the first read
            yield view
        finally:
            conn.close()  # ends the read transaction; it wrote nothing

    @contextmanager
    def checkpoint_later(self):
        """Let a big write (a first scan's 50,000 rows) commit to the write-ahead log only, and copy the log into
        the main file when the block ends. Otherwise SQLite copies and syncs it inside that commit, and whoever
        waits for the commit waits for the copy too. Committed data is safe in the log either way."""
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA wal_autocheckpoint = 1000")
            with suppress(sqlite3.Error):  # a busy reader elsewhere: the next commit checkpoints instead
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.atomic():
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def title(self) -> str:
        return self.meta("title", "") or ""

    def close(self) -> None:
        """Close every connection on the file: the readers' and the writer's."""
        if self.readers is not None:
            self.readers.close()
        self._db.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _LockedAtomic:
    """One transaction under the archive's lock. The outermost one starts with BEGIN IMMEDIATE: it takes SQLite's
    write lock up front (waiting on busy_timeout), so a writer in another process (the monitor of an open app, a
    script's scan) can never make this one fail half-way with a stale snapshot. Nested blocks are savepoints."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.nested = None

    def __enter__(self):
        archive = self.archive
        archive.lock.acquire()
        self._depth(+1)  # from here on this thread uses the writer's connection, even if it is not the writer
        try:
            conn = archive._db.conn
            if conn.in_transaction:
                self.nested = archive._db.atomic()
                return self.nested.__enter__()
            archive.about_to_write()
            conn.execute("BEGIN IMMEDIATE")
            return archive._db
        except BaseException:
            self._depth(-1)
            archive.lock.release()
            raise

    def __exit__(self, kind, value, trace):
        try:
            if self.nested is not None:
                return self.nested.__exit__(kind, value, trace)
            conn = self.archive._db.conn
            if kind is None:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    conn.rollback()
                    raise
            elif conn.in_transaction:
                conn.rollback()
            return False
        finally:
            self._depth(-1)
            self.archive.lock.release()

    def _depth(self, step: int) -> None:
        here = self.archive._writing
        here.depth = getattr(here, "depth", 0) + step


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30,
                           factory=WriterConnection)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def create_archive(path: str | Path, title: str) -> Archive:
    path = Path(path).absolute()
    if path.exists():
        raise ArchiveError(f"文件已存在，未覆盖：{path}")
    if not path.parent.is_dir():
        raise ArchiveError(f"文件夹不存在：{path.parent}")
    from archive.netpaths import check_archive_location  # late: netpaths builds on the monitor's detection

    check_archive_location(path)
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise ArchiveError(f"无法创建档案文件 {path}：{describe_failure(exc, path)}") from exc
    archive = Archive(path, conn)
    archive.db.enable_wal()
    with archive.atomic():
        _apply_migrations(archive.db, 0)
        for key, value in {"app": APP_ID, "title": title, "created": now()}.items():
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
    return archive


READ_ONLY_MESSAGE = "档案文件位于只读位置（{path}），只能查看，不能修改。如需修改，请先复制到本机磁盘。"


def is_writable(path: Path) -> bool:
    """SQLite needs to write the file and, for WAL, create side files beside it (EROFS counts even for root)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_archive(path: str | Path, before_write: Callable[[], None] | None = None) -> Archive:
    """Open an archive for use; `before_write` (the app's Writer.check) also sees the writes opening may make
    (switching to WAL, migrating an older schema: see needs_upgrade)."""
    path = Path(path).absolute()
    version = inspect_archive(path)
    if not is_writable(path):
        return _open_read_only(path, version)
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise ArchiveError(f"无法打开档案文件 {path}：{describe_failure(exc, path)}") from exc
    archive = Archive(path, conn)
    archive.before_write = before_write
    if archive.db.journal_mode != "wal":
        archive.about_to_write()
        archive.db.enable_wal()
    if version < SCHEMA_VERSION:
        with archive.atomic():
            _apply_migrations(archive.db, version)
    return archive


def needs_upgrade(path: str | Path) -> bool:
    """Whether opening this archive for writing would write to it (an older schema, or not yet in WAL mode), so
    the app can let its writer open it first. Reads the file only; refuses (ArchiveError) what open refuses."""
    path = Path(path).absolute()
    version = inspect_archive(path)
    if not is_writable(path):
        return False
    return version < SCHEMA_VERSION or _read_only_query(path, "PRAGMA journal_mode")[0][0] != "wal"


def _open_read_only(path: Path, version: int) -> Archive:
    if version < SCHEMA_VERSION:
        raise ArchiveError(f"档案 {path} 需要升级结构才能打开，但它位于只读位置。请先复制到本机磁盘。")
    # immutable: nothing can change the file on a read-only medium, and SQLite then needs no side files
    conn = sqlite3.connect(_read_only_uri(path), uri=True, check_same_thread=False)
    return Archive(path, conn, read_only=True)


def _read_only_query(path: Path, sql: str) -> list[tuple]:
    """One query on a read-only connection of its own. The archive file is only ever opened through SQLite, never
    with open(): closing any descriptor of a file drops every POSIX lock this process holds on it, the open
    session's and the monitor's included (SQLite's own connections put that close off while another holds a lock),
    and another process, then alone as far as the locks tell, may checkpoint and reset the write-ahead log under
    them: they stop seeing its commits, and their next write can corrupt the file (sqlite.org/howtocorrupt.html)."""
    conn = sqlite3.connect(_read_only_uri(path), uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _read_only_uri(path: Path) -> str:
    return f"{path.as_uri()}?{'mode=ro' if is_writable(path) else 'immutable=1'}"


def inspect_archive(path: Path) -> int:
    """Return the schema version of an archive file, refusing anything else. Opens read-only: changes nothing."""
    if not path.is_file():
        raise ArchiveError(f"档案文件不存在：{path}")
    if not os.access(path, os.R_OK):
        raise ArchiveError(f"无法读取档案文件 {path}：没有读取权限")
    if path.stat().st_size == 0:
        raise ArchiveError(f"不是迎检通档案文件：{path}")
    try:
        rows = dict(_read_only_query(path, "SELECT key, value FROM meta WHERE key IN ('app', 'schema_version')"))
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:  # not SQLite at all: a .zip, a .xlsx
            raise ArchiveError(f"不是迎检通档案文件：{path}") from exc
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_ERROR:  # the disk, not the file
            raise ArchiveError(f"无法打开档案文件 {path}：{describe_failure(exc, path)}") from exc
        raise ArchiveError(f"不是迎检通档案文件：{path}（{exc}）") from exc  # SQLite, but no meta table
    if rows.get("app") != APP_ID:
        raise ArchiveError(f"不是迎检通档案文件：{path}")
    version = int(rows.get("schema_version") or 0)
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"档案 {path} 由较新版本的迎检通创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}），请升级后再打开")
    return version


def _apply_migrations(db: sqlite_utils.Database, version: int) -> None:
    for step in range(version, SCHEMA_VERSION):
        MIGRATIONS[step](db)
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
