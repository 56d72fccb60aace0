"""The unit's side: open a task package as a small archive of its own, and export an evidence package to hand back.

A unit archive is an ordinary archive whose catalogue is the unit's items (and their ancestors), with meta "role" =
"unit", "unit" = its name, "package_root" = the folder the package was unpacked into and "folders" = where each item's
folder is inside it. Status, scan, links and the monitor work on it unchanged.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from archive.catalogue import store_catalogue
from archive.db import Archive, archive_files, create_archive, now
from archive.index.scan import scan
from archive.links import link
from archive.linkset import is_under
from archive.netpaths import check_archive_location
from archive.revision_log import FINGERPRINT
from common.atomic import atomic_output, check_target
from common.errors import UserError
from common.progress import CancelCheck, Progress, ProgressReporter
from common.winpaths import long_path
from common.ziputil import zip_time
from criteria.model import Catalogue, CatalogueError, Criterion
from departments import manifest
from departments.evidence import collect_entries
from departments.journal import Journal
from departments.package_meta import typed_by_path
from departments.safezip import (
    DEFAULT_LIMITS,
    Budget,
    Limits,
    UnsafePackage,
    check_entries,
    open_zip,
    stream_entry,
)
from departments.strays import STRAY_REASON, stray_files
from departments.units import unit_component
from departments.zipwrite import PackageWriter, local_zip_time

ROLE_UNIT = "unit"


# Where a package opened straight from a chat app or a mail attachment lies: a temp folder the system cleans, or a
# chat app's received files (微信 "WeChat Files", "xwechat_files"; QQ "Tencent Files"; 企业微信 "WXWork"; 钉钉),
# which its storage cleanup may empty. A unit's evidence, months of it, belongs elsewhere.
PASSING_FOLDERS = ("wechat files", "xwechat_files", "tencent files", "wxwork", "dingtalk", "钉钉")


def default_unit_folder(package: str | os.PathLike, folder_name: str) -> str:
    """Where to unpack a task package unless the clerk says otherwise: beside it, as she would in Explorer; in her
    Documents folder when it lies in a temp folder or a chat app's received files."""
    beside = os.path.dirname(os.path.abspath(package))
    lowered = beside.lower()
    temp = os.path.normcase(os.path.abspath(tempfile.gettempdir()))
    passing = any(marker in lowered for marker in PASSING_FOLDERS) or is_under(os.path.normcase(beside), temp)
    home = platformdirs.user_documents_dir() if passing else beside
    return os.path.join(home, f"{folder_name}-迎检材料")


def _allowed_names(data: dict, items: list[dict]) -> tuple[set[str], set[str]]:
    """(folders, files) a task package may contain: the item folders with their parents, the manifest, documents."""
    folders: set[str] = set()
    for item in items:
        parts = item["folder"].split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    documents = data.get("documents") or []
    files = {manifest.MANIFEST} | {d for d in documents if isinstance(d, str)}
    return folders, files


def _check_listed(entries: dict, folders: set[str], files: set[str], where: str) -> None:
    for name, entry in entries.items():
        if name not in (folders if entry.is_dir else files):
            raise UnsafePackage(f"任务包 {where} 不安全，未导入任何内容：条目“{name}”不在清单中")


def _unit_catalogue(data: dict, items: list[dict], where: str) -> Catalogue:
    try:
        catalogue = Catalogue(f"{data['unit']}任务清单", [Criterion.from_dict(item) for item in items],
                              source=Path(where).name, note=f"由任务包导入：{data.get('archive_title', '')}")
        catalogue.validate()
    except (CatalogueError, TypeError, ValueError) as exc:
        raise UserError(f"任务包 {where} 的评价项目有误：{exc}") from exc
    return catalogue


def _empty_target(folder: Path) -> None:
    if folder.is_file():
        raise UserError(f"目标位置是一个文件，不是文件夹：{folder}")
    if folder.is_dir() and any(folder.iterdir()):
        raise UserError(f"文件夹不为空：{folder}。请选择一个空文件夹，或一个尚不存在的新文件夹")


def open_task_package(zip_path: str | Path, folder: str | Path, archive_path: str | Path | None = None,
                      limits: Limits = DEFAULT_LIMITS) -> Path:
    """Unpack a task package into `folder` (empty or new), create the unit archive, link each item's folder.

    The archive goes to `archive_path`, or "<单位>.rrdb" in `folder`. Returns the archive path. On any failure
    nothing is left behind: no archive, no folders, no files.
    """
    where = str(zip_path)
    target = Path(folder).expanduser().absolute()
    with open_zip(zip_path) as zf:
        entries = check_entries(zf, where, limits)
        data = manifest.load(zf, entries, where, manifest.TASK_KIND, limits)
        items = manifest.task_criteria(data, where)
        folders, files = _allowed_names(data, items)
        _check_listed(entries, folders, files, where)
        catalogue = _unit_catalogue(data, items, where)
        unit = data["unit"].strip()
        db_path = Path(archive_path).expanduser().absolute() if archive_path else \
            target / f"{unit_component(unit)}.rrdb"
        if db_path.exists():
            raise UserError(f"文件已存在，未覆盖：{db_path}")
        _empty_target(target)
        check_archive_location(db_path)
        journal = Journal()
        archive = None
        try:
            journal.make_dirs(target)
            _unpack(zf, entries, target, journal, Budget(where, limits))
            archive = _create_unit_archive(db_path, data, catalogue, items, target)
        except BaseException:
            if archive is not None:
                archive.close()
            for own in archive_files(db_path):
                own.unlink(missing_ok=True)
            journal.rollback()
            raise
    archive.close()
    return db_path


