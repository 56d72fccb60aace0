"""The page shown while an archive is open: the criteria tree and detail side by side, and the overview tab.

A change on disk under a confirmed criterion is announced in a banner above both tabs (and in the status bar),
and stays there until the user dismisses it or looks at the criterion.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.metadata.hooks import attach as attach_metadata
from ui.selfeval.hooks import attach as attach_selfeval
from ui.workspace.confirm_dialog import changes_since, describe_changes
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
    def __init__(self, session: ArchiveSession, parent: QWidget | None = None):
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.criteria.current_changed.connect(self._show_criterion)
        self.overview.criterion_activated.connect(self.go_to)
        self.banner.label.linkActivated.connect(self.go_to)
        session.confirmed_changed.connect(self.announce_changes)
        session.refreshed.connect(self._settle_banner)
        attach_selfeval(self)  # unit choice, 自查自评 box, projected result, 问题整改 tab
        attach_metadata(self)  # metadata columns, 填写信息, 照片说明, undo, Excel round trip, creation period

    @Slot(object)
    def _show_criterion(self, code: str | None) -> None:
        self.detail.show_criterion(code)

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
            since = status.confirmation.time if status and status.confirmation else ""
            what = describe_changes(changes_since(self.session.archive, code, since)) if since else ""
            lines.append(f"<a href='{code}'>{code} {model.criterion(code).title}</a>" + (f"（{what}）" if what else ""))
        self.banner.label.setText(f"<b>注意：已确认的项目材料有变更</b>：{'；'.join(lines)}。请核对后重新确认。")
        self.banner.show()

    @Slot(list)
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

    def show_overview(self) -> None:
        self.tabs.setCurrentWidget(self.overview)

    def show_criteria(self) -> None:
        self.tabs.setCurrentWidget(self.splitter)
