"""Read a criteria catalogue from any supported file: Excel, Word, CSV, or the project's own YAML/JSON.

Every failure to read a file, whatever the library underneath raised, reaches the caller as a CatalogueError
with a Chinese message naming the file (and the sheet and row where that is known).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from criteria.errors import import_error
from criteria.model import Catalogue

SUPPORTED = (".xlsx", ".xlsm", ".docx", ".csv", ".yaml", ".yml", ".json")
# Old binary Office formats: neither openpyxl nor python-docx reads them; the user can re-save in seconds.
_RESAVE = {".xls": "Excel 中另存为 .xlsx", ".et": "WPS 表格中另存为 .xlsx", ".doc": "Word 中另存为 .docx",
           ".wps": "WPS 文字中另存为 .docx"}


def load_catalogue(path: str | os.PathLike) -> Catalogue:
    """The catalogue in `path`, chosen by its extension; CatalogueError when it cannot be read as one."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _RESAVE:
        raise import_error(path.name, f"不支持旧的 {suffix} 格式，请在{_RESAVE[suffix]}后再导入")
    reader = _reader(suffix)
    if reader is None:
        raise import_error(path.name, "不支持这种文件类型，可导入的类型：" + "、".join(SUPPORTED))
    if not path.is_file():
        raise import_error(path.name, "文件不存在")
    try:
        return reader(path)
    except PermissionError as exc:
        raise import_error(path.name, "没有权限读取文件，它可能正被其他程序打开") from exc
    except OSError as exc:
        raise import_error(path.name, f"读取文件失败（{exc.strerror or exc}）") from exc


def _reader(suffix: str) -> Callable[[Path], Catalogue] | None:
    # Imported here so that reading a YAML file does not load openpyxl and python-docx.
    if suffix in (".xlsx", ".xlsm"):
        from criteria.importers import excel
        return _tabular(excel.read_grids, follow_tables=False)
    if suffix == ".docx":
        from criteria.importers import word
        return _tabular(word.read_grids, follow_tables=True)
    if suffix == ".csv":
        from criteria.importers import csvtext
        return _tabular(csvtext.read_grids, follow_tables=False)
    if suffix in (".yaml", ".yml"):
        from criteria.yamlio import load_yaml
        return load_yaml
    if suffix == ".json":
        from criteria.yamlio import load_json
        return load_json
    return None


def _tabular(read_grids: Callable, *, follow_tables: bool) -> Callable[[Path], Catalogue]:
    from criteria.importers.table import catalogue_from_grids

    def read(path: Path) -> Catalogue:
        return catalogue_from_grids(read_grids(path), path.name, follow_tables=follow_tables)
    return read


__all__ = ["SUPPORTED", "load_catalogue"]
