"""A vertical splitter whose upper pane takes the height its text needs, and the lower pane (a table) the rest.

A wrapped label's minimum size assumes a narrower width than it gets, which left an empty band above the evidence
table that no drag could take back. Here the upper pane's minimum is the height its layout needs at the width it
really has, fitted again whenever its content or width changes (`refit`), and its size follows until the clerk
drags the handle or a place the clerk chose before is restored: that place is then kept.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QSplitter, QWidget


class FittedSplitter(QSplitter):
    def __init__(self, upper: QWidget, lower: QWidget, name: str):
        super().__init__(Qt.Orientation.Vertical)
        self.setObjectName(name)
        self.addWidget(upper)
        self.addWidget(lower)
        self.setChildrenCollapsible(False)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.placed_by_clerk = False
        self.fitted_width = 0
        upper.installEventFilter(self)
        self.splitterMoved.connect(self._placed_by_clerk)  # a drag; setSizes does not emit it
        self.refit()

    def _placed_by_clerk(self, *_) -> None:
        self.placed_by_clerk = True

    def restore(self, state: QByteArray) -> None:
        """The place the clerk left the handle at last time: kept, never fitted again."""
        if self.restoreState(state):
            self.placed_by_clerk = True

    def saved_place(self) -> QByteArray | None:
        """What to remember: only a place the clerk chose; a fitted one is fitted again next time."""
        return self.saveState() if self.placed_by_clerk else None

    def refit(self, *_) -> None:
        QTimer.singleShot(0, self._fit)  # once laid out: sizes set before are rescaled

    def _fit(self) -> None:
        upper = self.widget(0)
        layout = upper.layout()
        width = upper.width()
        if layout is None or width <= 100:
            return
        self.fitted_width = width
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # new texts first: else the old heights
        # with wrapped labels shown, the height at this width; folded, nothing wraps and the minimum is exact
        wraps = layout.hasHeightForWidth()
        height = layout.totalHeightForWidth(width) if wraps else layout.totalMinimumSize().height()
        upper.setMinimumHeight(height)
        if not self.placed_by_clerk:
            self.setSizes([height, max(self.height() - height, 1)])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget(0) and event.type() == QEvent.Type.Resize \
                and event.size().width() != self.fitted_width:
            self.refit()  # narrower, the text needs more lines; wider, fewer
        return super().eventFilter(watched, event)
