"""The left-hand side: filters (code or title, state, responsible unit) over the criteria tree.

The tree view accepts files and folders dragged from Explorer; the model turns a drop on a row into a link request.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from archive.exclusions import exclusions
from archive.status import STATE_NAMES, STATES
from ui.common.icons import state_icon
from ui.common.widgets import clear_on_escape
from ui.workspace.session import ArchiveSession
from ui.workspace.tree_model import CODE_ROLE, COLUMNS, KEPT_OUT_FILTER, PROBLEMS_FILTER, CriteriaFilter


class CriteriaPanel(QWidget):
    current_changed = Signal(object)  # code or None

    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.proxy = CriteriaFilter(self)
        self.proxy.setSourceModel(session.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("按编号或名称筛选（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        clear_on_escape(self.search)
        self.state = QComboBox()
        self.state.addItem("全部状态", "")
        for state in STATES:
            self.state.addItem(state_icon(state), STATE_NAMES[state], state)
        self.state.addItem("有问题的材料", PROBLEMS_FILTER)  # damaged, unreadable, dated outside the creation period
        self.state.addItem("有不列入汇编的材料", KEPT_OUT_FILTER)
        self.unit = QComboBox()
        self.unit.setMinimumContentsLength(6)
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._fill_units()
        self.view = self._make_view()
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        filters.addWidget(self.state, 1)
        filters.addWidget(self.unit, 1)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self.search.textChanged.connect(lambda text: self._filter(text=text))
        self.state.currentIndexChanged.connect(
            lambda _: self._filter(state=self.state.currentData(), kept_out=self._kept_out()))
        session.refreshed.connect(self._refresh_kept_out)
        self.unit.currentIndexChanged.connect(lambda _: self._filter(unit=self.unit.currentData()))
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        session.catalogue_replaced.connect(self._catalogue_replaced)
        self._show_count()

    def _make_view(self) -> QTreeView:
        view = QTreeView()
        view.setModel(self.proxy)
        view.setUniformRowHeights(True)  # fast layout for long catalogues
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAcceptDrops(True)
        view.setDropIndicatorShown(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        view.setDragDropOverwriteMode(True)  # a drop lands on the row under the mouse, not between rows
        view.setDefaultDropAction(Qt.DropAction.CopyAction)
        view.setToolTip("")
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # widths from the widest text a column can hold, not ResizeToContents: that measures every row again on
        # each dataChanged (300 rows, a dozen roles each), 30 ms per changed row when a burst of changes comes in
        metrics = view.fontMetrics()
        padding = 4 * view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 8
        widths = (max(metrics.horizontalAdvance(text) for text in [*STATE_NAMES.values(), COLUMNS[1]]),
                  max(metrics.horizontalAdvance(text) for text in ("0000000", COLUMNS[2])))
        for column, width in zip((1, 2), widths, strict=True):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width + padding)
        view.expandAll()
        return view

    def _fill_units(self) -> None:
        current = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("全部单位", "")
        for unit in self.session.model.units():
            self.unit.addItem(unit, unit)
        index = self.unit.findData(current)
        self.unit.setCurrentIndex(max(0, index))
        self.unit.blockSignals(False)

    def _filter(self, **changes) -> None:
        self.proxy.set_filter(**changes)
        self.view.expandAll()
        self._show_count()
        code = self.current_code()
        if code:
            self.view.scrollTo(self.proxy.mapFromSource(self.session.model.index_of(code)))

    def _kept_out(self) -> frozenset[str]:
        """The items (and the items above them) with files kept out of the dossier; read only while that filter is
        chosen: a small query and a pass over the statuses."""
        if self.state.currentData() != KEPT_OUT_FILTER:
            return frozenset()
        ids = set(exclusions(self.session.archive))
        return frozenset(code for code, node in self.session.model.nodes.items()
                         if node.status is not None and not ids.isdisjoint(node.status.file_ids))

    def _refresh_kept_out(self, _changed=None) -> None:
        """A mark set or lifted changes no status: the filter is worked out again after every refresh."""
        if self.state.currentData() == KEPT_OUT_FILTER:
            self._filter(kept_out=self._kept_out())

    def _show_count(self) -> None:
        model = self.session.model
        items = [node for node in model.nodes.values() if not node.children]  # the categories over them are not
        if self.proxy.active():
            matches = sum(1 for node in items if self.proxy.mapFromSource(model.index_of(node.code)).isValid())
            self.count.setText(f"筛选出 {matches} 项（共 {len(items)} 项）")
        else:
            self.count.setText(f"共 {len(items)} 个评价项目；把文件夹拖到项目上即可关联")

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.current_changed.emit(self.current_code())

    def _catalogue_replaced(self) -> None:
        self._fill_units()
        self.view.expandAll()
        self._show_count()

    def current_code(self) -> str | None:
        indexes = self.view.selectionModel().selectedRows(0)
        return indexes[0].data(CODE_ROLE) if indexes else None

    def select(self, code: str) -> None:
        """Select a criterion (clearing filters that hide it)."""
        index = self.proxy.mapFromSource(self.session.model.index_of(code))
        if not index.isValid() and self.proxy.active():
            self.search.clear()
            self.state.setCurrentIndex(0)
            self.unit.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.session.model.index_of(code))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def show_problems(self) -> None:
        """Only the items whose files have problems (and the items above them), all units."""
        self.search.clear()
        self.unit.setCurrentIndex(0)
        self.state.setCurrentIndex(self.state.findData(PROBLEMS_FILTER))
        self.view.expandAll()
        if first := self._first_leaf(QModelIndex()):
            self.view.setCurrentIndex(first)  # its files, problems among them, at once
            self.view.scrollTo(first)

    def _first_leaf(self, parent: QModelIndex) -> QModelIndex | None:
        """The first item the filter shows that has no item shown under it, depth first."""
        if not self.proxy.rowCount(parent):
            return None
        first = self.proxy.index(0, 0, parent)
        return self._first_leaf(first) if self.proxy.rowCount(first) else first

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
