"""The page shown while an archive is open: the criteria tree and detail side by side, and the overview tab.

A change on disk under a confirmed criterion is announced in a banner above both tabs (and in the status bar),
and stays there until the user dismisses it or looks at the criterion.

Features plug in through the extension points below (ui/common/extensions.py): the main window hands the workspace
its features, each attaches itself, and its handle is `feature(key)`. The workspace imports none of them.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.common.extensions import WorkspaceFeature
from ui.workspace.confirm_dialog import explain_changes
from ui.workspace.criteria_panel import CriteriaPanel
from ui.workspace.detail_panel import DetailPanel
from ui.workspace.overview import OverviewPage
from ui.workspace.session import ArchiveSession

BANNER_STYLE = "background:#fff3e0; border:1px solid #ef6c00; border-radius:3px; padding:6px;"


class Banner(QWidget):
    """A dismissible notice; links in its text are criterion codes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(f"#banner {{{BANNER_STYLE}}}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        close = QPushButton("知道了")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.codes: list[str] = []
        self.hide()


class Workspace(QWidget):
    criterion_changed = Signal(object)  # the code of the criterion now shown, or None

    def __init__(self, session: ArchiveSession, features: Sequence[WorkspaceFeature] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.criteria = CriteriaPanel(session)
        self.detail = DetailPanel(session)
        self.overview = OverviewPage(session)
        self.banner = Banner()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.criteria)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([460, 800])
        self.splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.splitter, "评价项目")
        self.tabs.addTab(self.overview, "总览")
        self.own_tabs = self.tabs.count()
        self.tab_orders: list[int] = []  # of the features' tabs, which follow the workspace's own
        self.corner: QHBoxLayout | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.criteria.current_changed.connect(self._show_criterion)
        self.overview.criterion_activated.connect(self.go_to)
        self.banner.label.linkActivated.connect(self.go_to)
        session.confirmed_changed.connect(self.announce_changes)
        session.refreshed.connect(self._settle_banner)
        self.features: dict[str, object] = {}
        for feature in features:  # in the order given: each may use what an earlier one placed
            self.features[feature.key] = feature.attach(self)

    # -- extension points ---------------------------------------------------------------------------------
    def feature(self, key: str):
        """The handle a feature's attach returned, or None when the window did not plug it in."""
        return self.features.get(key)

    def add_detail_section(self, widget: QWidget, order: int = 0) -> None:
        """A box in the detail panel, below the evidence and above the sign-off."""
        self.detail.add_section(widget, order)

    def add_overview_box(self, widget: QWidget, order: int = 0) -> None:
        """A box at the top of the overview, above its progress."""
        self.overview.add_box(widget, order)

    def add_tab(self, widget: QWidget, title: str, order: int = 0) -> None:
        """A tab after the workspace's own (评价项目, 总览)."""
        position = bisect.bisect_right(self.tab_orders, order)
        self.tab_orders.insert(position, order)
        self.tabs.insertTab(self.own_tabs + position, widget, title)

    def add_corner_widget(self, widget: QWidget) -> None:
        """A control beside the tabs, at the right."""
        if self.corner is None:
            corner = QWidget()
            self.corner = QHBoxLayout(corner)
            self.corner.setContentsMargins(0, 0, 4, 2)
            self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.corner.addWidget(widget)

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def unit_filter(self) -> QComboBox:
        """The tree's unit filter, for a feature that keeps its own unit choice in step with it."""
        return self.criteria.unit

    def refilter(self) -> None:
        """What the tree filters on (a criterion's units) changed: filter again, everything expanded."""
        self.criteria.proxy.set_filter()
        self.criteria.view.expandAll()

    def refresh_overview(self, unit: str | None = None) -> None:
        """Redraw the overview; with `unit`, for that unit's share only ("" for everything)."""
        if unit is None:
            self.overview.refresh()
        else:
            self.overview.set_unit(unit)

    # -- the page's own behaviour -------------------------------------------------------------------------
    @Slot(object)
    def _show_criterion(self, code: str | None) -> None:
        self.detail.show_criterion(code)
        self.criterion_changed.emit(code)

    @Slot(str)
    def go_to(self, code: str) -> None:
        self.tabs.setCurrentWidget(self.splitter)
        self.criteria.select(code)

    @Slot(list)
    def announce_changes(self, codes: list[str]) -> None:
        """Confirmed criteria whose evidence just changed on disk: say so, and which."""
        self.banner.codes = list(dict.fromkeys(self.banner.codes + codes)) if self.banner.isVisible() else codes
        self._show_banner()
        self.session.status_message(f"已确认的项目材料有变更：{'、'.join(self.banner.codes)}")
        QApplication.alert(self.window())  # flashes the taskbar button when the window is in the background

    def _show_banner(self) -> None:
        """One line per criterion: which files changed since it was confirmed."""
        model, lines = self.session.model, []
        for code in self.banner.codes:
            status = model.status(code)
            confirmation = status.confirmation if status else None
            what = explain_changes(self.session.archive, code, confirmation) if confirmation else ""
            lines.append(f"<a href='{code}'>{code} {model.criterion(code).title}</a>" + (f"（{what}）" if what else ""))
        self.banner.label.setText(f"<b>注意：已确认的项目材料有变更</b>：{'；'.join(lines)}。请核对后重新确认。")
        self.banner.show()

    @Slot(object)
    def _settle_banner(self, _changed: list) -> None:
        """A criterion re-confirmed (or withdrawn) leaves the banner; with none left it goes away."""
        if not self.banner.isVisible():
            return
        model = self.session.model
        still = [c for c in self.banner.codes if (s := model.status(c)) is not None and s.state == "changed"]
        if still != self.banner.codes:
            self.banner.codes = still
            if still:
                self._show_banner()
            else:
                self.banner.hide()

    def current_code(self) -> str | None:
        return self.criteria.current_code()

    def code_in_view(self) -> str | None:
        """The criterion selected, if the 评价项目 tab shows it: a clerk on the overview means the whole archive."""
        return self.current_code() if self.tabs.currentWidget() is self.splitter else None

    def show_overview(self) -> None:
        self.tabs.setCurrentWidget(self.overview)

    def show_criteria(self) -> None:
        self.tabs.setCurrentWidget(self.splitter)

    def show_problems(self) -> None:
        """The 评价项目 tab, filtered to the items whose files have problems."""
        self.show_criteria()
        self.criteria.show_problems()
