"""The office's side: import a unit's evidence package into its folder under a chosen evidence root.

    <root>/<单位>/<path as in the package>

Four phases, so that a failure leaves nothing behind:
1. check: every entry, the manifest, the limits, the target folder (nothing written yet);
2. plan: per file, new / changed / already present (same SHA-256 at the same path, or beside it under another name);
3. unpack: each new or changed file into a hidden temp file in its final folder, hashed while written and checked
   against the manifest (a file that does not match is reported as failed and left out);
4. commit, holding the archive's lock: move older versions aside ("名称（旧版 YYYYMMDD-HHMMSS）.ext"), rename the temp
   files into place, create the links in one transaction, then scan just those folders. An error or a cancel in any
   phase undoes everything this import did on disk and in the archive.
"""

from __future__ import annotations

import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from archive.db import Archive, now
from archive.index.hashing import hash_file
from archive.index.scan import scan
from archive.index.walk import is_junk_name
from archive.linkset import LinkSet, is_under
from archive.revision_log import package_code_map
from common.errors import UserError
from common.progress import CancelCheck, Progress, ProgressReporter
from common.winpaths import long_path
from departments import manifest
from departments.journal import Journal
from departments.package_meta import apply_package_meta
from departments.report import ChangedFile, ImportReport
from departments.safezip import (
    DEFAULT_LIMITS,
    Budget,
    Entry,
    Limits,
    UnsafePackage,
    check_entries,
    open_zip,
    stream_entry,
)
from departments.units import unit_component

NEW, CHANGED, UNCHANGED, FAILED = "new", "changed", "unchanged", "failed"


@dataclass
class Planned:
    item: dict  # the manifest's file entry
    entry: Entry | None
    target: Path
    action: str = NEW
    reason: str = ""  # why it failed
    same_as: str = ""  # an existing file with the same content, when not at the target path itself
    temp: Path | None = None


def _check_listed(entries: dict[str, Entry], files: list[dict], folders: dict[str, str], where: str) -> None:
    listed = {item["path"] for item in files}
    allowed_dirs = set(folders.values())
    for path in listed | allowed_dirs:
        parts = path.split("/")
        allowed_dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
    for name, entry in entries.items():
        allowed = name in allowed_dirs if entry.is_dir else (name in listed or name == manifest.MANIFEST)
        if not allowed:
            raise UnsafePackage(f"证明材料包 {where} 不安全，未导入任何内容：条目“{name}”不在清单中")
    for path in sorted(listed):
        if path not in entries or entries[path].is_dir:
            raise UserError(f"证明材料包 {where} 不完整：清单中的文件“{path}”不在压缩包中，未导入任何内容")


def _check_target_folder(root: Path, unit_dir: Path, archive: Archive) -> None:
    if is_under(str(archive.path), str(unit_dir)):
        raise UserError(f"档案文件 {archive.path} 位于导入目标 {unit_dir} 中，请另选证明材料根文件夹")
    if unit_dir.exists() and not unit_dir.is_dir():
        raise UserError(f"导入目标 {unit_dir} 已是一个文件，不是文件夹")
    existing = unit_dir
    while not existing.exists():
        existing = existing.parent
    if not is_under(os.path.realpath(existing), os.path.realpath(root)):
        raise UnsafePackage(f"导入目标 {unit_dir} 经链接指向 {root} 之外，未导入任何内容")


def _inside(target: Path, root: Path) -> bool:
    """The deepest existing folder on the way to `target` really is inside `root` (no link leads out)."""
    existing = target.parent
    while not existing.exists():
        existing = existing.parent
    return is_under(os.path.realpath(existing), os.path.realpath(root))


def _hasher(archive: Archive):
    """SHA-256 of a file on disk, from the archive's index when size and time still match (a re-import of a large
    package then reads nothing), else by reading it. Returns None when the file cannot be read."""
    def content_hash(path: str) -> str | None:
        row = archive.conn.execute("SELECT size, mtime_ns, sha256 FROM files WHERE path = ? AND unread = 0",
                                   (path,)).fetchone()
        try:
            st = os.stat(path)
        except OSError:
            return None
        if row and row[2] and (row[0], row[1]) == (st.st_size, st.st_mtime_ns):
            return row[2]
        return hash_file(path).sha256

    return content_hash


