"""The scan's metadata pass: read what new, changed, renamed or moved files say about themselves.

Runs after the index is complete (the scan calls `read_metadata`), over every indexed file whose content or path
differs from what its read values were taken from (meta_seen): after a first scan all of them, after a re-scan the
few that changed, after an interrupted pass the rest. The scan's second pass has read them already
(archive.index.inspection: `preread`): PDF and Office files from the bytes it read for their page counts, photos and
text files in the same batches. What it did not read (a scan whose second pass had nothing to do, files of an
interrupted pass) is read here, many of them on a process pool, one worker per core. Results are written in batches,
so a cancel keeps what was done. Typed values live in
their own table and are never touched here, except that a file coming back with the content of one that left the
index gets that file's typed values back (meta_kept).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from itertools import chain

from archive.db import Archive
from archive.index.inspection import Preread
from archive.index.parent_bound_pool import worker_pool
from archive.metadata.extract import Found, extract_item, safely
from archive.metadata.fields import is_photo
from archive.metadata.text import name_fields
from common.progress import ProgressReporter
from common.winpaths import long_path

# Below this many files, reading them here is quicker than starting worker processes (about 0.2-0.3 s: fork, and
# Pillow and pypdf imported in each) at some 0.2 ms a file.
PROCESS_POOL_THRESHOLD = 2_000
BATCH = 5_000  # files per transaction
PENDING = """
    SELECT f.id, f.path, COALESCE(f.type, ''), f.sha256, s.sha256 = f.sha256
    FROM files f LEFT JOIN meta_seen s ON s.file_id = f.id
    WHERE f.sha256 IS NOT NULL AND (s.file_id IS NULL OR s.sha256 <> f.sha256 OR s.path <> f.path)"""

UNFINISHED = "metadata_unfinished"  # meta key
# What the readers read changes from version to version of the app (a reader added, a misreading mended): an
# archive whose values were read by other readers has every file read again once, by the next full scan's pass.
# Raise it with every change to what a reader gives for a file it read before.
# 2: a scanner's or program's name (扫描件001, 新建 Microsoft Word 文档) is no 题名; a JPEG's EXIF past 64 KB is read
# 3: a 文号 on a line of its own under the title (as government websites publish documents) is read
READERS_VERSION = 3
READERS = "metadata_readers"  # meta key: the READERS_VERSION the archive's read values come from


def pending_files(archive: Archive) -> list[tuple[int, str, str, str, int | None]]:
    """(id, path, type, sha256, same content) of every indexed file whose read values are missing or stale; `same
    content` is true for a file that was only renamed or moved since it was read."""
    return archive.conn.execute(PENDING).fetchall()


def to_read(pending: list[tuple[int, str, str, str, int | None]]) -> list[tuple[int, str, str, str]]:
    """(id, path, type, sha256) of the `pending` files whose content must be read (not only renamed or moved)."""
    return [row[:4] for row in pending if not row[4]]


def read_metadata(archive: Archive, job: ProgressReporter | None = None, preread: Preread | None = None,
                  pending: list[tuple[int, str, str, str, int | None]] | None = None) -> int:
    """Read the metadata of every pending file; return how many were read. A renamed or moved file is not read
    again: only what its name says is (a folder of 5,000 files renamed costs no file opened). `preread`: what the
    scan's second pass read already (archive.index.inspection.run), taken for files whose path and content match;
    `pending`: pending_files as the caller found it (under the same lock, files unchanged since)."""
    job = job or ProgressReporter()
    preread = preread or {}
    pending = pending_files(archive) if pending is None else pending
    if not pending:
        _set_unfinished(archive, False)
        return 0
    _set_unfinished(archive, True)  # until the pass ends: a quick re-scan after a cancel or a kill comes back here
    renamed = [row[:4] for row in pending if row[4]]
    for start in range(0, len(renamed), BATCH):
        _write(archive, _renamed(archive, renamed[start:start + BATCH]))
    pending = to_read(pending)
    if not pending:
        _set_unfinished(archive, False)
        return len(renamed)
    known = {file_id: (path, sha) for file_id, path, _, sha in pending}
    ready = [(file_id, preread[file_id][2]) for file_id, path, _, sha in pending
             if preread.get(file_id, ("", ""))[:2] == (path, sha)]
    taken = {file_id for file_id, _ in ready}
    items = [(file_id, long_path(path), kind) for file_id, path, kind, _ in pending if file_id not in taken]
    total = len(ready) + len(items)
    batch: list[tuple[int, str, str, Found]] = []
    with _reader(len(items)) as pool:
        results = pool.map(extract_item, items, chunksize=64) if pool else map(extract_item, items)
        for done, (file_id, found) in enumerate(chain(ready, results), start=1):
            batch.append((file_id, *known[file_id], found))
            if len(batch) >= BATCH:
                _write(archive, batch)
                batch = []
            job.tick(lambda d=done: 0.9 + 0.1 * d / total, lambda d=done: f"已读取文件信息 {d}/{total}")
    _write(archive, batch)
    _set_unfinished(archive, False)
    return total + len(renamed)


def reread_for_new_readers(archive: Archive) -> bool:
    """When the archive's read values come from other readers than these, let every indexed file wait for the
    metadata pass (typed values are kept, as always); True if they must wait. An archive from before the readers
    had a version counts as read by other readers."""
    if archive.meta(READERS) == str(READERS_VERSION):
        return False
    with archive.atomic():
        archive.conn.execute("DELETE FROM meta_seen")
        archive.set_meta(READERS, str(READERS_VERSION))
        archive.set_meta(UNFINISHED, "1")
    return True


def metadata_unfinished(archive: Archive) -> bool:
    """True when a metadata pass began and did not end (cancelled, killed): the next scan reads on, even a quick
    re-scan that finds nothing changed on disk."""
    return archive.meta(UNFINISHED) == "1"


def mark_unfinished(archive: Archive) -> None:
    """Say that files wait for the pass before it starts (the scan, before its second pass reads them)."""
    _set_unfinished(archive, True)


def _set_unfinished(archive: Archive, unfinished: bool) -> None:
    if metadata_unfinished(archive) != unfinished:
        with archive.atomic():
            archive.set_meta(UNFINISHED, "1" if unfinished else "0")


def _renamed(archive: Archive, rows: list[tuple[int, str, str, str]]) -> list[tuple[int, str, str, Found]]:
    """For files with the same content under a new name: what the content said, and what the new name says."""
    kept: dict[int, Found] = {}
    for file_id, key, value, origin in archive.conn.execute(
            "SELECT file_id, field, value, origin FROM meta_read WHERE origin <> 'name' "
            "AND file_id IN (SELECT value FROM json_each(?))", (json.dumps([row[0] for row in rows]),)):
        kept.setdefault(file_id, {})[key] = (value, origin)
    batch = []
    for file_id, path, kind, sha in rows:
        found = kept.get(file_id, {})
        stem = os.path.splitext(os.path.basename(path))[0]
        for key, value in safely(name_fields, stem, is_photo(kind)).items():
            found.setdefault(key, (value, "name"))  # the weakest source: only where the content says nothing
        batch.append((file_id, path, sha, found))
    return batch


def _write(archive: Archive, batch: list[tuple[int, str, str, Found]]) -> None:
    """Replace the read values of `batch`'s files, for those still in the index (another process may have removed
    one since), and note the content and path they were read from."""
    if not batch:
        return
    with archive.atomic():
        conn = archive.conn
        ids = json.dumps([file_id for file_id, *_ in batch])
        present = {row[0] for row in conn.execute(
            "SELECT id FROM files WHERE id IN (SELECT value FROM json_each(?))", (ids,))}
        batch = [entry for entry in batch if entry[0] in present]
        _restore_kept(conn, batch)
        conn.executemany("DELETE FROM meta_read WHERE file_id = ?", [(file_id,) for file_id, *_ in batch])
        conn.executemany("INSERT INTO meta_read (file_id, field, value, origin) VALUES (?, ?, ?, ?)",
                         [(file_id, key, value, origin) for file_id, _, _, found in batch
                          for key, (value, origin) in found.items()])
        conn.executemany("INSERT OR REPLACE INTO meta_seen (file_id, sha256, path) VALUES (?, ?, ?)",
                         [(file_id, sha, path) for file_id, path, sha, _ in batch])


def _restore_kept(conn, batch: list[tuple[int, str, str, Found]]) -> None:
    """Typed values kept from a file that left the index go to a file with the same content (it came back)."""
    if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM meta_kept)").fetchone()[0]:
        return
    pairs = [(file_id, sha) for file_id, _, sha, _ in batch]
    conn.executemany("INSERT OR IGNORE INTO meta_typed (file_id, field, value, time) "
                     "SELECT ?, field, value, time FROM meta_kept WHERE sha256 = ?", pairs)
    conn.executemany("DELETE FROM meta_kept WHERE sha256 = ?", [(sha,) for _, sha in pairs])


@contextmanager
def _reader(count: int):
    if count < PROCESS_POOL_THRESHOLD or (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = worker_pool(min(4, os.cpu_count() or 2))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)
