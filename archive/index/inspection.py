"""A scan's second pass: page counts and Office checks of the PDF/Office files the index has just taken in.

The index comes first and alone: hashing is what the clerk waits for, and every microsecond of Python per file in
that pass is taken from the hashing threads (measured on the small-file bench tree, reading pages there cost the
index about a fifth of its speed). This pass then reads each new or changed PDF/Office file again, from the page
cache, with the small readers (index.pdfpages, index.officezip) and parses fully only what they are not sure
about (archive.index.filetypes.count_pages), on both cores when there are many (`Reading`). From the same bytes it
reads what each file says of itself (archive.metadata.extract) and hands that to the metadata pass, which writes it:
a PDF or Office file is opened and read once after hashing, not twice (the second reading cost a first scan of
50,000 files most of what its metadata cost). Photos and text files waiting for their metadata are read in the same
batches (`run`'s `also`).

Which files wait for it is kept in the archive (meta), written in the index's own transaction and cleared in the
transaction that writes the results: a pass that is cancelled, killed, or left for later (the app runs it in the
background after showing the index: scan(pages=False), then archive.index.scan.count_waiting) is finished by the next
scan or count_waiting.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Collection

from archive.conflicts import PREFIX as CONFLICT_PREFIX
from archive.db import Archive
from archive.index.filetypes import INSPECTED_TYPES, Inspected, count_pages, read_whole
from archive.index.parent_bound_pool import worker_pool
from archive.metadata.extract import Found, extract
from common.progress import ProgressReporter
from common.winpaths import long_path

KEY = "inspection_pending"
BATCH = 64  # files per task, at least
TASKS = 32  # tasks at most: handing one to a worker process costs this thread about 0.2 ms
# From this many files on, a worker process reads beside this thread: the readers are Python, and a second thread
# would share one core. Forking one costs milliseconds; starting one on Windows (a new interpreter) most of a second.
POOL_MIN = 1000 if os.name == "posix" else 20_000
_TYPES = ", ".join(f"'{kind}'" for kind in sorted(INSPECTED_TYPES))

Item = tuple[int, str, str, str | None, str | None]  # (id, path, type, problem from the index, sha256)
_ROWS = "SELECT id, path, type, problem, sha256 FROM files WHERE sha256 IS NOT NULL AND unread = 0"


def queue(conn, items: list[Item]) -> None:
    """Add files to the waiting list; call inside the transaction that writes them."""
    if items:
        _store(conn, list(set(_pending(conn)).union(item[0] for item in items)))


def _pending(conn) -> list[int]:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    if row is None:
        return []
    try:
        ids = marshal.loads(row[0])
    except (EOFError, ValueError, TypeError):
        return []
    return ids if isinstance(ids, list) else []


def has_pending(archive: Archive) -> bool:
    return bool(_pending(archive.conn))


def waiting(archive: Archive, uncounted: bool = False, besides: Collection[int] = frozenset()) -> list[Item]:
    """The files on the waiting list but for `besides` (those the caller holds already); with `uncounted`, also
    PDFs and TIFFs without a page count or a problem (left so by a version that counted PDF pages in a separate
    step, or TIFF pages not at all)."""
    conn = archive.conn
    wanted = set(_pending(conn)).difference(besides)
    found: dict[int, Item] = {}
    if wanted:
        for file_id, path, kind, problem, sha in conn.execute(f"{_ROWS} AND type IN ({_TYPES})"):
            if file_id in wanted:
                found[file_id] = (file_id, path, kind, _earlier(problem), sha)
    if uncounted:
        for file_id, path, kind, problem, sha in conn.execute(f"{_ROWS} AND type IN ('pdf', 'tif') "
                                                              "AND pages IS NULL AND problem IS NULL"):
            if file_id not in besides:
                found[file_id] = (file_id, path, kind, problem, sha)
    return list(found.values())


def _earlier(problem: str | None) -> str | None:
    """The index's own problem (type, name), which outranks what this pass finds; a conflict-copy problem is set
    again after this pass (archive.conflicts), as it was set after it before."""
    return None if problem is not None and problem.startswith(CONFLICT_PREFIX) else problem


Preread = dict[int, tuple[str, str, Found]]  # file id -> (path, sha256, what the file says of itself)


def run(archive: Archive, items: list[Item], job: ProgressReporter | None = None, start: float = 0.0,
        meanwhile: Callable[[], None] | None = None, metadata: Preread | None = None,
        also: list[tuple[int, str, str, str]] = ()) -> int:
    """Count pages and check `items` (see `waiting`), then write the results and take them off the waiting list,
    in one transaction. Returns how many files were written; a cancel writes nothing and leaves them waiting.
    `meanwhile` runs here while a worker process starts reading. Progress goes from `start` to 1.

    With `metadata` (a dict), each file's metadata is read from the same bytes and put there for the metadata pass
    (archive.metadata.readpass), which writes it: the file is then opened and read once, not twice. `also`: (id,
    path, type, sha256) of files whose metadata alone is to be read (photos, text files), in the same batches on the
    same worker: a pool of its own for them cost a first scan more than reading them (processes, tasks, results)."""
    job = job or ProgressReporter()
    files = [(path, kind) for _, path, kind, _, _ in items]
    if metadata is not None:
        files += [(path, kind) for _, path, kind, _ in also]
    reading = Reading(files, metadata is not None)
    try:
        if meanwhile is not None:
            meanwhile()
        found = reading.results(job, start, 1 - start)
    finally:
        reading.close()
    if metadata is not None:
        read = reading.metadata
        metadata.update((file_id, (path, sha, read[path])) for file_id, path, _, _, sha in items
                        if sha is not None and path in read)
        metadata.update((file_id, (path, sha, read[path])) for file_id, path, _, sha in also if path in read)
    if not items:
        return 0
    with archive.atomic():
        conn = archive.conn
        before = conn.total_changes
        # a file that changed since it was read keeps waiting: the scan that saw the change queued it again
        conn.executemany("UPDATE files SET pages = ?, problem = ? WHERE id = ? AND sha256 = ?",
                         [(*_merged(earlier, found[path]), file_id, sha) for file_id, path, _, earlier, sha in items])
        if conn.total_changes - before == len(items):
            written = {item[0] for item in items}
        else:
            current = dict(conn.execute(f"SELECT id, sha256 FROM files WHERE type IN ({_TYPES})"))
            written = {item[0] for item in items if current.get(item[0]) == item[4]}
        left = [i for i in _pending(conn) if i not in written]
        if left:  # ids of files removed meanwhile leave the list too
            existing = {row[0] for row in conn.execute(f"SELECT id FROM files WHERE type IN ({_TYPES})")}
            left = [i for i in left if i in existing]
        _store(conn, left)
    return len(written)


def read_batch(items: list[tuple[str, str]], metadata: bool = False) -> list[tuple[Inspected, Found | None]]:
    """Page count and check of many (path, type) pairs, and with `metadata` what each says of itself, from one
    reading of each file: one task of a worker process. A file of a type that is not inspected (a photo, a text
    file: `also` of `run`) is not read whole here: its metadata reader reads the little it needs."""
    done = []
    for path, kind in items:
        if kind in INSPECTED_TYPES:
            data = read_whole(path)
            done.append((count_pages(path, kind, data), extract(path, kind, data) if metadata else None))
        else:
            done.append(((None, None), extract(path, kind) if metadata else None))
    return done


def _merged(earlier: str | None, found: Inspected) -> Inspected:
    pages, problem = found
    return pages, earlier or problem


def _store(conn, ids: list[int]) -> None:
    if ids:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEY, marshal.dumps(sorted(ids))))
    else:
        conn.execute("DELETE FROM meta WHERE key = ?", (KEY,))


class Reading:
    """The second pass's reading of `files` ((path, type) pairs). With many, a worker process starts reading them
    from the front at once, and `results` reads from the back on this thread until the two meet (after the scan's
    bookkeeping: two cores, and nothing waits idle). Few are read here alone.

    Starting the worker before the index was written, to use the core the write leaves free, was measured: handing
    the worker its tasks took the GIL from the write, and the index came later by more than the pass gained."""

    def __init__(self, files: list[tuple[str, str]], metadata: bool = False):
        self.files = files
        self.with_metadata = metadata
        self.metadata: dict[str, Found] = {}  # path -> what the file says of itself, with `metadata`
        size = max(BATCH, -(-len(files) // TASKS))
        self.batches = [[(long_path(path), kind) for path, kind in files[at:at + size]]
                        for at in range(0, len(files), size)]
        self.pool = worker_pool(1) if len(files) >= POOL_MIN and (os.cpu_count() or 1) >= 2 else None
        self.futures = [self.pool.submit(read_batch, batch, metadata) for batch in self.batches] if self.pool else []

    def results(self, job: ProgressReporter, start: float = 0.0, span: float = 1.0) -> dict[str, Inspected]:
        """path -> (pages, problem) of every file. Progress goes from `start` over `span`."""
        found: list[list[tuple[Inspected, Found | None]] | None] = [None] * len(self.batches)
        done = 0
        try:
            back = len(self.batches) - 1
            while back >= 0 and (not self.futures or self.futures[back].cancel()):  # not started by the worker
                job.check()
                found[back] = read_batch(self.batches[back], self.with_metadata)
                done += len(found[back])
                self._progress(job, start, span, done)
                back -= 1
            for index in range(back + 1):  # the worker's part
                job.check()
                found[index] = self.futures[index].result()
                done += len(found[index])
                self._progress(job, start, span, done)
        finally:
            self.close()
        inspected = {}
        for (path, _), (result, metadata) in zip(self.files, (r for batch in found for r in batch), strict=True):
            inspected[path] = result
            if metadata is not None:
                self.metadata[path] = metadata
        return inspected

    def _progress(self, job: ProgressReporter, start: float, span: float, done: int) -> None:
        what = "已读取页数和文件信息" if self.with_metadata else "已统计页数"
        job.progress(start + span * done / len(self.files), f"{what} {done}/{len(self.files)}")

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
