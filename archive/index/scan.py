"""The incremental index: compare what is on disk under the links with what the archive knows, and record changes.

Four phases: list (stat only; archive.index.quickscan, on two cores, folder by folder against the last scan's digests),
hash what is new or changed (threads), write every change in one transaction, then count pages of new PDFs/DOCX in
a second, short transaction. A cancel or a crash before the write leaves the archive exactly as it was; the next
scan simply does the work again.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from archive.conflicts import refresh_conflicts
from archive.db import Archive, archive_files
from archive.index import quickscan, statcache
from archive.index.filetypes import count_pages_of
from archive.index.hashing import Hasher
from archive.index.parent_bound_pool import worker_pool
from archive.index.scanwrite import KNOWN_QUERY, ChangeSet, ScanWriter, fetch_known, known_stats, write_changes
from archive.index.walk import Listing, list_file, list_tree
from archive.linkset import LinkSet, is_under, path_range
from common.progress import CancelCheck, Progress, ProgressReporter
from common.winpaths import long_path

PROCESS_POOL_THRESHOLD = 300  # below this many PDFs/DOCX, starting worker processes costs more than it saves


@dataclass
class ScanResult:
    added: int = 0
    modified: int = 0
    removed: int = 0
    moved: int = 0
    problems: list[dict] = field(default_factory=list)  # every indexed path with a problem, after the scan
    files: int = 0  # indexed files after the scan
    seconds: float = 0.0
    unreachable: list[str] = field(default_factory=list)  # linked paths that could not be reached
    index_seconds: float = 0.0  # until the index was complete (before page counting)

    def to_json(self) -> dict:
        return {"added": self.added, "modified": self.modified, "removed": self.removed, "moved": self.moved,
                "problems": self.problems, "files": self.files, "seconds": round(self.seconds, 3),
                "unreachable": self.unreachable, "index_seconds": round(self.index_seconds, 3)}


def scan(archive: Archive, progress: Progress | None = None, cancel: CancelCheck | None = None,
         targets: list[str] | None = None, pages: bool = True) -> ScanResult:
    """Reconcile the index with the disk: every link (targets=None), or only the given paths (the monitor's hints).

    Holds the archive's lock from the first read to the last write, so two reconciles in one process (the monitor and
    a user's scan) never work from the same stale picture.
    """
    archive.require_writable()  # before any work: a read-only archive cannot take the result
    with archive.lock:
        return _scan(archive, progress, cancel, targets, pages)


def _scan(archive: Archive, progress: Progress | None, cancel: CancelCheck | None, targets: list[str] | None,
          pages: bool) -> ScanResult:
    started = time.perf_counter()
    job = ProgressReporter(progress, cancel)
    links = LinkSet.load(archive.conn)
    missing = _missing_links(links)
    job.report(0.0, "正在列出文件…")
    snapshot = statcache.load(archive) if targets is None else None
    with Hasher() as hasher:
        if targets is None:  # list everything first (on two cores), then read what is new or changed
            listing, known, quiet = quickscan.gather(archive, links, missing, snapshot, job.check)
            changes = _diff(archive, listing, known, quiet)
            hasher.submit(changes.to_hash)
        else:  # the monitor's hints: files are read while the next path is listed
            listing, known, quiet = _gather_targets(archive, links, missing, targets, job, hasher)
            changes = _diff(archive, listing, known, quiet)
        job.report(0.1, f"需要读取 {len(changes.to_hash)} 个文件")
        _hash_into(changes, hasher, job)
    job.check()
    result = ScanResult()
    settled = changes.is_empty() and all(link.reachable != (link.path in missing) for link in links.links)
    with archive.checkpoint_later():
        if not settled:  # nothing changed at all: no transaction, no commit
            write_changes(archive, ScanWriter(archive, links, changes, result), missing)
        result.index_seconds = time.perf_counter() - started  # the index is complete and committed
        _after_index(archive, changes, targets, settled, snapshot is not None, pages, job)
    _summarise(archive, result, files=snapshot.files if settled and snapshot is not None else None)
    result.unreachable = sorted(missing)
    result.seconds = time.perf_counter() - started
    job.progress(1.0, "扫描完成")
    return result


def _after_index(archive: Archive, changes: ChangeSet, targets: list[str] | None, settled: bool, cached: bool,
                 pages: bool, job: ProgressReporter) -> None:
    """Page counts of new PDFs/DOCX, conflict copies, and the folder digests for the next scan.

    The digests are kept only after a full scan counted every page: a re-scan that finds nothing changed relies on
    that and does not look for uncounted PDFs.
    """
    quick = settled and cached
    if pages:
        paged = changes.paged + (_uncounted_pdfs(archive, changes.paged) if targets is None and not quick else [])
        if paged:
            _count_pages(archive, paged, job)
    if not settled:  # conflict copies come and go only with files
        refresh_conflicts(archive, targets)  # after page counting, which rewrites the problem column of new PDFs
    if targets is None and pages and not quick:
        statcache.save(archive)


def _missing_links(links: LinkSet) -> list[str]:
    """Linked paths that are gone or offline: their files are kept as last seen, never reported removed."""
    missing = []
    for link in links.links:
        present = os.path.isdir(link.path) if link.is_dir else os.path.isfile(link.path)
        if not present:
            missing.append(link.path)
    return sorted(set(missing))


def _gather_targets(archive: Archive, links: LinkSet, missing: list[str], targets: list[str], job: ProgressReporter,
                    hasher: Hasher) -> tuple[Listing, dict, tuple[str, ...]]:
    """List the given paths; what is new or changed under one goes to the hasher as soon as it is listed."""
    listing = Listing()
    known: dict = {}
    scope = sorted({os.path.abspath(t) for t in targets if links.covers(os.path.abspath(t))})
    skip = frozenset(missing)
    own = {str(path) for path in archive_files(archive.path)}  # never index the archive itself, wherever it lives
    for path in scope:
        if any(is_under(path, m) for m in missing):
            continue
        part = Listing()
        if os.path.isdir(path):
            list_tree(path, part, skip=skip, check=job.check)
        elif os.path.lexists(path):
            list_file(path, part)
        known.update(_known_under(archive, path))
        for name in own & part.files.keys():
            del part.files[name]
        hasher.submit(sorted(p for p, st in part.files.items() if known.get(p) != st and p not in listing.files))
        listing.merge(part)
    return listing, known, quickscan.quiet_paths(missing, listing.problems)


def _known_under(archive: Archive, path: str) -> dict:
    lo, hi = path_range(path)
    rows = archive.conn.execute(KNOWN_QUERY + " WHERE path = ? OR (path >= ? AND path < ?)", (path, lo, hi))
    return known_stats(rows)


def _diff(archive: Archive, listing: Listing, known: dict, quiet: tuple[str, ...]) -> ChangeSet:
    """What to read again: anything new, resized, re-dated, or not read cleanly last time. Set arithmetic on dict
    views keeps this at C speed for 50,000 unchanged files."""
    changes = ChangeSet(problems=listing.problems, indexed=known.keys())
    if known:
        changes.to_hash = sorted(path for path, _ in listing.files.items() - known.items())
    else:  # a first scan: everything is new
        changes.to_hash = sorted(listing.files)
    for path in known.keys() - listing.files.keys() - listing.problems.keys():
        if not any(is_under(path, q) for q in quiet):
            changes.vanished[path] = fetch_known(archive, path)
    return changes


def _hash_into(changes: ChangeSet, hasher: Hasher, job: ProgressReporter) -> None:
    """Drain the hasher. Nothing more is done per file here: Python work on this thread takes the GIL from the
    hashing threads, and measured, it slowed hashing by more than the same work costs after it."""
    total = max(1, hasher.count)
    for done, hashed in enumerate(hasher.results(check=job.check), start=1):
        if hashed.error:
            changes.problems[hashed.path] = hashed.error
        else:
            changes.hashed.append(hashed)
        job.tick(lambda d=done: 0.1 + 0.8 * d / total, lambda d=done: f"已读取 {d}/{total} 个文件")


def _count_pages(archive: Archive, paged: list[tuple[str, str, str | None]], job: ProgressReporter) -> None:
    """Parse PDFs/DOCX for their page count. pypdf is pure Python, so many files go to a process pool (one per
    core) instead of threads; a few are not worth starting processes for."""
    updates = []
    items = [(long_path(path), kind) for path, kind, _ in paged]
    with _page_counter(len(items)) as pool:
        counts = pool.map(count_pages_of, items, chunksize=32) if pool else map(count_pages_of, items)
        for done, ((path, _, earlier_problem), (pages, problem)) in enumerate(zip(paged, counts, strict=True), 1):
            updates.append((pages, earlier_problem or problem, path))
            job.tick(lambda d=done: 0.9 + 0.1 * d / len(paged), lambda d=done: f"已统计页数 {d}/{len(paged)}")
    with archive.atomic():
        archive.conn.executemany("UPDATE files SET pages = ?, problem = ? WHERE path = ?", updates)


def _uncounted_pdfs(archive: Archive, already: list[tuple[str, str, str | None]]) -> list[tuple[str, str, None]]:
    """PDFs indexed by an earlier scan that stopped (cancel, crash) before counting their pages. A sound PDF always
    has a count; a broken one gets a problem instead, so this finds only work that was interrupted."""
    queued = {path for path, _, _ in already}
    rows = archive.conn.execute("SELECT path FROM files WHERE type = 'pdf' AND pages IS NULL AND problem IS NULL")
    return [(path, "pdf", None) for (path,) in rows if path not in queued]


@contextmanager
def _page_counter(count: int):
    if count < PROCESS_POOL_THRESHOLD or (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = worker_pool(min(4, os.cpu_count() or 2))
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _summarise(archive: Archive, result: ScanResult, files: int | None) -> None:
    """`files` is known when nothing changed since the snapshot that counted them."""
    conn = archive.conn
    if files is None:
        files = conn.execute("SELECT COUNT(*) FROM files WHERE sha256 IS NOT NULL").fetchone()[0]
    result.files = files
    result.problems = [{"path": p, "problem": m} for p, m in
                       conn.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL ORDER BY path")]

