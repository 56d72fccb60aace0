"""The right-hand side for the selected criterion: what is asked, where its evidence lives (ui/workspace/link_box.py),
its files (ui/workspace/files_box.py), the features' sections and the sign-off (ui/workspace/confirm_box.py).

Files and folders dropped anywhere on the panel are linked to the shown criterion. Tab goes through the panel top to
bottom, left to right (ui/common/tab_order.py), the features' boxes and buttons included.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Slot
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from archive.confirm import ChangedSince
from archive.status import STATE_NAMES
from ui.common.extensions import OrderedSlot
from ui.common.icons import state_color, state_icon
from ui.common.tab_order import follow_layout
from ui.common.widgets import FoldingBox
from ui.workspace.confirm_box import ConfirmBox
from ui.workspace.evidence_model import EvidenceModel, evidence_rows
from ui.workspace.files_box import FilesBox
from ui.workspace.fitted_splitter import FittedSplitter
from ui.workspace.link_box import LinkBox
from ui.workspace.session import ArchiveSession
from ui.workspace.tree_model import local_paths, titled


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
        self.files = FilesBox()
        self.table, self.proxy = self.files.table, self.files.proxy  # what the features and tests reach for
        self.file_filter, self.summary = self.files.file_filter, self.files.summary
        self.confirm_box = ConfirmBox(session, lambda: self.files.model.rows)
        self._layout()
        self.session.evidence_changed.connect(self._on_evidence_changed)
        self.show_criterion(None)
        follow_layout(self)

    @property
    def model(self) -> EvidenceModel:
        return self.files.model

    # -- construction ---------------------------------------------------------------------------------------
    def _layout(self) -> None:
        self.info_box = FoldingBox("评价要求")
        form = QFormLayout(self.info_box.body)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: the label above its text
        for name, label in (("rule", "评分标准"), ("evidence", "佐证材料"), ("points", "分值"), ("method", "测评方式"),
                            ("units", "责任单位")):
            form.addRow(f"{label}：", self.fields[name])
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.info_box)
        top_layout.addWidget(self.links_box)
        top_layout.addStretch()
        # the table below gets what the sections above leave; a place the clerk drags it to is kept and remembered
        self.splitter = FittedSplitter(top, self.files, "detail-splitter")
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
        self.files.use_model(model)

    def add_file_commands(self, left: list[QAction], right: list[QAction]) -> None:
        """A feature's commands on the files: a row of buttons below the table (`left`, then `right` at the far
        end) and the same in the table's context menu, their keys working while the table has the focus."""
        self.files.add_commands(left, right)
        follow_layout(self)  # made after the boxes below the table: Tab would reach those first

    def set_file_activation(self, handler) -> None:
        """What a double click on a file does, instead of opening it (`open_file_at` still does that)."""
        self.files.set_activation(handler)

    def open_file_at(self, index: QModelIndex) -> None:
        self.files.open_file_at(index)

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
            self.files.clear()
            self.confirm_box.show_criterion(None)
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
        self.files.show_rows(self._rows())
        self._show_state()
        self.links_box.show_links(self.code)
        self.splitter.refit()

    def refresh_files(self) -> None:
        """Files changed on disk: update the table in place (selection and sort order stay)."""
        if self.code:
            self.files.show_rows(self._rows(), keep=True)
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
        self.files.show_summary()

    # -- drops from Explorer onto the panel ------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.code and local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if self.code and paths:
            event.acceptProposedAction()
            self.session.link(self.code, paths)
