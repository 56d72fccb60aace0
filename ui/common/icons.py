"""State icons and the app icon, drawn with QPainter: crisp at any DPI, no image files to ship or lose.

`python -m ui.common.icons` writes ui/resources/app.png and app.ico from the same drawing, for the Windows build.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

RESOURCES = Path(__file__).resolve().parent.parent / "resources"  # ui/resources, beside ui/common
STATE_COLORS = {
    "missing": "#c62828",  # red: nothing there yet
    "collected": "#1565c0",  # blue: evidence present, nobody has signed it off
    "confirmed": "#2e7d32",  # green: checked and unchanged since
    "changed": "#ef6c00",  # orange: confirmed, then something changed
    "unreachable": "#616161",  # grey: a linked folder cannot be reached
}
SIZES = (16, 20, 24, 32, 48)


def state_color(state: str) -> QColor:
    return QColor(STATE_COLORS.get(state, "#616161"))


def _draw_state(painter: QPainter, state: str, size: int) -> None:
    color = state_color(state)
    rect = QRectF(1, 1, size - 2, size - 2)
    painter.setPen(Qt.PenStyle.NoPen)
    if state == "missing":  # a hollow ring reads as "empty"
        painter.setPen(QPen(color, max(1.5, size / 8)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect.adjusted(size / 16, size / 16, -size / 16, -size / 16))
        return
    painter.setBrush(QBrush(color))
    painter.drawEllipse(rect)
    pen = QPen(QColor("white"), max(1.5, size / 8), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    s = size
    if state == "confirmed":
        painter.drawPolyline([QPointF(s * 0.28, s * 0.52), QPointF(s * 0.44, s * 0.68), QPointF(s * 0.72, s * 0.34)])
    elif state == "changed":
        painter.drawLine(QPointF(s / 2, s * 0.26), QPointF(s / 2, s * 0.56))
        painter.drawPoint(QPointF(s / 2, s * 0.74))
    elif state == "unreachable":
        painter.drawLine(QPointF(s * 0.32, s * 0.32), QPointF(s * 0.68, s * 0.68))
        painter.drawLine(QPointF(s * 0.68, s * 0.32), QPointF(s * 0.32, s * 0.68))
    else:  # collected: a filled dot
        painter.setBrush(QBrush(QColor("white")))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(s / 2, s / 2), s * 0.16, s * 0.16)


def _pixmap(draw, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(painter, size)
    painter.end()
    return pixmap


@cache
def state_icon(state: str) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(_pixmap(lambda p, s: _draw_state(p, state, s), size))
    return icon


def _draw_app(painter: QPainter, size: int) -> None:
    """A document with a folded corner and a green check: "the evidence is ready"."""
    s = size
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor("#1565c0")))
    painter.drawRoundedRect(QRectF(0, 0, s, s), s * 0.18, s * 0.18)
    page = QPainterPath()
    page.moveTo(s * 0.26, s * 0.16)
    page.lineTo(s * 0.60, s * 0.16)
    page.lineTo(s * 0.76, s * 0.32)
    page.lineTo(s * 0.76, s * 0.84)
    page.lineTo(s * 0.26, s * 0.84)
    page.closeSubpath()
    painter.setBrush(QBrush(QColor("white")))
    painter.drawPath(page)
    painter.setBrush(QBrush(QColor("#bbdefb")))
    fold = QPainterPath()
    fold.moveTo(s * 0.60, s * 0.16)
    fold.lineTo(s * 0.60, s * 0.32)
    fold.lineTo(s * 0.76, s * 0.32)
    fold.closeSubpath()
    painter.drawPath(fold)
    line_pen = QPen(QColor("#90a4ae"), max(1.0, s * 0.035))
    painter.setPen(line_pen)
    for y in (0.36, 0.46):
        painter.drawLine(QPointF(s * 0.34, s * y), QPointF(s * 0.54, s * y))
    check = QPen(QColor("#2e7d32"), max(2.0, s * 0.08), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                 Qt.PenJoinStyle.RoundJoin)
    painter.setPen(check)
    painter.drawPolyline([QPointF(s * 0.36, s * 0.62), QPointF(s * 0.47, s * 0.73), QPointF(s * 0.68, s * 0.50)])


def app_pixmap(size: int) -> QPixmap:
    return _pixmap(_draw_app, size)


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    for size in (*SIZES, 64, 128, 256):
        icon.addPixmap(app_pixmap(size))
    return icon


def write_resources(folder: Path = RESOURCES) -> None:
    """The PNG for Linux/docs and the multi-size ICO the Windows build embeds (Pillow packs the sizes)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    png = folder / "app.png"
    app_pixmap(256).save(str(png), "PNG")
    with Image.open(png) as image:
        image.save(folder / "app.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])


if __name__ == "__main__":
    from PySide6.QtGui import QGuiApplication

    application = QGuiApplication(sys.argv)
    write_resources()
    print(f"已写入 {RESOURCES / 'app.png'} 和 {RESOURCES / 'app.ico'}")
