"""Departments: task packages out to the units, evidence packages back to the office, both as plain .zip files.

Office side:
    list_units(load_catalogue(archive)) -> ["县农业农村局", ...]
    write_task_package(archive, unit, out_zip, created=None) -> Path
    write_task_packages(archive, units | None, out_dir, progress, cancel, created=None) -> [Path]
    import_evidence_package(archive, zip_path, root, progress, cancel, limits=Limits()) -> ImportReport
Unit side:
    open_task_package(zip_path, folder, archive_path=None, limits=Limits()) -> archive path
    is_unit_archive(archive) -> bool; own_codes(archive) -> the unit's own items (status: compute_status)
    export_evidence_package(unit_archive, out_zip, progress, cancel, created=None) -> EvidenceExport

Every reader of a package goes through departments.safezip (names, types and limits checked before anything is
written); every writer streams files and writes to a temp file renamed into place.
"""

from archive.units import list_units
from departments.importer import import_evidence_package
from departments.report import ChangedFile, ImportReport
from departments.safezip import Limits, UnsafePackage
from departments.task import package_name, write_task_package, write_task_packages
from departments.unit import EvidenceExport, export_evidence_package, is_unit_archive, open_task_package, own_codes
from departments.units import unit_items

__all__ = ["ChangedFile", "EvidenceExport", "ImportReport", "Limits", "UnsafePackage", "export_evidence_package",
           "import_evidence_package", "is_unit_archive", "list_units", "open_task_package", "own_codes", "package_name",
           "unit_items", "write_task_package", "write_task_packages"]