def _same_content_beside(target: Path, size: int, sha: str, content_hash) -> str:
    """A file in the target's folder with the same content under another name (renamed at the office), or ""."""
    try:
        with os.scandir(target.parent) as entries:
            candidates = sorted(e.path for e in entries if e.is_file(follow_symlinks=False)
                                and not is_junk_name(e.name) and e.stat().st_size == size)
    except OSError:
        return ""
    return next((os.path.basename(p) for p in candidates if content_hash(p) == sha), "")


def _plan(item: dict, entry: Entry, unit_dir: Path, root: Path, codes: set[str], content_hash,
          revised: dict[str, str | None]) -> Planned:
    if item["code"] in revised:  # made against an earlier catalogue: the code its item has now
        if revised[item["code"]] is None:
            return _failed(Planned(item, entry, unit_dir), f"编号 {item['code']} 的项目已在评价目录修订中删除")
        item = {**item, "code": revised[item["code"]]}
    target = unit_dir.joinpath(*item["path"].split("/"))
    planned = Planned(item, entry, target)
    if item["code"] not in codes:
        return _failed(planned, f"档案的评价目录中没有编号 {item['code']}")
    if entry.size != item["size"]:
        return _failed(planned, f"压缩包中的大小（{entry.size} 字节）与清单（{item['size']} 字节）不符")
    if not _inside(target, root):
        raise UnsafePackage(f"导入目标 {target.parent} 经链接指向 {root} 之外，未导入任何内容")
    if target.is_dir():
        return _failed(planned, "目标位置已有同名文件夹")
    if target.exists():
        existing = content_hash(str(target))
        if existing is None:
            return _failed(planned, f"无法读取已有文件 {target}，未覆盖")
        planned.action = UNCHANGED if existing == item["sha256"] else CHANGED
        return planned
    same = target.parent.is_dir() and _same_content_beside(target, item["size"], item["sha256"], content_hash)
    if same:
        planned.action, planned.same_as = UNCHANGED, same
    return planned


def _failed(planned: Planned, reason: str) -> Planned:
    planned.action, planned.reason = FAILED, reason
    return planned


def _older_name(target: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(target.stat().st_mtime))
    candidate = target.with_name(f"{target.stem}（旧版 {stamp}）{target.suffix}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.stem}（旧版 {stamp}-{number}）{target.suffix}")
    return candidate


def _unpack(zf: zipfile.ZipFile, plan: list[Planned], journal: Journal, budget: Budget, job: ProgressReporter) -> None:
    todo = [p for p in plan if p.action in (NEW, CHANGED)]
    total = max(1, sum(p.entry.size for p in todo))
    done = 0
    for planned in todo:
        job.report(0.1 + 0.8 * done / total, f"正在解压 {planned.item['path']}")
        journal.make_dirs(planned.target.parent)
        temp = journal.temp_in(planned.target.parent)
        try:
            with open(long_path(str(temp)), "wb") as handle:
                size, sha = stream_entry(zf, planned.entry, handle.write, budget, job.check)
        except zipfile.BadZipFile as exc:
            journal.drop_temp(temp)
            _failed(planned, f"压缩包中此文件已损坏（{exc}）")
            continue
        done += planned.entry.size
        if sha != planned.item["sha256"] or size != planned.item["size"]:
            journal.drop_temp(temp)
            _failed(planned, "SHA-256 校验值与清单不符：文件在传递中被改动或损坏")
            continue
        # The file keeps the time it arrived, not the unit's "modified": a replaced file with the same size and
        # a second-resolution time could otherwise look unchanged to the scan.
        planned.temp = temp


def _commit_files(plan: list[Planned], journal: Journal, report: ImportReport) -> None:
    for planned in plan:
        if planned.temp is None:
            continue
        relative = planned.item["path"]
        if planned.action == CHANGED:
            older = _older_name(planned.target)
            journal.rename(planned.target, older)
            report.changed.append(ChangedFile(relative, older.name))
        else:
            report.added.append(relative)
        journal.rename(planned.temp, planned.target)
    journal.prune_empty_dirs()


