"""证明材料: the shown criterion's files in a table (the name frozen at the left while the metadata columns scroll by),
a filter by name, what they add up to, and the commands on them: 打开, 在文件夹中显示, and a feature's (add_commands).
The detail panel (ui/workspace/detail_panel.py) fills it with the rows of the criterion it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.frozen_column import FrozenColumnTable
from ui.common.shell import open_file, show_in_folder
from ui.common.widgets import clear_on_escape, widget_action
from ui.workspace.evidence_model import COLUMNS, PATH_ROLE, EvidenceModel, EvidenceProxy, human_size

MIN_TABLE_ROWS = 8  # the evidence table never shrinks below this many rows: the panel scrolls instead


def _command_button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class FilesBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("证明材料", parent)
        self.model = EvidenceModel(self)
        self.proxy = EvidenceProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._make_table()
        self.summary = QLabel()
        self.file_filter = QLineEdit()
        self.file_filter.setPlaceholderText("按文件名筛选")
        self.file_filter.setClearButtonEnabled(True)
        self.file_filter.setMaximumWidth(200)
        clear_on_escape(self.file_filter)
        self.open_button = QPushButton("打开")
        self.reveal_button = QPushButton("在文件夹中显示")
        self.commands = QHBoxLayout()  # a feature's commands on the files (add_commands)
        self._layout()
        self._make_menus()
        self._connect()

    def _make_table(self) -> FrozenColumnTable:
        table = FrozenColumnTable()  # the name stays at the left while the metadata columns scroll by
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab leaves the table in one press; the arrows move between cells
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name gets what the others leave
        header.setStretchLastSection(False)
        for column, width in zip(range(1, len(COLUMNS)), (140, 120, 44, 72, 130), strict=True):
            table.setColumnWidth(column, width)
        rows = MIN_TABLE_ROWS * table.verticalHeader().defaultSectionSize()
        table.setMinimumHeight(rows + header.sizeHint().height() + 2 * table.frameWidth() + 20)  # + scroll bar
        return table

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.file_filter)
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.reveal_button)
        layout.addLayout(buttons)
        layout.addLayout(self.commands)

    def _make_menus(self) -> None:
        """The commands on files, as a context menu and as keys: Enter opens (the links' are the link box's)."""
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.open_action = widget_action(self.table, "打开(&O)", lambda: self.open_file_at(self.table.currentIndex()),
                                         Qt.Key.Key_Return)
        self.open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.reveal_action = widget_action(self.table, "在文件夹中显示(&S)", self._reveal)

    def _connect(self) -> None:
        self.table.doubleClicked.connect(self.open_file_at)
        self.file_filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.open_button.clicked.connect(lambda: self.open_file_at(self.table.currentIndex()))
        self.reveal_button.clicked.connect(self._reveal)

    # -- what the panel and the features ask of it ------------------------------------------------------------
    def use_model(self, model: EvidenceModel) -> None:
        """A feature's evidence model (one with more columns) in place of the box's own."""
        self.model = model
        self.proxy.setSourceModel(model)

    def add_commands(self, left: list[QAction], right: list[QAction]) -> None:
        """A row of buttons below the table (`left`, then `right` at the far end) and the same in the table's
        context menu, their keys working while the table has the focus."""
        for action in (*left, *right):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
        for action in left:
            self.commands.addWidget(_command_button(action))
        self.commands.addStretch()
        for action in right:
            self.commands.addWidget(_command_button(action))

    def set_activation(self, handler) -> None:
        """What a double click on a file does, instead of opening it (`open_file_at` still does that)."""
        self.table.doubleClicked.disconnect(self.open_file_at)
        self.table.doubleClicked.connect(handler)

    def show_rows(self, rows: list, keep: bool = False) -> None:
        """A criterion's files, unfiltered, or with `keep` the same files updated in place (selection, sort order
        and filter stay: files changed on disk)."""
        if keep:
            self.model.refresh(rows)
        else:
            self.file_filter.clear()
            self.model.set_rows(rows)
        self.show_summary()

    def clear(self) -> None:
        self.model.set_rows([])
        self.summary.clear()

    def show_summary(self) -> None:
        rows = self.model.rows
        problems = sum(1 for r in rows if r.problem)
        size = sum(r.size or 0 for r in rows)
        excluded = sum(1 for r in rows if r.excluded)
        problem_text = f"，{problems} 个有问题" if problems else ""
        excluded_text = f"，{excluded} 个不列入汇编" if excluded else ""
        self.summary.setText(f"共 {len(rows)} 个文件，{human_size(size)}{problem_text}{excluded_text}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_file = self.table.currentIndex().isValid() and self.table.selectionModel().hasSelection()
        for widget in (self.open_button, self.reveal_button, self.open_action, self.reveal_action):
            widget.setEnabled(has_file)

    def open_file_at(self, index: QModelIndex) -> None:
        if index.isValid():
            open_file(self, index.data(PATH_ROLE))

    def _reveal(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            show_in_folder(self, index.data(PATH_ROLE))
