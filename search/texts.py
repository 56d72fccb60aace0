"""Keeping the text of every indexed file: what is still unread, reading it (worker processes at low priority),
storing it per page, forgetting the text of contents no file has any more.

Incremental by content: a file is read once per distinct SHA-256, so a rename, a move or a copy reads nothing.
The three steps are separate so that the app can read without touching the database (its own thread) and hand each
batch to its one writer: `plan` and `store` write, `read` does not. `update_texts` is the three in a row (the CLI).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from archive.db import Archive, now
from archive.index.parent_bound_pool import exit_with_parent
from common.progress import CancelCheck, Progress, ProgressReporter
from common.winpaths import long_path
from exporters.attachments import OFFICE_TYPES
from search import schema
from search.extract import READABLE, Extracted, extract_item, pdf_text
from search.ngrams import bigram_tokens

CONVERTED = OFFICE_TYPES - READABLE  # .doc/.wps/.et/.xls: read through the Office converter, when one is installed
BATCH = 200  # results per write transaction
POOL_THRESHOLD = 40  # below this many files, starting worker processes costs more than it saves


@dataclass(frozen=True)
class TextTask:
    sha256: str
    path: str
    kind: str
    ocr: bool = False  # read by OCR (an image, or a PDF with scanned pages): search/ocr.py


@dataclass
class TextReport:
    read: int = 0
    text: int = 0
    empty: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def count(self, extracted: Extracted) -> None:
        self.read += 1
        setattr(self, extracted.state, getattr(self, extracted.state) + 1)

    def to_json(self) -> dict:
        return {"read": self.read, "text": self.text, "empty": self.empty, "failed": self.failed,
                "skipped": self.skipped, "seconds": round(self.seconds, 3)}


Batch = list[tuple[str, Extracted, str]]  # (sha256, what was read, how: "text" / "convert")


def readable_types(converter=None) -> frozenset[str]:
    return READABLE | (CONVERTED if converter is not None else frozenset())


def plan(archive: Archive, types: frozenset[str] | None = None, ocr: bool = False) -> list[TextTask]:
    """Every distinct content of a readable type whose text is not stored yet (creates the tables: a write); with
    `ocr`, also images and PDFs whose pages without a text layer were not read by OCR yet."""
    schema.ensure(archive)
    types = types or readable_types(_converter())
    tasks = [TextTask(sha, path, kind) for sha, path, kind in _unread(archive.conn, types)]
    if ocr:
        from search.ocr import IMAGE_TYPES

        tasks += [TextTask(sha, path, kind, True) for sha, path, kind in _unread(archive.conn, IMAGE_TYPES)]
        tasks += [TextTask(sha, path, "pdf", True) for sha, path in archive.conn.execute(
            "SELECT d.sha256, MIN(f.path) FROM text_docs d JOIN files f ON f.sha256 = d.sha256 "
            "WHERE d.blank > 0 AND d.method = 'text' AND f.problem IS NULL GROUP BY d.sha256 ORDER BY MIN(f.path)")]
    return tasks


def _unread(conn, types) -> list[tuple[str, str, str]]:
    marks = ",".join("?" * len(types))
    return conn.execute(
        f"SELECT f.sha256, MIN(f.path), f.type FROM files f LEFT JOIN text_docs d ON d.sha256 = f.sha256 "
        f"WHERE f.sha256 IS NOT NULL AND f.problem IS NULL AND d.sha256 IS NULL AND f.type IN ({marks}) "
        f"GROUP BY f.sha256 ORDER BY MIN(f.path)", sorted(types)).fetchall()


def ocr_work(conn) -> tuple[int, int]:
    """(images, scanned PDF pages) OCR would read now: what its time estimate is made of."""
    from search.ocr import IMAGE_TYPES

    images = len(_unread(conn, IMAGE_TYPES)) if schema.has_tables(conn) else 0
    pages = conn.execute("SELECT COALESCE(SUM(blank), 0) FROM text_docs WHERE blank > 0 AND method = 'text'"
                         ).fetchone()[0] if schema.has_tables(conn) else 0
    return images, pages


def read(tasks: list[TextTask], on_batch: Callable[[Batch], None], progress: Progress | None = None,
         cancel: CancelCheck | None = None, workers: int | None = None) -> TextReport:
    """Read the text of `tasks`, handing every BATCH results to `on_batch`. Touches no database."""
    started = time.perf_counter()
    job = ProgressReporter(progress, cancel, every=16)
    report = TextReport()
    direct = [t for t in tasks if t.kind not in CONVERTED and not t.ocr]
    converted = [t for t in tasks if t.kind in CONVERTED and not t.ocr]
    scanned = [t for t in tasks if t.ocr]
    total = max(1, len(tasks))
    pending: Batch = []

    def take(task: TextTask, extracted: Extracted, method: str) -> None:
        report.count(extracted)
        pending.append((task.sha256, extracted, method))
        if len(pending) >= BATCH:
            on_batch(pending.copy())
            pending.clear()
        job.tick(lambda: report.read / total, lambda: f"正在提取文字 {report.read}/{len(tasks)}")

    job.report(0.0, f"正在提取文字：{len(tasks)} 个文件")
    _read_direct(direct, take, job, workers)
    if converted:
        _read_converted(converted, take, job)
    if scanned:
        from search.ocr import extract_ocr

        for task in scanned:  # one at a time: onnxruntime already uses every core for one picture
            job.check()
            take(task, extract_ocr(long_path(task.path), task.kind), "ocr")
    if pending:
        on_batch(pending)
    report.seconds = time.perf_counter() - started
    return report


def _read_direct(tasks: list[TextTask], take, job: ProgressReporter, workers: int | None) -> None:
    items = [(long_path(t.path), t.kind) for t in tasks]
    if len(tasks) < POOL_THRESHOLD or (workers or os.cpu_count() or 1) < 2:
        for task, item in zip(tasks, items, strict=True):
            job.check()
            take(task, extract_item(item), "text")
        return
    pool = ProcessPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 2), initializer=_low_priority)
    try:
        for task, extracted in zip(tasks, pool.map(extract_item, items, chunksize=16), strict=True):
            job.check()
            take(task, extracted, "text")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read_converted(tasks: list[TextTask], take, job: ProgressReporter) -> None:
    """.doc/.wps/.et/.xls: converted to PDF by the dossier's converter (copies in a temp folder: the converter never
    sees the evidence), then read like any PDF. A file that does not convert is 'failed', so it is not tried again
    at every scan."""
    from exporters.office import convert_each

    by_sha = {t.sha256: t for t in tasks}
    with tempfile.TemporaryDirectory(prefix="rr-text-") as workdir:
        files = [(t.sha256, long_path(t.path)) for t in tasks]
        for sha, pdf in convert_each(_converter(), files, workdir, job):
            extracted = pdf_text(pdf) if pdf else Extracted(state="failed", note="转换为 PDF 失败，无法读取文字")
            if pdf:
                extracted.pages = [(None, "\n".join(text for _, text in extracted.pages))]  # no real pages
                extracted.blank = 0
            take(by_sha[sha], extracted, "convert")


def _converter():
    from exporters.office import find_converter

    return find_converter()


def _low_priority() -> None:
    """Worker initializer: yield the CPU to the app and to the user's other programs; end with the app."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel = ctypes.windll.kernel32
            kernel.SetPriorityClass(kernel.GetCurrentProcess(), 0x4000)  # BELOW_NORMAL_PRIORITY_CLASS
        else:
            os.nice(10)
    except (OSError, AttributeError):
        pass
    exit_with_parent()


