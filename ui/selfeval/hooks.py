"""Puts the self-evaluation into an open archive's workspace (one call from Workspace.__init__):

- a unit choice beside the tabs, kept in step with the tree's unit filter (ui/selfeval/unit_scope.py), which the
  overview, the rectification tab and the reports dialog follow;
- the 自查自评 box in the detail panel, above the sign-off;
- the projected result at the top of the overview;
- the 问题整改 tab.
After any edit everything that shows units, scores or problems is refreshed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.selfeval.detail_box import SelfEvalBox
from ui.selfeval.rectify_tab import RectifyPage
from ui.selfeval.summary import ProjectionBox
from ui.selfeval.unit_scope import UnitScope


class SelfEvalHooks(QObject):
    def __init__(self, workspace):
        super().__init__(workspace)
        self.workspace = workspace
        self.session = session = workspace.session
        self.scope = UnitScope(session, self)
        self.scope.apply_assignments()
        self.scope.bind(workspace.criteria.unit)  # the tree's own unit filter is the same choice
        self.corner = self._corner()
        workspace.tabs.setCornerWidget(self.corner, Qt.Corner.TopRightCorner)
        self.box = SelfEvalBox(session)
        workspace.detail.insert_section(self.box)
        self.summary = ProjectionBox(session)
        workspace.overview.insert_top(self.summary)
        self.problems = RectifyPage(session, self.scope)
        workspace.tabs.addTab(self.problems, "问题整改")
        self._connect()
        self.reload()

    def _corner(self) -> QWidget:
        corner = QWidget()
        layout = QHBoxLayout(corner)
        layout.setContentsMargins(0, 0, 4, 2)
        layout.addWidget(QLabel("单位："))
        self.unit_combo = self.scope.new_combo()
        layout.addWidget(self.unit_combo)
        return corner

    def _connect(self) -> None:
        workspace, session = self.workspace, self.session
        workspace.criteria.current_changed.connect(self.box.show_criterion)
        self.box.saved.connect(lambda _code: self.reload())
        self.box.add_problem_requested.connect(self.add_problem)
        self.problems.changed.connect(self.reload)
        self.problems.criterion_activated.connect(workspace.go_to)
        self.summary.criterion_activated.connect(workspace.go_to)
        self.summary.rules_requested.connect(self.edit_rules)
        self.scope.changed.connect(self._unit_changed)
        session.catalogue_replaced.connect(self.reload)
        session.refreshed.connect(lambda _codes: self.summary.refresh())

    def reload(self) -> None:
        """Units, scores or problems changed: bring every view up to date."""
        self.scope.reload()
        self.workspace.criteria.proxy.set_filter()  # nodes' units may have changed: filter again
        self.workspace.criteria.view.expandAll()
        self.summary.refresh()
        self.workspace.overview.refresh()
        self.problems.refresh()
        if not self.box.dirty():
            self.box.show_criterion(self.box.code, save_first=False)

    def _unit_changed(self, unit: str) -> None:
        self.summary.set_unit(unit)
        self.workspace.overview.set_unit(unit)

    def add_problem(self, code: str | None = None) -> None:
        self.show_problems()
        self.problems.add(code)

    def show_problems(self) -> None:
        self.workspace.tabs.setCurrentWidget(self.problems)

    def edit_rules(self) -> None:
        from ui.selfeval.rules_dialog import RulesDialog

        if RulesDialog(self.session, self.workspace).exec():
            self.summary.refresh()
            self.session.status_message("已保存通过规则")


def attach(workspace) -> SelfEvalHooks:
    workspace.selfeval = SelfEvalHooks(workspace)
    return workspace.selfeval
