"""The self-evaluation data (ReportData) as JSON and back, for what must keep it as it was: a frozen stage
(stages/frozen_data.py) and the export log's evidence digest (exporters/exportlog.py).

The codec follows the dataclasses' own type hints, so a field added later with a default reads back from older
data. Left out: the date the data was read at (`generated`, `today`: the reader dates it), a sheet's `by_code`
(rebuilt from its items) and a status's `file_ids` (every file id under a criterion: read by no dossier, and most
of the data).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from functools import cache

from archive.status import CriterionStatus
from exporters.reports.data import ReportData
from selfeval.sheet import Sheet

LEFT_OUT = {Sheet: ("by_code",), CriterionStatus: ("file_ids",), ReportData: ("generated", "today")}


def encode(value):
    """A dataclass tree as JSON-ready data (dataclasses as objects, tuples and sets as lists, dates as text)."""
    if dataclasses.is_dataclass(value):
        skipped = LEFT_OUT.get(type(value), ())
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in skipped}
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(encode(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(hint, data):
    """`data` from encode() back into the type `hint` names."""
    if data is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return decode(next(arg for arg in args if arg is not type(None)), data)
    if origin is list:
        return [decode(args[0], item) for item in data]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in data)
        return tuple(decode(arg, item) for arg, item in zip(args, data, strict=True))
    if origin in (set, frozenset):
        return origin(decode(args[0], item) for item in data)
    if origin is dict:
        return {decode(args[0], key): decode(args[1], item) for key, item in data.items()}
    if dataclasses.is_dataclass(hint):
        return _dataclass(hint, data)
    if hint is date:
        return date.fromisoformat(data)
    if hint in (int, float) and isinstance(data, str):  # a dict key
        return hint(data)
    return data


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _dataclass(cls, data: dict):
    hints = _hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.init}
    values = {name: decode(hints[name], item) for name, item in data.items() if name in known}
    if cls is Sheet:
        values["by_code"] = {item.code: item for item in values["items"]}
    return cls(**values)


def report_from_json(stored: dict, generated: str) -> ReportData:
    """encode(ReportData) back, dated `generated` ("YYYY-MM-DD HH:MM:SS") as a dossier generated then."""
    return _dataclass(ReportData, {**stored, "generated": generated, "today": generated[:10]})