def store(archive: Archive, batch: Batch) -> None:
    """Write a batch of read texts in one transaction; a content read again (OCR later) replaces its rows."""
    schema.ensure(archive)
    conn = archive.conn
    stamp = now()
    with archive.atomic():
        _drop(conn, [sha for sha, _, _ in batch])
        for sha, extracted, method in batch:
            conn.execute("INSERT INTO text_docs (sha256, state, pages, blank, chars, note, method, time) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (sha, extracted.state, len(extracted.pages), extracted.blank, extracted.chars,
                          extracted.note, method, stamp))
            for page, body in extracted.pages:
                rowid = conn.execute("INSERT INTO text_pages (sha256, page, body) VALUES (?, ?, ?)",
                                     (sha, page, body)).lastrowid
                conn.execute("INSERT INTO text_tri (rowid, body) VALUES (?, ?)", (rowid, body))
                conn.execute("INSERT INTO text_bi (rowid, body) VALUES (?, ?)", (rowid, bigram_tokens(body)))


def _drop(conn, shas: list[str]) -> None:
    """Remove the stored text of these contents from the page table and both full-text indexes (an external-content
    and a contentless table are told what they indexed, through FTS5's 'delete' command)."""
    for sha in shas:
        rows = conn.execute("SELECT id, body FROM text_pages WHERE sha256 = ?", (sha,)).fetchall()
        for rowid, body in rows:
            conn.execute("INSERT INTO text_tri (text_tri, rowid, body) VALUES ('delete', ?, ?)", (rowid, body))
            conn.execute("INSERT INTO text_bi (text_bi, rowid, body) VALUES ('delete', ?, ?)",
                         (rowid, bigram_tokens(body)))
        conn.execute("DELETE FROM text_pages WHERE sha256 = ?", (sha,))
        conn.execute("DELETE FROM text_docs WHERE sha256 = ?", (sha,))


def drop_orphans(archive: Archive) -> int:
    """Forget the text of contents no indexed file has any more (a file edited, removed, or its folder unlinked)."""
    if not schema.has_tables(archive.conn):
        return 0
    rows = archive.conn.execute(
        "SELECT sha256 FROM text_docs WHERE sha256 NOT IN (SELECT sha256 FROM files WHERE sha256 IS NOT NULL)")
    orphans = [sha for (sha,) in rows]
    if orphans:
        with archive.atomic():
            _drop(archive.conn, orphans)
    return len(orphans)


def update_texts(archive: Archive, progress: Progress | None = None, cancel: CancelCheck | None = None,
                 workers: int | None = None, ocr: bool = False) -> TextReport:
    """Read and store the text of everything unread, then drop orphans (the command line's whole job)."""
    archive.require_writable()
    tasks = plan(archive, ocr=ocr)
    report = read(tasks, lambda batch: store(archive, batch), progress, cancel, workers)
    drop_orphans(archive)
    return report


def pending_count(conn) -> int:
    """How many distinct contents still wait for their text (0 when the tables do not exist yet: all of them)."""
    types = sorted(readable_types(None))
    marks = ",".join("?" * len(types))
    if not schema.has_tables(conn):
        return conn.execute(f"SELECT COUNT(DISTINCT sha256) FROM files WHERE problem IS NULL AND type IN ({marks})",
                            types).fetchone()[0]
    return conn.execute(
        f"SELECT COUNT(DISTINCT f.sha256) FROM files f LEFT JOIN text_docs d ON d.sha256 = f.sha256 "
        f"WHERE f.sha256 IS NOT NULL AND f.problem IS NULL AND d.sha256 IS NULL AND f.type IN ({marks})",
        types).fetchone()[0]
