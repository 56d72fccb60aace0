"""Plain-text formatting every floor shows the same way: sizes, points and dates (the window, the CLI, the dossier,
the reports)."""

from __future__ import annotations


def format_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def format_points(points: float | None) -> str:
    """Points as a clerk writes them: 5, 2.5, 0.25 (no trailing zeros); "" when there are none."""
    return "" if points is None else f"{points:g}"


def chinese_date(stamp: str) -> str:
    """'2024-05-01 10:00:00' -> '2024年5月1日'."""
    year, month, day = stamp[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"