def _wanted_links(plan: list[Planned], unit_dir: Path, folders: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(code, path, is_dir): the criterion's folder when all its files are inside it, else each file."""
    by_code: dict[str, list[Planned]] = {}
    for planned in plan:
        if planned.action != FAILED:
            by_code.setdefault(planned.item["code"], []).append(planned)
    wanted = []
    for code, items in by_code.items():
        folder = folders.get(code)
        base = str(unit_dir.joinpath(*folder.split("/"))) if folder else None
        if base and all(is_under(str(p.target), base) for p in items):
            wanted.append((code, base, True))
        else:
            wanted.extend((code, str(p.target.parent / p.same_as) if p.same_as else str(p.target), False)
                          for p in items)
    return wanted


def _imported(plan: list[Planned]) -> list[tuple[str, str, dict]]:
    """(path in the package, path on disk, manifest entry) of every file now in the office's folder."""
    return [(p.item["path"], str(p.target.parent / p.same_as) if p.same_as else str(p.target), p.item)
            for p in plan if p.action != FAILED]


def _link(archive: Archive, wanted: list[tuple[str, str, bool]]) -> tuple[list[tuple[str, str]], list[int]]:
    """Insert the links not already there (one transaction). Returns (code, path) linked and the new row ids."""
    links = LinkSet.load(archive.conn)
    linked, ids = [], []
    with archive.atomic():
        for code, path, is_dir in wanted:
            if code in links.codes_for(path):
                continue  # already covered, by this link or one above it
            cursor = archive.conn.execute(
                "INSERT OR IGNORE INTO links (code, path, is_dir, created) VALUES (?, ?, ?, ?)",
                (code, path, int(is_dir), now()))
            if cursor.rowcount:
                linked.append((code, path))
                ids.append(cursor.lastrowid)
    return linked, ids


def _unlink_ids(archive: Archive, ids: list[int]) -> None:
    with archive.atomic():
        archive.conn.executemany("DELETE FROM links WHERE id = ?", [(i,) for i in ids])


def import_evidence_package(archive: Archive, zip_path: str | Path, root: str | Path,
                            progress: Progress | None = None, cancel: CancelCheck | None = None,
                            limits: Limits = DEFAULT_LIMITS) -> ImportReport:
    """Import a unit's evidence package under `root`/<单位>; see the module text for the guarantees."""
    where = str(zip_path)
    job = ProgressReporter(progress, cancel)
    root_path = Path(root).expanduser().absolute()
    if not root_path.is_dir():
        raise UserError(f"证明材料根文件夹不存在：{root}")
    codes = {row[0] for row in archive.conn.execute("SELECT code FROM criteria WHERE retired = 0")}
    with open_zip(zip_path) as zf:
        job.report(0.0, "正在检查证明材料包…")
        entries = check_entries(zf, where, limits)
        data = manifest.load(zf, entries, where, manifest.EVIDENCE_KIND, limits)
        files = manifest.evidence_files(data, where)
        folders = manifest.evidence_folders(data)
        _check_listed(entries, files, folders, where)
        revised = package_code_map(archive, data, {item["code"] for item in files} | set(folders), where)
        folders = {revised.get(code) or code: folder for code, folder in folders.items()}
        unit = data["unit"].strip()
        unit_dir = root_path / unit_component(unit)
        _check_target_folder(root_path, unit_dir, archive)
        plan, content_hash = [], _hasher(archive)
        for item in files:
            job.check()
            plan.append(_plan(item, entries[item["path"]], unit_dir, root_path, codes, content_hash, revised))
        report = ImportReport(unit, str(unit_dir))
        journal = Journal()
        try:
            _unpack(zf, plan, journal, Budget(where, limits), job)
            with archive.lock:  # no other scan through this archive object interleaves with the commit
                job.check()  # the last moment a cancel is honoured
                job.progress(0.9, "正在写入档案…")
                _commit_files(plan, journal, report)
                wanted = _wanted_links(plan, unit_dir, folders)
                report.linked, ids = _link(archive, wanted)
                try:
                    if report.added or report.changed or report.linked:  # else a true no-op: not even a scan
                        report.scan = scan(archive, targets=sorted({path for _, path, _ in wanted}))
                    report.meta = apply_package_meta(archive, _imported(plan))
                except BaseException:
                    _unlink_ids(archive, ids)
                    raise
        except BaseException:
            journal.rollback()
            raise
    report.unchanged = [p.item["path"] for p in plan if p.action == UNCHANGED]
    report.failed = [(p.item["path"], p.reason) for p in plan if p.action == FAILED]
    job.progress(1.0, report.summary())
    return report
