"""The criteria tree as a QAbstractItemModel over the catalogue and compute_status results.

Rows are fixed by the catalogue; statuses change. `update_statuses` compares by code and emits dataChanged only
for rows whose status really changed, so views keep their selection, expansion and scroll position. Dropping
files or folders from Explorer onto a row asks (signal `link_requested`) for them to be linked to that criterion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush

from archive.status import STATE_NAMES, CriterionStatus
from criteria.model import Criterion, cited_code
from ui.common.icons import state_color, state_icon

NO_INDEX = QModelIndex()  # the invalid index, as a default argument
COLUMNS = ("评价项目", "状态", "文件")
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
UNITS_ROLE = Qt.ItemDataRole.UserRole + 3
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4
PROBLEMS_ROLE = Qt.ItemDataRole.UserRole + 5
PROBLEMS_FILTER = "problems"  # the state filter's own entry: items whose files have problems, whatever their state
KEPT_OUT_FILTER = "kept_out"  # and another: items with files kept out of the dossier (archive.exclusions)
URI_LIST = "text/uri-list"
BULK_ROWS = 32  # more changed rows than this: one layout signal instead of a dataChanged per parent


@dataclass(eq=False)
class Node:
    criterion: Criterion | None  # None for the invisible root
    parent: Node | None = None
    row: int = 0
    children: list[Node] = field(default_factory=list)
    status: CriterionStatus | None = None
    units: list[str] = field(default_factory=list)  # own units, or the nearest ancestor's
    due: str = ""  # effective deadline, set with the units from the assignments (ui.selfeval.unit_scope)

    @property
    def code(self) -> str:
        return self.criterion.code if self.criterion else ""


def _above(node: Node) -> list[Criterion]:
    above = []
    while (node := node.parent) is not None and node.criterion is not None:
        above.insert(0, node.criterion)
    return above


def local_paths(mime: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class CriteriaTreeModel(QAbstractItemModel):
    link_requested = Signal(str, list)  # code, local paths dropped on it

    def __init__(self, parent=None):
        super().__init__(parent)
        self.root = Node(None)
        self.nodes: dict[str, Node] = {}

    # -- building and updating -------------------------------------------------------------------------------
    def load(self, criteria: list[Criterion], statuses: list[CriterionStatus]) -> None:
        """Replace everything (a new archive or a revised catalogue)."""
        self.beginResetModel()
        self.root = Node(None)
        self.nodes = {}
        for crit in criteria:
            parent = self.nodes.get(crit.parent, self.root) if crit.parent else self.root
            node = Node(crit, parent, len(parent.children), units=list(crit.units) or list(parent.units))
            parent.children.append(node)
            self.nodes[crit.code] = node
        for status in statuses:
            if status.code in self.nodes:
                self.nodes[status.code].status = status
        self.endResetModel()

    def update_statuses(self, statuses: list[CriterionStatus]) -> list[str]:
        """Apply fresh statuses in place; return the codes whose state, counts or confirmation changed."""
        changed = []
        for status in statuses:
            node = self.nodes.get(status.code)
            if node is None:
                continue
            if node.status is None or _visible(node.status) != _visible(status):
                changed.append(status.code)
            node.status = status
        self._announce([self.nodes[code] for code in changed])
        return changed

    def _announce(self, nodes: list[Node]) -> None:
        """Tell the views, without resetting them (selection, expansion and scroll position stay). A dataChanged
        makes the tree view measure the rows again for its resize-to-contents columns, so a few changed rows get
        one signal per parent, and many (a first scan) one layoutChanged: measured on a 110-item catalogue after a
        first scan, one signal per row held the UI thread 1.6 s, one per parent 0.1 s, the layout signal ~10 ms."""
        if len(nodes) > BULK_ROWS:
            self.layoutAboutToBeChanged.emit()  # rows do not move: no persistent index needs changing
            self.layoutChanged.emit()
            return
        rows: dict[int, tuple[Node, int, int]] = {}
        for node in nodes:
            parent, low, high = rows.get(id(node.parent), (node.parent, node.row, node.row))
            rows[id(node.parent)] = (parent, min(low, node.row), max(high, node.row))
        for parent, low, high in rows.values():
            first, last = parent.children[low], parent.children[high]
            self.dataChanged.emit(self.createIndex(low, 0, first), self.createIndex(high, len(COLUMNS) - 1, last))

    def index_of(self, code: str, column: int = 0) -> QModelIndex:
        node = self.nodes.get(code)
        return self.createIndex(node.row, column, node) if node else QModelIndex()

    def status(self, code: str) -> CriterionStatus | None:
        node = self.nodes.get(code)
        return node.status if node else None

    def criterion(self, code: str) -> Criterion | None:
        node = self.nodes.get(code)
        return node.criterion if node else None

    def subtree_codes(self, code: str) -> list[str]:
        stack, found = [self.nodes[code]] if code in self.nodes else [], []
        while stack:
            node = stack.pop()
            found.append(node.code)
            stack.extend(node.children)
        return found

    def units(self) -> list[str]:
        """Every responsible unit named anywhere, in catalogue order."""
        seen: dict[str, None] = {}
        for node in self.nodes.values():
            for unit in node.criterion.units:
                seen.setdefault(unit, None)
        return list(seen)

    # -- QAbstractItemModel ----------------------------------------------------------------------------------
    def _node(self, index: QModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.root

    def index(self, row: int, column: int, parent: QModelIndex = NO_INDEX) -> QModelIndex:
        node = self._node(parent)
        if not (0 <= row < len(node.children) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: QModelIndex = NO_INDEX) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = index.internalPointer().parent
        if parent is None or parent is self.root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: QModelIndex = NO_INDEX) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex = NO_INDEX) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        crit, status, column = node.criterion, node.status, index.column()
        state = status.state if status else "missing"
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return titled(tree_code(crit), crit.title)
            if column == 1:
                return STATE_NAMES[state]
            return str(status.files) if status else "0"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return state_icon(state)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(state_color(state))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(node, state)
        if role == CODE_ROLE:
            return crit.code
        if role == STATE_ROLE:
            return state
        if role == UNITS_ROLE:
            return node.units
        if role == SEARCH_ROLE:  # the code as a dossier of some items cites it too ("二（一）")
            return f"{crit.code} {crit.label} {cited_code(crit, _above(node))} {crit.title}".lower()
        if role == PROBLEMS_ROLE:
            return node.status.problems if node.status else 0
        return None

    # -- drops from Explorer ---------------------------------------------------------------------------------
    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self) -> list[str]:
        return [URI_LIST]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.LinkAction | Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action, row: int, column: int, parent) -> bool:
        return self._drop_target(row, parent) is not None and bool(local_paths(data))

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent) -> bool:
        code = self._drop_target(row, parent)
        paths = local_paths(data)
        if code is None or not paths:
            return False
        self.link_requested.emit(code, paths)
        return False  # nothing moves inside the model; Explorer must not delete the source on a "move"

    def _drop_target(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> str | None:
        """Dropped onto an item, or between the children of an item (row >= 0): that item. Never the root."""
        return parent.data(CODE_ROLE) if parent.isValid() else None


class CriteriaFilter(QSortFilterProxyModel):
    """Filter by code/title text, state and responsible unit; ancestors of a match stay visible for context, and the
    items of a category whose own code or title matches the text are shown with it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.state = ""
        self.unit = ""
        self.kept_out: frozenset[str] = frozenset()  # codes with files kept out, for KEPT_OUT_FILTER
        self.setRecursiveFilteringEnabled(True)

    def set_filter(self, text: str | None = None, state: str | None = None, unit: str | None = None,
                   kept_out: frozenset[str] | None = None) -> None:
        self.beginFilterChange()
        if kept_out is not None:
            self.kept_out = kept_out
        if text is not None:
            self.text = text.strip().lower()
        if state is not None:
            self.state = state
        if unit is not None:
            self.unit = unit
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def active(self) -> bool:
        return bool(self.text or self.state or self.unit)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self.text and not self._text_matches(index):
            return False
        if self.state == PROBLEMS_FILTER:
            if not index.data(PROBLEMS_ROLE):
                return False
        elif self.state == KEPT_OUT_FILTER:
            if index.data(CODE_ROLE) not in self.kept_out:
                return False
        elif self.state and index.data(STATE_ROLE) != self.state:
            return False
        return not self.unit or self.unit in index.data(UNITS_ROLE)


    def _text_matches(self, index: QModelIndex) -> bool:
        """The row's own text, or a category's above it: a search for "源头治理" shows the category's items."""
        while index.isValid():
            if self.text in index.data(SEARCH_ROLE):
                return True
            index = index.parent()
        return False