def _unpack(zf: zipfile.ZipFile, entries: dict, target: Path, journal: Journal, budget: Budget) -> None:
    for name, entry in sorted(entries.items()):
        destination = target.joinpath(*name.split("/"))
        if entry.is_dir:
            journal.make_dirs(destination)
            continue
        if name == manifest.MANIFEST:
            continue  # kept in the archive's meta, not as a loose file the clerk might edit
        journal.make_dirs(destination.parent)
        temp = journal.temp_in(destination.parent)
        with open(long_path(str(temp)), "wb") as handle:
            stream_entry(zf, entry, handle.write, budget)
        journal.rename(temp, destination)


def _create_unit_archive(db_path: Path, data: dict, catalogue: Catalogue, items: list[dict], root: Path) -> Archive:
    unit = data["unit"].strip()
    archive = create_archive(db_path, f"{unit}：{data.get('archive_title') or '迎检材料'}")
    store_catalogue(archive, catalogue)
    folders = {item["code"]: item["folder"] for item in items}
    for key, value in {"role": ROLE_UNIT, "unit": unit, "package_root": str(root),
                       "folders": json.dumps(folders, ensure_ascii=False),
                       "task_manifest": json.dumps(data, ensure_ascii=False)}.items():
        archive.set_meta(key, value)
    for item in items:
        if item.get("own", True):
            link(archive, item["code"], [str(root.joinpath(*item["folder"].split("/")))])
    return archive


def is_unit_archive(archive: Archive) -> bool:
    return archive.meta("role") == ROLE_UNIT


def own_codes(archive: Archive) -> list[str]:
    """The unit's own items (not the ancestors shown for context), in catalogue order; [] for other archives."""
    task = json.loads(archive.meta("task_manifest") or "{}")
    return [item["code"] for item in task.get("criteria", []) if item.get("own", True)]


@dataclass
class EvidenceExport:
    path: Path
    files: int = 0
    bytes: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path on disk, why it was left out)
    # (path on disk, its problem) of files packed with a problem the unit may still mend (copy a picture again)
    problems: list[tuple[str, str]] = field(default_factory=list)


def export_evidence_package(archive: Archive, out_zip: str | Path, progress: Progress | None = None,
                            cancel: CancelCheck | None = None, created: str | None = None) -> EvidenceExport:
    """Scan, then write every indexed evidence file with a manifest (code, path, size, SHA-256 and the clerk's typed
    file information per file: departments.package_meta).

    Files are streamed into the zip and hashed on the way, so the manifest describes exactly the bytes sent.
    """
    if not is_unit_archive(archive):
        raise UserError(f"{archive.path} 不是单位档案（由任务包打开的档案），无法导出证明材料包")
    target = check_target(out_zip, ".zip")
    job = ProgressReporter(progress, cancel)
    scan(archive, lambda f, m: job.report(0.3 * f, m), cancel)
    with archive.snapshot() as view:  # the files, their folders and the unit as one state of the archive
        entries, skipped, folders = collect_entries(view)
        skipped += [(path, STRAY_REASON) for path in stray_files(view, skip=(str(target),))]
        typed = typed_by_path(view)  # what the clerk typed (题名, 事由…): the office's scan reads the rest again
        unit, title, fingerprint = view.meta("unit"), view.title, _fingerprint(view)
    created = created or now()
    result = EvidenceExport(target, skipped=skipped)
    files = []
    total = max(1, sum(e.size for e in entries))
    with atomic_output(target) as temp, PackageWriter(temp, zip_time(created)) as package:
        for entry in entries:
            job.report(0.3 + 0.7 * result.bytes / total, f"正在打包 {entry.name}")
            try:
                handle = open(entry.source, "rb")  # noqa: SIM115 (closed below; only opening may be skipped)
            except OSError as exc:
                result.skipped.append((entry.source, f"无法读取（{exc.strerror or exc}）"))
                continue
            with handle:
                mtime = os.fstat(handle.fileno()).st_mtime
                try:
                    size, sha = package.add_stream(entry.name, handle, local_zip_time(mtime), job.check)
                except OSError as exc:
                    raise UserError(f"读取 {entry.source} 时出错（{exc.strerror or exc}），材料包未生成") from exc
            files.append({"code": entry.code, "path": entry.name, "size": size, "sha256": sha,
                          "modified": _local(mtime), "meta": typed.get(entry.source, {})})
            result.files += 1
            result.bytes += size
            if entry.problem:
                result.problems.append((entry.source, entry.problem))
        package.add_bytes(manifest.MANIFEST, manifest.dump({
            "kind": manifest.EVIDENCE_KIND, "version": manifest.VERSION, "unit": unit,
            "archive_title": title, "created": created,
            "criteria": [{"code": c, "title": t, "folder": f} for c, t, f in folders], "files": files,
            **fingerprint}))
    job.progress(1.0, f"已导出 {result.files} 个文件")
    return result


def _fingerprint(archive: Archive) -> dict:
    """The office catalogue the task package was made from, passed back so the office can map revised codes."""
    task = json.loads(archive.meta("task_manifest") or "{}")
    return {FINGERPRINT: task[FINGERPRINT]} if task.get(FINGERPRINT) else {}


def _local(mtime: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(mtime).strftime("%Y-%m-%d %H:%M:%S")
