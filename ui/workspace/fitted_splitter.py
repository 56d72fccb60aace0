"""A vertical splitter whose upper pane takes the height its text needs, and the lower pane (a table) the rest.

A wrapped label's minimum size assumes a narrower width than it gets, which left an empty band above the evidence
table that no drag could take back. Here the upper pane's minimum is the height its layout needs at the width it
really has, fitted again whenever its content or width changes (`refit`), and its size follows until the clerk
drags the handle or a place the clerk chose before is restored: that place is then kept.

"Content" includes what changes under the pane without a new criterion: a folder linked or unlinked grows or
shrinks the list of links while the width stays, and a pane fitted before took the room from the wrapped text
above it (评分标准 cut to one line of two). The pane's layout asks for a new layout then (LayoutRequest): that too
fits it again.
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
        self._fit_pending = False
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
        if not self._fit_pending:  # many requests in one turn of the event loop: one fit
            self._fit_pending = True
            # once laid out: sizes set before are rescaled. The splitter as context: a fit asked for just before
            # the workspace is deleted (closing the archive lays it out once more) is dropped with it, not run on
            # a deleted splitter
            QTimer.singleShot(0, self, self._fit)

    def _fit(self) -> None:
        try:
            self._fit_now()
        finally:
            self._fit_pending = False  # what the fit itself made the layouts ask is fitted already

    def _fit_now(self) -> None:
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
        if watched is self.widget(0):
            kind = event.type()
            if kind == QEvent.Type.Resize and event.size().width() != self.fitted_width:
                self.refit()  # narrower, the text needs more lines; wider, fewer
            elif kind == QEvent.Type.LayoutRequest:
                self.refit()  # its content changed: a link more or less, a text shown or hidden
        return super().eventFilter(watched, event)
