"""One snapshot: a dossier, a report or a package reads the archive in one read transaction, so changes another
writer (the monitor, another process) commits meanwhile are in it entirely or not at all.

Each dossier here is a real Word file parsed back. It must agree with itself (every criterion's 文件数 equals the
files listed below it) and equal one state the archive was really in, while a monitor-like thread keeps changing
the tree and committing scans on its own connection, as the monitor does.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

from docx import Document

import exporters.evidence
from archive.db import open_archive
from archive.index.scan import scan
from archive.links import link
from exporters import export
from exporters.reports import write_report
from tests.conftest import small_catalogue
from tests.export_helpers import options

FOLDERS = {"1.1": "1.1 领导小组", "1.2": "1.2 工作方案", "2.1.1": "2.1.1 快检台账", "2.2": "2.2 校园食品"}


def make_tree(root: Path, per_folder: int) -> None:
    number = 0
    for folder in FOLDERS.values():
        (root / folder).mkdir(parents=True)
        for _ in range(per_folder):
            number += 1
            (root / folder / f"材料{number:04d}.txt").write_text(f"第{number}份", encoding="utf-8")


def linked_archive(archive, root: Path):
    for code, folder in FOLDERS.items():
        link(archive, code, [str(root / folder)])
    scan(archive)
    return archive


def titles_in_index(archive) -> frozenset[str]:
    return frozenset(Path(p).stem for (p,) in archive.conn.execute("SELECT path FROM files"))


def read_dossier(path: Path) -> tuple[dict[str, int], dict[str, set[str]]]:
    """({code: 材料 count of the summary table}, {code: titles listed in its own 佐证材料目录}).

    The summary prints the catalogue's own labels, so its rows are tied to codes by title; the 目录's 档号
    ("1.2-003") carries the code."""
    codes = {c.title: c.code for c in small_catalogue().criteria}
    counts: dict[str, int] = {}
    listed: dict[str, set[str]] = {}
    for table in Document(str(path)).tables:
        header = [cell.text for cell in table.rows[0].cells]
        rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        if header[:2] == ["编号", "评价项目"] and "材料" in header:
            column = header.index("材料")
            counts.update({codes[row[1]]: int(row[column]) for row in rows})
        elif header[:2] == ["序号", "档号"]:
            title = header.index("题名")
            for row in rows:
                listed.setdefault(row[1].rsplit("-", 1)[0], set()).add(row[title])
    return counts, listed


def check_agrees_with_itself(counts: dict[str, int], listed: dict[str, set[str]]) -> frozenset[str]:
    """Every criterion counts exactly the distinct files listed under it and its sub-items; returns all titles."""
    assert counts, "no summary table in the dossier"
    for code, count in counts.items():
        below = set().union(*(t for c, t in listed.items() if c == code or c.startswith(code + ".")))
        assert count == len(below), f"{code}: 文件数 {count}, listed {len(below)}"
    return frozenset().union(*listed.values())


def collected(archive) -> tuple[dict[str, int], dict[str, set[str]]]:
    """The same two things straight from the dossier's data (exporters.evidence.collect): cheap, so many can run."""
    evidence = exporters.evidence.collect(archive)
    counts = {item.code: item.status.files for item in evidence.items}
    return counts, {item.code: {f.title for f in item.files} for item in evidence.items}


def test_a_change_committed_in_the_middle_of_an_export_is_not_in_it(archive, tmp_path, monkeypatch):
    """Deterministic: the other writer commits a removal and an addition exactly between the export's reading
    of the statuses and of the files (the gap where a dossier used to mix before and after)."""
    root = tmp_path / "证明材料"
    make_tree(root, 3)
    linked_archive(archive, root)
    before = titles_in_index(archive)
    real_status = exporters.evidence.compute_status
    committed = []

    def other_writer() -> None:
        (root / FOLDERS["1.2"] / "材料0004.txt").unlink()
        (root / FOLDERS["2.2"] / "新材料.txt").write_text("新", encoding="utf-8")
        with open_archive(archive.path) as own:  # its own connection, like the monitor's
            result = scan(own)
            committed.append((result.removed, result.added))

    def status_then_a_commit(view):
        statuses = real_status(view)
        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join(30)  # a writer is never blocked by the export's read transaction (WAL)
        assert not thread.is_alive()
        return statuses

    monkeypatch.setattr(exporters.evidence, "compute_status", status_then_a_commit)
    path = tmp_path / "汇编.docx"
    export(archive, "docx", path, options(catalogue_only=True))
    assert committed == [(1, 1)]
    assert check_agrees_with_itself(*read_dossier(path)) == before  # the state when the export began
    after = titles_in_index(archive)
    assert after != before and "材料0004" not in after and "新材料" in after


class MonitorLike(threading.Thread):
    """Changes the tree and scans it on its own connection, in a loop; after each commit it records the index."""

    def __init__(self, archive_path: Path, root: Path):
        super().__init__(name="monitor-like", daemon=True)
        self.archive_path, self.root = archive_path, root
        self.stop = threading.Event()
        self.states: list[frozenset[str]] = []
        self.commits = 0
        self.error: BaseException | None = None
        self.rng = random.Random(13)
        self.number = 1000

    def run(self) -> None:
        try:
            with open_archive(self.archive_path) as own:
                self.states.append(titles_in_index(own))
                while not self.stop.is_set():
                    targets = self.change()
                    scan(own, targets=targets)
                    self.states.append(titles_in_index(own))  # the only writer: this is the committed state
                    self.commits += 1
        except BaseException as exc:  # reported by the test
            self.error = exc

    def change(self) -> list[str]:
        folders = [self.root / name for name in FOLDERS.values()]
        files = [p for f in folders for p in f.iterdir()]
        roll = self.rng.random()
        if roll < 0.4 or len(files) < 10:
            self.number += 1
            path = self.rng.choice(folders) / f"新增{self.number:05d}.txt"
            path.write_text(str(self.number), encoding="utf-8")
            return [str(path)]
        victim = self.rng.choice(files)
        if roll < 0.7:
            victim.unlink()
            return [str(victim)]
        self.number += 1
        moved = self.rng.choice(folders) / f"移入{self.number:05d}.txt"
        victim.rename(moved)
        return [str(victim), str(moved)]


def test_dossiers_made_while_another_writer_commits_match_one_state(archive, tmp_path):
    root = tmp_path / "证明材料"
    make_tree(root, 12)
    linked_archive(archive, root)
    writer = MonitorLike(archive.path, root)
    writer.start()
    seen_commits, dossiers, pictures = [], [], []
    try:
        for number in range(4):
            path = tmp_path / f"汇编{number}.docx"
            start = writer.commits
            export(archive, "docx", path, options(catalogue_only=True))
            seen_commits.append(writer.commits - start)
            dossiers.append(check_agrees_with_itself(*read_dossier(path)))
            if number == 1:  # a report made meanwhile reads its own single snapshot too
                write_report(archive, "ledger", tmp_path / "台账.xlsx")
        while len(pictures) < 300:  # a chance for a commit to land between any two reads of the collection
            pictures.append(check_agrees_with_itself(*collected(archive)))
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None, writer.error
    assert sum(seen_commits) >= 4, f"the other writer hardly committed during the exports: {seen_commits}"
    for number, titles in enumerate(dossiers):
        assert titles in writer.states, f"dossier {number} matches no committed state of the archive"
    assert len(set(dossiers)) > 1  # the archive really changed between the dossiers
    states = set(writer.states)
    assert all(titles in states for titles in pictures)
    assert len(set(pictures)) > 10