def _visible(status: CriterionStatus) -> tuple:
    confirmation = status.confirmation
    return (status.state, status.files, status.problems, status.bytes,
            (confirmation.by, confirmation.time, confirmation.note) if confirmation else None)


def tree_code(crit: Criterion) -> str:
    """The code as the table printed it where that names the row on its own ("第一部分", "一、", "1-1", "5"); where it
    does not ("（一）" under every part), the archive's dotted one, which says what the row lies under ("2.1"). A row
    the table left unnumbered shows the archive's code in brackets, as made-up titles are in archive practice."""
    return crit.code if crit.label.strip() and not crit.label_names_row() else crit.shown_code()


def titled(code: str, title: str) -> str:
    """A code before its title: "一、组织领导" as printed (its 、 separates them), "1.1  印发方案"."""
    return f"{code}{title}" if code.endswith("、") else f"{code}  {title}"


def _tooltip(node: Node, state: str) -> str:
    crit, status = node.criterion, node.status
    shown = crit.shown_code()
    lines = [f"{shown} {crit.title}"] + ([] if crit.code in shown else [f"档案编号：{crit.code}"])
    lines.append(f"状态：{STATE_NAMES[state]}")
    if status:
        lines.append(f"文件：{status.files} 个" + (f"，{status.problems} 个问题" if status.problems else ""))
    if node.units:
        lines.append("责任单位：" + "、".join(node.units))
    return "\n".join(lines)
