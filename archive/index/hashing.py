"""Read and hash files on a small thread pool: hashlib releases the GIL, so two threads use both cores.

Each file is read once, in large chunks; its first bytes are kept for type detection so nothing is read twice.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from archive.index import picture_end
from archive.index.filetypes import HEAD_BYTES, detect_type
from archive.index.walk import describe_os_error
from common.winpaths import long_path, windows_name_problems

CHUNK = 1 << 20
WORKERS = max(2, min(4, os.cpu_count() or 2))
BATCH = 32


@dataclass(slots=True)  # 50,000 of them at once: half the memory without a __dict__ each
class Hashed:
    path: str
    sha256: str | None = None
    size: int = 0
    mtime_ns: int = 0
    error: str | None = None  # could not be read at all
    kind: str = ""  # type by content signature
    problem: str | None = None  # readable, but something is wrong with it (empty, content not what its name says)


def hash_file(path: str) -> Hashed:
    """Read and hash one file. A small file is read with one call of its own size: most evidence files are, and a
    second read only to learn that the file has ended, or a buffer of a megabyte for 40 KB, costs time per file."""
    digest = hashlib.sha256()
    try:
        with open(long_path(path), "rb", buffering=0) as handle:
            st = os.fstat(handle.fileno())
            want = min(st.st_size + 1, CHUNK)  # one byte more than its size: a file that grew is read to its end
            chunk = handle.read(want)
            head = chunk[:HEAD_BYTES]
            before = last = b""  # the last two reads: a picture's end is in them (picture_end)
            total = 0
            while chunk:
                digest.update(chunk)
                total += len(chunk)
                before, last = last, chunk
                if len(chunk) < want and total >= st.st_size:
                    break  # a short read at the size the file has: its end (a signal can cut a read short too)
                want = CHUNK
                chunk = handle.read(want)
    except OSError as exc:
        return Hashed(path, error=describe_os_error(exc))
    # size and mtime from the open handle: what was hashed, even if the file changes right after
    name = os.path.basename(path)
    kind, problem = detect_type(head, name, st.st_size)
    if problem is None and kind in picture_end.CHECKED:
        problem = _picture_problem(path, kind, before, last)
    if name_problem := windows_name_problems(name):  # e.g. "a:b.pdf" on a Linux share
        problem = f"{problem}；{name_problem}" if problem else name_problem
    # the head is not kept: 8 KB for each of 50,000 files would be 400 MB
    return Hashed(path, digest.hexdigest(), st.st_size, st.st_mtime_ns, kind=kind, problem=problem)


def _picture_problem(path: str, kind: str, before: bytes, last: bytes) -> str | None:
    """A picture cut short: its end marker in the last bytes read settles nearly every one; for the rest (a motion
    photo, a Samsung trailer, a copy cut short) its structure decides, read from `last` when one read held the whole
    file (nothing `before` it), else from the file read again (from the page cache)."""
    if picture_end.ends_whole(kind, (before[-picture_end.TAIL:] + last)[-picture_end.TAIL:]):
        return None
    data = last
    if before:
        try:
            with open(long_path(path), "rb") as handle:
                data = handle.read()
        except OSError:
            return None  # gone or unreadable since it was hashed: the next scan sees it as it is then
    return picture_end.CUT_SHORT if picture_end.cut_short(kind, data) else None


def _hash_batch(paths: list[str]) -> list[Hashed]:
    return [hash_file(path) for path in paths]


class Hasher:
    """Hash files on worker threads while the caller goes on listing the next folder: a first scan's walk then
    costs no time of its own. Results come back in the order the paths were submitted.

    Files go to the workers in small batches: one future per file costs more Python time than a small file takes
    to hash, and that time is taken from the hashing threads (the GIL).
    """

    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="hash")
        self.pending: deque = deque()
        self.count = 0

    def submit(self, paths: list[str]) -> None:
        for start in range(0, len(paths), BATCH):
            self.pending.append(self.pool.submit(_hash_batch, paths[start:start + BATCH]))
        self.count += len(paths)

    def results(self, check: Callable[[], None] | None = None) -> Iterator[Hashed]:
        """Yield every result; `check` runs between batches and may raise to cancel."""
        for batch in self.batches(check):
            yield from batch

    def batches(self, check: Callable[[], None] | None = None) -> Iterator[list[Hashed]]:
        """Yield the results a batch at a time (BATCH files): the caller's thread then wakes once per batch."""
        while self.pending:
            batch = self.pending.popleft().result()
            if check is not None:
                check()
            yield batch

    def close(self) -> None:
        """Drop what has not started; wait for what has (a worker cannot be interrupted mid-file)."""
        for future in self.pending:
            future.cancel()
        self.pending.clear()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Hasher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
