"""A table whose first column stays at the left while the others scroll, as Excel's 冻结首列 does.

Qt's "Frozen Column" pattern: a second QTableView, a child of the table laid over its first column, shows the same
model through the same selection model with every other column hidden. It takes the column's width and the rows'
heights, scrolls up and down with the table (both ways), and sits right over the column as the table is resized or
the column is. The table scrolls sideways by the pixel (by the column, whole columns would pass under the frozen one
unseen) and never scrolls a cell under the frozen column: moving to the name keeps the sideways position, moving to
a cell partly under it scrolls it out.

The frozen part does what the table does: its clicks select (one selection model), its header sorts and shows the
sort indicator, its clicks and double clicks are the table's signals (whatever is connected to them runs), a right
click there opens the table's own context menu, and its focus is the table's (it takes no Tab stop).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QContextMenuEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

FROZEN = 0  # the column that stays
EnsureVisible = QAbstractItemView.ScrollHint.EnsureVisible


class FrozenColumnTable(QTableView):
    """A QTableView with its first column frozen at the left; use it as one (setModel, the headers, the signals)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.frozen = _FrozenView(self)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(self.frozen)
        header = self.horizontalHeader()
        header.sectionResized.connect(self._column_resized)
        header.sortIndicatorChanged.connect(self.frozen.show_sort)
        header.geometriesChanged.connect(self._place_frozen)
        self.verticalHeader().sectionResized.connect(lambda row, _old, new: self.frozen.setRowHeight(row, new))
        bar, frozen_bar = self.verticalScrollBar(), self.frozen.verticalScrollBar()
        bar.valueChanged.connect(frozen_bar.setValue)
        bar.rangeChanged.connect(lambda *_: frozen_bar.setValue(bar.value()))
        frozen_bar.valueChanged.connect(self._frozen_scrolled)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            for signal in (model.modelReset, model.columnsInserted, model.layoutChanged):
                signal.connect(self._sync)
        self._sync()

    # -- keeping the frozen part over the first column ----------------------------------------------------------
    def _sync(self, *_args) -> None:
        self.frozen.follow(self)
        self._place_frozen()

    def _place_frozen(self) -> None:
        viewport = self.viewport().geometry()
        header = self.horizontalHeader()
        top = header.geometry().top() if not header.isHidden() else viewport.top()
        width = min(self.columnWidth(FROZEN), viewport.width())
        self.frozen.horizontalHeader().setFixedHeight(header.height())
        self.frozen.setGeometry(viewport.left(), top, width, viewport.bottom() + 1 - top)
        self.frozen.raise_()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == FROZEN:
            self.frozen.setColumnWidth(FROZEN, new)
            self._place_frozen()

    def _frozen_scrolled(self, value: int) -> None:
        # from the frozen part (a click on a row half shown): not while its range is still catching up with ours
        if self.frozen.verticalScrollBar().maximum() == self.verticalScrollBar().maximum():
            self.verticalScrollBar().setValue(value)

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._sync()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_frozen()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.frozen.viewport().update()  # the frozen part draws the current cell's focus as the table does

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.frozen.viewport().update()

    # -- never a cell under the frozen column ----------------------------------------------------------------
    def edit(self, index: QModelIndex, *how) -> bool:
        """A cell edited in place comes whole into view: Qt does not scroll to a cell clicked at the table's edge
        (so a 题名 was typed into its last few characters' width)."""
        editing = super().edit(index, *how)
        if editing is not False and index.isValid():
            self.scrollTo(index)
        return editing

    def scrollTo(self, index: QModelIndex, hint: QAbstractItemView.ScrollHint = EnsureVisible) -> None:
        bar = self.horizontalScrollBar()
        sideways = bar.value()
        super().scrollTo(index, hint)
        if index.column() == FROZEN:  # its row comes into view; the columns stay where the clerk scrolled them
            bar.setValue(sideways)
            return
        hidden = self.columnWidth(FROZEN) - self.visualRect(index).left()
        if index.isValid() and hidden > 0:
            bar.setValue(bar.value() - hidden)


