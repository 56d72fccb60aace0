"""Read a criteria catalogue from any supported file: Excel, Word, CSV, or the project's own YAML/JSON.

`plan_import` reads a file into an ImportPlan (columns, skipped rows, tree, warnings) and writes nothing;
`load_catalogue` is its catalogue. Every failure to read a file, whatever the library underneath raised, reaches the
caller as a CatalogueError with a Chinese message naming the file (and the sheet and row where that is known).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from criteria.errors import import_error
from criteria.importers.plan import ImportPlan
from criteria.importers.sniff import NO_TABLE, SHEETS, WEB, true_suffix
from criteria.model import Catalogue, CatalogueError

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".docx", ".csv", ".yaml", ".yml", ".json", ".doc", ".wps", ".et", ".odt",
             ".ods", ".uot", ".uos")
# Old or WPS binary formats, OpenDocument, and UOF (GB/T 20916, written by office suites of 信创 machines): converted
# by LibreOffice where it is installed (office.py).
CONVERTED = {".doc": ".docx", ".wps": ".docx", ".et": ".xlsx", ".odt": ".docx", ".ods": ".xlsx", ".uot": ".docx",
             ".uos": ".xlsx"}
# How provinces also publish the 评价细则: as laid out for print, not as a table.
LAID_OUT = {".pdf": "PDF ", ".ofd": "OFD 版式文件", ".jpg": "图片", ".jpeg": "图片", ".png": "图片"}


def plan_import(path: str | os.PathLike, mapping: dict[str, str] | None = None) -> ImportPlan:
    """The import plan of the file at `path`, read as what its content is (sniff.py) where its extension says
    otherwise; CatalogueError when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in LAID_OUT:
        raise import_error(path.name, f"{LAID_OUT[suffix]}是排版后的文件，其中的表格无法可靠读取：请向下发单位索要 "
                                      "Word 或 Excel 原件；或在 WPS、Word 中把它转换为 Word 文档，核对表格后再导入")
    if suffix not in SUPPORTED:
        raise import_error(path.name, "不支持这种文件类型，可导入的类型：" + "、".join(SUPPORTED))
    if not path.is_file():
        raise import_error(path.name, "文件不存在")
    try:
        holds = true_suffix(path, suffix)
        if holds == NO_TABLE:
            raise import_error(path.name, f"这个文件实际是网页（HTML），不是 {suffix} 文件，其中也没有表格（可能是下载"
                                          "失败时网站返回的登录或出错页面）：请重新下载或向下发单位索要原件")
        if holds == WEB or holds in CONVERTED:
            from criteria.importers.office import converted_copy

            target = CONVERTED.get(holds) or (".xlsx" if suffix in SHEETS else ".docx")
            with converted_copy(path, target, holds=None if holds == WEB else holds, web=holds == WEB) as copy:
                return _plan(copy, target, mapping, path.name)
        return _plan(path, holds, mapping, path.name)
    except PermissionError as exc:
        raise import_error(path.name, "没有权限读取文件，它可能正被其他程序打开") from exc
    except OSError as exc:
        raise import_error(path.name, f"读取文件失败（{exc.strerror or exc}）") from exc


def load_catalogue(path: str | os.PathLike, mapping: dict[str, str] | None = None) -> Catalogue:
    """The catalogue in `path`; CatalogueError when it cannot be read as one."""
    return plan_import(path, mapping).catalogue


def _plan(path: Path, suffix: str, mapping: dict[str, str] | None, name: str) -> ImportPlan:
    if suffix in (".yaml", ".yml", ".json"):
        from criteria.yamlio import load_json, load_yaml

        catalogue = (load_json if suffix == ".json" else load_yaml)(path)
        return ImportPlan(name, catalogue, parts=[])
    from criteria.importers.document import plan_from_grids

    grids = _grid_reader(suffix)(path)
    for grid in grids:
        grid.file_name = name  # a converted copy keeps the name the clerk chose in every message
    plan = plan_from_grids(grids, name, mapping, exact_width=suffix == ".docx")
    plan.catalogue.source = name
    try:
        plan.catalogue.validate()
    except CatalogueError as exc:
        raise import_error(name, str(exc)) from exc
    return plan


def _grid_reader(suffix: str) -> Callable:
    # Imported here so that reading a YAML file does not load openpyxl and python-docx.
    if suffix in (".xlsx", ".xlsm"):
        from criteria.importers import excel
        return excel.read_grids
    if suffix == ".xls":
        from criteria.importers import xls
        return xls.read_grids
    if suffix == ".docx":
        from criteria.importers import word
        return word.read_grids
    from criteria.importers import csvtext
    return csvtext.read_grids


__all__ = ["CONVERTED", "SUPPORTED", "ImportPlan", "load_catalogue", "plan_import"]
