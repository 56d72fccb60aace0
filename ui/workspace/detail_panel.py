"""The right-hand side for the selected criterion: what is asked, where its evidence lives (ui/workspace/link_box.py),
the files, the features' sections and the sign-off (ui/workspace/confirm_box.py).

Files and folders dropped anywhere on the panel are linked to the shown criterion. Tab goes through the panel top to
bottom, left to right (ui/common/tab_order.py), the features' boxes and buttons included.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Slot
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from archive.confirm import ChangedSince
from archive.status import STATE_NAMES
from ui.common.extensions import OrderedSlot
from ui.common.frozen_column import FrozenColumnTable
from ui.common.icons import state_color, state_icon
from ui.common.shell import open_file, show_in_folder
from ui.common.tab_order import follow_layout
from ui.common.widgets import FoldingBox, clear_on_escape
from ui.workspace.confirm_box import ConfirmBox
from ui.workspace.evidence_model import COLUMNS, PATH_ROLE, EvidenceModel, EvidenceProxy, evidence_rows, human_size
from ui.workspace.fitted_splitter import FittedSplitter
from ui.workspace.link_box import LinkBox
from ui.workspace.session import ArchiveSession
from ui.workspace.tree_model import local_paths, titled

MIN_TABLE_ROWS = 8  # the evidence table never shrinks below this many rows: the panel scrolls instead


def _command_button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def _wrapping_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


class DetailPanel(QWidget):
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.code: str | None = None
        self.setAcceptDrops(True)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.state_icon = QLabel()
        self.state_label = QLabel()
        self.fields = {name: _wrapping_label() for name in ("rule", "evidence", "points", "method", "units")}
        self.links_box = LinkBox(session)
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
        self.confirm_box = ConfirmBox(session, lambda: self.model.rows)
        self._layout()
        self._make_menus()
        self._connect()
        self.show_criterion(None)
        follow_layout(self)

    # -- construction ---------------------------------------------------------------------------------------
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
        self.info_box = FoldingBox("评价要求")
        form = QFormLayout(self.info_box.body)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: the label above its text
        for name, label in (("rule", "评分标准"), ("evidence", "佐证材料"), ("points", "分值"), ("method", "测评方式"),
                            ("units", "责任单位")):
            form.addRow(f"{label}：", self.fields[name])
        files_box = QGroupBox("证明材料")
        files_layout = QVBoxLayout(files_box)
        files_layout.addWidget(self.table, 1)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.file_filter)
        file_buttons.addWidget(self.summary, 1)
        self.open_button = QPushButton("打开")
        self.reveal_button = QPushButton("在文件夹中显示")
        file_buttons.addWidget(self.open_button)
        file_buttons.addWidget(self.reveal_button)
        files_layout.addLayout(file_buttons)
        self.file_commands = QHBoxLayout()  # a feature's commands on the files (add_file_commands)
        files_layout.addLayout(self.file_commands)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.info_box)
        top_layout.addWidget(self.links_box)
        top_layout.addStretch()
        # the table below gets what the sections above leave; a place the clerk drags it to is kept and remembered
        self.splitter = FittedSplitter(top, files_box, "detail-splitter")
        for box in (self.info_box, self.links_box):
            box.toggled.connect(self.splitter.refit)
        self.links_box.content_changed.connect(self.splitter.refit)
        title_row = QHBoxLayout()
        title_row.addWidget(self.heading, 1)
        title_row.addWidget(self.state_icon, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignVCenter)
        self.content = QWidget()
        self.sections = QVBoxLayout(self.content)
        self.sections.setContentsMargins(4, 4, 4, 4)
        self.sections.addLayout(title_row)
        self.sections.addWidget(self.splitter, 1)
        self.feature_sections = QVBoxLayout()  # the features' boxes (add_section), above the sign-off
        self.feature_sections.setContentsMargins(0, 0, 0, 0)
        self.feature_slot = OrderedSlot(self.feature_sections)
        self.sections.addLayout(self.feature_sections)
        self.sections.addWidget(self.confirm_box)
        # everything scrolls: on a 1366x768 laptop no control falls off the bottom
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.content)
        self.content.installEventFilter(self)  # its boxes, filled, may need more width: minimumSizeHint
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the scroll area keeps its content's needs to itself: tell the splitter
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        """As wide as its widest row of controls needs (the scroll area alone would let the splitter squeeze it, and
        at 1280 pixels across the buttons at the right were cut off: it scrolls down, not across)."""
        hint = super().minimumSizeHint()
        needed = self.content.minimumSizeHint().width() + self.scroll.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), needed), hint.height())

    # -- extension points (ui/common/extensions.py) ------------------------------------------------------
    def add_section(self, widget: QWidget, order: int = 0) -> None:
        """A feature's box (自查自评), below the evidence and above the sign-off, in `order`."""
        self.feature_slot.add(widget, order)
        follow_layout(self)  # its fields after the file commands above it, before the sign-off below

    def use_evidence_model(self, model: EvidenceModel) -> None:
        """A feature's evidence model (one with more columns) in place of the panel's own; the panel fills and
        refreshes whichever model it holds."""
        self.model = model
        self.proxy.setSourceModel(model)

    def add_file_commands(self, left: list[QAction], right: list[QAction]) -> None:
        """A feature's commands on the files: a row of buttons below the table (`left`, then `right` at the far
        end) and the same in the table's context menu, their keys working while the table has the focus."""
        for action in (*left, *right):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
        for action in left:
            self.file_commands.addWidget(_command_button(action))
        self.file_commands.addStretch()
        for action in right:
            self.file_commands.addWidget(_command_button(action))
        follow_layout(self)  # made after the boxes below the table: Tab would reach those first

    def set_file_activation(self, handler) -> None:
        """What a double click on a file does, instead of opening it (`open_file_at` still does that)."""
        self.table.doubleClicked.disconnect(self.open_file_at)
        self.table.doubleClicked.connect(handler)

    def _make_menus(self) -> None:
        """The commands on files, as a context menu and as keys: Enter opens (the links' are the link box's)."""
        def action(widget: QWidget, text: str, slot, key=None) -> QAction:
            act = QAction(text, widget)
            if key is not None:
                act.setShortcut(QKeySequence(key))
                act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(slot)
            widget.addAction(act)
            return act

        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.open_action = action(self.table, "打开(&O)", lambda: self.open_file_at(self.table.currentIndex()),
                                  Qt.Key.Key_Return)
        self.open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.reveal_action = action(self.table, "在文件夹中显示(&S)", self._reveal)

    def _connect(self) -> None:
        self.table.doubleClicked.connect(self.open_file_at)
        self.file_filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.open_button.clicked.connect(lambda: self.open_file_at(self.table.currentIndex()))
        self.reveal_button.clicked.connect(self._reveal)
        # after every refresh (monitor, scan, link): only when the shown criterion (or one below it) was recomputed
        self.session.evidence_changed.connect(self._on_evidence_changed)

    # -- showing a criterion -------------------------------------------------------------------------------
    def show_criterion(self, code: str | None) -> None:
        if code != self.code:  # another item's files: from their 名称 and 问题, not where the last item's scrolled to
            self.table.horizontalScrollBar().setValue(0)
        self.code = code
        crit = self.session.model.criterion(code) if code else None
        self.setEnabled(crit is not None)
        if crit is None:
            self.heading.setText("请在左侧选择一个评价项目")
            self.state_label.clear()
            self.state_icon.clear()
            for label in self.fields.values():
                label.clear()
            self.links_box.show_links(None)
            self.model.set_rows([])
            self.confirm_box.show_criterion(None)
            self.summary.clear()
            return
        kind = f"（{crit.kind}）" if crit.kind else ""
        self.heading.setText(titled(crit.shown_code(), crit.title) + kind)
        self.fields["rule"].setText(crit.rule or "—")
        self.fields["evidence"].setText(crit.evidence or "—")
        self.fields["points"].setText(f"{crit.points:g} 分" if crit.points is not None else "—")
        self.fields["method"].setText(crit.method or "—")
        node = self.session.model.nodes[code]
        self.fields["units"].setText("、".join(node.units) or "—")
        self.confirm_box.show_criterion(code)
        self.file_filter.clear()
        self.model.set_rows(self._rows())
        self._show_state()
        self.links_box.show_links(self.code)
        self.splitter.refit()

    def refresh_files(self) -> None:
        """Files changed on disk: update the table in place (selection and sort order stay)."""
        if self.code:
            self.model.refresh(self._rows())
            self._show_summary()
            self.links_box.show_links(self.code)

    def _rows(self) -> list:
        return evidence_rows(self.session.archive, self.session.model.subtree_codes(self.code), self._changed_ids())

    def _changed_ids(self) -> frozenset[int]:
        """The files changed or linked since the confirmation covering the shown criterion (its own, or the nearest
        ancestor's), when it shows 确认后有变更."""
        node = self.session.model.nodes.get(self.code)
        while node is not None and node.criterion is not None:
            status = node.status
            if status is not None and status.confirmation is not None:
                if status.state != "changed":
                    return frozenset()
                changed = ChangedSince(self.session.archive)
                return frozenset(changed(self.session.model.subtree_codes(self.code), status.confirmation))
            node = node.parent
        return frozenset()

    @Slot(object)
    def _on_evidence_changed(self, codes: set[str] | None) -> None:
        if self.code and (codes is None or self.code in codes):  # codes name every ancestor of a change too
            self.refresh_files()
            self._show_state()

    def _show_state(self) -> None:
        status = self.session.model.status(self.code)
        state = status.state if status else "missing"
        color = state_color(state).name()
        self.state_icon.setPixmap(state_icon(state).pixmap(20, 20))
        self.state_label.setText(f"<b style='color:{color}'>{STATE_NAMES[state]}</b>")
        self.confirm_box.show_status(status)
        self._show_summary()

    def _show_summary(self) -> None:
        rows = self.model.rows
        problems = sum(1 for r in rows if r.problem)
        size = sum(r.size or 0 for r in rows)
        problem_text = f"，{problems} 个有问题" if problems else ""
        self.summary.setText(f"共 {len(rows)} 个文件，{human_size(size)}{problem_text}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_file = self.table.currentIndex().isValid() and self.table.selectionModel().hasSelection()
        for widget in (self.open_button, self.reveal_button, self.open_action, self.reveal_action):
            widget.setEnabled(has_file)

    # -- actions -------------------------------------------------------------------------------------------
    def open_file_at(self, index: QModelIndex) -> None:
        if index.isValid():
            open_file(self, index.data(PATH_ROLE))

    def _reveal(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            show_in_folder(self, index.data(PATH_ROLE))

    # -- drops from Explorer onto the panel ------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.code and local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if self.code and paths:
            event.acceptProposedAction()
            self.session.link(self.code, paths)