class _FrozenView(QTableView):
    """The first column laid over the table; everything it is asked to do is the table's."""

    def __init__(self, table: FrozenColumnTable):
        super().__init__(table)
        self.table = table
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click gives the table the focus (proxy); Tab skips it
        self.setFocusProxy(table)
        self.verticalHeader().hide()
        self.setHorizontalHeader(_FrozenHeader(table.horizontalHeader(), self))
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().sortIndicatorChanged.connect(self._sorted_here)
        self.horizontalHeader().sectionResized.connect(self._resized_here)
        for name in ("pressed", "clicked", "doubleClicked", "activated"):
            getattr(self, name).connect(getattr(table, name))

    def follow(self, table: QTableView) -> None:
        """Take the table's look and behaviour (set on it at any time) and show its first column only."""
        model = self.model()
        for column in range(model.columnCount() if model is not None else 0):
            if self.isColumnHidden(column) != (column != FROZEN):
                self.setColumnHidden(column, column != FROZEN)
        if self.columnWidth(FROZEN) != table.columnWidth(FROZEN):
            self.setColumnWidth(FROZEN, table.columnWidth(FROZEN))
        for getter, setter in (("alternatingRowColors", "setAlternatingRowColors"), ("showGrid", "setShowGrid"),
                               ("gridStyle", "setGridStyle"), ("wordWrap", "setWordWrap"),
                               ("textElideMode", "setTextElideMode"), ("iconSize", "setIconSize"),
                               ("selectionBehavior", "setSelectionBehavior"), ("selectionMode", "setSelectionMode"),
                               ("verticalScrollMode", "setVerticalScrollMode")):
            if getattr(self, getter)() != getattr(table, getter)():
                getattr(self, setter)(getattr(table, getter)())
        self._follow_headers(table)

    def _follow_headers(self, table: QTableView) -> None:
        rows, own_rows = table.verticalHeader(), self.verticalHeader()
        if own_rows.defaultSectionSize() != rows.defaultSectionSize():
            own_rows.setDefaultSectionSize(rows.defaultSectionSize())
        header, own = table.horizontalHeader(), self.horizontalHeader()
        own.setVisible(not header.isHidden())
        own.setSectionsClickable(header.sectionsClickable())
        own.setSortIndicatorShown(header.isSortIndicatorShown())
        own.setHighlightSections(header.highlightSections())  # the names in bold while a row is selected
        own.setDefaultAlignment(header.defaultAlignment())
        self.show_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        mode = header.sectionResizeMode(FROZEN) if header.count() else QHeaderView.ResizeMode.Fixed
        # the clerk widens the name from either header when the table lets her; a stretched one it sizes itself
        wanted = mode if mode == QHeaderView.ResizeMode.Interactive else QHeaderView.ResizeMode.Fixed
        if own.count() and own.sectionResizeMode(FROZEN) != wanted:
            own.setSectionResizeMode(FROZEN, wanted)

    def show_sort(self, column: int, order: Qt.SortOrder) -> None:
        header = self.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.setSortIndicator(column, order)

    def _sorted_here(self, column: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        if self.table.isSortingEnabled() and (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (
                column, order):
            self.table.sortByColumn(column, order)

    def _resized_here(self, column: int, _old: int, new: int) -> None:
        if column == FROZEN and self.table.columnWidth(FROZEN) != new:
            self.table.setColumnWidth(FROZEN, new)

    # -- the table's menu and wheel --------------------------------------------------------------------------
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        viewport = self.table.viewport()
        at = viewport.mapFromGlobal(event.globalPos())
        QApplication.sendEvent(viewport, QContextMenuEvent(event.reason(), at, event.globalPos(), event.modifiers()))

    def wheelEvent(self, event: QWheelEvent) -> None:
        QApplication.sendEvent(self.table.viewport(), event)


class _FrozenHeader(QHeaderView):
    """The frozen part's header: its one section drawn as the first of the table's (the style draws the line
    between two sections at the first one's right edge, and none after an only section)."""

    def __init__(self, table_header: QHeaderView, parent: QWidget):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.table_header = table_header

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logical_index: int) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        shown = self.table_header.count() - self.table_header.hiddenSectionCount()
        if shown > 1 and option.position == QStyleOptionHeader.SectionPosition.OnlyOneSection:
            option.position = QStyleOptionHeader.SectionPosition.Beginning
