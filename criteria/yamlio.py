"""The project's own catalogue format: Catalogue.to_dict() as YAML (or JSON), read back exactly.

Files may be hand-edited by a clerk, so loading checks every field and says in Chinese which item is wrong.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path

import yaml

from criteria.duedates import parse_table_due
from criteria.errors import import_error
from criteria.model import Catalogue, CatalogueError, Criterion

_TEXT_FIELDS = ("code", "title", "label", "method", "rule", "evidence", "kind", "note")
_FIELD_NAMES = {"code": "编号", "title": "名称", "label": "原编号", "method": "测评方式", "rule": "评价细则",
                "evidence": "佐证材料", "kind": "类别", "note": "备注", "parent": "上级编号", "level": "层级",
                "points": "分值", "units": "责任单位", "due": "完成时限"}


class _Dumper(yaml.SafeDumper):
    """SafeDumper that keeps every string exact.

    With allow_unicode, PyYAML writes NEL, LS, PS and BOM characters raw in plain or single-quoted scalars, and the
    loader then reads them as line breaks or drops them. Double quotes make the emitter escape them.
    """


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(ch in _RAW_UNSAFE for ch in text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_RAW_UNSAFE = frozenset("\x85\u2028\u2029\ufeff")
_Dumper.add_representer(str, _represent_str)


def save_yaml(catalogue: Catalogue, path: str | os.PathLike) -> Path:
    """Write the catalogue; a crash mid-write leaves the previous file intact (temp file, then os.replace)."""
    path = Path(path)
    text = yaml.dump(catalogue.to_dict(), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return path


def load_yaml(path: str | os.PathLike) -> Catalogue:
    path = Path(path)
    try:
        data = yaml.safe_load(_read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行附近" if mark is not None else ""
        raise import_error(path.name, f"YAML 格式错误{where}，请检查缩进和引号") from exc
    return catalogue_from_data(data, path.name)


def load_json(path: str | os.PathLike) -> Catalogue:
    path = Path(path)
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise import_error(path.name, f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）") from exc
    return catalogue_from_data(data, path.name)


def catalogue_from_data(data: object, file_name: str) -> Catalogue:
    """A Catalogue from parsed YAML/JSON, checked field by field, or CatalogueError naming the item."""
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), list):
        raise import_error(file_name, "不是迎检通的评价项目目录文件（缺少 criteria 列表）")
    for key in ("title", "source", "note"):
        if not isinstance(data.get(key, ""), str):
            raise import_error(file_name, f"目录的“{key}”应为文字")
    criteria = [_criterion(entry, number, file_name) for number, entry in enumerate(data["criteria"], start=1)]
    catalogue = Catalogue(title=data.get("title", ""), criteria=criteria, source=data.get("source", ""),
                          note=data.get("note", ""))
    try:
        catalogue.validate()
    except CatalogueError as exc:
        raise import_error(file_name, str(exc)) from exc
    return catalogue


def _criterion(entry: object, number: int, file_name: str) -> Criterion:
    if not isinstance(entry, dict):
        raise import_error(file_name, f"第 {number} 个评价项目格式不正确")
    entry = dict(entry)
    # A hand-edited file may leave codes unquoted (code: 1); a whole number is unambiguous, a decimal is not.
    for key in ("code", "parent"):
        if isinstance(entry.get(key), int) and not isinstance(entry.get(key), bool):
            entry[key] = str(entry[key])
    bad = _bad_field(entry) or _due(entry)
    if bad:
        hint = "应为日期，如 2026-06-30" if bad == "due" else "编号、上级编号若含小数点请加引号"
        raise import_error(file_name, f"第 {number} 个评价项目的“{_FIELD_NAMES[bad]}”格式不正确（{hint}）")
    crit = Criterion.from_dict(entry)
    if crit.points is not None:
        crit.points = float(crit.points)
    return crit


def _due(entry: dict) -> str | None:
    """A 完成时限 as YAML reads it (due: 2026-06-30 is a date) or as written ("2026年6月底"), set as YYYY-MM-DD;
    "due" when it names no date."""
    value = entry.get("due") or ""
    if isinstance(value, datetime.date):
        entry["due"] = value.isoformat()[:10]
        return None
    found = parse_table_due(value) if isinstance(value, str) else None
    if found is None or found.problem:
        return "due"
    entry["due"] = found.date
    return None


def _bad_field(entry: dict) -> str | None:
    for key in _TEXT_FIELDS:
        if not isinstance(entry.get(key, ""), str):
            return key
    if "code" not in entry or "title" not in entry:
        return "code" if "code" not in entry else "title"
    if not isinstance(entry.get("parent"), str | None):
        return "parent"
    level = entry.get("level", 1)
    if not isinstance(level, int) or isinstance(level, bool):
        return "level"
    points = entry.get("points")
    if points is not None and (not isinstance(points, int | float) or isinstance(points, bool)):
        return "points"
    units = entry.get("units", [])
    if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
        return "units"
    return None


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise import_error(path.name, "文件不是 UTF-8 编码") from exc
