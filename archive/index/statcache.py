"""What a full scan leaves for the next one: a digest of each folder's files (names, sizes, dates), kept in meta.

An unchanged re-scan must still stat every file, but it need not compare 50,000 paths one by one: a folder whose
digest matches was not touched, and only the folders that differ are compared file by file with their rows in the
index. The snapshot is a few thousand short digests, so loading it is cheap, and each of two walking processes can
check its own folders.

The snapshot is dropped by the database itself: triggers delete it whenever a row of the files table is removed or
its path, size, date, digest or read state is updated, by this program or any other (migration 3). An insert raises
the table's highest id, which the snapshot records, so a snapshot that has missed an insert is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from array import array
from dataclasses import dataclass

from archive.db import Archive
from archive.index.walk import Row

KEY = "folder_digests"
ROWS_QUERY = "SELECT path, size, mtime_ns, sha256 IS NOT NULL, unread FROM files"


@dataclass
class Snapshot:
    digests: dict[str, bytes | None]  # folder -> digest of its indexed files; None: one of them must be read again
    files: int  # indexed files (with a SHA-256) when the snapshot was taken
    highest_id: int


def folder_digest(rows: list[Row]) -> bytes:
    """The same rows give the same digest, in whatever order the folder listed them. Sorts `rows` in place."""
    rows.sort()
    digest = hashlib.blake2b("\0".join([row[0] for row in rows]).encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(array("q", [number for row in rows for number in row[1:]]).tobytes())
    return digest.digest()


def _highest_id(conn) -> int:
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM files").fetchone()[0]


def load(archive: Archive) -> Snapshot | None:
    """The snapshot left by the last full scan, or None when there is none or the index has changed since."""
    conn = archive.conn
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    if row is None:
        return None
    try:
        digests, files, highest = marshal.loads(row[0])
    except (EOFError, ValueError, TypeError):
        return None  # damaged: the scan reads the index instead
    if highest != _highest_id(conn) or not isinstance(digests, dict):
        return None
    return Snapshot(digests, files, highest)


def from_rows(rows) -> tuple[dict[str, bytes | None], int]:
    """Folder digests and the number of indexed files, from (path, size, mtime_ns, has SHA-256, unread) rows."""
    grouped: dict[str, list[Row] | None] = {}
    files = 0
    for path, size, mtime, hashed, unread in rows:
        folder, name = os.path.split(path)
        group = grouped.setdefault(folder, [])
        if unread or not hashed:
            grouped[folder] = None  # never matches a listing: the folder is compared file by file
        elif group is not None:
            group.append((name, size, mtime))
        files += hashed
    return {folder: folder_digest(group) if group is not None else None for folder, group in grouped.items()}, files


def save(archive: Archive) -> None:
    """Take a fresh snapshot of the index, in one transaction with the table it describes."""
    with archive.atomic():
        conn = archive.conn
        digests, files = from_rows(conn.execute(ROWS_QUERY))
        value = marshal.dumps((digests, files, _highest_id(conn)))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEY, value))
