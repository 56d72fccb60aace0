"""CSV criteria tables as a grid. Chinese offices save CSV from Excel in GBK, so that is tried after UTF-8."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from criteria.errors import import_error
from criteria.importers.grid import Cell, Grid, Row, clean_text, pad_rows

ENCODINGS = ("utf-8-sig", "gb18030")


def read_grids(path: Path) -> list[Grid]:
    text = _decode(path)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error as exc:
        raise import_error(path.name, f"不是有效的 CSV 文件（{exc}）") from exc
    rows = [Row(number, [Cell(clean_text(v)) for v in record]) for number, record in enumerate(records, start=1)]
    return [Grid(path.name, "", pad_rows(rows))]


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise import_error(path.name, "无法识别文件编码，请在 Excel 中另存为“CSV UTF-8”或 GBK 编码的 CSV")


def _dialect(text: str) -> type[csv.Dialect]:
    """Comma unless the first line clearly uses tabs or semicolons (Excel's "文本文件(制表符分隔)")."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0 or delimiter == ",":
        return csv.excel
    return csv.excel_tab if delimiter == "\t" else type("semicolon", (csv.excel,), {"delimiter": ";"})
