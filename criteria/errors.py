"""The one message format for a source that cannot be imported: file, then sheet or table, then row."""

from __future__ import annotations

from criteria.model import CatalogueError


def import_error(file_name: str, reason: str, where: str = "", row: int | None = None) -> CatalogueError:
    """E.g. "无法导入“细则.xlsx”工作表“Sheet1”第 3 行：……"; `where` is "工作表“Sheet1”", "表格 2" or ""."""
    gap = " " if where[-1:].isdigit() else ""  # "表格 2 第 3 行", but "工作表“Sheet1”第 3 行"
    place = f"{where}{gap}第 {row} 行" if row is not None else where
    return CatalogueError(f"无法导入“{file_name}”{place}：{reason}")
