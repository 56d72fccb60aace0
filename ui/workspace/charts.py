"""Horizontal stacked bars drawn with QPainter (QtCharts is not part of PySide6-Essentials).

Each bar splits a group of criteria by state, in the state colours used everywhere else, with "done/total" at the
end. `BarChart.set_bars` repaints; the widget's height follows the number of bars.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from archive.status import STATE_NAMES
from ui.common.icons import state_color

SEGMENTS = ("confirmed", "changed", "collected", "unreachable", "missing")  # left to right: done first


@dataclass
class Bar:
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def with_evidence(self) -> int:
        return self.total - self.counts.get("missing", 0)

    @property
    def confirmed(self) -> int:
        return self.counts.get("confirmed", 0)

    def add(self, state: str) -> None:
        self.counts[state] = self.counts.get(state, 0) + 1


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None, row_height: int = 24, legend: bool = True):
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.row_height = row_height
        self.legend = legend
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = bars
        self.setToolTip("\n".join(f"{b.label}：" + "，".join(f"{STATE_NAMES[s]} {b.counts.get(s, 0)}"
                                                           for s in SEGMENTS if b.counts.get(s)) for b in bars))
        self.updateGeometry()
        self.update()

    def _legend_height(self) -> int:
        return self.fontMetrics().height() + 10 if self.legend else 0

    def sizeHint(self) -> QSize:
        return QSize(400, self._legend_height() + self.row_height * max(1, len(self.bars)) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        top = self._legend_height()
        if self.legend:
            self._paint_legend(painter)
        label_width = min(max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0) + 12,
                          int(self.width() * 0.4))
        count_width = metrics.horizontalAdvance("0000/0000") + 8
        bar_width = max(20, self.width() - label_width - count_width - 4)
        for row, bar in enumerate(self.bars):
            y = top + row * self.row_height
            text_rect = QRectF(0, y, label_width - 8, self.row_height)
            painter.setPen(self.palette().windowText().color())
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
            self._paint_bar(painter, QRectF(label_width, y + 4, bar_width, self.row_height - 8), bar)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(label_width + bar_width + 6, y, count_width, self.row_height),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             f"{bar.with_evidence}/{bar.total}")
        painter.end()

    def _paint_bar(self, painter: QPainter, rect: QRectF, bar: Bar) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eeeeee"))
        painter.drawRoundedRect(rect, 3, 3)
        if not bar.total:
            return
        x = rect.left()
        for state in SEGMENTS:
            count = bar.counts.get(state, 0)
            if count:
                width = rect.width() * count / bar.total
                painter.setBrush(state_color(state))
                painter.drawRect(QRectF(x, rect.top(), width, rect.height()))
                x += width

    def _paint_legend(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        x, height = 0, metrics.height()
        for state in SEGMENTS:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(state_color(state))
            painter.drawRect(QRectF(x, 3 + height * 0.2, height * 0.6, height * 0.6))
            painter.setPen(self.palette().windowText().color())
            text = STATE_NAMES[state]
            painter.drawText(QRectF(x + height * 0.8, 3, metrics.horizontalAdvance(text) + 4, height),
                             Qt.AlignmentFlag.AlignVCenter, text)
            x += height * 0.8 + metrics.horizontalAdvance(text) + 16
