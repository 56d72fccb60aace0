"""A scan's second pass: page counts and Office checks of the PDF/Office files the index has just taken in.

The index comes first and alone: hashing is what the clerk waits for, and every microsecond of Python per file in
that pass is taken from the hashing threads (measured on the small-file bench tree, reading pages there cost the
index about a fifth of its speed). This pass then reads each new or changed PDF/Office file again, from the page
cache, with the small readers (archive.pdfpages, archive.officezip) and parses fully only what they are not sure
about (archive.filetypes.count_pages), on both cores when there are many.

Which files wait for it is kept in the archive (meta), written in the index's own transaction and cleared in the
transaction that writes the results: a pass that is cancelled, killed, or left for later (the app runs it in the
background after showing the index: scan(pages=False), then `run`) is finished by the next scan or `run`.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator
from contextlib import contextmanager

from archive.conflicts import PREFIX as CONFLICT_PREFIX
from archive.db import Archive
from archive.filetypes import INSPECTED_TYPES, count_pages_batch
from archive.jobs import Job
from archive.winpaths import long_path
from archive.workers import worker_pool

KEY = "inspection_pending"
BATCH = 64  # files per task of a worker process
# From this many files on, worker processes (one per core): the readers are Python, and threads would share one
# core. Forking one costs milliseconds; starting one on Windows (a new interpreter) costs most of a second.
POOL_MIN = 1000 if os.name == "posix" else 20_000
_TYPES = ", ".join(f"'{kind}'" for kind in sorted(INSPECTED_TYPES))

Item = tuple[int, str, str, str | None, str | None]  # (id, path, type, problem from the index, sha256)


def queue(conn, ids: list[int]) -> None:
    """Add files to the waiting list; call inside the transaction that writes them."""
    if ids:
        _store(conn, list(set(_pending(conn)).union(ids)))


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


def waiting(archive: Archive, ids: list[int] | None = None, uncounted: bool = False) -> list[Item]:
    """The files waiting (only those of `ids`, if given); with `uncounted`, also PDFs without a page count or a
    problem (left so by a version of the program that counted pages in a separate step)."""
    wanted = set(_pending(archive.conn) if ids is None else ids)
    if not wanted and not uncounted:
        return []
    rows = archive.conn.execute(f"SELECT id, path, type, problem, sha256, pages FROM files WHERE type IN ({_TYPES}) "
                                "AND sha256 IS NOT NULL AND unread = 0")
    return [(file_id, path, kind, _earlier(problem), sha) for file_id, path, kind, problem, sha, pages in rows
            if file_id in wanted or (uncounted and kind == "pdf" and pages is None and problem is None)]


def _earlier(problem: str | None) -> str | None:
    """The index's own problem (type, name), which outranks what this pass finds; a conflict-copy problem is set
    again after this pass (archive.conflicts), as it was set after it before."""
    return None if problem is not None and problem.startswith(CONFLICT_PREFIX) else problem


def run(archive: Archive, items: list[Item], job: Job | None = None, start: float = 0.0) -> int:
    """Count pages and check `items` (see `waiting`), then write the results and take them off the waiting list,
    in one transaction. Returns how many files were written; a cancel writes nothing and leaves them waiting.
    Progress goes from `start` to 1."""
    job = job or Job()
    if not items:
        return 0
    results = list(_inspect(items, job, start))
    with archive.atomic():
        conn = archive.conn
        current = dict(conn.execute(f"SELECT id, sha256 FROM files WHERE type IN ({_TYPES})"))
        # a file that changed since it was read keeps waiting: the scan that saw the change queued it again
        fresh = [(item, found) for item, found in zip(items, results, strict=True) if current.get(item[0]) == item[4]]
        conn.executemany("UPDATE files SET pages = ?, problem = ? WHERE id = ?",
                         [(pages, earlier or problem, file_id)
                          for (file_id, _, _, earlier, _), (pages, problem) in fresh])
        written = {item[0] for item, _ in fresh}
        _store(conn, [i for i in _pending(conn) if i in current and i not in written])
    return len(written)


def _store(conn, ids: list[int]) -> None:
    if ids:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEY, marshal.dumps(sorted(ids))))
    else:
        conn.execute("DELETE FROM meta WHERE key = ?", (KEY,))


def _inspect(items: list[Item], job: Job, start: float) -> Iterator[tuple[int | None, str | None]]:
    pairs = [(long_path(path), kind) for _, path, kind, _, _ in items]
    batches = [pairs[start:start + BATCH] for start in range(0, len(pairs), BATCH)]
    done = 0
    with _pool(len(pairs)) as pool:
        results = pool.map(count_pages_batch, batches) if pool else map(count_pages_batch, batches)
        for batch in results:
            job.check()
            done += len(batch)
            job.progress(start + (1 - start) * done / len(pairs), f"已统计页数 {done}/{len(pairs)}")
            yield from batch


@contextmanager
def _pool(count: int):
    if count < POOL_MIN or (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = worker_pool(min(4, os.cpu_count() or 2))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)
