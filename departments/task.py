"""Task packages (.zip) from the office to each unit: its criteria, an empty folder per criterion, the instruction
page and a manifest.

    任务清单.docx
    manifest.json
    2 防范风险隐患/                               (context: an ancestor of the unit's items)
    2 防范风险隐患/2.1 农药兽药残留治理提升行动/    (the unit's own item: files go here)

Every entry is stamped with the package's creation time, so the same catalogue and time give the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from archive.catalogue import load_catalogue
from archive.db import Archive, now
from archive.linkset import LinkSet
from archive.revision_log import FINGERPRINT
from archive.units import assigned_units, check_unit, list_units
from common.atomic import atomic_output, check_folder, check_target
from common.errors import UserError
from common.names import folder_name, safe_component
from common.progress import CancelCheck, Progress, ProgressReporter
from common.ziputil import zip_time
from criteria.revision import catalogue_fingerprint
from departments import manifest
from departments.units import UnitItem, deadlines, unit_component, unit_items
from departments.zipwrite import PackageWriter

SHORT_FOLDER = 30  # characters per folder name when the nested path would grow too long for Windows
NESTED_LIMIT = 150  # characters of a nested folder path inside the package, leaving room for where it is unpacked


def package_name(unit: str) -> str:
    return f"{unit_component(unit)}-任务包.zip"


def item_folders(items: list[UnitItem]) -> dict[str, str]:
    """code -> folder path inside the package, nested under the folders of its ancestors."""
    folders: dict[str, str] = {}
    for item in items:
        crit = item.criterion
        base = folders.get(crit.parent, "") if crit.parent else ""
        path = f"{base}/{folder_name(crit.code, crit.title)}".lstrip("/")
        if len(path) > NESTED_LIMIT:
            path = f"{base}/{safe_component(f'{crit.code} {crit.title}', SHORT_FOLDER)}".lstrip("/")
        folders[crit.code] = path
    return folders


def task_manifest(unit: str, archive_title: str, created: str, items: list[UnitItem],
                  folders: dict[str, str]) -> dict:
    criteria = []
    for item in items:
        crit = item.criterion
        criteria.append({
            "code": crit.code, "label": crit.label, "title": crit.title, "parent": crit.parent, "level": crit.level,
            "points": crit.points, "method": crit.method, "kind": crit.kind, "units": crit.units,
            "role": item.role, "own": item.own, "rule": crit.rule, "evidence": crit.evidence, "due": item.due,
            "folder": folders[crit.code]})
    return {"kind": manifest.TASK_KIND, "version": manifest.VERSION, "unit": unit, "archive_title": archive_title,
            "created": created, "documents": [manifest.INSTRUCTIONS], "criteria": criteria}


def _restamp(docx: bytes, date_time: tuple) -> bytes:
    """python-docx stamps its parts with the current time: give them the package's time instead."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item))
    return out.getvalue()


def write_task_package(archive: Archive, unit: str, out_zip: str | Path, created: str | None = None) -> Path:
    """One unit's task package at `out_zip` (written beside it, then renamed into place)."""
    from departments.instructions import build_instructions  # python-docx: loaded only when needed

    target = check_target(out_zip, ".zip")
    with archive.snapshot() as view:  # catalogue, units and deadlines as one state of the archive
        catalogue = load_catalogue(view)
        units = assigned_units(view, catalogue)
        unit = check_unit(catalogue, unit, units)
        items = unit_items(catalogue, unit, deadlines(view), units)
        title = view.title
    created = created or now()
    folders = item_folders(items)
    stamp = zip_time(created)
    docx = _restamp(build_instructions(unit, title, created, items, folders), stamp)
    with atomic_output(target) as temp, PackageWriter(temp, stamp) as package:
        package.add_bytes(manifest.INSTRUCTIONS, docx)
        data = task_manifest(unit, title, created, items, folders)
        data[FINGERPRINT] = catalogue_fingerprint(catalogue.criteria)  # comes back with the evidence package
        package.add_bytes(manifest.MANIFEST, manifest.dump(data))
        for item in items:
            package.add_dir(folders[item.criterion.code])
    return target


def write_task_packages(archive: Archive, units: list[str] | None, out_dir: str | Path,
                        progress: Progress | None = None, cancel: CancelCheck | None = None,
                        created: str | None = None) -> list[Path]:
    """A package per unit (all units when `units` is None) into `out_dir`, named "<单位>-任务包.zip"."""
    folder = Path(out_dir).expanduser().absolute()
    check_folder(folder)  # a missing folder is made with the first package
    links = LinkSet.load(archive.conn)
    if links.covers(str(folder)) or links.covers(os.path.join(str(folder), "x")):  # evidence is read-only to us
        raise UserError(f"不能把任务包保存在关联的证明材料文件夹中，请另选位置：{folder}")
    with archive.snapshot() as view:  # every unit's package from the same state of the archive
        return _write_task_packages(view, units, folder, ProgressReporter(progress, cancel), created or now())


def _write_task_packages(archive: Archive, units: list[str] | None, folder: Path, job: ProgressReporter,
                         created: str) -> list[Path]:
    catalogue = load_catalogue(archive)
    assigned = assigned_units(archive, catalogue)
    if units is None:
        units = list_units(catalogue, assigned)
        if not units:
            check_unit(catalogue, "", assigned)  # raises the explanation
    units = [check_unit(catalogue, unit, assigned) for unit in units]
    written = []
    for done, unit in enumerate(units):
        job.report(done / len(units), f"正在生成 {unit} 的任务包")
        written.append(write_task_package(archive, unit, folder / package_name(unit), created))
    job.progress(1.0, f"已生成 {len(written)} 个任务包")
    return written
