"""The incremental index: compare what is on disk under the links with what the archive knows, and record changes.

Four phases: list (stat only; archive.index.quickscan, on two cores, folder by folder against the last scan's digests),
hash what is new or changed (threads), write every change in one transaction, then count pages and check Office
files in a second pass and transaction (archive.index.inspection), or leave that pass for later (pages=False: the app
runs it in the background once the index is shown). A cancel or a crash before the write leaves the archive exactly
as it was; the next scan simply does the work again.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from archive.conflicts import refresh_conflicts
from archive.db import Archive, archive_files
from archive.index import inspection, quickscan, statcache
from archive.index.earlier import rejudge_earlier
from archive.index.forgotten import moved_away
from archive.index.hashing import Hasher
from archive.index.scanwrite import KNOWN_QUERY, ChangeSet, ScanWriter, fetch_known, known_stats, write_changes
from archive.index.walk import Listing, list_file, list_tree
from archive.linkset import LinkSet, is_under, path_range
from archive.metadata.readpass import (
    mark_unfinished,
    metadata_unfinished,
    pending_files,
    read_metadata,
    reread_for_new_readers,
    to_read,
)
from common.progress import CancelCheck, Progress, ProgressReporter

YOUNG_OBJECTS = 20_000  # new objects between collections during the second pass (Python's default: 700)
READ_METADATA = True  # the benchmark turns it off to measure what reading metadata adds to a scan


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
    index_seconds: float = 0.0  # until the index was complete and committed (before page counting)
    pending: bool = False  # files wait for their page counts and Office checks (pages=False): count_waiting

    def to_json(self) -> dict:
        return {"added": self.added, "modified": self.modified, "removed": self.removed, "moved": self.moved,
                "problems": self.problems, "files": self.files, "seconds": round(self.seconds, 3),
                "unreachable": self.unreachable, "index_seconds": round(self.index_seconds, 3)}


def scan(archive: Archive, progress: Progress | None = None, cancel: CancelCheck | None = None,
         targets: list[str] | None = None, pages: bool = True) -> ScanResult:
    """Reconcile the index with the disk: every link (targets=None), or only the given paths (the monitor's hints).
    With pages=False, the second pass (page counts, Office checks) is left waiting for `count_waiting`.

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
            changes = _diff(archive, listing, known, quiet, _listed_roots(links, None))
            hasher.submit(changes.to_hash)
        else:  # the monitor's hints: files are read while the next path is listed
            listing, known, quiet = _gather_targets(archive, links, missing, targets, job, hasher)
            changes = _diff(archive, listing, known, quiet, _listed_roots(links, targets))
        job.report(0.1, f"需要读取 {len(changes.to_hash)} 个文件")
        _hash_into(changes, hasher, job)
    job.check()
    result = ScanResult()
    settled = changes.is_empty() and all(link.reachable != (link.path in missing) for link in links.links)
    queued: list[inspection.Item] = []
    with archive.checkpoint_later():
        if not settled:  # nothing changed at all: no transaction, no commit
            writer = ScanWriter(archive, links, changes, result)
            write_changes(archive, writer, missing)
            queued = writer.queued
        result.index_seconds = time.perf_counter() - started  # the index is complete and committed

        def bookkeeping() -> None:
            if not settled:  # conflict copies come and go only with files
                refresh_conflicts(archive, targets)
            if targets is None and not (settled and snapshot is not None):
                statcache.save(archive)  # for the next scan; the second pass's waiting list is kept apart from it

        if targets is None:
            rejudge_earlier(archive)
        if READ_METADATA and targets is None:
            reread_for_new_readers(archive)
        if READ_METADATA and not settled:  # files wait for the metadata pass (a scan killed before it leaves it to
            mark_unfinished(archive)  # the next; with pages=False, count_waiting reads them in the background)
        if pages:
            preread: inspection.Preread | None = {} if READ_METADATA else None
            # a quick re-scan changed nothing, and the last pass read everything unless it was stopped
            unread = READ_METADATA and (not (settled and snapshot is not None) or metadata_unfinished(archive))
            pending = pending_files(archive) if unread else None
            with frozen_heap():
                _second_pass(archive, queued, targets, settled, job, bookkeeping, preread, pending)
                if READ_METADATA and (preread or unread):
                    read_metadata(archive, job, preread, pending)
        else:
            bookkeeping()
        result.pending = work_waiting(archive)
    _summarise(archive, result, files=snapshot.files if settled and snapshot is not None else None)
    result.unreachable = sorted(missing)
    result.seconds = time.perf_counter() - started
    job.progress(1.0, "扫描完成")
    return result


def _second_pass(archive: Archive, queued: list[inspection.Item], targets: list[str] | None, settled: bool,
                 job: ProgressReporter, bookkeeping, preread: inspection.Preread | None,
                 pending: list | None = None) -> None:
    """Page counts and Office checks of this scan's files (`queued`), and on a full scan of everything else still
    waiting (and of uncounted PDFs left by an older version, unless nothing changed). `bookkeeping` runs while
    a worker process reads the files; what they say of themselves goes to `preread` (if given), with what the
    other files of `pending` (readpass.pending_files: photos, text files) say, read in the same batches."""
    items = queued
    if targets is None:
        items = queued + inspection.waiting(archive, uncounted=not settled, besides={item[0] for item in queued})
    also = _metadata_only(items, pending) if preread is not None else []
    if inspection.run(archive, items, job, start=0.9, meanwhile=bookkeeping, metadata=preread, also=also):
        refresh_conflicts(archive, targets)  # the pass rewrote the problems of its files


def _metadata_only(items: list[inspection.Item], pending: list | None) -> list[tuple[int, str, str, str]]:
    """The files of `pending` whose content the metadata pass must read and the second pass does not inspect."""
    inspected = {item[0] for item in items}
    return [row for row in to_read(pending or []) if row[0] not in inspected]


@contextmanager
def frozen_heap():
    """The objects alive before the second pass (the listing, the index's records: hundreds of thousands) are left
    out of garbage collection while it runs: the metadata readers make many small objects, and each full collection
    walked the whole heap (0.4-0.6 s of a first scan of 50,000 files). A worker process forked meanwhile inherits
    the frozen heap, and its collections no longer touch (and so copy) the pages it shares with this process.

    Nor are the older generations collected during the pass, only the young objects, every YOUNG_OBJECTS of them:
    what the pass keeps (each file's metadata, tens of thousands of small objects) was walked again at each
    collection of the older ones (1,100 collections in all took 0.3 s of that scan). Cycles still go at the next
    collection of the young (pypdf's readers make them, each holding a whole file): no collections at all would
    have kept every one of them until the pass ended."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, 1 << 30, 1 << 30)  # only the young: each object is walked about once
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def work_waiting(archive: Archive) -> bool:
    """Whether files wait for count_waiting: page counts and Office checks, or what the files say of themselves."""
    return inspection.has_pending(archive) or (READ_METADATA and metadata_unfinished(archive))


def count_waiting(archive: Archive, progress: Progress | None = None, cancel: CancelCheck | None = None) -> int:
    """The second pass for every file left waiting by scans with pages=False (or cancelled, or killed): what the
    app runs in the background once the index is shown. Parses without the archive's lock; writes with it."""
    archive.require_writable()
    job = ProgressReporter(progress, cancel)
    with archive.lock:
        items = inspection.waiting(archive)
    written = 0
    preread: inspection.Preread = {}
    with archive.lock:
        pending = pending_files(archive) if READ_METADATA else None
    with frozen_heap():
        if items or pending:
            with archive.checkpoint_later():
                # takes the lock only for its transaction
                written = inspection.run(archive, items, job, metadata=preread if READ_METADATA else None,
                                         also=_metadata_only(items, pending))
                if written:
                    refresh_conflicts(archive)
        if READ_METADATA:
            read_metadata(archive, job, preread)  # what the files say of themselves: read with their pages, like them
    return written


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


def _listed_roots(links: LinkSet, targets: list[str] | None) -> list[str]:
    """Where a scan lists: every link (targets=None), or the targets a link covers."""
    if targets is None:
        return [link.path for link in links.roots()]
    return [path for path in map(os.path.abspath, targets) if links.covers(path)]


def _diff(archive: Archive, listing: Listing, known: dict, quiet: tuple[str, ...], roots: list[str]) -> ChangeSet:
    """What to read again: anything new, resized, re-dated, or not read cleanly last time. Set arithmetic on dict
    views keeps this at C speed for 50,000 unchanged files. And the files of a re-pointed link that are not where
    they should be now, under `roots` (listed) and not where the listing was cut short (`quiet`)."""
    changes = ChangeSet(problems=listing.problems, indexed=known.keys())
    if known:
        changes.to_hash = sorted(path for path, _ in listing.files.items() - known.items())
    else:  # a first scan: everything is new
        changes.to_hash = sorted(listing.files)
    for path in known.keys() - listing.files.keys() - listing.problems.keys():
        if not any(is_under(path, q) for q in quiet):
            changes.vanished[path] = fetch_known(archive, path)

    def looked_for_in_vain(path: str) -> bool:
        return (path not in listing.files and path not in listing.problems and any(is_under(path, r) for r in roots)
                and not any(is_under(path, q) for q in quiet))

    changes.moved_away = moved_away(archive.conn, looked_for_in_vain)
    return changes


def _hash_into(changes: ChangeSet, hasher: Hasher, job: ProgressReporter) -> None:
    """Drain the hasher. Nothing is done per file here, only per batch: Python work on this thread takes the GIL from
    the hashing threads, and measured, it slowed hashing by more than the same work costs after it."""
    total = max(1, hasher.count)
    batches: list[list] = []
    done = 0
    for batch in hasher.batches(check=job.check):
        batches.append(batch)
        done += len(batch)
        if len(batches) % 8 == 0:  # every 256 files
            job.progress(0.1 + 0.8 * done / total, f"已读取 {done}/{total} 个文件")
    for batch in batches:
        for hashed in batch:
            if hashed.error:
                changes.problems[hashed.path] = hashed.error
            else:
                changes.hashed.append(hashed)


def _summarise(archive: Archive, result: ScanResult, files: int | None) -> None:
    """`files` is known when nothing changed since the snapshot that counted them."""
    conn = archive.conn
    if files is None:
        files = conn.execute("SELECT COUNT(*) FROM files WHERE sha256 IS NOT NULL").fetchone()[0]
    result.files = files
    result.problems = [{"path": p, "problem": m} for p, m in
                       conn.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL ORDER BY path")]

